"""The changes from the previous wave that are statistically significant."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import Change, SurveyFigures, WaveFigures
from ...metric import Metric
from ...render import fmt
from ..context import field
from .format import NBSP, SurveyPage, p_value, pct, signed


def wave_changes(fig: SurveyFigures, latest: WaveFigures, previous: WaveFigures | None) -> dict[str, Change]:
    """Metric -> its change from the previous wave to the latest one ({} with a single wave)."""
    if previous is None:
        return {}
    return {c.metric: c for c in fig.changes if c.from_wave == previous.wave and c.to_wave == latest.wave}


@dataclass(frozen=True)
class ChangeRow:
    """One significant change."""

    measure: str = field("what changed: the index, the NPS, a dimension, an item's score or top-2-box")
    before: Markup = field("its value in the previous wave")
    after: Markup = field("its value in the latest wave")
    change: Markup = field("the change with its unit")
    p: Markup = field("the test's p-value")
    mark: str = field("the word 'significant', translated")


@dataclass(frozen=True)
class ChangesView:
    """The significant changes section."""

    intro: str = field("which waves are compared, or that there is a single wave")
    rows: tuple[ChangeRow, ...] = field("the significant changes, in metric order")
    none: str | None = field("the sentence saying no change is significant; None when some are")


def _describe(page: SurveyPage, metric: str, latest: WaveFigures, previous: WaveFigures) -> tuple[str, Markup, Markup, str]:
    """Label, value in the previous and in the latest wave, unit suffix of the change."""
    t = page.t
    m = Metric.parse(metric)
    kind, key = m.kind, m.key
    points = f"{NBSP}{t['points']}"
    items = {i.id: i for i in page.survey.all_items()}
    if kind == "index":
        return t["index"], fmt(previous.index.value), fmt(latest.index.value), points
    if kind == "nps":
        return t["nps"], fmt(previous.nps.value), fmt(latest.nps.value), points
    if kind == "dimension":
        return (f"{t['dimension']}: {page.title(key)}", fmt(previous.dimensions[key].score),
                fmt(latest.dimensions[key].score), points)
    if kind == "item":
        return (f"{t['item_score']}: {key} {items[key].text}", fmt(previous.items[key].score),
                fmt(latest.items[key].score), points)
    if kind == "top2":
        return (f"{t['top2']}: {key} {items[key].text}", pct(previous.items[key].top2),
                pct(latest.items[key].top2), f"{NBSP}{t['unit_pp']}")
    return metric, Markup("—"), Markup("—"), ""


def changes_view(page: SurveyPage, latest: WaveFigures, previous: WaveFigures | None,
                 changes: dict[str, Change]) -> ChangesView:
    t = page.t
    if previous is None:
        return ChangesView(intro=t("single_wave", wave=latest.wave), rows=(), none=None)
    rows = []
    for metric, c in changes.items():
        if not c.significant:
            continue
        label, before, after, unit = _describe(page, metric, latest, previous)
        scale = 100.0 if Metric.parse(metric).kind == "top2" else 1.0
        rows.append(ChangeRow(measure=label, before=before, after=after, change=signed(c.delta * scale, 1, unit),
                              p=p_value(c.p), mark=t["significant"]))
    return ChangesView(intro=t("changes_intro", previous=previous.wave, latest=latest.wave), rows=tuple(rows),
                       none=None if rows else t("no_significant_changes", previous=previous.wave, latest=latest.wave))
