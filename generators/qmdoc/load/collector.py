"""The problems of a load, collected from every file before failing, and how rows with problems are reported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import Problem, QmdocError, describe
from ..validate import validate_model
from ..yamlfile import Parses, YamlDoc, load_yaml
from .csv import CsvFile, describe_answer

MAX_PROBLEMS_PER_COLUMN = 5


class _Collector:
    def __init__(self, root: Path, parsed: Parses | None = None):
        self.root = root
        self.problems: list[Problem] = []
        self.parsed = parsed  # policy files parsed by earlier builds (see qmdoc.yamlfile.parse_yaml)

    def yaml(self, path: Path) -> YamlDoc | None:
        try:
            return load_yaml(path, self.root, self.parsed)
        except QmdocError as exc:
            self.problems += exc.problems
            return None

    def model(self, model, doc: YamlDoc | None):  # noqa: ANN001
        if doc is None:
            return None
        if not isinstance(doc.data, dict):
            self.problems.append(Problem(doc.path, 1, "(file)", f"expected a mapping of keys, got {describe(doc.data)}"))
            return None
        obj, problems = validate_model(model, doc)
        self.problems += problems
        return obj

    def add(self, path: str, line: int, fieldname: str, message: str) -> None:
        self.problems.append(Problem(path, line, fieldname, message))


def _report_rows(c: _Collector, src: CsvFile, column: str, mask: np.ndarray, expected: str) -> None:
    """Report the rows of ``mask`` (0-based, below the header) by their line, without their values."""
    rows = np.flatnonzero(mask)
    for r in rows[:MAX_PROBLEMS_PER_COLUMN]:
        line, sheet = src.where(int(r))
        c.add(src.rel, line, column, expected + sheet)
    if len(rows) > MAX_PROBLEMS_PER_COLUMN:
        c.add(src.rel, src.where(int(rows[MAX_PROBLEMS_PER_COLUMN]))[0], column,
              f"{len(rows) - MAX_PROBLEMS_PER_COLUMN} more values like these (not listed)")


def _bad_rows(c: _Collector, src: CsvFile, column: str, mask: np.ndarray, values, expected: str,  # noqa: ANN001
              show=describe_answer) -> None:  # noqa: ANN001
    """Report the rows of ``mask`` (0-based, below the header) by their line, with their value as ``show`` quotes it.

    ``show``: :func:`csv.describe_answer` (the default: answers, shown when they look like one),
    :func:`csv.describe_date` or, for a column that is not published, :func:`csv.describe_hidden`.
    """
    rows = np.flatnonzero(mask)
    for r in rows[:MAX_PROBLEMS_PER_COLUMN]:
        value = values.iloc[r] if isinstance(values, pd.Series) else values[int(r)]
        line, sheet = src.where(int(r))
        c.add(src.rel, line, column, f"{expected}, got {show(value)}{sheet}")
    if len(rows) > MAX_PROBLEMS_PER_COLUMN:
        c.add(src.rel, src.where(int(rows[MAX_PROBLEMS_PER_COLUMN]))[0], column,
              f"{len(rows) - MAX_PROBLEMS_PER_COLUMN} more values like these (not listed)")
