"""Weighted samples: raking, Kish, and the weighted estimators.

References are independent of qmdoc: closed forms, hand-worked fractions, a
calibration solved with scipy (raking is multiplicative calibration), the
heteroscedasticity-robust (HC1) standard error of a weighted least-squares
intercept from statsmodels (it is the linearization se of a weighted mean),
a pairwise loop over respondents, and the unweighted figures of qmdoc itself
(which the weighted ones must reproduce with weights 1).
"""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import optimize
from scipy import stats as st

from qmdoc.compute import stats
from qmdoc.compute.survey import compute_survey_figures
from qmdoc.compute.weighting import (
    Raked,
    RakingFailure,
    design_weights,
    moments_from_grams,
    rake,
    summarize,
    weighted_linear,
    weighted_mean,
    weighted_moments,
    weighted_nps,
    weighted_share,
)
from qmdoc.models import Survey

NAN = float("nan")


def close(a, b, tol=1e-12):
    return a == pytest.approx(b, abs=tol, rel=tol)


# ----------------------------------------------------------------------- raking

TYPES = ["OEM"] * 5 + ["Distributor"] * 3 + ["Aftermarket"] * 2
REGIONS = ["North", "South", "North", "North", "South", "South", "North", "South", "North", "North"]
TYPE_SHARES = {"OEM": 0.3, "Distributor": 0.5, "Aftermarket": 0.2}
REGION_SHARES = {"North": 0.4, "South": 0.6}


def shares(codes, w):
    total = sum(w)
    out: dict[str, float] = {}
    for c, x in zip(codes, w):
        out[c] = out.get(c, 0.0) + x / total
    return out


def test_one_margin_gives_population_share_over_sample_share():
    res = rake({"type": TYPES}, {"type": TYPE_SHARES})
    assert isinstance(res, Raked)
    sample = {"OEM": 5 / 10, "Distributor": 3 / 10, "Aftermarket": 2 / 10}
    expected = [TYPE_SHARES[t] / sample[t] for t in TYPES]
    assert np.allclose(res.weights, expected, rtol=1e-14, atol=0)
    assert res.iterations == 1
    assert res.max_error <= 1e-10


def calibrated(types, regions, type_shares, region_shares):
    """Raking weights by a different route: w = exp(a_type + b_region) (multiplicative
    calibration, the raking ratio solution) with the shares met and mean 1, solved by scipy."""
    tl, rl = list(type_shares), list(region_shares)
    ti = np.array([tl.index(t) for t in types])
    ri = np.array([rl.index(r) for r in regions])

    def weights(p):
        a = p[: len(tl)]
        b = np.r_[0.0, p[len(tl) :]]
        return np.exp(a[ti] + b[ri])

    def equations(p):
        w = weights(p)
        eq = [w[ti == j].sum() / w.sum() - type_shares[t] for j, t in enumerate(tl)]
        eq += [w[ri == j].sum() / w.sum() - region_shares[r] for j, r in enumerate(rl)]
        return np.array(eq + [w.mean() - 1.0])

    sol = optimize.least_squares(equations, np.zeros(len(tl) + len(rl) - 1), xtol=1e-15, ftol=1e-15, gtol=1e-15)
    return weights(sol.x)


def test_two_margins_match_a_calibration_solved_independently():
    res = rake({"type": TYPES, "region": REGIONS}, {"type": TYPE_SHARES, "region": REGION_SHARES})
    assert isinstance(res, Raked)
    ref = calibrated(TYPES, REGIONS, TYPE_SHARES, REGION_SHARES)
    assert np.allclose(res.weights, ref, rtol=1e-9, atol=0)
    assert res.iterations > 1
    got_t, got_r = shares(TYPES, res.weights), shares(REGIONS, res.weights)
    assert max(abs(got_t[k] - v) for k, v in TYPE_SHARES.items()) <= 1e-10
    assert max(abs(got_r[k] - v) for k, v in REGION_SHARES.items()) <= 1e-10
    assert close(res.weights.mean(), 1.0)


def test_base_weights_are_raked_from():
    base = np.array([2.0, 1, 1, 1, 1, 3, 1, 1, 1, 1])
    res = rake({"type": TYPES}, {"type": TYPE_SHARES}, base=base)
    # one margin: base weight times share / weighted sample share, then mean 1
    wshare = {"OEM": 6 / 13, "Distributor": 5 / 13, "Aftermarket": 2 / 13}
    w = np.array([b * TYPE_SHARES[t] / wshare[t] for b, t in zip(base, TYPES)])
    assert np.allclose(res.weights, w / w.mean(), rtol=1e-14, atol=0)


def test_trimmed_weights_stay_within_the_bounds_and_meet_the_margins():
    margins, targets = {"type": TYPES, "region": REGIONS}, {"type": TYPE_SHARES, "region": REGION_SHARES}
    untrimmed = rake(margins, targets)
    assert untrimmed.weights.min() < 0.39  # (3 - sqrt 5) / 2: the lower bound below binds
    res = rake(margins, targets, trim=(0.4, 2.2))
    assert isinstance(res, Raked)
    ratio = res.weights / res.weights.mean()
    assert ratio.min() >= 0.4 - 1e-10 and ratio.max() <= 2.2 + 1e-10
    assert abs(ratio.min() - 0.4) <= 1e-10
    got_t, got_r = shares(TYPES, res.weights), shares(REGIONS, res.weights)
    assert max(abs(got_t[k] - v) for k, v in TYPE_SHARES.items()) <= 1e-10
    assert max(abs(got_r[k] - v) for k, v in REGION_SHARES.items()) <= 1e-10
    assert res.iterations > untrimmed.iterations


def test_a_trim_the_raked_weights_meet_changes_nothing():
    margins, targets = {"type": TYPES, "region": REGIONS}, {"type": TYPE_SHARES, "region": REGION_SHARES}
    untrimmed = rake(margins, targets)
    trimmed = rake(margins, targets, trim=(0.3, 2.2))
    assert trimmed.weights.tolist() == untrimmed.weights.tolist()
    assert trimmed.iterations == untrimmed.iterations


def test_trim_that_the_margins_cannot_meet_does_not_converge():
    # the Distributors (3 of 10) must carry half the weight: 5/3 of the mean, above 1.2
    res = rake({"type": TYPES}, {"type": TYPE_SHARES}, trim=(0.5, 1.2), max_iterations=200)
    assert isinstance(res, RakingFailure)
    assert (res.reason, res.iterations, res.trim_ok) == ("not_converged", 200, False)
    # the margins are met after every sweep; the clipping breaks them again
    assert res.max_error <= 1e-10


def test_a_declared_category_without_respondents_is_a_typed_failure():
    res = rake({"type": TYPES}, {"type": {**TYPE_SHARES, "Aftermarket": 0.1, "Service": 0.1}})
    assert res == RakingFailure("empty_category", "type", "Service")


def test_an_undeclared_or_missing_category_is_a_typed_failure():
    assert rake({"type": TYPES[:-1] + ["Retail"]}, {"type": TYPE_SHARES}) == RakingFailure(
        "undeclared_category", "type", "Retail"
    )
    assert rake({"type": TYPES[:-1] + [None]}, {"type": TYPE_SHARES}) == RakingFailure(
        "undeclared_category", "type", None
    )


# ------------------------------------------------------------------------ Kish


def test_kish_effective_n_design_effect_and_largest_weight_hand_worked():
    s = summarize(np.array([1.0, 2.0, 3.0, 4.0]))
    # sum 10, sum of squares 30: n_eff = 100/30, deff = 4 / (10/3) = 1.2, max = 4 / 2.5
    assert s.n == 4
    assert close(s.n_effective, 10 / 3) and close(s.design_effect, 1.2) and close(s.max_weight, 1.6)
    assert design_weights([1.0, 2.0, 3.0, 4.0]).tolist() == [0.4, 0.8, 1.2, 1.6]
    ones = summarize(np.ones(7))
    assert (ones.n_effective, ones.design_effect, ones.max_weight) == (7.0, 1.0, 1.0)


# ------------------------------------------------------------------ estimators

X5 = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
W5 = np.array([1.0, 1.0, 2.0, 2.0, 4.0])


def test_weighted_mean_hand_worked_five_rows():
    # sum w = 10, sum wx = 37, m = 3.7; w(x - m) = -2.7, -1.7, -1.4, 0.6, 5.2, squares sum 39.54
    m = F(37, 10)
    ss = sum((F(int(w)) * (F(int(x)) - m)) ** 2 for x, w in zip(X5, W5))
    assert ss == F(3954, 100)
    se2 = F(5, 4) * ss / 100
    res = weighted_mean(X5, W5)
    assert res.n == 5 and close(res.mean, 3.7) and close(res.se, math.sqrt(se2))
    half = st.t.ppf(0.975, 4) * math.sqrt(se2)
    assert close(res.ci[0], 3.7 - half) and close(res.ci[1], 3.7 + half)


def test_weighted_mean_se_is_the_hc1_se_of_a_weighted_least_squares_intercept():
    rng = np.random.default_rng(11)
    x = rng.integers(1, 6, 60).astype(float)
    w = rng.uniform(0.2, 3.0, 60)
    x[[3, 17, 40]] = NAN  # missing answers are left out
    ok = ~np.isnan(x)
    fit = sm.WLS(x[ok], np.ones((ok.sum(), 1)), weights=w[ok]).fit(cov_type="HC1")
    res = weighted_mean(x, w)
    assert res.n == 57
    assert close(res.mean, fit.params[0]) and close(res.se, fit.bse[0], 1e-10)
    # NPS: the same se of the mean of d = 1[9..10] - 1[0..6], times 100
    r = rng.integers(0, 11, 60).astype(float)
    d = (r >= 9).astype(float) - (r <= 6)
    fit = sm.WLS(d, np.ones((60, 1)), weights=w).fit(cov_type="HC1")
    nps = weighted_nps(r, w)
    assert close(nps.value, 100 * fit.params[0]) and close(nps.se, 100 * fit.bse[0], 1e-10)


def test_unit_weights_give_the_unweighted_mean_share_and_nps():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 11, 41).astype(float)
    ones = np.ones(x.size)
    n = x.size
    sd = float(np.std(x, ddof=1))
    res = weighted_mean(x, ones)
    ref = stats.t_interval(float(x.mean()), sd, n)
    assert close(res.mean, x.mean()) and close(res.se, sd / math.sqrt(n))
    assert close(res.ci[0], ref[0]) and close(res.ci[1], ref[1])

    hit = (x >= 9).astype(float)
    share = weighted_share(hit, ones)
    ref = stats.wilson_interval(int(hit.sum()), n)
    assert close(share.share, hit.sum() / n) and share.n_effective == n
    assert close(share.ci[0], ref[0]) and close(share.ci[1], ref[1])

    nps = weighted_nps(x, ones)
    value, se = stats.net_promoter_score(int((x >= 9).sum()), int(((x >= 7) & (x <= 8)).sum()), int((x <= 6).sum()))
    assert close(nps.value, value)
    assert close(nps.se, se * math.sqrt(n / (n - 1)))  # n - 1 divisor of the linearization


def test_weighted_share_hand_worked():
    hit = np.array([1.0, 0.0, 1.0, NAN, 0.0])
    w = np.array([2.0, 1.0, 1.0, 5.0, 4.0])
    # valid: w 2, 1, 1, 4 (sum 8); hits weigh 3: p = 3/8
    p = F(3, 8)
    ss = sum((F(int(wi)) * (F(int(h)) - p)) ** 2 for h, wi in [(1, 2), (0, 1), (1, 1), (0, 4)])
    res = weighted_share(hit, w)
    assert res.n == 4 and close(res.share, 0.375)
    assert close(res.se, math.sqrt(F(4, 3) * ss / 64))
    n_eff = 64 / 22
    assert close(res.n_effective, n_eff)
    z = st.norm.ppf(0.975)  # Wilson at p = 3/8 and n = n_eff
    centre = (0.375 + z * z / (2 * n_eff)) / (1 + z * z / n_eff)
    half = z * math.sqrt(0.375 * 0.625 / n_eff + z * z / (4 * n_eff * n_eff)) / (1 + z * z / n_eff)
    assert close(res.ci[0], centre - half) and close(res.ci[1], centre + half)


def test_weighted_nps_hand_worked():
    x = np.array([10.0, 9.0, 7.0, 3.0, 0.0, NAN])
    w = np.array([2.0, 1.0, 1.0, 1.0, 1.0, 9.0])
    # sum w = 6: promoters 3/6, detractors 2/6, passives 1/6; d = 1, 1, 0, -1, -1, mean 1/6
    m = F(1, 6)
    ss = sum((F(wi) * (F(d) - m)) ** 2 for d, wi in [(1, 2), (1, 1), (0, 1), (-1, 1), (-1, 1)])
    assert ss == F(224, 36)
    se = 100 * math.sqrt(F(5, 4) * ss / 36)
    res = weighted_nps(x, w)
    assert res.n == 5 and close(res.value, 100 / 6) and close(res.se, se)
    assert close(res.promoters, 0.5) and close(res.passives, 1 / 6) and close(res.detractors, 1 / 3)
    z = st.norm.ppf(0.975)
    assert close(res.ci[0], 100 / 6 - z * se) and close(res.ci[1], 100 / 6 + z * se)


def test_too_few_answers_give_none():
    one = weighted_mean(np.array([NAN, 3.0]), np.array([1.0, 2.0]))
    assert (one.n, one.mean, one.se, one.ci) == (1, 3.0, None, None)
    assert weighted_mean(np.array([NAN]), np.array([1.0])).mean is None
    assert weighted_nps(np.array([NAN]), np.array([1.0])).value is None


# ----------------------------------------------------- dimensions and the index


def pairwise_variance(X, w, c):
    """sum_ij c_i c_j n_ij/(n_ij - 1) sum_r w^2 (x_ri - a_ij)(x_rj - a_ji) / (W_i W_j), by loops."""
    n, k = X.shape
    valid = [[r for r in range(n) if X[r, i] == X[r, i]] for i in range(k)]
    W = [sum(w[r] for r in valid[i]) for i in range(k)]
    var = 0.0
    for i in range(k):
        for j in range(k):
            both = [r for r in valid[i] if r in valid[j]]
            if len(both) < 2 or c[i] == 0 or c[j] == 0:
                continue
            wb = sum(w[r] for r in both)
            ai = sum(w[r] * X[r, i] for r in both) / wb
            aj = sum(w[r] * X[r, j] for r in both) / wb
            s = sum(w[r] ** 2 * (X[r, i] - ai) * (X[r, j] - aj) for r in both)
            var += c[i] * c[j] * len(both) / (len(both) - 1) * s / (W[i] * W[j])
    return var


def random_answers(seed, n=40, k=4, missing=0.2):
    rng = np.random.default_rng(seed)
    X = rng.integers(1, 6, (n, k)).astype(float)
    X[rng.random((n, k)) < missing] = NAN
    return X, rng.uniform(0.3, 2.5, n)


def test_weighted_index_variance_matches_a_pairwise_loop():
    X, w = random_answers(5)
    S = (X - 1) / 4 * 100
    c = np.array([0.2, 0.3, 0.1, 0.4])
    mom = weighted_moments(S, w)
    est = weighted_linear(c, mom)
    means = [np.nansum(w * S[:, i]) / w[~np.isnan(S[:, i])].sum() for i in range(4)]
    assert close(est.value, float(np.dot(c, means)))
    assert close(est.se, math.sqrt(pairwise_variance(S, w, c)))
    # one item: the weighted mean's se
    for i in range(4):
        one = weighted_linear(np.eye(4)[i], mom)
        assert close(one.se, weighted_mean(S[:, i], w).se)


def test_grams_centred_anywhere_and_summed_over_parts_give_the_same_moments():
    # the survey engine centres on the unweighted wave means and takes a segment's rows
    X, w = random_answers(6, n=30)
    S = (X - 1) / 4 * 100
    M = ~np.isnan(S)
    shift = np.nanmean(S, axis=0)  # unweighted means: not the weighted centre
    B = np.hstack([np.where(M, S - shift, 0.0), M.astype(float)])
    rows = np.flatnonzero(np.arange(30) % 3 != 1)  # a "segment"
    Bs, ws = B[rows], w[rows]
    got = moments_from_grams(Bs.T @ (ws[:, None] * Bs), (ws[:, None] * Bs).T @ (ws[:, None] * Bs),
                             Bs[:, 4:].T @ Bs[:, 4:], shift)
    ref = weighted_moments(S[rows], ws)
    assert (got.ni == ref.ni).all() and (got.nij == ref.nij).all()
    assert np.allclose(got.means, ref.means, rtol=1e-12, atol=0)
    assert np.allclose(got.V, ref.V, rtol=1e-9, atol=1e-12)


def test_estimates_do_not_depend_on_the_scale_of_the_weights():
    X, w = random_answers(9, n=25)
    a, b = weighted_mean(X[:, 0], w), weighted_mean(X[:, 0], 7.5 * w)
    assert close(a.mean, b.mean) and close(a.se, b.se)
    assert close(summarize(w).n_effective, summarize(7.5 * w).n_effective)


def test_an_item_with_one_answer_gives_no_se():
    S = np.array([[10.0, 20.0], [30.0, NAN], [50.0, NAN]])
    est = weighted_linear(np.array([0.5, 0.5]), weighted_moments(S, np.ones(3)))
    assert close(est.value, 0.5 * 30 + 0.5 * 20) and est.se is None


def unweighted_survey() -> Survey:
    return Survey(
        id="css", title="Customer satisfaction", scale={"min": 1, "max": 5}, respondent="rid",
        importance="stated",
        dimensions=[
            {"id": "A", "title": "Product", "weight": 3,
             "items": [{"id": "a1", "text": "a1", "weight": 2}, {"id": "a2", "text": "a2", "weight": 1}]},
            {"id": "B", "title": "Service", "weight": 1,
             "items": [{"id": "b1", "text": "b1", "weight": 1}, {"id": "b2", "text": "b2", "weight": 1}]},
        ],
    )


def test_unit_weights_reproduce_the_unweighted_dimension_and_index_figures():
    X, _ = random_answers(8, n=37, missing=0.25)
    ids = ["a1", "a2", "b1", "b2"]
    df = pd.DataFrame(X, columns=ids)
    df.insert(0, "rid", range(len(df)))
    df.insert(0, "wave", "W1")
    wave = compute_survey_figures(unweighted_survey(), df).waves[0]
    mom = weighted_moments((X - 1) / 4 * 100, np.ones(len(X)))
    dim_a = weighted_linear(np.array([2 / 3, 1 / 3, 0, 0]), mom)
    dim_b = weighted_linear(np.array([0, 0, 0.5, 0.5]), mom)
    index = weighted_linear(np.array([0.75 * 2 / 3, 0.75 / 3, 0.125, 0.125]), mom)
    for est, ref in [(dim_a, wave.dimensions["A"]), (dim_b, wave.dimensions["B"]), (index, wave.index)]:
        value = ref.score if hasattr(ref, "score") else ref.value
        assert close(est.value, value) and close(est.se, ref.se)
    for i, iid in enumerate(ids):
        res = weighted_mean((X[:, i] - 1) / 4 * 100, np.ones(len(X)))
        assert close(res.mean, wave.items[iid].score)
        assert close(res.ci[0], wave.items[iid].ci[0]) and close(res.ci[1], wave.items[iid].ci[1])
