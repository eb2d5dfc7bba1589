"""The internal supplier x customer matrix of the satisfaction index."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import CellFigures, WaveFigures
from ...manual_charts import ChartRef
from ...render import fmt
from ..context import field
from .format import NBSP, SurveyPage


@dataclass(frozen=True)
class SupplierRow:
    """One supplying department's row."""

    supplier: str = field("the supplying department")
    cells: tuple[Markup, ...] = field("its index per customer department with n, the suppressed-cell label, or ''")
    total: Markup = field("its index over all customers")


@dataclass(frozen=True)
class InternalView:
    """The internal customers section."""

    intro: str = field("what the matrix shows")
    customers: tuple[str, ...] = field("the customer departments, the table's columns")
    rows: tuple[SupplierRow, ...] = field("the supplying departments")
    chart: Markup = field("bars of each supplier's index over all customers")


def internal_view(page: SurveyPage, chart: ChartRef | None, latest: WaveFigures) -> InternalView | None:
    matrix = latest.internal
    if matrix is None or not matrix.cells or chart is None:
        return None
    t = page.t

    def cell(c: CellFigures | None) -> Markup:
        if c is None:
            return Markup("")  # this department does not supply that one
        return page.small_cell if c.suppressed else Markup(f"{fmt(c.index)}{NBSP}(n{NBSP}={NBSP}{c.n})")

    rows = tuple(SupplierRow(s, tuple(cell(matrix.cells.get((s, c))) for c in matrix.customers),
                             cell(matrix.supplier_totals.get(s))) for s in matrix.suppliers)
    totals = [matrix.supplier_totals.get(s) for s in matrix.suppliers]
    title = t("chart_internal_title", wave=latest.wave)
    described = "; ".join(f"{s}: {page.small if c is None or c.suppressed else f'{fmt(c.index)} (n = {c.n})'}"
                          for s, c in zip(matrix.suppliers, totals))
    return InternalView(intro=t["internal_intro"], customers=tuple(matrix.customers), rows=rows,
                        chart=page.image(chart, f"{title}: {described}"))
