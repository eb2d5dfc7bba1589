"""Service-quality gaps and improvement actions, end to end on a small fixture: the instrument's keys and
their load rules (exact messages, file:line), the figures and their JSON against scipy, the page sections
(English and Chinese) parsed from the rendered HTML, the action's marker on its trend chart.

Fixture (a copy of tests/fixtures/mini): items q3 and q4 (dimension delivery) get expectation columns
e3 and e4, an expectation of 4 from every respondent of 2025-Q1 and of 3 from every respondent of 2025-Q2
(blank where the perception is blank, 0 where it is 0); action CA-1 on delivery dated 2025-04-10: 2025-Q1
(ended 2025-03-31) is before it, 2025-Q2 after.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import markdown
import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from scipy import stats

from qmdoc import charts
from qmdoc.charts import draw_with
from qmdoc.compute.manual import compute_manual
from qmdoc.compute.survey import compute_survey_figures, figures_as_json
from qmdoc.i18n import catalogue
from qmdoc.load import load_project
from qmdoc.manual_charts import survey_charts
from qmdoc.models import wave_end
from qmdoc.render import make_environment
from qmdoc.views.context import template_values
from qmdoc.views.satisfaction import satisfaction_view

from conftest import copy_mini, section
from input_cases import CSS, check, edit

EXPECT = {"2025-Q1": 4, "2025-Q2": 3}
GAP_KEYS = "      - {id: q3, text: Deliveries arrive on time}\n      - {id: q4, text: Lead times are acceptable}"
WITH_GAPS = ("      - {id: q3, text: Deliveries arrive on time, expectation: {column: e3}}\n"
             "      - {id: q4, text: Lead times are acceptable, expectation: {column: e4}}")
ACTION = ("improvements:\n  - {id: CA-1, title: Second carrier <b>north</b>, date: 2025-04-10, "
          "dimension: delivery}\n")


def add_expectations(root: Path) -> None:
    """The columns e3 and e4 in both data files (see the module docstring)."""
    for wave, value in EXPECT.items():
        path = root / f"data/surveys/css/{wave}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        header = rows[0]
        rows[0] = header + ["e3", "e4"]
        for r in rows[1:]:
            for q in ("q3", "q4"):
                answer = r[header.index(q)]
                r.append("" if answer == "" else "0" if answer == "0" else str(value))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")


def gap_project(root: Path) -> Path:
    add_expectations(root)
    edit(root, CSS, GAP_KEYS, WITH_GAPS)
    (root / CSS).write_text((root / CSS).read_text(encoding="utf-8") + ACTION, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return gap_project(copy_mini(tmp_path_factory.mktemp("gaps") / "org"))


@pytest.fixture(scope="module")
def loaded(org: Path):
    project = load_project(org)
    results = compute_manual(project)
    sd = project.surveys[0]
    return project, sd, results.surveys[sd.survey.id]


# ------------------------------------------------------------------ load rules

def _no_columns(root: Path) -> None:
    edit(root, CSS, GAP_KEYS, WITH_GAPS)


def _out_of_scale(root: Path) -> None:
    gap_project(root)
    path = root / "data/surveys/css/2025-Q1.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[3].endswith(",4")  # e4 of the third respondent
    lines[3] = lines[3][:-1] + "7"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _instrument(old: str, new: str):
    def apply(root: Path) -> None:
        gap_project(root)
        edit(root, CSS, old, new)
    return apply


def _append(text: str):
    def apply(root: Path) -> None:
        gap_project(root)
        (root / CSS).write_text((root / CSS).read_text(encoding="utf-8") + text, encoding="utf-8")
    return apply


def _wave_label(root: Path) -> None:
    gap_project(root)
    path = root / "data/surveys/css/2025-Q1.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",2025-Q1,", ",spring,"), encoding="utf-8")
    edit(root, CSS, '"2025-Q1": 40, ', "")


def _url(url: str):
    def apply(root: Path) -> None:
        gap_project(root)
        path = root / "policy/organization.yml"
        path.write_text(path.read_text(encoding="utf-8") + f"corrective_action_url: {json.dumps(url)}\n",
                        encoding="utf-8")
    return apply


LOAD_CASES = [
    ("expectation-column-missing", _no_columns,
     ["data/surveys/css/2025-Q1.csv:1: e3: expected a column named 'e3', got none",
      "data/surveys/css/2025-Q1.csv:1: e4: expected a column named 'e4', got none",
      "data/surveys/css/2025-Q2.csv:1: e3: expected a column named 'e3', got none",
      "data/surveys/css/2025-Q2.csv:1: e4: expected a column named 'e4', got none"]),
    ("expectation-off-scale", _out_of_scale,
     ["data/surveys/css/2025-Q1.csv:4: e4: expected a whole number from 1 to 5 or 0 (not applicable), got 7"]),
    ("expectation-an-item-column", _instrument("column: e4", "column: q1"),
     ["policy/surveys/css.yml:25: dimensions[1].items[1].expectation.column: expected a column of its own for "
      "the expectation of item 'q4', got 'q1', a column the survey already reads"]),
    ("expectation-shared", _instrument("column: e4", "column: e3"),
     ["policy/surveys/css.yml:25: dimensions[1].items[1].expectation.column: expected a column of its own for "
      "the expectation of item 'q4', got 'e3', the expectation column of item 'q3'"]),
    ("improvement-id-twice", _append("  - {id: CA-1, title: Again, date: 2025-05-01, item: q3}\n"),
     ["policy/surveys/css.yml:31: improvements[1].id: expected a unique improvement id, got 'CA-1' again "
      "(first at improvements[0])"]),
    ("improvement-unknown-dimension", _instrument("dimension: delivery}", "dimension: speed}"),
     ["policy/surveys/css.yml:30: improvements[0].dimension: expected the id of a dimension, got 'speed'"]),
    ("improvement-unknown-item", _append("  - {id: CA-2, title: Again, date: 2025-05-01, item: q9}\n"),
     ["policy/surveys/css.yml:31: improvements[1].item: expected the id of an item, got 'q9'"]),
    ("improvement-both-targets", _instrument("dimension: delivery}", "dimension: delivery, item: q3}"),
     ["policy/surveys/css.yml:30: improvements[0]: expected exactly one of dimension: and item:, got both"]),
    ("improvement-no-target", _instrument(", dimension: delivery}", "}"),
     ["policy/surveys/css.yml:30: improvements[0]: expected exactly one of dimension: and item:, got neither"]),
    ("improvement-before-first-wave", _instrument("2025-04-10", "2025-01-10"),
     ["policy/surveys/css.yml:30: improvements[0].date: expected a date on or after the end of the first wave "
      "(2025-Q1, ended 2025-03-31), got 2025-01-10: no wave before the action to compare with"]),
    ("improvement-after-last-wave", _instrument("2025-04-10", "2025-09-01"), None),
    ("improvement-undated-waves", _wave_label,
     ["policy/surveys/css.yml:29: improvements: expected wave labels that name a period (2025, 2025-H1, "
      "2025-Q2, 2025-06 or 2025-06-30) to date the waves before and after each action, got 'spring'"]),
    ("action-url-javascript", _url("javascript:alert(1)//{id}"),
     ["policy/organization.yml:22: corrective_action_url: expected an http:// or https:// URL, "
      "got 'javascript:alert(1)//{id}'"]),
    ("action-url-data", _url("data:text/html,<script>alert(2)</script>{id}"),
     ["policy/organization.yml:22: corrective_action_url: expected an http:// or https:// URL, "
      "got 'data:text/html,<script>alert(2)</script>{id}'"]),
    ("action-url-quote", _url('https://qms.example.com/ca/{id}" onclick="alert(3)'),
     ["policy/organization.yml:22: corrective_action_url: expected a URL without spaces, quotes or angle "
      "brackets, got 'https://qms.example.com/ca/{id}\" onclick=\"alert(3)'"]),
    ("action-url-no-id", _url("https://qms.example.com/ca/"),
     ["policy/organization.yml:22: corrective_action_url: expected {id} in the URL (replaced by the action's "
      "id), got 'https://qms.example.com/ca/'"]),
]


@pytest.mark.parametrize("case", LOAD_CASES, ids=[c[0] for c in LOAD_CASES])
def test_load_rules(case, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    name, apply, expected = case
    root = copy_mini(tmp_path / "org")
    apply(root)
    code, err, out = check(root, capsys)
    if expected is None:
        assert (code, err) == (0, [])
        assert out.startswith("ok: ")
    else:
        assert (code, err) == (1, expected)


# ------------------------------------------------------------------ figures and JSON

def _scores(values: pd.Series) -> np.ndarray:
    x = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    return np.where((x >= 1) & (x <= 5), (x - 1) / 4 * 100, np.nan)


def _wave_frame(org: Path, wave: str) -> pd.DataFrame:
    df = pd.read_csv(org / f"data/surveys/css/{wave}.csv")
    return df.drop_duplicates("respondent_id", keep="first")  # a repeated respondent keeps the first row


def _paired_reference(e: np.ndarray, p: np.ndarray) -> dict:
    """The gap figures by scipy: ttest_rel, the t quantile, plain means."""
    both = np.isfinite(e) & np.isfinite(p)
    e, p = e[both], p[both]
    d = p - e
    n = len(d)
    half = stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / math.sqrt(n)
    return {"n": n, "expectation": e.mean(), "perception": p.mean(), "gap": d.mean(),
            "ci": [d.mean() - half, d.mean() + half], "share_short": float(np.mean(d < 0)),
            "p": stats.ttest_rel(p, e).pvalue}


def test_gaps_json_matches_scipy(org: Path, loaded) -> None:
    _, sd, fig = loaded
    out = figures_as_json(fig)
    for w, wave in zip(out["waves"], EXPECT):
        df = _wave_frame(org, wave)
        assert list(w["gaps"]) == ["items", "dimensions"]
        assert list(w["gaps"]["items"]) == ["q3", "q4"] and list(w["gaps"]["dimensions"]) == ["delivery"]
        E = {q: _scores(df[f"e{q[1:]}"]) for q in ("q3", "q4")}
        P = {q: _scores(df[q]) for q in ("q3", "q4")}
        for q in ("q3", "q4"):
            ref = _paired_reference(E[q], P[q])
            got = w["gaps"]["items"][q]
            assert list(got) == ["n", "expectation", "perception", "gap", "ci", "share_short"]
            assert got["n"] == ref["n"]
            for k in ("expectation", "perception", "gap", "share_short"):
                assert got[k] == pytest.approx(ref[k], abs=1e-9)
            assert got["ci"] == pytest.approx(ref["ci"], abs=1e-9)
        # the dimension: each respondent's mean over the items with a valid pair
        pair = {q: np.isfinite(E[q]) & np.isfinite(P[q]) for q in E}
        k = sum(pair[q].astype(int) for q in E)
        with np.errstate(invalid="ignore"):
            re = sum(np.where(pair[q], E[q], 0) for q in E) / k
            rp = sum(np.where(pair[q], P[q], 0) for q in E) / k
        ref = _paired_reference(re, rp)
        got = w["gaps"]["dimensions"]["delivery"]
        assert got["n"] == ref["n"]
        assert got["gap"] == pytest.approx(ref["gap"], abs=1e-9)
        assert got["ci"] == pytest.approx(ref["ci"], abs=1e-9)
        assert got["share_short"] == pytest.approx(ref["share_short"], abs=1e-12)
    # every expectation is 4 in 2025-Q1 and 3 in 2025-Q2: 75 and 50 points on 1..5
    assert [w["gaps"]["items"]["q3"]["expectation"] for w in out["waves"]] == [75.0, 50.0]


def test_improvement_json_matches_the_z_test(loaded) -> None:
    _, sd, fig = loaded
    out = figures_as_json(fig)
    q1, q2 = fig.waves[0].dimensions["delivery"], fig.waves[1].dimensions["delivery"]
    se = math.hypot(q1.se, q2.se)
    delta = q2.score - q1.score
    z = stats.norm.ppf(0.975)
    assert out["improvements"] == [{
        "id": "CA-1", "dimension": "delivery",
        "before": {"wave": "2025-Q1", "score": q1.score},
        "after": [{"wave": "2025-Q2", "score": q2.score, "delta": pytest.approx(delta, abs=1e-12),
                   "ci": pytest.approx([delta - z * se, delta + z * se], abs=1e-9),
                   "p": pytest.approx(2 * stats.norm.sf(abs(delta) / se), rel=1e-9), "significant": False}],
    }]


def test_gap_changes_are_welch_tests(loaded) -> None:
    _, sd, fig = loaded
    a, b = fig.waves[0].gaps.items["q3"], fig.waves[1].gaps.items["q3"]
    change = next(c for c in fig.gap_changes if c.kind == "item" and c.id == "q3")
    t = stats.ttest_ind_from_stats(b.gap, b.sd, b.n, a.gap, a.sd, a.n, equal_var=False)
    assert (change.from_wave, change.to_wave) == ("2025-Q1", "2025-Q2")
    assert change.delta == pytest.approx(b.gap - a.gap, abs=1e-12)
    assert change.p == pytest.approx(t.pvalue, rel=1e-9)


def test_no_gaps_and_no_improvements_without_the_keys() -> None:
    project = load_project(Path(__file__).parent / "fixtures" / "mini")
    sd = project.surveys[0]
    out = figures_as_json(compute_survey_figures(sd.survey, sd.responses))
    assert "improvements" not in out
    assert all("gaps" not in w for w in out["waves"])


def test_wave_end_dates() -> None:
    assert [wave_end(w).isoformat() for w in ("2025", "2025-H1", "2024-H2", "2025-Q1", "2024-02", "2025-06-15")] \
        == ["2025-12-31", "2025-06-30", "2024-12-31", "2025-03-31", "2024-02-29", "2025-06-15"]
    assert [wave_end(w) for w in ("spring", "2025-Q5", "2025-13", "2025-02-30")] == [None] * 4


# ------------------------------------------------------------------ the page

URL = "https://qms.example.com/ca/{id}"


@pytest.fixture(scope="module")
def shared_charts(tmp_path_factory: pytest.TempPathFactory):
    """One chart cache for the pages this module renders: a page rendered again draws only the charts it changes
    (the cache keys on what a chart shows, so a chart taken from it is the one drawing it again would give)."""
    from qmdoc.charts import ChartCache

    return ChartCache(tmp_path_factory.mktemp("gap-charts"))


def render(loaded, language: str, url: str | None = URL, cache=None):  # noqa: ANN001 - a ChartCache or None
    project, sd, fig = loaded
    t = catalogue(language)
    drawn = survey_charts(sd, fig, t, {}, draw_with(cache))
    view = satisfaction_view(sd, fig, t, drawn, {}, action_url=url)
    md = make_environment().get_template("satisfaction.md.j2").render(t=t, **template_values(view))
    html = markdown.markdown(md, extensions=["tables", "attr_list"])
    return BeautifulSoup(html, "html.parser"), drawn


def _rows(table) -> list[list[str]]:
    return [[c.get_text().replace("\xa0", " ").replace("\u2060", "") for c in tr.find_all(["td", "th"])]
            for tr in table.find_all("tr")]


def test_gap_section(loaded, shared_charts) -> None:
    doc, drawn = render(loaded, "en", cache=shared_charts)
    part = section(doc, "Service-quality gaps — 2025-Q2")
    tables = [el for el in part if el.name == "table"]
    g = loaded[2].waves[1].gaps
    dims, items = _rows(tables[0]), _rows(tables[1])
    assert dims[0] == ["Dimension", "n", "Expectation", "Perception", "Gap", "95 % interval", "Short of expectation"]
    d = g.dimensions["delivery"]
    assert dims[1] == ["Delivery", str(d.n), f"{d.expectation:.1f}", f"{d.perception:.1f}", f"{d.gap:+.1f}",
                       f"{d.ci[0]:.1f} – {d.ci[1]:.1f}", f"{d.share_short * 100:.1f} %"]
    assert [r[0] for r in items[1:]] == ["q3 Deliveries arrive on time", "q4 Lead times are acceptable"]
    text = " ".join(el.get_text() for el in part)
    ranked = sorted(("q3", "q4"), key=lambda i: g.items[i].gap)
    assert f"Gaps ranked, largest shortfall first: dimensions Delivery ({d.gap:+.1f}); items " \
           f"{ranked[0]} ({g.items[ranked[0]].gap:+.1f}) > {ranked[1]} ({g.items[ranked[1]].gap:+.1f})." in text
    assert drawn.gaps is not None and any(el.find("img", src="../charts/css-gaps.svg") for el in part)
    # 2025-Q1 -> 2025-Q2: q3 -12.5 -> +14.4 (further from zero: widened), q4 -17.9 -> +12.0 and delivery
    # -14.6 -> +13.0 (nearer zero: narrowed); all three significant
    changes = [c for c in loaded[2].gap_changes if c.significant]
    assert [(c.id, c.direction) for c in changes] == [("q3", "widened"), ("q4", "narrowed"), ("delivery", "narrowed")]
    heading = next(h for h in doc.find_all("h3") if h.get_text() == "Gaps that widened or narrowed")
    rows = _rows(heading.find_next_sibling("table"))
    q3 = changes[0]
    assert rows[0] == ["Measure", "2025-Q1", "2025-Q2", "Change", "p", ""]
    assert rows[1] == ["q3", "-12.5", "+14.4", f"+{q3.delta:.1f} points ({q3.ci[0]:.1f} – {q3.ci[1]:.1f})",
                       f"{q3.p:.3f}", "widened"]
    assert [r[0] for r in rows[1:]] == ["q3", "q4", "Delivery"] and [r[-1] for r in rows[1:]] == \
        ["widened", "narrowed", "narrowed"]


GAPS_WEIGHTED = {
    "en": "The survey is weighted, and so are its gaps, like every other figure: expectation, perception and gap "
          "are weighted means, the interval uses the linearization standard error of the weighted mean difference, "
          "the share short is a weighted share (its interval at the effective n), and the changes of the gaps are "
          "tested on those standard errors; n is the unweighted number of respondents.",
    "zh": "本调查为加权样本，差距与其他各项指标一样加权：期望、感受和差距均为加权平均值，区间采用加权平均差值的线性化标准误，"
          "未达期望比例为加权比例（其区间按有效样本量计算），差距的变化也按这些标准误检验；n 为未加权的受访者人数。",
}


def add_weights(root: Path) -> None:
    """A design weight column wt (1, 1.5, 2, 1, 1.5, ... by row) and ``weighting: {column: wt}``."""
    for wave in EXPECT:
        path = root / f"data/surveys/css/{wave}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        rows[0].append("wt")
        for k, r in enumerate(rows[1:]):
            r.append(str(1 + 0.5 * (k % 3)))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    (root / CSS).write_text((root / CSS).read_text(encoding="utf-8") + "weighting: {column: wt}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def weighted(tmp_path_factory: pytest.TempPathFactory):
    root = gap_project(copy_mini(tmp_path_factory.mktemp("weighted-gaps") / "org"))
    add_weights(root)
    project = load_project(root)
    sd = project.surveys[0]
    return project, sd, compute_survey_figures(sd.survey, sd.responses)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_gap_section_says_the_gaps_are_weighted(weighted, loaded, language: str, shared_charts) -> None:
    heading = catalogue(language)["gaps_heading"]
    doc, _ = render(weighted, language, cache=shared_charts)
    part = section(doc, heading)
    paragraphs = [el.get_text() for el in part if el.name == "p"]
    assert paragraphs[1] == GAPS_WEIGHTED[language]  # right after the intro
    g = weighted[2].waves[1].gaps.dimensions["delivery"]
    assert g.se is not None  # weighted figures on the page
    rows = _rows(next(el for el in part if el.name == "table"))
    assert rows[1][1:5] == [str(g.n), f"{g.expectation:.1f}", f"{g.perception:.1f}", f"{g.gap:+.1f}"]
    plain, _ = render(loaded, language, cache=shared_charts)
    assert GAPS_WEIGHTED[language] not in " ".join(el.get_text() for el in section(plain, heading))


def test_improvement_section_en(loaded, shared_charts) -> None:
    doc, drawn = render(loaded, "en", cache=shared_charts)
    part = section(doc, "Improvement actions")
    h3 = next(el for el in part if el.name == "h3")
    assert h3["id"] == "evaluation-ca-1"
    assert h3.get_text() == "CA-1 — Second carrier <b>north</b>"  # the title is text, never markup
    assert h3.find("a")["href"] == "https://qms.example.com/ca/CA-1"
    assert not h3.find("b")
    rows = _rows(next(el for el in part if el.name == "table"))
    after = loaded[2].improvements[0].after[0]
    assert rows[0] == ["Wave", "n", "Score (0–100)", "Change (95 % interval)", "p", "Verdict"]
    assert rows[1] == ["2025-Q2", str(after.n), f"{after.score:.1f}",
                       f"{after.delta:+.1f} points ({after.ci[0]:.1f} – {after.ci[1]:.1f})", f"{after.p:.3f}",
                       "no significant change"]
    text = " ".join(el.get_text() for el in part)
    assert "Dimension: Delivery · Date: 10 April 2025 · Before: 2025-Q1, score " \
           f"{loaded[2].improvements[0].before.score:.1f}" in text
    assert "Verdict: no significant change" in text
    assert list(drawn.improvements) == ["CA-1"]


def test_improvement_section_zh(loaded, shared_charts) -> None:
    doc, _ = render(loaded, "zh", url=None, cache=shared_charts)
    part = section(doc, "改进措施")
    h3 = next(el for el in part if el.name == "h3")
    assert h3.find("a") is None  # no corrective_action_url: the id is text
    assert "结论：无显著变化" in " ".join(el.get_text() for el in part)
    rows = _rows(next(el for el in part if el.name == "table"))
    assert rows[1][-1] == "无显著变化"


def test_action_after_the_last_wave(tmp_path: Path, shared_charts) -> None:
    root = gap_project(copy_mini(tmp_path / "org"))
    edit(root, CSS, "2025-04-10", "2025-09-01")
    project = load_project(root)
    sd = project.surveys[0]
    fig = compute_manual(project).surveys["css"]
    assert figures_as_json(fig)["improvements"][0]["after"] == []
    doc, _ = render((project, sd, fig), "en", cache=shared_charts)
    text = " ".join(el.get_text() for el in section(doc, "Improvement actions"))
    assert "No wave after the action yet: its effect shows once the next wave is in." in text
    assert "Verdict: not yet evaluated" in text


def test_hostile_action_id_stays_one_link(tmp_path: Path, shared_charts) -> None:
    root = gap_project(copy_mini(tmp_path / "org"))
    edit(root, CSS, "id: CA-1,", 'id: "CA-1\\"><script>alert(1)</script> x](javascript:alert(2))",')
    project = load_project(root)
    fig = compute_manual(project).surveys["css"]
    doc, _ = render((project, project.surveys[0], fig), "en", cache=shared_charts)
    h3 = next(el for el in section(doc, "Improvement actions") if el.name == "h3")
    assert not doc.find("script")
    assert [a["href"] for a in h3.find_all("a")] == [
        "https://qms.example.com/ca/CA-1%22%3E%3Cscript%3Ealert%281%29%3C%2Fscript%3E%20x%5D%28javascript%3A"
        "alert%282%29%29"]
    assert h3.get_text().startswith('CA-1"><script>alert(1)</script> x](javascript:alert(2)) — ')


# ------------------------------------------------------------------ the trend marker

TREND = (["2025-Q1", "2025-Q2", "2025-Q3"], [60.1, 62.0, 68.25], [55.0, 57.0, 60.5], [65.2, 67.0, 76.0],
         [24, 26, 25])


def test_trend_without_marker_is_unchanged() -> None:
    kwargs = {"title": "Delivery", "ylabel": "Score"}
    assert charts.trend(*TREND, **kwargs) == charts.trend(*TREND, **kwargs, marker=None)


def test_trend_marks_the_action(loaded, shared_charts) -> None:
    plain = charts.trend(*TREND, title="Delivery", ylabel="Score")
    marked = charts.trend(*TREND, title="Delivery", ylabel="Score", marker=(0.5, "CA-2025-004"))
    assert b"CA-2025-004" in marked and b"CA-2025-004" not in plain
    _, drawn = render(loaded, "en", cache=shared_charts)
    svg = drawn.improvements["CA-1"].svg
    assert b"CA-1" in svg
    assert drawn.improvements["CA-1"].path == "charts/css-improvement-1.svg"


# ------------------------------------------------------------------ objectives and management review

def test_objectives_and_review_link_to_the_evaluation(tmp_path: Path) -> None:
    from qmdoc.compute.review import review_pack
    from qmdoc.views.objectives import objectives_view
    from qmdoc.views.review import review_view
    from qmdoc.views.satisfaction.improvements import improvement_links

    root = gap_project(copy_mini(tmp_path / "org"))
    edit(root, "policy/objectives.yml", "  - {id: O2,",
         "  - {id: O4, title: Delivery, metric: css.dimension.delivery, direction: at_least, target: 70, "
         "unit: points, period: each wave, owner: Logistics}\n  - {id: O2,")
    project = load_project(root)
    results = compute_manual(project)
    t = catalogue("en")
    env = make_environment()
    surveys = {sd.survey.id: sd.survey for sd in project.surveys}

    links = improvement_links(surveys, results.surveys, "objectives.md", t, URL)
    view = objectives_view(project, results.objectives, t, {}, {}, None, links)
    assert {o.id: len(o.improvements) for o in view.objectives} == {"O1": 0, "O4": 1, "O2": 0, "O3": 0}
    html = markdown.markdown(env.get_template("objectives.md.j2").render(t=t, **template_values(view)),
                             extensions=["tables", "attr_list", "md_in_html"])
    doc = BeautifulSoup(html, "html.parser")
    hrefs = [a["href"] for a in doc.find_all("a")]
    assert "satisfaction/css.md#evaluation-ca-1" in hrefs and "https://qms.example.com/ca/CA-1" in hrefs

    links = improvement_links(surveys, results.surveys, "review.md", t, None)
    pack = review_pack(results.surveys, results.objectives, results.complaints, [], (), dt.date(2026, 1, 1))
    review = review_view(project, pack, t, links)
    html = markdown.markdown(env.get_template("review.md.j2").render(t=t, **template_values(review)),
                             extensions=["tables"])
    rows = _rows(next(el for el in section(BeautifulSoup(html, "html.parser"), "Improvement actions")
                      if el.name == "table"))
    assert rows == [["Action", "Survey", "Aimed at", "Verdict"],
                    ["CA-1 Second carrier <b>north</b>", "Customer satisfaction survey",
                     "Dimension: Delivery", "no significant change"]]


# ------------------------------------------------------------------ qmdoc init --servqual

@pytest.mark.parametrize("language", ["en", "zh"])
def test_init_servqual_template(tmp_path: Path, language: str, capsys: pytest.CaptureFixture) -> None:
    from qmdoc.cli import main
    from qmdoc.load import load_survey_standalone

    root = tmp_path / "new"
    assert main(["init", str(root), "--language", language, "--servqual"]) == 0
    survey_file = root / "policy/surveys/sq.yml"
    # one respondent: expectation 7 everywhere, perception 6 on reliability (items p5-p9), 7 elsewhere
    header = ["respondent_id", *[f"p{k}" for k in range(1, 23)], *[f"e{k}" for k in range(1, 23)]]
    rows = [["r1", *["6" if 5 <= k <= 9 else "7" for k in range(1, 23)], *["7"] * 22],
            ["r2", *["7"] * 22, *["7"] * 22]]
    (root / "data/surveys/sq/2026-Q1.csv").write_text(
        "\n".join(",".join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
    assert main(["--root", str(root), "check"]) == 0
    capsys.readouterr()
    sd = load_survey_standalone(survey_file, [], root)
    gaps = figures_as_json(compute_survey_figures(sd.survey, sd.responses))["waves"][0]["gaps"]
    assert list(gaps["dimensions"]) == ["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
    assert len(gaps["items"]) == 22
    # reliability: r1 falls short by 1/6 of the scale on each of its items, r2 not at all
    assert gaps["dimensions"]["reliability"]["gap"] == pytest.approx(-100 / 12)
    assert gaps["dimensions"]["reliability"]["share_short"] == 0.5
    assert gaps["dimensions"]["empathy"]["gap"] == 0.0


def test_init_servqual_is_not_for_the_example(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from qmdoc.cli import main

    assert main(["init", str(tmp_path / "x"), "--example", "--servqual"]) == 1
    assert capsys.readouterr().err.strip().endswith(
        "--servqual: expected a new project, got --example (the example has gap items of its own)")
    assert not (tmp_path / "x").exists()


def test_an_item_action_is_tested_by_welch(tmp_path: Path) -> None:
    root = gap_project(copy_mini(tmp_path / "org"))
    edit(root, CSS, "dimension: delivery}", "item: q3}")
    project = load_project(root)
    fig = compute_manual(project).surveys["css"]
    a, b = fig.waves[0].items["q3"], fig.waves[1].items["q3"]
    t = stats.ttest_ind_from_stats(b.score, b.score_sd, b.n, a.score, a.score_sd, a.n, equal_var=False)
    got = figures_as_json(fig)["improvements"][0]
    assert (got["id"], got["item"], got["before"]) == ("CA-1", "q3", {"wave": "2025-Q1", "score": a.score})
    assert "dimension" not in got
    assert got["after"][0]["delta"] == pytest.approx(b.score - a.score, abs=1e-12)
    assert got["after"][0]["p"] == pytest.approx(t.pvalue, rel=1e-9)


def test_anchors_stay_unique() -> None:
    from qmdoc.models import Survey
    from qmdoc.views.satisfaction.improvements import improvement_anchor

    s = Survey.model_validate({
        "id": "s", "title": "S", "scale": {"min": 1, "max": 5}, "respondent": "r",
        "dimensions": [{"id": "d", "title": "D", "items": [{"id": "q1", "text": "Q"}]}],
        "improvements": [{"id": i, "title": "T", "date": "2025-01-01", "dimension": "d"}
                         for i in ("CA_1", "CA-1", "改进一")]})
    assert [improvement_anchor(s, k) for k in range(3)] == ["evaluation-ca-1", "evaluation-ca-1-2", "evaluation-action"]
