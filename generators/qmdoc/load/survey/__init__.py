"""Survey instruments and their responses: the instrument checked, then its data files read, checked,
cleaned and assembled (one module per step)."""

from __future__ import annotations

from .check import check_survey_data, rated_columns
from .read import survey_files, survey_text_columns
from .responses import load_survey_files, load_survey_standalone

__all__ = ["check_survey_data", "load_survey_files", "load_survey_standalone", "rated_columns", "survey_files",
           "survey_text_columns"]
