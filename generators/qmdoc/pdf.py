"""The PDF manual: the same rendered pages, assembled into one print document by WeasyPrint."""

from __future__ import annotations

import functools
import html
import logging
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import markdown

from .i18n import Catalogue
from .markdown import css_string, escape_html
from .render import Page

EXTENSIONS = ["tables", "attr_list", "admonition", "md_in_html", "toc"]
FONTS = '"DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", sans-serif'


@dataclass(frozen=True)
class Cover:
    organization: str
    title: str
    document_id: str
    revision: str
    status: str
    approver: str
    approval_date: str
    effective_date: str
    build_date: str
    build_date_iso: str
    language: str
    release: str | None = None
    commit: str | None = None
    logo: str | None = None  # file URI of the organization's logo
    keywords: tuple[str, ...] = ()


def _slug(path: str) -> str:
    return "p-" + re.sub(r"[^A-Za-z0-9]+", "-", path.removesuffix(".md")).strip("-")


def _resolve(page_path: str, ref: str) -> str:
    """Docs-relative path of ``ref`` written on ``page_path``."""
    parts = page_path.split("/")[:-1]
    for piece in ref.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


def page_html(page: Page, docs_dir: Path) -> str:
    """One page as an HTML section: ids made unique, links made internal, images absolute."""
    body = markdown.markdown(page.markdown, extensions=EXTENSIONS, output_format="html")
    slug = _slug(page.path)
    body = re.sub(r' id="([^"]+)"', lambda m: f' id="{slug}--{m.group(1)}"', body)

    def href(m: re.Match) -> str:
        target = html.unescape(m.group(1))
        if re.match(r"^[a-z]+:", target):
            return m.group(0)
        path, _, frag = target.partition("#")
        if not path:
            return f'href="#{slug}--{frag}"'
        doc = _resolve(page.path, path)
        return f'href="#{_slug(doc)}' + (f"--{frag}" if frag else "") + '"'

    body = re.sub(r'href="([^"]*)"', href, body)
    body = re.sub(r'src="([^"]+)"',
                  lambda m: f'src="{(docs_dir / _resolve(page.path, html.unescape(m.group(1)))).as_uri()}"', body)
    return f'<section class="page" id="{slug}" data-title="{escape_html(page.title)}">\n{body}\n</section>'


def _page_of(t: Catalogue) -> str:
    """CSS content for "page X of Y" in the catalogue's words."""
    template = t["page_of"]
    out = []
    for piece in re.split(r"(\{page\}|\{pages\})", template):
        if piece == "{page}":
            out.append("counter(page)")
        elif piece == "{pages}":
            out.append("counter(pages)")
        elif piece:
            out.append(css_string(piece))
    return " ".join(out)


# The margin boxes of a page row share the width between the page margins (A4 less 2 x 18 mm) by
# their contents' widths. A row whose texts surely fit on one line gets the same layout with or
# without ``overflow-wrap: anywhere``, which WeasyPrint then spares measuring character by character
# (about a tenth of the layout time). Surely: each text is measured with the advance widths of the
# first font, DejaVu Sans, plus every positive kerning of its pairs, and a margin for rounding; a
# CJK character counts 1 em (the widest in the CJK fonts); any other character makes the row unsure.
MARGIN_ROW_PT = (210 - 2 * 18) / 25.4 * 72
MARGIN_FONT_PT = 8
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]")
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def chapters(document_html: str) -> tuple[str, ...]:
    """The texts of the document's level-1 headings: what the running header ``string(chapter)`` shows."""
    return tuple(html.unescape(re.sub(r"<[^>]*>", "", h)) for h in _H1.findall(document_html))


@dataclass(frozen=True)
class Metrics:
    """Advance widths (em) by character and the positive kerning (em) by pair of the margin font."""
    advance: dict[str, float]
    kerning: dict[tuple[str, str], float]


@functools.lru_cache(maxsize=1)
def margin_metrics() -> Metrics | None:
    """The metrics of the DejaVu Sans that fontconfig finds, or None when it finds another font."""
    from fontTools.ttLib import TTFont

    try:
        found = subprocess.run(["fc-match", "--format=%{family[0]}\n%{file}", "DejaVu Sans:style=Book"],
                               capture_output=True, text=True, check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        return None
    if len(found) != 2 or found[0] != "DejaVu Sans" or not found[1].endswith(".ttf"):
        return None
    with TTFont(found[1], lazy=True) as font:
        em = font["head"].unitsPerEm
        glyphs = font.getBestCmap()
        names: dict[str, list[str]] = {}
        for code, glyph in glyphs.items():
            names.setdefault(glyph, []).append(chr(code))
        advance = {chr(code): font["hmtx"][glyph][0] / em for code, glyph in glyphs.items()}
        kerning = {(a, b): value / em for table in getattr(font.get("kern"), "kernTables", [])
                   for (left, right), value in table.kernTable.items() if value > 0
                   for a in names.get(left, []) for b in names.get(right, [])}
    return Metrics(advance, kerning)


def _width_pt(text: str) -> float:
    """An upper bound of the width of ``text`` in the margin boxes, or infinity when unknown."""
    metrics = margin_metrics()
    if metrics is None:
        return float("inf")
    em = 0.0
    for k, char in enumerate(text):
        if char in metrics.advance:
            em += metrics.advance[char]
        elif _CJK.match(char):
            em += 1.0
        else:
            return float("inf")
        if k:
            em += metrics.kerning.get((text[k - 1], char), 0.0)
    return em * MARGIN_FONT_PT * 1.02 + 1


def _wrap(fits: bool) -> str:
    return "" if fits else "overflow-wrap: anywhere; "


def stylesheet(cover: Cover, t: Catalogue, chapter_titles: tuple[str, ...]) -> str:
    """The print stylesheet; ``chapter_titles``: the texts the running header may show (:func:`chapters`)."""
    footer_left = f"{cover.document_id} · {t['revision']} {cover.revision}"
    page_of = t["page_of"].replace("{page}", "00000").replace("{pages}", "00000")
    top_fits = _width_pt(cover.organization) + max(map(_width_pt, chapter_titles), default=0) < MARGIN_ROW_PT
    bottom_fits = _width_pt(t["uncontrolled"]) + 2 * max(_width_pt(footer_left), _width_pt(page_of)) < MARGIN_ROW_PT
    top, bottom = _wrap(top_fits), _wrap(bottom_fits)
    return f"""
@page {{
  size: A4; margin: 22mm 18mm 22mm 18mm;
  @top-left {{ {top}content: {css_string(cover.organization)}; font-size: 8pt; color: #555; }}
  @top-right {{ {top}content: string(chapter); font-size: 8pt; color: #555; }}
  @bottom-left {{ {bottom}content: {css_string(footer_left)}; font-size: 8pt; color: #333; }}
  @bottom-center {{ content: {css_string(t['uncontrolled'])}; font-size: 8pt; color: #555; }}
  @bottom-right {{ content: {_page_of(t)}; font-size: 8pt; color: #333; }}
}}
@page cover {{ @top-left {{ content: none; }} @top-right {{ content: none; }}
  @bottom-left {{ content: none; }} @bottom-center {{ content: none; }} @bottom-right {{ content: none; }} }}
html {{ font-family: {FONTS}; font-size: 9.5pt; line-height: 1.4; color: #1a1a1a; }}
/* a long unbroken word (an id, an owner, a title) wraps inside its cell or line, never past the page edge:
   only the words that _breakable marks may break anywhere, so a table still gives short words their width */
span.long-word {{ overflow-wrap: anywhere; }}
section.cover {{ page: cover; text-align: left; padding-top: 50mm; }}
section.cover img.logo {{ width: auto; max-height: 25mm; max-width: 70mm; margin-bottom: 8mm; }}
section.cover .org {{ font-size: 14pt; color: #0072B2; }}
section.cover h1 {{ font-size: 24pt; margin: 6mm 0 12mm; string-set: none; }}
section.cover table {{ width: 100%; }}
section.page, nav.toc {{ break-before: page; }}
h1 {{ font-size: 17pt; color: #0072B2; string-set: chapter content(); bookmark-level: 1; }}
h2 {{ font-size: 12.5pt; margin-top: 1.2em; bookmark-level: 2; break-after: avoid; }}
h3 {{ font-size: 10.5pt; bookmark-level: 3; break-after: avoid; }}
a {{ color: #0072B2; text-decoration: none; }}
table {{ border-collapse: collapse; margin: 0.6em 0; font-size: 8.3pt; width: 100%; }}
th, td {{ border: 0.5pt solid #999; padding: 2pt 4pt; vertical-align: top; text-align: left; }}
th {{ background: #e8eef5; }}
tr {{ break-inside: avoid; }}
div.keep-together {{ break-inside: avoid; }}
img {{ width: 100%; break-inside: avoid; }}
code {{ font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; }}
nav.toc h1 {{ string-set: chapter content(); }}
nav.toc ul {{ list-style: none; padding-left: 0; }}
nav.toc li.l2 {{ padding-left: 6mm; font-size: 8.5pt; }}
nav.toc a::after {{ content: leader(".") target-counter(attr(href), page); }}
"""


def assemble(pages: list[Page], docs_dir: Path, cover: Cover, t: Catalogue) -> str:
    """The whole print document as one HTML string."""
    sections = [page_html(p, docs_dir) for p in pages]
    toc = []
    for p, sec in zip(pages, sections):
        slug = _slug(p.path)
        toc.append(f'<li class="l1"><a href="#{slug}">{escape_html(p.title)}</a></li>')
        for hid, text in re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', sec):
            toc.append(f'<li class="l2"><a href="#{hid}">{text}</a></li>')
    e = escape_html
    rows = [
        (t["document_id"], cover.document_id), (t["revision"], cover.revision), (t["status"], cover.status),
        (t["approver"], cover.approver), (t["approval_date"], cover.approval_date),
        (t["effective_date"], cover.effective_date), (t["release"], cover.release or "—"),
        (t["commit"], cover.commit or "—"), (t["build_date"], cover.build_date),
    ]
    logo = f'<img class="logo" src="{e(cover.logo)}" alt="">' if cover.logo else ""
    cover_html = (
        f'<section class="cover">{logo}<div class="org">{e(cover.organization)}</div><h1>{e(cover.title)}</h1>'
        "<table>" + "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows) + "</table></section>"
    )
    toc_html = f'<nav class="toc"><h1>{e(t["contents"])}</h1><ul>{"".join(toc)}</ul></nav>'
    return (
        f'<!DOCTYPE html><html lang="{cover.language}"><head><meta charset="utf-8">'
        f"<title>{e(cover.title)}</title>"
        f'<meta name="author" content="{e(cover.organization)}">'
        f'<meta name="description" content="{e(cover.document_id)} {e(t["revision"])} {e(cover.revision)}: '
        f'{e(t["pdf_subject"])}">'
        f'<meta name="keywords" content="{e(", ".join(cover.keywords))}">'
        f'<meta name="generator" content="qmdoc">'
        f'<meta name="dcterms.created" content="{cover.build_date_iso}">'
        f'<meta name="dcterms.modified" content="{cover.build_date_iso}">'
        f"</head><body>{_breakable(cover_html + toc_html + ''.join(sections))}</body></html>"
    )


LONG_WORD = 20  # a run of this many characters without a space (or ._/=-) may break anywhere
_WORD = re.compile(r"[^\s<>]{%d,}" % LONG_WORD)
_AFTER = re.compile(r"(?<=[._/=-])")  # a long word may break after these (ids, metric names, paths)
_TEXT = re.compile(r">([^<]+)<")


def _break_word(word: str) -> str:
    """A long word with a break opportunity after each ``. _ / = -``; a piece that is still long may
    break anywhere (``span.long-word``)."""
    pieces = [p for p in _AFTER.split(word) if p]
    return "<wbr>".join(f'<span class="long-word">{p}</span>' if len(p) >= LONG_WORD else p for p in pieces)


def _breakable(body: str) -> str:
    """``body`` with the long unbroken words of its text (never of a tag or an attribute) made breakable,
    so that they wrap inside their table cell or line instead of running past the page edge, while a
    table still gives short words their whole width. Entities stay whole (they hold none of ``._/=-``)."""
    return _TEXT.sub(lambda m: ">" + _WORD.sub(lambda w: _break_word(w.group(0)), m.group(1)) + "<", body)


class _WarningsAsErrors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _not_a_subset_failure(record: logging.LogRecord) -> bool:
    """A font HarfBuzz cannot subset is embedded whole: a larger PDF, complete and correct, not a layout
    problem (the CJK collection fonts known to fail are replaced first, see :mod:`.pdf_fonts`)."""
    return not record.getMessage().startswith("Unable to subset")


PDF_VARIANT = "pdf/a-3b"

_SVG_NS = "{http://www.w3.org/2000/svg}"
_REF = re.compile(r"#([^\s\"')]+)")


def _unwrap_groups(parent: ET.Element, referenced: set[str]) -> None:
    """Replace every plain group below ``parent`` by its children, in place and in order."""
    children: list[ET.Element] = []
    for child in parent:
        _unwrap_groups(child, referenced)
        plain = (child.tag == f"{_SVG_NS}g" and set(child.attrib) <= {"id"} and child.get("id") not in referenced
                 and not (child.text or "").strip() and not (child.tail or "").strip())
        children.extend(list(child) if plain else [child])
    parent[:] = children


@functools.lru_cache(maxsize=4096)
def _declarations(style: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The declarations of a ``style`` attribute as WeasyPrint reads them, and whether any is !important."""
    from weasyprint.svg.css import parse_declarations

    normal, important = parse_declarations(style)
    return tuple(normal), bool(important)


def _styles_to_attributes(root: ET.Element) -> None:
    """Move each ``style`` declaration into the attribute of its name, which WeasyPrint then reads as it is.

    WeasyPrint applies an element's own attributes, then the SVG's style sheet, then its style
    attribute: a declaration of a property that a style sheet also sets stays in the style attribute,
    so every element ends with the values it had. An !important declaration leaves its element as it is.
    """
    sheet = {name for el in root.iter(f"{_SVG_NS}style")
             for rule in re.findall(r"\{([^}]*)\}", el.text or "") for name, _ in _declarations(rule)[0]}
    for el in root.iter():
        style = el.get("style")
        if style is None:
            continue
        declarations, important = _declarations(style)
        if important:
            continue
        kept = [f"{name}: {value}" for name, value in declarations if name in sheet]
        for name, value in declarations:
            if name not in sheet:
                el.set(name, value)
        if kept:
            el.set("style", "; ".join(kept))
        else:
            del el.attrib["style"]


def print_svg(svg: bytes) -> bytes:
    """A chart's SVG as the PDF draws it: the same picture with less for WeasyPrint to read.

    Dropped: the metadata block (the PDF has its own) and every plain group (a ``<g>`` with no
    attribute but an id nothing refers to: it styles, moves and clips nothing), whose children take
    its place; style attributes become the presentation attributes WeasyPrint would have made of
    them. Text stays text; what is drawn, with which values and in which order, is unchanged.
    """
    root = ET.fromstring(svg)
    for meta in root.findall(f"{_SVG_NS}metadata"):
        root.remove(meta)
    referenced = {m.group(1) for el in root.iter() for value in (*el.attrib.values(), el.text or "")
                  for m in _REF.finditer(value)}
    _unwrap_groups(root, referenced)
    _styles_to_attributes(root)
    return ET.tostring(root, encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _chart_fetcher() -> type:
    """WeasyPrint's URL fetcher, giving the local chart files as :func:`print_svg` makes them."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            response = super().fetch(url, headers)
            if not (url.startswith("file:") and url.endswith(".svg")):
                return response
            try:
                data = response.read()
            finally:
                response.close()
            return URLFetcherResponse(response.url, print_svg(data), response.headers, response.status)

    return ChartFetcher


def write_pdf(document_html: str, stylesheet_css: str, base_url: Path, target: Path) -> list[str]:
    """Lay out the document with WeasyPrint into ``target``; return WeasyPrint's warnings."""
    import weasyprint

    from .pdf_fonts import font_configuration

    logger = logging.getLogger("weasyprint")
    handler = _WarningsAsErrors()
    logger.addHandler(handler)
    logger.addFilter(_not_a_subset_failure)
    try:
        with font_configuration() as fonts:
            doc = weasyprint.HTML(string=document_html, base_url=str(base_url), url_fetcher=_chart_fetcher()())
            doc.write_pdf(target, stylesheets=[weasyprint.CSS(string=stylesheet_css, font_config=fonts)],
                          font_config=fonts, pdf_variant=PDF_VARIANT)
    finally:
        logger.removeHandler(handler)
        logger.removeFilter(_not_a_subset_failure)
    return handler.messages
