"""Site tables: short labels with a hyphen stay on one line.

A browser may break a line after a hyphen, so that in a table squeezed beside the navigation a
wave or period label (``2024-Q2``), a date (``2025-03-31``) or a document id (``PR-1020``)
splits over two lines while prose cells wrap at their spaces as they should. Every table cell,
header or body, that holds exactly one such label (or one link showing one) is wrapped in
``<span class="nowrap">``, which the site's stylesheet keeps whole. Nothing else changes: the
cell shows the same text, and the PDF, which lays its tables out itself, never sees the spans.
"""

from __future__ import annotations

import re

ATOM_CHARS = 24  # longest label kept on one line: longer ones may wrap (they would widen the table)
_ATOM = re.compile(r"[0-9A-Za-z_.:/]+(?:\\?-[0-9A-Za-z_.:/]+)+")  # Markdown escapes the hyphen: 2024\-Q2
_LINK = re.compile(r"\[(?P<text>[^\[\]]+)\]\([^()\s]+\)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CELL = re.compile(r"((?:\\.|[^|\\])*)\|")  # a cell's text and its closing pipe; an escaped pipe is text


def _is_atom(cell: str) -> bool:
    link = _LINK.fullmatch(cell)
    text = link.group("text") if link else cell
    return _ATOM.fullmatch(text) is not None and len(text.replace("\\", "")) <= ATOM_CHARS


def _row(line: str) -> str:
    """One table row (``| a | b |``) with its label cells wrapped."""
    head, body = line[: line.index("|") + 1], line[line.index("|") + 1:]
    out = [head]
    end = 0
    for m in _CELL.finditer(body):
        cell = m.group(1)
        stripped = cell.strip()
        if stripped and _is_atom(stripped):
            lead = cell[: len(cell) - len(cell.lstrip())]
            trail = cell[len(cell.rstrip()):]
            cell = f'{lead}<span class="nowrap">{stripped}</span>{trail}'
        out.append(cell + "|")
        end = m.end()
    out.append(body[end:])
    return "".join(out)


def keep_labels_whole(markdown: str) -> str:
    """``markdown`` with each table cell that is one hyphenated label wrapped in a no-wrap span.

    A table row is a line starting with ``|`` outside a fenced block; the delimiter row
    (``|---|---|``) has no labels and stays as it is.
    """
    lines = markdown.split("\n")
    fenced = False
    for k, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and line.startswith("|"):
            lines[k] = _row(line)
    return "\n".join(lines)
