"""Loyalty items (repurchase, recommendation), reported apart from satisfaction."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import WaveFigures
from ...render import fmt
from ..context import field
from .format import SurveyPage, ci, pct


@dataclass(frozen=True)
class LoyaltyRow:
    """One loyalty item."""

    id: str = field("item id")
    text: str = field("the question")
    n: int = field("respondents who answered it")
    score: Markup = field("score 0-100")
    ci: Markup = field("the score's 95 % interval")
    top2: Markup = field("top-2-box share in %")
    top2_ci: Markup = field("the top-2-box share's 95 % interval")
    r: Markup = field("its correlation with overall satisfaction")


@dataclass(frozen=True)
class LoyaltyView:
    """The loyalty section."""

    intro: str = field("what loyalty items are and why they stand apart")
    rows: tuple[LoyaltyRow, ...] = field("the loyalty items, in survey order")


def loyalty_view(page: SurveyPage, latest: WaveFigures) -> LoyaltyView | None:
    if not latest.loyalty:
        return None
    items = {i.id: i for i in page.survey.all_items()}
    r = latest.satisfaction_loyalty_r
    return LoyaltyView(intro=page.t["loyalty_intro"], rows=tuple(
        LoyaltyRow(id=i, text=items[i].text, n=f.n, score=fmt(f.score), ci=ci(f.ci), top2=pct(f.top2),
                   top2_ci=ci(f.top2_ci, 1, 100), r=fmt(r.get(i), 2)) for i, f in latest.loyalty.items()))
