"""The complaints page: volumes, response times against targets, Pareto, backlog, repeat customers."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from ..compute.complaints import ComplaintFigures, PeriodFigures, Times
from ..i18n import Catalogue
from ..project import Project
from ..manual_charts import ComplaintCharts
from ..markdown import code, escape_inline
from ..render import fmt, image, link, relative
from .context import field
from .documents import procedure_path

HERE = "complaints.md"


@dataclass(frozen=True)
class TimesRow:
    """Acknowledgement or resolution time against its target."""

    name: str = field("which time, translated")
    target: str = field("the target, e.g. '≤ 2 working days'")
    n: int = field("complaints measured")
    median: Markup = field("median time")
    p90: Markup = field("90th percentile")
    within: Markup = field("share within target, in %")


@dataclass(frozen=True)
class ParetoEntry:
    """One category of the Pareto table."""

    category: str = field("complaint category")
    count: int = field("complaints in it")
    share: Markup = field("its share of all complaints, in %")
    cumulative: Markup = field("cumulative share, in %")


@dataclass(frozen=True)
class PeriodRow:
    """One period's complaints and response times (also on the review page)."""

    period: str = field("the period")
    received: int = field("complaints received")
    ack: Markup = field("share acknowledged within target, in %")
    res: Markup = field("share resolved within target, in %")
    p90: Markup = field("90th percentile of resolution days")


@dataclass(frozen=True)
class BacklogRow:
    """Open complaints of one age bucket."""

    age: str = field("age in days, e.g. '0–7' or '> 30'")
    count: int = field("open complaints of that age")


@dataclass(frozen=True)
class ComplaintsContext:
    """The complaints page; before the first complaint only ``empty`` and ``procedure_link``."""

    title: str = field("page heading")
    empty: Markup | None = field("the sentence shown before the first complaint; None once there are complaints")
    procedure_link: Markup = field("link to the complaints procedure, whose targets apply")
    total: int | None = field("complaints logged")
    open: int | None = field("complaints still open")
    as_of: str | None = field("the date the figures are as of, formatted")
    with_ca: int | None = field("complaints with a corrective action")
    times: tuple[TimesRow, ...] = field("acknowledgement and resolution times", default=())
    monthly_chart: Markup | None = field("complaints per month, chart", default=None)
    pareto_chart: Markup | None = field("Pareto chart of categories", default=None)
    p90_chart: Markup | None = field("resolution time (90th percentile) per period against target, chart",
                                     default=None)
    pareto: tuple[ParetoEntry, ...] = field("the Pareto table", default=())
    periods: tuple[PeriodRow, ...] = field("figures per period", default=())
    backlog: tuple[BacklogRow, ...] = field("open complaints by age", default=())
    repeat_customers: int | None = field("customers with 2 or more complaints in 12 months; None: no customer column",
                                         default=None)
    repeat_share: Markup | None = field("share of the last 12 months' complaints from repeat customers", default=None)
    corrective_actions: Markup | None = field("corrective action ids, linked when the organization gives a URL",
                                              default=None)


def period_rows(periods: tuple[PeriodFigures, ...]) -> tuple[PeriodRow, ...]:
    return tuple(PeriodRow(p.period, p.received, fmt(p.acknowledged_within_target, 1, " %"),
                           fmt(p.resolved_within_target, 1, " %"), fmt(p.resolution_p90_days, 1)) for p in periods)


def _times(name: str, unit: str, x: Times) -> TimesRow:
    return TimesRow(name, f"≤ {x.target:g} {unit}", x.n, fmt(x.median, 1), fmt(x.p90, 1),
                    fmt(x.within_target, 1, " %"))


def _procedure_link(project: Project, t: Catalogue) -> Markup:
    proc = project.complaints_procedure
    return link(f"{t['targets']}: {proc.document.id} {proc.document.title}",
                relative(HERE, procedure_path(proc.document.id)))


def complaints_view(project: Project, fig: ComplaintFigures, t: Catalogue, charts: ComplaintCharts) -> ComplaintsContext:
    res = fig.resolution
    url = project.organization.corrective_action_url
    # the id comes from the complaints log: percent-encoded into the URL, never read as a format string
    actions = [link(ca, url.replace("{id}", quote(str(ca), safe=""))) if url else escape_inline(ca)
               for ca in fig.corrective_actions]
    return ComplaintsContext(
        title=t["complaints"], empty=None, procedure_link=_procedure_link(project, t),
        total=fig.total, open=fig.open, as_of=t.date(fig.as_of.date()), with_ca=fig.with_corrective_action,
        times=(_times(t["acknowledgement"], t["unit_working_days"], fig.acknowledgement),
               _times(t["resolution"], t["unit_days"], res)),
        monthly_chart=image(HERE, charts.monthly.path, f"{t['chart_complaints_per_month']}, n = {fig.total}"),
        pareto_chart=image(HERE, charts.pareto.path, f"{t['pareto']}, n = {fig.total}"),
        p90_chart=image(HERE, charts.p90.path, f"{t['chart_resolution_p90']}{t['punct_comma']}{t['target']} {res.target:g}"),
        pareto=tuple(ParetoEntry(r.category, r.count, fmt(r.share, 1, " %"), fmt(r.cumulative, 1, " %"))
                     for r in fig.pareto),
        periods=period_rows(fig.periods),
        backlog=tuple(BacklogRow(f"{lo}–{hi}" if hi is not None else f"> {lo - 1}", n) for (lo, hi), n in fig.backlog),
        repeat_customers=fig.repeat_customers, repeat_share=fmt(fig.repeat_share, 1, " %"),
        corrective_actions=Markup(", ".join(actions)) if actions else Markup("—"),
    )


def no_complaints_view(project: Project, t: Catalogue) -> ComplaintsContext:
    """The complaints page before the first complaint: what will be analysed, against which targets."""
    log = project.organization.complaints_log_path
    return ComplaintsContext(title=t["complaints"], empty=Markup(t("no_complaints_text", log=code(log))),
                             procedure_link=_procedure_link(project, t), total=None, open=None, as_of=None,
                             with_ca=None)
