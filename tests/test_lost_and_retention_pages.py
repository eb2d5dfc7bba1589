"""Lost-customer surveys and the customer list, end to end: load rules (exact text), the JSON of a wave's
``lost`` key, the pages (parsed), the customer-list objective metrics, and no customer id in any output.

Every figure is worked by hand from the small files below (see the comments beside them).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from scipy import stats as sps

from qmdoc.charts import draw_with
from qmdoc.compute.manual import compute_manual
from qmdoc.compute.survey import figures_as_json
from qmdoc.i18n import catalogue
from qmdoc.load import load_project
from qmdoc.manual_charts import retention_chart, survey_charts
from qmdoc.render import make_environment
from qmdoc.views.context import template_values
from qmdoc.views.customers import customers_view
from qmdoc.views.satisfaction import satisfaction_view

from conftest import copy_mini, section
from input_cases import OBJ, ORG, check, edit

LOST = "policy/surveys/lost.yml"
CUSTOMERS = "data/customers.csv"

LOST_YML = """\
id: lost
title: Lost-customer survey
kind: lost
scale: {min: 1, max: 5}
respondent: respondent_id
wave: wave
min_cell_n: 2
lost:
  reasons: [reasons]
  separator: ";"
  went_to: went_to
  win_back: q_winback
dimensions:
  - id: experience
    title: Experience
    items:
      - {id: a1, text: Parts were right}
      - {id: a2, text: Deliveries were on time}
items:
  - id: q_winback
    text: How likely are you to buy from us again?
    scale: {min: 0, max: 10}
"""
# reasons: 6 respondents name one (row 6 is blank); Price 4 (rows 1, 2, 4, 5), Late 3 (1, 3, 5),
# Quality 1, Service 1: 9 mentions; Quality and Service are below min_cell_n 2 (two hidden: no more).
# went_to: 6 answers; A 3, B 2, C 1: C alone is hidden, so B (the least named shown) with it.
# win-back: 9, 10, 3, 6, 7, 0 (row 6 blank): n 6, 2 likely (9-10), 3 unlikely (0-6).
LOST_CSV = """\
respondent_id,wave,email,a1,a2,reasons,went_to,q_winback
LR-01,2025-H1,lost1@example.com,4,3,Price;Late,A,9
LR-02,2025-H1,lost2@example.com,5,4,Price┋Quality,A,10
LR-03,2025-H1,lost3@example.com,2,2,Late,B,3
LR-04,2025-H1,lost4@example.com,3,3,Price,,6
LR-05,2025-H1,lost5@example.com,3,2,Late;Price;Late,A,7
LR-06,2025-H1,lost6@example.com,4,4,,B,
LR-07,2025-H1,lost7@example.com,1,2,Service,C,0
"""
CUSTOMERS_YML = """
customers:
  path: data/customers.csv
  columns: {customer: cust, date: period, revenue: revenue}
  segments: [region]
  period: quarter
  min_cell_n: 2
"""
# Q1 active K1 K2 K3 K5 (revenue 450); Q2 K1 K2 K4: retained 2 of 4 = 50 %, churned 2, new 1 (K4),
# revenue of Q1's customers 100 + 50 = 150 of 450; Q3 K1 K4 K5: retained 2 of 3, churned 1 (K2),
# returning 1 (K5), revenue of Q2's customers 100 + 10 of 160. South has one customer active in Q1
# and Q2 (suppressed; North with it as the only other level), and one in Q2 before Q3's two.
CUSTOMERS_CSV = """\
cust,period,region,revenue
SECRET-K1,2025-Q1,North,100
SECRET-K1,2025-Q2,North,100
SECRET-K1,2025-08-15,North,100
SECRET-K2,2025-Q1,North,100
SECRET-K2,2025-Q2,North,50
SECRET-K3,2025-Q1,North,200
SECRET-K4,2025-Q2,South,10
SECRET-K4,2025-Q3,South,10
SECRET-K5,2025-Q1,South,50
SECRET-K5,2025-Q3,South,50
"""
IDS = [f"SECRET-K{k}" for k in range(1, 6)]
OBJECTIVE = ("  - {id: O9, title: Customer retention, metric: customers.retention_rate, direction: at_least, "
             "target: 60, unit: \"%\", period: each quarter, owner: Sales}\n")


def with_lost_and_customers(root: Path) -> Path:
    (root / LOST).write_text(LOST_YML, "utf-8")
    (root / "data/surveys/lost").mkdir(parents=True)
    (root / "data/surveys/lost/2025-H1.csv").write_text(LOST_CSV, "utf-8")
    (root / CUSTOMERS).write_text(CUSTOMERS_CSV, "utf-8")
    with (root / ORG).open("a", encoding="utf-8") as f:
        f.write(CUSTOMERS_YML)
    with (root / OBJ).open("a", encoding="utf-8") as f:
        f.write(OBJECTIVE)
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return load_project(with_lost_and_customers(copy_mini(tmp_path_factory.mktemp("lr") / "mini")))


@pytest.fixture(scope="module")
def results(project):
    return compute_manual(project)


# ------------------------------------------------------------------------------------ load rules


CASES = [
    ("kind-lost-without-lost", LOST, "lost:\n  reasons: [reasons]\n  separator: \";\"\n  went_to: went_to\n"
     "  win_back: q_winback\n", "",
     [f"{LOST}:3: lost: expected the reasons column (lost: {{reasons: [...]}}) for kind lost, got nothing"]),
    ("lost-without-kind", LOST, "kind: lost\n", "", [f"{LOST}:7: kind: expected kind: lost with lost:, got 'customer'"]),
    ("lost-with-competitors", LOST, "kind: lost\n", "kind: lost\ncompetitors: {column: went_to, us: A}\n",
     [f"{LOST}:4: competitors: expected no competitors on a lost-customer survey, got some"]),
    ("lost-with-internal", LOST, "kind: lost\n", "kind: lost\ninternal: {supplier: went_to, customer: reasons}\n",
     [f"{LOST}:4: kind: expected kind: internal with internal:, got 'lost'"]),
    ("win-back-scale", LOST, "win_back: q_winback", "win_back: a1",
     [f"{LOST}:12: lost.win_back: expected an item on a 0..10 scale, got 'a1' on 1..5"]),
    ("win-back-unknown", LOST, "win_back: q_winback", "win_back: q9",
     [f"{LOST}:12: lost.win_back: expected the id of an item, got 'q9'"]),
    ("separator-single", LOST, "  separator: \";\"\n", "  separator: \";\"\n  multiple: false\n",
     [f"{LOST}:10: lost.separator: expected no separator for single-choice reasons (multiple: false), got one"]),
    ("went-to-is-a-reason", LOST, "went_to: went_to", "went_to: reasons",
     [f"{LOST}:11: lost.went_to: expected a column other than the reasons columns, got 'reasons'"]),
    ("missing-reasons-column", "data/surveys/lost/2025-H1.csv", ",reasons,", ",why,",
     ["data/surveys/lost/2025-H1.csv:1: reasons: expected a column named 'reasons', got none"]),
    ("customer-bad-period", CUSTOMERS, "SECRET-K2,2025-Q1", "SECRET-K2,2025-Q5",
     [f"{CUSTOMERS}:5: period: expected a date or a period label such as 2025-03-31 or 2025-Q1, got a value of 7 characters (not shown)"]),
    ("customer-blank-id", CUSTOMERS, "SECRET-K3,2025-Q1", ",2025-Q1",
     [f"{CUSTOMERS}:7: cust: expected a customer id, got nothing"]),
    ("customer-negative-revenue", CUSTOMERS, "SECRET-K3,2025-Q1,North,200", "SECRET-K3,2025-Q1,North,-200",
     [f"{CUSTOMERS}:7: revenue: expected an amount of 0 or more (blank: none), got '-200'"]),
    ("customer-missing-column", CUSTOMERS, "cust,period,region,revenue", "cust,period,area,revenue",
     [f"{CUSTOMERS}:1: region: expected a column named 'region', got none"]),
    ("customer-list-missing", ORG, "path: data/customers.csv", "path: data/clients.csv",
     [f"{ORG}:24: customers.path: expected the customer list, got 'data/clients.csv' (no such file)"]),
    ("customer-both-forms", ORG, "date: period,", "date: period, first_order: since, last_order: until,",
     [f"{ORG}:25: customers.columns: expected date (one row per customer and period) or first_order "
      "and last_order, got both"]),
    ("segment-title-of-no-segment", ORG, "  segments: [region]\n", "  segments: [region]\n  segment_titles: {area: Area}\n",
     [f"{ORG}:23: customers: expected segment_titles only for columns listed in segments (region), got area"]),
    ("retention-without-list", ORG, CUSTOMERS_YML, "",
     [f"{OBJ}:16: objectives[3].metric: expected a computed metric (complaints.acknowledged_within_target, "
      "complaints.count, complaints.resolution_p90_days, complaints.resolved_within_target, ...), "
      "got 'customers.retention_rate'"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_check_reports_the_rule(case, tmp_path, capsys):
    _, rel, old, new, expected = case
    root = with_lost_and_customers(copy_mini(tmp_path / "org"))
    edit(root, rel, old, new)
    code, err, _ = check(root, capsys)
    assert (code, err) == (1, expected)


def test_a_customer_order_after_today_is_an_error(tmp_path, capsys):
    import datetime as dt

    root = with_lost_and_customers(copy_mini(tmp_path / "org"))
    edit(root, CUSTOMERS, "SECRET-K3,2025-Q1", "SECRET-K3,2099-01-05")
    code, err, _ = check(root, capsys)
    assert (code, err) == (1, [f"{CUSTOMERS}:7: period: expected a date on or before today "
                               f"({dt.date.today().isoformat()}), got a later one"])


# ------------------------------------------------------------------------------------------ JSON


def test_json_of_a_lost_wave(project, results):
    wave = figures_as_json(results.surveys["lost"])["waves"][0]
    lost = wave["lost"]
    hidden = {"count": None, "share": None, "cumulative": None, "suppressed": True}
    assert lost["n"] == 7
    assert lost["reasons"] == {"respondents": 6, "mentions": 9, "rows": [
        {"label": "Price", "count": 4, "share": 100 * 4 / 6, "cumulative": 100 * 4 / 9, "suppressed": False},
        {"label": "Late", "count": 3, "share": 100 * 3 / 6, "cumulative": 100 * 7 / 9, "suppressed": False},
        {"label": "Quality", **hidden}, {"label": "Service", **hidden}]}
    assert lost["went_to"] == {"respondents": 6, "mentions": 6, "rows": [
        {"label": "A", "count": 3, "share": 50.0, "cumulative": 50.0, "suppressed": False},
        {"label": "B", **hidden}, {"label": "C", **hidden}]}
    x = [9, 10, 3, 6, 7, 0]
    mean, sd = sum(x) / 6, float(sps.tstd(x))
    half = sps.t.ppf(0.975, 5) * sd / math.sqrt(6)
    net, p_p, p_d = 100 * (2 / 6 - 3 / 6), 2 / 6, 3 / 6
    se = 100 * math.sqrt((p_p + p_d - (p_p - p_d) ** 2) / 6)
    got = lost["win_back"]
    assert got["n"] == 6 and got["likely"] == pytest.approx(1 / 3) and got["unlikely"] == pytest.approx(0.5)
    assert got["mean"] == pytest.approx(mean) and got["ci"] == pytest.approx([mean - half, mean + half])
    assert got["net"] == pytest.approx(net) and got["net_se"] == pytest.approx(se)
    assert got["net_ci"] == pytest.approx([net - sps.norm.ppf(0.975) * se, net + sps.norm.ppf(0.975) * se])
    assert "lost" not in figures_as_json(results.surveys["css"])["waves"][0]  # only a lost survey has the key
    json.dumps(wave)  # plain JSON


# ----------------------------------------------------------------------------------------- pages


def plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u2060", "")


def rows_of(elements, k: int = 0) -> list[list[str]]:
    table = [el for el in elements if el.name == "table"][k]
    return [[plain(c.get_text(" ", strip=True)) for c in tr.find_all(["td", "th"])] for tr in table.find_all("tr")]


def html_of(template: str, context, t) -> BeautifulSoup:
    md = make_environment().get_template(template).render(t=t, **template_values(context))
    return BeautifulSoup(markdown.markdown(md, extensions=["tables", "attr_list"]), "html.parser")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_lost_section_of_the_survey_page(project, results, language):
    t = catalogue(language)
    sd = next(s for s in project.surveys if s.survey.id == "lost")
    fig = results.surveys["lost"]
    drawn = survey_charts(sd, fig, t, {}, draw_with(None))
    doc = html_of("satisfaction.md.j2", satisfaction_view(sd, fig, t, drawn), t)
    part = section(doc, t["lost_heading"])
    small = "n < 2"
    assert rows_of(part, 0)[1:] == [["Price", "4", "66.7 %", "44.4 %"], ["Late", "3", "50.0 %", "77.8 %"],
                                    ["Quality", small, "—", "—"], ["Service", small, "—", "—"]]
    assert rows_of(part, 1)[1:] == [["A", "3", "50.0 %", "50.0 %"], ["B", small, "—", "—"], ["C", small, "—", "—"]]
    assert rows_of(part, 2)[1][:2] == ["6", "5.8"] and rows_of(part, 2)[1][3:6] == ["33.3 %", "50.0 %", "-16.7"]
    img = next(el for el in part if el.find("img")).find("img")
    assert img["src"] == "../charts/lost-lost-reasons.svg"
    assert plain(img["alt"]) == t("chart_lost_reasons_title", wave="2025-H1", n=6) + ": Price 4, Late 3"
    # one dimension: an importance-performance grid would compare nothing, so there is none
    assert len(fig.waves[-1].importance) == 1 and drawn.ipa is None
    assert not [h for h in doc.find_all("h2") if h.get_text().startswith(t["ipa"])]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_customer_retention_page(project, results, language):
    t = catalogue(language)
    fig = results.customers
    chart = retention_chart(fig, 60.0, t, draw_with(None))
    doc = html_of("customers.md.j2", customers_view(project.organization.customers, fig, t, chart), t)
    table = rows_of(doc.find_all(["table", "p"]), 0)
    assert table[1:] == [
        ["2025-Q1", "4", "—", "—", "—", "—", "—", "—"],
        ["2025-Q2", "3", "2", "50.0 %", "2", "1", "0", "33.3 %"],
        ["2025-Q3", "3", "2", "66.7 %", "1", "0", "1", "68.8 %"],
    ]
    segments = section(doc, t["customers_segments"])
    assert rows_of(segments)[1:] == [["North", "n < 2", "n < 2", "n < 2"], ["South", "n < 2", "n < 2", "n < 2"]]
    assert doc.find("img")["src"] == "charts/customers-retention.svg"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_segment_table_is_headed_by_its_title(project, results, language):
    t = catalogue(language)
    spec = project.organization.customers.model_copy(update={"segment_titles": {"region": "Sales <b>region</b>"}})
    chart = retention_chart(results.customers, 60.0, t, draw_with(None))
    doc = html_of("customers.md.j2", customers_view(spec, results.customers, t, chart), t)
    segments = section(doc, t["customers_segments"])
    assert [h.get_text() for h in segments if h.name == "h3"] == ["Sales <b>region</b>"]
    assert rows_of(segments)[0][0] == "Sales <b>region</b>"


def test_retention_objective_and_metrics(results):
    o9 = next(r for r in results.objectives if r.objective.id == "O9")
    assert o9.series == (("2025-Q1", None), ("2025-Q2", 50.0), ("2025-Q3", pytest.approx(200 / 3)))
    assert (o9.period, o9.actual, o9.status) == ("2025-Q3", pytest.approx(200 / 3), "met")
    from qmdoc.compute.objectives import metric_series

    assert metric_series("customers.churn_rate", {}, None, results.customers)[-1] == ("2025-Q3",
                                                                                       pytest.approx(100 / 3))
    assert metric_series("customers.lost", {}, None, results.customers) == (
        ("2025-Q1", None), ("2025-Q2", 2.0), ("2025-Q3", 1.0))


def test_metric_names_of_the_customer_list():
    from qmdoc.metric import Metric, known_metrics

    assert Metric.parse("customers.lost") == Metric("customers", "lost")
    assert Metric.parse("customers.index") == Metric("index", None, "customers")  # a survey named customers
    assert {"customers.retention_rate", "customers.churn_rate", "customers.lost"} <= known_metrics([], False, True)
    assert not known_metrics([], False, False)


# ------------------------------------------------------------------------------ the built manual


@pytest.mark.slow
def test_built_manual_has_the_sections_and_no_customer_id(tmp_path):
    from pypdf import PdfReader

    from qmdoc.build import build

    root = with_lost_and_customers(copy_mini(tmp_path / "mini"))
    build(root)
    site = root / "site"
    review = BeautifulSoup((site / "review" / "index.html").read_text("utf-8"), "html.parser")
    assert rows_of(section(review, "Reasons for leaving"))[1] == ["Lost-customer survey", "2025-H1",
                                                                  "Price (67 %), Late (50 %)"]
    assert [r[:4] for r in rows_of(section(review, "Customer retention"))[1:]] == [
        ["2025-Q1", "4", "—", "—"], ["2025-Q2", "3", "2", "50.0 %"], ["2025-Q3", "3", "2", "66.7 %"]]
    assert (site / "customers" / "index.html").is_file()
    texts = [p.read_text("utf-8", errors="replace") for p in site.rglob("*")
             if p.suffix in (".html", ".json", ".xml", ".svg", ".js", ".txt")]
    pdf = "\n".join(p.extract_text() for p in PdfReader(site / "quality-manual.pdf").pages)
    for heading in ("Retention rate by segment", "Win-back likelihood", "Where they went"):  # the pages' own parts
        assert heading in pdf, heading
    for secret in [*IDS, *(f"lost{k}@example.com" for k in range(1, 8)), "LR-01"]:
        assert not any(secret in t for t in texts), secret
        assert secret not in pdf, secret
    assert re.search(r"SECRET-K\d", pdf + "".join(texts)) is None
