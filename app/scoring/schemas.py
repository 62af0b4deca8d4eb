"""Track record and leaderboard bodies."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

BasisName = Literal["stated", "codebook", "editor"]

LOG_SCORE_NOTE = (
    "log_score is the mean natural log of the probability given to what happened, with p "
    "clipped to [0.001, 0.999]: 0 is perfect, higher is better, ln 0.5 = -0.693 is a coin."
)
BRIER_NOTE = (
    "brier is the mean squared difference between probability and outcome (0 best, 0.25 for "
    "always saying 50%); void and withdrawn predictions are not scored."
)


class BinOut(BaseModel):
    """One calibration bin: forecasts in [lower, upper) and how often they came true."""

    lower: float
    upper: float
    n: int
    mean_p: float | None
    observed: float | None
    ci_low: float | None = Field(description="Wilson 95% interval on `observed`.")
    ci_high: float | None


class DecompositionOut(BaseModel):
    """Murphy (1973): brier = reliability − resolution + uncertainty + residual."""

    reliability: float
    resolution: float
    uncertainty: float
    residual: float


class Skill(BaseModel):
    """Brier skill scores: 1 − brier / brier of a reference forecast."""

    vs_half: float | None = Field(description="Against always saying 50%.")
    vs_base_rate: float | None = Field(description="Against always saying the base rate.")


class Brief(BaseModel):
    """Scores of one slice of a track record."""

    n: int
    brier: float | None
    log_score: float | None
    base_rate: float | None


class Counts(BaseModel):
    """Predictions by status."""

    logged: int
    open: int
    due: int
    snoozed: int
    resolved: int
    void: int
    withdrawn: int


class MonthPoint(BaseModel):
    """The running Brier score at the end of a month (by resolution date)."""

    month: str = Field(examples=["2025-04"])
    n: int
    brier: float


class Relative(BaseModel):
    """The author against the median of other forecasters on the same questions."""

    questions: int
    brier: float
    crowd_brier: float
    difference: float = Field(description="brier − crowd_brier: below 0 beats the crowd.")
    ratio: float | None = Field(description="brier / crowd_brier: below 1 beats the crowd.")


class Rescoring(BaseModel):
    """How codebook-implied probabilities were rescored under another codebook."""

    codebook: str
    rescored: int
    unmapped: int = Field(description="Hedges the codebook does not know: kept as logged.")


class TrackRecord(BaseModel):
    """An author's record: counts, scores, calibration and breakdowns."""

    author: str
    author_name: str
    since: date | None
    until: date | None
    tag: str | None
    basis: BasisName | None
    counts: Counts
    scored: int = Field(description="Resolved true or false: the predictions scored.")
    brier: float | None
    log_score: float | None
    spherical: float | None
    base_rate: float | None
    sharpness: float | None
    skill: Skill
    brier_ci: tuple[float, float] | None = Field(
        description="95% interval: mean squared error ± 1.96 standard errors, as the leaderboard."
    )
    calibration: list[BinOut]
    decomposition: DecompositionOut | None
    by_basis: dict[str, Brief]
    by_tag: dict[str, Brief]
    by_outlet: dict[str, Brief]
    by_year: dict[str, Brief] = Field(description="By the year the prediction was made.")
    running: list[MonthPoint]
    relative: Relative | None
    rescoring: Rescoring | None
    notes: list[str]


class LeaderRow(BaseModel):
    """One author on the leaderboard."""

    rank: int
    author: str
    author_name: str
    resolved: int
    brier: float
    shrunk_brier: float = Field(description="Pulled toward the population mean by sample size.")
    brier_low: float = Field(description="95% interval, the author page's brier_ci.")
    brier_high: float
    log_score: float


class Leaderboard(BaseModel):
    """Authors ranked by their shrunk Brier score (lower is better)."""

    items: list[LeaderRow]
    total: int
    limit: int
    offset: int
    population_mean: float | None
    min_resolved: int
    hidden_below_min_resolved: int = Field(
        description="Authors with verdicts under these filters but fewer than min_resolved: "
        "why a board can be empty. Lower min_resolved to show them."
    )
    notes: list[str]
