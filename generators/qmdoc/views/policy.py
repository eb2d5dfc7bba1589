"""The quality policy page and the home page (the manual's cover: organization, contents)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..compute.control import DocumentHistory
from ..i18n import Catalogue
from ..project import Project
from ..render import clause_list, paragraphs
from .context import field
from .control import ControlView, control_view


@dataclass(frozen=True)
class PolicyContext:
    """The quality policy page."""

    doc: ControlView = field("the policy's control block and revision history; its title is the page heading")
    clauses: Markup = field("ISO 9001 clauses the policy addresses, in clause order")
    statement: Markup = field("the policy statement, as Markdown paragraphs")
    commitments: tuple[str, ...] = field("the policy's commitments, in declared order")


def policy_view(project: Project, t: Catalogue, histories: dict[str, DocumentHistory]) -> PolicyContext:
    p = project.policy
    return PolicyContext(doc=control_view(p.document, t, histories.get(p.document.id)),
                         clauses=clause_list(p.clauses, t), statement=paragraphs(p.statement),
                         commitments=tuple(p.commitments))


@dataclass(frozen=True)
class SiteRow:
    """One site of the organization."""

    name: str = field("site name")
    city: str = field("city")
    country: str = field("country")
    activities: str | None = field("what is done there, as declared")


@dataclass(frozen=True)
class OrganizationView:
    """The organization as the home page presents it."""

    name: str = field("organization name")
    scope: Markup = field("scope of the quality management system, as Markdown paragraphs")
    context: Markup | None = field("context of the organization, as Markdown paragraphs; None when not declared")
    sites: tuple[SiteRow, ...] = field("the organization's sites")
    interested_parties: tuple[str, ...] = field("interested parties, as declared")


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the home page's table of contents."""

    link: Markup = field("link to a top-level page (or a section's index, or a survey's page)")


@dataclass(frozen=True)
class HomeContext:
    """The home page: the manual's own control block, the organization, the contents."""

    org: OrganizationView = field("the organization")
    doc: ControlView = field("the manual's control block and revision history")
    contents: tuple[ContentsEntry, ...] = field("the manual's pages, in reading order")


def home_view(project: Project, t: Catalogue, histories: dict[str, DocumentHistory],
              contents: list[Markup]) -> HomeContext:
    """The home page; ``contents`` are the links to the pages it lists."""
    org = project.organization
    view = OrganizationView(
        name=org.name, scope=paragraphs(org.scope), context=paragraphs(org.context) if org.context else None,
        sites=tuple(SiteRow(s.name, s.city, s.country, s.activities) for s in org.sites),
        interested_parties=tuple(org.interested_parties))
    return HomeContext(org=view, doc=control_view(org.manual, t, histories.get(org.manual.id)),
                       contents=tuple(ContentsEntry(link) for link in contents))
