"""The quick check: a few passes over the bytes that show most files well-formed."""

from __future__ import annotations

import numpy as np

from ...errors import Problem
from .file import (_BINARY, _LF, _NOT_BLANK, _ONLY_COMMA_LF, _ONLY_COMMA_LF_QUOTE, _QUOTE, _QUOTED, BOM,
                   MAX_COLUMNS, MAX_ROW_BYTES, MAX_VALUE_BYTES, CsvFile, _bad_quote, _longest_quoted, _name,
                   _parse_header)



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

