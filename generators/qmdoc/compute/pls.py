"""PLS path modelling (PLS-SEM) with Wold's / Lohmöller's iterative algorithm.

This module estimates a partial least squares path model with reflective
(Mode A) measurement for every block, following the algorithm as implemented
in R's ``plspm`` (Sanchez, Trinchera & Russolillo; Lohmöller 1989, Tenenhaus
et al. 2005) which is also the "PLS algorithm" of semPLS and SmartPLS:

1. Items are standardised with the population standard deviation (divisor
   *n*).
2. Outer weights start at 1 for every item; every iteration the latent
   variable (LV) scores ``Y = X W`` are rescaled to unit variance (divisor
   *n*), inner weights ``E`` are computed with the chosen scheme, the inner
   proxies are ``Z = Y E`` and the Mode A weights are the covariances
   ``w_i = cov(x_i, Z_k)`` of each item with the proxy of its own block.
3. The iteration stops when ``sum((|w_old| - |w_new|)**2) < tol``, summed over
   all items, where ``w`` are the Mode A weights as computed in step 2 (before
   rescaling) -- exactly the criterion of ``get_weights`` in plspm 0.4, so
   the iteration counts are the same as plspm's for the same ``tol`` (plspm's
   own default is ``tol=1e-6``; ours is 1e-10).
4. The final weights are rescaled so that every LV score has unit variance,
   each block is oriented (see :func:`estimate_pls`), and path coefficients
   are the OLS coefficients of each endogenous LV on its predecessors.

The implementation works entirely on the item correlation matrix ``S`` of the
complete cases (every quantity in the algorithm is a function of ``S``), so it
is cheap for large samples and needs no per-iteration pass over the data.

Orientation (:func:`estimate_pls`):
    The sign of each LV is fixed as in plspm's ``get_scores``: when the
    majority of a block's loadings are negative, the block is flipped so
    that the majority are positive. On a tie (e.g. a two-item block whose
    items correlate negatively) the orientation produced by the iteration
    (which starts from all-positive weights) is kept; this reproduces R
    plspm's output for the Russett data (two-item block IND), although
    the ``get_scores`` source of plspm 0.4.0 would flip on a tie. Unlike plspm, which reports
    the un-flipped outer weights, the reported weights are flipped
    together with the scores so that ``score = sum(weight * z_item)``
    always holds.

ACSI index:
    With ``s_i`` the item standard deviation (divisor *n*) and ``w_i`` the
    outer weight, the unstandardised weights are
    ``u_i = (w_i / s_i) / sum_j (w_j / s_j)`` and the index is
    ``sum_i u_i * 100 * (mean_i - min_i) / (max_i - min_i)``. It lies in
    0..100 whenever the block's weights are positive (the normal case for
    a well-specified reflective block).

Non-convergence:
    If the criterion is not met within ``max_iter`` updates (plspm would
    stop with an error), the estimates from the last iterate are returned
    with ``converged=False``.

The module is pure: no I/O, no printing, no global state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .pls_model import (  # noqa: F401 - MIN_COMPLETE_ROWS, NotEstimable: names of this module
    MIN_COMPLETE_ROWS,
    NotEstimable,
    _complete_rows,
    _Model,
    _validate_model,
    _validate_scale,
)

__all__ = ["PLSResult", "estimate_pls", "MIN_COMPLETE_ROWS", "SCHEMES"]

#: Inner weighting schemes understood by :func:`estimate_pls`.
SCHEMES: tuple[str, ...] = ("path", "centroid", "factorial")


@dataclass(frozen=True)
class PLSResult:
    """Estimates of a PLS path model.

    Attributes:
        paths: ``(from_lv, to_lv) -> path coefficient`` for every declared path
            (standardised OLS coefficient of ``to_lv`` on all its predecessors).
        r2: endogenous LV -> coefficient of determination of its regression.
        weights: item -> outer weight on the standardised item (z-score with
            divisor *n*); ``sum(weight * z_item)`` over a block is the LV score,
            which has mean 0 and unit variance (divisor *n*).
        loadings: item -> outer loading, the correlation of the item with the
            score of its own LV.
        ave: LV -> average variance extracted, the mean squared loading.
        alpha: LV -> Cronbach's alpha of the block computed on the
            standardised items, ``k/(k-1) * (1 - k / sum(corr))``; as in
            plspm it is clipped at 0 and is 1 for single-item blocks.
        index: LV -> ACSI-style 0..100 index (empty when no ``scale`` given).
        iterations: number of outer-weight updates performed (plspm's
            ``model$iter``).
        converged: whether the convergence criterion was met within
            ``max_iter`` iterations.
    """

    paths: dict[tuple[str, str], float]
    r2: dict[str, float]
    weights: dict[str, float]
    loadings: dict[str, float]
    ave: dict[str, float]
    alpha: dict[str, float]
    index: dict[str, float]
    iterations: int
    converged: bool



def estimate_pls(
    data: pd.DataFrame,
    blocks: dict[str, list[str]],
    paths: list[tuple[str, str]],
    scheme: str = "path",
    scale: dict[str, tuple[float, float]] | None = None,
    tol: float = 1e-10,
    max_iter: int = 300,
) -> PLSResult:
    """Estimate a PLS path model (all blocks reflective, Mode A).

    Args:
        data: one row per respondent, one column per item (numeric; NaN marks
            a missing answer). Columns not named in ``blocks`` are ignored.
        blocks: LV name -> its items (column names of ``data``). An item may
            belong to one block only.
        paths: structural paths ``(from_lv, to_lv)``; the path diagram must be
            acyclic and every LV must take part in at least one path.
        scheme: inner weighting scheme, ``"path"`` (default), ``"centroid"``
            or ``"factorial"``, as in Lohmöller (1989) / plspm:

            * centroid: ``e_jk = sign(cor(Y_j, Y_k))`` for adjacent LVs;
            * factorial: ``e_jk = cor(Y_j, Y_k)`` for adjacent LVs;
            * path: for the predecessors ``j`` of ``k``, ``e_jk`` are the
              coefficients of the multiple regression of ``Y_k`` on its
              predecessors; for the successors, ``e_jk = cor(Y_j, Y_k)``.
        scale: item -> ``(min, max)`` of its answer scale. When given it must
            cover every item of the model and the ``index`` is computed; when
            ``None`` the ``index`` is an empty dict.
        tol: convergence tolerance for ``sum((|w_old| - |w_new|)**2)``.
        max_iter: largest number of outer-weight updates.

    Returns:
        A :class:`PLSResult`.

    Missing data:
        Listwise deletion: every row with a NaN in any item of the model is
        dropped before anything is computed (standardisation, weights, item
        means for the index all use the same complete rows). NaNs in columns
        that are not part of the model do not drop a row.

    Orientation, ACSI index, non-convergence: see the module docstring.

    Raises:
        ValueError: for an unknown scheme, an empty block, an item in two
            blocks or missing from ``data``, a non-numeric or infinite item,
            a column name used twice in ``data``, a malformed path, a path
            naming an unknown LV, a duplicated path, an LV without paths, a
            cyclic path model, fewer than 10 complete rows, an item with zero
            variance, an incomplete or invalid ``scale`` or values outside it,
            perfectly collinear predecessors, LV scores with zero variance
            (e.g. items exactly uncorrelated with every neighbouring block),
            or invalid ``tol``/``max_iter``.
    """
    _check_options(scheme, tol, max_iter)
    model = _validate_model(data, blocks, paths)
    raw = _complete_rows(data, model.items)
    means, sds, corr = _standardised(raw)
    bounds = None if scale is None else _validate_scale(scale, model.items, raw)

    w_raw, iterations, converged = _outer_iteration(corr, model, scheme, tol, max_iter)
    weights, loadings, w = _oriented(corr, w_raw, model)

    lv_corr = weights.T @ corr @ weights
    path_values, r2 = _inner_model(lv_corr, model)

    return PLSResult(
        paths={p: float(path_values[p]) for p in model.paths},
        r2=r2,
        weights={item: float(v) for item, v in zip(model.items, w, strict=True)},
        loadings={item: float(v) for item, v in zip(model.items, loadings, strict=True)},
        ave=_ave(loadings, model),
        alpha=_alpha(corr, model),
        index={} if bounds is None else _index(w, sds, means, bounds, model),
        iterations=iterations,
        converged=converged,
    )


def _check_options(scheme: str, tol: float, max_iter: int) -> None:
    if scheme not in SCHEMES:
        raise ValueError(
            f"unknown scheme {scheme!r}; expected one of 'path', 'centroid', 'factorial'"
        )
    if not tol > 0:
        raise ValueError(f"tol must be positive, got {tol!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise ValueError(f"max_iter must be a positive integer, got {max_iter!r}")


def _standardised(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The items' means, standard deviations (divisor n) and correlation matrix."""
    n = raw.shape[0]
    means = raw.mean(axis=0)
    centred = raw - means
    sds = np.sqrt((centred**2).mean(axis=0))  # divisor n
    z = centred / sds
    corr = (z.T @ z) / n
    # Exact unit diagonal: removes rounding noise of the standardisation.
    np.fill_diagonal(corr, 1.0)
    return means, sds, corr


def _oriented(corr: np.ndarray, w_raw: np.ndarray, model: _Model) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The final (p, L) weight matrix, the loadings and the item weights, each block
    flipped when most of its loadings are negative (see "Orientation" in the module docstring)."""
    weights = _normalise(corr, _weight_matrix(w_raw, model.block_of, len(model.lvs)), model.lvs)
    loadings_all = corr @ weights  # (p, L): cor(item, LV score), scores have unit variance
    own = np.arange(len(model.items))
    loadings = loadings_all[own, model.block_of]
    votes = np.bincount(model.block_of, weights=np.sign(loadings), minlength=len(model.lvs))
    flip = np.where(votes < 0, -1.0, 1.0)
    weights = weights * flip
    loadings = loadings * flip[model.block_of]
    return weights, loadings, weights[own, model.block_of]


# ---------------------------------------------------------------------------
# algorithm
# ---------------------------------------------------------------------------


def _weight_matrix(w: np.ndarray, block_of: np.ndarray, n_lv: int) -> np.ndarray:
    """Spread item weights into the (p, L) block-diagonal weight matrix."""
    matrix = np.zeros((w.size, n_lv))
    matrix[np.arange(w.size), block_of] = w
    return matrix


def _normalise(corr: np.ndarray, weights: np.ndarray, lvs: tuple[str, ...]) -> np.ndarray:
    """Rescale weight columns so that the LV scores have unit variance."""
    variances = np.einsum("ik,ij,jk->k", weights, corr, weights)
    degenerate = ~(variances > 1e-300)
    if degenerate.any():
        lv = lvs[int(np.argmax(degenerate))]
        raise NotEstimable(
            f"the scores of latent variable {lv!r} have zero variance; "
            "the model cannot be estimated",
            "degenerate", lv=lv,
        )
    return weights / np.sqrt(variances)


def _inner_weights(lv_corr: np.ndarray, model: _Model, scheme: str) -> np.ndarray:
    """Inner weight matrix E (column k combines the neighbours of LV k)."""
    pred = model.pred
    adjacent = pred | pred.T
    if scheme == "centroid":
        return np.where(adjacent, np.sign(lv_corr), 0.0)
    if scheme == "factorial":
        return np.where(adjacent, lv_corr, 0.0)
    inner = np.where(pred, lv_corr, 0.0)  # successors j of k (k -> j): e_jk = cor
    for k in range(pred.shape[0]):
        before = np.flatnonzero(pred[k])
        if before.size:
            inner[before, k] = _regress(lv_corr, before, k, model.lvs)
    return inner


def _regress(
    lv_corr: np.ndarray, predictors: np.ndarray, target: int, lvs: tuple[str, ...]
) -> np.ndarray:
    """Standardised OLS coefficients of LV ``target`` on ``predictors``."""
    gram = lv_corr[np.ix_(predictors, predictors)]
    if np.linalg.matrix_rank(gram) < predictors.size:
        raise NotEstimable(
            f"the predecessors of latent variable {lvs[target]!r} are perfectly collinear",
            "collinear", lv=lvs[target],
        )
    return np.linalg.solve(gram, lv_corr[predictors, target])


def _outer_iteration(
    corr: np.ndarray, model: _Model, scheme: str, tol: float, max_iter: int
) -> tuple[np.ndarray, int, bool]:
    """Lohmöller's iteration; returns the last raw Mode A weights."""
    n_lv = len(model.lvs)
    own = np.arange(len(model.items))
    start = _weight_matrix(np.ones(len(model.items)), model.block_of, n_lv)
    w_old = _normalise(corr, start, model.lvs)[own, model.block_of]
    iterations = 0
    while True:
        iterations += 1
        weights = _normalise(corr, _weight_matrix(w_old, model.block_of, n_lv), model.lvs)
        lv_corr = weights.T @ corr @ weights
        inner = _inner_weights(lv_corr, model, scheme)
        # Mode A: w_i = cov(x_i, Z_k) with Z = Y E, i.e. (S W E)[i, k].
        w_new = (corr @ weights @ inner)[own, model.block_of]
        difference = float(np.sum((np.abs(w_old) - np.abs(w_new)) ** 2))
        if difference < tol:
            return w_new, iterations, True
        if iterations >= max_iter:
            return w_new, iterations, False
        w_old = w_new


def _inner_model(
    lv_corr: np.ndarray, model: _Model
) -> tuple[dict[tuple[str, str], float], dict[str, float]]:
    paths: dict[tuple[str, str], float] = {}
    r2: dict[str, float] = {}
    for k, lv in enumerate(model.lvs):
        before = np.flatnonzero(model.pred[k])
        if before.size == 0:
            continue
        beta = _regress(lv_corr, before, k, model.lvs)
        r2[lv] = float(beta @ lv_corr[before, k])
        for j, b in zip(before, beta, strict=True):
            paths[(model.lvs[j], lv)] = float(b)
    return paths, r2


def _ave(loadings: np.ndarray, model: _Model) -> dict[str, float]:
    counts = np.bincount(model.block_of, minlength=len(model.lvs))
    sums = np.bincount(model.block_of, weights=loadings**2, minlength=len(model.lvs))
    return {lv: float(v) for lv, v in zip(model.lvs, sums / counts, strict=True)}


def _alpha(corr: np.ndarray, model: _Model) -> dict[str, float]:
    alpha: dict[str, float] = {}
    for k, lv in enumerate(model.lvs):
        members = np.flatnonzero(model.block_of == k)
        size = members.size
        if size == 1:
            alpha[lv] = 1.0
            continue
        total = float(corr[np.ix_(members, members)].sum())
        value = size / (size - 1) * (1.0 - size / total)
        alpha[lv] = max(value, 0.0)
    return alpha


def _acsi_index(
    weights: np.ndarray, sds: np.ndarray, means: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> float:
    """ACSI 0..100 index of one block from its items' weights and moments."""
    unstandardised = weights / sds
    share = unstandardised / unstandardised.sum()
    return float(share @ (100.0 * (means - lo) / (hi - lo)))


def _index(
    w: np.ndarray, sds: np.ndarray, means: np.ndarray, bounds: np.ndarray, model: _Model
) -> dict[str, float]:
    index: dict[str, float] = {}
    for k, lv in enumerate(model.lvs):
        m = model.block_of == k
        index[lv] = _acsi_index(w[m], sds[m], means[m], bounds[m, 0], bounds[m, 1])
    return index
