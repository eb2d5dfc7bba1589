"""Survey figures per wave: a hand-worked survey, then reference libraries on random data.

Expected values are computed in the tests themselves, with plain Python
arithmetic on the hand-worked survey (never by calling qmdoc) or with
pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from qmdoc.compute.survey import (
    CONCENTRATE,
    KEEP_UP,
    LOW_PRIORITY,
    OVERKILL,
    compute_survey_figures,
    figures_as_json,
)
from qmdoc.models import Survey

TOL = 1e-9
Z = 1.959963984540054  # scipy.stats.norm.ppf(0.975)
NAN = float("nan")


def close(a, b, tol=TOL):
    return a == pytest.approx(b, abs=tol, rel=tol)


# ------------------------------------------------------------ hand arithmetic


def mean(xs):
    return sum(xs) / len(xs)


def cov(xs, ys):
    mx, my = mean(xs), mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (len(xs) - 1)


def score(x, lo=1, hi=5):
    return (x - lo) / (hi - lo) * 100


def valid_scores(rows, item, lo=1, hi=5):
    """respondent -> 0–100 score of the valid answers to ``item`` (N/A code 0 and NaN dropped)."""
    return {r[0]: score(r[1][item], lo, hi) for r in rows if r[1][item] == r[1][item] and lo <= r[1][item] <= hi}


def linearized_variance(rows, coef):
    """sum_i sum_j c_i c_j s_ij n_ij / (n_i n_j), pairwise over respondents valid on both."""
    scores = {i: valid_scores(rows, i) for i in coef}
    var = 0.0
    for i, ci in coef.items():
        for j, cj in coef.items():
            both = [r for r in scores[i] if r in scores[j]]
            if len(both) < 2:
                continue
            s_ij = cov([scores[i][r] for r in both], [scores[j][r] for r in both])
            var += ci * cj * s_ij * len(both) / (len(scores[i]) * len(scores[j]))
    return var


# ---------------------------------------------------------- hand-worked survey

ITEMS = ["a1", "a2", "b1", "b2", "ov", "rec"]


def hand_survey(**overrides) -> Survey:
    spec = dict(
        id="css",
        title="Customer satisfaction",
        scale={"min": 1, "max": 5},
        not_applicable=[0],
        respondent="rid",
        segments=["region"],
        min_cell_n=3,
        population={"size": 100},
        invitations={"W1": 20},
        overall="ov",
        recommend="rec",
        importance="stated",
        dimensions=[
            {"id": "A", "title": "Product", "weight": 2, "items": [{"id": "a1", "text": "a1"}, {"id": "a2", "text": "a2"}]},
            {"id": "B", "title": "Service", "weight": 1, "items": [{"id": "b1", "text": "b1"}, {"id": "b2", "text": "b2"}]},
        ],
        items=[{"id": "ov", "text": "overall"}, {"id": "rec", "text": "recommend", "scale": {"min": 0, "max": 10}}],
    )
    spec.update(overrides)
    return Survey(**spec)


# (respondent, answers, region); 0 is the N/A code on the 1..5 items, NaN a blank
W1 = [
    ("r1", dict(a1=5, a2=4, b1=3, b2=4, ov=5, rec=10), "North"),
    ("r2", dict(a1=4, a2=0, b1=2, b2=3, ov=4, rec=9), "North"),
    ("r3", dict(a1=3, a2=3, b1=NAN, b2=2, ov=3, rec=7), "South"),
    ("r1", dict(a1=1, a2=1, b1=1, b2=1, ov=1, rec=0), "North"),  # duplicate of r1: dropped
    ("r4", dict(a1=2, a2=1, b1=1, b2=5, ov=2, rec=0), "North"),
    ("r5", dict(a1=0, a2=0, b1=0, b2=0, ov=0, rec=NAN), "South"),  # nothing valid
    ("r6", dict(a1=5, a2=5, b1=4, b2=5, ov=5, rec=8), "South"),
]
W2 = [
    ("r1", dict(a1=5, a2=5, b1=4, b2=4, ov=5, rec=10), "North"),
    ("r2", dict(a1=4, a2=4, b1=4, b2=5, ov=4, rec=9), "North"),
    ("r3", dict(a1=5, a2=4, b1=3, b2=4, ov=5, rec=10), "South"),
    ("r4", dict(a1=3, a2=4, b1=4, b2=3, ov=3, rec=6), "North"),
    ("r7", dict(a1=4, a2=5, b1=5, b2=5, ov=4, rec=9), "South"),
    ("r8", dict(a1=2, a2=0, b1=3, b2=NAN, ov=2, rec=5), "North"),
]
W1_KEPT = [W1[i] for i in (0, 1, 2, 4, 5, 6)]  # what the figures must use


def frame(waves: dict[str, list]) -> pd.DataFrame:
    records = [
        {"wave": w, "rid": rid, "region": region, **{k: float(v) for k, v in answers.items()}}
        for w, rows in waves.items()
        for rid, answers, region in rows
    ]
    return pd.DataFrame.from_records(records, columns=["wave", "rid", "region", *ITEMS])


@pytest.fixture(scope="module")
def hand():
    return compute_survey_figures(hand_survey(), frame({"W1": W1, "W2": W2}))


def test_waves_keep_their_order_and_count_respondents_with_a_valid_answer(hand):
    assert [w.wave for w in hand.waves] == ["W1", "W2"]
    w1 = hand.waves[0]
    assert w1.n == 5  # r1..r6 without r5 (nothing valid); the duplicate r1 dropped
    assert w1.duplicates_dropped == 1
    assert hand.waves[1].n == 6 and hand.waves[1].duplicates_dropped == 0


def test_hand_worked_item_figures(hand):
    items = hand.waves[0].items
    # a1: 5, 4, 3, 2, 5 (r5's N/A and the duplicate's 1 not counted)
    raw = [5, 4, 3, 2, 5]
    a1 = items["a1"]
    assert a1.n == 5
    assert close(a1.mean, 3.8) and close(a1.mean, mean(raw))
    assert close(a1.sd, math.sqrt(6.8 / 4)) and close(a1.sd, math.sqrt(cov(raw, raw)))
    assert close(a1.score, 70.0) and close(a1.score, mean([score(x) for x in raw]))
    s100 = [score(x) for x in raw]
    half = st.t.ppf(0.975, 4) * math.sqrt(cov(s100, s100)) / math.sqrt(5)
    assert close(a1.ci[0], 70.0 - half) and close(a1.ci[1], 70.0 + half)
    assert close(a1.top2, 3 / 5)
    ref = proportion_confint(3, 5, method="wilson")
    assert close(a1.top2_ci[0], ref[0]) and close(a1.top2_ci[1], ref[1])
    # a2: r2 and r5 answered N/A -> 4, 3, 1, 5
    assert items["a2"].n == 4
    assert close(items["a2"].mean, 13 / 4) and close(items["a2"].score, (75 + 50 + 0 + 100) / 4)
    # b1: r3 blank, r5 N/A -> 3, 2, 1, 4
    assert items["b1"].n == 4 and close(items["b1"].score, 37.5)
    assert close(items["b1"].top2, 1 / 4)  # only the 4
    assert items["b2"].n == 5 and close(items["b2"].score, 70.0)
    # rec is on 0..10: r4's 0 lies inside that scale, so it is an answer, not N/A
    assert items["rec"].n == 5 and close(items["rec"].mean, (10 + 9 + 7 + 0 + 8) / 5)
    assert close(items["rec"].top2, 2 / 5)  # 9 and 10


def test_hand_worked_dimensions_and_index(hand):
    w1 = hand.waves[0]
    A, B = w1.dimensions["A"], w1.dimensions["B"]
    assert close(A.score, (70.0 + 56.25) / 2) and close(A.score, 63.125)
    assert close(B.score, (37.5 + 70.0) / 2) and close(B.score, 53.75)
    assert A.n == 5 and B.n == 5
    assert close(w1.index.value, 2 / 3 * 63.125 + 1 / 3 * 53.75) and close(w1.index.value, 60.0)

    var_a = linearized_variance(W1_KEPT, {"a1": 0.5, "a2": 0.5})
    var_b = linearized_variance(W1_KEPT, {"b1": 0.5, "b2": 0.5})
    var_i = linearized_variance(W1_KEPT, {"a1": 1 / 3, "a2": 1 / 3, "b1": 1 / 6, "b2": 1 / 6})
    assert close(A.se, math.sqrt(var_a)) and close(B.se, math.sqrt(var_b))
    assert close(w1.index.se, math.sqrt(var_i))
    assert close(A.ci[0], A.score - Z * A.se) and close(A.ci[1], A.score + Z * A.se)
    assert close(w1.index.ci[0], 60.0 - Z * math.sqrt(var_i)) and close(w1.index.ci[1], 60.0 + Z * math.sqrt(var_i))


def test_hand_worked_linearized_variance_written_out():
    """The diagonal-plus-covariance formula, term by term, for dimension A of wave 1."""
    a1 = {"r1": 100, "r2": 75, "r3": 50, "r4": 25, "r6": 100}
    a2 = {"r1": 75, "r3": 50, "r4": 0, "r6": 100}
    both = ["r1", "r3", "r4", "r6"]
    s11 = cov(list(a1.values()), list(a1.values()))
    s22 = cov(list(a2.values()), list(a2.values()))
    s12 = cov([a1[r] for r in both], [a2[r] for r in both])
    var = 0.25 * s11 / 5 + 0.25 * s22 / 4 + 2 * 0.25 * s12 * 4 / (5 * 4)
    fig = compute_survey_figures(hand_survey(), frame({"W1": W1})).waves[0].dimensions["A"]
    assert close(fig.se, math.sqrt(var))


def test_hand_worked_nps_margin_and_response_rate(hand):
    w1 = hand.waves[0]
    # rec: 10, 9 promoters; 7, 8 passives; 0 detractor (r5 blank, duplicate dropped)
    nps = w1.nps
    assert nps.n == 5
    assert close(nps.promoters, 0.4) and close(nps.passives, 0.4) and close(nps.detractors, 0.2)
    assert close(nps.value, 20.0)
    se = 100 * math.sqrt((0.4 + 0.2 - 0.2**2) / 5)
    assert close(nps.se, se)
    assert close(nps.ci[0], 20.0 - Z * se) and close(nps.ci[1], 20.0 + Z * se)
    assert close(w1.margin_of_error, 100 * Z * math.sqrt(0.25 / 5) * math.sqrt(95 / 99))
    assert close(w1.response_rate, 5 / 20)
    assert hand.waves[1].response_rate is None  # no invitations declared for W2


def test_hand_worked_importance_performance(hand):
    imp = hand.waves[0].importance
    assert close(imp["A"].importance, 2 / 3) and close(imp["B"].importance, 1 / 3)
    assert close(imp["A"].performance, 63.125) and close(imp["B"].performance, 53.75)
    # crosshairs: importance 0.5, performance (63.125 + 53.75) / 2
    assert imp["A"].quadrant == KEEP_UP
    assert imp["B"].quadrant == LOW_PRIORITY
    assert hand.waves[0].importance_fallback is False


def test_quadrants_cover_all_four_cases():
    survey = hand_survey(
        dimensions=[
            {"id": d, "title": d, "weight": w, "items": [{"id": f"{d}1", "text": "x"}]}
            for d, w in [("hi_hi", 3), ("hi_lo", 3), ("lo_lo", 1), ("lo_hi", 1)]
        ],
        items=[],
        overall=None,
        recommend=None,
        segments=[],
    )
    answers = {"hi_hi1": [5, 5], "hi_lo1": [1, 2], "lo_lo1": [1, 1], "lo_hi1": [5, 4]}
    df = pd.DataFrame({"wave": ["W", "W"], "rid": ["x", "y"], **{k: [float(v) for v in vs] for k, vs in answers.items()}})
    imp = compute_survey_figures(survey, df).waves[0].importance
    assert imp["hi_hi"].quadrant == KEEP_UP
    assert imp["hi_lo"].quadrant == CONCENTRATE
    assert imp["lo_lo"].quadrant == LOW_PRIORITY
    assert imp["lo_hi"].quadrant == OVERKILL


def test_small_segment_is_suppressed_and_large_one_computed(hand):
    seg = hand.waves[0].segments["region"]
    assert list(seg) == ["North", "South"]
    south = seg["South"]  # r3, r6 valid; r5 has nothing valid
    assert south.n == 2 and south.suppressed is True
    assert south.index is None and south.dimensions is None
    north = seg["North"]  # r1, r2, r4 (the duplicate r1 dropped)
    assert north.n == 3 and north.suppressed is False
    a = mean([100, 75, 25]) / 2 + mean([75, 0]) / 2
    b = mean([50, 25, 0]) / 2 + mean([75, 50, 100]) / 2
    assert close(north.dimensions["A"].score, a) and close(north.dimensions["B"].score, b)
    assert close(north.index, 2 / 3 * a + 1 / 3 * b)
    rows = [r for r in W1_KEPT if r[2] == "North"]
    assert close(north.dimensions["A"].se, math.sqrt(linearized_variance(rows, {"a1": 0.5, "a2": 0.5})))


def test_suppressed_segment_is_null_in_json(hand):
    data = figures_as_json(hand)
    south = data["waves"][0]["segments"]["region"]["South"]
    assert south == {"n": 2, "index": None, "suppressed": True, "dimensions": None}
    text = json.dumps(data, allow_nan=False)
    assert '"South": {"n": 2, "index": null, "suppressed": true, "dimensions": null}' in text


def test_json_has_exactly_the_contract_shape(hand):
    data = figures_as_json(hand)
    assert set(data) == {"survey", "waves", "changes"} and data["survey"] == "css"
    w = data["waves"][0]
    assert set(w) == {
        "wave", "n", "duplicates_dropped", "margin_of_error", "response_rate", "index",
        "dimensions", "items", "nps", "segments", "importance", "drivers",
    }  # no "model", "loyalty", "competitors", "competitor_gaps", "internal": the survey declares none
    # (drivers: the survey has an overall item)
    assert hand.waves[0].loyalty == {} and hand.waves[0].satisfaction_loyalty_r == {}
    assert hand.waves[0].competitors is None and hand.waves[0].competitor_gaps is None
    assert hand.waves[0].internal is None
    assert set(w["index"]) == {"value", "ci", "se"} and isinstance(w["index"]["ci"], list)
    assert set(w["dimensions"]["A"]) == {"score", "n", "ci", "se"}
    assert set(w["items"]["a1"]) == {"n", "mean", "sd", "score", "ci", "top2", "top2_ci"}
    assert set(w["nps"]) == {"value", "se", "ci", "promoters", "passives", "detractors", "n"}
    assert set(w["importance"]["A"]) == {"importance", "performance", "quadrant"}
    assert set(w["segments"]["region"]["North"]) == {"n", "index", "suppressed", "dimensions"}
    assert set(data["changes"][0]) == {"from", "to", "metric", "delta", "p", "significant"}
    assert type(w["index"]["value"]) is float and type(w["n"]) is int
    assert w["index"]["value"] == hand.waves[0].index.value  # not rounded
    json.dumps(data, allow_nan=False)


def test_changes_between_waves_match_scipy_and_statsmodels(hand):
    w1, w2 = hand.waves
    changes = {c.metric: c for c in hand.changes}
    assert [c.metric for c in hand.changes] == [
        "index", "dimension.A", "dimension.B",
        "item.a1", "item.a2", "item.b1", "item.b2", "item.ov", "item.rec",
        "top2.a1", "top2.a2", "top2.b1", "top2.b2", "top2.ov", "top2.rec",
        "nps",
    ]
    assert all(c.from_wave == "W1" and c.to_wave == "W2" for c in hand.changes)

    # item: Welch t-test on the 0–100 scores
    s1 = list(valid_scores(W1_KEPT, "a2").values())
    s2 = list(valid_scores(W2, "a2").values())
    c = changes["item.a2"]
    assert close(c.delta, mean(s2) - mean(s1))
    assert close(c.p, st.ttest_ind(s2, s1, equal_var=False).pvalue)
    assert c.significant == (c.p < 0.05)

    # top-2-box: pooled two-proportion z-test
    x1 = sum(1 for r in W1_KEPT if r[1]["b1"] in (4, 5))
    x2 = sum(1 for r in W2 if r[1]["b1"] in (4, 5))
    c = changes["top2.b1"]
    assert (x1, x2) == (1, 4)
    assert close(c.delta, x2 / 6 - x1 / 4)
    assert close(c.p, proportions_ztest([x2, x1], [6, 4])[1])

    # index and dimensions: z on the difference with sqrt(se1^2 + se2^2)
    for metric, f1, f2 in [("index", w1.index, w2.index), ("dimension.B", w1.dimensions["B"], w2.dimensions["B"])]:
        v1 = f1.value if metric == "index" else f1.score
        v2 = f2.value if metric == "index" else f2.score
        c = changes[metric]
        assert close(c.delta, v2 - v1)
        assert close(c.p, 2 * st.norm.sf(abs(v2 - v1) / math.sqrt(f1.se**2 + f2.se**2)))
    # W2's index from its own hand-computed variance
    var2 = linearized_variance(W2, {"a1": 1 / 3, "a2": 1 / 3, "b1": 1 / 6, "b2": 1 / 6})
    assert close(w2.index.se, math.sqrt(var2))

    # NPS: W2 has 10, 9, 10, 6, 9, 5 -> pP = 4/6, pD = 2/6
    p_p, p_d = 4 / 6, 2 / 6
    nps2, se2 = 100 * (p_p - p_d), 100 * math.sqrt((p_p + p_d - (p_p - p_d) ** 2) / 6)
    se1 = 100 * math.sqrt((0.4 + 0.2 - 0.2**2) / 5)
    c = changes["nps"]
    assert close(c.delta, nps2 - 20.0)
    assert close(c.p, 2 * st.norm.sf(abs(nps2 - 20.0) / math.sqrt(se1**2 + se2**2)))


def test_significance_is_flagged_at_5_percent():
    # wave 2 answers much better on every item: all changes significant
    rng = np.random.default_rng(7)
    n = 200
    rows = []
    for w, shift in (("W1", 0.0), ("W2", 1.5)):
        for r in range(n):
            v = np.clip(np.round(rng.normal(2.5 + shift, 0.7, 6)), 1, 5)
            rows.append({"wave": w, "rid": f"{w}{r}", "region": "x", **dict(zip(ITEMS[:5], v[:5])), "rec": float(min(10, 2 * v[5]))})
    figs = compute_survey_figures(hand_survey(), pd.DataFrame(rows))
    assert all(c.significant and c.p < 0.05 and c.delta > 0 for c in figs.changes)


# -------------------------------------------------------- N/A and validation


def test_not_applicable_codes_are_missing_never_zero():
    survey = hand_survey(segments=[], overall=None, recommend=None, items=[])
    df = pd.DataFrame(
        {
            "wave": ["W"] * 4,
            "rid": ["p", "q", "r", "s"],
            "a1": [5.0, 0.0, 0.0, 0.0],  # three N/A
            "a2": [4.0, 2.0, 0.0, NAN],
            "b1": [3.0, 3.0, 3.0, 3.0],
            "b2": [0.0, 0.0, 0.0, 5.0],
        }
    )
    w = compute_survey_figures(survey, df).waves[0]
    a1 = w.items["a1"]
    # counted as 0 these would give n=4, mean 1.25; counted as the scale minimum, score 25
    assert a1.n == 1 and a1.mean == 5.0 and a1.score == 100.0
    assert a1.sd is None and a1.ci is None  # a single answer has no spread
    assert w.items["a2"].n == 2 and close(w.items["a2"].score, (75 + 25) / 2)
    assert w.items["b2"].n == 1 and w.items["b2"].score == 100.0
    assert close(w.dimensions["A"].score, (100 + 50) / 2)
    assert w.dimensions["A"].se is None  # a1 has a single answer
    assert w.n == 4


def test_out_of_scale_value_that_is_not_a_code_is_refused():
    df = frame({"W1": W1})
    df.loc[2, "b2"] = 7.0
    with pytest.raises(ValueError, match=r"wave W1: item b2: expected a value from 1 to 5 or a not-applicable code, got 7\.0"):
        compute_survey_figures(hand_survey(), df)


def test_wave_order_is_first_appearance():
    df = frame({"2026-Q1": W2, "2025-Q4": W1})
    figs = compute_survey_figures(hand_survey(invitations={}), df)
    assert [w.wave for w in figs.waves] == ["2026-Q1", "2025-Q4"]
    assert figs.changes[0].from_wave == "2026-Q1" and figs.changes[0].to_wave == "2025-Q4"


def test_empty_wave_gives_none_not_nan():
    rows = [("r5", dict(a1=0, a2=0, b1=0, b2=0, ov=0, rec=NAN), "South")]
    w = compute_survey_figures(hand_survey(), frame({"W1": rows})).waves[0]
    assert w.n == 0
    assert w.index.value is None and w.index.se is None and w.index.ci is None
    assert w.dimensions["A"].score is None and w.items["a1"].mean is None
    assert w.nps.value is None and w.nps.n == 0
    assert w.margin_of_error is None
    json.dumps(figures_as_json(compute_survey_figures(hand_survey(), frame({"W1": rows}))), allow_nan=False)


# ------------------------------------------------------------- random data


def random_frame(seed: int, n: int, signs=(1.0, 1.0, -1.0)) -> pd.DataFrame:
    """Three dimensions of 2-3 items on 1..5; ``ov`` driven by the dimensions with ``signs``."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(0, 1, (n, 3))
    cols = {}
    for d, k in enumerate((3, 2, 3)):
        for j in range(k):
            cols[f"d{d}i{j}"] = np.clip(np.round(3 + latent[:, d] + rng.normal(0, 0.8, n)), 1, 5)
    ov = 3 + sum(s * latent[:, d] for d, s in enumerate(signs)) * 0.6 + rng.normal(0, 0.5, n)
    cols["ov"] = np.clip(np.round(ov), 1, 5)
    df = pd.DataFrame(cols)
    mask = rng.random(df.shape)
    df = df.mask(mask < 0.08).mask((mask >= 0.08) & (mask < 0.13), 0.0)  # blanks and N/A codes
    df.insert(0, "wave", "W")
    df.insert(1, "rid", [f"r{i}" for i in range(n)])
    df.insert(2, "region", rng.choice(["East", "West"], n))
    return df


def random_survey(**overrides) -> Survey:
    spec = dict(
        id="rnd",
        title="Random",
        scale={"min": 1, "max": 5},
        not_applicable=[0],
        respondent="rid",
        segments=["region"],
        min_cell_n=10,
        overall="ov",
        importance="derived",
        dimensions=[
            {"id": f"d{d}", "title": f"D{d}", "items": [{"id": f"d{d}i{j}", "text": "x"} for j in range(k)]}
            for d, k in enumerate((3, 2, 3))
        ],
        items=[{"id": "ov", "text": "overall"}],
    )
    spec.update(overrides)
    return Survey(**spec)


def reference(df: pd.DataFrame, survey: Survey):
    """Scores, derived weights, index and its linearized se with pandas and scipy."""
    items = [i.id for i in survey.all_items()]
    s = df[items].where((df[items] >= 1) & (df[items] <= 5))
    s = (s - 1) / 4 * 100
    dims = {d.id: [i.id for i in d.items] for d in survey.dimensions}
    scores = {d: s[its].mean().mean() for d, its in dims.items()}
    r = {}
    for d, its in dims.items():
        per_respondent = s[its].mean(axis=1)  # mean of the respondent's valid answers
        ok = per_respondent.notna() & s["ov"].notna()
        r[d] = max(st.pearsonr(per_respondent[ok], s["ov"][ok]).statistic, 0.0)
    total = sum(r.values())
    weights = {d: v / total for d, v in r.items()} if total > 0 else {d: 1 / len(dims) for d in dims}
    index = sum(weights[d] * scores[d] for d in dims)
    coef = pd.Series({i: weights[d] / len(its) for d, its in dims.items() for i in its})
    sub = s[coef.index]
    C = sub.cov()  # pairwise-complete sample covariance, ddof=1
    valid = sub.notna().astype(float)
    nij = valid.T @ valid
    ni = valid.sum()
    V = C * nij / np.outer(ni, ni)
    se = math.sqrt(coef @ V @ coef)
    return scores, weights, index, se, total == 0


def test_derived_importance_matches_pearsonr_with_negatives_set_to_zero():
    df = random_frame(3, 400)
    survey = random_survey()
    w = compute_survey_figures(survey, df).waves[0]
    scores, weights, index, se, fallback = reference(df, survey)
    assert weights["d2"] == 0.0  # its r is negative
    for d in weights:
        assert close(w.importance[d].importance, weights[d])
        assert close(w.dimensions[d].score, scores[d])
    assert close(w.index.value, index)
    assert close(w.index.se, se)
    assert w.importance_fallback is False and not fallback


def test_derived_importance_of_a_segment_is_derived_on_the_segment():
    df = random_frame(4, 500)
    survey = random_survey()
    seg = compute_survey_figures(survey, df).waves[0].segments["region"]
    for level in ("East", "West"):
        _, _, index, _, _ = reference(df[df["region"] == level], survey)
        assert close(seg[level].index, index)


def test_derived_importance_falls_back_to_equal_weights_when_all_r_are_negative():
    df = random_frame(5, 300, signs=(-1.0, -1.0, -1.0))
    survey = random_survey()
    w = compute_survey_figures(survey, df).waves[0]
    _, weights, index, _, fallback = reference(df, survey)
    assert fallback
    assert w.importance_fallback is True
    assert all(close(w.importance[d].importance, 1 / 3) for d in weights)
    assert close(w.index.value, index)


def test_stated_importance_index_and_se_match_pandas_pairwise_covariance():
    df = random_frame(6, 300)
    survey = random_survey(importance="stated")  # no weights given: equal
    w = compute_survey_figures(survey, df).waves[0]
    items = [i.id for i in survey.all_items()]
    s = (df[items].where((df[items] >= 1) & (df[items] <= 5)) - 1) / 4 * 100
    dims = {d.id: [i.id for i in d.items] for d in survey.dimensions}
    for d, its in dims.items():
        coef = pd.Series({i: 1 / len(its) for i in its})
        valid = s[its].notna().astype(float)
        V = s[its].cov() * (valid.T @ valid) / np.outer(valid.sum(), valid.sum())
        assert close(w.dimensions[d].score, s[its].mean().mean())
        assert close(w.dimensions[d].se, math.sqrt(coef @ V @ coef))
        assert w.dimensions[d].n == int(s[its].notna().any(axis=1).sum())
    assert close(w.index.value, sum(s[its].mean().mean() for its in dims.values()) / 3)
    for i in items:
        assert close(w.items[i].sd, df[i].where((df[i] >= 1) & (df[i] <= 5)).std(ddof=1))


def test_item_weights_weight_the_dimension_score():
    df = random_frame(8, 200)
    survey = random_survey(
        importance="stated",
        dimensions=[
            {"id": "d0", "title": "D0", "items": [
                {"id": "d0i0", "text": "x", "weight": 3}, {"id": "d0i1", "text": "x", "weight": 1},
                {"id": "d0i2", "text": "x", "weight": 1}]},
            {"id": "d1", "title": "D1", "items": [{"id": f"d1i{j}", "text": "x"} for j in range(2)]},
        ],
        items=[],
        overall=None,
    )
    w = compute_survey_figures(survey, df).waves[0]
    raw = df[["d0i0", "d0i1", "d0i2"]]
    s = (raw.where((raw >= 1) & (raw <= 5)) - 1) / 4 * 100
    coef = pd.Series({"d0i0": 0.6, "d0i1": 0.2, "d0i2": 0.2})
    valid = s.notna().astype(float)
    V = s.cov() * (valid.T @ valid) / np.outer(valid.sum(), valid.sum())
    assert close(w.dimensions["d0"].score, float(coef @ s.mean()))
    assert close(w.dimensions["d0"].se, math.sqrt(coef @ V @ coef))


def test_structural_model_is_estimated_per_wave_when_declared():
    from qmdoc.compute import pls
    df = random_frame(9, 300, signs=(1.0, 1.0, 1.0))
    survey = random_survey(importance="stated", model={"paths": [("d0", "d2"), ("d1", "d2")]})
    figs = compute_survey_figures(survey, df)
    model = figs.waves[0].model
    items = [i for d in ("d0", "d1", "d2") for i in ([f"{d}i{j}" for j in range(3 if d != "d1" else 2)])]
    data = df[items].where((df[items] >= 1) & (df[items] <= 5))
    ref = pls.estimate_pls(
        data,
        {"d0": items[:3], "d1": items[3:5], "d2": items[5:]},
        [("d0", "d2"), ("d1", "d2")],
        scale={i: (1.0, 5.0) for i in items},
    )
    assert model.paths.keys() == ref.paths.keys()
    assert all(close(model.paths[p], ref.paths[p]) for p in ref.paths)
    assert all(close(model.index[lv], ref.index[lv]) for lv in ref.index)
    data_json = figures_as_json(figs)["waves"][0]["model"]
    estimate_keys = {"paths", "r2", "weights", "loadings", "ave", "alpha", "index", "iterations", "converged"}
    assessment_keys = {"n", "rho_c", "rho_a", "htmt", "htmt_flag", "fornell_larcker", "vif_outer", "r2_adjusted",
                       "f2", "vif_inner", "total_effects", "ipma", "bootstrap"} | {
        f"{name}_{part}" for name in ("paths", "weights", "loadings", "total_effects") for part in ("se", "t", "p", "ci")}
    assert set(data_json) == estimate_keys | assessment_keys
    assert set(data_json["paths"]) == {"d0->d2", "d1->d2"}
    json.dumps(figures_as_json(figs), allow_nan=False)


def test_parallel_waves_give_the_same_figures_as_serial(monkeypatch):
    import qmdoc.compute.survey as survey_module

    frames = []
    for w in range(3):
        df = random_frame(20 + w, 40_000)
        df["wave"] = f"W{w}"
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    survey = random_survey()
    assert len(df) >= survey_module._PARALLEL_MIN_ROWS
    parallel = compute_survey_figures(survey, df)
    monkeypatch.setattr(survey_module, "_PARALLEL_MIN_ROWS", 10**12)
    serial = compute_survey_figures(survey, df)
    assert figures_as_json(parallel) == figures_as_json(serial)
    items = [i.id for i in survey.all_items()]
    for f, w in zip(frames, serial.waves):
        answered = f[items].where((f[items] >= 1) & (f[items] <= 5)).notna().any(axis=1)
        assert w.n == int(answered.sum())


def test_a_wave_too_small_for_the_model_says_why_instead_of_failing():
    df = random_frame(9, 8, signs=(1.0, 1.0, 1.0))
    survey = random_survey(importance="stated", model={"paths": [("d0", "d2"), ("d1", "d2")]})
    items = [c for c in df.columns if c[:2] in ("d0", "d1", "d2")]
    complete = int(((df[items] >= 1) & (df[items] <= 5)).all(axis=1).sum())  # N/A and blanks are missing
    assert complete < 10
    wave = compute_survey_figures(survey, df).waves[0]
    assert wave.model is None
    assert (wave.model_unavailable.reason, wave.model_unavailable.detail) == (
        "too_few_rows", {"n": complete, "required": 10})
    assert figures_as_json(compute_survey_figures(survey, df))["waves"][0]["model_unavailable"] == {
        "reason": "too_few_rows", "n": complete, "required": 10}


def test_a_constant_item_leaves_the_wave_without_a_model():
    df = random_frame(9, 60, signs=(1.0, 1.0, 1.0))
    df["d0i0"] = 3.0
    survey = random_survey(importance="stated", model={"paths": [("d0", "d2"), ("d1", "d2")]})
    wave = compute_survey_figures(survey, df).waves[0]
    assert wave.model is None
    assert wave.model_unavailable.reason == "constant_item"
    assert wave.model_unavailable.detail["item"] == "d0i0"
