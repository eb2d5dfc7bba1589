"""Chart stage: result objects -> matplotlib ``Figure`` -> deterministic SVG bytes.

Only the object API is used (``matplotlib.figure.Figure``), never pyplot's
global state; style settings are applied in a ``rc_context`` that is restored
on exit. Text is converted to paths, so the SVG needs no font at display time
and Chinese glyphs show in the site and in the PDF alike.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

# Okabe-Ito palette: distinguishable with colour blindness and in grayscale by lightness.
INK = "#1a1a1a"
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILION = "#D55E00"
SKY = "#56B4E9"
GREY = "#8c8c8c"
LIGHT = "#d9d9d9"

WIDTH_IN = 6.3  # fits the A4 text width (160 mm)

FONT_CANDIDATES = ("DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")

STYLE = {
    "font.size": 9,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "svg.fonttype": "path",
    "svg.hashsalt": "qmdoc",
    "path.simplify": False,
}


def _fonts() -> list[str]:
    """The installed fonts among the candidates: Latin first, then CJK fallbacks."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in FONT_CANDIDATES if name in installed] or ["DejaVu Sans"]


def _style() -> dict:
    return {**STYLE, "font.family": _fonts()}


def new_figure(height_in: float = 3.0) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height_in), layout="constrained")
    return fig


def to_svg(fig: Figure) -> bytes:
    """Serialize ``fig`` as SVG, byte-identical for identical inputs."""
    buf = io.BytesIO()
    with matplotlib.rc_context(_style()):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "qmdoc"})
    return buf.getvalue()


def styled(fn):
    """Run a chart builder inside the house style (restored afterwards)."""

    def wrapper(*args, **kwargs):
        # CJK fallback fonts have no bold face; matplotlib says so at WARNING level on every title
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
        with matplotlib.rc_context(_style()):
            fig = fn(*args, **kwargs)
            return to_svg(fig)

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


def _note(ax, text: str) -> None:
    ax.annotate(text, xy=(1, 0), xycoords="axes fraction", xytext=(0, -28), textcoords="offset points",
                ha="right", va="top", fontsize=7, color=GREY)


@styled
def trend(labels: Sequence[str], values: Sequence[float | None], lows: Sequence[float | None] | None,
          highs: Sequence[float | None] | None, ns: Sequence[int] | None, title: str, ylabel: str,
          target: float | None = None, target_label: str = "", note: str = "") -> Figure:
    """A value per period with an optional interval band and target line."""
    fig = new_figure(2.8)
    ax = fig.add_subplot()
    x = list(range(len(labels)))
    pts = [(i, v) for i, v in zip(x, values) if v is not None]
    if lows is not None and highs is not None:
        band = [(i, lo, hi) for i, lo, hi in zip(x, lows, highs) if lo is not None and hi is not None]
        if band:
            ax.fill_between([b[0] for b in band], [b[1] for b in band], [b[2] for b in band],
                            color=SKY, alpha=0.35, linewidth=0, label="95 %")
    if pts:
        ax.plot([p[0] for p in pts], [p[1] for p in pts], color=BLUE, marker="o", linewidth=1.8, markersize=4)
        for i, v in pts:
            ax.annotate(f"{v:.1f}", (i, v), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7, color=INK)
    if target is not None:
        ax.axhline(target, color=VERMILION, linestyle="--", linewidth=1.2)
        ax.annotate(target_label, xy=(0, target), xycoords=("axes fraction", "data"), xytext=(2, 3),
                    textcoords="offset points", fontsize=7, color=VERMILION)
    ax.set_xticks(x, labels, rotation=0 if len(labels) <= 8 else 45)
    if ns is not None:
        ax.set_xticks(x, [f"{lab}\nn={n}" for lab, n in zip(labels, ns)], fontsize=7)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    ax.grid(axis="y", color=LIGHT, linewidth=0.6)
    ax.set_axisbelow(True)
    if note:
        _note(ax, note)
    return fig


@styled
def hbars(labels: Sequence[str], values: Sequence[float | None], ns: Sequence[int], title: str, xlabel: str,
          suppressed_label: str = "", xmax: float = 100) -> Figure:
    """Horizontal bars with the value and n printed; ``None`` values are shown as suppressed."""
    fig = new_figure(0.45 + 0.32 * max(len(labels), 3))
    ax = fig.add_subplot()
    y = list(range(len(labels)))[::-1]
    for yi, v, n in zip(y, values, ns):
        if v is None:
            ax.text(1, yi, suppressed_label, va="center", fontsize=8, color=GREY, style="italic")
            continue
        ax.barh(yi, v, color=BLUE, height=0.62)
        ax.text(v + xmax * 0.01, yi, f"{v:.1f}  (n={n})", va="center", fontsize=7, color=INK)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, xmax * 1.18)
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    ax.grid(axis="x", color=LIGHT, linewidth=0.6)
    ax.set_axisbelow(True)
    return fig


@styled
def columns(labels: Sequence[str], values: Sequence[float], title: str, ylabel: str, note: str = "",
            tick_every: int = 1) -> Figure:
    """Vertical bars per period (e.g. complaints per month)."""
    fig = new_figure(2.6)
    ax = fig.add_subplot()
    x = list(range(len(labels)))
    ax.bar(x, values, color=BLUE, width=0.75)
    ax.set_xticks(x[::tick_every], list(labels)[::tick_every], rotation=45, ha="right", fontsize=7)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    ax.grid(axis="y", color=LIGHT, linewidth=0.6)
    ax.set_axisbelow(True)
    if note:
        _note(ax, note)
    return fig


@styled
def pareto(categories: Sequence[str], counts: Sequence[int], cumulative: Sequence[float], title: str,
           ylabel: str, cumulative_label: str) -> Figure:
    """Pareto chart: bars by category (largest first) and the cumulative share line."""
    fig = new_figure(3.0)
    ax = fig.add_subplot()
    x = list(range(len(categories)))
    ax.bar(x, counts, color=BLUE, width=0.7)
    for i, c in zip(x, counts):
        ax.annotate(str(c), (i, c), textcoords="offset points", xytext=(0, 2), ha="center", fontsize=7)
    ax.set_xticks(x, categories, rotation=30, ha="right", fontsize=7)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left")
    ax2 = ax.twinx()
    ax2.plot(x, cumulative, color=ORANGE, marker="s", markersize=3.5, linewidth=1.5)
    ax2.axhline(80, color=GREY, linestyle=":", linewidth=1)
    ax2.set_ylim(0, 105)
    ax2.set_ylabel(cumulative_label)
    ax2.spines["right"].set_visible(True)
    ax.grid(axis="y", color=LIGHT, linewidth=0.6)
    ax.set_axisbelow(True)
    return fig
