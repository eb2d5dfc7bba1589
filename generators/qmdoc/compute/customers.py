"""Behavioural loyalty from the customer list: who stayed, who left, who is new (pure).

Definitions:

* Periods are calendar years (``2024``), quarters (``2024-Q1``) or months
  (``2024-01``), the ``frequency`` parameter. The periods run without a gap
  from the first to the last period in the list (a period nobody was active
  in is a period with 0 active customers).
* Activity comes in one of two forms. *Rows*: one row per customer and
  activity (an order, or one row per customer and period); a customer is
  active in the period of any of their rows' dates, and their revenue in a
  period is the sum of their rows' revenue there (a blank revenue counts 0).
  *Spans*: first and last order dates per customer; a customer is active in
  every period from the one of the first order to the one of the last (a
  customer on several rows is active in the union of the spans).
* A customer's segment level (per segment column) is the value on their row
  with the latest date (rows form: the activity date; spans form: the last
  order; ties: the later row in the list). A blank level counts the customer
  in the totals only.
* Per period and group of customers (all, or one segment level):
  ``active``; ``retained`` = active in the previous period and this one;
  ``churned`` = active in the previous period - ``retained``; ``new`` =
  active for the first time (in no earlier period of the list);
  ``returning`` = active now, not in the previous period but in an earlier
  one (so ``active = retained + new + returning``); ``retention_rate`` =
  ``100 * retained / active in the previous period`` (percent) and
  ``churn_rate = 100 - retention_rate``; with revenue, ``revenue`` in the
  period and ``revenue_retention`` = ``100 *`` this period's revenue of the
  customers active in the previous period ``/`` the previous period's
  revenue. The first period has no previous one: ``retained``, ``churned``,
  ``new``, ``returning`` and the rates are None (the list does not say who
  was a customer before it starts); so are the rates (and revenue
  retention) when the previous period had no active customer (no revenue).
* Small cells: a segment level's period is suppressed (every count and rate
  None) when fewer than ``min_cell_n`` of the level's customers are active in
  it or in the previous period. The totals are never suppressed. So that
  the totals minus the shown levels never give one level's figures, when
  exactly one level of a segment column is suppressed in a period, the shown
  level with the fewest active customers there (ties: by name) is suppressed
  with it.
* Objective metrics (the latest period of the totals): ``customers.retention_rate``,
  ``customers.churn_rate`` (percent) and ``customers.lost`` (the churned count).

Customer ids are turned into codes when the activity is built and appear in
no result. Figures that cannot be computed are ``None``, never NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "FREQUENCIES",
    "METRICS",
    "Activity",
    "PeriodFigures",
    "CustomerFigures",
    "activity_from_rows",
    "activity_from_spans",
    "compute_retention",
    "metric_series",
    "latest_metrics",
]

Frequency = Literal["year", "quarter", "month"]
FREQUENCIES: tuple[str, ...] = ("year", "quarter", "month")
#: The objective metrics this module fills, without the ``customers.`` prefix.
METRICS: tuple[str, ...] = ("retention_rate", "churn_rate", "lost")

_FREQ = {"year": "Y", "quarter": "Q", "month": "M"}


def _label(period: pd.Period, frequency: str) -> str:
    if frequency == "year":
        return f"{period.year}"
    if frequency == "quarter":
        return f"{period.year}-Q{period.quarter}"
    return f"{period.year}-{period.month:02d}"


def _ordinals(dates: pd.Series, frequency: str, what: str) -> np.ndarray:
    if frequency not in _FREQ:
        raise ValueError(f"expected a period of {', '.join(FREQUENCIES)}, got {frequency!r}")
    d = pd.to_datetime(dates)
    if d.isna().any():
        raise ValueError(f"customer list: row {int(np.flatnonzero(d.isna().to_numpy())[0]) + 1} has no {what}")
    return pd.PeriodIndex(d, freq=_FREQ[frequency]).asi8.astype(np.int64)


@dataclass(frozen=True, eq=False)  # arrays: compared by identity
class Activity:
    """Who was active when, customers as row codes (no ids): ``active`` and ``revenue`` are
    (customers, periods); ``segments`` maps a column to (level code per customer, -1 =
    blank; the levels sorted by their text)."""

    frequency: str
    periods: tuple[str, ...]
    active: np.ndarray
    revenue: np.ndarray | None
    segments: dict[str, tuple[np.ndarray, tuple[str, ...]]]


def _customers(frame: pd.DataFrame, customer: str) -> tuple[np.ndarray, int]:
    codes, uniques = pd.factorize(frame[customer], sort=False)
    if (codes < 0).any():
        raise ValueError(f"customer list: row {int(np.flatnonzero(codes < 0)[0]) + 1} has no {customer}")
    return codes.astype(np.intp), len(uniques)


def _segments(frame: pd.DataFrame, columns: Sequence[str], codes: np.ndarray, n: int,
              latest: np.ndarray) -> dict[str, tuple[np.ndarray, tuple[str, ...]]]:
    """Each customer's level from their row with the latest ``latest`` value (ties: the later row)."""
    order = np.lexsort((np.arange(len(frame)), latest))[::-1]  # latest date (then later row) first
    _, first = np.unique(codes[order], return_index=True)  # every code 0..n-1 occurs
    last_row = order[first]  # each customer's latest row
    out: dict[str, tuple[np.ndarray, tuple[str, ...]]] = {}
    for col in columns:
        values = frame[col].to_numpy(dtype=object)[last_row]
        text = np.array(["" if pd.isna(v) else str(v).strip() for v in values], dtype=object)
        levels = tuple(sorted(set(text) - {""}))
        index = {lv: k for k, lv in enumerate(levels)}
        out[col] = (np.array([index.get(t, -1) for t in text], dtype=np.intp), levels)
    return out


def _periods(lo: int, hi: int, frequency: str) -> tuple[str, ...]:
    start = pd.Period(ordinal=lo, freq=_FREQ[frequency])
    return tuple(_label(p, frequency) for p in pd.period_range(start, periods=hi - lo + 1))


def _check(frame: pd.DataFrame, columns: Sequence[str | None]) -> None:
    missing = [c for c in columns if c is not None and c not in frame.columns]
    if missing:
        raise ValueError(f"customer list lacks the column(s) {', '.join(missing)}")
    if len(frame) == 0:
        raise ValueError("customer list has no customer")


def activity_from_rows(
    frame: pd.DataFrame, *, customer: str, date: str, revenue: str | None = None,
    segments: Sequence[str] = (), frequency: Frequency = "year",
) -> Activity:
    """Activity from one row per customer and activity (see the module docstring)."""
    _check(frame, [customer, date, revenue, *segments])
    codes, n = _customers(frame, customer)
    ords = _ordinals(frame[date], frequency, date)
    lo, hi = int(ords.min()), int(ords.max())
    P = hi - lo + 1
    flat = codes * P + (ords - lo)
    active = np.bincount(flat, minlength=n * P).reshape(n, P) > 0
    rev = None
    if revenue is not None:
        amounts = pd.to_numeric(frame[revenue], errors="raise").to_numpy(dtype=np.float64)
        rev = np.bincount(flat, weights=np.nan_to_num(amounts, nan=0.0), minlength=n * P).reshape(n, P)
    latest = pd.to_datetime(frame[date]).to_numpy("datetime64[ns]").astype(np.int64)
    return Activity(frequency, _periods(lo, hi, frequency), active, rev, _segments(frame, segments, codes, n, latest))


def activity_from_spans(
    frame: pd.DataFrame, *, customer: str, first: str, last: str,
    segments: Sequence[str] = (), frequency: Frequency = "year",
) -> Activity:
    """Activity from first and last order dates (see the module docstring)."""
    _check(frame, [customer, first, last, *segments])
    codes, n = _customers(frame, customer)
    a = _ordinals(frame[first], frequency, first)
    b = _ordinals(frame[last], frequency, last)
    after = np.flatnonzero(pd.to_datetime(frame[first]).to_numpy() > pd.to_datetime(frame[last]).to_numpy())
    if after.size:
        row = int(after[0])
        raise ValueError(f"customer list: row {row + 1}: {first} {frame[first].iloc[row]} "
                         f"is after {last} {frame[last].iloc[row]}")
    lo, hi = int(a.min()), int(b.max())
    P = hi - lo + 1
    steps = np.zeros((n, P + 1), dtype=np.int64)  # +1 where a span starts, -1 after it ends
    np.add.at(steps, (codes, a - lo), 1)
    np.add.at(steps, (codes, b - lo + 1), -1)
    active = np.cumsum(steps, axis=1)[:, :P] > 0
    latest = pd.to_datetime(frame[last]).to_numpy("datetime64[ns]").astype(np.int64)
    return Activity(frequency, _periods(lo, hi, frequency), active, None, _segments(frame, segments, codes, n, latest))


@dataclass(frozen=True)
class PeriodFigures:
    """One period of one group of customers: counts, rates in percent, revenue; when
    ``suppressed`` (a small segment cell) every figure is None."""

    period: str
    active: int | None
    retained: int | None
    churned: int | None
    new: int | None
    returning: int | None
    retention_rate: float | None
    churn_rate: float | None
    revenue: float | None
    revenue_retention: float | None
    suppressed: bool


def _group(A: np.ndarray, R: np.ndarray | None, periods: tuple[str, ...], min_n: int | None) -> tuple[PeriodFigures, ...]:
    """The period figures of the customers (rows) of ``A`` and ``R``; ``min_n`` None: never suppressed."""
    act = A.sum(axis=0)
    before = np.zeros_like(A)
    before[:, 1:] = np.logical_or.accumulate(A, axis=1)[:, :-1]
    new = (A & ~before).sum(axis=0)
    kept = (A[:, 1:] & A[:, :-1]).sum(axis=0)
    out: list[PeriodFigures] = []
    for t, label in enumerate(periods):
        a = int(act[t])
        prev = int(act[t - 1]) if t else None
        if min_n is not None and (a < min_n or (prev is not None and prev < min_n)):
            out.append(PeriodFigures(label, *([None] * 9), True))
            continue
        revenue = None if R is None else float(R[:, t].sum())
        if prev is None:
            out.append(PeriodFigures(label, a, None, None, None, None, None, None, revenue, None, False))
            continue
        r = int(kept[t - 1])
        rate = 100.0 * r / prev if prev else None
        rev_ret = None
        if R is not None:
            base = float(R[:, t - 1].sum())
            rev_ret = 100.0 * float(R[A[:, t - 1], t].sum()) / base if base > 0 else None
        out.append(PeriodFigures(
            label, a, r, prev - r, int(new[t]), a - r - int(new[t]), rate,
            None if rate is None else 100.0 - rate, revenue, rev_ret, False,
        ))
    return tuple(out)


@dataclass(frozen=True)
class CustomerFigures:
    """Retention of the whole customer list per period (oldest first), and per segment
    column and level (levels sorted by their text)."""

    frequency: str
    customers: int
    periods: tuple[PeriodFigures, ...]
    segments: dict[str, dict[str, tuple[PeriodFigures, ...]]]


def compute_retention(activity: Activity, *, min_cell_n: int) -> CustomerFigures:
    """Retention figures of ``activity`` (see the module docstring)."""
    A, R = activity.active, activity.revenue
    total = _group(A, R, activity.periods, None)
    segs: dict[str, dict[str, tuple[PeriodFigures, ...]]] = {}
    for col, (codes, levels) in activity.segments.items():
        segs[col] = {}
        for k, level in enumerate(levels):
            rows = codes == k
            segs[col][level] = _group(A[rows], None if R is None else R[rows], activity.periods, min_cell_n)
        segs[col] = _complement(segs[col])
    return CustomerFigures(activity.frequency, int(A.shape[0]), total, segs)


def _complement(cells: dict[str, tuple[PeriodFigures, ...]]) -> dict[str, tuple[PeriodFigures, ...]]:
    """The levels of one segment column with a second cell suppressed in every period where
    exactly one is (see the module docstring)."""
    out = {level: list(periods) for level, periods in cells.items()}
    for t in range(len(next(iter(out.values()), []))):
        hidden = [lv for lv, ps in out.items() if ps[t].suppressed]
        shown = sorted((ps[t].active, lv) for lv, ps in out.items() if not ps[t].suppressed)
        if len(hidden) == 1 and shown:
            level = shown[0][1]
            out[level][t] = PeriodFigures(out[level][t].period, *([None] * 9), True)
    return {level: tuple(periods) for level, periods in out.items()}


def metric_series(figures: CustomerFigures, metric: str) -> tuple[tuple[str, float | None], ...]:
    """``customers.<metric>`` per period, oldest first (``lost``: the churned count)."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric 'customers.{metric}': expected one of "
                         f"{', '.join('customers.' + m for m in METRICS)}")
    field = {"lost": "churned"}.get(metric, metric)
    out = []
    for p in figures.periods:
        value = getattr(p, field)
        out.append((p.period, None if value is None else float(value)))
    return tuple(out)


def latest_metrics(figures: CustomerFigures) -> dict[str, float | None]:
    """The objective metrics of the latest period: ``{"customers.retention_rate": .., ...}``."""
    return {f"customers.{m}": metric_series(figures, m)[-1][1] for m in METRICS}
