"""Lost-customer survey figures: why they left, where they went, would they come back (pure).

Definitions:

* An answer is a text; blanks (None, NaN, empty or blank text) are no answer.
  A multiple-choice answer is split on wjx's ``┋`` and, when one is declared,
  on the survey's own separator; each part is stripped, blank parts dropped,
  and a reason named twice in one answer counts once.
* Reasons for leaving, as a Pareto: ``respondents`` = those who gave at least
  one reason; per reason ``count`` = respondents who named it, ``share`` =
  ``100 * count / respondents`` (percent of respondents; with multiple choice
  the shares add up to more than 100), ``cumulative`` = ``100 *`` the
  running sum of counts ``/ mentions`` (percent of all mentions, the Pareto
  line that ends at 100). Reasons in order of count, most first, ties by name.
* Where they went: the same, on a single-choice competitor column (no
  splitting).
* Small cells: a reason (or competitor) named by fewer than ``min_cell_n``
  respondents is suppressed: ``count``, ``share`` and ``cumulative`` are None,
  ``suppressed`` True, and it is listed after the others, by name (its place
  in the order would tell its size). ``respondents`` and ``mentions`` are
  published as every survey ``n`` is and still count the suppressed answers,
  so the shown shares are those of the whole Pareto and the suppressed
  reasons' mentions together are ``mentions`` minus the shown ones. So that
  this sum never is one reason's count, when exactly one reason is below
  ``min_cell_n`` the least named of the others (the last shown) is
  suppressed with it.
* Win-back likelihood on 0..10 (valid: a number from 0 to 10; NaN missing;
  anything else raises ``ValueError``, a guard after the loader): ``n``, the
  ``mean`` on 0..10 with its t-interval, the shares (0..1) of 9–10
  (``likely``) and of 0–6 (``unlikely``), and the NPS-like ``net`` =
  ``100 * (share 9–10 - share 0–6)`` with the standard error and normal
  interval of :func:`~qmdoc.compute.stats.net_promoter_score`.

Figures that cannot be computed are ``None``, never NaN.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import stats

__all__ = [
    "WJX_SEPARATOR",
    "ParetoRow",
    "Pareto",
    "WinBack",
    "LostFigures",
    "split_answer",
    "pareto",
    "win_back",
    "compute_lost_figures",
]

Interval = tuple[float, float]

#: The separator wjx (问卷星) puts between the options of a multiple-choice answer.
WJX_SEPARATOR = "┋"


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def split_answer(value: object, separator: str | None = None, *, multiple: bool = True) -> tuple[str, ...]:
    """The distinct options of one answer, in order of first appearance (see the module docstring)."""
    if _blank(value):
        return ()
    text = str(value)
    if not multiple:
        return (text.strip(),)
    parts = [text]
    for sep in (WJX_SEPARATOR, separator):
        if sep:
            parts = [piece for part in parts for piece in part.split(sep)]
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


@dataclass(frozen=True)
class ParetoRow:
    """One reason (or competitor): respondents naming it, percent of respondents, cumulative
    percent of mentions; all None when ``suppressed``."""

    label: str
    count: int | None
    share: float | None
    cumulative: float | None
    suppressed: bool


@dataclass(frozen=True)
class Pareto:
    """Answers counted per option: respondents answering, mentions, rows most named first
    (suppressed rows last, by name)."""

    respondents: int
    mentions: int
    rows: tuple[ParetoRow, ...]


def pareto(answers: Iterable[Sequence[str]], min_cell_n: int) -> Pareto:
    """The Pareto of split answers (one sequence of distinct options per respondent)."""
    counts: dict[str, int] = {}
    respondents = 0
    for options in answers:
        if options:
            respondents += 1
        for option in dict.fromkeys(options):
            counts[option] = counts.get(option, 0) + 1
    mentions = sum(counts.values())
    order = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown: list[ParetoRow] = []
    hidden: list[ParetoRow] = []
    running = 0
    for label, count in order:
        running += count
        if count < min_cell_n:
            hidden.append(ParetoRow(label, None, None, None, True))
            continue
        shown.append(ParetoRow(label, count, 100.0 * count / respondents, 100.0 * running / mentions, False))
    if len(hidden) == 1 and shown:  # one hidden count would follow from the others: hide the next too
        last = shown.pop()
        hidden.append(ParetoRow(last.label, None, None, None, True))
    hidden.sort(key=lambda r: r.label)
    return Pareto(respondents, mentions, tuple(shown + hidden))


@dataclass(frozen=True)
class WinBack:
    """Win-back likelihood on 0..10: mean and t-interval on 0..10, shares (0..1) of 9–10 and
    0–6, and the NPS-like net (-100..100) with its se and interval."""

    n: int
    mean: float | None
    ci: Interval | None
    likely: float | None
    unlikely: float | None
    net: float | None
    net_se: float | None
    net_ci: Interval | None


def win_back(values: Sequence[float] | np.ndarray | pd.Series, confidence: float = 0.95) -> WinBack:
    """Win-back figures of the 0..10 answers (see the module docstring)."""
    x = pd.to_numeric(pd.Series(values, dtype=object), errors="raise").to_numpy(dtype=np.float64)
    x = x[~np.isnan(x)]
    bad = x[(x < 0) | (x > 10) | ~np.isfinite(x)]
    if bad.size:
        raise ValueError(f"win-back likelihood: value {bad[0]:g} is outside the scale 0..10")
    n = int(x.size)
    if n == 0:
        return WinBack(0, None, None, None, None, None, None, None)
    likely = int(np.count_nonzero(x >= 9))
    unlikely = int(np.count_nonzero(x <= 6))
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if n >= 2 else None
    net, se = stats.net_promoter_score(likely, n - likely - unlikely, unlikely)
    return WinBack(
        n=n,
        mean=mean,
        ci=stats.t_interval(mean, sd, n, confidence),
        likely=likely / n,
        unlikely=unlikely / n,
        net=net,
        net_se=se,
        net_ci=stats.normal_interval(net, se, confidence),
    )


@dataclass(frozen=True)
class LostFigures:
    """The figures of one wave of a lost-customer survey; a part is None when the survey
    does not ask it."""

    n: int  # rows (respondents) of the wave
    reasons: Pareto | None
    went_to: Pareto | None
    win_back: WinBack | None


def compute_lost_figures(
    responses: pd.DataFrame,
    *,
    min_cell_n: int,
    reasons: Sequence[str] = (),
    multiple: bool = True,
    separator: str | None = None,
    competitor: str | None = None,
    win_back_column: str | None = None,
    confidence: float = 0.95,
) -> LostFigures:
    """Lost-customer figures of one wave's ``responses`` (one row per respondent).

    ``reasons``: the reason column, or several (one per option, as some exports give
    a multiple choice): a respondent's reasons are the options of all of them together;
    ``multiple``: split the answers (see :func:`split_answer`); ``competitor``: the
    column naming where the respondent went; ``win_back_column``: the 0..10 item.
    """
    missing = [c for c in (*reasons, competitor, win_back_column) if c is not None and c not in responses.columns]
    if missing:
        raise ValueError(f"lost-customer responses lack the column(s) {', '.join(missing)}")
    reason_pareto = None
    if reasons:
        columns = [responses[c].tolist() for c in reasons]
        answers = [
            tuple(dict.fromkeys(o for v in row for o in split_answer(v, separator, multiple=multiple)))
            for row in zip(*columns)
        ]
        reason_pareto = pareto(answers, min_cell_n)
    went_to = None
    if competitor is not None:
        went_to = pareto((split_answer(v, multiple=False) for v in responses[competitor].tolist()), min_cell_n)
    back = win_back(responses[win_back_column], confidence) if win_back_column is not None else None
    return LostFigures(len(responses), reason_pareto, went_to, back)
