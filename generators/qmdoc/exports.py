"""Survey exports and complaints logs as the user's systems wrote them, turned into plain tables.

An export that is not a plain UTF-8 CSV with our column names (a 问卷星 GBK
CSV, a Qualtrics CSV with three header rows, a SurveyMonkey CSV with two, any
``.xlsx``) is converted here, in memory, into the table the plain path reads:
UTF-8, one header row, the mapped columns under their ids, one row per kept
response. Each row keeps the line (CSV) or sheet row (``.xlsx``) where it
stands in the user's file, so every later problem names the user's file, row
and column. The plain path (``load.load_survey_files`` on a UTF-8 CSV) stays
as it is: the conversion is a step in front of it.

Encodings: ``auto`` reads UTF-8 (with or without byte-order mark) and
otherwise GB18030, the superset of GBK and GB2312 that Chinese Excel and
问卷星 write; no guessing library is involved, since a strict UTF-8 decode
almost never succeeds on GBK text and GB18030 decodes every byte sequence
Chinese Windows produces. Any other codec name is decoded strictly: the first
byte that does not decode is reported at its line and column.

``.xlsx`` files are read with fastexcel (the Rust calamine reader polars
uses), every cell as text: on 50,000 rows x 20 columns 0.7 s against 6.7 s for
openpyxl's read-only mode. Excel rows are numbered as Excel shows them.

Screening (``source.include``, ``source.screen``) removes rows before the
figures and counts them per wave and reason: ``filter``, ``speeders``,
``straightline`` (in that order: a row counts under the first reason that
applies).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import re
import statistics
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .load.csv import CsvFile, check_csv_bytes, describe_answer, describe_date
from .errors import Problem
from .models import Survey

MAX_LISTED = 5  # problems of one kind per column and file, then a count
EXCLUSION_REASONS = ("filter", "speeders", "straightline")
FORMAT_HEADER_ROWS = {"plain": 1, "wjx": 1, "qualtrics": 3, "surveymonkey": 2}
DEFAULT_INCLUDE = {"qualtrics": {"Status": [0], "Finished": [1]}}
# SurveyMonkey's second header row under a single-column question
_MONKEY_PLAIN = {"", "response", "open-ended response"}
WAVE_COLUMN = "wave"  # the converted table's wave column, when the wave comes from source.wave


@dataclass
class Table:
    """An export as text cells (None: blank), each row with its line or sheet row in the file."""

    rel: str
    titles: list[str]
    rows: list[list[str | None]]
    lines: list[int]
    header_line: int
    sha256: str | None


# ------------------------------------------------------------------ reading


def decode_export(raw: bytes, encoding: str, rel: str, problems: list[Problem]) -> bytes | None:
    """The file's bytes as UTF-8 (a byte-order mark kept for the CSV checks to drop); None when
    a byte does not decode (reported at its line and column)."""
    try:
        raw.decode("utf-8")
        utf8_ok = True
    except UnicodeDecodeError as exc:
        utf8_ok, error = False, exc
    name = "auto" if encoding.lower() == "auto" else codecs.lookup(encoding).name
    if utf8_ok and name in ("auto", "utf-8", "utf-8-sig", "ascii"):
        return raw
    if name == "auto":
        name = "gb18030"
    elif name in ("utf-8", "utf-8-sig"):
        hint = ""
        try:
            raw.decode("gb18030")
            hint = " (the file decodes as GB18030: source.encoding auto or gb18030 reads it)"
        except UnicodeDecodeError:
            pass
        problems.append(_byte_problem(raw, error.start, rel, f"expected UTF-8 text (encoding {encoding}), got the "
                                      f"byte 0x{raw[error.start]:02X}{hint}"))
        return None
    try:
        return raw.decode(name).encode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(_byte_problem(raw, exc.start, rel, f"expected text in the encoding {encoding}, got the byte "
                                      f"0x{raw[exc.start]:02X} (is the file in another encoding?)"))
        return None


def _byte_problem(raw: bytes, offset: int, rel: str, message: str) -> Problem:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    line = raw.count(b"\n", 0, offset) + 1
    column = raw.count(b",", line_start, offset) + 1  # quoted commas aside: where the editor shows it
    return Problem(rel, line, f"column {column}", message)


def read_table(path: Path, rel: str, fmt: str, encoding: str, sheet: str | None, problems: list[Problem],
               checksum: bool = True) -> Table | None:
    """Read an export (CSV in any encoding, or .xlsx) into text cells; None when it has problems (reported)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(rel, 0, "", f"expected a readable file, got {(exc.strerror or 'an error').lower()}"))
        return None
    sha = hashlib.sha256(raw).hexdigest() if checksum else None
    header_rows = FORMAT_HEADER_ROWS[fmt]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        grid = _read_xlsx(path, rel, sheet, problems)
        if grid is None:
            return None
        numbered = [(i + 1, row) for i, row in enumerate(grid) if any(v is not None for v in row)]
        if len(numbered) < header_rows:
            problems.append(Problem(rel, 1, "", f"expected {header_rows} header row(s), got an empty sheet"))
            return None
        heads = [row for _, row in numbered[:header_rows]]
        body = numbered[header_rows:]
        titles = _titles(fmt, heads)
        if titles is None:
            problems.append(Problem(rel, numbered[2][0], "", "expected the third header row of a Qualtrics export "
                                    '({"ImportId": ...}), got another row'))
            return None
        return Table(rel, titles, [row for _, row in body], [n for n, _ in body], numbered[0][0], sha)
    data = decode_export(raw, encoding, rel, problems)
    if data is None:
        return None
    offset = 0
    if fmt == "surveymonkey":  # two header rows, the first with blanks: merged into one before the checks
        text = data.decode("utf-8-sig")
        end = _records_end(text, 2)
        heads = list(csv.reader(io.StringIO(text[:end])))
        if len(heads) < 2:
            problems.append(Problem(rel, 1, "", "expected the two header rows of a SurveyMonkey export, got fewer"))
            return None
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(_titles(fmt, heads))
        offset = text[:end].count("\n") - 1
        data = (out.getvalue() + text[end:]).encode("utf-8")
    src = check_csv_bytes(data, rel, problems)
    if src is None:
        return None
    reader = csv.reader(io.StringIO(src.data.decode("utf-8")))
    next(reader, None)
    rows = [[v if v.strip() else None for v in row] for row in reader if row]
    lines = (src.lines(np.arange(len(rows))) + offset).tolist()
    if fmt == "qualtrics":
        if len(rows) < 2 or not (rows[1] and (rows[1][0] or "").startswith('{"ImportId"')):
            problems.append(Problem(rel, lines[1] if len(lines) > 1 else 1, "",
                                    'expected the three header rows of a Qualtrics export (ids, question text, '
                                    '{"ImportId": ...}), got another row'))
            return None
        rows, lines = rows[2:], lines[2:]
    return Table(rel, list(src.header), rows, lines, 1, sha)


def _records_end(text: str, n: int) -> int:
    """Where the first ``n`` CSV records of ``text`` end (after their line break)."""
    inside, count = False, 0
    for i, ch in enumerate(text):
        if ch == '"':
            inside = not inside
        elif ch == "\n" and not inside:
            count += 1
            if count == n:
                return i + 1
    return len(text)


def _titles(fmt: str, heads: list[list]) -> list[str] | None:
    """The column titles from a format's header rows."""
    first = [("" if v is None else str(v)).replace("\ufeff", "").strip() for v in heads[0]]
    if fmt == "qualtrics":
        third = heads[2] if len(heads) > 2 else []
        if not third or not str(third[0] or "").startswith('{"ImportId"'):
            return None
    if fmt != "surveymonkey":
        return first
    second = [("" if v is None else str(v)).strip() for v in heads[1]] + [""] * len(first)
    titles, question = [], ""
    for top, sub in zip(first, second):
        question = top or question
        titles.append(question if sub.lower() in _MONKEY_PLAIN else f"{question} | {sub}")
    return titles


def _read_xlsx(path: Path, rel: str, sheet: str | None, problems: list[Problem]) -> list[list[str | None]] | None:
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
        if sheet is not None and sheet not in names:
            problems.append(Problem(rel, 0, "sheet", f"expected a sheet named {sheet!r}, got {', '.join(map(repr, names))}"))
            return None
        frame = reader.load_sheet(sheet if sheet is not None else 0, header_row=None, dtypes="string").to_polars()
    except Exception:  # noqa: BLE001 - the reader's message may quote a cell: never shown
        problems.append(Problem(rel, 0, "", "expected an Excel .xlsx workbook, got a file the reader cannot open"))
        return None
    # the reader starts at the first row holding a value: blank rows above it still count in Excel
    first = _first_row(path, sheet if sheet is not None else names[0])
    return [[] for _ in range(first - 1)] + [list(row) for row in frame.iter_rows()]


_XML_TAG = re.compile(r"<(?:\w+:)?(sheet|Relationship)\b([^>]*)>")
_XML_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_CELL = re.compile(r'<c\b([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def _first_row(path: Path, sheet: str) -> int:
    """The Excel row number of the first cell holding a value in ``sheet`` (1 when it cannot be told)."""
    import html
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            tags = [(kind, dict(_XML_ATTR.findall(attrs))) for kind, attrs in
                    _XML_TAG.findall(z.read("xl/workbook.xml").decode("utf-8"))
                    + _XML_TAG.findall(z.read("xl/_rels/workbook.xml.rels").decode("utf-8"))]
            rid = next(a.get("r:id") for k, a in tags if k == "sheet" and html.unescape(a.get("name", "")) == sheet)
            target = next(a["Target"] for k, a in tags if k == "Relationship" and a.get("Id") == rid)
            name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            with z.open(name) as f:
                head = f.read(1 << 20).decode("utf-8", errors="ignore")
    except Exception:  # noqa: BLE001 - an unusual workbook: rows counted from the first one read
        return 1
    for m in _CELL.finditer(head):
        if m.group(2) and ("<v>" in m.group(2) or "<is>" in m.group(2)):
            row = re.search(r'\br="[A-Z]+(\d+)"', m.group(1))
            return int(row.group(1)) if row else 1
    return 1


# ------------------------------------------------------------------ values


_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_HAN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def parse_date(text: str | None, date_format: str | None = None) -> dt.datetime | None:
    """A date or date-time as logs and exports write it; None when it is none of the known forms.

    Forms: ``date_format`` (strftime) when given, ISO (``2025-01-03``, ``2025-01-03T10:00:00``),
    ``2025/1/3`` (with a time or without), ``2025年1月3日`` and Excel serial numbers (``45660``).
    """
    if text is None:
        return None
    text = text.strip()
    if date_format:
        try:
            return dt.datetime.strptime(text, date_format)
        except ValueError:
            pass
    try:
        value = dt.datetime.fromisoformat(text)
        return value.replace(tzinfo=None)
    except ValueError:
        pass
    for pattern in (_SLASH, _HAN):
        m = pattern.fullmatch(text)
        if m:
            try:
                return dt.datetime(*(int(g) for g in m.groups() if g is not None))
            except ValueError:
                return None
    if _SERIAL.fullmatch(text) and 20000 <= float(text) <= 80000:
        return _EXCEL_EPOCH + dt.timedelta(days=float(text))
    return None


_SECONDS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:秒|s|sec|seconds)?")
_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})")


def parse_duration(text: str) -> float | None:
    """Seconds from ``588秒``, ``123`` or ``00:09:48``; None when it is none of them."""
    text = text.strip()
    m = _SECONDS.fullmatch(text)
    if m:
        return float(m.group(1))
    m = _CLOCK.fullmatch(text)
    if m:
        return int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
    return None


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def period_label(when: dt.datetime, period: str) -> str:
    """The wave a date falls in: 2025-06, 2025-Q2, 2025-H1 or 2025."""
    if period == "month":
        return f"{when.year}-{when.month:02d}"
    if period == "quarter":
        return f"{when.year}-Q{(when.month - 1) // 3 + 1}"
    if period == "half":
        return f"{when.year}-H{1 if when.month <= 6 else 2}"
    return str(when.year)


def _matches(cell: str | None, wanted: list) -> bool:
    if cell is None:
        return False
    num = _number(cell)
    for w in wanted:
        if isinstance(w, str) and cell.strip() == w:
            return True
        if not isinstance(w, str):
            if num is not None and num == float(w):
                return True
            if cell.strip().lower() in ("true", "false") and float(w) == (cell.strip().lower() == "true"):
                return True
    return False


# ------------------------------------------------------------------ surveys


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


def screened(s: Survey) -> bool:
    """Whether the survey's rows are screened (and exclusion counts reported)."""
    return bool(s.source.include or DEFAULT_INCLUDE.get(s.source.format) or s.source.screen)


class _Report:
    """Problems of one file, at most MAX_LISTED per column and kind, then a count."""

    def __init__(self, rel: str, problems: list[Problem]):
        self.rel, self.problems, self.seen = rel, problems, {}

    def add(self, line: int, column: str, message: str, kind: str) -> None:
        key = (column, kind)
        self.seen[key] = self.seen.get(key, 0) + 1
        if self.seen[key] <= MAX_LISTED:
            self.problems.append(Problem(self.rel, line, column, message))
        elif self.seen[key] == MAX_LISTED + 1:
            self.problems.append(Problem(self.rel, line, column, "more values like these (not listed)"))


def convert_survey(path: Path, rel: str, s: Survey, problems: list[Problem], checksum: bool = True
                   ) -> tuple[CsvFile, dict[str, dict[str, int]]] | None:
    """An export as the table the plain path reads, and the rows screened out per wave and reason."""
    src = s.source
    table = read_table(path, rel, src.format, src.encoding, src.sheet, problems, checksum)
    if table is None:
        return None
    before = len(problems)
    report = _Report(rel, problems)
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
    for name in rated:
        out_cols.append((name, col(name, name)))
    items = s.all_items()
    item_js = []
    for item in items:
        j = col(item.column or item.id, f"item {item.id}")
        out_cols.append((item.id, j))
        item_js.append(j)
    include = src.include if src.include is not None else DEFAULT_INCLUDE.get(src.format, {})
    include_js = []
    for name, wanted in include.items():
        if src.include is None and name not in index:
            continue  # a format's default filter on a column this export lacks
        include_js.append((col(name, f"source.include.{name}"), wanted))
    screen = src.screen
    duration_j = col(screen.duration, "source.screen.duration") if screen and screen.duration else None
    if len(problems) > before:
        return None

    n = len(table.rows)
    rows = table.rows
    width = len(table.titles)
    for r, row in enumerate(rows):  # a short row (xlsx trailing blanks): padded
        if len(row) < width:
            rows[r] = row + [None] * (width - len(row))

    # the wave of every row (for the counts; the plain path checks the labels again)
    if src.wave is not None and src.wave.from_ == "date":
        waves = []
        for r, row in enumerate(rows):
            when = parse_date(row[wave_j], src.wave.date_format)
            if when is None:
                report.add(table.lines[r], wave_title, "expected a date such as 2025/6/3 11:50:00 or 2025-06-03, "
                           f"got {describe_date(row[wave_j])}", "date")
                waves.append(None)
            else:
                waves.append(period_label(when, src.wave.period))
    elif wave_j is not None:
        waves = [row[wave_j] for row in rows]
    else:
        waves = [path.stem] * n

    # answers: texts to codes (values:), segment codes to labels
    if s.values:
        known = ", ".join(s.values)
        for item, j in zip(items, item_js):
            for r, row in enumerate(rows):
                cell = row[j]
                if cell is None:
                    continue
                if cell.strip() in s.values:
                    row[j] = str(s.values[cell.strip()])
                elif _number(cell) is None:
                    report.add(table.lines[r], table.titles[j], f"expected an answer named in values ({known}) "
                               f"or a code, got {describe_answer(cell)}", "values")
    for sid, j, title, labels, k in segments:
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

    # screening
    reason: list[str | None] = [None] * n
    for j, wanted in include_js:
        for r, row in enumerate(rows):
            if reason[r] is None and not _matches(row[j], wanted):
                reason[r] = "filter"
    if duration_j is not None and (screen.min_seconds or screen.min_share):
        seconds: list[float | None] = []
        for r, row in enumerate(rows):
            cell = row[duration_j]
            value = parse_duration(cell) if cell is not None else None
            if cell is not None and value is None:
                report.add(table.lines[r], screen.duration, "expected a duration such as 588秒, 123 or 00:09:48, "
                           f"got {describe_answer(cell)}", "duration")
            seconds.append(value)
        medians = {}
        if screen.min_share:
            by_wave: dict[str, list[float]] = {}
            for r in range(n):
                if reason[r] is None and seconds[r] is not None:
                    by_wave.setdefault(waves[r], []).append(seconds[r])
            medians = {w: statistics.median(v) for w, v in by_wave.items()}
        for r in range(n):
            if reason[r] is not None or seconds[r] is None:
                continue
            limit = max(screen.min_seconds or 0, (screen.min_share or 0) * medians.get(waves[r], 0))
            if seconds[r] < limit:
                reason[r] = "speeders"
    if screen and screen.straightline:
        # the items on the survey's scale (a 0..10 recommend item is another question type)
        rated_js = [j for i, j in zip(items, item_js) if i.scale is None or i.scale == s.scale]
        sc = s.scale
        for r, row in enumerate(rows):
            if reason[r] is not None:
                continue
            answers = set()
            count = 0
            for j in rated_js:
                num = _number(row[j])
                if num is not None and sc.min <= num <= sc.max:
                    answers.add(num)
                    count += 1
            if count >= 5 and len(answers) == 1:
                reason[r] = "straightline"
    if len(problems) > before:
        return None

    excluded: dict[str, dict[str, int]] = {}
    if screened(s):
        for r in range(n):
            counts = excluded.setdefault(waves[r], dict.fromkeys(EXCLUSION_REASONS, 0))
            if reason[r] is not None:
                counts[reason[r]] += 1
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    names = list(dict.fromkeys(name for name, _ in out_cols))
    writer.writerow(names)
    picks = {name: j for name, j in out_cols}
    kept_lines = []
    for r, row in enumerate(rows):
        if reason[r] is not None:
            continue
        values = [row[picks[name]] if picks[name] is not None else None for name in names]
        if wave_out:
            values[names.index(wave_out)] = waves[r]
        writer.writerow(["" if v is None else v for v in values])
        kept_lines.append(table.lines[r])
    found: list[Problem] = []
    csvfile = check_csv_bytes(buf.getvalue().encode("utf-8"), rel, found)
    if csvfile is None:  # a value of a mapped column the CSV checks refuse (a NUL, a huge cell)
        problems.append(Problem(rel, 0, "", "expected an export the reader can convert, got one it could not"))
        return None
    starts = np.asarray(kept_lines, dtype=np.int64)
    csvfile = replace(csvfile, starts=starts, sheet_rows=None, records=None, header_line=table.header_line,
                      sha256=table.sha256, rows=len(kept_lines))
    return csvfile, excluded


# ------------------------------------------------------------------ complaints


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


__all__ = ["convert_complaints", "convert_survey", "needs_conversion", "parse_date",
           "parse_duration", "period_label", "read_table", "screened", "wave_column"]
