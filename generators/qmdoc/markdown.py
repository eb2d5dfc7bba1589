"""Escaping of user text, one rule per kind of sink.

Text from YAML and CSV is data: it is never used as template source, and every
``{{ value }}`` a template prints passes through :func:`escape` unless the value
is already :class:`markupsafe.Markup` (built by our own code only, from escaped
parts).

* Markdown pages (site and PDF): :func:`escape` / :func:`escape_inline`,
  :func:`paragraphs`, :func:`code`; link targets through :func:`link_target`.
* HTML text that never passes through Markdown (site navigation, page titles
  and site name in the site's config, version titles, the PDF's cover and
  metadata): :func:`escape_html`.
* CSS strings (the PDF's running header and footer): :func:`css_string`.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from markupsafe import Markup

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|-])")
_LIST_START = re.compile(r"^(\s*)(\d+)([.)])", re.MULTILINE)


def escape(value: object) -> Markup:
    """Escape ``value`` so that Markdown and HTML show it as literal text."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    text = "".join(_HTML.get(ch, ch) for ch in text)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _LIST_START.sub(r"\1\2\\\3", text)
    return Markup(text)


def escape_inline(value: object) -> Markup:
    """Escape for one line (table cells, headings): newlines become spaces."""
    if isinstance(value, Markup):
        return value
    return escape(" ".join(str(value).split()))


def paragraphs(value: object) -> Markup:
    """Escape multi-paragraph text, keeping blank-line paragraph breaks."""
    parts = [escape_inline(p) for p in re.split(r"\n\s*\n", str(value).strip()) if p.strip()]
    return Markup("\n\n".join(parts))


def code(value: object) -> Markup:
    """A Markdown code span showing ``value`` literally (Markdown escapes its content itself)."""
    if value is None:
        return Markup("—")
    text = " ".join(str(value).split())
    if not text:
        return Markup("—")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


def escape_html(value: object) -> str:
    """``value`` as HTML text, safe in element content and in quoted attribute values.

    For the sinks that take HTML but never Markdown: the site's navigation titles,
    page titles and site name (the theme prints them unescaped), version titles,
    the PDF's cover and metadata."""
    return html.escape(str(value), quote=True)


_URL_SAFE = "/#:?=&%.,;@!$~+-_"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def link_target(target: str) -> str:
    """A link target for a Markdown link: relative, or an ``http(s)`` URL; anything else is refused.

    Characters that could end the link or start markup (spaces, brackets, quotes,
    backslashes, ...) are percent-encoded, so the target stays one target."""
    scheme = _SCHEME.match(target)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise ValueError(f"link target: expected a relative path or an http(s) URL, got scheme {scheme.group(1)!r}")
    return quote(target, safe=_URL_SAFE)


def css_string(value: object) -> str:
    """``value`` as a quoted CSS string: quotes, backslashes and control characters (newlines) escaped."""
    out = []
    for ch in str(value):
        if ch in '"\\' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'
