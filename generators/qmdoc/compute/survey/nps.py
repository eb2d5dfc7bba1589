"""Net promoter score of a wave's recommend item.

* NPS on ``survey.recommend`` (a 0..10 item): shares of 9–10, 7–8 and 0–6
  (fractions), ``value = 100 * (pP - pD)``,
  ``se = 100 * sqrt((pP + pD - (pP - pD)^2) / n)``, normal interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import stats

Interval = tuple[float, float]


@dataclass(frozen=True, slots=True)
class NPSFigures:
    """Net promoter score (-100..100); promoters/passives/detractors are shares (0..1)."""

    value: float | None
    se: float | None
    ci: Interval | None
    promoters: float | None
    passives: float | None
    detractors: float | None
    n: int


def _nps_figures(x: np.ndarray, valid: np.ndarray, confidence: float) -> NPSFigures:
    v = x[valid]
    promoters = int(np.count_nonzero(v >= 9))
    detractors = int(np.count_nonzero(v <= 6))
    n = int(v.size)
    passives = n - promoters - detractors
    res = stats.net_promoter_score(promoters, passives, detractors)
    if res is None:
        return NPSFigures(None, None, None, None, None, None, 0)
    value, se = res
    return NPSFigures(
        value, se, stats.normal_interval(value, se, confidence), promoters / n, passives / n, detractors / n, n
    )
