"""The sufficient-statistics engine: from one wave's answers to the statistics of any subset of its respondents.

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
and builds ``[D | M]`` in a buffer its thread reuses. The Gram matrices of
the levels of several segment columns are sums of those of their joint cells
(one product over the rows for all columns; see :func:`_joint_grams`): the sums
round differently from one product over a level's rows, by relative amounts of
the order of 1e-15.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .instrument import _Instrument


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
    w: np.ndarray | None = None  # weighting: each row's weight (see :mod:`..weighting`); None unweighted

    def wgrams(self, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Weighted sample: ``B.T W B``, ``B.T W^2 B`` and the counts ``M.T M`` of ``B = [D | M]`` of
        the dimension items over ``rows``, or of all items over all rows (dimension items first)."""
        if rows is None:
            k, kd = self.shift.size, self.Bd.shape[1] // 2
            B = np.hstack([self.Bd[:, :kd], self.Bo[:, : k - kd], self.Bd[:, kd:], self.Bo[:, k - kd :]])
            w = self.w
        else:
            B, w = self.Bd[rows], self.w[rows]
        Bw = w[:, None] * B
        Mf = B[:, B.shape[1] // 2 :]
        return B.T @ Bw, Bw.T @ Bw, Mf.T @ Mf

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
    V: np.ndarray | None = None  # weighting: covariance matrix of the weighted item means (else from cov)


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
        np.subtract(X[:, j], lo[j], out=d, dtype=np.float64)  # float32 answers: exact in float64
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


def _design(X: np.ndarray, M: np.ndarray, ins: _Instrument, scratch: np.ndarray | None = None,
            w: np.ndarray | None = None) -> _Design:
    """The design of one wave; ``scratch``: a flat buffer reused for ``Bd`` (see :func:`_centred`);
    ``w``: each row's weight for a weighted sample."""
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
    return _Design(Bd, Bo, R, shift, w)


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


def _weighted_moments(grams: tuple[np.ndarray, np.ndarray, np.ndarray], shift: np.ndarray):  # noqa: ANN202
    """Weighted sample: counts, weighted means, weighted pairwise covariances (``nij / (nij - 1)`` times the
    weighted mean of the centred cross-products; with unit weights the sample covariance) and the
    covariance ``V`` of the weighted means (:func:`~..weighting.moments_from_grams`)."""
    from ..weighting import moments_from_grams  # a weighted survey's only: not loaded for others

    Gw, Gw2, C = grams
    k = shift.size
    mom = moments_from_grams(Gw, Gw2, C, shift)
    P, A, Wp = Gw[:k, :k], Gw[:k, k:], Gw[k:, k:]
    nij = mom.nij
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = np.where(nij >= 2, (P - A * A.T / Wp) / Wp * nij / (nij - 1), np.nan)
    return mom.ni, nij, mom.means, cov, mom.V


def _subset(G: np.ndarray | None, sums: np.ndarray, shift: np.ndarray, ins: _Instrument,
            weighted: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None) -> _Subset:
    """Statistics of a set of respondents from the Gram matrix ``G`` of its rows of
    ``B`` and the column sums ``sums`` of its rows of ``R`` (see :class:`_Design`); of a
    weighted sample from its weighted Gram matrices ``weighted`` (:meth:`_Design.wgrams`)."""
    k, D = shift.size, len(ins.dim_ids)
    V = None
    if weighted is not None:
        ni, nij, means, cov, V = _weighted_moments(weighted, shift)
    else:
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
    return _Subset(n, ni, nij, means, cov, dim_n, tuple(scores), tuple(coefs), weights, fallback, V)


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
    if sub.V is not None:  # weighted: the weighted means' own covariance (same rules, see ..weighting)
        from ..weighting import PairwiseMoments, weighted_linear

        est = weighted_linear(c, PairwiseMoments(sub.ni, sub.nij, np.zeros(0), sub.means, sub.V))
        return est.value, est.se
    if (ns < 2).any():
        return value, None
    nij = sub.nij[np.ix_(sel, sel)]
    with np.errstate(invalid="ignore"):
        V = np.where(nij >= 2, sub.cov[np.ix_(sel, sel)] * nij, 0.0) / np.outer(ns, ns)
    var = float(cs @ V @ cs)
    if not (var >= 0.0 and math.isfinite(var)):
        return value, None
    return value, math.sqrt(var)


_MAX_JOINT_CELLS = 1024  # more joint cells present than this: each level's Gram matrix from its own rows


def _joint_grams(des: _Design, columns: list[tuple[np.ndarray, int]]) -> list[dict[int, np.ndarray]] | None:
    """The Gram matrix (:meth:`_Design.gram`) of every level of every column, from one pass over the rows.

    ``columns``: per column the level code of each of the design's rows (-1 = no level) and the number
    of levels. The rows are grouped by their joint cell (their levels in all the columns at once); each
    cell's Gram matrix is the product of its own rows, and a level's is the sum of those of the cells it
    holds, in the order of the cells' codes. One product over the rows for all columns, instead of one
    per column; the sum rounds differently from one product over the level's rows (relative differences
    of the order of 1e-15). None when the columns have too many joint cells for that to pay (or one
    column only: its levels' own products cost the same).
    """
    if len(columns) < 2 or des.w is not None:
        return None
    sizes = [levels + 1 for _, levels in columns]  # code 0: no level
    if math.prod(sizes) > 1 << 20:
        return None
    joint = np.zeros(des.Bd.shape[0], dtype=np.int64)
    for (codes, _), size in zip(columns, sizes):
        joint *= size
        joint += codes.astype(np.int64) + 1
    counts = np.bincount(joint, minlength=math.prod(sizes))
    present = np.flatnonzero(counts)
    if present.size > _MAX_JOINT_CELLS:
        return None
    # each cell's rows in file order; codes of 16 bits or less sort by radix (the same order, faster)
    perm = np.argsort(joint.astype(_smallest_int(math.prod(sizes) - 1)), kind="stable")
    ends = np.cumsum(counts[present])
    starts = ends - counts[present]
    cell_grams = np.stack([des.gram(perm[a:b]) for a, b in zip(starts, ends)])
    out: list[dict[int, np.ndarray]] = []
    place = math.prod(sizes)
    for size in sizes:  # the column's code of each cell: its digit in the joint code
        place //= size
        digit = (present // place) % size
        out.append({int(d) - 1: cell_grams[digit == d].sum(axis=0) for d in np.unique(digit) if d > 0})
    return out


def _smallest_int(top: int) -> type:
    """The smallest integer type that holds 0 to ``top``."""
    return next(t for t in (np.uint8, np.uint16, np.uint32, np.int64) if top <= np.iinfo(t).max)


def _cells(
    des: _Design, codes: np.ndarray, levels: int, min_n: int, ins: _Instrument,
    grams: dict[int, np.ndarray] | None = None,
) -> list[tuple[int, int, _Subset | None]]:
    """``(level, n, statistics)`` of every level present among the design's rows
    (``codes`` per row, -1 = no level); statistics None when ``n < min_n``. ``grams``: each
    level's Gram matrix when known (see :func:`_joint_grams`), else from the level's rows."""
    code1 = codes.astype(np.intp) + 1  # 0 = no level, lv + 1 = level lv
    ends = np.cumsum(np.bincount(code1, minlength=levels + 1))
    present = np.flatnonzero(np.diff(ends))  # levels seen among the rows
    # rows grouped by level, no level first (not needed when the levels' Gram matrices are known)
    perm = np.argsort(codes, kind="stable") if grams is None or des.w is not None else None
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
        r = perm[ends[lv] : ends[lv + 1]] if perm is not None else None
        if des.w is None:
            G = grams[int(lv)] if grams is not None else des.gram(r)
            out.append((int(lv), n, _subset(G, sums, des.shift[: ins.kd], ins)))
        else:  # a weighted cell: from its own rows' weights
            out.append((int(lv), n, _subset(None, sums, des.shift[: ins.kd], ins, des.wgrams(r))))
    return out
