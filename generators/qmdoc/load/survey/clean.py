"""Survey responses, step 3: clean. The answers as floats (blanks and not-applicable codes NaN), the text
columns as category codes, one file's respondent key (pass 2)."""

from __future__ import annotations

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


def answer_matrix(done: pl.DataFrame, item_ids: list[str], kind: str, out: np.ndarray | None = None) -> np.ndarray:
    """The cleaned items as one column-major float matrix (from 16-bit integers: converted by numpy,
    two columns at a time) that the frame uses without a copy; 16-bit integers into ``out`` (rows of
    such a matrix) when given."""
    if kind == "int":
        matrix = np.empty((done.height, len(item_ids)), dtype=np.float64, order="F") if out is None else out

        def to_float(j: int) -> None:
            answers = done[item_ids[j]].to_numpy()
            np.copyto(matrix[:, j], answers)
            np.copyto(matrix[:, j], np.nan, where=answers == NONE16)

        if done.height >= 100_000:  # numpy lets go of the interpreter lock: two columns at a time
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=2) as pool:
                list(pool.map(to_float, range(len(item_ids))))
        else:
            for j in range(len(item_ids)):
                to_float(j)
    else:
        matrix = done.select(item_ids).to_numpy(order="fortran", writable=True).astype(float, copy=False)
    return matrix


def categories(done: pl.DataFrame, lay: Layout, levels: dict[str, list[str]]) -> dict[str, pd.Categorical]:
    """The text columns as categoricals, from the codes of pass 2."""
    return {col: _codes(done[f"\0code{j}"].to_numpy(), levels[col]) for j, col in enumerate(lay.level_cols)}


def _codes(codes: np.ndarray, levels: list[str]) -> pd.Categorical:
    """A Categorical from integer codes (-1 = missing) into ``levels`` (sorted, as polars computed them)."""
    return pd.Categorical.from_codes(codes, categories=levels, validate=False)

