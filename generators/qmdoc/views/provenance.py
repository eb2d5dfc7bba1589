"""The provenance page: the build (release, commit, date) and every data file with its checksum."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from ..i18n import Catalogue
from ..project import DataFile, Project
from ..markdown import code
from .context import field


@dataclass(frozen=True)
class BuildInfo:
    """What the build itself contributes to the pages (never the clock: the date is the source date)."""

    date: dt.date = field("the source date (of the last commit, or SOURCE_DATE_EPOCH)")
    release: str | None = field("the release being built; None for a plain build", default=None)
    commit: str | None = field("the source commit, '+' when the tree has uncommitted changes", default=None)


@dataclass(frozen=True)
class BuildRow:
    """The build this manual comes from."""

    release: str | None = field("the release being built; None for a plain build")
    commit: Markup | str = field("the source commit as code, or the sentence saying there is no version control")
    date: str = field("the source date, formatted for the language")


@dataclass(frozen=True)
class ProvenanceContext:
    """The provenance page."""

    title: str = field("page heading")
    build: BuildRow = field("the build")
    files: tuple[DataFile, ...] = field("every data file read (survey exports, complaints log), by path")


def provenance_view(project: Project, info: BuildInfo, t: Catalogue) -> ProvenanceContext:
    files = [f for s in project.surveys for f in s.files]
    if project.complaints_file:
        files.append(project.complaints_file)
    return ProvenanceContext(
        title=t["provenance"],
        build=BuildRow(release=info.release,
                       commit=code(info.commit) if info.commit else t["not_under_version_control"],
                       date=t.date(info.date)),
        files=tuple(sorted(files, key=lambda f: f.path)))
