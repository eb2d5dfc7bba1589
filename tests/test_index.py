"""Dimension scores, index weights (stated, derived, item weights) and the index with its interval.

Expected values are worked by hand (plain Python arithmetic, never by calling qmdoc)
or computed with pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from qmdoc.compute.survey import (
    compute_survey_figures,
)
from survey_hand import (
    W1, W1_KEPT, Z, close, cov, frame, hand, hand_survey, linearized_variance, random_frame, random_survey,
    reference,
)


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
