"""Internal customers: the index of every (supplier, customer) pair of a wave.

* Internal customers (``survey.kind == "internal"`` with ``survey.internal``):
  the wave figures use all rows; a duplicate is a repeated (wave, respondent,
  supplier) (an employee may rate several supplying departments). Per wave,
  ``internal`` is the matrix of the (supplier, customer) pairs that occur in
  the wave: per cell ``n`` and, unless ``n < min_cell_n``, the index of that
  subset computed exactly as for a segment (derived importance re-derived on
  the cell); ``supplier_totals`` the same over all the rows of a supplier.
  ``suppliers`` and ``customers`` are the departments occurring in the wave,
  sorted by their string.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .design import _cells, _Design, _Subset
from .index import _index_figures
from .instrument import _Instrument
from .segments import Levels
from .shape import converted


@dataclass(frozen=True, slots=True)
class CellFigures:
    """One cell of the internal-customer matrix (or one supplier's total).
    When ``suppressed`` (n < min_cell_n) ``index`` is None."""

    n: int
    index: float | None
    suppressed: bool


def _cells_json(cells: dict[tuple[str, str], CellFigures], plain: Callable[[object], dict], owner: object) -> list:
    """The matrix in JSON: a list of cells, each naming its supplier and customer."""
    return [{"supplier": s, "customer": c, **plain(f)} for (s, c), f in cells.items()]


@dataclass(frozen=True, slots=True)
class InternalMatrix:
    """Internal customers: the index of every (supplier, customer) pair occurring in a wave."""

    suppliers: tuple[str, ...]
    customers: tuple[str, ...]
    cells: dict[tuple[str, str], CellFigures] = converted(_cells_json)  # (supplier, customer), sorted
    supplier_totals: dict[str, CellFigures]


@dataclass(frozen=True)
class _Departments:
    """Who rates whom in an internal survey, per row of the responses: the supplying
    department's and the internal customer's level codes and names."""

    supplier: Levels
    customer: Levels


def _internal_matrix(
    des: _Design, rows: np.ndarray, departments: _Departments, min_n: int, ins: _Instrument, confidence: float
) -> InternalMatrix:
    """The (supplier, customer) matrix of one wave's rows (see the module docstring)."""
    (sup_codes, sup_levels), (cus_codes, cus_levels) = departments.supplier, departments.customer
    sup, cus = sup_codes[rows].astype(np.int64), cus_codes[rows].astype(np.int64)
    pairs, pair_codes = np.unique(sup * len(cus_levels) + cus, return_inverse=True)

    def figures(n: int, cs: _Subset | None) -> CellFigures:
        if cs is None:
            return CellFigures(n, None, True)
        return CellFigures(n, _index_figures(cs, confidence).value, False)

    cells = {}
    for lv, n, cs in _cells(des, pair_codes.reshape(-1), pairs.size, min_n, ins):
        s, c = divmod(int(pairs[lv]), len(cus_levels))
        cells[(sup_levels[s], cus_levels[c])] = figures(n, cs)
    totals = {sup_levels[lv]: figures(n, cs) for lv, n, cs in _cells(des, sup_codes[rows], len(sup_levels), min_n, ins)}
    customers = sorted({c for _, c in cells})
    return InternalMatrix(tuple(totals), tuple(customers), cells, totals)
