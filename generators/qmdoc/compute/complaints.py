"""Complaints analytics (ISO 10002, ISO 9001 9.1.3 and 10.2): pure functions of the log.

Definitions:

* acknowledgement time: working days (Monday to Friday) from the received
  date to the acknowledged date (``numpy.busday_count``); within target when
  it is at most the procedure's ``acknowledge_working_days``. A complaint
  never acknowledged counts as not within target once its target has passed.
* resolution time: calendar days from received to resolved; within target
  when at most ``resolve_days``. Open complaints older than the target count
  as not within target; open complaints still inside it are left out.
* percentiles: linear interpolation between order statistics
  (``numpy.percentile`` default, Hyndman & Fan type 7).
* the analysis date ("as of") is the latest date found in the log, so the
  same log always gives the same figures.
* periods are calendar quarters of the received date.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

AGE_BUCKETS = ((0, 7), (8, 30), (31, 90), (91, None))


@dataclass(frozen=True)
class Times:
    n: int
    median: float | None
    p90: float | None
    within_target: float | None  # percent 0..100
    target: float


@dataclass(frozen=True)
class PeriodFigures:
    period: str
    received: int
    acknowledged_within_target: float | None
    resolved_within_target: float | None
    resolution_p90_days: float | None


@dataclass(frozen=True)
class ParetoRow:
    category: str
    count: int
    share: float  # percent
    cumulative: float  # percent


@dataclass(frozen=True)
class ComplaintFigures:
    as_of: pd.Timestamp
    total: int
    open: int
    monthly: tuple[tuple[str, int], ...]
    pareto: tuple[ParetoRow, ...]
    acknowledgement: Times
    resolution: Times
    backlog: tuple[tuple[tuple[int, int | None], int], ...]  # (age bucket, open count)
    repeat_customers: int | None  # customers with 2 or more complaints in the last 12 months (None: no customer column)
    repeat_share: float | None  # percent of last-12-month complaints from repeat customers
    with_corrective_action: int
    corrective_actions: tuple[str, ...]
    periods: tuple[PeriodFigures, ...]


def _quantile(values: np.ndarray, q: float) -> float | None:
    return float(np.percentile(values, q)) if len(values) else None


def _pct(num: int, den: int) -> float | None:
    return 100.0 * num / den if den else None


def compute_complaint_figures(log: pd.DataFrame, acknowledge_working_days: float, resolve_days: float) -> ComplaintFigures:
    """All complaint figures from a validated log (dates as datetime64, NaT when blank)."""
    received = log["received"].to_numpy("datetime64[D]")
    ack = log["acknowledged"].to_numpy("datetime64[D]")
    res = log["resolved"].to_numpy("datetime64[D]")
    dates = np.concatenate([received, ack[~np.isnat(ack)], res[~np.isnat(res)]])
    as_of = dates.max()

    has_ack = ~np.isnat(ack)
    ack_days = np.full(len(log), np.nan)
    ack_days[has_ack] = np.busday_count(received[has_ack], ack[has_ack])
    pending_ack = np.busday_count(received, np.full_like(received, as_of))
    ack_due = has_ack | (pending_ack > acknowledge_working_days)
    ack_ok = has_ack & (ack_days <= acknowledge_working_days)

    has_res = ~np.isnat(res)
    res_days = np.full(len(log), np.nan)
    res_days[has_res] = (res[has_res] - received[has_res]).astype(int)
    open_age = (as_of - received).astype(int)
    res_due = has_res | (open_age > resolve_days)
    res_ok = has_res & (res_days <= resolve_days)

    months = pd.PeriodIndex(log["received"], freq="M")
    monthly_counts = pd.Series(1, index=months).groupby(level=0).sum()
    full = pd.period_range(months.min(), pd.Period(pd.Timestamp(as_of), "M"), freq="M")
    monthly = tuple((str(p), int(monthly_counts.get(p, 0))) for p in full)

    counts = log["category"].value_counts()
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    total = len(log)
    pareto, cum = [], 0
    for cat, cnt in order:
        cum += cnt
        pareto.append(ParetoRow(str(cat), int(cnt), 100.0 * cnt / total, 100.0 * cum / total))

    backlog = []
    is_open = ~has_res
    for lo, hi in AGE_BUCKETS:
        sel = is_open & (open_age >= lo) & (open_age <= (hi if hi is not None else np.iinfo(np.int64).max))
        backlog.append(((lo, hi), int(sel.sum())))

    last_year = received > as_of - np.timedelta64(365, "D")
    if "customer_id" in log:
        recent_customers = log.loc[last_year, "customer_id"].value_counts()
        repeaters = recent_customers[recent_customers >= 2]
        repeat_customers = int(len(repeaters))
        repeat_share = _pct(int(repeaters.sum()), int(last_year.sum()))
    else:  # the log names no customer: no repeat-complainant figures
        repeat_customers, repeat_share = None, None

    ca = log["corrective_action"].dropna() if "corrective_action" in log else pd.Series([], dtype=str)
    quarters = pd.PeriodIndex(log["received"], freq="Q")
    periods = []
    for q in sorted(set(quarters)):
        sel = (quarters == q)
        periods.append(PeriodFigures(
            period=f"{q.year}-Q{q.quarter}",
            received=int(sel.sum()),
            acknowledged_within_target=_pct(int((ack_ok & sel).sum()), int((ack_due & sel).sum())),
            resolved_within_target=_pct(int((res_ok & sel).sum()), int((res_due & sel).sum())),
            resolution_p90_days=_quantile(res_days[sel & has_res], 90),
        ))

    return ComplaintFigures(
        as_of=pd.Timestamp(as_of),
        total=total,
        open=int(is_open.sum()),
        monthly=monthly,
        pareto=tuple(pareto),
        acknowledgement=Times(int(has_ack.sum()), _quantile(ack_days[has_ack], 50), _quantile(ack_days[has_ack], 90),
                              _pct(int(ack_ok.sum()), int(ack_due.sum())), acknowledge_working_days),
        resolution=Times(int(has_res.sum()), _quantile(res_days[has_res], 50), _quantile(res_days[has_res], 90),
                         _pct(int(res_ok.sum()), int(res_due.sum())), resolve_days),
        backlog=tuple(backlog),
        repeat_customers=repeat_customers,
        repeat_share=repeat_share,
        with_corrective_action=int(len(ca)),
        corrective_actions=tuple(sorted(set(ca))),
        periods=tuple(periods),
    )
