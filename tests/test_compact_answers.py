"""Compact answers: the loader holds answers on scales that fit an 8-bit integer as nullable 8-bit integer
columns (two bytes an answer), other answers as floats; the figures are those of the same answers as
float64 columns, to the last bit (small files: read whole and a chunk of rows at a time)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from qmdoc.compute.survey import compute_survey_figures, figures_as_json
from qmdoc.compute.survey.instrument import _answers, _Coded, _column, _matrix
from qmdoc.load.collector import _Collector
from qmdoc.load.survey import load_survey_files
from qmdoc.load.survey.chunked import read_chunked
from qmdoc.load.survey.clean import CompactAnswers, compacted
from qmdoc.load.survey.comments import Marks
from qmdoc.load.survey.instrument import _check_survey
from qmdoc.load.survey.read import survey_layout
from qmdoc.models import Survey

SURVEY = """id: compact
title: Compact survey
scale: {min: 1, max: 5}
not_applicable: [0]
respondent: respondent_id
wave: wave
segments: [region]
min_cell_n: 3
recommend: q_nps
importance: stated
dimensions:
  - id: quality
    title: Quality
    weight: 2
    items:
      - {id: q1, text: First}
      - {id: q2, text: Second}
  - id: service
    title: Service
    weight: 1
    items:
      - {id: q3, text: Third%s}
items:
  - {id: q_nps, text: Recommend, scale: {min: 0, max: 10}}
"""
HEADER = "respondent_id,wave,region,q1,q2,q3,q_nps"


def rows(count: int = 60, wide: bool = False) -> list[str]:
    """Two waves of rows with blanks and not-applicable codes (0 on the 1..5 items; ``wide``: q3 on 0..200)."""
    out = []
    for r in range(count):
        wave = "2025-Q1" if r < count // 2 else "2025-Q2"
        answers = [str((r * (k + 2)) % 6) if (r + k) % 7 else "" for k in range(3)]
        if wide:
            answers[2] = str((r * 37) % 201)
        out.append(",".join([f"R{r:03d}", wave, ["North", "South"][r % 2], *answers, str(r % 11)]))
    return out


def load(tmp_path: Path, lines: list[str], *, wide: bool = False, chunk: int = 1 << 30):  # noqa: ANN201
    instrument = tmp_path / "policy" / "surveys" / "compact.yml"
    instrument.parent.mkdir(parents=True, exist_ok=True)
    instrument.write_text(SURVEY % (", scale: {min: 0, max: 200}" if wide else ""), encoding="utf-8")
    data = tmp_path / "data" / "surveys" / "compact" / "responses.csv"
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    c = _Collector(tmp_path)
    doc = c.yaml(instrument)
    s = c.model(Survey, doc)
    _check_survey(c, s, doc)
    loaded = load_survey_files(c, tmp_path, s, doc.path, [data], chunk=chunk)
    assert not c.problems and loaded is not None
    return loaded


def as_float64(frame: pd.DataFrame, items: list[str]) -> pd.DataFrame:
    """The frame with its item columns as float64 (NaN missing), as the loader made them before."""
    out = frame.copy()
    for item in items:
        out[item] = frame[item].to_numpy(dtype=np.float64, na_value=np.nan)
    return out


def figures(data, frame: pd.DataFrame) -> str:  # noqa: ANN001
    doc = figures_as_json(compute_survey_figures(data.survey, frame, excluded=data.excluded))
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=False)


def test_answers_on_small_scales_are_nullable_8_bit_integers(tmp_path: Path) -> None:
    data = load(tmp_path, rows())
    frame = data.responses
    assert {str(frame[i].dtype) for i in ("q1", "q2", "q3", "q_nps")} == {"Int8"}
    # q1 of row r: blank when r % 7 == 0, else 2r % 6, missing when 0 (not applicable): rows 0, 3, 6, 7
    assert frame["q1"].isna().tolist()[:8] == [True, False, False, True, False, False, True, True]
    assert frame.loc[1, ["q1", "q2", "q3", "q_nps"]].tolist() == [2, 3, 4, 1]
    assert frame["q_nps"].tolist()[:12] == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0]


def test_figures_of_compact_answers_are_those_of_float64_answers(tmp_path: Path) -> None:
    data = load(tmp_path, rows())
    items = ["q1", "q2", "q3", "q_nps"]
    assert figures(data, data.responses) == figures(data, as_float64(data.responses, items))


def test_chunked_reading_fills_the_same_compact_answers(tmp_path: Path) -> None:
    whole = load(tmp_path, rows())
    chunked = load(tmp_path, rows(), chunk=300)  # about 10 rows a chunk
    pd.testing.assert_frame_equal(whole.responses, chunked.responses, check_exact=True)
    assert str(chunked.responses["q1"].dtype) == "Int8"
    s = chunked.survey  # the chunked reader itself, as the loader calls it for a large file
    path = tmp_path / "data" / "surveys" / "compact" / "responses.csv"
    big = read_chunked(tmp_path, path, "responses.csv", s, survey_layout(s, 1), False, Marks(s, tmp_path), 300)
    assert isinstance(big.matrix, CompactAnswers) and big.rows == 60
    assert big.matrix.values[1:3].tolist() == [[2, 3, 4, 1], [4, 0, 2, 2]]
    assert big.matrix.missing[1:3].tolist() == [[False, False, False, False], [False, True, False, False]]


def test_a_scale_beyond_8_bits_keeps_float_answers(tmp_path: Path) -> None:
    whole = load(tmp_path, rows(wide=True), wide=True)
    chunked = load(tmp_path, rows(wide=True), wide=True, chunk=300)
    assert {str(whole.responses[i].dtype) for i in ("q1", "q2", "q3", "q_nps")} == {"float64"}
    pd.testing.assert_frame_equal(whole.responses, chunked.responses, check_exact=True)
    assert whole.responses["q3"].tolist()[:3] == [0.0, 37.0, 74.0]


def test_float_answers_are_compacted_only_when_whole_and_small() -> None:
    m = np.asfortranarray([[1.0, np.nan], [5.0, -3.0]])
    c = compacted(m)
    assert isinstance(c, CompactAnswers)
    assert c.values.tolist() == [[1, 0], [5, -3]] and c.missing.tolist() == [[False, True], [False, False]]
    assert c.values.flags.f_contiguous and c.missing.flags.f_contiguous
    assert isinstance(compacted(np.array([[1.5, 2.0]])), np.ndarray)
    assert isinstance(compacted(np.array([[128.0]])), np.ndarray)
    assert isinstance(compacted(np.array([[-127.0, 127.0]])), CompactAnswers)


def test_a_wave_reads_integer_answers_into_exact_floats() -> None:
    values = np.array([3, 0, 5, 1, 2], dtype=np.int8)
    missing = np.array([False, True, False, False, True])
    col = _answers(pd.Series(pd.arrays.IntegerArray(values, missing)))
    assert isinstance(col, _Coded) and col.values is values and col.missing is missing  # no copy
    run, scattered = np.arange(1, 4), np.array([4, 0, 2])
    X = _matrix([col, col], run)
    assert X.dtype == np.float32 and X.flags.f_contiguous
    assert np.array_equal(X[:, 0], [np.nan, 5.0, 1.0], equal_nan=True)
    assert np.array_equal(_matrix([col], scattered)[:, 0], [np.nan, 3.0, 5.0], equal_nan=True)
    wide = _Coded(values.astype(np.int32), missing)  # larger integers: float64 rows
    assert _matrix([wide], run).dtype == np.float64
    assert _column(col, scattered).dtype == np.float64
    floats = _answers(pd.Series([1.0, np.nan]))
    assert isinstance(floats, np.ndarray) and floats.dtype == np.float64
    nullable = _answers(pd.Series([1, None], dtype="Int64"))
    assert np.array_equal(_column(nullable, np.arange(2)), [1.0, np.nan], equal_nan=True)
