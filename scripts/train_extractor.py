"""Train the learned decision of forecast extraction (app/extraction/model/decision.json).

Usage: python scripts/train_extractor.py [--out PATH] [--limit-docs N] [--record-test]

Reads every tests/data/extraction/*.jsonl, trains on the `train` and `dev` splits only (never
`test`): the rules propose candidates, each labelled with its row's is_forecast; a logistic
regression over features.py decides which are kept, one weight set with the dependency parse
and one for rules alone. The regularisation and the threshold are chosen by grouped 5-fold
cross-validation by document (GroupKFold) on F1 per row, and those out-of-fold figures are
recorded. The sentence model, a logistic regression over the word n-grams of the rows the rules
found nothing in, is chosen by leaving out one writer at a time (its words must carry to text
by another hand): the threshold that finds the most forecasts at a precision of at least 0.85.
`--record-test` also scores the frozen `test` split with the final weights and records the
figures (and the CI floor); run it once, at the end. Same data, same file, byte for byte.
"""

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from app.extraction import decide, parse  # noqa: E402
from app.extraction.evaluation import (  # noqa: E402
    Report,
    Row,
    corpus_files,
    data_sha256,
    load_rows,
)
from app.extraction.extract import Candidate, rule_candidates, uncued_candidates  # noqa: E402
from app.extraction.features import Features, sentence_features  # noqa: E402

CORPUS = REPO / "tests" / "data" / "extraction"
OUT = REPO / "app" / "extraction" / "model" / "decision.json"
FOLDS = 5
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
MIN_WEIGHT = 0.002
MIN_COUNT = 3
WORDS_MIN_COUNT = 8  # the decision's word n-grams: rarer ones remember a writer
WORDS_MIN_WEIGHT = 0.02
THRESHOLDS = tuple(round(t / 100, 2) for t in range(10, 91, 2))
PIPELINES: tuple[decide.Pipeline, ...] = ("parse", "rules")
SENTENCE_C_GRID = (0.3, 1.0, 3.0)
SENTENCE_THRESHOLDS = tuple(round(t / 100, 2) for t in range(50, 96, 5))
SENTENCE_PRECISION = 0.85
SENTENCE_MIN_WEIGHT = 0.02
SENTENCE_MIN_COUNT = 5  # rarer n-grams remember their writer; at 3 the file doubles for no gain


@dataclass
class Item:
    """One labelled row with the rules' candidates and their features for each pipeline."""

    row: Row
    candidates: list[Candidate]
    features: dict[str, list[Features]]
    uncued: list[Candidate]  # when the rules found nothing: the sentence model's candidates
    words: list[Features]  # and their n-grams


def items_of(rows: Sequence[Row], parser: parse.Parser) -> list[Item]:
    items = []
    for row in rows:
        published = date.fromisoformat(str(row["published_at"]))
        found = rule_candidates(str(row["text"]), published_at=published)
        feats = {"rules": decide.featurize(found, None), "parse": decide.featurize(found, parser)}
        uncued = [] if found else uncued_candidates(str(row["text"]), published_at=published)
        words = [sentence_features(c.sentence) for c in uncued]
        items.append(Item(row, found, feats, uncued, words))
    return items


def without_rare(items: list[Item]) -> list[Item]:
    """Features seen on fewer than MIN_COUNT training candidates are dropped: a cue's words met
    once or twice get a weight that only remembers those rows (and the file grows)."""
    for pipeline in PIPELINES:
        counts = Counter(name for item in items for row in item.features[pipeline] for name in row)
        for item in items:
            item.features[pipeline] = [
                {n: v for n, v in row.items() if counts[n] >= _least(n)}
                for row in item.features[pipeline]
            ]
    return items


def _least(name: str) -> int:
    return WORDS_MIN_COUNT if name.startswith("n:") else MIN_COUNT


Fitted = tuple[DictVectorizer, LogisticRegression]


def fit(items: Sequence[Item], pipeline: str, c: float) -> Fitted:
    x_rows = [f for item in items for f in item.features[pipeline]]
    y = [int(bool(item.row["is_forecast"])) for item in items for _ in item.candidates]
    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(x_rows)
    model = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    model.fit(x, np.array(y))
    return vec, model


def predict(fitted: Fitted, items: Sequence[Item], pipeline: str) -> list[list[float]]:
    vec, model = fitted
    out = []
    for item in items:
        rows = item.features[pipeline]
        out.append(list(model.predict_proba(vec.transform(rows))[:, 1]) if rows else [])
    return out


def tally(
    items: Sequence[Item],
    pipeline: str,
    probs: Sequence[Sequence[float]],
    threshold: float,
    uncued: Sequence[Sequence[Candidate]] | None = None,
) -> Report:
    """Rows scored with the candidates kept at a threshold (plain ones always, as decide.py),
    and the sentence model's when given."""
    report = Report()
    for at, (item, ps) in enumerate(zip(items, probs, strict=True)):
        feats = item.features[pipeline]
        kept = [
            c
            for c, p, f in zip(item.candidates, ps, feats, strict=True)
            if p >= threshold or decide.is_plain(f)
        ]
        report.add(item.row, kept + list(uncued[at] if uncued else []))
    return report


def cross_validated(
    items: Sequence[Item], pipeline: str, uncued: Sequence[Sequence[Candidate]]
) -> tuple[float, float, Report]:
    """The C and threshold with the best out-of-fold F1, and that out-of-fold report (with the
    sentence model's out-of-fold candidates)."""
    groups = [str(item.row["doc"]) for item in items]
    folds = list(GroupKFold(n_splits=FOLDS).split(items, groups=groups))
    best: tuple[float, float, float, float, Report] | None = None
    for c in C_GRID:
        probs: list[list[float]] = [[] for _ in items]
        for train_at, held_at in folds:
            fitted = fit([items[i] for i in train_at], pipeline, c)
            held = predict(fitted, [items[i] for i in held_at], pipeline)
            for i, ps in zip(held_at, held, strict=True):
                probs[i] = ps
        for t in THRESHOLDS:
            report = tally(items, pipeline, probs, t, uncued)
            key = (report.overall.f1(), report.overall.figures()["precision"])
            if best is None or key > (best[0], best[1]):
                best = (key[0], float(key[1]), c, t, report)
    assert best is not None
    return best[2], best[3], best[4]


def writer(row: Row) -> str:
    """Who wrote a row: its id's letters ('k0001' is writer k's)."""
    return str(row["id"]).rstrip("0123456789")


def fit_words(items: Sequence[Item], c: float) -> Fitted:
    """The sentence model on the rows' uncued sentences, n-grams met fewer than
    SENTENCE_MIN_COUNT times in these rows dropped."""
    counts = Counter(name for item in items for row in item.words for name in row)
    x_rows = [
        {n: v for n, v in row.items() if counts[n] >= SENTENCE_MIN_COUNT}
        for i in items
        for row in i.words
    ]
    y = [int(bool(item.row["is_forecast"])) for item in items for _ in item.words]
    vec = DictVectorizer(sort=True)
    model = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    model.fit(vec.fit_transform(x_rows), np.array(y))
    return vec, model


def sentence_model(
    items: Sequence[Item],
) -> tuple[dict[str, Any] | None, list[list[Candidate]]]:
    """The sentence model's weights, and each item's candidates it keeps out of fold; none when
    fewer than two writers are in the data or no threshold reaches SENTENCE_PRECISION."""
    at = [i for i, item in enumerate(items) if item.words]
    unread = [items[i] for i in at]
    kept: list[list[Candidate]] = [[] for _ in items]
    groups = [writer(i.row) for i in unread]
    if len(set(groups)) < 2:
        return None, kept
    folds = list(LeaveOneGroupOut().split(unread, groups=groups))
    best: tuple[int, float, float, float, list[list[float]]] | None = None
    for c in SENTENCE_C_GRID:
        probs: list[list[float]] = [[] for _ in unread]
        for train_at, held_at in folds:
            vec, model = fit_words([unread[i] for i in train_at], c)
            for i in held_at:
                probs[i] = list(model.predict_proba(vec.transform(unread[i].words))[:, 1])
        for t in SENTENCE_THRESHOLDS:
            hits, false = _sentence_hits(unread, probs, t)
            precision = hits / (hits + false) if hits + false else 0.0
            if precision >= SENTENCE_PRECISION and (best is None or (hits, precision) > best[:2]):
                best = (hits, precision, c, t, probs)
    if best is None:
        return None, kept
    hits, precision, c, t, probs = best
    for i, ps in zip(at, probs, strict=True):
        kept[i] = [cand for cand, p in zip(items[i].uncued, ps, strict=True) if p >= t]
    weights = weights_of(fit_words(unread, c), t, SENTENCE_MIN_WEIGHT)
    forecasts = sum(bool(i.row["is_forecast"]) for i in unread)
    weights |= {"C": c, "keep_plain": False}
    weights["cv"] = {
        "folds": "one writer left out at a time",
        "writers": len(folds),
        "rows": len(unread),
        "forecasts": forecasts,
        "found": hits,
        "false_hits": round(precision and hits / precision - hits),
        "precision": round(precision, 3),
    }
    return weights, kept


def _sentence_hits(
    unread: Sequence[Item], probs: Sequence[Sequence[float]], t: float
) -> tuple[int, int]:
    """Rows the sentence model keeps at a threshold: forecasts and false hits."""
    kept = [item for item, ps in zip(unread, probs, strict=True) if ps and max(ps) >= t]
    hits = sum(bool(item.row["is_forecast"]) for item in kept)
    return hits, len(kept) - hits


def weights_of(
    fitted: tuple[DictVectorizer, LogisticRegression],
    threshold: float,
    least: float = MIN_WEIGHT,
) -> dict[str, Any]:
    vec, model = fitted
    names = vec.get_feature_names_out()
    weights = {  # weights under `least` move no decision and would only grow the file
        str(n): round(float(w), 4)
        for n, w in zip(names, model.coef_[0], strict=True)
        if abs(float(w)) >= (WORDS_MIN_WEIGHT if str(n).startswith("n:") else least)
    }
    bias = round(float(model.intercept_[0]), 6)
    return {"bias": bias, "threshold": threshold, "weights": weights, "keep_plain": True}


def test_figures(
    rows: Sequence[Row], parser: parse.Parser, shipped: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The frozen split scored with the final weights, each pipeline, and the CI floors."""
    items = items_of(rows, parser)
    out: dict[str, Any] = {}
    words = _weights(shipped[decide.SENTENCE]) if decide.SENTENCE in shipped else None
    for pipeline in PIPELINES:
        weights = _weights(shipped[pipeline])
        report = Report()
        for item in items:
            feats = item.features[pipeline]
            kept = [c for c, f in zip(item.candidates, feats, strict=True) if weights.keeps(f)]
            if words is not None:
                kept += [c for c, f in zip(item.uncued, item.words, strict=True) if words.keeps(f)]
            report.add(item.row, kept)
        figures = report.figures()
        figures["floor_f1"] = math.floor(report.overall.f1() * 1000) / 1000
        out[pipeline] = figures
    out["rules_without_decision"] = all_kept(items).figures()
    return out


def _weights(w: dict[str, Any]) -> decide.Weights:
    return decide.Weights(w["bias"], w["weights"], w["threshold"], w["keep_plain"])


def all_kept(items: Sequence[Item]) -> Report:
    report = Report()
    for item in items:
        report.add(item.row, item.candidates)
    return report


def summary(rows: Sequence[Row]) -> dict[str, int]:
    return {
        "rows": len(rows),
        "docs": len({r["doc"] for r in rows}),
        "forecasts": sum(bool(r["is_forecast"]) for r in rows),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--limit-docs", type=int, default=0, help="train on the first N documents")
    ap.add_argument("--record-test", action="store_true", help="score the frozen split (once)")
    args = ap.parse_args()
    parser = parse.load(parse.DEFAULT_MODELS)
    if parser is None:
        sys.exit("training needs the nlp extra: pip install -e '.[dev,nlp]'")
    files = corpus_files(args.corpus)
    rows = load_rows(files)
    train = [r for r in rows if r["split"] in ("train", "dev")]
    if args.limit_docs:
        docs = sorted({r["doc"] for r in train})[: args.limit_docs]
        train = [r for r in train if r["doc"] in docs]
    items = without_rare(items_of(train, parser))
    words, uncued = sentence_model(items)
    pipelines: dict[str, Any] = {}
    cv: dict[str, Any] = {"rules_without_decision": all_kept(items).figures()}
    for pipeline in PIPELINES:
        c, threshold, report = cross_validated(items, pipeline, uncued)
        pipelines[pipeline] = weights_of(fit(items, pipeline, c), threshold)
        pipelines[pipeline]["C"] = c
        cv[pipeline] = report.figures()
    test = None
    if args.record_test:
        shipped = {**pipelines, decide.SENTENCE: words} if words else pipelines
        test = test_figures([r for r in rows if r["split"] == "test"], parser, shipped)
    model = {
        "about": "Learned decision over the rules' candidates; see docs/extraction.md.",
        "data_files": [f.name for f in files],
        "data_sha256": data_sha256(files),
        "training": {**summary(train), "splits": ["train", "dev"], "folds": FOLDS},
        "test_split": summary([r for r in rows if r["split"] == "test"]),
        "pipelines": pipelines,
        **({"sentence": words} if words else {}),
        "figures": {"cv": cv, "test": test},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    for pipeline in PIPELINES:
        o = cv[pipeline]["overall"]
        print(f"cv {pipeline}: P {o['precision']} R {o['recall']} F1 {o['f1']}")
    base = cv["rules_without_decision"]["overall"]
    print(
        f"cv rules, every candidate kept: P {base['precision']} R {base['recall']} F1 {base['f1']}"
    )
    print(f"sentence model, one writer left out: {words['cv'] if words else 'none'}")
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
