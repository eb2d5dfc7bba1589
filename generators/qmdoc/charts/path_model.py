"""The path diagram of a structural (PLS path) model: latent variables as boxes in columns by causal
depth, paths as straight arrows or arrows routed in lanes above and below the boxes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from .style import BLUE, GREY, INK, TITLE_WIDTH, VERMILION, WIDTH_IN, _fit, styled

# geometry in inches (the axes span the whole figure, one data unit = one inch)
_MARGIN, _TITLE_H = 0.08, 0.34
_NAME_SIZE, _DETAIL_SIZE, _COEF_SIZE = 7.5, 7.0, 6.5  # points
_LINE = 1.22 / 72  # inches per point of font size, per line
_PAD = 0.05  # inside a box
_LANE_GAP = 0.25  # between two lanes of routed arrows

Routes = dict[int, tuple[str, int]]  # path position -> (side, lane) of the paths routed in a lane


def _causal_depth(n: int, paths: Sequence[tuple[int, int]]) -> list[int]:
    """Column of each latent variable: 0 without predecessors, else one right of its deepest predecessor."""
    preds: list[list[int]] = [[] for _ in range(n)]
    for a, b in paths:
        preds[b].append(a)
    depth: list[int | None] = [None] * n
    for _ in range(n + 1):  # n passes settle any acyclic graph
        for k in range(n):
            known = [depth[p] for p in preds[k]]
            if all(d is not None for d in known):
                depth[k] = 1 + max(known) if known else 0  # type: ignore[type-var]
        if all(d is not None for d in depth):
            return [int(d) for d in depth]  # type: ignore[arg-type]
    raise ValueError("path diagram: the paths form a cycle")


def _spread(count: int, low: float, high: float) -> list[float]:
    """``count`` positions spread evenly over ``low..high`` (each in the middle of its share)."""
    return [low + (k + 0.5) * (high - low) / count for k in range(count)]


@styled
def path_diagram(labels: Sequence[str], indexes: Sequence[float | None], r2: Sequence[float | None],
                 paths: Sequence[tuple[int, int]], coefficients: Sequence[float], title: str,
                 index_label: str = "Index", r2_label: str = "R²", note: str = "",
                 significant: Sequence[bool | None] | None = None) -> Figure:
    """A structural (PLS path) model: latent variables as labelled boxes, paths as arrows.

    ``labels``, ``indexes`` (0–100, ``None`` prints no index) and ``r2`` (``None``
    for an exogenous latent variable) are per latent variable; ``paths`` are
    ``(from, to)`` positions in ``labels`` with their ``coefficients``.

    Layout, left to right by causal depth: latent variables without
    predecessors in the first column, every other one a column right of its
    deepest predecessor; the boxes of a column spread vertically, ordered by the
    mean row of their predecessors. A path between boxes that a straight line
    can join without crossing another box is a straight arrow; any other path
    is routed in a lane above or below the boxes (shorter spans nearer the
    boxes, lanes never shared by overlapping spans). Arrow width is
    proportional to ``|coefficient|``; a negative path is dashed, in another
    colour. ``significant`` (optional, one per path): a path marked False
    (not significant in the bootstrap) is drawn thin, grey and dotted, its
    coefficient in grey; True or None draws it as above. Every box has the SVG
    id ``lv-<i>``, every arrow ``path-<i>`` (positions in the arguments), every
    coefficient label ``coef-<i>``.
    """
    n = len(labels)
    if n == 0:
        raise ValueError("path diagram: no latent variables")
    if significant is None:
        significant = [None] * len(paths)
    if not (len(indexes) == len(r2) == n and len(paths) == len(coefficients) == len(significant)):
        raise ValueError("path diagram: one index and one R² per latent variable, one coefficient per path")
    grid = _grid(labels, r2, [(int(a), int(b)) for a, b in paths])
    routed, lanes = _route(grid)
    frame = _frame(grid, lanes, note)

    fig = Figure(figsize=(WIDTH_IN, frame.height))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_IN)
    ax.set_ylim(0, frame.height)
    ax.set_axis_off()
    ax.text(_MARGIN, frame.height - 0.06, _fit(title, TITLE_WIDTH, 1), ha="left", va="top", fontsize=10,
            fontweight="bold", color=INK)
    _draw_boxes(fig, ax, grid, frame.centre_y, indexes, r2, index_label, r2_label)
    start, end = _attachments(grid, frame.centre_y, routed)
    _draw_paths(ax, grid, frame, routed, start, end, coefficients, significant)
    if note:
        ax.text(WIDTH_IN - _MARGIN, 0.06, _fit(note, 95, 1), ha="right", va="bottom", fontsize=7, color=GREY)
    return fig


# ---------------------------------------------------------------------- layout


def _ordered_columns(n: int, edges: list[tuple[int, int]], depth: list[int]) -> list[list[int]]:
    """The latent variables of each column, top to bottom: by their predecessors' mean row (top = 0),
    ties in argument order."""
    columns: list[list[int]] = [[] for _ in range(max(depth) + 1 if depth else 1)]
    for k in range(n):
        columns[depth[k]].append(k)
    rank: dict[int, float] = {}
    preds = {k: [a for a, b in edges if b == k] for k in range(n)}
    for col in columns:
        col.sort(key=lambda k: (math.fsum(rank[p] for p in preds[k]) / len(preds[k]) if preds[k] else 0.0, k))
        middle = (len(col) - 1) / 2
        for row, k in enumerate(col):
            rank[k] = row - middle
    return columns


@dataclass(frozen=True)
class _Grid:
    """The boxes of a path diagram placed before the figure's height is known.

    ``edges`` are the paths as ``(from, to)`` positions, ``depth`` each latent
    variable's column, ``wrapped`` its label as its box prints it,
    ``detail_lines`` the lines under the label (index, and R² when any latent
    variable has one); ``centre_x`` is a box's centre in inches from the left
    edge, ``rel_y`` its height relative to the middle of the band of boxes
    (positive up), ``band_h`` that band's height."""

    edges: list[tuple[int, int]]
    depth: list[int]
    wrapped: list[str]
    detail_lines: int
    box_w: float
    box_h: float
    band_h: float
    centre_x: dict[int, float]
    rel_y: dict[int, float]

    def box(self, k: int, cy: float) -> tuple[float, float, float, float]:
        """Left, bottom, right and top of box ``k`` with its centre at height ``cy``."""
        return self.centre_x[k] - self.box_w / 2, cy - self.box_h / 2, self.centre_x[k] + self.box_w / 2, \
            cy + self.box_h / 2

    def crosses(self, a: int, b: int) -> bool:
        """Whether the straight line from box a to box b passes through a third box."""
        (xa, ya), (xb, yb) = (self.centre_x[a] + self.box_w / 2, self.rel_y[a]), \
            (self.centre_x[b] - self.box_w / 2, self.rel_y[b])
        for k in range(len(self.depth)):
            if k in (a, b):
                continue
            x0, y0, x1, y1 = self.box(k, self.rel_y[k])
            for s in range(1, 64):
                x, y = xa + (xb - xa) * s / 64, ya + (yb - ya) * s / 64
                if x0 - 0.05 < x < x1 + 0.05 and y0 - 0.05 < y < y1 + 0.05:
                    return True
        return False


def _grid(labels: Sequence[str], r2: Sequence[float | None], edges: list[tuple[int, int]]) -> _Grid:
    n = len(labels)
    depth = _causal_depth(n, edges)
    ncols = max(depth) + 1 if depth else 1
    pitch = (WIDTH_IN - 2 * _MARGIN) / ncols
    box_w = min(1.35, pitch - max(0.34, 0.28 * pitch))  # the gap holds a coefficient over an arrow
    wrapped = [_fit(lab, 13 if ncols > 4 else 20, 3) for lab in labels]
    title_lines = max((w.count("\n") + 1 for w in wrapped), default=1)
    detail_lines = 1 + (1 if any(v is not None for v in r2) else 0)
    box_h = 2 * _PAD + title_lines * _NAME_SIZE * _LINE + detail_lines * _DETAIL_SIZE * _LINE + 0.03
    row_pitch = box_h + 0.42
    columns = _ordered_columns(n, edges, depth)
    rows = max(len(col) for col in columns)
    rel_y = {}  # relative to the band's middle, positive up
    for col in columns:
        for row, k in enumerate(col):
            rel_y[k] = ((len(col) - 1) / 2 - row) * row_pitch
    return _Grid(edges=edges, depth=depth, wrapped=wrapped, detail_lines=detail_lines, box_w=box_w, box_h=box_h,
                 band_h=(rows - 1) * row_pitch + box_h,
                 centre_x={k: _MARGIN + (depth[k] + 0.5) * pitch for k in range(n)}, rel_y=rel_y)


def _route(grid: _Grid) -> tuple[Routes, dict[str, list[list[tuple[int, int]]]]]:
    """Routing: a path that a straight line cannot draw without crossing a box goes in a lane above or
    below the boxes (shorter spans first, nearer the boxes); the routes and each side's lanes (the
    column spans they hold)."""
    edges, depth, rel_y = grid.edges, grid.depth, grid.rel_y
    routed: Routes = {}
    lanes: dict[str, list[list[tuple[int, int]]]] = {"above": [], "below": []}
    arched = [i for i, (a, b) in enumerate(edges) if grid.crosses(a, b)]
    arched.sort(key=lambda i: (depth[edges[i][1]] - depth[edges[i][0]], i))
    for i in arched:
        a, b = edges[i]
        lean = rel_y[a] + rel_y[b]
        if lean > 1e-9:
            side = "above"
        elif lean < -1e-9:
            side = "below"
        else:
            count = {s: sum(1 for v in routed.values() if v[0] == s) for s in ("above", "below")}
            side = "above" if count["above"] <= count["below"] else "below"
        span = (depth[a], depth[b])
        lane = 0
        while lane < len(lanes[side]) and any(s0 <= span[1] and span[0] <= s1 for s0, s1 in lanes[side][lane]):
            lane += 1
        if lane == len(lanes[side]):
            lanes[side].append([])
        lanes[side][lane].append(span)
        routed[i] = (side, lane)
    return routed, lanes


@dataclass(frozen=True)
class _Frame:
    """The figure's height and the boxes' heights in it (inches from the bottom edge): each box's centre,
    and the top and bottom of the band of boxes (the lanes run beyond them)."""

    height: float
    centre_y: dict[int, float]
    band_top: float
    band_bottom: float


def _frame(grid: _Grid, lanes: dict[str, list[list[tuple[int, int]]]], note: str) -> _Frame:
    above_h = len(lanes["above"]) * _LANE_GAP + (0.1 if lanes["above"] else 0.0)
    below_h = len(lanes["below"]) * _LANE_GAP + (0.1 if lanes["below"] else 0.0)
    bottom_h = 0.24 if note else 0.06
    band_h = grid.band_h
    mid_y = bottom_h + below_h + band_h / 2
    return _Frame(height=_TITLE_H + above_h + band_h + below_h + bottom_h,
                  centre_y={k: mid_y + grid.rel_y[k] for k in range(len(grid.depth))},
                  band_top=mid_y + band_h / 2, band_bottom=mid_y - band_h / 2)


# --------------------------------------------------------------------- drawing


def _fit_size(texts: list[Text], renderer, inner_w_px: float, size: float, largest: float) -> float:  # noqa: ANN001
    """One font size for all of ``texts``: the largest (up to ``largest``, never below 5.5 pt) at which
    the widest fits the box (``inner_w_px`` wide); ``size`` is their size now. Returns the size set."""
    widest = max((t.get_window_extent(renderer).width for t in texts), default=0.0)
    chosen = min(largest, size * inner_w_px / widest) if widest > 0 else largest
    chosen = max(5.5, math.floor(chosen * 4) / 4)
    for t in texts:
        t.set_fontsize(chosen)
    return chosen


def _draw_boxes(fig: Figure, ax, grid: _Grid, centre_y: dict[int, float],  # noqa: ANN001
                indexes: Sequence[float | None], r2: Sequence[float | None], index_label: str, r2_label: str) -> None:
    """A box per latent variable: its name in bold, its index and R² below; one font size for all names
    and one, never louder, for all details, the largest at which every text fits its box."""
    renderer = fig.canvas.get_renderer()
    inner_w_px = (grid.box_w - 2 * _PAD) * fig.dpi
    names: list[Text] = []
    details: list[Text] = []
    for k in range(len(grid.depth)):
        x0, y0, x1, y1 = grid.box(k, centre_y[k])
        exogenous = r2[k] is None
        box = FancyBboxPatch((x0, y0), grid.box_w, grid.box_h, boxstyle="round,pad=0,rounding_size=0.05",
                             facecolor="#e6f0f8" if exogenous else "white", edgecolor=INK, linewidth=0.9,
                             zorder=3)
        box.set_gid(f"lv-{k}")
        ax.add_patch(box)
        names.append(ax.text(grid.centre_x[k], y1 - _PAD, grid.wrapped[k], ha="center", va="top",
                             fontsize=_NAME_SIZE, fontweight="bold", color=INK, linespacing=1.1, zorder=4))
        lines = [f"{index_label} {indexes[k]:.1f}" if indexes[k] is not None else ""]
        if grid.detail_lines > 1:
            lines.append(f"{r2_label} = {r2[k]:.3f}" if r2[k] is not None else "")
        y = y0 + _PAD + (grid.detail_lines - 1) * _DETAIL_SIZE * _LINE
        for text in lines:
            if text:
                details.append(ax.text(grid.centre_x[k], y, text, ha="center", va="bottom", fontsize=_DETAIL_SIZE,
                                       color=INK, zorder=4))
            y -= _DETAIL_SIZE * _LINE
    names_size = _fit_size(names, renderer, inner_w_px, _NAME_SIZE, _NAME_SIZE)
    _fit_size(details, renderer, inner_w_px, _DETAIL_SIZE, min(_DETAIL_SIZE, max(names_size, 6.0)))  # never louder


def _attachments(grid: _Grid, centre_y: dict[int, float],
                 routed: Routes) -> tuple[dict[int, tuple[float, float]], dict[int, tuple[float, float]]]:
    """Where each arrow starts and ends: straight arrows spread along the right / left edges, lane arrows
    along the top / bottom edges (arrivals on the left half, departures on the right half, the outer
    lanes nearer the middle so that lanes never cross)."""
    edges, box_w, box_h, centre_x = grid.edges, grid.box_w, grid.box_h, grid.centre_x
    start: dict[int, tuple[float, float]] = {}
    end: dict[int, tuple[float, float]] = {}
    for k in range(len(grid.depth)):
        x0, y0, x1, y1 = grid.box(k, centre_y[k])
        out = sorted((i for i, (a, _) in enumerate(edges) if a == k and i not in routed),
                     key=lambda i: (-centre_y[edges[i][1]], i))
        for i, y in zip(out, _spread(len(out), y1 - 0.2 * box_h, y0 + 0.2 * box_h)):
            start[i] = (x1, y)
        into = sorted((i for i, (_, b) in enumerate(edges) if b == k and i not in routed),
                      key=lambda i: (-centre_y[edges[i][0]], i))
        for i, y in zip(into, _spread(len(into), y1 - 0.2 * box_h, y0 + 0.2 * box_h)):
            end[i] = (x0, y)
        for side, edge_y in (("above", y1), ("below", y0)):
            arrive = sorted((i for i, (_, b) in enumerate(edges) if b == k and routed.get(i, ("",))[0] == side),
                            key=lambda i: (routed[i][1], i))
            for i, x in zip(arrive, _spread(len(arrive), x0 + 0.12 * box_w, centre_x[k] - 0.04 * box_w)):
                end[i] = (x, edge_y)
            leave = sorted((i for i, (a, _) in enumerate(edges) if a == k and routed.get(i, ("",))[0] == side),
                           key=lambda i: (-routed[i][1], i))
            for i, x in zip(leave, _spread(len(leave), centre_x[k] + 0.04 * box_w, x1 - 0.12 * box_w)):
                start[i] = (x, edge_y)
    return start, end


def _draw_paths(ax, grid: _Grid, frame: _Frame, routed: Routes, start: dict[int, tuple[float, float]],  # noqa: ANN001
                end: dict[int, tuple[float, float]], coefficients: Sequence[float],
                significant: Sequence[bool | None]) -> None:
    """The arrows and their coefficients: width after ``|coefficient|``, a negative path dashed in
    vermilion, a path not significant thin, grey and dotted."""
    label_box = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none"}
    for i, (c, sig) in enumerate(zip(coefficients, significant)):
        c = float(c)
        width = min(6.0, max(0.4, 4.5 * abs(c)))
        colour, style = (BLUE, "-") if c >= 0 else (VERMILION, "--")
        ink = INK
        if sig is False:  # not significant: thin, grey, dotted
            width, colour, style, ink = 0.9, GREY, ":", GREY
        (xa, ya), (xb, yb) = start[i], end[i]
        if i in routed:
            side, lane = routed[i]
            sign = 1.0 if side == "above" else -1.0
            level = (frame.band_top + 0.1 + (lane + 0.5) * _LANE_GAP) if side == "above" else \
                (frame.band_bottom - 0.1 - (lane + 0.5) * _LANE_GAP)
            r = min(0.08, abs(level - ya) / 2, abs(level - yb) / 2, (xb - xa) / 4)
            verts = [(xa, ya), (xa, level - sign * r), (xa, level), (xa + r, level), (xb - r, level), (xb, level),
                     (xb, level - sign * r), (xb, yb)]
            codes = [MplPath.MOVETO, MplPath.LINETO, MplPath.CURVE3, MplPath.CURVE3, MplPath.LINETO,
                     MplPath.CURVE3, MplPath.CURVE3, MplPath.LINETO]
            arrow = FancyArrowPatch(path=MplPath(verts, codes), arrowstyle="-|>", mutation_scale=7 + 1.6 * width,
                                    linewidth=width, linestyle=style, color=colour, joinstyle="miter",
                                    capstyle="butt", zorder=2)
            spot = ((xa + xb) / 2, level)
        else:
            arrow = FancyArrowPatch((xa, ya), (xb, yb), arrowstyle="-|>", mutation_scale=7 + 1.6 * width,
                                    linewidth=width, linestyle=style, color=colour, shrinkA=0, shrinkB=1.0,
                                    capstyle="butt", zorder=2)
            spot = ((xa + xb) / 2, (ya + yb) / 2)
        arrow.set_gid(f"path-{i}")
        ax.add_patch(arrow)
        flat = i not in routed and abs(yb - ya) < 0.3 * (xb - xa)
        if flat:  # a short gap between boxes: the coefficient over the arrow, not on it
            label = ax.text(spot[0], spot[1] + width / 144 + 0.025, f"{c:.3f}", ha="center", va="bottom",
                            fontsize=_COEF_SIZE, color=ink, zorder=5)
        else:
            label = ax.text(spot[0], spot[1], f"{c:.3f}", ha="center", va="center", fontsize=_COEF_SIZE,
                            color=ink, bbox=label_box, zorder=5)
        label.set_gid(f"coef-{i}")
