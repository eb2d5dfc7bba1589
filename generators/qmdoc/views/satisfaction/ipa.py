"""Importance-performance analysis: each dimension's importance, performance and quadrant."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import WaveFigures
from ...manual_charts import ChartRef
from ...render import fmt
from ..context import field
from ..labels import QUADRANT_KEYS, importance_kind
from .format import SurveyPage, pct


@dataclass(frozen=True)
class IpaRow:
    """One dimension in the importance-performance grid."""

    title: str = field("dimension title")
    importance: Markup = field("importance in %")
    performance: Markup = field("performance (score 0-100)")
    quadrant: str | None = field("its quadrant, translated; None without a score")
    action: str | None = field("what the quadrant calls for, translated; None without a score")


@dataclass(frozen=True)
class IpaView:
    """The importance-performance section."""

    intro: str = field("how importance was obtained (stated or derived)")
    fallback: str | None = field("the note that stated importance stands in for derived; None otherwise")
    rows: tuple[IpaRow, ...] = field("the dimensions, in survey order")
    chart: Markup = field("the importance-performance grid")


def ipa_view(page: SurveyPage, chart: ChartRef | None, latest: WaveFigures) -> IpaView | None:
    t = page.t
    if not latest.importance or chart is None:
        return None
    rows = []
    for d, f in latest.importance.items():
        q = QUADRANT_KEYS.get(f.quadrant) if f.quadrant else None
        rows.append(IpaRow(title=page.title(d), importance=pct(f.importance, 1), performance=fmt(f.performance),
                           quadrant=t[f"quadrant_{q}"] if q else None, action=t[f"action_{q}"] if q else None))
    kind = importance_kind(page.survey)
    title = t("chart_ipa_title", wave=latest.wave, n=latest.n)
    described = "; ".join(f"{r.title}: {r.quadrant or '—'}" for r in rows)
    return IpaView(intro=t(f"ipa_intro_{kind}"),
                   fallback=t["importance_fallback_note"] if latest.importance_fallback else None,
                   rows=tuple(rows), chart=page.image(chart, f"{title}: {described}"))
