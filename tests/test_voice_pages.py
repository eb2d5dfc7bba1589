"""The voice-of-the-customer sections as a reader sees them, parsed from the rendered pages: no chart that
compares nothing (a radar of fewer than three dimensions, theme bars that are all suppressed), improvement
targets named by their declared titles in the page's language, and the published comments listed up to
a limit with a line saying how many more there are and where.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from qmdoc.charts import draw_with
from qmdoc.compute.manual import compute_manual
from qmdoc.compute.review import review_pack
from qmdoc.compute.survey import compute_survey_figures
from qmdoc.i18n import catalogue
from qmdoc.load import load_project, load_survey_standalone
from qmdoc.manual_charts import survey_charts
from qmdoc.render import make_environment
from qmdoc.views.context import template_values
from qmdoc.views.objectives import objectives_view
from qmdoc.views.review import review_view
from qmdoc.views.satisfaction import satisfaction_view
from qmdoc.views.satisfaction.comments import COMMENTS_LISTED
from qmdoc.views.satisfaction.improvements import improvement_links

from conftest import copy_mini, section
from input_cases import CSS, edit
from test_gap_pages import gap_project
from test_lost_and_retention_pages import with_lost_and_customers


def html_of(template: str, context, t) -> BeautifulSoup:  # noqa: ANN001 - a view context
    md = make_environment().get_template(template).render(t=t, **template_values(context))
    return BeautifulSoup(markdown.markdown(md, extensions=["tables", "attr_list", "md_in_html"]), "html.parser")


def page_of(sd, fig, t):  # noqa: ANN001, ANN201 - a survey's data and figures -> (charts, parsed page)
    drawn = survey_charts(sd, fig, t, {}, draw_with(None))
    return drawn, html_of("satisfaction.md.j2", satisfaction_view(sd, fig, t, drawn), t)


def images(elements) -> list[str]:  # noqa: ANN001 - parsed elements
    return [img["src"] for el in elements for img in ([el] if el.name == "img" else el.find_all("img"))]


def rows_of(table) -> list[list[str]]:  # noqa: ANN001 - a parsed table
    return [[c.get_text(" ", strip=True).replace("\xa0", " ").replace("\u2060", "") for c in tr.find_all(["td", "th"])]
            for tr in table.find_all("tr")]


# ------------------------------------------------------------------ a radar needs three dimensions


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_survey_of_one_dimension_shows_its_table_and_no_radar(tmp_path: Path, language: str) -> None:
    project = load_project(with_lost_and_customers(copy_mini(tmp_path / "org")))
    results = compute_manual(project)
    t = catalogue(language)
    sd = next(s for s in project.surveys if s.survey.id == "lost")
    drawn, doc = page_of(sd, results.surveys["lost"], t)
    assert drawn.dimensions is None
    part = section(doc, t["dimensions"])
    assert images(part) == []
    table = next(el for el in part if el.name == "table")
    assert [r[0] for r in rows_of(table)[1:]] == ["Experience"]
    assert not any(c.path == "charts/lost-dimensions.svg" for c in drawn.all())


def test_two_dimensions_draw_no_radar_three_do(tmp_path: Path) -> None:
    t = catalogue("en")
    root = copy_mini(tmp_path / "two")
    project = load_project(root)
    drawn, doc = page_of(project.surveys[0], compute_manual(project).surveys["css"], t)
    assert drawn.dimensions is None and images(section(doc, t["dimensions"])) == []
    # the same survey with lead time as a third dimension of its own
    root3 = copy_mini(tmp_path / "three")
    edit(root3, CSS, "      - {id: q4, text: Lead times are acceptable}\n",
         "  - id: lead\n    title: Lead time\n    items:\n      - {id: q4, text: Lead times are acceptable}\n")
    edit(root3, CSS, "    weight: 0.4\n", "    weight: 0.2\n")
    edit(root3, CSS, "    title: Lead time\n", "    title: Lead time\n    weight: 0.2\n")
    project3 = load_project(root3)
    drawn3, doc3 = page_of(project3.surveys[0], compute_manual(project3).surveys["css"], t)
    assert drawn3.dimensions is not None and drawn3.dimensions.path == "charts/css-dimensions.svg"
    assert images(section(doc3, t["dimensions"])) == ["../charts/css-dimensions.svg"]


# ------------------------------------------------------------------ improvement targets by their titles

ITEM_ACTION = "  - {id: CA-2, title: Lead time review, date: 2025-04-10, item: q4}\n"
OBJECTIVE = ("  - {id: O4, title: Delivery, metric: css.dimension.delivery, direction: at_least, target: 70, "
             "unit: points, period: each wave, owner: Logistics}\n  - {id: O2,")


@pytest.fixture(scope="module")
def with_actions(tmp_path_factory: pytest.TempPathFactory):
    root = gap_project(copy_mini(tmp_path_factory.mktemp("actions") / "org"))
    (root / CSS).write_text((root / CSS).read_text(encoding="utf-8") + ITEM_ACTION, encoding="utf-8")
    edit(root, "policy/objectives.yml", "  - {id: O2,", OBJECTIVE)
    project = load_project(root)
    return project, compute_manual(project)


TARGETS = {"en": ("Dimension: Delivery", "Item q4: Lead times are acceptable"),
           "zh": ("维度：Delivery", "题项 q4：Lead times are acceptable")}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_review_names_each_action_target_by_its_title(with_actions, language: str) -> None:
    project, results = with_actions
    t = catalogue(language)
    surveys = {sd.survey.id: sd.survey for sd in project.surveys}
    links = improvement_links(surveys, results.surveys, "review.md", t, None)
    pack = review_pack(results.surveys, results.objectives, results.complaints, [], (), dt.date(2026, 1, 1))
    doc = html_of("review.md.j2", review_view(project, pack, t, links), t)
    rows = rows_of(next(el for el in section(doc, t["improvement_actions"]) if el.name == "table"))
    assert [r[2] for r in rows] == [t["improvement_target"], *TARGETS[language]]
    assert "css.dimension" not in doc.get_text() and "css.item" not in doc.get_text()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_objectives_name_each_action_target_by_its_title(with_actions, language: str) -> None:
    project, results = with_actions
    t = catalogue(language)
    surveys = {sd.survey.id: sd.survey for sd in project.surveys}
    links = improvement_links(surveys, results.surveys, "objectives.md", t, None)
    view = objectives_view(project, results.objectives, t, {}, {}, None, links)
    # objectives measure dimensions, not items: only the delivery action bears on one
    assert {o.id: [a.target for a in o.improvements] for o in view.objectives if o.improvements} == {
        "O4": [TARGETS[language][0]]}
    doc = html_of("objectives.md.j2", view, t)
    lines = [p.get_text() for p in doc.find_all("p") if p.get_text().startswith(t["improvement_actions"])]
    bracketed = {"en": f" (Customer satisfaction survey, {TARGETS['en'][0]}): ",
                 "zh": f"（Customer satisfaction survey，{TARGETS['zh'][0]}）："}[language]
    assert len(lines) == 1 and bracketed in lines[0]
    assert "css.dimension.delivery" not in lines[0]


DATES = {"en": "Date: 10 April 2025", "zh": "日期：2025年4月10日"}


def test_the_survey_page_names_the_target_the_same_way(with_actions) -> None:
    project, results = with_actions
    for language in ("en", "zh"):
        t = catalogue(language)
        _, doc = page_of(project.surveys[0], results.surveys["css"], t)
        part = section(doc, t["improvement_actions"])
        lines = [p.get_text().split(" · ")[:2] for p in part if p.name == "p" and " · " in p.get_text()]
        assert lines == [[target, DATES[language]] for target in TARGETS[language]]
        # one column for the change and its interval, so that the table fits beside the page's navigation
        header = rows_of(next(el for el in part if el.name == "table"))[0]
        assert header == [t["wave"], "n", t["score"], t["improvement_change_interval"], t["p_value"],
                          t["improvement_verdict"]]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_review_survey_table_puts_the_previous_wave_in_brackets(with_actions, language: str) -> None:
    project, results = with_actions
    t = catalogue(language)
    pack = review_pack(results.surveys, results.objectives, results.complaints, [], (), dt.date(2026, 1, 1))
    doc = html_of("review.md.j2", review_view(project, pack, t), t)
    rows = rows_of(next(el for el in section(doc, t["review_satisfaction"]) if el.name == "table"))
    s = pack.surveys[0]
    significance = t["significant"] if s.index_change_significant else t["not_significant"]
    assert rows == [[t["survey"], t["latest_wave"], "n", t["review_index_previous"], t["change_delta"],
                     t["review_nps_previous"]],
                    ["Customer satisfaction survey", "2025-Q2", str(s.n), f"{s.index:.1f} ({s.previous_index:.1f})",
                     f"{s.index - s.previous_index:+.1f} {significance}", f"{s.nps:.1f} ({s.previous_nps:.1f})"]]


# ------------------------------------------------------------------ comments: themes and the listing

INSTRUMENT = """\
id: t
title: T
scale: {min: 1, max: 5}
respondent: rid
wave: wave
min_cell_n: 3
dimensions:
  - id: delivery
    title: Delivery
    items: [{id: q1, text: On time}]
comments:
  - {column: note, publishable: ok}
  - {column: note_d, dimension: delivery, publishable: ok_d}
themes:
  late: [late, delay]
  price: [price]
"""
HEADER = ["rid", "wave", "q1", "note", "ok", "note_d", "ok_d"]


def comment_survey(tmp_path: Path, rows: list[list[str]]):  # noqa: ANN201 - (survey data, figures)
    (tmp_path / "policy" / "surveys").mkdir(parents=True)
    (tmp_path / "data" / "surveys" / "t").mkdir(parents=True)
    path = tmp_path / "policy" / "surveys" / "t.yml"
    path.write_text(INSTRUMENT, encoding="utf-8")
    with open(tmp_path / "data" / "surveys" / "t" / "W1.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([HEADER, *rows])
    sd = load_survey_standalone(path, [], tmp_path)
    return sd, compute_survey_figures(sd.survey, sd.responses)


# late: 2 comments, price: 2 (both under min_cell_n 3); 4 comments, all published
SPARSE = [["A1", "W1", "4", "Late twice", "yes", "", ""], ["A2", "W1", "3", "Price went up", "yes", "", ""],
          ["A3", "W1", "4", "", "", "A delay in May", "yes"], ["A4", "W1", "2", "Price list unclear", "yes", "", ""]]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_all_themes_suppressed_draws_no_chart_and_says_so(tmp_path: Path, language: str) -> None:
    t = catalogue(language)
    sd, fig = comment_survey(tmp_path, SPARSE)
    assert dict(fig.waves[-1].comments.themes) == {"late": None, "price": None}
    drawn, doc = page_of(sd, fig, t)
    assert drawn.comments is None
    part = section(doc, t["comments_heading"])
    assert images(part) == []
    paragraphs = [p.get_text() for p in part if p.name == "p"]
    assert t("comments_all_suppressed", wave="W1", n=3) in paragraphs


def test_a_theme_at_min_cell_n_is_charted_without_the_note(tmp_path: Path) -> None:
    t = catalogue("en")
    rows = [*SPARSE, ["A5", "W1", "5", "late again", "no", "", ""]]  # late: 3 = min_cell_n
    sd, fig = comment_survey(tmp_path, rows)
    assert dict(fig.waves[-1].comments.themes) == {"late": 3, "price": None}
    drawn, doc = page_of(sd, fig, t)
    part = section(doc, t["comments_heading"])
    assert images(part) == ["../charts/t-comments.svg"] and drawn.comments.path == "charts/t-comments.svg"
    assert not any(p.get_text() == t("comments_all_suppressed", wave="W1", n=3) for p in part if p.name == "p")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_most_recent_published_comments_are_listed_and_the_rest_counted(tmp_path: Path,
                                                                            language: str) -> None:
    t = catalogue(language)
    # 16 rows, each with a general comment (published on the even rows: 8) and rows 1, 5, 9, 13 with a
    # published delivery comment (4): 12 published, as many as are listed
    rows = []
    for k in range(16):
        rows.append([f"R{k:02d}", "W1", "4", f"General remark {k}", "yes" if k % 2 == 0 else "no",
                     f"Delivery remark {k}" if k % 4 == 1 else "", "yes" if k % 4 == 1 else ""])
    sd, fig = comment_survey(tmp_path, rows)
    c = fig.waves[-1].comments
    # published in row order, each row's columns in declared order: rows 0, 1 (delivery), 2, 4, 5 (d), ...
    order = [text for k in range(16) for text, ok in ((f"General remark {k}", k % 2 == 0),
                                                     (f"Delivery remark {k}", k % 4 == 1)) if ok]
    assert [r.render() for r in c.texts] == order and c.published == 12
    # two more published rows push the total past the limit
    rows += [["R16", "W1", "3", "General remark 16", "yes", "", ""], ["R17", "W1", "3", "", "", "Delivery remark 17",
                                                                       "yes"]]
    order += ["General remark 16", "Delivery remark 17"]
    sd, fig = comment_survey(tmp_path / "more", rows)
    assert fig.waves[-1].comments.published == 14
    _, doc = page_of(sd, fig, t)
    part = section(doc, t["comments_heading"])
    listed = [li.get_text() for el in part if el.name == "ul" for li in el.find_all("li")]
    assert listed == [text + (" (Delivery)" if text.startswith("Delivery") else "")
                      for text in order[-COMMENTS_LISTED:]]
    assert COMMENTS_LISTED == 12
    paragraphs = [p.get_text() for p in part if p.name == "p"]
    assert paragraphs[-1] == t("comments_more", shown=12, more=2, folder="data/surveys/t/")


def test_all_published_comments_listed_without_the_more_line(tmp_path: Path) -> None:
    t = catalogue("en")
    sd, fig = comment_survey(tmp_path, SPARSE)
    _, doc = page_of(sd, fig, t)
    part = section(doc, t["comments_heading"])
    assert [li.get_text() for el in part if el.name == "ul" for li in el.find_all("li")] == [
        "Late twice", "Price went up", "A delay in May (Delivery)", "Price list unclear"]
    assert [p.get_text() for p in part if p.name == "p"][-1] == t(
        "comments_published", n=4, published=4, wave="W1", marker=t["redacted_marker"])


def test_objectives_table_fits_with_the_period_in_each_objectives_section(with_actions) -> None:
    project, results = with_actions
    t = catalogue("en")
    doc = html_of("objectives.md.j2", objectives_view(project, results.objectives, t, {}, {}, None), t)
    table = next(el for el in doc.find_all("table") if rows_of(el)[0][0] == t["objective"])
    o4 = next(r for r in results.objectives if r.objective.id == "O4")
    assert rows_of(table)[0] == ["Objective", "Metric", "Target", "Owner", "Actual (latest period)", "Status"]
    assert [r for r in rows_of(table) if r[0] == "O4 Delivery"] == [
        ["O4 Delivery", "css.dimension.delivery", "≥ 70 points", "Logistics", f"{o4.actual:.1f} ({o4.period})",
         "met" if o4.status == "met" else "not met"]]
    line = next(p.get_text() for p in doc.find_all("p") if p.get_text().startswith("Target: ≥ 70 points"))
    assert line.startswith("Target: ≥ 70 points · Period: each wave · Actual: ")
