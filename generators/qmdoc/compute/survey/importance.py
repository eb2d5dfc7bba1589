"""Importance-performance: each dimension's weight against its score, the crosshairs and quadrants.

* Importance-performance per dimension: importance = index weight,
  performance = dimension score, crosshairs at the means across dimensions
  (with a score); quadrants "keep up the good work", "concentrate here",
  "low priority", "possible overkill" (``>=`` the mean counts as high, with a
  1e-9 tolerance so that equal weights all count as high).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .index import DimensionFigures

KEEP_UP = "keep up the good work"
CONCENTRATE = "concentrate here"
LOW_PRIORITY = "low priority"
OVERKILL = "possible overkill"
QUADRANTS = (KEEP_UP, CONCENTRATE, LOW_PRIORITY, OVERKILL)

_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Crosshairs:
    """Where the importance-performance grid is divided: the mean importance over all
    dimensions and the mean performance over those with a score (None when none has one)."""

    importance: float
    performance: float | None


@dataclass(frozen=True, slots=True)
class ImportanceFigures:
    """Importance-performance of one dimension (importance = its index weight), its quadrant
    relative to the wave's :class:`Crosshairs`."""

    importance: float
    performance: float | None
    quadrant: str | None


def _importance(
    weights: np.ndarray, dims: dict[str, DimensionFigures]
) -> tuple[dict[str, ImportanceFigures], Crosshairs]:
    """Every dimension's importance, performance and quadrant, and the crosshairs that divide them."""
    perf = [f.score for f in dims.values()]
    have = [p for p in perf if p is not None]
    imp_mean = float(np.mean(weights))
    perf_mean = float(np.mean(have)) if have else None
    out: dict[str, ImportanceFigures] = {}
    for (did, f), w in zip(dims.items(), weights):
        w = float(w)
        if f.score is None or perf_mean is None:
            out[did] = ImportanceFigures(w, None, None)
            continue
        high_i = w >= imp_mean - _TOLERANCE * max(1.0, abs(imp_mean))
        high_p = f.score >= perf_mean - _TOLERANCE * max(1.0, abs(perf_mean))
        quadrant = (KEEP_UP if high_p else CONCENTRATE) if high_i else (OVERKILL if high_p else LOW_PRIORITY)
        out[did] = ImportanceFigures(w, f.score, quadrant)
    return out, Crosshairs(imp_mean, perf_mean)
