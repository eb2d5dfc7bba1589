"""Net promoter score, margin of error and response rate of a wave.

Expected values are worked by hand (plain Python arithmetic, never by calling qmdoc)
or computed with pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import math

from survey_hand import Z, close, hand


def test_hand_worked_nps_margin_and_response_rate(hand):
    w1 = hand.waves[0]
    # rec: 10, 9 promoters; 7, 8 passives; 0 detractor (r5 blank, duplicate dropped)
    nps = w1.nps
    assert nps.n == 5
    assert close(nps.promoters, 0.4) and close(nps.passives, 0.4) and close(nps.detractors, 0.2)
    assert close(nps.value, 20.0)
    se = 100 * math.sqrt((0.4 + 0.2 - 0.2**2) / 5)
    assert close(nps.se, se)
    assert close(nps.ci[0], 20.0 - Z * se) and close(nps.ci[1], 20.0 + Z * se)
    assert close(w1.margin_of_error, 100 * Z * math.sqrt(0.25 / 5) * math.sqrt(95 / 99))
    assert close(w1.response_rate, 5 / 20)
    assert hand.waves[1].response_rate is None  # no invitations declared for W2
