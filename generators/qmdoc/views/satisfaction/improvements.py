"""Improvement actions: the score before each action against every wave after it, and the verdict.
Also the links to an evaluation that the objectives and management-review pages show."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from ...compute.improvements import Evaluation
from ...compute.survey import SurveyFigures
from ...i18n import Catalogue
from ...manual_charts import ChartRef
from ...markdown import escape_inline
from ...metric import Metric
from ...models import Improvement, Survey
from ...render import fmt, link, relative
from ..context import field
from ..labels import survey_path
from .format import NBSP, SurveyPage, ci, p_value, signed


def improvement_anchor(survey: Survey, k: int) -> str:
    """The heading id of the k-th improvement action's evaluation on its survey's page."""
    slug = re.sub(r"[^a-z0-9]+", "-", survey.improvements[k].id.lower()).strip("-") or "action"
    earlier = [re.sub(r"[^a-z0-9]+", "-", a.id.lower()).strip("-") or "action" for a in survey.improvements[:k]]
    return f"evaluation-{slug}" + (f"-{k + 1}" if slug in earlier else "")


def action_id(action: Improvement, url: str | None) -> Markup:
    """The action's id, a link to the corrective-action system when ``corrective_action_url`` is set."""
    if url is None:
        return escape_inline(action.id)
    return link(action.id, url.replace("{id}", quote(action.id, safe="")))


def verdict_key(verdict: str | None) -> str:
    """The catalogue suffix of a verdict (see compute.improvements.VERDICTS); ``none``: not yet evaluated."""
    return "none" if verdict is None else verdict.replace(" ", "_")


def verdict_text(verdict: str | None, t: Catalogue) -> str:
    """A verdict translated; without a wave after the action (or before it), "not yet evaluated"."""
    return t[f"verdict_{verdict_key(verdict)}"]


@dataclass(frozen=True)
class AfterRow:
    """One wave after the action against the wave before it."""

    wave: str = field("the wave after the action")
    n: int = field("respondents in that wave")
    score: Markup = field("the target's score in that wave (0-100)")
    delta: Markup = field("the score minus the score before, in points")
    ci: Markup = field("the difference's 95 % interval")
    p: Markup = field("the test's p-value")
    verdict: str = field("improved, no significant change or worse, translated")


@dataclass(frozen=True)
class ActionView:
    """The evaluation of one improvement action."""

    anchor: Markup = field("the heading's attribute list {#id}: the id the objectives and review pages link to")
    heading: Markup = field("the action's id (linked to the corrective-action system when configured) and title")
    target: str = field("what the action aims at: the dimension's title or the item's id and question")
    date: str = field("the action's date, formatted")
    before: str = field("the wave before the action and its score, or why there is none")
    after: tuple[AfterRow, ...] = field("each wave after the action, in order of date")
    no_after: str | None = field("the sentence saying no wave after the action has arrived yet; None otherwise")
    verdict: str = field("the sentence giving the verdict of the latest wave after, translated")
    chart: Markup | None = field("the target's trend with the action marked; None without a score")


@dataclass(frozen=True)
class ImprovementsView:
    """The improvement actions section."""

    intro: str = field("how an action is evaluated")
    actions: tuple[ActionView, ...] = field("the declared actions, in declared order")


def improvement_target(survey: Survey, a: Improvement, t: Catalogue) -> str:
    """What an action aims at, as every page names it: its dimension's declared title, or its item's id
    and question, after the word for dimension or item in the page's language."""
    if a.kind == "dimension":
        return t("improvement_aims_dimension", title={d.id: d.title for d in survey.dimensions}[a.target])
    item = {i.id: i for i in survey.all_items()}[a.target]
    return t("improvement_aims_item", item=item.id, text=item.text)


def _action(page: SurveyPage, k: int, ev: Evaluation, chart: ChartRef | None, url: str | None) -> ActionView:
    t, a = page.t, page.survey.improvements[k]
    points = f"{NBSP}{t['points']}"
    rows = tuple(AfterRow(wave=w.wave, n=w.n, score=fmt(w.score), delta=signed(w.delta, 1, points), ci=ci(w.ci),
                          p=p_value(w.p), verdict=verdict_text(w.verdict, t)) for w in ev.after)
    before = t("improvement_before", wave=ev.before.wave, score=f"{ev.before.score:.1f}") \
        if ev.before is not None else t["improvement_no_before"]
    alt = t("chart_improvement_title", target=page.title(a.target), id=a.id)
    return ActionView(
        anchor=Markup("{#" + improvement_anchor(page.survey, k) + "}"),
        heading=action_id(a, url) + Markup(" — ") + escape_inline(a.title),
        target=improvement_target(page.survey, a, t), date=t.date(a.date), before=before, after=rows,
        no_after=t["improvement_no_after"] if ev.before is not None and not ev.after else None,
        verdict=t("improvement_verdict_line", verdict=verdict_text(ev.verdict, t)),
        chart=page.image(chart, alt) if chart is not None else None)


def improvements_view(page: SurveyPage, charts: Mapping[str, ChartRef], fig: SurveyFigures,
                      url: str | None) -> ImprovementsView | None:
    """The section; None when the survey declares no improvement action. ``charts``: action id -> its
    trend chart; ``url``: the organization's ``corrective_action_url``."""
    if not fig.improvements:
        return None
    actions = tuple(_action(page, k, ev, charts.get(ev.id), url) for k, ev in enumerate(fig.improvements))
    return ImprovementsView(intro=page.t["improvements_intro"], actions=actions)


@dataclass(frozen=True)
class ImprovementLink:
    """One improvement action as the objectives and management-review pages list it."""

    action: Markup = field("the action's id (linked to the corrective-action system when configured) and title")
    survey: str = field("the survey that evaluates it")
    target: str = field("what it aims at: the dimension's declared title or the item's id and question, "
                        "named as on the survey's page")
    verdict: Markup = field("the verdict, linked to the evaluation on the survey's page")


@dataclass(frozen=True)
class LinkedAction:
    """An evaluated action with the metric of its target, from which the objectives page finds the
    objectives it bears on (the metric itself is not shown: the objective names its own)."""

    metric: str = field("the metric of its target, e.g. css.dimension.delivery")
    link: ImprovementLink = field("the action as the pages list it")


def improvement_links(surveys: Mapping[str, Survey], figures: Mapping[str, SurveyFigures], here: str,
                      t: Catalogue, url: str | None) -> tuple[LinkedAction, ...]:
    """Every evaluated action of every survey, linked from page ``here`` to its evaluation."""
    out = []
    for sid, survey in surveys.items():
        evs = figures[sid].improvements if sid in figures else None
        for k, ev in enumerate(evs or ()):
            a = survey.improvements[k]
            href = relative(here, survey_path(sid)) + "#" + improvement_anchor(survey, k)
            shown = ImprovementLink(action=action_id(a, url) + Markup(" ") + escape_inline(a.title),
                                    survey=survey.title, target=improvement_target(survey, a, t),
                                    verdict=link(verdict_text(ev.verdict, t), href))
            out.append(LinkedAction(Metric(a.kind, a.target, sid).format(), shown))
    return tuple(out)


def bears_on(action: LinkedAction, metric: str) -> bool:
    """Whether an action's evaluation bears on an objective's ``metric``: the same dimension or item
    of the same survey (an item's action also on its top-2-box)."""
    m, target = Metric.parse(metric), Metric.parse(action.metric)
    if m.survey != target.survey or m.key != target.key:
        return False
    return m.kind == target.kind or (target.kind == "item" and m.kind == "top2")
