"""A survey instrument's own consistency: unique ids, references, weights, scales, model paths, source block."""

from __future__ import annotations

from ...models import Survey
from ...yamlfile import YamlDoc
from ..collector import _Collector
from ..files import _known_encoding
from .weights import check_weighting_instrument
from .lost import check_lost
from .comments import check_comment_declarations


def _check_survey(c: _Collector, s: Survey, doc: YamlDoc) -> None:
    seen: set[str] = set()
    for d_i, dim in enumerate(s.dimensions):
        for i_i, item in enumerate(dim.items):
            if item.id in seen:
                c.add(doc.path, doc.line_of(("dimensions", d_i, "items", i_i, "id")), f"dimensions[{d_i}].items[{i_i}].id",
                      f"expected a unique item id, got {item.id!r} again")
            seen.add(item.id)
    for i_i, item in enumerate(s.items):
        if item.id in seen:
            c.add(doc.path, doc.line_of(("items", i_i, "id")), f"items[{i_i}].id",
                  f"expected a unique item id, got {item.id!r} again")
        seen.add(item.id)
    dims = [d.id for d in s.dimensions]
    if len(set(dims)) != len(dims):
        c.add(doc.path, doc.line_of(("dimensions",)), "dimensions", "expected unique dimension ids, got a repeated id")
    items = {i.id: i for i in s.all_items()}
    for key in ("overall", "recommend"):
        ref = getattr(s, key)
        if ref is not None and ref not in items:
            c.add(doc.path, doc.line_of((key,)), key, f"expected the id of an item, got {ref!r}")
    if s.recommend in items:
        sc = s.item_scale(items[s.recommend])
        if (sc.min, sc.max) != (0, 10):
            c.add(doc.path, doc.line_of(("recommend",)), "recommend",
                  f"expected an item on a 0..10 scale, got {s.recommend!r} on {sc.min}..{sc.max}")
    for d_i, dim in enumerate(s.dimensions):
        given = [i_i for i_i, item in enumerate(dim.items) if item.weight is not None]
        if given and len(given) != len(dim.items):
            first = next(i_i for i_i, item in enumerate(dim.items) if item.weight is None)
            c.add(doc.path, doc.line_of(("dimensions", d_i, "items", first)), f"dimensions[{d_i}].items[{first}].weight",
                  f"expected a weight on every item of dimension {dim.id!r} or on none, "
                  f"got weights on {len(given)} of {len(dim.items)}")
    weights = [d.weight for d in s.dimensions]
    if any(w is None for w in weights) and any(w is not None for w in weights):
        first = weights.index(None)
        c.add(doc.path, doc.line_of(("dimensions", first)), f"dimensions[{first}].weight",
              f"expected a weight on every dimension or on none, got weights on "
              f"{sum(w is not None for w in weights)} of {len(weights)}")
    # a not-applicable code means "not applicable" on the items whose scale it lies outside (0 on a 1..5
    # item) and is an answer on the others (0 on a 0..10 item): one inside every scale means nothing
    for n_i, code in enumerate(s.not_applicable):
        if all(s.item_scale(i).min <= code <= s.item_scale(i).max for i in s.all_items()):
            c.add(doc.path, doc.line_of(("not_applicable", n_i)), f"not_applicable[{n_i}]",
                  f"expected a code outside the scale of some item (inside every scale it is always an answer), "
                  f"got {code}")
    if s.importance == "stated" and weights and all(w is not None for w in weights) and sum(weights) <= 0:
        c.add(doc.path, doc.line_of(("dimensions",)), "dimensions", "expected weights that sum to more than 0, got 0")
    if s.importance in ("derived", "drivers") and not s.overall:
        c.add(doc.path, doc.line_of(("importance",)), "importance",
              f"expected an overall item (key overall) for {s.importance} importance, got none")
    in_dimensions = {i.id for d in s.dimensions for i in d.items}
    for i, ref in enumerate(s.loyalty):
        if ref not in items:
            c.add(doc.path, doc.line_of(("loyalty", i)), f"loyalty[{i}]", f"expected the id of an item, got {ref!r}")
        elif ref in in_dimensions:
            c.add(doc.path, doc.line_of(("loyalty", i)), f"loyalty[{i}]",
                  f"expected a top-level item (loyalty is not part of a dimension), got {ref!r}")
    if s.kind == "internal" and s.internal is None:
        c.add(doc.path, doc.line_of(("kind",)), "internal",
              "expected the supplier and customer columns (internal: {supplier: ..., customer: ...}), got nothing")
    if s.internal is not None and s.kind != "internal":
        c.add(doc.path, doc.line_of(("internal",)), "kind", f"expected kind: internal with internal:, got {s.kind!r}")
    if s.internal is not None and s.competitors is not None:
        c.add(doc.path, doc.line_of(("competitors",)), "competitors",
              "expected competitors or internal customers, got both")
    if s.internal is not None and s.internal.supplier == s.internal.customer:
        c.add(doc.path, doc.line_of(("internal", "customer")), "internal.customer",
              f"expected a column other than the supplier column, got {s.internal.customer!r} for both")
    check_lost(c, s, doc)  # a lost-customer survey's own declaration
    check_comment_declarations(c, s, doc)
    if s.model:
        _check_model(c, s, doc, dims)
    _check_source(c, s, doc)
    check_weighting_instrument(c, s, doc)
    _check_gaps(c, s, doc)
    _check_improvements(c, s, doc)


def _item_path(s: Survey) -> dict[str, tuple]:
    """Item id -> its path in the instrument file (dimensions' items, then the other items)."""
    out: dict[str, tuple] = {}
    for d_i, dim in enumerate(s.dimensions):
        for i_i, item in enumerate(dim.items):
            out.setdefault(item.id, ("dimensions", d_i, "items", i_i))
    for i_i, item in enumerate(s.items):
        out.setdefault(item.id, ("items", i_i))
    return out


def _check_gaps(c: _Collector, s: Survey, doc: YamlDoc) -> None:
    """An expectation column is a column of its own: no item's id or column, no other item's expectation."""
    paths = _item_path(s)
    taken = {i.column or i.id for i in s.all_items()} | {i.id for i in s.all_items()} | set(s.segment_ids())
    taken |= {s.respondent, *([s.wave] if s.wave else [])}
    seen: dict[str, str] = {}
    for iid, column in s.gap_items().items():
        path = (*paths[iid], "expectation", "column")
        where = (doc.path, doc.line_of(path), ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path)
                 .replace(".[", "["))
        if column in taken:
            c.add(*where, f"expected a column of its own for the expectation of item {iid!r}, got {column!r}, "
                          "a column the survey already reads")
        elif column in seen:
            c.add(*where, f"expected a column of its own for the expectation of item {iid!r}, got {column!r}, "
                          f"the expectation column of item {seen[column]!r}")
        seen.setdefault(column, iid)


def _check_improvements(c: _Collector, s: Survey, doc: YamlDoc) -> None:
    """Improvement actions: unique ids, a dimension or item of the survey."""
    seen: dict[str, int] = {}
    dims = {d.id for d in s.dimensions}
    items = {i.id for i in s.all_items()}
    for k, a in enumerate(s.improvements):
        if a.id in seen:
            c.add(doc.path, doc.line_of(("improvements", k, "id")), f"improvements[{k}].id",
                  f"expected a unique improvement id, got {a.id!r} again (first at improvements[{seen[a.id]}])")
        seen.setdefault(a.id, k)
        if a.dimension is not None and a.dimension not in dims:
            c.add(doc.path, doc.line_of(("improvements", k, "dimension")), f"improvements[{k}].dimension",
                  f"expected the id of a dimension, got {a.dimension!r}")
        if a.item is not None and a.item not in items:
            c.add(doc.path, doc.line_of(("improvements", k, "item")), f"improvements[{k}].item",
                  f"expected the id of an item, got {a.item!r}")


def _check_source(c: _Collector, s: Survey, doc: YamlDoc) -> None:
    """The source block and column mapping: what the export reader needs to know before reading."""
    src = s.source
    if not _known_encoding(src.encoding):
        c.add(doc.path, doc.line_of(("source", "encoding")), "source.encoding",
              f"expected auto or the name of an encoding (utf-8, gb18030, gbk, cp1252, ...), got {src.encoding!r}")
    if s.wave and src.wave is not None:
        c.add(doc.path, doc.line_of(("source", "wave")), "source.wave",
              f"expected wave: or source.wave:, got both (wave: {s.wave})")
    screen = src.screen
    if screen is not None and (screen.min_seconds or screen.min_share) and not screen.duration:
        c.add(doc.path, doc.line_of(("source", "screen")), "source.screen.duration",
              "expected the column with the time taken (duration:) for min_seconds or min_share, got none")
    if screen is not None and screen.duration and not (screen.min_seconds or screen.min_share):
        c.add(doc.path, doc.line_of(("source", "screen")), "source.screen.min_seconds",
              "expected min_seconds or min_share with duration:, got neither")
    seen: dict[str, int] = {}
    for k, sid in enumerate(s.segment_ids()):
        if sid in seen:
            c.add(doc.path, doc.line_of(("segments", k)), f"segments[{k}]",
                  f"expected unique segment ids, got {sid!r} again (first at segments[{seen[sid]}])")
        seen.setdefault(sid, k)


def _check_model(c: _Collector, s: Survey, doc: YamlDoc, dims: list[str]) -> None:
    """The structural model's paths: between dimensions, each once, no loops (what PLS estimation requires)."""
    seen: dict[tuple[str, str], int] = {}
    graph: dict[str, list[str]] = {}
    for p_i, (source, target) in enumerate(s.model.paths):
        where = (doc.path, doc.line_of(("model", "paths", p_i)), f"model.paths[{p_i}]")
        unknown = [end for end in (source, target) if end not in dims]
        for end in unknown:
            c.add(*where, f"expected dimension ids, got {end!r}")
        if unknown:
            continue
        if source == target:
            c.add(*where, f"expected a path between two dimensions, got {source!r} to itself")
        elif (source, target) in seen:
            c.add(*where, f"expected each path once, got {source} -> {target} again "
                          f"(first at model.paths[{seen[(source, target)]}])")
        else:
            seen[(source, target)] = p_i
            graph.setdefault(source, []).append(target)
    cycle = _find_cycle(graph)
    if cycle:
        c.add(doc.path, doc.line_of(("model", "paths")), "model.paths",
              f"expected paths without a loop (a recursive model cannot be estimated), got {' -> '.join(cycle)}")
    target = s.model.target
    if target is not None and target not in {t for _, t in s.model.paths}:
        c.add(doc.path, doc.line_of(("model", "target")), "model.target",
              f"expected a dimension that a path leads to (the target of the importance-performance map), "
              f"got {target!r}")


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle of a directed graph as a closed list of nodes, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in graph:
        if start not in state and (found := visit(start)):
            return found
    return None
