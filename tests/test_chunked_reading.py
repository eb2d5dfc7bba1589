"""A large survey data file read a chunk of rows at a time gives the frame, the figures and the problems of
a whole-file read (small files and chunks here: the chunk size is a parameter)."""

from __future__ import annotations

import statistics
from pathlib import Path

import pandas as pd
import pytest

from qmdoc.compute.survey import compute_survey_figures, figures_as_json
from qmdoc.errors import QmdocError
from qmdoc.load import load_survey_standalone
from qmdoc.load.collector import _Collector
from qmdoc.load.csv import NotPlain, read_csv_chunks
from qmdoc.load.survey import check_survey_data, load_survey_files
from qmdoc.load.survey.chunked import read_chunked
from qmdoc.load.survey.comments import Marks
from qmdoc.load.survey.instrument import _check_survey
from qmdoc.load.survey.read import survey_layout
from qmdoc.models import Survey

SURVEY = """id: chunks
title: Chunked survey
scale: {min: 1, max: 5}
not_applicable: [0]
respondent: respondent_id
wave: wave
segments: [region, size]
min_cell_n: 5
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
      - {id: q3, text: Third}
"""
HEADER = "respondent_id,wave,region,size,q1,q2,q3"
REGIONS = ["North", "South", "East"]
SIZES = ["small", "large"]


def rows(count: int = 90) -> list[str]:
    """Rows in two waves, with blanks, not-applicable codes, a region seen only late in the file and
    respondents answering twice (one of them in rows far apart)."""
    out = []
    for r in range(count):
        wave = "2025-Q1" if r < count // 2 else "2025-Q2"
        region = REGIONS[r % 3] if r < count - 10 else "West"
        rid = f"R{r:03d}" if r not in (40, 80) else "R001" if r == 40 else "R050"
        answers = [str((r * (k + 2)) % 6) if (r + k) % 7 else "" for k in range(3)]  # 0: not applicable
        out.append(",".join([rid, wave, region, SIZES[(r // 4) % 2], *answers]))
    return out


def with_value(line: str, column: int, value: str) -> str:
    values = line.split(",")
    values[column] = value
    return ",".join(values)


def write(tmp_path: Path, lines: list[str]) -> tuple[Path, Path]:
    instrument = tmp_path / "policy" / "surveys" / "chunks.yml"
    instrument.parent.mkdir(parents=True)
    instrument.write_text(SURVEY, encoding="utf-8")
    data = tmp_path / "data" / "surveys" / "chunks" / "responses.csv"
    data.parent.mkdir(parents=True)
    data.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return instrument, data


def load(tmp_path: Path, instrument: Path, data: Path, chunk: int):  # noqa: ANN201
    c = _Collector(tmp_path)
    doc = c.yaml(instrument)
    s = c.model(Survey, doc)
    _check_survey(c, s, doc)
    loaded = load_survey_files(c, tmp_path, s, doc.path, [data], chunk=chunk)
    if loaded is not None:
        check_survey_data(c, loaded, doc)
    if c.problems or loaded is None:
        raise QmdocError(c.problems)
    return loaded


def test_chunks_number_their_rows_by_the_file_lines(tmp_path: Path) -> None:
    _, data = write(tmp_path, rows())
    chunks = list(read_csv_chunks(data, "responses.csv", lambda data, header: None, size=500))
    assert len(chunks) > 3
    assert sum(ch.rows for ch in chunks) == 90
    first_lines = [int(ch.lines([0])[0]) for ch in chunks]
    assert first_lines[0] == 2  # the header is line 1
    assert first_lines == [2 + sum(ch.rows for ch in chunks[:k]) for k in range(len(chunks))]
    assert all(ch.data.startswith(HEADER.encode() + b"\n") for ch in chunks)


def test_chunked_reading_gives_the_frame_and_figures_of_a_whole_read(tmp_path: Path) -> None:
    instrument, data = write(tmp_path, rows())
    whole = load(tmp_path, instrument, data, chunk=1 << 30)
    chunked = load(tmp_path, instrument, data, chunk=500)  # about 20 rows a chunk
    pd.testing.assert_frame_equal(whole.responses, chunked.responses, check_exact=True)
    assert whole.files == chunked.files
    assert chunked.files[0].sha256 is not None and chunked.files[0].rows == 90
    s = chunked.survey  # read chunk by chunk indeed, not sent to the whole-file reader
    big = read_chunked(tmp_path, data, "responses.csv", s, survey_layout(s, 1), True, Marks(s, tmp_path), 500)
    assert (big.rows, big.sha256) == (90, whole.files[0].sha256)
    # a level seen only in the last chunk is a category of its own, in sorted order
    assert list(chunked.responses["region"].cat.categories) == ["East", "North", "South", "West"]

    figures = figures_as_json(compute_survey_figures(chunked.survey, chunked.responses))
    assert figures == figures_as_json(compute_survey_figures(whole.survey, whole.responses))
    q1, q2 = figures["waves"]
    # R001 answers in rows 1 and 40 of the first wave; R050 in rows 50 and 80 of the second
    assert (q1["duplicates_dropped"], q2["duplicates_dropped"]) == (1, 1)
    # the item mean from the file's text (valid answers of the rows kept: 1..5; 0 and blanks are none)
    kept = [line.split(",") for r, line in enumerate(rows()) if r < 45 and r != 40]
    answers = [int(v[4]) for v in kept if v[4] not in ("", "0")]
    assert q1["items"]["q1"]["n"] == len(answers) == 25  # rows 0-44 but 40, not a multiple of 3 or 7
    assert q1["items"]["q1"]["mean"] == pytest.approx(statistics.fmean(answers), rel=1e-12, abs=0)
    # North: rows 0, 3, ..., 42; only the odd ones answer (q2 = 3; q1 and q3 are 0), but row 27 leaves q2 blank
    assert q1["segments"]["region"]["North"]["n"] == 6
    assert set(q2["segments"]["region"]) == {"East", "North", "South", "West"}


def test_a_problem_in_a_later_chunk_is_reported_as_a_whole_read_reports_it(tmp_path: Path) -> None:
    lines = rows()
    lines[70] = with_value(lines[70], 4, "7")  # q1 of row 70: line 72
    instrument, data = write(tmp_path, lines)
    with pytest.raises(QmdocError) as exc:
        load(tmp_path, instrument, data, chunk=500)
    assert [str(p) for p in exc.value.problems] == [
        "data/surveys/chunks/responses.csv:72: q1: expected a whole number from 1 to 5 or 0 (not applicable), got 7"
    ]
    with pytest.raises(QmdocError) as whole:
        load_survey_standalone(instrument, [data], tmp_path, checksums=False)
    assert [str(p) for p in whole.value.problems] == [str(p) for p in exc.value.problems]


def test_a_value_spanning_lines_sends_the_file_to_the_whole_file_reader(tmp_path: Path) -> None:
    lines = rows()
    lines[60] = with_value(lines[60], 2, '"North\nEast"')  # a region in quotes, over two lines
    instrument, data = write(tmp_path, lines)
    size = data.stat().st_size
    with pytest.raises(NotPlain):
        list(read_csv_chunks(data, "responses.csv", lambda data, header: None, size=500))
    whole = load(tmp_path, instrument, data, chunk=size + 1)
    chunked = load(tmp_path, instrument, data, chunk=500)
    pd.testing.assert_frame_equal(whole.responses, chunked.responses, check_exact=True)
    assert "North\nEast" in list(chunked.responses["region"].cat.categories)


def test_a_file_with_a_byte_order_mark_is_read_whole(tmp_path: Path) -> None:
    instrument, data = write(tmp_path, rows())
    data.write_bytes(b"\xef\xbb\xbf" + data.read_bytes())
    with pytest.raises(NotPlain):
        list(read_csv_chunks(data, "responses.csv", lambda data, header: None, size=500))
    chunked = load(tmp_path, instrument, data, chunk=500)
    assert len(chunked.responses) == 90
