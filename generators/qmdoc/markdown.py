"""Escaping of user text for Markdown + HTML, applied to every template expression.

Text from YAML and CSV is data: it is never used as template source, and every
``{{ value }}`` a template prints passes through :func:`escape` unless the value
is already :class:`markupsafe.Markup` (built by our own code only).
"""

from __future__ import annotations

import re

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
