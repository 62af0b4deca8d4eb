"""Scoring extraction against labelled sentences (tests/data/extraction/*.jsonl).

Shared by `scripts/eval_extraction.py`, `scripts/train_extractor.py` and the CI floor. A row
counts as detected when at least one candidate is kept for its text; probability (within
±0.15), deadline (exact, null = null) and attribution are judged on the first kept candidate of
each correctly detected forecast.
"""

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.extraction.features import CandidateLike

Row = dict[str, Any]
TOLERANCE = 0.15


def corpus_files(directory: Path) -> list[Path]:
    """The corpus files, in name order."""
    return sorted(directory.glob("*.jsonl"))


def load_rows(files: Iterable[Path]) -> list[Row]:
    """Every labelled row of the files, in order."""
    rows: list[Row] = []
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines()
        rows += [json.loads(line) for line in lines if line.strip()]
    return rows


def data_sha256(files: Iterable[Path]) -> str:
    """One hash over the files' names and bytes, in name order."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: p.name):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class Tally:
    """Detection and detail counts over some rows, and what went wrong."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    p_right: int = 0
    p_total: int = 0
    date_right: int = 0
    who_right: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, row: Row, kept: Sequence[CandidateLike]) -> None:
        """Judge one row given the candidates kept for its text."""
        label = bool(row["is_forecast"])
        if label and not kept:
            self.fn += 1
            self.errors.append(f"missed     {row['id']} [{row.get('kind')}]: {row['text']}")
        elif not label and kept:
            self.fp += 1
            self.errors.append(
                f"false hit  {row['id']} [{row.get('kind')}]: {row['text']} {kept[0].reasons[:1]}"
            )
        elif not label:
            self.tn += 1
        else:
            self.tp += 1
            self._details(row, kept[0])

    def _details(self, row: Row, first: Any) -> None:
        if row.get("probability") is not None:
            self.p_total += 1
            if abs(first.probability - float(row["probability"])) <= TOLERANCE:
                self.p_right += 1
            else:
                self.errors.append(
                    f"p {first.probability:.2f} vs {row['probability']}  {row['id']}"
                )
        resolve_by = first.resolve_by.isoformat() if first.resolve_by else None
        if resolve_by == row.get("resolve_by"):
            self.date_right += 1
        else:
            self.errors.append(f"date {resolve_by} vs {row.get('resolve_by')}  {row['id']}")
        if same_holder(first.attributed_to, row.get("attributed_to")):
            self.who_right += 1
        else:
            self.errors.append(
                f"who {first.attributed_to!r} vs {row.get('attributed_to')!r}  {row['id']}"
            )

    def figures(self) -> dict[str, float | int]:
        """Precision, recall, F1 and the detail shares, rounded to 3 places."""
        return {
            "rows": self.tp + self.fp + self.fn + self.tn,
            "forecasts": self.tp + self.fn,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "precision": round(ratio(self.tp, self.tp + self.fp), 3),
            "recall": round(ratio(self.tp, self.tp + self.fn), 3),
            "f1": round(self.f1(), 3),
            "p_within_015": round(ratio(self.p_right, self.p_total), 3),
            "deadline_exact": round(ratio(self.date_right, self.tp), 3),
            "attribution": round(ratio(self.who_right, self.tp), 3),
        }

    def f1(self) -> float:
        return ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)


def same_holder(found: str | None, label: object) -> bool:
    """Attribution matches when both are None or one name contains the other (any case)."""
    if found is None or label is None:
        return found is None and label is None
    a, b = found.lower().removeprefix("the "), str(label).lower().removeprefix("the ")
    return a in b or b in a


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass
class Report:
    """Tallies overall, by kind and by domain."""

    overall: Tally = field(default_factory=Tally)
    by_kind: dict[str, Tally] = field(default_factory=dict)
    by_domain: dict[str, Tally] = field(default_factory=dict)

    def add(self, row: Row, kept: Sequence[CandidateLike]) -> None:
        self.overall.add(row, kept)
        self.by_kind.setdefault(str(row.get("kind")), Tally()).add(row, kept)
        self.by_domain.setdefault(str(row.get("domain")), Tally()).add(row, kept)

    def figures(self) -> dict[str, Any]:
        return {
            "overall": self.overall.figures(),
            "by_kind": {k: kind_figures(t) for k, t in sorted(self.by_kind.items())},
            "by_domain": {k: t.figures() for k, t in sorted(self.by_domain.items())},
        }


def kind_figures(tally: Tally) -> dict[str, float | int]:
    """For a kind of forecast its recall; for a kind of negative its false-hit rate."""
    rows = tally.tp + tally.fp + tally.fn + tally.tn
    if tally.tp + tally.fn:
        return {"rows": rows, "recall": round(ratio(tally.tp, tally.tp + tally.fn), 3)}
    return {"rows": rows, "false_hits": round(ratio(tally.fp, rows), 3)}
