"""Load stage: read the policy YAML and data CSV of a project into validated models.

This is one of the three places that touch the disk (with ``site`` and ``pdf``).
Every problem in every file is collected before failing.

The rooms of the stage: ``policy`` (organization, quality policy, objectives,
procedures), ``survey`` (an instrument, then its responses read, checked,
cleaned and assembled), ``complaints`` (the complaints log), ``csv`` (the CSV
checks in front of the parsers) and ``exports`` (the platforms' exports turned
into plain tables); ``loader`` walks a project's files in the order their
problems are reported. What the stage hands on is in :mod:`qmdoc.project`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..project import DataFile, Project, SourcedDocument, SurveyData
    from .collector import MAX_PROBLEMS_PER_COLUMN
    from .complaints import COMPLAINT_COLUMNS, check_complaints
    from .files import LOGO_SUFFIXES, inside_repository
    from .loader import load_project
    from .policy import COMPLAINT_METRICS, COMPLAINT_TARGETS, known_metrics, natural_key
    from .survey import (check_survey_data, load_survey_files, load_survey_standalone, rated_columns, survey_files,
                         survey_text_columns)

_MODULES = {  # each public name and the module it comes from: imported when first asked for (a command
    # that reads one survey, as ``qmdoc figures``, loads neither the policy files' nor the complaints' checks)
    **dict.fromkeys(["DataFile", "Project", "SourcedDocument", "SurveyData"], "..project"),
    "MAX_PROBLEMS_PER_COLUMN": ".collector",
    **dict.fromkeys(["COMPLAINT_COLUMNS", "check_complaints"], ".complaints"),
    **dict.fromkeys(["LOGO_SUFFIXES", "inside_repository"], ".files"),
    "load_project": ".loader",
    **dict.fromkeys(["COMPLAINT_METRICS", "COMPLAINT_TARGETS", "known_metrics", "natural_key"], ".policy"),
    **dict.fromkeys(["check_survey_data", "load_survey_files", "load_survey_standalone", "rated_columns",
                     "survey_files", "survey_text_columns"], ".survey"),
}


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "COMPLAINT_COLUMNS", "COMPLAINT_METRICS", "COMPLAINT_TARGETS", "LOGO_SUFFIXES", "MAX_PROBLEMS_PER_COLUMN",
    "DataFile", "Project", "SourcedDocument", "SurveyData", "check_complaints", "check_survey_data",
    "inside_repository", "known_metrics", "load_project", "load_survey_files", "load_survey_standalone",
    "natural_key", "rated_columns", "survey_files", "survey_text_columns",
]
