"""Dimension scores: the latest wave beside the previous one, with a radar chart."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import Change, WaveFigures
from ...manual_charts import ChartRef, dimensions_chart_title
from ...render import fmt
from ..context import field
from .format import SurveyPage, change_cell, ci, pct


@dataclass(frozen=True)
class DimensionRow:
    """One dimension's score."""

    title: str = field("dimension title")
    weight: Markup | None = field("its importance (weight in the index) in %; None without importance")
    score: Markup = field("score 0-100 in the latest wave")
    ci: Markup = field("the score's 95 % interval")
    n: int = field("respondents who answered it")
    previous: Markup | None = field("score in the previous wave; None without one")
    change: Markup = field("change from the previous wave, in bold when significant (em dash: none)")


@dataclass(frozen=True)
class DimensionsView:
    """The dimension scores section."""

    rows: tuple[DimensionRow, ...] = field("the dimensions, in survey order")
    chart: Markup | None = field("radar chart of the latest (and previous) wave's scores; None with fewer than "
                                 "three dimensions (a radar of one or two axes compares nothing)")


def dimensions_view(page: SurveyPage, chart: ChartRef | None, latest: WaveFigures, previous: WaveFigures | None,
                    changes: dict[str, Change]) -> DimensionsView:
    t = page.t
    rows = []
    for d, x in latest.dimensions.items():
        prev = previous.dimensions.get(d) if previous is not None else None
        imp = latest.importance.get(d)
        rows.append(DimensionRow(
            title=page.title(d), weight=pct(imp.importance, 0) if imp is not None else None, score=fmt(x.score),
            ci=ci(x.ci), n=x.n, previous=fmt(prev.score) if prev is not None else None,
            change=change_cell(changes.get(f"dimension.{d}"), t)))
    described = "; ".join(
        f"{page.title(d)} {fmt(x.score)}" + (f" ({previous.wave}: {fmt(previous.dimensions[d].score)})"
                                             if previous is not None and d in previous.dimensions else "")
        for d, x in latest.dimensions.items())
    image = page.image(chart, f"{dimensions_chart_title(latest, previous, t)}: {described}") \
        if chart is not None else None
    return DimensionsView(rows=tuple(rows), chart=image)
