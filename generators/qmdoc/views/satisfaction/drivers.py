"""What drives overall satisfaction: Johnson's relative weights of the dimensions, or why a wave has none."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.survey import WaveFigures
from ...manual_charts import ChartRef
from ...render import fmt
from ..context import field
from .format import SurveyPage, ci, pct


@dataclass(frozen=True)
class DriverRow:
    """One dimension's relative weight."""

    title: str = field("dimension title")
    raw: Markup = field("its raw relative weight (share of R² in absolute terms)")
    share: Markup = field("its share of R² in %")
    ci: Markup = field("the share's bootstrap interval (em dash without bootstrap)")


@dataclass(frozen=True)
class DriverTotal:
    """The total row: R² and 100 %."""

    title: str = field("'total', translated")
    raw: Markup = field("R² of the overall item on the dimensions")
    share: Markup = field("100 %")


@dataclass(frozen=True)
class DriversView:
    """The key drivers section; when the wave has none, only ``unavailable``."""

    unavailable: str | None = field("why the latest wave has no key drivers; None when it has")
    intro: str | None = field("what is explained by what, with n and R²", default=None)
    note: str | None = field("how the intervals were obtained, or that there are none", default=None)
    rows: tuple[DriverRow, ...] = field("the dimensions, in survey order", default=())
    total: DriverTotal | None = field("the total row", default=None)
    n: int | None = field("complete cases the weights come from", default=None)
    r2: Markup | None = field("R² of the overall item on the dimensions", default=None)
    chart: Markup | None = field("bar chart of the shares with their intervals", default=None)


def _unavailable(page: SurveyPage, latest: WaveFigures) -> DriversView | None:
    why = latest.drivers_unavailable
    if why is None:
        return None
    detail = dict(why.detail)
    if "variable" in detail:
        v = detail["variable"]
        detail["variable"] = page.t("drivers_overall_item", item=page.survey.overall) if v == "overall" \
            else page.title(str(v))
    return DriversView(unavailable=page.t(f"drivers_unavailable_{why.reason}", **detail))


def drivers_view(page: SurveyPage, chart: ChartRef | None, latest: WaveFigures) -> DriversView | None:
    survey, t = page.survey, page.t
    if survey.overall is None:
        return None
    f = latest.drivers
    if f is None or chart is None:
        return _unavailable(page, latest)
    rows = tuple(DriverRow(title=page.title(d), raw=fmt(eps, 3), share=pct(f.share[d], 1),
                           ci=ci(f.share_ci.get(d), 1, 100)) for d, eps in f.raw.items())
    r2 = f"{f.r2:.3f}"
    note = t("drivers_ci_note", samples=f.bootstrap, resamples=f.resamples, seed=f.seed) if f.share_ci \
        else t["drivers_no_bootstrap"]
    title = t("chart_drivers_title", wave=latest.wave, n=f.n)
    described = "; ".join(
        f"{r.title} {f.share[d] * 100:.1f} %" + (f" ({f.share_ci[d][0] * 100:.1f}–{f.share_ci[d][1] * 100:.1f})"
                                                if d in f.share_ci else "")
        for r, d in zip(rows, f.raw))
    return DriversView(unavailable=None, intro=t("drivers_intro", item=survey.overall, n=f.n, r2=r2), note=note,
                       rows=rows, total=DriverTotal(t["drivers_total"], fmt(f.r2, 3), pct(1.0, 1)), n=f.n, r2=fmt(f.r2, 3),
                       chart=page.image(chart, f"{title}: {described}; R² = {r2}"))
