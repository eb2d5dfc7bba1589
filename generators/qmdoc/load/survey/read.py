"""Survey responses, step 1: read. Which files a survey has, what they must hold, each file parsed by polars."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...models import Item, Survey
from ...project import publishable_column
from ..collector import _Collector
from ..csv import CsvFile, parse_polars, read_csv_file, read_polars
from ..exports import convert_survey, needs_conversion, wave_column
from .weights import weight_columns
from .comments import REVIEWED_FILE, comment_columns

if TYPE_CHECKING:
    import polars as pl

# 16-bit integer answers (see csv.parse_polars) when every scale fits, with one code left for "none":
# an answer that is blank, out of scale or not applicable
NONE16 = -(2**15)


def survey_files(folder: Path, s: Survey) -> list[Path]:
    """A survey's data files: those of its folder that match source.files (Excel's lock files aside)."""
    found = {p for pattern in s.source.files for p in folder.glob(pattern)
             if not p.name.startswith("~$") and p.name != REVIEWED_FILE}
    return sorted(found)


def _no_responses(s: Survey) -> pd.DataFrame:
    """The responses frame of a survey without data files: the columns of :func:`load_survey_files`, no rows."""
    columns: dict[str, object] = {"wave": pd.Categorical([])}
    columns.update({col: pd.Categorical([]) for col in survey_text_columns(s)
                    if col not in (s.respondent, wave_column(s))})
    columns.update({item.id: np.zeros(0) for item in s.all_items() + s.expectation_items()})
    columns.update({publishable_column(com.column): np.zeros(0, dtype=bool) for com in s.comments})
    columns[s.respondent] = np.zeros(0, dtype=np.int64)
    return pd.DataFrame(columns)


def survey_text_columns(s: Survey) -> list[str]:
    """The non-item columns a survey's data files must have."""
    wave = wave_column(s)
    cols = [s.respondent, *([wave] if wave else []), *s.segment_ids()]
    if s.internal:
        cols += [s.internal.supplier, s.internal.customer]
    if s.competitors:
        cols.append(s.competitors.column)
    cols += weight_columns(s)  # weighting: the design weights, checked as numbers (see .weights)
    if s.lost:  # a lost-customer survey's reasons and where-they-went columns
        cols += [*s.lost.reasons, *([s.lost.went_to] if s.lost.went_to else [])]
    cols += comment_columns(s)
    return list(dict.fromkeys(cols))


@dataclass(frozen=True)
class Layout:
    """What every data file of a survey holds and how its answers are read."""

    items: list[Item]
    item_ids: list[str]
    text_cols: list[str]  # survey_text_columns
    wave_col: str | None  # the wave label's column (None: the file name is the wave)
    categorical: list[str]  # the text columns kept as categoricals (all but the respondent and wave)
    level_cols: list[str]  # the text columns whose sorted levels pass 1 finds: the wave's, then the categorical
    required: list[str]  # the columns a file must have
    na_codes: list[float]
    codes_text: str  # the not-applicable codes, as an expected value names them
    integers: bool  # the answers are read as 16-bit integers
    single: bool  # one data file: its respondent key comes from pass 2
    compact: bool = False  # every scale fits an 8-bit integer: the answers are held so (see .clean.CompactAnswers)


def survey_layout(s: Survey, files: int) -> Layout:
    """The :class:`Layout` of survey ``s`` with ``files`` data files."""
    items = s.all_items() + s.expectation_items()  # an expectation column is read as an item of its own
    item_ids = [i.id for i in items]
    text_cols = survey_text_columns(s)
    wave_col = wave_column(s)
    categorical = [col for col in text_cols if col not in (s.respondent, wave_col)]
    na_codes = [float(x) for x in sorted(set(s.not_applicable))]
    code_list = ", ".join(f"{x:g}" for x in na_codes)
    codes_text = f" or {code_list} (not applicable)" if na_codes else ""
    integers = all(NONE16 < s.item_scale(i).min and s.item_scale(i).max < 2**15 for i in items)
    compact = all(-(2**7) <= s.item_scale(i).min and s.item_scale(i).max < 2**7 for i in items)
    level_cols = list(dict.fromkeys([*([wave_col] if wave_col else []), *categorical]))
    required = list(dict.fromkeys([*text_cols, *item_ids]))
    return Layout(items, item_ids, text_cols, wave_col, categorical, level_cols, required, na_codes, codes_text,
                  integers, files == 1, compact)


def read_responses(c: _Collector, path: Path, rel: str, s: Survey, lay: Layout, checksums: bool,
                   excluded: dict[str, dict[str, int]]) -> tuple[CsvFile, pl.DataFrame, str] | None:
    """One data file as polars read it: (the checked file, the frame, ``"int"``, ``"float"`` or ``"text"``),
    or None (reported). An export is converted first; its screened-out rows are added to ``excluded``."""
    required, item_ids, integers = lay.required, lay.item_ids, lay.integers
    if needs_conversion(s, path):  # an export as the platform wrote it: converted to the plain table first
        converted = convert_survey(path, rel, s, c.problems, checksums)
        if converted is None:
            return None
        src, counts = converted
        for wave, by_reason in counts.items():
            into = excluded.setdefault(wave, dict.fromkeys(by_reason, 0))
            for reason, k in by_reason.items():
                into[reason] += k
    else:
        src = read_csv_file(path, rel, c.problems, checksum=checksums,
                            parse=lambda data, header: parse_polars(data, header, required, item_ids, integers))
    if src is None:
        return None
    missing = [col for col in required if col not in src.header]
    for col in missing:
        c.add(rel, src.header_line, col, f"expected a column named {col!r}, got none")
    if not src.rows:
        c.add(rel, src.header_line, "", "expected rows of responses below the header, got none")
    if missing or not src.rows:
        return None
    read = read_polars(src, required, item_ids, integers, c.problems)
    src = src.parsed_away()  # the file's bytes and first parse: not kept beside the frame
    if read is None:
        return None
    raw, kind = read
    return src, raw, kind
