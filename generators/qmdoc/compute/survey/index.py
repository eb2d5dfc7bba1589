"""Dimension scores and the satisfaction index.

* Dimension score: ``sum_i c_i * m_i`` over its items' 0–100 means ``m_i``,
  ``c_i`` the item weights normalized to sum 1 (equal when no item gives a
  weight) over the items that have at least one valid answer. Dimension ``n`` =
  respondents with at least one valid answer in the dimension.
* Index weights: ``stated`` = dimension weights normalized to sum 1 (equal
  when none is given; equal and ``importance_fallback=True`` when they sum to
  0). ``derived`` = per wave (and per segment subset), the Pearson r between a
  respondent's dimension score (the item-weighted mean of the respondent's
  valid 0–100 answers in the dimension; the plain mean without item weights)
  and the 0–100 score of ``survey.overall``, over respondents valid on both;
  undefined or negative r count as 0; normalized to sum 1; when all are 0 (or
  ``survey.overall`` is not set) equal weights and ``importance_fallback=True``.
* Index: ``sum_d w_d * score_d`` (weights renormalized over the dimensions
  that have a score).
* Interval of a dimension score and of the index, by linearization (our
  choice; the design does not fix it). Both are linear combinations
  ``sum_i c_i * m_i`` of item 0–100 means (for the index
  ``c_i = w_d * c_i|d``), the weights treated as fixed. Their variance is
  ``sum_i sum_j c_i c_j s_ij n_ij / (n_i n_j)`` where ``s_ij`` is the sample
  covariance (ddof=1) of the 0–100 scores of items i and j over the ``n_ij``
  respondents valid on both and ``n_i`` the item's valid count (so the
  diagonal is ``s_i^2 / n_i``): the covariance of two means computed on
  overlapping samples. A pair with ``n_ij < 2`` contributes 0 (no estimable
  covariance); an item with ``n_i < 2`` makes the standard error ``None``. The
  interval is normal: ``value -/+ z * se`` with ``z = norm.ppf(0.975)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import stats
from .design import _linear, _Subset
from .instrument import _Instrument
from .shape import hidden

Interval = tuple[float, float]


@dataclass(frozen=True, slots=True)
class DimensionFigures:
    """One dimension: 0–100 score, respondents with an answer in it, linearized se and interval."""

    id: str = hidden()
    score: float | None
    n: int
    ci: Interval | None
    se: float | None


def _dimension_figures(sub: _Subset, ins: _Instrument, confidence: float) -> dict[str, DimensionFigures]:
    out: dict[str, DimensionFigures] = {}
    for d, did in enumerate(ins.dim_ids):
        c = sub.dim_coef[d]
        if c is None:
            out[did] = DimensionFigures(did, None, int(sub.dim_n[d]), None, None)
            continue
        value, se = _linear(c, sub)
        out[did] = DimensionFigures(did, value, int(sub.dim_n[d]), stats.normal_interval(value, se, confidence), se)
    return out


@dataclass(frozen=True, slots=True)
class IndexFigures:
    """The weighted satisfaction index (0–100) with its linearized se and interval."""

    value: float | None
    ci: Interval | None
    se: float | None


def renormalised(weights, have: list[int]) -> list[tuple[int, float]] | None:
    """The index weights renormalized over the dimensions ``have`` that have a score:
    ``(d, w_d / sum)``; None when none has a score or their weights sum to 0. The one
    renormalization of the index, for a wave, a subset of it and a competitor."""
    total = float(sum(weights[d] for d in have))
    if not have or total <= 0:
        return None
    return [(d, weights[d] / total) for d in have]


def _index_figures(sub: _Subset, confidence: float) -> IndexFigures:
    share = renormalised(sub.weights, [d for d, s in enumerate(sub.dim_scores) if s is not None])
    if share is None:
        return IndexFigures(None, None, None)
    c = sum(w * sub.dim_coef[d] for d, w in share)
    value, se = _linear(c, sub)
    return IndexFigures(value, stats.normal_interval(value, se, confidence), se)
