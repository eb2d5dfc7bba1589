"""Survey responses read a chunk of rows at a time: steps 1 to 3 (read, check, clean) on each chunk of a
large plain data file, their results joined into what the whole file gives.

A chunk keeps of its rows only what the frame needs: its cleaned answers go straight into the frame's
answer matrices (sized by the file's line breaks, counted first), the level codes of its text columns
(into its own sorted levels, renumbered into the file's once all are read) and the respondent ids are
kept. The file's bytes, its polars frame and the answer matrices of a whole-file read never exist at
once, so memory grows with the rows by little more than the frame itself.

A file is read this way only when it is plain (see :mod:`qmdoc.load.csv.chunks`), its answers parse as
16-bit integers in every chunk, and no chunk has a problem. Otherwise :class:`~qmdoc.load.csv.NotPlain`
is raised and the whole-file reader reads the file again, reporting each problem as it always does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ...models import Survey
from ..collector import _Collector
from ..csv import NotPlain, count_rows, parse_polars, read_csv_chunks, read_polars
from .check import check_responses
from .clean import CompactAnswers, _codes, answer_matrix, clean_responses
from .comments import Marks, check_marks
from .read import Layout

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True)
class ChunkedFile:
    """One data file read a chunk at a time: what :func:`~.responses.load_survey_files` needs of it."""

    sha256: str | None
    rows: int
    matrix: np.ndarray | CompactAnswers  # the cleaned answers, as :func:`~.clean.answer_matrix` makes them
    cats: dict[str, pd.Categorical]  # as :func:`~.clean.categories` makes them
    ids: pl.Series  # the respondent ids, in file order
    marks: Marks  # the comments' marks of the file's rows (added to a copy of the caller's)

    def key(self) -> np.ndarray:
        """The respondent key of a survey's only file, as a whole-file read makes it (dense ranks)."""
        import polars as pl

        return self.ids.rank("dense").fill_null(0).cast(pl.Int64).to_numpy()


def read_chunked(root: Path, path: Path, rel: str, s: Survey, lay: Layout, checksums: bool, marks: Marks,
                 size: int) -> ChunkedFile:
    """Read, check and clean ``path`` about ``size`` bytes at a time; :class:`NotPlain` when it cannot be
    (see the module docstring)."""
    import polars as pl

    if not lay.integers:
        raise NotPlain(rel)
    scratch = _Collector(root)  # a problem anywhere: the whole-file reader reports it
    marks = _copy(marks)
    several = replace(lay, single=False)  # each chunk hands back its ids, keyed once all are read

    def parse(data: bytes, header: tuple[str, ...]):  # noqa: ANN202
        return parse_polars(data, header, lay.required, lay.item_ids, True)

    checksum: list[str] = []
    total = count_rows(path, size)
    # the answers go straight into the frame's matrices, a chunk's rows at a time
    rows, items = max(total, 0), len(lay.item_ids)
    matrix = (CompactAnswers.empty(rows, items) if lay.compact
              else np.empty((rows, items), dtype=np.float64, order="F"))
    row = 0
    codes: list[list[np.ndarray]] = []
    chunk_levels: list[dict[str, list[str]]] = []
    ids: list[pl.Series] = []
    for chunk in read_csv_chunks(path, rel, parse, size, checksum if checksums else None):
        read = read_polars(chunk, lay.required, lay.item_ids, True, scratch.problems)
        src = chunk.parsed_away()  # the chunk's bytes: not kept beside its frame
        del chunk
        if read is None or read[1] != "int":
            raise NotPlain(rel)
        raw = read[0]
        del read
        levels = check_responses(scratch, src, raw, "int", s, lay)
        check_marks(scratch, src, raw, s)
        if scratch.problems:
            raise NotPlain(rel)
        marks.add(raw)
        done, chunk_ids = clean_responses(raw, "int", s, several, levels)
        del raw
        if row + done.height > total:
            raise NotPlain(rel)  # more rows than line breaks: not a plain file after all
        into = matrix.rows(row, row + done.height) if lay.compact else matrix[row : row + done.height]
        answer_matrix(done, lay, "int", into)
        row += done.height
        codes.append([done[f"\0code{j}"].to_numpy() for j in range(len(lay.level_cols))])
        chunk_levels.append(levels)
        ids.append(chunk_ids)
        del done
    if row != total:
        raise NotPlain(rel)
    cats = _joined_categories(lay, chunk_levels, codes)
    return ChunkedFile(checksum[0] if checksum else None, total, matrix, cats, pl.concat(ids), marks)


def _copy(marks: Marks) -> Marks:
    """The marks collected so far, in lists of their own (a chunked read that gives up leaves them as they were)."""
    return Marks(marks.survey, marks.root, list(marks.ids), {k: list(v) for k, v in marks.texts.items()},
                 {k: list(v) for k, v in marks.marks.items()})


def _joined_categories(lay: Layout, chunk_levels: list[dict[str, list[str]]],
                       codes: list[list[np.ndarray]]) -> dict[str, pd.Categorical]:
    """The text columns as categoricals into the file's sorted levels (as a whole-file read finds them),
    from each chunk's codes into its own levels."""
    cats = {}
    for j, col in enumerate(lay.level_cols):
        levels = sorted(set().union(*(lv[col] for lv in chunk_levels)))  # as polars sorts: by code point
        pos = {name: p for p, name in enumerate(levels)}
        dtype = np.int16 if len(levels) < 2**15 else np.int32
        parts = [np.array([pos[name] for name in lv[col]] + [-1], dtype=dtype)[part[j]]  # code -1: the last
                 for lv, part in zip(chunk_levels, codes)]
        cats[col] = _codes(np.concatenate(parts), levels)
    return cats
