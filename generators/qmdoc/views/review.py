"""The management review input (ISO 9001 9.3.2): decisions needed, surveys, objectives, complaints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from ..compute.review import LostSummary, ReviewPack, SurveySummary
from ..i18n import Catalogue
from ..project import Project
from ..markdown import escape_inline
from ..render import bracketed, fmt, joined, link, relative
from .complaints import PeriodRow, period_rows
from .context import field
from .customers import HERE as CUSTOMERS
from .customers import RetentionRow, retention_rows
from .labels import survey_path
from .satisfaction.improvements import ImprovementLink, LinkedAction

HERE = "review.md"


@dataclass(frozen=True)
class SurveyRow:
    """One survey's latest wave beside the previous one."""

    link: Markup = field("the survey's title, linked to its page")
    wave: str = field("the latest wave, or the sentence saying there is no data yet")
    n: int = field("respondents in the latest wave")
    index: Markup = field("satisfaction index of the latest wave, the previous wave's in brackets when there is one")
    change: Markup | None = field("the index change and whether it is significant; None without two waves")
    nps: Markup = field("NPS of the latest wave, the previous wave's in brackets when there is one")


@dataclass(frozen=True)
class ObjectiveStatusRow:
    """One objective's status."""

    name: str = field("objective id and title")
    target: Markup = field("direction, target and unit")
    actual: Markup = field("latest actual value")
    period: str | None = field("period of the latest actual")
    status: str = field("status, translated")


@dataclass(frozen=True)
class ReviewComplaints:
    """The complaints part of the review."""

    periods: tuple[PeriodRow, ...] = field("the last four periods")
    top: Markup = field("the three largest categories with their counts")
    open: int = field("complaints still open")
    link: Markup = field("link to the complaints page")


@dataclass(frozen=True)
class ReviewLost:
    """A lost-customer survey's largest reasons for leaving, in its latest wave."""

    link: Markup = field("the survey's title, linked to its page")
    wave: str = field("the latest wave")
    reasons: Markup = field("the largest published reasons with their share of respondents, or a dash")


@dataclass(frozen=True)
class ReviewRetention:
    """The retention trend of the customer list."""

    periods: tuple[RetentionRow, ...] = field("the latest periods, oldest first")
    link: Markup = field("link to the customer retention page")


@dataclass(frozen=True)
class ReviewContext:
    """The management review page."""

    title: str = field("page heading")
    decisions: tuple[Markup, ...] = field("what needs a decision of top management, one sentence each")
    surveys: tuple[SurveyRow, ...] = field("each survey's latest wave beside the previous one")
    objectives: tuple[ObjectiveStatusRow, ...] = field("the objectives' status")
    complaints: ReviewComplaints | None = field("complaints figures; None without complaints")
    no_complaints: Markup | None = field("link saying there are no complaints yet; None otherwise")
    improvements: tuple[ImprovementLink, ...] = field(
        "the improvement actions the surveys evaluate, each linked to its evaluation", default=())
    lost: tuple[ReviewLost, ...] = field("lost-customer surveys: the largest reasons for leaving", default=())
    retention: ReviewRetention | None = field("the retention trend; None without a customer list", default=None)


def _display(value: object, t: Catalogue) -> Markup:
    if isinstance(value, float):
        return fmt(value, 3 if abs(value) < 1 else 1)
    if isinstance(value, dt.date):
        return escape_inline(t.date(value))
    return escape_inline(value)


def _with_previous(value: float | None, previous: float | None) -> Markup:
    """A figure with the previous wave's in brackets (one table column instead of two, so that the table
    fits the page): "79.3 (77.2)", "79.3" without a previous figure, an em dash without a figure."""
    if value is None or previous is None:
        return fmt(value)
    return fmt(value) + Markup(" (") + fmt(previous) + Markup(")")


def _survey_row(s: SurveySummary, title: str, t: Catalogue) -> SurveyRow:
    change = None
    if s.index is not None and s.previous_index is not None:
        change = Markup(f"{s.index - s.previous_index:+.1f} ") + escape_inline(
            t["significant"] if s.index_change_significant else t["not_significant"])
    return SurveyRow(link=link(title, relative(HERE, survey_path(s.survey))),
                     wave=s.wave if s.wave is not None else t["no_survey_data"], n=s.n,
                     index=_with_previous(s.index, s.previous_index), change=change,
                     nps=_with_previous(s.nps, s.previous_nps))


def _lost_row(s: LostSummary, title: str, t: Catalogue) -> ReviewLost:
    reasons = joined([bracketed(r.label, f"{r.share:.0f} %", t) for r in s.reasons], t)
    return ReviewLost(link=link(title, relative(HERE, survey_path(s.survey))), wave=s.wave, reasons=reasons)


def _retention(pack: ReviewPack, t: Catalogue) -> ReviewRetention | None:
    if not pack.retention:
        return None
    return ReviewRetention(retention_rows(pack.retention), link(t["customers_page"], relative(HERE, CUSTOMERS)))


def review_view(project: Project, pack: ReviewPack, t: Catalogue,
                improvements: tuple[LinkedAction, ...] = ()) -> ReviewContext:
    """``improvements``: every evaluated improvement action (see
    :func:`.satisfaction.improvements.improvement_links`)."""
    titles = {sd.survey.id: sd.survey.title for sd in project.surveys}
    decisions = tuple(Markup(t[f"decision_{d.kind}"].format(subject=escape_inline(d.subject),
                                                            **{k: _display(v, t) for k, v in d.values}))
                      for d in pack.decisions)
    c = pack.complaints
    no_complaints = c is None and project.complaints_procedure is not None
    return ReviewContext(
        title=t["review"], decisions=decisions,
        surveys=tuple(_survey_row(s, titles[s.survey], t) for s in pack.surveys),
        objectives=tuple(ObjectiveStatusRow(
            name=f"{r.objective.id} {r.objective.title}",
            target=escape_inline(t[r.objective.direction]) + Markup(f" {r.objective.target:g} ")
            + escape_inline(r.objective.unit),
            actual=fmt(r.actual), period=r.period, status=t[f"status_{r.status}"]) for r in pack.objectives),
        complaints=None if c is None else ReviewComplaints(
            periods=period_rows(c.periods[-4:]), top=joined([bracketed(r.category, str(r.count), t) for r in c.pareto[:3]], t),
            open=c.open, link=link(t["complaints"], relative(HERE, "complaints.md"))),
        no_complaints=link(t["no_complaints"], relative(HERE, "complaints.md")) if no_complaints else None,
        improvements=tuple(a.link for a in improvements),
        lost=tuple(_lost_row(s, titles[s.survey], t) for s in pack.lost),
        retention=_retention(pack, t),
    )
