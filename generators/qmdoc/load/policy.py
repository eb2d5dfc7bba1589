"""The policy YAML: organization, quality policy, objectives and procedures, checked against each other.

Document control of every controlled document, clause numbers, references between
documents, the complaints procedure's targets and the metrics objectives name.
"""

from __future__ import annotations

import re

from ..clauses import is_clause
from ..errors import describe
from ..metric import COMPLAINT_METRICS, known_metrics
from ..models import DocumentControl, Objectives, Organization, Procedure, QualityPolicy, Survey
from ..yamlfile import YamlDoc
from .collector import _Collector

COMPLAINT_TARGETS = ("acknowledge_working_days", "resolve_days")


def _declared(doc: YamlDoc | None, *keys: str) -> str | None:
    """What an invalid file declares at ``keys`` (e.g. its document id), when it is plain text."""
    data = doc.data if doc is not None else None
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data.strip() if isinstance(data, str) else None


def natural_key(text: str) -> tuple:
    """Sort key that orders PR-821 before PR-1020 (numbers compared as numbers)."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def _check_clauses(c: _Collector, clauses: list[str], doc: YamlDoc) -> None:
    for i, cid in enumerate(clauses):
        if not is_clause(str(cid)):
            c.add(doc.path, doc.line_of(("clauses", i)), f"clauses[{i}]",
                  f"expected an ISO 9001:2015 clause number such as 8.2.1, got {describe(cid)}")


def _check_document(c: _Collector, d: DocumentControl, doc: YamlDoc, loc: tuple) -> None:
    name = ".".join(str(p) for p in loc)
    if d.effective_date and d.approval_date and d.effective_date < d.approval_date:
        c.add(doc.path, doc.line_of((*loc, "effective_date")), f"{name}.effective_date",
              f"expected a date on or after the approval date {d.approval_date}, got {d.effective_date}")
    if d.status == "approved" and not (d.approver and d.approval_date):
        c.add(doc.path, doc.line_of(loc), f"{name}.approver",
              "expected an approver and an approval_date for an approved document, got nothing")
    if d.review_due and d.approval_date and d.review_due < d.approval_date:
        c.add(doc.path, doc.line_of((*loc, "review_due")), f"{name}.review_due",
              f"expected a date on or after the approval date {d.approval_date}, got {d.review_due}")
    if d.review_due and d.effective_date and d.review_due < d.effective_date:
        c.add(doc.path, doc.line_of((*loc, "review_due")), f"{name}.review_due",
              f"expected a date on or after the effective date {d.effective_date}, got {d.review_due}")
    seen: dict[str, int] = {}
    for i, r in enumerate(d.revisions):
        if r.revision in seen:
            c.add(doc.path, doc.line_of((*loc, "revisions", i, "revision")), f"{name}.revisions[{i}].revision",
                  f"expected each revision once, got {r.revision!r} again (first at revisions[{seen[r.revision]}])")
        seen.setdefault(r.revision, i)
        if i and r.date < d.revisions[i - 1].date:
            c.add(doc.path, doc.line_of((*loc, "revisions", i, "date")), f"{name}.revisions[{i}].date",
                  f"expected revisions oldest first, got {r.date} after {d.revisions[i - 1].date}")
    if d.superseded_by is not None and d.superseded_by == d.id:
        c.add(doc.path, doc.line_of((*loc, "superseded_by")), f"{name}.superseded_by",
              f"expected the id of another document, got this document's own id {d.id!r}")


def check_documents(c: _Collector, docs: dict[str, YamlDoc | None], organization: Organization | None,
                    policy: QualityPolicy | None, objectives: Objectives | None,
                    procedures: list[tuple[Procedure, YamlDoc]],
                    surveys: list[tuple[Survey, YamlDoc, bool]]) -> dict[str, str]:
    """Every controlled document's id (unique), document control and clauses; returns document id -> file."""
    sources: dict[str, str] = {}
    doc_lines: list[tuple[DocumentControl, YamlDoc, tuple]] = []
    if organization:
        doc_lines.append((organization.manual, docs["organization"], ("manual", "id")))
    if policy:
        doc_lines.append((policy.document, docs["policy"], ("document", "id")))
        _check_clauses(c, policy.clauses, docs["policy"])
    if objectives:
        doc_lines.append((objectives.document, docs["objectives"], ("document", "id")))
        _check_clauses(c, objectives.clauses, docs["objectives"])
    for proc, doc in procedures:
        doc_lines.append((proc.document, doc, ("document", "id")))
        _check_clauses(c, proc.clauses, doc)
    for survey, doc, _ in surveys:
        if survey.document:
            doc_lines.append((survey.document, doc, ("document", "id")))
    for control, doc, loc in doc_lines:
        if control.id in sources:
            c.add(doc.path, doc.line_of(loc), "document.id" if loc[0] == "document" else "manual.id",
                  f"expected a unique document id, got {control.id!r} already used in {sources[control.id]}")
        else:
            sources[control.id] = doc.path
        _check_document(c, control, doc, loc[:-1])
    return sources


def check_related(c: _Collector, procedures: list[tuple[Procedure, YamlDoc]], sources: dict[str, str],
                  broken_documents: set[str]) -> None:
    """A procedure's related documents: other documents that exist (or whose own file is invalid)."""
    for proc, doc in procedures:
        for i, ref in enumerate(proc.related):
            if ref == proc.document.id:
                c.add(doc.path, doc.line_of(("related", i)), f"related[{i}]",
                      f"expected the id of another document, got this procedure's own id {ref!r}")
            elif ref not in sources and ref not in broken_documents:
                c.add(doc.path, doc.line_of(("related", i)), f"related[{i}]",
                      f"expected the id of a document, got {ref!r}")


def complaints_procedure(c: _Collector, docs: dict[str, YamlDoc | None], organization: Organization | None,
                         procedures: list[tuple[Procedure, YamlDoc]], broken_documents: set[str]) -> Procedure | None:
    """The procedure organization.yml names as the complaints procedure, with its targets; None without one."""
    procedure_ids = {p.document.id for p, _ in procedures}
    complaints_proc = None
    if organization and organization.complaints_procedure in broken_documents:
        pass  # the complaints procedure's own file is invalid and reported: no echo here
    elif organization and organization.complaints_procedure:
        if organization.complaints_procedure not in procedure_ids:
            c.add(docs["organization"].path, docs["organization"].line_of(("complaints_procedure",)),
                  "complaints_procedure", f"expected the id of a procedure, got {organization.complaints_procedure!r}")
        else:
            complaints_proc, cdoc = next((p, d) for p, d in procedures if p.document.id == organization.complaints_procedure)
            for key in COMPLAINT_TARGETS:
                if key not in complaints_proc.targets:
                    c.add(cdoc.path, cdoc.line_of(("targets",)), f"targets.{key}",
                          "expected a target for complaints handling, got nothing")
    return complaints_proc


def check_objectives(c: _Collector, docs: dict[str, YamlDoc | None], objectives: Objectives,
                     organization: Organization | None, complaints_proc: Procedure | None,
                     surveys: list[tuple[Survey, YamlDoc, bool]], broken_documents: set[str],
                     broken_surveys: set[str]) -> None:
    """Each objective's metric is one the data computes; objective ids are unique."""
    # when organization.yml itself is invalid, don't cascade into complaints metrics
    complaints_known = (complaints_proc is not None or organization is None
                        or organization.complaints_procedure in broken_documents)
    customers_known = organization is None or organization.customers is not None  # the customer list's metrics
    metrics = known_metrics([s for s, _, _ in surveys], complaints_known, customers_known)
    for i, obj in enumerate(objectives.objectives):
        if obj.metric.partition(".")[0] in broken_surveys:
            continue  # the survey's own file is invalid and reported
        if obj.metric not in metrics:
            c.add(docs["objectives"].path, docs["objectives"].line_of(("objectives", i, "metric")),
                  f"objectives[{i}].metric", f"expected a computed metric ({', '.join(sorted(metrics)[:4])}, ...), got {obj.metric!r}")
    seen: dict[str, int] = {}
    for i, obj in enumerate(objectives.objectives):
        if obj.id in seen:
            c.add(docs["objectives"].path, docs["objectives"].line_of(("objectives", i, "id")),
                  f"objectives[{i}].id", f"expected a unique objective id, got {obj.id!r} again")
        seen[obj.id] = i
