"""The customer satisfaction report: one page per survey instrument.

:func:`satisfaction_view` turns one survey's computed figures
(:class:`~qmdoc.compute.survey.SurveyFigures`) into the page's view-model: every
value display-ready (formatted numbers, translated labels, Markdown images with
alt text), every list in display order (latest wave first), so that
``satisfaction.md.j2`` only loops and prints. The charts it draws go into
``chart_out`` (docs-relative path -> SVG bytes), through a
:class:`~qmdoc.charts.ChartCache` when one is given.

Sections, each from the figures of the compute stage:

* sample and index per wave (n, response rate, margin of error, index and its
  95 % interval) with the index trend chart (interval band, target line when
  an objective targets ``<survey>.index``);
* dimension scores, latest wave beside the previous one, with a radar chart;
* item scores with top-2-box and its interval, with a bar chart;
* NPS per wave with a stacked-shares chart;
* the changes from the previous wave that are statistically significant;
* the segment breakdown (suppressed cells show ``n < min_cell_n``, never a figure);
* importance-performance analysis;
* for a survey with an overall item: what drives overall satisfaction (Johnson's
  relative weights of the dimensions, their share of R² with bootstrap
  intervals) with a bar chart, or the sentence saying why a wave has none;
* when the compute stage provides them: competitor comparison, loyalty,
  internal supplier x customer matrix;
* before the first wave (no data file, or files without a response): a plain
  "no survey data yet" and what the survey asks (its dimensions and items),
  with no figure and no chart;
* when the survey declares a structural model: the PLS path model of the
  latest wave, in subsections: latent variables (0–100 index, R², adjusted
  R²) with the path diagram (paths that are not significant in the bootstrap
  drawn grey and dotted); path coefficients with bootstrap SE, t, p and 95 %
  interval, significant ones (p < 0.05) in bold with an asterisk, beside the
  previous wave's; total effects; f² and inner VIF; reliability and convergent
  validity (α, ρ_C, ρ_A, AVE); discriminant validity (HTMT with its flags,
  Fornell–Larcker); the items (outer loadings, weights, VIF); the
  importance–performance map on the target latent variable, table and chart.
"""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup

from . import charts
from .compute.survey import CONCENTRATE, KEEP_UP, LOW_PRIORITY, OVERKILL
from .i18n import Catalogue
from .markdown import code, escape_inline
from .metric import Metric
from .render import fmt, image

NBSP = "\u00a0"  # keeps a number with its unit, and an interval's ends together, in narrow table cells
DASH = "\u2013\u2060"  # en dash + word joiner: a line may break after a bare dash, never after this one

# quadrant of the compute stage -> catalogue key suffix
QUADRANT_KEYS = {KEEP_UP: "keep_up", CONCENTRATE: "concentrate", LOW_PRIORITY: "low_priority", OVERKILL: "overkill"}


def survey_path(survey_id: str) -> str:
    return f"satisfaction/{survey_id}.md"


def satisfaction_view(sd, fig, t: Catalogue, chart_out: dict[str, bytes],  # noqa: ANN001
                      targets: Mapping[str, float] | None = None,
                      cache: charts.ChartCache | None = None) -> dict:
    """The view-model of one survey's satisfaction report page.

    ``sd`` is the loaded :class:`~qmdoc.load.SurveyData`, ``fig`` its
    :class:`~qmdoc.compute.survey.SurveyFigures`. ``targets`` maps an
    objective's metric name (``"<survey>.index"``, ``"<survey>.nps"``, ...) to
    its target value: the index target is drawn on the trend chart.
    ``cache`` (optional) avoids redrawing charts whose inputs did not change.
    """
    survey = sd.survey
    targets = targets or {}
    draw = charts.draw_with(cache)
    here = survey_path(survey.id)
    waves = list(fig.waves)
    base = {"title": survey.title, "intro": t["figures_from_data"]}
    if not waves:
        if sd.files:  # data files with a header and no response
            return {**base, "empty": t["no_responses"], "instrument": _instrument(survey, t)}
        folder = code(f"data/surveys/{survey.id}/")
        empty = Markup(t("no_survey_data_text", folder=folder))
        return {**base, "empty": empty, "instrument": _instrument(survey, t)}

    latest = waves[-1]
    previous = waves[-2] if len(waves) > 1 else None
    small = t("small_cell", n=survey.min_cell_n)
    dim_titles = {d.id: d.title for d in survey.dimensions}
    items = {i.id: i for i in survey.all_items()}
    changes = {c.metric: c for c in fig.changes
               if previous is not None and c.from_wave == previous.wave and c.to_wave == latest.wave}
    ctx = _Context(survey.id, here, t, chart_out, draw, small)

    return {
        **base,
        "empty": None,
        "latest": _wave_row(latest, t),
        "previous_wave": previous.wave if previous else None,
        "sample": [_wave_row(w, t) for w in reversed(waves)],
        "index_chart": _index_chart(ctx, waves, targets.get(f"{survey.id}.index")),
        "dimensions": _dimensions(ctx, latest, previous, dim_titles, changes),
        "items": _items(ctx, survey, latest, items, set(getattr(latest, "loyalty", None) or ())),
        "nps": _nps(ctx, waves),
        "changes": _changes(ctx, latest, previous, changes, dim_titles, items),
        "segments": _segments(ctx, survey, latest, dim_titles),
        "ipa": _ipa(ctx, survey, latest, dim_titles),
        "drivers": _drivers(ctx, survey, latest, dim_titles),
        "competitors": _competitors(ctx, survey, latest, dim_titles),
        "loyalty": _loyalty(ctx, latest, items),
        "internal": _internal(ctx, latest),
        "structural": _structural(ctx, survey, latest, previous, dim_titles, items),
        "small_note": t("small_cell_note", n=survey.min_cell_n, label=small),
    }


def _instrument(survey, t: Catalogue) -> list[dict]:  # noqa: ANN001
    """What the survey asks, in questionnaire order: shown while there are no figures yet. A dimension's
    title and weight stand on its first item's row; an item outside the dimensions is named by its role."""
    def scale(item) -> str:  # noqa: ANN001
        sc = survey.item_scale(item)
        return f"{sc.min}{DASH}{sc.max}"

    rows = []
    for d in survey.dimensions:
        for k, i in enumerate(d.items):
            first = k == 0
            rows.append({"dimension": d.title if first else "", "item": i.id, "text": i.text, "scale": scale(i),
                         "weight": (f"{d.weight:g}" if d.weight is not None else None) if first else ""})
    roles = {survey.overall: "overall", survey.recommend: "recommend", **{i: "loyalty" for i in survey.loyalty}}
    for i in survey.items:
        rows.append({"dimension": t[f"item_role_{roles.get(i.id, 'other')}"], "weight": "", "item": i.id,
                     "text": i.text, "scale": scale(i)})
    return rows


class _Context:
    """What every section needs: where the page is, the catalogue, and how to draw a chart."""

    def __init__(self, survey_id: str, here: str, t: Catalogue, chart_out: dict[str, bytes], draw, small: str):  # noqa: ANN001
        self.survey_id, self.here, self.t, self.chart_out, self.draw = survey_id, here, t, chart_out, draw
        self.small = small  # "n < 30" as text, for charts and alt text
        # ... and for a table cell: escaped, with no-break spaces so that it never wraps
        self.small_cell = Markup(str(escape_inline(small)).replace(" ", NBSP))

    def chart(self, name: str, alt: str, fn, *args, **kwargs) -> Markup:  # noqa: ANN001
        """Draw ``fn(*args, **kwargs)`` into ``charts/<survey>-<name>.svg``; return its Markdown image."""
        path = f"charts/{self.survey_id}-{name}.svg"
        self.chart_out[path] = self.draw(fn, *args, **kwargs)
        return image(self.here, path, alt)


# ------------------------------------------------------------------ formatting


def _ci(ci, digits: int = 1, scale: float = 1.0) -> Markup:  # noqa: ANN001
    if not ci or ci[0] is None:
        return Markup("—")
    return Markup(f"{ci[0] * scale:.{digits}f}{NBSP}{DASH}{NBSP}{ci[1] * scale:.{digits}f}")


def _pct(share: float | None, digits: int = 1) -> Markup:
    return fmt(share * 100 if share is not None else None, digits, f"{NBSP}%")


def _signed(value: float | None, digits: int = 1, suffix: str = "") -> Markup:
    if value is None:
        return Markup("—")
    return Markup(f"{value:+.{digits}f}{suffix}")


def _p(p: float | None) -> Markup:
    if p is None:
        return Markup("—")
    return Markup(f"&lt;{NBSP}0.001") if p < 0.001 else Markup(f"{p:.3f}")


def _change_cell(change, t: Catalogue, digits: int = 1, suffix: str = "", scale: float = 1.0) -> Markup:  # noqa: ANN001
    """A change for a table cell; a significant one in bold and marked as such."""
    if change is None:
        return Markup("—")
    text = _signed(change.delta * scale, digits, suffix)
    if change.significant:
        return Markup(f"**{text}** ({escape_inline(t['significant'])})")
    return text


def _wave_row(w, t: Catalogue) -> dict:  # noqa: ANN001
    return {
        "wave": w.wave,
        "n": w.n,
        "response_rate": _pct(w.response_rate) if w.response_rate is not None else None,
        "moe": fmt(w.margin_of_error, 1, f"{NBSP}{t['unit_pp']}") if w.margin_of_error is not None else None,
        "index": fmt(w.index.value if w.index else None),
        "ci": _ci(w.index.ci if w.index else None),
        "excluded": t("excluded_line", **w.excluded) if w.excluded is not None else None,
    }


# -------------------------------------------------------------------- sections


def _index_chart(ctx: _Context, waves: list, target: float | None) -> Markup:
    t = ctx.t
    values = [w.index.value if w.index else None for w in waves]
    lows = [w.index.ci[0] if w.index and w.index.ci else None for w in waves]
    highs = [w.index.ci[1] if w.index and w.index.ci else None for w in waves]
    target_label = f"{t['target']} {target:g}" if target is not None else ""
    described = ", ".join(f"{w.wave} {'—' if v is None else f'{v:.1f}'} (n = {w.n})" for w, v in zip(waves, values))
    alt = f"{t['index_trend_chart']}: {described}" + (f"; {target_label}" if target_label else "")
    return ctx.chart("index", alt, charts.trend, [w.wave for w in waves], values, lows, highs,
                     [w.n for w in waves], title=t["chart_index_title"], ylabel=t["axis_index"],
                     target=target, target_label=target_label)


def _dimensions(ctx: _Context, latest, previous, dim_titles: dict, changes: dict) -> dict:  # noqa: ANN001
    t = ctx.t
    rows = []
    for d, x in latest.dimensions.items():
        prev = previous.dimensions.get(d) if previous is not None else None
        imp = latest.importance.get(d)
        rows.append({
            "title": dim_titles[d],
            "weight": _pct(imp.importance, 0) if imp is not None else None,
            "score": fmt(x.score), "ci": _ci(x.ci), "n": x.n,
            "previous": fmt(prev.score) if prev is not None else None,
            "change": _change_cell(changes.get(f"dimension.{d}"), t),
        })
    series = [(f"{latest.wave} (n = {latest.n})", [x.score for x in latest.dimensions.values()])]
    if previous is not None:
        series.append((f"{previous.wave} (n = {previous.n})",
                       [previous.dimensions[d].score if d in previous.dimensions else None for d in latest.dimensions]))
    described = "; ".join(
        f"{dim_titles[d]} {fmt(x.score)}" + (f" ({previous.wave}: {fmt(previous.dimensions[d].score)})"
                                             if previous is not None and d in previous.dimensions else "")
        for d, x in latest.dimensions.items())
    title = t("chart_dimensions_title", wave=latest.wave) if previous is None else \
        t("chart_dimensions_compare_title", wave=latest.wave, previous=previous.wave)
    chart = ctx.chart("dimensions", f"{title}: {described}", charts.radar,
                      [dim_titles[d] for d in latest.dimensions], series, title=title)
    return {"rows": rows, "chart": chart}


def _items(ctx: _Context, survey, latest, items: dict, loyalty: set[str]) -> dict:  # noqa: ANN001
    """Item scores; loyalty items are left to the loyalty section."""
    t = ctx.t
    rows = []
    shown = {i: x for i, x in latest.items.items() if i not in loyalty}
    for i, x in shown.items():
        scale = survey.item_scale(items[i])
        rows.append({
            "id": i, "text": items[i].text, "n": x.n, "scale": f"{scale.min}{DASH}{scale.max}",
            "mean": fmt(x.mean, 2), "score": fmt(x.score), "ci": _ci(x.ci),
            "top2": _pct(x.top2, 1), "top2_ci": _ci(x.top2_ci, 1, 100),
        })
    xs = list(shown.values())
    title = t("chart_items_title", wave=latest.wave)
    described = "; ".join(f"{x.id} {fmt(x.score)}, {t['top2']} {_pct(x.top2, 0)} (n = {x.n})" for x in xs)
    chart = ctx.chart(
        "items", f"{title}: {described}", charts.item_bars,
        [f"{x.id} (n = {x.n})" for x in xs], [x.score for x in xs],
        [x.top2 * 100 if x.top2 is not None else None for x in xs],
        [x.top2_ci[0] * 100 if x.top2_ci else None for x in xs],
        [x.top2_ci[1] * 100 if x.top2_ci else None for x in xs],
        title=title, xlabel=t["axis_score_share"], score_label=t["score"],
        top2_label=f"{t['top2']} (%) {t['with_interval']}")
    return {"rows": rows, "chart": chart}


def _nps(ctx: _Context, waves: list) -> dict | None:
    t = ctx.t
    have = [w for w in waves if w.nps is not None and w.nps.value is not None]
    if not have:
        return None
    rows = [{"wave": w.wave, "n": w.nps.n, "promoters": _pct(w.nps.promoters), "passives": _pct(w.nps.passives),
             "detractors": _pct(w.nps.detractors), "nps": fmt(w.nps.value, 1), "ci": _ci(w.nps.ci)}
            for w in reversed(have)]
    described = ", ".join(f"{w.wave} {w.nps.value:.1f} (n = {w.nps.n})" for w in have)
    chart = ctx.chart(
        "nps", f"{t['chart_nps_title']}: {t['nps']} {described}", charts.nps_bars,
        [w.wave for w in have], [w.nps.detractors * 100 for w in have], [w.nps.passives * 100 for w in have],
        [w.nps.promoters * 100 for w in have], [w.nps.value for w in have], [w.nps.n for w in have],
        title=t["chart_nps_title"], ylabel=t["axis_share_respondents"],
        names=(t["detractors_scale"], t["passives_scale"], t["promoters_scale"]), score_name=t["nps_short"])
    return {"rows": rows, "chart": chart}


def _changes(ctx: _Context, latest, previous, changes: dict, dim_titles: dict, items: dict) -> dict:  # noqa: ANN001
    t = ctx.t
    if previous is None:
        return {"intro": t("single_wave", wave=latest.wave), "rows": [], "none": None}

    def describe(metric: str) -> tuple[str, Markup, Markup, str]:
        """Label, value in the previous and in the latest wave, unit suffix of the change."""
        m = Metric.parse(metric)
        kind, key = m.kind, m.key
        points = f"{NBSP}{t['points']}"
        if kind == "index":
            return t["index"], fmt(previous.index.value), fmt(latest.index.value), points
        if kind == "nps":
            return t["nps"], fmt(previous.nps.value), fmt(latest.nps.value), points
        if kind == "dimension":
            return (f"{t['dimension']}: {dim_titles.get(key, key)}", fmt(previous.dimensions[key].score),
                    fmt(latest.dimensions[key].score), points)
        if kind == "item":
            return (f"{t['item_score']}: {key} {items[key].text}", fmt(previous.items[key].score),
                    fmt(latest.items[key].score), points)
        if kind == "top2":
            return (f"{t['top2']}: {key} {items[key].text}", _pct(previous.items[key].top2),
                    _pct(latest.items[key].top2), f"{NBSP}{t['unit_pp']}")
        return metric, Markup("—"), Markup("—"), ""

    rows = []
    for metric, c in changes.items():
        if not c.significant:
            continue
        label, before, after, unit = describe(metric)
        scale = 100.0 if Metric.parse(metric).kind == "top2" else 1.0
        rows.append({"measure": label, "before": before, "after": after,
                     "change": _signed(c.delta * scale, 1, unit), "p": _p(c.p), "mark": t["significant"]})
    return {
        "intro": t("changes_intro", previous=previous.wave, latest=latest.wave),
        "rows": rows,
        "none": None if rows else t("no_significant_changes", previous=previous.wave, latest=latest.wave),
    }


def segment_title(t: Catalogue, column: str) -> str:
    """A segment column's display name: ``segment_<column>`` from the catalogue, else the column name."""
    key = f"segment_{column}"
    return t[key] if key in t.keys() else column


def _segments(ctx: _Context, survey, latest, dim_titles: dict) -> list[dict]:  # noqa: ANN001
    t = ctx.t
    out = []
    names: set[str] = set()
    for k, col in enumerate(survey.segment_ids(), start=1):
        cells = latest.segments.get(col, {})
        if not cells:
            continue
        name = survey.segment_title(col) or segment_title(t, col)
        rows = []
        for level, c in cells.items():
            if c.suppressed:
                rows.append({"level": level, "n": ctx.small_cell, "index": ctx.small_cell,
                             "dimensions": [ctx.small_cell for _ in dim_titles]})
            else:
                rows.append({"level": level, "n": c.n, "index": fmt(c.index),
                             "dimensions": [fmt(c.dimensions[d].score) if c.dimensions and d in c.dimensions else None
                                            for d in dim_titles]})
        title = t("chart_segment_title", segment=name, wave=latest.wave)
        described = "; ".join(f"{level} {ctx.small if c.suppressed else f'{fmt(c.index)} (n = {c.n})'}"
                              for level, c in cells.items())
        chart_name = f"segment-{_slug(col)}"
        if chart_name in names:  # two columns with the same ASCII slug (or none)
            chart_name = f"{chart_name}-{k}"
        names.add(chart_name)
        chart = ctx.chart(
            chart_name, f"{title}: {described}", charts.hbars,
            [str(level) for level in cells], [None if c.suppressed else c.index for c in cells.values()],
            [0 if c.suppressed else c.n for c in cells.values()], title=title, xlabel=t["axis_index"],
            suppressed_label=ctx.small)
        out.append({"title": name, "dimension_titles": list(dim_titles.values()), "rows": rows, "chart": chart})
    return out


def _slug(text: str) -> str:
    return "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in text.lower()).strip("-") or "column"


def _ipa(ctx: _Context, survey, latest, dim_titles: dict) -> dict | None:  # noqa: ANN001
    t = ctx.t
    imp = latest.importance
    if not imp:
        return None
    rows = []
    for d, f in imp.items():
        q = QUADRANT_KEYS.get(f.quadrant) if f.quadrant else None
        rows.append({"title": dim_titles[d], "importance": _pct(f.importance, 1), "performance": fmt(f.performance),
                     "quadrant": t[f"quadrant_{q}"] if q else None, "action": t[f"action_{q}"] if q else None})
    weights = [f.importance * 100 for f in imp.values()]
    imp_mean, perf_mean = latest.crosshairs.importance * 100, latest.crosshairs.performance
    kind = "derived" if survey.importance == "derived" else "stated"
    ylabel = t[f"axis_importance_{kind}"]
    title = t("chart_ipa_title", wave=latest.wave, n=latest.n)
    described = "; ".join(f"{r['title']}: {r['quadrant'] or '—'}" for r in rows)
    chart = ctx.chart(
        "ipa", f"{title}: {described}", charts.ipa,
        list(dim_titles[d] for d in imp), [f.performance for f in imp.values()], weights, perf_mean, imp_mean,
        (t["quadrant_concentrate"], t["quadrant_keep_up"], t["quadrant_low_priority"], t["quadrant_overkill"]),
        title=title, xlabel=t["axis_performance"], ylabel=ylabel)
    return {
        "intro": t(f"ipa_intro_{kind}"),
        "fallback": t["importance_fallback_note"] if latest.importance_fallback else None,
        "rows": rows, "chart": chart,
    }


def _drivers(ctx: _Context, survey, latest, dim_titles: dict) -> dict | None:  # noqa: ANN001
    """What drives overall satisfaction: the key drivers of the latest wave (relative weights), or why it has none."""
    if survey.overall is None:
        return None
    t = ctx.t
    f = latest.drivers
    if f is None:
        why = latest.drivers_unavailable
        if why is None:
            return None
        detail = dict(why.detail)
        if "variable" in detail:
            v = detail["variable"]
            detail["variable"] = t("drivers_overall_item", item=survey.overall) if v == "overall" \
                else dim_titles.get(v, v)
        return {"unavailable": t(f"drivers_unavailable_{why.reason}", **detail)}
    rows = [{"title": dim_titles.get(d, d), "raw": fmt(eps, 3), "share": _pct(f.share[d], 1),
             "ci": _ci(f.share_ci.get(d), 1, 100)} for d, eps in f.raw.items()]
    r2 = f"{f.r2:.3f}"
    intervals = bool(f.share_ci)
    note = t("drivers_ci_note", samples=f.bootstrap, resamples=f.resamples, seed=f.seed) if intervals \
        else t["drivers_no_bootstrap"]
    title = t("chart_drivers_title", wave=latest.wave, n=f.n)
    described = "; ".join(
        f"{r['title']} {f.share[d] * 100:.1f} %" + (f" ({f.share_ci[d][0] * 100:.1f}–{f.share_ci[d][1] * 100:.1f})"
                                                   if d in f.share_ci else "")
        for r, d in zip(rows, f.raw))
    chart = ctx.chart(
        "drivers", f"{title}: {described}; R² = {r2}", charts.driver_bars,
        [dim_titles.get(d, d) for d in f.raw], [f.share[d] * 100 for d in f.raw],
        [f.share_ci[d][0] * 100 if d in f.share_ci else None for d in f.raw],
        [f.share_ci[d][1] * 100 if d in f.share_ci else None for d in f.raw],
        title=title, xlabel=t["axis_driver_share"], interval_label=t["drivers_interval"] if intervals else "")
    return {
        "unavailable": None,
        "intro": t("drivers_intro", item=survey.overall, n=f.n, r2=r2),
        "note": note,
        "rows": rows,
        "total": {"title": t["drivers_total"], "raw": fmt(f.r2, 3), "share": _pct(1.0, 1)},
        "n": f.n,
        "r2": fmt(f.r2, 3),
        "chart": chart,
    }


# ------------------------------------------------- optional sections (when the compute stage provides them)


def _competitors(ctx: _Context, survey, latest, dim_titles: dict) -> dict | None:  # noqa: ANN001
    """Our scores beside the competitors' (same items, our index weights)."""
    companies = getattr(latest, "competitors", None)
    if not companies:
        return None
    t = ctx.t
    gaps = getattr(latest, "competitor_gaps", None) or {}
    us = survey.competitors.us if survey.competitors is not None else None
    names = [t("competitor_us", name=name) if name == us else name for name in companies]
    header = [{"name": name} for name in names]
    n_row = [ctx.small_cell if c.suppressed else c.n for c in companies.values()]

    def cell(c, value):  # noqa: ANN001, ANN202
        return ctx.small_cell if c.suppressed else fmt(value)

    rows = [{"measure": t["index"], "cells": [cell(c, c.index) for c in companies.values()], "gap": None}]
    for d, title in dim_titles.items():
        rows.append({"measure": title,
                     "cells": [cell(c, (c.dimensions or {}).get(d)) for c in companies.values()],
                     "gap": _signed(gaps.get(d))})
    series = [(f"{name} ({ctx.small})" if c.suppressed else f"{name} (n = {c.n})",
               [None if c.suppressed else c.index]
               + [None if c.suppressed else (c.dimensions or {}).get(d) for d in dim_titles])
              for name, c in zip(names, companies.values())]
    title = t("chart_competitors_title", wave=latest.wave)
    described = "; ".join(
        f"{name}: {ctx.small}" if c.suppressed else f"{name} {t['index_short']} {fmt(c.index)} (n = {c.n})"
        for name, c in zip(names, companies.values()))
    chart = ctx.chart("competitors", f"{title}: {described}", charts.grouped_hbars,
                      [t["index_short"]] + list(dim_titles.values()), series, title=title,
                      xlabel=t["score"], missing_label=ctx.small)
    return {"intro": t("competitors_intro", us=us or ""), "companies": header, "n": n_row, "rows": rows,
            "chart": chart}


def _loyalty(ctx: _Context, latest, items: dict) -> dict | None:  # noqa: ANN001
    """Loyalty items (repurchase, recommendation), reported apart from satisfaction."""
    loyalty = getattr(latest, "loyalty", None)
    if not loyalty:
        return None
    r = getattr(latest, "satisfaction_loyalty_r", None) or {}
    rows = [{"id": i, "text": items[i].text, "n": f.n, "score": fmt(f.score), "ci": _ci(f.ci),
             "top2": _pct(f.top2), "top2_ci": _ci(f.top2_ci, 1, 100), "r": fmt(r.get(i), 2)}
            for i, f in loyalty.items()]
    return {"intro": ctx.t["loyalty_intro"], "rows": rows}


def _internal(ctx: _Context, latest) -> dict | None:  # noqa: ANN001
    """The internal supplier x customer matrix of the satisfaction index."""
    matrix = getattr(latest, "internal", None)
    if not matrix or not getattr(matrix, "cells", None):
        return None
    t = ctx.t

    def cell(c) -> Markup | str:  # noqa: ANN001
        if c is None:
            return Markup("")  # this department does not supply that one
        return ctx.small_cell if c.suppressed else Markup(f"{fmt(c.index)}{NBSP}(n{NBSP}={NBSP}{c.n})")

    rows = [{"supplier": s, "cells": [cell(matrix.cells.get((s, c))) for c in matrix.customers],
             "total": cell(matrix.supplier_totals.get(s))} for s in matrix.suppliers]
    totals = [matrix.supplier_totals.get(s) for s in matrix.suppliers]
    title = t("chart_internal_title", wave=latest.wave)
    described = "; ".join(f"{s}: {ctx.small if c is None or c.suppressed else f'{fmt(c.index)} (n = {c.n})'}"
                          for s, c in zip(matrix.suppliers, totals))
    chart = ctx.chart("internal", f"{title}: {described}", charts.hbars, list(matrix.suppliers),
                      [None if c is None or c.suppressed else c.index for c in totals],
                      [0 if c is None or c.suppressed else c.n for c in totals], title=title,
                      xlabel=t["axis_index"], suppressed_label=ctx.small)
    return {"intro": t["internal_intro"], "customers": list(matrix.customers), "rows": rows, "chart": chart}



def _structural(ctx: _Context, survey, latest, previous, dim_titles: dict, items: dict) -> dict | None:  # noqa: ANN001
    """The structural (PLS path) model of the latest wave and its assessment, its paths beside the previous wave's."""
    model = latest.model
    t = ctx.t
    if model is None and latest.model_unavailable is not None:
        why = latest.model_unavailable
        detail = {k: dim_titles.get(v, v) if k == "lv" else v for k, v in why.detail.items()}
        return {"unavailable": t(f"pls_unavailable_{why.reason}", **detail)}
    if model is None:
        return None
    a = latest.model_assessment
    boot = a.bootstrap if a is not None else None
    before = getattr(previous, "model", None) if previous is not None else None
    lvs = list(model.ave)  # the model's latent variables, in survey order
    block = {i.id: d.id for d in survey.dimensions for i in d.items}
    scheme = survey.model.scheme if survey.model is not None else "path"

    def title(lv: str) -> str:
        return dim_titles.get(lv, lv)

    def marked(value: float, significant: bool | None) -> Markup:
        """A coefficient, in bold with an asterisk when it is significant."""
        return Markup(f"**{fmt(value, 3)}**{NBSP}\\*") if significant else fmt(value, 3)

    def tested(stats, key) -> list:  # noqa: ANN001
        """SE, t, p and the interval of one estimate from the bootstrap."""
        return [fmt(stats.se.get(key), 3), fmt(stats.t.get(key), 2), _p(stats.p.get(key)),
                _ci(stats.ci.get(key), 3)]

    r2_adjusted = a.r2_adjusted if a is not None else {}
    rows = [{"title": title(lv), "index": fmt(model.index.get(lv)), "r2": fmt(model.r2.get(lv), 3),
             "r2_adjusted": fmt(r2_adjusted.get(lv), 3)} for lv in lvs]

    sig = boot.paths.significant if boot is not None else {}
    path_header = [t["pls_from"], t["pls_to"], latest.wave]
    if boot is not None:
        path_header += [t["pls_se"], t["pls_t"], t["p_value"], t["pls_ci"]]
    if before is not None:
        path_header.append(previous.wave)
    path_rows = []
    for key, c in model.paths.items():
        cells = [title(key[0]), title(key[1]), marked(c, sig.get(key))]
        if boot is not None:
            cells += tested(boot.paths, key)
        if before is not None:
            cells.append(fmt(before.paths.get(key), 3))
        path_rows.append(cells)

    structure = None
    totals = None
    reliability = None
    htmt = None
    fornell = None
    ipma = None
    vif_outer: dict = {}
    if a is not None:
        structure = {"header": [t["pls_from"], t["pls_to"], t["pls_f2"], t["pls_vif_inner"]],
                     "rows": [[title(p[0]), title(p[1]), fmt(a.f2.get(p), 3), fmt(a.vif_inner.get(p), 3)]
                              for p in model.paths]}
        total_sig = boot.total_effects.significant if boot is not None else {}
        header = [t["pls_from"], t["pls_to"], t["pls_total_effect"]]
        if boot is not None:
            header += [t["pls_se"], t["pls_t"], t["p_value"], t["pls_ci"]]
        totals = {"header": header, "rows": [
            [title(p[0]), title(p[1]), marked(v, total_sig.get(p))] + (tested(boot.total_effects, p) if boot else [])
            for p, v in a.total_effects.items()]}
        reliability = {"header": [t["pls_latent_variable"], t["pls_alpha"], t["pls_rho_c"], t["pls_rho_a"],
                                  t["pls_ave"]],
                       "rows": [[title(lv), fmt(model.alpha[lv], 3), fmt(a.rho_c[lv], 3), fmt(a.rho_a[lv], 3),
                                 fmt(model.ave[lv], 3)] for lv in lvs]}

        def htmt_cell(pair) -> Markup:  # noqa: ANN001
            flag = a.htmt_flag.get(pair)
            value = fmt(a.htmt.get(pair), 3)
            return Markup(f"**{value}**{NBSP}(&gt;{NBSP}{flag:.2f})") if flag is not None else value

        htmt = {"header": [""] + [title(lv) for lv in lvs[:-1]],
                "rows": [[title(lvs[r])] + [htmt_cell((lvs[c], lvs[r])) if c < r else Markup("")
                                            for c in range(len(lvs) - 1)] for r in range(1, len(lvs))]}
        fl = a.fornell_larcker
        fornell = {"header": [""] + [title(lv) for lv in lvs],
                   "rows": [[title(lvs[r])] + [Markup(f"**{fmt(fl[lvs[r]][lvs[c]], 3)}**") if c == r
                                               else fmt(fl[lvs[r]][lvs[c]], 3) if c < r else Markup("")
                                               for c in range(len(lvs))] for r in range(len(lvs))]}
        vif_outer = a.vif_outer
        if a.ipma_target is not None and a.ipma_importance:
            target = title(a.ipma_target)
            names = list(a.ipma_importance)
            chart_title = t("chart_ipma_title", wave=latest.wave, target=target)
            described = "; ".join(f"{title(lv)}: {a.ipma_importance[lv]:.3f}, {a.ipma_performance[lv]:.1f}"
                                  for lv in names)
            ipma = {
                "intro": t("pls_ipma_intro", target=target),
                "header": [t["pls_latent_variable"], t("pls_ipma_importance", target=target),
                           t["pls_ipma_performance"]],
                "rows": [[title(lv), fmt(a.ipma_importance[lv], 3), fmt(a.ipma_performance[lv])] for lv in names],
                "chart": ctx.chart(
                    "ipma", f"{chart_title}: {described}", charts.ipma_map,
                    [title(lv) for lv in names], [a.ipma_importance[lv] for lv in names],
                    [a.ipma_performance[lv] for lv in names], title=chart_title,
                    xlabel=t("axis_ipma_importance", target=target), ylabel=t["axis_ipma_performance"]),
            }

    item_header = [t["item"], t["item_text"], t["pls_latent_variable"], t["pls_loading"], t["pls_weight"]]
    if a is not None:
        item_header.append(t["pls_vif_outer"])
    item_rows = [[i, items[i].text, title(block[i]), fmt(loading, 3), fmt(model.weights[i], 3)]
                 + ([fmt(vif_outer.get(i), 3)] if a is not None else [])
                 for i, loading in model.loadings.items()]
    estimation = t("pls_converged" if model.converged else "pls_not_converged", iterations=model.iterations)

    position = {lv: k for k, lv in enumerate(lvs)}
    title_text = t("chart_pls_title", wave=latest.wave)
    described = "; ".join(f"{title(a_)} → {title(b_)} {c:.3f}" + ("" if sig.get((a_, b_)) is not False
                                                                  else f" ({t['not_significant']})")
                          for (a_, b_), c in model.paths.items())
    chart = ctx.chart(
        "pls", f"{title_text}: {described}", charts.path_diagram,
        [title(lv) for lv in lvs], [model.index.get(lv) for lv in lvs], [model.r2.get(lv) for lv in lvs],
        [(position[a_], position[b_]) for a_, b_ in model.paths], list(model.paths.values()),
        title=title_text, index_label=t["index_short"], r2_label=t["pls_r2"],
        note=t["chart_pls_note_bootstrap"] if boot is not None else t["chart_pls_note"],
        significant=[sig.get(p) for p in model.paths] if boot is not None else None)
    bootstrap_note = None
    if boot is not None:
        bootstrap_note = t("pls_bootstrap_note", samples=boot.samples, valid=boot.valid, seed=boot.seed,
                           df=a.n - 1)
    return {
        "unavailable": None,
        "intro": t("pls_intro", scheme=t[f"pls_scheme_{scheme}"], estimation=estimation),
        "measures_note": t["pls_measures_note"],
        "rows": rows,
        "paths": {"header": path_header, "rows": path_rows},
        "paths_intro": t("pls_paths_compare", previous=previous.wave) if before is not None else t["pls_paths_intro"],
        "bootstrap_note": bootstrap_note,
        "significance_legend": t["pls_significance_legend"] if boot is not None else None,
        "previous_wave": previous.wave if before is not None else None,
        "structure": structure,
        "totals": totals,
        "reliability": reliability,
        "reliability_note": t["pls_reliability_note"],
        "htmt": htmt,
        "fornell_larcker": fornell,
        "measurement": {"header": item_header, "rows": item_rows},
        "ipma": ipma,
        "chart": chart,
    }
