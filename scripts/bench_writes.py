"""Benchmark: writes per second with 8 parallel writers, before and after a change.

Usage:
    python scripts/bench_writes.py [--before cf4f444] [--after COMMIT] [--writers 8]
        [--seconds 10] [--rounds 2] [--workers 1] [--postgres URL] [--write docs/benchmarks.md]

The old code runs from a temporary `git worktree` of --before (removed at the end), the new
from this checkout (or a worktree of --after), both with this venv. For SQLite (a temporary
file) and PostgreSQL (--postgres, default $HINDSIGHT_TEST_DATABASE_URL; its public schema is
dropped and recreated for every run), each round and each version gets a fresh database
migrated by that version's own code, an editor key from its CLI, and --workers uvicorn
workers on a loopback port.
Each writer logs one prediction first (creating its own author and source), opens its
connection, and waits at a shared barrier; then, for --seconds, it writes in a loop: three
new predictions for its own author, then a verdict on the oldest of them still open.
Versions alternate within a round, so both see the same machine. Afterwards `hindsight scores
verify` runs with that version's code. Only 127.0.0.1 is targeted.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from benchlib import free_port, wait_until_up
from sqlalchemy import text

from app.config import Settings
from app.db import make_engine

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0
VERDICT_EVERY = 4  # every fourth write is a verdict: three predictions, then one verdict


@dataclass
class Run:
    """One version's writes on one database in one round."""

    version: str
    writes: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    verdicts: int = 0
    failures: dict[int, int] = field(default_factory=dict)
    verify: str = ""

    @property
    def rate(self) -> float:
        return self.writes / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Tree:
    """A checkout of the code to run: its label and directory."""

    label: str
    path: Path


def _env(tree: Tree, url: str) -> dict[str, str]:
    return os.environ | {
        "PYTHONPATH": str(tree.path),
        "HINDSIGHT_DATABASE_URL": url,
        "HINDSIGHT_SCHEDULER_EMBEDDED": "false",
    }


def _cli(tree: Tree, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from app.cli import app; app()", *args]
    return subprocess.run(
        command, cwd=tree.path, env=_env(tree, url), capture_output=True, text=True, check=False
    )


def _empty(url: str) -> None:
    engine = make_engine(Settings(database_url=url))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def prepare(tree: Tree, url: str) -> str:
    """A fresh database migrated by the tree's own code; returns an editor key."""
    _empty(url)
    migrated = _cli(tree, url, "db", "upgrade")
    if migrated.returncode:
        raise SystemExit(f"{tree.label}: migration failed\n{migrated.stderr}")
    issued = _cli(tree, url, "keys", "create", "--email", "bench@example.org", "-q")
    if issued.returncode:
        raise SystemExit(f"{tree.label}: key failed\n{issued.stderr}")
    return issued.stdout.strip().splitlines()[-1]


@contextmanager
def server(tree: Tree, url: str, workers: int) -> Iterator[str]:
    """Uvicorn workers running the tree's code on a free loopback port."""
    port = free_port()
    args = ["--factory", "--workers", str(workers), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:create_app", *args, "--log-level", "warning"],
        cwd=tree.path,
        env=_env(tree, url),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, START_TIMEOUT)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Writer:
    """One editor writing predictions for one author, and verdicts on them."""

    def __init__(self, base: str, key: str, n: int) -> None:
        self.client = httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=120.0
        )
        self.n = n
        self.open: list[int] = []
        self.count = 0
        self.latencies_ms: list[float] = []
        self.failures: dict[int, int] = {}
        self.verdicts = 0
        first = self._post("/api/v1/predictions", self._prediction(None))
        if first.status_code != 201:
            raise SystemExit(f"warm-up write failed: {first.status_code} {first.text}")
        body = first.json()
        self.author, self.source_id = body["author"], body["source_id"]
        self.open.append(int(body["id"]))

    def _prediction(self, source_id: int | None) -> dict[str, object]:
        self.count += 1
        source: object = source_id or {
            "url": f"https://bench.example/{self.n}",
            "title": f"Writer {self.n}",
            "published_at": "2025-01-15T00:00:00Z",
        }
        return {
            "author": {"name": f"Bench Writer {self.n}"},
            "source": source,
            "quote": f"writer {self.n} says {self.count}",
            "claim": f"Claim {self.count} of writer {self.n}.",
            "probability": 0.6,
            "resolve_by": "2025-06-30",
        }

    def _post(self, path: str, body: dict[str, object]) -> httpx.Response:
        return self.client.post(path, json=body)

    def run(self, start: threading.Barrier, until: list[float]) -> None:
        start.wait()
        i = 0
        while time.monotonic() < until[0]:
            i += 1
            began = time.perf_counter()
            if i % VERDICT_EVERY == 0 and self.open:
                pid = self.open.pop(0)
                outcome = "true" if pid % 2 else "false"
                response = self._post(f"/api/v1/predictions/{pid}/resolution", {"outcome": outcome})
                self.verdicts += response.status_code == 201
            else:
                response = self._post("/api/v1/predictions", self._prediction(self.source_id))
                if response.status_code == 201:
                    self.open.append(int(response.json()["id"]))
            self.latencies_ms.append((time.perf_counter() - began) * 1000)
            if response.status_code != 201:
                self.failures[response.status_code] = self.failures.get(response.status_code, 0) + 1


def measure(tree: Tree, url: str, writers: int, seconds: float, workers: int) -> Run:
    """Fresh database, a server, `writers` threads writing for `seconds`; then verify."""
    key = prepare(tree, url)
    run = Run(tree.label)
    with server(tree, url, workers) as base:
        crew = [Writer(base, key, n) for n in range(writers)]
        start = threading.Barrier(writers + 1)
        until = [0.0]
        threads = [threading.Thread(target=w.run, args=(start, until)) for w in crew]
        for thread in threads:
            thread.start()
        until[0] = time.monotonic() + seconds
        began = time.monotonic()
        start.wait()
        for thread in threads:
            thread.join()
        run.seconds = time.monotonic() - began
        for writer in crew:
            run.writes += len(writer.latencies_ms) - sum(writer.failures.values())
            run.latencies_ms += writer.latencies_ms
            run.verdicts += writer.verdicts
            for status, count in writer.failures.items():
                run.failures[status] = run.failures.get(status, 0) + count
            writer.client.close()
    verified = _cli(tree, url, "scores", "verify")
    run.verify = "clean" if verified.returncode == 0 else "MISMATCH"
    return run


@contextmanager
def worktree(commit: str) -> Iterator[Path]:
    """A detached checkout of the commit in a temporary directory, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="hindsight-before-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(path), commit], cwd=REPO, check=True)
    try:
        yield path
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(path)], cwd=REPO, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", default="cf4f444", help="The commit to compare against.")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes.")
    parser.add_argument("--after", help="A commit to run instead of this checkout.")
    parser.add_argument("--postgres", default=os.environ.get("HINDSIGHT_TEST_DATABASE_URL"))
    parser.add_argument("--write", type=Path, help="Append the figures to this Markdown file.")
    args = parser.parse_args()
    results: dict[str, list[Run]] = {}
    with (
        worktree(args.before) as old,
        worktree(args.after) if args.after else nullcontext(REPO) as new,
        tempfile.TemporaryDirectory() as tmp,
    ):
        trees = [
            Tree(f"before ({args.before})", old),
            Tree(f"after ({args.after or revision()})", new),
        ]
        databases = {"SQLite (file, WAL)": f"sqlite:///{Path(tmp) / 'bench.db'}"}
        if args.postgres:
            databases[postgres_name(args.postgres)] = args.postgres
        for name, url in databases.items():
            for round_ in range(args.rounds):
                for tree in trees if round_ % 2 == 0 else trees[::-1]:
                    run = measure(tree, url, args.writers, args.seconds, args.workers)
                    print(f"{name} round {round_ + 1} {run.version}: {run.rate:.1f} writes/s")
                    results.setdefault(name, []).append(run)
                    if url.startswith("sqlite"):
                        for suffix in ("", "-wal", "-shm"):
                            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    report = render(results, trees, args)
    print(report)
    if args.write:
        with args.write.open("a", encoding="utf-8") as handle:
            handle.write(report)


def postgres_name(url: str) -> str:
    engine = make_engine(Settings(database_url=url))
    with engine.connect():
        major = (engine.dialect.server_version_info or (0,))[0]
    engine.dispose()
    return f"PostgreSQL {major} (loopback)"


def revision() -> str:
    """The commit measured, flagged when app/ differs from it."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "app", "migrations"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"{head or 'unknown'}{' with app/ modified' if changed else ''}"


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def render(results: dict[str, list[Run]], trees: list[Tree], args: argparse.Namespace) -> str:
    """The Markdown section: one row per database and version, and the ratio."""
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"\n## Parallel writers — {datetime.now(UTC):%Y-%m-%d}, {machine}\n",
        f"`python scripts/bench_writes.py --writers {args.writers} --seconds {args.seconds:g} "
        f"--rounds {args.rounds} --workers {args.workers}"
        + (f" --before {args.before} --after {args.after}" if args.after else "")
        + f"`: {args.writers} threads, each with its own connection "
        f"opened before a shared start, write for the duration against {args.workers} uvicorn "
        "worker(s) "
        "(three new predictions for the writer's own author, then a verdict on one of them). "
        "Writes/s counts 201s; the figure is the median over the rounds, each round on a fresh "
        "database, the two versions alternating.\n",
        "| database | version | writes/s (rounds) | p50 ms | p99 ms | verdicts | non-201 "
        "| `scores verify` |",
        "|---|---|---|---|---|---|---|---|",
    ]
    ratios = []
    for name, runs in results.items():
        medians = {}
        for tree in trees:
            mine = [r for r in runs if r.version == tree.label]
            latencies = [ms for r in mine for ms in r.latencies_ms]
            medians[tree.label] = statistics.median(r.rate for r in mine)
            failures: dict[int, int] = {}
            for r in mine:
                for status, count in r.failures.items():
                    failures[status] = failures.get(status, 0) + count
            lines.append(
                f"| {name} | {tree.label} | {medians[tree.label]:.1f} "
                f"({', '.join(f'{r.rate:.1f}' for r in mine)}) | "
                f"{statistics.median(latencies):.1f} | {percentile(latencies, 0.99):.1f} | "
                f"{sum(r.verdicts for r in mine)} | "
                f"{', '.join(f'{n} × {s}' for s, n in sorted(failures.items())) or '0'} | "
                f"{', '.join(sorted({r.verify for r in mine}))} |"
            )
        before, after = (medians[t.label] for t in trees)
        ratios.append(f"{name}: after ÷ before = **{after / before:.2f}**")
    lines += ["", *(f"- {ratio}" for ratio in ratios), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
