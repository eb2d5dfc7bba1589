"""The customer list (behavioural loyalty): read from a CSV or an .xlsx workbook, mapped to our fields,
checked row by row.

A workbook's sheet (``sheet:``, default the first) is read with the exports' reader, every cell as text
(a date cell as ``2025-01-03 00:00:00``, a number as Excel shows it unformatted), blank rows skipped, and
then checked exactly as a CSV: each problem names the file, the sheet row (as Excel numbers it) and the
column. A column with neither a title nor a value (a blank separator column) is left out.

The list is handed on as a frame with the columns ``customer``, ``date`` (rows form; with ``revenue`` when
declared) or ``first_order`` and ``last_order`` (spans form), and the declared segment columns, the dates
parsed. A date is ISO (2025-01-03), 2025/1/3, 2025年1月3日, a period label of the list's period (2025,
2025-Q1, 2025-01: its first day) or in ``date_format``.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Problem

from ..models import CustomerList, Organization
from ..project import DataFile
from ..yamlfile import YamlDoc, relpath
from .collector import _bad_rows, _Collector, _report_rows
from .csv import CsvFile, check_csv_bytes, describe_date, describe_hidden, read_csv_file, read_pandas
from .exports import read_table
from .exports.values import parse_date
from .files import _safe_path

_WORKBOOK = (".xlsx", ".xlsm")

_LABELS = {
    "year": re.compile(r"(\d{4})"),
    "quarter": re.compile(r"(\d{4})-?Q([1-4])"),
    "month": re.compile(r"(\d{4})-(\d{1,2})"),
}


def load_customer_list(c: _Collector, root: Path, doc: YamlDoc | None, organization: Organization,
                       as_of: dt.date) -> tuple[pd.DataFrame | None, DataFile | None]:
    """The customer list organization.yml declares (None, None without one); its problems reported."""
    spec = organization.customers
    if spec is None or doc is None:
        return None, None
    path = _safe_path(c, root, spec.path, doc, ("customers", "path"))
    if path is None:
        return None, None
    if not path.is_file():
        c.add(doc.path, doc.line_of(("customers", "path")), "customers.path",
              f"expected the customer list, got {spec.path!r} (no such file)")
        return None, None
    rel = relpath(path, root)
    src = _workbook(path, rel, spec.sheet, c.problems) if path.suffix.lower() in _WORKBOOK else \
        read_csv_file(path, rel, c.problems)
    raw = read_pandas(src, c.problems) if src is not None else None
    if raw is None:
        return None, None
    fields = _fields(spec)
    missing = [title for title in [*fields.values(), *spec.segments] if title not in raw.columns]
    for title in missing:
        c.add(rel, src.header_line, title, f"expected a column named {title!r}, got none")
    if not len(raw):
        c.add(rel, src.header_line, "", "expected rows of customers below the header, got none")
    if missing or not len(raw):
        return None, None
    before = len(c.problems)
    out = _checked(c, src, raw, spec, fields, as_of)
    if len(c.problems) > before:
        return None, None
    return out, DataFile(rel, src.sha256, len(raw))


def _workbook(path: Path, rel: str, sheet: str | None, problems: list[Problem]) -> CsvFile | None:
    """A workbook's sheet as the checked CSV the list's checks read, each row at its sheet row; None
    (reported) when it cannot be read or its header or cells break the CSV rules (named by sheet row)."""
    table = read_table(path, rel, "plain", "utf-8", sheet, problems)
    if table is None:
        return None
    width = len(table.titles)
    rows = [row + [None] * (width - len(row)) for row in table.rows]
    # a column with neither a title nor a value (a blank separator column) is no column
    keep = [j for j, t in enumerate(table.titles) if t or any(r[j] is not None for r in rows)]
    chunks = [_csv_line([table.titles[j] for j in keep])]
    starts = [1]  # the line of the converted text where each row starts (the header: line 1)
    for row in rows:
        starts.append(starts[-1] + chunks[-1].count("\n"))
        chunks.append(_csv_line(["" if row[j] is None else row[j] for j in keep]))
    found: list[Problem] = []
    src = check_csv_bytes("".join(chunks).encode("utf-8"), rel, found)
    sheet_rows = [table.header_line, *table.lines]
    for p in found:  # a line of the converted text -> the sheet row of the row it falls in
        k = bisect.bisect_right(starts, p.line) - 1
        problems.append(replace(p, line=sheet_rows[max(k, 0)] if p.line > 0 else p.line))
    if src is None:
        return None
    return replace(src, starts=np.asarray(table.lines, dtype=np.int64), sheet_rows=None, records=None,
                   header_line=table.header_line, sha256=table.sha256, rows=len(table.rows))


def _csv_line(values: list[str]) -> str:
    """One row as CSV text (quoted where needed; a value with a line break spans lines)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def _fields(spec: CustomerList) -> dict[str, str]:
    """Our field -> the list's column title, for the fields the list declares."""
    cols = spec.columns
    names = ("customer", "date", "revenue", "first_order", "last_order")
    return {f: getattr(cols, f) for f in names if getattr(cols, f) is not None}


def _date(text: object, spec: CustomerList) -> dt.datetime | None:
    """A date, or a period label of the list's period (its first day); None when it is neither."""
    if not isinstance(text, str):
        return None
    m = _LABELS[spec.period].fullmatch(text.strip())
    if m:
        year, part = int(m.group(1)), int(m.group(2)) if m.lastindex and m.lastindex > 1 else 1
        month = 3 * part - 2 if spec.period == "quarter" else part
        return dt.datetime(year, month, 1) if 1 <= month <= 12 else None
    return parse_date(text, spec.date_format)


def _checked(c: _Collector, src: CsvFile, raw: pd.DataFrame, spec: CustomerList, fields: dict[str, str],
             as_of: dt.date) -> pd.DataFrame:
    """The list as our fields, every bad row reported (blank ids, dates that are none, revenue that is no
    amount, a first order after the last, a date after today)."""
    out = pd.DataFrame(index=raw.index)
    ids = raw[fields["customer"]]
    _bad_rows(c, src, fields["customer"], ids.isna().to_numpy(), ids, "expected a customer id", describe_hidden)
    out["customer"] = ids
    today = max(as_of, dt.date.today())  # as for the complaints log: a row added since the last commit is no mistake
    latest = pd.Timestamp(today) + pd.Timedelta(days=1)
    for f in ("date", "first_order", "last_order"):
        if f not in fields:
            continue
        title = fields[f]
        parsed = pd.to_datetime(pd.Series([_date(v, spec) for v in raw[title]], index=raw.index, dtype=object))
        _bad_rows(c, src, title, parsed.isna().to_numpy(), raw[title],
                  f"expected a date or a period label such as {_example(spec)}", describe_date)
        _report_rows(c, src, title, (parsed >= latest).to_numpy(),
                     f"expected a date on or before today ({today}), got a later one")
        out[f] = parsed
    if "first_order" in fields:
        late = (out["first_order"] > out["last_order"]).to_numpy()
        _report_rows(c, src, fields["first_order"], late, f"expected a date on or before {fields['last_order']}")
    if "revenue" in fields:
        title = fields["revenue"]
        amounts = pd.to_numeric(raw[title], errors="coerce")
        bad = (raw[title].notna() & ~(amounts >= 0)).to_numpy() | (amounts.abs() > 1e15).to_numpy()
        _bad_rows(c, src, title, bad, raw[title], "expected an amount of 0 or more (blank: none)")
        out["revenue"] = amounts
    for col in spec.segments:
        out[col] = raw[col]
    return out


def _example(spec: CustomerList) -> str:
    return {"year": "2025-03-31 or 2025", "quarter": "2025-03-31 or 2025-Q1", "month": "2025-03-31 or 2025-03"}[
        spec.period]
