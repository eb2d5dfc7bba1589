"""The satisfaction report page of the fixture organization, checked on its rendered HTML.

Fixture facts used below (tests/fixtures/mini, survey ``css``): waves 2025-Q1
and 2025-Q2, ``min_cell_n: 5``, region "Islands" has 2 answers in each wave;
from 2025-Q1 to 2025-Q2 only the top-2-box of q2 changes significantly.
"""

import dataclasses
import re

import markdown
import pytest
from bs4 import BeautifulSoup

from qmdoc.compute import survey as cs
from qmdoc.compute.manual import compute_manual
from qmdoc.i18n import catalogue
from qmdoc.load import load_project
from qmdoc.charts import draw_with
from qmdoc.manual_charts import survey_charts
from qmdoc.render import make_environment
from qmdoc.views.context import template_values
from qmdoc.views.satisfaction import satisfaction_view

from conftest import FIXTURES, section


@pytest.fixture(scope="module")
def mini():
    project = load_project(FIXTURES / "mini")
    results = compute_manual(project)
    sd = project.surveys[0]
    return sd, results.surveys[sd.survey.id]


def view_and_charts(sd, fig, t, targets=None, cache=None):
    """The page's context and its charts (path -> SVG), drawn by the chart stage as the build does."""
    drawn = survey_charts(sd, fig, t, targets or {}, draw_with(cache))
    return satisfaction_view(sd, fig, t, drawn, targets), {c.path: c.svg for c in drawn.all()}


@pytest.fixture(scope="module")
def shared_charts(tmp_path_factory):
    """One chart cache for the pages this module renders: a variant of a page draws only the charts it changes
    (the cache keys on what a chart shows, so a chart taken from it is the one drawing it again would give)."""
    from qmdoc.charts import ChartCache

    return ChartCache(tmp_path_factory.mktemp("satisfaction-charts"))


def render(sd, fig, language="en", targets=None, cache=None):
    t = catalogue(language)
    view, charts = view_and_charts(sd, fig, t, targets, cache)
    md = make_environment().get_template("satisfaction.md.j2").render(t=t, **template_values(view))
    html = markdown.markdown(md, extensions=["tables", "attr_list"])
    return BeautifulSoup(html, "html.parser"), charts, md


@pytest.fixture(scope="module")
def page(mini, shared_charts):
    sd, fig = mini
    return render(sd, fig, targets={"css.index": 60.0}, cache=shared_charts)


def plain(text: str) -> str:
    """Text as read: no-break spaces as spaces, word joiners (which only stop line breaks) dropped."""
    return text.replace("\xa0", " ").replace("\u2060", "")


def table_rows(elements) -> list[list[str]]:
    table = next(el for el in elements if el.name == "table")
    return [[plain(c.get_text(" ", strip=True)) for c in tr.find_all(["td", "th"])]
            for tr in table.find_all("tr")]


def alt_of(doc: BeautifulSoup, chart: str) -> str:
    return plain(next(img["alt"] for img in doc.find_all("img") if img["src"].endswith(chart)))


def test_latest_wave_comes_first(page, mini):
    doc, _, _ = page
    _, fig = mini
    latest, previous = fig.waves[-1].wave, fig.waves[-2].wave
    assert (latest, previous) == ("2025-Q2", "2025-Q1")
    sample = section(doc, "Sample and satisfaction index")
    assert latest in sample[0].get_text() and previous not in sample[0].get_text()
    rows = table_rows(sample)
    assert [r[0] for r in rows[1:]] == [latest, previous]
    assert rows[1][1] == str(fig.waves[-1].n)
    nps = table_rows(section(doc, "Net Promoter Score"))
    assert [r[0] for r in nps[1:]] == [latest, previous]
    dims = table_rows(section(doc, "Dimension scores"))
    assert dims[0][2:3] == [latest] and dims[0][5] == previous


def test_sample_shows_response_rate_margin_of_error_and_index_interval(page, mini):
    doc, _, _ = page
    w = mini[1].waves[-1]
    row = table_rows(section(doc, "Sample and satisfaction index"))[1]
    assert row[2] == f"{w.response_rate * 100:.1f} %"
    assert row[3] == f"{w.margin_of_error:.1f} pp"
    assert row[4] == f"{w.index.value:.1f}"
    assert row[5] == f"{w.index.ci[0]:.1f} – {w.index.ci[1]:.1f}"


def test_every_chart_is_an_image_with_alt_text_and_an_svg(page):
    doc, charts, _ = page
    imgs = doc.find_all("img")
    assert {img["src"] for img in imgs} == {f"../{path}" for path in charts}
    assert {"charts/css-index.svg", "charts/css-items.svg", "charts/css-nps.svg",
            "charts/css-segment-region.svg", "charts/css-ipa.svg"} <= set(charts)
    assert "charts/css-dimensions.svg" not in charts  # two dimensions: the table only, no radar
    for img in imgs:
        assert len(img["alt"]) > 20, img["src"]
    for svg in charts.values():
        assert svg.startswith(b"<?xml") and b"<text" in svg  # chart text is text


def test_index_chart_carries_the_objective_target(page):
    doc, _, _ = page
    alt = alt_of(doc, "css-index.svg")
    assert "Target 60" in alt
    assert "2025-Q1 60.1 (n = 24)" in alt


def test_suppressed_segment_shows_small_cell_text_and_no_figure(page, mini):
    doc, _, md = page
    sd, fig = mini
    assert fig.waves[-1].segments["region"]["Islands"].suppressed
    rows = table_rows(section(doc, "Segment breakdown"))
    assert rows[0][:3] == ["Region", "n", "Satisfaction index"]
    islands = next(r for r in rows if r[0] == "Islands")
    assert islands[1:] == ["n < 5"] * (len(rows[0]) - 1)
    assert not re.search(r"\d", " ".join(islands[1:]).replace("n < 5", ""))
    assert "| Islands | n\xa0&lt;\xa05 |" in md  # no-break spaces: the label never wraps in a narrow cell
    north = next(r for r in rows if r[0] == "North")
    assert north[1] == str(fig.waves[-1].segments["region"]["North"].n)
    # the chart shows the label, not a bar, and its description gives no count
    alt = alt_of(doc, "css-segment-region.svg")
    assert "Islands n < 5" in alt
    assert "n = 2" not in alt and "n=2" not in md


def test_only_significant_changes_are_listed(page, mini):
    doc, _, _ = page
    _, fig = mini
    significant = [c for c in fig.changes if c.significant]
    assert [c.metric for c in significant] == ["top2.q2"]  # the fixture has exactly one
    assert len(fig.changes) > len(significant)
    rows = table_rows(section(doc, "Significant changes"))
    assert len(rows) == 1 + len(significant)
    measure, before, after, change, p, mark = rows[1]
    assert measure == "Top-2-box: q2 Certificates are complete"
    assert change == f"{significant[0].delta * 100:+.1f} pp"
    assert p == f"{significant[0].p:.3f}"
    assert mark == "significant"
    # a non-significant change (the index) is shown in the dimension table but not here
    assert not any(r[0] == "Satisfaction index" for r in rows)


def test_a_sentence_when_no_change_is_significant(mini, shared_charts):
    sd, fig = mini
    calm = dataclasses.replace(fig, changes=tuple(dataclasses.replace(c, significant=False) for c in fig.changes))
    doc, _, _ = render(sd, calm, cache=shared_charts)
    part = section(doc, "Significant changes")
    assert not any(el.name == "table" for el in part)
    assert "No change from 2025-Q1 to 2025-Q2 is statistically significant at the 5 % level." in \
        " ".join(el.get_text() for el in part)


def test_ipa_table_has_quadrants_and_actions(page, mini):
    doc, _, _ = page
    imp = mini[1].waves[-1].importance
    rows = table_rows(section(doc, "Importance–performance analysis"))
    assert rows[0] == ["Dimension", "Importance", "Performance", "Quadrant", "What it means for action"]
    by_title = {r[0]: r for r in rows[1:]}
    assert imp["quality"].quadrant == cs.KEEP_UP and imp["delivery"].quadrant == cs.LOW_PRIORITY
    assert by_title["Product quality"][3] == "Keep up the good work"
    assert by_title["Delivery"][3] == "Low priority"
    assert by_title["Product quality"][1] == "60.0 %"
    assert by_title["Delivery"][2] == f"{imp['delivery'].performance:.1f}"
    assert by_title["Delivery"][4].startswith("Less important and below average")


def test_nps_table_matches_the_computed_values(page, mini):
    doc, _, _ = page
    _, fig = mini
    rows = table_rows(section(doc, "Net Promoter Score"))
    assert rows[0][:6] == ["Wave", "n", "Promoters (9–10)", "Passives (7–8)", "Detractors (0–6)", "NPS"]
    for row, w in zip(rows[1:], reversed(fig.waves)):
        assert row[0] == w.wave
        assert row[1] == str(w.nps.n)
        assert row[2] == f"{w.nps.promoters * 100:.1f} %"
        assert row[3] == f"{w.nps.passives * 100:.1f} %"
        assert row[4] == f"{w.nps.detractors * 100:.1f} %"
        assert row[5] == f"{w.nps.value:.1f}"
        assert row[6] == f"{w.nps.ci[0]:.1f} – {w.nps.ci[1]:.1f}"
    assert [r[5] for r in rows[1:]] == ["3.8", "-4.2"]


def test_item_table_has_top2_box_with_interval(page, mini):
    doc, _, _ = page
    q1 = mini[1].waves[-1].items["q1"]
    rows = table_rows(section(doc, "Item scores"))
    row = next(r for r in rows if r[0] == "q1")
    assert row[3:] == [str(q1.n), f"{q1.mean:.2f}", f"{q1.score:.1f}", f"{q1.ci[0]:.1f} – {q1.ci[1]:.1f}",
                       f"{q1.top2 * 100:.1f} %", f"{q1.top2_ci[0] * 100:.1f} – {q1.top2_ci[1] * 100:.1f}"]


def test_dimension_table_compares_latest_with_previous(page, mini):
    doc, _, _ = page
    latest, previous = mini[1].waves[-1], mini[1].waves[-2]
    rows = table_rows(section(doc, "Dimension scores"))
    quality = next(r for r in rows if r[0] == "Product quality")
    delta = latest.dimensions["quality"].score - previous.dimensions["quality"].score
    assert quality[2] == f"{latest.dimensions['quality'].score:.1f}"
    assert quality[5] == f"{previous.dimensions['quality'].score:.1f}"
    assert quality[6] == f"{delta:+.1f}"  # not significant: not marked


def test_sections_the_compute_stage_does_not_provide_are_left_out(page):
    doc, _, _ = page
    headings = [h.get_text() for h in doc.find_all("h2")]
    assert not any(h.startswith(("Loyalty", "Competitor", "Internal")) for h in headings)


def test_optional_sections_render_with_suppressed_cells(mini, shared_charts):
    """Competitors, loyalty and the internal matrix, on figures made up from the fixture's."""
    sd, fig = mini
    latest = fig.waves[-1]
    from qmdoc.models import Competitors

    survey = sd.survey.model_copy(update={"competitors": Competitors(column="rated_company", us="Mini Test Works")})
    sd2 = dataclasses.replace(sd, survey=survey)
    cell = cs.CellFigures
    wave = dataclasses.replace(
        latest,
        competitors={"Mini Test Works": cs.CompetitorFigures(26, 68.26, False, {"quality": 71.6, "delivery": 63.2}),
                     "Rival": cs.CompetitorFigures(3, None, True, None),
                     "Other": cs.CompetitorFigures(12, 60.0, False, {"quality": 65.0, "delivery": 70.0})},
        competitor_gaps={"quality": 6.6, "delivery": -6.8},
        loyalty={"q_nps": cs.LoyaltyFigures(dataclasses.replace(
            latest.items["q_nps"], n=26, score=72.7, ci=(63.5, 81.9), top2=0.423, top2_ci=(0.255, 0.611)), 0.61)},
        internal=cs.InternalMatrix(("Sales", "Stores"), ("Production",),
                                   {("Sales", "Production"): cell(12, 70.31, False), ("Stores", "Production"): cell(3, None, True)},
                                   {"Sales": cell(12, 70.31, False), "Stores": cell(3, None, True)}),
    )
    doc, charts, _ = render(sd2, dataclasses.replace(fig, waves=fig.waves[:-1] + (wave,)), cache=shared_charts)
    comp = table_rows(section(doc, "Competitor comparison"))
    assert comp[0] == ["Measure", "Mini Test Works (us)", "Rival", "Other", "Gap to best competitor (points)"]
    assert comp[1] == ["Respondents", "26", "n < 5", "12", ""]
    assert comp[3] == ["Product quality", "71.6", "n < 5", "65.0", "+6.6"]
    assert "charts/css-competitors.svg" in charts
    loyalty = section(doc, "Loyalty")
    assert "different measures" in loyalty[0].get_text()
    assert table_rows(loyalty)[1][-1] == "0.61"
    assert not any(r[0] == "q_nps" for r in table_rows(section(doc, "Item scores")))  # reported apart
    matrix = table_rows(section(doc, "Internal customers"))
    assert matrix[0] == ["Supplying department", "Production", "All internal customers"]
    assert matrix[1] == ["Sales", "70.3 (n = 12)", "70.3 (n = 12)"]
    assert matrix[2] == ["Stores", "n < 5", "n < 5"]


def test_chinese_page_uses_the_chinese_catalogue(mini, shared_charts):
    sd, fig = mini
    doc, charts, _ = render(sd, fig, language="zh", targets={"css.index": 60.0}, cache=shared_charts)
    headings = [h.get_text() for h in doc.find_all("h2")]
    assert headings[0] == "样本与满意度指数"
    assert "显著变化" in headings and "净推荐值" in headings
    assert any(h.startswith("重要度–表现分析") for h in headings)
    islands = next(r for r in table_rows(section(doc, "细分分析")) if r[0] == "Islands")
    assert set(islands[1:]) == {"n < 5"}
    alt = alt_of(doc, "css-index.svg")
    assert "目标值 60" in alt


def test_cache_is_used_when_given(mini, tmp_path):
    from qmdoc.charts import ChartCache

    sd, fig = mini
    first = ChartCache(tmp_path)
    _, charts1, md1 = render(sd, fig, cache=first)
    assert first.misses == len(charts1) and first.hits == 0
    second = ChartCache(tmp_path)
    _, charts2, md2 = render(sd, fig, cache=second)
    assert second.hits == len(charts2) and second.misses == 0
    assert charts1 == charts2 and md1 == md2


QUESTIONNAIRE = [
    ["Dimension", "Weight", "Item", "Question", "Scale"],
    ["Product quality", "0.6", "q1", "Parts meet the drawing", "1–5"],
    ["", "", "q2", "Certificates are complete", "1–5"],
    ["Delivery", "0.4", "q3", "Deliveries arrive on time", "1–5"],
    ["", "", "q4", "Lead times are acceptable", "1–5"],
    ["Overall satisfaction", "", "q_overall", "Overall satisfaction", "1–5"],
    ["Recommendation (NPS)", "", "q_nps", "Would recommend us", "0–10"],
]


def test_a_survey_without_responses_says_so(mini, shared_charts):
    sd, fig = mini
    doc, charts, _ = render(sd, dataclasses.replace(fig, waves=(), changes=()), cache=shared_charts)
    assert "The data files of this survey contain no responses yet." in doc.get_text()
    assert charts == {} and doc.find("img") is None
    assert [h.get_text() for h in doc.find_all("h2")] == ["What the survey asks"]
    assert table_rows(section(doc, "What the survey asks")) == QUESTIONNAIRE


def test_a_survey_without_data_files_says_no_survey_data_yet(mini, shared_charts):
    sd, fig = mini
    sd = dataclasses.replace(sd, files=())
    doc, charts, _ = render(sd, dataclasses.replace(fig, waves=(), changes=()), cache=shared_charts)
    assert doc.find_all("p")[1].get_text() == ("No survey data yet: the figures of this survey appear here once the "
                                               "first wave's responses are saved in data/surveys/css/.")
    assert charts == {} and doc.find("img") is None
    assert table_rows(section(doc, "What the survey asks")) == QUESTIONNAIRE
    zh, _, _ = render(sd, dataclasses.replace(fig, waves=(), changes=()), language="zh", cache=shared_charts)
    assert zh.find_all("p")[1].get_text().startswith("尚无调查数据：")
    assert [h.get_text() for h in zh.find_all("h2")] == ["调查问卷的测评内容"]


def test_a_single_wave_has_no_comparison(mini, shared_charts):
    sd, fig = mini
    doc, _, _ = render(sd, dataclasses.replace(fig, waves=fig.waves[:1], changes=()), cache=shared_charts)
    assert table_rows(section(doc, "Dimension scores"))[0] == ["Dimension", "Weight", "2025-Q1", "95 % interval", "n"]
    part = section(doc, "Significant changes")
    assert "Only one wave (2025-Q1) has been surveyed so far" in part[0].get_text()


# ------------------------------------------------------------- structural (PLS path) model


def _model_survey(with_model: bool = True):
    from qmdoc.models import Survey

    return Survey(
        id="sem",
        title="Structural model survey",
        scale={"min": 1, "max": 5},
        respondent="rid",
        dimensions=[
            {"id": "quality", "title": "Perceived quality", "weight": 0.5,
             "items": [{"id": "q1", "text": "Products work as specified"}, {"id": "q2", "text": "Few defects"}]},
            {"id": "value", "title": "Perceived value", "weight": 0.2,
             "items": [{"id": "v1", "text": "Price for the quality"}, {"id": "v2", "text": "Quality for the price"}]},
            {"id": "satisfaction", "title": "Customer satisfaction", "weight": 0.3,
             "items": [{"id": "s1", "text": "Overall satisfied"}, {"id": "s2", "text": "Close to the ideal"}]},
        ],
        model={"scheme": "path", "paths": [["quality", "value"], ["quality", "satisfaction"],
                                            ["value", "satisfaction"]]} if with_model else None,
    )


def _model_responses(waves=("2025-H1", "2025-H2"), n: int = 80):
    """Answers on 1..5 driven by three correlated latent variables, ``n`` respondents per wave."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(11)
    frames = []
    for w, wave in enumerate(waves):
        quality = rng.normal(size=n)
        value = 0.5 * quality + rng.normal(scale=0.8, size=n)
        satisfaction = (0.4 + 0.1 * w) * quality + 0.3 * value + rng.normal(scale=0.7, size=n)
        frame = {"wave": wave, "rid": [f"{wave}-{k}" for k in range(n)]}
        for name, lv in (("q", quality), ("v", value), ("s", satisfaction)):
            for j in (1, 2):
                frame[f"{name}{j}"] = np.clip(np.round(3 + lv + rng.normal(scale=0.6, size=n)), 1, 5)
        frames.append(pd.DataFrame(frame))
    return pd.concat(frames, ignore_index=True)


def _render_survey(survey, responses, language="en", fig=None):
    """The page of ``survey`` over ``responses`` (``fig``: their figures, when already computed)."""
    from qmdoc.load import SurveyData

    fig = cs.compute_survey_figures(survey, responses) if fig is None else fig
    sd = SurveyData(survey=survey, source="policy/surveys/sem.yml", files=(), responses=responses)
    t = catalogue(language)
    view, charts = view_and_charts(sd, fig, t)
    md = make_environment().get_template("satisfaction.md.j2").render(t=t, **template_values(view))
    html = markdown.markdown(md, extensions=["tables", "attr_list", "admonition"])
    return BeautifulSoup(html, "html.parser"), charts, md, fig


def sub_tables(elements) -> dict[str, list[list[str]]]:
    """The tables of a section, each under the h3 that precedes it."""
    out, heading = {}, None
    for el in elements:
        if el.name == "h3":
            heading = el.get_text()
        elif el.name == "table":
            out[heading] = [[plain(c.get_text(" ", strip=True)) for c in tr.find_all(["td", "th"])]
                            for tr in el.find_all("tr")]
    return out


@pytest.fixture(scope="module")
def sem_figures():
    """The figures of the structural-model survey over its two waves (computed once: the bootstrap is the cost)."""
    return cs.compute_survey_figures(_model_survey(), _model_responses())


@pytest.fixture(scope="module")
def sem_page(sem_figures):
    return _render_survey(_model_survey(), _model_responses(), fig=sem_figures)


def test_structural_model_tables_show_the_pls_estimates(sem_page):
    doc, charts, _, fig = sem_page
    latest, previous = fig.waves[-1], fig.waves[-2]
    model, before = latest.model, previous.model
    assert model is not None and before is not None
    part = section(doc, "Structural model (PLS path model)")
    assert part and "2025-H2" in next(h.get_text() for h in doc.find_all("h2") if h.get_text().startswith("Structural"))
    intro = part[0].get_text()
    assert "partial least squares (PLS)" in intro and "path weighting scheme" in intro
    assert f"converged after {model.iterations} iterations" in intro
    tables = sub_tables(part)
    titles = {"quality": "Perceived quality", "value": "Perceived value", "satisfaction": "Customer satisfaction"}

    assessment = latest.model_assessment
    lvs = tables["Latent variables"]
    assert lvs[0] == ["Latent variable", "Index (0–100)", "R²", "Adjusted R²"]
    assert [r[0] for r in lvs[1:]] == list(titles.values())
    for row, lv in zip(lvs[1:], titles):
        assert row[1] == f"{model.index[lv]:.1f}"
        assert row[2] == (f"{model.r2[lv]:.3f}" if lv in model.r2 else "—")
        assert row[3] == (f"{assessment.r2_adjusted[lv]:.3f}" if lv in model.r2 else "—")
    assert lvs[1][2] == "—"  # quality is exogenous: no R²

    paths = tables["Path coefficients"]
    assert paths[0] == ["From", "To", "2025-H2", "SE", "t", "p", "95 % interval", "2025-H1"]
    assert [(r[0], r[1]) for r in paths[1:]] == [(titles[a], titles[b]) for a, b in model.paths]
    for row, (key, coef) in zip(paths[1:], model.paths.items()):
        assert row[2].removesuffix(" *") == f"{coef:.3f}"
        assert row[7] == f"{before.paths[key]:.3f}"
    assert len({r[2] for r in paths[1:]}) == 3  # three different numbers: not one value repeated

    reliability = tables["Measurement model: reliability and convergent validity"]
    assert reliability[0] == ["Latent variable", "Cronbach's alpha", "ρ_C", "ρ_A", "AVE"]
    for row, lv in zip(reliability[1:], titles):
        assert row == [titles[lv], f"{model.alpha[lv]:.3f}", f"{assessment.rho_c[lv]:.3f}",
                       f"{assessment.rho_a[lv]:.3f}", f"{model.ave[lv]:.3f}"]

    items = tables["Measurement model: items"]
    assert items[0] == ["Item", "Question", "Latent variable", "Outer loading", "Outer weight", "Outer VIF"]
    assert [r[0] for r in items[1:]] == ["q1", "q2", "v1", "v2", "s1", "s2"]
    q2 = items[2]
    assert q2[1:] == ["Few defects", "Perceived quality", f"{model.loadings['q2']:.3f}", f"{model.weights['q2']:.3f}",
                      f"{assessment.vif_outer['q2']:.3f}"]

    assert "charts/sem-pls.svg" in charts
    alt = alt_of(doc, "sem-pls.svg")
    coef = model.paths[("quality", "satisfaction")]
    assert f"Perceived quality → Customer satisfaction {coef:.3f}" in alt
    svg = charts["charts/sem-pls.svg"]
    assert svg.count(b'id="lv-') == 3 and svg.count(b'id="path-') == 3 and b"<text" in svg


def test_structural_model_of_a_single_wave_has_no_previous_column():
    doc, _, _, fig = _render_survey(_model_survey(), _model_responses(waves=("2025-H1",)))
    paths = sub_tables(section(doc, "Structural model"))["Path coefficients"]
    assert paths[0] == ["From", "To", "2025-H1", "SE", "t", "p", "95 % interval"]
    assert paths[1][2].removesuffix(" *") == f"{fig.waves[0].model.paths[('quality', 'value')]:.3f}"


def test_structural_model_section_adds_and_changes_nothing_else(sem_page):
    """The same survey without a model: the page is the same up to the structural section, which is absent."""
    doc, charts, md, _ = sem_page
    plain_doc, plain_charts, plain_md, plain_fig = _render_survey(_model_survey(with_model=False), _model_responses())
    assert all(w.model is None for w in plain_fig.waves)
    assert not any(h.get_text().startswith("Structural") for h in plain_doc.find_all("h2"))
    start = md.index("\n## Structural model")
    assert md[:start].rstrip() == plain_md.rstrip()
    assert {k: v for k, v in charts.items() if k not in ("charts/sem-pls.svg", "charts/sem-ipma.svg")} == plain_charts


def test_structural_model_in_chinese(sem_figures):
    doc, _, _, fig = _render_survey(_model_survey(), _model_responses(), language="zh", fig=sem_figures)
    part = section(doc, "结构模型（PLS路径模型）")
    assert "偏最小二乘（PLS）" in part[0].get_text() and "路径加权方案" in part[0].get_text()
    tables = sub_tables(part)
    assert tables["路径系数"][0][:2] == ["起点", "终点"]
    assert tables["潜变量"][1][1] == f"{fig.waves[-1].model.index['quality']:.1f}"


def test_no_structural_section_without_a_model(page):
    doc, charts, _ = page
    assert not any(h.get_text().startswith("Structural") for h in doc.find_all("h2"))
    assert not any(path.endswith("-pls.svg") for path in charts)


def test_a_model_that_did_not_converge_says_so(sem_page):
    from qmdoc.load import SurveyData

    _, _, _, fig = sem_page
    latest = fig.waves[-1]
    stalled = dataclasses.replace(latest, model=dataclasses.replace(latest.model, iterations=300, converged=False))
    survey = _model_survey()
    sd = SurveyData(survey=survey, source="policy/surveys/sem.yml", files=(), responses=None)
    t = catalogue("en")
    view, _ = view_and_charts(sd, dataclasses.replace(fig, waves=fig.waves[:-1] + (stalled,)), t)
    assert "did not converge within 300 iterations" in view.structural.intro
    assert "converged after" not in view.structural.intro


# ------------------------------------------------------------- structural model assessment and key drivers


def _p_text(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _interval(ci, digits: int = 3, scale: float = 1.0) -> str:
    return f"{ci[0] * scale:.{digits}f} – {ci[1] * scale:.{digits}f}"


def _wave_json(fig, k: int = -1) -> dict:
    return cs.figures_as_json(fig)["waves"][k]


def test_path_table_shows_the_bootstrap_and_marks_significant_paths(sem_page):
    doc, _, _, fig = sem_page
    model = _wave_json(fig)["model"]
    part = section(doc, "Structural model (PLS path model)")
    bootstrap = model["bootstrap"]
    assert f"Significance comes from {bootstrap['samples']} bootstrap resamples" in plain(part[1].get_text())
    assert f"{bootstrap['valid']} could be estimated" in plain(part[1].get_text())
    table = next(el for el in part if el.name == "table" and "SE" in el.get_text())
    rows = table.find_all("tr")[1:]
    assert len(rows) == len(model["paths"])
    marks = []
    for tr, key in zip(rows, model["paths"]):
        cells = [plain(td.get_text(" ", strip=True)) for td in tr.find_all("td")]
        p = model["paths_p"][key]
        significant = p < 0.05
        coefficient = f"{model['paths'][key]:.3f}"
        assert cells[2] == (f"{coefficient} *" if significant else coefficient)
        assert (tr.find_all("td")[2].find("strong") is not None) == significant
        assert cells[3:7] == [f"{model['paths_se'][key]:.3f}", f"{model['paths_t'][key]:.2f}", _p_text(p),
                              _interval(model["paths_ci"][key])]
        marks.append(significant)
    assert True in marks and False in marks  # the fixture has both kinds
    assert any("In bold with an asterisk (*): significant at the 5 % level (p < 0.05)." in plain(el.get_text())
               for el in part)


def test_path_diagram_draws_non_significant_paths_grey_and_dotted(sem_page):
    doc, charts, _, fig = sem_page
    model = _wave_json(fig)["model"]
    svg = charts["charts/sem-pls.svg"].decode()
    for i, key in enumerate(model["paths"]):
        group = svg[svg.index(f'<g id="path-{i}">'):]
        style = group[:group.index("</g>")]
        if model["paths_p"][key] < 0.05:
            assert "stroke: #0072b2" in style and "dasharray" not in style, key
        else:
            assert "stroke: #8c8c8c" in style and "dasharray" in style, key
    alt = alt_of(doc, "sem-pls.svg")
    assert "Perceived value → Customer satisfaction" in alt and "(not significant)" in alt


def test_assessment_tables_show_the_computed_figures(sem_page):
    doc, charts, _, fig = sem_page
    model = _wave_json(fig)["model"]
    titles = {"quality": "Perceived quality", "value": "Perceived value", "satisfaction": "Customer satisfaction"}
    lvs = list(titles)
    tables = sub_tables(section(doc, "Structural model (PLS path model)"))

    totals = tables["Total effects"]
    assert totals[0] == ["From", "To", "Total effect", "SE", "t", "p", "95 % interval"]
    for row, (key, value) in zip(totals[1:], model["total_effects"].items()):
        a, b = key.split("->")
        mark = " *" if model["total_effects_p"][key] < 0.05 else ""
        assert row == [titles[a], titles[b], f"{value:.3f}{mark}", f"{model['total_effects_se'][key]:.3f}",
                       f"{model['total_effects_t'][key]:.2f}", _p_text(model["total_effects_p"][key]),
                       _interval(model["total_effects_ci"][key])]

    structure = tables["Effect sizes and collinearity of the paths"]
    assert structure[0] == ["From", "To", "f²", "Inner VIF"]
    for row, key in zip(structure[1:], model["paths"]):
        assert row[2:] == [f"{model['f2'][key]:.3f}", f"{model['vif_inner'][key]:.3f}"]

    part = section(doc, "Structural model (PLS path model)")
    found = [[[plain(c.get_text(" ", strip=True)) for c in tr.find_all(["td", "th"])] for tr in el.find_all("tr")]
             for el in part if el.name == "table"]
    # under "Measurement model: discriminant validity": HTMT, then Fornell–Larcker (then the items, their
    # bootstrap and the importance-performance map)
    htmt, rows = found[-5], found[-4]
    assert htmt[0] == ["", titles["quality"], titles["value"]]
    assert htmt[1] == [titles["value"], f"{model['htmt']['quality|value']:.3f}", ""]
    assert htmt[2] == [titles["satisfaction"], f"{model['htmt']['quality|satisfaction']:.3f}",
                       f"{model['htmt']['value|satisfaction']:.3f}"]
    assert all(v is None for v in model["htmt_flag"].values())  # distinct constructs: nothing flagged
    fl = model["fornell_larcker"]
    assert rows[0] == [""] + list(titles.values())
    for r, lv in enumerate(lvs, start=1):
        assert rows[r] == [titles[lv]] + [f"{fl[lv][other]:.3f}" if c <= r - 1 else ""
                                          for c, other in enumerate(lvs)]
    assert "0.7" in " ".join(el.get_text() for el in part) and "from 0.5" in " ".join(el.get_text() for el in part)

    ipma = tables["Importance–performance map"]
    assert model["ipma"]["target"] == "satisfaction"
    assert ipma[0] == ["Latent variable", "Importance: total effect on Customer satisfaction",
                       "Performance: index (0–100)"]
    assert ipma[1:] == [[titles[lv], f"{v:.3f}", f"{model['ipma']['performance'][lv]:.1f}"]
                        for lv, v in model["ipma"]["importance"].items()]
    assert "charts/sem-ipma.svg" in charts
    assert "Perceived quality: " + f"{model['ipma']['importance']['quality']:.3f}" in alt_of(doc, "sem-ipma.svg")


def test_htmt_above_a_threshold_is_flagged(sem_page):
    from qmdoc.load import SurveyData

    _, _, _, fig = sem_page
    latest = fig.waves[-1]
    a = latest.model_assessment
    pair = ("quality", "satisfaction")
    flagged = dataclasses.replace(a, htmt={**a.htmt, pair: 0.93}, htmt_flag={**a.htmt_flag, pair: 0.90})
    wave = dataclasses.replace(latest, model_assessment=flagged)
    sd = SurveyData(survey=_model_survey(), source="policy/surveys/sem.yml", files=(), responses=None)
    t = catalogue("en")
    view, _ = view_and_charts(sd, dataclasses.replace(fig, waves=fig.waves[:-1] + (wave,)), t)
    cells = [str(c) for row in view.structural.htmt.rows for c in row]
    assert "**0.930**\u00a0(&gt;\u00a00.90)" in cells


def test_drivers_section_shows_the_relative_weights(page, mini):
    doc, charts, _ = page
    _, fig = mini
    drivers = _wave_json(fig)["drivers"]
    headings = [h.get_text() for h in doc.find_all("h2")]
    at = next(k for k, h in enumerate(headings) if h.startswith("What drives overall satisfaction"))
    assert headings[at - 1].startswith("Importance–performance analysis")  # beside the IPA
    assert headings[at] == "What drives overall satisfaction — 2025-Q2"
    part = section(doc, "What drives overall satisfaction")
    intro = plain(part[0].get_text())
    assert f"R² = {drivers['r2']:.3f}" in intro and f"n = {drivers['n']} respondents" in intro
    rows = table_rows(part)
    assert rows[0] == ["Dimension", "Raw weight ε", "Share of R²", "95 % interval", "n", "R²"]
    titles = {"quality": "Product quality", "delivery": "Delivery"}
    assert [r[0] for r in rows[1:-1]] == [titles[d] for d in drivers["raw"]]
    for row, d in zip(rows[1:-1], drivers["raw"]):
        assert row == [titles[d], f"{drivers['raw'][d]:.3f}", f"{drivers['share'][d] * 100:.1f} %",
                       _interval(drivers["share_ci"][d], 1, 100), str(drivers["n"]), f"{drivers['r2']:.3f}"]
    assert rows[-1] == ["All dimensions (R²)", f"{drivers['r2']:.3f}", "100.0 %", "", str(drivers["n"]),
                        f"{drivers['r2']:.3f}"]
    assert f"{drivers['bootstrap']} bootstrap resamples" in " ".join(el.get_text() for el in part)
    assert "charts/css-drivers.svg" in charts
    alt = alt_of(doc, "css-drivers.svg")
    d = next(iter(drivers["share"]))
    assert f"{titles[d]} {drivers['share'][d] * 100:.1f} %" in alt


@pytest.mark.parametrize(("language", "reason", "detail", "expected"), [
    ("en", "too_few_rows", {"n": 3, "required": 4},
     "only 3 respondents have a score on every dimension and an overall answer, and at least 4 are needed"),
    ("en", "constant", {"variable": "overall", "n": 12},
     "the overall-satisfaction item q_overall has the same value for all 12 respondents"),
    ("en", "constant", {"variable": "delivery", "n": 12}, "Delivery has the same value for all 12 respondents"),
    ("zh", "too_few_rows", {"n": 3, "required": 4}, "受访者仅 3 人，至少需要 4 人"),
    ("zh", "singular", {"n": 9}, "9 名受访者的各维度得分完全共线"),
])
def test_drivers_unavailable_says_why(mini, language, reason, detail, expected, shared_charts):
    sd, fig = mini
    wave = dataclasses.replace(fig.waves[-1], drivers=None, drivers_unavailable=cs.ModelUnavailable(reason, detail))
    doc, charts, _ = render(sd, dataclasses.replace(fig, waves=fig.waves[:-1] + (wave,)), language=language,
                            cache=shared_charts)
    heading = "What drives overall satisfaction" if language == "en" else "关键驱动因素分析"
    part = section(doc, heading)
    assert len(part) == 1 and expected in plain(part[0].get_text())
    assert "charts/css-drivers.svg" not in charts


def test_drivers_and_assessment_in_chinese(mini, shared_charts, sem_figures):
    sd, fig = mini
    doc, _, _ = render(sd, fig, language="zh", cache=shared_charts)
    drivers = _wave_json(fig)["drivers"]
    rows = table_rows(section(doc, "关键驱动因素分析"))
    assert rows[0] == ["维度", "原始相对权重 ε", "占 R² 比例", "95 % 置信区间", "样本量", "R²"]
    assert rows[1][2] == f"{drivers['share']['quality'] * 100:.1f} %"
    doc, _, _, fig = _render_survey(_model_survey(), _model_responses(), language="zh", fig=sem_figures)
    tables = sub_tables(section(doc, "结构模型（PLS路径模型）"))
    assert tables["路径系数"][0] == ["起点", "终点", "2025-H2", "标准误", "t 值", "p 值", "95 % 置信区间", "2025-H1"]
    assert tables["测量模型：信度与收敛效度"][0] == ["潜变量", "克龙巴赫 α", "ρ_C", "ρ_A", "AVE"]
    assert "重要性–绩效矩阵分析（IPMA）" in tables
    assert "总效应" in tables and "测量模型：区分效度" in tables


def test_outer_loadings_and_weights_show_their_bootstrap(sem_page):
    doc, _, _, fig = sem_page
    model, boot = fig.waves[-1].model, fig.waves[-1].model_assessment.bootstrap
    table = sub_tables(section(doc, "Structural model (PLS path model)"))[
        "Measurement model: bootstrap of loadings and weights"]
    assert table[0] == ["Item", "Outer loading", "SE", "p", "95 % interval", "Outer weight", "SE", "p",
                        "95 % interval"]
    assert [r[0] for r in table[1:]] == list(model.loadings)

    def shown(p):
        return "< 0.001" if p < 0.001 else f"{p:.3f}"

    for row in table[1:]:
        i = row[0]
        for offset, stats, value in ((1, boot.loadings, model.loadings[i]), (5, boot.weights, model.weights[i])):
            lo, hi = stats.ci[i]
            assert row[offset].removesuffix(" *") == f"{value:.3f}"
            assert row[offset].endswith(" *") == bool(stats.significant[i])
            assert row[offset + 1:offset + 4] == [f"{stats.se[i]:.3f}", shown(stats.p[i]), f"{lo:.3f} – {hi:.3f}"]
