"""A survey export turned into the plain table load reads: columns mapped, waves, value codes, screening."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ...errors import Problem
from ...models import Item, Survey
from ..csv import CsvFile, check_csv_bytes, describe_answer, describe_date
from .platforms import DEFAULT_INCLUDE
from .screening import exclusion_counts, screen_rows
from .table import Table, _Report, read_table
from .values import _number, parse_date, period_label

WAVE_COLUMN = "wave"  # the converted table's wave column, when the wave comes from source.wave


def wave_column(s: Survey) -> str | None:
    """The column of the table load reads that holds the wave label (None: the file name is the wave)."""
    if s.wave:
        return s.wave
    if s.source.wave is not None and s.source.wave.from_ != "file":
        return WAVE_COLUMN
    return None


def needs_conversion(s: Survey, path: Path) -> bool:
    """Whether a data file goes through the conversion (else the plain path reads it as it is)."""
    src = s.source
    if path.suffix.lower() != ".csv" or src.format != "plain" or src.encoding.lower() not in ("auto", "utf-8"):
        return True
    if src.wave is not None or src.include or src.screen or s.values:
        return True
    if any(not isinstance(seg, str) and (seg.column or seg.labels) for seg in s.segments):
        return True
    return any(i.column and i.column != i.id for i in s.all_items())


def convert_survey(path: Path, rel: str, s: Survey, problems: list[Problem], checksum: bool = True
                   ) -> tuple[CsvFile, dict[str, dict[str, int]]] | None:
    """An export as the table the plain path reads, and the rows screened out per wave and reason."""
    src = s.source
    table = read_table(path, rel, src.format, src.encoding, src.sheet, problems, checksum)
    if table is None:
        return None
    before = len(problems)
    report = _Report(rel, problems)
    cols = _columns(table, s, problems)
    if len(problems) > before:
        return None

    rows = table.rows
    width = len(table.titles)
    for r, row in enumerate(rows):  # a short row (xlsx trailing blanks): padded
        if len(row) < width:
            rows[r] = row + [None] * (width - len(row))
    waves = _waves(path, table, s, cols, report)
    _recode(table, s, cols, report)
    reason = screen_rows(table, s, waves, cols.include_js, cols.duration_j, cols.item_js, report)
    if len(problems) > before:
        return None
    excluded = exclusion_counts(s, waves, reason)
    csvfile = _plain_table(table, cols, waves, reason, problems)
    if csvfile is None:
        return None
    return csvfile, excluded


@dataclass(frozen=True)
class _Columns:
    """Where each column the plain table needs stands in the export (None: missing, and reported)."""

    out: list[tuple[str, int | None]]  # the plain table's columns, in order, and their export columns
    wave_title: str | None  # the export's wave column (a label or a date), if any
    wave_j: int | None
    wave_out: str | None  # the plain table's wave column (see wave_column)
    segments: list[tuple[str, int | None, str, dict, int]]  # with value labels: id, column, title, labels, index
    items: list[Item]
    item_js: list[int | None]
    include_js: list[tuple[int | None, list]]  # source.include (or the format's default): column, wanted values
    duration_j: int | None  # source.screen.duration


def _columns(table: Table, s: Survey, problems: list[Problem]) -> _Columns:
    """The export's columns the survey names, each missing one reported."""
    src = s.source
    rel = table.rel
    index: dict[str, int] = {}
    for j, title in enumerate(table.titles):
        index.setdefault(title, j)

    def col(title: str, key: str) -> int | None:
        if title not in index:
            problems.append(Problem(rel, table.header_line, title,
                                    f"expected a column named {title!r} (named by {key}), got none"))
            return None
        return index[title]

    out_cols: list[tuple[str, int | None]] = [(s.respondent, col(s.respondent, "respondent"))]
    wave_title = s.wave or (src.wave.column if src.wave is not None and src.wave.from_ != "file" else None)
    wave_j = col(wave_title, "source.wave.column" if not s.wave else "wave") if wave_title else None
    wave_out = wave_column(s)
    if wave_out:
        out_cols.append((wave_out, wave_j))
    segments = []
    for k, seg in enumerate(s.segments):
        sid, title = (seg, seg) if isinstance(seg, str) else (seg.id, seg.column or seg.id)
        j = col(title, f"segments[{k}]")
        out_cols.append((sid, j))
        if not isinstance(seg, str) and seg.labels:
            segments.append((sid, j, title, seg.labels, k))
    rated = []
    if s.competitors:
        rated.append(s.competitors.column)
    if s.internal:
        rated += [s.internal.supplier, s.internal.customer]
    if s.lost:  # a lost-customer survey's reasons and where-they-went columns, under their titles
        rated += [*s.lost.reasons, *([s.lost.went_to] if s.lost.went_to else [])]
    for name in rated:
        out_cols.append((name, col(name, name)))
    for k, com in enumerate(s.comments):  # comments, their publishable marks, personal columns
        out_cols.append((com.column, col(com.column, f"comments[{k}].column")))
        if com.publishable:
            out_cols.append((com.publishable, col(com.publishable, f"comments[{k}].publishable")))
    for k, name in enumerate(s.personal):
        out_cols.append((name, col(name, f"personal[{k}]")))
    items = s.all_items()
    item_js = []
    for item in items:
        j = col(item.column or item.id, f"item {item.id}")
        out_cols.append((item.id, j))
        item_js.append(j)
    for item in s.expectation_items():  # read as items of their own, after the items (see Survey.gap_items)
        j = col(item.id, "an item's expectation.column")
        out_cols.append((item.id, j))
        item_js.append(j)
        items.append(item)
    include = src.include if src.include is not None else DEFAULT_INCLUDE.get(src.format, {})
    include_js = []
    for name, wanted in include.items():
        if src.include is None and name not in index:
            continue  # a format's default filter on a column this export lacks
        include_js.append((col(name, f"source.include.{name}"), wanted))
    screen = src.screen
    duration_j = col(screen.duration, "source.screen.duration") if screen and screen.duration else None
    return _Columns(out_cols, wave_title, wave_j, wave_out, segments, items, item_js, include_js, duration_j)


def _waves(path: Path, table: Table, s: Survey, cols: _Columns, report: _Report) -> list[str | None]:
    """The wave of every row (for the counts; the plain path checks the labels again)."""
    src = s.source
    rows = table.rows
    wave_j = cols.wave_j
    if src.wave is not None and src.wave.from_ == "date":
        waves = []
        for r, row in enumerate(rows):
            when = parse_date(row[wave_j], src.wave.date_format)
            if when is None:
                report.add(table.lines[r], cols.wave_title, "expected a date such as 2025/6/3 11:50:00 or 2025-06-03, "
                           f"got {describe_date(row[wave_j])}", "date")
                waves.append(None)
            else:
                waves.append(period_label(when, src.wave.period))
    elif wave_j is not None:
        waves = [row[wave_j] for row in rows]
    else:
        waves = [path.stem] * len(rows)
    return waves


def _recode(table: Table, s: Survey, cols: _Columns, report: _Report) -> None:
    """Answers: texts to codes (values:), segment codes to labels; in place."""
    rows = table.rows
    if s.values:
        known = ", ".join(s.values)
        for item, j in zip(cols.items, cols.item_js):
            for r, row in enumerate(rows):
                cell = row[j]
                if cell is None:
                    continue
                if cell.strip() in s.values:
                    row[j] = str(s.values[cell.strip()])
                elif _number(cell) is None:
                    report.add(table.lines[r], table.titles[j], f"expected an answer named in values ({known}) "
                               f"or a code, got {describe_answer(cell)}", "values")
    for sid, j, title, labels, k in cols.segments:
        by_text = {str(code): name for code, name in labels.items()}
        codes = ", ".join(str(code) for code in labels)
        for r, row in enumerate(rows):
            cell = row[j]
            if cell is None:
                continue
            num = _number(cell)
            key = str(int(num)) if num is not None and num.is_integer() else cell.strip()
            if key in by_text:
                row[j] = by_text[key]
            else:
                report.add(table.lines[r], title, f"expected a code with a label (segments[{k}].labels: {codes}), "
                           f"got {describe_answer(cell)}", "label")


def _plain_table(table: Table, cols: _Columns, waves: list[str | None], reason: list[str | None],
                 problems: list[Problem]) -> CsvFile | None:
    """The kept rows as the plain table (UTF-8, one header row, the mapped columns under their ids)."""
    rel = table.rel
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    names = list(dict.fromkeys(name for name, _ in cols.out))
    writer.writerow(names)
    picks = {name: j for name, j in cols.out}
    kept_lines = []
    for r, row in enumerate(table.rows):
        if reason[r] is not None:
            continue
        values = [row[picks[name]] if picks[name] is not None else None for name in names]
        if cols.wave_out:
            values[names.index(cols.wave_out)] = waves[r]
        writer.writerow(["" if v is None else v for v in values])
        kept_lines.append(table.lines[r])
    found: list[Problem] = []
    csvfile = check_csv_bytes(buf.getvalue().encode("utf-8"), rel, found)
    if csvfile is None:  # a value of a mapped column the CSV checks refuse (a NUL, a huge cell)
        problems.append(Problem(rel, 0, "", "expected an export the reader can convert, got one it could not"))
        return None
    starts = np.asarray(kept_lines, dtype=np.int64)
    return replace(csvfile, starts=starts, sheet_rows=None, records=None, header_line=table.header_line,
                   sha256=table.sha256, rows=len(kept_lines))
