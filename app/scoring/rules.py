"""Proper scoring rules for binary forecasts, calibration, skill and shrinkage.

Every function here is pure and uses the standard library only. Inputs are pairs
``(p, y)``: ``p`` is the stated probability that the claim is true (0..1) and ``y`` the
outcome (1.0 true, 0.0 false, 0.5 a tie as in FiveThirtyEight's game data; the Brier,
log and spherical scores treat ``y`` as a real number).

Excluding void/annulled, withdrawn and conditional-not-met predictions is the CALLER's
job: pass only the pairs that should count. A value outside [0, 1] raises ValueError.
Scores of an empty input raise ValueError too, except ``calibration`` (ten empty bins)
and ``summarize`` (a Summary with n = 0 and None scores).
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

Pair = tuple[float, float]
Statistic = Callable[[Sequence[Pair]], float]

LOG_CLIP = (0.001, 0.999)
N_BINS = 10
Z_95 = 1.959963984540054
DEFAULT_SEED = 20261125
# k / 10 is correctly rounded, so these are exactly the floats 0.0, 0.1, ..., 1.0.
BIN_EDGES: tuple[float, ...] = tuple(k / N_BINS for k in range(N_BINS + 1))
_INNER_EDGES = BIN_EDGES[1:-1]


# --- input checks -------------------------------------------------------------------


def check_pairs(pairs: Iterable[Pair]) -> list[Pair]:
    """Return the pairs as a list of floats; ValueError names any value outside [0, 1]."""
    checked: list[Pair] = []
    for p, y in pairs:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"probability {p!r} is outside [0, 1]")
        if not 0.0 <= y <= 1.0:
            raise ValueError(f"outcome {y!r} is outside [0, 1]")
        checked.append((float(p), float(y)))
    return checked


def _nonempty(pairs: Iterable[Pair]) -> list[Pair]:
    """Checked pairs, refusing an empty input (a mean of nothing is undefined)."""
    checked = check_pairs(pairs)
    if not checked:
        raise ValueError("no pairs to score")
    return checked


def _mean(values: Sequence[float]) -> float:
    """Arithmetic mean with exactly rounded summation."""
    return math.fsum(values) / len(values)


# --- per-pair terms -----------------------------------------------------------------


def squared_error(p: float, y: float) -> float:
    """Brier term (p - y)**2 for one forecast."""
    return (p - y) ** 2


def log_term(p: float, y: float) -> float:
    """Log score y ln p + (1 - y) ln(1 - p) in nats, with p clipped to LOG_CLIP."""
    q = min(max(p, LOG_CLIP[0]), LOG_CLIP[1])
    return y * math.log(q) + (1.0 - y) * math.log(1.0 - q)


def log_loss_term(p: float, y: float) -> float:
    """Negative log score of one forecast (sklearn's log_loss convention)."""
    return -log_term(p, y)


def spherical_term(p: float, y: float) -> float:
    """Spherical score y s(1) + (1 - y) s(0), where s(o) = p_o / sqrt(p**2 + (1 - p)**2)."""
    # Spherical rule: Roby (1965); Gneiting & Raftery (2007), JASA 102:359, section 3.
    return (y * p + (1.0 - y) * (1.0 - p)) / math.hypot(p, 1.0 - p)


# --- scores -------------------------------------------------------------------------


def brier(pairs: Iterable[Pair]) -> float:
    """Mean squared error (p - y)**2: 0 is perfect, 0.25 is always saying 50%."""
    return _mean([squared_error(p, y) for p, y in _nonempty(pairs)])


def log_score(pairs: Iterable[Pair]) -> float:
    """Mean log score in nats (p clipped to LOG_CLIP): never positive, higher is better."""
    return _mean([log_term(p, y) for p, y in _nonempty(pairs)])


def log_loss(pairs: Iterable[Pair]) -> float:
    """Mean log loss, -log_score, matching sklearn.metrics.log_loss on clipped p."""
    return -log_score(pairs)


def spherical(pairs: Iterable[Pair]) -> float:
    """Mean spherical score in [0, 1]: higher is better."""
    return _mean([spherical_term(p, y) for p, y in _nonempty(pairs)])


def base_rate(pairs: Iterable[Pair]) -> float:
    """Mean outcome: the share of claims that came true (ties count one half)."""
    return _mean([y for _, y in _nonempty(pairs)])


def sharpness(pairs: Iterable[Pair]) -> float:
    """Mean (p - 0.5)**2: 0 for a forecaster who always says 50%, 0.25 for one always 0/1."""
    return _mean([(p - 0.5) ** 2 for p, _ in _nonempty(pairs)])


def forecast_variance(pairs: Iterable[Pair]) -> float:
    """Population variance of the stated probabilities (the other common sharpness)."""
    probs = [p for p, _ in _nonempty(pairs)]
    centre = _mean(probs)
    return _mean([(p - centre) ** 2 for p in probs])


def brier_skill(pairs: Iterable[Pair], *, reference: float | None = None) -> float | None:
    """Brier skill 1 - BS / BS_ref against a constant reference forecast; None if BS_ref = 0.

    BS_ref is the Brier score of always forecasting ``reference`` on these outcomes;
    ``reference=None`` uses the base rate of these pairs. With 0/1 outcomes this is
    ō(1 - ō) for the base rate and 0.25 for 0.5; with ties it stays the reference
    forecast's own score, so a constant forecast of the base rate keeps skill 0.
    """
    checked = _nonempty(pairs)
    ref = base_rate(checked) if reference is None else reference
    if not 0.0 <= ref <= 1.0:
        raise ValueError(f"reference {ref!r} is outside [0, 1]")
    bs_ref = _mean([squared_error(ref, y) for _, y in checked])
    if bs_ref == 0.0:
        return None
    return 1.0 - brier(checked) / bs_ref


# --- calibration --------------------------------------------------------------------


@dataclass(frozen=True)
class Bin:
    """One calibration bin [lower, upper); the last bin also holds p = 1.0."""

    lower: float
    upper: float
    n: int
    mean_p: float | None
    observed: float | None
    ci_low: float | None
    ci_high: float | None


class BinTotals(NamedTuple):
    """Sums for one bin, as a SQL GROUP BY over bin_index can return them."""

    n: int
    sum_p: float
    sum_y: float


def bin_index(p: float) -> int:
    """Calibration bin 0..9 of p: the number of edges 0.1, ..., 0.9 that are <= p.

    Equivalent SQL: CASE WHEN p >= 0.9 THEN 9 WHEN p >= 0.8 THEN 8 ... WHEN p >= 0.1
    THEN 1 ELSE 0 END. Do not use FLOOR(p * 10): float rounding puts some p just below
    an edge in the next bin (0.8999999999999999 * 10 rounds to 9.0).
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"probability {p!r} is outside [0, 1]")
    return bisect_right(_INNER_EDGES, p)


def bin_totals(pairs: Iterable[Pair]) -> list[BinTotals]:
    """Per-bin count, sum of p and sum of y for the N_BINS calibration bins."""
    members: list[list[Pair]] = [[] for _ in range(N_BINS)]
    for p, y in check_pairs(pairs):
        members[bin_index(p)].append((p, y))
    return [
        BinTotals(len(m), math.fsum(p for p, _ in m), math.fsum(y for _, y in m)) for m in members
    ]


def wilson_interval(successes: float, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a proportion successes / n (successes may be fractional)."""
    # Wilson (1927), JASA 22:209; preferred to the Wald interval for small n and
    # proportions near 0 or 1 (Brown, Cai & DasGupta 2001, Stat. Sci. 16:101).
    if n <= 0:
        raise ValueError(f"n must be positive, got {n!r}")
    if not 0.0 <= successes <= n:
        raise ValueError(f"successes {successes!r} is outside [0, {n}]")
    share = successes / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (share + z2 / (2.0 * n)) / denom
    half = z * math.sqrt(share * (1.0 - share) / n + z2 / (4.0 * n * n)) / denom
    # The interval always holds the observed share; clamping undoes float rounding there.
    return min(max(0.0, centre - half), share), max(min(1.0, centre + half), share)


def _bin_from_totals(k: int, totals: BinTotals, z: float) -> Bin:
    """Bin k with mean p, observed frequency and Wilson interval (None fields if empty)."""
    lower, upper = BIN_EDGES[k], BIN_EDGES[k + 1]
    if totals.n == 0:
        return Bin(lower, upper, 0, None, None, None, None)
    low, high = wilson_interval(totals.sum_y, totals.n, z)
    return Bin(lower, upper, totals.n, totals.sum_p / totals.n, totals.sum_y / totals.n, low, high)


def calibration_from_totals(totals: Sequence[BinTotals], *, z: float = Z_95) -> list[Bin]:
    """Calibration bins from per-bin totals (e.g. a SQL aggregate ordered by bin_index)."""
    if len(totals) != N_BINS:
        raise ValueError(f"expected {N_BINS} bin totals, got {len(totals)}")
    return [_bin_from_totals(k, t, z) for k, t in enumerate(totals)]


def calibration(pairs: Iterable[Pair]) -> list[Bin]:
    """Ten equal-width bins [0, 0.1) ... [0.9, 1.0] with observed frequency and Wilson 95%."""
    return calibration_from_totals(bin_totals(pairs))


# --- Murphy decomposition -----------------------------------------------------------


@dataclass(frozen=True)
class Decomposition:
    """Brier = reliability - resolution + uncertainty + residual, exactly."""

    reliability: float
    resolution: float
    uncertainty: float
    residual: float


def decomposition_from_totals(totals: Sequence[BinTotals], *, sum_se: float) -> Decomposition:
    """Murphy decomposition from per-bin totals and the total squared error Σ(p - y)**2."""
    # Murphy (1973), J. Appl. Meteor. 12:595, on binned forecasts. Binning leaves a
    # residual: the within-bin variance/covariance of p (Stephenson, Coelho & Jolliffe
    # 2008, Wea. Forecasting 23:752) and, for fractional y, -mean(y(1 - y)).
    n = sum(t.n for t in totals)
    if n == 0:
        raise ValueError("no pairs to score")
    mean_y = math.fsum(t.sum_y for t in totals) / n
    used = [t for t in totals if t.n]
    reliability = math.fsum(t.n * (t.sum_p / t.n - t.sum_y / t.n) ** 2 for t in used) / n
    resolution = math.fsum(t.n * (t.sum_y / t.n - mean_y) ** 2 for t in used) / n
    uncertainty = mean_y * (1.0 - mean_y)
    residual = sum_se / n - (reliability - resolution + uncertainty)
    return Decomposition(reliability, resolution, uncertainty, residual)


def murphy_decomposition(pairs: Iterable[Pair]) -> Decomposition:
    """Reliability, resolution, uncertainty and residual of the Brier score on the 10 bins.

    REL = Σ n_k (p̄_k - ō_k)**2 / N, RES = Σ n_k (ō_k - ō)**2 / N, UNC = ō(1 - ō) and
    residual = Brier - (REL - RES + UNC), so Brier = REL - RES + UNC + residual exactly.
    With 0/1 outcomes the residual is 0 when all forecasts within each bin are equal.
    """
    checked = _nonempty(pairs)
    sum_se = math.fsum(squared_error(p, y) for p, y in checked)
    return decomposition_from_totals(bin_totals(checked), sum_se=sum_se)


# --- bootstrap ----------------------------------------------------------------------


def quantile(values: Sequence[float], q: float) -> float:
    """Linearly interpolated q-quantile (Hyndman & Fan type 7, numpy's default)."""
    if not values or not 0.0 <= q <= 1.0:
        raise ValueError(f"need values and q in [0, 1], got {len(values)} values and q={q!r}")
    ordered = sorted(values)
    h = (len(ordered) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(ordered) - 1)
    value = ordered[lo] + (h - lo) * (ordered[hi] - ordered[lo])
    return min(value, ordered[hi])


def _percentile_interval(values: Sequence[float], level: float) -> tuple[float, float]:
    """Central percentile interval holding ``level`` of the values."""
    tail = (1.0 - level) / 2.0
    return quantile(values, tail), quantile(values, 1.0 - tail)


def _check_bootstrap(resamples: int, level: float) -> None:
    """Refuse a non-positive number of resamples or a level outside (0, 1)."""
    if resamples < 1:
        raise ValueError(f"resamples must be positive, got {resamples!r}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level {level!r} is outside (0, 1)")


def bootstrap_mean_interval(
    values: Sequence[float],
    *,
    resamples: int = 2000,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval for the mean of values, deterministic for a seed."""
    # Efron (1979), Ann. Statist. 7:1; percentile method, Efron & Tibshirani (1993) ch. 13.
    _check_bootstrap(resamples, level)
    if not values:
        raise ValueError("no values to resample")
    rng = random.Random(seed)
    n = len(values)
    means = [sum(rng.choices(values, k=n)) / n for _ in range(resamples)]
    return _percentile_interval(means, level)


_PER_PAIR: dict[Statistic, Callable[[float, float], float]] = {
    brier: squared_error,
    log_score: log_term,
    log_loss: log_loss_term,
    spherical: spherical_term,
}


def bootstrap_interval(
    pairs: Iterable[Pair],
    *,
    statistic: Statistic = brier,
    resamples: int = 2000,
    seed: int = DEFAULT_SEED,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic`` over resampled pairs (fixed seed).

    Mean scores (brier, log_score, log_loss, spherical) resample precomputed per-pair
    terms, which draws the same resamples as the general path but runs much faster.
    """
    checked = _nonempty(pairs)
    term = _PER_PAIR.get(statistic)
    if term is not None:
        values = [term(p, y) for p, y in checked]
        return bootstrap_mean_interval(values, resamples=resamples, seed=seed, level=level)
    _check_bootstrap(resamples, level)
    rng = random.Random(seed)
    stats = [statistic(rng.choices(checked, k=len(checked))) for _ in range(resamples)]
    return _percentile_interval(stats, level)


# --- empirical-Bayes shrinkage for rankings -----------------------------------------


class Moments(NamedTuple):
    """Running totals for one author: n, Σ(p - y)**2 and Σ(p - y)**4 (fit for a DB row)."""

    n: int
    sum_se: float
    sum_se2: float

    def add(self, p: float, y: float) -> Moments:
        """Totals after one more resolved prediction (update when a verdict lands)."""
        ((p, y),) = check_pairs([(p, y)])
        se = squared_error(p, y)
        return Moments(self.n + 1, self.sum_se + se, self.sum_se2 + se * se)


def author_moments(pairs: Iterable[Pair]) -> Moments:
    """Moments(n, Σ(p - y)**2, Σ(p - y)**4) of one author's resolved predictions."""
    errors = [squared_error(p, y) for p, y in check_pairs(pairs)]
    return Moments(len(errors), math.fsum(errors), math.fsum(e * e for e in errors))


def brier_interval(moments: Moments, *, z: float = Z_95) -> tuple[float, float] | None:
    """95% interval on the Brier score: the mean squared error ± z·s/√n, within [0, 1].

    The one interval of the author page and the leaderboard (issue 13). The board keeps only
    running totals, from which no bootstrap can be drawn, and a bootstrap over thousands of
    verdicts takes a second; for n in the hundreds the two agree (test_rules). With a single
    prediction there is no spread to measure: the interval is its squared error.
    """
    n, sum_se, sum_se2 = moments
    if n == 0:
        return None
    mean = sum_se / n
    variance = max(sum_se2 - n * mean * mean, 0.0) / (n - 1) if n > 1 else 0.0
    half = z * math.sqrt(variance / n)
    return max(0.0, mean - half), min(1.0, mean + half)


@dataclass(frozen=True)
class Population:
    """Prior over authors' true Brier scores: mean, between- and pooled within-variance."""

    mean: float
    between_var: float
    within_var: float


def _check_moments(stats: Sequence[tuple[int, float, float]]) -> list[Moments]:
    """Authors with at least one resolved prediction; ValueError on negative totals."""
    authors = [Moments(*s) for s in stats]
    for a in authors:
        if a.n < 0 or a.sum_se < 0.0 or a.sum_se2 < 0.0:
            raise ValueError(f"moments {tuple(a)!r} have a negative total")
    return [a for a in authors if a.n > 0]


def _pooled_within_var(authors: Sequence[Moments]) -> float:
    """Pooled within-author variance of per-prediction squared errors."""
    total = sum(a.n for a in authors)
    dof = total - len(authors)
    if dof > 0:
        return math.fsum(max(0.0, a.sum_se2 - a.sum_se**2 / a.n) for a in authors) / dof
    if total < 2:
        return 0.0
    # Every author has one prediction: only the total variance is estimable.
    grand = math.fsum(a.sum_se for a in authors) / total
    return max(0.0, math.fsum(a.sum_se2 for a in authors) - total * grand**2) / (total - 1)


def _between_var(authors: Sequence[Moments], within_var: float) -> float:
    """Method-of-moments between-author variance of true Brier scores, floored at 0."""
    # DerSimonian & Laird (1986), Control. Clin. Trials 7:177, with a common within
    # variance: the one-way random-effects ANOVA estimator (MSB - MSW) / n0 for
    # unbalanced groups (Searle, Casella & McCulloch 1992, Variance Components, ch. 3).
    k = len(authors)
    if k < 2:
        return 0.0
    total = sum(a.n for a in authors)
    grand = math.fsum(a.sum_se for a in authors) / total
    between_ss = math.fsum(a.n * (a.sum_se / a.n - grand) ** 2 for a in authors)
    denom = total - math.fsum(a.n**2 for a in authors) / total
    return max(0.0, (between_ss - (k - 1) * within_var) / denom)


def _random_effects_mean(authors: Sequence[Moments], within: float, between: float) -> float:
    """Mean of author Briers weighted by 1 / (within / n + between)."""
    pooled = math.fsum(a.sum_se for a in authors) / sum(a.n for a in authors)
    if between == 0.0:  # weights n / within: the pooled mean, whatever within is
        return pooled
    weights = [1.0 / (within / a.n + between) for a in authors]
    total = math.fsum(weights)
    if not math.isfinite(total):  # variances so small their reciprocals overflow
        return pooled
    weighted = math.fsum(w * a.sum_se / a.n for w, a in zip(weights, authors, strict=True))
    return weighted / total


def population_prior(stats: Sequence[tuple[int, float, float]]) -> Population:
    """Estimate the population of authors' true Brier scores from per-author Moments.

    ``stats`` holds one Moments (n, Σ(p - y)**2, Σ(p - y)**4) per author; authors with
    n = 0 are ignored. within_var pools the per-prediction variance of squared errors,
    between_var is the DerSimonian-Laird method-of-moments estimate (floored at 0) and
    mean the random-effects weighted mean of the authors' Brier scores.
    """
    authors = _check_moments(stats)
    if not authors:
        raise ValueError("no author has a resolved prediction")
    within = _pooled_within_var(authors)
    between = _between_var(authors, within)
    return Population(_random_effects_mean(authors, within, between), between, within)


def shrunk_brier(*, n: int, brier: float, within_var: float, prior: Population) -> float:
    """Empirical-Bayes Brier: w * brier + (1 - w) * prior.mean, w = τ² / (τ² + σ²/n).

    Authors with few resolved predictions are pulled toward the population mean, so three
    lucky calls do not top a leaderboard; as n grows the author's own Brier takes over.
    τ² is prior.between_var and σ² the within_var of one prediction's squared error.
    """
    # James & Stein (1961); Efron & Morris (1975), JASA 70:311, empirical-Bayes shrinkage.
    if n <= 0:
        return prior.mean
    total = prior.between_var + within_var / n
    weight = 1.0 if total == 0.0 else prior.between_var / total
    return weight * brier + (1.0 - weight) * prior.mean


def shrunk_brier_from_moments(moments: Moments, *, prior: Population) -> float:
    """Shrunk Brier of one author from running totals, using the prior's pooled σ².

    The pooled σ² is used rather than the author's own: with three lucky calls the
    author's own variance is near 0 and would switch shrinkage off.
    """
    if moments.n == 0:
        return prior.mean
    return shrunk_brier(
        n=moments.n,
        brier=moments.sum_se / moments.n,
        within_var=prior.within_var,
        prior=prior,
    )


# --- summary ------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """Every score of one set of resolved forecasts; n = 0 leaves the scores None."""

    n: int
    base_rate: float | None
    brier: float | None
    log_score: float | None
    spherical: float | None
    skill_vs_half: float | None
    skill_vs_base_rate: float | None
    brier_ci: tuple[float, float] | None
    calibration: tuple[Bin, ...]
    decomposition: Decomposition | None
    sharpness: float | None


def summarize(pairs: Iterable[Pair]) -> Summary:
    """Bundle base rate, scores, skill, the Brier interval, calibration and decomposition."""
    checked = check_pairs(pairs)
    bins = tuple(calibration(checked))
    if not checked:
        return Summary(0, None, None, None, None, None, None, None, bins, None, None)
    return Summary(
        n=len(checked),
        base_rate=base_rate(checked),
        brier=brier(checked),
        log_score=log_score(checked),
        spherical=spherical(checked),
        skill_vs_half=brier_skill(checked, reference=0.5),
        skill_vs_base_rate=brier_skill(checked),
        brier_ci=brier_interval(author_moments(checked)),
        calibration=bins,
        decomposition=murphy_decomposition(checked),
        sharpness=sharpness(checked),
    )
