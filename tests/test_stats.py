"""The small statistical functions, each against a reference library or a hand computation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as st
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from qmdoc.compute import stats

TOL = 1e-9


def close(a, b, tol=TOL):
    return a == pytest.approx(b, abs=tol, rel=tol)


# ------------------------------------------------------------------- quantiles


@pytest.mark.parametrize("confidence", [0.95, 0.9, 0.99])
def test_z_value_is_the_normal_quantile(confidence):
    assert close(stats.z_value(confidence), st.norm.ppf(1 - (1 - confidence) / 2))


def test_z_value_refuses_a_confidence_outside_0_1():
    with pytest.raises(ValueError, match="expected a confidence between 0 and 1, got 95"):
        stats.z_value(95)


# ------------------------------------------------------------------ t interval


@pytest.mark.parametrize(
    "data, confidence",
    [
        ([1.0, 2.0, 4.0, 4.0, 5.0], 0.95),
        ([50.0, 75.0, 100.0, 25.0, 100.0, 0.0, 75.0], 0.95),
        ([3.2, 3.9], 0.95),
        ([10.0, 11.5, 9.0, 12.25], 0.9),
    ],
)
def test_t_interval_matches_scipy(data, confidence):
    x = np.array(data)
    n, mean, sd = x.size, x.mean(), x.std(ddof=1)
    lo, hi = stats.t_interval(mean, sd, n, confidence)
    ref = st.t.interval(confidence, df=n - 1, loc=mean, scale=sd / math.sqrt(n))
    assert close(lo, ref[0]) and close(hi, ref[1])


def test_t_interval_needs_two_answers():
    assert stats.t_interval(4.0, None, 1) is None
    assert stats.t_interval(4.0, 0.0, 0) is None


# -------------------------------------------------------------------- Wilson


@pytest.mark.parametrize("count, n", [(3, 5), (0, 7), (7, 7), (41, 120), (1, 1), (512, 1000)])
@pytest.mark.parametrize("confidence", [0.95, 0.9])
def test_wilson_interval_matches_statsmodels(count, n, confidence):
    lo, hi = stats.wilson_interval(count, n, confidence)
    ref_lo, ref_hi = proportion_confint(count, n, alpha=1 - confidence, method="wilson")
    assert close(lo, ref_lo) and close(hi, ref_hi)


def test_wilson_interval_of_nothing_is_none():
    assert stats.wilson_interval(0, 0) is None


# ---------------------------------------------------------------------- Welch


@pytest.mark.parametrize(
    "a, b",
    [
        ([50.0, 75.0, 100.0, 25.0, 100.0], [75.0, 75.0, 100.0, 100.0, 50.0, 100.0, 75.0]),
        ([1.0, 2.0, 3.0], [10.0, 30.0, 20.0, 40.0]),
        ([3.0, 3.5, 2.5, 4.0, 3.0, 3.5], [3.1, 2.9]),
    ],
)
def test_welch_t_test_from_summaries_matches_scipy_on_raw_data(a, b):
    a, b = np.array(a), np.array(b)
    t, df, p = stats.welch_t_test(a.mean(), a.std(ddof=1), a.size, b.mean(), b.std(ddof=1), b.size)
    ref = st.ttest_ind(b, a, equal_var=False)  # b - a: the change from a to b
    assert close(t, ref.statistic) and close(p, ref.pvalue) and close(df, ref.df)


def test_welch_t_test_is_undefined_without_spread_or_answers():
    assert stats.welch_t_test(1.0, 0.0, 5, 2.0, 0.0, 5) is None
    assert stats.welch_t_test(1.0, None, 1, 2.0, 1.0, 5) is None


# ------------------------------------------------------------ two proportions


@pytest.mark.parametrize("x1, n1, x2, n2", [(30, 100, 45, 110), (3, 5, 5, 6), (12, 40, 12, 40), (0, 10, 4, 12)])
def test_two_proportion_z_test_matches_statsmodels(x1, n1, x2, n2):
    z, p = stats.two_proportion_z_test(x1, n1, x2, n2)
    ref_z, ref_p = proportions_ztest([x2, x1], [n2, n1])  # pooled variance is statsmodels' default
    assert close(z, ref_z) and close(p, ref_p)


def test_two_proportion_z_test_is_undefined_when_pooled_share_is_0_or_1():
    assert stats.two_proportion_z_test(0, 10, 0, 12) is None
    assert stats.two_proportion_z_test(10, 10, 12, 12) is None
    assert stats.two_proportion_z_test(0, 0, 1, 2) is None


def test_difference_z_test_by_hand():
    z, p = stats.difference_z_test(2.5, 1.2, 0.9)
    assert close(z, 2.5 / math.sqrt(1.44 + 0.81))
    assert close(p, 2 * st.norm.sf(2.5 / 1.5))
    assert stats.difference_z_test(1.0, None, 1.0) is None
    assert stats.difference_z_test(1.0, 0.0, 0.0) is None


# ------------------------------------------------------------------------ NPS


def test_net_promoter_score_by_hand_on_ten_answers():
    answers = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0]
    promoters = sum(a >= 9 for a in answers)  # 5
    detractors = sum(a <= 6 for a in answers)  # 3
    passives = len(answers) - promoters - detractors  # 2
    assert (promoters, passives, detractors) == (5, 2, 3)
    value, se = stats.net_promoter_score(promoters, passives, detractors)
    # pP = 0.5, pD = 0.3: 100 * (0.5 - 0.3) = 20; se = 100 * sqrt((0.8 - 0.04) / 10)
    assert close(value, 20.0)
    assert close(se, 100 * math.sqrt(0.076))
    assert close(se, 27.568097504180443)


def test_net_promoter_score_of_nobody_is_none():
    assert stats.net_promoter_score(0, 0, 0) is None


# ------------------------------------------------------------ margin of error


def test_margin_of_error_with_finite_population_correction_by_hand():
    z = 1.959963984540054  # norm.ppf(0.975)
    assert close(stats.margin_of_error(400), 100 * z * math.sqrt(0.25 / 400))
    assert close(stats.margin_of_error(400), 4.899909961350135)
    assert close(stats.margin_of_error(400, 2000), 4.899909961350135 * math.sqrt(1600 / 1999))
    assert close(stats.margin_of_error(400, 2000, confidence=0.9), 100 * 1.6448536269514722 * 0.025 * math.sqrt(1600 / 1999))


def test_margin_of_error_edge_cases():
    assert stats.margin_of_error(0) is None
    assert stats.margin_of_error(50, 50) == 0.0  # a census


# -------------------------------------------------------------------- Pearson


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pearson_r_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(50, 20, 40)
    y = 0.5 * x + rng.normal(0, 15, 40)
    assert close(stats.pearson_r(x, y), st.pearsonr(x, y).statistic)


def test_pearson_r_small_example_matches_scipy():
    x, y = [70.0, 62.5, 50.0, 12.5, 100.0], [100.0, 75.0, 50.0, 25.0, 100.0]
    assert close(stats.pearson_r(x, y), st.pearsonr(x, y).statistic)


def test_pearson_r_is_undefined_for_constant_or_single_values():
    assert stats.pearson_r([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]) is None
    assert stats.pearson_r([1.0], [2.0]) is None
    with pytest.raises(ValueError, match="expected two 1-D arrays of the same length"):
        stats.pearson_r([1.0, 2.0], [1.0, 2.0, 3.0])
