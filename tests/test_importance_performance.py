"""Importance-performance: importance, performance, crosshairs and quadrants.

Expected values are worked by hand (plain Python arithmetic, never by calling qmdoc)
or computed with pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import pandas as pd
from qmdoc.compute.survey import (
    CONCENTRATE,
    KEEP_UP,
    LOW_PRIORITY,
    OVERKILL,
    compute_survey_figures,
    figures_as_json,
)
from survey_hand import NAN, close, frame, hand, hand_survey


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


def test_the_crosshairs_are_in_the_result(hand):
    """The crosshairs that divide the quadrants, worked by hand: the mean weight, the mean score."""
    cross = hand.waves[0].crosshairs
    assert close(cross.importance, (2 / 3 + 1 / 3) / 2)
    assert close(cross.performance, (63.125 + 53.75) / 2)
    assert "crosshairs" not in figures_as_json(hand)["waves"][0]


def test_without_a_dimension_score_the_performance_crosshair_is_none():
    rows = [("r1", dict(a1=NAN, a2=NAN, b1=NAN, b2=NAN, ov=4, rec=9), "North")]
    w = compute_survey_figures(hand_survey(), frame({"W1": rows})).waves[0]
    assert close(w.crosshairs.importance, 0.5) and w.crosshairs.performance is None
    assert all(f.quadrant is None for f in w.importance.values())
