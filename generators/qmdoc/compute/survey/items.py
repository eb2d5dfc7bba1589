"""Items, and loyalty items as a view of their item figures.

* Item: ``n``, raw-scale ``mean`` and ``sd`` (ddof=1), ``score`` = mean of
  ``(x - min) / (max - min) * 100``, ``ci`` = t-interval of that 0–100 mean,
  ``top2`` = share of valid answers ``>= max - 1`` with a Wilson interval.
  The result keeps what the shares and the raw scale derive from (the 0–100
  ``score_sd`` and the count ``top2_count``): the raw ``sd`` and ``top2`` are
  derived from them once, here, and the changes test on them.

* Loyalty (``survey.loyalty``, item ids that belong to no dimension): per
  item the item's ``n``, ``score``, ``ci``, ``top2`` and ``top2_ci`` (the item
  definitions above), reported apart from satisfaction; never in a dimension
  or the index. ``r_with_overall``: Pearson r of ``survey.overall``
  with each loyalty item over the respondents valid on both; ``None`` without
  an overall item, with fewer than 3 such respondents or a constant answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import stats
from .design import _Subset
from .instrument import _Instrument
from .shape import hidden, view

Interval = tuple[float, float]


@dataclass(frozen=True, slots=True)
class ItemFigures:
    """One item in one wave. ``mean``/``sd`` on the item's raw scale, ``score``,
    ``score_sd`` and ``ci`` on 0–100, ``top2`` a share (0..1) of ``top2_count``
    answers with its Wilson interval."""

    id: str = hidden()
    n: int
    mean: float | None
    sd: float | None
    score: float | None
    ci: Interval | None
    top2: float | None
    top2_ci: Interval | None
    score_sd: float | None = hidden()  # sample SD (ddof=1) of the 0–100 scores
    top2_count: int = hidden()  # valid answers in the top two categories
    # weighted samples (see .weights): the linearization se of score and of top2; None unweighted
    score_se: float | None = hidden(default=None)
    top2_se: float | None = hidden(default=None)


def raw_scale(ins: _Instrument, i: int, score: float, sd100: float | None) -> tuple[float, float | None]:
    """Item ``i``'s mean and SD on its answer scale, from its 0–100 score and SD (the one conversion)."""
    rng = ins.hi[i] - ins.lo[i]
    return float(ins.lo[i] + score / 100.0 * rng), None if sd100 is None else sd100 * rng / 100.0


def _item_figures(X, M, sub: _Subset, ins: _Instrument, confidence: float) -> dict[str, ItemFigures]:
    top2_counts = np.count_nonzero(M & (X >= ins.hi - 1), axis=0)
    out: dict[str, ItemFigures] = {}
    for i, iid in enumerate(ins.item_ids):
        n = int(sub.ni[i])
        if n == 0:
            out[iid] = ItemFigures(iid, 0, None, None, None, None, None, None, None, 0)
            continue
        score = float(sub.means[i])
        sd100 = math.sqrt(max(float(sub.cov[i, i]), 0.0)) if n >= 2 else None
        x2 = int(top2_counts[i])
        mean, sd = raw_scale(ins, i, score, sd100)
        out[iid] = ItemFigures(
            id=iid,
            n=n,
            mean=mean,
            sd=sd,
            score=score,
            ci=stats.t_interval(score, sd100, n, confidence),
            top2=x2 / n,
            top2_ci=stats.wilson_interval(x2, n, confidence),
            score_sd=sd100,
            top2_count=x2,
        )
    return out


@dataclass(frozen=True, slots=True)
class LoyaltyFigures:
    """One loyalty item (e.g. repurchase intent), reported apart from satisfaction: a view of
    its item figures (``n``, ``score``, ``ci``, ``top2``, ``top2_ci``) and its Pearson r with
    the overall item."""

    item: ItemFigures = view("n", "score", "ci", "top2", "top2_ci")
    r_with_overall: float | None

    @property
    def n(self) -> int:
        return self.item.n

    @property
    def score(self) -> float | None:
        return self.item.score

    @property
    def ci(self) -> Interval | None:
        return self.item.ci

    @property
    def top2(self) -> float | None:
        return self.item.top2

    @property
    def top2_ci(self) -> Interval | None:
        return self.item.top2_ci


def _loyalty(
    X: np.ndarray, M: np.ndarray, items: dict[str, ItemFigures], ins: _Instrument
) -> dict[str, LoyaltyFigures]:
    """The loyalty items' figures and their Pearson r with the overall item (see the module docstring)."""
    loyalty: dict[str, LoyaltyFigures] = {}
    for i in ins.loyalty:
        f = items[ins.item_ids[i]]
        value = None
        if ins.overall is not None:
            both = M[:, i] & M[:, ins.overall]
            if np.count_nonzero(both) >= 3:
                value = stats.pearson_r(X[both, ins.overall].astype(np.float64), X[both, i].astype(np.float64))
        loyalty[f.id] = LoyaltyFigures(f, value)
    return loyalty
