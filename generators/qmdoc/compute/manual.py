"""Every computed figure of the manual, from a loaded project (pure)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd

from ..project import Project, SurveyData
from .complaints import ComplaintFigures, compute_complaint_figures
from .customers import CustomerFigures, activity_from_rows, activity_from_spans, compute_retention
from .objectives import ObjectiveResult, evaluate_objectives
from .survey import SurveyFigures, compute_survey_figures


@dataclass(frozen=True)
class ManualResults:
    surveys: dict[str, SurveyFigures]
    complaints: ComplaintFigures | None
    objectives: tuple[ObjectiveResult, ...]
    customers: CustomerFigures | None = None  # retention from the customer list, when one is declared


def _survey_key(data: SurveyData) -> str:
    """A hash of everything the figures of one survey are computed from: its instrument, responses, exclusions."""
    h = hashlib.sha256()
    h.update(data.survey.model_dump_json().encode("utf-8"))
    frame = data.responses
    h.update(json.dumps([[str(c), str(t)] for c, t in frame.dtypes.items()]).encode("utf-8"))
    h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    h.update(json.dumps(data.excluded, sort_keys=True, default=str).encode("utf-8"))
    return h.hexdigest()


@dataclass
class FiguresMemo:
    """Survey figures kept between two computations in one process (``qmdoc serve``).

    Keyed by a hash of the instrument, the responses and the exclusions, so a
    survey whose inputs did not change is not computed again; only the
    latest figures of each survey are kept.
    """

    _figures: dict[str, tuple[str, SurveyFigures]] = field(default_factory=dict)
    hits: int = 0

    def figures(self, data: SurveyData) -> SurveyFigures:
        key = _survey_key(data)
        kept = self._figures.get(data.survey.id)
        if kept is not None and kept[0] == key:
            self.hits += 1
            return kept[1]
        figures = compute_survey_figures(data.survey, data.responses, excluded=data.excluded)
        self._figures[data.survey.id] = (key, figures)
        return figures


def compute_manual(project: Project, memo: FiguresMemo | None = None) -> ManualResults:
    def figures(s: SurveyData) -> SurveyFigures:
        if memo is not None:
            return memo.figures(s)
        return compute_survey_figures(s.survey, s.responses, excluded=s.excluded)

    surveys = {s.survey.id: figures(s) for s in project.surveys}
    complaints = None
    proc = project.complaints_procedure
    if proc is not None and len(project.complaints):
        complaints = compute_complaint_figures(
            project.complaints, proc.targets["acknowledge_working_days"], proc.targets["resolve_days"]
        )
    customers = customer_figures(project)
    objectives = evaluate_objectives(project.objectives.objectives, surveys, complaints, customers)
    return ManualResults(surveys, complaints, objectives, customers)


def customer_figures(project: Project) -> CustomerFigures | None:
    """Retention per period and segment from the customer list (None: no list declared)."""
    spec, frame = project.organization.customers, project.customers
    if spec is None or frame is None:
        return None
    if "date" in frame.columns:
        activity = activity_from_rows(frame, customer="customer", date="date",
                                      revenue="revenue" if "revenue" in frame.columns else None,
                                      segments=spec.segments, frequency=spec.period)
    else:
        activity = activity_from_spans(frame, customer="customer", first="first_order", last="last_order",
                                       segments=spec.segments, frequency=spec.period)
    return compute_retention(activity, min_cell_n=spec.min_cell_n)
