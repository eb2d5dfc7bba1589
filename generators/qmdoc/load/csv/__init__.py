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

import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ...errors import Problem
from .describe import describe_answer, describe_date, describe_hidden
from .fast import _fast, _text
from .file import MAX_ROW_BYTES, CsvFile, _name
from .parsers import parse_polars, read_pandas, read_polars
from .scan import _scan
from .chunks import CHUNK_BYTES, NotPlain, count_rows, read_csv_chunks


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
        csvfile = _checked_and_parsed(data, guess, parse, lambda: _fast(data, rel) or _scan(data, rel, found))
    if found:
        problems += found
        return None
    if checksum:
        csvfile = replace(csvfile, sha256=hashlib.sha256(raw).hexdigest())
    return csvfile


def _checked_and_parsed(data: bytes, guess: tuple[str, ...], parse: Callable[[bytes, tuple[str, ...]], object],
                        check: Callable[[], CsvFile | None]) -> CsvFile | None:
    """``check()`` on the main thread while ``parse(data, guess)`` runs on a second one; the parse is the
    file's ``parsed`` when the check passes with the header ``guess``."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(parse, data, guess)
        csvfile = check()
        try:
            parsed = pending.result()
        except Exception:  # noqa: BLE001 - a parse of unchecked bytes; the caller parses the checked file again
            parsed = None
    if csvfile is not None and csvfile.header == guess:
        csvfile = replace(csvfile, parsed=parsed)
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


__all__ = ["CHUNK_BYTES", "CsvFile", "NotPlain", "check_csv_bytes", "count_rows", "read_csv_chunks", "describe_answer", "describe_date", "describe_hidden", "parse_polars",
           "read_csv_file", "read_pandas", "read_polars"]
