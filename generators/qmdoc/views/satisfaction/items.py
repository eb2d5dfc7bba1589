"""Item scores with top-2-box and its interval, with a bar chart; loyalty items are left to their section."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import WaveFigures
from ...manual_charts import ChartRef
from ...render import fmt
from ..context import field
from .format import SurveyPage, ci, pct, scale_text


@dataclass(frozen=True)
class ItemRow:
    """One item's score."""

    id: str = field("item id")
    text: str = field("the question")
    n: int = field("respondents who answered it")
    scale: str = field("the answer scale, e.g. 1–5")
    mean: Markup = field("mean answer on its scale")
    score: Markup = field("score 0-100")
    ci: Markup = field("the score's 95 % interval")
    top2: Markup = field("top-2-box share in %")
    top2_ci: Markup = field("the top-2-box share's 95 % interval")


@dataclass(frozen=True)
class ItemsView:
    """The item scores section."""

    rows: tuple[ItemRow, ...] = field("the items, in survey order, loyalty items left out")
    chart: Markup = field("bar chart of scores and top-2-box shares")


def items_view(page: SurveyPage, chart: ChartRef, latest: WaveFigures) -> ItemsView:
    t = page.t
    items = {i.id: i for i in page.survey.all_items()}
    shown = {i: x for i, x in latest.items.items() if i not in latest.loyalty}
    rows = tuple(ItemRow(id=i, text=items[i].text, n=x.n, scale=scale_text(page.survey, items[i]), mean=fmt(x.mean, 2),
                         score=fmt(x.score), ci=ci(x.ci), top2=pct(x.top2, 1), top2_ci=ci(x.top2_ci, 1, 100))
                 for i, x in shown.items())
    title = t("chart_items_title", wave=latest.wave)
    described = "; ".join(f"{x.id} {fmt(x.score)}, {t['top2']} {pct(x.top2, 0)} (n = {x.n})" for x in shown.values())
    return ItemsView(rows=rows, chart=page.image(chart, f"{title}: {described}"))
