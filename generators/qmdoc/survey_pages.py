"""The customer satisfaction report: one page per survey instrument."""

from __future__ import annotations

from markupsafe import Markup

from . import charts
from .i18n import Catalogue
from .render import fmt, image


def survey_path(survey_id: str) -> str:
    return f"satisfaction/{survey_id}.md"


def satisfaction_view(sd, fig, t: Catalogue, chart_out: dict[str, bytes]) -> dict:  # noqa: ANN001
    survey = sd.survey
    here = survey_path(survey.id)
    waves = list(fig.waves)
    latest = waves[-1]
    dim_titles = {d.id: d.title for d in survey.dimensions}
    items = {i.id: i for i in survey.all_items()}
    small = t("small_cell", n=survey.min_cell_n)

    trend_path = f"charts/{survey.id}-index.svg"
    chart_out[trend_path] = charts.trend(
        [w.wave for w in waves], [w.index.value if w.index else None for w in waves],
        [w.index.ci[0] if w.index and w.index.ci else None for w in waves],
        [w.index.ci[1] if w.index and w.index.ci else None for w in waves],
        [w.n for w in waves], title=t["chart_index_title"], ylabel=t["index_short"])
    dims_path = f"charts/{survey.id}-dimensions.svg"
    chart_out[dims_path] = charts.hbars(
        [dim_titles[d] for d in latest.dimensions], [x.score for x in latest.dimensions.values()],
        [x.n for x in latest.dimensions.values()], title=f"{t['dimensions']} — {latest.wave}", xlabel=t["score"])

    return {
        "title": survey.title,
        "latest": {
            "wave": latest.wave, "n": latest.n,
            "response_rate": fmt(latest.response_rate * 100, 1, " %") if latest.response_rate is not None else None,
            "moe": fmt(latest.margin_of_error, 1, " pp") if latest.margin_of_error is not None else None,
            "index": fmt(latest.index.value if latest.index else None),
            "ci": _ci(latest.index.ci if latest.index else None),
        },
        "index_chart": image(here, trend_path, t["index_trend_chart"]),
        "dimension_chart": image(here, dims_path, f"{t['dimensions']} {latest.wave}"),
        "waves": [
            {"wave": w.wave, "n": w.n, "index": fmt(w.index.value if w.index else None),
             "ci": _ci(w.index.ci if w.index else None),
             "nps": fmt(w.nps.value if w.nps else None)} for w in reversed(waves)
        ],
        "dimensions": [
            {"title": dim_titles[d], "score": fmt(x.score), "ci": _ci(x.ci), "n": x.n,
             "weight": fmt(latest.importance[d].importance * 100, 0, " %") if d in latest.importance else None}
            for d, x in latest.dimensions.items()
        ],
        "items": [
            {"id": i, "text": items[i].text, "n": x.n, "mean": fmt(x.mean, 2), "score": fmt(x.score),
             "top2": fmt(x.top2 * 100 if x.top2 is not None else None, 0, " %")}
            for i, x in latest.items.items()
        ],
        "small": small,
    }


def _ci(ci) -> Markup:  # noqa: ANN001
    if not ci or ci[0] is None:
        return Markup("—")
    return Markup(f"{ci[0]:.1f} – {ci[1]:.1f}")
