"""The document control block and revision history that every controlled document's page shows."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..compute.control import DocumentHistory, HistoryRow
from ..i18n import Catalogue
from ..markdown import code, escape_inline
from ..models import DocumentControl
from .context import field


@dataclass(frozen=True)
class RevisionRow:
    """One revision of the document's history table."""

    revision: str = field("revision label as the document declares it")
    date: str = field("revision date, formatted for the language")
    description: str = field("what the revision changed")
    approver: str | None = field("who approved the revision")
    commits: Markup | None = field("the git commits of this revision (sha, date, author), None without history")


@dataclass(frozen=True)
class UnrevisedCommit:
    """A commit that changed the document's file without a new revision entry."""

    sha: str = field("short commit id")
    date: str = field("commit date as git reports it")
    author: str = field("commit author")
    subject: str = field("commit subject line")
    revision: str | None = field("the revision the file declared at that commit")


@dataclass(frozen=True)
class ControlView:
    """Display values of a document's control block; with its git history, each revision's commits."""

    id: str = field("document id")
    title: str = field("document title")
    revision: str = field("current revision")
    status: str = field("status, translated (draft, approved, obsolete)")
    owner: str | None = field("function that owns the document")
    author: str = field("document author")
    approver: str | None = field("who approved the current revision")
    approval_date: str = field("approval date, formatted for the language")
    effective_date: str = field("effective date, formatted for the language")
    review_due: str = field("next review date, formatted for the language")
    revisions: tuple[RevisionRow, ...] = field("revision history, as declared")
    unrevised: tuple[UnrevisedCommit, ...] = field("commits that changed the file without a revision entry")
    tracked: bool = field("whether the file is under version control (the history table then has commits)")


def _commits(row: HistoryRow | None) -> Markup | None:
    if row is None or not row.commits:
        return None
    return Markup("<br>".join(f"{code(c.sha[:10])} {escape_inline(c.date)} {escape_inline(c.author)}"
                              for c in row.commits))


def control_view(d: DocumentControl, t: Catalogue, history: DocumentHistory | None = None) -> ControlView:
    """The control block of ``d``; ``history`` (its git history) adds each revision's commits."""
    rows = {r.revision: r for r in history.rows} if history else {}
    return ControlView(
        id=d.id, title=d.title, revision=d.revision, status=t[f"status_{d.status}"], owner=d.owner, author=d.author,
        approver=d.approver, approval_date=t.date(d.approval_date), effective_date=t.date(d.effective_date),
        review_due=t.date(d.review_due),
        revisions=tuple(RevisionRow(r.revision, t.date(r.date), r.description, r.approver, _commits(rows.get(r.revision)))
                        for r in d.revisions),
        unrevised=tuple(UnrevisedCommit(c.sha[:10], c.date, c.author, c.subject, c.revision)
                        for c in (history.unrevised if history else ())),
        tracked=history is not None,
    )
