"""The learned decision: which of the rules' candidates are kept.

A logistic regression over `features.py`, trained by `scripts/train_extractor.py` and shipped as
JSON (`model/decision.json`): two weight sets, one with the dependency parse and one for rules
alone. Inference is plain Python; scikit-learn is needed only to train. Without the file every
rule candidate is kept.
"""

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, TypeVar

from app.extraction import features
from app.extraction.parse import Parser, parse_all

C = TypeVar("C", bound=features.CandidateLike)

MODEL = Path(__file__).resolve().parent / "model" / "decision.json"
Pipeline = Literal["parse", "rules"]


@dataclass(frozen=True)
class Weights:
    """One weight set: a bias, a weight per feature name, and the threshold on p."""

    bias: float
    weights: dict[str, float]
    threshold: float

    def probability(self, values: features.Features) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * v for name, v in values.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


@lru_cache(maxsize=4)
def load_weights(path: Path = MODEL) -> dict[str, Weights]:
    """The shipped weight sets by pipeline name; none when no model has been trained."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: Weights(float(w["bias"]), dict(w["weights"]), float(w["threshold"]))
        for name, w in data["pipelines"].items()
    }


def featurize(
    candidates: Sequence[features.CandidateLike], parser: Parser | None
) -> list[features.Features]:
    """Each candidate's features; the sentences are parsed once, in one batch."""
    siblings = Counter(c.start for c in candidates)
    rows = [features.rule_features(c, siblings[c.start]) for c in candidates]
    if parser is not None and candidates:
        docs = parse_all(parser, [c.sentence for c in candidates])
        for row, candidate, doc in zip(rows, candidates, docs, strict=True):
            row.update(features.parse_features(candidate, doc))
    return rows


def pipeline_of(parser: Parser | None) -> Pipeline:
    return "rules" if parser is None else "parse"


def keep(candidates: Sequence[C], parser: Parser | None, path: Path = MODEL) -> list[C]:
    """The candidates the model keeps (all of them when there is no model)."""
    weights = load_weights(path).get(pipeline_of(parser))
    if weights is None or not candidates:
        return list(candidates)
    rows = featurize(candidates, parser)
    return [
        c
        for c, row in zip(candidates, rows, strict=True)
        if weights.probability(row) >= weights.threshold
    ]
