"""Customer-satisfaction survey figures, per wave: pure functions from a
:class:`~qmdoc.models.Survey` and a responses DataFrame to frozen result objects.

Definitions (the design's "Figures: definitions to implement exactly"):

* An answer is *valid* when it is a number inside the item's scale
  (``min <= x <= max``). Blanks (NaN) and the survey's not-applicable codes are
  missing, never zero. A not-applicable code that lies *inside* an item's scale
  (e.g. ``0`` on a 0..10 recommend item of a 1..5 survey with N/A code 0) is a
  real answer on that item. Any other out-of-scale value raises ``ValueError``
  (the loader rejects them first; this is a guard).
* Waves are taken in order of first appearance of the ``wave`` column. A
  respondent id seen more than once within a wave keeps its first row; the
  others are dropped and counted (``duplicates_dropped``). Rows without a
  respondent id are never treated as duplicates.
* A respondent with no valid answer on any item counts in no ``n``.
* Item: ``n``, raw-scale ``mean`` and ``sd`` (ddof=1), ``score`` = mean of
  ``(x - min) / (max - min) * 100``, ``ci`` = t-interval of that 0–100 mean,
  ``top2`` = share of valid answers ``>= max - 1`` with a Wilson interval.
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
* NPS on ``survey.recommend`` (a 0..10 item): shares of 9–10, 7–8 and 0–6
  (fractions), ``value = 100 * (pP - pD)``,
  ``se = 100 * sqrt((pP + pD - (pP - pD)^2) / n)``, normal interval.
* Margin of error of a wave: ``100 * z * sqrt(0.25 / n)`` percentage points,
  times ``sqrt((N - n) / (N - 1))`` when ``survey.population.size`` is given.
* Response rate: ``n / survey.invitations[wave]`` when the wave is listed.
* Segments: per column of ``survey.segments`` and per level (sorted by its
  string), ``n`` and, unless ``n < survey.min_cell_n``, the index value and the
  dimension figures computed on that subset exactly as for the wave (derived
  importance is re-derived on the subset). A suppressed cell keeps only ``n``.
* Importance-performance per dimension: importance = index weight,
  performance = dimension score, crosshairs at the means across dimensions
  (with a score); quadrants "keep up the good work", "concentrate here",
  "low priority", "possible overkill" (``>=`` the mean counts as high, with a
  1e-9 tolerance so that equal weights all count as high).
* Changes between consecutive waves: ``index`` and ``dimension.<id>`` (z on the
  difference, ``se = sqrt(se1^2 + se2^2)``), ``item.<id>`` (Welch t on the
  0–100 scores), ``top2.<id>`` (pooled two-proportion z), ``nps`` (z with
  ``sqrt(se1^2 + se2^2)``); ``delta = to - from``, two-sided ``p``,
  ``significant = p < 0.05``. A metric missing in either wave gives no change;
  a change whose test is undefined (zero or missing se) has ``p=None`` and is
  not significant.

* Loyalty (``survey.loyalty``, item ids that belong to no dimension): per
  item the item's ``n``, ``score``, ``ci``, ``top2`` and ``top2_ci`` (the item
  definitions above), reported apart from satisfaction; never in a dimension
  or the index. ``satisfaction_loyalty_r``: Pearson r of ``survey.overall``
  with each loyalty item over the respondents valid on both; ``None`` without
  an overall item, with fewer than 3 such respondents or a constant answer.

* Competitors (``survey.competitors``): a row rates the company named in
  ``competitors.column``; the rows rating ``competitors.us`` are our own
  ratings, and every figure above (n, duplicates, items, dimensions, index,
  NPS, loyalty, segments, importance, changes, model) is computed from them
  only. A duplicate is a repeated (wave, respondent, rated company);
  ``duplicates_dropped`` counts the dropped rows that rate us (a repeated
  submission of the whole form drops one of our rows and its competitor rows;
  the count is of repeated submissions). Per wave, ``competitors`` holds every
  company rated in the wave (us always, first; then the others sorted by
  name): ``n`` = respondents with a valid answer on any item, the dimension
  scores (as above, from that company's rows) and the index ``sum_d w_d *
  score_d`` with OUR index weights of the wave (stated weights; with derived
  importance our derived weights of the wave, so that every company is
  weighted by what drives our customers' overall satisfaction: a like-for-like
  comparison, not each company's own drivers), renormalized over the
  dimensions that have a score. Our entry repeats our wave's ``n``, index and
  dimension scores. A company with ``n < min_cell_n`` is suppressed
  (``index`` and ``dimensions`` None; us included). ``competitor_gaps[d]`` =
  our dimension-d score minus the highest dimension-d score of the
  unsuppressed competitors; ``None`` when we have no score or no unsuppressed
  competitor has one.

* Internal customers (``survey.kind == "internal"`` with ``survey.internal``):
  the wave figures use all rows; a duplicate is a repeated (wave, respondent,
  supplier) (an employee may rate several supplying departments). Per wave,
  ``internal`` is the matrix of the (supplier, customer) pairs that occur in
  the wave: per cell ``n`` and, unless ``n < min_cell_n``, the index of that
  subset computed exactly as for a segment (derived importance re-derived on
  the cell); ``supplier_totals`` the same over all the rows of a supplier.
  ``suppliers`` and ``customers`` are the departments occurring in the wave,
  sorted by their string.

* Structural model: when ``survey.model`` is declared, :func:`~qmdoc.compute.pls.estimate_pls`
  per wave on the wave's respondents (N/A and blanks as NaN; it deletes
  incomplete rows listwise), blocks = the dimensions named in the paths, scale
  = each item's (min, max), and its assessment
  (:func:`~qmdoc.compute.pls_assessment.assess_pls`, with the model's
  bootstrap and IPMA target). Its ``ValueError`` is re-raised naming the wave.

* Key drivers: for a survey with ``overall``, per wave,
  :func:`~qmdoc.compute.drivers.estimate_drivers` on the respondent dimension
  scores of derived importance (see above) and the overall 0–100 score, over
  the respondents that have every dimension score and a valid overall answer
  (derived importance takes, per dimension, those with that dimension's score;
  a joint regression needs them all). With ``importance: drivers`` the index
  weights are the wave's shares ``ε_d / R²``, also for its segments and
  internal-matrix cells (relative weights need dimensions + 2 complete cases
  and are unstable on small cells; one set of weights keeps a wave's indices
  comparable); a wave without key drivers gets equal weights and
  ``importance_fallback=True``.

Figures that cannot be computed (no answers; a single answer for a spread or
an interval) are ``None``, never NaN and never 0. Responses without any row (a
survey whose first wave has not arrived) give no waves and no changes.

Inconsistent input raises ``ValueError``: a weight on some but not all items
of a dimension (or dimensions of the survey), a ``recommend`` item not on
0..10, ``overall``/``recommend``/``loyalty`` naming no item, a loyalty item
inside a dimension, an item id used twice, a missing column, a row without a
wave (or without a rated company, supplier or customer when those are
declared), ``competitors.us`` rated by no row, ``internal`` on a survey whose
kind is not ``internal``, competitors on an internal survey, an out-of-scale
value that is no N/A code.

Speed: nothing loops over respondents in Python. Per wave the answers become
one float matrix; the pairwise counts, sums and cross-products of any set of
respondents come from one Gram matrix ``[D | M].T @ [D | M]`` (``D`` the
centred 0–100 scores with 0 where invalid, ``M`` the 0/1 valid mask), and the
per-respondent sums of every segment level (and internal-matrix cell) from
weighted counts (see :class:`_Design`); the competitors' item sums come from
weighted counts per company. With 100,000 rows or more, waves are computed in
parallel threads (numpy releases the GIL); the results do not depend on it.
Each wave finds its own duplicates, takes its rows of the item columns as a
view when they are one run of a single float block (see :func:`_stacked`),
and builds ``[D | M]`` in a buffer its thread reuses. A segment level's Gram
matrix is the product of that level's own rows (gathered in file order), not
a sum of smaller ones: summing would change the last bits of every figure.

The result objects are frozen dataclasses. Their dict fields are plain dicts
(so the objects pickle and copy); treat them as read-only.
"""

from __future__ import annotations

import math
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..models import Survey
from . import stats

if TYPE_CHECKING:  # pragma: no cover
    from .drivers import DriverFigures
    from .pls import PLSResult
    from .pls_assessment import PLSAssessment

__all__ = [
    "ItemFigures",
    "DimensionFigures",
    "IndexFigures",
    "NPSFigures",
    "SegmentFigures",
    "ImportanceFigures",
    "LoyaltyFigures",
    "CompetitorFigures",
    "CellFigures",
    "InternalMatrix",
    "WaveFigures",
    "Change",
    "SurveyFigures",
    "QUADRANTS",
    "compute_survey_figures",
    "figures_as_json",
]

Interval = tuple[float, float]

KEEP_UP = "keep up the good work"
CONCENTRATE = "concentrate here"
LOW_PRIORITY = "low priority"
OVERKILL = "possible overkill"
QUADRANTS = (KEEP_UP, CONCENTRATE, LOW_PRIORITY, OVERKILL)

_TOLERANCE = 1e-9
_PARALLEL_MIN_ROWS = 100_000  # below this, waves are computed one after the other


def _cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


# ----------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class ItemFigures:
    """One item in one wave. ``mean``/``sd`` on the item's raw scale, ``score``
    and ``ci`` on 0–100, ``top2`` a share (0..1) with its Wilson interval."""

    id: str
    n: int
    mean: float | None
    sd: float | None
    score: float | None
    ci: Interval | None
    top2: float | None
    top2_ci: Interval | None


@dataclass(frozen=True, slots=True)
class DimensionFigures:
    """One dimension: 0–100 score, respondents with an answer in it, linearized se and interval."""

    id: str
    score: float | None
    n: int
    ci: Interval | None
    se: float | None


@dataclass(frozen=True, slots=True)
class IndexFigures:
    """The weighted satisfaction index (0–100) with its linearized se and interval."""

    value: float | None
    ci: Interval | None
    se: float | None


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


@dataclass(frozen=True, slots=True)
class SegmentFigures:
    """One level of one segment column. When ``suppressed`` (n < min_cell_n)
    only ``n`` is given; ``index`` (the index value) and ``dimensions`` are None."""

    n: int
    index: float | None
    suppressed: bool
    dimensions: dict[str, DimensionFigures] | None


@dataclass(frozen=True, slots=True)
class ImportanceFigures:
    """Importance-performance of one dimension (importance = its index weight)."""

    importance: float
    performance: float | None
    quadrant: str | None


@dataclass(frozen=True, slots=True)
class LoyaltyFigures:
    """One loyalty item (e.g. repurchase intent): its item figures, reported apart from satisfaction."""

    n: int
    score: float | None
    ci: Interval | None
    top2: float | None
    top2_ci: Interval | None


@dataclass(frozen=True, slots=True)
class CompetitorFigures:
    """One rated company in one wave, weighted like us. When ``suppressed``
    (n < min_cell_n) only ``n`` is given; ``index`` and ``dimensions`` are None."""

    n: int
    index: float | None
    dimensions: dict[str, float | None] | None
    suppressed: bool


@dataclass(frozen=True, slots=True)
class CellFigures:
    """One cell of the internal-customer matrix (or one supplier's total).
    When ``suppressed`` (n < min_cell_n) ``index`` is None."""

    n: int
    index: float | None
    suppressed: bool


@dataclass(frozen=True, slots=True)
class InternalMatrix:
    """Internal customers: the index of every (supplier, customer) pair occurring in a wave."""

    suppliers: tuple[str, ...]
    customers: tuple[str, ...]
    cells: dict[tuple[str, str], CellFigures]  # (supplier, customer), sorted
    supplier_totals: dict[str, CellFigures]


@dataclass(frozen=True, slots=True)
class WaveFigures:
    """Every figure of one wave. Dicts are keyed by id in survey order; read-only by convention."""

    wave: str
    n: int
    duplicates_dropped: int
    index: IndexFigures
    dimensions: dict[str, DimensionFigures]
    items: dict[str, ItemFigures]
    nps: NPSFigures | None
    segments: dict[str, dict[str, SegmentFigures]]
    importance: dict[str, ImportanceFigures]
    importance_fallback: bool
    margin_of_error: float | None
    response_rate: float | None
    model: "PLSResult | None"  # None without a declared model, or when the wave's data cannot estimate it
    loyalty: dict[str, LoyaltyFigures] = field(default_factory=dict)  # {} unless the survey declares loyalty
    satisfaction_loyalty_r: dict[str, float | None] = field(default_factory=dict)
    competitors: dict[str, CompetitorFigures] | None = None  # None unless the survey declares competitors
    competitor_gaps: dict[str, float | None] | None = None
    internal: InternalMatrix | None = None  # None unless an internal survey declares supplier/customer
    model_unavailable: "ModelUnavailable | None" = None  # why a declared model has no estimate in this wave
    model_assessment: "PLSAssessment | None" = None  # with model: its measurement and structural assessment
    drivers: "DriverFigures | None" = None  # key drivers, for a survey with an overall item
    drivers_unavailable: "ModelUnavailable | None" = None  # why such a survey's wave has no key drivers
    # rows screened out before the figures, per reason (filter, speeders, straightline); None: no screening
    excluded: dict[str, int] | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """Change of one metric between two consecutive waves (``delta = to - from``)."""

    from_wave: str
    to_wave: str
    metric: str
    delta: float
    p: float | None
    significant: bool


@dataclass(frozen=True, slots=True)
class SurveyFigures:
    survey: str
    waves: tuple[WaveFigures, ...]
    changes: tuple[Change, ...]


# ------------------------------------------------------------------ instrument


@dataclass(frozen=True)
class _Instrument:
    """The survey flattened to arrays (items in ``Survey.all_items()`` order)."""

    item_ids: tuple[str, ...]
    kd: int  # the first kd items are the dimensions' items, the rest the survey's other items
    lo: np.ndarray  # (k,)
    hi: np.ndarray  # (k,)
    na_codes: np.ndarray
    dim_ids: tuple[str, ...]
    dim_items: tuple[np.ndarray, ...]  # item indices of each dimension
    dim_item_weights: tuple[np.ndarray, ...]  # raw positive item weights, per dimension
    dim_matrix: np.ndarray  # (k, D): item weight normalized within its dimension, 0 elsewhere
    stated: np.ndarray | None  # normalized stated weights, None when they sum to 0
    derived: bool
    overall: int | None
    recommend: int | None
    loyalty: tuple[int, ...]  # item indices of the loyalty items


def _instrument(survey: Survey) -> _Instrument:
    items = survey.all_items()
    ids = [i.id for i in items]
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"survey {survey.id}: item id {i!r} is used more than once")
        seen.add(i)
    index = {i: k for k, i in enumerate(ids)}
    lo = np.array([survey.item_scale(i).min for i in items], dtype=np.float64)
    hi = np.array([survey.item_scale(i).max for i in items], dtype=np.float64)

    dim_items, dim_w = [], []
    dim_matrix = np.zeros((len(ids), len(survey.dimensions)))
    for d, dim in enumerate(survey.dimensions):
        given = [it.weight is not None for it in dim.items]
        if any(given) and not all(given):
            raise ValueError(
                f"survey {survey.id}: dimension {dim.id}: expected a weight on every item or on none"
            )
        w = np.array([it.weight if it.weight is not None else 1.0 for it in dim.items], dtype=np.float64)
        cols = np.array([index[it.id] for it in dim.items], dtype=np.intp)
        dim_items.append(cols)
        dim_w.append(w)
        dim_matrix[cols, d] = w / w.sum()

    given = [d.weight is not None for d in survey.dimensions]
    if any(given) and not all(given):
        raise ValueError(f"survey {survey.id}: expected a weight on every dimension or on none")
    if all(given):
        sw = np.array([d.weight for d in survey.dimensions], dtype=np.float64)
    else:
        sw = np.ones(len(survey.dimensions))
    stated = sw / sw.sum() if sw.sum() > 0 else None

    def _ref(name: str | None, what: str) -> int | None:
        if name is None:
            return None
        if name not in index:
            raise ValueError(f"survey {survey.id}: {what} names item {name!r}, which is not an item of the survey")
        return index[name]

    recommend = _ref(survey.recommend, "recommend")
    if recommend is not None and (lo[recommend], hi[recommend]) != (0.0, 10.0):
        raise ValueError(
            f"survey {survey.id}: recommend item {survey.recommend!r}: expected a 0..10 scale, "
            f"got {int(lo[recommend])}..{int(hi[recommend])}"
        )
    in_dimension = {it.id: dim.id for dim in survey.dimensions for it in dim.items}
    loyalty = []
    for name in dict.fromkeys(survey.loyalty):
        if name not in index:
            raise ValueError(f"survey {survey.id}: loyalty names item {name!r}, which is not an item of the survey")
        if name in in_dimension:
            raise ValueError(
                f"survey {survey.id}: loyalty item {name!r} is an item of dimension {in_dimension[name]}: "
                "expected loyalty items outside the dimensions (loyalty is reported apart from satisfaction)"
            )
        loyalty.append(index[name])
    return _Instrument(
        item_ids=tuple(ids),
        kd=sum(len(d.items) for d in survey.dimensions),
        lo=lo,
        hi=hi,
        na_codes=np.array(sorted(set(survey.not_applicable)), dtype=np.float64),
        dim_ids=tuple(d.id for d in survey.dimensions),
        dim_items=tuple(dim_items),
        dim_item_weights=tuple(dim_w),
        dim_matrix=dim_matrix,
        stated=stated,
        derived=survey.importance == "derived",
        overall=_ref(survey.overall, "overall"),
        recommend=recommend,
        loyalty=tuple(loyalty),
    )


# ---------------------------------------------------------------- subset maths


@dataclass(frozen=True)
class _Design:
    """One wave's respondents prepared for the sufficient statistics of any subset of them.

    ``Bd = [D | M]`` for the dimensions' items (n x 2kd) and ``Bo =
    [D | M]`` for the survey's other items (n x 2(k - kd)): ``D`` the 0–100
    scores minus ``shift`` (the wave's item means), 0 where invalid; ``M`` the
    valid mask as 0/1. For any subset of rows, the Gram matrix ``Bd.T @ Bd``
    holds every sum needed for item means, pairwise counts and pairwise
    covariances of the dimension items; the other items only need their own
    mean and variance (column sums of ``Bo``), and segments do not use them.

    ``R`` (n x (1 + D) or n x (1 + 7D)) holds the per-respondent quantities
    that are only ever summed, so that the sums over every level of a segment
    come from one weighted count per column: ``[any | A | O | x | y | x*x |
    y*y | x*y]`` with ``any`` = at least one valid answer, ``A[:, d]`` = a
    valid answer in dimension d; and, with derived importance, ``O[:, d]`` = 1
    when the respondent has both a dimension-d score and a valid overall
    answer, ``x[:, d]`` the respondent's dimension-d score minus the
    dimension's centre (``W.T @ shift``), ``y`` the overall 0–100 score minus
    its wave mean, all 0 where ``O`` is 0.

    Centring on the wave means keeps the sums free of cancellation (the
    formulas that use them are exact for any centre).
    """

    Bd: np.ndarray
    Bo: np.ndarray
    R: np.ndarray
    shift: np.ndarray  # (k,)

    def gram(self, rows: np.ndarray | None = None) -> np.ndarray:
        """The Gram matrix of ``[D | M]``: of the dimension items over ``rows``,
        or over all rows with the other items' diagonal terms added (their
        cross terms, never used, are NaN)."""
        if rows is not None:
            Bs = self.Bd[rows]
            return Bs.T @ Bs
        Gd = self.Bd.T @ self.Bd
        k, kd = self.shift.size, self.Bd.shape[1] // 2
        if k == kd:
            return Gd
        G = np.full((2 * k, 2 * k), np.nan)
        dim = np.r_[0:kd, k : k + kd]
        G[np.ix_(dim, dim)] = Gd
        o = np.arange(kd, k)
        Do, Mo = self.Bo[:, : k - kd], self.Bo[:, k - kd :]
        G[o, o] = np.einsum("ij,ij->j", Do, Do)
        G[o, k + o] = G[k + o, o] = Do.sum(axis=0)
        G[k + o, k + o] = Mo.sum(axis=0)
        return G


@dataclass(frozen=True)
class _Subset:
    """Sufficient statistics of one set of respondents (a wave or a segment cell)."""

    n: int
    ni: np.ndarray  # (k,) valid answers per item
    nij: np.ndarray  # (k, k) respondents valid on both items
    means: np.ndarray  # (k,) 0–100 means (NaN where ni == 0)
    cov: np.ndarray  # (k, k) pairwise sample covariance of 0–100 scores (NaN where nij < 2)
    dim_n: np.ndarray  # (D,)
    dim_scores: tuple[float | None, ...]
    dim_coef: tuple[np.ndarray | None, ...]  # (k,) coefficient vector of each dimension score
    weights: np.ndarray  # (D,) index weights
    fallback: bool


def _centred(
    X: np.ndarray, M: np.ndarray, lo: np.ndarray, hi: np.ndarray, out: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """``[D | M]`` and the item means (``shift``) of a group of items.

    Column by column, so that each column's steps run on data in the cache; into
    ``out`` (a flat buffer) when it is large enough: a new array of this size
    (40 MB for a wave of 125,000 rows of 20 items) costs its page faults anew
    for every wave.
    """
    n, k = X.shape
    if out is not None and out.size >= n * 2 * k:
        B = out[: n * 2 * k].reshape((n, 2 * k), order="F")
    else:
        B = np.empty((n, 2 * k), dtype=np.float64, order="F")
    scale = 100.0 / (hi - lo)
    shift = np.zeros(k)
    invalid = np.empty(n, dtype=bool)
    tmp = np.empty(n)
    for j in range(k):
        m, d, mf = M[:, j], B[:, j], B[:, k + j]
        mf[...] = m
        np.subtract(X[:, j], lo[j], out=d)
        d *= scale[j]  # (x - min) / (max - min) * 100
        np.logical_not(m, out=invalid)
        np.copyto(d, 0.0, where=invalid)
        valid = np.count_nonzero(m)
        if valid:
            shift[j] = d.sum() / valid
            np.multiply(mf, shift[j], out=tmp)  # the mean where valid; 0 - shift * 0 stays 0 elsewhere
            d -= tmp
    return B, shift


def _columns(M: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``M[:, cols]``, a view when ``cols`` is a run of consecutive columns."""
    if cols.size and cols[-1] - cols[0] == cols.size - 1 and bool((np.diff(cols) == 1).all()):
        return M[:, int(cols[0]) : int(cols[-1]) + 1]
    return M[:, cols]


def _design(X: np.ndarray, M: np.ndarray, ins: _Instrument, scratch: np.ndarray | None = None) -> _Design:
    """The design of one wave; ``scratch``: a flat buffer reused for ``Bd`` (see :func:`_centred`)."""
    n, k = X.shape
    D, kd = len(ins.dim_ids), ins.kd
    Bd, shift_d = _centred(X[:, :kd], M[:, :kd], ins.lo[:kd], ins.hi[:kd], scratch)
    Bo, shift_o = _centred(X[:, kd:], M[:, kd:], ins.lo[kd:], ins.hi[kd:])
    shift = np.concatenate([shift_d, shift_o])

    derived = ins.derived and ins.overall is not None
    R = np.zeros((n, 1 + (7 * D if derived else D)), dtype=np.float64, order="F")
    R[:, 0] = M.any(axis=1)
    for d, cols in enumerate(ins.dim_items):
        R[:, 1 + d] = _columns(M, cols).any(axis=1)
    if derived:
        W = ins.dim_matrix[:kd]  # dimension items only
        O, x, y = (R[:, 1 + j * D : 1 + (j + 1) * D] for j in (1, 2, 3))
        o = ins.overall
        num, den, ok = _respondent_scores(Bd, shift_d, M, ins)
        O[...] = ok
        np.divide(num, den, out=x, where=ok)  # the respondent's dimension score
        x -= W.T @ shift_d
        x *= O
        y[...] = (Bd[:, o] if o < kd else Bo[:, o - kd])[:, None]  # overall score minus its mean
        y *= O
        np.multiply(x, x, out=R[:, 1 + 4 * D : 1 + 5 * D])
        np.multiply(y, y, out=R[:, 1 + 5 * D : 1 + 6 * D])
        np.multiply(x, y, out=R[:, 1 + 6 * D :])
    return _Design(Bd, Bo, R, shift)


def _respondent_scores(
    Bd: np.ndarray, shift_d: np.ndarray, M: np.ndarray, ins: _Instrument
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each respondent's dimension scores, as derived importance and key drivers use them.

    From ``Bd`` (see :class:`_Design`) and the wave's dimension-item means
    ``shift_d``: ``num[:, d] / den[:, d]`` is the respondent's dimension-d score,
    the item-weighted mean of the respondent's valid 0–100 answers in the
    dimension (``den`` the sum of the weights of those answers, ``num`` of
    weight * score); ``ok[:, d]``: the respondent has a dimension-d score
    (``den > 0``) and a valid answer on ``ins.overall``.
    """
    n, kd, D = Bd.shape[0], ins.kd, len(ins.dim_ids)
    W = ins.dim_matrix[:kd]  # dimension items only
    Dm, Mf = Bd[:, :kd], Bd[:, kd:]
    den = np.zeros((n, D), order="F")  # sum of the weights of the respondent's valid answers
    num = np.zeros((n, D), order="F")  # sum of weight * score over them
    for d, cols in enumerate(ins.dim_items):  # column by column: no thin BLAS products
        for i in cols:
            den[:, d] += W[i, d] * Mf[:, i]
            num[:, d] += W[i, d] * (Dm[:, i] + shift_d[i] * Mf[:, i])
    ok = den > 0
    ok &= M[:, ins.overall, None]
    return num, den, ok


def _drivers(survey: Survey, des: _Design, M: np.ndarray, ins: _Instrument):
    """Key drivers of one wave (:func:`~qmdoc.compute.drivers.estimate_drivers`) on the respondent
    dimension scores of :func:`_respondent_scores` and the overall 0–100 score; respondents with
    every dimension score and a valid overall answer (complete cases)."""
    from .drivers import DriversNotEstimable, estimate_drivers

    kd, o = ins.kd, ins.overall
    num, den, ok = _respondent_scores(des.Bd, des.shift[:kd], M, ins)
    scores = np.full(num.shape, np.nan)
    np.divide(num, den, out=scores, where=ok)
    overall = (des.Bd[:, o] if o < kd else des.Bo[:, o - kd]) + des.shift[o]  # 0–100, where valid
    overall[~M[:, o]] = np.nan
    try:
        return estimate_drivers(scores, overall, ins.dim_ids, bootstrap=survey.drivers.bootstrap,
                                seed=survey.drivers.seed), None
    except DriversNotEstimable as e:  # the wave's data: the page says why
        return None, ModelUnavailable(e.reason, dict(e.detail))


def _subset(G: np.ndarray, sums: np.ndarray, shift: np.ndarray, ins: _Instrument) -> _Subset:
    """Statistics of a set of respondents from the Gram matrix ``G`` of its rows of
    ``B`` and the column sums ``sums`` of its rows of ``R`` (see :class:`_Design`)."""
    k, D = shift.size, len(ins.dim_ids)
    P, A, nij = G[:k, :k], G[:k, k:], G[k:, k:]
    ni = np.diagonal(nij).copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(ni > 0, shift + np.diagonal(A) / ni, np.nan)
        # A[i, j]: sum of centred i over respondents valid on i and j
        cov = np.where(nij >= 2, (P - A * A.T / nij) / (nij - 1), np.nan)

    scores: list[float | None] = []
    coefs: list[np.ndarray | None] = []
    for cols, w in zip(ins.dim_items, ins.dim_item_weights):
        ok = ni[cols] > 0
        if not ok.any():
            scores.append(None)
            coefs.append(None)
            continue
        c = np.zeros(k)
        c[cols[ok]] = w[ok] / w[ok].sum()
        coefs.append(c)
        scores.append(float(c[cols[ok]] @ means[cols[ok]]))

    if ins.derived:
        weights, fallback = _derived_weights(sums[1 + D :], D)
    elif ins.stated is None:
        weights, fallback = np.full(D, 1.0 / D), True
    else:
        weights, fallback = ins.stated, False
    n = int(round(sums[0]))
    dim_n = np.rint(sums[1 : 1 + D]).astype(np.int64)
    return _Subset(n, ni, nij, means, cov, dim_n, tuple(scores), tuple(coefs), weights, fallback)


def _derived_weights(sums: np.ndarray, D: int) -> tuple[np.ndarray, bool]:
    """Derived importance from the sums of ``[O | x | y | x*x | y*y | x*y]`` (see :class:`_Design`).

    Per dimension, Pearson's r of the respondent's dimension score with the
    overall item over the respondents valid on both; undefined or negative r
    count as 0; normalized to sum 1, or equal weights (fallback) when all are 0.
    """
    r = np.zeros(D)
    if sums.size == 6 * D:  # an overall item is declared
        cnt, sx, sy, sxx, syy, sxy = sums.reshape(6, D)
        with np.errstate(invalid="ignore", divide="ignore"):
            cxy = sxy - sx * sy / cnt
            cxx = sxx - sx * sx / cnt
            cyy = syy - sy * sy / cnt
            rr = cxy / np.sqrt(cxx * cyy)
        defined = (cnt >= 2) & (cxx > 0) & (cyy > 0) & np.isfinite(rr)
        r = np.where(defined, np.clip(rr, 0.0, 1.0), 0.0)
    total = r.sum()
    if total > 0:
        return r / total, False
    return np.full(D, 1.0 / D), True


def _linear(c: np.ndarray, sub: _Subset) -> tuple[float, float | None]:
    """Value and linearized se of ``sum_i c_i * m_i`` (see the module docstring)."""
    sel = np.flatnonzero(c != 0)
    cs = c[sel]
    value = float(cs @ sub.means[sel])
    ns = sub.ni[sel]
    if (ns < 2).any():
        return value, None
    nij = sub.nij[np.ix_(sel, sel)]
    with np.errstate(invalid="ignore"):
        V = np.where(nij >= 2, sub.cov[np.ix_(sel, sel)] * nij, 0.0) / np.outer(ns, ns)
    var = float(cs @ V @ cs)
    if not (var >= 0.0 and math.isfinite(var)):
        return value, None
    return value, math.sqrt(var)


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


def _index_figures(sub: _Subset, confidence: float) -> IndexFigures:
    have = [d for d, s in enumerate(sub.dim_scores) if s is not None]
    total = float(sum(sub.weights[d] for d in have))
    if not have or total <= 0:
        return IndexFigures(None, None, None)
    c = sum((sub.weights[d] / total) * sub.dim_coef[d] for d in have)
    value, se = _linear(c, sub)
    return IndexFigures(value, stats.normal_interval(value, se, confidence), se)


def _item_figures(X, M, sub: _Subset, ins: _Instrument, confidence: float) -> dict[str, ItemFigures]:
    top2_counts = np.count_nonzero(M & (X >= ins.hi - 1), axis=0)
    out: dict[str, ItemFigures] = {}
    for i, iid in enumerate(ins.item_ids):
        n = int(sub.ni[i])
        if n == 0:
            out[iid] = ItemFigures(iid, 0, None, None, None, None, None, None)
            continue
        rng = ins.hi[i] - ins.lo[i]
        score = float(sub.means[i])
        sd100 = math.sqrt(max(float(sub.cov[i, i]), 0.0)) if n >= 2 else None
        x2 = int(top2_counts[i])
        out[iid] = ItemFigures(
            id=iid,
            n=n,
            mean=float(ins.lo[i] + score / 100.0 * rng),
            sd=None if sd100 is None else sd100 * rng / 100.0,
            score=score,
            ci=stats.t_interval(score, sd100, n, confidence),
            top2=x2 / n,
            top2_ci=stats.wilson_interval(x2, n, confidence),
        )
    return out


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


def _importance(weights: np.ndarray, dims: dict[str, DimensionFigures]) -> dict[str, ImportanceFigures]:
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
    return out


# ------------------------------------------------------------------------ waves


def _matrix(columns: list[np.ndarray], rows: np.ndarray, stacked: np.ndarray | None = None) -> np.ndarray:
    """The item matrix (n x k) of ``rows``: a read-only view of ``stacked`` (see :func:`_stacked`)
    when the rows are one ascending run, else a column-major copy."""
    if stacked is not None and rows.size and rows[-1] - rows[0] == rows.size - 1 and bool((np.diff(rows) == 1).all()):
        return stacked[int(rows[0]) : int(rows[-1]) + 1]
    X = np.empty((rows.size, len(columns)), dtype=np.float64, order="F")
    for j, col in enumerate(columns):
        np.take(col, rows, out=X[:, j])
    return X


def _root(a: np.ndarray) -> np.ndarray:
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


def _stacked(columns: list[np.ndarray]) -> np.ndarray | None:
    """The item columns as one read-only (n x k) matrix without a copy, when they lie in one
    numpy buffer at equal distances (as the rows of a pandas float block do); else None."""
    if len(columns) < 2:
        return None
    n = columns[0].shape[0]
    if any(c.dtype != np.float64 or c.ndim != 1 or c.shape[0] != n or c.strides[0] != 8 for c in columns):
        return None
    root = _root(columns[0])
    if any(_root(c) is not root for c in columns) or not (root.flags.c_contiguous or root.flags.f_contiguous):
        return None
    addr = [c.__array_interface__["data"][0] for c in columns]
    step = addr[1] - addr[0]
    if step < 8 * n or any(b - a != step for a, b in zip(addr, addr[1:])):
        return None
    start = root.__array_interface__["data"][0]
    if addr[0] < start or addr[-1] + 8 * n > start + root.nbytes:  # pragma: no cover - a view never leaves its base
        return None
    return np.lib.stride_tricks.as_strided(columns[0], shape=(n, len(columns)), strides=(8, step), writeable=False)


def _valid(X: np.ndarray, ins: _Instrument, wave: str) -> np.ndarray:
    """Valid mask of a raw matrix; raises on an out-of-scale value that is not a not-applicable code."""
    with np.errstate(invalid="ignore"):
        M = X >= ins.lo  # NaN compares False
        M &= X <= ins.hi
    if np.count_nonzero(M) + np.count_nonzero(np.isnan(X)) != X.size:  # some value is outside the scale
        outside = ~M & ~np.isnan(X)
        where = np.argwhere(outside)
        values = X[outside]  # row-major order, like argwhere
        bad = ~np.isin(values, ins.na_codes)
        if bad.any():
            (_, j), v = where[np.flatnonzero(bad)[0]], values[bad][0]
            raise ValueError(
                f"wave {wave}: item {ins.item_ids[j]}: expected a value from {int(ins.lo[j])} to "
                f"{int(ins.hi[j])} or a not-applicable code, got {float(v)!r}"
            )
    return M


def _segment_levels(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes (-1 = missing) into levels sorted by their string (of the values present)."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # its codes as they are: no hashing of a million rows
        codes = np.asarray(values.array.codes)
        cats = values.array.categories
        present = np.flatnonzero(np.bincount(codes.astype(np.intp) + 1, minlength=len(cats) + 1)[1:])
        names = [str(u) for u in cats]
        levels = sorted({names[i] for i in present})
        pos = {name: p for p, name in enumerate(levels)}
        dtype = np.int16 if len(levels) < 2**15 - 1 else np.int64
        remap = np.array([pos.get(name, -1) for name in names] + [-1], dtype=dtype)
        if len(levels) == len(cats) and (remap[:-1] == np.arange(len(cats))).all():
            return codes, levels  # categories sorted and all present (as the loader makes them)
        return remap[codes], levels  # code -1 indexes the trailing -1
    codes, uniques = pd.factorize(values, sort=False)
    names = [str(u) for u in uniques]
    levels = sorted(set(names))
    pos = {name: p for p, name in enumerate(levels)}
    # small integer codes: numpy sorts 8- and 16-bit integers by radix sort
    dtype = np.int16 if len(levels) < 2**15 - 1 else np.int64
    remap = np.array([pos[name] for name in names] + [-1], dtype=dtype)
    return remap[codes], levels  # code -1 indexes the trailing -1


@dataclass(frozen=True)
class ModelUnavailable:
    """Why the declared structural model could not be estimated on one wave's data.

    ``reason``: ``too_few_rows`` (``n`` complete rows, ``required`` needed), ``constant_item``
    (``item`` has one value in the ``n`` complete rows), ``degenerate`` (the scores of latent
    variable ``lv`` have no variance) or ``collinear`` (the predecessors of ``lv`` are collinear).
    Why a wave has no key drivers: see :class:`~qmdoc.compute.drivers.DriversNotEstimable`.
    """

    reason: str
    detail: dict[str, object]


def _pls(survey: Survey, X: np.ndarray, M: np.ndarray, ins: _Instrument, wave: str):
    """The structural (PLS path) model of one wave and its assessment (:func:`~qmdoc.compute.pls_assessment.assess_pls`).

    Blocks are the dimensions named in the model's paths (each with its
    items); the data are the wave's respondents, N/A codes and blanks as NaN
    (:func:`estimate_pls` deletes incomplete rows listwise). A failure names
    the wave.
    """
    from .pls import NotEstimable, estimate_pls  # imported only when a model is declared
    from .pls_assessment import assess_pls

    paths = [tuple(p) for p in survey.model.paths]
    in_paths = {lv for p in paths for lv in p}
    blocks = {d.id: [it.id for it in d.items] for d in survey.dimensions if d.id in in_paths}
    index = {iid: i for i, iid in enumerate(ins.item_ids)}
    cols = [index[iid] for items in blocks.values() for iid in items]
    data = pd.DataFrame(np.where(M[:, cols], X[:, cols], np.nan), columns=[ins.item_ids[c] for c in cols])
    scale = {ins.item_ids[c]: (float(ins.lo[c]), float(ins.hi[c])) for c in cols}
    m = survey.model
    try:
        estimate = estimate_pls(data, blocks, paths, scheme=m.scheme, scale=scale)
        assessment = assess_pls(data, blocks, paths, estimate, scheme=m.scheme, scale=scale, target=m.target,
                                samples=m.bootstrap.samples, seed=m.bootstrap.seed)
        return estimate, assessment, None
    except NotEstimable as e:  # the wave's data, not the instrument: the page says why
        return None, None, ModelUnavailable(e.reason, dict(e.detail))
    except ValueError as e:  # an instrument the loader let through: a bug of ours, not the user's
        raise ValueError(f"survey {survey.id}: wave {wave}: structural model: {e}") from e


def compute_survey_figures(
    survey: Survey, responses: pd.DataFrame, *, confidence: float = 0.95, alpha: float = 0.05,
    excluded: dict[str, dict[str, int]] | None = None,
) -> SurveyFigures:
    """All figures of every wave of ``survey`` in ``responses``, and the changes between consecutive waves.

    ``responses`` has a ``wave`` column, the respondent id column
    (``survey.respondent``), the segment columns, the rated-company column
    (``survey.competitors.column``) or the supplier and customer columns
    (``survey.internal``) when declared, and one numeric column per item id
    (NaN = blank). ``confidence`` sets every interval; ``alpha`` the
    significance level of changes. ``excluded``: the rows the loader screened out, per wave and
    reason (``WaveFigures.excluded``). See the module docstring for definitions.
    """
    ins = _instrument(survey)
    if survey.internal is not None and survey.kind != "internal":
        raise ValueError(f"survey {survey.id}: internal (supplier, customer) is declared, expected kind internal")
    if survey.internal is not None and survey.competitors is not None:
        raise ValueError(f"survey {survey.id}: expected competitors or internal customers, got both")
    matrix = survey.internal is not None
    extra: list[str] = []
    if survey.competitors is not None:
        extra = [survey.competitors.column]
    elif matrix:
        extra = [survey.internal.supplier, survey.internal.customer]
    required = list(dict.fromkeys(["wave", survey.respondent, *survey.segment_ids(), *extra, *ins.item_ids]))
    missing = [c for c in required if c not in responses.columns]
    if missing:
        raise ValueError(f"survey {survey.id}: responses lack the column(s) {', '.join(missing)}")
    if len(responses) == 0:  # no data yet: no waves, so no figures and no changes
        return SurveyFigures(survey=survey.id, waves=(), changes=())

    wave_codes, wave_labels = pd.factorize(responses["wave"], sort=False)
    if (wave_codes < 0).any():
        raise ValueError(f"survey {survey.id}: a response has no wave")
    rid = responses[survey.respondent]
    rid_codes = None
    if isinstance(rid.dtype, np.dtype) and rid.dtype.kind in "iu" and len(rid) and len(wave_labels) < 2**20:
        # an integer key (as the loader makes): its values are codes already, no hashing needed
        values = rid.to_numpy()
        if 0 <= int(values.min()) and int(values.max()) < 2**40:
            rid_codes, n_ids = values.astype(np.int64, copy=False), int(values.max()) + 1
    if rid_codes is None:
        rid_codes, rid_uniques = pd.factorize(rid, sort=False)
        n_ids = len(rid_uniques)
    # what a row rates: a company (competitors) or a supplying department (internal); codes -1 = none
    texts = {col: _segment_levels(responses[col]) for col in extra}
    for col, (codes, _) in texts.items():
        if (codes < 0).any():
            raise ValueError(f"survey {survey.id}: a response has no {col}")
    rated: np.ndarray | None = None
    companies: list[str] = []
    us_code = -1
    if survey.competitors is not None:
        rated, companies = texts[survey.competitors.column]
        if survey.competitors.us not in companies:
            raise ValueError(
                f"survey {survey.id}: competitors: expected rows whose {survey.competitors.column} is "
                f"{survey.competitors.us!r} (us), got none"
            )
        us_code = companies.index(survey.competitors.us)
    internal = None
    if matrix:
        internal = (*texts[survey.internal.supplier], *texts[survey.internal.customer])
        rated = internal[0]

    n_rated = 1 if rated is None else int(rated.max(initial=0)) + 1

    def duplicates(rows: np.ndarray) -> np.ndarray:
        """Rows (of one wave, in file order) that repeat a respondent, or a (respondent, rated
        company or supplier): all but the first. Rows without a respondent id are none."""
        ids = rid_codes[rows]
        if rated is None:
            dup = pd.Series(ids).duplicated().to_numpy()
        elif (n_ids + 1) * n_rated < 2**62:
            dup = pd.Series(ids * n_rated + rated[rows]).duplicated().to_numpy()
        else:  # pragma: no cover - more combinations than an int64 holds
            dup = pd.DataFrame({"key": ids, "rated": rated[rows]}).duplicated().to_numpy()
        dup &= ids >= 0
        return dup

    if wave_codes.size < 2 or bool((wave_codes[1:] >= wave_codes[:-1]).all()):
        order = np.arange(wave_codes.size)  # rows already grouped by wave, in order
    else:
        order = np.argsort(wave_codes, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(wave_codes, minlength=len(wave_labels)))])

    columns = [responses[i].to_numpy(dtype=np.float64, na_value=np.nan) for i in ins.item_ids]
    stacked = _stacked(columns)
    segments = {s: texts[s] if s in texts else _segment_levels(responses[s]) for s in survey.segment_ids()}

    # one buffer per thread for the largest array of a wave, reused from wave to wave (see _centred)
    local = threading.local()
    scratch_size = int(np.diff(bounds).max(initial=0)) * 2 * ins.kd

    def one(w: int) -> WaveFigures:
        rows = order[bounds[w] : bounds[w + 1]]
        keep = ~duplicates(rows)
        label = str(wave_labels[w])
        scratch = getattr(local, "scratch", None)
        if scratch is None:
            scratch = local.scratch = np.empty(scratch_size)
        if survey.competitors is None:
            dropped = rows.size - int(np.count_nonzero(keep))
            return _wave_figures(
                survey, ins, label, columns, segments, internal, rows[keep], dropped, confidence, stacked, scratch
            )
        ours = rated[rows] == us_code
        dropped = int(np.count_nonzero(ours & ~keep))
        figures = _wave_figures(
            survey, ins, label, columns, segments, None, rows[keep & ours], dropped, confidence, stacked, scratch
        )
        others = rows[keep & ~ours]
        return _with_competitors(survey, ins, figures, columns, others, rated[others], companies, us_code)

    workers = min(len(wave_labels), _cpus())
    if workers > 1 and len(responses) >= _PARALLEL_MIN_ROWS:
        # waves are independent and numpy releases the GIL in the heavy parts;
        # map() keeps the wave order and re-raises the first wave's error
        with ThreadPoolExecutor(max_workers=workers) as pool:
            waves = list(pool.map(one, range(len(wave_labels))))
    else:
        waves = [one(w) for w in range(len(wave_labels))]
    if excluded:
        none = {"filter": 0, "speeders": 0, "straightline": 0}
        waves = [replace(w, excluded=dict(excluded.get(w.wave, none))) for w in waves]

    changes: list[Change] = []
    for a, b in zip(waves, waves[1:]):
        changes.extend(_changes(a, b, ins, alpha))
    return SurveyFigures(survey=survey.id, waves=tuple(waves), changes=tuple(changes))


def _cells(
    des: _Design, codes: np.ndarray, levels: int, min_n: int, ins: _Instrument
) -> list[tuple[int, int, _Subset | None]]:
    """``(level, n, statistics)`` of every level present among the design's rows
    (``codes`` per row, -1 = no level); statistics None when ``n < min_n``."""
    code1 = codes.astype(np.intp) + 1  # 0 = no level, lv + 1 = level lv
    ends = np.cumsum(np.bincount(code1, minlength=levels + 1))
    present = np.flatnonzero(np.diff(ends))  # levels seen among the rows
    perm = np.argsort(codes, kind="stable")  # rows grouped by level, no level first
    # level lv's rows: perm[ends[lv] : ends[lv + 1]]. The sums of R for all levels at once,
    # by weighted counts (not a BLAS product: OpenBLAS threads long, thin products badly)
    level_sums = np.stack(
        [np.bincount(code1, weights=des.R[:, j], minlength=levels + 1) for j in range(des.R.shape[1])],
        axis=1,
    )[present + 1]
    out: list[tuple[int, int, _Subset | None]] = []
    for lv, sums in zip(present, level_sums):
        n = int(round(sums[0]))
        if n < min_n:
            out.append((int(lv), n, None))
            continue
        out.append((int(lv), n, _subset(des.gram(perm[ends[lv] : ends[lv + 1]]), sums, des.shift[: ins.kd], ins)))
    return out


def _internal_matrix(
    des: _Design, rows: np.ndarray, internal: tuple, min_n: int, ins: _Instrument, confidence: float
) -> InternalMatrix:
    """The (supplier, customer) matrix of one wave's rows (see the module docstring)."""
    sup_codes, sup_levels, cus_codes, cus_levels = internal
    sup, cus = sup_codes[rows].astype(np.int64), cus_codes[rows].astype(np.int64)
    pairs, pair_codes = np.unique(sup * len(cus_levels) + cus, return_inverse=True)

    def figures(n: int, cs: _Subset | None) -> CellFigures:
        if cs is None:
            return CellFigures(n, None, True)
        return CellFigures(n, _index_figures(cs, confidence).value, False)

    cells = {}
    for lv, n, cs in _cells(des, pair_codes.reshape(-1), pairs.size, min_n, ins):
        s, c = divmod(int(pairs[lv]), len(cus_levels))
        cells[(sup_levels[s], cus_levels[c])] = figures(n, cs)
    totals = {sup_levels[lv]: figures(n, cs) for lv, n, cs in _cells(des, sup_codes[rows], len(sup_levels), min_n, ins)}
    customers = sorted({c for _, c in cells})
    return InternalMatrix(tuple(totals), tuple(customers), cells, totals)


def _loyalty(
    X: np.ndarray, M: np.ndarray, items: dict[str, ItemFigures], ins: _Instrument
) -> tuple[dict[str, LoyaltyFigures], dict[str, float | None]]:
    """Loyalty figures and their Pearson r with the overall item (see the module docstring)."""
    loyalty: dict[str, LoyaltyFigures] = {}
    r: dict[str, float | None] = {}
    for i in ins.loyalty:
        f = items[ins.item_ids[i]]
        loyalty[f.id] = LoyaltyFigures(f.n, f.score, f.ci, f.top2, f.top2_ci)
        value = None
        if ins.overall is not None:
            both = M[:, i] & M[:, ins.overall]
            if np.count_nonzero(both) >= 3:
                value = stats.pearson_r(X[both, ins.overall], X[both, i])
        r[f.id] = value
    return loyalty, r


def _with_competitors(
    survey: Survey,
    ins: _Instrument,
    ours: WaveFigures,
    columns: list[np.ndarray],
    rows: np.ndarray,
    codes: np.ndarray,
    companies: list[str],
    us_code: int,
) -> WaveFigures:
    """Our wave figures with the competitors' (their ``rows``, rated company ``codes``) added."""
    kd, C = ins.kd, len(companies)
    X = _matrix(columns, rows)
    M = _valid(X, ins, ours.wave)
    codes = codes.astype(np.intp)
    count = np.bincount(codes, minlength=C)
    n = np.rint(np.bincount(codes, weights=M.any(axis=1), minlength=C)).astype(np.int64)
    ni = np.empty((C, kd))
    total = np.empty((C, kd))
    score = np.empty(rows.size)
    for j in range(kd):  # per column, weighted counts: no per-row Python and no thin BLAS products
        ni[:, j] = np.bincount(codes, weights=M[:, j], minlength=C)
        np.subtract(X[:, j], ins.lo[j], out=score)
        score *= 100.0 / (ins.hi[j] - ins.lo[j])
        np.copyto(score, 0.0, where=~M[:, j])
        total[:, j] = np.bincount(codes, weights=score, minlength=C)
    weights = np.array([ours.importance[d].importance for d in ins.dim_ids])

    out: dict[str, CompetitorFigures] = {}
    us = survey.competitors.us
    suppressed = ours.n < survey.min_cell_n
    out[us] = CompetitorFigures(
        ours.n,
        None if suppressed else ours.index.value,
        None if suppressed else {d: f.score for d, f in ours.dimensions.items()},
        suppressed,
    )
    for c in range(C):
        if c == us_code or count[c] == 0:
            continue
        if n[c] < survey.min_cell_n:
            out[companies[c]] = CompetitorFigures(int(n[c]), None, None, True)
            continue
        dims: dict[str, float | None] = {}
        for d, (cols, w) in enumerate(zip(ins.dim_items, ins.dim_item_weights)):
            ok = ni[c, cols] > 0
            dims[ins.dim_ids[d]] = (
                float((w[ok] / w[ok].sum()) @ (total[c, cols[ok]] / ni[c, cols[ok]])) if ok.any() else None
            )
        have = [d for d, v in enumerate(dims.values()) if v is not None]
        wsum = float(sum(weights[d] for d in have))
        index = None
        if have and wsum > 0:
            index = float(sum(weights[d] / wsum * dims[ins.dim_ids[d]] for d in have))
        out[companies[c]] = CompetitorFigures(int(n[c]), index, dims, False)

    gaps: dict[str, float | None] = {}
    for did, f in ours.dimensions.items():
        theirs = [
            v.dimensions[did]
            for name, v in out.items()
            if name != us and not v.suppressed and v.dimensions[did] is not None
        ]
        gaps[did] = None if f.score is None or not theirs else float(f.score - max(theirs))
    return replace(ours, competitors=out, competitor_gaps=gaps)


def _wave_figures(
    survey: Survey,
    ins: _Instrument,
    label: str,
    columns: list[np.ndarray],
    segments: dict[str, tuple[np.ndarray, list[str]]],
    internal: tuple | None,
    rows: np.ndarray,
    dropped: int,
    confidence: float,
    stacked: np.ndarray | None = None,
    scratch: np.ndarray | None = None,
) -> WaveFigures:
    """The figures of one wave from its (deduplicated) rows of the item columns
    (``stacked``: see :func:`_stacked`; ``scratch``: see :func:`_centred`)."""
    X = _matrix(columns, rows, stacked)
    M = _valid(X, ins, label)
    des = _design(X, M, ins, scratch)
    drivers, drivers_unavailable = _drivers(survey, des, M, ins) if ins.overall is not None else (None, None)
    if survey.importance == "drivers":  # the wave's key-driver shares weigh the wave, its segments and cells
        shares = None if drivers is None else np.array([drivers.share[d] for d in ins.dim_ids])
        ins = replace(ins, stated=shares)  # None: equal weights, importance_fallback
    sub = _subset(des.gram(), des.R.sum(axis=0), des.shift, ins)

    dims = _dimension_figures(sub, ins, confidence)
    nps = None
    if ins.recommend is not None:
        nps = _nps_figures(X[:, ins.recommend], M[:, ins.recommend], confidence)

    seg_out: dict[str, dict[str, SegmentFigures]] = {}
    for col, (codes, levels) in segments.items():
        cells: dict[str, SegmentFigures] = {}
        for lv, n, cs in _cells(des, codes[rows], len(levels), survey.min_cell_n, ins):
            if cs is None:
                cells[levels[lv]] = SegmentFigures(n, None, True, None)
            else:
                cells[levels[lv]] = SegmentFigures(
                    n, _index_figures(cs, confidence).value, False, _dimension_figures(cs, ins, confidence)
                )
        seg_out[col] = cells

    items = _item_figures(X, M, sub, ins, confidence)
    loyalty, loyalty_r = _loyalty(X, M, items, ins)
    matrix = None
    if internal is not None:
        matrix = _internal_matrix(des, rows, internal, survey.min_cell_n, ins, confidence)
    inv = survey.invitations.get(label)
    population = survey.population.size if survey.population is not None else None
    model, assessment, model_unavailable = (
        _pls(survey, X, M, ins, label) if survey.model is not None else (None, None, None)
    )
    return WaveFigures(
        wave=label,
        n=sub.n,
        duplicates_dropped=dropped,
        index=_index_figures(sub, confidence),
        dimensions=dims,
        items=items,
        nps=nps,
        segments=seg_out,
        importance=_importance(sub.weights, dims),
        importance_fallback=bool(sub.fallback),
        margin_of_error=stats.margin_of_error(sub.n, population, confidence),
        response_rate=(sub.n / inv) if inv else None,
        model=model,
        loyalty=loyalty,
        satisfaction_loyalty_r=loyalty_r,
        internal=matrix,
        model_unavailable=model_unavailable,
        model_assessment=assessment,
        drivers=drivers,
        drivers_unavailable=drivers_unavailable,
    )


# ---------------------------------------------------------------------- changes


def _changes(a: WaveFigures, b: WaveFigures, ins: _Instrument, alpha: float) -> list[Change]:
    out: list[Change] = []

    def add(metric: str, delta: float, test: tuple | None) -> None:
        p = None if test is None else test[-1]
        p = p if p is not None and math.isfinite(p) else None
        out.append(Change(a.wave, b.wave, metric, float(delta), p, p is not None and p < alpha))

    if a.index.value is not None and b.index.value is not None:
        delta = b.index.value - a.index.value
        add("index", delta, stats.difference_z_test(delta, a.index.se, b.index.se))
    for did in ins.dim_ids:
        da, db = a.dimensions[did], b.dimensions[did]
        if da.score is not None and db.score is not None:
            delta = db.score - da.score
            add(f"dimension.{did}", delta, stats.difference_z_test(delta, da.se, db.se))
    for i, iid in enumerate(ins.item_ids):
        ia, ib = a.items[iid], b.items[iid]
        if ia.score is not None and ib.score is not None:
            k = 100.0 / (ins.hi[i] - ins.lo[i])
            sa = None if ia.sd is None else ia.sd * k
            sb = None if ib.sd is None else ib.sd * k
            add(f"item.{iid}", ib.score - ia.score, stats.welch_t_test(ia.score, sa, ia.n, ib.score, sb, ib.n))
    for iid in ins.item_ids:
        ia, ib = a.items[iid], b.items[iid]
        if ia.top2 is not None and ib.top2 is not None:
            xa, xb = round(ia.top2 * ia.n), round(ib.top2 * ib.n)
            add(f"top2.{iid}", ib.top2 - ia.top2, stats.two_proportion_z_test(xa, ia.n, xb, ib.n))
    if a.nps is not None and b.nps is not None and a.nps.value is not None and b.nps.value is not None:
        delta = b.nps.value - a.nps.value
        add("nps", delta, stats.difference_z_test(delta, a.nps.se, b.nps.se))
    return out


# ------------------------------------------------------------------------- JSON


def _num(x: Any) -> Any:
    if x is None:
        return None
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    return float(x)


def _interval(ci: Interval | None) -> list[float] | None:
    return None if ci is None else [float(ci[0]), float(ci[1])]


def _dimension_json(f: DimensionFigures) -> dict:
    return {"score": _num(f.score), "n": f.n, "ci": _interval(f.ci), "se": _num(f.se)}


def _key(k: Any) -> str:
    return "->".join(str(p) for p in k) if isinstance(k, tuple) else str(k)


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {_key(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if v is None or isinstance(v, str):
        return v
    return _num(v)


def _model_json(model: Any, assessment: Any = None) -> dict:
    fields = ("paths", "r2", "weights", "loadings", "ave", "alpha", "index", "iterations", "converged")
    out = {f: _plain(getattr(model, f)) for f in fields}
    if assessment is not None:
        out.update(_assessment_json(assessment))
    return out


def _pair(k: tuple) -> str:
    return "|".join(k)


def _assessment_json(a: Any) -> dict:
    """The assessment keys of ``waves[].model`` (see the README)."""
    out: dict[str, Any] = {
        "n": a.n,
        "rho_c": _plain(a.rho_c),
        "rho_a": _plain(a.rho_a),
        "htmt": {_pair(k): _num(v) for k, v in a.htmt.items()},
        "htmt_flag": {_pair(k): _num(v) for k, v in a.htmt_flag.items()},
        "fornell_larcker": _plain(a.fornell_larcker),
        "vif_outer": _plain(a.vif_outer),
        "r2_adjusted": _plain(a.r2_adjusted),
        "f2": _plain(a.f2),
        "vif_inner": _plain(a.vif_inner),
        "total_effects": _plain(a.total_effects),
        "ipma": None if a.ipma_target is None else {
            "target": a.ipma_target,
            "importance": _plain(a.ipma_importance),
            "performance": _plain(a.ipma_performance),
        },
    }
    b = a.bootstrap
    out["bootstrap"] = None if b is None else {"samples": b.samples, "seed": b.seed, "valid": b.valid}
    for name in ("paths", "weights", "loadings", "total_effects"):
        stats = None if b is None else getattr(b, name)
        for part in ("se", "t", "p", "ci"):
            out[f"{name}_{part}"] = None if stats is None else _plain(getattr(stats, part))
    return out


def _drivers_json(f: Any) -> dict:
    return {
        "method": f.method,
        "n": f.n,
        "r2": _num(f.r2),
        "raw": _plain(f.raw),
        "share": _plain(f.share),
        "ci": {k: _interval(v) for k, v in f.ci.items()},
        "share_ci": {k: _interval(v) for k, v in f.share_ci.items()},
        "bootstrap": f.bootstrap,
        "seed": f.seed,
        "resamples": f.resamples,
    }


def figures_as_json(figures: SurveyFigures, *, include_model: bool | None = None) -> dict:
    """The figures as plain JSON-ready data (floats unrounded, intervals as 2-lists, None as null).

    The ``model`` key of a wave is present when the survey declares a model,
    i.e. when a wave carries a PLS result or the reason it has none (or when ``include_model`` is True);
    besides the estimate it holds the assessment (:class:`~qmdoc.compute.pls_assessment.PLSAssessment`,
    flattened: ``rho_c``, ``htmt`` with ``a|b`` keys, ..., ``paths_se``, ``paths_ci``, ``paths_p``, ...).
    ``drivers`` (key drivers, see :class:`~qmdoc.compute.drivers.DriverFigures`; null with
    ``drivers_unavailable: {reason, ...}`` when a wave has none) when the survey has an overall item.
    Likewise ``loyalty`` (``{item: {n, score, ci, top2, top2_ci,
    r_with_overall}}``) when the survey declares loyalty items;
    ``competitors`` (``{company: {n, index, suppressed, dimensions}}``, us
    first) and ``competitor_gaps`` (``{dimension: gap}``) when it declares
    competitors; ``internal`` (``{suppliers, customers, cells: [{supplier,
    customer, n, index, suppressed}], supplier_totals: {supplier: {n, index,
    suppressed}}}``) for an internal survey with suppliers and customers.
    """
    if include_model is None:
        include_model = any(w.model is not None or w.model_unavailable is not None for w in figures.waves)
    include_loyalty = any(w.loyalty for w in figures.waves)
    include_drivers = any(w.drivers is not None or w.drivers_unavailable is not None for w in figures.waves)
    include_competitors = any(w.competitors is not None for w in figures.waves)
    include_internal = any(w.internal is not None for w in figures.waves)
    waves = []
    for w in figures.waves:
        d: dict[str, Any] = {
            "wave": w.wave,
            "n": w.n,
            "duplicates_dropped": w.duplicates_dropped,
            **({"excluded": dict(w.excluded)} if w.excluded is not None else {}),
            "margin_of_error": _num(w.margin_of_error),
            "response_rate": _num(w.response_rate),
            "index": {"value": _num(w.index.value), "ci": _interval(w.index.ci), "se": _num(w.index.se)},
            "dimensions": {k: _dimension_json(f) for k, f in w.dimensions.items()},
            "items": {
                k: {
                    "n": f.n,
                    "mean": _num(f.mean),
                    "sd": _num(f.sd),
                    "score": _num(f.score),
                    "ci": _interval(f.ci),
                    "top2": _num(f.top2),
                    "top2_ci": _interval(f.top2_ci),
                }
                for k, f in w.items.items()
            },
            "nps": None
            if w.nps is None
            else {
                "value": _num(w.nps.value),
                "se": _num(w.nps.se),
                "ci": _interval(w.nps.ci),
                "promoters": _num(w.nps.promoters),
                "passives": _num(w.nps.passives),
                "detractors": _num(w.nps.detractors),
                "n": w.nps.n,
            },
            "segments": {
                col: {
                    level: {
                        "n": c.n,
                        "index": _num(c.index),
                        "suppressed": c.suppressed,
                        "dimensions": None
                        if c.dimensions is None
                        else {k: _dimension_json(f) for k, f in c.dimensions.items()},
                    }
                    for level, c in cells.items()
                }
                for col, cells in w.segments.items()
            },
            "importance": {
                k: {"importance": _num(f.importance), "performance": _num(f.performance), "quadrant": f.quadrant}
                for k, f in w.importance.items()
            },
        }
        if include_drivers:
            d["drivers"] = None if w.drivers is None else _drivers_json(w.drivers)
            if w.drivers_unavailable is not None:
                d["drivers_unavailable"] = {"reason": w.drivers_unavailable.reason, **w.drivers_unavailable.detail}
        if include_model:
            d["model"] = None if w.model is None else _model_json(w.model, w.model_assessment)
            if w.model_unavailable is not None:
                d["model_unavailable"] = {"reason": w.model_unavailable.reason, **w.model_unavailable.detail}
        if include_loyalty:
            d["loyalty"] = {
                k: {
                    "n": f.n,
                    "score": _num(f.score),
                    "ci": _interval(f.ci),
                    "top2": _num(f.top2),
                    "top2_ci": _interval(f.top2_ci),
                    "r_with_overall": _num(w.satisfaction_loyalty_r.get(k)),
                }
                for k, f in w.loyalty.items()
            }
        if include_competitors:
            d["competitors"] = {
                name: {
                    "n": c.n,
                    "index": _num(c.index),
                    "suppressed": c.suppressed,
                    "dimensions": None if c.dimensions is None else {k: _num(v) for k, v in c.dimensions.items()},
                }
                for name, c in (w.competitors or {}).items()
            }
            d["competitor_gaps"] = {k: _num(v) for k, v in (w.competitor_gaps or {}).items()}
        if include_internal:
            m = w.internal
            d["internal"] = None if m is None else {
                "suppliers": list(m.suppliers),
                "customers": list(m.customers),
                "cells": [
                    {"supplier": s, "customer": c, "n": f.n, "index": _num(f.index), "suppressed": f.suppressed}
                    for (s, c), f in m.cells.items()
                ],
                "supplier_totals": {
                    s: {"n": f.n, "index": _num(f.index), "suppressed": f.suppressed}
                    for s, f in m.supplier_totals.items()
                },
            }
        waves.append(d)
    return {
        "survey": figures.survey,
        "waves": waves,
        "changes": [
            {"from": c.from_wave, "to": c.to_wave, "metric": c.metric, "delta": c.delta, "p": c.p, "significant": c.significant}
            for c in figures.changes
        ],
    }
