"""Small, pure statistical functions used by the survey figures.

Every function takes plain numbers (or 1-D arrays) and returns plain Python
floats, tuples of floats or ``None``. ``None`` means "cannot be computed from
this input" (no answers, a single answer where a spread is needed, a zero
standard error, ...); a function never returns NaN.

All intervals are two-sided at ``confidence`` (95 % by default). Quantiles and
p-values come from :mod:`scipy.special` (the functions :mod:`scipy.stats` itself
uses for the normal and t distributions; importing it is several times faster).
"""

from __future__ import annotations

import math
from functools import lru_cache
from types import ModuleType

import numpy as np


def _special() -> ModuleType:
    """:mod:`scipy.special`, imported at the first p-value or quantile (not with this module)."""
    from scipy import special

    return special


__all__ = [
    "z_value",
    "normal_interval",
    "normal_p",
    "t_interval",
    "t_quantile",
    "t_p",
    "wilson_interval",
    "welch_t_test",
    "two_proportion_z_test",
    "difference_z_test",
    "net_promoter_score",
    "margin_of_error",
    "pearson_r",
]

Interval = tuple[float, float]


def _finite(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


@lru_cache(maxsize=64)
def z_value(confidence: float = 0.95) -> float:
    """Standard normal quantile for a two-sided interval: ``norm.ppf(1 - (1 - confidence) / 2)``."""
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"expected a confidence between 0 and 1, got {confidence!r}")
    return float(_special().ndtri(1.0 - (1.0 - confidence) / 2.0))


def normal_interval(value: float | None, se: float | None, confidence: float = 0.95) -> Interval | None:
    """``value -/+ z * se``; ``None`` when either is missing."""
    if value is None or se is None:
        return None
    z = z_value(confidence)
    return (float(value - z * se), float(value + z * se))


def normal_p(z: float) -> float:
    """Two-sided p-value of a standard normal statistic."""
    return float(2.0 * _special().ndtr(-abs(z)))


@lru_cache(maxsize=4096)
def t_quantile(confidence: float, df: float) -> float:
    """The two-sided Student t quantile of ``confidence`` with ``df`` degrees of freedom."""
    return float(_special().stdtrit(df, 1.0 - (1.0 - confidence) / 2.0))


def t_p(t: float, df: float) -> float:
    """Two-sided p-value of a Student t statistic with ``df`` degrees of freedom."""
    return float(2.0 * _special().stdtr(df, -abs(t)))


def t_interval(mean: float, sd: float | None, n: int, confidence: float = 0.95) -> Interval | None:
    """Student t interval for a mean: ``mean -/+ t(n-1) * sd / sqrt(n)``.

    ``sd`` is the sample standard deviation (ddof=1). ``None`` when ``n < 2``.
    """
    if n < 2 or sd is None:
        return None
    t = t_quantile(confidence, n - 1)
    half = t * sd / math.sqrt(n)
    return (float(mean - half), float(mean + half))


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> Interval | None:
    """Wilson score interval for a proportion ``successes / n``; ``None`` when ``n == 0``."""
    if n <= 0:
        return None
    z = z_value(confidence)
    p = successes / n
    z2 = z * z
    denom = 1.0 + z2 / n
    center = (p + z2 / (2.0 * n)) / denom
    half = z * math.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denom
    return (float(center - half), float(center + half))


def welch_t_test(
    mean1: float, sd1: float | None, n1: int, mean2: float, sd2: float | None, n2: int
) -> tuple[float, float, float] | None:
    """Welch's unequal-variance t-test from summary statistics.

    Returns ``(t, df, p)`` for ``mean2 - mean1`` (two-sided p; Welch-Satterthwaite
    degrees of freedom), or ``None`` when a group has fewer than 2 answers or
    both variances are zero.
    """
    if n1 < 2 or n2 < 2 or sd1 is None or sd2 is None:
        return None
    v1 = sd1 * sd1 / n1
    v2 = sd2 * sd2 / n2
    se2 = v1 + v2
    if not se2 > 0.0:
        return None
    t = (mean2 - mean1) / math.sqrt(se2)
    df = se2 * se2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    p = t_p(t, df)
    return (float(t), float(df), p)


def two_proportion_z_test(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float] | None:
    """Two-proportion z-test with the pooled proportion, for ``x2/n2 - x1/n1``.

    Returns ``(z, p)`` (two-sided), or ``None`` when a group is empty or the
    pooled proportion is 0 or 1 (zero standard error).
    """
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2))
    if not se > 0.0:
        return None
    z = (x2 / n2 - x1 / n1) / se
    return (float(z), normal_p(z))


def difference_z_test(delta: float, se1: float | None, se2: float | None) -> tuple[float, float] | None:
    """z-test of a difference of two independent estimates: ``z = delta / sqrt(se1^2 + se2^2)``.

    Returns ``(z, p)`` (two-sided) or ``None`` when a standard error is missing
    or both are zero.
    """
    if se1 is None or se2 is None:
        return None
    se = math.sqrt(se1 * se1 + se2 * se2)
    if not se > 0.0:
        return None
    z = delta / se
    return (float(z), normal_p(z))


def net_promoter_score(promoters: int, passives: int, detractors: int) -> tuple[float, float] | None:
    """Net promoter score and its standard error, from counts of answers.

    ``value = 100 * (pP - pD)``, ``se = 100 * sqrt((pP + pD - (pP - pD)^2) / n)``
    with ``n = promoters + passives + detractors``. ``None`` when ``n == 0``.
    """
    n = promoters + passives + detractors
    if n <= 0:
        return None
    pp = promoters / n
    pd_ = detractors / n
    diff = pp - pd_
    var = max(pp + pd_ - diff * diff, 0.0)  # never negative; guards rounding
    return (float(100.0 * diff), float(100.0 * math.sqrt(var / n)))


def margin_of_error(n: int, population: int | None = None, confidence: float = 0.95) -> float | None:
    """Margin of error, in percentage points, of a proportion at p = 0.5.

    ``100 * z * sqrt(0.25 / n)``, times the finite population correction
    ``sqrt((N - n) / (N - 1))`` when the population size ``N`` is given. A
    census (``n >= N``) has a margin of 0. ``None`` when ``n == 0``.
    """
    if n <= 0:
        return None
    moe = 100.0 * z_value(confidence) * math.sqrt(0.25 / n)
    if population is not None:
        if n >= population:
            return 0.0
        moe *= math.sqrt((population - n) / (population - 1))
    return float(moe)


def pearson_r(x, y) -> float | None:
    """Pearson correlation of two equally long 1-D arrays (no missing values).

    ``None`` when fewer than 2 pairs or when either variable is constant.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"expected two 1-D arrays of the same length, got shapes {x.shape} and {y.shape}")
    if x.size < 2:
        return None
    dx = x - x.mean()
    dy = y - y.mean()
    sxx = float(dx @ dx)
    syy = float(dy @ dy)
    if not (sxx > 0.0 and syy > 0.0):
        return None
    r = float(dx @ dy) / math.sqrt(sxx * syy)
    return _finite(max(-1.0, min(1.0, r)))
