"""Segments: suppressed small cells, figures of the large ones, importance derived on the segment.

Expected values are worked by hand (plain Python arithmetic, never by calling qmdoc)
or computed with pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import json
import math

from qmdoc.compute.survey import (
    compute_survey_figures,
    figures_as_json,
)
from survey_hand import (
    W1_KEPT, close, hand, linearized_variance, mean, random_frame, random_survey, reference,
)


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


def test_derived_importance_of_a_segment_is_derived_on_the_segment():
    df = random_frame(4, 500)
    survey = random_survey()
    seg = compute_survey_figures(survey, df).waves[0].segments["region"]
    for level in ("East", "West"):
        _, _, index, _, _ = reference(df[df["region"] == level], survey)
        assert close(seg[level].index, index)
