"""Every computed figure of the manual, from a loaded project (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from ..project import Project
from .complaints import ComplaintFigures, compute_complaint_figures
from .objectives import ObjectiveResult, evaluate_objectives
from .survey import SurveyFigures, compute_survey_figures


@dataclass(frozen=True)
class ManualResults:
    surveys: dict[str, SurveyFigures]
    complaints: ComplaintFigures | None
    objectives: tuple[ObjectiveResult, ...]


def compute_manual(project: Project) -> ManualResults:
    surveys = {s.survey.id: compute_survey_figures(s.survey, s.responses, excluded=s.excluded) for s in project.surveys}
    complaints = None
    proc = project.complaints_procedure
    if proc is not None and len(project.complaints):
        complaints = compute_complaint_figures(
            project.complaints, proc.targets["acknowledge_working_days"], proc.targets["resolve_days"]
        )
    objectives = evaluate_objectives(project.objectives.objectives, surveys, complaints)
    return ManualResults(surveys, complaints, objectives)
