"""policy/surveys/*.yml: a survey instrument, its scales, dimensions, model, segments and source."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from .base import Id, Model, Name, ScalePoint, Text, key
from .documents import DocumentControl


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


# ------------------------------------------------------- gaps and improvement actions


class Expectation(Model):
    """Where an item's expectation rating stands (the service-quality gap: perception - expectation)."""

    column: Name = key("The column holding the respondent's expectation on the same scale as the item "
                       "(its perception rating)", "E3")


class Improvement(Model):
    """An improvement (corrective) action whose effect on a dimension or an item the survey evaluates."""

    id: Name = key("The action's id, e.g. of a corrective action (a link when corrective_action_url is set)",
                   "CA-2025-004")
    title: Name = key("What was done", "Second carrier for northern routes")
    date: dt.date = key("When the action took effect: waves ending on or before it are before, later ones after",
                     "2025-01-15")
    dimension: Id | None = key("The dimension it aims at (or item:, exactly one of the two)", "delivery", None)
    item: Id | None = key("The item it aims at (or dimension:)", "q5", None)

    @model_validator(mode="after")
    def _one_target(self) -> "Improvement":
        if (self.dimension is None) == (self.item is None):
            raise ValueError("expected exactly one of dimension: and item:, got "
                             + ("both" if self.dimension is not None else "neither"))
        return self

    @property
    def target(self) -> str:
        return self.dimension if self.dimension is not None else self.item  # type: ignore[return-value]

    @property
    def kind(self) -> Literal["dimension", "item"]:
        return "dimension" if self.dimension is not None else "item"


_PERIOD = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|H([12])|(0[1-9]|1[0-2])(?:-(\d{2}))?))?$")


def wave_end(label: str) -> dt.date | None:
    """The date a wave ends: the last day of the period its label names (2025: 2025-12-31, 2025-H1:
    2025-06-30, 2025-Q2: 2025-06-30, 2025-06: 2025-06-30, 2025-06-15: that day); None for another label."""
    m = _PERIOD.match(label.strip())
    if m is None:
        return None
    year, quarter, half, month, day = m.groups()
    y = int(year)
    if day is not None:
        try:
            return dt.date(y, int(month), int(day))
        except ValueError:
            return None
    last = int(month) if month else 3 * int(quarter) if quarter else 6 * int(half) if half else 12
    return dt.date(y, last, calendar.monthrange(y, last)[1])


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
    expectation: Expectation | None = key("The column of the respondent's expectation on this question (same "
                                          "scale): the service-quality gap", {"column": "E3"}, None)


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


# ------------------------------------------------------------------ lost customers


class LostCustomers(Model):
    """A lost-customer survey: former customers say why they left, where they went and whether they would return."""

    reasons: list[Name] = key(
        "The column with the reasons for leaving (single or multiple choice), or one column per option of a "
        "multiple choice; a respondent's reasons are the options of all of them together",
        ["5、您不再采购的原因"], min_length=1)
    multiple: bool = key("The reasons are a multiple choice: an answer lists several options, joined by wjx's ┋ "
                         "or by separator", True, True)
    separator: Annotated[str, StringConstraints(min_length=1, max_length=5)] | None = key(
        "For multiple: the separator between options besides wjx's ┋ (e.g. ; or |)", ";", None)
    went_to: Name | None = key("The column naming where the respondent went (a competitor's name; single choice)",
                               "went_to", None)
    win_back: Id | None = key("The item (on 0..10) asking how likely the respondent is to buy from us again",
                              "q_winback", None)


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


# ------------------------------------------------------------------ weighting


class Weighting(Model):
    """Weighted samples: design weights from a column, raked to declared population shares, or both
    (raking starts from the column's weights)."""

    column: Name | None = key("Column of the data files holding each respondent's design weight (a positive "
                              "number, e.g. the customer's annual revenue); weights are scaled to mean 1", "revenue",
                              None)
    method: Literal["raking"] | None = key(
        "raking: iterative proportional fitting of the weights, per wave, to the population shares of margins",
        "raking", None)
    margins: dict[Id, dict[Name, float]] | None = key(
        "For raking: per segment id (a declared segment), each category -> its share of the customer base "
        "(every share > 0, the shares of a segment summing to 1)",
        {"customer_type": {"OEM": 0.5, "Distributor": 0.3, "Aftermarket": 0.2}}, None)
    trim: tuple[float, float] | None = key(
        "For raking: the smallest and largest weight allowed, as multiples of the mean weight "
        "(0 < min <= 1 <= max); weights beyond them are clipped and raked again", [0.3, 3.0], None)

    @model_validator(mode="after")
    def _consistent(self) -> "Weighting":
        if self.column is None and self.method is None:
            raise ValueError("expected column: (design weights) or method: raking, got neither")
        if (self.method == "raking") != (self.margins is not None):
            raise ValueError("expected margins: with method: raking and only with it")
        if self.trim is not None and self.method != "raking":
            raise ValueError("expected trim: only with method: raking")
        for seg, shares in (self.margins or {}).items():
            if not shares:
                raise ValueError(f"margins.{seg}: expected at least one category with its share, got none")
            bad = [name for name, share in shares.items() if not share > 0]
            if bad:
                raise ValueError(f"margins.{seg}: expected shares greater than 0, got {shares[bad[0]]:g} "
                                 f"for {bad[0]!r}")
            total = sum(shares.values())
            if abs(total - 1.0) > 1e-9:
                raise ValueError(f"margins.{seg}: expected shares summing to 1, got {total:.12g}")
        if self.trim is not None and not (0 < self.trim[0] <= 1 <= self.trim[1]):
            raise ValueError(f"trim: expected [min, max] with 0 < min <= 1 <= max, got "
                             f"[{self.trim[0]:g}, {self.trim[1]:g}]")
        return self

# ------------------------------------------------------------------------ comments (customers' own words)


#: Accepted spellings of a publishable mark (Latin ones case-insensitive) and their meaning.
PUBLISHABLE_SPELLINGS: Mapping[str, bool] = {
    "yes": True, "no": False, "true": True, "false": False, "1": True, "0": False,
    "是": True, "否": False,
}


class PublishableError(ValueError):
    """A publishable mark that is none of :data:`PUBLISHABLE_SPELLINGS` (``accepted``); the
    message names the value, the load stage adds file, line and column."""

    accepted: tuple[str, ...] = tuple(PUBLISHABLE_SPELLINGS)

    def __init__(self, value: object):
        super().__init__(f"publishable must be one of {', '.join(self.accepted)}, not {str(value)!r}")
        self.value = value


def parse_publishable(value: object) -> bool:
    """The quality team's mark: True to publish. An empty cell (None, NaN, blank) means not
    reviewed, so not published; 1.0 and 0.0 (a spreadsheet's numbers) are 1 and 0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if not text:
        return False
    if text not in PUBLISHABLE_SPELLINGS:
        raise PublishableError(value)
    return PUBLISHABLE_SPELLINGS[text]


class CommentColumn(Model):
    """A column of free-text comments; published only where the quality team marked a comment publishable."""

    column: Name = key("The column title of the export that holds the comments", "5、您的建议")
    dimension: Id | None = key("The dimension the comments are about (a declared dimension id)", "delivery", None)
    publishable: Name | None = key(
        "The column of the export with the quality team's mark for these comments: yes/no, true/false, 1/0 or "
        "是/否 (blank: not reviewed, not published). Without it only data/surveys/<id>/comments-reviewed.csv "
        "marks comments publishable", "publishable", None)


class Survey(Model):
    """policy/surveys/*.yml: one survey instrument; its data are the files of data/surveys/<id>/ (source.files)."""

    document: DocumentControl | None = key("Document control of the instrument (optional)",
                                           {"id": "SV-001", "title": "Customer satisfaction survey"}, None)
    id: Id = key("Survey identifier; also the folder of its data under data/surveys/", "css")
    title: Name = key("Title of the survey", "Customer satisfaction survey")
    kind: Literal["customer", "internal", "lost"] = key(
        "customer (external customers), internal (departments rate the departments that supply them) or lost "
        "(former customers: why they left, where they went, whether they would come back)",
        "customer", "customer")
    internal: InternalCustomers | None = key("For kind internal: the supplier and customer columns",
                                             {"supplier": "supplier", "customer": "department"}, None)
    lost: LostCustomers | None = key("For kind lost: the reasons, where-they-went and win-back columns",
                                     {"reasons": ["reasons"], "went_to": "went_to", "win_back": "q_winback"}, None)
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
    weighting: Weighting | None = key(
        "Weighted samples: every figure weighted (key drivers and the structural model stay unweighted)",
        {"method": "raking", "margins": {"customer_type": {"OEM": 0.5, "Distributor": 0.3, "Aftermarket": 0.2}}},
        None)
    improvements: list[Improvement] = key(
        "Improvement actions whose effect the survey evaluates: the score before against each wave after",
        [{"id": "CA-2025-004", "title": "Second carrier", "date": "2025-01-15", "dimension": "delivery"}], [])
    # comments (customers' own words)
    comments: list[CommentColumn] = key(
        "Columns of free-text comments: counted per theme, published (redacted) only where marked publishable",
        [{"column": "comment", "dimension": "delivery", "publishable": "publishable"}], [])
    personal: list[Name] = key(
        "Columns whose values are personal (names, companies, order numbers): never published, and redacted "
        "wherever they occur in a published comment", ["contact_name", "company"], [])
    themes: dict[Name, list[str]] = key(
        "Theme -> keywords: a comment counts once for every theme one of whose keywords it contains",
        {"delivery": ["late", "delay"], "交付": ["准时", "延误", "到货"]}, {})

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

    def expectation_items(self) -> list[Item]:
        """The expectation ratings read as items of their own: id = the expectation column, the item's scale."""
        return [Item.model_construct(id=i.expectation.column, column=None, text=i.text, scale=self.item_scale(i),
                                     weight=None, expectation=None)
                for i in self.all_items() if i.expectation is not None]

    def gap_items(self) -> dict[str, str]:
        """Item id -> its expectation column, for the items that declare one (dimensions' items first)."""
        return {i.id: i.expectation.column for i in self.all_items() if i.expectation is not None}
