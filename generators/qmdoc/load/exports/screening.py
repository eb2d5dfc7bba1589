"""Screening (``source.include``, ``source.screen``): which rows leave before the figures, and why.

A row counts under the first reason that applies, in the order of
``EXCLUSION_REASONS``: ``filter`` (an include column without a wanted value),
``speeders`` (faster than min_seconds or min_share of its wave's median time),
``straightline`` (five or more answers on the survey's scale, all the same).
"""

from __future__ import annotations

import statistics

from ...models import Survey
from ..csv import describe_answer
from .platforms import DEFAULT_INCLUDE
from .table import Table, _Report
from .values import _matches, _number, parse_duration

EXCLUSION_REASONS = ("filter", "speeders", "straightline")


def screened(s: Survey) -> bool:
    """Whether the survey's rows are screened (and exclusion counts reported)."""
    return bool(s.source.include or DEFAULT_INCLUDE.get(s.source.format) or s.source.screen)


def screen_rows(table: Table, s: Survey, waves: list[str | None], include_js: list[tuple[int | None, list]],
                duration_j: int | None, item_js: list[int | None], report: _Report) -> list[str | None]:
    """Why each row of ``table`` is screened out (None: kept)."""
    rows = table.rows
    n = len(rows)
    screen = s.source.screen
    reason: list[str | None] = [None] * n
    for j, wanted in include_js:
        for r, row in enumerate(rows):
            if reason[r] is None and not _matches(row[j], wanted):
                reason[r] = "filter"
    if duration_j is not None and (screen.min_seconds or screen.min_share):
        _speeders(table, s, waves, duration_j, reason, report)
    if screen and screen.straightline:
        _straightline(table, s, item_js, reason)
    return reason


def _speeders(table: Table, s: Survey, waves: list[str | None], duration_j: int, reason: list[str | None],
              report: _Report) -> None:
    """Mark the rows answered faster than the limit (the durations that do not parse are reported)."""
    rows = table.rows
    n = len(rows)
    screen = s.source.screen
    seconds: list[float | None] = []
    for r, row in enumerate(rows):
        cell = row[duration_j]
        value = parse_duration(cell) if cell is not None else None
        if cell is not None and value is None:
            report.add(table.lines[r], screen.duration, "expected a duration such as 588秒, 123 or 00:09:48, "
                       f"got {describe_answer(cell)}", "duration")
        seconds.append(value)
    medians = {}
    if screen.min_share:
        by_wave: dict[str, list[float]] = {}
        for r in range(n):
            if reason[r] is None and seconds[r] is not None:
                by_wave.setdefault(waves[r], []).append(seconds[r])
        medians = {w: statistics.median(v) for w, v in by_wave.items()}
    for r in range(n):
        if reason[r] is not None or seconds[r] is None:
            continue
        limit = max(screen.min_seconds or 0, (screen.min_share or 0) * medians.get(waves[r], 0))
        if seconds[r] < limit:
            reason[r] = "speeders"


def _straightline(table: Table, s: Survey, item_js: list[int | None], reason: list[str | None]) -> None:
    """Mark the rows whose answers on the survey's scale are five or more, all the same."""
    # the items on the survey's scale (a 0..10 recommend item is another question type)
    rated_js = [j for i, j in zip(s.all_items(), item_js) if i.scale is None or i.scale == s.scale]
    sc = s.scale
    for r, row in enumerate(table.rows):
        if reason[r] is not None:
            continue
        answers = set()
        count = 0
        for j in rated_js:
            num = _number(row[j])
            if num is not None and sc.min <= num <= sc.max:
                answers.add(num)
                count += 1
        if count >= 5 and len(answers) == 1:
            reason[r] = "straightline"


def exclusion_counts(s: Survey, waves: list[str | None], reason: list[str | None]) -> dict[str, dict[str, int]]:
    """The rows screened out per wave and reason; {} when the survey screens nothing."""
    excluded: dict[str, dict[str, int]] = {}
    if screened(s):
        for r in range(len(waves)):
            counts = excluded.setdefault(waves[r], dict.fromkeys(EXCLUSION_REASONS, 0))
            if reason[r] is not None:
                counts[reason[r]] += 1
    return excluded
