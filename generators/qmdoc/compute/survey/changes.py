"""Changes between consecutive waves, each named by a :class:`~qmdoc.metric.Metric`.

* Changes between consecutive waves: ``index`` and ``dimension.<id>`` (z on the
  difference, ``se = sqrt(se1^2 + se2^2)``), ``item.<id>`` (Welch t on the
  0–100 scores), ``top2.<id>`` (pooled two-proportion z), ``nps`` (z with
  ``sqrt(se1^2 + se2^2)``); ``delta = to - from``, two-sided ``p``,
  (weighted samples: ``item`` is Welch on the items' linearization se, ``top2`` z on the difference
  of the weighted shares with ``sqrt(se1^2 + se2^2)``; see :mod:`.weights`),
  ``significant = p < 0.05``. A metric missing in either wave gives no change;
  a change whose test is undefined (zero or missing se) has ``p=None`` and is
  not significant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...metric import Metric
from .. import stats
from .instrument import _Instrument
from .shape import named

if TYPE_CHECKING:  # pragma: no cover
    from .waves import WaveFigures


@dataclass(frozen=True, slots=True)
class Change:
    """Change of one metric between two consecutive waves (``delta = to - from``); ``metric``
    is a :class:`~qmdoc.metric.Metric` name without the survey (``index``, ``top2.q1``)."""

    from_wave: str = named("from")
    to_wave: str = named("to")
    metric: str
    delta: float
    p: float | None
    significant: bool


def _changes(a: WaveFigures, b: WaveFigures, ins: _Instrument, alpha: float) -> list[Change]:
    """The changes from wave ``a`` to wave ``b`` of every metric both waves have (see the module docstring)."""
    out: list[Change] = []

    def add(metric: Metric, delta: float, test: tuple | None) -> None:
        p = None if test is None else test[-1]
        p = p if p is not None and math.isfinite(p) else None
        out.append(Change(a.wave, b.wave, metric.format(), float(delta), p, p is not None and p < alpha))

    if a.index.value is not None and b.index.value is not None:
        delta = b.index.value - a.index.value
        add(Metric("index"), delta, stats.difference_z_test(delta, a.index.se, b.index.se))
    for did in ins.dim_ids:
        da, db = a.dimensions[did], b.dimensions[did]
        if da.score is not None and db.score is not None:
            delta = db.score - da.score
            add(Metric("dimension", did), delta, stats.difference_z_test(delta, da.se, db.se))
    for iid in ins.item_ids:
        ia, ib = a.items[iid], b.items[iid]
        if ia.score is not None and ib.score is not None and ia.score_se is not None and ib.score_se is not None:
            # weighted: Welch on the linearization se (an sd of se * sqrt(n) gives se^2 = sd^2 / n)
            test = stats.welch_t_test(ia.score, ia.score_se * math.sqrt(ia.n), ia.n,
                                      ib.score, ib.score_se * math.sqrt(ib.n), ib.n)
            add(Metric("item", iid), ib.score - ia.score, test)
        elif ia.score is not None and ib.score is not None:
            test = stats.welch_t_test(ia.score, ia.score_sd, ia.n, ib.score, ib.score_sd, ib.n)
            add(Metric("item", iid), ib.score - ia.score, test)
    for iid in ins.item_ids:
        ia, ib = a.items[iid], b.items[iid]
        if ia.top2 is not None and ib.top2 is not None and (ia.top2_se is not None or ib.top2_se is not None):
            # weighted: z on the difference of the weighted shares with their linearization se
            add(Metric("top2", iid), ib.top2 - ia.top2,
                stats.difference_z_test(ib.top2 - ia.top2, ia.top2_se, ib.top2_se))
        elif ia.top2 is not None and ib.top2 is not None:
            test = stats.two_proportion_z_test(ia.top2_count, ia.n, ib.top2_count, ib.n)
            add(Metric("top2", iid), ib.top2 - ia.top2, test)
    if a.nps is not None and b.nps is not None and a.nps.value is not None and b.nps.value is not None:
        delta = b.nps.value - a.nps.value
        add(Metric("nps"), delta, stats.difference_z_test(delta, a.nps.se, b.nps.se))
    return out
