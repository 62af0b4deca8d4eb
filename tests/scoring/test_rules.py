"""Scoring rules: cross-checks against sklearn/statsmodels, properties and hand examples."""

import csv
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss
from sklearn.metrics import log_loss as sklearn_log_loss
from statsmodels.stats.proportion import proportion_confint

from app.scoring import rules
from app.scoring.rules import (
    LOG_CLIP,
    N_BINS,
    Moments,
    Pair,
    Population,
    author_moments,
    bin_index,
    bootstrap_interval,
    brier,
    brier_skill,
    calibration,
    log_loss,
    log_score,
    murphy_decomposition,
    population_prior,
    quantile,
    sharpness,
    shrunk_brier,
    shrunk_brier_from_moments,
    spherical,
    summarize,
    wilson_interval,
)

DATA_DIR = Path(__file__).resolve().parents[3] / "shared/data/fivethirtyeight-checking-our-work"
GAME_FILES = ["nba_games.csv", "nfl_games.csv"]
FAST = settings(max_examples=200, deadline=None)

probs = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
binary_pairs = st.lists(st.tuples(probs, st.sampled_from([0.0, 1.0])), min_size=1, max_size=200)
tied_pairs = st.lists(st.tuples(probs, st.sampled_from([0.0, 0.5, 1.0])), min_size=1, max_size=200)


def as_arrays(pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
    """Outcomes and probabilities as numpy arrays, in sklearn's (y_true, y_prob) order."""
    return np.array([y for _, y in pairs]), np.array([p for p, _ in pairs])


def load_games(name: str) -> list[Pair]:
    """(prob1, prob1_outcome) pairs from one FiveThirtyEight game file, or skip."""
    path = DATA_DIR / name
    if not path.exists():
        pytest.skip(f"FiveThirtyEight 'checking our work' data not found at {path}")
    with path.open(newline="") as handle:
        return [(float(r["prob1"]), float(r["prob1_outcome"])) for r in csv.DictReader(handle)]


def near_an_edge(p: float) -> bool:
    """Whether p lies within 1e-9 of a calibration bin edge 0.0, 0.1, ..., 1.0."""
    return any(abs(p - edge) < 1e-9 for edge in rules.BIN_EDGES)


# --- cross-checks against independent libraries ---------------------------------------


@FAST
@given(binary_pairs)
def test_brier_equals_sklearn_brier_score_loss(pairs: list[Pair]) -> None:
    y, p = as_arrays(pairs)
    expected = brier_score_loss(y, p, labels=[0, 1])  # scikit-learn
    assert brier(pairs) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@FAST
@given(binary_pairs)
def test_log_loss_equals_sklearn_log_loss_on_clipped_predictions(pairs: list[Pair]) -> None:
    y, p = as_arrays(pairs)
    # scikit-learn >= 1.6 has no eps argument, so clip to LOG_CLIP before calling it.
    expected = sklearn_log_loss(y, np.clip(p, *LOG_CLIP), labels=[0, 1])
    assert log_loss(pairs) == pytest.approx(expected, rel=1e-12)
    assert log_score(pairs) == pytest.approx(-expected, rel=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("name", GAME_FILES)
def test_scores_equal_sklearn_on_fivethirtyeight_games(name: str) -> None:
    # sklearn needs binary labels, so the tied games (outcome 0.5) are left out here.
    pairs = [pair for pair in load_games(name) if pair[1] != 0.5]
    y, p = as_arrays(pairs)
    assert brier(pairs) == pytest.approx(brier_score_loss(y, p), rel=1e-12)  # scikit-learn
    expected_log_loss = sklearn_log_loss(y, np.clip(p, *LOG_CLIP))  # scikit-learn
    assert log_loss(pairs) == pytest.approx(expected_log_loss, rel=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("name", GAME_FILES)
def test_calibration_equals_sklearn_on_fivethirtyeight_games(name: str) -> None:
    pairs = [pair for pair in load_games(name) if pair[1] != 0.5]
    assert not any(near_an_edge(p) for p, _ in pairs)  # so sklearn's edge rule cannot differ
    y, p = as_arrays(pairs)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=N_BINS, strategy="uniform")
    filled = [b for b in calibration(pairs) if b.n]
    assert [b.observed for b in filled] == pytest.approx(list(prob_true), rel=1e-12)
    assert [b.mean_p for b in filled] == pytest.approx(list(prob_pred), rel=1e-12)


@FAST
@given(st.integers(min_value=1, max_value=100_000), st.floats(min_value=0.0, max_value=1.0))
def test_wilson_interval_equals_statsmodels(n: int, share: float) -> None:
    k = round(share * n)
    expected = proportion_confint(k, n, alpha=0.05, method="wilson")  # statsmodels
    assert wilson_interval(k, n) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@FAST
@given(binary_pairs)
def test_calibration_equals_sklearn_calibration_curve_away_from_edges(pairs: list[Pair]) -> None:
    # sklearn bins with np.searchsorted(edges[1:-1], p) (side="left"), so a p exactly on
    # an inner edge goes to the LOWER bin (0.1 lands in [0, 0.1]); and its np.linspace
    # edges 0.3, 0.6 and 0.7 are one ulp above the literals. Our bins are [lower, upper),
    # so the cross-check uses probabilities at least 1e-9 away from every edge.
    pairs = [pair for pair in pairs if not near_an_edge(pair[0])]
    assume(pairs)
    y, p = as_arrays(pairs)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=N_BINS, strategy="uniform", pos_label=1)
    filled = [b for b in calibration(pairs) if b.n]
    assert [b.observed for b in filled] == pytest.approx(list(prob_true), rel=1e-12)
    assert [b.mean_p for b in filled] == pytest.approx(list(prob_pred), rel=1e-12, abs=1e-15)


def test_sklearn_puts_an_exact_edge_in_the_lower_bin_where_we_use_the_upper() -> None:
    y, p = np.array([1.0, 0.0]), np.array([0.1, 0.05])
    prob_true, _ = calibration_curve(y, p, n_bins=N_BINS, strategy="uniform")
    assert list(prob_true) == [0.5]  # scikit-learn: one bin [0, 0.1] holding both
    assert [b.n for b in calibration([(0.1, 1.0), (0.05, 0.0)])][:2] == [1, 1]


@FAST
@given(st.lists(probs, min_size=1, max_size=50), st.floats(min_value=0.0, max_value=1.0))
def test_quantile_equals_numpy_default_quantile(values: list[float], q: float) -> None:
    expected = float(np.quantile(values, q))  # numpy, method="linear"
    assert quantile(values, q) == pytest.approx(expected, rel=1e-12, abs=1e-15)


# --- calibration bins -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.0, 0),
        (math.nextafter(0.1, 0.0), 0),
        (0.1, 1),
        (0.3, 3),
        (0.7, 7),
        (0.8999999999999999, 8),  # floor(p * 10) would say 9
        (0.9, 9),
        (0.95, 9),
        (1.0, 9),
    ],
)
def test_bin_index_puts_each_edge_in_the_bin_it_opens(p: float, expected: int) -> None:
    assert bin_index(p) == expected


def test_calibration_puts_one_in_the_last_bin_and_a_tenth_in_the_second() -> None:
    bins = calibration([(1.0, 1.0), (0.1, 0.0), (0.05, 1.0)])
    assert [b.n for b in bins] == [1, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    assert (bins[1].lower, bins[1].upper) == (0.1, 0.2)
    assert (bins[9].lower, bins[9].upper) == (0.9, 1.0)
    assert bins[2] == rules.Bin(0.2, 0.3, 0, None, None, None, None)


@FAST
@given(tied_pairs)
def test_calibration_bin_counts_sum_to_the_number_of_pairs(pairs: list[Pair]) -> None:
    bins = calibration(pairs)
    assert len(bins) == N_BINS
    assert sum(b.n for b in bins) == len(pairs)
    for b in bins:
        if b.n:
            assert 0.0 <= b.ci_low <= b.observed <= b.ci_high <= 1.0


def test_calibration_of_nothing_is_ten_empty_bins() -> None:
    assert [b.n for b in calibration([])] == [0] * N_BINS


# --- properties -------------------------------------------------------------------------


@FAST
@given(tied_pairs)
def test_scores_stay_in_their_ranges(pairs: list[Pair]) -> None:
    assert 0.0 <= brier(pairs) <= 1.0
    assert log_score(pairs) <= 0.0
    assert 0.0 <= spherical(pairs) <= 1.0
    assert 0.0 <= sharpness(pairs) <= 0.25


@FAST
@given(tied_pairs)
def test_decomposition_adds_up_to_the_brier_score(pairs: list[Pair]) -> None:
    d = murphy_decomposition(pairs)
    assert brier(pairs) == pytest.approx(
        d.reliability - d.resolution + d.uncertainty + d.residual, abs=1e-9
    )
    assert d.reliability >= 0.0
    assert d.resolution >= 0.0


@FAST
@given(tied_pairs)
def test_decomposition_residual_is_the_within_bin_term(pairs: list[Pair]) -> None:
    # Independent numpy computation of the terms binning leaves out (Stephenson et al. 2008):
    # within-bin variance of p, minus twice the within-bin covariance of p and y, minus
    # mean y(1 - y) (which is 0 for 0/1 outcomes).
    y, p = as_arrays(pairs)
    bins = np.array([bin_index(x) for x in p])
    within = 0.0
    for k in set(bins.tolist()):
        pk, yk = p[bins == k], y[bins == k]
        within += np.sum((pk - pk.mean()) ** 2 - 2 * (pk - pk.mean()) * (yk - yk.mean()))
    expected = within / len(p) - np.mean(y * (1 - y))
    assert murphy_decomposition(pairs).residual == pytest.approx(expected, abs=1e-9)


@FAST
@given(
    st.lists(probs, min_size=1, max_size=10),
    st.lists(st.tuples(st.integers(0, 9), st.sampled_from([0.0, 1.0])), min_size=1, max_size=200),
)
def test_residual_is_zero_when_forecasts_within_each_bin_are_equal(
    levels: list[float], draws: list[tuple[int, float]]
) -> None:
    one_per_bin: dict[int, float] = {}
    for level in levels:
        one_per_bin.setdefault(bin_index(level), level)
    choices = list(one_per_bin.values())
    pairs = [(choices[i % len(choices)], y) for i, y in draws]
    assert murphy_decomposition(pairs).residual == pytest.approx(0.0, abs=1e-12)


@FAST
@given(st.lists(st.sampled_from([0.0, 1.0]), min_size=1, max_size=200))
def test_perfect_forecasts_score_zero_and_full_skill(outcomes: list[float]) -> None:
    pairs = [(y, y) for y in outcomes]
    assert brier(pairs) == 0.0
    assert brier_skill(pairs, reference=0.5) == 1.0
    both_happened = 0.0 < sum(outcomes) < len(outcomes)
    assert brier_skill(pairs) == (1.0 if both_happened else None)


@FAST
@given(st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=2, max_size=200))
def test_forecasting_the_base_rate_has_no_skill_against_it(outcomes: list[float]) -> None:
    rate = math.fsum(outcomes) / len(outcomes)
    assume(len(set(outcomes)) > 1)
    assert brier_skill([(rate, y) for y in outcomes]) == pytest.approx(0.0, abs=1e-9)


@FAST
@given(tied_pairs, st.integers(min_value=0, max_value=2**32))
def test_bootstrap_interval_is_ordered_and_repeatable(pairs: list[Pair], seed: int) -> None:
    first = bootstrap_interval(pairs, resamples=50, seed=seed)
    assert first[0] <= first[1]
    assert bootstrap_interval(pairs, resamples=50, seed=seed) == first


@FAST
@given(tied_pairs)
def test_bootstrap_fast_path_draws_the_same_resamples_as_the_general_one(
    pairs: list[Pair],
) -> None:
    fast = bootstrap_interval(pairs, resamples=30)
    general = bootstrap_interval(pairs, statistic=lambda ps: brier(ps), resamples=30)
    assert fast == pytest.approx(general, rel=1e-9, abs=1e-15)


def test_bootstrap_handles_a_statistic_that_is_not_a_mean() -> None:
    pairs = [(0.9, 1.0), (0.8, 1.0), (0.3, 0.0), (0.6, 0.0), (0.5, 1.0)]
    low, high = bootstrap_interval(pairs, statistic=sharpness, resamples=200)
    assert 0.0 <= low <= high <= 0.25


@pytest.mark.slow
@pytest.mark.parametrize("name", GAME_FILES)
def test_bootstrap_interval_agrees_with_the_normal_approximation(name: str) -> None:
    pairs = load_games(name)
    errors = np.array([(p - y) ** 2 for p, y in pairs])
    # For a mean of n ~ 10^3..10^4 values the percentile bootstrap is close to
    # mean +/- z * sd / sqrt(n), computed here with numpy.
    half = rules.Z_95 * errors.std(ddof=1) / math.sqrt(len(errors))
    low, high = bootstrap_interval(pairs)
    assert low < brier(pairs) < high
    assert (high - low) / 2 == pytest.approx(half, rel=0.1)


authors = st.lists(
    st.lists(st.tuples(probs, st.sampled_from([0.0, 1.0])), min_size=0, max_size=30),
    min_size=1,
    max_size=12,
)


@FAST
@given(authors)
def test_population_prior_is_a_mean_of_author_scores_and_a_variance(
    records: list[list[Pair]],
) -> None:
    stats = [author_moments(r) for r in records]
    scores = [m.sum_se / m.n for m in stats if m.n]
    assume(scores)
    prior = population_prior(stats)
    assert min(scores) - 1e-12 <= prior.mean <= max(scores) + 1e-12
    assert prior.between_var >= 0.0
    assert prior.within_var >= 0.0


@FAST
@given(
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 0.1),
    st.floats(0.0, 0.2),
    st.integers(1, 500),
    st.integers(1, 500),
)
def test_shrinkage_lies_between_and_moves_toward_the_author_as_n_grows(
    own: float, mean: float, between: float, within: float, n: int, extra: int
) -> None:
    prior = Population(mean=mean, between_var=between, within_var=within)
    small = shrunk_brier(n=n, brier=own, within_var=within, prior=prior)
    large = shrunk_brier(n=n + extra, brier=own, within_var=within, prior=prior)
    assert min(own, mean) - 1e-12 <= small <= max(own, mean) + 1e-12
    assert abs(large - own) <= abs(small - own) + 1e-12


@FAST
@given(st.lists(st.tuples(probs, st.sampled_from([0.0, 0.5, 1.0])), max_size=50))
def test_running_totals_match_moments_computed_at_once(pairs: list[Pair]) -> None:
    running = Moments(0, 0.0, 0.0)
    for p, y in pairs:
        running = running.add(p, y)
    at_once = author_moments(pairs)
    assert running.n == at_once.n
    assert running.sum_se == pytest.approx(at_once.sum_se, abs=1e-9)
    assert running.sum_se2 == pytest.approx(at_once.sum_se2, abs=1e-9)


def test_three_lucky_calls_do_not_top_the_leaderboard() -> None:
    # Squared errors vary a lot from call to call (variance about 0.04 on FiveThirtyEight's
    # NBA games), so three good calls say little about an author.
    veteran = author_moments([(0.8, 1.0), (0.2, 0.0), (0.7, 1.0), (0.6, 0.0)] * 50)  # 0.1325
    lucky = author_moments([(0.99, 1.0)] * 3)  # Brier 0.0001
    crowd_calls = [(0.9, 1.0), (0.9, 0.0), (0.6, 1.0), (0.3, 0.0), (0.7, 1.0)] * 20
    crowd = [author_moments(crowd_calls) for _ in range(5)]
    prior = population_prior([veteran, lucky, *crowd])
    ranked = sorted([lucky, veteran], key=lambda m: shrunk_brier_from_moments(m, prior=prior))
    assert ranked == [veteran, lucky]


# --- hand-computed examples -------------------------------------------------------------

TWO = [(0.8, 1.0), (0.3, 0.0)]


def test_brier_by_hand() -> None:
    # ((0.8 - 1)^2 + (0.3 - 0)^2) / 2 = (0.04 + 0.09) / 2 = 0.065
    assert brier(TWO) == pytest.approx(0.065)


def test_log_score_by_hand() -> None:
    # (ln 0.8 + ln 0.7) / 2 = (-0.2231436 - 0.3566749) / 2 = -0.2899093
    assert log_score(TWO) == pytest.approx(-0.2899093, abs=1e-7)
    # p = 1 is clipped to 0.999, so a wrong certain call costs ln 0.001 = -6.9077553
    assert log_score([(1.0, 0.0)]) == pytest.approx(-6.9077553, abs=1e-7)


def test_spherical_by_hand() -> None:
    # 0.8 / sqrt(0.64 + 0.04) = 0.8 / 0.8246211 = 0.9701425
    # 0.7 / sqrt(0.09 + 0.49) = 0.7 / 0.7615773 = 0.9191450; mean 0.9446438
    assert spherical(TWO) == pytest.approx(0.9446438, abs=1e-7)
    # a tie scores the mean of both branches: (0.9701425 + 0.2425356) / 2 = 0.6063391
    assert spherical([(0.8, 0.5)]) == pytest.approx(0.6063391, abs=1e-7)


def test_skill_by_hand() -> None:
    # base rate 1/2, so both references give BS_ref = 0.25; 1 - 0.065 / 0.25 = 0.74
    assert brier_skill(TWO, reference=0.5) == pytest.approx(0.74)
    assert brier_skill(TWO) == pytest.approx(0.74)
    # sharpness: ((0.8 - 0.5)^2 + (0.3 - 0.5)^2) / 2 = (0.09 + 0.04) / 2 = 0.065
    assert sharpness(TWO) == pytest.approx(0.065)


def test_wilson_interval_by_hand() -> None:
    # 0 of 10, z^2 = 3.8414588: centre = (z^2 / 20) / (1 + z^2 / 10) = 0.1920729 / 1.3841459
    # = 0.1387664; half = z * sqrt(z^2 / 400) / 1.3841459 = 0.1387664, so (0, 0.2775328)
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.2775328, abs=1e-7)


def test_murphy_decomposition_by_hand() -> None:
    # Bin 7: four forecasts of 0.7, three came true (o = 0.75); bin 2: two of 0.2, one
    # came true (o = 0.5). N = 6, base rate 4/6 = 2/3.
    # REL = (4 * 0.05^2 + 2 * 0.3^2) / 6 = (0.01 + 0.18) / 6 = 0.0316667
    # RES = (4 * (1/12)^2 + 2 * (1/6)^2) / 6 = (1/36 + 2/36) / 6 = 1/72 = 0.0138889
    # UNC = 2/3 * 1/3 = 0.2222222
    # Brier = (3 * 0.09 + 0.49 + 0.64 + 0.04) / 6 = 1.44 / 6 = 0.24 = REL - RES + UNC
    pairs = [(0.7, 1.0)] * 3 + [(0.7, 0.0), (0.2, 0.0), (0.2, 1.0)]
    d = murphy_decomposition(pairs)
    assert d.reliability == pytest.approx(0.0316667, abs=1e-7)
    assert d.resolution == pytest.approx(0.0138889, abs=1e-7)
    assert d.uncertainty == pytest.approx(0.2222222, abs=1e-7)
    assert d.residual == pytest.approx(0.0, abs=1e-12)
    assert brier(pairs) == pytest.approx(0.24)


def test_shrinkage_by_hand() -> None:
    # A: errors 0.0, 0.2 (Brier 0.1); B: errors 0.4, 0.6 (Brier 0.5).
    # within = (0.01 + 0.01 + 0.01 + 0.01) / (4 - 2) = 0.02; grand mean 1.2 / 4 = 0.3
    # between = (2 * 0.2^2 + 2 * 0.2^2 - 1 * 0.02) / (4 - (4 + 4) / 4) = 0.14 / 2 = 0.07
    # mean: equal weights 1 / (0.02 / 2 + 0.07), so 0.3
    # A shrunk: w = 0.07 / (0.07 + 0.01) = 0.875; 0.875 * 0.1 + 0.125 * 0.3 = 0.125
    a = Moments(2, 0.2, 0.04)
    b = Moments(2, 1.0, 0.52)
    prior = population_prior([a, b])
    assert prior.within_var == pytest.approx(0.02)
    assert prior.between_var == pytest.approx(0.07)
    assert prior.mean == pytest.approx(0.3)
    assert shrunk_brier_from_moments(a, prior=prior) == pytest.approx(0.125)


# --- edges and errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pair", "named"),
    [((1.2, 1.0), "1.2"), ((-0.1, 0.0), "-0.1"), ((0.5, 2.0), "2.0"), ((math.nan, 1.0), "nan")],
)
def test_values_outside_zero_one_are_refused_by_name(pair: Pair, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        brier([pair])


def test_scores_of_nothing_are_refused() -> None:
    with pytest.raises(ValueError, match="no pairs"):
        brier([])


def test_summary_of_nothing_has_no_scores() -> None:
    summary = summarize([])
    assert summary.n == 0
    assert summary.brier is None
    assert summary.brier_ci is None
    assert summary.decomposition is None
    assert len(summary.calibration) == N_BINS


def test_summary_bundles_the_individual_scores() -> None:
    pairs = [(0.7, 1.0)] * 3 + [(0.7, 0.0), (0.2, 0.0), (0.2, 1.0), (0.9, 0.5)]
    summary = summarize(pairs)
    assert summary.n == 7
    assert summary.brier == brier(pairs)
    assert summary.log_score == log_score(pairs)
    assert summary.skill_vs_half == brier_skill(pairs, reference=0.5)
    assert summary.brier_ci == rules.brier_interval(rules.author_moments(pairs))
    assert summary.decomposition == murphy_decomposition(pairs)
    assert list(summary.calibration) == calibration(pairs)
