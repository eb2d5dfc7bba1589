"""Key-driver analysis: Johnson's relative weights of the dimensions on the overall item.

Johnson (2000, Multivariate Behavioral Research 35, 1–19). With ``R_xx`` the
correlation matrix of the ``D`` predictors (the respondents' dimension scores)
and ``r_xy`` their correlations with the criterion (the overall item):

1. ``Λ = V diag(sqrt(λ)) V'``, the symmetric square root of ``R_xx`` from its
   eigendecomposition ``R_xx = V diag(λ) V'``. ``Λ`` holds the correlations of
   the predictors with their orthogonal counterparts ``Z = X R_xx^-1/2`` (the
   uncorrelated variables closest to the predictors in the least-squares sense).
2. ``β = R_zz^-1 r_zy = Λ^-1 r_xy``: the standardized regression weights of the
   criterion on ``Z`` (``R_zz = I``).
3. Raw weights ``ε_j = Σ_k λ_jk² β_k²``; they sum to ``R²``, the coefficient
   of determination of the OLS regression of the criterion on all predictors.
   ``share_j = ε_j / R²`` (sums to 1).

Bootstrap: ``B`` resamples of the complete cases, drawn with replacement as one
``B × n`` index matrix from ``numpy.random.Generator(PCG64(seed))``, their
correlation matrices computed many at once
(:func:`~qmdoc.compute.bootstrap.resample_correlations`) and the weights of
all resamples of a block from one batched eigendecomposition. A resample in which a variable is constant or
``R_xx`` is singular (or ``R² = 0``) has no weights and is left out
(``resamples`` counts those used). Intervals are percentile intervals: the
2.5 % and 97.5 % quantiles (linear interpolation, R's type 7) of the resamples'
``ε_j`` (``ci``) and ``ε_j / R²`` (``share_ci``).

The module is pure: no I/O, no formatting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .bootstrap import resample_correlations

__all__ = ["DriverFigures", "DriversNotEstimable", "estimate_drivers", "relative_weights"]

Interval = tuple[float, float]

#: Eigenvalue of ``R_xx`` at or below which the predictors count as collinear.
SINGULAR = 1e-10


class DriversNotEstimable(ValueError):
    """The complete cases do not allow relative weights: ``reason`` is ``too_few_rows`` (``n``
    complete cases, ``required`` needed: dimensions + 2), ``constant`` (``variable``, a dimension
    or ``overall``, takes one value), ``singular`` (the dimension scores are collinear) or
    ``no_association`` (``R² = 0``: no share is defined)."""

    def __init__(self, message: str, reason: str, **detail: object):
        super().__init__(message)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class DriverFigures:
    """Relative weights of the dimensions as drivers of overall satisfaction.

    Attributes:
        method: ``"relative_weights"`` (Johnson 2000).
        n: complete cases: respondents with a score on every dimension and a
            valid overall answer.
        r2: ``R²`` of the OLS regression of overall on all dimension scores
            (equals the sum of ``raw``).
        raw: dimension -> raw relative weight ``ε_j`` (its part of ``R²``).
        share: dimension -> ``ε_j / R²`` (sums to 1): the index weight under
            ``importance: drivers``.
        ci: dimension -> percentile 95 % bootstrap interval of ``ε_j``; empty
            when the bootstrap is off or no resample has weights.
        share_ci: dimension -> percentile 95 % bootstrap interval of
            ``ε_j / R²``; empty likewise.
        bootstrap: resamples drawn (0: no intervals).
        seed: seed of the resampling.
        resamples: resamples that had weights and enter the intervals.
    """

    method: str
    n: int
    r2: float
    raw: dict[str, float]
    share: dict[str, float]
    ci: dict[str, Interval]
    share_ci: dict[str, Interval]
    bootstrap: int
    seed: int
    resamples: int


def estimate_drivers(
    scores: np.ndarray,
    overall: np.ndarray,
    names: Sequence[str],
    *,
    bootstrap: int = 2000,
    seed: int = 1,
    level: float = 0.95,
) -> DriverFigures:
    """Relative weights of ``scores`` (n × D, NaN = no score) on ``overall`` (n, NaN = no valid answer).

    Complete cases only: a row enters when it has every dimension score and an
    overall answer (the rows ``derived`` importance uses for each dimension
    separately, here for all dimensions jointly, as a joint regression needs).

    Raises:
        DriversNotEstimable: fewer than D + 2 complete cases, a constant
            variable, collinear dimension scores or ``R² = 0``.
    """
    X = np.asarray(scores, dtype=np.float64)
    y = np.asarray(overall, dtype=np.float64)
    assert X.ndim == 2 and y.shape == (X.shape[0],) and X.shape[1] == len(names) >= 1
    assert bootstrap >= 0 and 0 < level < 1
    D = X.shape[1]
    data = np.column_stack([X, y])
    data = data[np.isfinite(data).all(axis=1)]
    n = data.shape[0]
    if n < D + 2:
        raise DriversNotEstimable(
            f"only {n} respondents have every dimension score and an overall answer; at least {D + 2} are required",
            "too_few_rows", n=n, required=D + 2,
        )
    centred = data - data.mean(axis=0)
    sd = np.sqrt((centred**2).mean(axis=0))
    flat = ~(sd > 0)
    if flat.any():
        j = int(np.argmax(flat))
        variable = "overall" if j == D else names[j]
        raise DriversNotEstimable(
            f"{variable} takes one value in the {n} complete cases", "constant", variable=variable, n=n
        )
    Z = centred / sd
    R = (Z.T @ Z) / n
    np.fill_diagonal(R, 1.0)
    r2, eps, ok = relative_weights(R[None])
    if not ok[0]:
        if np.linalg.eigvalsh(R[:D, :D]).min() <= SINGULAR:
            raise DriversNotEstimable("the dimension scores are collinear", "singular", n=n)
        raise DriversNotEstimable("overall is uncorrelated with the dimension scores (R² = 0)", "no_association", n=n)
    raw = eps[0]
    total = float(r2[0])

    ci: dict[str, Interval] = {}
    share_ci: dict[str, Interval] = {}
    used = 0
    if bootstrap:
        boot = _bootstrap(Z, bootstrap, seed)
        used = boot.shape[0]
        if used:
            q = [(1 - level) / 2, (1 + level) / 2]
            lo_hi = np.quantile(boot, q, axis=0)
            lo_hi_share = np.quantile(boot / boot.sum(axis=1, keepdims=True), q, axis=0)
            ci = {name: (float(lo_hi[0, j]), float(lo_hi[1, j])) for j, name in enumerate(names)}
            share_ci = {name: (float(lo_hi_share[0, j]), float(lo_hi_share[1, j])) for j, name in enumerate(names)}
    return DriverFigures(
        method="relative_weights",
        n=n,
        r2=total,
        raw={name: float(raw[j]) for j, name in enumerate(names)},
        share={name: float(raw[j] / total) for j, name in enumerate(names)},
        ci=ci,
        share_ci=share_ci,
        bootstrap=bootstrap,
        seed=seed,
        resamples=used,
    )


def relative_weights(R: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Relative weights of a batch of correlation matrices ``R`` (b × (D+1) × (D+1), the criterion last).

    Returns ``(r2, eps, ok)``: ``R²`` (b,), raw weights ``ε`` (b × D) and whether
    they are defined (``R_xx`` not singular, ``R² > 0``); where not, the values are
    NaN.
    """
    D = R.shape[-1] - 1
    Rxx, rxy = R[:, :D, :D], R[:, :D, D]
    vals, vecs = np.linalg.eigh(Rxx)
    ok = vals.min(axis=1) > SINGULAR
    root = np.sqrt(np.where(ok[:, None], vals, 1.0))
    lam = (vecs * root[:, None, :]) @ vecs.transpose(0, 2, 1)  # Λ = V diag(√λ) V'
    # β = Λ^-1 r_xy = V diag(1/√λ) V' r_xy
    beta = np.einsum("bjk,bk->bj", vecs, np.einsum("bkj,bk->bj", vecs, rxy) / root)
    eps = np.einsum("bjk,bk->bj", lam**2, beta**2)
    r2 = eps.sum(axis=1)
    ok &= r2 > 0
    eps[~ok] = np.nan
    r2[~ok] = np.nan
    return r2, eps, ok


def _bootstrap(Z: np.ndarray, samples: int, seed: int) -> np.ndarray:
    """Raw weights of every resample that has them (resamples × D), see the module docstring."""
    out = [eps[ok & defined] for R, ok in resample_correlations(Z, samples, seed)
           for _, eps, defined in [relative_weights(R)]]
    return np.concatenate(out, axis=0)
