"""The controlled documents of the policy folder: document control, the quality policy, objectives, procedures."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field

from .base import Id, Model, Name, Text, key


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

