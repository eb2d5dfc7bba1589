"""Survey responses, step 3: clean. The answers as 8-bit integers with a missing mask (or floats, blanks and
not-applicable codes NaN, when a scale does not fit), the text columns as category codes, one file's
respondent key (pass 2)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...models import Scale, Survey
from .read import NONE16, Layout

if TYPE_CHECKING:
    import polars as pl


def clean_responses(raw: pl.DataFrame, kind: str, s: Survey, lay: Layout,
                    levels: dict[str, list[str]]) -> tuple[pl.DataFrame, pl.Series | None]:
    """Pass 2 over one file: the cleaned items, the category codes and (one file) the respondent key,
    in one polars select; and the respondent ids when there are several files (keyed once all are read)."""
    import polars as pl

    numeric = {item.id: _cleaned(item.id, s.item_scale(item), kind) for item in lay.items}
    code_exprs = []
    for j, col in enumerate(lay.level_cols):
        phys = pl.col(col).cast(pl.Enum(levels[col])).to_physical()
        phys = phys.cast(pl.Int16 if len(levels[col]) < 2**15 else pl.Int32)
        code_exprs.append(phys.fill_null(-1).alias(f"\0code{j}"))
    key = []
    if lay.single:
        key = [pl.col(s.respondent).rank("dense").fill_null(0).cast(pl.Int64).alias("\0key")]
    done = raw.select([*numeric.values(), *code_exprs, *key])
    ids = None if lay.single else raw[s.respondent]
    return done, ids


def _cleaned(item_id: str, sc: Scale, kind: str) -> pl.Expr:
    """An item's answers with the not-applicable codes (outside the item's scale) missing, never zero."""
    import polars as pl

    # not-applicable codes (outside the item's scale) are missing, never zero: NaN in the matrix
    # (integers: the code NONE16 for numpy to turn into NaN; floats: NaN, not null, so that the
    # matrix comes out of polars by plain copies)
    if kind == "int":
        inside, none = pl.col(item_id).is_between(sc.min, sc.max), pl.lit(NONE16, dtype=pl.Int16)
        return pl.when(inside).then(pl.col(item_id)).otherwise(none).alias(item_id)
    num = pl.col(item_id) if kind == "float" else pl.col(item_id).cast(pl.Float64, strict=False)
    return pl.when(num.is_between(sc.min, sc.max)).then(num).otherwise(float("nan")).alias(item_id)


@dataclass(frozen=True)
class CompactAnswers:
    """A file's cleaned answers in two bytes each: the answer as an 8-bit integer and whether it is missing
    (blank, not applicable, out of scale), both ``(rows, items)`` and column-major. The answers are scale
    points, so this holds them exactly; the frame's item columns are nullable 8-bit integer columns that
    use these two matrices without a copy (see :func:`~.assemble.file_frame`)."""

    values: np.ndarray  # int8, 0 where missing
    missing: np.ndarray  # bool

    @staticmethod
    def empty(rows: int, items: int) -> CompactAnswers:
        """Room for ``rows`` rows of ``items`` answers (filled a chunk of rows at a time)."""
        return CompactAnswers(np.empty((rows, items), dtype=np.int8, order="F"),
                              np.empty((rows, items), dtype=bool, order="F"))

    def rows(self, start: int, stop: int) -> CompactAnswers:
        """Rows ``start`` to ``stop`` (views)."""
        return CompactAnswers(self.values[start:stop], self.missing[start:stop])


def answer_matrix(done: pl.DataFrame, lay: Layout, kind: str,
                  out: np.ndarray | CompactAnswers | None = None) -> np.ndarray | CompactAnswers:
    """The cleaned items: :class:`CompactAnswers` when every scale fits, else one column-major float
    matrix (NaN where missing) that the frame uses without a copy. From 16-bit integers: converted by
    numpy, two columns at a time, into ``out`` (rows of such answers) when given."""
    item_ids = lay.item_ids
    if kind == "int" and lay.compact:
        answers = CompactAnswers.empty(done.height, len(item_ids)) if out is None else out

        def to_compact(j: int) -> None:
            column = done[item_ids[j]].to_numpy()
            np.equal(column, NONE16, out=answers.missing[:, j])
            np.copyto(answers.values[:, j], column, casting="unsafe")  # in range; NONE16 becomes 0
        _by_column(to_compact, len(item_ids), done.height)
        return answers
    if kind == "int":
        matrix = np.empty((done.height, len(item_ids)), dtype=np.float64, order="F") if out is None else out

        def to_float(j: int) -> None:
            answers = done[item_ids[j]].to_numpy()
            np.copyto(matrix[:, j], answers)
            np.copyto(matrix[:, j], np.nan, where=answers == NONE16)
        _by_column(to_float, len(item_ids), done.height)
        return matrix
    matrix = done.select(item_ids).to_numpy(order="fortran", writable=True).astype(float, copy=False)
    return compacted(matrix) if lay.compact else matrix


def _by_column(convert: Callable[[int], None], items: int, rows: int) -> None:
    """``convert(j)`` for every column ``j``: two at a time from 100,000 rows on (numpy lets go of the
    interpreter lock)."""
    if rows >= 100_000:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(convert, range(items)))
    else:
        for j in range(items):
            convert(j)


def compacted(matrix: np.ndarray) -> np.ndarray | CompactAnswers:
    """A float answer matrix as :class:`CompactAnswers` when every answer in it is a whole number that an
    8-bit integer holds (the cleaned answers of a file whose answers polars read as floats or text);
    else the matrix itself."""
    missing = np.isnan(matrix)
    with np.errstate(invalid="ignore"):
        values = np.where(missing, 0.0, matrix)
    if not (np.all(values == np.rint(values)) and np.all(np.abs(values) < 2**7)):
        return matrix
    return CompactAnswers(np.asfortranarray(values.astype(np.int8)), np.asfortranarray(missing))


def categories(done: pl.DataFrame, lay: Layout, levels: dict[str, list[str]]) -> dict[str, pd.Categorical]:
    """The text columns as categoricals, from the codes of pass 2."""
    return {col: _codes(done[f"\0code{j}"].to_numpy(), levels[col]) for j, col in enumerate(lay.level_cols)}


def _codes(codes: np.ndarray, levels: list[str]) -> pd.Categorical:
    """A Categorical from integer codes (-1 = missing) into ``levels`` (sorted, as polars computed them)."""
    return pd.Categorical.from_codes(codes, categories=levels, validate=False)

