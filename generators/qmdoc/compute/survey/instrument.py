"""The instrument: a survey flattened to arrays, its answers as a matrix, and their validity.

* An answer is *valid* when it is a number inside the item's scale
  (``min <= x <= max``). Blanks (NaN) and the survey's not-applicable codes are
  missing, never zero. A not-applicable code that lies *inside* an item's scale
  (e.g. ``0`` on a 0..10 recommend item of a 1..5 survey with N/A code 0) is a
  real answer on that item. Any other out-of-scale value raises ``ValueError``
  (the loader rejects them first; this is a guard).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...models import Survey


@dataclass(frozen=True)
class _Instrument:
    """The survey flattened to arrays (items in ``Survey.all_items()`` order)."""

    item_ids: tuple[str, ...]
    kd: int  # the first kd items are the dimensions' items, the rest the survey's other items
    lo: np.ndarray  # (k,)
    hi: np.ndarray  # (k,)
    na_codes: np.ndarray
    dim_ids: tuple[str, ...]
    dim_items: tuple[np.ndarray, ...]  # item indices of each dimension
    dim_item_weights: tuple[np.ndarray, ...]  # raw positive item weights, per dimension
    dim_matrix: np.ndarray  # (k, D): item weight normalized within its dimension, 0 elsewhere
    stated: np.ndarray | None  # normalized stated weights, None when they sum to 0
    derived: bool
    overall: int | None
    recommend: int | None
    loyalty: tuple[int, ...]  # item indices of the loyalty items


def _instrument(survey: Survey) -> _Instrument:
    items = survey.all_items()
    ids = [i.id for i in items]
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"survey {survey.id}: item id {i!r} is used more than once")
        seen.add(i)
    index = {i: k for k, i in enumerate(ids)}
    lo = np.array([survey.item_scale(i).min for i in items], dtype=np.float64)
    hi = np.array([survey.item_scale(i).max for i in items], dtype=np.float64)

    dim_items, dim_w = [], []
    dim_matrix = np.zeros((len(ids), len(survey.dimensions)))
    for d, dim in enumerate(survey.dimensions):
        given = [it.weight is not None for it in dim.items]
        if any(given) and not all(given):
            raise ValueError(
                f"survey {survey.id}: dimension {dim.id}: expected a weight on every item or on none"
            )
        w = np.array([it.weight if it.weight is not None else 1.0 for it in dim.items], dtype=np.float64)
        cols = np.array([index[it.id] for it in dim.items], dtype=np.intp)
        dim_items.append(cols)
        dim_w.append(w)
        dim_matrix[cols, d] = w / w.sum()

    given = [d.weight is not None for d in survey.dimensions]
    if any(given) and not all(given):
        raise ValueError(f"survey {survey.id}: expected a weight on every dimension or on none")
    if all(given):
        sw = np.array([d.weight for d in survey.dimensions], dtype=np.float64)
    else:
        sw = np.ones(len(survey.dimensions))
    stated = sw / sw.sum() if sw.sum() > 0 else None

    def _ref(name: str | None, what: str) -> int | None:
        if name is None:
            return None
        if name not in index:
            raise ValueError(f"survey {survey.id}: {what} names item {name!r}, which is not an item of the survey")
        return index[name]

    recommend = _ref(survey.recommend, "recommend")
    if recommend is not None and (lo[recommend], hi[recommend]) != (0.0, 10.0):
        raise ValueError(
            f"survey {survey.id}: recommend item {survey.recommend!r}: expected a 0..10 scale, "
            f"got {int(lo[recommend])}..{int(hi[recommend])}"
        )
    in_dimension = {it.id: dim.id for dim in survey.dimensions for it in dim.items}
    loyalty = []
    for name in dict.fromkeys(survey.loyalty):
        if name not in index:
            raise ValueError(f"survey {survey.id}: loyalty names item {name!r}, which is not an item of the survey")
        if name in in_dimension:
            raise ValueError(
                f"survey {survey.id}: loyalty item {name!r} is an item of dimension {in_dimension[name]}: "
                "expected loyalty items outside the dimensions (loyalty is reported apart from satisfaction)"
            )
        loyalty.append(index[name])
    return _Instrument(
        item_ids=tuple(ids),
        kd=sum(len(d.items) for d in survey.dimensions),
        lo=lo,
        hi=hi,
        na_codes=np.array(sorted(set(survey.not_applicable)), dtype=np.float64),
        dim_ids=tuple(d.id for d in survey.dimensions),
        dim_items=tuple(dim_items),
        dim_item_weights=tuple(dim_w),
        dim_matrix=dim_matrix,
        stated=stated,
        derived=survey.importance == "derived",
        overall=_ref(survey.overall, "overall"),
        recommend=recommend,
        loyalty=tuple(loyalty),
    )


def _valid(X: np.ndarray, ins: _Instrument, wave: str) -> np.ndarray:
    """Valid mask of a raw matrix; raises on an out-of-scale value that is not a not-applicable code."""
    with np.errstate(invalid="ignore"):
        M = X >= ins.lo  # NaN compares False
        M &= X <= ins.hi
    if np.count_nonzero(M) + np.count_nonzero(np.isnan(X)) != X.size:  # some value is outside the scale
        outside = ~M & ~np.isnan(X)
        where = np.argwhere(outside)
        values = X[outside]  # row-major order, like argwhere
        bad = ~np.isin(values, ins.na_codes)
        if bad.any():
            (_, j), v = where[np.flatnonzero(bad)[0]], values[bad][0]
            raise ValueError(
                f"wave {wave}: item {ins.item_ids[j]}: expected a value from {int(ins.lo[j])} to "
                f"{int(ins.hi[j])} or a not-applicable code, got {float(v)!r}"
            )
    return M


@dataclass(frozen=True)
class _Coded:
    """An item's answers held as integers with a missing mask (a nullable integer column, such as the
    loader's compact 8-bit answers): read into float rows by :func:`_matrix`, never converted whole."""

    values: np.ndarray  # integers (any value where missing)
    missing: np.ndarray  # bool


def _answers(column: pd.Series) -> np.ndarray | _Coded:
    """One item column of the responses as :func:`_matrix` reads it: a nullable integer column's own
    values and mask, a float column's own array (no copy), anything else as floats (NaN missing)."""
    arr = column.array
    if isinstance(arr, pd.arrays.IntegerArray):
        return _Coded(arr._data, arr._mask)  # the masked array's own two arrays: no copy
    if column.dtype == np.float64:
        return column.to_numpy()
    return column.to_numpy(dtype=np.float64, na_value=np.nan)


def _run(rows: np.ndarray) -> slice | None:
    """``rows`` as a slice when they are one ascending run, else None."""
    if rows.size and rows[-1] - rows[0] == rows.size - 1 and bool((np.diff(rows) == 1).all()):
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return None


def _matrix(columns: list[np.ndarray | _Coded], rows: np.ndarray, stacked: np.ndarray | None = None,
            out: np.ndarray | None = None) -> np.ndarray:
    """The item matrix (n x k floats, NaN missing) of ``rows``: a read-only view of ``stacked`` (see
    :func:`_stacked`) when the rows are one ascending run, else a column-major copy; integer answers
    converted exactly, as float32 when they are small (see :func:`_matrix_dtype`). A float32 matrix gives
    the same figures: its values are compared with the scales as they are, and taken as float64 wherever
    they are summed or multiplied. ``out``: a flat buffer for the copy, used when large enough and of its type.
    """
    run = _run(rows)
    if stacked is not None and run is not None:
        return stacked[run]
    shape, dtype = (rows.size, len(columns)), _matrix_dtype(columns)
    if out is not None and out.dtype == dtype and out.size >= rows.size * len(columns):
        X = out[: rows.size * len(columns)].reshape(shape, order="F")
    else:
        X = np.empty(shape, dtype=dtype, order="F")
    for j, col in enumerate(columns):
        _column_into(col, rows, run, X[:, j])
    return X


def _matrix_dtype(columns: list[np.ndarray | _Coded]) -> type:
    """float32 when every column holds small integers (up to 16 bits, such as the loader's compact
    answers: float32 holds them exactly, in half the memory), else float64."""
    small = all(isinstance(c, _Coded) and c.values.dtype.itemsize <= 2 for c in columns)
    return np.float32 if small and columns else np.float64


def _column_into(col: np.ndarray | _Coded, rows: np.ndarray, run: slice | None, out: np.ndarray) -> None:
    """Rows ``rows`` (the slice ``run`` when one run) of one item column as floats into ``out``."""
    if not isinstance(col, _Coded):
        if run is None:
            np.take(col, rows, out=out)
        else:
            np.copyto(out, col[run])
        return
    values, missing = (col.values[run], col.missing[run]) if run is not None else (col.values[rows], col.missing[rows])
    np.copyto(out, values)
    np.copyto(out, np.nan, where=missing)


def _column(col: np.ndarray | _Coded, rows: np.ndarray) -> np.ndarray:
    """Rows ``rows`` of one item column as floats (NaN missing)."""
    out = np.empty(rows.size)
    _column_into(col, rows, _run(rows), out)
    return out


def _root(a: np.ndarray) -> np.ndarray:
    while isinstance(a.base, np.ndarray):
        a = a.base
    return a


def _stacked(columns: list[np.ndarray | _Coded]) -> np.ndarray | None:
    """The item columns as one read-only (n x k) matrix without a copy, when they are float columns that
    lie in one numpy buffer at equal distances (as the rows of a pandas float block do); else None."""
    if len(columns) < 2 or any(isinstance(c, _Coded) for c in columns):
        return None
    n = columns[0].shape[0]
    if any(c.dtype != np.float64 or c.ndim != 1 or c.shape[0] != n or c.strides[0] != 8 for c in columns):
        return None
    root = _root(columns[0])
    if any(_root(c) is not root for c in columns) or not (root.flags.c_contiguous or root.flags.f_contiguous):
        return None
    addr = [c.__array_interface__["data"][0] for c in columns]
    step = addr[1] - addr[0]
    if step < 8 * n or any(b - a != step for a, b in zip(addr, addr[1:])):
        return None
    start = root.__array_interface__["data"][0]
    if addr[0] < start or addr[-1] + 8 * n > start + root.nbytes:  # pragma: no cover - a view never leaves its base
        return None
    return np.lib.stride_tricks.as_strided(columns[0], shape=(n, len(columns)), strides=(8, step), writeable=False)
