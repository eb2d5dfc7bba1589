"""The structural (PLS path) model of the latest wave and its assessment, its paths beside the previous wave's."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...compute.pls import PLSResult
from ...compute.pls_assessment import PLSAssessment
from ...compute.survey import WaveFigures
from ...manual_charts import ChartRef
from ...render import fmt
from ..context import field
from .format import SurveyPage
from .structural_tables import (Cell, IpmaView, Table, fornell_larcker_table, htmt_table, ipma_view, marked,
                                reliability_table, structure_table, tested, tested_header, totals_table)
from .structural_tables import outer_tests_table


@dataclass(frozen=True)
class LatentRow:
    """One latent variable."""

    title: str = field("its title (the dimension's, or its id)")
    index: Markup = field("its 0-100 index")
    r2: Markup = field("R² (em dash for an exogenous one)")
    r2_adjusted: Markup = field("adjusted R² (em dash without assessment)")


@dataclass(frozen=True)
class StructuralView:
    """The structural model section; when the latest wave cannot estimate it, only ``unavailable``."""

    unavailable: str | None = field("why the latest wave has no estimate; None when it has")
    intro: str | None = field("scheme and convergence of the estimation", default=None)
    measures_note: str | None = field("what the index and R² columns mean", default=None)
    rows: tuple[LatentRow, ...] = field("the latent variables, in survey order", default=())
    paths: Table | None = field("path coefficients, with bootstrap SE, t, p, interval and the previous wave",
                                default=None)
    paths_intro: str | None = field("what the path table shows (and that it compares two waves)", default=None)
    bootstrap_note: str | None = field("resamples, valid ones, seed and degrees of freedom; None without",
                                       default=None)
    significance_legend: str | None = field("what bold and the asterisk mean; None without bootstrap", default=None)
    structure: Table | None = field("f² and inner VIF per path; None without assessment", default=None)
    totals: Table | None = field("total effects; None without assessment", default=None)
    reliability: Table | None = field("α, ρ_C, ρ_A and AVE per latent variable; None without assessment",
                                      default=None)
    reliability_note: str | None = field("the usual thresholds of the reliability measures", default=None)
    htmt: Table | None = field("HTMT, values above a threshold flagged; None without assessment", default=None)
    fornell_larcker: Table | None = field("Fornell-Larcker criterion; None without assessment", default=None)
    measurement: Table | None = field("items: loadings, weights and outer VIF", default=None)
    outer_tests: Table | None = field("bootstrap SE, p and interval of every outer loading and weight; None "
                                      "without bootstrap", default=None)
    ipma: IpmaView | None = field("the importance-performance map; None without a target", default=None)
    chart: Markup | None = field("the path diagram", default=None)


def _paths_table(page: SurveyPage, model: PLSResult, a: PLSAssessment | None, latest: WaveFigures,
                 previous: WaveFigures | None) -> Table:
    boot = a.bootstrap if a is not None else None
    before = previous.model if previous is not None else None
    sig = boot.paths.significant if boot is not None else {}
    header: list[Cell] = [page.t["pls_from"], page.t["pls_to"], latest.wave]
    if boot is not None:
        header += tested_header(page)
    if before is not None:
        header.append(previous.wave)
    rows = []
    for key, c in model.paths.items():
        cells = [page.title(key[0]), page.title(key[1]), marked(c, sig.get(key))]
        if boot is not None:
            cells += tested(boot.paths, key)
        if before is not None:
            cells.append(fmt(before.paths.get(key), 3))
        rows.append(tuple(cells))
    return Table(tuple(header), tuple(rows))


def _measurement_table(page: SurveyPage, model: PLSResult, a: PLSAssessment | None) -> Table:
    t, title = page.t, page.title
    items = {i.id: i for i in page.survey.all_items()}
    block = {i.id: d.id for d in page.survey.dimensions for i in d.items}
    header = [t["item"], t["item_text"], t["pls_latent_variable"], t["pls_loading"], t["pls_weight"]]
    if a is not None:
        header.append(t["pls_vif_outer"])
    return Table(tuple(header), tuple(
        tuple([i, items[i].text, title(block[i]), fmt(loading, 3), fmt(model.weights[i], 3)]
              + ([fmt(a.vif_outer.get(i), 3)] if a is not None else []))
        for i, loading in model.loadings.items()))


def _diagram(page: SurveyPage, chart: ChartRef, model: PLSResult, a: PLSAssessment | None, wave: str) -> Markup:
    t, title = page.t, page.title
    sig = a.bootstrap.paths.significant if a is not None and a.bootstrap is not None else {}
    described = "; ".join(f"{title(a_)} → {title(b_)} {c:.3f}" + ("" if sig.get((a_, b_)) is not False
                                                                  else f" ({t['not_significant']})")
                          for (a_, b_), c in model.paths.items())
    return page.image(chart, f"{t('chart_pls_title', wave=wave)}: {described}")


def structural_view(page: SurveyPage, pls: ChartRef | None, ipma: ChartRef | None, latest: WaveFigures,
                    previous: WaveFigures | None) -> StructuralView | None:
    t, model, a = page.t, latest.model, latest.model_assessment
    if model is None and latest.model_unavailable is not None:
        why = latest.model_unavailable
        detail = {k: page.title(str(v)) if k == "lv" else v for k, v in why.detail.items()}
        return StructuralView(unavailable=t(f"pls_unavailable_{why.reason}", **detail))
    if model is None or pls is None:
        return None
    boot = a.bootstrap if a is not None else None
    lvs = list(model.ave)  # the model's latent variables, in survey order
    r2_adjusted = a.r2_adjusted if a is not None else {}
    scheme = page.survey.model.scheme if page.survey.model is not None else "path"
    estimation = t("pls_converged" if model.converged else "pls_not_converged", iterations=model.iterations)
    compared = previous is not None and previous.model is not None
    return StructuralView(
        unavailable=None,
        intro=t("pls_intro", scheme=t[f"pls_scheme_{scheme}"], estimation=estimation),
        measures_note=t["pls_measures_note"],
        rows=tuple(LatentRow(page.title(lv), fmt(model.index.get(lv)), fmt(model.r2.get(lv), 3),
                             fmt(r2_adjusted.get(lv), 3)) for lv in lvs),
        paths=_paths_table(page, model, a, latest, previous),
        paths_intro=t("pls_paths_compare", previous=previous.wave) if compared else t["pls_paths_intro"],
        bootstrap_note=t("pls_bootstrap_note", samples=boot.samples, valid=boot.valid, seed=boot.seed, df=a.n - 1)
        if boot is not None else None,
        significance_legend=t["pls_significance_legend"] if boot is not None else None,
        structure=structure_table(page, model, a) if a is not None else None,
        totals=totals_table(page, a) if a is not None else None,
        reliability=reliability_table(page, model, a, lvs) if a is not None else None,
        reliability_note=t["pls_reliability_note"],
        htmt=htmt_table(page, a, lvs) if a is not None else None,
        fornell_larcker=fornell_larcker_table(page, a, lvs) if a is not None else None,
        measurement=_measurement_table(page, model, a),
        outer_tests=outer_tests_table(page, model, a) if a is not None else None,
        ipma=ipma_view(page, ipma, a, latest.wave) if a is not None else None,
        chart=_diagram(page, pls, model, a, latest.wave),
    )
