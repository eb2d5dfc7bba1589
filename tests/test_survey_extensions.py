"""Survey figures for competitor comparison, loyalty and internal customers.

Expected values are worked by hand in the tests (plain Python arithmetic on
small surveys, never by calling qmdoc) or computed with pandas/scipy/
statsmodels on random data. Where a test compares two qmdoc runs (ours-only
data against the same data with competitor rows), the point is the
definition "all figures from our rows only", and the hand-worked values pin
the numbers.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st
from statsmodels.stats.proportion import proportion_confint

from qmdoc.compute.survey import (
    CellFigures,
    CompetitorFigures,
    InternalMatrix,
    LoyaltyFigures,
    compute_survey_figures,
    figures_as_json,
)
from qmdoc.models import Survey
from test_survey_figures import random_frame, random_survey, reference

TOL = 1e-9
NAN = float("nan")
NEW_KEYS = {"loyalty", "competitors", "competitor_gaps", "internal"}


def close(a, b, tol=TOL):
    return a == pytest.approx(b, abs=tol, rel=tol)


def mean(xs):
    return sum(xs) / len(xs)


def score(x, lo=1, hi=5):
    return (x - lo) / (hi - lo) * 100


def survey(**overrides) -> Survey:
    spec = dict(
        id="cmp",
        title="Customer satisfaction with competitors",
        scale={"min": 1, "max": 5},
        not_applicable=[0],
        respondent="rid",
        segments=["region"],
        min_cell_n=2,
        overall="ov",
        recommend="rec",
        importance="stated",
        dimensions=[
            {"id": "A", "title": "Product", "weight": 2, "items": [{"id": "a1", "text": "a1"}, {"id": "a2", "text": "a2"}]},
            {"id": "B", "title": "Service", "weight": 1, "items": [{"id": "b1", "text": "b1"}, {"id": "b2", "text": "b2"}]},
        ],
        items=[
            {"id": "ov", "text": "overall"},
            {"id": "rec", "text": "recommend", "scale": {"min": 0, "max": 10}},
            {"id": "rep", "text": "will buy again"},
        ],
    )
    spec.update(overrides)
    return Survey(**spec)


COMPETITORS = {"competitors": {"column": "co", "us": "Us"}}
ITEMS = ["a1", "a2", "b1", "b2", "ov", "rec", "rep"]
BLANK = dict(ov=NAN, rec=NAN, rep=NAN)  # competitor rows: no overall, recommend or loyalty answers

# (respondent, rated company, answers, region); 0 is the N/A code on the 1..5 items, NaN a blank
W1 = [
    ("r1", "Us", dict(a1=5, a2=4, b1=3, b2=4, ov=5, rec=10, rep=4), "North"),
    ("r1", "Acme", dict(a1=3, a2=3, b1=2, b2=NAN, **BLANK), "North"),  # r1 rates us and Acme: no duplicate
    ("r2", "Us", dict(a1=4, a2=0, b1=2, b2=3, ov=4, rec=9, rep=5), "North"),
    ("r2", "Beta", dict(a1=2, a2=2, b1=5, b2=5, **BLANK), "North"),
    ("r2", "Acme", dict(a1=4, a2=5, b1=4, b2=3, **BLANK), "North"),
    ("r3", "Us", dict(a1=3, a2=3, b1=NAN, b2=2, ov=3, rec=7, rep=3), "South"),
    ("r3", "Acme", dict(a1=5, a2=4, b1=3, b2=4, **BLANK), "South"),
    ("r1", "Acme", dict(a1=1, a2=1, b1=1, b2=1, **BLANK), "North"),  # repeats (r1, Acme): dropped
    ("r2", "Us", dict(a1=1, a2=1, b1=1, b2=1, ov=1, rec=0, rep=1), "North"),  # repeats (r2, Us): dropped
    ("r4", "Us", dict(a1=2, a2=1, b1=1, b2=5, ov=2, rec=0, rep=2), "South"),
]
W2 = [
    ("r1", "Us", dict(a1=5, a2=5, b1=4, b2=4, ov=5, rec=10, rep=NAN), "North"),
    ("r1", "Acme", dict(a1=4, a2=4, b1=4, b2=4, **BLANK), "North"),
    ("r2", "Us", dict(a1=4, a2=4, b1=4, b2=5, ov=4, rec=9, rep=5), "North"),
    ("r3", "Us", dict(a1=5, a2=4, b1=3, b2=4, ov=5, rec=10, rep=0), "South"),  # rep N/A
    ("r4", "Us", dict(a1=3, a2=4, b1=4, b2=3, ov=3, rec=6, rep=3), "South"),
]
OURS_W1 = [r for i, r in enumerate(W1) if r[1] == "Us" and i != 8]  # r1, r2, r3, r4 as the figures must use them


def frame(waves: dict[str, list], company: bool = True) -> pd.DataFrame:
    records = [
        {"wave": w, "rid": rid, **({"co": co} if company else {}), "region": region,
         **{k: float(v) for k, v in answers.items()}}
        for w, rows in waves.items()
        for rid, co, answers, region in rows
    ]
    return pd.DataFrame.from_records(records, columns=["wave", "rid", *(["co"] if company else []), "region", *ITEMS])


@pytest.fixture(scope="module")
def cmp():
    return compute_survey_figures(survey(**COMPETITORS), frame({"W1": W1, "W2": W2}))


# ------------------------------------------------------------------ competitors


def test_our_figures_come_from_our_rows_only(cmp):
    """Every figure of the wave equals the figures of our rows alone (duplicates removed)."""
    ours = {"W1": OURS_W1, "W2": [r for r in W2 if r[1] == "Us"]}
    alone = figures_as_json(compute_survey_figures(survey(), frame(ours, company=False)))
    got = figures_as_json(cmp)
    for w in got["waves"]:
        for k in NEW_KEYS:
            w.pop(k, None)
    for w in alone["waves"]:
        w["duplicates_dropped"] = None
    for w in got["waves"]:
        w["duplicates_dropped"] = None
    assert got == alone
    # and by hand: n, one item, the dimensions and the index of W1
    w1 = cmp.waves[0]
    assert w1.n == 4
    assert w1.items["a1"].n == 4 and close(w1.items["a1"].score, mean([100, 75, 50, 25]))
    a = (mean([100, 75, 50, 25]) + mean([75, 50, 0])) / 2  # r2's a2 is N/A
    b = (mean([50, 25, 0]) + mean([75, 50, 25, 100])) / 2  # r3's b1 is blank
    assert close(w1.dimensions["A"].score, a) and close(w1.dimensions["B"].score, b)
    assert close(w1.index.value, 2 / 3 * a + 1 / 3 * b) and close(w1.index.value, 49.30555555555556)
    assert w1.nps.n == 4 and close(w1.nps.value, 100 * (2 / 4 - 1 / 4))
    assert w1.segments["region"]["North"].n == 2 and w1.segments["region"]["South"].n == 2


def test_duplicates_are_per_wave_respondent_and_rated_company(cmp):
    w1 = cmp.waves[0]
    # r1 rates us and Acme, r2 us, Beta and Acme: none of these is a duplicate. The repeated
    # (r1, Acme) and (r2, Us) rows are dropped; duplicates_dropped counts our dropped row only.
    assert w1.duplicates_dropped == 1
    assert w1.competitors["Acme"].n == 3  # r1 (first row), r2, r3
    assert w1.n == 4  # r1..r4, r1 and r2 although they also rate competitors
    assert close(w1.items["a1"].score, mean([100, 75, 50, 25]))  # r2's first Us row kept (a1 4, not 1)
    assert w1.competitors["Beta"].n == 1
    assert cmp.waves[1].duplicates_dropped == 0


def test_hand_worked_competitor_figures_and_gaps(cmp):
    comp = cmp.waves[0].competitors
    assert list(comp) == ["Us", "Acme", "Beta"]  # us first, then by name
    acme = comp["Acme"]
    # Acme: a1 3, 4, 5 -> 50, 75, 100; a2 3, 5, 4; b1 2, 4, 3 -> 25, 75, 50; b2 blank, 3, 4 -> 50, 75
    a, b = mean([50, 75, 100]) / 2 + mean([50, 100, 75]) / 2, mean([25, 75, 50]) / 2 + mean([50, 75]) / 2
    assert (a, b) == (75.0, 56.25)
    assert acme == CompetitorFigures(n=3, index=pytest.approx(2 / 3 * 75 + 1 / 3 * 56.25, abs=TOL),
                                     dimensions={"A": pytest.approx(75.0, abs=TOL), "B": pytest.approx(56.25, abs=TOL)},
                                     suppressed=False)
    assert close(acme.index, 68.75)
    # Beta: one respondent < min_cell_n 2
    assert comp["Beta"] == CompetitorFigures(n=1, index=None, dimensions=None, suppressed=True)
    us = comp["Us"]
    w1 = cmp.waves[0]
    assert us.n == w1.n and us.index == w1.index.value and us.suppressed is False
    assert us.dimensions == {"A": w1.dimensions["A"].score, "B": w1.dimensions["B"].score}
    # gaps: ours minus the best unsuppressed competitor (Acme only; Beta is suppressed)
    gaps = w1.competitor_gaps
    assert close(gaps["A"], 52.083333333333336 - 75.0) and close(gaps["B"], 43.75 - 56.25)
    # W2: Acme has one respondent -> suppressed, so no gap
    assert cmp.waves[1].competitors["Acme"].suppressed and cmp.waves[1].competitor_gaps == {"A": None, "B": None}
    assert "Beta" not in cmp.waves[1].competitors  # only the companies rated in the wave


def test_gap_takes_the_best_competitor_per_dimension():
    figs = compute_survey_figures(survey(**COMPETITORS, min_cell_n=1), frame({"W1": W1}))
    w = figs.waves[0]
    beta = w.competitors["Beta"]  # a 2, 2 -> 25; b 5, 5 -> 100
    assert not beta.suppressed and close(beta.dimensions["A"], 25.0) and close(beta.dimensions["B"], 100.0)
    assert close(beta.index, 2 / 3 * 25 + 1 / 3 * 100)
    assert close(w.competitor_gaps["A"], 52.083333333333336 - 75.0)  # Acme best on A
    assert close(w.competitor_gaps["B"], 43.75 - 100.0)  # Beta best on B


def test_competitor_dimension_scores_use_the_item_weights():
    weighted = [
        {"id": "A", "title": "Product", "weight": 2, "items": [{"id": "a1", "text": "a1"}, {"id": "a2", "text": "a2"}]},
        {"id": "B", "title": "Service", "weight": 1,
         "items": [{"id": "b1", "text": "b1", "weight": 3}, {"id": "b2", "text": "b2", "weight": 1}]},
    ]
    w = compute_survey_figures(survey(**COMPETITORS, dimensions=weighted), frame({"W1": W1})).waves[0]
    acme = w.competitors["Acme"]  # b1 50, b2 62.5 with weights 3 : 1
    assert close(acme.dimensions["B"], 0.75 * 50 + 0.25 * 62.5) and close(acme.dimensions["B"], 53.125)
    assert close(acme.index, 2 / 3 * 75 + 1 / 3 * 53.125)
    assert close(w.competitor_gaps["B"], 0.75 * 25 + 0.25 * 62.5 - 53.125)  # ours: b1 25, b2 62.5


def test_small_cells_suppress_us_and_competitors_alike():
    w = compute_survey_figures(survey(**COMPETITORS, min_cell_n=5), frame({"W1": W1})).waves[0]
    assert w.competitors["Us"] == CompetitorFigures(4, None, None, True)
    assert w.competitors["Acme"] == CompetitorFigures(3, None, None, True)
    assert w.competitor_gaps == {"A": None, "B": None}
    assert w.index.value is not None  # the wave's own figures are not suppressed


def test_competitor_index_uses_our_derived_weights():
    rng = np.random.default_rng(11)
    ours = random_frame(12, 400)
    theirs = random_frame(13, 300, signs=(-1.0, 1.0, 1.0))  # their overall driven by other dimensions
    # theirs has the respondent ids r0..r299 of ours: the same respondents rate a competitor
    df = pd.concat([ours.assign(co="Us"), theirs.assign(co=rng.choice(["Zed", "Ace"], 300))], ignore_index=True)
    s = random_survey(competitors={"column": "co", "us": "Us"})
    w = compute_survey_figures(s, df).waves[0]
    _, our_weights, our_index, _, _ = reference(ours, s)
    assert close(w.index.value, our_index)
    for name in ("Ace", "Zed"):
        rows = df[df["co"] == name]
        scores, own_weights, own_index, _, _ = reference(rows, s)
        expected = sum(our_weights[d] * scores[d] for d in scores)
        assert close(w.competitors[name].index, expected)
        assert abs(own_index - expected) > 0.1  # their own derived weights would give another index
        assert all(close(w.competitors[name].dimensions[d], scores[d]) for d in scores)
        items = [i.id for i in s.all_items()]
        assert w.competitors[name].n == int(rows[items].apply(lambda c: c.between(1, 5)).any(axis=1).sum())
    assert list(w.competitors) == ["Us", "Ace", "Zed"]


def test_a_wave_without_our_rows_has_empty_figures():
    rows = [r for r in W1 if r[1] != "Us"]
    figs = compute_survey_figures(survey(**COMPETITORS), frame({"W0": rows, "W1": W1}))
    w0 = figs.waves[0]
    assert w0.n == 0 and w0.index.value is None and w0.duplicates_dropped == 0
    assert w0.competitors["Us"] == CompetitorFigures(0, None, None, True)
    assert w0.competitors["Acme"].n == 3
    json.dumps(figures_as_json(figs), allow_nan=False)


def test_competitor_input_errors():
    s = survey(**COMPETITORS)
    with pytest.raises(ValueError, match=r"survey cmp: responses lack the column\(s\) co"):
        compute_survey_figures(s, frame({"W1": W1}, company=False))
    df = frame({"W1": W1})
    df.loc[3, "co"] = None
    with pytest.raises(ValueError, match=r"survey cmp: a response has no co"):
        compute_survey_figures(s, df)
    with pytest.raises(ValueError, match=r"survey cmp: competitors: expected rows whose co is 'Ours' \(us\), got none"):
        compute_survey_figures(survey(competitors={"column": "co", "us": "Ours"}), frame({"W1": W1}))
    df = frame({"W1": W1})
    df.loc[1, "b1"] = 9.0  # out of scale on a competitor row
    with pytest.raises(ValueError, match=r"wave W1: item b1: expected a value from 1 to 5"):
        compute_survey_figures(s, df)


def test_competitor_json(cmp):
    data = figures_as_json(cmp)
    w = data["waves"][0]
    assert list(w["competitors"]) == ["Us", "Acme", "Beta"]
    assert w["competitors"]["Beta"] == {"n": 1, "index": None, "suppressed": True, "dimensions": None}
    acme = w["competitors"]["Acme"]
    assert set(acme) == {"n", "index", "suppressed", "dimensions"} and acme["n"] == 3 and acme["suppressed"] is False
    assert close(acme["index"], 68.75) and close(acme["dimensions"]["B"], 56.25)
    assert set(w["competitor_gaps"]) == {"A", "B"} and close(w["competitor_gaps"]["B"], -12.5)
    assert data["waves"][1]["competitor_gaps"] == {"A": None, "B": None}
    json.dumps(data, allow_nan=False)


# ---------------------------------------------------------------------- loyalty

LOYALTY = {**COMPETITORS, "loyalty": ["rep", "rec"]}


def test_hand_worked_loyalty_figures():
    figs = compute_survey_figures(survey(**LOYALTY), frame({"W1": W1, "W2": W2}))
    w1 = figs.waves[0]
    assert list(w1.loyalty) == ["rep", "rec"]
    # rep on our rows r1..r4: 4, 5, 3, 2 -> 75, 100, 50, 25
    s = [75, 100, 50, 25]
    m = mean(s)
    sd = math.sqrt(sum((x - m) ** 2 for x in s) / 3)
    half = st.t.ppf(0.975, 3) * sd / 2
    rep = w1.loyalty["rep"]
    assert isinstance(rep, LoyaltyFigures)
    assert rep.n == 4 and close(rep.score, 62.5)
    assert close(rep.ci[0], 62.5 - half) and close(rep.ci[1], 62.5 + half)
    assert close(rep.top2, 2 / 4)  # 4 and 5
    ref = proportion_confint(2, 4, method="wilson")
    assert close(rep.top2_ci[0], ref[0]) and close(rep.top2_ci[1], ref[1])
    # rec on 0..10: 10, 9, 7, 0 -> 100, 90, 70, 0; top-2-box = 9 and 10
    rec = w1.loyalty["rec"]
    assert rec.n == 4 and close(rec.score, 65.0) and close(rec.top2, 0.5)
    # satisfaction vs loyalty: ov 5, 4, 3, 2 against rep 4, 5, 3, 2: sxy 4, sxx 5, syy 5 -> r = 0.8
    r = w1.satisfaction_loyalty_r
    assert close(r["rep"], 0.8)
    assert close(r["rep"], st.pearsonr([5, 4, 3, 2], [4, 5, 3, 2]).statistic)
    assert close(r["rec"], st.pearsonr([5, 4, 3, 2], [10, 9, 7, 0]).statistic)
    # W2: rep valid for r2 and r4 only (r1 blank, r3 N/A) -> fewer than 3 pairs -> None
    w2 = figs.waves[1]
    assert w2.loyalty["rep"].n == 2 and w2.satisfaction_loyalty_r["rep"] is None
    assert close(w2.satisfaction_loyalty_r["rec"], st.pearsonr([5, 4, 5, 3], [10, 9, 10, 6]).statistic)


def test_loyalty_is_not_part_of_the_index():
    with_loyalty = compute_survey_figures(survey(**LOYALTY), frame({"W1": W1})).waves[0]
    without = compute_survey_figures(survey(**COMPETITORS), frame({"W1": W1})).waves[0]
    assert with_loyalty.index == without.index and with_loyalty.dimensions == without.dimensions
    assert without.loyalty == {} and without.satisfaction_loyalty_r == {}
    with pytest.raises(ValueError, match=r"survey cmp: loyalty item 'b2' is an item of dimension B"):
        compute_survey_figures(survey(loyalty=["rep", "b2"]), frame({"W1": OURS_W1}, company=False))
    with pytest.raises(ValueError, match=r"survey cmp: loyalty names item 'nope', which is not an item of the survey"):
        compute_survey_figures(survey(loyalty=["nope"]), frame({"W1": OURS_W1}, company=False))


def test_loyalty_r_is_none_without_an_overall_item():
    w = compute_survey_figures(survey(loyalty=["rep"], overall=None), frame({"W1": OURS_W1}, company=False)).waves[0]
    assert w.loyalty["rep"].n == 4 and w.satisfaction_loyalty_r == {"rep": None}


def test_loyalty_r_matches_scipy_on_random_data():
    df = random_frame(14, 500)
    rng = np.random.default_rng(15)
    df["rep"] = np.where(rng.random(500) < 0.1, NAN, np.clip(np.round(df["ov"].fillna(3) + rng.normal(0, 1, 500)), 1, 5))
    s = random_survey(items=[{"id": "ov", "text": "overall"}, {"id": "rep", "text": "x"}], loyalty=["rep"])
    w = compute_survey_figures(s, df).waves[0]
    ok = df["ov"].between(1, 5) & df["rep"].between(1, 5)
    assert close(w.satisfaction_loyalty_r["rep"], st.pearsonr(df["ov"][ok], df["rep"][ok]).statistic)
    assert w.loyalty["rep"].n == int(df["rep"].between(1, 5).sum())


def test_loyalty_json():
    data = figures_as_json(compute_survey_figures(survey(**LOYALTY), frame({"W1": W1, "W2": W2})))
    rep = data["waves"][0]["loyalty"]["rep"]
    assert set(rep) == {"n", "score", "ci", "top2", "top2_ci", "r_with_overall"}
    assert rep["n"] == 4 and close(rep["score"], 62.5) and close(rep["r_with_overall"], 0.8)
    assert isinstance(rep["ci"], list) and len(rep["top2_ci"]) == 2
    assert data["waves"][1]["loyalty"]["rep"]["r_with_overall"] is None
    json.dumps(data, allow_nan=False)


def test_json_keys_appear_only_when_declared():
    plain = figures_as_json(compute_survey_figures(survey(), frame({"W1": OURS_W1}, company=False)))
    assert not NEW_KEYS & set(plain["waves"][0])
    loyal = figures_as_json(compute_survey_figures(survey(loyalty=["rep"]), frame({"W1": OURS_W1}, company=False)))
    assert NEW_KEYS & set(loyal["waves"][0]) == {"loyalty"}
    both = figures_as_json(compute_survey_figures(survey(**LOYALTY), frame({"W1": W1})))
    assert NEW_KEYS & set(both["waves"][0]) == {"loyalty", "competitors", "competitor_gaps"}


# ------------------------------------------------------------ internal customers


def internal_survey(**overrides) -> Survey:
    spec = dict(
        kind="internal",
        internal={"supplier": "sup", "customer": "cus"},
        segments=["cus"],
        items=[{"id": "ov", "text": "overall"}],
        recommend=None,
    )
    spec.update(overrides)
    return survey(**spec)


# (respondent, supplier, customer, answers)
IW1 = [
    ("e1", "Purchasing", "Production", dict(a1=5, a2=4, b1=3, b2=4, ov=4)),
    ("e2", "Purchasing", "Production", dict(a1=3, a2=3, b1=NAN, b2=2, ov=3)),
    ("e3", "Purchasing", "Sales", dict(a1=4, a2=4, b1=4, b2=4, ov=4)),
    ("e1", "Quality", "Production", dict(a1=2, a2=1, b1=1, b2=5, ov=2)),  # e1 rates a second supplier
    ("e4", "Quality", "Production", dict(a1=4, a2=0, b1=2, b2=3, ov=3)),
    ("e4", "Quality", "Production", dict(a1=1, a2=1, b1=1, b2=1, ov=1)),  # repeats (e4, Quality): dropped
    ("e5", "Administration", "Sales", dict(a1=0, a2=0, b1=0, b2=0, ov=0)),  # nothing valid: n 0
]


def internal_frame(rows, rename_repeats=False) -> pd.DataFrame:
    records = [
        {"wave": "W1", "rid": (f"{rid}-{i}" if rename_repeats else rid), "sup": sup, "cus": cus,
         **{k: float(v) for k, v in answers.items()}}
        for i, (rid, sup, cus, answers) in enumerate(rows)
    ]
    return pd.DataFrame.from_records(records, columns=["wave", "rid", "sup", "cus", "a1", "a2", "b1", "b2", "ov"])


def test_hand_worked_internal_matrix():
    w = compute_survey_figures(internal_survey(), internal_frame(IW1)).waves[0]
    m = w.internal
    assert isinstance(m, InternalMatrix)
    assert m.suppliers == ("Administration", "Purchasing", "Quality")  # sorted by string
    assert m.customers == ("Production", "Sales")
    assert list(m.cells) == [
        ("Administration", "Sales"), ("Purchasing", "Production"), ("Purchasing", "Sales"), ("Quality", "Production"),
    ]
    # Purchasing -> Production (e1, e2): a1 100, 50; a2 75, 50; b1 50; b2 75, 25
    a, b = (75 + 62.5) / 2, (50 + 50) / 2
    assert m.cells[("Purchasing", "Production")] == CellFigures(2, pytest.approx(2 / 3 * a + 1 / 3 * b, abs=TOL), False)
    assert close(m.cells[("Purchasing", "Production")].index, 62.5)
    assert m.cells[("Purchasing", "Sales")] == CellFigures(1, None, True)  # n < min_cell_n 2
    assert m.cells[("Administration", "Sales")] == CellFigures(0, None, True)
    # Quality -> Production (e1, e4 first row): a1 25, 75; a2 0 (e4 N/A); b1 0, 25; b2 100, 50
    a, b = (50 + 0) / 2, (12.5 + 75) / 2
    assert close(m.cells[("Quality", "Production")].index, 2 / 3 * a + 1 / 3 * b)
    assert close(m.cells[("Quality", "Production")].index, 31.25)
    # supplier totals: Purchasing over e1, e2, e3
    a = (mean([100, 50, 75]) + mean([75, 50, 75])) / 2
    b = (mean([50, 75]) + mean([75, 25, 75])) / 2
    assert m.supplier_totals["Purchasing"] == CellFigures(3, pytest.approx(2 / 3 * a + 1 / 3 * b, abs=TOL), False)
    assert m.supplier_totals["Quality"].n == 2 and close(m.supplier_totals["Quality"].index, 31.25)
    assert m.supplier_totals["Administration"] == CellFigures(0, None, True)
    assert list(m.supplier_totals) == list(m.suppliers)


def test_internal_wave_figures_use_all_rows_and_duplicates_are_per_supplier():
    figs = compute_survey_figures(internal_survey(), internal_frame(IW1))
    w = figs.waves[0]
    assert w.duplicates_dropped == 1  # e4's second Quality form; e1's two forms rate different suppliers
    assert w.n == 5
    kept = [r for i, r in enumerate(IW1) if i != 5]
    plain = compute_survey_figures(internal_survey(kind="customer", internal=None), internal_frame(kept, rename_repeats=True))
    got, ref = figures_as_json(figs)["waves"][0], figures_as_json(plain)["waves"][0]
    del got["internal"]
    got["duplicates_dropped"] = ref["duplicates_dropped"] = None
    assert got == ref
    # index by hand over the five kept forms
    a = (mean([100, 50, 75, 25, 75]) + mean([75, 50, 75, 0])) / 2
    b = (mean([50, 75, 0, 25]) + mean([75, 25, 75, 100, 50])) / 2
    assert close(w.index.value, 2 / 3 * a + 1 / 3 * b)


def test_internal_cell_index_re_derives_importance_on_the_cell():
    df = random_frame(16, 900)
    rng = np.random.default_rng(17)
    df["sup"] = rng.choice(["S1", "S2"], 900)
    df["cus"] = rng.choice(["C1", "C2", "C3"], 900)
    s = random_survey(kind="internal", internal={"supplier": "sup", "customer": "cus"}, segments=[], min_cell_n=50)
    m = compute_survey_figures(s, df).waves[0].internal
    assert len(m.cells) == 6
    for (sup, cus), cell in m.cells.items():
        rows = df[(df["sup"] == sup) & (df["cus"] == cus)]
        _, _, index, _, _ = reference(rows, s)
        items = [i.id for i in s.all_items()]
        assert cell.n == int(rows[items].apply(lambda c: c.between(1, 5)).any(axis=1).sum())
        assert cell.suppressed is False and close(cell.index, index)
    for sup, total in m.supplier_totals.items():
        assert close(total.index, reference(df[df["sup"] == sup], s)[2])


def test_internal_json_and_errors():
    data = figures_as_json(compute_survey_figures(internal_survey(), internal_frame(IW1)))
    m = data["waves"][0]["internal"]
    assert set(data["waves"][0]) & NEW_KEYS == {"internal"}
    assert m["suppliers"] == ["Administration", "Purchasing", "Quality"] and m["customers"] == ["Production", "Sales"]
    assert m["cells"][2] == {"supplier": "Purchasing", "customer": "Sales", "n": 1, "index": None, "suppressed": True}
    assert close(m["cells"][1]["index"], 62.5)
    assert set(m["supplier_totals"]["Quality"]) == {"n", "index", "suppressed"}
    json.dumps(data, allow_nan=False)

    with pytest.raises(ValueError, match=r"survey cmp: internal \(supplier, customer\) is declared, expected kind internal"):
        compute_survey_figures(internal_survey(kind="customer"), internal_frame(IW1))
    df = internal_frame(IW1)
    df.loc[2, "sup"] = None
    with pytest.raises(ValueError, match=r"survey cmp: a response has no sup"):
        compute_survey_figures(internal_survey(), df)
    with pytest.raises(ValueError, match=r"survey cmp: responses lack the column\(s\) cus"):
        compute_survey_figures(internal_survey(segments=[]), internal_frame(IW1).drop(columns="cus"))
    with pytest.raises(ValueError, match=r"expected competitors or internal customers, got both"):
        compute_survey_figures(internal_survey(**COMPETITORS), internal_frame(IW1))


# ------------------------------------------------------------------------- speed


def test_parallel_waves_with_competitors_and_internal_match_serial(monkeypatch):
    import qmdoc.compute.survey as survey_module

    rng = np.random.default_rng(18)
    frames = []
    for w in range(3):
        df = random_frame(30 + w, 40_000)
        df["wave"] = f"W{w}"
        df["co"] = rng.choice(["Us", "Us", "Ace", "Zed"], len(df))
        df["sup"] = rng.choice(["S1", "S2", "S3"], len(df))
        df["cus"] = rng.choice(["C1", "C2"], len(df))
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    assert len(df) >= survey_module._PARALLEL_MIN_ROWS
    surveys = [
        random_survey(competitors={"column": "co", "us": "Us"}),
        random_survey(kind="internal", internal={"supplier": "sup", "customer": "cus"}),
    ]
    parallel = [figures_as_json(compute_survey_figures(s, df)) for s in surveys]
    monkeypatch.setattr(survey_module, "_PARALLEL_MIN_ROWS", 10**12)
    serial = [figures_as_json(compute_survey_figures(s, df)) for s in surveys]
    assert parallel == serial
    assert [c for c in serial[0]["waves"][0]["competitors"]] == ["Us", "Ace", "Zed"]
    assert len(serial[1]["waves"][0]["internal"]["cells"]) == 6
