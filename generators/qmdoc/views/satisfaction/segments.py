"""The breakdown by segment: suppressed cells show ``n < min_cell_n``, never a figure."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import WaveFigures
from ...manual_charts import ChartRef
from ...render import fmt
from ..context import field
from ..labels import segment_name
from .format import SurveyPage


@dataclass(frozen=True)
class SegmentRow:
    """One level of a segment column."""

    level: str = field("the level, as in the data")
    n: Markup | int = field("respondents, or the suppressed-cell label")
    index: Markup = field("satisfaction index, or the suppressed-cell label")
    dimensions: tuple[Markup | None, ...] = field("dimension scores in survey order (None: not scored)")


@dataclass(frozen=True)
class SegmentView:
    """One segment column's table and chart."""

    title: str = field("the segment's display name")
    dimension_titles: tuple[str, ...] = field("the dimension titles, the table's columns")
    rows: tuple[SegmentRow, ...] = field("the levels, in data order")
    chart: Markup = field("bar chart of the index per level")


def segments_view(page: SurveyPage, charts: dict[str, ChartRef], latest: WaveFigures) -> tuple[SegmentView, ...]:
    """One view per segment column that has cells in the latest wave (the chart stage drew their charts)."""
    t = page.t
    dims = [d.id for d in page.survey.dimensions]
    out = []
    for col, chart in charts.items():
        cells = latest.segments[col]
        name = segment_name(page.survey, t, col)
        rows = []
        for level, c in cells.items():
            if c.suppressed:
                rows.append(SegmentRow(level, page.small_cell, page.small_cell, tuple(page.small_cell for _ in dims)))
            else:
                rows.append(SegmentRow(level, c.n, fmt(c.index), tuple(
                    fmt(c.dimensions[d].score) if c.dimensions and d in c.dimensions else None for d in dims)))
        title = t("chart_segment_title", segment=name, wave=latest.wave)
        described = "; ".join(f"{level} {page.small if c.suppressed else f'{fmt(c.index)} (n = {c.n})'}"
                              for level, c in cells.items())
        out.append(SegmentView(title=name, dimension_titles=tuple(page.title(d) for d in dims), rows=tuple(rows),
                               chart=page.image(chart, f"{title}: {described}")))
    return tuple(out)
