"""Competitors: our figures from our rows only, theirs weighted like ours, gaps.

Expected values are worked by hand (plain Python arithmetic, never by calling qmdoc)
or computed with pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from qmdoc.compute.survey import (
    CompetitorFigures,
    compute_survey_figures,
    figures_as_json,
)
from survey_hand import random_frame, random_survey, reference
from survey_rated import COMPETITORS, NEW_KEYS, OURS_W1, TOL, W1, W2, close, cmp, frame, mean, survey


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
    assert w.competitors["Us"] == CompetitorFigures(4, None, True, None)
    assert w.competitors["Acme"] == CompetitorFigures(3, None, True, None)
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
    assert w0.competitors["Us"] == CompetitorFigures(0, None, True, None)
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
