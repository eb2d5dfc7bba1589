"""An export read into text cells, whatever its platform, encoding or file type; the problems of one file."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import Problem
from ..csv import check_csv_bytes
from .encodings import decode_export
from .platforms import FORMAT_HEADER_ROWS, _records_end, _titles
from .xlsx import _read_xlsx


MAX_LISTED = 5  # problems of one kind per column and file, then a count


@dataclass
class Table:
    """An export as text cells (None: blank), each row with its line or sheet row in the file."""

    rel: str
    titles: list[str]
    rows: list[list[str | None]]
    lines: list[int]
    header_line: int
    sha256: str | None


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
