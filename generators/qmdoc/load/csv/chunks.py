"""A large CSV file read a chunk of rows at a time, each chunk checked and parsed as a file of its own.

Only a plain file is read this way: UTF-8 without byte-order mark, a header without quotes, rows
ending in line breaks, and every chunk passing the quick check (:func:`~.fast._fast`) on its own,
without a value spanning lines. Anything else (:class:`NotPlain`) is for the whole-file reader
(:func:`~qmdoc.load.csv.read_csv_file`), which says where each problem is. The chunks hold
the same rows, on the same lines, as the whole file would: a chunk's :class:`CsvFile` numbers its
rows by the file's lines (its ``header_line`` is the line before its first row).

Reading a chunk at a time keeps only one chunk's bytes and parse in memory, however large the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from .fast import _fast
from .file import _BINARY, BOM, MAX_ROW_BYTES, CsvFile

CHUNK_BYTES = 64 << 20  # about 800,000 rows of a 20-item survey


class NotPlain(Exception):
    """The file is not one that can be read a chunk at a time (see the module docstring)."""


def read_csv_chunks(path: Path, rel: str, parse: Callable[[bytes, tuple[str, ...]], object],
                    size: int = CHUNK_BYTES, checksum: list[str] | None = None) -> Iterator[CsvFile]:
    """The rows of the file at ``path``, about ``size`` bytes of them at a time, each chunk a checked
    :class:`CsvFile` (its bytes start with the file's header line) with ``parse(data, header)`` of it
    as its ``parsed`` (run on a second thread while the chunk is checked).

    Raises :class:`NotPlain` (before or between chunks) when the file is not plain; ``checksum``:
    a list that receives the SHA-256 of the whole file once the last chunk is read.
    """
    from . import _checked_and_parsed

    digest = hashlib.sha256()
    with path.open("rb") as f:
        head = f.readline(MAX_ROW_BYTES)
        digest.update(head)
        header = _plain_header(head)
        row = 0
        while True:
            block = f.read(size)
            if not block:
                break
            if not block.endswith(b"\n"):
                block += f.readline()  # up to the next line break (or the end of the file)
            digest.update(block)
            data = head + block
            del block
            chunk = _checked_and_parsed(data, header, parse, lambda: _fast(data, rel))
            if chunk is None or chunk.header != header or chunk.starts is not None:
                raise NotPlain(rel)
            yield replace(chunk, header_line=row + 1)
            row += chunk.rows
            del data, chunk
    if row == 0:
        raise NotPlain(rel)  # no rows: the whole-file reader says so
    if checksum is not None:
        checksum.append(digest.hexdigest())


def count_rows(path: Path, size: int = CHUNK_BYTES) -> int:
    """The rows of a plain file (its lines but the header), counted by their line breaks: one pass over
    the bytes, ``size`` at a time, to size what its chunks fill."""
    breaks, last = 0, b"\n"
    with path.open("rb") as f:
        while block := f.read(size):
            breaks += block.count(b"\n")
            last = block[-1:]
    return breaks - 1 + (last != b"\n")


def _plain_header(head: bytes) -> tuple[str, ...]:
    """The column names of a plain header line (see the module docstring); else :class:`NotPlain`."""
    if not head.endswith(b"\n") or head.startswith(BOM) or any(head.startswith(m) for m, _ in _BINARY):
        raise NotPlain()
    if b'"' in head or b"\0" in head or b"\r" in head[:-2]:
        raise NotPlain()
    try:
        names = head.decode("utf-8").rstrip("\r\n").split(",")
    except UnicodeDecodeError:
        raise NotPlain() from None
    from .file import _name

    return tuple(_name(n) for n in names)
