"""Survey responses, step 2: check. Blank waves and ids, blank rated names, answers off the scale (pass 1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...models import Scale, Survey, wave_end
from ...project import SurveyData
from ...yamlfile import YamlDoc
from ..collector import _bad_rows, _Collector
from ..csv import CsvFile, describe_hidden
from .read import Layout
from .weights import check_margins, check_weight_column

if TYPE_CHECKING:
    import polars as pl


def check_responses(c: _Collector, src: CsvFile, raw: pl.DataFrame, kind: str, s: Survey,
                    lay: Layout) -> dict[str, list[str]]:
    """Pass 1 over one file: its invalid values reported; returns the sorted levels of its text columns.

    One polars select computes every count (blank ids and waves, invalid answers per item) and
    every column's levels; the rows are located only for a column that has problems.
    """
    import polars as pl

    wave_col, level_cols = lay.wave_col, lay.level_cols
    bad = {item.id: _invalid(item.id, s.item_scale(item), kind, lay.na_codes) for item in lay.items}
    checks = [pl.col(s.respondent).null_count().alias("\0id")]
    if wave_col:
        checks.append(pl.col(wave_col).null_count().alias("\0wave"))
    checks += [e.sum().alias(f"\0bad{j}") for j, e in enumerate(bad.values())]
    checks += [pl.col(col).drop_nulls().unique().sort().implode().alias(f"\0levels{j}")
               for j, col in enumerate(level_cols)]
    found = raw.select(checks).row(0)
    null_ids = found[0]
    null_waves = found[1] if wave_col else 0
    counts = found[2 if wave_col else 1 : len(found) - len(level_cols)]
    levels = dict(zip(level_cols, found[len(found) - len(level_cols):]))

    if null_waves:
        waves = raw[wave_col]
        _bad_rows(c, src, wave_col, waves.is_null().to_numpy(), waves, "expected a wave label")
    if null_ids:
        ids = raw[s.respondent]
        _bad_rows(c, src, s.respondent, ids.is_null().to_numpy(), ids, "expected a respondent id")
    for col in rated_columns(s):  # what each row rates: a competitor's name or a supplying department
        blank = raw[col].is_null().to_numpy()
        if blank.any():
            _bad_rows(c, src, col, blank, raw[col], "expected the name of the company or department rated",
                      describe_hidden)
    check_weight_column(c, src, raw, s)
    for item, count in zip(lay.items, counts):
        if count:
            sc = s.item_scale(item)
            mask = raw.select(bad[item.id]).to_series().to_numpy()
            values = raw[item.id].cast(pl.Float64) if kind == "int" else raw[item.id]  # shown as read as floats
            expected = f"expected a whole number from {sc.min} to {sc.max}{lay.codes_text}"
            _bad_rows(c, src, item.id, mask, values, expected)
    return levels


def _invalid(item_id: str, sc: Scale, kind: str, na_codes: list[float]) -> pl.Expr:
    """Whether each answer to an item is invalid: not a whole number on the scale ``sc`` or a not-applicable code."""
    import polars as pl

    num = pl.col(item_id) if kind != "text" else pl.col(item_id).cast(pl.Float64, strict=False)
    if sc.max - sc.min <= 1000 and kind == "int":  # valid: a whole number on the scale or an N/A code
        allowed = sorted(set(range(sc.min, sc.max + 1)) | {int(x) for x in na_codes if -(2**15) <= x < 2**15})
        ok = num.is_in(pl.lit(allowed, dtype=pl.List(pl.Int16)))
    elif sc.max - sc.min <= 1000:
        allowed = sorted({float(v) for v in range(sc.min, sc.max + 1)} | set(na_codes))
        ok = num.is_in(pl.lit(allowed, dtype=pl.List(pl.Float64)))
    else:
        num = num.cast(pl.Float64)
        na = num.is_in(pl.lit(na_codes, dtype=pl.List(pl.Float64)))
        ok = (num.round(0) == num) & (num.is_between(sc.min, sc.max) | na)
    return (pl.col(item_id).is_not_null() & ~ok.fill_null(False)).alias(item_id)


def rated_columns(s: Survey) -> list[str]:
    """The columns naming what a row rates: the company (competitors) or supplier and customer (internal)."""
    if s.competitors:
        return [s.competitors.column]
    return [s.internal.supplier, s.internal.customer] if s.internal else []


def check_survey_data(c: _Collector, data: SurveyData, doc: YamlDoc) -> None:
    """What the instrument requires of its responses as a whole: the rows that rate us exist
    (competitor ratings need our own figures)."""
    s, frame = data.survey, data.responses
    if s.competitors and len(frame) and not (frame[s.competitors.column] == s.competitors.us).any():
        c.add(doc.path, doc.line_of(("competitors", "us")), "competitors.us",
              f"expected rows whose {s.competitors.column} is {s.competitors.us!r} in the data files "
              f"({', '.join(f.path for f in data.files)}), got none")
    check_margins(c, data, doc)
    check_improvement_dates(c, data, doc)


def check_improvement_dates(c: _Collector, data: SurveyData, doc: YamlDoc) -> None:
    """Improvement actions need dated waves (labels naming a period) and a wave on or before the action
    (the score before it); an action after the last wave is valid: it has no wave after yet."""
    s, frame = data.survey, data.responses
    if not s.improvements or not len(frame):
        return
    labels = [str(w) for w in frame["wave"].unique()]
    undated = [w for w in labels if wave_end(w) is None]
    if undated:
        c.add(doc.path, doc.line_of(("improvements",)), "improvements",
              f"expected wave labels that name a period (2025, 2025-H1, 2025-Q2, 2025-06 or 2025-06-30) to date "
              f"the waves before and after each action, got {undated[0]!r}")
        return
    first = min(labels, key=lambda w: wave_end(w))
    for k, a in enumerate(s.improvements):
        if a.date < wave_end(first):
            c.add(doc.path, doc.line_of(("improvements", k, "date")), f"improvements[{k}].date",
                  f"expected a date on or after the end of the first wave ({first}, ended "
                  f"{wave_end(first).isoformat()}), got {a.date.isoformat()}: no wave before the action to "
                  "compare with")

