"""Benchmark: the due sweep over 1M predictions (100k turning due) and a digest run for 10k
subscribers into a local SMTP sink, on SQLite and PostgreSQL.

Usage: python scripts/bench_scheduler.py [--predictions 1000000] [--subscribers 10000]
           [--postgres URL] [--write docs/benchmarks.md]
The PostgreSQL database's public schema is dropped and recreated. The SMTP sink is aiosmtpd's
discarding `Sink` handler in its own process on 127.0.0.1.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchlib import fresh
from sqlalchemy import insert, text

from app import reactions
from app.config import Settings
from app.db import make_engine, session_scope
from app.models import Subscription, User
from app.notifications import digest
from app.predictions import imports, service
from app.predictions.columns import Format

SWEEP_DAY = date(2022, 1, 1)
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


reactions.install()  # the import announces its verdicts to scoring, as in the app


def rows(count: int, turning_due: int) -> bytes:
    """CSV rows logged in 2020; `turning_due` of them fall due by SWEEP_DAY."""
    lines = [
        ",".join(
            ("author", "source_url", "published_at", "quote", "claim", "probability", "resolve_by")
        )
    ]
    for i in range(count):
        due = date(2021, 1, 1) + timedelta(days=i % 365) if i < turning_due else date(2030, 6, 30)
        lines.append(
            f"Author {i % 10000},https://n.example/{i // 20},2020-01-01,q{i},c{i},0.6,{due}"
        )
    return ("\n".join(lines) + "\n").encode()


def load(url: str, count: int, turning_due: int) -> None:
    fresh(url)
    engine = make_engine(Settings(database_url=url))
    data = rows(count, turning_due).split(b"\n", 1)
    header, body = data[0], data[1].splitlines()
    for start in range(0, count, 100_000):
        chunk = header + b"\n" + b"\n".join(body[start : start + 100_000]) + b"\n"
        with session_scope(engine) as session:
            imports.import_predictions(
                session=session,
                data=chunk,
                fmt=Format.csv,
                user_id=None,
                today=date(2020, 1, 1),
                max_rows=200_000,
            )
    engine.dispose()


def subscribe(url: str, subscribers: int) -> None:
    """Users with digest subscriptions, each assigned a slice of the predictions."""
    engine = make_engine(Settings(database_url=url))
    with session_scope(engine) as session:
        session.execute(
            insert(User),
            [
                {"id": n, "email": f"reader{n}@example.org", "role": "editor", "created_at": NOW}
                for n in range(1, subscribers + 1)
            ],
        )
        session.execute(
            insert(Subscription),
            [
                {
                    "user_id": n,
                    "channel": "email",
                    "address": f"reader{n}@example.org",
                    "events": ["digest.weekly"],
                    "authors": [],
                    "tags": [],
                    "timezone": "UTC",
                    "active": True,
                    "created_at": NOW,
                }
                for n in range(1, subscribers + 1)
            ],
        )
        spread = text("UPDATE prediction SET assignee_id = (id % :n) + 1")
        session.execute(spread, {"n": subscribers})
    engine.dispose()


def sweep(url: str) -> tuple[float, int]:
    engine = make_engine(Settings(database_url=url))
    started = time.perf_counter()
    with session_scope(engine) as session:
        count = service.mark_due(session=session, today=SWEEP_DAY)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, count


def digests(url: str, port: int) -> tuple[float, digest.DigestRun]:
    settings = Settings(database_url=url, smtp_host="127.0.0.1", smtp_port=port)
    engine = make_engine(settings)
    started = time.perf_counter()
    run = digest.send_digests(engine=engine, settings=settings, now=NOW)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, run


def measure(url: str, args: argparse.Namespace, port: int) -> dict[str, str]:
    started = time.perf_counter()
    load(url, args.predictions, args.predictions // 10)
    subscribe(url, args.subscribers)
    setup = time.perf_counter() - started
    swept, count = sweep(url)
    sent_in, run = digests(url, port)
    print(
        f"{url.split(':')[0]}: setup {setup:.0f} s; sweep {swept:.2f} s ({count} due); "
        f"digests {sent_in:.1f} s ({run.sent} sent, {run.failed} failed)"
    )
    return {
        "sweep": f"{swept:.2f} s ({count:,} turned due)",
        "digests": f"{sent_in:.1f} s ({run.sent:,} sent, {run.failed} failed)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--predictions", type=int, default=1_000_000)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("HINDSIGHT_TEST_DATABASE_URL"))
    parser.add_argument("--port", type=int, default=8125)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    sink = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{args.port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ]
    )
    time.sleep(1.5)
    results = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            results["SQLite"] = measure(f"sqlite:///{tmp}/bench.db", args, args.port)
        if args.postgres:
            results["PostgreSQL"] = measure(args.postgres, args, args.port)
    finally:
        sink.terminate()
    if args.write:
        write(args, results)


def write(args: argparse.Namespace, results: dict[str, dict[str, str]]) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"\n## Scheduler jobs — {datetime.now(UTC):%Y-%m-%d}, {machine}\n",
        f"`python scripts/bench_scheduler.py --predictions {args.predictions} --subscribers "
        f"{args.subscribers}`: the due sweep with a tenth of the predictions turning due, and "
        "one digest per subscriber into a local SMTP sink (aiosmtpd's discarding handler, "
        "one reused connection). Targets: sweep < 5 s, digests < 60 s.\n",
        "| database | sweep_due | weekly digest run |",
        "|---|---|---|",
        *(f"| {name} | {r['sweep']} | {r['digests']} |" for name, r in results.items()),
        "",
    ]
    with args.write.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines))


if __name__ == "__main__":
    main()
