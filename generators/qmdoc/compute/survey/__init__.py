"""Customer-satisfaction survey figures, per wave: pure functions from a
:class:`~qmdoc.models.Survey` and a responses DataFrame to frozen result objects.

Definitions (the design's "Figures: definitions to implement exactly"), each
in the module that computes it, its result dataclass right above the function
that fills it:

* :mod:`.instrument`: valid answers, the instrument as arrays;
* :mod:`.design`: the sufficient statistics of any set of respondents (speed);
* :mod:`.items`: items and loyalty items;
* :mod:`.index`: dimension scores, index weights, the index and their intervals;
* :mod:`.nps`: net promoter score;
* :mod:`.segments`, :mod:`.internal`, :mod:`.competitors`: segments, the
  internal-customer matrix, competitors;
* :mod:`.importance`: importance-performance, its crosshairs and quadrants;
* :mod:`.structural`: the structural model and the key drivers;
* :mod:`.changes`: changes between consecutive waves;
* :mod:`.waves`: waves, duplicates, margin of error, response rate, and
  :func:`compute_survey_figures`, which puts them together;
* :mod:`.export`: the figures as JSON (``qmdoc figures --json``).

Figures that cannot be computed (no answers; a single answer for a spread or
an interval) are ``None``, never NaN and never 0. Responses without any row (a
survey whose first wave has not arrived) give no waves and no changes.

Inconsistent input raises ``ValueError``: a weight on some but not all items
of a dimension (or dimensions of the survey), a ``recommend`` item not on
0..10, ``overall``/``recommend``/``loyalty`` naming no item, a loyalty item
inside a dimension, an item id used twice, a missing column, a row without a
wave (or without a rated company, supplier or customer when those are
declared), ``competitors.us`` rated by no row, ``internal`` on a survey whose
kind is not ``internal``, competitors on an internal survey, an out-of-scale
value that is no N/A code.

The result objects are frozen dataclasses. Their dict fields are plain dicts
(so the objects pickle and copy); treat them as read-only.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .changes import Change
    from .competitors import CompetitorFigures
    from .export import figures_as_json
    from .importance import (
        CONCENTRATE,
        KEEP_UP,
        LOW_PRIORITY,
        OVERKILL,
        QUADRANTS,
        Crosshairs,
        ImportanceFigures,
    )
    from .index import DimensionFigures, IndexFigures
    from .internal import CellFigures, InternalMatrix
    from .items import ItemFigures, LoyaltyFigures
    from .nps import NPSFigures
    from .segments import SegmentFigures
    from .structural import ModelUnavailable
    from .weights import WeightingFigures
    from .waves import SurveyFigures, WaveFigures, compute_survey_figures, survey_weighting

_MODULES = {  # each public name and the module it comes from: imported when first asked for
    "Change": "changes",
    "CompetitorFigures": "competitors",
    "figures_as_json": "export",
    "CONCENTRATE": "importance",
    "KEEP_UP": "importance",
    "LOW_PRIORITY": "importance",
    "OVERKILL": "importance",
    "QUADRANTS": "importance",
    "Crosshairs": "importance",
    "ImportanceFigures": "importance",
    "DimensionFigures": "index",
    "IndexFigures": "index",
    "CellFigures": "internal",
    "InternalMatrix": "internal",
    "ItemFigures": "items",
    "LoyaltyFigures": "items",
    "NPSFigures": "nps",
    "SegmentFigures": "segments",
    "ModelUnavailable": "structural",
    "WeightingFigures": "weights",
    "SurveyFigures": "waves",
    "WaveFigures": "waves",
    "compute_survey_figures": "waves",
    "survey_weighting": "waves",
}


def __getattr__(name: str) -> object:
    """The public names, imported on first use: a command imports only the rooms it needs
    (``qmdoc figures`` on a survey without comments or competitors loads neither)."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "ItemFigures",
    "DimensionFigures",
    "IndexFigures",
    "NPSFigures",
    "SegmentFigures",
    "ImportanceFigures",
    "Crosshairs",
    "LoyaltyFigures",
    "CompetitorFigures",
    "CellFigures",
    "InternalMatrix",
    "ModelUnavailable",
    "WeightingFigures",
    "WaveFigures",
    "Change",
    "SurveyFigures",
    "QUADRANTS",
    "KEEP_UP",
    "CONCENTRATE",
    "LOW_PRIORITY",
    "OVERKILL",
    "compute_survey_figures", "survey_weighting",
    "figures_as_json",
]
