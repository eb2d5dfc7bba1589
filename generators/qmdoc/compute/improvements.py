"""Did the improvement work? A survey score before an improvement action against each wave after it (pure).

Definitions:

* The input is the per-wave figures of the dimension (or item) the action
  aims at: ``(wave label, date, score, se, n)``, the date the wave ended (or
  its date), the 0–100 score and its standard error. Waves without a score
  are left out; the others are taken in order of date (equal dates: in the
  given order).
* *Before* is the last wave dated on or before the action's date; *after*
  are the waves dated after it. Without a wave before, or without a wave
  after, there is nothing to compare (``before`` None or ``after`` empty,
  ``verdict`` None).
* Per wave after: ``delta = score_after - score_before``, tested as the
  survey's changes between waves test the same metric (see
  :mod:`qmdoc.compute.survey`): a dimension (or the index) by the z-test on
  the difference, ``z = delta / sqrt(se1^2 + se2^2)``
  (:func:`~qmdoc.compute.stats.difference_z_test`) with the normal interval
  ``delta -/+ z * sqrt(se1^2 + se2^2)``; an item by Welch's t-test on the two
  waves' 0–100 means with ``sd = se * sqrt(n)``
  (:func:`~qmdoc.compute.stats.welch_t_test`) with the Welch interval
  ``delta -/+ t(df) * sqrt(se1^2 + se2^2)``. Two-sided ``p``; ``significant =
  p < alpha`` (the survey's alpha); an undefined test (a missing or zero
  standard error, fewer than 2 answers for Welch) has ``p`` and ``ci`` None
  and is not significant.
* Verdict of a wave after: ``improved`` (significant, delta > 0), ``worse``
  (significant, delta < 0), else ``no significant change``. The action's
  ``verdict`` is that of the latest wave after.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from . import stats


__all__ = ["IMPROVED", "NO_CHANGE", "WORSE", "VERDICTS", "WaveScore", "AfterWave", "Evaluation",
           "evaluate_improvement", "evaluation_as_json"]

Interval = tuple[float, float]

IMPROVED = "improved"
NO_CHANGE = "no significant change"
WORSE = "worse"
VERDICTS = (IMPROVED, NO_CHANGE, WORSE)


@dataclass(frozen=True)
class WaveScore:
    """One wave's score (0–100) of the action's dimension or item, with its se and n."""

    wave: str
    date: date
    score: float
    se: float | None
    n: int


def _scores(waves: Sequence[tuple[str, date, float | None, float | None, int]]) -> list[WaveScore]:
    """The waves with a score, in order of date (a stable sort)."""
    have = [WaveScore(str(w), d, float(s), None if se is None else float(se), int(n))
            for w, d, s, se, n in waves if s is not None]
    return sorted(have, key=lambda w: w.date)


@dataclass(frozen=True)
class AfterWave:
    """A wave after the action against the wave before: ``delta`` (0–100 points) with its
    interval, p, significance and verdict."""

    wave: str
    date: date
    score: float
    n: int
    delta: float
    ci: Interval | None
    p: float | None
    significant: bool
    verdict: str


def _compare(before: WaveScore, after: WaveScore, kind: str, alpha: float, confidence: float) -> AfterWave:
    delta = after.score - before.score
    p: float | None = None
    ci: Interval | None = None
    if before.se is not None and after.se is not None:
        se = math.sqrt(before.se * before.se + after.se * after.se)
        if kind == "item":
            test = stats.welch_t_test(before.score, before.se * math.sqrt(before.n), before.n,
                                      after.score, after.se * math.sqrt(after.n), after.n)
            q = None if test is None else stats.t_quantile(confidence, test[1])
        else:
            test = stats.difference_z_test(delta, before.se, after.se)
            q = stats.z_value(confidence)
        if test is not None and math.isfinite(test[-1]):
            p = float(test[-1])
            ci = (delta - q * se, delta + q * se)
    significant = p is not None and p < alpha
    verdict = NO_CHANGE if not significant else (IMPROVED if delta > 0 else WORSE)
    return AfterWave(after.wave, after.date, after.score, after.n, float(delta), ci, p, significant, verdict)


@dataclass(frozen=True)
class Evaluation:
    """The evaluation of one improvement action on its dimension or item (``kind``): the
    wave before, each wave after, and the verdict of the latest (None: nothing to compare)."""

    id: str
    target: str
    kind: str
    date: date
    before: WaveScore | None
    after: tuple[AfterWave, ...]
    verdict: str | None


def evaluate_improvement(
    action: str,
    action_date: date,
    target: str,
    waves: Sequence[tuple[str, date, float | None, float | None, int]],
    *,
    kind: Literal["dimension", "item", "index"] = "dimension",
    alpha: float = 0.05,
    confidence: float = 0.95,
) -> Evaluation:
    """Evaluate improvement action ``action`` (dated ``action_date``) on ``target``, a
    dimension, item or the index (``kind``), from its per-wave
    ``(wave, date, score, se, n)`` (see the module docstring)."""
    if kind not in ("dimension", "item", "index"):
        raise ValueError(f"improvement {action}: expected a dimension, an item or the index, got {kind!r}")
    scores = _scores(waves)
    before_waves = [w for w in scores if w.date <= action_date]
    before = before_waves[-1] if before_waves else None
    after: tuple[AfterWave, ...] = ()
    if before is not None:
        after = tuple(_compare(before, w, kind, alpha, confidence) for w in scores if w.date > action_date)
    verdict = after[-1].verdict if after else None
    return Evaluation(action, target, kind, action_date, before, after, verdict)


def evaluation_as_json(ev: Evaluation) -> dict:
    """One entry of a survey's ``"improvements"`` JSON: ``{"id", <kind>: target, "date", "before":
    {"wave", "score"} | None, "after": [{"wave", "score", "delta", "ci", "p", "significant",
    "verdict"}], "verdict"}`` (``<kind>`` is ``dimension``, ``item`` or ``index``)."""
    return {
        "id": ev.id,
        ev.kind: ev.target,
        "date": ev.date.isoformat(),
        "before": None if ev.before is None else {"wave": ev.before.wave, "score": ev.before.score},
        "after": [
            {"wave": a.wave, "score": a.score, "delta": a.delta, "ci": None if a.ci is None else list(a.ci),
             "p": a.p, "significant": a.significant, "verdict": a.verdict}
            for a in ev.after
        ],
        "verdict": ev.verdict,
    }
