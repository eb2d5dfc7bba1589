"""Service-quality gaps and improvement actions of a survey: the survey's figures wired to the cores
:mod:`qmdoc.compute.gaps` and :mod:`qmdoc.compute.improvements` (definitions there).

* Gaps of a wave: every item that declares an expectation column, over the wave's (deduplicated, our
  own) respondents; a dimension's gap over its items that declare one (dimensions without such an item
  have none). The wave has no gaps (None) when the survey declares no expectation. A weighted survey
  (``weighting:``) weights its gaps with the wave's weights, as its other figures (see :mod:`.weights`).
* Changes of the gaps: between consecutive waves, as the changes of the other figures.
* Improvement actions: each wave dated by :func:`~qmdoc.models.wave_end` (the last day of the period its
  label names; the loader requires such labels of a survey that declares improvements); the score is the
  target's own score and standard error: a dimension's score with its linearized se, an item's 0–100
  score with its se (:func:`item_se`: ``score_sd / sqrt(n)``, or the linearization se of a weighted
  item); tested at the survey's alpha and confidence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...models import Survey, wave_end
from ..gaps import GapChange, GapSet, compute_gaps, gap_changes, gaps_as_json
from ..improvements import Evaluation, evaluate_improvement, evaluation_as_json
from .items import ItemFigures


def gap_columns(survey: Survey, responses: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Item id -> (its expectation answers, its perception answers) as float arrays over every row."""
    out = {}
    for iid, column in survey.gap_items().items():
        missing = [c for c in (iid, column) if c not in responses.columns]
        if missing:
            raise ValueError(f"survey {survey.id}: responses lack the column(s) {', '.join(missing)}")
        out[iid] = (responses[column].to_numpy(dtype=np.float64, na_value=np.nan),
                    responses[iid].to_numpy(dtype=np.float64, na_value=np.nan))
    return out


def wave_gaps(survey: Survey, columns: dict[str, tuple[np.ndarray, np.ndarray]], rows: np.ndarray,
              confidence: float, weights: np.ndarray | None = None) -> GapSet | None:
    """The gaps of the respondents ``rows`` (``weights``: theirs, in the same order, when the wave is
    weighted); None when the survey declares no expectation."""
    if not columns:
        return None
    items = {i.id: i for i in survey.all_items()}
    expectation = pd.DataFrame({iid: e[rows] for iid, (e, _) in columns.items()})
    perception = pd.DataFrame({iid: p[rows] for iid, (_, p) in columns.items()})
    scales = {iid: (survey.item_scale(items[iid]).min, survey.item_scale(items[iid]).max) for iid in columns}
    dims = {d.id: [i.id for i in d.items if i.id in columns] for d in survey.dimensions}
    return compute_gaps(expectation, perception, scales, {k: v for k, v in dims.items() if v},
                        not_applicable=survey.not_applicable, confidence=confidence, weights=weights)


def all_gap_changes(waves: Sequence[Any], alpha: float, confidence: float) -> tuple[GapChange, ...]:
    """The gap changes between each pair of consecutive waves that both have gaps."""
    out: list[GapChange] = []
    for a, b in zip(waves, waves[1:]):
        if a.gaps is not None and b.gaps is not None:
            out.extend(gap_changes(a.wave, a.gaps, b.wave, b.gaps, alpha=alpha, confidence=confidence))
    return tuple(out)


def item_se(f: ItemFigures) -> float | None:
    """An item's standard error of its 0–100 score: the linearization se when weighted, else
    ``score_sd / sqrt(n)``; None with fewer than 2 answers."""
    if f.score_se is not None:
        return f.score_se
    return None if f.score_sd is None or f.n < 1 else f.score_sd / math.sqrt(f.n)


def _series(survey: Survey, target: str, kind: str, waves: Sequence[Any]) -> list[tuple]:
    """(wave, date, score, se, n) of the action's target in every wave."""
    out = []
    for w in waves:
        when = wave_end(w.wave)
        if when is None:
            raise ValueError(f"survey {survey.id}: wave {w.wave!r} names no period, so improvements cannot be dated")
        if kind == "dimension":
            f = w.dimensions[target]
            out.append((w.wave, when, f.score, f.se, f.n))
        else:
            f = w.items[target]
            out.append((w.wave, when, f.score, item_se(f), f.n))
    return out


def evaluations(survey: Survey, waves: Sequence[Any], alpha: float,
                confidence: float) -> tuple[Evaluation, ...] | None:
    """Every declared improvement action evaluated; None when the survey declares none."""
    if not survey.improvements:
        return None
    return tuple(evaluate_improvement(a.id, a.date, a.target, _series(survey, a.target, a.kind, waves),
                                      kind=a.kind, alpha=alpha, confidence=confidence)
                 for a in survey.improvements)


def gaps_json(gaps: GapSet, plain: Callable[[Any], Any], wave: Any) -> dict:
    """Converter of ``WaveFigures.gaps``: ``{"items": {id: {n, expectation, perception, gap, ci,
    share_short}}, "dimensions": {...}}``."""
    out = gaps_as_json(gaps)
    return {"items": out["items"], "dimensions": out["dimensions"]}


def improvements_json(evs: tuple[Evaluation, ...], plain: Callable[[Any], Any], owner: Any) -> list[dict]:
    """Converter of ``SurveyFigures.improvements``: ``[{"id", "dimension" (or "item"), "before": {"wave",
    "score"}, "after": [{"wave", "score", "delta", "ci", "p", "significant"}]}]``."""
    out = []
    for ev in evs:
        full = evaluation_as_json(ev)
        out.append({"id": full["id"], ev.kind: full[ev.kind], "before": full["before"],
                    "after": [{k: a[k] for k in ("wave", "score", "delta", "ci", "p", "significant")}
                              for a in full["after"]]})
    return out
