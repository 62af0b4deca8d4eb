"""Benchmark: one weekly digest run for 10,000 subscribers into a local SMTP sink.

Usage:
    python scripts/bench_digest.py --url sqlite:////tmp/bench.db [--subscribers 10000]
    python scripts/bench_digest.py --url postgresql+psycopg://postgres@127.0.0.1:5432/DB
    python scripts/bench_digest.py --predictions 20000      # a fresh SQLite file, generated

It needs a database with predictions (bench_scores.py leaves one; without --url it generates
--predictions into a temporary SQLite file). It adds --subscribers users, each with a digest
subscription, assigns every prediction to one of them (the personal queue a digest reports),
turns a tenth of the open predictions due, clears this week's digest log, then times
`digest.send_digests` against aiosmtpd's discarding `Sink` on 127.0.0.1 (its own process, one
SMTP connection reused), and checks that every subscriber has exactly one `sent` row. It
then runs again and checks that nothing is sent twice. Only 127.0.0.1 is targeted.
"""

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from typing import Any

from benchlib import free_port
from sqlalchemy import delete, func, insert, select, text
from sqlmodel import col

from app import reactions
from app.config import Settings
from app.db import make_engine, session_scope
from app.models import DigestLog, Subscription, User
from app.notifications import digest

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
FIRST_USER = 1_000_000
TURN_DUE = "UPDATE prediction SET status = 'due' WHERE status = 'open' AND id % 10 = 0"


def subscribe(url: str, subscribers: int) -> None:
    """Users with digest subscriptions; every prediction assigned to one of them."""
    engine = make_engine(Settings(database_url=url))
    ids = range(FIRST_USER, FIRST_USER + subscribers)
    with session_scope(engine) as session:
        session.execute(delete(DigestLog))
        known = session.scalar(select(func.count()).where(col(User.id) >= FIRST_USER))
        if known == subscribers:  # a second run on the same data keeps them (deleting users
            return  # checks every prediction's unindexed assigned_by_id: minutes)
        users = [{"id": n, "email": f"r{n}@example.org", "role": "editor", "created_at": NOW}
                 for n in ids]  # fmt: skip
        session.execute(insert(User), users)
        session.execute(
            insert(Subscription),
            [
                {"user_id": n, "channel": "email", "address": f"r{n}@example.org",
                 "events": ["digest.weekly"], "authors": [], "tags": [], "timezone": "UTC",
                 "active": True, "created_at": NOW}
                for n in ids
            ],
        )  # fmt: skip
        session.execute(
            text("UPDATE prediction SET assignee_id = (id % :n) + :first"),
            {"n": subscribers, "first": FIRST_USER},
        )
        session.execute(
            text("UPDATE prediction SET status = 'due' WHERE status = 'open' AND id % 10 = 0")
        )
    engine.dispose()


def sink(port: int) -> subprocess.Popen[bytes]:
    """aiosmtpd's discarding handler on 127.0.0.1:port, once it accepts connections."""
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c",
         "aiosmtpd.handlers.Sink"]
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the SMTP sink did not start")


WINDOWS: list[float] = []


def timed_finish(*args: Any) -> None:
    """digest._finish, timed: from the SMTP server's acceptance to the committed mark, the
    window in which a crash would send that digest again."""
    started = time.perf_counter()
    FINISH(*args)
    WINDOWS.append((time.perf_counter() - started) * 1000)


FINISH = digest._finish


def run(url: str, port: int, senders: int) -> tuple[float, digest.DigestRun]:
    settings = Settings(
        database_url=url, smtp_host="127.0.0.1", smtp_port=port, digest_senders=senders
    )
    engine = make_engine(settings)
    started = time.perf_counter()
    digest._finish = timed_finish  # type: ignore[assignment]
    try:
        done = digest.send_digests(engine=engine, settings=settings, now=NOW)
    finally:
        digest._finish = FINISH
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, done


def logged(url: str) -> tuple[int, int]:
    """(sent rows, distinct recipients) in the digest log."""
    engine = make_engine(Settings(database_url=url))
    with engine.connect() as connection:
        sent = connection.scalar(
            select(func.count()).select_from(DigestLog).where(col(DigestLog.status) == "sent")
        )
        recipients = connection.scalar(select(func.count(func.distinct(DigestLog.recipient))))
    engine.dispose()
    return int(sent or 0), int(recipients or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url")
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--predictions", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the first run.")
    parser.add_argument(
        "--senders", type=int, default=1, help="HINDSIGHT_DIGEST_SENDERS (issue 16 measured 4)."
    )
    args = parser.parse_args()
    reactions.install()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url
        if url is None:
            from bench_scores import populate

            url = f"sqlite:///{tmp}/digest.db"
            populate(url, predictions=args.predictions, authors=500, chunk=100_000)
        subscribe(url, args.subscribers)
        port = free_port()
        smtp = sink(port)
        try:
            if args.profile:
                import cProfile
                import pstats

                profile = cProfile.Profile()
                profile.enable()
            elapsed, first = run(url, port, args.senders)
            if args.profile:
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
            again, second = run(url, port, args.senders)
        finally:
            smtp.terminate()
        sent, recipients = logged(url)
    print(
        f"digest run: {elapsed:.1f} s for {first.sent:,} sent ({first.failed} failed, "
        f"{elapsed / max(first.sent, 1) * 1000:.2f} ms a recipient); digest_log: {sent:,} sent "
        f"rows for {recipients:,} recipients; a second run {again:.1f} s sent {second.sent} "
        f"and skipped {second.skipped:,}"
    )
    ordered = sorted(WINDOWS)
    print(
        f"duplicate window (SMTP acceptance to the committed mark), {len(ordered):,} digests: "
        f"p50 {statistics.median(ordered):.2f} ms, p99 {ordered[int(len(ordered) * 0.99)]:.2f}"
        f" ms, max {ordered[-1]:.2f} ms; at most {args.senders} digests are inside it at once"
    )


if __name__ == "__main__":
    main()
