"""Waves: every figure of a wave put together, and the changes between consecutive waves.

* Waves are taken in order of first appearance of the ``wave`` column. A
  respondent id seen more than once within a wave keeps its first row; the
  others are dropped and counted (``duplicates_dropped``). Rows without a
  respondent id are never treated as duplicates.
* A respondent with no valid answer on any item counts in no ``n``.
* Margin of error of a wave: ``100 * z * sqrt(0.25 / n)`` percentage points,
  times ``sqrt((N - n) / (N - 1))`` when ``survey.population.size`` is given.
* Response rate: ``n / survey.invitations[wave]`` when the wave is listed.

The responses are prepared once (:class:`_Responses`: item columns, level
codes, respondent codes, the rows of each wave); each wave then finds its own
duplicates, takes its rows of the item columns as a view when they are one run
of a single float block (see :func:`~.instrument._stacked`), and builds
``[D | M]`` in a buffer its thread reuses (see :mod:`.design`).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from dataclasses import field as dataclasses_field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...models import Survey
from .. import stats
from .changes import Change, _changes
from .competitors import CompetitorFigures, _with_competitors
from .design import _design, _subset
from .export import model_json, unavailable_json
from .gaps import all_gap_changes, evaluations, gap_columns, gaps_json, improvements_json, wave_gaps
from .importance import Crosshairs, ImportanceFigures, _importance
from .index import DimensionFigures, IndexFigures, _dimension_figures, _index_figures
from .instrument import _Coded, _Instrument, _answers, _instrument, _matrix, _matrix_dtype, _stacked, _valid
from .internal import InternalMatrix, _Departments, _internal_matrix
from .items import ItemFigures, LoyaltyFigures, _item_figures, _loyalty
from .nps import NPSFigures, _nps_figures
from .segments import Levels, SegmentFigures, _segment_figures, _segment_levels
from .shape import declared, hidden, optional
from .structural import ModelUnavailable, _drivers, _pls
from .weights import WeightingFigures, _wave_weights, _weighted_items, _weighted_nps

if TYPE_CHECKING:  # pragma: no cover
    from ..comments import WaveComments
    from .comments import CommentColumns
    from ..drivers import DriverFigures
    from ..gaps import GapChange, GapSet
    from ..improvements import Evaluation
    from ..lost import LostFigures
    from ..pls import PLSResult
    from ..pls_assessment import PLSAssessment

_PARALLEL_MIN_ROWS = 100_000  # below this, waves are computed one after the other
# waves run in parallel threads only while all threads' buffers stay below this: beyond, one wave at a
# time (the memory of a few million responses per wave matters more than a second core)
_PARALLEL_MAX_BYTES = 512 << 20


# the comments' and lost customers' rooms are imported only by a survey that declares them
def _comments_json(value: WaveComments, plain: object, owner: object) -> dict:
    from .comments import comments_json

    return comments_json(value, plain, owner)


def _lost_columns(survey: Survey) -> list[str]:
    if survey.lost is None:
        return []
    from .lost import lost_columns

    return lost_columns(survey)


def _cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True, slots=True, kw_only=True)
class WaveFigures:
    """Every figure of one wave. Dicts are keyed by id in survey order; read-only by convention.
    The fields are in the order of the wave's JSON object (:mod:`.export`)."""

    wave: str
    n: int
    duplicates_dropped: int
    # rows screened out before the figures, per reason (filter, speeders, straightline); None: no screening
    excluded: dict[str, int] | None = optional(default=None)
    margin_of_error: float | None
    response_rate: float | None
    # with survey.weighting: how the wave is weighted (see .weights); None (not exported) unweighted
    weighting: WeightingFigures | None = optional(default=None)
    index: IndexFigures
    dimensions: dict[str, DimensionFigures]
    items: dict[str, ItemFigures]
    nps: NPSFigures | None
    segments: dict[str, dict[str, SegmentFigures]]
    importance: dict[str, ImportanceFigures]
    # key drivers, for a survey with an overall item; and why such a survey's wave has none
    drivers: DriverFigures | None = declared(also=("drivers_unavailable",), default=None)
    drivers_unavailable: ModelUnavailable | None = optional(convert=unavailable_json, default=None)
    # None without a declared model, or when the wave's data cannot estimate it (model_unavailable says why)
    model: PLSResult | None = declared(model_json, also=("model_unavailable",), default=None)
    model_unavailable: ModelUnavailable | None = optional(convert=unavailable_json, default=None)
    loyalty: dict[str, LoyaltyFigures] = declared(default_factory=dict)  # {} unless the survey declares loyalty
    competitors: dict[str, CompetitorFigures] | None = declared(default=None)  # None unless declared
    competitor_gaps: dict[str, float | None] | None = declared(default=None)
    # None unless an internal survey declares supplier and customer
    internal: InternalMatrix | None = declared(default=None)
    # a lost-customer survey: reasons for leaving, where they went, win-back (see .lost); None otherwise
    lost: LostFigures | None = declared(default=None)
    # customers' comments, for a survey that declares comment columns: counts only in the JSON
    comments: WaveComments | None = declared(_comments_json, default=None)
    comment_dimensions: tuple[str | None, ...] = hidden(default=())  # of each published comment, in order
    importance_fallback: bool = hidden()
    crosshairs: Crosshairs = hidden()  # where the importance-performance grid is divided
    model_assessment: PLSAssessment | None = hidden(default=None)  # with model: its assessment (in model's JSON)
    # service-quality gaps (items declaring an expectation column); None unless the survey declares one
    gaps: GapSet | None = declared(gaps_json, default=None)

    @property
    def satisfaction_loyalty_r(self) -> dict[str, float | None]:
        """Pearson r of the overall item with each loyalty item (see :mod:`.items`)."""
        return {k: f.r_with_overall for k, f in self.loyalty.items()}


@dataclass(frozen=True, slots=True)
class SurveyFigures:
    """Every wave of a survey, in order of first appearance, and the changes between consecutive waves."""

    survey: str
    waves: tuple[WaveFigures, ...]
    changes: tuple[Change, ...]
    # changes of the service-quality gaps between consecutive waves (see .gaps)
    gap_changes: tuple[GapChange, ...] = hidden(default=())
    # the declared improvement actions evaluated; None unless the survey declares some
    improvements: tuple[Evaluation, ...] | None = optional(improvements_json, default=None)


@dataclass(frozen=True)
class _Responses:
    """A survey's responses prepared once for all its waves (what each wave's figures read).

    ``columns``: per item its answers (:func:`~.instrument._answers`: floats, or integers and a
    missing mask), ``stacked`` the float columns as one matrix view, or None;
    ``segments``: per segment column its level codes; ``rated``: per row the code of the
    company (competitors) or supplier (internal) it rates, None otherwise; ``departments`` the
    supplier and customer codes of an internal survey; ``rid`` the respondent id codes (-1 =
    none) and ``n_ids`` their range; the rows of wave ``w`` are ``order[bounds[w]:bounds[w + 1]]``.
    """

    survey: Survey
    ins: _Instrument
    confidence: float
    columns: list[np.ndarray | _Coded]
    stacked: np.ndarray | None
    segments: dict[str, Levels]
    departments: _Departments | None
    rated: np.ndarray | None
    companies: list[str]
    us_code: int
    rid: np.ndarray
    n_ids: int
    order: np.ndarray
    bounds: np.ndarray
    labels: tuple[str, ...]
    base_weights: np.ndarray | None = None  # weighting.column per row as numbers; None without one
    gap_columns: dict[str, tuple[np.ndarray, np.ndarray]] = dataclasses_field(default_factory=dict)
    lost: pd.DataFrame | None = None  # a lost-customer survey's text columns (see .lost)
    comments: CommentColumns | None = None  # the survey's comment columns (None: none declared)

    def duplicates(self, rows: np.ndarray) -> np.ndarray:
        """Rows (of one wave, in file order) that repeat a respondent, or a (respondent, rated
        company or supplier): all but the first. Rows without a respondent id are none."""
        ids = self.rid[rows]
        rated = self.rated
        n_rated = 1 if rated is None else int(rated.max(initial=0)) + 1
        if rated is None:
            dup = pd.Series(ids).duplicated().to_numpy()
        elif (self.n_ids + 1) * n_rated < 2**62:
            dup = pd.Series(ids * n_rated + rated[rows]).duplicated().to_numpy()
        else:  # pragma: no cover - more combinations than an int64 holds
            dup = pd.DataFrame({"key": ids, "rated": rated[rows]}).duplicated().to_numpy()
        dup &= ids >= 0
        return dup


def _check_instrument(survey: Survey, responses: pd.DataFrame, ins: _Instrument) -> list[str]:
    """The columns naming what a row rates (rated company, or supplier and customer); raises on
    an inconsistent declaration or a missing column."""
    if survey.internal is not None and survey.kind != "internal":
        raise ValueError(f"survey {survey.id}: internal (supplier, customer) is declared, expected kind internal")
    if survey.internal is not None and survey.competitors is not None:
        raise ValueError(f"survey {survey.id}: expected competitors or internal customers, got both")
    extra: list[str] = []
    if survey.competitors is not None:
        extra = [survey.competitors.column]
    elif survey.internal is not None:
        extra = [survey.internal.supplier, survey.internal.customer]
    required = list(dict.fromkeys(["wave", survey.respondent, *survey.segment_ids(), *extra, *ins.item_ids,
                                   *_lost_columns(survey)]))
    missing = [c for c in required if c not in responses.columns]
    if missing:
        raise ValueError(f"survey {survey.id}: responses lack the column(s) {', '.join(missing)}")
    return extra


def _respondent_codes(rid: pd.Series, waves: int) -> tuple[np.ndarray, int]:
    """Respondent id codes (-1 = none) and their range."""
    if isinstance(rid.dtype, np.dtype) and rid.dtype.kind in "iu" and len(rid) and waves < 2**20:
        # an integer key (as the loader makes): its values are codes already, no hashing needed
        values = rid.to_numpy()
        if 0 <= int(values.min()) and int(values.max()) < 2**40:
            return values.astype(np.int64, copy=False), int(values.max()) + 1
    codes, uniques = pd.factorize(rid, sort=False)
    return codes, len(uniques)


def _prepare(survey: Survey, responses: pd.DataFrame, ins: _Instrument, extra: list[str],
             confidence: float) -> _Responses:
    """The responses prepared for every wave (see :class:`_Responses`); raises on a row without a
    wave or without what it rates, and on competitors whose ``us`` no row rates."""
    wave_codes, wave_labels = pd.factorize(responses["wave"], sort=False)
    if (wave_codes < 0).any():
        raise ValueError(f"survey {survey.id}: a response has no wave")
    rid, n_ids = _respondent_codes(responses[survey.respondent], len(wave_labels))
    # what a row rates: a company (competitors) or a supplying department (internal); codes -1 = none
    texts = {col: _segment_levels(responses[col]) for col in extra}
    for col, (codes, _) in texts.items():
        if (codes < 0).any():
            raise ValueError(f"survey {survey.id}: a response has no {col}")
    rated, companies, us_code, departments = None, [], -1, None
    if survey.competitors is not None:
        rated, companies = texts[survey.competitors.column]
        if survey.competitors.us not in companies:
            raise ValueError(
                f"survey {survey.id}: competitors: expected rows whose {survey.competitors.column} is "
                f"{survey.competitors.us!r} (us), got none"
            )
        us_code = companies.index(survey.competitors.us)
    if survey.internal is not None:
        departments = _Departments(texts[survey.internal.supplier], texts[survey.internal.customer])
        rated = departments.supplier[0]
    if wave_codes.size < 2 or bool((wave_codes[1:] >= wave_codes[:-1]).all()):
        order = np.arange(wave_codes.size)  # rows already grouped by wave, in order
    else:
        order = np.argsort(wave_codes, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(wave_codes, minlength=len(wave_labels)))])
    columns = [_answers(responses[i]) for i in ins.item_ids]
    segments = {s: texts[s] if s in texts else _segment_levels(responses[s]) for s in survey.segment_ids()}
    base = None
    if survey.weighting is not None and survey.weighting.column is not None:  # checked numbers > 0 (load)
        base = pd.to_numeric(responses[survey.weighting.column].astype(str)).to_numpy(dtype=np.float64)
    lost = comments = None
    if survey.lost is not None:
        from .lost import lost_frame

        lost = lost_frame(survey, responses)
    if survey.comments:
        from .comments import prepare_comments

        comments = prepare_comments(survey, responses)
    return _Responses(survey, ins, confidence, columns, _stacked(columns), segments, departments, rated,
                      companies, us_code, rid, n_ids, order, bounds, tuple(str(w) for w in wave_labels), base,
                      gap_columns(survey, responses), lost, comments)


def compute_survey_figures(
    survey: Survey, responses: pd.DataFrame, *, confidence: float = 0.95, alpha: float = 0.05,
    excluded: dict[str, dict[str, int]] | None = None,
) -> SurveyFigures:
    """All figures of every wave of ``survey`` in ``responses``, and the changes between consecutive waves.

    ``responses`` has a ``wave`` column, the respondent id column
    (``survey.respondent``), the segment columns, the rated-company column
    (``survey.competitors.column``) or the supplier and customer columns
    (``survey.internal``) when declared, and one numeric column per item id (NaN
    or a nullable integer column's NA = blank). ``confidence`` sets every interval; ``alpha`` the
    significance level of changes. ``excluded``: the rows the loader screened out, per wave and
    reason (``WaveFigures.excluded``). See the package docstring for definitions.
    """
    ins = _instrument(survey)
    extra = _check_instrument(survey, responses, ins)
    if len(responses) == 0:  # no data yet: no waves, so no figures and no changes
        return SurveyFigures(survey=survey.id, waves=(), changes=(),
                             improvements=evaluations(survey, (), alpha, confidence))
    data = _prepare(survey, responses, ins, extra, confidence)
    # buffers per thread for the largest arrays of a wave, reused from wave to wave (see _Scratch)
    local = threading.local()
    most = int(np.diff(data.bounds).max(initial=0))  # rows of the largest wave
    answers = np.dtype(_matrix_dtype(data.columns))

    def one(w: int) -> WaveFigures:
        scratch = getattr(local, "scratch", None)
        if scratch is None:  # untouched pages cost no memory: a wave whose matrix is a view leaves it so
            scratch = local.scratch = _Scratch(np.empty(most * 2 * ins.kd), np.empty(most * len(ins.item_ids), answers))
        return _one_wave(data, w, scratch)

    workers = min(len(data.labels), _cpus())
    # a thread's buffers: the scratch for [D | M] and the wave's item matrix (when not a view)
    per_thread = most * (2 * ins.kd * 8 + len(ins.item_ids) * answers.itemsize)
    workers = min(workers, max(1, _PARALLEL_MAX_BYTES // max(per_thread, 1)))
    if workers > 1 and len(responses) >= _PARALLEL_MIN_ROWS:
        # waves are independent and numpy releases the GIL in the heavy parts;
        # map() keeps the wave order and re-raises the first wave's error
        with ThreadPoolExecutor(max_workers=workers) as pool:
            waves = list(pool.map(one, range(len(data.labels))))
    else:
        waves = [one(w) for w in range(len(data.labels))]
    if excluded:
        none = {"filter": 0, "speeders": 0, "straightline": 0}
        waves = [replace(w, excluded=dict(excluded.get(w.wave, none))) for w in waves]

    changes: list[Change] = []
    for a, b in zip(waves, waves[1:]):
        changes.extend(_changes(a, b, ins, alpha))
    return SurveyFigures(survey=survey.id, waves=tuple(waves), changes=tuple(changes),
                         gap_changes=all_gap_changes(waves, alpha, confidence),
                         improvements=evaluations(survey, waves, alpha, confidence))


def survey_weighting(survey: Survey, responses: pd.DataFrame) -> tuple[WeightingFigures | None, ...]:
    """Each wave's weighting, found as :func:`compute_survey_figures` finds it (duplicates dropped first),
    without the figures: ``qmdoc check`` runs it, so raking that cannot converge is reported there too
    (a :class:`~qmdoc.errors.QmdocError` naming the survey and the wave)."""
    ins = _instrument(survey)
    extra = _check_instrument(survey, responses, ins)
    if survey.weighting is None or len(responses) == 0:
        return ()
    data = _prepare(survey, responses, ins, extra, 0.95)
    out = []
    for w, label in enumerate(data.labels):
        rows = data.order[data.bounds[w] : data.bounds[w + 1]]
        weighted = _wave_weights(data, label, rows[~data.duplicates(rows)])
        out.append(None if weighted is None else weighted[1])
    return tuple(out)


@dataclass(frozen=True)
class _Scratch:
    """One thread's buffers, reused from wave to wave (a new array of a wave's size costs its page faults
    anew for every wave): ``design`` for ``[D | M]`` (see :func:`~.design._centred`), ``answers`` for the
    wave's item matrix (see :func:`~.instrument._matrix`)."""

    design: np.ndarray
    answers: np.ndarray


def _one_wave(data: _Responses, w: int, scratch: _Scratch) -> WaveFigures:
    """Wave ``w``: its duplicates dropped; with competitors, our rows' figures and then theirs."""
    rows = data.order[data.bounds[w] : data.bounds[w + 1]]
    keep = ~data.duplicates(rows)
    label = data.labels[w]
    if data.survey.competitors is None:
        dropped = rows.size - int(np.count_nonzero(keep))
        return _wave_figures(data, label, rows[keep], dropped, scratch)
    ours = data.rated[rows] == data.us_code
    dropped = int(np.count_nonzero(ours & ~keep))
    figures = _wave_figures(data, label, rows[keep & ours], dropped, scratch)
    others = rows[keep & ~ours]
    return _with_competitors(data.survey, data.ins, figures, data.columns, others, data.rated[others],
                             data.companies, data.us_code)


def _wave_figures(data: _Responses, label: str, rows: np.ndarray, dropped: int, scratch: _Scratch) -> WaveFigures:
    """The figures of one wave from its (deduplicated) ``rows`` (``scratch``: see :class:`_Scratch`)."""
    survey, ins, confidence = data.survey, data.ins, data.confidence
    X = _matrix(data.columns, rows, data.stacked, scratch.answers)
    M = _valid(X, ins, label)
    weighted = _wave_weights(data, label, rows)
    w, weighting = (None, None) if weighted is None else weighted
    des = _design(X, M, ins, scratch.design, w)
    drivers, drivers_unavailable = _drivers(survey, des, M, ins) if ins.overall is not None else (None, None)
    if survey.importance == "drivers":  # the wave's key-driver shares weigh the wave, its segments and cells
        shares = None if drivers is None else np.array([drivers.share[d] for d in ins.dim_ids])
        ins = replace(ins, stated=shares)  # None: equal weights, importance_fallback
    if w is None:
        sub = _subset(des.gram(), des.R.sum(axis=0), des.shift, ins)
    else:
        sub = _subset(None, des.R.sum(axis=0), des.shift, ins, des.wgrams())

    dims = _dimension_figures(sub, ins, confidence)
    nps = None
    if ins.recommend is not None and w is not None:
        nps = _weighted_nps(X[:, ins.recommend].astype(np.float64), M[:, ins.recommend], w, confidence)
    elif ins.recommend is not None:
        nps = _nps_figures(X[:, ins.recommend], M[:, ins.recommend], confidence)
    segments = _segment_figures(des, rows, data.segments, survey.min_cell_n, ins, confidence)
    items = _item_figures(X, M, sub, ins, confidence) if w is None else _weighted_items(X, M, sub, ins, w, confidence)
    matrix = None
    if data.departments is not None:
        matrix = _internal_matrix(des, rows, data.departments, survey.min_cell_n, ins, confidence)
    inv = survey.invitations.get(label)
    population = survey.population.size if survey.population is not None else None
    model, assessment, model_unavailable = (
        _pls(survey, X, M, ins, label) if survey.model is not None else (None, None, None)
    )
    importance, crosshairs = _importance(sub.weights, dims)
    lost = None
    if data.lost is not None:
        from .lost import _lost_figures

        lost = _lost_figures(survey, data.lost, data.columns, rows, data.ins, confidence)
    comments, comment_dims = None, ()
    if data.comments is not None:
        from .comments import comment_figures

        comments, comment_dims = comment_figures(data.comments, rows, survey.min_cell_n)
    return WaveFigures(
        wave=label,
        n=sub.n,
        duplicates_dropped=dropped,
        index=_index_figures(sub, confidence),
        dimensions=dims,
        items=items,
        nps=nps,
        segments=segments,
        importance=importance,
        crosshairs=crosshairs,
        importance_fallback=bool(sub.fallback),
        margin_of_error=stats.margin_of_error(sub.n, population, confidence),
        response_rate=(sub.n / inv) if inv else None,
        weighting=weighting,
        model=model,
        loyalty=_loyalty(X, M, items, ins),
        internal=matrix,
        model_unavailable=model_unavailable,
        model_assessment=assessment,
        drivers=drivers,
        drivers_unavailable=drivers_unavailable,
        gaps=wave_gaps(survey, data.gap_columns, rows, confidence, w),
        lost=lost,
        comments=comments,
        comment_dimensions=comment_dims,
    )
