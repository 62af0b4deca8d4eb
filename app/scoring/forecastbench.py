"""ForecastBench's superforecaster forecasts: load, score as its leaderboard does, import.

Data: Karger et al., "ForecastBench: A Dynamic Benchmark of AI Forecasting Capabilities",
ICLR 2025, arXiv:2409.19839; datasets from github.com/forecastingresearch/forecastbench-
datasets under CC BY-SA 4.0. The leaderboard method (median per question, two halves
weighed equally, a t interval) follows its `src/leaderboard/main.py`, as summarised in the
data set's README. Everything here is pure: no database, no network.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.scoring import rules

DUE_DATE = "2024-07-21"
MARKET_SOURCES = frozenset({"manifold", "metaculus", "infer", "polymarket"})
DATASET_SOURCES = frozenset({"acled", "dbnomics", "fred", "wikipedia", "yfinance"})
UPSTREAM = "https://github.com/forecastingresearch/forecastbench-datasets/blob/main"
_MISSING = (None, "", "None", "N/A", "nan")

# (question id, source, resolution date); the date is None for market questions.
Key = tuple[str, str, date | None]
Row = dict[str, float | list[float]]


class ForecastBenchError(ValueError):
    """The data directory is missing a file or holds something this module cannot read."""


@dataclass(frozen=True)
class Question:
    """One question of the human question set."""

    id: str
    source: str
    text: str
    criteria: str | None
    close_on: date | None

    @property
    def market(self) -> bool:
        """Whether a prediction market or platform (not a data series) resolves it."""
        return self.source in MARKET_SOURCES


@dataclass(frozen=True)
class Resolution:
    """One row of the resolution set (single questions only)."""

    id: str
    source: str
    resolution_date: date
    resolved_to: float
    resolved: bool


@dataclass(frozen=True)
class Forecast:
    """One superforecaster's probability that a question resolves Yes (1)."""

    id: str
    source: str
    resolution_date: date | None
    forecast: float
    user_id: str


@dataclass(frozen=True)
class ForecastBench:
    """The three files of one forecast round, parsed."""

    due: date
    questions: dict[tuple[str, str], Question]
    resolutions: list[Resolution]
    forecasts: list[Forecast]
    total_forecasts: int

    @property
    def last_resolution_date(self) -> date:
        """The newest date in the resolution set: when its market values were read."""
        return max(r.resolution_date for r in self.resolutions)


@dataclass(frozen=True)
class Scored:
    """One leaderboard row: the median forecast against what the question resolved to."""

    source: str
    market: bool
    resolved: bool
    forecast: float
    resolved_to: float
    imputed: bool


# --- files --------------------------------------------------------------------------


def relative_paths(due: str = DUE_DATE) -> tuple[Path, Path, Path]:
    """Question set, resolution set and superforecaster file, as laid out upstream."""
    return (
        Path("datasets", "question_sets", f"{due}-human.json"),
        Path("datasets", "resolution_sets", f"{due}_resolution_set.json"),
        Path("datasets", "forecast_sets", due, f"{due}.ForecastBench.human_super_individual.json"),
    )


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object from a file; ForecastBenchError names the file when it is absent or bad."""
    try:
        value = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise ForecastBenchError(f"{path} not found: expected ForecastBench's layout") from None
    except (OSError, ValueError) as exc:
        raise ForecastBenchError(f"{path} cannot be read as JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ForecastBenchError(f"{path} does not hold a JSON object")
    return value


def _records(document: dict[str, Any], key: str, path: Path) -> list[dict[str, Any]]:
    """The list of objects under ``key``; ForecastBenchError if there is none."""
    records = document.get(key)
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ForecastBenchError(f"{path} has no list of objects under {key!r}")
    return records


def load(directory: Path, *, due: str = DUE_DATE) -> ForecastBench:
    """Read the question set, resolution set and superforecaster forecasts under directory."""
    question_path, resolution_path, forecast_path = (directory / p for p in relative_paths(due))
    questions = [
        _question(r) for r in _records(read_json(question_path), "questions", question_path)
    ]
    raw_resolutions = _records(read_json(resolution_path), "resolutions", resolution_path)
    raw_forecasts = _records(read_json(forecast_path), "forecasts", forecast_path)
    resolutions = [r for r in map(_resolution, raw_resolutions) if r is not None]
    if not resolutions:
        raise ForecastBenchError(f"{resolution_path} resolves no single question")
    return ForecastBench(
        due=date.fromisoformat(due),
        questions={(q.id, q.source): q for q in questions},
        resolutions=resolutions,
        forecasts=[f for f in map(_forecast, raw_forecasts) if f is not None],
        total_forecasts=len(raw_forecasts),
    )


# --- records ------------------------------------------------------------------------


def _day(value: Any) -> date | None:
    """The date at the start of an ISO date or datetime, or None for ForecastBench's blanks."""
    if value in _MISSING:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ForecastBenchError(f"{value!r} is not an ISO date") from None


def _probability(value: Any) -> float | None:
    """A number in [0, 1], or None for anything else (NaN, text, out of range)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if 0.0 <= number <= 1.0 else None


def _question(raw: dict[str, Any]) -> Question:
    """A question-set record."""
    try:
        return Question(
            id=str(raw["id"]),
            source=str(raw["source"]),
            text=str(raw["question"]),
            criteria=None
            if raw.get("resolution_criteria") in _MISSING
            else raw["resolution_criteria"],
            close_on=_day(raw.get("market_info_close_datetime")),
        )
    except KeyError as exc:
        raise ForecastBenchError(f"a question has no {exc.args[0]!r}") from None


def _resolution(raw: dict[str, Any]) -> Resolution | None:
    """A resolution-set record, or None for a combination question (its id is a list)."""
    if not isinstance(raw.get("id"), str):
        return None
    resolved_to = _probability(raw.get("resolved_to"))
    when = _day(raw.get("resolution_date"))
    if resolved_to is None or when is None:
        raise ForecastBenchError(f"resolution of {raw['id']!r} needs a date and a value in [0, 1]")
    return Resolution(
        raw["id"], str(raw.get("source")), when, resolved_to, raw.get("resolved") is True
    )


def _forecast(raw: dict[str, Any]) -> Forecast | None:
    """A forecast record, or None to skip it (combination, direction, not in [0, 1], no user)."""
    # `direction` is a list of ±1, one per component of a combination question (−1: the
    # forecast is on that component's negation). It is null for every single question, so
    # a single question's forecast is the probability of Yes (1); a record that has one
    # belongs to a combination question and is skipped with them.
    probability = _probability(raw.get("forecast"))
    if not isinstance(raw.get("id"), str) or raw.get("direction") not in _MISSING:
        return None
    if probability is None or raw.get("user_id") in _MISSING:
        return None
    return Forecast(
        id=raw["id"],
        source=str(raw.get("source")),
        resolution_date=_day(raw.get("resolution_date")),
        forecast=probability,
        user_id=str(raw["user_id"]),
    )


# --- the leaderboard ----------------------------------------------------------------


def _key(question_id: str, source: str, day: date | None) -> Key:
    """The join key: market questions are forecast once, so their date is None."""
    return question_id, source, None if source in MARKET_SOURCES else day


def median_rows(forecasts: Iterable[Forecast]) -> dict[Key, float]:
    """The superforecasters' median forecast per (id, source, resolution date)."""
    grouped: dict[Key, list[float]] = {}
    for f in forecasts:
        grouped.setdefault((f.id, f.source, f.resolution_date), []).append(f.forecast)
    return {key: statistics.median(values) for key, values in grouped.items()}


def join(data: ForecastBench, medians: Mapping[Key, float]) -> list[Scored]:
    """Resolution rows of the human question set with their median forecast (0.5 if none)."""
    # Dataset questions join on (id, source, resolution date), market questions on (id,
    # source): a market is forecast once and scored at the latest reading of its value.
    joined: list[Scored] = []
    for r in data.resolutions:
        question = data.questions.get((r.id, r.source))
        if question is None or r.source not in MARKET_SOURCES | DATASET_SOURCES:
            continue
        median = medians.get(_key(r.id, r.source, r.resolution_date))
        forecast = 0.5 if median is None else median
        scored = Scored(
            r.source, question.market, r.resolved, forecast, r.resolved_to, median is None
        )
        joined.append(scored)
    return joined


def groups(rows: Sequence[Scored]) -> dict[str, list[rules.Pair]]:
    """(forecast, resolved_to) pairs of the four groups the leaderboard scores."""
    # Unresolved dataset rows count nowhere; an unresolved market row is scored against
    # the market's value in resolved_to (ForecastBench's leaderboard, src/leaderboard).
    market = [r for r in rows if r.market]
    return {
        "dataset": [(r.forecast, r.resolved_to) for r in rows if not r.market and r.resolved],
        "market_resolved": [(r.forecast, r.resolved_to) for r in market if r.resolved],
        "market_unresolved": [(r.forecast, r.resolved_to) for r in market if not r.resolved],
        "market_overall": [(r.forecast, r.resolved_to) for r in market],
    }


def _brier(name: str, pairs: Sequence[rules.Pair]) -> float:
    """Brier score of one group; ForecastBenchError names an empty group."""
    if not pairs:
        raise ForecastBenchError(f"no {name.replace('_', ' ')} rows to score")
    return rules.brier(pairs)


def _standard_error(pairs: Sequence[rules.Pair]) -> float:
    """Standard error of the mean squared error: sd (ddof 1) / sqrt(n)."""
    errors = [rules.squared_error(p, y) for p, y in rules.check_pairs(pairs)]
    if len(errors) < 2:
        raise ForecastBenchError("a half with fewer than two rows has no standard error")
    return statistics.stdev(errors) / math.sqrt(len(errors))


def leaderboard_row(rows: Sequence[Scored], *, level: float = 0.95) -> Row:
    """The leaderboard's scores and the t interval around Overall (two halves, equal weight)."""
    pairs = groups(rows)
    scores = {name: _brier(name, group) for name, group in pairs.items()}
    dataset, market = pairs["dataset"], pairs["market_overall"]
    overall = (scores["dataset"] + scores["market_overall"]) / 2
    scale = math.hypot(_standard_error(dataset), _standard_error(market)) / 2
    half = t_quantile((1 + level) / 2, min(len(dataset), len(market)) - 1) * scale
    return {
        **scores,
        "overall_resolved": (scores["dataset"] + scores["market_resolved"]) / 2,
        "overall": overall,
        "overall_ci": [overall - half, overall + half],
    }


def group_sizes(rows: Sequence[Scored]) -> dict[str, int]:
    """N behind each score of leaderboard_row (the leaderboard's column headers)."""
    sizes = {name: len(group) for name, group in groups(rows).items()}
    sizes["overall_resolved"] = sizes["dataset"] + sizes["market_resolved"]
    sizes["overall"] = sizes["dataset"] + sizes["market_overall"]
    return sizes


# --- Student's t quantile -----------------------------------------------------------

_EPSILON = 1e-15
_TINY = 1e-300


def _nonzero(value: float) -> float:
    """Keep a continued-fraction term away from zero (modified Lentz)."""
    return value if abs(value) > _TINY else _TINY


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function, by the modified Lentz method."""
    # Press et al., Numerical Recipes, 3rd ed. (2007), §6.4 (betacf) and §5.2 (Lentz).
    c, d = 1.0, 1.0 / _nonzero(1.0 - (a + b) * x / (a + 1.0))
    fraction = d
    for m in range(1, 10_000):
        even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        for term in (even, odd):
            d = 1.0 / _nonzero(1.0 + term * d)
            c = _nonzero(1.0 + term / c)
            fraction *= c * d
        if abs(c * d - 1.0) < _EPSILON:
            return fraction
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


def regularized_beta(x: float, a: float, b: float) -> float:
    """Regularized incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1]."""
    if x <= 0.0 or x >= 1.0:
        return 0.0 if x <= 0.0 else 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    # The fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry beyond.
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(b, a, 1.0 - x) / b


def t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for t >= 0 under Student's t with df degrees of freedom."""
    # Abramowitz & Stegun 26.7.1 with 26.5.27: P(T > t) = I_{df/(df+t²)}(df/2, 1/2) / 2.
    return regularized_beta(df / (df + t * t), df / 2.0, 0.5) / 2.0


def t_quantile(q: float, df: float) -> float:
    """Student's t quantile (inverse CDF) by bisection on the exact tail; no scipy needed."""
    if not 0.0 < q < 1.0 or not df > 0:
        raise ValueError(f"need 0 < q < 1 and df > 0, got q={q!r}, df={df!r}")
    if q <= 0.5:
        return 0.0 if q == 0.5 else -t_quantile(1.0 - q, df)
    tail, low, high = 1.0 - q, 0.0, 1.0
    while t_upper_tail(high, df) > tail:
        low, high = high, high * 2.0
    # Each step halves the bracket; 100 steps take it well below float resolution.
    for _ in range(100):
        middle = (low + high) / 2.0
        low, high = (middle, high) if t_upper_tail(middle, df) > tail else (low, middle)
        if high - low <= 4 * _EPSILON * high:
            break
    return (low + high) / 2.0


# --- rows for the importer ----------------------------------------------------------


def source_url(data: ForecastBench, user_id: str) -> str:
    """A stable URL for one superforecaster's submission to one question set."""
    return f"https://www.forecastbench.org/datasets/{data.due}/superforecaster/{user_id}"


def _market_dates(data: ForecastBench) -> dict[tuple[str, str], date]:
    """Each market question's resolution date in the resolution set."""
    return {
        (r.id, r.source): r.resolution_date for r in data.resolutions if r.source in MARKET_SOURCES
    }


def _resolve_by(
    data: ForecastBench,
    question: Question,
    forecast: Forecast,
    market_dates: Mapping[tuple[str, str], date],
) -> date | None:
    """The deadline: the resolution date; for a market, the resolution set's, else its close."""
    # A market missing from the resolution set and without a close date falls due on the
    # newest date in the resolution set, when the set's market values were read.
    if not question.market:
        return forecast.resolution_date
    given = market_dates.get((question.id, question.source))
    return given or question.close_on or data.last_resolution_date


def _verdict(data: ForecastBench, resolution: Resolution | None) -> dict[str, Any]:
    """Outcome columns: a verdict only when resolved to exactly 0 or 1."""
    if resolution is None or not resolution.resolved or resolution.resolved_to not in (0.0, 1.0):
        return {}
    return {
        "outcome": "true" if resolution.resolved_to == 1.0 else "false",
        "resolved_on": resolution.resolution_date.isoformat(),
        "evidence_url": f"{UPSTREAM}/datasets/resolution_sets/{data.due}_resolution_set.json",
    }


def _fill(text: str, data: ForecastBench, resolve_by: date) -> str:
    """Question text with ForecastBench's {resolution_date} and {forecast_due_date} filled in."""
    filled = text.replace("{resolution_date}", resolve_by.isoformat())
    return filled.replace("{forecast_due_date}", data.due.isoformat())


def _row(
    data: ForecastBench,
    question: Question,
    forecast: Forecast,
    resolve_by: date,
    resolution: Resolution | None,
) -> dict[str, Any]:
    """One forecast as an import row (the columns of app.predictions.columns)."""
    suffix = "" if question.market else f" (resolves {resolve_by})"
    due = data.due.isoformat()
    return {
        "author": f"Superforecaster {forecast.user_id}",
        "outlet": "ForecastBench",
        "source_url": source_url(data, forecast.user_id),
        "source_title": f"Superforecaster {forecast.user_id}'s forecasts, ForecastBench {due}",
        "published_at": due,
        "quote": question.text + suffix,
        "claim": _fill(question.text, data, resolve_by),
        "resolution_criteria": question.criteria,
        "probability": forecast.forecast,
        "probability_basis": "stated",
        "made_at": due,
        "resolve_by": resolve_by.isoformat(),
        "tags": f"forecastbench;{question.source}",
        "question": f"forecastbench:{question.source}:{question.id}:{resolve_by}",
        **_verdict(data, resolution),
    }


def import_rows(data: ForecastBench) -> list[dict[str, Any]]:
    """Every individual forecast that joins to the question set, as an import row."""
    market_dates = _market_dates(data)
    resolutions = {_key(r.id, r.source, r.resolution_date): r for r in data.resolutions}
    rows: list[dict[str, Any]] = []
    for forecast in data.forecasts:
        question = data.questions.get((forecast.id, forecast.source))
        if question is None:
            continue
        resolve_by = _resolve_by(data, question, forecast, market_dates)
        if resolve_by is None:
            continue
        resolution = resolutions.get(_key(question.id, question.source, resolve_by))
        rows.append(_row(data, question, forecast, resolve_by, resolution))
    return rows
