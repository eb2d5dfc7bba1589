"""Item figures: n, mean, sd, score, interval, top-two box.

Expected values are worked by hand (plain Python arithmetic, never by calling qmdoc)
or computed with pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import math

from qmdoc.compute.survey import (
    figures_as_json,
)
from scipy import stats as st
from statsmodels.stats.proportion import proportion_confint
from survey_hand import close, cov, hand, mean, score


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


def test_the_result_keeps_the_0_100_sd_and_the_top2_count(hand):
    """What the raw sd and the top-two share derive from, worked by hand on a1 (5, 4, 3, 2, 5)."""
    a1 = hand.waves[0].items["a1"]
    s100 = [100.0, 75.0, 50.0, 25.0, 100.0]
    assert close(a1.score_sd, math.sqrt(cov(s100, s100))) and close(a1.score_sd, math.sqrt(4250 / 4))
    assert a1.top2_count == 3 and a1.top2 == 3 / 5
    assert close(a1.sd, a1.score_sd * 4 / 100)
    assert "score_sd" not in figures_as_json(hand)["waves"][0]["items"]["a1"]
