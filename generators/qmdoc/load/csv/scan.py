"""The slow check: a file the quick check is unsure of, scanned row by row to say where each problem is."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...errors import Problem
from .file import (_COMMA, _CR, _LF, _QUOTE, MAX_COLUMNS, MAX_PROBLEMS_PER_KIND, MAX_ROW_BYTES, MAX_VALUE_BYTES,
                   CsvFile, _bad_quote, _mb, _name, _unquote)


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


@dataclass(frozen=True)
class _Layout:
    """Where the rows, values and lines of a file lie, up to where its structure is knowable (``stop``)."""

    data: bytes
    arr: np.ndarray
    newlines: np.ndarray
    quotes: np.ndarray
    stop: int
    quote_problem: tuple[int, str] | None  # the first misplaced or unclosed quote (offset, what is wrong)
    starts: np.ndarray  # each row's first byte
    stops: np.ndarray  # each row's end (its line break, or where the structure stops)
    trimmed: np.ndarray  # each row's end without a \r before the line break
    blank: np.ndarray
    commas: np.ndarray  # the commas outside quotes, before stop
    values: np.ndarray  # how many values each row has
    first_lines: np.ndarray  # the line where each row starts

    def line_at(self, offset: int) -> int:
        return int(np.searchsorted(self.newlines, offset)) + 1

    def column(self, names: list[str], offset: int) -> str:
        """The column of the value at ``offset`` (its name, or its position when it has none)."""
        if offset > self.stop:
            return ""
        row = int(np.searchsorted(self.starts, offset, side="right")) - 1
        index = int(np.searchsorted(self.commas, offset) - np.searchsorted(self.commas, self.starts[row]))
        return names[index] if index < len(names) and names[index] else f"column {index + 1}"


def _layout(data: bytes) -> _Layout:
    """The rows of ``data``: from the start or after a line break outside quotes, to the next one."""
    arr = np.frombuffer(data, dtype=np.uint8)
    n = len(arr)
    newlines = np.flatnonzero(arr == _LF)
    quotes = np.flatnonzero(arr == _QUOTE)
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
    return _Layout(data, arr, newlines, quotes, stop, quote_problem, starts, stops, trimmed, blank, commas, values,
                   first_lines)


def _scan(data: bytes, rel: str, out: list[Problem]) -> CsvFile | None:
    """Check the file row by row; the file, or None when a problem was found (appended to ``out``)."""
    problems = _Problems(rel)
    lay = _layout(data)
    nonblank = np.flatnonzero(~lay.blank)
    if not len(nonblank):  # nothing before the first quote problem (the file has text: see _text)
        offset, what = lay.quote_problem
        out.append(Problem(rel, lay.line_at(offset), "column 1", _QUOTE_PROBLEMS[what]))
        return None
    head = int(nonblank[0])
    header_line = int(lay.first_lines[head])
    starts, commas = lay.starts, lay.commas
    header_end = min(int(lay.trimmed[head]), lay.stop)  # a quote problem may cut the header short
    if header_end - starts[head] > MAX_ROW_BYTES:
        out.append(Problem(rel, header_line, "", f"expected a header row of at most {_mb(MAX_ROW_BYTES)}, "
                                                 f"got {_mb(int(header_end - starts[head]))}"))
        return None
    bounds = [int(starts[head]) - 1, *commas[(commas >= starts[head]) & (commas < header_end)].tolist(), header_end]
    raw_names = [_unquote(data[a + 1 : b]) for a, b in zip(bounds, bounds[1:])]
    names = [_name(name) for name in raw_names]
    _check_bytes(problems, lay, names)
    _check_header(problems, lay, head, header_line, raw_names, names)
    _check_rows(problems, lay, nonblank, names)
    if problems.listed:
        out += problems.all()
        return None
    after = np.arange(head + 1, len(starts))
    record_mask = ~lay.blank[head + 1 :]
    row_starts = lay.first_lines[after[record_mask]].astype(np.int64)
    sheet_rows = after[record_mask] + 1  # a spreadsheet shows every blank line as an empty row
    simple = bool((row_starts == np.arange(len(row_starts)) + header_line + 1).all())
    return CsvFile(rel, data, tuple(names), int(record_mask.sum()), None, header_line,
                   None if simple else row_starts,
                   None if (sheet_rows == row_starts).all() else sheet_rows,
                   None if record_mask.all() else record_mask)


def _check_bytes(problems: _Problems, lay: _Layout, names: list[str]) -> None:
    """The bytes: NUL, UTF-8, carriage returns that end no line; then the first misplaced quote."""
    arr, data, quotes, stop, n = lay.arr, lay.data, lay.quotes, lay.stop, len(lay.arr)
    nul = np.flatnonzero(arr == 0)
    for offset in nul[: MAX_PROBLEMS_PER_KIND + 1]:
        problems.add(lay.line_at(int(offset)), lay.column(names, int(offset)), "expected text, got a NUL byte", "nul")
    problems.total("nul", len(nul))
    for offset, byte in _undecodable(data):
        problems.add(lay.line_at(offset), lay.column(names, offset),
                     f"expected UTF-8 text, got the byte 0x{byte:02X} (is the file in Latin-1 or Windows-1252? "
                     "save it as CSV UTF-8)", "utf-8")
    if "utf-8" in problems.more:
        problems.total("utf-8", _undecodable_count(data))
    carriage = np.flatnonzero(arr[:stop] == _CR)
    lone = carriage[(carriage == n - 1) | (arr[np.minimum(carriage + 1, n - 1)] != _LF)]
    if len(quotes):
        lone = lone[(np.searchsorted(quotes, lone) & 1) == 0]
    for offset in lone[: MAX_PROBLEMS_PER_KIND + 1]:
        problems.add(lay.line_at(int(offset)), "", "expected lines that end in \\n or \\r\\n, got a line end \\r alone",
                     "cr")
    problems.total("cr", len(lone))
    if lay.quote_problem is not None:
        offset, what = lay.quote_problem
        problems.add(lay.line_at(offset), lay.column(names, offset), _QUOTE_PROBLEMS[what])


def _check_header(problems: _Problems, lay: _Layout, head: int, header_line: int, raw_names: list[str],
                  names: list[str]) -> None:
    """The header: not too many columns, commas as separators, every column named once."""
    width = len(names)
    if len(raw_names) > MAX_COLUMNS:
        problems.add(header_line, "", f"expected at most {MAX_COLUMNS} columns, got {len(raw_names)}")
    elif width == 1 and lay.stop > lay.trimmed[head]:
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


def _check_rows(problems: _Problems, lay: _Layout, nonblank: np.ndarray, names: list[str]) -> None:
    """The rows: as many values as the header has names (unless the header is already refused), of a sane size."""
    width = len(names)
    starts, stops, stop, commas = lay.starts, lay.stops, lay.stop, lay.commas
    values, first_lines = lay.values, lay.first_lines
    rows = nonblank[1:] if width <= MAX_COLUMNS else nonblank[:0]
    complete = rows[stops[rows] < stop] if stop < len(lay.arr) else rows
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
