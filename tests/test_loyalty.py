"""Loyalty items: their item figures apart from satisfaction, and their r with overall.

Expected values are worked by hand (plain Python arithmetic, never by calling qmdoc)
or computed with pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from qmdoc.compute.survey import (
    LoyaltyFigures,
    compute_survey_figures,
    figures_as_json,
)
from scipy import stats as st
from statsmodels.stats.proportion import proportion_confint
from survey_hand import random_frame, random_survey
from survey_rated import COMPETITORS, LOYALTY, NAN, OURS_W1, W1, W2, close, frame, mean, survey


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
