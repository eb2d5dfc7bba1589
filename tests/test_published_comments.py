"""Customers' own words, published safely: the declarations and marks checked at load (exact messages),
the JSON export's counts (no text), and the built examples: no e-mail address, phone number or value of
a personal column on any page or in the PDF, published comments shown redacted, unpublished ones never."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from qmdoc.compute.comments import _EMAIL, _PHONES, personal_values, redact
from qmdoc.compute.survey import compute_survey_figures, figures_as_json
from qmdoc.errors import QmdocError
from qmdoc.load import load_survey_standalone

INSTRUMENT = """\
id: t
title: T
scale: {min: 1, max: 5}
respondent: rid
wave: wave
min_cell_n: 2
dimensions:
  - id: delivery
    title: Delivery
    items: [{id: q1, text: On time}]
comments:
  - column: note
    dimension: {dimension}
    publishable: ok
personal: [who]
themes:
{themes}
"""
THEMES = "  late: [late, delay]\n  price: [price]"
HEADER = ["rid", "wave", "who", "q1", "note", "ok"]
ROWS = [
    ["A1", "W1", "Ann Lee", "4", "Late again, call Ann Lee on +44 20 7946 0958", "yes"],
    ["A2", "W1", "Bo Chan", "5", "Price is fine but deliveries are delayed", "no"],
    ["A3", "W1", "Cy Dunn", "3", "Late; mail cy@example.com", ""],
    ["A4", "W1", "Di Eyre", "2", "none", "yes"],
    ["A5", "W1", "Ed Ford", "4", "", ""],
]


def project(tmp_path: Path, rows=ROWS, themes: str = THEMES, dimension: str = "delivery",
            reviewed: list[list[str]] | None = None) -> Path:
    (tmp_path / "policy" / "surveys").mkdir(parents=True)
    (tmp_path / "data" / "surveys" / "t").mkdir(parents=True)
    path = tmp_path / "policy" / "surveys" / "t.yml"
    path.write_text(INSTRUMENT.replace("{themes}", themes).replace("{dimension}", dimension), encoding="utf-8")
    with open(tmp_path / "data" / "surveys" / "t" / "W1.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows([HEADER, *rows])
    if reviewed is not None:
        with open(tmp_path / "data" / "surveys" / "t" / "comments-reviewed.csv", "w", newline="",
                  encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows([["respondent", "comment", "publishable"], *reviewed])
    return path


def problems(path: Path, root: Path) -> list[tuple[str, int, str, str]]:
    with pytest.raises(QmdocError) as info:
        load_survey_standalone(path, [], root)
    return [(p.path, p.line, p.field, p.message) for p in info.value.problems]


# ------------------------------------------------------------------ load errors


def test_a_bad_publishable_mark_names_file_line_column_and_the_spellings(tmp_path):
    rows = [r[:] for r in ROWS]
    rows[1][5] = "maybe"
    assert problems(project(tmp_path, rows), tmp_path) == [
        ("data/surveys/t/W1.csv", 3, "ok",
         "expected a publishable mark, one of yes, no, true, false, 1, 0, 是, 否 (blank: not reviewed), got 'maybe'")]


def test_missing_comment_and_personal_columns_are_named(tmp_path):
    path = project(tmp_path)
    path.write_text(path.read_text("utf-8").replace("column: note", "column: remark")
                    .replace("personal: [who]", "personal: [name]"), encoding="utf-8")
    assert problems(path, tmp_path) == [
        ("data/surveys/t/W1.csv", 1, "name", "expected a column named 'name', got none"),
        ("data/surveys/t/W1.csv", 1, "remark", "expected a column named 'remark', got none")]


def test_comment_dimension_themes_and_keywords_are_checked_in_the_instrument(tmp_path):
    themes = "  late: [late, '  ']\n  Late: [delay]\n  price: []"
    assert problems(project(tmp_path, themes=themes, dimension="price"), tmp_path) == [
        ("policy/surveys/t.yml", 13, "comments[0].dimension", "expected a dimension id (delivery), got 'price'"),
        ("policy/surveys/t.yml", 17, "themes.late[1]", "expected a keyword, got a blank one"),
        ("policy/surveys/t.yml", 18, "themes.Late", "expected unique theme names, got 'Late' and 'late'"),
        ("policy/surveys/t.yml", 19, "themes.price", "expected at least one keyword, got none")]


def test_the_reviewed_file_names_existing_respondents_and_their_comments(tmp_path):
    reviewed = [["A9", "Late again", "yes"], ["A2", "Price is fine", "yes"],
                ["A2", "Price is fine but  deliveries are delayed ", "perhaps"]]
    assert problems(project(tmp_path, reviewed=reviewed), tmp_path) == [
        ("data/surveys/t/comments-reviewed.csv", 2, "respondent",
         "expected the id of a respondent in the data files, got 'A9'"),
        ("data/surveys/t/comments-reviewed.csv", 3, "comment",
         "expected the text of a comment of respondent 'A2' as the data files hold it, got a text of 13 "
         "characters that none of them has"),
        ("data/surveys/t/comments-reviewed.csv", 4, "publishable",
         "expected a publishable mark, one of yes, no, true, false, 1, 0, 是, 否 (blank: not reviewed), "
         "got 'perhaps'")]


# ------------------------------------------------------------------ figures and JSON


def figures(tmp_path: Path, **kw):
    data = load_survey_standalone(project(tmp_path, **kw), [], tmp_path)
    return compute_survey_figures(data.survey, data.responses)


def test_json_has_the_counts_and_never_a_text(tmp_path):
    fig = figures(tmp_path)
    doc = figures_as_json(fig)
    # comments: A1, A2, A3 (A4 "none" is no comment, A5 blank); late: A1 (Late), A2 (delayed), A3 (Late) = 3;
    # price: A2 only = 1 < min_cell_n 2, suppressed; published: A1 (yes) only (A4 is no comment)
    assert doc["waves"][0]["comments"] == {"n": 3, "published": 1, "themes": {"late": 3, "price": None}}
    text = json.dumps(doc, ensure_ascii=False)
    for row in ROWS:
        assert row[4] == "none" or not row[4] or row[4] not in text
        assert row[2] not in text
    wave = fig.waves[0]
    assert [c.text for c in wave.comments.texts] == ["Late again, call [redacted] on [redacted]"]
    assert wave.comment_dimensions == ("delivery",)


def test_the_reviewed_file_wins_over_the_export_column(tmp_path):
    reviewed = [["A1", "Late again, call Ann Lee on +44 20 7946 0958", "no"],
                ["A3", "Late; mail cy@example.com", "是"]]
    wave = figures(tmp_path, reviewed=reviewed).waves[0]
    assert (wave.comments.n, wave.comments.published) == (3, 1)
    assert [c.text for c in wave.comments.texts] == ["Late; mail [redacted]"]


# ------------------------------------------------------------------ the built examples

def personal_and_comments(root: Path) -> tuple[set[str], list[str], list[str]]:
    """Every value of a declared personal column, the published and the unpublished comments, from the
    data files of the surveys that declare comments."""
    import yaml

    personal, published, unpublished = set(), [], []
    for path in sorted((root / "policy" / "surveys").glob("*.yml")):
        s = yaml.safe_load(path.read_text("utf-8"))
        if not s.get("comments"):
            continue
        for data in sorted((root / "data" / "surveys" / s["id"]).glob("*.csv")):
            with open(data, encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
            for row in rows:
                personal.update(row[c] for c in s.get("personal", []) if len(row[c]) >= 2)
                for com in s["comments"]:
                    text = row[com["column"]].strip()
                    if text and text.lower() not in ("none", "无"):
                        mark = row[com["publishable"]].strip().lower()
                        (published if mark in ("yes", "是") else unpublished).append(text)
    return personal, published, unpublished


def customer_ids(root: Path) -> set[str]:
    """The customer ids of the customer list ``organization.yml`` declares."""
    import yaml

    declared = yaml.safe_load((root / "policy" / "organization.yml").read_text("utf-8"))["customers"]
    with open(root / declared["path"], encoding="utf-8", newline="") as f:
        return {row[declared["columns"]["customer"]] for row in csv.DictReader(f)}


def site_texts(site: Path, pdf_pages: tuple[str, ...]) -> dict[str, str]:
    """The text of each page of ``site``, and of its PDF (``pdf_pages``: the text of each PDF page)."""
    out = {}
    for page in sorted(site.rglob("*.html")):
        out[str(page.relative_to(site))] = BeautifulSoup(page.read_text("utf-8"), "html.parser").get_text(" ")
    out["quality-manual.pdf"] = "\n".join(pdf_pages)
    return out


def phones_in(texts: list[str]) -> set[str]:
    """Every phone number the redaction patterns find in ``texts`` (the comments of the data files)."""
    return {m.group() for text in texts for pattern in _PHONES for m in pattern.finditer(text)
            if sum(ch.isdigit() for ch in m.group()) >= 8}


def leaks(texts: dict[str, str], personal: set[str]) -> list[str]:
    """E-mail addresses anywhere in the built texts, and any of the ``personal`` values (personal
    columns' values and the phone numbers written in the comments) as written in the data. Phone
    numbers are looked for as the data has them: a pattern scan of the whole output would find the
    digits of file hashes on the provenance page and runs of chart axis labels in the PDF."""
    found = []
    for name, text in texts.items():
        folded = " ".join(text.split())
        found += [f"{name}: e-mail {m.group()}" for m in _EMAIL.finditer(folded)]
        found += [f"{name}: personal {v!r}" for v in personal if v in folded]
    return found


@pytest.fixture(scope="module", params=["en", "zh"])
def built(request, example_site, example_pdf_pages):
    root = ROOT if request.param == "en" else ROOT / "examples" / "zh"
    return root, site_texts(example_site(request.param), example_pdf_pages(request.param))


@pytest.mark.slow
def test_no_contact_detail_or_personal_value_is_published(built):
    root, texts = built
    personal, published, unpublished = personal_and_comments(root)
    assert len(personal) > 500 and len(published) > 20
    phones = phones_in(published + unpublished)
    assert len(phones) >= 3  # the examples' comments do carry phone numbers
    personal |= phones
    ids = customer_ids(root)
    assert len(ids) > 100
    personal |= ids
    # a customer's contact may share a name with the organization's own staff that the policy files
    # publish on purpose (an objective's owner): such a value is the policy's text, not a leak
    policy = " ".join(p.read_text("utf-8") for p in sorted((root / "policy").rglob("*.yml")))
    assert leaks(texts, {v for v in personal if v not in policy}) == []


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.mark.slow
def test_published_comments_appear_redacted_and_unpublished_ones_never(built):
    root, texts = built
    personal, published, unpublished = personal_and_comments(root)
    values = personal_values(personal)
    marker = "[redacted]" if root == ROOT else "[已隐去]"
    page = flat(" ".join(v for k, v in texts.items() if k.startswith("satisfaction/")))
    pdf = flat(texts["quality-manual.pdf"])
    with_redaction = [flat(r.render(marker)) for r in (redact(t, values) for t in published) if r.kinds]
    assert with_redaction
    assert any(t in page for t in with_redaction) and any(t in pdf for t in with_redaction)
    # an unpublished comment whose words are part of a published one ("账期比同行短。" inside "账期比同行短。
    # 另外，……") is on the page as that published comment, not as itself
    shown = [flat(t) for t in published] + [flat(r.render(marker)) for r in (redact(t, values) for t in published)]
    only_unpublished = {t for t in {flat(t) for t in unpublished} if not any(t in p for p in shown)}
    assert len(only_unpublished) > 5
    assert [t for t in only_unpublished if t in page or t in pdf] == []
