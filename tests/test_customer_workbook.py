"""The customer list as an Excel workbook (``customers: {path: data/customers.xlsx}``).

A small workbook written with openpyxl holds the same list as a CSV: the loaded list and the
retention figures must be exactly those of the CSV (hand-worked in the comments below). Broken
workbooks are reported as a broken CSV is, naming the file, the sheet row (as Excel numbers it)
and the column, with the exact text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from conftest import copy_mini
from input_cases import ORG, check, edit
from qmdoc.compute.manual import customer_figures
from qmdoc.load import load_project

XLSX = "data/customers.xlsx"
TITLES = ["cust", "period", "region", "revenue"]
# Q1 active K1 K2 K3 K5 (revenue 450); Q2 K1 K2 K4: retained 2 of 4 = 50 %, churned 2 (K3, K5), new 1 (K4),
# revenue retention (100 + 50) / 450; Q3 K1 K4 K5: retained 2 of 3, churned 1 (K2), returning 1 (K5)
ROWS = [
    ["SECRET-K1", "2025-Q1", "North", 100],
    ["SECRET-K1", "2025-Q2", "North", 100],
    ["SECRET-K1", dt.date(2025, 8, 15), "North", 100],  # a date cell: Q3
    ["SECRET-K2", "2025-Q1", "North", 100],
    ["SECRET-K2", "2025-Q2", "North", 50.0],
    ["SECRET-K3", "2025-Q1", "North", 200],
    ["SECRET-K4", "2025-Q2", "South", 10],
    ["SECRET-K4", "2025-Q3", "South", 10],
    ["SECRET-K5", "2025-Q1", "South", 50],
    ["SECRET-K5", "2025-Q3", "South", 50],
]
CSV = "cust,period,region,revenue\n" + "".join(
    f"{c},{p.isoformat() if isinstance(p, dt.date) else p},{r},{v:g}\n" for c, p, r, v in ROWS)


def customers_yml(path: str, sheet: str | None = None) -> str:
    extra = f"\n  sheet: {sheet}" if sheet else ""
    return (f"\ncustomers:\n  path: {path}{extra}\n  columns: {{customer: cust, date: period, revenue: revenue}}\n"
            "  segments: [region]\n  period: quarter\n  min_cell_n: 2\n")


def workbook(path: Path, rows: list[list], titles: list = TITLES, above: int = 0, blank_after: int | None = None,
             sheet: str = "Customers") -> None:
    """``rows`` under ``titles`` on sheet ``sheet``, ``above`` blank rows above the header and one blank row
    after data row ``blank_after`` (1-based)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for _ in range(above):
        ws.append([])
    ws.append(titles)
    for k, row in enumerate(rows, start=1):
        ws.append(row)
        if k == blank_after:
            ws.append([])
    wb.save(path)


def project_root(tmp: Path, *, xlsx: bool, sheet: str | None = None, **layout) -> Path:
    root = copy_mini(tmp / ("xlsx" if xlsx else "csv"))
    if xlsx:
        workbook(root / XLSX, layout.pop("rows", ROWS), **layout)
    else:
        (root / "data/customers.csv").write_text(CSV, encoding="utf-8")
    with (root / ORG).open("a", encoding="utf-8") as f:
        f.write(customers_yml(XLSX if xlsx else "data/customers.csv", sheet))
    return root


def test_a_workbook_gives_exactly_the_figures_of_the_same_csv(tmp_path: Path) -> None:
    from_csv = load_project(project_root(tmp_path, xlsx=False))
    from_xlsx = load_project(project_root(tmp_path, xlsx=True, sheet="Customers", above=2, blank_after=4))
    pd.testing.assert_frame_equal(from_xlsx.customers, from_csv.customers)
    assert from_xlsx.customers_file.path == XLSX and from_xlsx.customers_file.rows == 10
    a, b = customer_figures(from_csv), customer_figures(from_xlsx)
    assert a == b
    q1, q2, q3 = b.periods
    assert (q1.period, q1.active, q1.revenue) == ("2025-Q1", 4, 450.0)
    assert (q2.active, q2.retained, q2.churned, q2.new, q2.retention_rate) == (3, 2, 2, 1, 50.0)
    assert q2.revenue_retention == pytest.approx(100 * 150 / 450, abs=1e-12)
    assert (q3.active, q3.retained, q3.churned, q3.returning) == (3, 2, 1, 1)


def _bad_row(k: int, column: int, value):  # noqa: ANN001, ANN202
    rows = [list(r) for r in ROWS]
    rows[k][column] = value
    return rows


# (name, workbook layout, sheet:, expected problems); the header is sheet row 1 unless ``above`` moves it
CASES = [
    ("bad-period", dict(rows=_bad_row(3, 1, "2025-Q5")), None,
     [f"{XLSX}:5: period: expected a date or a period label such as 2025-03-31 or 2025-Q1, "
      "got a value of 7 characters (not shown)"]),
    # header on row 3, a blank row after data row 4 (sheet row 7): data row 6 is sheet row 10
    ("blank-id-below-blank-rows", dict(rows=_bad_row(5, 0, None), above=2, blank_after=4), None,
     [f"{XLSX}:10: cust: expected a customer id, got nothing"]),
    ("negative-revenue", dict(rows=_bad_row(5, 3, -200)), None,
     [f"{XLSX}:7: revenue: expected an amount of 0 or more (blank: none), got '-200'"]),
    ("missing-column", dict(titles=["cust", "period", "area", "revenue"], above=1), None,
     [f"{XLSX}:2: region: expected a column named 'region', got none"]),
    ("duplicate-title", dict(titles=["cust", "period", "region", "region"], above=2), None,
     [f"{XLSX}:3: region: expected unique column names, got 'region' again in column 4 (first in column 3)"]),
    ("untitled-values", dict(rows=[[*r, "note"] if k == 2 else r for k, r in enumerate(ROWS)]), None,
     [f"{XLSX}:1: column 5: expected a column name, got an empty cell"]),
    ("no-rows", dict(rows=[]), None,
     [f"{XLSX}:1: expected rows of customers below the header, got none"]),
    ("unknown-sheet", dict(), "Kunden",
     [f"{XLSX}: sheet: expected a sheet named 'Kunden', got 'Customers'"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_a_broken_workbook_is_reported_by_sheet_row(case, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _, layout, sheet, expected = case
    root = project_root(tmp_path, xlsx=True, sheet=sheet, **layout)
    code, err, _ = check(root, capsys)
    assert (code, err) == (1, expected)


def test_an_untitled_empty_column_is_no_column(tmp_path: Path) -> None:
    # a blank separator column between the titled ones (the reader keeps it: values follow on its right)
    root = project_root(tmp_path, xlsx=True, titles=["cust", None, *TITLES[1:]], rows=[[r[0], None, *r[1:]]
                                                                                       for r in ROWS])
    assert list(load_project(root).customers.columns) == ["customer", "date", "revenue", "region"]
    assert list(load_project(root).customers["customer"][:2]) == ["SECRET-K1", "SECRET-K1"]


def test_a_file_that_is_no_workbook(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = project_root(tmp_path, xlsx=True)
    (root / XLSX).write_bytes(b"cust,period\nSECRET-K1,2025-Q1\n")
    code, err, _ = check(root, capsys)
    assert (code, err) == (1, [f"{XLSX}: expected an Excel .xlsx workbook, got a file the reader cannot open"])


def test_a_sheet_is_only_for_a_workbook(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = project_root(tmp_path, xlsx=False)
    edit(root, ORG, "  path: data/customers.csv\n", "  path: data/customers.csv\n  sheet: Customers\n")
    code, err, _ = check(root, capsys)
    line = (root / ORG).read_text(encoding="utf-8").splitlines().index("customers:") + 1
    assert (code, err) == (1, [f"{ORG}:{line}: customers: expected sheet: only with an .xlsx workbook, "
                               "got the path 'data/customers.csv'"])
