"""The bootstrap of a PLS path model: resampled estimates and their statistics
(standard error, t, p, percentile interval), for :func:`~qmdoc.compute.pls_assessment.assess_pls`.

The resamples are drawn as correlation matrices of resampled complete cases
(:func:`~qmdoc.compute.bootstrap.resample_correlations`) and estimated all at
once on the stack (:func:`_estimate_many`); a resample whose model cannot be
estimated is left out and counted out of ``valid``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import pls
from .bootstrap import resample_correlations
from .pls import PLSResult

Path = tuple[str, str]

#: Level below which a bootstrap p-value marks an estimate as significant (two-sided).
SIGNIFICANCE = 0.05

_SINGULAR = 1e-12  # smallest eigenvalue of a predecessor correlation matrix below which it is collinear


@dataclass(frozen=True)
class BootstrapStatistics:
    """Bootstrap statistics of one kind of estimate (paths, weights, loadings or total effects).

    Attributes:
        se: key -> standard deviation of the resamples' estimates (divisor B - 1).
        t: key -> estimate / se; None when se is 0 (up to rounding).
        p: key -> two-sided p-value of t on n - 1 degrees of freedom; None when t is.
        ci: key -> percentile 95 % interval (2.5 % and 97.5 % quantiles of the resamples).
        significant: key -> whether p < :data:`SIGNIFICANCE` (two-sided test at 5 %); None when p is.
    """

    se: dict
    t: dict
    p: dict
    ci: dict
    significant: dict


@dataclass(frozen=True)
class PLSBootstrap:
    """The bootstrap of a PLS model.

    Attributes:
        samples: resamples drawn.
        seed: seed of the resampling.
        valid: resamples whose model could be estimated; the statistics rest on them.
        paths: ``(from, to)`` -> statistics of the path coefficient.
        weights: item -> statistics of the outer weight.
        loadings: item -> statistics of the outer loading.
        total_effects: ``(from, to)`` -> statistics of the total effect (keys as
            :attr:`PLSAssessment.total_effects`).
    """

    samples: int
    seed: int
    valid: int
    paths: BootstrapStatistics
    weights: BootstrapStatistics
    loadings: BootstrapStatistics
    total_effects: BootstrapStatistics


def _reach(pred: np.ndarray) -> np.ndarray:
    """``reach[a, b]``: a chain of paths leads from LV a to LV b."""
    step = pred.T.astype(np.int64)  # step[a, b] = 1 iff a -> b
    reach = step.copy()
    for _ in range(pred.shape[0]):
        reach = ((reach + reach @ step) > 0).astype(np.int64)
    return reach.astype(bool)


def _total(P: np.ndarray) -> np.ndarray:
    """Total effects ``(I - P)^-1 - I`` of one path matrix or a stack of them (acyclic: P nilpotent)."""
    eye = np.eye(P.shape[-1])
    return np.linalg.inv(eye - P) - eye


# ---------------------------------------------------------------------------
# bootstrap
# ---------------------------------------------------------------------------


def _bootstrap(
    z: np.ndarray,
    model: pls._Model,
    scheme: str,
    tol: float,
    max_iter: int,
    samples: int,
    seed: int,
    w_orig: np.ndarray,
    estimate: PLSResult,
    total_keys: dict[Path, float],
    n: int,
    level: float,
) -> PLSBootstrap:
    """The bootstrap of the estimate (see the module docstring) on the standardized complete cases ``z``."""
    from scipy.special import stdtr  # imported only when a model is bootstrapped

    lvs = model.lvs
    index = {lv: k for k, lv in enumerate(lvs)}
    path_idx = [(index[a], index[b]) for a, b in model.paths]
    total_idx = [(index[a], index[b]) for a, b in total_keys]
    est_paths, est_w, est_l, est_t = [], [], [], []
    for R, ok in resample_correlations(z, samples, seed):
        wb, lb, pb, tb, valid = _estimate_many(R, ok, model, scheme, tol, max_iter, w_orig)
        est_w.append(wb[valid])
        est_l.append(lb[valid])
        est_paths.append(pb[valid][:, [a for a, _ in path_idx], [b for _, b in path_idx]])
        est_t.append(tb[valid][:, [a for a, _ in total_idx], [b for _, b in total_idx]])
    draws = {
        "paths": (np.concatenate(est_paths), list(model.paths), [estimate.paths[p] for p in model.paths]),
        "weights": (np.concatenate(est_w), list(model.items), [estimate.weights[i] for i in model.items]),
        "loadings": (np.concatenate(est_l), list(model.items), [estimate.loadings[i] for i in model.items]),
        "total_effects": (np.concatenate(est_t), list(total_keys), list(total_keys.values())),
    }
    valid = draws["paths"][0].shape[0]
    q = [(1 - level) / 2, (1 + level) / 2]
    out = {}
    for name, (x, keys, original) in draws.items():
        se = x.std(axis=0, ddof=1) if valid > 1 else np.full(len(keys), np.nan)
        lo_hi = np.quantile(x, q, axis=0) if valid else np.full((2, len(keys)), np.nan)
        stats = BootstrapStatistics({}, {}, {}, {}, {})
        for j, key in enumerate(keys):
            s = float(se[j])
            # no spread (the weight and loading of a single-item block are always 1): no t
            t = float(original[j] / s) if s > 1e-12 * max(1.0, abs(original[j])) else None
            stats.se[key] = s if np.isfinite(s) else None
            stats.t[key] = t
            stats.p[key] = None if t is None else float(2 * stdtr(n - 1, -abs(t)))
            stats.ci[key] = (float(lo_hi[0, j]), float(lo_hi[1, j])) if valid else None
            stats.significant[key] = None if stats.p[key] is None else stats.p[key] < SIGNIFICANCE
        out[name] = stats
    return PLSBootstrap(samples=samples, seed=seed, valid=valid, **out)


def _estimate_many(
    S: np.ndarray,
    ok: np.ndarray,
    model: pls._Model,
    scheme: str,
    tol: float,
    max_iter: int,
    w_orig: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The PLS algorithm of :func:`~qmdoc.compute.pls.estimate_pls` on a stack ``S`` (b × p × p) of
    correlation matrices at once, signs aligned to ``w_orig``. Returns weights (b × p), loadings
    (b × p), path matrices and total effects (b × L × L) and which resamples are valid."""
    b, p, _ = S.shape
    L = len(model.lvs)
    block_of = model.block_of
    E = np.zeros((p, L))
    E[np.arange(p), block_of] = 1.0
    valid = ok.copy()
    S = np.where(valid[:, None, None], S, np.eye(p))  # undefined resamples: any well-posed matrix

    def normalise(wv: np.ndarray) -> np.ndarray:
        W = wv[:, :, None] * E
        var = np.einsum("bik,bij,bjk->bk", W, S, W)
        bad = ~(var > 1e-300)
        valid[bad.any(axis=1)] = False
        return W / np.sqrt(np.where(bad, 1.0, var))[:, None, :]

    adjacent = model.pred | model.pred.T

    def inner_weights(phi: np.ndarray) -> np.ndarray:
        if scheme == "centroid":
            return np.where(adjacent, np.sign(phi), 0.0)
        if scheme == "factorial":
            return np.where(adjacent, phi, 0.0)
        inner = np.where(model.pred, phi, 0.0)
        for k in range(L):
            before = np.flatnonzero(model.pred[k])
            if before.size:
                inner[:, before, k] = _regress_many(phi, before, k, valid)
        return inner

    own = np.arange(p)
    w_old = normalise(np.ones((b, p)))[:, own, block_of]
    w_final = w_old.copy()
    active = np.ones(b, dtype=bool)
    for _ in range(max_iter):
        W = normalise(w_old)
        phi = W.transpose(0, 2, 1) @ S @ W
        w_new = (S @ W @ inner_weights(phi))[:, own, block_of]
        diff = ((np.abs(w_old) - np.abs(w_new)) ** 2).sum(axis=1)
        w_final[active] = w_new[active]
        active &= ~(diff < tol)
        if not active.any():
            break
        w_old = np.where(active[:, None], w_new, w_old)
    # a resample still active after max_iter keeps its last iterate (as estimate_pls does)

    W = normalise(w_final)
    # orientation: each block's sign aligned to the estimate (construct-level sign change)
    agree = np.einsum("bik,i->bk", W, w_orig)
    W = W * np.where(agree < 0, -1.0, 1.0)[:, None, :]
    weights = W[:, own, block_of]
    loadings = (S @ W)[:, own, block_of]
    phi = W.transpose(0, 2, 1) @ S @ W
    P = np.zeros((b, L, L))
    for k in range(L):
        before = np.flatnonzero(model.pred[k])
        if before.size:
            P[:, before, k] = _regress_many(phi, before, k, valid)
    return weights, loadings, P, _total(P), valid


def _regress_many(phi: np.ndarray, before: np.ndarray, k: int, valid: np.ndarray) -> np.ndarray:
    """Standardized OLS coefficients of LV k on ``before`` for a stack of LV correlation matrices;
    a resample with collinear predecessors is marked invalid (its coefficients are 0)."""
    gram = phi[:, before][:, :, before]
    collinear = np.linalg.eigvalsh(gram)[:, 0] <= _SINGULAR
    valid[collinear] = False
    gram = np.where(collinear[:, None, None], np.eye(before.size), gram)
    return np.linalg.solve(gram, phi[:, before, k][:, :, None])[:, :, 0] * ~collinear[:, None]
