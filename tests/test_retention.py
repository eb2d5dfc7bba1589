"""Behavioural loyalty from the customer list: hand-worked periods, segments and a set-based reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from qmdoc.compute.customers import (
    PeriodFigures,
    activity_from_rows,
    activity_from_spans,
    compute_retention,
    latest_metrics,
    metric_series,
)

NAN = np.nan


def approx(x):
    return pytest.approx(x, abs=1e-10, rel=1e-10)


ROWS = pd.DataFrame(
    [
        ("CUST-001", "2022-03-01", 100, "N"), ("CUST-001", "2023-05-01", 120, "N"), ("CUST-001", "2024-02-01", 150, "N"),
        ("CUST-002", "2022-06-01", 50, "S"), ("CUST-002", "2023-07-01", 50, "N"),  # latest row: N
        ("CUST-003", "2022-01-10", 80, "S"), ("CUST-003", "2024-03-01", 40, "S"),  # away in 2023
        ("CUST-004", "2024-06-01", 30, "S"), ("CUST-004", "2023-02-01", 30, "S"), ("CUST-004", "2024-08-01", 20, "S"),
        ("CUST-005", "2024-01-01", 10, "N"),
        ("CUST-006", "2022-12-31", 60, NAN),
    ],
    columns=["customer", "ordered", "amount", "region"],
)


def figures(min_cell_n=2, revenue="amount"):
    activity = activity_from_rows(ROWS, customer="customer", date="ordered", revenue=revenue,
                                  segments=["region"], frequency="year")
    return compute_retention(activity, min_cell_n=min_cell_n)


def test_yearly_totals_by_hand():
    f = figures()
    # active 2022: 1, 2, 3, 6;  2023: 1, 2, 4;  2024: 1, 3, 4, 5
    y22, y23, y24 = f.periods
    assert f.customers == 6
    assert y22 == PeriodFigures("2022", 4, None, None, None, None, None, None, approx(290.0), None, False)
    # 2023: retained 1, 2 of 4 -> 50 %; churned 3, 6; new 4; revenue 120 + 50 + 30 = 200;
    # revenue retention: 2023 revenue of 2022's customers (120 + 50) / 2022 revenue (100 + 50 + 80 + 60)
    assert y23 == PeriodFigures("2023", 3, 2, 2, 1, 0, approx(50.0), approx(50.0), approx(200.0),
                                approx(100 * 170 / 290), False)
    # 2024: retained 1, 4 of 3; churned 2; new 5; returning 3; revenue 150 + 40 + (30 + 20) + 10 = 250;
    # revenue retention (150 + 0 + 50) / 200
    assert y24 == PeriodFigures("2024", 4, 2, 1, 1, 1, approx(200 / 3), approx(100 / 3), approx(250.0),
                                approx(100.0), False)


def test_latest_period_metrics_for_objectives():
    f = figures()
    assert latest_metrics(f) == {"customers.retention_rate": approx(200 / 3), "customers.churn_rate": approx(100 / 3),
                                 "customers.lost": 1.0}
    assert metric_series(f, "lost") == (("2022", None), ("2023", 2.0), ("2024", 1.0))
    with pytest.raises(ValueError, match=r"^unknown metric 'customers\.loyal': expected one of customers\.retention_rate, "
                                         r"customers\.churn_rate, customers\.lost$"):
        metric_series(f, "loyal")


def test_segments_take_the_latest_level():
    seg = figures(min_cell_n=1).segments["region"]
    assert list(seg) == ["N", "S"]  # customer 6 has no region: totals only
    # N: customers 1, 2 (latest row N), 5.  2022: 1, 2;  2023: 1, 2;  2024: 1, 5
    n22, n23, n24 = seg["N"]
    assert (n22.active, n22.revenue) == (2, approx(150.0))
    assert (n23.active, n23.retained, n23.churned, n23.new, n23.retention_rate) == (2, 2, 0, 0, approx(100.0))
    assert (n24.active, n24.retained, n24.churned, n24.new, n24.returning) == (2, 1, 1, 1, 0)
    assert n24.revenue_retention == approx(100 * 150 / 170)  # customer 1's 150 of 2023's 120 + 50


def test_small_segment_cells_are_suppressed_with_a_complement():
    seg = figures(min_cell_n=2).segments["region"]
    # S: customers 3, 4.  2022: 3;  2023: 4;  2024: 3, 4 -> every period rests on fewer than 2 customers;
    # N would then be the totals minus customer 6, so N is hidden with it
    hidden = tuple(PeriodFigures(y, *([None] * 9), True) for y in ("2022", "2023", "2024"))
    assert seg == {"N": hidden, "S": hidden}
    # three levels, every year: a 5 customers, b 3, c 1; c is hidden and b, the smaller of the others, with it
    rows = pd.DataFrame({"c": [f"{lv}{k}" for lv, m in (("a", 5), ("b", 3), ("c", 1)) for k in range(m)] * 2,
                         "d": ["2023-06-01"] * 9 + ["2024-06-01"] * 9})
    rows["lv"] = rows["c"].str[0]
    f = compute_retention(activity_from_rows(rows, customer="c", date="d", segments=["lv"]), min_cell_n=2)
    cells = f.segments["lv"]
    assert [p.suppressed for p in cells["a"]] == [False, False]
    assert [p.suppressed for p in cells["b"]] == [True, True]
    assert [p.suppressed for p in cells["c"]] == [True, True]
    assert (cells["a"][1].active, cells["a"][1].retained, cells["a"][1].retention_rate) == (5, 5, 100.0)


def test_segment_cells_shown_at_min_cell_n_1():
    s22, s23, s24 = figures(min_cell_n=1).segments["region"]["S"]
    # 2023: customer 4 only, after customer 3 in 2022: retained 0, churned 1, new 1
    assert (s23.active, s23.retained, s23.churned, s23.new, s23.returning, s23.retention_rate,
            s23.churn_rate) == (1, 0, 1, 1, 0, 0.0, 100.0)
    # 2024: 3 returns, 4 stays
    assert (s24.active, s24.retained, s24.churned, s24.new, s24.returning, s24.retention_rate) == (2, 1, 0, 0, 1, 100.0)


def test_without_revenue_there_is_no_revenue_retention():
    y23 = figures(revenue=None).periods[1]
    assert (y23.revenue, y23.revenue_retention, y23.retention_rate) == (None, None, approx(50.0))


def test_no_customer_id_in_any_result():
    activity = activity_from_rows(ROWS, customer="customer", date="ordered", revenue="amount", segments=["region"])
    f = compute_retention(activity, min_cell_n=1)
    for text in (repr(activity), repr(f)):
        assert "CUST" not in text


def test_quarters_from_first_and_last_order_dates():
    spans = pd.DataFrame({
        "id": ["a", "b", "c", "a"],
        "first": ["2024-01-15", "2024-02-01", "2024-07-01", "2024-10-01"],
        "last": ["2024-05-02", "2024-02-20", "2024-12-01", "2024-10-05"],
        "size": ["small", "big", "big", "big"],  # a's latest row (last order 2024-10-05): big
    })
    f = compute_retention(activity_from_spans(spans, customer="id", first="first", last="last", segments=["size"],
                                              frequency="quarter"), min_cell_n=1)
    # a: Q1, Q2 and Q4 (two spans); b: Q1; c: Q3, Q4
    rows = [(p.period, p.active, p.retained, p.churned, p.new, p.returning, p.retention_rate) for p in f.periods]
    assert rows == [
        ("2024-Q1", 2, None, None, None, None, None),
        ("2024-Q2", 1, 1, 1, 0, 0, 50.0),
        ("2024-Q3", 1, 0, 1, 1, 0, 0.0),
        ("2024-Q4", 2, 1, 0, 0, 1, 100.0),
    ]
    assert f.segments["size"] == {"big": f.periods}
    assert f.periods[0].revenue is None


def test_months_without_activity_are_periods_too():
    rows = pd.DataFrame({"c": ["x", "x"], "d": ["2024-01-05", "2024-03-01"]})
    f = compute_retention(activity_from_rows(rows, customer="c", date="d", frequency="month"), min_cell_n=1)
    jan, feb, mar = f.periods
    assert [p.period for p in f.periods] == ["2024-01", "2024-02", "2024-03"]
    assert (feb.active, feb.retained, feb.churned, feb.retention_rate) == (0, 0, 1, 0.0)
    # March: nobody was active in February, so no rate; x returns
    assert (mar.active, mar.retained, mar.churned, mar.returning, mar.retention_rate, mar.churn_rate) == (
        1, 0, 0, 1, None, None)


def _reference(frame: pd.DataFrame) -> list[tuple]:
    """A second implementation with Python sets, per month."""
    month = pd.to_datetime(frame["d"]).dt.to_period("M")
    periods = pd.period_range(month.min(), month.max(), freq="M")
    sets = [set(frame.loc[month == p, "c"]) for p in periods]
    out, seen = [], set()
    for t, now in enumerate(sets):
        if t:
            prev = sets[t - 1]
            kept = now & prev
            new = now - seen
            out.append((len(now), len(kept), len(prev) - len(kept), len(new), len(now - prev - new),
                        100 * len(kept) / len(prev) if prev else None))
        seen |= now
    return out


def test_counts_match_a_set_based_reference():
    rng = np.random.default_rng(7)
    days = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, 300), unit="D")
    frame = pd.DataFrame({"c": rng.integers(0, 60, 300).astype(str), "d": days})
    f = compute_retention(activity_from_rows(frame, customer="c", date="d", frequency="month"), min_cell_n=1)
    ours = [(p.active, p.retained, p.churned, p.new, p.returning, p.retention_rate) for p in f.periods[1:]]
    assert ours == [tuple(approx(v) if isinstance(v, float) else v for v in row) for row in _reference(frame)]


def test_broken_customer_lists_are_named():
    with pytest.raises(ValueError, match=r"^customer list lacks the column\(s\) when, zone$"):
        activity_from_rows(ROWS, customer="customer", date="when", segments=["region", "zone"])
    with pytest.raises(ValueError, match=r"^customer list: row 2: first 2024-05-01 is after last 2024-01-01$"):
        activity_from_spans(pd.DataFrame({"c": ["a", "b"], "first": ["2024-01-01", "2024-05-01"],
                                          "last": ["2024-02-01", "2024-01-01"]}), customer="c", first="first",
                            last="last")
    with pytest.raises(ValueError, match=r"^customer list: row 2 has no d$"):
        activity_from_rows(pd.DataFrame({"c": ["a", "b"], "d": ["2024-01-01", None]}), customer="c", date="d")
    with pytest.raises(ValueError, match=r"^customer list: row 1 has no c$"):
        activity_from_rows(pd.DataFrame({"c": [None, "b"], "d": ["2024-01-01", "2024-02-01"]}), customer="c", date="d")
    with pytest.raises(ValueError, match=r"^expected a period of year, quarter, month, got 'week'$"):
        activity_from_rows(ROWS, customer="customer", date="ordered", frequency="week")
    with pytest.raises(ValueError, match=r"^customer list has no customer$"):
        activity_from_rows(ROWS.iloc[:0], customer="customer", date="ordered")
