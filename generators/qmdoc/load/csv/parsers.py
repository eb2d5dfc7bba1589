"""The parsers (polars for survey responses, pandas for the complaints log), on a checked file."""

from __future__ import annotations

import io

from ...errors import Problem
from .file import CsvFile


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
