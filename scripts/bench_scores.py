"""Benchmark: track record, leaderboard and `scores verify` over 1M generated predictions.

Usage:
    python scripts/bench_scores.py [--predictions 1000000] [--authors 10000]
        [--postgres URL] [--write docs/benchmarks.md]
    python scripts/bench_scores.py --predictions 20000 --authors 500   # a quick dry run

For SQLite (a temporary file, or --sqlite PATH) and then PostgreSQL (--postgres, default
$HINDSIGHT_TEST_DATABASE_URL; its public schema is dropped and recreated), it generates the
predictions, imports them in chunks of --chunk rows (one transaction each), times
`hindsight scores verify`, then for each --workers count (default 1 and 2) serves the baseline
(scripts/bare_app.py, a minimal async FastAPI endpoint) and then the app with the same uvicorn
flags, and drives each with wrk at 32 connections: the app's `/healthz`, track records
(uncached: each request a different author; cached: 1,000 authors after warm-up passes) and
the top-100 leaderboard (new min_resolved/offset keys; cached; new tag + outlet filters).
Every figure is also printed as a ratio to the baseline; with --write the section is appended
to a Markdown file. --reuse measures the data an earlier run left (--sqlite PATH; the
PostgreSQL database keeps its data), --no-sqlite measures PostgreSQL only.
Needs `wrk` (Debian: `apt-get install -y wrk`). Only 127.0.0.1 is targeted.
"""

import argparse
import csv
import io
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path

import httpx
from benchlib import free_port, fresh, wait_until_up
from sqlalchemy import func, select, text
from sqlmodel import col

from app import reactions
from app.config import Settings
from app.db import make_engine, session_scope
from app.models import Author, Prediction, Status
from app.predictions import imports
from app.predictions.columns import COLUMNS, Format
from app.scoring import rows as score_rows

HEDGES = ["likely", "almost certainly", "unlikely", "probably", "will", "won't"]
CONNECTIONS = 32
THREADS = 2
WARM_AUTHORS = 1000
SEQUENTIAL_LEADERBOARDS = 20
START_TIMEOUT = 300.0
SETTLE_TIMEOUT = 300.0
REPO = Path(__file__).resolve().parent.parent
TRACK = "/api/v1/authors/{slug}/track-record"
BOARD = "/api/v1/leaderboard?limit=100"
APP = "app.main:create_app"
UVICORN_FLAGS = ["--loop", "uvloop", "--http", "httptools", "--log-level", "warning"]
TARGETS = {"track_cold": 0.3, "track_cached": 0.7, "board_cold": 0.3, "board_filter": 0.3}
P99_TARGET_MS = 50.0
# Each wrk thread takes every THREADS-th path from its own offset, so the two threads never
# send the same path in one pass over the list. Requests come through a trusted proxy on behalf
# of many clients (documentation addresses, a /64 each), as behind a real proxy: the per-address
# rate limit still counts every request but stops none.
LUA = """
local paths = {%s}
local counter = 0
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end
local n = 0
request = function()
  local i = (n * %d + offset) %% #paths + 1
  n = n + 1
  local client = string.format("2001:db8:%%x:%%x::1", offset, n %% 65536)
  return wrk.format("GET", paths[i], {["X-Forwarded-For"] = client})
end
"""


@dataclass
class Load:
    """What wrk measured for one endpoint."""

    label: str
    paths: int
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    failures: int
    cpu: tuple[float, float, float] = (0.0, 0.0, 0.0)


@dataclass
class Run:
    """The loads of one server configuration (a number of uvicorn workers)."""

    workers: int
    loads: dict[str, Load] = field(default_factory=dict)
    cold_track_ms: list[float] = field(default_factory=list)
    cold_board_ms: list[float] = field(default_factory=list)
    filter_board_ms: list[float] = field(default_factory=list)
    first_board_ms: float = 0.0


@dataclass
class Database:
    """Everything measured on one database."""

    name: str
    import_s: float | None = None
    verify_s: float = 0.0
    refresh_s: float = 0.0
    mismatches: int = 0
    predictions: int = 0
    resolved: int = 0
    authors: int = 0
    runs: list[Run] = field(default_factory=list)
    revision: str = ""


def generate(start: int, count: int, *, authors: int, today: date, rng: random.Random) -> bytes:
    """`count` CSV rows from row `start` on: random authors, 10 rows a source, 60% resolved."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i in range(start, start + count):
        source = i // 10
        made = today - timedelta(days=rng.randrange(400, 2600))
        resolved = rng.random() < 0.6
        if resolved or rng.random() < 0.5:
            resolve_by = made + timedelta(days=rng.randrange(30, 365))
        else:
            resolve_by = today + timedelta(days=rng.randrange(30, 700))
        row = {
            "author": f"Author {rng.randrange(authors)}",
            "outlet": f"Outlet {source % 50}",
            "source_url": f"https://news{source % 50}.example/{source}",
            "source_title": f"Article {source}",
            "published_at": made.isoformat(),
            "quote": f"quote number {i} says it will happen",
            "claim": f"Event {i} happens.",
            "probability": f"{rng.random():.3f}" if i % 3 else "",
            "hedge": "" if i % 3 else rng.choice(HEDGES),
            "resolve_by": resolve_by.isoformat(),
            "tags": f"tag{i % 20};tag{i % 7}",
            "outcome": rng.choice(["true", "false"]) if resolved else "",
            "resolved_on": resolve_by.isoformat() if resolved else "",
        }
        writer.writerow([row.get(name, "") for name in COLUMNS])
    return out.getvalue().encode()


def populate(url: str, *, predictions: int, authors: int, chunk: int) -> float:
    """Import the generated predictions chunk by chunk; returns the seconds spent importing."""
    fresh(url)
    engine = make_engine(Settings(database_url=url))
    today = datetime.now(UTC).date()
    rng = random.Random(7)
    spent = 0.0
    for start in range(0, predictions, chunk):
        count = min(chunk, predictions - start)
        data = generate(start, count, authors=authors, today=today, rng=rng)
        started = time.perf_counter()
        with session_scope(engine) as session:
            imports.import_predictions(
                session=session,
                data=data,
                fmt=Format.csv,
                user_id=None,
                today=today,
                max_rows=chunk,
            )
        spent += time.perf_counter() - started
        done = min(start + chunk, predictions)
        print(f"  imported {done:,} rows, {spent:.0f} s", flush=True)
    if engine.dialect.name == "postgresql":
        # What autovacuum would do soon after a bulk load: statistics and the visibility map.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return spent


def hindsight(url: str, *command: str) -> None:
    """Run the `hindsight` command line on this database, as a user would."""
    env = os.environ | {"HINDSIGHT_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "app.cli", *command], cwd=REPO, env=env, check=True)


def store_track_records(url: str) -> float:
    """What a user does after an import: `hindsight db upgrade` (reused data may predate the
    stored track records), then `hindsight scores refresh`; returns the refresh's seconds."""
    hindsight(url, "db", "upgrade")
    started = time.perf_counter()
    hindsight(url, "scores", "refresh")
    return time.perf_counter() - started


def describe(url: str, result: Database) -> list[str]:
    """Fill in the data's counts and time `scores verify`; returns every author slug."""
    engine = make_engine(Settings(database_url=url))
    with engine.connect() as connection:
        result.predictions = connection.scalar(select(func.count(col(Prediction.id)))) or 0
        result.resolved = (
            connection.scalar(
                select(func.count(col(Prediction.id))).where(
                    col(Prediction.status) == Status.resolved
                )
            )
            or 0
        )
        slugs = list(connection.scalars(select(col(Author.slug)).order_by(col(Author.id))))
        started = time.perf_counter()
        result.mismatches = len(score_rows.mismatches(connection))
        result.verify_s = time.perf_counter() - started
    engine.dispose()
    result.authors = len(slugs)
    return slugs


@dataclass(frozen=True)
class Server:
    """A running uvicorn: where it listens and its process id."""

    base: str
    pid: int


@contextmanager
def server(url: str, *, workers: int, bare: bool = False) -> Iterator[Server]:
    """uvicorn on a free loopback port: the app on this database, or (bare) the baseline
    `scripts/bare_app.py`, with the same flags either way."""
    port = free_port()
    env = os.environ | {
        "HINDSIGHT_DATABASE_URL": url,
        "HINDSIGHT_PUBLIC_READS": "true",
        "HINDSIGHT_TRUSTED_PROXIES": "127.0.0.1",
    }
    target = ["--app-dir", "scripts", "bare_app:app"] if bare else ["--factory", APP]
    flags = ["--workers", str(workers), "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", *target, *flags, *UVICORN_FLAGS],
        cwd=REPO,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, START_TIMEOUT)
        yield Server(base, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def busy_ticks() -> int:
    """CPU ticks the whole machine has spent busy since boot."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return user + nice + system + irq + softirq + steal


def process_ticks(pid: int) -> int:
    """CPU ticks (user and system) the process and its worker children have spent."""
    total = 0
    for each in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def children(pid: int) -> list[int]:
    """The process's direct children (uvicorn's workers)."""
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(n) for n in found.read_text().split()] if found.exists() else []


def children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def settle(server: Server) -> None:
    """Wait until the server has finished what an earlier run left in flight (wrk stops
    waiting when its time is up; the server still computes what was asked)."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline:
        before = process_ticks(server.pid)
        time.sleep(0.5)
        if process_ticks(server.pid) - before <= os.sysconf("SC_CLK_TCK") * 0.05:
            return
    raise SystemExit(f"the server stayed busy for {SETTLE_TIMEOUT:.0f} s after a run")


def wrk(server: Server, label: str, paths: list[str], seconds: int) -> Load:
    """Drive the server with wrk over the paths, round-robin, and parse what it reports;
    also how many cores the server, wrk and everything else kept busy meanwhile."""
    quoted = ",".join(f'"{path}"' for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (quoted, THREADS))
    options = [f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s"]
    settle(server)
    before = (time.monotonic(), busy_ticks(), process_ticks(server.pid), children_seconds())
    try:
        completed = subprocess.run(
            ["wrk", *options, "--latency", "-s", script.name, server.base],
            capture_output=True,
            text=True,
            timeout=seconds + 90,
            check=True,
        )
    finally:
        os.unlink(script.name)
    elapsed = time.monotonic() - before[0]
    tick = os.sysconf("SC_CLK_TCK") * elapsed
    busy = (busy_ticks() - before[1]) / tick
    served = (process_ticks(server.pid) - before[2]) / tick
    loader = (children_seconds() - before[3]) / elapsed
    load = parse_wrk(completed.stdout, label, len(paths))
    load.cpu = (served, loader, max(0.0, busy - served - loader))
    print(
        f"  {label}: {load.rps:,.0f} req/s, p50 {load.p50_ms:.1f} ms, p99 {load.p99_ms:.1f} ms"
        f" ({load.requests:,} requests, {load.failures} failed; cores busy: server "
        f"{load.cpu[0]:.2f}, wrk {load.cpu[1]:.2f}, other {load.cpu[2]:.2f})",
        flush=True,
    )
    return load


def parse_wrk(output: str, label: str, paths: int) -> Load:
    """Requests/s, the 50th and 99th percentile latencies and the failures from wrk's text."""

    def number(pattern: str) -> str:
        found = re.search(pattern, output)
        if found is None:
            raise SystemExit(f"cannot find {pattern!r} in wrk's output:\n{output}")
        return found.group(1)

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    failures = sum(int(n) for n in errors.groups()) if errors else 0
    return Load(
        label=label,
        paths=paths,
        requests=int(number(r"(\d+) requests in")),
        rps=float(number(r"Requests/sec:\s+([\d.]+)")),
        p50_ms=milliseconds(number(r"50%\s+([\d.]+\w+)")),
        p99_ms=milliseconds(number(r"99%\s+([\d.]+\w+)")),
        failures=failures + (int(non_2xx.group(1)) if non_2xx else 0),
    )


def milliseconds(value: str) -> float:
    """wrk's '812.00us', '4.21ms', '1.02s' or '1.50m' in milliseconds."""
    amount, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(amount) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def one_at_a_time(base: str, paths: list[str], *, fresh: bool = False) -> list[float]:
    """Each path requested once, in turn (on a new connection each when fresh); the
    client-side milliseconds of each."""
    times = []
    with httpx.Client(base_url=base, timeout=30.0) as client:
        for n, path in enumerate(paths):
            headers = {"X-Forwarded-For": f"2001:db8:ffff:{n % 65536:x}::1"}
            started = time.perf_counter()
            if fresh:
                httpx.get(base + path, headers=headers, timeout=30.0).raise_for_status()
            else:
                client.get(path, headers=headers).raise_for_status()
            times.append((time.perf_counter() - started) * 1000)
    return times


def measure_bare(url: str, run: Run, seconds: int) -> None:
    """The baseline: bare_app.py's async JSON endpoint under the same uvicorn flags."""
    with server(url, workers=run.workers, bare=True) as running:
        run.loads["baseline"] = wrk(
            running, "minimal async FastAPI endpoint", ["/healthz"], seconds
        )


def measure(server: Server, slugs: list[str], run: Run, seconds: int) -> None:
    """The app's loads, in one server (its workers), plus cold requests one at a time."""
    rng = random.Random(11)
    shuffled = rng.sample(slugs, len(slugs))
    warm = [TRACK.format(slug=s) for s in shuffled[: min(WARM_AUTHORS, len(slugs) // 2)]]
    cold = [TRACK.format(slug=s) for s in shuffled[len(warm) :]]
    board_keys = [f"{BOARD}&min_resolved={m}&offset={o}" for o in range(100) for m in range(1, 11)]
    board_alone = [f"{BOARD}&min_resolved={m}" for m in range(11, 11 + SEQUENTIAL_LEADERBOARDS)]
    filters = [f"{BOARD}&tag=tag{t}&outlet=outlet-{o}" for t in range(20) for o in range(50)]
    rng.shuffle(filters)
    loads = run.loads
    # Nothing is cached yet: this one computes the per-author sums too.
    run.first_board_ms = one_at_a_time(server.base, [BOARD])[0]
    loads["bare"] = wrk(server, "the app's GET /healthz", ["/healthz"], seconds)
    loads["track_cold"] = wrk(server, "track record, uncached", cold, seconds)
    print(f"  warm-up: {len(warm)} track records, {2 * run.workers} passes", flush=True)
    settle(server)
    run.cold_track_ms = one_at_a_time(server.base, warm)
    for _ in range(2 * run.workers - 1):  # new connections, so every worker caches them
        one_at_a_time(server.base, warm, fresh=True)
    loads["track_cached"] = wrk(server, "track record, cached", warm, seconds)
    settle(server)
    run.cold_board_ms = one_at_a_time(server.base, board_alone)
    loads["board_cold"] = wrk(
        server, "leaderboard top 100, new min_resolved/offset", board_keys, seconds
    )
    loads["board_cached"] = wrk(server, "leaderboard top 100, cached", [BOARD], seconds)
    settle(server)
    run.filter_board_ms = one_at_a_time(server.base, filters[:SEQUENTIAL_LEADERBOARDS])
    loads["board_filter"] = wrk(
        server, "leaderboard top 100, new tag + outlet", filters[SEQUENTIAL_LEADERBOARDS:], seconds
    )


def bench(name: str, url: str, args: argparse.Namespace) -> Database:
    """Populate one database, verify its scores and load its endpoints."""
    print(f"{name}: {args.predictions:,} predictions by {args.authors:,} authors", flush=True)
    result = Database(name)
    if not args.reuse:
        result.import_s = populate(
            url, predictions=args.predictions, authors=args.authors, chunk=args.chunk
        )
    result.refresh_s = store_track_records(url)
    print(f"  hindsight scores refresh: {result.refresh_s:.1f} s", flush=True)
    slugs = describe(url, result)
    print(f"  scores verify: {result.verify_s:.1f} s, {result.mismatches} mismatches", flush=True)
    result.revision = revision()
    for workers in args.workers:
        print(f"  {workers} worker(s)", flush=True)
        run = Run(workers)
        measure_bare(url, run, args.seconds)
        with server(url, workers=workers) as running:
            measure(running, slugs, run, args.seconds)
        result.runs.append(run)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--predictions", type=int, default=1_000_000)
    parser.add_argument("--authors", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=100_000, help="Rows per import transaction.")
    parser.add_argument("--seconds", type=int, default=15, help="Duration of each wrk run.")
    parser.add_argument("--sqlite", type=Path, help="Keep the SQLite database at this path.")
    parser.add_argument("--postgres", default=os.environ.get("HINDSIGHT_TEST_DATABASE_URL"))
    parser.add_argument("--write", type=Path, help="Append the figures to this Markdown file.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Measure the data already there (needs --sqlite; PostgreSQL keeps its data).",
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-sqlite", action="store_true", help="Only PostgreSQL.")
    args = parser.parse_args()
    if args.reuse and args.sqlite is None and not args.no_sqlite:
        raise SystemExit("--reuse needs --sqlite PATH (the temporary database is gone)")
    reactions.install()  # the import announces its verdicts to scoring, as in the app
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        path = args.sqlite or Path(tmp) / "bench.db"
        if not args.no_sqlite:
            results.append(bench("SQLite (file, WAL)", f"sqlite:///{path}", args))
    if args.postgres:
        results.append(bench(postgres_name(args.postgres), args.postgres, args))
    report = render(results, args)
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


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def render(results: list[Database], args: argparse.Namespace) -> str:
    """The Markdown section: data, import and verify times, tables per database and workers."""
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    first = results[0]
    lines = [
        f"\n## Scores at scale (issue 16) — {datetime.now(UTC):%Y-%m-%d}, {machine}\n",
        f"`python scripts/bench_scores.py --predictions {args.predictions} "
        f"--authors {args.authors} --workers {' '.join(map(str, args.workers))}`: uvicorn "
        f"`{' '.join(UVICORN_FLAGS)}` ({versions()}) and wrk `-t {THREADS} -c {CONNECTIONS} "
        f"-d {args.seconds}s --latency` on the same {os.cpu_count()} cores. Every ratio is to "
        "the baseline, `scripts/bare_app.py` (a minimal async FastAPI JSON endpoint) served "
        "with the same flags and worker count just before the app, in the same run. Plain "
        "GETs without If-None-Match. Cores busy: the server's processes / wrk / the rest "
        "(PostgreSQL's backends, other work on the machine).\n",
        f"Data: {first.predictions:,} predictions by {first.authors:,} authors "
        f"(about {first.predictions // max(first.authors, 1):,} each, uniformly at random), "
        f"{first.resolved:,} resolved true/false ({first.resolved / max(first.predictions, 1):.0%})"
        f", two tags each (of 20), 10 per source, 50 outlets.\n",
        "| database | import s | rows/s | `scores refresh` s | `scores verify` s | mismatches |",
        "|---|---|---|---|---|---|",
        *(
            f"| {r.name} | {imported(r)} | {r.refresh_s:.1f} | {r.verify_s:.1f} | {r.mismatches} |"
            for r in results
        ),
        "",
    ]
    for result in results:
        for run in result.runs:
            lines += table(result, run)
    lines += [
        "Before serving, the script runs `hindsight db upgrade` and `hindsight scores refresh` "
        "(the stored default track records), as a user would after an import. "
        "Uncached track records: each request names a different author (a repeat only once "
        "the requests outnumber the 9,000 authors), not yet in the process's caches. "
        "Cached: 1,000 authors after warm-up passes on new connections, so every worker has "
        "them. Leaderboard, new "
        "min_resolved/offset: 1,000 keys, each a response-cache miss (the ranking is reused "
        "per scores version). New tag + outlet: 1,000 combinations of tag and outlet, each "
        "seen once. Before each load the script waits for the server to fall idle.\n",
    ]
    return "\n".join(lines)


def imported(result: Database) -> str:
    if result.import_s is None:
        return "— | — (data reused)"
    return f"{result.import_s:.0f} | {result.predictions / result.import_s:,.0f}"


def revision() -> str:
    """The commit measured, flagged when app/ differs from it."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "app"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"{head or 'unknown'}{' with app/ modified' if changed else ''}"


def versions() -> str:
    names = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "orjson")
    return ", ".join(f"{name} {metadata.version(name)}" for name in names)


def table(result: Database, run: Run) -> list[str]:
    """One database's endpoint table for one worker count, with its targets."""
    base = run.loads["baseline"].rps
    base_cpu = cpu_ms(run.loads["baseline"])
    rows = [
        f"| {load.label} | {load.rps:,.0f} | {load.p50_ms:.1f} | {load.p99_ms:.1f} | "
        f"{load.rps / base:.2f} | {cpu_ms(load):.2f} | {base_cpu / cpu_ms(load):.2f} | "
        f"{load.requests:,} ({load.paths:,}) | "
        f"{load.cpu[0]:.2f} / {load.cpu[1]:.2f} / {load.cpu[2]:.2f} |"
        + (f" {load.failures} failed" if load.failures else "")
        for load in run.loads.values()
    ]
    track, board, filtered = run.cold_track_ms, run.cold_board_ms, run.filter_board_ms
    return [
        f"### {result.name}, {run.workers} worker(s), commit {result.revision}\n",
        "| endpoint | req/s | p50 ms | p99 ms | ÷ baseline | CPU ms a request | baseline's "
        "CPU ÷ this | requests (distinct paths) | cores busy |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        f"One at a time (client-side): the first leaderboard after start {run.first_board_ms:.1f}"
        f" ms; new min_resolved p50 {statistics.median(board):.1f} ms; new tag + outlet p50 "
        f"{statistics.median(filtered):.1f} ms, max {max(filtered):.1f} ms; uncached track "
        f"record p50 {statistics.median(track):.1f} ms, p99 {percentile(track, 0.99):.1f} ms "
        f"over {len(track):,} authors.\n",
        *targets(run),
        "",
    ]


def targets(run: Run) -> list[str]:
    """A line per ratio target (and the p99 target with 2 workers): met or missed."""
    loads = run.loads
    base = loads["baseline"].rps
    lines = []
    for key, goal in TARGETS.items():
        load = loads[key]
        ratio = load.rps / base
        verdict = "met" if ratio >= goal else "missed"
        by_cpu = cpu_ms(loads["baseline"]) / cpu_ms(load)
        lines.append(
            f"- {load.label} ≥ {goal} × baseline: **{verdict}** ({ratio:.2f} × in req/s; "
            f"{by_cpu:.2f} × in server CPU a request: {cpu_ms(load):.2f} ms against "
            f"{cpu_ms(loads['baseline']):.2f} ms)."
        )
    if run.workers == 2:
        for key in ("track_cold", "track_cached", "board_cold", "board_cached", "board_filter"):
            load = loads[key]
            verdict = "met" if load.p99_ms < P99_TARGET_MS else "missed"
            lines.append(f"- p99 < 50 ms, {load.label}: **{verdict}** ({load.p99_ms:.1f} ms).")
    return lines


def cpu_ms(load: Load) -> float:
    """Milliseconds of server CPU per request."""
    return max(load.cpu[0] * 1000 / max(load.rps, 1e-9), 1e-6)


if __name__ == "__main__":
    main()
