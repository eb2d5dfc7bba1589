"""Complaint figures on a tiny log worked by hand."""

import numpy as np
import pandas as pd
import pytest

from qmdoc.compute.complaints import compute_complaint_figures


def log(rows):
    df = pd.DataFrame(rows, columns=["complaint_id", "received", "acknowledged", "resolved", "customer_id", "category",
                                     "severity", "corrective_action"])
    for col in ("received", "acknowledged", "resolved"):
        df[col] = pd.to_datetime(df[col])
    return df


# Thu 2025-01-02 .. ; working days skip Sat/Sun
LOG = log([
    ("C1", "2025-01-02", "2025-01-03", "2025-01-10", "K1", "Late delivery", "minor", None),   # ack 1 wd, res 8 d
    ("C2", "2025-01-03", "2025-01-07", "2025-02-03", "K1", "Late delivery", "major", "CA-1"),  # Fri->Tue: 2 wd; res 31 d
    ("C3", "2025-01-09", "2025-01-14", "2025-01-19", "K2", "Dimensions", "minor", None),     # Thu->Tue: 3 wd; res 10 d
    ("C4", "2025-02-10", None, "2025-02-20", "K3", "Late delivery", "minor", None),          # never acknowledged; res 10 d
    ("C5", "2025-04-01", "2025-04-01", None, "K2", "Paperwork", "critical", "CA-2"),         # open, 0 wd
    ("C6", "2025-04-20", "2025-04-21", None, "K4", "Dimensions", "minor", None),             # open; as of 2025-04-21
])


@pytest.fixture(scope="module")
def fig():
    return compute_complaint_figures(LOG, acknowledge_working_days=2, resolve_days=20)


def test_as_of_is_the_latest_date_in_the_log(fig):
    assert fig.as_of == pd.Timestamp("2025-04-21")
    assert fig.total == 6 and fig.open == 2


def test_acknowledgement_in_working_days(fig):
    # acknowledged: C1 1, C2 2, C3 3, C5 0, C6 1 -> median 1, p90 by linear interpolation of [0,1,1,2,3] at 0.9*4=3.6 -> 2.6
    assert fig.acknowledgement.n == 5
    assert fig.acknowledgement.median == 1.0
    assert fig.acknowledgement.p90 == pytest.approx(2.6, abs=1e-12)
    # due: the 5 acknowledged + C4 (never acknowledged, long past due) = 6; within 2 wd: C1, C2, C5, C6
    assert fig.acknowledgement.within_target == pytest.approx(100 * 4 / 6, abs=1e-12)


def test_resolution_in_calendar_days(fig):
    # resolved: C1 8, C2 31, C3 10, C4 10 -> median 10, p90 at 0.9*3=2.7 between 10 and 31 -> 10 + 0.7*21 = 24.7
    assert fig.resolution.n == 4
    assert fig.resolution.median == 10.0
    assert fig.resolution.p90 == pytest.approx(24.7, abs=1e-12)
    # due: the 4 resolved + C5 (open 20 days: not yet past 20) -> 4; within 20 days: C1, C3, C4
    assert fig.resolution.within_target == pytest.approx(75.0, abs=1e-12)


def test_pareto_sorted_by_count_then_name(fig):
    assert [(r.category, r.count) for r in fig.pareto] == [("Late delivery", 3), ("Dimensions", 2), ("Paperwork", 1)]
    assert [r.cumulative for r in fig.pareto] == pytest.approx([50.0, 100 * 5 / 6, 100.0])


def test_monthly_volume_includes_empty_months(fig):
    assert fig.monthly == (("2025-01", 3), ("2025-02", 1), ("2025-03", 0), ("2025-04", 2))


def test_backlog_by_age_and_repeat_customers(fig):
    # open: C5 20 days, C6 1 day
    assert dict(fig.backlog) == {(0, 7): 1, (8, 30): 1, (31, 90): 0, (91, None): 0}
    # last 12 months: K1 twice, K2 twice -> 2 repeat customers with 4 of 6 complaints
    assert fig.repeat_customers == 2
    assert fig.repeat_share == pytest.approx(100 * 4 / 6)
    assert fig.corrective_actions == ("CA-1", "CA-2")


def test_quarters(fig):
    q1, q2 = fig.periods
    assert (q1.period, q1.received, q2.period, q2.received) == ("2025-Q1", 4, "2025-Q2", 2)
    assert q1.acknowledged_within_target == pytest.approx(50.0)  # C1, C2 of C1..C4
    assert q1.resolved_within_target == pytest.approx(75.0)
    assert q1.resolution_p90_days == pytest.approx(float(np.percentile([8, 31, 10, 10], 90)))
    assert q2.acknowledged_within_target == 100.0
    assert q2.resolved_within_target is None  # nothing resolved or past due
    assert q2.resolution_p90_days is None
