"""Weighted service-quality gaps and improvement evaluations (``weighting:``).

References independent of qmdoc: hand-worked fractions, the heteroscedasticity-robust (HC1)
standard error of a weighted least-squares intercept on the paired differences (statsmodels; it
is the linearization se of a weighted mean), Wilson's formula written out, scipy's t
distribution, and qmdoc's own unweighted gap figures, which weights 1 must reproduce.
"""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction as F

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats as st

from qmdoc.compute.gaps import compute_gaps, gap_changes
from qmdoc.compute.survey import compute_survey_figures, figures_as_json
from qmdoc.models import Survey

NAN = np.nan
SCALES = {"A": (1, 5), "B": (1, 5)}  # one scale point = 25 points on 0-100
DIMS = {"reliability": ["A", "B"]}
# five respondents (the unweighted gap tests' data); 9 is the not-applicable code
E = pd.DataFrame({"A": [5, 4, 5, NAN, 3], "B": [4, 3, NAN, 5, 2]})
P = pd.DataFrame({"A": [4, 4, 3, 5, 4], "B": [2, 3, NAN, 5, 9]})
W = np.array([1.0, 2.0, 1.0, 3.0, 2.0])


def approx(x, tol=1e-12):
    return pytest.approx(x, abs=tol, rel=tol)


def wilson(p: float, n: float) -> tuple[float, float]:
    z = st.norm.ppf(0.975)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def by_hand(d: list[F], e: list[F], p: list[F], w: list[F]) -> dict:
    """The weighted gap figures of pairs (differences d, expectations e, perceptions p, weights w)."""
    n, total = len(d), sum(w)
    gap = sum(wi * di for wi, di in zip(w, d)) / total
    se2 = F(n, n - 1) * sum((wi * (di - gap)) ** 2 for wi, di in zip(w, d)) / total**2
    sd2 = F(n, n - 1) * sum(wi * (di - gap) ** 2 for wi, di in zip(w, d)) / total
    short = sum(wi for wi, di in zip(w, d) if di < 0) / total
    se = math.sqrt(se2)
    half = st.t.ppf(0.975, n - 1) * se
    return {"n": n, "gap": float(gap), "se": se, "sd": math.sqrt(sd2), "ci": (gap - half, gap + half),
            "p": 2 * st.t.sf(abs(float(gap)) / se, n - 1),
            "expectation": float(sum(wi * x for wi, x in zip(w, e)) / total),
            "perception": float(sum(wi * x for wi, x in zip(w, p)) / total),
            "share_short": float(short), "n_eff": float(total**2 / sum(wi * wi for wi in w))}


def check(got, ref: dict) -> None:
    assert got.n == ref["n"]
    for k in ("gap", "se", "sd", "p", "expectation", "perception", "share_short"):
        assert getattr(got, k) == approx(ref[k]), k
    assert got.ci == (approx(float(ref["ci"][0])), approx(float(ref["ci"][1])))
    assert got.share_short_ci == tuple(approx(v) for v in wilson(ref["share_short"], ref["n_eff"]))


def test_weighted_item_gap_hand_worked():
    a = compute_gaps(E, P, SCALES, DIMS, not_applicable=(9,), weights=W).items["A"]
    # pairs r1 (100, 75) w 1, r2 (75, 75) w 2, r3 (100, 50) w 1, r5 (50, 75) w 2; r4 has no expectation
    # sum w = 6, sum w d = -25 + 0 - 50 + 50 = -25: gap -25/6; expectation 450/6 = 75, perception 425/6
    ref = by_hand([F(-25), F(0), F(-50), F(25)], [F(100), F(75), F(100), F(50)], [F(75), F(75), F(50), F(75)],
                  [F(1), F(2), F(1), F(2)])
    assert (ref["gap"], ref["expectation"], ref["perception"]) == (-25 / 6, 75.0, 425 / 6)
    # deviations -125/6, 25/6, -275/6, 175/6, w^2 1, 4, 1, 4: sum 216250/36; se^2 = 4/3 * that / 36
    assert ref["se"] == approx(math.sqrt(4 / 3 * 216250 / 36 / 36))
    assert ref["share_short"] == approx(1 / 3) and ref["n_eff"] == approx(3.6)  # r1, r3: 2 of 6; 36 / 10
    check(a, ref)


def test_weighted_dimension_gap_hand_worked():
    d = compute_gaps(E, P, SCALES, DIMS, not_applicable=(9,), weights=W).dimensions["reliability"]
    # respondent dimension values (e, p, gap): r1 (87.5, 50, -37.5), r2 (62.5, 62.5, 0), r3 (100, 50, -50),
    # r4 (100, 100, 0), r5 (50, 75, +25); weights 1, 2, 1, 3, 2 (sum 9): gap -37.5/9
    ref = by_hand([F(-75, 2), F(0), F(-50), F(0), F(25)], [F(175, 2), F(125, 2), F(100), F(100), F(50)],
                  [F(50), F(125, 2), F(50), F(100), F(75)], [F(1), F(2), F(1), F(3), F(2)])
    assert ref["gap"] == approx(-37.5 / 9) and ref["share_short"] == approx(2 / 9)
    check(d, ref)


def test_weighted_gap_is_a_wls_intercept_with_its_hc1_se():
    rng = np.random.default_rng(5)
    n = 80
    e = pd.DataFrame({"A": rng.integers(1, 6, n).astype(float)})
    p = pd.DataFrame({"A": rng.integers(1, 6, n).astype(float)})
    e.iloc[[4, 19], 0] = NAN
    p.iloc[[33], 0] = NAN
    w = rng.uniform(0.2, 3.0, n)
    g = compute_gaps(e, p, {"A": (1, 5)}, {}, weights=w).items["A"]
    ok = e["A"].notna().to_numpy() & p["A"].notna().to_numpy()
    diff = ((p["A"] - e["A"]) * 25.0).to_numpy()[ok]
    fit = sm.WLS(diff, np.ones((ok.sum(), 1)), weights=w[ok]).fit(cov_type="HC1")
    assert g.n == 77
    assert g.gap == approx(fit.params[0], 1e-10) and g.se == approx(fit.bse[0], 1e-10)
    half = st.t.ppf(0.975, 76) * fit.bse[0]
    assert g.ci == (approx(fit.params[0] - half, 1e-10), approx(fit.params[0] + half, 1e-10))
    assert g.p == approx(2 * st.t.sf(abs(fit.params[0] / fit.bse[0]), 76), 1e-9)


def test_unit_weights_reproduce_the_unweighted_gaps_exactly():
    # the linearization se of a mean with equal weights is sd / sqrt(n) (no sqrt(n / (n - 1)) factor:
    # the ratio estimator's n / (n - 1) turns the spread's 1/n into the sample SD's 1/(n - 1))
    rng = np.random.default_rng(8)
    e = pd.DataFrame({"A": rng.integers(1, 6, 50).astype(float), "B": rng.integers(1, 6, 50).astype(float)})
    p = pd.DataFrame({"A": rng.integers(1, 6, 50).astype(float), "B": rng.integers(1, 6, 50).astype(float)})
    e.iloc[[1, 2, 3], 1] = NAN
    plain = compute_gaps(e, p, SCALES, DIMS)
    ones = compute_gaps(e, p, SCALES, DIMS, weights=np.full(50, 2.5))  # any constant weight
    for u, v in [*zip(plain.items.values(), ones.items.values()), (plain.dimensions["reliability"],
                                                                   ones.dimensions["reliability"])]:
        assert u.se is None and v.n == u.n
        assert v.se == approx(u.sd / math.sqrt(u.n))
        for k in ("expectation", "perception", "gap", "sd", "p", "share_short"):
            assert getattr(v, k) == approx(getattr(u, k)), k
        assert v.ci == tuple(approx(x) for x in u.ci)
        assert v.share_short_ci == tuple(approx(x) for x in u.share_short_ci)
    assert ones.ranked_items == plain.ranked_items


def test_weighted_gap_change_is_welch_on_the_linearization_se():
    first = compute_gaps(E, P, SCALES, DIMS, not_applicable=(9,), weights=W)
    e2 = pd.DataFrame({"A": [4, 4, 5, 3, 2, 5], "B": [4, 4, 4, 4, 4, 4]})
    p2 = pd.DataFrame({"A": [4, 5, 5, 3, 3, 4], "B": [1, 2, 1, 1, 2, 1]})
    w2 = np.array([0.5, 1.0, 2.0, 1.5, 1.0, 3.0])
    second = compute_gaps(e2, p2, SCALES, DIMS, weights=w2)
    changes = {(c.kind, c.id): c for c in gap_changes("2024", first, "2025", second)}
    for key in (("item", "A"), ("item", "B"), ("dimension", "reliability")):
        a = (first.items if key[0] == "item" else first.dimensions)[key[1]]
        b = (second.items if key[0] == "item" else second.dimensions)[key[1]]
        v1, v2 = a.se**2, b.se**2
        df = (v1 + v2) ** 2 / (v1 * v1 / (a.n - 1) + v2 * v2 / (b.n - 1))
        t = (b.gap - a.gap) / math.sqrt(v1 + v2)
        c = changes[key]
        assert c.delta == approx(b.gap - a.gap)
        assert c.p == approx(2 * st.t.sf(abs(t), df), 1e-10)
        half = st.t.ppf(0.975, df) * math.sqrt(v1 + v2)
        assert c.ci == (approx(c.delta - half, 1e-10), approx(c.delta + half, 1e-10))
        assert c.significant is bool(c.p < 0.05)
    # item A: wave 2 weighted gap (0*0.5 + 25*1 + 0*2 + 0*1.5 + 25*1 - 25*3) / 9 = -25/9, nearer zero
    assert second.items["A"].gap == approx(-25 / 9)
    assert changes[("item", "A")].direction == "narrowed"


def test_weights_of_another_length_are_refused():
    with pytest.raises(ValueError, match=r"^expected one weight per respondent \(5\), got shape \(4,\)$"):
        compute_gaps(E, P, SCALES, DIMS, not_applicable=(9,), weights=W[:4])


# ------------------------------------------------------------------ a weighted survey, end to end

WAVES = ("2025-Q1", "2025-Q2")


def survey(weighted: bool) -> Survey:
    spec = dict(
        id="gq", title="Gaps", scale={"min": 1, "max": 5}, not_applicable=[0], respondent="rid",
        dimensions=[{"id": "delivery", "title": "Delivery", "items": [
            {"id": "q1", "text": "on time", "expectation": {"column": "e1"}},
            {"id": "q2", "text": "complete", "expectation": {"column": "e2"}}]}],
        improvements=[{"id": "CA-1", "title": "carrier", "date": "2025-03-31", "item": "q1"}],
    )
    if weighted:
        spec["weighting"] = {"column": "wt"}
    return Survey(**spec)


def responses() -> pd.DataFrame:
    rng = np.random.default_rng(21)
    parts = []
    for k, wave in enumerate(WAVES):
        n = 40 + 10 * k
        df = pd.DataFrame({"wave": wave, "rid": [f"r{k}-{i}" for i in range(n)]})
        for q in ("q1", "q2"):
            df[q] = rng.integers(1 + k, 6, n).astype(float)
            df["e" + q[1:]] = rng.integers(2, 6, n).astype(float)
        df.loc[3, "q2"] = NAN
        df["wt"] = rng.uniform(0.3, 3.0, n)
        parts.append(df)
    return pd.concat(parts, ignore_index=True)


def wls(y: np.ndarray, w: np.ndarray):
    return sm.WLS(y, np.ones((y.size, 1)), weights=w).fit(cov_type="HC1")


def test_a_weighted_survey_weights_its_gaps_and_its_item_improvement():
    df = responses()
    fig = compute_survey_figures(survey(True), df)
    refs = []
    for wave, wf in zip(WAVES, fig.waves):
        rows = df[df["wave"] == wave]
        w = rows["wt"].to_numpy()
        d = ((rows["q2"] - rows["e2"]) * 25.0).to_numpy()
        ok = ~np.isnan(d)
        fit = wls(d[ok], w[ok])
        g = wf.gaps.items["q2"]
        assert g.n == int(ok.sum())  # unweighted
        assert g.gap == approx(fit.params[0], 1e-10) and g.se == approx(fit.bse[0], 1e-10)
        score = wls((rows["q1"].to_numpy() - 1) * 25.0, w)
        refs.append((wf.items["q1"], score))
        assert wf.items["q1"].score_se == approx(score.bse[0], 1e-10)
    (ev,) = fig.improvements
    (after,) = ev.after
    (b, sb), (a, sa) = refs
    # Welch on the weighted items' linearization se, as the survey's weighted item changes
    v1, v2 = sb.bse[0] ** 2, sa.bse[0] ** 2
    df_w = (v1 + v2) ** 2 / (v1 * v1 / (b.n - 1) + v2 * v2 / (a.n - 1))
    delta = sa.params[0] - sb.params[0]
    assert after.delta == approx(delta, 1e-10)
    assert after.p == approx(2 * st.t.sf(abs(delta) / math.sqrt(v1 + v2), df_w), 1e-9)
    half = st.t.ppf(0.975, df_w) * math.sqrt(v1 + v2)
    assert after.ci == (approx(delta - half, 1e-9), approx(delta + half, 1e-9))
    item_change = next(c for c in fig.changes if c.metric == "item.q1")
    assert after.p == approx(item_change.p, 1e-12)  # the same test as the change between the waves
    # the JSON keeps its keys; n stays the unweighted count
    out = figures_as_json(fig)["waves"][0]["gaps"]["items"]["q2"]
    assert list(out) == ["n", "expectation", "perception", "gap", "ci", "share_short"]
    assert out["n"] == fig.waves[0].gaps.items["q2"].n


def test_the_unweighted_survey_keeps_its_unweighted_gaps_and_improvement():
    df = responses()
    fig = compute_survey_figures(survey(False), df)
    rows = df[df["wave"] == WAVES[0]]
    d = ((rows["q1"] - rows["e1"]) * 25.0).to_numpy()
    g = fig.waves[0].gaps.items["q1"]
    assert g.se is None and g.gap == approx(d.mean()) and g.sd == approx(d.std(ddof=1))
    (after,) = fig.improvements[0].after
    x1 = (rows["q1"].to_numpy() - 1) * 25.0
    x2 = (df[df["wave"] == WAVES[1]]["q1"].to_numpy() - 1) * 25.0
    assert after.p == approx(st.ttest_ind(x2, x1, equal_var=False).pvalue, 1e-10)
