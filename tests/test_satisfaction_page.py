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
from qmdoc.render import make_environment
from qmdoc.survey_pages import satisfaction_view

from conftest import FIXTURES


@pytest.fixture(scope="module")
def mini():
    project = load_project(FIXTURES / "mini")
    results = compute_manual(project)
    sd = project.surveys[0]
    return sd, results.surveys[sd.survey.id]


def render(sd, fig, language="en", targets=None, **kwargs):
    t = catalogue(language)
    charts: dict[str, bytes] = {}
    view = satisfaction_view(sd, fig, t, charts, targets, **kwargs)
    md = make_environment().get_template("satisfaction.md.j2").render(t=t, **view)
    html = markdown.markdown(md, extensions=["tables", "attr_list"])
    return BeautifulSoup(html, "html.parser"), charts, md


@pytest.fixture(scope="module")
def page(mini):
    sd, fig = mini
    return render(sd, fig, targets={"css.index": 60.0})


def plain(text: str) -> str:
    """Text as read: no-break spaces as spaces, word joiners (which only stop line breaks) dropped."""
    return text.replace("\xa0", " ").replace("\u2060", "")


def section(doc: BeautifulSoup, heading: str):
    """The elements after the h2 that starts with ``heading``, up to the next h2."""
    h2 = next(h for h in doc.find_all("h2") if h.get_text().startswith(heading))
    out = []
    for el in h2.find_next_siblings():
        if el.name == "h2":
            break
        out.append(el)
    return out


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
    assert {"charts/css-index.svg", "charts/css-dimensions.svg", "charts/css-items.svg", "charts/css-nps.svg",
            "charts/css-segment-region.svg", "charts/css-ipa.svg"} <= set(charts)
    for img in imgs:
        assert len(img["alt"]) > 20, img["src"]
    for svg in charts.values():
        assert svg.startswith(b"<?xml") and b"<text" not in svg


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


def test_a_sentence_when_no_change_is_significant(mini):
    sd, fig = mini
    calm = dataclasses.replace(fig, changes=tuple(dataclasses.replace(c, significant=False) for c in fig.changes))
    doc, _, _ = render(sd, calm)
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


def test_optional_sections_render_with_suppressed_cells(mini):
    """Competitors, loyalty and the internal matrix, on figures made up from the fixture's."""
    if not all(hasattr(cs, name) for name in ("CompetitorFigures", "LoyaltyFigures", "CellFigures", "InternalMatrix")):
        pytest.skip("the compute stage has no competitor / loyalty / internal figures")
    sd, fig = mini
    latest = fig.waves[-1]
    from qmdoc.models import Competitors

    survey = sd.survey.model_copy(update={"competitors": Competitors(column="rated_company", us="Mini Test Works")})
    sd2 = dataclasses.replace(sd, survey=survey)
    cell = cs.CellFigures
    wave = dataclasses.replace(
        latest,
        competitors={"Mini Test Works": cs.CompetitorFigures(26, 68.26, {"quality": 71.6, "delivery": 63.2}, False),
                     "Rival": cs.CompetitorFigures(3, None, None, True),
                     "Other": cs.CompetitorFigures(12, 60.0, {"quality": 65.0, "delivery": 70.0}, False)},
        competitor_gaps={"quality": 6.6, "delivery": -6.8},
        loyalty={"q_nps": cs.LoyaltyFigures(26, 72.7, (63.5, 81.9), 0.423, (0.255, 0.611))},
        satisfaction_loyalty_r={"q_nps": 0.61},
        internal=cs.InternalMatrix(("Sales", "Stores"), ("Production",),
                                   {("Sales", "Production"): cell(12, 70.31, False), ("Stores", "Production"): cell(3, None, True)},
                                   {"Sales": cell(12, 70.31, False), "Stores": cell(3, None, True)}),
    )
    doc, charts, _ = render(sd2, dataclasses.replace(fig, waves=fig.waves[:-1] + (wave,)))
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


def test_chinese_page_uses_the_chinese_catalogue(mini):
    sd, fig = mini
    doc, charts, _ = render(sd, fig, language="zh", targets={"css.index": 60.0})
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


def test_a_survey_without_responses_says_so(mini):
    sd, fig = mini
    doc, charts, _ = render(sd, dataclasses.replace(fig, waves=(), changes=()))
    assert "The data files of this survey contain no responses yet." in doc.get_text()
    assert charts == {} and doc.find("table") is None


def test_a_single_wave_has_no_comparison(mini):
    sd, fig = mini
    doc, _, _ = render(sd, dataclasses.replace(fig, waves=fig.waves[:1], changes=()))
    assert table_rows(section(doc, "Dimension scores"))[0] == ["Dimension", "Weight", "2025-Q1", "95 % interval", "n"]
    part = section(doc, "Significant changes")
    assert "Only one wave (2025-Q1) has been surveyed so far" in part[0].get_text()
