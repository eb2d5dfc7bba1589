"""Changes between consecutive waves, against scipy and statsmodels.

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
from scipy import stats as st
from statsmodels.stats.proportion import proportions_ztest
from survey_hand import ITEMS, W1_KEPT, W2, close, hand, hand_survey, linearized_variance, mean, valid_scores


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
