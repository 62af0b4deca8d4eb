"""The learned decision: which of the rules' candidates are kept.

A logistic regression over `features.py`, trained by `scripts/train_extractor.py` and shipped as
JSON (`model/decision.json`): two weight sets, one with the dependency parse and one for rules
alone. Inference is plain Python; scikit-learn is needed only to train. A candidate in which no
feature hints at a look-alike (a schedule, a rule, volition, a question, a counterfactual, a
reaction, a meta-comment, advice, the past) is kept whatever the model says: the model is
trained to filter look-alikes, and short plain forecasts are rare in the corpus. Without the
file every rule candidate is kept.

A second, smaller logistic regression (the sentence model) reads the word n-grams of sentences
in which the rules found nothing, for forecasts that no cue knows ("Comcast is out of it, full
stop"). It is trained on such sentences only, and its threshold is set for precision.
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
SENTENCE = "sentence"


@dataclass(frozen=True)
class Weights:
    """One weight set: a bias, a weight per feature name, and the threshold on p."""

    bias: float
    weights: dict[str, float]
    threshold: float
    keep_plain: bool = True

    def keeps(self, values: features.Features) -> bool:
        """Kept when p reaches the threshold, or when nothing hints at a look-alike."""
        return (self.keep_plain and is_plain(values)) or self.probability(values) >= self.threshold

    def probability(self, values: features.Features) -> float:
        z = self.bias + sum(self.weights.get(name, 0.0) * v for name, v in values.items())
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))


@lru_cache(maxsize=4)
def load_weights(path: Path = MODEL) -> dict[str, Weights]:
    """The shipped weight sets by pipeline name, and the sentence model's as SENTENCE; none
    when no model has been trained."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    sets = dict(data["pipelines"])
    if "sentence" in data:
        sets[SENTENCE] = data["sentence"]
    return {
        name: Weights(
            float(w["bias"]), dict(w["weights"]), float(w["threshold"]), bool(w["keep_plain"])
        )
        for name, w in sets.items()
    }


def keeps_sentence(text: str, path: Path = MODEL) -> bool:
    """Whether the sentence model reads a sentence the rules found nothing in as a forecast."""
    weights = load_weights(path).get(SENTENCE)
    return weights is not None and weights.keeps(features.sentence_features(text))


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
    features.add_sentence_features(rows, [c.start for c in candidates])
    for row, candidate in zip(rows, candidates, strict=True):
        row.update(features.candidate_words(candidate.sentence))
    return rows


def pipeline_of(parser: Parser | None) -> Pipeline:
    return "rules" if parser is None else "parse"


def keep(candidates: Sequence[C], parser: Parser | None, path: Path = MODEL) -> list[C]:
    """The candidates the model keeps (all of them when there is no model)."""
    weights = load_weights(path).get(pipeline_of(parser))
    if weights is None or not candidates:
        return list(candidates)
    rows = featurize(candidates, parser)
    return [c for c, row in zip(candidates, rows, strict=True) if weights.keeps(row)]


def is_plain(values: features.Features) -> bool:
    """No sign of a look-alike, in the words nor (when parsed) in the parse."""
    return bool(values.get("no_red_flag")) and bool(values.get("parse:no_red_flag", 1.0))
