"""A lost-customer survey's section: reasons for leaving (Pareto), where they went, win-back likelihood."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.lost import Pareto, WinBack
from ...compute.survey import WaveFigures
from ...manual_charts import ChartRef
from ...markdown import escape_inline
from ...render import fmt
from ..context import field
from .format import NBSP, SurveyPage, ci, pct


@dataclass(frozen=True)
class ParetoLine:
    """One reason for leaving (or one destination)."""

    label: Markup = field("the reason or company, as the respondents chose it")
    count: Markup = field("respondents naming it, or the suppressed-cell label")
    share: Markup = field("percent of respondents who answered")
    cumulative: Markup = field("cumulative percent of all mentions (the Pareto line)")


@dataclass(frozen=True)
class WinBackView:
    """The win-back likelihood (0..10)."""

    n: int = field("respondents who answered it")
    mean: Markup = field("the mean on 0..10")
    mean_ci: Markup = field("the mean's 95 % interval")
    likely: Markup = field("share answering 9 or 10")
    unlikely: Markup = field("share answering 0 to 6")
    net: Markup = field("share 9–10 minus share 0–6, in points")
    net_ci: Markup = field("the net's 95 % interval")


@dataclass(frozen=True)
class LostView:
    """The lost-customer section of the latest wave."""

    intro: str = field("what the section shows and how shares are counted")
    reasons: tuple[ParetoLine, ...] = field("the reasons for leaving, most named first (suppressed last)")
    reasons_n: str | None = field("respondents giving a reason and mentions; None without a reasons column")
    chart: Markup | None = field("the Pareto chart of the published reasons; None when none is published")
    went_to: tuple[ParetoLine, ...] = field("where the respondents went, most named first")
    went_to_n: str | None = field("respondents naming where they went; None without that column")
    win_back: WinBackView | None = field("the win-back likelihood; None without a win-back item")


def _lines(page: SurveyPage, p: Pareto | None) -> tuple[ParetoLine, ...]:
    if p is None:
        return ()
    dash = Markup("—")
    return tuple(ParetoLine(
        label=escape_inline(r.label),
        count=page.small_cell if r.suppressed else Markup(str(r.count)),
        share=dash if r.share is None else fmt(r.share, 1, f"{NBSP}%"),
        cumulative=dash if r.cumulative is None else fmt(r.cumulative, 1, f"{NBSP}%"),
    ) for r in p.rows)


def _win_back(w: WinBack | None) -> WinBackView | None:
    if w is None:
        return None
    return WinBackView(n=w.n, mean=fmt(w.mean, 1), mean_ci=ci(w.ci), likely=pct(w.likely), unlikely=pct(w.unlikely),
                       net=fmt(w.net, 1), net_ci=ci(w.net_ci))


def lost_view(page: SurveyPage, chart: ChartRef | None, latest: WaveFigures) -> LostView | None:
    """The lost-customer section, for a lost-customer survey's latest wave (None for any other survey)."""
    lost = latest.lost
    if lost is None:
        return None
    t = page.t
    reasons, went = lost.reasons, lost.went_to
    image = None
    if chart is not None and reasons is not None:
        shown = [r for r in reasons.rows if not r.suppressed]
        described = ", ".join(f"{r.label} {r.count}" for r in shown)
        title = t("chart_lost_reasons_title", wave=latest.wave, n=reasons.respondents)
        image = page.image(chart, f"{title}: {described}")
    return LostView(
        intro=t["lost_intro"],
        reasons=_lines(page, reasons),
        reasons_n=None if reasons is None else t("lost_reasons_n", n=reasons.respondents, mentions=reasons.mentions),
        chart=image,
        went_to=_lines(page, went),
        went_to_n=None if went is None else t("lost_went_to_n", n=went.respondents),
        win_back=_win_back(lost.win_back),
    )
