"""Benchmark: import 100k generated prediction rows (CSV) into SQLite and PostgreSQL.

Usage: python scripts/bench_import.py [--rows 100000] [--postgres URL] [--write docs/benchmarks.md]
Times the whole import as `POST /predictions/import` runs it (parse, validate, write, commit)
on a freshly migrated database, and reports rows per second. `--log-compare` runs each database
twice more, with the Merkle log's append replaced by a no-op ("without the log", the import as
it was before issue 17) and as shipped, and counts the leaves appended.
"""

import argparse
import csv
import io
import os
import platform
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchlib import fresh
from sqlalchemy import func, select

from app import reactions
from app.config import Settings
from app.db import make_engine, session_scope
from app.ledger import service as ledger
from app.models import LogLeaf
from app.predictions import imports
from app.predictions.columns import COLUMNS, Format

WORDS = ["by the end of 2026", "within six months", "next year", "by Q3 2027", "this decade"]
HEDGES = ["likely", "almost certainly", "unlikely", "probably", "will", "won't"]


reactions.install()  # the import announces its verdicts to scoring, as in the app


def generate(rows: int, seed: int = 7) -> bytes:
    """A CSV of plausible rows: 1k authors, 50 outlets, 10k sources; 40% with verdicts."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for i in range(rows):
        made = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 1800))
        resolve_by = made + timedelta(days=rng.randrange(30, 900))
        resolved = rng.random() < 0.4 and resolve_by < date(2026, 11, 1)
        writer.writerow(
            {
                "author": f"Author {i % 1000}",
                "outlet": f"Outlet {i % 50}",
                "source_url": f"https://news{i % 50}.example/{i // 10}",
                "source_title": f"Article {i // 10}",
                "published_at": made.isoformat(),
                "quote": f"quote number {i} says it will happen",
                "claim": f"Event {i} happens.",
                "probability": f"{rng.random():.3f}" if i % 3 else "",
                "hedge": "" if i % 3 else rng.choice(HEDGES),
                "resolve_by": rng.choice(WORDS) if i % 10 == 0 else resolve_by.isoformat(),
                "tags": f"tag{i % 20};tag{i % 7}",
                "outcome": rng.choice(["true", "false"]) if resolved else "",
                "resolved_on": resolve_by.isoformat() if resolved else "",
            }
        )
    return out.getvalue().encode()


def run(url: str, data: bytes, *, log: bool = True) -> float:
    fresh(url)
    engine = make_engine(Settings(database_url=url))
    original = ledger.append
    if not log:
        ledger.append = lambda **_: []  # type: ignore[assignment]
    started = time.perf_counter()
    with session_scope(engine) as session:
        report = imports.import_predictions(
            session=session,
            data=data,
            fmt=Format.csv,
            user_id=None,
            today=date(2026, 11, 25),
            max_rows=1_000_000,
        )
    elapsed = time.perf_counter() - started
    ledger.append = original  # type: ignore[assignment]
    with engine.connect() as connection:
        leaves = connection.execute(select(func.count()).select_from(LogLeaf)).scalar_one()
    engine.dispose()
    print(f"{engine.dialect.name}: {report.predictions} rows in {elapsed:.1f} s, {leaves} leaves")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("HINDSIGHT_TEST_DATABASE_URL"))
    parser.add_argument("--write", type=Path, help="Append the figures to this Markdown file.")
    parser.add_argument("--log-compare", action="store_true", help="With and without the log.")
    args = parser.parse_args()
    data = generate(args.rows)
    print(f"{args.rows} rows, {len(data) / 1e6:.1f} MB of CSV")
    results = {}
    versions = (
        [(" without the log", False), (" with the log", True)] if args.log_compare else [("", True)]
    )
    for suffix, log in versions:
        with tempfile.TemporaryDirectory() as tmp:
            results[f"SQLite (file, WAL){suffix}"] = run(f"sqlite:///{tmp}/bench.db", data, log=log)
        if args.postgres:
            results[f"PostgreSQL 15 (loopback){suffix}"] = run(args.postgres, data, log=log)
    if args.write:
        write(args.write, args.rows, len(data), results)


def write(path: Path, rows: int, size: int, results: dict[str, float]) -> None:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"\n## Import of {rows:,} rows ({size / 1e6:.1f} MB CSV) — "
        f"{datetime.now(UTC):%Y-%m-%d}, {machine}\n",
        "`python scripts/bench_import.py --rows 100000` (parse, validate, write, commit).\n",
        "| database | seconds | rows/s |",
        "|---|---|---|",
        *(f"| {name} | {secs:.1f} | {rows / secs:,.0f} |" for name, secs in results.items()),
        "",
    ]
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines))


if __name__ == "__main__":
    main()
