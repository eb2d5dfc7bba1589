"""Hostile text from YAML and CSV is inert wherever it lands, and reads as the text it is.

One build of the fixture organization carries every payload of the corpus
(:data:`CASES`), each in one kind of user-visible string: document titles,
organization and manual names, procedure steps, RACI names, records,
objectives, survey instruments, and the values of CSV columns that are shown
(segment levels, complaint categories, competitors, departments, waves).

Inert is checked on the built files by parsing them: every HTML and SVG file
of the site and the search index hold no script element but the theme's own,
no ``on*`` attribute and no ``javascript:`` URL; the PDF has no JavaScript and
no link to a ``javascript:`` URL. Each payload is then found literally, as
text, where it was put: in the navigation, the page title, a heading, a table
cell, an image's alternative text, a chart, the PDF's text, bookmarks and
metadata. Once, a real browser (headless Chromium) loads the site and runs no
payload, while it does run the same payload on a control page written raw.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import shutil
import subprocess
import threading
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from pypdf.generic._font import Font

from conftest import copy_mini
from matplotlib.figure import Figure

from qmdoc import charts
from qmdoc.build import build
from qmdoc.charts import process_flow
from qmdoc.markdown import css_string, escape_html, link_target

MATERIAL = Path(__import__("material").__file__).parent / "templates"


# ------------------------------------------------------------------ the corpus


@dataclass(frozen=True)
class Spot:
    """Where a payload must show as text: ``kind`` on site ``page`` (docs path without ``.md``).

    ``expected`` is the whole text of the place (nav link, <title>, heading) or, for
    the other kinds, a text it contains; by default the payload itself."""

    kind: str  # nav, title, header, heading, cell, text, link, alt, chart, search, pdf, bookmark, pdf_title, pdf_author
    page: str = ""
    expected: str | None = None


@dataclass(frozen=True)
class Case:
    id: str
    payload: str
    file: str  # where the payload is written (relative to the fixture root)
    at: tuple  # path of the value in the YAML file, or ("csv", column, old value) for a CSV file
    spots: tuple[Spot, ...]


PR1, PR2, SAT = "procedures/PR-1", "procedures/PR-2", "satisfaction/css"
ORG, POLICY, OBJ, CSS = ("policy/organization.yml", "policy/quality-policy.yml", "policy/objectives.yml",
                         "policy/surveys/css.yml")
P1, P2 = "policy/procedures/PR-1.yml", "policy/procedures/PR-2.yml"
Q2, COMPLAINTS = "data/surveys/css/2025-Q2.csv", "data/complaints.csv"
CMP, INT = "data/surveys/cmp/2025.csv", "data/surveys/int/2025.csv"
IMG_PWNED = '<img src=x onerror="document.body.dataset.pwned=1">'
SCRIPT_PWNED = "<script>document.body.dataset.pwned=1</script>"
CA_URL = "https://ca.example/actions/{id}"
SITE_NAME = '<b onclick="alert(6)">Mini</b> — Manual {{ 7*7 }} {% raw %}'  # short name — manual title

CASES = [
    Case("policy-title", "Hostile <script>alert(1)</script>", POLICY, ("document", "title"),
         (Spot("heading", "policy"), Spot("cell", "documents"), Spot("search", "policy"), Spot("pdf"),
          Spot("bookmark"))),
    Case("objectives-title", "Objectives <img src=x onerror=alert(2)>", OBJ, ("document", "title"),
         (Spot("heading", "objectives"), Spot("cell", "documents"), Spot("pdf"), Spot("bookmark"))),
    Case("procedure-title-script", SCRIPT_PWNED, P1, ("document", "title"),
         (Spot("nav", PR1, f"PR-1 {SCRIPT_PWNED}"), Spot("title", PR1, f"PR-1 {SCRIPT_PWNED} - {SITE_NAME}"),
          Spot("heading", PR1, f"PR-1 {SCRIPT_PWNED}"), Spot("cell", "procedures"), Spot("alt", PR1),
          Spot("chart", "charts/flow-PR-1.svg"), Spot("search", PR1), Spot("pdf"), Spot("bookmark"))),
    Case("procedure-title-img", IMG_PWNED, P2, ("document", "title"),
         (Spot("nav", PR2, f"PR-2 {IMG_PWNED}"), Spot("title", PR2, f"PR-2 {IMG_PWNED} - {SITE_NAME}"),
          Spot("heading", PR2, f"PR-2 {IMG_PWNED}"), Spot("text", "complaints"), Spot("text", PR1),
          Spot("search", PR2), Spot("pdf"), Spot("bookmark"))),
    Case("organization-name", 'Org </title><script>alert(5)</script> "q" \\', ORG, ("name",),
         (Spot("heading", "", 'Org </title><script>alert(5)</script> "q" \\ — Manual {{ 7*7 }} {% raw %}'),
          Spot("pdf"), Spot("pdf_author"))),
    Case("organization-short-name", '<b onclick="alert(6)">Mini</b>', ORG, ("short_name",),
         (Spot("title", "policy", f"Quality policy - {SITE_NAME}"), Spot("header", "policy", SITE_NAME),
          Spot("title", "", SITE_NAME))),
    Case("manual-title", "Manual {{ 7*7 }} {% raw %}", ORG, ("manual", "title"),
         (Spot("title", "", SITE_NAME), Spot("header", "", SITE_NAME),
          Spot("cell", "documents"), Spot("pdf"), Spot("pdf_title"), Spot("bookmark"))),
    Case("manual-revision-css", '2"\n} @page { margin: 0 } x { content: "\\', ORG, ("manual", "revision"),
         (Spot("cell", ""), Spot("pdf", "", 'QM-T · Revision 2" } @page { margin: 0 } x { content: "\\'))),
    Case("corrective-action-id", "CA-1) <img src=x onerror=alert(33)>", COMPLAINTS, ("csv", "corrective_action", "CA-1"),
         (Spot("link", "complaints"), Spot("pdf"))),
    Case("step-action", "[x](javascript:alert(8))", P1, ("steps", 0, "action"),
         (Spot("cell", PR1), Spot("chart", "charts/flow-PR-1.svg"), Spot("pdf"))),
    Case("step-actor", "<svg onload=alert(9)>", P1, ("steps", 0, "actor"),
         (Spot("cell", PR1), Spot("chart", "charts/flow-PR-1.svg"), Spot("pdf"))),
    Case("raci-responsible", '{: onclick="alert(10)"}', P1, ("responsibilities", 0, "responsible"),
         (Spot("cell", PR1), Spot("pdf"))),
    Case("raci-consulted", "<!-- 11 --> Consulted", P1, ("responsibilities", 0, "consulted", 0),
         (Spot("cell", PR1), Spot("pdf"))),
    Case("record-name", "](javascript:alert(12))", P1, ("records", 0, "name"),
         (Spot("cell", PR1), Spot("pdf"))),
    Case("objective-title", "--><script>alert(13)</script><!--", OBJ, ("objectives", 0, "title"),
         (Spot("cell", "objectives", "O1 --><script>alert(13)</script><!--"),
          Spot("heading", "objectives", "O1 --><script>alert(13)</script><!--"),
          Spot("alt", "objectives"), Spot("chart", "charts/objective-O1.svg", "O1 --><script>alert(13)</script><!--"),
          Spot("cell", "review"), Spot("pdf"))),
    Case("objective-unit", "<i onmouseover=alert(14)>pts", OBJ, ("objectives", 0, "unit"),
         (Spot("cell", "objectives", "≥ 60 <i onmouseover=alert(14)>pts"), Spot("chart", "charts/objective-O1.svg"),
          Spot("pdf"))),
    Case("objective-owner", "<javascript:alert(15)>", OBJ, ("objectives", 1, "owner"),
         (Spot("cell", "objectives"), Spot("pdf"))),
    Case("objective-action", '<iframe src="javascript:alert(27)"></iframe>', OBJ, ("objectives", 1, "action"),
         (Spot("text", "objectives"), Spot("pdf"))),
    Case("survey-title", '"><svg onload=alert(16)>', CSS, ("title",),
         (Spot("nav", SAT), Spot("title", SAT, f'"><svg onload=alert(16)> - {SITE_NAME}'),
          Spot("heading", SAT), Spot("cell", "review"), Spot("search", SAT), Spot("pdf"), Spot("bookmark"))),
    Case("dimension-title", "Dim <img src=x onerror=alert(17)>", CSS, ("dimensions", 0, "title"),
         (Spot("cell", SAT), Spot("alt", SAT), Spot("chart", "charts/css-ipa.svg"), Spot("pdf"))),
    Case("item-text", "Item ![x](javascript:alert(18))", CSS, ("dimensions", 0, "items", 0, "text"),
         (Spot("cell", SAT), Spot("pdf"))),
    Case("segment-level", "<script>alert(19)</script>", Q2, ("csv", "region", "South"),
         (Spot("cell", SAT), Spot("alt", SAT), Spot("chart", "charts/css-segment-region.svg"), Spot("pdf"))),
    Case("complaint-category", "Cat <img src=x onerror=alert(20)>", COMPLAINTS, ("csv", "category", "Paperwork"),
         (Spot("cell", "complaints"), Spot("chart", "charts/complaints-pareto.svg"), Spot("text", "review"),
          Spot("pdf"))),
    Case("published-comment", "Comment <script>alert(34)</script> **b** [x](javascript:alert(34)) `c` | d", Q2,
         ("csv", "comment", "Call John Smith on +49 170 1234567"), (Spot("text", SAT), Spot("pdf"))),
    Case("wave-label", "2025-Q2 <b onmouseover=alert(29)>", Q2, ("csv", "wave", "2025-Q2"),
         (Spot("cell", SAT), Spot("heading", SAT, "Item scores — 2025-Q2 <b onmouseover=alert(29)>"),
          Spot("chart", "charts/css-items.svg"), Spot("pdf"))),
    Case("competitor-name", "Acme <script>alert(30)</script>", CMP, ("csv", "co", "Acme"),
         (Spot("cell", "satisfaction/cmp"), Spot("alt", "satisfaction/cmp"),
          Spot("chart", "charts/cmp-competitors.svg"), Spot("pdf"))),
    Case("department", "Dept <img src=x onerror=alert(31)>", INT, ("csv", "sup", "Purchasing"),
         (Spot("cell", "satisfaction/int"), Spot("alt", "satisfaction/int"),
          Spot("chart", "charts/int-internal.svg"), Spot("pdf"))),
    Case("commitment-jinja", "{% raw %}{{ 7*7 }}{% endraw %} {# c #}", POLICY, ("commitments", 0),
         (Spot("text", "policy"), Spot("pdf"))),
    Case("statement-reference-link", "See [the rules][r22] and [x].\n\n[r22]: javascript:alert(22)\n[x]: javascript:alert(22)",
         POLICY, ("statement",),
         (Spot("text", "policy", "See [the rules][r22] and [x]."),
          Spot("text", "policy", "[r22]: javascript:alert(22) [x]: javascript:alert(22)"),
          Spot("pdf", "", "See [the rules][r22] and [x]."))),
    Case("revision-description", '<a href="javascript:alert(23)">rev</a>', POLICY, ("document", "revisions", 0, "description"),
         (Spot("cell", "policy"), Spot("pdf"))),
    Case("site-city", "*[HTML]: abbr | pipe | \\", ORG, ("sites", 0, "city"),
         (Spot("cell", ""), Spot("pdf"))),
    Case("interested-party-entities", "&lt;script&gt; &#60;i&#62; &amp;", ORG, ("interested_parties", 0),
         (Spot("text", ""), Spot("pdf"))),
    Case("approver", "Approver <details open ontoggle=alert(26)>", POLICY, ("document", "approver"),
         (Spot("cell", "policy"), Spot("cell", "documents"), Spot("pdf"))),
    Case("purpose-markdown", "1. not a list <style>*{display:none}</style> # not a heading", P1, ("purpose",),
         (Spot("text", PR1), Spot("pdf"))),
    Case("scope-autolink", "<javascript:alert(32)> <http://x.example/> ![i](x.png)", P1, ("scope",),
         (Spot("text", PR1), Spot("pdf"))),
]


def _edit_yaml(path: Path, at: tuple, payload: str) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    node = data
    for key, following in zip(at[:-1], at[1:]):
        if isinstance(node, dict) and key not in node:
            node[key] = [] if isinstance(following, int) else {}
        node = node[key]
    if isinstance(node, list) and at[-1] == len(node):
        node.append(payload)
    else:
        node[at[-1]] = payload
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _edit_csv(path: Path, column: str, old: str, payload: str) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    col = rows[0].index(column)
    hits = 0
    for row in rows[1:]:
        if row[col] == old:
            row[col] = payload
            hits += 1
    assert hits, (path, column, old)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


EXTRA_SURVEYS = {
    # a customer survey that also rates competitors, and an internal-customer survey
    "cmp": {"id": "cmp", "title": "Competitor comparison", "scale": {"min": 1, "max": 5}, "respondent": "rid",
            "wave": "wave", "min_cell_n": 1, "competitors": {"column": "co", "us": "Us"},
            "dimensions": [{"id": "A", "title": "Product", "weight": 1, "items": [{"id": "a1", "text": "Parts"}]},
                           {"id": "B", "title": "Service", "weight": 1, "items": [{"id": "b1", "text": "Service"}]}]},
    "int": {"id": "int", "title": "Internal customers", "kind": "internal", "scale": {"min": 1, "max": 5},
            "respondent": "rid", "wave": "wave", "min_cell_n": 1, "internal": {"supplier": "sup", "customer": "cus"},
            "dimensions": [{"id": "A", "title": "Support", "weight": 1, "items": [{"id": "a1", "text": "Help"}]},
                           {"id": "B", "title": "Speed", "weight": 1, "items": [{"id": "b1", "text": "Speed"}]}]},
}
EXTRA_DATA = {
    CMP: "rid,wave,co,a1,b1\nr1,2025,Us,5,4\nr1,2025,Acme,3,2\nr2,2025,Us,4,4\nr2,2025,Acme,2,3\nr3,2025,Us,3,5\n",
    INT: "rid,wave,sup,cus,a1,b1\ne1,2025,Purchasing,Production,5,4\ne2,2025,Purchasing,Sales,3,3\n"
         "e3,2025,Quality,Production,4,2\ne4,2025,Quality,Sales,2,5\n",
}


def long_word(tag: str, length: int = 200) -> str:
    """An unbroken value of ``length`` characters (no space, no hyphen), starting with ``tag``."""
    return (tag + "".join(chr(ord("a") + k % 26) for k in range(length)))[:length]


# 200-character unbroken values in every kind of table cell, heading and chart label (ids: 64, their maximum)
LONG = [
    (OBJ, ("objectives", 2, "title"), long_word("ObjectiveTitle")),
    (OBJ, ("objectives", 2, "owner"), long_word("ObjectiveOwner")),
    (OBJ, ("objectives", 2, "unit"), long_word("Unit")),
    (OBJ, ("objectives", 2, "period"), long_word("Period")),
    (P2, ("document", "owner"), long_word("DocumentOwner")),
    (P2, ("document", "author"), long_word("DocumentAuthor")),
    (P2, ("responsibilities", 0, "accountable"), long_word("Accountable")),
    (P2, ("steps", 0, "action"), long_word("StepAction")),
    (P2, ("steps", 1, "actor"), long_word("StepActor")),
    (P2, ("steps", 1, "outputs", 0), long_word("StepOutput")),
    (P2, ("records",), [{"id": long_word("R", 64), "name": long_word("RecordName"), "retention": long_word("Retention"),
                         "owner": long_word("RecordOwner"), "location": long_word("RecordLocation")}]),
    (CSS, ("dimensions", 1, "title"), long_word("DimensionTitle")),
    (CSS, ("dimensions", 1, "items", 0, "text"), long_word("ItemText")),
    (ORG, ("sites", 0, "activities"), long_word("Activities")),
    ("policy/surveys/int.yml", ("title",), long_word("SurveyTitle")),
]
LONG_CSV = [
    (Q2, "region", "North", long_word("SegmentLevel")),
    ("data/surveys/css/2025-Q1.csv", "region", "North", long_word("SegmentLevel")),
    (COMPLAINTS, "category", "Late delivery", long_word("ComplaintCategory")),
    (CMP, "co", "Us", long_word("Us")),
    (INT, "sup", "Quality", long_word("Department")),
    (INT, "cus", "Sales", long_word("Customer")),
]


def write_hostile(root: Path) -> Path:
    """The fixture organization with every payload of :data:`CASES` in place, and long unbroken values."""
    copy_mini(root)
    for sid, spec in EXTRA_SURVEYS.items():
        (root / "policy" / "surveys" / f"{sid}.yml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    for rel, text in EXTRA_DATA.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    _edit_yaml(root / POLICY, ("document", "revisions", 0, "approver"), "Approver <details open ontoggle=alert(26)>")
    _edit_yaml(root / ORG, ("corrective_action_url",), CA_URL)
    for rel, at, value in LONG:
        _edit_yaml(root / rel, at, value)
    for rel, column, old, value in LONG_CSV:
        _edit_csv(root / rel, column, old, value)
    _edit_yaml(root / "policy/surveys/cmp.yml", ("competitors", "us"), long_word("Us"))
    for case in CASES:
        if case.at[0] == "csv":
            _edit_csv(root / case.file, case.at[1], case.at[2], case.payload)
        else:
            _edit_yaml(root / case.file, case.at, case.payload)
        if case.id == "manual-revision-css":  # the history's last entry names the current revision
            _edit_yaml(root / ORG, ("manual", "revisions", 1, "revision"), case.payload)
        if case.id == "published-comment":  # comments declared, this one reviewed and marked publishable
            _edit_yaml(root / CSS, ("comments",), [{"column": "comment"}])
            with open(root / "data/surveys/css/comments-reviewed.csv", "w", newline="", encoding="utf-8") as f:
                csv.writer(f, lineterminator="\n").writerows([("respondent", "comment", "publishable"),
                                                              ("RQ2-001", case.payload, "yes")])
        if case.id == "wave-label":  # invitations are declared per wave label
            _edit_yaml(root / CSS, ("invitations",), {"2025-Q1": 40, case.payload: 40})
    return root


# ------------------------------------------------------------------ the checks


def theme_scripts() -> tuple[list[re.Pattern], list[re.Pattern]]:
    """Patterns of the theme's own scripts, read from the theme's templates: (inline texts, src attributes).

    A template expression in a script (the site's base URL) may be any path of dots and slashes; a
    script's address may start with the base URL (relative, or "/" on the 404 page)."""
    inline, srcs = [], []
    for path in sorted(MATERIAL.rglob("*.html")):
        text = path.read_text("utf-8")
        for body in re.findall(r"<script>(.*?)</script>", text, re.S):
            parts = re.split(r"\{\{.*?\}\}", body)
            inline.append(re.compile("".join(re.escape(p) + ("[./]*" if k < len(parts) - 1 else "")
                                             for k, p in enumerate(parts))))
        for src in re.findall(r"<script src=\"\{\{ '([^']+)' \| url \}\}\"", text):
            srcs.append(re.compile(r"(?:/|(?:\.\./)*)" + re.escape(src)))
    return inline, srcs


def active_content(markup: str, where: str, inline: list[re.Pattern], srcs: list[re.Pattern],
                   allow_theme: bool = True) -> list[str]:
    """What in ``markup`` (HTML or SVG) could run: script elements other than the theme's own,
    ``on*`` attributes, ``javascript:`` URLs, each described with ``where``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)  # SVG through the HTML parser, as a browser would
        doc = BeautifulSoup(markup, "html.parser")
    found = []
    for tag in doc.find_all(True):
        name = tag.name.lower().split(":")[-1]
        if name == "script":
            src, body = tag.get("src"), tag.get_text()
            theme = allow_theme and (
                (src is not None and not body.strip() and any(p.fullmatch(src) for p in srcs))
                or (src is None and tag.get("type") == "application/json" and _is_json(body))
                or (src is None and not tag.attrs and any(p.fullmatch(body) for p in inline)))
            if not theme:
                found.append(f"{where}: script {tag.attrs} {body[:60]!r}")
        for attr, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attr.lower().startswith("on"):
                found.append(f"{where}: <{tag.name} {attr}={value[:60]!r}>")
            if re.sub(r"[\s\x00-\x1f]+", "", value).lower().startswith(("javascript:", "vbscript:", "data:text/html")):
                found.append(f"{where}: <{tag.name} {attr}={value[:60]!r}>")
    return found


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def text_of(markup: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return norm(BeautifulSoup(markup, "html.parser").get_text(" "))


def norm(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def squeeze(text: str) -> str:
    """Text without any whitespace (PDF text extraction breaks lines where the layout wraps)."""
    return re.sub(r"\s+", "", text.replace("\xa0", " "))


@dataclass
class Built:
    root: Path
    findings: list[str]  # active content found anywhere in the output

    pages: dict[str, BeautifulSoup] = field(default_factory=dict)

    def html(self, page: str) -> BeautifulSoup:
        if page not in self.pages:
            path = self.root / "site" / page / "index.html"
            self.pages[page] = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        return self.pages[page]

    @functools.cached_property
    def search(self) -> list[dict]:
        return json.loads((self.root / "site" / "search" / "search_index.json").read_text("utf-8"))["docs"]

    @functools.cached_property
    def pdf(self) -> PdfReader:
        return PdfReader(self.root / "site" / "quality-manual.pdf")

    @functools.cached_property
    def pdf_pages(self) -> list[tuple[str, list[Run]]]:
        """Each page's text and its text runs with their extents (one pass over the PDF)."""
        return [page_text_runs(page) for page in self.pdf.pages]

    @functools.cached_property
    def pdf_text(self) -> str:
        return squeeze("\n".join(text for text, _ in self.pdf_pages))

    @functools.cached_property
    def bookmarks(self) -> list[str]:
        out = []

        def walk(items) -> None:  # noqa: ANN001
            for item in items:
                if isinstance(item, list):
                    walk(item)
                else:
                    out.append(norm(item.title))

        walk(self.pdf.outline)
        return out

    def chart_text(self, chart: str) -> str:
        """The texts of a chart, as an SVG reader takes them from its text elements."""
        root = ET.fromstring((self.root / "site" / chart).read_bytes())
        return "".join(squeeze("".join(t.itertext())) for t in root.iter(f"{SVG}text"))


@dataclass(frozen=True)
class Run:
    """A run of text on a PDF page and the box it covers, in points from the page's lower left corner."""

    text: str
    x0: float
    x1: float
    y: float


class FontMetrics:
    """Advance widths (1/1000 em) of the characters of one embedded PDF font, looked up by the
    Unicode text that text extraction gives (through the font's ToUnicode map, reversed)."""

    def __init__(self, font_dict: DictionaryObject):
        font = Font.from_font_resource(font_dict)
        self.widths = font.character_widths
        self.code_of: dict[str, str] = {}
        for code, text in font.character_map.items():
            self.code_of.setdefault(text, code)
        self.longest = max((len(t) for t in self.code_of), default=1)

    def width(self, text: str) -> float:
        total, i = 0.0, 0
        while i < len(text):
            for n in range(min(self.longest, len(text) - i), 0, -1):  # ligatures map to several characters
                code = self.code_of.get(text[i:i + n])
                if code is not None:
                    total += self.widths.get(code, self.widths["default"])
                    i += n
                    break
            else:
                total += self.widths["default"]
                i += 1
        return total


def page_text_runs(page) -> tuple[str, list[Run]]:  # noqa: ANN001
    """A page's extracted text, and its text runs placed by the text and transformation matrices.

    A line of the table of contents ends in leader dots that the layout clips to the line, then the
    page number: only the entry's text before them is measured."""
    runs: list[Run] = []
    metrics: dict[int, FontMetrics] = {}

    def visit(text: str, cm: list, tm: list, font_dict, size: float) -> None:  # noqa: ANN001
        text = text.rstrip("\n").split(" ...")[0]  # the leader and page number sit inside the line box
        if not text.strip() or font_dict is None:
            return
        if id(font_dict) not in metrics:
            metrics[id(font_dict)] = FontMetrics(font_dict)
        scale = tm[0] * cm[0] + tm[1] * cm[2]
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append(Run(text, x, x + metrics[id(font_dict)].width(text) / 1000 * size * scale, y))

    text = page.extract_text(visitor_text=visit)
    return text, runs


def outside(page_box, runs: list[Run]) -> list[str]:  # noqa: ANN001
    box = [float(v) for v in (page_box.left, page_box.bottom, page_box.right, page_box.top)]
    return [f"{r.text[:50]!r} at x {r.x0:.0f}..{r.x1:.0f}, y {r.y:.0f}" for r in runs
            if r.x0 < box[0] or r.x1 > box[2] or r.y < box[1] or r.y > box[3]]


def _matrix(transform: str) -> tuple[float, ...]:
    """An SVG ``transform`` (translate, scale, rotate, matrix) as (a, b, c, d, e, f)."""
    m = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for name, args in re.findall(r"(\w+)\(([^)]*)\)", transform):
        v = [float(x) for x in re.split(r"[\s,]+", args.strip())]
        if name == "translate":
            step = (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0.0)
        elif name == "scale":
            step = (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        elif name == "rotate":  # rotate(a) or rotate(a cx cy): about the point (cx, cy)
            import math

            r = math.radians(v[0])
            cx, cy = (v[1], v[2]) if len(v) == 3 else (0.0, 0.0)
            cos, sin = math.cos(r), math.sin(r)
            step = (cos, sin, -sin, cos, cx - cos * cx + sin * cy, cy - sin * cx - cos * cy)
        elif name == "matrix":
            step = tuple(v)
        else:
            raise AssertionError(f"unexpected SVG transform {name}")
        m = _compose(m, step)
    return m


def _compose(m: tuple, n: tuple) -> tuple:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2, a * e2 + c * f2 + e, b * e2 + d * f2 + f)


SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def svg_glyphs_outside(svg: bytes | str) -> list[str]:
    """Texts of a matplotlib SVG (text kept as SVG text) whose box reaches past the view box.

    Each text's box is measured with the fonts the SVG names, as matplotlib measured it when it
    laid the chart out: its advance width, and its height above and below the baseline.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    root = ET.fromstring(svg)
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    measure = TextToPath()
    found = []

    def walk(node, m):  # noqa: ANN001, ANN202
        m = _compose(m, _matrix(node.get("transform", "")))
        if node.tag == f"{SVG}text":
            style = {k.strip(): v.strip() for k, _, v in (p.partition(":") for p in node.get("style", "").split(";"))}
            size = float(style["font-size"].removesuffix("px"))
            named = [f.strip().strip("'") for f in style["font-family"].split(",")]
            family = [f for f in named if f in charts._fonts()]  # the installed ones, as matplotlib drew them
            text = "".join(node.itertext())
            w, h, d = measure.get_text_width_height_descent(text, FontProperties(family=family, size=size), False)
            x = float(node.get("x", 0)) - {"start": 0.0, "middle": w / 2, "end": w}[style.get("text-anchor", "start")]
            y = float(node.get("y", 0))
            pts = [(m[0] * px + m[2] * py + m[4], m[1] * px + m[3] * py + m[5])
                   for px in (x, x + w) for py in (y - (h - d), y + d)]
            if min(p[0] for p in pts) < -0.5 or max(p[0] for p in pts) > width + 0.5 \
                    or min(p[1] for p in pts) < -0.5 or max(p[1] for p in pts) > height + 0.5:
                found.append(f"text {text[:40]!r}")
        for child in node:
            walk(child, m)

    walk(root, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return found


def scan_site(site: Path) -> list[str]:
    inline, srcs = theme_scripts()
    found = []
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".svg"):
            where = path.relative_to(site).as_posix()
            text = path.read_text("utf-8")
            found += active_content(text, where, inline, srcs, allow_theme=path.suffix == ".html")
            if path.suffix == ".svg":
                ET.fromstring(text)  # well-formed XML: no payload broke out of a comment or an attribute
    for doc in json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]:
        for key in ("title", "text"):
            found += active_content(doc[key], f"search index {doc['location']} {key}", inline, srcs, allow_theme=False)
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, session_charts) -> Built:
    root = write_hostile(tmp_path_factory.mktemp("hostile") / "qm")
    with session_charts(root):
        build(root)
    return Built(root, scan_site(root / "site"))


# ------------------------------------------------------------------ the tests


def test_the_corpus_is_large_and_every_payload_is_distinct():
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)
    assert len({c.payload for c in CASES}) == len(CASES)


def test_the_scan_finds_what_would_run():
    """The checks of the built files are meaningful: they find every kind of active content, and
    accept the theme's own scripts."""
    inline, srcs = theme_scripts()
    assert len(inline) >= 2 and len(srcs) >= 1
    raw = ('<p><script>alert(1)</script><img src=x onerror="alert(2)"><a href=" JavaScript:alert(3)">a</a>'
           '<svg><a xlink:href="javascript:alert(4)"><text>t</text></a><animate onbegin="alert(5)"/></svg>'
           '<iframe src="data:text/html,x"></iframe><script src="../evil.js"></script></p>')
    found = active_content(raw, "raw", inline, srcs)
    assert [f.split(":", 1)[1].split()[0] for f in found] == [
        "script", "<img", "<a", "<a", "<animate", "<iframe", "script"]


def test_no_active_content_anywhere(hostile):
    assert hostile.findings == []


def test_every_case_has_been_put_in_place(hostile):
    """The payloads are in the fixture's files (a case that missed its place would prove nothing)."""
    for case in CASES:
        source = (hostile.root / case.file).read_text("utf-8")
        if case.at[0] == "csv":
            assert case.payload in [v for row in csv.reader(io.StringIO(source)) for v in row], case.id
        else:
            node = yaml.safe_load(source)
            for key in case.at:
                node = node[key]
            assert node == case.payload, case.id


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_payload_is_inert_and_reads_as_text(hostile, case):
    marker = re.escape(case.payload)
    assert [f for f in hostile.findings if re.search(marker, f)] == []
    for spot in case.spots:
        expected = norm(spot.expected or case.payload)
        if spot.kind == "nav":
            doc = hostile.html("")  # the navigation is on every page; the home page's
            links = [norm(a.get_text(" ")) for a in doc.select("nav.md-nav--primary a.md-nav__link")]
            assert expected in links, (spot, links)
            target = [a for a in doc.select("nav.md-nav--primary a.md-nav__link") if norm(a.get_text(" ")) == expected]
            assert target[0]["href"].rstrip("/").endswith(spot.page.rsplit("/", 1)[-1])
        elif spot.kind == "title":
            assert norm(hostile.html(spot.page).title.get_text()) == expected
        elif spot.kind == "header":  # the site's name in the page header
            topics = [norm(e.get_text(" ")) for e in hostile.html(spot.page).select(".md-header__topic")]
            assert expected in topics, (spot, topics)
        elif spot.kind == "heading":
            headings = [norm(h.get_text(" ")).removesuffix(" ¶").removesuffix("¶").strip()
                        for h in hostile.html(spot.page).select("article h1, article h2, article h3")]
            assert expected in headings, (spot, headings)
        elif spot.kind == "cell":
            cells = [norm(td.get_text(" ")) for td in hostile.html(spot.page).select("article td, article th")]
            assert any(expected in c for c in cells), (spot, [c for c in cells if c][:40])
        elif spot.kind == "text":
            assert expected in norm(hostile.html(spot.page).select_one("article").get_text(" ")), spot
        elif spot.kind == "link":
            links = [norm(a.get_text(" ")) for a in hostile.html(spot.page).select("article a")]
            assert expected in links, (spot, links)
        elif spot.kind == "alt":
            alts = [norm(img.get("alt", "")) for img in hostile.html(spot.page).select("article img")]
            assert any(expected in a for a in alts), (spot, alts)
        elif spot.kind == "chart":
            assert squeeze(expected) in hostile.chart_text(spot.page), spot
        elif spot.kind == "search":
            entries = [text_of(d["title"]) for d in hostile.search if d["location"].rstrip("/") == spot.page]
            assert any(expected in e for e in entries), (spot, entries)
        elif spot.kind == "pdf":
            assert squeeze(expected) in hostile.pdf_text, spot
        elif spot.kind == "bookmark":
            assert any(expected in b for b in hostile.bookmarks), (spot, hostile.bookmarks)
        elif spot.kind == "pdf_title":
            assert hostile.pdf.metadata.title == expected
        elif spot.kind == "pdf_author":
            assert hostile.pdf.metadata.author == expected
        else:
            raise AssertionError(f"unknown spot kind {spot.kind}")


def test_corrective_action_link_keeps_the_id_inside_its_url(hostile):
    payload = next(c.payload for c in CASES if c.id == "corrective-action-id")
    links = [a for a in hostile.html("complaints").select("article a") if norm(a.get_text(" ")) == payload]
    assert [a["href"] for a in links] == ["https://ca.example/actions/CA-1%29%20%3Cimg%20src%3Dx%20onerror%3Dalert%2833%29%3E"]


def test_css_string_escapes_quotes_backslashes_and_line_breaks():
    assert css_string('a"b\\c\nd\x7fe') == '"a\\22 b\\5c c\\a d\\7f e"'
    assert css_string("Mini · 质量") == '"Mini · 质量"'


def test_escape_html_is_text_in_content_and_attributes():
    assert escape_html('<a href="x">\'&\'</a>') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;"


def test_link_target_refuses_other_schemes_and_keeps_one_target():
    assert link_target("../procedures/PR-1.md#steps") == "../procedures/PR-1.md#steps"
    assert link_target("https://ca.example/a?id=1&x=2") == "https://ca.example/a?id=1&x=2"
    assert link_target("x) [y](z <b>") == "x%29%20%5By%5D%28z%20%3Cb%3E"
    for bad in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "vbscript:x"):
        with pytest.raises(ValueError, match=r"^link target: expected a relative path or an http\(s\) URL, got scheme "):
            link_target(bad)


def test_version_title_in_the_version_list_is_text(hostile):
    """The theme prints a version's title from versions.json as HTML: mike is given it as HTML text."""
    from qmdoc.site import deploy_version

    root = hostile.root
    git = ["git", "-C", str(root), "-c", "user.name=QM", "-c", "user.email=qm@example.com"]
    subprocess.run(git + ["init", "-q", "-b", "main"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "hostile"], check=True)
    version = "2026.1 <img src=x onerror=alert(40)>"
    deploy_version(root / "build" / "mkdocs.yml", version, "latest", "gh-pages", "title", {"SOURCE_DATE_EPOCH": "0"})
    shown = subprocess.run(git + ["show", "gh-pages:versions.json"], capture_output=True, text=True, check=True)
    versions = json.loads(shown.stdout)
    assert [(v["version"], v["aliases"]) for v in versions] == [(version, ["latest"])]
    assert versions[0]["title"] == "2026.1 &lt;img src=x onerror=alert(40)&gt;"
    assert text_of(versions[0]["title"]) == version
    assert active_content(versions[0]["title"], "versions.json", [], []) == []


# ------------------------------------------------------------------ a real browser


class _Site(SimpleHTTPRequestHandler):
    """The built site, and one control page that is not part of it."""

    control = b""

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/__control__/":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(self.control)))
            self.end_headers()
            self.wfile.write(self.control)
        else:
            super().do_GET()

    def log_message(self, format, *args) -> None:  # noqa: A002
        pass


@pytest.fixture
def served(hostile, tmp_path):
    """The hostile site on 127.0.0.1 (a free port); yields a function that dumps a page's DOM with Chromium."""
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is installed by the set-up (make test)"
    handler = functools.partial(_Site, directory=str(hostile.root / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def dump(path: str) -> BeautifulSoup:
        profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
        proc = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--dump-dom", f"http://127.0.0.1:{server.server_port}{path}"],
            capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return BeautifulSoup(proc.stdout, "html.parser")

    try:
        yield dump
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.mark.slow
@pytest.mark.parametrize("payload", [IMG_PWNED, SCRIPT_PWNED], ids=["img-onerror", "script"])
def test_browser_runs_no_payload_but_runs_it_raw(served, payload):
    _Site.control = f"<!DOCTYPE html><html><head><title>control</title></head><body><p>{payload}</p></body></html>".encode()
    control = served("/__control__/")
    assert control.body.get("data-pwned") == "1"  # the harness sees a payload that runs

    page = "/procedures/PR-2/" if payload == IMG_PWNED else "/procedures/PR-1/"
    title = f"PR-2 {payload}" if payload == IMG_PWNED else f"PR-1 {payload}"
    dom = served(page)
    assert dom.find(attrs={"data-pwned": True}) is None
    assert dom.body.get("data-md-color-scheme") == "default"  # the theme's scripts ran on the page
    assert norm(dom.select_one("article h1").get_text(" ")).removesuffix("¶").strip() == title
    links = [norm(a.get_text(" ")) for a in dom.select("nav.md-nav--primary a.md-nav__link")]
    assert f"PR-1 {SCRIPT_PWNED}" in links and f"PR-2 {IMG_PWNED}" in links
    assert norm(dom.title.get_text()) == f"{title} - {SITE_NAME}"


# ------------------------------------------------------------------ long unbroken values (layout)


def test_pdf_has_no_script_and_no_javascript_link(hostile):
    found = []
    seen: set[int] = set()

    def walk(obj, where: str) -> None:  # noqa: ANN001
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                return
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            if "/JS" in obj or "/JavaScript" in obj or obj.get("/S") in ("/JavaScript", "/Launch"):
                found.append(f"{where}: {dict(obj)}")
            uri = obj.get("/URI")
            if uri is not None and not str(uri).startswith(("https://", "http://")):
                found.append(f"{where}: URI {uri}")
            for key, value in obj.items():
                if key != "/Parent":
                    walk(value, f"{where}{key}")
        elif isinstance(obj, ArrayObject):
            for value in obj:
                walk(value, where)

    walk(hostile.pdf.trailer["/Root"], "")
    assert found == []
    links = [a.get_object()["/A"]["/URI"] for page in hostile.pdf.pages for a in page.get("/Annots", [])
             if "/URI" in a.get_object().get("/A", {})]
    assert links and all(link.startswith("https://ca.example/actions/") for link in links)


def test_measured_pdf_text_runs_match_the_layout(tmp_path):
    """The measure is meaningful: a 200-character word that may not wrap is found past the page edge,
    and a short line is measured to its width."""
    import weasyprint

    word = long_word("Overflowing")
    weasyprint.HTML(string=f'<p style="font: 10pt DejaVu Sans">Short line</p>'
                           f'<p style="font: 10pt DejaVu Sans; white-space: nowrap">{word}</p>').write_pdf(tmp_path / "t.pdf")
    page = PdfReader(tmp_path / "t.pdf").pages[0]
    _, runs = page_text_runs(page)
    assert [r.text for r in runs] == ["Short line", word]
    # DejaVu Sans advances S 635, h 634, o 612, r 411, t 392, space 318, l 278, i 278, n 634, e 615: 4807 / 1000 em
    assert runs[0].x1 - runs[0].x0 == pytest.approx(48.07, abs=0.01)
    assert outside(page.mediabox, runs) == [f"{word[:50]!r} at x {runs[1].x0:.0f}..{runs[1].x1:.0f}, y {runs[1].y:.0f}"]


def test_long_values_wrap_inside_every_pdf_page(hostile):
    text = hostile.pdf_text
    for _, _, value in LONG:
        for v in ([r for rec in value for r in rec.values()] if isinstance(value, list) else [value]):
            assert squeeze(v) in text, v[:30]
    for _, _, _, value in LONG_CSV:
        assert value in text, value[:30]
    # the charts' text is PDF text too, placed in each chart's own coordinates: it is checked inside
    # its chart (test_long_labels_stay_inside_every_chart_of_the_site), the page's own text here
    in_charts = {"".join(t.itertext()).strip() for svg in (hostile.root / "site" / "charts").glob("*.svg")
                 for t in ET.fromstring(svg.read_bytes()).iter(f"{SVG}text")}
    page_runs = [[r for r in runs if r.text.strip() not in in_charts] for _, runs in hostile.pdf_pages]
    problems = {n: outside(page.mediabox, runs) for n, (page, runs) in
                enumerate(zip(hostile.pdf.pages, page_runs), start=1)}
    assert {n: p for n, p in problems.items() if p} == {}
    assert sum(len(runs) for runs in page_runs) > 1000
    assert sum(len(runs) for _, runs in hostile.pdf_pages) - sum(len(runs) for runs in page_runs) > 100


def test_long_labels_stay_inside_every_chart_of_the_site(hostile):
    svgs = sorted((hostile.root / "site" / "charts").glob("*.svg"))
    assert len(svgs) >= 20
    assert {p.name: svg_glyphs_outside(p.read_bytes()) for p in svgs if svg_glyphs_outside(p.read_bytes())} == {}


def test_the_glyph_check_finds_text_past_the_edge():
    fig = Figure(figsize=(3, 1))
    fig.text(0.5, 0.5, long_word("Overflowing", 60))
    assert len(charts.to_svg(fig)) > 0
    assert len(svg_glyphs_outside(charts.to_svg(fig))) == 1
    fig.text(0.1, 0.5, "inside")
    assert svg_glyphs_outside(charts.to_svg(fig)) == [f"text {long_word('Overflowing', 60)[:40]!r}"]


L = long_word("Label")
LONG_CHARTS = {
    "trend": (charts.trend, ([L, "2025-Q2"], [60.0, 70.0], None, None, [5, 6]),
              {"title": L, "ylabel": L, "target": 65.0, "target_label": L}),
    "hbars": (charts.hbars, ([L, "South"], [75.5, None], [16, 0]), {"title": L, "xlabel": L, "suppressed_label": "n < 5"}),
    "columns": (charts.columns, ([L, "2025-02"], [3, 5]), {"title": L, "ylabel": L, "note": L}),
    "pareto": (charts.pareto, ([L, "Other"], [5, 1], [83.3, 100.0]), {"title": L, "ylabel": L, "cumulative_label": L}),
    "radar": (charts.radar, ([L, "Delivery", "Price"], [(L, [71.6, 63.2, 80.0])]), {"title": L, "note": L}),
    "item_bars": (charts.item_bars, ([L, "q2"], [68.3, 75.0], [73.1, 72.7], [53.9, 51.8], [86.3, 86.8]),
                  {"title": L, "xlabel": L, "score_label": L, "top2_label": L}),
    "nps_bars": (charts.nps_bars, ([L, "2025-Q2"], [41.7, 38.5], [20.8, 19.2], [37.5, 42.3], [-4.2, 3.8], [24, 26]),
                 {"title": L, "ylabel": L, "names": (L, L, L), "score_name": "NPS"}),
    "ipa": (charts.ipa, ([L, "Delivery", "Price"], [71.6, 63.2, 72.0], [30.0, 25.0, 10.0], 68.93, 21.7, (L, L, L, L)),
            {"title": L, "xlabel": L, "ylabel": L}),
    "grouped_hbars": (charts.grouped_hbars, ([L, "Delivery"], [(L, [70.0, 71.0]), ("Rival", [65.0, None])]),
                      {"title": L, "xlabel": L, "missing_label": "n < 5"}),
    "path_diagram": (charts.path_diagram, ([L, "Quality", L], [73.3, None, 67.3], [None, 0.2, 0.6], [(0, 1), (1, 2), (0, 2)],
                                           [0.4, 0.5, -0.1]), {"title": L, "index_label": "Index", "note": L}),
    "bullets": (charts.bullets, ([L, "O2"], [79.4, None], [78.0, 30.0], [L, "points"], [True, None]),
                {"title": L, "target_label": L, "no_data_label": "no data"}),
    "driver_bars": (charts.driver_bars, ([L, "Delivery", L], [31.2, 45.0, 23.8], [20.1, None, 12.0], [44.0, None, 35.5]),
                    {"title": L, "xlabel": L, "interval_label": L, "note": L}),
    "ipma_map": (charts.ipma_map, ([L, "Delivery", L], [0.21, 0.44, 0.05], [78.0, 71.5, 80.2]),
                 {"title": L, "xlabel": L, "ylabel": L, "note": L}),
    "process_flow": (process_flow, ([(L, L), ("Quality", L), (L, "Close")], L), {"note": L}),
}


# the charts the hostile build does not draw with long labels, and those whose layout is the tightest
# (every other chart of LONG_CHARTS is drawn with 200-character labels by the build and checked above)
DIRECT = ["bullets", "columns", "driver_bars", "grouped_hbars", "ipma_map", "item_bars", "nps_bars", "path_diagram"]


def test_every_chart_function_has_a_long_label_case():
    drawn = [n for n in dir(charts)  # the chart functions: matplotlib Figures made SVG by charts.styled
             if getattr(getattr(getattr(charts, n), "__wrapped__", None), "__annotations__", {}).get("return") == "Figure"]
    assert len(drawn) == 13
    assert sorted(LONG_CHARTS) == sorted([*drawn, "process_flow"])


@pytest.mark.parametrize("name", DIRECT)
def test_chart_with_200_character_labels_stays_inside_without_a_warning(name):
    fn, args, kwargs = LONG_CHARTS[name]
    svg = fn(*args, **kwargs)  # a matplotlib warning (collapsed layout) fails the test
    assert svg_glyphs_outside(svg) == []
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert any(t.startswith("Labelabcdefg") for t in texts)  # the label is drawn, wrapped or cut
