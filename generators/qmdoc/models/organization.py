"""policy/organization.yml: the organization, its sites, the website settings and the complaints log."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import StringConstraints, field_validator, model_validator

from .base import Id, Model, Name, Text, key
from .documents import DocumentControl


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


# ------------------------------------------------------------------ customer list


class CustomerColumns(Model):
    """Which column of the customer list holds each field: the customer id, and either the date of each row's
    activity (with its revenue) or each customer's first and last order dates."""

    customer: Name = key("The customer's id (never published)", "客户编号", "customer_id")
    date: Name | None = key("Rows form: the date (or period label, e.g. 2025-Q1) of the row's activity", "period",
                            None)
    revenue: Name | None = key("Rows form: the row's revenue (optional; gives revenue retention)", "revenue", None)
    first_order: Name | None = key("Spans form: the date of the customer's first order", "first_order", None)
    last_order: Name | None = key("Spans form: the date of the customer's last order", "last_order", None)

    @model_validator(mode="after")
    def _one_form(self) -> "CustomerColumns":
        spans = self.first_order is not None or self.last_order is not None
        if spans and self.date is not None:
            raise ValueError("expected date (one row per customer and period) or first_order and last_order, "
                             "got both")
        if spans and (self.first_order is None or self.last_order is None):
            raise ValueError("expected both first_order and last_order, got one")
        if not spans and self.date is None:
            raise ValueError("expected date (one row per customer and period) or first_order and last_order, "
                             "got neither")
        if spans and self.revenue is not None:
            raise ValueError("expected revenue only with date (one row per customer and period), got it with "
                             "first_order and last_order")
        return self


class CustomerList(Model):
    """The customer list (behavioural loyalty): who bought when, from the sales system's export (a CSV or
    an .xlsx workbook)."""

    path: Name = key("The list: a CSV file (UTF-8) or an Excel workbook (.xlsx) in the repository",
                     "data/customers.csv")
    sheet: Name | None = key("For .xlsx: the sheet (default the first)", "Customers", None)
    columns: CustomerColumns = key("Our field -> the list's column title", {"customer": "customer_id",
                                                                            "date": "period"})
    segments: list[Name] = key("Columns by which retention is broken down (a customer's latest value counts)",
                               ["region"], [])
    segment_titles: dict[Name, Name] = key(
        "Segment column -> the heading its retention table shows (default the column title)",
        {"region": "Sales region"}, {})
    period: Literal["year", "quarter", "month"] = key(
        "The period retention is measured over; labels 2025, 2025-Q1 or 2025-01", "quarter", "quarter")
    date_format: Name | None = key(
        "strftime format of dates that are neither ISO (2025-01-03), 2025/1/3, 2025年1月3日 nor a period label of "
        "the list's period (2025, 2025-Q1, 2025-01)", "%d.%m.%Y", None)
    min_cell_n: int = key("Smallest number of customers a published segment figure may rest on", 10, 10,
                          ge=1, le=10**6)

    @model_validator(mode="after")
    def _sheet_of_a_workbook(self) -> "CustomerList":
        if self.sheet is not None and not self.path.lower().endswith((".xlsx", ".xlsm")):
            raise ValueError(f"expected sheet: only with an .xlsx workbook, got the path {self.path!r}")
        return self

    @model_validator(mode="after")
    def _titles_of_segments(self) -> "CustomerList":
        unknown = [c for c in self.segment_titles if c not in self.segments]
        if unknown:
            raise ValueError(f"expected segment_titles only for columns listed in segments ({', '.join(self.segments) or 'none'}), "
                             f"got {', '.join(unknown)}")
        return self


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
    corrective_action_url: Annotated[str, StringConstraints(max_length=500)] | None = key(
        "Link to a corrective action (an http:// or https:// URL), {id} replaced by its id; the ids of "
        "improvement actions and of the complaints log's corrective actions become links",
        "https://capa.example.com/{id}", None)
    complaint_severities: list[Name] | None = key(
        "The values the complaints log's severity column may hold; default minor, major, critical "
        "(en) or 一般, 严重, 致命 (zh)", ["minor", "major", "critical"], None, min_length=1)
    customers: CustomerList | None = key(
        "The customer list, for retention, churn and new customers per period",
        {"path": "data/customers.csv", "columns": {"customer": "customer_id", "date": "period",
                                                    "revenue": "revenue"}}, None)
    site: SiteSettings = key("How the website is built", {"engine": "mkdocs"}, SiteSettings())

    @field_validator("corrective_action_url")
    @classmethod
    def _action_url(cls, url: str | None) -> str | None:
        """An http(s) URL with {id} in it and nothing that could end a link (spaces, quotes, angle brackets)."""
        if url is None:
            return url
        if not re.match(r"^https?://", url, re.IGNORECASE):
            raise ValueError(f"expected an http:// or https:// URL, got {url!r}")
        if re.search(r"[\s<>\"'`]", url):
            raise ValueError(f"expected a URL without spaces, quotes or angle brackets, got {url!r}")
        if "{id}" not in url:
            raise ValueError(f"expected {{id}} in the URL (replaced by the action's id), got {url!r}")
        return url

    @property
    def complaints_log_path(self) -> str:
        """The complaints log's path, whichever form complaints_log takes."""
        return self.complaints_log if isinstance(self.complaints_log, str) else self.complaints_log.path

    def severities(self) -> list[str]:
        """The complaint severities the log may use: the declared ones or the language's default."""
        if self.complaint_severities:
            return list(self.complaint_severities)
        return ["一般", "严重", "致命"] if self.language == "zh" else ["minor", "major", "critical"]

