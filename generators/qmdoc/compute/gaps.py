"""Service-quality gaps: perception against expectation, per item and per dimension (pure).

An item asks two ratings on the same scale: what the respondent expects
(expectation) and what they got (perception). Definitions:

* Scores are on 0–100, as every survey score: ``(x - min) / (max - min) * 100``
  (see :mod:`qmdoc.compute.survey`). An answer is valid when it is a number
  inside the item's scale; blanks (NaN) and the not-applicable codes are
  missing; any other out-of-scale value raises ``ValueError`` (the loader
  rejects them first; this is a guard).
* Item: ``n`` = respondents valid on both ratings (a *pair*). ``expectation``
  and ``perception`` are the mean 0–100 scores over those ``n`` respondents
  (so ``perception - expectation`` is exactly ``gap``; the perception score
  can differ from the item's satisfaction score, which takes every valid
  perception answer). ``gap`` = mean of the respondents' differences
  ``perception - expectation`` in 0–100 points, ``sd`` their sample standard
  deviation (ddof=1), ``ci`` the paired t-interval ``gap -/+ t(n-1) * sd /
  sqrt(n)`` and ``p`` the two-sided paired t-test of ``gap = 0`` (scipy's
  ``ttest_rel``); ``share_short`` = share (0..1) of the ``n`` whose perception
  is below their expectation, with its Wilson interval.
* Dimension: a respondent's dimension expectation (perception) is the plain
  mean of their 0–100 expectation (perception) scores over the dimension's
  items on which they gave a valid pair; their dimension gap is the mean of
  their paired item gaps, which is the same number as the difference of those
  two means. ``n`` = respondents with at least one valid pair in the
  dimension; every dimension figure is then the item rule above applied to
  the respondents' dimension values (``share_short``: the dimension gap is
  below 0). Item weights play no part.
* Weighted samples (``weights``: one positive weight per respondent, the
  survey's weights of the wave, see :mod:`qmdoc.compute.weighting`): every
  figure above is weighted exactly as a weighted item is, over the same
  ``n`` pairs (``n`` stays the unweighted count). ``expectation``,
  ``perception`` and ``gap`` are the weighted means ``sum w x / sum w`` of the
  pairs' expectation, perception and difference (a dimension: of the
  respondents' dimension values, built as above); ``se`` is the
  linearization standard error of the weighted mean difference, ``se^2 = n /
  (n - 1) * sum w_i^2 (d_i - gap)^2 / (sum w)^2``; ``ci`` the t interval
  ``gap -/+ t(n - 1) * se`` and ``p`` two-sided from ``t = gap / se`` on
  ``n - 1`` degrees of freedom; ``sd`` the weighted standard deviation
  ``sqrt(n / (n - 1) * sum w (d - gap)^2 / sum w)``; ``share_short`` the
  weighted share of the pairs falling short, with Wilson's interval at the
  Kish effective n of the pairs (:func:`~qmdoc.compute.weighting.weighted_share`,
  as the weighted top-2-box). Unweighted, ``se`` is None. With all weights
  equal, ``se = sd / sqrt(n)`` exactly (the ratio estimator's ``n / (n - 1)``
  turns the ``1/n`` of the spread into the ``1/(n - 1)`` of the sample SD), so
  every weighted figure equals the unweighted one up to rounding.
* Ranking: ids ordered by gap, most negative (largest shortfall) first; ties
  by the order of declaration; ids without a gap are left out.
* Change of a gap between two waves (independent samples): ``delta = to -
  from``, Welch's t-test on the two waves' (gap, sd, n) with
  :func:`~qmdoc.compute.stats.welch_t_test`, ``ci`` the Welch interval
  ``delta -/+ t(df) * sqrt(sd1^2/n1 + sd2^2/n2)``, ``significant = p <
  alpha``. ``direction``: ``widened`` when ``|to| > |from|``, ``narrowed``
  when ``|to| < |from|``, ``unchanged`` when equal. A gap missing in either
  wave gives no change; an undefined test (a wave with fewer than 2 pairs,
  both spreads 0) gives ``p``/``ci`` None and not significant. Weighted
  waves: Welch's test on the linearization se, i.e. on ``sd = se * sqrt(n)``
  (so the variance of a wave's gap is ``se^2``), as the changes of weighted
  items.

Figures that cannot be computed are ``None``, never NaN.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import stats
from .weighting import weighted_mean, weighted_share


__all__ = ["GapFigures", "GapSet", "GapChange", "compute_gaps", "rank_gaps", "gap_changes", "gaps_as_json"]

Interval = tuple[float, float]


def _scores(values: pd.Series, lo: float, hi: float, na_codes: np.ndarray, where: str) -> np.ndarray:
    """0–100 scores of one column, NaN where missing (see the module docstring)."""
    x = pd.to_numeric(values, errors="raise").to_numpy(dtype=np.float64)
    finite = np.isfinite(x)
    inside = finite & (x >= lo) & (x <= hi)
    na = finite & ~inside & np.isin(x, na_codes)
    bad = finite & ~inside & ~na
    if bad.any():
        value = x[bad][0]
        raise ValueError(f"{where}: value {value:g} is outside the scale {lo:g}..{hi:g} and no not-applicable code")
    return np.where(inside, (x - lo) / (hi - lo) * 100.0, np.nan)


@dataclass(frozen=True)
class GapFigures:
    """The gap of one item or dimension: 0–100 expectation and perception over the ``n``
    respondents valid on both, ``gap = perception - expectation`` with its paired spread
    ``sd``, t-interval ``ci`` and p, and the share (0..1) of those respondents falling short;
    weighted samples: every figure but ``n`` weighted, and ``se`` the gap's linearization
    standard error (None unweighted)."""

    id: str
    n: int
    expectation: float | None
    perception: float | None
    gap: float | None
    sd: float | None
    ci: Interval | None
    p: float | None
    share_short: float | None
    share_short_ci: Interval | None
    se: float | None = None


def _paired(gid: str, e: np.ndarray, p: np.ndarray, confidence: float,
            w: np.ndarray | None = None) -> GapFigures:
    """Gap figures of paired 0–100 values (NaN where the pair is incomplete), weighted by ``w``
    (one weight per row) when given."""
    both = np.isfinite(e) & np.isfinite(p)
    n = int(np.count_nonzero(both))
    if n == 0:
        return GapFigures(gid, 0, None, None, None, None, None, None, None, None)
    ev, pv = e[both], p[both]
    if w is not None:
        return _weighted_paired(gid, ev, pv, w[both], confidence)
    d = pv - ev
    gap = float(d.mean())
    sd = float(d.std(ddof=1)) if n >= 2 else None
    pvalue = None
    if sd is not None and sd > 0.0:
        t = gap / (sd / math.sqrt(n))
        pvalue = stats.t_p(t, n - 1)
    short = int(np.count_nonzero(d < 0.0))
    return GapFigures(
        id=gid,
        n=n,
        expectation=float(ev.mean()),
        perception=float(pv.mean()),
        gap=gap,
        sd=sd,
        ci=stats.t_interval(gap, sd, n, confidence),
        p=pvalue,
        share_short=short / n,
        share_short_ci=stats.wilson_interval(short, n, confidence),
    )


def _weighted_paired(gid: str, ev: np.ndarray, pv: np.ndarray, w: np.ndarray, confidence: float) -> GapFigures:
    """Weighted gap figures of the ``n`` complete pairs (see the module docstring)."""
    n = ev.size
    d = pv - ev
    total = float(w.sum())
    mean = weighted_mean(d, w, confidence)  # n >= 1 valid differences, so a mean
    gap, se = float(mean.mean or 0.0), mean.se
    sd = math.sqrt(n / (n - 1) * float(w @ ((d - gap) ** 2)) / total) if n >= 2 else None
    pvalue = None
    if se is not None and se > 0.0:
        pvalue = stats.t_p(gap / se, n - 1)
    short = weighted_share((d < 0.0).astype(np.float64), w, confidence)
    return GapFigures(
        id=gid,
        n=n,
        expectation=float(w @ ev) / total,
        perception=float(w @ pv) / total,
        gap=gap,
        sd=sd,
        ci=mean.ci,
        p=pvalue,
        share_short=short.share,
        share_short_ci=short.ci,
        se=se,
    )


@dataclass(frozen=True)
class GapSet:
    """The gaps of one wave: per item and per dimension (in declaration order), and the
    ids of each ranked by gap, largest shortfall first."""

    items: dict[str, GapFigures]
    dimensions: dict[str, GapFigures]
    ranked_items: tuple[str, ...]
    ranked_dimensions: tuple[str, ...]


def compute_gaps(
    expectation: pd.DataFrame,
    perception: pd.DataFrame,
    scales: Mapping[str, tuple[float, float]],
    dimensions: Mapping[str, Sequence[str]],
    *,
    not_applicable: Sequence[float] = (),
    confidence: float = 0.95,
    weights: np.ndarray | None = None,
) -> GapSet:
    """The gaps of one wave (see the module docstring).

    ``expectation`` and ``perception`` hold one row per respondent (the same rows
    in the same order) and one column per item id; ``scales`` gives each item's
    ``(min, max)``; ``dimensions`` maps a dimension id to its item ids;
    ``weights``: one positive weight per row (weighted samples), or None.
    """
    if len(expectation) != len(perception):
        raise ValueError(
            f"expected one expectation and one perception row per respondent, "
            f"got {len(expectation)} and {len(perception)} rows"
        )
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    if w is not None and w.shape != (len(expectation),):
        raise ValueError(f"expected one weight per respondent ({len(expectation)}), got shape {w.shape}")
    na = np.array(sorted(set(not_applicable)), dtype=np.float64)
    E: dict[str, np.ndarray] = {}
    P: dict[str, np.ndarray] = {}
    for iid, (lo, hi) in scales.items():
        for frame, out, what in ((expectation, E, "expectation"), (perception, P, "perception")):
            if iid not in frame.columns:
                raise ValueError(f"item {iid}: the {what} ratings lack the column {iid!r}")
            out[iid] = _scores(frame[iid], float(lo), float(hi), na, f"item {iid} ({what})")
    items = {iid: _paired(iid, E[iid], P[iid], confidence, w) for iid in scales}
    dims: dict[str, GapFigures] = {}
    for did, ids in dimensions.items():
        unknown = [i for i in ids if i not in scales]
        if unknown:
            raise ValueError(f"dimension {did}: item {unknown[0]!r} has no scale")
        dims[did] = _dimension(did, [E[i] for i in ids], [P[i] for i in ids], len(expectation), confidence, w)
    return GapSet(items, dims, rank_gaps(items), rank_gaps(dims))


def _dimension(did: str, e: list[np.ndarray], p: list[np.ndarray], rows: int, confidence: float,
               w: np.ndarray | None) -> GapFigures:
    """A dimension's gap figures on the respondents' dimension means over their valid pairs."""
    if not e:
        return _paired(did, np.full(rows, np.nan), np.full(rows, np.nan), confidence, w)
    Em, Pm = np.column_stack(e), np.column_stack(p)
    pair = np.isfinite(Em) & np.isfinite(Pm)
    count = pair.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        re = np.where(count > 0, np.where(pair, Em, 0.0).sum(axis=1) / count, np.nan)
        rp = np.where(count > 0, np.where(pair, Pm, 0.0).sum(axis=1) / count, np.nan)
    return _paired(did, re, rp, confidence, w)


def rank_gaps(figures: Mapping[str, GapFigures]) -> tuple[str, ...]:
    """Ids by gap, most negative first; ties keep the order of ``figures``; no gap: left out."""
    have = [(f.gap, k, gid) for k, (gid, f) in enumerate(figures.items()) if f.gap is not None]
    return tuple(gid for _, _, gid in sorted(have))


@dataclass(frozen=True)
class GapChange:
    """Change of one gap between two waves (``delta = to - from``, 0–100 points), Welch's
    test on the waves' gap summaries; ``kind`` is ``item`` or ``dimension``."""

    kind: str
    id: str
    from_wave: str
    to_wave: str
    delta: float
    ci: Interval | None
    p: float | None
    significant: bool
    direction: str  # widened | narrowed | unchanged


def _spread(f: GapFigures) -> float | None:
    """The sd Welch's test takes for a gap: ``sd`` unweighted, ``se * sqrt(n)`` weighted."""
    return f.sd if f.se is None else f.se * math.sqrt(f.n)


def _change(kind: str, a: GapFigures, b: GapFigures, waves: tuple[str, str], alpha: float,
            confidence: float) -> GapChange:
    delta = float(b.gap - a.gap)
    sa, sb = _spread(a), _spread(b)
    test = stats.welch_t_test(a.gap, sa, a.n, b.gap, sb, b.n)
    p = ci = None
    if test is not None and math.isfinite(test[2]):
        _, df, p = test
        se = math.sqrt(sa * sa / a.n + sb * sb / b.n)
        half = stats.t_quantile(confidence, df) * se
        ci = (delta - half, delta + half)
    if abs(b.gap) > abs(a.gap):
        direction = "widened"
    elif abs(b.gap) < abs(a.gap):
        direction = "narrowed"
    else:
        direction = "unchanged"
    return GapChange(kind, a.id, waves[0], waves[1], delta, ci, p, p is not None and p < alpha, direction)


def gap_changes(
    from_wave: str, a: GapSet, to_wave: str, b: GapSet, *, alpha: float = 0.05, confidence: float = 0.95
) -> tuple[GapChange, ...]:
    """Changes of every item and dimension gap present in both waves: items, then dimensions,
    each in the order of ``b`` (see the module docstring)."""
    out: list[GapChange] = []
    for kind, fa, fb in (("item", a.items, b.items), ("dimension", a.dimensions, b.dimensions)):
        for gid, gb in fb.items():
            ga = fa.get(gid)
            if ga is None or ga.gap is None or gb.gap is None:
                continue
            out.append(_change(kind, ga, gb, (from_wave, to_wave), alpha, confidence))
    return tuple(out)


def _interval(ci: Interval | None) -> list[float] | None:
    return None if ci is None else [float(ci[0]), float(ci[1])]


def _figures_json(f: GapFigures) -> dict:
    return {"n": f.n, "expectation": f.expectation, "perception": f.perception, "gap": f.gap,
            "ci": _interval(f.ci), "share_short": f.share_short}


def gaps_as_json(gaps: GapSet) -> dict:
    """A wave's ``"gaps"`` JSON: ``{"items": {id: {"n", "expectation", "perception", "gap", "ci",
    "share_short"}}, "dimensions": {id: {...}}, "ranked": {"items": [...], "dimensions": [...]}}``."""
    return {
        "items": {k: _figures_json(f) for k, f in gaps.items.items()},
        "dimensions": {k: _figures_json(f) for k, f in gaps.dimensions.items()},
        "ranked": {"items": list(gaps.ranked_items), "dimensions": list(gaps.ranked_dimensions)},
    }
