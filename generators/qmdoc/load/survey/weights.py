"""Weighted samples (``weighting:``): what the instrument and its responses must hold for the weights.

* The weight column (``weighting.column``): read as text with the other non-item columns, it must hold
  a finite number greater than 0 on every row kept (after ``source.include`` and ``source.screen``).
* Raking margins (``weighting.margins``): each margin is a declared segment (so its column is read,
  checked and shown like any segment); every declared category has respondents in each wave, and no
  respondent has a category that is not declared or none at all. The shares themselves (> 0, summing
  to 1) and the trim bounds are the model's rules (:class:`~qmdoc.models.Weighting`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ...models import Survey
from ...project import SurveyData
from ...yamlfile import YamlDoc
from ..collector import _bad_rows, _Collector
from ..csv import CsvFile

if TYPE_CHECKING:
    import polars as pl


def weight_columns(s: Survey) -> list[str]:
    """The weight column of a survey with design weights (read with its text columns), else none."""
    return [s.weighting.column] if s.weighting is not None and s.weighting.column else []


def check_weighting_instrument(c: _Collector, s: Survey, doc: YamlDoc) -> None:
    """Each raking margin names a declared segment; the weight column is no item and no segment; a survey
    with competitors is not weighted."""
    w = s.weighting
    if w is None:
        return
    segments = s.segment_ids()
    for seg in w.margins or {}:
        if seg not in segments:
            c.add(doc.path, doc.line_of(("weighting", "margins", seg)), f"weighting.margins.{seg}",
                  f"expected a declared segment (segments: {', '.join(segments) or 'none'}), got {seg!r}")
    if s.competitors is not None:  # the competitors' rows have no weights: gaps would compare unlike figures
        c.add(doc.path, doc.line_of(("weighting",)), "weighting",
              "expected no weighting on a survey with competitors (their ratings are not weighted, so the "
              "gaps would compare weighted with unweighted figures), got weighting")
    taken = {i.id for i in s.all_items()} | set(segments) | {s.respondent}
    if w.column is not None and w.column in taken:
        c.add(doc.path, doc.line_of(("weighting", "column")), "weighting.column",
              f"expected a column of its own for the weights (not an item, segment or the respondent id), "
              f"got {w.column!r}")


def check_weight_column(c: _Collector, src: CsvFile, raw: pl.DataFrame, s: Survey) -> None:
    """Every row's design weight is a finite number greater than 0 (reported by file and line)."""
    import polars as pl

    for col in weight_columns(s):
        values = raw[col]
        number = values.cast(pl.Float64, strict=False)
        bad = (number.is_null() | ~number.is_finite().fill_null(False) | (number <= 0).fill_null(True)).to_numpy()
        if bad.any():
            _bad_rows(c, src, col, bad, values, "expected a design weight: a finite number greater than 0")


def check_margins(c: _Collector, data: SurveyData, doc: YamlDoc) -> None:
    """Per wave and margin: every declared category has respondents, every respondent a declared category."""
    s, frame = data.survey, data.responses
    if s.weighting is None or not s.weighting.margins or not len(frame):
        return
    waves = frame["wave"].astype(str).to_numpy()
    for seg, shares in s.weighting.margins.items():
        if seg not in frame.columns:
            continue  # not a declared segment: reported with the instrument
        where = doc.line_of(("weighting", "margins", seg))
        values = frame[seg].astype(object).to_numpy()
        missing = frame[seg].isna().to_numpy()
        text = np.array([str(v) for v in values], dtype=object)
        declared = np.isin(text, list(shares)) & ~missing
        for wave in dict.fromkeys(waves):
            rows = waves == wave
            odd = rows & ~declared
            if odd.any():
                r = int(np.flatnonzero(odd)[0])
                got = "no category" if missing[r] else f"{text[r]!r}"
                c.add(doc.path, where, f"weighting.margins.{seg}",
                      f"expected every respondent of wave {wave} to have a declared {seg} "
                      f"({', '.join(shares)}), got {got} ({int(odd.sum())} respondent(s))")
            seen = set(text[rows & declared])
            for name in shares:
                if name not in seen:
                    c.add(doc.path, doc.line_of(("weighting", "margins", seg, name)),
                          f"weighting.margins.{seg}.{name}",
                          f"expected respondents of {seg} {name!r} in wave {wave} (raking needs each "
                          f"declared category), got none")
