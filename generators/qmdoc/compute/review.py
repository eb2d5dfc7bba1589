"""Management review input pack (ISO 9001 9.3.2 b, c): what the period's data say, and what needs a decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..metric import Metric
from .complaints import ComplaintFigures
from .control import ClauseRow
from .customers import CustomerFigures, PeriodFigures
from .lost import ParetoRow
from .objectives import ObjectiveResult

REVIEW_HORIZON_DAYS = 90
OVERDUE_AGE_DAYS = 30


@dataclass(frozen=True)
class SurveySummary:
    """The latest wave of a survey beside the previous one; ``wave`` None (and ``n`` 0) before the first wave."""

    survey: str
    wave: str | None
    previous_wave: str | None
    index: float | None
    previous_index: float | None
    index_change_significant: bool
    nps: float | None
    previous_nps: float | None
    n: int


@dataclass(frozen=True)
class Decision:
    """One matter for top management; ``kind`` selects its wording in the catalogue."""

    kind: str  # objective_not_met | significant_decline | overdue_complaints | review_due | clause_gap
    subject: str
    values: tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class LostSummary:
    """A lost-customer survey's latest wave: respondents giving a reason and the (at most three) largest
    published reasons for leaving."""

    survey: str
    wave: str
    respondents: int
    reasons: tuple[ParetoRow, ...]


REVIEW_REASONS = 3  # the largest reasons for leaving the review lists
REVIEW_PERIODS = 4  # the latest periods of the retention trend the review shows


def lost_summaries(surveys: dict) -> tuple[LostSummary, ...]:
    """The largest published reasons for leaving of each lost-customer survey's latest wave."""
    out = []
    for sid, fig in surveys.items():
        latest = fig.waves[-1] if fig.waves else None
        if latest is None or latest.lost is None or latest.lost.reasons is None:
            continue
        shown = tuple(r for r in latest.lost.reasons.rows if not r.suppressed)[:REVIEW_REASONS]
        out.append(LostSummary(sid, latest.wave, latest.lost.reasons.respondents, shown))
    return tuple(out)


@dataclass(frozen=True)
class ReviewPack:
    surveys: tuple[SurveySummary, ...]
    objectives: tuple[ObjectiveResult, ...]
    complaints: ComplaintFigures | None
    decisions: tuple[Decision, ...]
    lost: tuple[LostSummary, ...] = ()  # lost-customer surveys: the largest reasons for leaving
    retention: tuple[PeriodFigures, ...] = ()  # the customer list's latest periods (totals), oldest first


def review_pack(surveys: dict, objectives: tuple[ObjectiveResult, ...], complaints: ComplaintFigures | None,
                documents: list, matrix: tuple[ClauseRow, ...], today: dt.date,
                customers: CustomerFigures | None = None) -> ReviewPack:
    summaries = []
    decisions: list[Decision] = []
    for sid, fig in surveys.items():
        if not fig.waves:
            summaries.append(SurveySummary(sid, None, None, None, None, False, None, None, 0))
            continue
        latest = fig.waves[-1]
        prev = fig.waves[-2] if len(fig.waves) > 1 else None
        sig = {c.metric: c for c in fig.changes if c.to_wave == latest.wave}
        summaries.append(SurveySummary(
            sid, latest.wave, prev.wave if prev else None,
            latest.index.value if latest.index else None,
            prev.index.value if prev and prev.index else None,
            bool(sig.get("index") and sig["index"].significant),
            latest.nps.value if latest.nps else None,
            prev.nps.value if prev and prev.nps else None,
            latest.n,
        ))
        for metric, change in sorted(sig.items()):
            m = Metric.parse(metric)
            if change.significant and change.delta < 0 and m.kind in ("index", "nps", "dimension"):
                decisions.append(Decision("significant_decline", m.within(sid).format(),
                                          (("wave", latest.wave), ("delta", change.delta), ("p", change.p))))
    for r in objectives:
        if r.status == "not_met":
            decisions.append(Decision("objective_not_met", r.objective.id,
                                      (("title", r.objective.title), ("actual", r.actual),
                                       ("target", r.objective.target), ("period", r.period))))
    if complaints is not None:
        overdue = sum(n for (lo, hi), n in complaints.backlog if lo > OVERDUE_AGE_DAYS)
        if overdue:
            decisions.append(Decision("overdue_complaints", "complaints", (("count", overdue),
                                                                         ("days", OVERDUE_AGE_DAYS))))
    horizon = today + dt.timedelta(days=REVIEW_HORIZON_DAYS)
    for d in documents:
        c = d.control
        if c.status != "obsolete" and c.review_due is not None and c.review_due <= horizon:
            decisions.append(Decision("review_due", c.id, (("title", c.title), ("date", c.review_due))))
    for row in matrix:
        if row.gap:
            decisions.append(Decision("clause_gap", row.clause, (("title", row.title),)))
    retention = () if customers is None else customers.periods[-REVIEW_PERIODS:]
    return ReviewPack(tuple(summaries), objectives, complaints, tuple(decisions), lost_summaries(surveys), retention)
