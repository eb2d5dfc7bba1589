"""Customers' own words in a wave's figures: the survey's comment columns, their publishable marks
(resolved by the load stage into the responses frame, see :func:`~qmdoc.project.publishable_column`)
and personal columns, turned into :class:`~qmdoc.compute.comments.WaveComments` per wave.

A wave's comments are those of its rows that count (duplicates dropped; with competitors, the rows
that rate us), row by row in the data's order, each row's comment columns in declared order.
Themes count every comment; only the publishable ones are redacted and kept for the pages, with the
dimension of their column. Personal values are those of the personal columns over the whole export (every wave).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...models import Survey
from ...project import publishable_column
from ..comments import (NON_ANSWERS, Comment, PersonalValues, Themes, WaveComments, compile_themes,
                        personal_values, wave_comments)


@dataclass(frozen=True)
class CommentColumns:
    """A survey's comments prepared once for all its waves.

    Attributes:
        texts: per comment column, each row's text ('' where blank).
        publishable: per comment column, each row's mark (True: publish).
        dimensions: per comment column, the dimension it is about (None: none declared).
        themes: the compiled theme dictionary.
        personal: the personal values of the whole export.
    """

    texts: tuple[np.ndarray, ...]
    publishable: tuple[np.ndarray, ...]
    dimensions: tuple[str | None, ...]
    themes: Themes
    personal: PersonalValues


def prepare_comments(survey: Survey, responses: pd.DataFrame) -> CommentColumns | None:
    """The survey's comments (None when it declares no comment column)."""
    if not survey.comments:
        return None
    texts, marks = [], []
    for com in survey.comments:
        column = responses[com.column]
        texts.append(np.array(["" if v != v or v is None else str(v) for v in column.astype(object)], dtype=object))
        name = publishable_column(com.column)
        given = responses[name].to_numpy(dtype=bool) if name in responses else np.zeros(len(responses), dtype=bool)
        marks.append(given)
    values: list[object] = []
    for col in survey.personal:
        column = responses[col]
        values += list(column.cat.categories) if isinstance(column.dtype, pd.CategoricalDtype) else list(column)
    return CommentColumns(tuple(texts), tuple(marks), tuple(c.dimension for c in survey.comments),
                          compile_themes(survey.themes), personal_values(values))


def _is_comment(text: str) -> bool:
    """What :func:`~qmdoc.compute.comments.wave_comments` counts as a comment."""
    stripped = text.strip()
    return bool(stripped) and stripped.lower() not in NON_ANSWERS


def comment_figures(data: CommentColumns, rows: np.ndarray, min_cell_n: int) -> tuple[WaveComments,
                                                                                     tuple[str | None, ...]]:
    """The comments of a wave's ``rows``, and the dimension of each published one (in their order)."""
    comments, dims = [], []
    columns = [(texts[rows], marks[rows], dim) for texts, marks, dim in zip(data.texts, data.publishable,
                                                                          data.dimensions)]
    for r in range(len(columns[0][0]) if columns else 0):  # row by row (the export's order of submission), each row's columns in turn
        for texts, marks, dim in columns:
            comments.append(Comment(texts[r], bool(marks[r])))
            if marks[r] and _is_comment(texts[r]):
                dims.append(dim)
    figures = wave_comments(comments, data.themes, data.personal, min_cell_n)
    return figures, tuple(dims)


def comments_json(value: WaveComments, plain: object, owner: object) -> dict:
    """Converter of ``WaveFigures.comments``: ``{n, published, themes}``, never a text."""
    return value.as_json()
