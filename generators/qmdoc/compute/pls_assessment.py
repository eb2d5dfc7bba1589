"""Assessment of an estimated PLS path model: measurement model, structural model, importance-
performance map and the bootstrap, as SmartPLS, seminr and cSEM report them.

Everything is computed from the item correlation matrix ``S`` of the complete
cases (listwise deletion, as :func:`~qmdoc.compute.pls.estimate_pls`), the
estimate's outer weights ``w`` and loadings ``λ`` and the LV correlations
``Φ = W' S W``:

* composite reliability ``ρ_C = (Σλ)² / ((Σλ)² + Σ(1 - λ²))``;
* ``ρ_A`` (Dijkstra & Henseler 2015) ``= (w'w)² · w'(S - diag S)w / w'(ww' - diag(ww'))w``
  over the block's items, with ``w`` the weights of the estimate (LV score of unit variance);
  1 for a single-item block (both as in seminr);
* HTMT (Henseler, Ringle & Sarstedt 2015) of blocks i and j: the mean of the
  absolute correlations between their items over the geometric mean of the mean
  absolute correlations within each block (1 within a single-item block); absolute
  values as SmartPLS and seminr take them, so that a reverse-coded item does not
  lower it. Flagged above 0.85 (conceptually distinct constructs) and 0.90
  (conceptually similar ones);
* Fornell–Larcker: ``√AVE`` of each LV on the diagonal, LV correlations off it;
* outer VIF of an item: ``1 / (1 - R²)`` of the item on the other items of its
  block, i.e. the diagonal of the inverse of the block's correlation matrix (1 alone);
* adjusted ``R² = 1 - (1 - R²)(n - 1)/(n - k - 1)`` with ``k`` predecessors;
* ``f²`` of a path j -> k: ``(R²_k - R²_k without j) / (1 - R²_k)``, the ``R²``
  without j from the same LV scores (cSEM's and SmartPLS's convention; seminr
  re-estimates the whole model without the path instead);
* inner VIF of a path j -> k: VIF of LV j among the predecessors of k (from ``Φ``);
* total effects ``T = (I - P)^-1 - I`` (``P[j, k]`` the path j -> k), reported for
  every pair that a chain of paths joins;
* IPMA (Ringle & Sarstedt 2016) on a target LV: performance = the LV's 0–100
  index (:class:`~qmdoc.compute.pls.PLSResult`), importance = the unstandardized
  total effect on the target: the same total effects computed on the LV scores
  in index units, ``Y_k = Σ u_i x_i`` with ``x_i`` the item on 0–100 and
  ``u_i = (w_i / s_i) / Σ_j (w_j / s_j)`` the index weights, i.e. on the
  covariance matrix ``U' D S D U`` (``D`` the items' 0–100 standard deviations).

Bootstrap: ``samples`` resamples of the complete cases
(:func:`~qmdoc.compute.bootstrap.resample_correlations`, seeded), each
estimated by the same algorithm as the estimate (same scheme, start, stopping
rule and orientation), all resamples at once: the iteration runs on the stack
of resample correlation matrices and stops for each resample when its own
criterion is met. Sign indeterminacy: the sign of each block of a resample is
then aligned to the original estimate (construct-level sign change: the block
is flipped when its weights' inner product with the estimate's weights is
negative), as SmartPLS and seminr do, before paths, loadings and total effects
are computed. A resample whose model cannot be estimated (a constant item,
LV scores without variance, collinear predecessors) is left out (``valid``
counts those used). Per statistic: ``se`` = standard deviation of the
resamples (divisor B - 1), ``t`` = estimate / se, ``p`` = two-sided p-value of
``t`` on ``n - 1`` degrees of freedom, ``ci`` = percentile interval (2.5 % and
97.5 % quantiles, linear interpolation), ``significant`` = ``p < 0.05``
(:data:`SIGNIFICANCE`), the marking of the report's tables and path diagram.

Pure: no I/O, no formatting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import pls
from .bootstrap import resample_correlations
from .pls import PLSResult

__all__ = ["PLSAssessment", "BootstrapStatistics", "PLSBootstrap", "assess_pls", "HTMT_THRESHOLDS", "SIGNIFICANCE"]

Interval = tuple[float, float]
Path = tuple[str, str]

#: HTMT thresholds: above 0.90 discriminant validity is not established even for conceptually
#: similar constructs, above 0.85 not for conceptually distinct ones.
HTMT_THRESHOLDS = (0.90, 0.85)

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


@dataclass(frozen=True)
class PLSAssessment:
    """Measurement and structural assessment of an estimated PLS model (definitions: module docstring).

    Attributes:
        n: complete cases the model rests on.
        rho_c: LV -> composite reliability ρ_C.
        rho_a: LV -> ρ_A (Dijkstra–Henseler).
        htmt: ``(lv_i, lv_j)`` -> HTMT, for every pair in the order of the blocks (i before j);
            None when a block's items are all uncorrelated.
        htmt_flag: the same keys -> the highest threshold of :data:`HTMT_THRESHOLDS` the
            HTMT exceeds (0.90 or 0.85), None below both.
        fornell_larcker: LV -> LV -> √AVE on the diagonal, LV correlation off it.
        vif_outer: item -> VIF of the item within its block (None when the block's items
            are exactly collinear).
        r2_adjusted: endogenous LV -> adjusted R² (None when n <= k + 1).
        f2: ``(from, to)`` -> effect size f² of the path (None when R² = 1).
        vif_inner: ``(from, to)`` -> VIF of ``from`` among the predecessors of ``to``.
        total_effects: ``(from, to)`` -> standardized total effect, for every pair
            joined by a chain of paths (sources in block order, then targets).
        ipma_target: the IPMA's target LV (None without an index, i.e. without ``scale``).
        ipma_importance: LV -> unstandardized total effect on the target, for every LV with
            a chain of paths to it.
        ipma_performance: the same LVs -> their 0–100 index.
        bootstrap: the bootstrap, None when switched off (``samples=0``).
    """

    n: int
    rho_c: dict[str, float]
    rho_a: dict[str, float]
    htmt: dict[Path, float | None]
    htmt_flag: dict[Path, float | None]
    fornell_larcker: dict[str, dict[str, float]]
    vif_outer: dict[str, float | None]
    r2_adjusted: dict[str, float | None]
    f2: dict[Path, float | None]
    vif_inner: dict[Path, float]
    total_effects: dict[Path, float]
    ipma_target: str | None
    ipma_importance: dict[str, float]
    ipma_performance: dict[str, float]
    bootstrap: PLSBootstrap | None


def assess_pls(
    data: pd.DataFrame,
    blocks: dict[str, list[str]],
    paths: list[tuple[str, str]],
    estimate: PLSResult,
    *,
    scheme: str = "path",
    scale: dict[str, tuple[float, float]] | None = None,
    target: str | None = None,
    samples: int = 5000,
    seed: int = 1,
    tol: float = 1e-10,
    max_iter: int = 300,
    level: float = 0.95,
) -> PLSAssessment:
    """Assess ``estimate``, the result of ``estimate_pls(data, blocks, paths, scheme, scale, tol, max_iter)``.

    ``target``: the IPMA's target LV, one that a path leads to; default the last
    such LV in block order. ``samples``: bootstrap resamples (0: none), drawn
    with ``seed``.
    """
    assert samples >= 0 and 0 < level < 1
    model = pls._validate_model(data, blocks, paths)
    raw = pls._complete_rows(data, model.items)
    n = raw.shape[0]
    means = raw.mean(axis=0)
    sds = np.sqrt(((raw - means) ** 2).mean(axis=0))
    z = (raw - means) / sds
    S = (z.T @ z) / n
    np.fill_diagonal(S, 1.0)

    lvs, items, L = model.lvs, model.items, len(model.lvs)
    own = np.arange(len(items))
    w = np.array([estimate.weights[i] for i in items])
    loadings = np.array([estimate.loadings[i] for i in items])
    W = pls._weight_matrix(w, model.block_of, L)
    phi = W.T @ S @ W
    phi = (phi + phi.T) / 2  # exactly symmetric
    members = [np.flatnonzero(model.block_of == k) for k in range(L)]

    rho_c, rho_a, vif_outer = {}, {}, {}
    for k, lv in enumerate(lvs):
        m = members[k]
        lam, wk, Sk = loadings[m], w[m], S[np.ix_(m, m)]
        rho_c[lv] = float(lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum()))
        if m.size == 1:
            rho_a[lv] = 1.0
            vif_outer[items[m[0]]] = 1.0
            continue
        outer = np.outer(wk, wk)
        rho_a[lv] = float((wk @ wk) ** 2 * (wk @ (Sk - np.diag(np.diag(Sk))) @ wk)
                          / (wk @ (outer - np.diag(np.diag(outer))) @ wk))
        singular = np.linalg.eigvalsh(Sk)[0] <= _SINGULAR  # items that repeat each other exactly
        for i, v in zip(m, np.diag(np.linalg.inv(Sk)) if not singular else [None] * m.size, strict=True):
            vif_outer[items[i]] = None if v is None else float(v)

    absS = np.abs(S)

    def within(m: np.ndarray) -> float:
        return 1.0 if m.size == 1 else float(absS[np.ix_(m, m)][np.triu_indices(m.size, 1)].mean())

    htmt: dict[Path, float | None] = {}
    htmt_flag: dict[Path, float | None] = {}
    for a in range(L):
        for b in range(a + 1, L):
            mono = within(members[a]) * within(members[b])
            value = float(absS[np.ix_(members[a], members[b])].mean() / np.sqrt(mono)) if mono > 0 else None
            htmt[(lvs[a], lvs[b])] = value
            htmt_flag[(lvs[a], lvs[b])] = next((t for t in HTMT_THRESHOLDS if value is not None and value > t), None)

    fornell_larcker = {
        lvs[a]: {lvs[b]: float(np.sqrt(estimate.ave[lvs[a]]) if a == b else phi[a, b]) for b in range(L)}
        for a in range(L)
    }

    r2_adjusted: dict[str, float | None] = {}
    f2: dict[Path, float | None] = {}
    vif_inner: dict[Path, float] = {}
    for k, lv in enumerate(lvs):
        before = np.flatnonzero(model.pred[k])
        if before.size == 0:
            continue
        r2 = estimate.r2[lv]
        dof = n - before.size - 1
        r2_adjusted[lv] = float(1 - (1 - r2) * (n - 1) / dof) if dof > 0 else None
        vifs = np.diag(np.linalg.inv(phi[np.ix_(before, before)]))
        for pos, j in enumerate(before):
            rest = np.delete(before, pos)
            r2_without = 0.0 if rest.size == 0 else float(
                np.linalg.solve(phi[np.ix_(rest, rest)], phi[rest, k]) @ phi[rest, k])
            f2[(lvs[j], lv)] = float((r2 - r2_without) / (1 - r2)) if r2 < 1 else None
            vif_inner[(lvs[j], lv)] = float(vifs[pos])

    reach = _reach(model.pred)
    P = np.zeros((L, L))
    for (a, b), v in estimate.paths.items():
        P[lvs.index(a), lvs.index(b)] = v
    T = _total(P)
    total_effects = {(lvs[a], lvs[b]): float(T[a, b]) for a in range(L) for b in range(L) if reach[a, b]}

    ipma_target = None
    importance: dict[str, float] = {}
    performance: dict[str, float] = {}
    if scale is not None:
        endogenous = [k for k in range(L) if model.pred[k].any()]
        t_k = endogenous[-1] if target is None else lvs.index(target)
        assert model.pred[t_k].any(), f"IPMA target {lvs[t_k]!r} is not an endogenous latent variable"
        ipma_target = lvs[t_k]
        bounds = np.array([scale[i] for i in items], dtype=np.float64)
        s100 = sds * 100.0 / (bounds[:, 1] - bounds[:, 0])  # the items' sd on 0..100
        u = w / sds
        u = u / np.bincount(model.block_of, weights=u, minlength=L)[model.block_of]
        A = pls._weight_matrix(u * s100, model.block_of, L)
        C = A.T @ S @ A  # covariance of the LV scores in index units
        Pu = np.zeros((L, L))
        for k in endogenous:
            before = np.flatnonzero(model.pred[k])
            Pu[before, k] = np.linalg.solve(C[np.ix_(before, before)], C[before, k])
        Tu = _total(Pu)
        for a in range(L):
            if reach[a, t_k]:
                importance[lvs[a]] = float(Tu[a, t_k])
                performance[lvs[a]] = float(estimate.index[lvs[a]])

    boot = None
    if samples:
        boot = _bootstrap(z, model, scheme, tol, max_iter, samples, seed, w, estimate, total_effects, n, level)
    return PLSAssessment(
        n=n, rho_c=rho_c, rho_a=rho_a, htmt=htmt, htmt_flag=htmt_flag, fornell_larcker=fornell_larcker,
        vif_outer=vif_outer, r2_adjusted=r2_adjusted, f2=f2, vif_inner=vif_inner, total_effects=total_effects,
        ipma_target=ipma_target, ipma_importance=importance, ipma_performance=performance, bootstrap=boot,
    )


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


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
