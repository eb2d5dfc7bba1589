"""Our scores beside the competitors' (same items, our index weights)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import CompetitorFigures, WaveFigures
from ...manual_charts import ChartRef
from ...render import fmt
from ..context import field
from ..labels import competitor_names
from .format import SurveyPage, signed


@dataclass(frozen=True)
class CompetitorRow:
    """One measure (the index or a dimension) for every company."""

    measure: str = field("the index or a dimension's title")
    cells: tuple[Markup, ...] = field("each company's score, or the suppressed-cell label, in column order")
    gap: Markup | None = field("our gap to the best competitor; None on the index row")


@dataclass(frozen=True)
class CompetitorsView:
    """The competitor comparison section."""

    intro: str = field("what is compared, naming us")
    companies: tuple[str, ...] = field("the companies' names, the table's columns (ours marked)")
    n: tuple[Markup | int, ...] = field("each company's respondents, or the suppressed-cell label")
    rows: tuple[CompetitorRow, ...] = field("the index, then the dimensions in survey order")
    chart: Markup = field("grouped bars of every company's scores")


def competitors_view(page: SurveyPage, chart: ChartRef | None, latest: WaveFigures) -> CompetitorsView | None:
    companies = latest.competitors
    if not companies or chart is None:
        return None
    survey, t = page.survey, page.t
    gaps = latest.competitor_gaps or {}
    names = competitor_names(survey, companies, t)

    def cell(c: CompetitorFigures, value: float | None) -> Markup:
        return page.small_cell if c.suppressed else fmt(value)

    rows = [CompetitorRow(t["index"], tuple(cell(c, c.index) for c in companies.values()), None)]
    for d in survey.dimensions:
        rows.append(CompetitorRow(d.title, tuple(cell(c, (c.dimensions or {}).get(d.id)) for c in companies.values()),
                                  signed(gaps.get(d.id))))
    title = t("chart_competitors_title", wave=latest.wave)
    described = "; ".join(
        f"{name}: {page.small}" if c.suppressed else f"{name} {t['index_short']} {fmt(c.index)} (n = {c.n})"
        for name, c in zip(names, companies.values()))
    us = survey.competitors.us if survey.competitors is not None else None
    return CompetitorsView(intro=t("competitors_intro", us=us or ""), companies=tuple(names),
                           n=tuple(page.small_cell if c.suppressed else c.n for c in companies.values()),
                           rows=tuple(rows), chart=page.image(chart, f"{title}: {described}"))
