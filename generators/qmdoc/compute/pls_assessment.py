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
from .pls import PLSResult
from .pls_bootstrap import _SINGULAR, SIGNIFICANCE, BootstrapStatistics, PLSBootstrap, _bootstrap, _reach, _total

__all__ = ["PLSAssessment", "BootstrapStatistics", "PLSBootstrap", "assess_pls", "HTMT_THRESHOLDS", "SIGNIFICANCE"]

Interval = tuple[float, float]
Path = tuple[str, str]

#: HTMT thresholds: above 0.90 discriminant validity is not established even for conceptually
#: similar constructs, above 0.85 not for conceptually distinct ones.
HTMT_THRESHOLDS = (0.90, 0.85)


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
    w = np.array([estimate.weights[i] for i in items])
    loadings = np.array([estimate.loadings[i] for i in items])
    W = pls._weight_matrix(w, model.block_of, L)
    phi = W.T @ S @ W
    phi = (phi + phi.T) / 2  # exactly symmetric
    members = [np.flatnonzero(model.block_of == k) for k in range(L)]

    rho_c, rho_a, vif_outer = _reliability(model, S, w, loadings, members)
    htmt, htmt_flag = _htmt(S, members, lvs)
    fornell_larcker = {
        lvs[a]: {lvs[b]: float(np.sqrt(estimate.ave[lvs[a]]) if a == b else phi[a, b]) for b in range(L)}
        for a in range(L)
    }
    r2_adjusted, f2, vif_inner = _structural(model, estimate, phi, n)

    reach = _reach(model.pred)
    P = np.zeros((L, L))
    for (a, b), v in estimate.paths.items():
        P[lvs.index(a), lvs.index(b)] = v
    T = _total(P)
    total_effects = {(lvs[a], lvs[b]): float(T[a, b]) for a in range(L) for b in range(L) if reach[a, b]}

    ipma_target, importance, performance = None, {}, {}
    if scale is not None:
        ipma_target, importance, performance = _ipma(model, estimate, S, w, sds, scale, target, reach)

    boot = None
    if samples:
        boot = _bootstrap(z, model, scheme, tol, max_iter, samples, seed, w, estimate, total_effects, n, level)
    return PLSAssessment(
        n=n, rho_c=rho_c, rho_a=rho_a, htmt=htmt, htmt_flag=htmt_flag, fornell_larcker=fornell_larcker,
        vif_outer=vif_outer, r2_adjusted=r2_adjusted, f2=f2, vif_inner=vif_inner, total_effects=total_effects,
        ipma_target=ipma_target, ipma_importance=importance, ipma_performance=performance, bootstrap=boot,
    )


def _reliability(
    model: pls._Model, S: np.ndarray, w: np.ndarray, loadings: np.ndarray, members: list[np.ndarray]
) -> tuple[dict[str, float], dict[str, float], dict[str, float | None]]:
    """Per block ``rho_c`` and ``rho_a``, and per item its outer VIF."""
    lvs, items = model.lvs, model.items
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
    return rho_c, rho_a, vif_outer


def _htmt(
    S: np.ndarray, members: list[np.ndarray], lvs: tuple[str, ...]
) -> tuple[dict[Path, float | None], dict[Path, float | None]]:
    """HTMT of every pair of blocks and the threshold it exceeds (None: none)."""
    L = len(lvs)
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
    return htmt, htmt_flag


def _structural(
    model: pls._Model, estimate: PLSResult, phi: np.ndarray, n: int
) -> tuple[dict[str, float | None], dict[Path, float | None], dict[Path, float]]:
    """Adjusted R² of every endogenous LV, f² and inner VIF of every path."""
    lvs = model.lvs
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
    return r2_adjusted, f2, vif_inner


def _ipma(
    model: pls._Model, estimate: PLSResult, S: np.ndarray, w: np.ndarray, sds: np.ndarray,
    scale: dict[str, tuple[float, float]], target: str | None, reach: np.ndarray,
) -> tuple[str, dict[str, float], dict[str, float]]:
    """The importance-performance map on ``target`` (default the last endogenous LV)."""
    lvs, items, L = model.lvs, model.items, len(model.lvs)
    importance: dict[str, float] = {}
    performance: dict[str, float] = {}
    endogenous = [k for k in range(L) if model.pred[k].any()]
    t_k = endogenous[-1] if target is None else lvs.index(target)
    assert model.pred[t_k].any(), f"IPMA target {lvs[t_k]!r} is not an endogenous latent variable"
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
    return lvs[t_k], importance, performance
