"""The satisfaction report page of one survey: its context, assembled from the sections' views."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import SurveyFigures, WaveFigures
from ...i18n import Catalogue
from ...project import SurveyData
from ...manual_charts import ChartRef, SurveyCharts
from ...markdown import code
from ...models import Survey
from ...render import fmt
from ..context import field
from ..labels import ITEM_ROLES
from .changes import ChangesView, changes_view, wave_changes
from .comments import CommentsView, comments_view
from .competitors import CompetitorsView, competitors_view
from .dimensions import DimensionsView, dimensions_view
from .drivers import DriversView, drivers_view
from .format import NBSP, SurveyPage, ci, pct, scale_text
from .internal import InternalView, internal_view
from .ipa import IpaView, ipa_view
from .items import ItemsView, items_view
from .loyalty import LoyaltyView, loyalty_view
from .lost import LostView, lost_view
from .nps import NpsView, nps_view
from .segments import SegmentView, segments_view
from .structural import StructuralView, structural_view
from .weighting import WeightingView, weighting_view
from .gaps import GapsView, gaps_view
from .improvements import ImprovementsView, improvements_view


@dataclass(frozen=True)
class WaveRow:
    """One wave's sample and index."""

    wave: str = field("the wave's name")
    n: int = field("respondents")
    response_rate: Markup | None = field("response rate in %; None without a population")
    moe: Markup | None = field("margin of error in percentage points; None without a population")
    index: Markup = field("satisfaction index")
    ci: Markup = field("the index's 95 % interval")
    excluded: str | None = field("the rows screened out, per reason; None without screening")


@dataclass(frozen=True)
class InstrumentRow:
    """One question of the survey, shown before the first wave."""

    dimension: str = field("the dimension's title on its first item's row ('' after), or the item's role")
    weight: str | None = field("the dimension's weight on its first item's row ('' after; None: not weighted)")
    item: str = field("item id")
    text: str = field("the question")
    scale: str = field("the answer scale, e.g. 1–5")


@dataclass(frozen=True)
class SatisfactionContext:
    """One survey's satisfaction report page; before the first wave only ``empty`` and ``instrument``."""

    title: str = field("the survey's title, the page heading")
    intro: str = field("the sentence saying the figures come from the data")
    empty: Markup | str | None = field("why there are no figures yet; None once there are")
    instrument: tuple[InstrumentRow, ...] = field("what the survey asks, shown before the first wave", default=())
    latest: WaveRow | None = field("the latest wave's sample and index", default=None)
    previous_wave: str | None = field("the previous wave's name; None with a single wave", default=None)
    sample: tuple[WaveRow, ...] = field("sample and index per wave, latest first", default=())
    index_chart: Markup | None = field("the index trend chart (interval band, target line)", default=None)
    dimensions: DimensionsView | None = field("dimension scores", default=None)
    items: ItemsView | None = field("item scores", default=None)
    nps: NpsView | None = field("NPS per wave; None without a recommend item", default=None)
    changes: ChangesView | None = field("significant changes from the previous wave", default=None)
    segments: tuple[SegmentView, ...] = field("the breakdown by each segment column", default=())
    ipa: IpaView | None = field("importance-performance analysis; None without importance", default=None)
    drivers: DriversView | None = field("key drivers of overall satisfaction; None without an overall item",
                                        default=None)
    competitors: CompetitorsView | None = field("competitor comparison; None unless declared", default=None)
    loyalty: LoyaltyView | None = field("loyalty items; None unless declared", default=None)
    internal: InternalView | None = field("internal supplier x customer matrix; None unless declared",
                                          default=None)
    structural: StructuralView | None = field("the structural (PLS path) model; None unless declared",
                                              default=None)
    comments: CommentsView | None = field("what customers wrote; None unless the survey declares comment columns",
                                          default=None)
    small_note: str | None = field("what the suppressed-cell label means", default=None)
    weighting: WeightingView | None = field("how the latest wave is weighted; None unweighted", default=None)
    gaps: GapsView | None = field("service-quality gaps; None unless items declare an expectation column",
                                  default=None)
    improvements: ImprovementsView | None = field("improvement actions evaluated; None unless declared",
                                                  default=None)
    lost: LostView | None = field("reasons for leaving, where they went, win-back; None unless kind lost",
                                  default=None)


def _wave_row(w: WaveFigures, t: Catalogue) -> WaveRow:
    return WaveRow(
        wave=w.wave, n=w.n, response_rate=pct(w.response_rate) if w.response_rate is not None else None,
        moe=fmt(w.margin_of_error, 1, f"{NBSP}{t['unit_pp']}") if w.margin_of_error is not None else None,
        index=fmt(w.index.value if w.index else None), ci=ci(w.index.ci if w.index else None),
        excluded=t("excluded_line", **w.excluded) if w.excluded is not None else None)


def _instrument(survey: Survey, t: Catalogue) -> tuple[InstrumentRow, ...]:
    """What the survey asks, in questionnaire order: shown while there are no figures yet. A dimension's
    title and weight stand on its first item's row; an item outside the dimensions is named by its role."""
    rows = []
    for d in survey.dimensions:
        for k, i in enumerate(d.items):
            first = k == 0
            rows.append(InstrumentRow(dimension=d.title if first else "", item=i.id, text=i.text,
                                      scale=scale_text(survey, i),
                                      weight=(f"{d.weight:g}" if d.weight is not None else None) if first else ""))
    overall, recommend, loyalty, other = ITEM_ROLES
    roles = {survey.overall: overall, survey.recommend: recommend, **{i: loyalty for i in survey.loyalty}}
    for i in survey.items:
        rows.append(InstrumentRow(dimension=t[f"item_role_{roles.get(i.id, other)}"], weight="", item=i.id,
                                  text=i.text, scale=scale_text(survey, i)))
    return tuple(rows)


def _index_chart(page: SurveyPage, chart: ChartRef, waves: list[WaveFigures], target: float | None) -> Markup:
    t = page.t
    values = [w.index.value if w.index else None for w in waves]
    target_label = f"{t['target']} {target:g}" if target is not None else ""
    described = ", ".join(f"{w.wave} {'—' if v is None else f'{v:.1f}'} (n = {w.n})" for w, v in zip(waves, values))
    return page.image(chart, f"{t['index_trend_chart']}: {described}" + (f"; {target_label}" if target_label else ""))


def satisfaction_view(sd: SurveyData, fig: SurveyFigures, t: Catalogue, charts: SurveyCharts,
                      targets: Mapping[str, float] | None = None, *,
                      action_url: str | None = None) -> SatisfactionContext:
    """The context of one survey's page from its figures and the charts the chart stage drew for it.

    ``action_url``: the organization's ``corrective_action_url`` (an improvement action's id links there).

    ``targets`` maps an objective's metric (``"<survey>.index"``, ...) to its target value: the index
    target is named in the trend chart's alternative text (the chart stage draws it).
    """
    survey = sd.survey
    base = {"title": survey.title, "intro": t["figures_from_data"]}
    waves = list(fig.waves)
    if not waves:
        empty = t["no_responses"] if sd.files else Markup(t("no_survey_data_text",
                                                            folder=code(f"data/surveys/{survey.id}/")))
        return SatisfactionContext(**base, empty=empty, instrument=_instrument(survey, t))
    page = SurveyPage.of(survey, t)
    latest = waves[-1]
    previous = waves[-2] if len(waves) > 1 else None
    changes = wave_changes(fig, latest, previous)
    return SatisfactionContext(
        **base, empty=None,
        latest=_wave_row(latest, t),
        previous_wave=previous.wave if previous else None,
        sample=tuple(_wave_row(w, t) for w in reversed(waves)),
        index_chart=_index_chart(page, charts.index, waves, (targets or {}).get(f"{survey.id}.index")),
        dimensions=dimensions_view(page, charts.dimensions, latest, previous, changes),
        items=items_view(page, charts.items, latest),
        nps=nps_view(page, charts.nps, waves),
        changes=changes_view(page, latest, previous, changes),
        segments=segments_view(page, charts.segments, latest),
        ipa=ipa_view(page, charts.ipa, latest),
        drivers=drivers_view(page, charts.drivers, latest),
        competitors=competitors_view(page, charts.competitors, latest),
        loyalty=loyalty_view(page, latest),
        internal=internal_view(page, charts.internal, latest),
        structural=structural_view(page, charts.pls, charts.ipma, latest, previous),
        small_note=t("small_cell_note", n=survey.min_cell_n, label=page.small),
        weighting=weighting_view(page, latest),
        gaps=gaps_view(page, charts.gaps, fig, latest, previous),
        improvements=improvements_view(page, charts.improvements, fig, action_url),
        lost=lost_view(page, charts.lost_reasons, latest),
        comments=comments_view(page, charts.comments, waves),
    )
