"""Survey exports and complaints logs as the user's systems wrote them, turned into plain tables.

An export that is not a plain UTF-8 CSV with our column names (a 问卷星 GBK
CSV, a Qualtrics CSV with three header rows, a SurveyMonkey CSV with two, any
``.xlsx``) is converted here, in memory, into the table the plain path reads:
UTF-8, one header row, the mapped columns under their ids, one row per kept
response. Each row keeps the line (CSV) or sheet row (``.xlsx``) where it
stands in the user's file, so every later problem names the user's file, row
and column. The plain path (``load.load_survey_files`` on a UTF-8 CSV) stays
as it is: the conversion is a step in front of it.

Encodings: ``auto`` reads UTF-8 (with or without byte-order mark) and
otherwise GB18030, the superset of GBK and GB2312 that Chinese Excel and
问卷星 write; no guessing library is involved, since a strict UTF-8 decode
almost never succeeds on GBK text and GB18030 decodes every byte sequence
Chinese Windows produces. Any other codec name is decoded strictly: the first
byte that does not decode is reported at its line and column.

``.xlsx`` files are read with fastexcel (the Rust calamine reader polars
uses), every cell as text: on 50,000 rows x 20 columns 0.7 s against 6.7 s for
openpyxl's read-only mode. Excel rows are numbered as Excel shows them.

Screening (``source.include``, ``source.screen``) removes rows before the
figures and counts them per wave and reason: ``filter``, ``speeders``,
``straightline`` (in that order: a row counts under the first reason that
applies).
"""

from __future__ import annotations

from .complaints import convert_complaints
from .screening import screened
from .survey import convert_survey, needs_conversion, wave_column
from .table import read_table
from .values import parse_date, parse_duration, period_label

__all__ = ["convert_complaints", "convert_survey", "needs_conversion", "parse_date",
           "parse_duration", "period_label", "read_table", "screened", "wave_column"]
