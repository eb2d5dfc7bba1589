"""Survey responses, step 4: assemble. One file's frame from its matrix and categoricals; the files' frames
into one responses frame with a respondent key across them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ...models import Survey
from ...project import DataFile, SurveyData
from .clean import CompactAnswers
from .read import Layout


def file_frame(path: Path, height: int, matrix: np.ndarray | CompactAnswers, cats: dict[str, pd.Categorical],
               lay: Layout) -> pd.DataFrame:
    """One file's responses: its wave (the file name when no column holds it), text columns and items
    (compact answers: nullable 8-bit integer columns on the answers' own two matrices, no copy)."""
    item_ids = lay.item_ids
    out: dict[str, object] = {}
    if lay.wave_col:
        out["wave"] = cats[lay.wave_col]
    else:
        out["wave"] = pd.Categorical.from_codes(np.zeros(height, dtype=np.int8), categories=[path.stem])
    for col in lay.categorical:
        out[col] = cats[col]
    if isinstance(matrix, CompactAnswers):  # an item named like a text column replaces it, as a dict does
        out.update({iid: pd.arrays.IntegerArray(matrix.values[:, j], matrix.missing[:, j])
                    for j, iid in enumerate(item_ids)})
        return pd.DataFrame(out, copy=False)
    if set(out).isdisjoint(item_ids):
        # the item matrix is the frame's float block as it is (column-major: one column after the other)
        frame = pd.DataFrame(matrix, columns=item_ids, copy=False)
        for pos, (name, values) in enumerate(out.items()):
            frame.insert(pos, name, values)
    else:  # an item named like a text column (or "wave"): the item replaces it, as a dict does
        out.update({iid: matrix[:, j] for j, iid in enumerate(item_ids)})
        frame = pd.DataFrame(out)
    return frame


def assemble(s: Survey, source: str, files: list[DataFile], frames: list[pd.DataFrame], id_columns: list,
             lay: Layout, excluded: dict[str, dict[str, int]]) -> SurveyData:
    """The survey's responses: the files' frames one after the other, the respondent key across them."""
    import polars as pl

    responses = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    for col in lay.text_cols:
        if col != s.respondent and not isinstance(responses[col].dtype, pd.CategoricalDtype):
            responses[col] = responses[col].astype("category")  # categories differed between files
    if lay.single:
        responses[s.respondent] = id_columns[0]
    else:
        responses[s.respondent] = pl.concat(id_columns).rank("dense").fill_null(0).cast(pl.Int64).to_numpy()
    return SurveyData(s, source, tuple(files), responses, excluded)
