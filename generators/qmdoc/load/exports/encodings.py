"""Encodings: an export's bytes as UTF-8 (UTF-8, GB18030 by default, or the codec named), or where they fail."""

from __future__ import annotations

import codecs

from ...errors import Problem


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
