"""Document control (ISO 9001 7.5): revision histories merged with git, the clause matrix, release checks.

Pure functions: git commits arrive as data (see :mod:`qmdoc.gitrepo`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..clauses import CLAUSES, clause_sort_key
from ..project import Project, SourcedDocument
from ..models import DocumentControl

SURVEY_CLAUSES = ("9.1.2",)
COMPLAINT_CLAUSES = ("9.1.3", "10.2")


@dataclass(frozen=True)
class FileChange:
    """One commit that changed a document's file, with the revision the file declared after it."""

    sha: str
    date: str
    author: str
    subject: str
    revision: str | None


@dataclass(frozen=True)
class HistoryRow:
    revision: str
    date: dt.date
    description: str
    approver: str | None
    commits: tuple[FileChange, ...]  # commits whose file declared this revision


@dataclass(frozen=True)
class DocumentHistory:
    document: str
    source: str
    rows: tuple[HistoryRow, ...]
    unrevised: tuple[FileChange, ...]  # changes committed without a new revision
    uncommitted: bool  # the file has uncommitted changes and declares the committed revision


def merge_history(control: DocumentControl, source: str, changes: list[FileChange], dirty: bool,
                  committed_revision: str | None) -> DocumentHistory:
    """Merge the YAML revision list with the commits that changed the document's file.

    A commit is flagged when it changed the file but the file declares the same
    revision as after the previous commit (the first commit is never flagged).
    """
    rows = []
    for rev in control.revisions:
        rows.append(HistoryRow(rev.revision, rev.date, rev.description, rev.approver,
                               tuple(c for c in changes if c.revision == rev.revision)))
    unrevised = tuple(c for prev, c in zip(changes, changes[1:]) if c.revision is not None
                      and c.revision == prev.revision)
    uncommitted = dirty and committed_revision is not None and committed_revision == control.revision
    return DocumentHistory(control.id, source, tuple(rows), unrevised, uncommitted)


@dataclass(frozen=True)
class ClauseRow:
    clause: str
    title: str
    focus: bool
    documents: tuple[str, ...]
    records: tuple[str, ...]
    kpis: tuple[str, ...]

    @property
    def gap(self) -> bool:
        return self.focus and not self.documents


def clause_matrix(project: Project, language: str) -> tuple[ClauseRow, ...]:
    """Clause -> documents, records and KPIs that address it; every customer-focus clause is listed."""
    docs: dict[str, set[str]] = {}
    records: dict[str, set[str]] = {}
    kpis: dict[str, set[str]] = {}

    def add(table: dict[str, set[str]], clause: str, value: str) -> None:
        table.setdefault(clause, set()).add(value)

    manual = project.organization.manual.id
    for clause in ("4.3", "7.5"):
        add(docs, clause, manual)
    for clause in project.policy.clauses:
        add(docs, clause, project.policy.document.id)
    for clause in project.objectives.clauses:
        add(docs, clause, project.objectives.document.id)
    for proc in project.procedures:
        if proc.document.status == "obsolete":
            continue
        for clause in proc.clauses:
            add(docs, clause, proc.document.id)
            for rec in proc.records:
                add(records, clause, rec.id)
    for sd in project.surveys:
        if sd.survey.document and sd.survey.document.status != "obsolete":
            for clause in SURVEY_CLAUSES:
                add(docs, clause, sd.survey.document.id)
    for obj in project.objectives.objectives:
        add(kpis, "6.2", obj.id)
        source = obj.metric.split(".", 1)[0]
        for clause in COMPLAINT_CLAUSES if source == "complaints" else SURVEY_CLAUSES:
            add(kpis, clause, obj.id)
    shown = {c for c, clause in CLAUSES.items() if clause.focus} | set(docs) | set(records) | set(kpis)

    def under(table: dict[str, set[str]], clause: str) -> tuple[str, ...]:
        """What addresses ``clause`` or one of its sub-clauses (9.3.2 addresses 9.3)."""
        found = set().union(*(v for k, v in table.items() if k == clause or k.startswith(clause + ".")))
        return tuple(sorted(found))

    return tuple(
        ClauseRow(c, CLAUSES[c].title[language], CLAUSES[c].focus, under(docs, c), under(records, c), under(kpis, c))
        for c in sorted(shown, key=clause_sort_key) if c in CLAUSES
    )


@dataclass(frozen=True)
class ReleaseProblem:
    document: str  # document id, or "" for the manual as a whole
    source: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.document}: " if self.document else ""
        return where + self.reason


def release_problems(documents: list[SourcedDocument], histories: dict[str, DocumentHistory],
                     matrix: tuple[ClauseRow, ...], today: dt.date) -> tuple[ReleaseProblem, ...]:
    """Every reason a release must be refused (empty when it may proceed)."""
    out: list[ReleaseProblem] = []
    for d in documents:
        c = d.control
        if c.status == "obsolete":
            continue
        if c.status == "draft":
            out.append(ReleaseProblem(c.id, d.source, "status is draft; a release needs approved documents"))
        if not c.approver or not c.approval_date:
            out.append(ReleaseProblem(c.id, d.source, "no approval (approver and approval_date)"))
        if c.review_due is None:
            out.append(ReleaseProblem(c.id, d.source, "no review date (review_due)"))
        elif c.review_due < today:
            out.append(ReleaseProblem(c.id, d.source, f"review date {c.review_due} is past (build date {today})"))
        history = histories.get(c.id)
        if history:
            for ch in history.unrevised:
                out.append(ReleaseProblem(c.id, d.source,
                                          f"revision history older than git history: commit {ch.sha[:10]} "
                                          f"({ch.date}, {ch.author}) changed the file without a new revision "
                                          f"(still {ch.revision})"))
            if history.uncommitted:
                out.append(ReleaseProblem(c.id, d.source,
                                          f"uncommitted changes without a new revision (still {c.revision})"))
        if c.revision not in {r.revision for r in c.revisions}:
            out.append(ReleaseProblem(c.id, d.source, f"revision {c.revision} has no entry in revisions"))
    for row in matrix:
        if row.gap:
            out.append(ReleaseProblem("", "", f"clause {row.clause} ({row.title}) is not addressed by any document"))
    return tuple(out)


@dataclass(frozen=True)
class ControlResults:
    histories: dict[str, DocumentHistory]
    matrix: tuple[ClauseRow, ...]
    changes: object | None  # changes.PolicyChanges, or None without a previous release
