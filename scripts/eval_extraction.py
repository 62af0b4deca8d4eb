"""Measure forecast extraction on the labelled corpus (tests/data/extraction/*.jsonl).

Usage: python scripts/eval_extraction.py [--split train|dev|train+dev|test|all]
       [--pipeline parse|rules|both] [--file OLD.jsonl] [--cv] [--show-errors [--i-am-done]]

A row counts as detected when extract() keeps a candidate for its text. Probability (within
±0.15 of the label), deadline (exact date, null = null) and attribution are judged on the first
kept candidate of each correctly detected forecast. Figures come overall, by kind (recall for a
kind of forecast, the false-hit rate for a kind of negative) and by domain, for the dependency
parse pipeline and for rules alone. `--cv` prints the grouped cross-validation figures that
scripts/train_extractor.py recorded. The frozen `test` split is never tuned on: its errors are
listed only with `--i-am-done`. `--file tests/data/extraction-dev.jsonl` reads the old set.
"""

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.extraction import decide, parse  # noqa: E402
from app.extraction.evaluation import Report, Row, corpus_files, load_rows  # noqa: E402
from app.extraction.extract import extract  # noqa: E402

CORPUS = REPO / "tests" / "data" / "extraction"
SPLITS = {
    "train": {"train"},
    "dev": {"dev"},
    "train+dev": {"train", "dev"},
    "test": {"test"},
    "all": {"train", "dev", "test", "held_out"},
    "held_out": {"held_out"},
}


def chosen(rows: list[Row], split: str) -> list[Row]:
    return [r for r in rows if r["split"] in SPLITS[split]]


def evaluate(rows: list[Row], parser: parse.Parser | None) -> Report:
    """Extraction on each row's text, scored."""
    report = Report()
    for row in rows:
        published = date.fromisoformat(str(row["published_at"]))
        report.add(row, extract(str(row["text"]), published_at=published, parser=parser))
    return report


def print_figures(title: str, figures: dict[str, Any]) -> None:
    o = figures["overall"]
    print(f"\n## {title}: {o['rows']} rows, {o['forecasts']} forecasts")
    print(f"  precision {o['precision']:.3f}  recall {o['recall']:.3f}  F1 {o['f1']:.3f}")
    print(f"  tp {o['tp']}  fp {o['fp']}  fn {o['fn']}  tn {o['tn']}")
    print(
        f"  p within ±0.15 {o['p_within_015']:.3f}  deadline exact {o['deadline_exact']:.3f}"
        f"  attribution {o['attribution']:.3f}"
    )
    print("  by kind:")
    for kind, k in figures["by_kind"].items():
        share = (
            f"recall {k['recall']:.3f}" if "recall" in k else f"false hits {k['false_hits']:.3f}"
        )
        print(f"    {kind:22} {k['rows']:4}  {share}")
    print("  by domain:")
    for domain, d in figures["by_domain"].items():
        print(
            f"    {domain:22} {d['rows']:4}  P {d['precision']:.3f}  R {d['recall']:.3f}"
            f"  F1 {d['f1']:.3f}"
        )


def print_cv() -> None:
    model = json.loads(decide.MODEL.read_text(encoding="utf-8"))
    for name, figures in model["figures"]["cv"].items():
        print_figures(f"grouped {model['training']['folds']}-fold CV on train+dev, {name}", figures)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=sorted(SPLITS), default="train+dev")
    ap.add_argument("--pipeline", choices=["parse", "rules", "both"], default="both")
    ap.add_argument("--file", type=Path, help="one JSONL file instead of the corpus")
    ap.add_argument("--cv", action="store_true", help="print the recorded grouped-CV figures")
    ap.add_argument("--show-errors", action="store_true", help="list every miss and mistake")
    ap.add_argument("--i-am-done", action="store_true", help="allow errors of the test split")
    args = ap.parse_args()
    if args.cv:
        print_cv()
        return
    if args.show_errors and "test" in SPLITS[args.split] and not args.i_am_done:
        sys.exit("the test split is frozen: its errors are not shown while tuning (--i-am-done)")
    rows = chosen(load_rows([args.file] if args.file else corpus_files(CORPUS)), args.split)
    names = ["parse", "rules"] if args.pipeline == "both" else [args.pipeline]
    for name in names:
        parser = parse.load(parse.DEFAULT_MODELS) if name == "parse" else None
        if name == "parse" and parser is None:
            sys.exit("the parse pipeline needs the nlp extra: pip install -e '.[nlp]'")
        report = evaluate(rows, parser)
        print_figures(f"split {args.split}, {name}", report.figures())
        if args.show_errors:
            print("\n".join(report.overall.errors))


if __name__ == "__main__":
    main()
