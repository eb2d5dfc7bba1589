"""Weighted samples (``survey.weighting``): each wave's weights, and the item and NPS figures they weight.

* Weights, per wave, over its rows after duplicates are dropped (a survey with competitors is not
  weighted: a load rule): the design weights of ``weighting.column`` scaled to mean 1, or, with ``method: raking``,
  those (or 1) raked to ``weighting.margins`` with ``weighting.trim`` (:func:`~..weighting.rake`).
  Raking that does not converge is an error naming the survey and the wave.
* :class:`WeightingFigures`: method, unweighted ``n``, Kish ``n_effective``, ``design_effect``,
  ``max_weight`` (largest weight / mean weight) and raking ``iterations`` (None for design weights).
* Items, weighted: ``score`` the weighted 0–100 mean, ``score_se`` its linearization standard error,
  ``ci`` the t interval ``score -/+ t(n - 1) * se``, ``sd`` the weighted standard deviation
  ``sqrt(n / (n - 1) * sum w (x - m)^2 / sum w)`` on the raw scale, ``top2`` the weighted top-2-box
  share with its linearization ``top2_se`` and Wilson interval at the Kish effective n
  (:func:`~..weighting.weighted_share`). ``n`` and ``top2_count`` stay unweighted counts.
* NPS, weighted: the difference of the weighted promoter and detractor shares
  (:func:`~..weighting.weighted_nps`).

Dimensions, the index and segment cells take the weighted item means and their covariance from the
weighted Gram matrices (:mod:`.design`). What stays unweighted: derived importance (a correlation of
respondent scores), key drivers, the structural model, loyalty correlations, and every ``n`` (small-cell suppression included).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ...errors import QmdocError
from .. import stats
from .design import _Subset
from .instrument import _Instrument
from .items import ItemFigures, raw_scale
from .nps import NPSFigures

if TYPE_CHECKING:  # pragma: no cover
    from ..weighting import RakingFailure
    from .waves import _Responses


@dataclass(frozen=True, slots=True)
class WeightingFigures:
    """How one wave is weighted: ``method`` (``design_weights`` or ``raking``), the unweighted ``n`` of
    the rows weighted, Kish ``n_effective``, ``design_effect = n / n_effective``, ``max_weight`` (the
    largest weight as a multiple of the mean weight) and the raking sweeps ``iterations`` (None for
    design weights)."""

    method: str
    n: int
    n_effective: float
    design_effect: float
    max_weight: float
    iterations: int | None


def _wave_weights(data: _Responses, label: str, rows: np.ndarray) -> tuple[np.ndarray, WeightingFigures] | None:
    """The weights (mean 1, in the order of ``rows``) of one wave and their summary; None unweighted."""
    spec = data.survey.weighting
    if spec is None or rows.size == 0:
        return None
    from ..weighting import Raked, rake, summarize  # a weighted survey's only: not loaded for others

    w = None if data.base_weights is None else data.base_weights[rows] / data.base_weights[rows].mean()
    iterations = None
    if spec.method == "raking":
        margins = {}
        for seg in spec.margins:
            codes, levels = data.segments[seg]
            margins[seg] = np.array([*levels, None], dtype=object)[codes[rows]]  # code -1: no category
        raked = rake(margins, spec.margins, base=w, trim=spec.trim)
        if not isinstance(raked, Raked):
            raise QmdocError(_raking_failed(data.survey.id, label, raked))
        w, iterations = raked.weights, raked.iterations
    s = summarize(w)
    return w, WeightingFigures(spec.method or "design_weights", s.n, s.n_effective, s.design_effect,
                               s.max_weight, iterations)


def _raking_failed(survey: str, wave: str, failure: RakingFailure) -> str:
    """The one-line error of raking that gave no weights (see :class:`~..weighting.RakingFailure`)."""
    if failure.reason == "not_converged":
        trim = "" if failure.trim_ok is not False else " within weighting.trim"
        return (f"survey {survey}, wave {wave}: raking to weighting.margins did not converge{trim} after "
                f"{failure.iterations} sweeps (largest share error {failure.max_error:.3g}); widen weighting.trim "
                f"or merge small categories")
    return (f"survey {survey}, wave {wave}: raking to weighting.margins.{failure.margin} found "
            f"{failure.reason.replace('_', ' ')} {failure.category!r}")


def _weighted_items(X: np.ndarray, M: np.ndarray, sub: _Subset, ins: _Instrument, w: np.ndarray,
                    confidence: float) -> dict[str, ItemFigures]:
    """Every item of a weighted wave (see the module docstring); ``sub`` its weighted statistics."""
    from ..weighting import weighted_share  # a weighted survey's only: not loaded for others

    out: dict[str, ItemFigures] = {}
    for i, iid in enumerate(ins.item_ids):
        n = int(sub.ni[i])
        if n == 0:
            out[iid] = ItemFigures(iid, 0, None, None, None, None, None, None, None, 0)
            continue
        score = float(sub.means[i])
        sd100 = math.sqrt(max(float(sub.cov[i, i]), 0.0)) if n >= 2 else None
        se = math.sqrt(max(float(sub.V[i, i]), 0.0)) if n >= 2 else None
        hit = M[:, i] & (X[:, i] >= ins.hi[i] - 1)
        share = weighted_share(np.where(M[:, i], hit.astype(np.float64), np.nan), w, confidence)
        mean, sd = raw_scale(ins, i, score, sd100)
        out[iid] = ItemFigures(
            id=iid,
            n=n,
            mean=mean,
            sd=sd,
            score=score,
            ci=None if se is None else stats.t_interval(score, se * math.sqrt(n), n, confidence),
            top2=share.share,
            top2_ci=share.ci,
            score_sd=sd100,
            top2_count=int(np.count_nonzero(hit)),
            score_se=se,
            top2_se=share.se,
        )
    return out


def _weighted_nps(x: np.ndarray, valid: np.ndarray, w: np.ndarray, confidence: float) -> NPSFigures:
    """The weighted NPS of a wave's recommend answers ``x`` (``valid`` its valid mask)."""
    from ..weighting import weighted_nps  # a weighted survey's only: not loaded for others

    r = weighted_nps(np.where(valid, x, np.nan), w, confidence)
    if r.value is None:
        return NPSFigures(None, None, None, None, None, None, 0)
    return NPSFigures(r.value, r.se, r.ci, r.promoters, r.passives, r.detractors, r.n)
