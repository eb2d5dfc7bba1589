"""Labelled scatter charts of the survey page: the importance-performance grid (IPA) and the
importance-performance map of a structural model (IPMA), with point labels moved apart."""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from .style import BLUE, GREY, INK, LIGHT, _finish, _fit, new_figure, styled


def _spread_labels(fig: Figure, ax, texts, points: Sequence[tuple[float, float]]) -> None:  # noqa: ANN001
    """Place point labels: each on the side of its point (right, else left) where it stays inside
    the frame and covers no other point; then move labels vertically until none overlaps another
    label or another label's point.

    Deterministic: a fixed number of passes over the labels in a fixed order."""
    if not texts:
        return
    canvas = FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    renderer = canvas.get_renderer()
    to_points = 72.0 / fig.dpi  # display pixels -> points
    marker = 4.0 / to_points  # half a marker's size, in pixels
    dots = [ax.transData.transform(p) for p in points]

    def extent(i: int):  # noqa: ANN202 - the label's text only, without its leader line
        return Text.get_window_extent(texts[i], renderer)

    def nudge(i: int, pixels: float) -> None:
        x, y = texts[i].xyann
        texts[i].xyann = (x, y + pixels * to_points)

    def covers_a_point(i: int) -> bool:
        box = extent(i)
        return any(j != i and box.x0 < px + marker and px - marker < box.x1
                   and box.y0 < py + marker and py - marker < box.y1 for j, (px, py) in enumerate(dots))

    def fits(i: int) -> bool:
        box, frame = extent(i), ax.get_window_extent(renderer)
        return frame.x0 <= box.x0 and box.x1 <= frame.x1

    def flip(i: int) -> None:
        x, y = texts[i].xyann
        texts[i].xyann = (-x, y)
        texts[i].set_horizontalalignment("right" if texts[i].get_horizontalalignment() == "left" else "left")

    for i in range(len(texts)):  # right of the point unless only the left side is clean
        if fits(i) and not covers_a_point(i):
            continue
        first_fits = fits(i)
        flip(i)
        if fits(i) and not covers_a_point(i):
            continue
        if first_fits or not fits(i):  # neither side is clean: keep the first unless only the other fits
            flip(i)

    for _ in range(80):
        moved = False
        boxes = [extent(i) for i in range(len(texts))]
        for i, box in enumerate(boxes):  # a label covering someone else's point moves off it
            for j, (px, py) in enumerate(dots):
                if j == i or box.x1 <= px - marker or px + marker <= box.x0:
                    continue
                if box.y1 <= py - marker or py + marker <= box.y0:
                    continue
                up = (box.y0 + box.y1) / 2 > py or ((box.y0 + box.y1) / 2 == py and i < j)
                nudge(i, (py + marker - box.y0 + 1) if up else -(box.y1 - (py - marker) + 1))
                box = extent(i)
                moved = True
            boxes[i] = box
        order = sorted(range(len(texts)), key=lambda i: (-boxes[i].y0, i))
        for a_pos, a in enumerate(order):  # overlapping labels move apart, half each
            for b in order[a_pos + 1:]:
                ba, bb = boxes[a], boxes[b]
                if ba.x1 <= bb.x0 or bb.x1 <= ba.x0:
                    continue
                overlap = min(ba.y1, bb.y1) - max(ba.y0, bb.y0)
                if overlap <= 0:
                    continue
                nudge(a, overlap / 2 + 1)
                nudge(b, -(overlap / 2 + 1))
                boxes[a] = extent(a)
                boxes[b] = extent(b)
                moved = True
        if not moved:
            break


@styled
def ipa(labels: Sequence[str], performance: Sequence[float | None], importance: Sequence[float],
        performance_mean: float | None, importance_mean: float, quadrants: tuple[str, str, str, str], title: str,
        xlabel: str, ylabel: str, note: str = "") -> Figure:
    """Importance–performance grid: performance (0–100) across, importance (%) up,
    crosshairs at the means, the quadrant names in the corners
    (``quadrants`` = top-left, top-right, bottom-left, bottom-right)."""
    fig = new_figure(3.9)
    ax = fig.add_subplot()
    pts = [(lab, float(p), float(i)) for lab, p, i in zip(labels, performance, importance) if p is not None]
    xs = [p[1] for p in pts] + ([performance_mean] if performance_mean is not None else [])
    ys = [p[2] for p in pts] + [importance_mean]

    def limits(values: list[float], floor: float, ceiling: float, minimum: float) -> tuple[float, float]:
        lo, hi = (min(values), max(values)) if values else (floor, ceiling)
        pad = max((hi - lo) * 0.45, minimum)
        low, high = max(floor, lo - pad), min(ceiling, hi + pad)
        air = 0.04 * (high - low)  # a point on the floor or ceiling stays clear of the frame
        return (low - air if lo - pad < floor else low), (high + air if hi + pad > ceiling else high)

    xlo, xhi = limits(xs, 0, 100, 6)
    ylo, yhi = limits(ys, 0, 100, 4)
    ax.set_xlim(xlo, xhi)
    ax.set_ylim(ylo, yhi)
    if performance_mean is not None:
        ax.axvline(performance_mean, color=GREY, linewidth=0.9, linestyle="--")
    ax.axhline(importance_mean, color=GREY, linewidth=0.9, linestyle="--")
    corners = [(0.015, 0.975, "left", "top"), (0.985, 0.975, "right", "top"),
               (0.015, 0.025, "left", "bottom"), (0.985, 0.025, "right", "bottom")]
    for text, (cx, cy, ha, va) in zip(quadrants, corners):
        ax.text(cx, cy, _fit(text, 30, 1), transform=ax.transAxes, ha=ha, va=va, fontsize=7.5, color=GREY, style="italic",
                fontweight="bold")
    ax.plot([p[1] for p in pts], [p[2] for p in pts], linestyle="none", marker="o", markersize=5.5, color=BLUE,
            markeredgecolor="white", markeredgewidth=0.6)
    texts = []
    for lab, x, y in pts:
        right = True  # the side is chosen once the layout is known (_spread_labels)
        t = ax.annotate(_fit(lab, 22, 3), (x, y), xytext=(6 if right else -6, 0), textcoords="offset points",
                        ha="left" if right else "right", va="center", fontsize=7.5, color=INK,
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
                        arrowprops={"arrowstyle": "-", "color": GREY, "linewidth": 0.5, "shrinkA": 0, "shrinkB": 3})
        t.set_in_layout(False)
        texts.append(t)
    ax.set_xticks([v for v in ax.get_xticks() if xlo <= v <= xhi and v >= 0])
    ax.set_yticks([v for v in ax.get_yticks() if ylo <= v <= yhi and v >= 0])
    _finish_scatter(fig, ax, texts, pts, title, xlabel, ylabel, note)
    return fig


@styled
def ipma_map(labels: Sequence[str], importance: Sequence[float], performance: Sequence[float], title: str,
             xlabel: str, ylabel: str, note: str = "") -> Figure:
    """Importance–performance map of a structural model: importance (unstandardized total effect
    on the target) across, performance (0–100 index) up, dashed crosshairs at the means given by
    the points."""
    fig = new_figure(3.6)
    ax = fig.add_subplot()
    pts = [(lab, float(i), float(p)) for lab, i, p in zip(labels, importance, performance)]
    xs, ys = [p[1] for p in pts], [p[2] for p in pts]
    xlo, xhi = (min(xs + [0.0]), max(xs + [0.0])) if xs else (0.0, 1.0)
    xpad = max((xhi - xlo) * 0.25, 0.05)
    ax.set_xlim(min(0.0, xlo - xpad) if xlo < 0 else 0.0, xhi + xpad)
    ylo, yhi = (min(ys), max(ys)) if ys else (0.0, 100.0)
    ypad = max((yhi - ylo) * 0.45, 4.0)
    ax.set_ylim(max(0.0, ylo - ypad), min(100.0, yhi + ypad))
    if pts:
        ax.axvline(math.fsum(xs) / len(xs), color=GREY, linewidth=0.9, linestyle="--")
        ax.axhline(math.fsum(ys) / len(ys), color=GREY, linewidth=0.9, linestyle="--")
    ax.plot(xs, ys, linestyle="none", marker="o", markersize=5.5, color=BLUE, markeredgecolor="white",
            markeredgewidth=0.6)
    texts = []
    for lab, x, y in pts:
        t = ax.annotate(_fit(lab, 22, 3), (x, y), xytext=(6, 0), textcoords="offset points", ha="left",
                        va="center", fontsize=7.5, color=INK,
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
                        arrowprops={"arrowstyle": "-", "color": GREY, "linewidth": 0.5, "shrinkA": 0, "shrinkB": 3})
        t.set_in_layout(False)
        texts.append(t)
    _finish_scatter(fig, ax, texts, pts, title, xlabel, ylabel, note)
    return fig


def _finish_scatter(fig, ax, texts: list, pts: list, title: str, xlabel: str, ylabel: str,  # noqa: ANN001
                    note: str | None) -> None:
    """Axis labels, grid, title, note and point labels moved apart: the end of every labelled scatter."""
    ax.set_xlabel(_fit(xlabel, 80, 1))
    ax.set_ylabel(_fit(ylabel, 44))
    ax.grid(color=LIGHT, linewidth=0.5)
    _finish(ax, title)
    if note:
        fig.text(0.98, 0.01, _fit(note, 95, 1), ha="right", va="bottom", fontsize=7, color=GREY)
    _spread_labels(fig, ax, texts, [(p[1], p[2]) for p in pts])
