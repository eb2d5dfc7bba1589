"""The user's CSV files, checked for their structure before polars or pandas parses them.

Survey exports and the complaints log are read in two steps. First the file's
bytes are checked as CSV (RFC 4180, UTF-8): text rather than binary data,
decodable UTF-8, no NUL byte, quotes only around whole values and closed,
the same number of values in every row as in the header, unique and
non-empty column names, rows and values of a sane size. Only a file that
passes is handed to polars (survey responses) or pandas (complaints log), so
their error messages, which quote the offending line and with it a
respondent's e-mail address, never reach the user.

Every problem names the file, the row and, where it is knowable, the column.
A row is numbered by the line of the file where it starts, as a text editor
numbers lines (the header is line 1, so without multi-line values the first
row is line 2 and the line is also the spreadsheet's row number). A value in
quotes may contain line breaks; the row then spans lines, and the rows after
it start on later lines than their spreadsheet row numbers: such a problem
also names the spreadsheet row. Blank lines are skipped (as pandas skips them)
but counted as lines, as editors and spreadsheets show them.

Most files are well-formed: they are checked by a few passes over the bytes
(the file's commas and line breaks, quoted values removed, must repeat the
header's pattern once per row), on the main thread while polars already
parses the file on another. On a million survey responses (80 MB) this costs
about 0.15 s of processor time, a third of polars' parse. A file that does
not pass (a problem, a blank line, a misplaced quote, a line of 1 MB or more)
is scanned row by row, which says where each problem is.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .errors import Problem

MAX_VALUE_BYTES = 1 << 20  # one value (cell)
MAX_ROW_BYTES = 4 << 20  # one row, the header included
MAX_COLUMNS = 10_000
MAX_PROBLEMS_PER_KIND = 5  # per file, column and kind of problem; then a count of the rest

BOM = b"\xef\xbb\xbf"
_COMMA, _LF, _CR, _QUOTE = 44, 10, 13, 34
_ONLY_COMMA_LF = bytes(b for b in range(256) if b not in (_COMMA, _LF))
_ONLY_COMMA_LF_QUOTE = bytes(b for b in range(256) if b not in (_COMMA, _LF, _QUOTE))
_QUOTED = re.compile(rb'"[^"]*"')
_NOT_BLANK = re.compile(rb"[^\r\n]")
_BINARY = (  # what a file named .csv turns out to be, by its first bytes
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook?): save the sheet as CSV UTF-8"),
    (b"\xd0\xcf\x11\xe0", "an Excel .xls workbook: save the sheet as CSV UTF-8"),
    (b"\xff\xfe\x00\x00", "UTF-32 text: save the file as CSV UTF-8"),
    (b"\x00\x00\xfe\xff", "UTF-32 text: save the file as CSV UTF-8"),
    (b"\xff\xfe", "UTF-16 text (Excel's \"Unicode Text\"): save the file as CSV UTF-8"),
    (b"\xfe\xff", "UTF-16 text: save the file as CSV UTF-8"),
    (b"\x89PNG", "a PNG image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
)


@dataclass(frozen=True)
class CsvFile:
    """A CSV file whose structure was checked, ready for a parser."""

    rel: str  # as in problems: relative to the project
    data: bytes = field(repr=False)  # what the parser reads: UTF-8 without byte-order mark, lines end in \n or \r\n
    header: tuple[str, ...]  # the column names, without byte-order mark and surrounding spaces
    rows: int  # rows below the header (blank lines are not rows)
    sha256: str | None  # of the file as it is on disk (None when not asked for)
    header_line: int = 1
    # the line where each row starts, when not header_line + 1 + row (a blank line or a value with a line break)
    starts: np.ndarray | None = field(default=None, repr=False)
    # each row's number in a spreadsheet (which shows a blank line as an empty row), when not its line
    sheet_rows: np.ndarray | None = field(default=None, repr=False)
    # which of the lines after the header polars makes rows of are rows (False: a blank line); None when all
    records: np.ndarray | None = field(default=None, repr=False)
    parsed: object = field(default=None, repr=False)  # what ``parse`` returned (see read_csv_file)

    def parsed_away(self) -> CsvFile:
        """This file without its bytes and parse (what locating problems needs): frees their memory."""
        return replace(self, data=b"", parsed=None)

    def lines(self, rows: np.ndarray) -> np.ndarray:
        """The line where each of ``rows`` (0-based, below the header) starts."""
        rows = np.asarray(rows, dtype=np.int64)
        return self.starts[rows] if self.starts is not None else rows + self.header_line + 1

    def where(self, row: int) -> tuple[int, str]:
        """The line of a row and, when a spreadsheet numbers it differently, the words that say so."""
        line = int(self.lines(np.array([row]))[0])
        sheet = line if self.sheet_rows is None else int(self.sheet_rows[row])
        return line, "" if line == sheet else f" (spreadsheet row {sheet})"


def read_csv_file(path: Path, rel: str, problems: list[Problem], *, checksum: bool = True,
                  parse: Callable[[bytes, tuple[str, ...]], object] | None = None) -> CsvFile | None:
    """Read and check one CSV file; None when it has problems (appended to ``problems``).

    ``parse(data, header)``: the parser's work, started on a second thread as soon as the first
    line gives the header, while the structure is checked (polars lets go of the interpreter
    lock; the check takes about a third of the parse). Its result is ``CsvFile.parsed`` when
    the file passes with that header, else None (the caller parses then).
    """
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        problems.append(Problem(rel, 0, "", "expected a CSV file, got a folder"))
        return None
    except OSError as exc:
        problems.append(Problem(rel, 0, "", f"expected a readable file, got {(exc.strerror or 'an error').lower()}"))
        return None
    found: list[Problem] = []
    data = _text(raw, rel, found)
    if data is None:
        problems += found
        return None
    guess = _first_header(data) if parse is not None else None
    if guess is None:
        csvfile = _fast(data, rel) or _scan(data, rel, found)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(parse, data, guess)
            csvfile = _fast(data, rel) or _scan(data, rel, found)
            try:
                parsed = pending.result()
            except Exception:  # noqa: BLE001 - a parse of unchecked bytes; the caller parses the checked file again
                parsed = None
        if csvfile is not None and csvfile.header == guess:
            csvfile = replace(csvfile, parsed=parsed)
    if found:
        problems += found
        return None
    if checksum:
        csvfile = replace(csvfile, sha256=hashlib.sha256(raw).hexdigest())
    return csvfile


def check_csv_bytes(raw: bytes, rel: str, problems: list[Problem]) -> CsvFile | None:
    """The checks of :func:`read_csv_file` on UTF-8 bytes held in memory (an export converted to
    UTF-8, or a table made from one); None when they have problems (appended to ``problems``)."""
    found: list[Problem] = []
    data = _text(raw, rel, found)
    csvfile = None if data is None else _fast(data, rel) or _scan(data, rel, found)
    if found or csvfile is None:
        problems += found
        return None
    return csvfile


def _first_header(data: bytes) -> tuple[str, ...] | None:
    """The column names on the first line when it is a plain header (no quotes); else None."""
    end = data.find(b"\n")
    line = data[: end if end != -1 else len(data)]
    if not line.strip() or b'"' in line or len(line) > MAX_ROW_BYTES:
        return None
    try:
        return tuple(_name(name) for name in line.decode("utf-8").rstrip("\r").split(","))
    except UnicodeDecodeError:
        return None


def _text(raw: bytes, rel: str, problems: list[Problem]) -> bytes | None:
    """The bytes a parser will read (no byte-order mark, \\n line ends), or None when the file is not text."""
    for magic, what in _BINARY:
        if raw.startswith(magic):
            kind = "UTF-8 text" if what.startswith("UTF-") else "CSV text"
            problems.append(Problem(rel, 0, "", f"expected {kind}, got {what}"))
            return None
    if raw.count(b"\0", 0, 8192) >= 8:  # a stray NUL in text is reported where it is
        problems.append(Problem(rel, 0, "", "expected CSV text, got binary data (NUL bytes near the start)"))
        return None
    data = raw[len(BOM):] if raw.startswith(BOM) else raw
    if data.find(b"\n") == -1 and data.find(b"\r") != -1:
        data = data.replace(b"\r", b"\n")  # classic Mac line ends: the same lines, byte for byte
    if _NOT_BLANK.search(data) is None:
        problems.append(Problem(rel, 1, "", "expected a header row, got " + ("only blank lines" if data else "an empty file")))
        return None
    return data[: _end_of_text(data)]


def _end_of_text(data: bytes) -> int:
    """Where the blank lines at the end of the file begin (after the last line's own line end).

    They are no rows, and dropping them changes no row's line; only an unclosed quoted value could
    have held them, and that is reported either way.
    """
    end = len(data)
    while end and data[end - 1] in b"\r\n":
        chunk = data[max(0, end - 4096) : end]
        kept = len(chunk.rstrip(b"\r\n"))
        end -= len(chunk) - kept
        if kept:
            break
    # keep the last line's own end (\n or \r\n)
    if data[end : end + 2] == b"\r\n":
        return end + 2
    return end + 1 if data[end : end + 1] == b"\n" else end


def _fast(data: bytes, rel: str) -> CsvFile | None:
    """The file, when a few passes over its bytes show it well-formed; None when unsure."""
    if data.find(b"\0") != -1 or data[:1] in (b"\n", b"\r"):
        return None
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if data.find(b"\r") != -1 and data.count(b"\r") != data.count(b"\r\n"):
        return None  # a carriage return that does not end a line
    half = MAX_VALUE_BYTES // 2  # a line of MAX_VALUE_BYTES or more holds a whole aligned block without a line break
    if any(data.find(b"\n", s, s + half) == -1 for s in range(0, len(data) - half + 1, half)):
        return None
    quoted_lf = False
    if data.find(b'"') == -1:
        commas = data.translate(None, _ONLY_COMMA_LF)
    else:
        arr = np.frombuffer(data, dtype=np.uint8)
        quotes = np.flatnonzero(arr == _QUOTE)
        if _bad_quote(arr, quotes) is not None or _longest_quoted(quotes) >= MAX_VALUE_BYTES:
            return None
        marks = data.translate(None, _ONLY_COMMA_LF_QUOTE)
        commas = _QUOTED.sub(b"", marks)
        quoted_lf = commas.count(b"\n") != marks.count(b"\n")
    width = (commas.find(b"\n") if commas.find(b"\n") != -1 else len(commas)) + 1
    if not 2 <= width <= MAX_COLUMNS:
        return None  # one column: blank lines and empty values look alike; let the scan tell
    ends = commas.count(b"\n")
    unit = b"," * (width - 1) + b"\n"
    last = not data.endswith(b"\n")  # a last row without a line break (it may hold no comma: "x" after "\n")
    if commas != unit * ends + (unit[:-1] if last else b""):
        return None
    records = ends + last
    starts = None
    if quoted_lf:
        newlines = np.flatnonzero(arr == _LF)
        outside = (np.searchsorted(quotes, newlines) & 1) == 0
        ends_at = newlines[outside]
        if not len(ends_at) or np.diff(ends_at, prepend=-1, append=len(data)).max() > MAX_ROW_BYTES:
            return None
        starts = (np.flatnonzero(outside) + 2)[: records - 1]
        header_end = int(ends_at[0])
    else:
        header_end = data.find(b"\n") if data.find(b"\n") != -1 else len(data)
    header = _parse_header(data[:header_end])
    if header is None or len(header) != width:
        return None
    names = tuple(_name(name) for name in header)
    if len(set(names)) != len(names) or "" in names:
        return None
    sheet_rows = np.arange(2, records + 1) if starts is not None else None
    return CsvFile(rel, data, names, records - 1, None, 1, starts, sheet_rows)


def _bad_quote(arr: np.ndarray, quotes: np.ndarray) -> tuple[int, str] | None:
    """The first quote where RFC 4180 allows none (offset and what is wrong), or an unclosed one; None if all fine.

    Quotes pair up in order (the second one closes the first): an opening quote must start a
    value (follow a comma, a line break or the start of the file) and a closing one end it
    (be followed by a comma, a line break or the end), except for a doubled quote ("") inside
    a quoted value, which closes and opens again at once.
    """
    if not len(quotes):
        return None
    opening, closing = quotes[0::2], quotes[1::2]
    n = len(arr)
    before = arr[np.maximum(opening - 1, 0)]
    ok_open = (opening == 0) | (before == _COMMA) | (before == _LF) | (before == _CR)
    ok_open[1:] |= opening[1:] == closing[: len(opening) - 1] + 1
    after = arr[np.minimum(closing + 1, n - 1)]
    ok_close = (closing == n - 1) | (after == _COMMA) | (after == _LF) | (after == _CR)
    ok_close[: len(opening) - 1] |= closing[: len(opening) - 1] + 1 == opening[1:]
    bad = [(int(opening[~ok_open][0]), "open")] if not ok_open.all() else []
    bad += [(int(closing[~ok_close][0]), "close")] if not ok_close.all() else []
    if len(quotes) % 2:
        bad.append((int(quotes[-1]), "unclosed"))
    return min(bad) if bad else None


def _longest_quoted(quotes: np.ndarray) -> int:
    """The length of the longest quoted value (from its opening to its closing quote)."""
    opening, closing = quotes[0::2], quotes[1::2]
    if not len(closing):
        return 0
    first = np.ones(len(closing), dtype=bool)
    first[1:] = opening[1 : len(closing)] != closing[:-1] + 1  # not the second half of a doubled quote
    last = np.roll(first, -1)
    last[-1] = True
    return int((closing[last] - opening[first]).max()) + 1


def _name(cell: str) -> str:
    """A column name as the header cell has it, without byte-order marks and surrounding spaces."""
    return cell.replace("\ufeff", "").strip()


def _unquote(cell: bytes) -> str:
    """The text of one value as its bytes are in the file (quotes removed, a doubled quote made one)."""
    if cell.startswith(b'"') and cell.endswith(b'"') and len(cell) > 1:
        cell = cell[1:-1].replace(b'""', b'"')
    return cell.decode("utf-8", errors="replace")


def _parse_header(line: bytes) -> list[str] | None:
    try:
        return next(csv.reader([line.decode("utf-8", errors="replace").rstrip("\r")]), None)
    except csv.Error:
        return None


class _Problems:
    """Problems of one file: at most MAX_PROBLEMS_PER_KIND of each kind, then how many more there are."""

    def __init__(self, rel: str):
        self.rel = rel
        self.listed: list[Problem] = []
        self.more: dict[str, list] = {}  # kind -> [count, line of the first one not listed]

    def add(self, line: int, column: str, message: str, kind: str | None = None) -> None:
        seen = self.more.setdefault(kind or f"{column}\0{message}", [0, line])
        seen[0] += 1
        if seen[0] <= MAX_PROBLEMS_PER_KIND:
            self.listed.append(Problem(self.rel, line, column, message))
        elif seen[0] == MAX_PROBLEMS_PER_KIND + 1:
            seen[1] = line

    def total(self, kind: str, count: int) -> None:
        """There are ``count`` problems of ``kind``, of which the first few were added."""
        if kind in self.more:
            self.more[kind][0] = max(self.more[kind][0], count)

    def all(self) -> list[Problem]:
        rest = [Problem(self.rel, line, "", f"{count - MAX_PROBLEMS_PER_KIND} more problems like these (not listed)")
                for count, line in self.more.values() if count > MAX_PROBLEMS_PER_KIND]
        return self.listed + rest


_QUOTE_PROBLEMS = {
    "open": 'expected a quote (") only at the start of a value, got one inside the value',
    "close": 'expected a comma or a line end after a closing quote ("), got more of the value '
             '(a quote inside a quoted value is written "")',
    "unclosed": 'expected a closing quote (") for the value that starts here, got the end of the file',
}


def _mb(size: int) -> str:
    return f"{size >> 20} MB" if size % (1 << 20) == 0 else f"{size / (1 << 20):.2f} MB"


def _scan(data: bytes, rel: str, out: list[Problem]) -> CsvFile | None:
    """Check the file row by row; the file, or None when a problem was found (appended to ``out``)."""
    problems = _Problems(rel)
    arr = np.frombuffer(data, dtype=np.uint8)
    n = len(arr)
    newlines = np.flatnonzero(arr == _LF)
    quotes = np.flatnonzero(arr == _QUOTE)

    def line_at(offset: int) -> int:
        return int(np.searchsorted(newlines, offset)) + 1

    # where the structure ends being knowable: a misplaced or unclosed quote changes the meaning of all after it
    stop, quote_problem = n, _bad_quote(arr, quotes)
    if quote_problem is not None:
        offset = quote_problem[0]
        stop = offset
    inside_lf = (np.searchsorted(quotes, newlines) & 1) == 1 if len(quotes) else np.zeros(len(newlines), dtype=bool)
    ends = newlines[~inside_lf]
    ends = ends[ends < stop]
    # rows: from the start or after a line break outside quotes, to the next one (the last may have none)
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [stop]))
    if stop == n and starts[-1] == n:  # the file ends with a line break
        starts, stops = starts[:-1], stops[:-1]
    trimmed = stops - ((stops > starts) & (arr[np.maximum(stops - 1, 0)] == _CR))
    blank = trimmed == starts
    commas = np.flatnonzero(arr[:stop] == _COMMA)
    if len(quotes):
        commas = commas[(np.searchsorted(quotes, commas) & 1) == 0]
    values = np.searchsorted(commas, stops) - np.searchsorted(commas, starts) + 1
    first_lines = np.searchsorted(newlines, starts) + 1

    nonblank = np.flatnonzero(~blank)
    if not len(nonblank):  # nothing before the first quote problem (the file has text: see _text)
        offset, what = quote_problem
        out.append(Problem(rel, line_at(offset), "column 1", _QUOTE_PROBLEMS[what]))
        return None
    head = int(nonblank[0])
    header_line = int(first_lines[head])
    header_end = min(int(trimmed[head]), stop)  # a quote problem may cut the header short
    if header_end - starts[head] > MAX_ROW_BYTES:
        out.append(Problem(rel, header_line, "", f"expected a header row of at most {_mb(MAX_ROW_BYTES)}, "
                                                 f"got {_mb(int(header_end - starts[head]))}"))
        return None
    bounds = [int(starts[head]) - 1, *commas[(commas >= starts[head]) & (commas < header_end)].tolist(), header_end]
    raw_names = [_unquote(data[a + 1 : b]) for a, b in zip(bounds, bounds[1:])]
    names = [_name(name) for name in raw_names]
    width = len(names)

    def column(offset: int) -> str:
        """The column of the value at ``offset`` (its name, or its position when it has none)."""
        if offset > stop:
            return ""
        row = int(np.searchsorted(starts, offset, side="right")) - 1
        index = int(np.searchsorted(commas, offset) - np.searchsorted(commas, starts[row]))
        return names[index] if index < width and names[index] else f"column {index + 1}"

    # the bytes: NUL, UTF-8, carriage returns that end no line
    nul = np.flatnonzero(arr == 0)
    for offset in nul[: MAX_PROBLEMS_PER_KIND + 1]:
        problems.add(line_at(int(offset)), column(int(offset)), "expected text, got a NUL byte", "nul")
    problems.total("nul", len(nul))
    for offset, byte in _undecodable(data):
        problems.add(line_at(offset), column(offset),
                     f"expected UTF-8 text, got the byte 0x{byte:02X} (is the file in Latin-1 or Windows-1252? "
                     "save it as CSV UTF-8)", "utf-8")
    if "utf-8" in problems.more:
        problems.total("utf-8", _undecodable_count(data))
    carriage = np.flatnonzero(arr[:stop] == _CR)
    lone = carriage[(carriage == n - 1) | (arr[np.minimum(carriage + 1, n - 1)] != _LF)]
    if len(quotes):
        lone = lone[(np.searchsorted(quotes, lone) & 1) == 0]
    for offset in lone[: MAX_PROBLEMS_PER_KIND + 1]:
        problems.add(line_at(int(offset)), "", "expected lines that end in \\n or \\r\\n, got a line end \\r alone", "cr")
    problems.total("cr", len(lone))
    if quote_problem is not None:
        offset, what = quote_problem
        problems.add(line_at(offset), column(offset), _QUOTE_PROBLEMS[what])

    # the header
    if len(raw_names) > MAX_COLUMNS:
        problems.add(header_line, "", f"expected at most {MAX_COLUMNS} columns, got {len(raw_names)}")
    elif width == 1 and stop > trimmed[head]:
        for sep, called in ((";", "semicolons (;)"), ("\t", "tabs"), ("|", "vertical bars (|)")):
            if sep in raw_names[0]:
                problems.add(header_line, "", f"expected values separated by commas, got {called}: "
                             "save the file as CSV UTF-8 (comma delimited)")
                break
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if not name:
            problems.add(header_line, f"column {i + 1}", "expected a column name, got an empty cell", "unnamed")
        elif name in seen:
            problems.add(header_line, name, f"expected unique column names, got {name!r} again in column {i + 1} "
                         f"(first in column {seen[name] + 1})", "duplicate")
        else:
            seen[name] = i

    # the rows: as many values as the header has names (unless the header is already refused), of a sane size
    rows = nonblank[1:] if width <= MAX_COLUMNS else nonblank[:0]
    complete = rows[stops[rows] < stop] if stop < n else rows
    wrong = complete[values[complete] != width]
    for r in wrong[: MAX_PROBLEMS_PER_KIND + 1]:
        got = int(values[r])
        name = names[got] if got < width and names[got] else f"column {min(got, width) + 1}"
        problems.add(int(first_lines[r]), name,
                     f"expected {width} values (one per column of the header), got {got}", "values")
    problems.total("values", len(wrong))
    lengths = stops - starts
    for r in np.flatnonzero(lengths > MAX_VALUE_BYTES):
        bounds = np.concatenate(([starts[r] - 1], commas[(commas >= starts[r]) & (commas < stops[r])], [stops[r]]))
        widest = int(np.argmax(np.diff(bounds)))
        size = int(np.diff(bounds)[widest]) - 1
        if size > MAX_VALUE_BYTES:
            name = names[widest] if widest < width and names[widest] else f"column {widest + 1}"
            problems.add(int(first_lines[r]), name, f"expected a value of at most {_mb(MAX_VALUE_BYTES)}, got {_mb(size)}")
        elif lengths[r] > MAX_ROW_BYTES:
            problems.add(int(first_lines[r]), "", f"expected a row of at most {_mb(MAX_ROW_BYTES)}, got {_mb(int(lengths[r]))}")
    if problems.listed:
        out += problems.all()
        return None
    after = np.arange(head + 1, len(starts))
    record_mask = ~blank[head + 1 :]
    row_starts = first_lines[after[record_mask]].astype(np.int64)
    sheet_rows = after[record_mask] + 1  # a spreadsheet shows every blank line as an empty row
    simple = bool((row_starts == np.arange(len(row_starts)) + header_line + 1).all())
    return CsvFile(rel, data, tuple(names), int(record_mask.sum()), None, header_line,
                   None if simple else row_starts,
                   None if (sheet_rows == row_starts).all() else sheet_rows,
                   None if record_mask.all() else record_mask)


def _undecodable(data: bytes):  # noqa: ANN202
    """(offset, byte) of the first bytes that are not UTF-8, at most one more than are listed."""
    view = memoryview(data)
    pos = 0
    for _ in range(MAX_PROBLEMS_PER_KIND + 1):
        try:
            str(view[pos:], "utf-8")
            return
        except UnicodeDecodeError as exc:
            yield pos + exc.start, data[pos + exc.start]
            pos += exc.end


def _undecodable_count(data: bytes) -> int:
    """How many bytes of ``data`` are not UTF-8."""
    return len(data) - len(data.decode("utf-8", errors="ignore").encode("utf-8"))


# How a wrong value is quoted after "got". Only answers (item columns) and dates are ever shown, and
# only when they look like one: an identifier, a contact detail or free text in the wrong column
# must not reach the terminal or the CI log.
_ANSWER = re.compile(r"[\w.,+\-/ ]{1,16}")
_DATE = re.compile(r"[0-9./\- :T年月日]{1,20}")
_DIGITS = re.compile(r"\d{6}")


def describe_answer(value: object) -> str:
    """An answer as quoted after "got": as it is when short and answer-like, otherwise only its length.

    Shown: at most 16 letters, digits, spaces and ``. , + - /`` without a run of six digits
    (``'7'``, ``'n/a'``, ``'ten'``, ``1e309``). Not shown: an e-mail address, a phone number, a sentence.
    """
    if value is None:
        return "nothing"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 9, not 9.0 (answers are read as floats)
    if not isinstance(value, str):
        return repr(value)
    if _ANSWER.fullmatch(value) and not _DIGITS.search(value):
        return repr(value)
    return _hidden(value)


def describe_date(value: object) -> str:
    """A date as quoted after "got": as it is when it is made of digits and separators (年月日 included)
    without a run of six digits, otherwise its length.

    A blank cell (None, or NaN as pandas reads one) is "nothing".
    """
    if _blank(value):
        return "nothing"
    if isinstance(value, str) and _DATE.fullmatch(value) and not _DIGITS.search(value):
        return repr(value)  # a run of six digits is an id or a phone number, not a date
    return _hidden(value)


def describe_hidden(value: object) -> str:
    """A value of a column that is not published (an identifier, a contact, free text): only its length."""
    return "nothing" if _blank(value) else _hidden(value)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _hidden(value: object) -> str:
    text = str(value)
    return f"a value of {len(text)} character{'s' if len(text) != 1 else ''} (not shown)"


# The parsers, on a checked file. Their own error messages quote the offending line (and with it,
# perhaps, an e-mail address): they never reach the user. After the checks above they are not
# expected to fail; if one does, the problem names the file only.
_PARSER_FAILED = "expected a CSV file the reader can parse, got one it could not (no row known)"


def parse_polars(data: bytes, header: tuple[str, ...], columns: list[str], numeric: list[str],
                 integers: bool = False):  # noqa: ANN201
    """Read ``columns`` with polars: the ``numeric`` ones as 16-bit integers (when ``integers``) or
    else as floats when they all parse, else everything as text. Returns the frame and which of
    these it is (``"int"``, ``"float"`` or ``"text"``), or None when polars fails.

    polars parses CSV several times faster than pandas and in less memory (the benchmark reads
    a million responses); everything after this step is pandas/numpy. Answers are whole numbers:
    as integers they take a quarter of the memory of floats (fewer page faults, a faster parse);
    anything an integer parse refuses (a decimal point, an exponent, "nan", a number beyond 16
    bits) is read again as floats, so the checks and values are those of a float read.
    """
    import polars as pl

    names = list(header)
    if any(col not in header for col in columns):
        return None
    options = dict(columns=columns, infer_schema=False, with_column_names=lambda _: names)
    try:
        for dtype, kind in ((pl.Int16, "int"), (pl.Float64, "float"))[0 if integers else 1 :]:
            try:
                return pl.read_csv(data, schema_overrides={c: dtype for c in numeric}, **options), kind
            except pl.exceptions.ComputeError:
                continue
        return pl.read_csv(data, **options), "text"
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException, ValueError):
        return None


def read_polars(csvfile: CsvFile, columns: list[str], numeric: list[str], integers: bool,
                problems: list[Problem]):  # noqa: ANN201
    """:func:`parse_polars` on a checked file (or what ``read_csv_file`` parsed of it), one row per row
    of the file; None (reported) when polars fails."""
    import polars as pl

    parsed = csvfile.parsed if csvfile.parsed is not None else parse_polars(csvfile.data, csvfile.header, columns, numeric, integers)
    frame, kind = parsed if parsed is not None else (None, "text")
    if frame is not None and csvfile.records is not None and frame.height == len(csvfile.records):
        frame = frame.filter(pl.Series(csvfile.records))  # polars reads a blank line as a row of nulls
    if frame is None or frame.height != csvfile.rows:
        problems.append(Problem(csvfile.rel, 0, "", _PARSER_FAILED))
        return None
    return frame, kind


def read_pandas(csvfile: CsvFile, problems: list[Problem]):  # noqa: ANN201
    """The whole file as text columns (blank cells: NaN) with pandas; None (reported) when pandas fails."""
    import pandas as pd

    try:
        frame = pd.read_csv(io.BytesIO(csvfile.data), dtype=str, keep_default_na=False, na_values=[""],
                            header=0, names=list(csvfile.header), encoding="utf-8", engine="c")
    except (ValueError, pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        frame = None
    if frame is None or len(frame) != csvfile.rows:
        problems.append(Problem(csvfile.rel, 0, "", _PARSER_FAILED))
        return None
    return frame
