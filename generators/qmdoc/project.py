"""What the load stage hands to the rest: a project's validated policy files and data, and their files.

compute and the pages read these types; only ``load`` makes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .models import DocumentControl, Objectives, Organization, Procedure, QualityPolicy, Survey


@dataclass(frozen=True)
class DataFile:
    """A data file the manual was made from: its path in the repository, SHA-256 (None: not asked for), rows."""

    path: str
    sha256: str
    rows: int


def publishable_column(column: str) -> str:
    """The responses frame's column with the publishable marks (True: publish) of comment column ``column``."""
    return f"\0publishable\0{column}"


@dataclass(frozen=True)
class SurveyData:
    """A survey instrument, the file it comes from, its data files and their responses as one frame."""

    survey: Survey
    source: str
    files: tuple[DataFile, ...]
    # None: not read, because an earlier build's figures of exactly these inputs are stored under ``key``
    responses: pd.DataFrame | None = field(repr=False)
    # rows screened out (source.include, source.screen) per wave and reason; {} when the survey screens nothing
    excluded: dict[str, dict[str, int]] = field(default_factory=dict)
    # a hash of the instrument and the bytes of its data folder, when the build keeps figures between builds
    key: str | None = None


@dataclass(frozen=True)
class SourcedDocument:
    """A controlled document, the file it comes from and what it is."""

    kind: str  # manual | policy | objectives | procedure | survey
    source: str
    control: DocumentControl


@dataclass(frozen=True)
class Project:
    """Everything a project's policy files and data say, validated: what compute and the pages read."""

    root: Path
    organization: Organization
    policy: QualityPolicy
    objectives: Objectives
    procedures: tuple[Procedure, ...]
    surveys: tuple[SurveyData, ...]
    complaints: pd.DataFrame = field(repr=False)
    complaints_file: DataFile | None = None
    sources: dict[str, str] = field(default_factory=dict)  # document id -> file
    logo: Path | None = None  # the organization's logo, checked to lie inside the repository
    # the customer list (organization.yml customers:) as load/customers.py hands it on; None: none declared
    customers: pd.DataFrame | None = field(default=None, repr=False)
    customers_file: DataFile | None = None

    @property
    def complaints_procedure(self) -> Procedure | None:
        for proc in self.procedures:
            if proc.document.id == self.organization.complaints_procedure:
                return proc
        return None

    def documents(self) -> list[SourcedDocument]:
        docs = [SourcedDocument("manual", "policy/organization.yml", self.organization.manual)]
        docs.append(SourcedDocument("policy", self.sources[self.policy.document.id], self.policy.document))
        docs.append(SourcedDocument("objectives", self.sources[self.objectives.document.id], self.objectives.document))
        docs += [SourcedDocument("procedure", self.sources[p.document.id], p.document) for p in self.procedures]
        docs += [SourcedDocument("survey", s.source, s.survey.document) for s in self.surveys if s.survey.document]
        return docs
