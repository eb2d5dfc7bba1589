"""The customer retention page: active, retained, churned and new customers per period, by segment.

No customer id reaches this page: the figures are counts and rates (see :mod:`qmdoc.compute.customers`).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..compute.customers import CustomerFigures, PeriodFigures
from ..i18n import Catalogue
from ..manual_charts import ChartRef
from ..markdown import escape_inline
from ..models import CustomerList
from ..render import fmt, image
from .context import field
from .satisfaction.format import NBSP

HERE = "customers.md"


@dataclass(frozen=True)
class RetentionRow:
    """One period of the whole customer list (also on the review page)."""

    period: str = field("the period, e.g. 2025-Q1")
    active: Markup = field("customers active in the period")
    retained: Markup = field("active in the previous period and this one")
    retention_rate: Markup = field("retained as a percent of the previous period's active customers")
    churned: Markup = field("active in the previous period, not in this one")
    new: Markup = field("active for the first time")
    returning: Markup = field("active again after a pause")
    revenue_retention: Markup = field("this period's revenue of the previous period's customers, percent of "
                                      "the previous period's revenue; — without revenue")


@dataclass(frozen=True)
class SegmentTable:
    """One segment column: the retention rate of each level per period."""

    title: Markup = field("the segment column's heading (its title, default the column)")
    rows: tuple[tuple[Markup, tuple[Markup, ...]], ...] = field(
        "per level: its name and its retention rate (or the suppressed-cell label) per period")


@dataclass(frozen=True)
class CustomersContext:
    """The customer retention page."""

    title: str = field("page heading")
    intro: str = field("what the page shows, the definitions and that the figures come from the data")
    summary: str = field("customers in the list, the period unit and the periods covered")
    periods: tuple[RetentionRow, ...] = field("the whole list per period, oldest first")
    revenue: bool = field("the list gives revenue (the revenue retention column is shown)")
    chart: Markup = field("the retention rate per period against its objective")
    period_labels: tuple[str, ...] = field("the periods, the segment tables' columns")
    segments: tuple[SegmentTable, ...] = field("one table per segment column")
    small_note: str | None = field("what the suppressed-cell label means; None without segments")


def _count(value: int | None) -> Markup:
    return Markup("—") if value is None else Markup(str(value))


def _rate(value: float | None) -> Markup:
    return fmt(value, 1, f"{NBSP}%")


def retention_rows(periods: tuple[PeriodFigures, ...]) -> tuple[RetentionRow, ...]:
    """The period rows of the whole list (none is suppressed)."""
    return tuple(RetentionRow(p.period, _count(p.active), _count(p.retained), _rate(p.retention_rate),
                              _count(p.churned), _count(p.new), _count(p.returning), _rate(p.revenue_retention))
                 for p in periods)


def _segments(spec: CustomerList, fig: CustomerFigures, small: Markup) -> tuple[SegmentTable, ...]:
    out = []
    for col, levels in fig.segments.items():
        rows = tuple((escape_inline(level), tuple(small if p.suppressed else _rate(p.retention_rate) for p in periods))
                     for level, periods in levels.items())
        out.append(SegmentTable(escape_inline(spec.segment_titles.get(col, col)), rows))
    return tuple(out)


def _unit(frequency: str, t: Catalogue) -> str:
    """The period unit, as the summary sentence names it."""
    return {"year": t["customers_period_year"], "quarter": t["customers_period_quarter"],
            "month": t["customers_period_month"]}[frequency]


def customers_view(spec: CustomerList, fig: CustomerFigures, t: Catalogue, chart: ChartRef) -> CustomersContext:
    """The context of the customer retention page."""
    small_text = t("customers_small_cell", n=spec.min_cell_n)
    small = Markup(str(escape_inline(small_text)).replace(" ", NBSP))
    labels = tuple(p.period for p in fig.periods)
    rates = ", ".join(f"{p.period} {'—' if p.retention_rate is None else f'{p.retention_rate:.1f} %'}"
                      for p in fig.periods)
    return CustomersContext(
        title=t["customers_page"],
        intro=f"{t['customers_intro']} {t['figures_from_data']}",
        summary=t("customers_summary", n=fig.customers, unit=_unit(fig.frequency, t),
                  first=labels[0], last=labels[-1]),
        periods=retention_rows(fig.periods),
        revenue=any(p.revenue is not None for p in fig.periods),
        chart=image(HERE, chart.path, f"{t['chart_retention_title']}: {rates}"),
        period_labels=labels,
        segments=_segments(spec, fig, small),
        small_note=t("customers_small_note", n=spec.min_cell_n, label=small_text) if fig.segments else None,
    )
