"""Segments: the figures of every level of every segment column of a wave.

* Segments: per column of ``survey.segments`` and per level (sorted by its
  string), ``n`` and, unless ``n < survey.min_cell_n``, the index value and the
  dimension figures computed on that subset exactly as for the wave (derived
  importance is re-derived on the subset). A suppressed cell keeps only ``n``.

Speed: the Gram matrices of every level of every column come from one product
per joint cell (the rows' levels in all columns at once), summed per level (see
:func:`~.design._joint_grams`), instead of one product per column over all rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .design import _cells, _Design, _joint_grams
from .index import DimensionFigures, _dimension_figures, _index_figures
from .instrument import _Instrument

Levels = tuple[np.ndarray, list[str]]  # a column's level codes per row (-1 = missing) and level names


@dataclass(frozen=True, slots=True)
class SegmentFigures:
    """One level of one segment column. When ``suppressed`` (n < min_cell_n)
    only ``n`` is given; ``index`` (the index value) and ``dimensions`` are None."""

    n: int
    index: float | None
    suppressed: bool
    dimensions: dict[str, DimensionFigures] | None


def _segment_figures(
    des: _Design, rows: np.ndarray, segments: dict[str, Levels], min_n: int, ins: _Instrument, confidence: float
) -> dict[str, dict[str, SegmentFigures]]:
    """Every level of every segment column among one wave's ``rows`` (the rows of ``des``)."""
    out: dict[str, dict[str, SegmentFigures]] = {}
    columns = [(codes[rows], len(levels)) for codes, levels in segments.values()]
    joint = _joint_grams(des, columns)
    for k, (col, (_, levels)) in enumerate(segments.items()):
        cells: dict[str, SegmentFigures] = {}
        grams = joint[k] if joint is not None else None
        for lv, n, cs in _cells(des, columns[k][0], len(levels), min_n, ins, grams):
            if cs is None:
                cells[levels[lv]] = SegmentFigures(n, None, True, None)
            else:
                cells[levels[lv]] = SegmentFigures(
                    n, _index_figures(cs, confidence).value, False, _dimension_figures(cs, ins, confidence)
                )
        out[col] = cells
    return out


def _segment_levels(values: pd.Series) -> Levels:
    """Codes (-1 = missing) into levels sorted by their string (of the values present)."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # its codes as they are: no hashing of a million rows
        codes = np.asarray(values.array.codes)
        cats = values.array.categories
        present = np.flatnonzero(np.bincount(codes.astype(np.intp) + 1, minlength=len(cats) + 1)[1:])
        names = [str(u) for u in cats]
        levels = sorted({names[i] for i in present})
        pos = {name: p for p, name in enumerate(levels)}
        dtype = np.int16 if len(levels) < 2**15 - 1 else np.int64
        remap = np.array([pos.get(name, -1) for name in names] + [-1], dtype=dtype)
        if len(levels) == len(cats) and (remap[:-1] == np.arange(len(cats))).all():
            return codes, levels  # categories sorted and all present (as the loader makes them)
        return remap[codes], levels  # code -1 indexes the trailing -1
    codes, uniques = pd.factorize(values, sort=False)
    names = [str(u) for u in uniques]
    levels = sorted(set(names))
    pos = {name: p for p, name in enumerate(levels)}
    # small integer codes: numpy sorts 8- and 16-bit integers by radix sort
    dtype = np.int16 if len(levels) < 2**15 - 1 else np.int64
    remap = np.array([pos[name] for name in names] + [-1], dtype=dtype)
    return remap[codes], levels  # code -1 indexes the trailing -1
