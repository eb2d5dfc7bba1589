"""The sample line of a weighted survey: how the latest wave is weighted, and what stays unweighted."""

from __future__ import annotations

from dataclasses import dataclass

from ...compute.survey import WaveFigures
from ...render import fmt
from ..context import field
from .format import SurveyPage


@dataclass(frozen=True)
class WeightingView:
    """How the latest wave is weighted (``survey.weighting``)."""

    line: str = field("method, unweighted n, Kish effective n, design effect and largest weight of the latest wave")
    note: str = field("what the weights apply to and what stays unweighted")


def weighting_view(page: SurveyPage, latest: WaveFigures) -> WeightingView | None:
    """The sample line of the latest wave; None for an unweighted survey."""
    w = latest.weighting
    if w is None:
        return None
    t = page.t
    method = t["weighting_method_raking"] if w.method == "raking" else t["weighting_method_design"]
    if w.iterations is not None:
        method = t("weighting_method_sweeps", method=method, sweeps=w.iterations)
    line = t("weighting_line", method=method, n=w.n, n_effective=fmt(w.n_effective, 1),
             design_effect=fmt(w.design_effect, 2), max_weight=fmt(w.max_weight, 2))
    return WeightingView(line=line, note=t["weighting_note"])
