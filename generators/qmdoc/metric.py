"""Metric names: what an objective measures and what a change between two waves is about.

The grammar, parsed in one place (:meth:`Metric.parse`) and written in one
place (:meth:`Metric.format`)::

    metric  = "complaints." field              complaints.count, complaints.resolved_within_target
            | "customers." field               customers.retention_rate, customers.churn_rate, customers.lost
            | [survey "."] figure              css.index, css.dimension.delivery, top2.q1
    figure  = "index" | "nps"
            | ("dimension" | "item" | "top2") "." id

An objective names its survey (``css.nps``); a change between two waves of one
survey does not (``dimension.delivery``). When a name reads both ways
(``dimension.index``), the reading without a survey wins: the survey is what
precedes the first keyword that starts a figure. Pure: no loading,
no figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

Kind = Literal["index", "nps", "dimension", "item", "top2", "complaints", "customers"]

WAVE_FIGURES = ("index", "nps")  # a figure of a whole wave: no id
KEYED_FIGURES = ("dimension", "item", "top2")  # a figure of one dimension or item: its id follows
COMPLAINT_METRICS = (
    "complaints.count",
    "complaints.acknowledged_within_target",
    "complaints.resolved_within_target",
    "complaints.resolution_p90_days",
)
# the customer list's metrics (latest period); customers.<other> still reads as a survey named customers
CUSTOMER_METRICS = ("customers.retention_rate", "customers.churn_rate", "customers.lost")


@dataclass(frozen=True, slots=True)
class Metric:
    """One metric: ``kind`` (a wave figure, a dimension or item figure, or ``complaints``),
    ``key`` (the dimension or item id, or the complaints field; None for ``index`` and ``nps``)
    and ``survey`` (None for a complaints metric and for a change within one survey)."""

    kind: Kind
    key: str | None = None
    survey: str | None = None

    @classmethod
    def parse(cls, name: str) -> Metric:
        """The metric a name stands for; ``ValueError`` naming it when it follows no rule of the grammar.

        The survey is what precedes the first figure keyword that starts a figure (a survey id
        may hold dots); a dimension or item id is the rest of the name after its keyword."""
        parts = name.split(".") if isinstance(name, str) else [""]
        if all(parts):
            if parts[0] == "complaints" and len(parts) > 1:
                return cls("complaints", ".".join(parts[1:]))
            if name in CUSTOMER_METRICS:
                return cls("customers", parts[1])
            for i, part in enumerate(parts):
                if part in WAVE_FIGURES and i == len(parts) - 1 or part in KEYED_FIGURES and i < len(parts) - 1:
                    key = ".".join(parts[i + 1 :]) or None
                    return cls(part, key, ".".join(parts[:i]) or None)  # type: ignore[arg-type]
        raise ValueError(
            f"expected a metric such as css.index, css.nps, css.dimension.<id>, top2.<id>, "
            f"complaints.count or customers.retention_rate, got {name!r}"
        )

    def format(self) -> str:
        """The metric's name (``Metric.parse(m.format()) == m``)."""
        tail = self.kind if self.key is None else f"{self.kind}.{self.key}"
        return tail if self.survey is None else f"{self.survey}.{tail}"

    def within(self, survey: str | None) -> Metric:
        """The same metric of ``survey`` (None: of no survey in particular)."""
        return Metric(self.kind, self.key, survey)

    def __str__(self) -> str:
        return self.format()


class _Dimension(Protocol):
    id: str


class _Survey(Protocol):
    id: str
    recommend: str | None

    @property
    def dimensions(self) -> Iterable[_Dimension]: ...  # pragma: no cover - a protocol


def known_metrics(surveys: Iterable[_Survey], complaints: bool, customers: bool = False) -> set[str]:
    """Every metric name an objective may refer to: the complaints metrics (when there is a
    complaints log), the customer-list metrics (when a customer list is declared), and per survey
    its index, its NPS (with a recommend item) and each dimension."""
    names: set[str] = set(COMPLAINT_METRICS) if complaints else set()
    names.update(CUSTOMER_METRICS if customers else ())
    for s in surveys:
        names.add(Metric("index", survey=s.id).format())
        if s.recommend:
            names.add(Metric("nps", survey=s.id).format())
        names.update(Metric("dimension", d.id, s.id).format() for d in s.dimensions)
    return names
