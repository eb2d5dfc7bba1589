"""Waves: order, respondents counted, missing answers, out-of-scale values, parallel waves.

Expected values are worked by hand (plain Python arithmetic, never by calling qmdoc)
or computed with pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from qmdoc.compute.survey import (
    compute_survey_figures,
    figures_as_json,
)
from survey_hand import NAN, W1, W2, close, frame, hand, hand_survey, random_frame, random_survey


def test_waves_keep_their_order_and_count_respondents_with_a_valid_answer(hand):
    assert [w.wave for w in hand.waves] == ["W1", "W2"]
    w1 = hand.waves[0]
    assert w1.n == 5  # r1..r6 without r5 (nothing valid); the duplicate r1 dropped
    assert w1.duplicates_dropped == 1
    assert hand.waves[1].n == 6 and hand.waves[1].duplicates_dropped == 0


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


def test_parallel_waves_give_the_same_figures_as_serial(monkeypatch):
    import qmdoc.compute.survey.waves as survey_module

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
