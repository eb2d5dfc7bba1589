"""The manual's pages: one view-model function and one template per page kind."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup

from . import charts
from .clauses import clause_sort_key
from .compute.control import ControlResults
from .compute.manual import ManualResults
from .compute.review import ReviewPack, review_pack
from .charts import process_flow
from .i18n import Catalogue
from .load import Project
from .markdown import code, escape_inline
from .survey_pages import satisfaction_view, survey_path
from .render import (Page, Rendered, clause_list, control_view, fmt, image, joined, link, make_environment,
                     paragraphs, relative)

PROCEDURES = "procedures/index.md"


def procedure_path(doc_id: str) -> str:
    return f"procedures/{doc_id}.md"


@dataclass(frozen=True)
class BuildInfo:
    """What the build itself contributes to the pages (never the clock: the date is the source date)."""

    date: dt.date
    release: str | None = None
    commit: str | None = None


def render_manual(project: Project, results: ManualResults, t: Catalogue, info: BuildInfo,
                  control: ControlResults, cache: charts.ChartCache | None = None) -> Rendered:
    """All pages and charts of the manual, in reading order. Obsolete documents are only listed."""
    env = make_environment()
    out = Rendered()

    def add(path: str, template: str, nav_title: str, section: str | None = None, **context) -> None:
        md = env.get_template(template).render(t=t, **context)
        out.pages.append(Page(path, nav_title, md, section))

    org = project.organization
    out.pages.append(None)  # placeholder for the home page, which lists the others
    histories = control.histories
    draw = charts.draw_with(cache)
    targets = {o.metric: o.target for o in project.objectives.objectives}
    add("policy.md", "policy.md.j2", t["quality_policy"], **policy_view(project, t, histories))
    add("objectives.md", "objectives.md.j2", t["objectives"],
        **objectives_view(project, results, t, out.charts, histories, draw))
    add(PROCEDURES, "procedures.md.j2", t["procedures"], t["procedures"], **procedures_view(project, t))
    for proc in current_procedures(project):
        add(procedure_path(proc.document.id), "procedure.md.j2", f"{proc.document.id} {proc.document.title}",
            t["procedures"], **procedure_view(project, proc, t, histories, out.charts, draw))
    for sd in project.surveys:
        fig = results.surveys[sd.survey.id]
        add(survey_path(sd.survey.id), "satisfaction.md.j2", sd.survey.title, t["satisfaction"],
            **satisfaction_view(sd, fig, t, out.charts, targets, cache=cache))
    if results.complaints is not None:
        add("complaints.md", "complaints.md.j2", t["complaints"],
            **complaints_view(project, results.complaints, t, out.charts, draw))
    elif project.complaints_procedure is not None:  # a complaints log without entries yet
        add("complaints.md", "complaints.md.j2", t["complaints"], **no_complaints_view(project, t))
    pack = review_pack(results.surveys, results.objectives, results.complaints, project.documents(),
                       control.matrix, info.date)
    add("review.md", "review.md.j2", t["review"], **review_view(project, pack, t))
    add("clauses.md", "clauses.md.j2", t["clause_matrix"], **clauses_view(control.matrix, t))
    add("documents.md", "documents.md.j2", t["documents"], **documents_view(project, t))
    add("changes.md", "changes.md.j2", t["changes"], **changes_view(control.changes, t))
    add("provenance.md", "provenance.md.j2", t["provenance"], **provenance_view(project, info, t))

    contents = [{"link": link(p.title, p.path)} for p in out.pages[1:] if p.section is None or p.path.endswith("index.md")
                or p.path.startswith("satisfaction/")]
    home = env.get_template("home.md.j2").render(
        t=t, org={**org.model_dump(), "scope": paragraphs(org.scope),
                  "context": paragraphs(org.context) if org.context else None},
        doc=control_view(org.manual, t, histories.get(org.manual.id)), contents=contents)
    out.pages[0] = Page("index.md", t["home"], home, None)
    return out


def current_procedures(project: Project) -> list:
    return [p for p in project.procedures if p.document.status != "obsolete"]


def policy_view(project: Project, t: Catalogue, histories: dict) -> dict:
    p = project.policy
    return {
        "title": p.document.title,
        "doc": control_view(p.document, t, histories.get(p.document.id)),
        "clauses": clause_list(p.clauses),
        "statement": paragraphs(p.statement),
        "commitments": p.commitments,
    }


def objectives_view(project: Project, results: ManualResults, t: Catalogue, chart_out: dict[str, bytes],
                    histories: dict, draw) -> dict:  # noqa: ANN001
    o = project.objectives
    rows = []
    for r in results.objectives:
        obj = r.objective
        target = escape_inline(t[obj.direction]) + Markup(f" {fmt(obj.target, _digits(obj.target))} ") + escape_inline(obj.unit)
        chart = None
        if r.series:
            path = f"charts/objective-{obj.id}.svg"
            labels = [s[0] for s in r.series]
            chart_out[path] = draw(charts.trend, labels, [s[1] for s in r.series], None, None, None,
                                           title=f"{obj.id} {obj.title}", ylabel=obj.unit,
                                           target=obj.target, target_label=f"{t['target']} {t[obj.direction]} {obj.target:g}")
            chart = image("objectives.md", path, f"{obj.title}: {t['target']} {t[obj.direction]} {obj.target:g}")
        rows.append({
            "id": obj.id, "title": obj.title, "metric": obj.metric, "target": target, "period": obj.period,
            "owner": obj.owner, "actual": fmt(r.actual, 1), "latest": r.period, "status": t[f"status_{r.status}"],
            "action": obj.action, "chart": chart,
        })
    if all(r.status == "no_data" for r in results.objectives):  # no chart of nothing: a sentence in its place
        status_chart = t["objectives_no_data"]
    else:
        bullets_path = "charts/objectives-status.svg"
        chart_out[bullets_path] = draw(
            charts.bullets, [f"{r.objective.id} {r.objective.title}" for r in results.objectives],
            [r.actual for r in results.objectives], [r.objective.target for r in results.objectives],
            [r.objective.unit for r in results.objectives],
            [None if r.status == "no_data" else r.status == "met" for r in results.objectives],
            title=t["chart_objectives_title"], target_label=t["chart_target_tick"], no_data_label=t["status_no_data"])
        status_chart = image("objectives.md", bullets_path, t["chart_objectives_alt"])
    return {"title": o.document.title, "doc": control_view(o.document, t, histories.get(o.document.id)),
            "status_chart": status_chart,
            "clauses": clause_list(o.clauses),
            "objectives": rows}


def _digits(value: float) -> int:
    return 0 if float(value).is_integer() else 1


def procedures_view(project: Project, t: Catalogue) -> dict:
    return {
        "title": t["procedures"],
        "procedures": [
            {"link": link(p.document.id, relative(PROCEDURES, procedure_path(p.document.id))),
             "title": p.document.title, "revision": p.document.revision,
             "status": t[f"status_{p.document.status}"], "clauses": clause_list(p.clauses)}
            for p in current_procedures(project)
        ],
    }


def procedure_view(project: Project, proc, t: Catalogue, histories: dict,  # noqa: ANN001
                   chart_out: dict[str, bytes], draw) -> dict:
    here = procedure_path(proc.document.id)
    flow_path = f"charts/flow-{proc.document.id}.svg"
    chart_out[flow_path] = draw(process_flow, [(s.actor, s.action) for s in proc.steps],
                                        f"{proc.document.id} {proc.document.title}", note=t["flow_note"])
    titles = {d.control.id: d.control.title for d in project.documents()}
    related = []
    for ref in proc.related:
        target = procedure_path(ref) if any(p.document.id == ref for p in current_procedures(project)) else None
        text = f"{ref} {titles.get(ref, '')}".strip()
        related.append(link(text, relative(here, target)) if target else text)
    return {
        "doc": control_view(proc.document, t, histories.get(proc.document.id)),
        "clauses": clause_links(proc.clauses, here),
        "purpose": paragraphs(proc.purpose),
        "scope": paragraphs(proc.scope),
        "responsibilities": [
            {"activity": r.activity, "responsible": r.responsible, "accountable": r.accountable,
             "consulted": joined(r.consulted), "informed": joined(r.informed)} for r in proc.responsibilities
        ],
        "steps": [{"actor": s.actor, "action": s.action, "inputs": joined(s.inputs), "outputs": joined(s.outputs)}
                  for s in proc.steps],
        "flow": image(here, flow_path, f"{t['process_flow']}: {proc.document.id} {proc.document.title}, "
                                       f"{len(proc.steps)} {t['steps']}"),
        "targets": [(k, fmt(v, _digits(v))) for k, v in sorted(proc.targets.items())],
        "records": proc.records,
        "related": related,
    }


def documents_view(project: Project, t: Catalogue) -> dict:
    rows, obsolete = [], []
    titles = {d.control.id: d.control.title for d in project.documents()}
    for d in project.documents():
        row = {**control_view(d.control, t), "kind": t[f"kind_{d.kind}"], "source": d.source}
        if d.control.status == "obsolete":
            ref = d.control.superseded_by
            row["superseded_by"] = f"{ref} {titles.get(ref, '')}".strip() if ref else None
            obsolete.append(row)
        else:
            rows.append(row)
    return {"title": t["documents"], "documents": rows, "obsolete": obsolete}


def clause_links(clauses: list[str], here: str) -> Markup:
    """Clause numbers as links to their row of the clause matrix."""
    return Markup(", ".join(link(c, relative(here, "clauses.md") + "#clause-" + c.replace(".", "-"))
                            for c in sorted(clauses, key=clause_sort_key)))


def clauses_view(matrix, t: Catalogue) -> dict:  # noqa: ANN001
    return {
        "title": t["clause_matrix"],
        "rows": [{"anchor": Markup(f'<a id="clause-{r.clause.replace(".", "-")}"></a>'), "clause": r.clause,
                  "title": r.title, "documents": joined(r.documents), "records": joined(r.records),
                  "kpis": joined(r.kpis), "status": t["gap"] if r.gap else (t["addressed"] if r.documents else "—")}
                 for r in matrix],
        "gaps": [r.clause for r in matrix if r.gap],
    }


def changes_view(changes, t: Catalogue) -> dict:  # noqa: ANN001
    if changes is None:
        return {"title": t["changes"], "since": None, "documents": [], "targets": [], "steps": [], "waves": []}
    return {
        "title": t["changes"],
        "since": changes.since,
        "documents": [{"id": d.document, "title": d.title, "kind": t[f"change_{d.kind}"], "source": d.source,
                       "old": d.old_revision, "new": d.new_revision,
                       "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in d.fields]}
                      for d in changes.documents],
        "targets": [{"id": c.objective, "title": c.title, "old": c.old, "new": c.new} for c in changes.targets],
        "steps": list(changes.procedures_with_new_steps),
        "waves": [{"survey": s, "wave": w} for s, w in changes.waves_added],
    }


def complaints_view(project: Project, fig, t: Catalogue, chart_out: dict[str, bytes], draw) -> dict:  # noqa: ANN001
    here = "complaints.md"
    proc = project.complaints_procedure
    ack, res = fig.acknowledgement, fig.resolution
    monthly_path, pareto_path, p90_path = "charts/complaints-monthly.svg", "charts/complaints-pareto.svg", "charts/complaints-p90.svg"
    chart_out[monthly_path] = draw(charts.columns,
        [m for m, _ in fig.monthly], [c for _, c in fig.monthly], title=t["chart_complaints_per_month"],
        ylabel=t["count"], note=f"n = {fig.total}", tick_every=max(1, len(fig.monthly) // 12))
    chart_out[pareto_path] = draw(charts.pareto,
        [r.category for r in fig.pareto], [r.count for r in fig.pareto], [r.cumulative for r in fig.pareto],
        title=f"{t['pareto']} — n = {fig.total}", ylabel=t["count"], cumulative_label=f"{t['cumulative']} (%)")
    chart_out[p90_path] = draw(charts.trend,
        [p.period for p in fig.periods], [p.resolution_p90_days for p in fig.periods], None, None,
        [p.received for p in fig.periods], title=t["chart_resolution_p90"], ylabel=t["unit_days"],
        target=res.target, target_label=f"{t['target']} {res.target:g} {t['unit_days']}")
    url = project.organization.corrective_action_url
    # the id comes from the complaints log: percent-encoded into the URL, never read as a format string
    actions = [link(ca, url.replace("{id}", quote(str(ca), safe=""))) if url else escape_inline(ca)
               for ca in fig.corrective_actions]
    return {
        "title": t["complaints"],
        "empty": None,
        "total": fig.total, "open": fig.open, "as_of": t.date(fig.as_of.date()), "with_ca": fig.with_corrective_action,
        "times": [
            {"name": t["acknowledgement"], "target": f"≤ {ack.target:g} {t['unit_working_days']}", "n": ack.n,
             "median": fmt(ack.median, 1), "p90": fmt(ack.p90, 1), "within": fmt(ack.within_target, 1, " %")},
            {"name": t["resolution"], "target": f"≤ {res.target:g} {t['unit_days']}", "n": res.n,
             "median": fmt(res.median, 1), "p90": fmt(res.p90, 1), "within": fmt(res.within_target, 1, " %")},
        ],
        "procedure_link": link(f"{t['targets']}: {proc.document.id} {proc.document.title}",
                               relative(here, procedure_path(proc.document.id))),
        "monthly_chart": image(here, monthly_path, f"{t['chart_complaints_per_month']}, n = {fig.total}"),
        "pareto_chart": image(here, pareto_path, f"{t['pareto']}, n = {fig.total}"),
        "p90_chart": image(here, p90_path, f"{t['chart_resolution_p90']}, {t['target']} {res.target:g}"),
        "pareto": [{"category": r.category, "count": r.count, "share": fmt(r.share, 1, " %"),
                    "cumulative": fmt(r.cumulative, 1, " %")} for r in fig.pareto],
        "periods": [{"period": p.period, "received": p.received, "ack": fmt(p.acknowledged_within_target, 1, " %"),
                     "res": fmt(p.resolved_within_target, 1, " %"), "p90": fmt(p.resolution_p90_days, 1)}
                    for p in fig.periods],
        "backlog": [{"age": f"{lo}–{hi}" if hi is not None else f"> {lo - 1}", "count": n} for (lo, hi), n in fig.backlog],
        "repeat_customers": fig.repeat_customers, "repeat_share": fmt(fig.repeat_share, 1, " %"),
        "corrective_actions": Markup(", ".join(actions)) if actions else Markup("—"),
    }


def no_complaints_view(project: Project, t: Catalogue) -> dict:
    """The complaints page before the first complaint: what will be analysed, against which targets."""
    proc = project.complaints_procedure
    log = project.organization.complaints_log_path
    return {
        "title": t["complaints"],
        "empty": Markup(t("no_complaints_text", log=code(log))),
        "procedure_link": link(f"{t['targets']}: {proc.document.id} {proc.document.title}",
                               relative("complaints.md", procedure_path(proc.document.id))),
    }


def provenance_view(project: Project, info: BuildInfo, t: Catalogue) -> dict:
    files = [f for s in project.surveys for f in s.files]
    if project.complaints_file:
        files.append(project.complaints_file)
    return {
        "title": t["provenance"],
        "build": {"release": info.release,
                  "commit": code(info.commit) if info.commit else t["not_under_version_control"],
                  "date": t.date(info.date)},
        "files": [{"path": f.path, "rows": f.rows, "sha256": f.sha256} for f in sorted(files, key=lambda f: f.path)],
    }


def _display(value: object, t: Catalogue) -> Markup:
    if isinstance(value, float):
        return fmt(value, 3 if abs(value) < 1 else 1)
    if isinstance(value, dt.date):
        return escape_inline(t.date(value))
    return escape_inline(value)


def review_view(project: Project, pack: ReviewPack, t: Catalogue) -> dict:
    here = "review.md"
    titles = {sd.survey.id: sd.survey.title for sd in project.surveys}
    decisions = []
    for d in pack.decisions:
        values = {k: _display(v, t) for k, v in d.values}
        decisions.append(Markup(t[f"decision_{d.kind}"].format(subject=escape_inline(d.subject), **values)))
    c = pack.complaints
    no_complaints = c is None and project.complaints_procedure is not None
    return {
        "title": t["review"],
        "decisions": decisions,
        "surveys": [{
            "link": link(titles[s.survey], relative(here, survey_path(s.survey))),
            "wave": s.wave if s.wave is not None else t["no_survey_data"], "n": s.n,
            "index": fmt(s.index), "previous_index": fmt(s.previous_index),
            "change": (Markup(f"{s.index - s.previous_index:+.1f} ") + escape_inline(
                t["significant"] if s.index_change_significant else t["not_significant"]))
            if s.index is not None and s.previous_index is not None else None,
            "nps": fmt(s.nps), "previous_nps": fmt(s.previous_nps)} for s in pack.surveys],
        "objectives": [{"name": f"{r.objective.id} {r.objective.title}",
                        "target": escape_inline(t[r.objective.direction]) + Markup(f" {r.objective.target:g} ")
                        + escape_inline(r.objective.unit),
                        "actual": fmt(r.actual), "period": r.period, "status": t[f"status_{r.status}"]}
                       for r in pack.objectives],
        "complaints": None if c is None else {
            "periods": [{"period": p.period, "received": p.received, "ack": fmt(p.acknowledged_within_target, 1, " %"),
                         "res": fmt(p.resolved_within_target, 1, " %"), "p90": fmt(p.resolution_p90_days, 1)}
                        for p in c.periods[-4:]],
            "top": joined([f"{r.category} ({r.count})" for r in c.pareto[:3]]),
            "open": c.open,
            "link": link(t["complaints"], relative(here, "complaints.md")),
        },
        "no_complaints": link(t["no_complaints"], relative(here, "complaints.md")) if no_complaints else None,
    }
