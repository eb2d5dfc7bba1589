"""A lost-customer survey's own declaration: kind lost with its lost: block, the win-back item, the columns."""

from __future__ import annotations

from ...models import Survey
from ...yamlfile import YamlDoc
from ..collector import _Collector


def check_lost(c: _Collector, s: Survey, doc: YamlDoc) -> None:
    """kind lost and lost: together; no competitors beside them; the win-back item an
    item on 0..10; each reasons column once and none of them the where-they-went column."""
    if s.kind == "lost" and s.lost is None:
        c.add(doc.path, doc.line_of(("kind",)), "lost",
              "expected the reasons column (lost: {reasons: [...]}) for kind lost, got nothing")
    if s.lost is None:
        return
    lost = s.lost
    if s.kind != "lost":
        c.add(doc.path, doc.line_of(("lost",)), "kind", f"expected kind: lost with lost:, got {s.kind!r}")
    if s.competitors is not None:  # internal: beside kind lost is the internal rule's ("expected kind: internal")
        c.add(doc.path, doc.line_of(("competitors",)), "competitors",
              "expected no competitors on a lost-customer survey, got some")
    seen: dict[str, int] = {}
    for k, col in enumerate(lost.reasons):
        if col in seen:
            c.add(doc.path, doc.line_of(("lost", "reasons", k)), f"lost.reasons[{k}]",
                  f"expected each column once, got {col!r} again (first at lost.reasons[{seen[col]}])")
        seen.setdefault(col, k)
    if lost.went_to is not None and lost.went_to in seen:
        c.add(doc.path, doc.line_of(("lost", "went_to")), "lost.went_to",
              f"expected a column other than the reasons columns, got {lost.went_to!r}")
    if lost.separator is not None and not lost.multiple:
        c.add(doc.path, doc.line_of(("lost", "separator")), "lost.separator",
              "expected no separator for single-choice reasons (multiple: false), got one")
    if lost.win_back is not None:
        items = {i.id: i for i in s.all_items()}
        where = (doc.path, doc.line_of(("lost", "win_back")), "lost.win_back")
        if lost.win_back not in items:
            c.add(*where, f"expected the id of an item, got {lost.win_back!r}")
        else:
            sc = s.item_scale(items[lost.win_back])
            if (sc.min, sc.max) != (0, 10):
                c.add(*where, f"expected an item on a 0..10 scale, got {lost.win_back!r} on {sc.min}..{sc.max}")
