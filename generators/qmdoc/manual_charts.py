"""Chart stage: every chart the manual shows, drawn from the computed results.

:func:`draw_manual_charts` runs once per build, after compute and before
render. It draws each chart (through a :class:`~qmdoc.charts.ChartCache` when
one is given) and returns :class:`ManualCharts`: typed references (the
docs-relative path and the SVG bytes) that the page views receive. The views
only place a chart (a Markdown image with its alternative text); they never
draw one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from . import charts
from .compute.complaints import ComplaintFigures
from .compute.customers import CustomerFigures
from .compute.manual import ManualResults
from .compute.objectives import ObjectiveResult
from .compute.survey import SurveyFigures, WaveFigures
from .charts import drawing
from .i18n import Catalogue
from .project import Project, SurveyData
from .models import Procedure, Survey, wave_end
from .views.labels import competitor_names, dimension_titles, importance_kind, segment_name, small_cell_label

Draw = Callable[..., bytes]


@dataclass(frozen=True)
class ChartRef:
    """One drawn chart: where the site and the PDF find it, and its picture."""

    path: str  # relative to the docs folder, e.g. "charts/css-index.svg"
    svg: bytes


@dataclass(frozen=True)
class ComplaintCharts:
    """The three charts of the complaints page."""

    monthly: ChartRef
    pareto: ChartRef
    p90: ChartRef


@dataclass(frozen=True)
class SurveyCharts:
    """The charts of one survey's satisfaction page; None where the page has no such section."""

    index: ChartRef | None = None
    dimensions: ChartRef | None = None
    items: ChartRef | None = None
    nps: ChartRef | None = None
    segments: dict[str, ChartRef] = field(default_factory=dict)  # segment column -> its chart
    ipa: ChartRef | None = None
    drivers: ChartRef | None = None
    competitors: ChartRef | None = None
    internal: ChartRef | None = None
    pls: ChartRef | None = None
    ipma: ChartRef | None = None
    gaps: ChartRef | None = None  # expectation and perception per dimension
    improvements: dict[str, ChartRef] = field(default_factory=dict)  # action id -> its target's trend, marked
    lost_reasons: ChartRef | None = None  # a lost-customer survey: the Pareto of reasons for leaving
    comments: ChartRef | None = None  # comments per theme, latest wave

    def all(self) -> list[ChartRef]:
        """The charts in page order."""
        return [c for c in (self.index, self.dimensions, self.items, self.nps, *self.segments.values(), self.ipa,
                            self.drivers, self.competitors, self.internal, self.ipma, self.pls, self.gaps,
                            *self.improvements.values(), self.lost_reasons, self.comments) if c is not None]


@dataclass(frozen=True)
class ManualCharts:
    """Every chart of the manual, by the page that shows it."""

    objectives: dict[str, ChartRef] = field(default_factory=dict)  # objective id -> its trend
    objectives_status: ChartRef | None = None  # None when no objective has data yet
    flows: dict[str, ChartRef] = field(default_factory=dict)  # procedure id -> its process flow
    surveys: dict[str, SurveyCharts] = field(default_factory=dict)  # survey id -> its charts
    complaints: ComplaintCharts | None = None
    retention: ChartRef | None = None  # the customer list's retention rate per period

    def files(self) -> dict[str, bytes]:
        """Docs-relative path -> SVG bytes of every chart, in reading order."""
        refs = [*self.objectives.values(), *([self.objectives_status] if self.objectives_status else []),
                *self.flows.values(), *(c for s in self.surveys.values() for c in s.all())]
        if self.complaints is not None:
            refs += [self.complaints.monthly, self.complaints.pareto, self.complaints.p90]
        if self.retention is not None:
            refs.append(self.retention)
        return {r.path: r.svg for r in refs}


def draw_manual_charts(project: Project, results: ManualResults, t: Catalogue,
                       cache: charts.ChartCache | None = None) -> ManualCharts:
    """Draw every chart the manual shows; ``cache`` (optional) avoids redrawing unchanged charts."""
    draw = charts.draw_with(cache)
    targets = {o.metric: o.target for o in project.objectives.objectives}
    return ManualCharts(
        objectives=objective_charts(results.objectives, t, draw),
        objectives_status=objectives_status_chart(results.objectives, t, draw),
        flows={p.document.id: flow_chart(p, t, draw) for p in project.procedures if p.document.status != "obsolete"},
        surveys={sd.survey.id: survey_charts(sd, results.surveys[sd.survey.id], t, targets, draw)
                 for sd in project.surveys},
        complaints=complaint_charts(results.complaints, t, draw) if results.complaints is not None else None,
        retention=retention_chart(results.customers, targets.get("customers.retention_rate"), t, draw)
        if results.customers is not None else None,
    )


def _ref(path: str, draw: Draw, fn: Callable[..., bytes], *args: object, **kwargs: object) -> ChartRef:
    return ChartRef(path, draw(fn, *args, **kwargs))


# --------------------------------------------------------------- manual pages


def objective_charts(rows: tuple[ObjectiveResult, ...], t: Catalogue, draw: Draw) -> dict[str, ChartRef]:
    """Each objective's trend against its target; none for an objective without a series."""
    out = {}
    for r in rows:
        obj = r.objective
        if r.series:
            out[obj.id] = _ref(f"charts/objective-{obj.id}.svg", draw, drawing.trend, [s[0] for s in r.series],
                               [s[1] for s in r.series], None, None, None, title=f"{obj.id} {obj.title}",
                               ylabel=obj.unit, target=obj.target,
                               target_label=f"{t['target']} {t[obj.direction]} {obj.target:g}")
    return out


def objectives_status_chart(rows: tuple[ObjectiveResult, ...], t: Catalogue, draw: Draw) -> ChartRef | None:
    """The status of all objectives as bullets; None (no chart of nothing) when none has data."""
    if all(r.status == "no_data" for r in rows):
        return None
    return _ref("charts/objectives-status.svg", draw, drawing.bullets,
                [f"{r.objective.id} {r.objective.title}" for r in rows], [r.actual for r in rows],
                [r.objective.target for r in rows], [r.objective.unit for r in rows],
                [None if r.status == "no_data" else r.status == "met" for r in rows],
                title=t["chart_objectives_title"], target_label=t["chart_target_tick"],
                no_data_label=t["status_no_data"])


def flow_chart(proc: Procedure, t: Catalogue, draw: Draw) -> ChartRef:
    return _ref(f"charts/flow-{proc.document.id}.svg", draw, drawing.process_flow,
                [(s.actor, s.action) for s in proc.steps],
                f"{proc.document.id} {proc.document.title}", note=t["flow_note"])


def complaint_charts(fig: ComplaintFigures, t: Catalogue, draw: Draw) -> ComplaintCharts:
    res = fig.resolution
    return ComplaintCharts(
        monthly=_ref("charts/complaints-monthly.svg", draw, drawing.columns, [m for m, _ in fig.monthly],
                     [c for _, c in fig.monthly], title=t["chart_complaints_per_month"], ylabel=t["count"],
                     note=f"n = {fig.total}", tick_every=max(1, len(fig.monthly) // 12)),
        pareto=_ref("charts/complaints-pareto.svg", draw, drawing.pareto, [r.category for r in fig.pareto],
                    [r.count for r in fig.pareto], [r.cumulative for r in fig.pareto],
                    title=f"{t['pareto']} — n = {fig.total}", ylabel=t["count"],
                    cumulative_label=f"{t['cumulative']} (%)"),
        p90=_ref("charts/complaints-p90.svg", draw, drawing.trend, [p.period for p in fig.periods],
                 [p.resolution_p90_days for p in fig.periods], None, None, [p.received for p in fig.periods],
                 title=t["chart_resolution_p90"], ylabel=t["unit_days"], target=res.target,
                 target_label=f"{t['target']} {res.target:g} {t['unit_days']}"),
    )


# ------------------------------------------------------------ satisfaction pages


def survey_charts(sd: SurveyData, fig: SurveyFigures, t: Catalogue, targets: Mapping[str, float],
                  draw: Draw) -> SurveyCharts:
    """The charts of one survey's page: none before the first wave."""
    survey = sd.survey
    if not fig.waves:
        return SurveyCharts()
    waves = list(fig.waves)
    latest, previous = waves[-1], (waves[-2] if len(waves) > 1 else None)
    dims = dimension_titles(survey)

    def path(name: str) -> str:
        return f"charts/{survey.id}-{name}.svg"

    return SurveyCharts(
        index=_index_chart(path("index"), waves, targets.get(f"{survey.id}.index"), t, draw),
        dimensions=_dimensions_chart(path("dimensions"), latest, previous, dims, t, draw),
        items=_items_chart(path("items"), latest, t, draw),
        nps=_nps_chart(path("nps"), waves, t, draw),
        segments={col: _segment_chart(path(name), survey, col, latest, t, draw)
                  for col, name in segment_chart_names(survey, latest).items()},
        # a grid of one dimension compares nothing (the crosshairs pass through its only point): no section
        ipa=_ipa_chart(path("ipa"), survey, latest, dims, t, draw) if len(latest.importance) >= 2 else None,
        drivers=_drivers_chart(path("drivers"), latest, dims, t, draw)
        if survey.overall is not None and latest.drivers is not None else None,
        competitors=_competitors_chart(path("competitors"), survey, latest, dims, t, draw)
        if latest.competitors else None,
        internal=_internal_chart(path("internal"), survey, latest, t, draw)
        if latest.internal is not None and latest.internal.cells else None,
        pls=_pls_chart(path("pls"), latest, dims, t, draw) if latest.model is not None else None,
        ipma=_ipma_chart(path("ipma"), latest, dims, t, draw),
        gaps=_gaps_chart(path("gaps"), latest, dims, t, draw) if latest.gaps and latest.gaps.dimensions else None,
        improvements=_improvement_charts(survey, waves, path, t, draw),
        lost_reasons=lost_reasons_chart(path("lost-reasons"), latest, t, draw),
        comments=comments_chart(path("comments"), survey, latest, t, draw),
    )


def _gaps_chart(path: str, latest: WaveFigures, dims: dict[str, str], t: Catalogue, draw: Draw) -> ChartRef:
    g = latest.gaps.dimensions
    labels = [f"{dims.get(d, d)} ({f.gap:+.1f})" if f.gap is not None else dims.get(d, d) for d, f in g.items()]
    series = [(t["gap_expectation"], [f.expectation for f in g.values()]),
              (t["gap_perception"], [f.perception for f in g.values()])]
    return _ref(path, draw, drawing.grouped_hbars, labels, series, title=t("chart_gaps_title", wave=latest.wave),
                xlabel=t["score"], missing_label="—")


def _improvement_charts(survey: Survey, waves: list[WaveFigures], path: Callable[[str], str], t: Catalogue,
                        draw: Draw) -> dict[str, ChartRef]:
    """Per improvement action: its dimension's (item's) score per wave, the action marked between the
    wave before it and the first wave after (in the waves' order by date, see models.wave_end)."""
    out: dict[str, ChartRef] = {}
    ordered = sorted(waves, key=lambda w: wave_end(w.wave) or datetime.date.max)
    for k, a in enumerate(survey.improvements):
        figs = [(w.dimensions if a.kind == "dimension" else w.items).get(a.target) for w in ordered]
        before = [i for i, w in enumerate(ordered) if (wave_end(w.wave) or datetime.date.max) <= a.date]
        x = (before[-1] + 0.5) if before else -0.5
        title = t("chart_improvement_title", target=dimension_titles(survey).get(a.target, a.target), id=a.id)
        out[a.id] = _ref(path(f"improvement-{k + 1}"), draw, drawing.trend, [w.wave for w in ordered],
                         [f.score if f else None for f in figs],
                         [f.ci[0] if f and f.ci else None for f in figs], [f.ci[1] if f and f.ci else None for f in figs],
                         [w.n for w in ordered], title=title, ylabel=t["score"], marker=(x, a.id))
    return out


def _index_chart(path: str, waves: list[WaveFigures], target: float | None, t: Catalogue, draw: Draw) -> ChartRef:
    values = [w.index.value if w.index else None for w in waves]
    lows = [w.index.ci[0] if w.index and w.index.ci else None for w in waves]
    highs = [w.index.ci[1] if w.index and w.index.ci else None for w in waves]
    target_label = f"{t['target']} {target:g}" if target is not None else ""
    return _ref(path, draw, drawing.trend, [w.wave for w in waves], values, lows, highs, [w.n for w in waves],
                title=t["chart_index_title"], ylabel=t["axis_index"], target=target, target_label=target_label)


def dimensions_chart_title(latest: WaveFigures, previous: WaveFigures | None, t: Catalogue) -> str:
    if previous is None:
        return t("chart_dimensions_title", wave=latest.wave)
    return t("chart_dimensions_compare_title", wave=latest.wave, previous=previous.wave)


#: A radar needs this many axes to compare anything: with one it is a dot on a spoke, with two a line.
RADAR_MIN_AXES = 3


def _dimensions_chart(path: str, latest: WaveFigures, previous: WaveFigures | None, dims: dict[str, str],
                      t: Catalogue, draw: Draw) -> ChartRef | None:
    """The radar of the dimension scores; None (the table alone) with fewer than RADAR_MIN_AXES dimensions."""
    if len(latest.dimensions) < RADAR_MIN_AXES:
        return None
    series = [(f"{latest.wave} (n = {latest.n})", [x.score for x in latest.dimensions.values()])]
    if previous is not None:
        series.append((f"{previous.wave} (n = {previous.n})",
                       [previous.dimensions[d].score if d in previous.dimensions else None for d in latest.dimensions]))
    return _ref(path, draw, drawing.radar, [dims[d] for d in latest.dimensions], series,
                title=dimensions_chart_title(latest, previous, t))


def _items_chart(path: str, latest: WaveFigures, t: Catalogue, draw: Draw) -> ChartRef:
    xs = [x for i, x in latest.items.items() if i not in latest.loyalty]  # loyalty items have their own section
    return _ref(path, draw, drawing.item_bars, [f"{x.id} (n = {x.n})" for x in xs], [x.score for x in xs],
                [x.top2 * 100 if x.top2 is not None else None for x in xs],
                [x.top2_ci[0] * 100 if x.top2_ci else None for x in xs],
                [x.top2_ci[1] * 100 if x.top2_ci else None for x in xs],
                title=t("chart_items_title", wave=latest.wave), xlabel=t["axis_score_share"], score_label=t["score"],
                top2_label=f"{t['top2']} (%) {t['with_interval']}")


def _nps_chart(path: str, waves: list[WaveFigures], t: Catalogue, draw: Draw) -> ChartRef | None:
    have = [w for w in waves if w.nps is not None and w.nps.value is not None]
    if not have:
        return None
    return _ref(path, draw, drawing.nps_bars, [w.wave for w in have], [w.nps.detractors * 100 for w in have],
                [w.nps.passives * 100 for w in have], [w.nps.promoters * 100 for w in have],
                [w.nps.value for w in have], [w.nps.n for w in have], title=t["chart_nps_title"],
                ylabel=t["axis_share_respondents"],
                names=(t["detractors_scale"], t["passives_scale"], t["promoters_scale"]), score_name=t["nps_short"])


def segment_chart_names(survey: Survey, latest: WaveFigures) -> dict[str, str]:
    """Segment column -> chart name, for the columns with cells in the latest wave."""
    out: dict[str, str] = {}
    for k, col in enumerate(survey.segment_ids(), start=1):
        if not latest.segments.get(col):
            continue
        name = f"segment-{_slug(col)}"
        if name in out.values():  # two columns with the same ASCII slug (or none)
            name = f"{name}-{k}"
        out[col] = name
    return out


def _slug(text: str) -> str:
    return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in text.lower()).strip("-") or "column"


def _segment_chart(path: str, survey: Survey, col: str, latest: WaveFigures, t: Catalogue, draw: Draw) -> ChartRef:
    cells = latest.segments[col]
    title = t("chart_segment_title", segment=segment_name(survey, t, col), wave=latest.wave)
    return _ref(path, draw, drawing.hbars, [str(level) for level in cells],
                [None if c.suppressed else c.index for c in cells.values()],
                [0 if c.suppressed else c.n for c in cells.values()], title=title, xlabel=t["axis_index"],
                suppressed_label=small_cell_label(survey, t))


def _ipa_chart(path: str, survey: Survey, latest: WaveFigures, dims: dict[str, str], t: Catalogue,
               draw: Draw) -> ChartRef:
    imp = latest.importance
    imp_mean, perf_mean = latest.crosshairs.importance * 100, latest.crosshairs.performance
    kind = importance_kind(survey)
    return _ref(path, draw, drawing.ipa, [dims[d] for d in imp], [f.performance for f in imp.values()],
                [f.importance * 100 for f in imp.values()], perf_mean, imp_mean,
                (t["quadrant_concentrate"], t["quadrant_keep_up"], t["quadrant_low_priority"], t["quadrant_overkill"]),
                title=t("chart_ipa_title", wave=latest.wave, n=latest.n), xlabel=t["axis_performance"],
                ylabel=t[f"axis_importance_{kind}"])


def _drivers_chart(path: str, latest: WaveFigures, dims: dict[str, str], t: Catalogue, draw: Draw) -> ChartRef:
    f = latest.drivers
    return _ref(path, draw, drawing.driver_bars, [dims.get(d, d) for d in f.raw], [f.share[d] * 100 for d in f.raw],
                [f.share_ci[d][0] * 100 if d in f.share_ci else None for d in f.raw],
                [f.share_ci[d][1] * 100 if d in f.share_ci else None for d in f.raw],
                title=t("chart_drivers_title", wave=latest.wave, n=f.n), xlabel=t["axis_driver_share"],
                interval_label=t["drivers_interval"] if f.share_ci else "")


def _competitors_chart(path: str, survey: Survey, latest: WaveFigures, dims: dict[str, str], t: Catalogue,
                       draw: Draw) -> ChartRef:
    companies = latest.competitors
    small = small_cell_label(survey, t)
    series = [(f"{name} ({small})" if c.suppressed else f"{name} (n = {c.n})",
               [None if c.suppressed else c.index]
               + [None if c.suppressed else (c.dimensions or {}).get(d) for d in dims])
              for name, c in zip(competitor_names(survey, companies, t), companies.values())]
    return _ref(path, draw, drawing.grouped_hbars, [t["index_short"]] + list(dims.values()), series,
                title=t("chart_competitors_title", wave=latest.wave), xlabel=t["score"], missing_label=small)


def _internal_chart(path: str, survey: Survey, latest: WaveFigures, t: Catalogue, draw: Draw) -> ChartRef:
    matrix = latest.internal
    totals = [matrix.supplier_totals.get(s) for s in matrix.suppliers]
    return _ref(path, draw, drawing.hbars, list(matrix.suppliers),
                [None if c is None or c.suppressed else c.index for c in totals],
                [0 if c is None or c.suppressed else c.n for c in totals],
                title=t("chart_internal_title", wave=latest.wave), xlabel=t["axis_index"],
                suppressed_label=small_cell_label(survey, t))


def _pls_chart(path: str, latest: WaveFigures, dims: dict[str, str], t: Catalogue, draw: Draw) -> ChartRef:
    model = latest.model
    a = latest.model_assessment
    boot = a.bootstrap if a is not None else None
    sig = boot.paths.significant if boot is not None else {}
    lvs = list(model.ave)  # the model's latent variables, in survey order
    position = {lv: k for k, lv in enumerate(lvs)}
    return _ref(path, draw, drawing.path_diagram, [dims.get(lv, lv) for lv in lvs], [model.index.get(lv) for lv in lvs],
                [model.r2.get(lv) for lv in lvs], [(position[a_], position[b_]) for a_, b_ in model.paths],
                list(model.paths.values()), title=t("chart_pls_title", wave=latest.wave),
                index_label=t["index_short"], r2_label=t["pls_r2"],
                note=t["chart_pls_note_bootstrap"] if boot is not None else t["chart_pls_note"],
                significant=[sig.get(p) for p in model.paths] if boot is not None else None)


def _ipma_chart(path: str, latest: WaveFigures, dims: dict[str, str], t: Catalogue, draw: Draw) -> ChartRef | None:
    a = latest.model_assessment
    if latest.model is None or a is None or a.ipma_target is None or not a.ipma_importance:
        return None
    target = dims.get(a.ipma_target, a.ipma_target)
    names = list(a.ipma_importance)
    return _ref(path, draw, drawing.ipma_map, [dims.get(lv, lv) for lv in names],
                [a.ipma_importance[lv] for lv in names], [a.ipma_performance[lv] for lv in names],
                title=t("chart_ipma_title", wave=latest.wave, target=target),
                xlabel=t("axis_ipma_importance", target=target), ylabel=t["axis_ipma_performance"])


# ------------------------------------------------------ lost customers, retention


def lost_reasons_chart(path: str, latest: WaveFigures, t: Catalogue, draw: Draw) -> ChartRef | None:
    """The Pareto of the published reasons for leaving; None without reasons or with none published."""
    reasons = latest.lost.reasons if latest.lost is not None else None
    shown = [r for r in reasons.rows if not r.suppressed] if reasons is not None else []
    if not shown:
        return None
    return _ref(path, draw, drawing.pareto, [r.label for r in shown], [r.count for r in shown],
                [r.cumulative for r in shown],
                title=t("chart_lost_reasons_title", wave=latest.wave, n=reasons.respondents),
                ylabel=t["lost_respondents_naming"], cumulative_label=t["lost_cumulative_mentions"])


def retention_chart(fig: CustomerFigures, target: float | None, t: Catalogue, draw: Draw) -> ChartRef:
    """The retention rate of the whole customer list per period, against its objective's target."""
    periods = fig.periods
    return _ref("charts/customers-retention.svg", draw, drawing.trend, [p.period for p in periods],
                [p.retention_rate for p in periods], None, None, None, title=t["chart_retention_title"],
                ylabel=t["axis_retention_rate"], target=target,
                target_label=f"{t['target']} {target:g}" if target is not None else "")


def comments_chart(path: str, survey: Survey, latest: WaveFigures, t: Catalogue, draw: Draw) -> ChartRef | None:
    """Comments per theme in the latest wave: each theme's share of the wave's comments, its count as n;
    a suppressed count (under min_cell_n) shown as such. None without themes, without comments, or when
    every theme is suppressed (a chart of nothing but suppressed bars; the page says so instead)."""
    c = latest.comments
    if c is None or not c.themes or not c.n or all_themes_suppressed(latest):
        return None
    return _ref(path, draw, drawing.hbars, list(c.themes), list(c.shares.values()), [k or 0 for k in c.themes.values()],
                title=t("chart_comments_title", wave=latest.wave),
                xlabel=t["axis_comments_share"], suppressed_label=small_cell_label(survey, t))


def all_themes_suppressed(latest: WaveFigures) -> bool:
    """Whether the latest wave has themes and comments but every theme's count is under min_cell_n."""
    c = latest.comments
    return c is not None and bool(c.themes) and bool(c.n) and all(k is None for k in c.themes.values())
