"""Quality objectives (ISO 9001 6.2): the computed actual and status of each objective."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..models import Objective
from .complaints import ComplaintFigures

Status = Literal["met", "not_met", "no_data"]


@dataclass(frozen=True)
class ObjectiveResult:
    objective: Objective
    series: tuple[tuple[str, float | None], ...]  # (period label, value) oldest first
    actual: float | None  # value of the latest period
    period: str | None
    status: Status


def metric_series(metric: str, surveys: dict, complaints: ComplaintFigures | None) -> tuple[tuple[str, float | None], ...]:
    """The values of a metric per period (survey wave or complaints quarter), oldest first."""
    head, _, rest = metric.partition(".")
    if head == "complaints":
        if complaints is None:
            return ()
        field = {"count": "received"}.get(rest, rest)
        return tuple((p.period, _num(getattr(p, field))) for p in complaints.periods)
    figures = surveys.get(head)
    if figures is None:
        return ()
    out = []
    for wave in figures.waves:
        if rest == "index":
            value = wave.index.value if wave.index else None
        elif rest == "nps":
            value = wave.nps.value if wave.nps else None
        elif rest.startswith("dimension."):
            dim = wave.dimensions.get(rest.split(".", 1)[1])
            value = dim.score if dim else None
        else:
            raise ValueError(f"unknown metric {metric!r}")
        out.append((wave.wave, value))
    return tuple(out)


def _num(value: float | int | None) -> float | None:
    return None if value is None else float(value)


def judge(objective: Objective, value: float | None) -> Status:
    if value is None:
        return "no_data"
    ok = value >= objective.target if objective.direction == "at_least" else value <= objective.target
    return "met" if ok else "not_met"


def evaluate_objectives(objectives: list[Objective], surveys: dict, complaints: ComplaintFigures | None) -> tuple[ObjectiveResult, ...]:
    results = []
    for obj in objectives:
        series = metric_series(obj.metric, surveys, complaints)
        period, actual = series[-1] if series else (None, None)
        results.append(ObjectiveResult(obj, series, actual, period, judge(obj, actual)))
    return tuple(results)
