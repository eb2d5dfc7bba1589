"""Weighted samples: design weights, raking, and the weighted survey estimators.

Pure functions of plain arrays; the survey figures call them when a survey
declares ``weighting:``. Definitions:

* Design weights: a column of positive finite numbers (the loader checks
  them), scaled to mean 1. Every estimator below is invariant to the scale.
* Raking (iterative proportional fitting): see :func:`rake`. Raked weights
  have mean 1.
* Kish effective n ``(sum w)^2 / sum w^2``, design effect ``n / n_eff``, the
  largest weight as a multiple of the mean weight: see :func:`summarize`.
* Weighted mean ``m = sum w x / sum w`` over the ``n`` valid answers, with the
  linearization (with-replacement ratio estimator) standard error
  ``se^2 = n / (n - 1) * sum w_i^2 (x_i - m)^2 / (sum w)^2`` and the t
  interval ``m -/+ t(n - 1) * se`` (:func:`weighted_mean`). With all weights
  equal, ``se = sd / sqrt(n)`` and the interval is the unweighted one of
  :func:`~qmdoc.compute.stats.t_interval`.
* Weighted share (top-2-box): the weighted mean of a 0/1 indicator with the
  same standard error; its interval is Wilson's with ``n`` replaced by the
  Kish effective n of the valid answers (with equal weights: the unweighted
  Wilson interval) (:func:`weighted_share`).
* Weighted NPS: ``100 *`` the weighted mean of ``d = 1[9..10] - 1[0..6]``
  (the difference of the weighted promoter and detractor shares) with the
  linearization standard error of that mean and a normal interval
  (:func:`weighted_nps`). With equal weights the value is the unweighted NPS
  and the standard error the unweighted one times ``sqrt(n / (n - 1))``: the
  linearization estimator uses the ``n - 1`` divisor where the unweighted
  formula uses the binomial ``n``.
* Weighted dimension score and index: a linear combination ``sum_i c_i m_i``
  of weighted item means, its variance ``sum_i sum_j c_i c_j V_ij`` with
  ``V_ij = n_ij / (n_ij - 1) * sum_r w_r^2 (x_ri - a_ij)(x_rj - a_ji) / (W_i W_j)``
  over the ``n_ij`` respondents valid on both items, ``a_ij`` the weighted
  mean of item i over those respondents and ``W_i`` the sum of the weights of
  the respondents valid on item i. The diagonal is the weighted mean's
  ``se^2``; with all weights 1 it is the unweighted ``s_ij n_ij / (n_i n_j)``
  of the survey figures. A pair with ``n_ij < 2`` contributes 0; an item with
  ``n_i < 2`` makes the standard error None (:func:`weighted_linear`). Every
  sum comes from two Gram matrices of ``B = [D | M]`` (centred scores, valid
  mask): ``B.T diag(w) B`` and ``B.T diag(w^2) B`` (:func:`moments_from_grams`),
  so that any subset of respondents (a segment level) is exact from its rows.

Missing answers are NaN. ``None`` means "cannot be computed"; never NaN.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Mapping, Sequence

import numpy as np
import pandas as pd

from . import stats

__all__ = [
    "design_weights",
    "RakingFailure",
    "Raked",
    "rake",
    "WeightSummary",
    "summarize",
    "WeightedMean",
    "weighted_mean",
    "WeightedShare",
    "weighted_share",
    "WeightedNPS",
    "weighted_nps",
    "PairwiseMoments",
    "moments_from_grams",
    "weighted_moments",
    "LinearEstimate",
    "weighted_linear",
]

Interval = tuple[float, float]
TOLERANCE = 1e-10  # raking: largest allowed |margin share - target share|, and trim-ratio slack
MAX_ITERATIONS = 10_000


def design_weights(column: Sequence[float] | np.ndarray) -> np.ndarray:
    """Design weights from a column of positive finite numbers, scaled to mean 1 (a new array)."""
    w = np.array(column, dtype=np.float64)
    return w / w.mean()


# ----------------------------------------------------------------------- raking


def _codes(
    values: Sequence[object] | np.ndarray, targets: Mapping[str, float], margin: str
) -> tuple[np.ndarray, np.ndarray] | RakingFailure:
    """Category codes (in the order of ``targets``) of each row, and the target shares."""
    names = list(targets)
    column = pd.Series(np.asarray(values, dtype=object))
    missing = column.isna().to_numpy()
    codes = pd.Categorical(column.astype(str), categories=names).codes.astype(np.intp)
    bad = missing | (codes < 0)
    if bad.any():
        r = int(np.flatnonzero(bad)[0])
        return RakingFailure("undeclared_category", margin, None if missing[r] else str(column.iloc[r]))
    counts = np.bincount(codes, minlength=len(names))
    if (counts == 0).any():
        return RakingFailure("empty_category", margin, names[int(np.flatnonzero(counts == 0)[0])])
    return codes, np.array([targets[name] for name in names], dtype=np.float64)


def _largest_error(w: np.ndarray, margins: list[tuple[np.ndarray, np.ndarray]]) -> float:
    total = w.sum()
    return max(
        float(np.abs(np.bincount(c, weights=w, minlength=t.size) / total - t).max()) for c, t in margins
    )


@dataclass(frozen=True, slots=True)
class RakingFailure:
    """Why raking gave no weights.

    ``reason``: ``empty_category`` (``category`` of ``margin`` is declared but no
    respondent has it), ``undeclared_category`` (a respondent's ``margin`` value
    ``category`` is not declared; a missing value is the category ``None``), or
    ``not_converged`` (after ``iterations`` sweeps the largest margin-share error
    is ``max_error`` and ``trim_ok`` says whether the trim bounds held). The
    first two are input errors the loader reports; the last is the data's.
    """

    reason: Literal["empty_category", "undeclared_category", "not_converged"]
    margin: str | None = None
    category: str | None = None
    iterations: int = 0
    max_error: float | None = None
    trim_ok: bool | None = None


@dataclass(frozen=True, slots=True)
class Raked:
    """Raked weights (mean 1, in row order), the sweeps it took and the final largest
    ``|margin share - target share|`` (<= 1e-10)."""

    weights: np.ndarray
    iterations: int
    max_error: float


def rake(
    margins: Mapping[str, Sequence[object] | np.ndarray],
    targets: Mapping[str, Mapping[str, float]],
    *,
    base: np.ndarray | None = None,
    trim: tuple[float, float] | None = None,
    max_iterations: int = MAX_ITERATIONS,
) -> Raked | RakingFailure:
    """Rake weights to declared population shares (iterative proportional fitting).

    ``margins[m]``: each respondent's category on margin ``m`` (compared as
    strings); ``targets[m]``: the category -> population share (positive,
    summing to 1: the loader's rules). ``base``: starting weights (design
    weights; default 1).

    One *sweep* multiplies, margin after margin in the order given, every
    weight by ``target share / current weighted share`` of its category.
    Sweeps repeat until every weighted margin share is within 1e-10 of its
    target. With ``trim = (lo, hi)`` the bounds are relative to the mean
    weight: every ``w / mean(w)`` must lie in ``[lo, hi]`` (up to 1e-10). When
    the raked weights break them, every weight is clipped to ``[lo * mean,
    hi * mean]`` (``mean`` of the raked weights) and raking starts again from
    the clipped weights, until both hold; so a trim that the raked weights
    meet changes nothing. ``iterations`` counts all sweeps; after
    ``max_iterations`` of them: :class:`RakingFailure` ``not_converged``.
    """
    if not margins:
        raise ValueError("expected at least one margin to rake to")
    prepared: list[tuple[np.ndarray, np.ndarray]] = []
    for m, values in margins.items():
        got = _codes(values, targets[m], m)
        if isinstance(got, RakingFailure):
            return got
        prepared.append(got)
    n = len(prepared[0][0])
    w = np.ones(n) if base is None else np.array(base, dtype=np.float64)
    error, trim_ok, sweeps = math.inf, trim is None, 0
    while sweeps < max_iterations:
        sweeps += 1
        for codes, share in prepared:
            current = np.bincount(codes, weights=w, minlength=share.size) / w.sum()
            w *= (share / current)[codes]
        error = _largest_error(w, prepared)
        if error > TOLERANCE:
            continue
        if trim is not None:
            ratio = w / w.mean()
            trim_ok = bool(ratio.min() >= trim[0] - TOLERANCE and ratio.max() <= trim[1] + TOLERANCE)
        if trim_ok:
            return Raked(w / w.mean(), sweeps, error)
        np.clip(w, trim[0] * w.mean(), trim[1] * w.mean(), out=w)  # then rake again
    return RakingFailure("not_converged", iterations=sweeps, max_error=error, trim_ok=trim_ok)


# --------------------------------------------------------------------- summary


@dataclass(frozen=True, slots=True)
class WeightSummary:
    """The weights of one wave: unweighted ``n``, Kish ``n_effective = (sum w)^2 / sum w^2``,
    ``design_effect = n / n_effective`` and ``max_weight`` = the largest weight divided by
    the mean weight."""

    n: int
    n_effective: float
    design_effect: float
    max_weight: float


def summarize(w: np.ndarray) -> WeightSummary:
    """Kish effective n, design effect and largest relative weight of positive weights ``w`` (n >= 1)."""
    w = np.asarray(w, dtype=np.float64)
    total = float(w.sum())
    n_eff = total * total / float(w @ w)
    return WeightSummary(int(w.size), n_eff, w.size / n_eff, float(w.max()) * w.size / total)


# ---------------------------------------------------------------- estimators


def _valid(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if x.shape != w.shape or x.ndim != 1:
        raise ValueError(f"expected values and weights of one length, got shapes {x.shape} and {w.shape}")
    ok = ~np.isnan(x)
    return x[ok], w[ok]


def _mean_se(x: np.ndarray, w: np.ndarray) -> tuple[float, float | None]:
    """Weighted mean and its linearization se (None when n < 2) of valid values."""
    total = float(w.sum())
    m = float(w @ x) / total
    n = x.size
    if n < 2:
        return m, None
    z = w * (x - m)
    return m, math.sqrt(n / (n - 1) * float(z @ z)) / total


@dataclass(frozen=True, slots=True)
class WeightedMean:
    """Weighted mean of the ``n`` valid answers, its linearization ``se`` and t interval
    (``None`` when ``n < 2``); ``mean`` None when ``n == 0``."""

    n: int
    mean: float | None
    se: float | None
    ci: Interval | None


def weighted_mean(x: np.ndarray, w: np.ndarray, confidence: float = 0.95) -> WeightedMean:
    """``sum w x / sum w`` over the non-NaN ``x``, se and ``m -/+ t(n - 1) * se`` (module docstring)."""
    x, w = _valid(x, w)
    if x.size == 0:
        return WeightedMean(0, None, None, None)
    m, se = _mean_se(x, w)
    n = int(x.size)
    # stats.t_interval's half width is t * sd / sqrt(n); sd = se * sqrt(n) gives t * se
    ci = None if se is None else stats.t_interval(m, se * math.sqrt(n), n, confidence)
    return WeightedMean(n, m, se, ci)


@dataclass(frozen=True, slots=True)
class WeightedShare:
    """Weighted share (0..1) of the ``n`` valid answers that count, its linearization ``se``
    (None when ``n < 2``) and Wilson interval at the Kish effective n ``n_effective``."""

    n: int
    share: float | None
    se: float | None
    ci: Interval | None
    n_effective: float | None


def weighted_share(hit: np.ndarray, w: np.ndarray, confidence: float = 0.95) -> WeightedShare:
    """Weighted share of ``hit`` (1.0 counts, 0.0 does not, NaN missing): see the module docstring."""
    x, w = _valid(hit, w)
    if x.size == 0:
        return WeightedShare(0, None, None, None, None)
    p, se = _mean_se(x, w)
    n_eff = summarize(w).n_effective
    # Wilson's interval depends on successes / n and n only: p * n_eff "successes" of n_eff
    return WeightedShare(int(x.size), p, se, stats.wilson_interval(p * n_eff, n_eff, confidence), n_eff)


@dataclass(frozen=True, slots=True)
class WeightedNPS:
    """Weighted net promoter score (-100..100), its linearization se (None when n < 2) and
    normal interval; promoters/passives/detractors are weighted shares (0..1)."""

    n: int
    value: float | None
    se: float | None
    ci: Interval | None
    promoters: float | None
    passives: float | None
    detractors: float | None


def weighted_nps(x: np.ndarray, w: np.ndarray, confidence: float = 0.95) -> WeightedNPS:
    """Weighted NPS of 0..10 answers ``x`` (NaN missing): see the module docstring."""
    x, w = _valid(x, w)
    if x.size == 0:
        return WeightedNPS(0, None, None, None, None, None, None)
    d = (x >= 9).astype(np.float64) - (x <= 6).astype(np.float64)
    m, se = _mean_se(d, w)
    total = float(w.sum())
    pp = float(w[x >= 9].sum()) / total
    pd_ = float(w[x <= 6].sum()) / total
    value = 100.0 * m
    se100 = None if se is None else 100.0 * se
    return WeightedNPS(
        int(x.size), value, se100, stats.normal_interval(value, se100, confidence), pp, 1.0 - pp - pd_, pd_
    )


# ------------------------------------------------------- dimensions and index


@dataclass(frozen=True, slots=True)
class PairwiseMoments:
    """Weighted item statistics of a set of respondents (k items).

    ``ni`` valid answers per item, ``nij`` respondents valid on both items,
    ``wi`` the sum of weights of the respondents valid on each item, ``means``
    weighted means (NaN where ``ni == 0``), ``V`` the covariance matrix of the
    weighted means (module docstring; 0 where ``nij < 2``).
    """

    ni: np.ndarray
    nij: np.ndarray
    wi: np.ndarray
    means: np.ndarray
    V: np.ndarray


def moments_from_grams(Gw: np.ndarray, Gw2: np.ndarray, C: np.ndarray, shift: np.ndarray) -> PairwiseMoments:
    """:class:`PairwiseMoments` from the Gram matrices of ``B = [D | M]`` (n x 2k).

    ``D`` the scores minus ``shift`` (any centre; the item means keep the sums
    free of cancellation), 0 where invalid; ``M`` the 0/1 valid mask.
    ``Gw = B.T diag(w) B``, ``Gw2 = B.T diag(w^2) B`` and ``C = M.T M`` (counts).
    """
    k = shift.size
    A1, Wp = Gw[:k, k:], Gw[k:, k:]  # A1[i, j]: sum of w * D_i over respondents valid on i and j
    P2, A2, Q = Gw2[:k, :k], Gw2[:k, k:], Gw2[k:, k:]
    ni = np.rint(np.diagonal(C)).astype(np.int64)
    wi = np.diagonal(Wp).copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(ni > 0, shift + np.diagonal(A1) / wi, np.nan)
        a = A1 / Wp  # a[i, j]: weighted mean of D_i over the respondents valid on i and j
        S2 = P2 - a.T * A2 - a * A2.T + a * a.T * Q  # sum w^2 (D_i - a_ij)(D_j - a_ji)
        V = np.where(C >= 2, C / (C - 1) * S2 / np.outer(wi, wi), 0.0)
    return PairwiseMoments(ni, np.rint(C).astype(np.int64), wi, means, V)


def weighted_moments(scores: np.ndarray, w: np.ndarray) -> PairwiseMoments:
    """:class:`PairwiseMoments` of a respondent-by-item matrix ``scores`` (NaN missing) and weights ``w``."""
    X = np.asarray(scores, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if X.ndim != 2 or w.shape != (X.shape[0],):
        raise ValueError(f"expected an n x k matrix and n weights, got shapes {X.shape} and {w.shape}")
    M = ~np.isnan(X)
    Mf = M.astype(np.float64)
    wv = w @ Mf
    with np.errstate(invalid="ignore", divide="ignore"):
        shift = np.where(wv > 0, (w @ np.where(M, X, 0.0)) / wv, 0.0)
    B = np.hstack([np.where(M, X - shift, 0.0), Mf])
    return moments_from_grams(B.T @ (w[:, None] * B), (w[:, None] * B).T @ (w[:, None] * B), Mf.T @ Mf, shift)


@dataclass(frozen=True, slots=True)
class LinearEstimate:
    """``value = sum_i c_i m_i`` of weighted item means and its linearized ``se``
    (None when an item with ``c_i != 0`` has fewer than 2 answers)."""

    value: float
    se: float | None


def weighted_linear(c: np.ndarray, mom: PairwiseMoments) -> LinearEstimate:
    """A weighted dimension score or index: ``c`` (k,) the coefficients, nonzero only on
    items with an answer (as the survey figures build them)."""
    sel = np.flatnonzero(np.asarray(c) != 0)
    cs = np.asarray(c, dtype=np.float64)[sel]
    ns = mom.ni[sel]
    if (ns == 0).any():
        raise ValueError("expected coefficients only on items with an answer")
    value = float(cs @ mom.means[sel])
    if (ns < 2).any():
        return LinearEstimate(value, None)
    var = float(cs @ mom.V[np.ix_(sel, sel)] @ cs)
    if not (var >= 0.0 and math.isfinite(var)):
        return LinearEstimate(value, None)
    return LinearEstimate(value, math.sqrt(var))
