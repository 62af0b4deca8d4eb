"""Benchmark, in process: an author with 10,000 verdicts, and the score upkeep on a verdict.

Usage: python scripts/bench_track.py [--verdicts 10000] [--postgres URL]

On a fresh SQLite file (and PostgreSQL with --postgres: its public schema is dropped and
recreated) it imports one author's predictions, all resolved, then times that author's track
record: CPU of this process (time.process_time: Python, and on SQLite the database engine too)
and wall time, median of --runs, from the database's sums and, for comparison, from the
predictions one by one (the path a codebook rescoring takes). Then it records --writes
verdicts through `resolutions.service.resolve`, one transaction each, timing the scoring
subscriber (the score rows and versions) inside each and the whole write around it.
"""

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

from benchlib import fresh
from sqlalchemy import select
from sqlmodel import Session, col

from app import events, reactions
from app.config import Settings
from app.db import make_engine, session_scope
from app.models import Author, Prediction, Status
from app.predictions import imports
from app.predictions.columns import Format
from app.resolutions import service as resolutions
from app.resolutions.schemas import ResolutionIn
from app.scoring import reactions as scoring_reactions
from app.scoring import service

TODAY = date(2026, 12, 1)


def csv_rows(count: int, *, resolved: bool, start: int = 0) -> bytes:
    """One author's predictions, two tags each, 50 outlets; resolved or still open."""
    lines = ["author,outlet,source_url,published_at,quote,claim,probability,resolve_by,tags"]
    if resolved:
        lines[0] += ",outcome,resolved_on"
    for i in range(start, start + count):
        made = date(2019, 1, 1) + timedelta(days=i % 2000)
        by = made + timedelta(days=90)
        row = (
            f"Heavy Author,Outlet {i % 50},https://n{i % 50}.example/{i // 10},{made},q{i},c{i},"
            f"{(i * 7919 % 997) / 997:.3f},{by},tag{i % 20};tag{i % 7}"
        )
        lines.append(row + (f",{'true' if i % 3 else 'false'},{by}" if resolved else ""))
    return ("\n".join(lines) + "\n").encode()


def load(url: str, count: int, *, resolved: bool, start: int = 0) -> None:
    engine = make_engine(Settings(database_url=url))
    with session_scope(engine) as session:
        imports.import_predictions(
            session=session,
            data=csv_rows(count, resolved=resolved, start=start),
            fmt=Format.csv,
            user_id=None,
            today=TODAY,
            max_rows=count + 1,
        )
    engine.dispose()


def track_times(url: str, runs: int) -> dict[str, tuple[float, float]]:
    """Median (CPU ms, wall ms) of the heavy author's track record, both ways."""
    engine = make_engine(Settings(database_url=url))
    with Session(engine) as session:
        author = session.scalars(select(Author)).one()
    found = {}
    for name, build in (("sums", service._from_sums), ("records", service._from_records)):
        cpu, wall = [], []
        for _ in range(runs):
            started, ticks = time.perf_counter(), time.process_time()
            with engine.connect() as connection:
                build(connection, author, service.TrackQuery()).model_dump_json()
            cpu.append((time.process_time() - ticks) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        found[name] = (statistics.median(cpu), statistics.median(wall))
    engine.dispose()
    return found


def upkeep_times(url: str, writes: int) -> tuple[list[float], list[float]]:
    """Milliseconds of the scoring subscriber, and of the whole verdict write, per verdict."""
    engine = make_engine(Settings(database_url=url))
    with engine.connect() as connection:
        ids = list(
            connection.scalars(
                select(col(Prediction.id))
                .where(col(Prediction.status) != Status.resolved)
                .order_by(col(Prediction.id))
                .limit(writes)
            )
        )
    spent: list[float] = []
    original = scoring_reactions.on_verdict

    def timed(event: events.VerdictRecorded) -> None:
        started = time.perf_counter()
        original(event)
        spent.append((time.perf_counter() - started) * 1000)

    handlers = events._handlers[events.VerdictRecorded]
    handlers[handlers.index(original)] = timed
    totals = []
    try:
        for n, prediction_id in enumerate(ids):
            started = time.perf_counter()
            with session_scope(engine) as session:
                prediction = session.get(Prediction, prediction_id)
                assert prediction is not None
                verdict = ResolutionIn(outcome="true" if n % 2 else "false")  # type: ignore[arg-type]
                resolutions.resolve(
                    session=session,
                    prediction=prediction,
                    verdict=verdict,
                    user=None,
                    today=TODAY,
                    now=datetime(2026, 12, 1, tzinfo=UTC),
                )
            totals.append((time.perf_counter() - started) * 1000)
    finally:
        handlers[handlers.index(timed)] = original
    engine.dispose()
    return spent, totals


def bench(name: str, url: str, args: argparse.Namespace) -> None:
    fresh(url)
    load(url, args.verdicts, resolved=True)
    load(url, args.writes, resolved=False, start=args.verdicts)
    times = track_times(url, args.runs)
    upkeep, totals = upkeep_times(url, args.writes)
    print(f"### {name}: one author, {args.verdicts:,} verdicts\n")
    print("| track record from | CPU ms (median) | wall ms (median) |")
    print("|---|---|---|")
    for how, (cpu, wall) in times.items():
        print(f"| {how} | {cpu:.1f} | {wall:.1f} |")
    print(
        f"\nScore upkeep on {len(upkeep)} verdicts: p50 {statistics.median(upkeep):.2f} ms, "
        f"p99 {sorted(upkeep)[int(len(upkeep) * 0.99) - 1]:.2f} ms of a whole verdict write "
        f"p50 {statistics.median(totals):.2f} ms (its own transaction, commit included).\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verdicts", type=int, default=10_000)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    reactions.install()
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite (file, WAL)", f"sqlite:///{tmp}/track.db", args)
    if args.postgres:
        bench("PostgreSQL (loopback)", args.postgres, args)


if __name__ == "__main__":
    main()
