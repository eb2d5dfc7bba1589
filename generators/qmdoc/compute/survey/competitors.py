"""Competitors: every rated company of a wave, weighted like us, and our gaps to the best.

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
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from ...models import Survey
from .index import renormalised
from .instrument import _Coded, _Instrument, _matrix, _valid

if TYPE_CHECKING:  # pragma: no cover
    from .waves import WaveFigures


@dataclass(frozen=True, slots=True)
class CompetitorFigures:
    """One rated company in one wave, weighted like us. When ``suppressed``
    (n < min_cell_n) only ``n`` is given; ``index`` and ``dimensions`` are None."""

    n: int
    index: float | None
    suppressed: bool
    dimensions: dict[str, float | None] | None


def _company_sums(
    ins: _Instrument, X: np.ndarray, M: np.ndarray, codes: np.ndarray, C: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per rated company: rows, respondents with a valid answer, and per dimension item the
    valid answers and the sum of their 0–100 scores (weighted counts: no per-row Python and
    no thin BLAS products)."""
    kd = ins.kd
    count = np.bincount(codes, minlength=C)
    n = np.rint(np.bincount(codes, weights=M.any(axis=1), minlength=C)).astype(np.int64)
    ni = np.empty((C, kd))
    total = np.empty((C, kd))
    score = np.empty(codes.size)
    for j in range(kd):
        ni[:, j] = np.bincount(codes, weights=M[:, j], minlength=C)
        np.subtract(X[:, j], ins.lo[j], out=score, dtype=np.float64)  # float32 answers: exact in float64
        score *= 100.0 / (ins.hi[j] - ins.lo[j])
        np.copyto(score, 0.0, where=~M[:, j])
        total[:, j] = np.bincount(codes, weights=score, minlength=C)
    return count, n, ni, total


def _with_competitors(
    survey: Survey,
    ins: _Instrument,
    ours: WaveFigures,
    columns: list[np.ndarray | _Coded],
    rows: np.ndarray,
    codes: np.ndarray,
    companies: list[str],
    us_code: int,
) -> WaveFigures:
    """Our wave figures with the competitors' (their ``rows``, rated company ``codes``) added."""
    C = len(companies)
    X = _matrix(columns, rows)
    M = _valid(X, ins, ours.wave)
    count, n, ni, total = _company_sums(ins, X, M, codes.astype(np.intp), C)
    weights = np.array([ours.importance[d].importance for d in ins.dim_ids])

    out: dict[str, CompetitorFigures] = {}
    us = survey.competitors.us
    suppressed = ours.n < survey.min_cell_n
    out[us] = CompetitorFigures(
        ours.n,
        None if suppressed else ours.index.value,
        suppressed,
        None if suppressed else {d: f.score for d, f in ours.dimensions.items()},
    )
    for c in range(C):
        if c == us_code or count[c] == 0:
            continue
        if n[c] < survey.min_cell_n:
            out[companies[c]] = CompetitorFigures(int(n[c]), None, True, None)
            continue
        dims: dict[str, float | None] = {}
        for d, (cols, w) in enumerate(zip(ins.dim_items, ins.dim_item_weights)):
            ok = ni[c, cols] > 0
            dims[ins.dim_ids[d]] = (
                float((w[ok] / w[ok].sum()) @ (total[c, cols[ok]] / ni[c, cols[ok]])) if ok.any() else None
            )
        share = renormalised(weights, [d for d, v in enumerate(dims.values()) if v is not None])
        index = None if share is None else float(sum(w * dims[ins.dim_ids[d]] for d, w in share))
        out[companies[c]] = CompetitorFigures(int(n[c]), index, False, dims)

    gaps: dict[str, float | None] = {}
    for did, f in ours.dimensions.items():
        theirs = [
            v.dimensions[did]
            for name, v in out.items()
            if name != us and not v.suppressed and v.dimensions[did] is not None
        ]
        gaps[did] = None if f.score is None or not theirs else float(f.score - max(theirs))
    return replace(ours, competitors=out, competitor_gaps=gaps)
