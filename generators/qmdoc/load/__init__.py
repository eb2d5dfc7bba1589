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

from ..project import DataFile, Project, SourcedDocument, SurveyData
from .collector import MAX_PROBLEMS_PER_COLUMN
from .complaints import COMPLAINT_COLUMNS, check_complaints
from .files import LOGO_SUFFIXES, inside_repository
from .loader import load_project
from .policy import COMPLAINT_METRICS, COMPLAINT_TARGETS, known_metrics, natural_key
from .survey import (check_survey_data, load_survey_files, load_survey_standalone, rated_columns, survey_files,
                     survey_text_columns)

__all__ = [
    "COMPLAINT_COLUMNS", "COMPLAINT_METRICS", "COMPLAINT_TARGETS", "LOGO_SUFFIXES", "MAX_PROBLEMS_PER_COLUMN",
    "DataFile", "Project", "SourcedDocument", "SurveyData", "check_complaints", "check_survey_data",
    "inside_repository", "known_metrics", "load_project", "load_survey_files", "load_survey_standalone",
    "natural_key", "rated_columns", "survey_files", "survey_text_columns",
]
