"""Typed models of the policy files (pydantic). Unknown keys are errors.

Every key carries a description and an example (:func:`key`): the editor schemas
(``qmdoc schema``) and the reference page of every key are generated from them,
so they cannot go stale.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]


# Bounds on numbers: anything beyond them is a typo or an attack, never a real policy value.
ScalePoint = Annotated[int, Field(ge=-10**6, le=10**6)]


def key(description: str, example: Any, default: Any = ..., **constraints: Any) -> Any:
    """A documented key: what it means, one example value, its default (``...``: required)."""
    return Field(default, description=description, examples=[example], **constraints)


class Model(BaseModel):
    # .inf, .nan and 1e309 are not numbers a quality manual can use: refused everywhere
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)


# --------------------------------------------------------------------- documents


class Revision(Model):
    """One entry of a document's revision history, oldest first."""

    revision: Name = key("The revision this entry describes", "2.0")
    date: dt.date = key("Date of the revision (YYYY-MM-DD)", "2025-02-10")
    description: Text = key("What changed in this revision", "Commitment on complaints handling added.")
    approver: Name | None = key("Who approved this revision", "Henrik Aasland, Managing Director", None)


class DocumentControl(Model):
    """Identification and approval of one controlled document (ISO 9001 7.5)."""

    id: Id = key("Document identifier, unique in the manual", "PR-821")
    title: Name = key("Document title", "Customer communication")
    revision: Name = key("Current revision (an entry of revisions names it)", "3.0")
    status: Literal["draft", "approved", "obsolete"] = key(
        "draft (not released), approved (in force) or obsolete (kept out of the manual, listed in the register)",
        "approved")
    owner: Name | None = key("Function that owns the document", "Quality Manager", None)
    author: Name = key("Who wrote the current revision", "Marta Lindqvist, Quality Manager")
    approver: Name | None = key("Who approved the current revision (required when approved)",
                                "Henrik Aasland, Managing Director", None)
    approval_date: dt.date | None = key("Date of approval (required when approved)", "2025-02-10", None)
    effective_date: dt.date | None = key("Date from which the revision applies (on or after approval)",
                                         "2025-02-17", None)
    review_due: dt.date | None = key("Date by which the document must be reviewed", "2027-02-28", None)
    superseded_by: Id | None = key("For an obsolete document: the id of the document that replaces it",
                                   "PR-912", None)
    revisions: list[Revision] = key("Revision history, oldest first", [
        {"revision": "1.0", "date": "2019-05-06", "description": "First issue."}], [])


# ------------------------------------------------------------------ organization


class Site(Model):
    """A site the quality management system covers."""

    name: Name = key("Name of the site", "Plant Trondheim")
    city: Name = key("City", "Trondheim")
    country: Name = key("Country", "Norway")
    activities: Text | None = key("What is done there", "Machining, assembly and testing.", None)


class SiteSettings(Model):
    """How the website is built."""

    engine: Literal["mkdocs", "zensical"] = key(
        "The site engine: mkdocs (Material for MkDocs, the default) or zensical (its successor; "
        "pip install 'qmdoc[zensical]')", "zensical", "mkdocs")


COMPLAINT_FIELDS = ("complaint_id", "received", "acknowledged", "resolved", "category", "customer", "severity",
                    "corrective_action")


class ComplaintColumns(Model):
    """Which column of the complaints log holds each field (default: the field's standard column name)."""

    complaint_id: Name = key("The complaint's unique id (never published)", "投诉编号", "complaint_id")
    received: Name = key("Date the complaint was received (required on every row)", "受理日期", "received")
    acknowledged: Name = key("Date it was acknowledged to the customer (blank: not yet)", "确认日期", "acknowledged")
    resolved: Name = key("Date it was resolved and closed (blank: still open)", "解决日期", "resolved")
    category: Name = key("What the complaint is about (the Pareto categories)", "投诉类别", "category")
    customer: Name | None = key("The complaining customer's id (never published); optional: without it, no "
                                "repeat-complainant figures", "客户编号", None)
    severity: Name | None = key("Severity, one of complaint_severities; optional", "严重程度", None)
    corrective_action: Name | None = key("Id of the corrective action opened for it (optional)", "纠正措施",
                                         None)


class ComplaintsLog(Model):
    """The complaints log as the complaints system exports it."""

    path: Name = key("The log: a CSV or .xlsx file in the repository", "data/投诉台账.xlsx")
    encoding: Name = key("auto (UTF-8 with or without byte-order mark, else GB18030) or a codec name", "gbk",
                         "auto")
    sheet: Name | None = key("For .xlsx: the sheet (default the first)", "2025", None)
    columns: ComplaintColumns = key("Our field -> the log's column title", {"complaint_id": "投诉编号"},
                                    ComplaintColumns())
    date_format: Name | None = key(
        "strftime format of dates that are not ISO (2025-01-03, with or without a time), 2025/1/3, "
        "2025年1月3日 or Excel serial numbers, e.g. %d.%m.%Y for 03.01.2025", "%d.%m.%Y", None)


class Organization(Model):
    """policy/organization.yml: who the manual is for, and the manual's own document control."""

    name: Name = key("Full name of the organization", "Norvik Precision Components AS")
    short_name: Name | None = key("Short name, used in the site title", "Norvik", None)
    language: Literal["en", "zh"] = key(
        "Language of every generated heading, label, chart text and date, and of the site search", "en", "en")
    scope: Text = key("Scope of the quality management system (ISO 9001 4.3)",
                      "Design and manufacture of precision hydraulic components.")
    context: Text | None = key("The organization and its context (4.1)", "A family-owned manufacturer ...", None)
    sites: list[Site] = key("Sites the system covers", [{"name": "Plant Trondheim", "city": "Trondheim",
                                                          "country": "Norway"}], min_length=1)
    interested_parties: list[Name] = key("Interested parties (4.2)", ["Customers", "Employees"], [])
    manual: DocumentControl = key("Document control of the manual itself", {"id": "QM-001", "title": "Quality Manual"})
    logo: str | None = key("An image in the repository shown on the PDF cover", "docs/images/logo.png", None)
    complaints_procedure: Id | None = key(
        "Id of the complaints procedure, whose targets the complaint figures are measured against", "PR-1020", None)
    complaints_log: str | ComplaintsLog = key(
        "The complaints log: a path (a CSV with the standard column names) or a mapping describing the log "
        "as the complaints system exports it", "data/complaints.csv", "data/complaints.csv")
    corrective_action_url: Annotated[str, StringConstraints(
        pattern=r"^https?://[^\s<>\"'`]*\{id\}[^\s<>\"'`]*$", max_length=500)] | None = key(
        "Link to a corrective action, {id} replaced by its id", "https://capa.example.com/{id}", None)
    complaint_severities: list[Name] | None = key(
        "The values the complaints log's severity column may hold; default minor, major, critical "
        "(en) or 一般, 严重, 致命 (zh)", ["minor", "major", "critical"], None, min_length=1)
    site: SiteSettings = key("How the website is built", {"engine": "mkdocs"}, SiteSettings())

    @property
    def complaints_log_path(self) -> str:
        """The complaints log's path, whichever form complaints_log takes."""
        return self.complaints_log if isinstance(self.complaints_log, str) else self.complaints_log.path

    def severities(self) -> list[str]:
        """The complaint severities the log may use: the declared ones or the language's default."""
        if self.complaint_severities:
            return list(self.complaint_severities)
        return ["一般", "严重", "致命"] if self.language == "zh" else ["minor", "major", "critical"]


class QualityPolicy(Model):
    """policy/quality-policy.yml: the quality policy (5.2)."""

    document: DocumentControl = key("Document control of the policy", {"id": "QP-001", "title": "Quality Policy"})
    statement: Text = key("The policy statement", "We make parts our customers can build on.")
    commitments: list[Text] = key("The policy's commitments", ["Meet customer requirements."], min_length=1)
    clauses: list[str] = key("ISO 9001:2015 clauses the document addresses", ["5.2"], ["5.2"])


# -------------------------------------------------------------------- objectives


class Objective(Model):
    """One quality objective (6.2), its actual computed from the data."""

    id: Id = key("Objective identifier", "OBJ-1")
    title: Name = key("What the objective is", "Customer satisfaction index")
    metric: str = key("The computed metric: <survey>.index, <survey>.nps, <survey>.dimension.<id>, "
                      "complaints.count, complaints.acknowledged_within_target, complaints.resolved_within_target "
                      "or complaints.resolution_p90_days", "css.index")
    direction: Literal["at_least", "at_most"] = key("Whether the actual must reach the target or stay under it",
                                                    "at_least")
    target: Annotated[float, Field(ge=-10**9, le=10**9)] = key("The target value", 75)
    unit: Name = key("Unit of the metric", "points")
    period: Name = key("Period the target applies to", "each quarter")
    owner: Name = key("Who is responsible for the objective", "Quality Manager")
    action: Text | None = key("Planned action to reach the target (6.2.2)", "Weekly delivery review.", None)


class Objectives(Model):
    """policy/objectives.yml: the quality objectives."""

    document: DocumentControl = key("Document control of the objectives", {"id": "OB-001", "title": "Objectives"})
    objectives: list[Objective] = key("The objectives", [{"id": "OBJ-1", "metric": "css.index"}], min_length=1)
    clauses: list[str] = key("ISO 9001:2015 clauses the document addresses", ["6.2"], ["6.2"])


# -------------------------------------------------------------------- procedures


class Responsibility(Model):
    """One row of the responsibility (RACI) matrix."""

    activity: Text = key("The activity", "Acknowledge the complaint")
    responsible: Name = key("Who does it (R)", "Customer Service")
    accountable: Name = key("Who answers for it (A)", "Quality Manager")
    consulted: list[Name] = key("Who is consulted (C)", ["Sales"], [])
    informed: list[Name] = key("Who is informed (I)", ["Managing Director"], [])


class Step(Model):
    """One step of a procedure, in order."""

    actor: Name = key("Who carries out the step", "Customer Service")
    action: Text = key("What is done", "Log the complaint and acknowledge it to the customer.")
    inputs: list[Name] = key("What the step needs", ["Complaint"], [])
    outputs: list[Name] = key("What the step produces", ["Complaint record"], [])


class Record(Model):
    """A documented information record the procedure keeps (7.5.3)."""

    id: Id = key("Record identifier", "REC-1020-1")
    name: Name = key("Name of the record", "Complaints log")
    retention: Name = key("How long it is kept", "10 years")
    owner: Name | None = key("Who keeps it", "Quality Manager", None)
    location: Name | None = key("Where it is kept", "Complaints database", None)


class Procedure(Model):
    """policy/procedures/*.yml: one customer-related procedure."""

    document: DocumentControl = key("Document control of the procedure",
                                    {"id": "PR-1020", "title": "Complaints handling"})
    clauses: list[str] = key("ISO 9001:2015 clauses the procedure addresses", ["10.2", "9.1.2"], min_length=1)
    purpose: Text = key("Why the procedure exists", "Resolve every complaint quickly and learn from it.")
    scope: Text = key("What it applies to", "All complaints from external customers.")
    responsibilities: list[Responsibility] = key("Who does what (RACI)", [{"activity": "Acknowledge",
                                                                           "responsible": "Customer Service",
                                                                           "accountable": "Quality Manager"}],
                                                 min_length=1)
    steps: list[Step] = key("The steps, in order", [{"actor": "Customer Service", "action": "Log it."}],
                            min_length=1)
    records: list[Record] = key("Records the procedure keeps", [{"id": "REC-1", "name": "Complaints log",
                                                                 "retention": "10 years"}], [])
    related: list[Id] = key("Ids of related documents", ["PR-1021"], [])
    targets: dict[Id, Annotated[float, Field(ge=0, le=10**6)]] = key(
        "Named numeric targets; the complaints procedure needs acknowledge_working_days and resolve_days",
        {"acknowledge_working_days": 2, "resolve_days": 20}, {})


# ------------------------------------------------------------------------ surveys


class Scale(Model):
    """An answer scale of whole numbers."""

    min: ScalePoint = key("Lowest answer", 1)
    max: ScalePoint = key("Highest answer (greater than min)", 5)

    @model_validator(mode="after")
    def _ordered(self) -> "Scale":
        if self.max <= self.min:
            raise ValueError(f"expected max greater than min, got min {self.min} and max {self.max}")
        return self


class Item(Model):
    """One rated question; its column in the data files is its id unless column: names it."""

    id: Id = key("Item identifier, also the column of the data files that holds its answers unless column "
                 "is given", "q1")
    column: Name | None = key("The column title of the export that holds its answers (default the id)",
                              "3(准时送达)", None)
    text: Text = key("The question as asked", "Parts meet the drawing")
    scale: Scale | None = key("The item's own scale, when it differs from the survey's", {"min": 0, "max": 10}, None)
    weight: float | None = key("Weight within its dimension (on every item of the dimension or on none)", 2,
                               None, gt=0, le=10**6)


class Dimension(Model):
    """A group of items reported as one score."""

    id: Id = key("Dimension identifier", "delivery")
    title: Name = key("Title shown in tables and charts", "Delivery")
    weight: float | None = key("Stated importance weight (on every dimension or on none)", 0.3, None,
                               ge=0, le=10**6)
    items: list[Item] = key("The dimension's items", [{"id": "q3", "text": "Deliveries arrive on time"}],
                            min_length=1)


class Population(Model):
    """The customer base the sample comes from."""

    size: int = key("Number of customers (for the finite population correction)", 420, gt=0, le=10**10)


class Bootstrap(Model):
    """Bootstrap of the structural model: standard errors, t, p and 95 % intervals of its estimates."""

    samples: int = key("Number of bootstrap resamples; 0 switches the bootstrap off", 5000, 5000, ge=0, le=100_000)
    seed: int = key("Seed of the resampling (the same seed gives the same figures)", 1, 1, ge=0, le=2**63 - 1)


class PathModel(Model):
    """A structural (PLS path) model between dimensions."""

    scheme: Literal["path", "centroid", "factorial"] = key("Inner weighting scheme", "path", "path")
    paths: list[tuple[Id, Id]] = key("Paths [from, to] between dimension ids", [["quality", "satisfaction"]],
                                     min_length=1)
    bootstrap: Bootstrap = key("Bootstrap of the estimates (significance of paths, weights, loadings, total effects)",
                               {"samples": 5000, "seed": 1}, Bootstrap())
    target: Id | None = key("Target dimension of the importance-performance map: a dimension some path leads to; "
                            "default the last such dimension in the order of dimensions", "loyalty", None)


class Drivers(Model):
    """Key-driver analysis (relative weights of the dimensions on the overall item)."""

    bootstrap: int = key("Number of bootstrap resamples for the 95 % intervals; 0 switches them off", 2000, 2000,
                         ge=0, le=100_000)
    seed: int = key("Seed of the resampling (the same seed gives the same intervals)", 1, 1, ge=0, le=2**63 - 1)


class InternalCustomers(Model):
    """An internal-customer survey: departments rate the departments that supply them."""

    supplier: Id = key("Column naming the department being rated", "supplier")
    customer: Id = key("Column naming the department that rates it (its internal customer)", "department")


class Competitors(Model):
    """Respondents rate competitors on the same items; ``column`` names the company rated."""

    column: Id = key("Column naming the company rated", "rated_company")
    us: Name = key("The value of column that means our own organization", "Norvik")


class Segment(Model):
    """A column by which figures are broken down."""

    id: Id = key("Segment identifier", "region")
    column: Name | None = key("The column title of the export (default the id)", "1、您所在的区域", None)
    title: Name | None = key("Heading shown in tables and charts (default the id)", "区域", None)
    labels: dict[int | str, Name] | None = key(
        "Answer code -> the name shown; every code in the data must have one", {1: "华东", 2: "华南"}, None)


class WaveSource(Model):
    """Where each response's wave comes from."""

    from_: Literal["file", "column", "date"] = key(
        "file (the data file's name without extension), column (a column holding the wave label) or date "
        "(a date column, grouped by period)", "date", alias="from")
    column: Name | None = key("The column (for from: column or date)", "提交答卷时间", None)
    period: Literal["month", "quarter", "half", "year"] = key(
        "For from: date: the wave's length; labels 2025-06, 2025-Q2, 2025-H1 or 2025", "quarter", "quarter")
    date_format: Name | None = key(
        "For from: date, dates in none of the known forms (ISO, 2025/6/3 11:50:00, 2025年6月3日, Excel serials): "
        "their strftime format, e.g. SurveyMonkey's %m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M:%S %p", None)

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, populate_by_name=True)

    @model_validator(mode="after")
    def _column(self) -> "WaveSource":
        if self.from_ != "file" and not self.column:
            raise ValueError(f"expected column: for from: {self.from_}, got none")
        return self


class Screen(Model):
    """Response-quality screening: speeders and straight-liners are excluded and counted."""

    duration: Name | None = key("Column with the time taken (588秒, 123 seconds or 00:09:48)", "所用时间", None)
    min_seconds: float | None = key("A response faster than this many seconds is a speeder", 30, None,
                                    gt=0, le=10**7)
    min_share: float | None = key("A response faster than this share of its wave's median time is a speeder",
                                  0.3, None, gt=0, lt=1)
    straightline: bool = key("Exclude straight-liners: the same answer on every item on the survey's scale, when 5 or more "
                             "of them were answered",
                             True, False)


class Source(Model):
    """How the survey platform exported the data files."""

    format: Literal["plain", "wjx", "qualtrics", "surveymonkey"] = key(
        "The export's header layout: plain (one header row), wjx (问卷星, one header row), qualtrics (three "
        "header rows: ids, question text, import ids) or surveymonkey (two: question, sub-question)",
        "wjx", "plain")
    encoding: Name = key("auto (UTF-8 with or without byte-order mark, else GB18030) or a codec name",
                         "auto", "auto")
    files: list[Name] = key("Which files of data/surveys/<id>/ are waves", ["*.csv", "*.xlsx"],
                            ["*.csv", "*.xlsx"], min_length=1)
    sheet: Name | None = key("For .xlsx: the sheet (default the first)", "Sheet1", None)
    wave: WaveSource | None = key("Where the wave comes from (default: the file name)",
                                  {"from": "date", "column": "提交答卷时间", "period": "half"}, None)
    include: dict[Name, list[int | float | str]] | None = key(
        "Keep only rows whose column holds one of these values; qualtrics default {Status: [0], "
        "Finished: [1]}", {"Finished": [1]}, None)
    screen: Screen | None = key("Response-quality screening", {"duration": "所用时间", "min_seconds": 30}, None)


class Survey(Model):
    """policy/surveys/*.yml: one survey instrument; its data are the files of data/surveys/<id>/ (source.files)."""

    document: DocumentControl | None = key("Document control of the instrument (optional)",
                                           {"id": "SV-001", "title": "Customer satisfaction survey"}, None)
    id: Id = key("Survey identifier; also the folder of its data under data/surveys/", "css")
    title: Name = key("Title of the survey", "Customer satisfaction survey")
    kind: Literal["customer", "internal"] = key(
        "customer (external customers) or internal (departments rate the departments that supply them)",
        "customer", "customer")
    internal: InternalCustomers | None = key("For kind internal: the supplier and customer columns",
                                             {"supplier": "supplier", "customer": "department"}, None)
    competitors: Competitors | None = key("Respondents also rate competitors on the same items",
                                          {"column": "rated_company", "us": "Norvik"}, None)
    loyalty: list[Id] = key("Top-level items reported as loyalty, apart from satisfaction", ["q_rebuy"], [])
    scale: Scale = key("The answer scale of the items", {"min": 1, "max": 5})
    not_applicable: list[ScalePoint] = key("Answer codes that mean not applicable (outside an item's scale)",
                                           [0], [])
    source: Source = key("How the survey platform exported the data files", {"format": "wjx"}, Source())
    values: dict[Name, ScalePoint] | None = key(
        "For exports of answer texts (wjx 按文本): answer text -> code, for every item",
        {"非常满意": 5, "满意": 4}, None)
    respondent: Name = key("Column with the respondent id (never published); any column title", "respondent_id")
    wave: Id | None = key("Column with the wave label; without it (and without source.wave), a data file's "
                          "name is its wave", "wave", None)
    segments: list[Id | Segment] = key("Columns by which figures are broken down: a column id, or "
                                       "{id, column, title, labels}", ["region", "customer_type"], [])
    min_cell_n: int = key("Smallest number of respondents a published figure may rest on", 30, 30,
                          ge=1, le=10**6)
    population: Population | None = key("The customer base (for the margin of error)", {"size": 420}, None)
    invitations: dict[str, Annotated[int, Field(gt=0, le=10**9)]] = key(
        "Invitations sent per wave (for the response rate)", {"2025-Q4": 1200}, {})
    overall: Id | None = key("The overall-satisfaction item", "q_overall", None)
    recommend: Id | None = key("The recommend item on 0..10 (for the NPS)", "q_nps", None)
    importance: Literal["stated", "derived", "drivers"] = key(
        "Dimension weights of the index: stated (the weights given), derived (correlation with overall) or "
        "drivers (relative weights of the dimensions on overall, as shares of R²)",
        "stated", "stated")
    drivers: Drivers = key("Key-driver analysis, reported for every survey with an overall item",
                           {"bootstrap": 2000, "seed": 1}, Drivers())
    dimensions: list[Dimension] = key("The dimensions and their items", [{"id": "delivery", "title": "Delivery"}],
                                      min_length=1)
    items: list[Item] = key("Items outside the dimensions (overall, recommend, loyalty)",
                            [{"id": "q_overall", "text": "Overall satisfaction"}], [])
    model: PathModel | None = key("A structural (PLS path) model between dimensions",
                                  {"paths": [["quality", "satisfaction"]]}, None)

    def segment_ids(self) -> list[str]:
        return [seg if isinstance(seg, str) else seg.id for seg in self.segments]

    def segment_title(self, sid: str) -> str | None:
        """The declared title of a segment, or None."""
        for seg in self.segments:
            if not isinstance(seg, str) and seg.id == sid:
                return seg.title
        return None

    def all_items(self) -> list[Item]:
        return [i for d in self.dimensions for i in d.items] + list(self.items)

    def item_scale(self, item: Item) -> Scale:
        return item.scale or self.scale
