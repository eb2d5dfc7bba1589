"""Quality objectives (ISO 9001 6.2): the computed actual and status of each objective."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..metric import Metric
from ..models import Objective
from .complaints import ComplaintFigures
from .customers import CustomerFigures
from .customers import metric_series as customer_series

Status = Literal["met", "not_met", "no_data"]


@dataclass(frozen=True)
class ObjectiveResult:
    objective: Objective
    series: tuple[tuple[str, float | None], ...]  # (period label, value) oldest first
    actual: float | None  # value of the latest period
    period: str | None
    status: Status


def metric_series(metric: str, surveys: dict, complaints: ComplaintFigures | None,
                  customers: CustomerFigures | None = None) -> tuple[tuple[str, float | None], ...]:
    """The values of a metric per period (survey wave, complaints quarter or customer-list period), oldest first."""
    m = Metric.parse(metric)
    if m.kind == "customers":  # the customer list's retention_rate, churn_rate, lost (churned count)
        return () if customers is None else customer_series(customers, m.key)
    if m.kind == "complaints":
        if complaints is None:
            return ()
        field = {"count": "received"}.get(m.key, m.key)
        return tuple((p.period, _num(getattr(p, field))) for p in complaints.periods)
    figures = surveys.get(m.survey)
    if figures is None:
        return ()
    if m.kind not in ("index", "nps", "dimension"):
        raise ValueError(f"unknown metric {metric!r}")
    return tuple((wave.wave, _wave_value(wave, m)) for wave in figures.waves)


def _wave_value(wave, m: Metric) -> float | None:  # noqa: ANN001 - a WaveFigures
    """An objective's metric (index, NPS or a dimension score) in one wave."""
    if m.kind == "index":
        return wave.index.value if wave.index else None
    if m.kind == "nps":
        return wave.nps.value if wave.nps else None
    dim = wave.dimensions.get(m.key)
    return dim.score if dim else None


def _num(value: float | int | None) -> float | None:
    return None if value is None else float(value)


def judge(objective: Objective, value: float | None) -> Status:
    if value is None:
        return "no_data"
    ok = value >= objective.target if objective.direction == "at_least" else value <= objective.target
    return "met" if ok else "not_met"


def evaluate_objectives(objectives: list[Objective], surveys: dict, complaints: ComplaintFigures | None,
                        customers: CustomerFigures | None = None) -> tuple[ObjectiveResult, ...]:
    results = []
    for obj in objectives:
        series = metric_series(obj.metric, surveys, complaints, customers)
        period, actual = series[-1] if series else (None, None)
        results.append(ObjectiveResult(obj, series, actual, period, judge(obj, actual)))
    return tuple(results)
