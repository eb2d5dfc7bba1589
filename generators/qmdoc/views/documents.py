"""The procedures (their index and one page each) and the register of controlled documents."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..clauses import clause_sort_key
from ..compute.control import DocumentHistory
from ..i18n import Catalogue
from ..project import Project
from ..manual_charts import ChartRef
from ..models import Procedure, Record
from ..render import clause_list, fmt, image, joined, link, paragraphs, relative
from .context import field
from .control import ControlView, control_view
from .objectives import digits

PROCEDURES = "procedures/index.md"


def procedure_path(doc_id: str) -> str:
    return f"procedures/{doc_id}.md"


def current_procedures(project: Project) -> list[Procedure]:
    """The procedures in force: an obsolete one is only listed in the register."""
    return [p for p in project.procedures if p.document.status != "obsolete"]


@dataclass(frozen=True)
class ProcedureEntry:
    """One procedure in the procedures index."""

    link: Markup = field("the procedure's id, linked to its page")
    title: str = field("procedure title")
    revision: str = field("current revision")
    status: str = field("status, translated")
    clauses: Markup = field("ISO 9001 clauses it addresses, in clause order")


@dataclass(frozen=True)
class ProceduresContext:
    """The procedures index."""

    title: str = field("page heading")
    procedures: tuple[ProcedureEntry, ...] = field("the procedures in force, in declared order")


def procedures_view(project: Project, t: Catalogue) -> ProceduresContext:
    return ProceduresContext(title=t["procedures"], procedures=tuple(
        ProcedureEntry(link=link(p.document.id, relative(PROCEDURES, procedure_path(p.document.id))),
                       title=p.document.title, revision=p.document.revision,
                       status=t[f"status_{p.document.status}"], clauses=clause_list(p.clauses, t))
        for p in current_procedures(project)))


@dataclass(frozen=True)
class ResponsibilityRow:
    """One activity of the responsibility (RACI) table."""

    activity: str = field("the activity")
    responsible: str = field("who does it")
    accountable: str = field("who answers for it")
    consulted: Markup = field("who is consulted, comma-separated (em dash: nobody)")
    informed: Markup = field("who is informed, comma-separated (em dash: nobody)")


@dataclass(frozen=True)
class StepRow:
    """One step of the procedure."""

    actor: str = field("who performs the step")
    action: str = field("what is done")
    inputs: Markup = field("its inputs, comma-separated (em dash: none)")
    outputs: Markup = field("its outputs, comma-separated (em dash: none)")


@dataclass(frozen=True)
class ProcedureContext:
    """One procedure's page."""

    doc: ControlView = field("the procedure's control block and revision history")
    clauses: Markup = field("ISO 9001 clauses it addresses, each linked to its row of the clause matrix")
    purpose: Markup = field("purpose, as Markdown paragraphs")
    scope: Markup = field("scope, as Markdown paragraphs")
    responsibilities: tuple[ResponsibilityRow, ...] = field("the responsibility table, in declared order")
    steps: tuple[StepRow, ...] = field("the steps, in order")
    flow: Markup = field("the process flow chart of the steps")
    targets: tuple[tuple[str, Markup], ...] = field("the procedure's targets: (name, formatted value), by name")
    records: tuple[Record, ...] = field("the records the procedure keeps, as declared")
    related: tuple[Markup | str, ...] = field("related documents: linked when a procedure in force, else named")


def clause_links(clauses: list[str], here: str, t: Catalogue) -> Markup:
    """Clause numbers as links to their row of the clause matrix."""
    return Markup(t["punct_list"].join(link(c, relative(here, "clauses.md") + "#clause-" + c.replace(".", "-"))
                            for c in sorted(clauses, key=clause_sort_key)))


def _related(project: Project, proc: Procedure, here: str) -> tuple[Markup | str, ...]:
    titles = {d.control.id: d.control.title for d in project.documents()}
    current = {p.document.id for p in current_procedures(project)}
    out: list[Markup | str] = []
    for ref in proc.related:
        text = f"{ref} {titles.get(ref, '')}".strip()
        out.append(link(text, relative(here, procedure_path(ref))) if ref in current else text)
    return tuple(out)


def procedure_view(project: Project, proc: Procedure, t: Catalogue, histories: dict[str, DocumentHistory],
                   flow: ChartRef) -> ProcedureContext:
    here = procedure_path(proc.document.id)
    return ProcedureContext(
        doc=control_view(proc.document, t, histories.get(proc.document.id)),
        clauses=clause_links(proc.clauses, here, t),
        purpose=paragraphs(proc.purpose),
        scope=paragraphs(proc.scope),
        responsibilities=tuple(ResponsibilityRow(r.activity, r.responsible, r.accountable, joined(r.consulted, t),
                                                 joined(r.informed, t)) for r in proc.responsibilities),
        steps=tuple(StepRow(s.actor, s.action, joined(s.inputs, t), joined(s.outputs, t)) for s in proc.steps),
        flow=image(here, flow.path, f"{t['process_flow']}{t['punct_colon']}{proc.document.id} {proc.document.title}"
                                    f"{t['punct_comma']}{len(proc.steps)} {t['steps']}"),
        targets=tuple((k, fmt(v, digits(v))) for k, v in sorted(proc.targets.items())),
        records=tuple(proc.records),
        related=_related(project, proc, here),
    )


@dataclass(frozen=True)
class DocumentRow:
    """One controlled document of the register."""

    id: str = field("document id")
    title: str = field("document title")
    kind: str = field("what it is, translated (manual, policy, objectives, procedure, survey)")
    revision: str = field("current revision")
    status: str = field("status, translated")
    approver: str | None = field("who approved the current revision")
    effective_date: str = field("effective date, formatted for the language")
    review_due: str = field("next review date, formatted for the language")
    source: str = field("the file it comes from")
    superseded_by: str | None = field("for an obsolete document: the id and title of its replacement")


@dataclass(frozen=True)
class DocumentsContext:
    """The register of controlled documents."""

    title: str = field("page heading")
    documents: tuple[DocumentRow, ...] = field("documents in force and drafts, in manual order")
    obsolete: tuple[DocumentRow, ...] = field("obsolete documents, in manual order")


def documents_view(project: Project, t: Catalogue) -> DocumentsContext:
    rows, obsolete = [], []
    titles = {d.control.id: d.control.title for d in project.documents()}
    for d in project.documents():
        c = d.control
        ref = c.superseded_by if c.status == "obsolete" else None
        row = DocumentRow(id=c.id, title=c.title, kind=t[f"kind_{d.kind}"], revision=c.revision,
                          status=t[f"status_{c.status}"], approver=c.approver,
                          effective_date=t.date(c.effective_date), review_due=t.date(c.review_due), source=d.source,
                          superseded_by=f"{ref} {titles.get(ref, '')}".strip() if ref else None)
        (obsolete if c.status == "obsolete" else rows).append(row)
    return DocumentsContext(title=t["documents"], documents=tuple(rows), obsolete=tuple(obsolete))
