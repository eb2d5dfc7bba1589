"""Render stage: one typed context per page, filled into a Jinja template.

Contexts (:mod:`qmdoc.views`) hold display-ready values (formatted numbers, dates, labels and
links made by our code). Templates loop and print; every printed value is
escaped (see :mod:`qmdoc.markdown`), so text from YAML and CSV stays inert.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from .clauses import clause_sort_key
from .markdown import code, escape_inline, link_target, paragraphs

if TYPE_CHECKING:
    from .i18n import Catalogue


@dataclass(frozen=True)
class Page:
    """One generated Markdown page; ``path`` is relative to the docs folder."""

    path: str
    title: str
    markdown: str
    section: str | None = None  # nav section title, None for top level


@dataclass
class Rendered:
    pages: list[Page] = field(default_factory=list)
    charts: dict[str, bytes] = field(default_factory=dict)  # path relative to docs folder -> SVG


def _finalize(value: Any) -> Markup:
    if value is None:
        return Markup("—")
    return escape_inline(value)


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in a folder between processes.

    Jinja checks a stored template against the template's source and the Python version; the key
    here also covers ``made_by``: what makes the environment the templates are compiled in (for the
    pages: this module, whose settings shape the compiled code, and Jinja's version), so a template
    is never taken from a differently made environment.
    """

    def __init__(self, folder: Path, made_by: bytes):
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(str(folder), "%s.jinja")
        self._salt = hashlib.sha256(made_by).hexdigest()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{self._salt}\0{name}\0{filename}".encode()).hexdigest()[:32]


@functools.lru_cache(maxsize=4)
def make_environment(compiled: Path | None = None) -> jinja2.Environment:
    """The template environment: made once per process, so each template is compiled once.

    ``compiled``: a folder where compiled templates are kept for the next process (a build
    compiles only the templates that changed). Nothing changes the environment after it is made
    (no per-build globals): every build passes what its pages show as render arguments.
    """
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("qmdoc", "templates"),
        finalize=_finalize,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=CompiledTemplates(compiled, Path(__file__).read_bytes() + jinja2.__version__.encode())
        if compiled is not None else None,
    )
    env.filters["code"] = code
    env.filters["punct"] = punct
    return env


@jinja2.pass_context
def punct(context: Any, key: str) -> Markup:
    """The page language's punctuation mark ``key`` of the catalogue (``colon``, ``semicolon``, ``comma``, ``stop``, ``end``: a stop ending a line, ``open`` and ``close``: brackets),
    with its spacing: ": " in English, "：" in Chinese. ``{{ 'colon' | punct }}`` in a template."""
    return Markup(context["t"][f"punct_{key}"])


def fmt(value: float | None, digits: int = 1, suffix: str = "") -> Markup:
    """A number for display; ``None`` shows as an em dash."""
    if value is None:
        return Markup("—")
    return Markup(f"{value:,.{digits}f}{suffix}")


def link(text: str, href: str) -> Markup:
    """A Markdown link showing ``text`` literally; ``href`` must be relative or http(s) (see ``link_target``)."""
    return Markup(f"[{escape_inline(text)}]({link_target(href)})")


def relative(from_page: str, to_path: str) -> str:
    """Relative link from the folder of ``from_page`` to ``to_path`` (both docs-relative)."""
    depth = from_page.count("/")
    return "../" * depth + to_path


def image(from_page: str, chart_path: str, alt: str) -> Markup:
    """A Markdown image of a chart with ``alt`` (user text allowed) as its literal alternative text."""
    return Markup(f"![{escape_inline(alt)}]({link_target(relative(from_page, chart_path))})")


def joined(values: list[str] | tuple[str, ...], t: Catalogue) -> Markup:
    """``values`` (user text allowed) as an enumeration in the catalogue's words: "a, b" in English,
    "a、b" in Chinese; an em dash when there are none."""
    return Markup(t["punct_list"].join(escape_inline(v) for v in values)) if values else Markup("—")


def bracketed(text: str, inner: str, t: Catalogue) -> str:
    """``text (inner)`` with the catalogue's brackets: "a (3)" in English, "a（3）" in Chinese."""
    return f"{text}{t['punct_open']}{inner}{t['punct_close']}"


def clause_list(clauses: list[str], t: Catalogue) -> Markup:
    return joined(sorted(clauses, key=clause_sort_key), t)


__all__ = [
    "Page", "Rendered", "make_environment", "fmt", "link", "relative", "image", "joined",
    "clause_list", "paragraphs", "bracketed",
]
