"""Benchmark: 8 parallel writers with and without the Merkle log's append (issue 17).

Usage: python scripts/bench_log.py [--writers 8] [--seconds 10] [--postgres URL]
    [--write docs/benchmarks.md]

Each writer is a thread with its own connection calling the services as the API does (three
predictions, then a verdict on one of them; one transaction each). "without" replaces
`ledger.append` by a no-op; "with" is the code as shipped. The lock wait is how long
`SELECT … FROM log_head … FOR UPDATE` took; the hold is from its answer to the end of the
commit, the time the next writer queues behind. PostgreSQL only: SQLite serialises writers
on its database lock anyway.
"""

import argparse
import itertools
import os
import platform
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from benchlib import fresh
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app import reactions
from app.config import Settings
from app.db import make_engine, session_scope
from app.ledger import service as ledger
from app.models import Prediction
from app.predictions.schemas import PredictionCreate
from app.predictions.service import create_prediction
from app.resolutions.schemas import ResolutionIn
from app.resolutions.service import resolve

reactions.install()
TODAY = date(2026, 11, 25)
SERIAL = itertools.count()


class Timings:
    """Lock waits and holds of the log head, per connection."""

    def __init__(self, engine: Engine) -> None:
        self.waits: list[float] = []
        self.holds: list[float] = []
        self.lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        event.listen(engine, "commit", self._commit)

    def _before(self, conn: Any, _c: Any, statement: str, *_: Any) -> None:
        conn.info["began"] = time.perf_counter()

    def _after(self, conn: Any, _c: Any, statement: str, *_: Any) -> None:
        if "FROM log_head" in statement and "FOR UPDATE" in statement:
            now = time.perf_counter()
            with self.lock:
                self.waits.append(now - conn.info["began"])
            conn.info["locked"] = now

    def _commit(self, conn: Any) -> None:
        locked = conn.info.pop("locked", None)
        if locked is not None:
            with self.lock:
                self.holds.append(time.perf_counter() - locked)


def writer(
    engine: Engine, n: int, start: threading.Barrier, until: list[float], counts: list[int]
) -> None:
    open_ids: list[int] = []
    i = 0
    start.wait()
    while time.monotonic() < until[0]:
        i += 1
        with session_scope(engine) as session:
            if i % 4 == 0 and open_ids:
                prediction = session.get(Prediction, open_ids.pop(0))
                assert prediction is not None
                verdict = ResolutionIn(outcome="true", resolved_on=date(2025, 7, 1))
                resolve(
                    session=session, prediction=prediction, verdict=verdict, user=None, today=TODAY
                )
            else:
                data = PredictionCreate(
                    author={"name": f"Bench Writer {n}"},
                    source={"url": f"https://bench.example/{n}", "title": f"Writer {n}",
                            "published_at": "2025-01-15T00:00:00Z"},
                    quote=f"writer {n} says {next(SERIAL)}",
                    claim=f"Claim {i} of writer {n}.",
                    probability=0.6,
                    probability_basis="editor",
                    reason="bench",
                    resolve_by="2025-06-30",
                )  # fmt: skip
                made = create_prediction(session=session, data=data, user=None, today=TODAY)
                open_ids.append(made.id or 0)
        counts[n] += 1


@contextmanager
def without_log() -> Iterator[None]:
    original: Callable[..., list[int]] = ledger.append
    ledger.append = lambda **_: []  # type: ignore[assignment]
    try:
        yield
    finally:
        ledger.append = original  # type: ignore[assignment]


def measure(url: str, writers: int, seconds: float) -> dict[str, float]:
    fresh(url)
    engine = make_engine(Settings(database_url=url, pool_timeout=60))
    timings = Timings(engine)
    for n in range(writers):  # each writer's author and source exist before the start
        writer(engine, n, threading.Barrier(1), [time.monotonic() + 0.001], [0] * writers)
    counts = [0] * writers
    start = threading.Barrier(writers)
    until = [time.monotonic() + 3600]
    threads = [
        threading.Thread(target=writer, args=(engine, n, start, until, counts))
        for n in range(writers)
    ]
    timings.waits.clear()
    timings.holds.clear()
    began = time.monotonic()
    until[0] = began + seconds
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    engine.dispose()
    ms = sorted(w * 1000 for w in timings.waits)
    held = sorted(h * 1000 for h in timings.holds)
    return {
        "writes": sum(counts),
        "rate": sum(counts) / elapsed,
        "wait_p50": statistics.median(ms) if ms else 0.0,
        "wait_p99": ms[int(len(ms) * 0.99)] if ms else 0.0,
        "hold_p50": statistics.median(held) if held else 0.0,
        "hold_p99": held[int(len(held) * 0.99)] if held else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--postgres", default=os.environ.get("HINDSIGHT_TEST_DATABASE_URL"))
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    if not args.postgres:
        raise SystemExit("give --postgres URL (its public schema is dropped and recreated)")
    results: dict[str, list[dict[str, float]]] = {"without the log": [], "with the log": []}
    for _ in range(args.rounds):
        with without_log():
            results["without the log"].append(measure(args.postgres, args.writers, args.seconds))
        results["with the log"].append(measure(args.postgres, args.writers, args.seconds))
    lines = render(results, args)
    print("\n".join(lines))
    if args.write:
        with args.write.open("a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")


def render(results: dict[str, list[dict[str, float]]], args: argparse.Namespace) -> list[str]:
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"\n## The Merkle log's append under {args.writers} parallel writers — "
        f"{datetime.now(UTC):%Y-%m-%d}, {machine}\n",
        f"`python scripts/bench_log.py --writers {args.writers} --seconds {args.seconds:g} "
        f"--rounds {args.rounds}` on PostgreSQL 15 (loopback), service calls in threads.\n",
        "| version | writes/s (rounds) | head lock wait p50 / p99 ms | lock held p50 / p99 ms |",
        "|---|---|---|---|",
    ]
    for name, runs in results.items():
        rates = ", ".join(f"{r['rate']:.1f}" for r in runs)
        median = statistics.median(r["rate"] for r in runs)
        last = runs[-1]
        lock = f"{last['wait_p50']:.2f} / {last['wait_p99']:.2f}" if last["wait_p50"] else "—"
        held = f"{last['hold_p50']:.2f} / {last['hold_p99']:.2f}" if last["hold_p50"] else "—"
        lines.append(f"| {name} | {median:.1f} ({rates}) | {lock} | {held} |")
    return lines


if __name__ == "__main__":
    main()
