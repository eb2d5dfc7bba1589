"""A checked CSV file, the limits it is checked against, and the byte-level helpers both checks share."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace

import numpy as np


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


def _mb(size: int) -> str:
    return f"{size >> 20} MB" if size % (1 << 20) == 0 else f"{size / (1 << 20):.2f} MB"
