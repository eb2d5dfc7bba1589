"""The quality objectives page: each objective's target, latest actual, status and trend."""

from __future__ import annotations

from dataclasses import dataclass, replace

from markupsafe import Markup

from ..compute.control import DocumentHistory
from ..compute.objectives import ObjectiveResult
from ..i18n import Catalogue
from ..project import Project
from ..manual_charts import ChartRef
from ..markdown import escape_inline
from ..render import clause_list, fmt, image
from .context import field
from .control import ControlView, control_view
from .satisfaction.improvements import ImprovementLink, LinkedAction, bears_on

HERE = "objectives.md"


def digits(value: float) -> int:
    """Decimals to show a target or threshold with: none for a whole number, else one."""
    return 0 if float(value).is_integer() else 1


@dataclass(frozen=True)
class ObjectiveRow:
    """One objective, in the table and in its own section."""

    id: str = field("objective id")
    title: str = field("objective title")
    metric: str = field("the metric the objective measures, e.g. css.index")
    target: Markup = field("direction, target value and unit, e.g. 'at least 75 points'")
    period: str = field("the period the objective applies to")
    owner: str = field("who owns the objective")
    actual: Markup = field("latest actual value, formatted (em dash without data)")
    latest: str | None = field("the period of the latest actual; None without data")
    status: str = field("status, translated (met, not met, no data)")
    action: str | None = field("the planned action, when declared")
    chart: Markup | None = field("the trend chart against the target; None without a series")
    improvements: tuple[ImprovementLink, ...] = field(
        "the improvement actions on the objective's dimension or item, linked to their evaluation", default=())


@dataclass(frozen=True)
class ObjectivesContext:
    """The quality objectives page."""

    doc: ControlView = field("the objectives document's control block and revision history; its title is the page heading")
    status_chart: Markup | str = field("bullet chart of all objectives, or the sentence saying none has data yet")
    clauses: Markup = field("ISO 9001 clauses the objectives address, in clause order")
    objectives: tuple[ObjectiveRow, ...] = field("the objectives, in declared order")


def _row(r: ObjectiveResult, t: Catalogue, chart: ChartRef | None) -> ObjectiveRow:
    obj = r.objective
    target = escape_inline(t[obj.direction]) + Markup(f" {fmt(obj.target, digits(obj.target))} ") \
        + escape_inline(obj.unit)
    image_md = image(HERE, chart.path, f"{obj.title}{t['punct_colon']}{t['target']} {t[obj.direction]} {obj.target:g}") \
        if chart is not None else None
    return ObjectiveRow(id=obj.id, title=obj.title, metric=obj.metric, target=target, period=obj.period,
                        owner=obj.owner, actual=fmt(r.actual, 1), latest=r.period, status=t[f"status_{r.status}"],
                        action=obj.action, chart=image_md)


def objectives_view(project: Project, results: tuple[ObjectiveResult, ...], t: Catalogue,
                    histories: dict[str, DocumentHistory], trends: dict[str, ChartRef],
                    status: ChartRef | None, improvements: tuple[LinkedAction, ...] = ()) -> ObjectivesContext:
    """``trends``: objective id -> its trend chart; ``status``: the bullets of all objectives (None: no data);
    ``improvements``: every evaluated improvement action (see :func:`.satisfaction.improvements.improvement_links`)."""
    o = project.objectives
    return ObjectivesContext(
        doc=control_view(o.document, t, histories.get(o.document.id)),
        status_chart=image(HERE, status.path, t["chart_objectives_alt"]) if status is not None
        else t["objectives_no_data"],
        clauses=clause_list(o.clauses, t),
        objectives=tuple(replace(_row(r, t, trends.get(r.objective.id)),
                                 improvements=tuple(a.link for a in improvements
                                                    if bears_on(a, r.objective.metric)))
                         for r in results))
