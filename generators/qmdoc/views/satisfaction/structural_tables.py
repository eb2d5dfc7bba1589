"""The assessment tables of the structural model: f² and inner VIF, total effects, reliability, discriminant
validity (HTMT, Fornell-Larcker) and the importance-performance map."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.pls import PLSResult
from ...compute.pls_assessment import BootstrapStatistics, PLSAssessment
from ...manual_charts import ChartRef
from ...render import fmt
from ..context import field
from .format import NBSP, SurveyPage, ci, p_value

Cell = Markup | str
Key = str | tuple[str, str]


@dataclass(frozen=True)
class Table:
    """A table printed as it is (``_table.md.j2``)."""

    header: tuple[Cell, ...] = field("the column headings")
    rows: tuple[tuple[Cell, ...], ...] = field("the rows, each a tuple of display-ready cells")


@dataclass(frozen=True)
class IpmaView:
    """The importance-performance map on the target latent variable: a table with a chart."""

    intro: str = field("what the map shows, naming the target latent variable")
    header: tuple[Cell, ...] = field("the column headings")
    rows: tuple[tuple[Cell, ...], ...] = field("latent variable, importance (total effect), performance")
    chart: Markup = field("the importance-performance map")


def marked(value: float, significant: bool | None) -> Markup:
    """A coefficient, in bold with an asterisk when it is significant."""
    return Markup(f"**{fmt(value, 3)}**{NBSP}\\*") if significant else fmt(value, 3)


def tested(stats: BootstrapStatistics, key: Key) -> list[Markup]:
    """SE, t, p and the interval of one estimate from the bootstrap."""
    return [fmt(stats.se.get(key), 3), fmt(stats.t.get(key), 2), p_value(stats.p.get(key)), ci(stats.ci.get(key), 3)]


def tested_header(page: SurveyPage) -> list[str]:
    t = page.t
    return [t["pls_se"], t["pls_t"], t["p_value"], t["pls_ci"]]


def structure_table(page: SurveyPage, model: PLSResult, a: PLSAssessment) -> Table:
    t, title = page.t, page.title
    return Table((t["pls_from"], t["pls_to"], t["pls_f2"], t["pls_vif_inner"]),
                 tuple((title(p[0]), title(p[1]), fmt(a.f2.get(p), 3), fmt(a.vif_inner.get(p), 3))
                       for p in model.paths))


def totals_table(page: SurveyPage, a: PLSAssessment) -> Table:
    t, title = page.t, page.title
    boot = a.bootstrap
    sig = boot.total_effects.significant if boot is not None else {}
    header = [t["pls_from"], t["pls_to"], t["pls_total_effect"]] + (tested_header(page) if boot is not None else [])
    return Table(tuple(header), tuple(
        tuple([title(p[0]), title(p[1]), marked(v, sig.get(p))] + (tested(boot.total_effects, p) if boot else []))
        for p, v in a.total_effects.items()))


def reliability_table(page: SurveyPage, model: PLSResult, a: PLSAssessment, lvs: list[str]) -> Table:
    t, title = page.t, page.title
    return Table((t["pls_latent_variable"], t["pls_alpha"], t["pls_rho_c"], t["pls_rho_a"], t["pls_ave"]),
                 tuple((title(lv), fmt(model.alpha[lv], 3), fmt(a.rho_c[lv], 3), fmt(a.rho_a[lv], 3),
                        fmt(model.ave[lv], 3)) for lv in lvs))


def htmt_table(page: SurveyPage, a: PLSAssessment, lvs: list[str]) -> Table:
    title = page.title

    def cell(pair: tuple[str, str]) -> Markup:
        flag = a.htmt_flag.get(pair)
        value = fmt(a.htmt.get(pair), 3)
        return Markup(f"**{value}**{NBSP}(&gt;{NBSP}{flag:.2f})") if flag is not None else value

    return Table(tuple([""] + [title(lv) for lv in lvs[:-1]]),
                 tuple(tuple([title(lvs[r])] + [cell((lvs[c], lvs[r])) if c < r else Markup("")
                                                for c in range(len(lvs) - 1)]) for r in range(1, len(lvs))))


def fornell_larcker_table(page: SurveyPage, a: PLSAssessment, lvs: list[str]) -> Table:
    title, fl = page.title, a.fornell_larcker
    return Table(tuple([""] + [title(lv) for lv in lvs]),
                 tuple(tuple([title(lvs[r])] + [Markup(f"**{fmt(fl[lvs[r]][lvs[c]], 3)}**") if c == r
                                                else fmt(fl[lvs[r]][lvs[c]], 3) if c < r else Markup("")
                                                for c in range(len(lvs))]) for r in range(len(lvs))))


def ipma_view(page: SurveyPage, chart: ChartRef | None, a: PLSAssessment, wave: str) -> IpmaView | None:
    if a.ipma_target is None or not a.ipma_importance or chart is None:
        return None
    t, title = page.t, page.title
    target = title(a.ipma_target)
    names = list(a.ipma_importance)
    chart_title = t("chart_ipma_title", wave=wave, target=target)
    described = "; ".join(f"{title(lv)}: {a.ipma_importance[lv]:.3f}, {a.ipma_performance[lv]:.1f}" for lv in names)
    return IpmaView(
        intro=t("pls_ipma_intro", target=target),
        header=(t["pls_latent_variable"], t("pls_ipma_importance", target=target), t["pls_ipma_performance"]),
        rows=tuple((title(lv), fmt(a.ipma_importance[lv], 3), fmt(a.ipma_performance[lv])) for lv in names),
        chart=page.image(chart, f"{chart_title}: {described}"))


def outer_tests_table(page: SurveyPage, model: PLSResult, a: PLSAssessment) -> Table | None:
    """The bootstrap of every item's outer loading and outer weight: estimate (marked when significant), SE,
    p and percentile interval; None without a bootstrap."""
    boot = a.bootstrap
    if boot is None:
        return None
    t = page.t
    header = [t["item"], t["pls_loading"], t["pls_se"], t["p_value"], t["pls_ci"],
              t["pls_weight"], t["pls_se"], t["p_value"], t["pls_ci"]]

    def tests(stats: BootstrapStatistics, key: str, value: float) -> list[Cell]:
        return [marked(value, stats.significant.get(key)), fmt(stats.se.get(key), 3), p_value(stats.p.get(key)),
                ci(stats.ci.get(key), 3)]

    return Table(tuple(header), tuple(
        tuple([i] + tests(boot.loadings, i, loading) + tests(boot.weights, i, model.weights[i]))
        for i, loading in model.loadings.items()))
