"""Case resampling shared by the key drivers and the structural model: correlation matrices of
bootstrap resamples, many at once.

``samples`` resamples of the ``n`` cases, drawn with replacement as one ``samples × n`` index
matrix from ``numpy.random.Generator(PCG64(seed))``: row ``b`` holds the cases of resample ``b``.
The matrix is drawn in blocks of rows, which continue the same stream, so the draws do not depend
on the block size and equal ``Generator(PCG64(seed)).integers(0, n, size=(samples, n))``. The
correlation matrix of a resample comes from its counts (how often each case is drawn) and the
cases' first and second moments: one matrix product per block, no per-resample Python loop.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

__all__ = ["resample_correlations"]

#: Variance (in units of the full sample's) at or below which a resample's variable counts as constant.
CONSTANT = 1e-12
#: Entries of the per-block index matrix (bounds the memory used).
_BLOCK = 1 << 21


def resample_correlations(Z: np.ndarray, samples: int, seed: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Per block of resamples: their correlation matrices (b × p × p) and whether each is defined.

    ``Z`` (n × p) holds the cases standardized (mean 0, variance 1 with divisor n), so that the
    moments are free of cancellation. A resample in which a variable is constant (variance at or
    below :data:`CONSTANT`) is not defined; its matrix holds finite values that mean nothing.
    Population moments (divisor n), as for the full sample.
    """
    n, p = Z.shape
    iu, ju = np.triu_indices(p)
    moments = np.concatenate([Z, Z[:, iu] * Z[:, ju]], axis=1)  # first and second moments of each case
    rng = np.random.Generator(np.random.PCG64(seed))
    block = max(1, min(samples, _BLOCK // n))
    d = np.arange(p)
    for start in range(0, samples, block):
        b = min(block, samples - start)
        idx = rng.integers(0, n, size=(b, n))
        counts = np.bincount((idx + (n * np.arange(b))[:, None]).ravel(), minlength=b * n).reshape(b, n)
        # moments.T @ counts.T, not counts @ moments: OpenBLAS runs the latter (a long inner
        # dimension against a thin matrix) a hundred times slower
        m = (moments.T @ counts.T.astype(np.float64)).T / n
        mean = m[:, :p]
        cov = m[:, p:] - mean[:, iu] * mean[:, ju]
        C = np.empty((b, p, p))
        C[:, iu, ju] = cov
        C[:, ju, iu] = cov
        var = C[:, d, d]
        ok = (var > CONSTANT).all(axis=1)
        sd = np.sqrt(np.where(var > CONSTANT, var, 1.0))
        R = C / sd[:, :, None] / sd[:, None, :]
        R[:, d, d] = 1.0
        yield R, ok
