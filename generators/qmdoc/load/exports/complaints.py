"""A complaints log as the complaints system exports it, turned into the table with our field names."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

import numpy as np

from ...errors import Problem
from ..csv import CsvFile, check_csv_bytes, describe_date
from .table import _Report, read_table
from .values import parse_date


def convert_complaints(path: Path, rel: str, log, problems: list[Problem], fields: list[str],  # noqa: ANN001
                       checksum: bool = True) -> tuple[CsvFile, list[str]] | None:
    """A complaints log as a table with our field names (``fields`` whose column is mapped), dates as ISO.

    ``log``: the organization's ``ComplaintsLog``. Returns the table and the fields it has.
    """
    table = read_table(path, rel, "plain", log.encoding, log.sheet, problems, checksum)
    if table is None:
        return None
    index: dict[str, int] = {}
    for j, title in enumerate(table.titles):
        index.setdefault(title, j)
    picks = []
    missing = False
    for name in fields:
        title = getattr(log.columns, name)
        if title is None:
            continue
        if title not in index:
            problems.append(Problem(rel, table.header_line, title,
                                    f"expected a column named {title!r} (complaints_log.columns.{name}), got none"))
            missing = True
            continue
        picks.append((name, index[title], title))
    if missing:
        return None
    report = _Report(rel, problems)
    before = len(problems)
    width = len(table.titles)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([name for name, _, _ in picks])
    for r, row in enumerate(table.rows):
        row = row + [None] * (width - len(row))
        values = []
        for name, j, title in picks:
            cell = row[j]
            if name in ("received", "acknowledged", "resolved") and cell is not None:
                when = parse_date(cell, log.date_format)
                if when is None:
                    fmt = f", {log.date_format}" if log.date_format else ""
                    report.add(table.lines[r], title, f"expected a date such as 2025-01-03, 2025/1/3 or "
                               f"2025年1月3日{fmt}, got {describe_date(cell)}", "date")
                    cell = None
                else:
                    cell = when.date().isoformat()
            values.append("" if cell is None else cell)
        writer.writerow(values)
    if len(problems) > before:
        return None
    found: list[Problem] = []
    csvfile = check_csv_bytes(buf.getvalue().encode("utf-8"), rel, found)
    if csvfile is None:
        problems.append(Problem(rel, 0, "", "expected a log the reader can convert, got one it could not"))
        return None
    csvfile = replace(csvfile, starts=np.asarray(table.lines, dtype=np.int64), sheet_rows=None, records=None,
                      header_line=table.header_line, sha256=table.sha256, rows=len(table.rows))
    return csvfile, [name for name, _, _ in picks]
