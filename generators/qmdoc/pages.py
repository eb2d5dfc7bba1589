"""The manual's pages in reading order: one view (a typed context) and one template per page kind.

Rendering computes nothing: the figures come from the compute stage, the review pack from the build,
the charts from the chart stage (:mod:`qmdoc.manual_charts`). Each view returns a frozen dataclass
(:mod:`qmdoc.views`); its fields are the template's variables.
"""

from __future__ import annotations

import jinja2

from .compute.control import ControlResults
from .compute.manual import ManualResults
from .compute.review import ReviewPack
from .i18n import Catalogue
from .project import Project
from .manual_charts import ManualCharts
from .render import Page, Rendered, link, make_environment
from .views.changes import changes_view
from .views.clauses import clauses_view
from .views.complaints import complaints_view, no_complaints_view
from .views.context import template_values
from .views.customers import HERE as CUSTOMERS, customers_view
from .views.documents import (PROCEDURES, current_procedures, documents_view, procedure_path, procedure_view,
                              procedures_view)
from .views.labels import survey_path
from .views.objectives import objectives_view
from .views.policy import home_view, policy_view
from .views.provenance import BuildInfo, provenance_view
from .views.review import review_view
from .views.satisfaction.improvements import improvement_links
from .views.satisfaction import satisfaction_view

__all__ = ["BuildInfo", "render_manual", "PROCEDURES", "procedure_path", "survey_path"]


def _page(env: jinja2.Environment, t: Catalogue, path: str, template: str, title: str, context: object,
          section: str | None = None) -> Page:
    return Page(path, title, env.get_template(template).render(t=t, **template_values(context)), section)


def _improvements(project: Project, results: ManualResults, here: str, t: Catalogue) -> tuple:
    """Every evaluated improvement action, linked from page ``here``."""
    return improvement_links({sd.survey.id: sd.survey for sd in project.surveys}, results.surveys, here, t,
                             project.organization.corrective_action_url)


def render_manual(project: Project, results: ManualResults, t: Catalogue, info: BuildInfo,
                  control: ControlResults, charts: ManualCharts, pack: ReviewPack,
                  env: jinja2.Environment | None = None) -> Rendered:
    """All pages and charts of the manual, in reading order. Obsolete documents are only listed."""
    env = make_environment() if env is None else env
    histories = control.histories
    targets = {o.metric: o.target for o in project.objectives.objectives}
    pages = [
        _page(env, t, "policy.md", "policy.md.j2", t["quality_policy"], policy_view(project, t, histories)),
        _page(env, t, "objectives.md", "objectives.md.j2", t["objectives"],
              objectives_view(project, results.objectives, t, histories, charts.objectives, charts.objectives_status,
                              _improvements(project, results, "objectives.md", t))),
        _page(env, t, PROCEDURES, "procedures.md.j2", t["procedures"], procedures_view(project, t), t["procedures"]),
    ]
    for proc in current_procedures(project):
        pages.append(_page(env, t, procedure_path(proc.document.id), "procedure.md.j2",
                           f"{proc.document.id} {proc.document.title}",
                           procedure_view(project, proc, t, histories, charts.flows[proc.document.id]),
                           t["procedures"]))
    for sd in project.surveys:
        view = satisfaction_view(sd, results.surveys[sd.survey.id], t, charts.surveys[sd.survey.id], targets,
                                 action_url=project.organization.corrective_action_url)
        pages.append(_page(env, t, survey_path(sd.survey.id), "satisfaction.md.j2", sd.survey.title, view,
                           t["satisfaction"]))
    if results.complaints is not None and charts.complaints is not None:
        pages.append(_page(env, t, "complaints.md", "complaints.md.j2", t["complaints"],
                           complaints_view(project, results.complaints, t, charts.complaints)))
    elif project.complaints_procedure is not None:  # a complaints log without entries yet
        pages.append(_page(env, t, "complaints.md", "complaints.md.j2", t["complaints"],
                           no_complaints_view(project, t)))
    if results.customers is not None and charts.retention is not None:  # the customer list's retention
        pages.append(_page(env, t, CUSTOMERS, "customers.md.j2", t["customers_page"],
                           customers_view(project.organization.customers, results.customers, t, charts.retention)))
    pages += [
        _page(env, t, "review.md", "review.md.j2", t["review"], review_view(project, pack, t,
                                                                    _improvements(project, results, "review.md", t))),
        _page(env, t, "clauses.md", "clauses.md.j2", t["clause_matrix"], clauses_view(control.matrix, t)),
        _page(env, t, "documents.md", "documents.md.j2", t["documents"], documents_view(project, t)),
        _page(env, t, "changes.md", "changes.md.j2", t["changes"], changes_view(control.changes, t)),
        _page(env, t, "provenance.md", "provenance.md.j2", t["provenance"], provenance_view(project, info, t)),
    ]
    contents = [link(p.title, p.path) for p in pages if p.section is None or p.path.endswith("index.md")
                or p.path.startswith("satisfaction/")]
    home = _page(env, t, "index.md", "home.md.j2", t["home"], home_view(project, t, histories, contents))
    return Rendered(pages=[home, *pages], charts=charts.files())
