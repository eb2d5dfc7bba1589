"""Lost customers: why they left, where they went, whether they would come back, per wave.

* A lost-customer survey (``survey.kind == "lost"`` with ``survey.lost``): per
  wave ``lost`` holds the :class:`~qmdoc.compute.lost.LostFigures` of the
  wave's rows (duplicates dropped as for every figure): the reasons for
  leaving as a Pareto (multiple choice split on wjx's ``┋`` and the declared
  separator), where they went (the ``went_to`` column) and the win-back item
  (0..10, its valid answers), each with the survey's ``min_cell_n``. See
  :mod:`qmdoc.compute.lost` for the definitions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...models import Survey
from ..lost import LostFigures, compute_lost_figures
from .instrument import _Coded, _Instrument, _column

_WIN_BACK = "\0win_back"  # the win-back answers' column in the frame handed to the core


def lost_columns(survey: Survey) -> list[str]:
    """The text columns a lost-customer survey's figures read (reasons, where they went)."""
    if survey.lost is None:
        return []
    went = [survey.lost.went_to] if survey.lost.went_to else []
    return list(dict.fromkeys([*survey.lost.reasons, *went]))


def lost_frame(survey: Survey, responses: pd.DataFrame) -> pd.DataFrame | None:
    """The reasons and where-they-went columns as plain objects (None: not a lost-customer survey)."""
    if survey.lost is None:
        return None
    return pd.DataFrame({c: responses[c].astype(object).to_numpy() for c in lost_columns(survey)})


def _lost_figures(survey: Survey, frame: pd.DataFrame, columns: list[np.ndarray | _Coded], rows: np.ndarray,
                  ins: _Instrument, confidence: float) -> LostFigures:
    """The lost-customer figures of one wave's ``rows`` (see the module docstring)."""
    lost = survey.lost
    part = frame.iloc[rows].reset_index(drop=True)
    win_back = None
    if lost.win_back is not None:
        part[_WIN_BACK] = _column(columns[ins.item_ids.index(lost.win_back)], rows)
        win_back = _WIN_BACK
    return compute_lost_figures(
        part, min_cell_n=survey.min_cell_n, reasons=lost.reasons, multiple=lost.multiple,
        separator=lost.separator, competitor=lost.went_to, win_back_column=win_back, confidence=confidence,
    )
