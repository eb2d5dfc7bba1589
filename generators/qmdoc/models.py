"""Typed models of the policy files (pydantic). Unknown keys are errors."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


# Bounds on numbers: anything beyond them is a typo or an attack, never a real policy value.
ScalePoint = Annotated[int, Field(ge=-10**6, le=10**6)]


class Model(BaseModel):
    # .inf, .nan and 1e309 are not numbers a quality manual can use: refused everywhere
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)


# --------------------------------------------------------------------- documents


class Revision(Model):
    revision: Name
    date: dt.date
    description: Text
    approver: Name | None = None


class DocumentControl(Model):
    """Identification and approval of one controlled document (ISO 9001 7.5)."""

    id: Id
    title: Name
    revision: Name
    status: Literal["draft", "approved", "obsolete"]
    owner: Name | None = None
    author: Name
    approver: Name | None = None
    approval_date: dt.date | None = None
    effective_date: dt.date | None = None
    review_due: dt.date | None = None
    superseded_by: Id | None = None
    revisions: list[Revision] = []


# ------------------------------------------------------------------ organization


class Site(Model):
    name: Name
    city: Name
    country: Name
    activities: Text | None = None


class Organization(Model):
    name: Name
    short_name: Name | None = None
    language: Literal["en", "zh"] = "en"
    scope: Text
    context: Text | None = None
    sites: list[Site] = Field(min_length=1)
    interested_parties: list[Name] = []
    manual: DocumentControl
    logo: str | None = None  # image file inside the repository, shown on the PDF cover
    complaints_procedure: Id | None = None
    complaints_log: str = "data/complaints.csv"
    corrective_action_url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"'`]*\{id\}[^\s<>\"'`]*$", max_length=500)] | None = None
    # the values the complaints log's severity column may hold (the complaints procedure's classification);
    # default: minor, major, critical (en) or 一般, 严重, 致命 (zh)
    complaint_severities: list[Name] | None = Field(default=None, min_length=1)

    def severities(self) -> list[str]:
        """The complaint severities the log may use: the declared ones or the language's default."""
        if self.complaint_severities:
            return list(self.complaint_severities)
        return ["一般", "严重", "致命"] if self.language == "zh" else ["minor", "major", "critical"]


class QualityPolicy(Model):
    document: DocumentControl
    statement: Text
    commitments: list[Text] = Field(min_length=1)
    clauses: list[str] = ["5.2"]


# -------------------------------------------------------------------- objectives


class Objective(Model):
    id: Id
    title: Name
    metric: str
    direction: Literal["at_least", "at_most"]
    target: Annotated[float, Field(ge=-10**9, le=10**9)]
    unit: Name
    period: Name
    owner: Name
    action: Text | None = None


class Objectives(Model):
    document: DocumentControl
    objectives: list[Objective] = Field(min_length=1)
    clauses: list[str] = ["6.2"]


# -------------------------------------------------------------------- procedures


class Responsibility(Model):
    activity: Text
    responsible: Name
    accountable: Name
    consulted: list[Name] = []
    informed: list[Name] = []


class Step(Model):
    actor: Name
    action: Text
    inputs: list[Name] = []
    outputs: list[Name] = []


class Record(Model):
    id: Id
    name: Name
    retention: Name
    owner: Name | None = None
    location: Name | None = None


class Procedure(Model):
    document: DocumentControl
    clauses: list[str] = Field(min_length=1)
    purpose: Text
    scope: Text
    responsibilities: list[Responsibility] = Field(min_length=1)
    steps: list[Step] = Field(min_length=1)
    records: list[Record] = []
    related: list[Id] = []
    targets: dict[Id, Annotated[float, Field(ge=0, le=10**6)]] = {}


# ------------------------------------------------------------------------ surveys


class Scale(Model):
    min: ScalePoint
    max: ScalePoint

    @model_validator(mode="after")
    def _ordered(self) -> "Scale":
        if self.max <= self.min:
            raise ValueError(f"expected max greater than min, got min {self.min} and max {self.max}")
        return self


class Item(Model):
    id: Id
    text: Text
    scale: Scale | None = None
    weight: float | None = Field(default=None, gt=0, le=10**6)


class Dimension(Model):
    id: Id
    title: Name
    weight: float | None = Field(default=None, ge=0, le=10**6)
    items: list[Item] = Field(min_length=1)


class Population(Model):
    size: int = Field(gt=0, le=10**10)


class PathModel(Model):
    scheme: Literal["path", "centroid", "factorial"] = "path"
    paths: list[tuple[Id, Id]] = Field(min_length=1)


class InternalCustomers(Model):
    """An internal-customer survey: departments rate the departments that supply them."""

    supplier: Id  # column naming the department being rated
    customer: Id  # column naming the department that rates it (its internal customer)


class Competitors(Model):
    """Respondents rate competitors on the same items; ``column`` names the company rated."""

    column: Id
    us: Name  # the value of ``column`` that means our own organization


class Survey(Model):
    document: DocumentControl | None = None
    id: Id
    title: Name
    kind: Literal["customer", "internal"] = "customer"
    internal: InternalCustomers | None = None
    competitors: Competitors | None = None
    loyalty: list[Id] = []
    scale: Scale
    not_applicable: list[ScalePoint] = []
    respondent: Id
    wave: Id | None = None
    segments: list[Id] = []
    min_cell_n: int = Field(default=30, ge=1, le=10**6)
    population: Population | None = None
    invitations: dict[str, Annotated[int, Field(gt=0, le=10**9)]] = {}
    overall: Id | None = None
    recommend: Id | None = None
    importance: Literal["stated", "derived"] = "stated"
    dimensions: list[Dimension] = Field(min_length=1)
    items: list[Item] = []
    model: PathModel | None = None

    def all_items(self) -> list[Item]:
        return [i for d in self.dimensions for i in d.items] + list(self.items)

    def item_scale(self, item: Item) -> Scale:
        return item.scale or self.scale
