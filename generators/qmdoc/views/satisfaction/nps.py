"""Net Promoter Score per wave, with a stacked-shares chart."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import WaveFigures
from ...manual_charts import ChartRef
from ...render import fmt
from ..context import field
from .format import SurveyPage, ci, pct


@dataclass(frozen=True)
class NpsRow:
    """One wave's NPS."""

    wave: str = field("the wave's name")
    n: int = field("respondents who answered the recommend item")
    promoters: Markup = field("share of promoters in %")
    passives: Markup = field("share of passives in %")
    detractors: Markup = field("share of detractors in %")
    nps: Markup = field("the NPS")
    ci: Markup = field("its 95 % interval")


@dataclass(frozen=True)
class NpsView:
    """The NPS section."""

    rows: tuple[NpsRow, ...] = field("the waves with an NPS, latest first")
    chart: Markup = field("stacked shares per wave with the NPS")


def nps_view(page: SurveyPage, chart: ChartRef | None, waves: list[WaveFigures]) -> NpsView | None:
    t = page.t
    have = [w for w in waves if w.nps is not None and w.nps.value is not None]
    if not have or chart is None:
        return None
    rows = tuple(NpsRow(wave=w.wave, n=w.nps.n, promoters=pct(w.nps.promoters), passives=pct(w.nps.passives),
                        detractors=pct(w.nps.detractors), nps=fmt(w.nps.value, 1), ci=ci(w.nps.ci))
                 for w in reversed(have))
    described = ", ".join(f"{w.wave} {w.nps.value:.1f} (n = {w.nps.n})" for w in have)
    return NpsView(rows=rows, chart=page.image(chart, f"{t['chart_nps_title']}: {t['nps']} {described}"))
