"""Did the improvement work: the wave before an action against each wave after it."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from scipy import stats as st

from qmdoc.compute.improvements import IMPROVED, NO_CHANGE, WORSE, WaveScore, evaluate_improvement


def approx(x):
    return pytest.approx(x, abs=1e-10, rel=1e-10)


WAVES = [
    ("2024-Q3", date(2024, 9, 30), 78.0, 2.0, 110),  # given out of order: sorted by date
    ("2024-Q1", date(2024, 3, 31), 70.0, 2.0, 100),
    ("2024-Q2", date(2024, 6, 30), 72.0, 1.5, 120),
    ("2024-Q4", date(2024, 12, 31), 66.0, 2.0, 90),
    ("2025-Q1", date(2025, 3, 31), 73.0, 2.0, 95),
    ("2025-Q2", date(2025, 6, 30), None, None, 0),  # no score: left out
]


def test_dimension_before_and_after_by_hand():
    ev = evaluate_improvement("CA-2024-004", date(2024, 7, 15), "delivery", WAVES, alpha=0.05)
    assert ev.before == WaveScore("2024-Q2", date(2024, 6, 30), 72.0, 1.5, 120)
    assert [a.wave for a in ev.after] == ["2024-Q3", "2024-Q4", "2025-Q1"]
    q3, q4, q1 = ev.after
    z = st.norm.ppf(0.975)
    # se of every difference: sqrt(1.5^2 + 2^2) = 2.5
    # 2024-Q3: delta 78 - 72 = 6, z = 2.4, p = 0.0164 -> improved
    assert (q3.delta, q3.p, q3.significant, q3.verdict) == (6.0, approx(2 * st.norm.sf(2.4)), True, IMPROVED)
    assert q3.ci == (approx(6 - z * 2.5), approx(6 + z * 2.5))
    # 2024-Q4: delta -6, p 0.0164 -> worse
    assert (q4.delta, q4.p, q4.verdict) == (-6.0, approx(2 * st.norm.sf(2.4)), WORSE)
    # 2025-Q1: delta 1, z = 0.4, p = 0.689 -> no significant change; the action's verdict is the latest
    assert (q1.delta, q1.p, q1.significant, q1.verdict) == (1.0, approx(2 * st.norm.sf(0.4)), False, NO_CHANGE)
    assert ev.verdict == NO_CHANGE
    assert (ev.id, ev.target, ev.kind, ev.date) == ("CA-2024-004", "delivery", "dimension", date(2024, 7, 15))


def test_alpha_is_the_surveys():
    ev = evaluate_improvement("CA-1", date(2024, 7, 15), "delivery", WAVES, alpha=0.01)
    assert [a.verdict for a in ev.after] == [NO_CHANGE, NO_CHANGE, NO_CHANGE]  # p = 0.0164 is not below 0.01


def test_item_uses_welch_like_the_surveys_item_changes():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 5, 20) * 25.0  # 0-100 scores of a 1..5 item
    b = rng.integers(1, 5, 30) * 25.0
    waves = [("w1", date(2024, 6, 30), a.mean(), st.sem(a), a.size), ("w2", date(2024, 12, 31), b.mean(), st.sem(b),
                                                                        b.size)]
    ev = evaluate_improvement("CA-2", date(2024, 7, 1), "Q3", waves, kind="item")
    (after,) = ev.after
    ref = st.ttest_ind(b, a, equal_var=False)
    assert after.delta == approx(b.mean() - a.mean())
    assert after.p == approx(ref.pvalue)
    assert after.ci == tuple(approx(v) for v in ref.confidence_interval(0.95))
    assert after.significant is bool(ref.pvalue < 0.05)


def test_a_wave_on_the_action_date_is_before_it():
    waves = [("w1", date(2024, 1, 31), 60.0, 1.0, 50), ("w2", date(2024, 2, 29), 65.0, 1.0, 50)]
    ev = evaluate_improvement("CA-3", date(2024, 2, 29), "d", waves)
    assert (ev.before.wave, ev.after, ev.verdict) == ("w2", (), None)
    ev = evaluate_improvement("CA-3", date(2024, 2, 28), "d", waves)
    assert (ev.before.wave, [a.wave for a in ev.after], ev.verdict) == ("w1", ["w2"], IMPROVED)  # z = 5 / sqrt 2


def test_nothing_to_compare_without_a_wave_before():
    ev = evaluate_improvement("CA-4", date(2020, 1, 1), "d", WAVES)
    assert (ev.before, ev.after, ev.verdict) == (None, (), None)
    assert evaluate_improvement("CA-4", date(2024, 1, 1), "d", []).verdict is None


def test_an_undefined_test_is_no_significant_change():
    waves = [("w1", date(2024, 1, 31), 60.0, None, 1), ("w2", date(2024, 6, 30), 90.0, 1.0, 50),
             ("w3", date(2024, 9, 30), 90.0, 0.0, 50)]
    (w2, w3) = evaluate_improvement("CA-5", date(2024, 2, 1), "d", waves).after
    assert (w2.delta, w2.p, w2.ci, w2.significant, w2.verdict) == (30.0, None, None, False, NO_CHANGE)
    zero = [("w1", date(2024, 1, 31), 60.0, 0.0, 1), ("w2", date(2024, 6, 30), 90.0, 0.0, 50)]
    (w,) = evaluate_improvement("CA-5", date(2024, 2, 1), "d", zero).after
    assert (w.p, w.ci, w.verdict) == (None, None, NO_CHANGE)
    (w,) = evaluate_improvement("CA-5", date(2024, 2, 1), "Q1", zero, kind="item").after
    assert (w.p, w.ci, w.verdict) == (None, None, NO_CHANGE)  # one answer before: no Welch test
    assert math.isclose(w.delta, 30.0)


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match=r"^improvement CA-6: expected a dimension, an item or the index, "
                                         r"got 'segment'$"):
        evaluate_improvement("CA-6", date(2024, 1, 1), "d", WAVES, kind="segment")


def test_json_of_an_evaluation():
    import json

    from qmdoc.compute.improvements import evaluation_as_json

    waves = [("w1", date(2024, 1, 31), 60.0, 1.0, 50), ("w2", date(2024, 6, 30), 63.0, 1.0, 50)]
    out = json.loads(json.dumps(evaluation_as_json(evaluate_improvement("CA-7", date(2024, 2, 1), "delivery",
                                                                        waves))))
    half = st.norm.ppf(0.975) * math.sqrt(2)
    # z = 3 / sqrt(2) = 2.12, p = 0.034
    assert out == {
        "id": "CA-7", "dimension": "delivery", "date": "2024-02-01",
        "before": {"wave": "w1", "score": 60.0},
        "after": [{"wave": "w2", "score": 63.0, "delta": 3.0, "ci": [approx(3 - half), approx(3 + half)],
                   "p": approx(2 * st.norm.sf(3 / math.sqrt(2))), "significant": True, "verdict": "improved"}],
        "verdict": "improved",
    }
