"""Benchmark: extract() on an article of about 1,500 words, sentence splitting included.

Usage: python scripts/bench_extract.py [--runs 100] [--words 1500] [--write docs/benchmarks.md]
The article is our own labelled sentences (tests/data/extraction-dev.jsonl) in file order, six
to a paragraph, until it reaches the word count; the example op-ed in ../shared is timed too
when it is there. Both pipelines: with the dependency parse (the nlp extra; the model is loaded
before timing) and rules alone, each with the learned decision. Prints the median and 95th
percentile of the runs after one warm-up run.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import time
from datetime import UTC, date, datetime
from pathlib import Path

from app.extraction import parse
from app.extraction.extract import extract

REPO = Path(__file__).resolve().parent.parent
DEV_SET = REPO / "tests" / "data" / "extraction-dev.jsonl"
OP_ED = REPO.parent / "shared" / "examples" / "seed-op-ed.txt"
PUBLISHED = date(2025, 3, 14)


def article(words: int) -> str:
    """Our own sentences, six to a paragraph, until the text has at least `words` words."""
    sentences, count = [], 0
    for line in DEV_SET.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        sentences.append(text)
        count += len(text.split())
        if count >= words:
            break
    paragraphs = [" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6)]
    return "\n\n".join(paragraphs)


def timings(text: str, runs: int, parser: parse.Parser | None) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per extract() call, after one call to warm up. CPU time
    says what the call costs when other processes share the cores; wall time what a user
    waits."""
    extract(text, published_at=PUBLISHED, parser=parser)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        extract(text, published_at=PUBLISHED, parser=parser)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def row(name: str, text: str, runs: int, parser: parse.Parser | None) -> str:
    """One table row: the text, the pipeline, its size, median and p95 in milliseconds."""
    ms, cpu = timings(text, runs, parser)
    candidates = len(extract(text, published_at=PUBLISHED, parser=parser))
    pipeline = "rules alone" if parser is None else "with the parse"
    return (
        f"| {name} | {pipeline} | {len(text.split()):,} | {candidates} "
        f"| {statistics.median(ms):.1f} | {percentile(ms, 0.95):.1f} "
        f"| {statistics.median(cpu):.1f} |"
    )


def machine() -> str:
    """Architecture, cores and Python version, as the other sections of benchmarks.md give them."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def commit() -> str:
    """The checked-out commit, short."""
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def section(rows: list[str], runs: int) -> str:
    """A Markdown section for docs/benchmarks.md."""
    today = datetime.now(UTC).date().isoformat()
    header = [
        f"## Forecast extraction of a ~1,500-word article — {today}, {machine()}",
        "",
        f"`python scripts/bench_extract.py --runs {runs}`: `extract()` end to end (pysbd",
        "sentence splitting, cues, filters, claims, deadlines, the learned decision; with the",
        "parse, spaCy en_core_web_sm 3.8.0 over the candidates' sentences), median and 95th",
        f"percentile of {runs} runs after a warm-up, in milliseconds, at commit {commit()}.",
        f"Target: under 300 ms median with the parse. Load average at the start: {load()}.",
        "",
        "| text | pipeline | words | candidates kept | median ms | p95 ms | median CPU ms |",
        "|---|---|---|---|---|---|---|",
    ]
    return "\n".join([*header, *rows]) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--words", type=int, default=1500)
    parser.add_argument("--write", type=Path, help="append the figures to this Markdown file")
    args = parser.parse_args()
    nlp = parse.load(parse.DEFAULT_MODELS)
    texts = [("own labelled sentences, 6 per paragraph", article(args.words))]
    if OP_ED.exists():
        texts.append(("example op-ed (../shared)", OP_ED.read_text(encoding="utf-8")))
    parsers = [nlp, None] if nlp is not None else [None]
    rows = [row(name, text, args.runs, p) for name, text in texts for p in parsers]
    text = section(rows, args.runs)
    print(text)
    if args.write:
        with args.write.open("a", encoding="utf-8") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
