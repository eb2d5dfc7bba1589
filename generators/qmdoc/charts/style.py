"""House style of every chart: palette, fonts, rcParams, SVG text settings, label fitting, SVG writing.

Only the object API is used (``matplotlib.figure.Figure``), never pyplot's
global state; style settings are applied in a ``rc_context`` that is restored
on exit. Chart text stays SVG text in the house fonts (with a generic
fallback), so it is selectable and searchable in the PDF.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib

matplotlib.use("Agg")
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

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
    "legend.fontsize": 7.5,
    "hatch.linewidth": 0.6,
    "text.parse_math": False,  # labels carry user text: a "$" is a dollar sign, never mathtext
    # text stays text: selectable and searchable in the PDF, and a third of the SVG elements to lay out
    "svg.fonttype": "none",
    "svg.hashsalt": "qmdoc",
    "path.simplify": False,
}


def _fonts() -> list[str]:
    """The installed fonts among the candidates: Latin first, then CJK fallbacks."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in FONT_CANDIDATES if name in installed] or ["DejaVu Sans"]


def _style() -> dict:
    # the chart text is SVG text: a browser without these fonts falls back to its own sans-serif face
    return {**STYLE, "font.family": [*_fonts(), "sans-serif"]}


class _NoBoldFallbackNotice(logging.Filter):
    """CJK fallback fonts have no bold face; matplotlib says so at WARNING level
    for every bold title. That notice (and only that one) is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Failed to find font weight" not in record.getMessage()


@contextmanager
def house_style() -> Iterator[None]:
    """The house style for the duration of the block; rcParams and loggers are restored afterwards."""
    logger = logging.getLogger("matplotlib.font_manager")
    notice = _NoBoldFallbackNotice()
    logger.addFilter(notice)
    try:
        with matplotlib.rc_context(_style()):
            yield
    finally:
        logger.removeFilter(notice)


def new_figure(height_in: float = 3.0) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height_in), layout="constrained")
    return fig


def to_svg(fig: Figure) -> bytes:
    """Serialize ``fig`` as SVG, byte-identical for identical inputs."""
    buf = io.BytesIO()
    with house_style():
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "qmdoc"})
    return buf.getvalue()


_COLLAPSED = "constrained_layout not applied"


def _to_svg_laid_out(fig: Figure) -> bytes:
    """:func:`to_svg`, with a figure grown taller while the constrained layout has no room for the axes
    (long wrapped labels): matplotlib's notice of that is acted on here, never shown. Other warnings pass."""
    for _ in range(4):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            svg = to_svg(fig)
        collapsed = False
        for w in caught:
            if issubclass(w.category, UserWarning) and str(w.message).startswith(_COLLAPSED):
                collapsed = True
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if not collapsed:
            return svg
        fig.set_figheight(fig.get_figheight() * 1.5)
    raise ValueError(f"chart: no room for the axes beside its labels, even at {fig.get_figheight():.1f} in high")


def styled(fn):
    """Run a chart builder inside the house style (restored afterwards); return SVG bytes."""

    def wrapper(*args, **kwargs):
        with house_style():
            fig = fn(*args, **kwargs)
            svg = _to_svg_laid_out(fig)
            for _ in range(3):  # a text past the figure's edge: wrapped narrower, drawn again
                if not _rewrap_overflowing(fig):
                    break
                svg = _to_svg_laid_out(fig)
            return svg

    wrapper.__name__ = fn.__name__
    wrapper.__qualname__ = fn.__qualname__
    wrapper.__module__ = fn.__module__  # the chart cache keys a chart by the module that defines it
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper


# ---------------------------------------------------------------------- helpers


def _note(ax, text: str) -> None:
    ax.annotate(_fit(text, 95, 1), xy=(1, 0), xycoords="axes fraction", xytext=(0, -28), textcoords="offset points",
                ha="right", va="top", fontsize=7, color=GREY)


ELLIPSIS = "…"
TITLE_WIDTH = 60  # columns of a chart title (10 pt bold) that fit the A4 text width
_BREAK_AFTER = re.compile(r"(?<=[/_.-])(?=.)")


def _columns(text: str) -> int:
    """Width of ``text`` in columns: a CJK (full-width) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _fit(label: str, width: int, lines: int = 2) -> str:
    """``label`` in at most ``lines`` lines of at most ``width`` columns, so that it stays inside its room.

    Broken at spaces where it can, between CJK characters, and inside a word
    longer than a line; what does not fit ends in an ellipsis (the page's table
    and the chart's alternative text carry the whole text). A label that fits
    comes back unchanged. Every text a chart takes from its arguments passes here."""
    text = " ".join(str(label).split())
    if _columns(text) <= width:
        return text
    # atoms: words, their parts after "/", "-", "_" or ".", and single CJK characters; each with whether
    # a space comes before it
    atoms: list[tuple[str, bool]] = []
    for k, word in enumerate(text.split(" ")):
        first = True
        for part in _BREAK_AFTER.split(word):
            run = ""
            for ch in part:
                if unicodedata.east_asian_width(ch) in ("W", "F"):
                    if run:
                        atoms.append((run, k > 0 and first))
                        first = False
                        run = ""
                    atoms.append((ch, k > 0 and first))
                    first = False
                else:
                    run += ch
            if run:
                atoms.append((run, k > 0 and first))
                first = False
    out: list[str] = []
    line = ""
    for atom, spaced in atoms:
        joined = f"{line} {atom}" if line and spaced else line + atom
        if _columns(joined) <= width:
            line = joined
            continue
        if line:
            out.append(line)
        line = ""
        for ch in atom:  # a word longer than a line is broken where the line ends
            if _columns(line + ch) > width:
                out.append(line)
                line = ""
            line += ch
    if line:
        out.append(line)
    if len(out) > lines:
        last = out[lines - 1]
        while last and _columns(last) + 1 > width:
            last = last[:-1]
        out = out[:lines - 1] + [last.rstrip() + ELLIPSIS]
    return "\n".join(out)


def _rewrap_overflowing(fig: Figure) -> bool:
    """Wrap again, narrower, every text of the drawn ``fig`` that runs past the figure's edge along its
    direction (e.g. a title over an axes that long tick labels pushed to the right, a long axis label);
    whether there was one.

    Measures the layout of the last drawing (no drawing of its own), at the SVG writer's 72 dpi: some
    positions (axis labels) were set in its display units."""
    dpi = fig.dpi
    fig.dpi = 72
    try:
        renderer = FigureCanvasAgg(fig).get_renderer()
        overflowing = []
        for text in fig.findobj(Text):
            if not text.get_visible() or not text.get_text():
                continue
            box = text.get_window_extent(renderer)
            # along the text's direction: across the figure, or up it for a vertical text (an axis label)
            upright = 45 < text.get_rotation() % 180 < 135
            lo, hi, end = (box.y0, box.y1, fig.bbox.height) if upright else (box.x0, box.x1, fig.bbox.width)
            if hi - lo > 0 and (hi > end + 0.5 or lo < -0.5):
                overflowing.append((text, (min(hi, end) - max(lo, 0.0)) / (hi - lo)))
    finally:
        fig.dpi = dpi
    for text, share in overflowing:
        lines = text.get_text().split("\n")
        columns = max(_columns(line) for line in lines)
        text.set_text(_fit(" ".join(lines), max(6, int(columns * share * 0.95)), len(lines) + 1))
    return bool(overflowing)


def _finish(ax, title: str, grid: str | None = None) -> None:
    """Title at the left; light grid lines along ``grid`` ("x" or "y"), drawn behind the data."""
    ax.set_title(_fit(title, TITLE_WIDTH, 3), loc="left")
    if grid:
        ax.grid(axis=grid, color=LIGHT, linewidth=0.6)
    ax.set_axisbelow(True)

