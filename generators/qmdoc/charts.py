"""Chart stage: result objects -> matplotlib ``Figure`` -> deterministic SVG bytes.

Only the object API is used (``matplotlib.figure.Figure``), never pyplot's
global state; style settings are applied in a ``rc_context`` that is restored
on exit. Text is converted to paths, so the SVG needs no font at display time
and Chinese glyphs show in the site and in the PDF alike.

Chart functions take plain values (strings, numbers, ``None``, sequences of
them), never result objects: what a chart shows is exactly its arguments, so a
:class:`ChartCache` can key a drawn chart by them and skip drawing it again.
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import os
import re
import sys
import unicodedata
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
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

# Bump when a change to the drawing code must invalidate cached charts (the
# cache also keys on this module's source, matplotlib's version and the fonts).
CHART_VERSION = "2"

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
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper


# ------------------------------------------------------------------------ cache


def _canonical(value: object) -> str:
    """A stable text form of a chart argument: floats to full precision, dict keys sorted.

    Only plain values are accepted, so a key can never depend on an object's
    default ``repr`` (which holds a memory address)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return f"i{int(value)}"
    if isinstance(value, float) or type(value).__name__ in ("float64", "float32", "float16"):
        x = float(value)  # type: ignore[arg-type]
        return "f" + (x.hex() if math.isfinite(x) else repr(x))
    if hasattr(value, "dtype") and hasattr(value, "item") and getattr(value, "shape", None) == ():
        return _canonical(value.item())  # numpy scalar
    if isinstance(value, str):
        return "s" + repr(value)
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and hasattr(value, "shape")):
        items = value.tolist() if hasattr(value, "tolist") else value  # type: ignore[union-attr]
        return "[" + ",".join(_canonical(v) for v in items) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_canonical(k)}:{_canonical(v)}" for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))) + "}"
    raise TypeError(f"chart argument: expected a plain value (str, number, None, list, tuple, dict), got {type(value).__name__}")


class ChartCache:
    """Drawn charts kept on disk by a hash of what they show.

    ``cache.draw(charts.trend, labels, values, ...)`` returns the SVG bytes of
    ``charts.trend(labels, values, ...)``: from ``folder/<hash>.svg`` when a
    previous build drew the same chart, else drawn now and stored. The hash
    covers the chart function's name, its arguments (floats to full
    precision), :data:`CHART_VERSION`, this module's source, matplotlib's
    version and the fonts in use, so any change that could change the picture
    draws it again. ``folder=None`` draws every time (no disk access).

    The object holds no global state: the build makes one per run and passes
    it down; :meth:`prune` removes the entries this run did not use.
    """

    def __init__(self, folder: Path | str | None):
        self.folder = Path(folder) if folder is not None else None
        self.hits = 0
        self.misses = 0
        self._used: set[str] = set()
        self._modules: dict[str, str] = {}
        self._salt = "\n".join([CHART_VERSION, matplotlib.__version__, ",".join(_fonts()),
                                hashlib.sha256(Path(__file__).read_bytes()).hexdigest()])

    def key(self, fn: Callable[..., bytes], *args: object, **kwargs: object) -> str:
        text = "\n".join([self._salt, self._module_hash(fn), fn.__module__, fn.__name__, _canonical(list(args)),
                          _canonical(dict(kwargs))])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def _module_hash(self, fn: Callable[..., bytes]) -> str:
        """The source of the module that defines ``fn`` (charts drawn elsewhere, e.g. flow diagrams)."""
        module = sys.modules.get(fn.__module__)
        source = getattr(module, "__file__", None)
        if not source:
            return ""
        if source not in self._modules:
            self._modules[source] = hashlib.sha256(Path(source).read_bytes()).hexdigest()
        return self._modules[source]

    def draw(self, fn: Callable[..., bytes], *args: object, **kwargs: object) -> bytes:
        if self.folder is None:
            self.misses += 1
            return fn(*args, **kwargs)
        key = self.key(fn, *args, **kwargs)
        self._used.add(key)
        path = self.folder / f"{key}.svg"
        if path.is_file():
            self.hits += 1
            return path.read_bytes()
        self.misses += 1
        svg = fn(*args, **kwargs)
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
        tmp.write_bytes(svg)
        tmp.replace(path)  # atomic: a reader never sees half a chart
        return svg

    def prune(self) -> int:
        """Remove stored charts this cache object did not use; return how many."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        for path in sorted(self.folder.glob("*.svg")):
            if path.stem not in self._used:
                path.unlink()
                removed += 1
        return removed


def draw_with(cache: ChartCache | None) -> Callable[..., bytes]:
    """``draw(fn, *args, **kwargs)``: through ``cache`` when given, else a plain call."""
    if cache is not None:
        return cache.draw
    return lambda fn, *args, **kwargs: fn(*args, **kwargs)


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


# ----------------------------------------------------------------------- charts


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
        ax.annotate(_fit(target_label, 80, 1), xy=(0, target), xycoords=("axes fraction", "data"), xytext=(2, 3),
                    textcoords="offset points", fontsize=7, color=VERMILION)
    ticks = [_fit(lab, 14 if len(labels) <= 8 else 12) for lab in labels]
    ax.set_xticks(x, ticks, rotation=0 if len(labels) <= 8 else 45)
    if ns is not None:
        ax.set_xticks(x, [f"{lab}\nn={n}" for lab, n in zip(ticks, ns)], fontsize=7)
    ax.set_ylabel(_fit(ylabel, 30))
    _finish(ax, title, grid="y")
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
    ax.set_yticks(y, [_fit(lab, 28) for lab in labels])
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.set_xlim(0, xmax * 1.18)
    ax.set_xlabel(_fit(xlabel, 80, 1))
    _finish(ax, title, grid="x")
    return fig


@styled
def columns(labels: Sequence[str], values: Sequence[float], title: str, ylabel: str, note: str = "",
            tick_every: int = 1) -> Figure:
    """Vertical bars per period (e.g. complaints per month)."""
    fig = new_figure(2.6)
    ax = fig.add_subplot()
    x = list(range(len(labels)))
    ax.bar(x, values, color=BLUE, width=0.75)
    ax.set_xticks(x[::tick_every], [_fit(lab, 12) for lab in list(labels)[::tick_every]], rotation=45, ha="right",
                  fontsize=7)
    ax.set_ylabel(_fit(ylabel, 30))
    _finish(ax, title, grid="y")
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
    ax.set_xticks(x, [_fit(c, 24) for c in categories], rotation=30, ha="right", fontsize=7)
    ax.set_ylabel(_fit(ylabel, 30))
    ax2 = ax.twinx()
    ax2.plot(x, cumulative, color=ORANGE, marker="s", markersize=3.5, linewidth=1.5)
    ax2.axhline(80, color=GREY, linestyle=":", linewidth=1)
    ax2.set_ylim(0, 105)
    ax2.set_ylabel(_fit(cumulative_label, 36))
    ax2.spines["right"].set_visible(True)
    _finish(ax, title, grid="y")
    return fig


@styled
def radar(axes_labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], title: str,
          note: str = "", rmax: float = 100) -> Figure:
    """Scores on a common 0..``rmax`` scale around a circle, one closed line per series.

    The first series (e.g. the latest wave) is drawn solid and filled, the
    second dashed with square markers, so the two stay apart in grayscale.
    ``None`` scores leave a gap."""
    fig = new_figure(3.6)
    ax = fig.add_subplot(projection="polar")
    k = len(axes_labels)
    angles = [2 * math.pi * i / k for i in range(k)]
    looks = [
        {"color": BLUE, "linestyle": "-", "marker": "o", "fill": 0.15},
        {"color": ORANGE, "linestyle": "--", "marker": "s", "fill": 0.0},
        {"color": GREY, "linestyle": ":", "marker": "^", "fill": 0.0},
    ]
    for (name, values), look in zip(series, looks):
        vals = [math.nan if v is None else float(v) for v in values]
        ax.plot(angles + angles[:1], vals + vals[:1], color=look["color"], linestyle=look["linestyle"],
                marker=look["marker"], markersize=4, linewidth=1.6, label=_fit(name, 40))
        if look["fill"] and not any(math.isnan(v) for v in vals):
            ax.fill(angles, vals, color=look["color"], alpha=look["fill"], linewidth=0)
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_xticks(angles, [_fit(lab, 16, 3) for lab in axes_labels], fontsize=8)
    ax.tick_params(axis="x", pad=6)
    ticks = [rmax * f for f in (0.2, 0.4, 0.6, 0.8, 1.0)]
    ax.set_ylim(0, rmax)
    ax.set_yticks(ticks, [f"{v:g}" for v in ticks], fontsize=6.5, color=GREY)
    ax.set_rlabel_position(180 / k if k else 0)  # between the first two spokes
    ax.grid(color=LIGHT, linewidth=0.6)
    ax.spines["polar"].set_color(GREY)
    ax.spines["polar"].set_linewidth(0.6)
    fig.suptitle(_fit(title, TITLE_WIDTH, 3), x=0.02, ha="left", fontsize=10, fontweight="bold")
    fig.legend(loc="outside lower center", ncols=max(1, len(series)), frameon=False)
    if note:
        fig.text(0.98, 0.01, _fit(note, 95, 1), ha="right", va="bottom", fontsize=7, color=GREY)
    return fig


@styled
def item_bars(labels: Sequence[str], scores: Sequence[float | None], top2: Sequence[float | None],
              top2_lows: Sequence[float | None], top2_highs: Sequence[float | None], title: str, xlabel: str,
              score_label: str, top2_label: str, note: str = "") -> Figure:
    """Item scores (0–100) as horizontal bars, each with its top-2-box share (%) and
    that share's interval as a marker with whiskers on the same 0–100 axis.
    Items are drawn top to bottom in the order given."""
    fig = new_figure(0.95 + 0.25 * max(len(labels), 3))
    ax = fig.add_subplot()
    y = list(range(len(labels)))[::-1]
    for yi, s, p, lo, hi in zip(y, scores, top2, top2_lows, top2_highs):
        if s is None:
            continue
        ax.barh(yi, s, color=BLUE, height=0.6)
        # the score where it does not collide with the top-2-box marker and its whiskers:
        # inside the bar's end, else just outside it, else at the bar's foot
        taken = [(min(v for v in (p, lo) if v is not None) - 2.5, max(v for v in (p, hi) if v is not None) + 2.5)] \
            if p is not None else []
        places = [(s - 1.0, "right", "white", (s - 9.5, s)), (s + 1.0, "left", INK, (s, s + 9.5)),
                  (1.0, "left", "white", (0, 9.5))]
        for x, ha, ink, (a, b) in places:
            if (ha == "right" or x < 1.0 + 1e-9) and s < 10.5:
                continue  # too short to hold the text inside
            if not any(a < t1 and t0 < b for t0, t1 in taken):
                ax.text(x, yi, f"{s:.1f}", ha=ha, va="center", fontsize=6.5, color=ink)
                break
    for yi, p, lo, hi in zip(y, top2, top2_lows, top2_highs):
        if p is None:
            continue
        if lo is not None and hi is not None:
            ax.errorbar([p], [yi], xerr=[[p - lo], [hi - p]], fmt="none", ecolor=INK, elinewidth=0.9, capsize=2.2)
        ax.plot([p], [yi], marker="D", markersize=5, color=ORANGE, markeredgecolor=INK, markeredgewidth=0.7,
                linestyle="none")
    ax.set_yticks(y, [_fit(lab, 30) for lab in labels], fontsize=7.5)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.set_xlim(0, 100)
    ax.set_xlabel(_fit(xlabel, 80, 1))
    ax.grid(axis="x", color=LIGHT, linewidth=0.6)
    handles = [Patch(color=BLUE, label=_fit(score_label, 40, 1)),
               Line2D([], [], marker="D", markersize=5, color=ORANGE, markeredgecolor=INK, markeredgewidth=0.7,
                      linestyle="none", label=_fit(top2_label, 40, 1))]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    _finish(ax, title)
    if note:
        fig.text(0.98, 0.01, _fit(note, 95, 1), ha="right", va="bottom", fontsize=7, color=GREY)
    return fig


@styled
def nps_bars(labels: Sequence[str], detractors: Sequence[float | None], passives: Sequence[float | None],
             promoters: Sequence[float | None], scores: Sequence[float | None], ns: Sequence[int], title: str,
             ylabel: str, names: tuple[str, str, str], score_name: str) -> Figure:
    """Per period, a column of the shares (%) of detractors, passives and promoters
    stacked to 100 %, with the NPS printed above it and n under the period.
    ``names`` = (detractors, passives, promoters) legend texts."""
    fig = new_figure(3.0)
    ax = fig.add_subplot()
    x = list(range(len(labels)))
    parts = [
        (detractors, VERMILION, "////", "white"),
        (passives, LIGHT, "", INK),
        (promoters, BLUE, "", "white"),
    ]
    base = [0.0] * len(labels)
    for (shares, colour, hatch, ink), name in zip(parts, names):
        heights = [0.0 if s is None else s for s in shares]
        ax.bar(x, heights, bottom=base, color=colour, width=0.62, hatch=hatch, edgecolor="white", linewidth=0.6,
               label=_fit(name, 30, 1))
        for i, h, b in zip(x, heights, base):
            if h >= 7:
                ax.text(i, b + h / 2, f"{h:.0f}", ha="center", va="center", fontsize=6.5, color=ink,
                        bbox={"boxstyle": "square,pad=0.12", "facecolor": colour, "edgecolor": "none"} if hatch else None)
        base = [b + h for b, h in zip(base, heights)]
    for i, s in zip(x, scores):
        if s is not None:
            ax.text(i, 106, f"{s:+.1f}", ha="center", va="center", fontsize=7, color=INK, fontweight="bold")
    ax.set_xticks(x, [f"{_fit(lab, 14)}\nn={n}" for lab, n in zip(labels, ns)], fontsize=7)
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_ylim(0, 111)
    ax.set_yticks([0, 20, 40, 60, 80, 100, 106], ["0", "20", "40", "60", "80", "100", score_name])
    ax.get_yticklabels()[-1].set_fontweight("bold")
    ax.yaxis.get_major_ticks()[-1].tick1line.set_visible(False)
    ax.set_ylabel(_fit(ylabel, 30))
    ax.grid(axis="y", color=LIGHT, linewidth=0.6)
    fig.legend(loc="outside lower center", ncols=3, frameon=False)
    _finish(ax, title)
    return fig


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
def grouped_hbars(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], title: str,
                  xlabel: str, missing_label: str = "", xmax: float = 100, note: str = "") -> Figure:
    """Per label, one horizontal bar per series side by side (e.g. our score beside
    each competitor's); the first series is ours, drawn in the strongest colour.
    ``None`` draws no bar and prints ``missing_label`` instead."""
    k = max(len(series), 1)
    fig = new_figure(0.95 + (0.13 * k + 0.14) * max(len(labels), 2))
    ax = fig.add_subplot()
    colours = [BLUE, ORANGE, GREY, SKY, GREEN, VERMILION]
    hatches = ["", "", "////", "\\\\\\\\", "....", "xxxx"]  # the light colours also differ by hatching
    height = 0.8 / k
    y = list(range(len(labels)))[::-1]
    for j, ((name, values), colour, hatch) in enumerate(zip(series, colours, hatches)):
        for yi, v in zip(y, values):
            yy = yi + 0.4 - height * (j + 0.5)
            if v is None:
                ax.text(1, yy, missing_label, va="center", fontsize=6.5, color=GREY, style="italic")
                continue
            ax.barh(yy, v, height=height * 0.92, color=colour, hatch=hatch, edgecolor="white", linewidth=0.4)
            ax.text(v + xmax * 0.008, yy, f"{v:.1f}", va="center", fontsize=6.5, color=INK)
    ax.set_yticks(y, [_fit(lab, 26) for lab in labels], fontsize=7.5)
    ax.set_ylim(-0.55, len(labels) - 0.45)
    ax.set_xlim(0, xmax * 1.08)
    ax.set_xlabel(_fit(xlabel, 80, 1))
    ax.grid(axis="x", color=LIGHT, linewidth=0.6)
    handles = [Patch(facecolor=c, hatch=h, edgecolor="white", label=_fit(name, 24, 3))
               for (name, _), c, h in zip(series, colours, hatches)]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(k, 4), frameon=False)
    _finish(ax, title)
    if note:
        fig.text(0.98, 0.01, _fit(note, 95, 1), ha="right", va="bottom", fontsize=7, color=GREY)
    return fig


@styled
def driver_bars(labels: Sequence[str], shares: Sequence[float], lows: Sequence[float | None],
                highs: Sequence[float | None], title: str, xlabel: str, interval_label: str = "",
                note: str = "") -> Figure:
    """Key drivers: each dimension's share of R² (%) as a horizontal bar, top to bottom in the
    order given, with its bootstrap interval as whiskers (``None`` ends draw none) and the share
    printed beyond the whisker."""
    fig = new_figure(0.95 + 0.3 * max(len(labels), 3))
    ax = fig.add_subplot()
    y = list(range(len(labels)))[::-1]
    ends = [float(v) for v in shares] + [float(h) for h in highs if h is not None]
    xmax = max(10.0, math.ceil(max(ends, default=10.0) / 10.0) * 10.0)
    for yi, v, lo, hi in zip(y, shares, lows, highs):
        v = float(v)
        ax.barh(yi, v, color=BLUE, height=0.6)
        right = v
        if lo is not None and hi is not None:
            ax.errorbar([v], [yi], xerr=[[max(v - lo, 0.0)], [max(hi - v, 0.0)]], fmt="none", ecolor=INK,
                        elinewidth=0.9, capsize=2.5)
            right = max(v, float(hi))
        ax.text(right + xmax * 0.012, yi, f"{v:.1f}", va="center", fontsize=7, color=INK)
    ax.set_yticks(y, [_fit(lab, 28) for lab in labels], fontsize=7.5)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.set_xlim(0, xmax * 1.1)
    ax.set_xlabel(_fit(xlabel, 80, 1))
    if interval_label:
        handles = [Patch(color=BLUE, label=_fit(xlabel, 40, 1)),
                   Line2D([], [], color=INK, linewidth=0.9, marker="|", markersize=6,
                          label=_fit(interval_label, 40, 1))]
        fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    _finish(ax, title, grid="x")
    if note:
        fig.text(0.98, 0.01, _fit(note, 95, 1), ha="right", va="bottom", fontsize=7, color=GREY)
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


# ------------------------------------------------------------------ path diagram


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
    edges = [(int(a), int(b)) for a, b in paths]
    depth = _causal_depth(n, edges)
    ncols = max(depth) + 1 if depth else 1

    # ---- geometry in inches (the axes span the whole figure, one data unit = one inch)
    margin, title_h = 0.08, 0.34
    pitch = (WIDTH_IN - 2 * margin) / ncols
    box_w = min(1.35, pitch - max(0.34, 0.28 * pitch))  # the gap holds a coefficient over an arrow
    title_size, detail_size, coef_size = 7.5, 7.0, 6.5
    line = 1.22 / 72  # inches per point of font size, per line
    wrapped = [_fit(lab, 13 if ncols > 4 else 20, 3) for lab in labels]
    title_lines = max((w.count("\n") + 1 for w in wrapped), default=1)
    detail_lines = 1 + (1 if any(v is not None for v in r2) else 0)
    pad = 0.05
    box_h = 2 * pad + title_lines * title_size * line + detail_lines * detail_size * line + 0.03
    row_pitch = box_h + 0.42

    columns: list[list[int]] = [[] for _ in range(ncols)]
    for k in range(n):
        columns[depth[k]].append(k)
    rank: dict[int, float] = {}
    preds = {k: [a for a, b in edges if b == k] for k in range(n)}
    for col in columns:  # order a column by its predecessors' mean row (top = 0), ties in argument order
        col.sort(key=lambda k: (math.fsum(rank[p] for p in preds[k]) / len(preds[k]) if preds[k] else 0.0, k))
        middle = (len(col) - 1) / 2
        for row, k in enumerate(col):
            rank[k] = row - middle
    rows = max(len(col) for col in columns)
    band_h = (rows - 1) * row_pitch + box_h

    centre_x = {k: margin + (depth[k] + 0.5) * pitch for k in range(n)}
    rel_y = {}  # relative to the band's middle, positive up
    for col in columns:
        for row, k in enumerate(col):
            rel_y[k] = ((len(col) - 1) / 2 - row) * row_pitch

    def box_of(k: int, cy: float) -> tuple[float, float, float, float]:
        return centre_x[k] - box_w / 2, cy - box_h / 2, centre_x[k] + box_w / 2, cy + box_h / 2

    def crosses(a: int, b: int) -> bool:
        """Whether the straight line from box a to box b passes through a third box."""
        (xa, ya), (xb, yb) = (centre_x[a] + box_w / 2, rel_y[a]), (centre_x[b] - box_w / 2, rel_y[b])
        for k in range(n):
            if k in (a, b):
                continue
            x0, y0, x1, y1 = box_of(k, rel_y[k])
            for s in range(1, 64):
                x, y = xa + (xb - xa) * s / 64, ya + (yb - ya) * s / 64
                if x0 - 0.05 < x < x1 + 0.05 and y0 - 0.05 < y < y1 + 0.05:
                    return True
        return False

    # ---- routing: straight, or in a lane above / below the boxes
    routed: dict[int, tuple[str, int]] = {}  # path position -> (side, lane)
    lanes: dict[str, list[list[tuple[int, int]]]] = {"above": [], "below": []}
    arched = [i for i, (a, b) in enumerate(edges) if crosses(a, b)]
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

    lane_gap = 0.25
    above_h = len(lanes["above"]) * lane_gap + (0.1 if lanes["above"] else 0.0)
    below_h = len(lanes["below"]) * lane_gap + (0.1 if lanes["below"] else 0.0)
    bottom_h = 0.24 if note else 0.06
    height = title_h + above_h + band_h + below_h + bottom_h
    mid_y = bottom_h + below_h + band_h / 2
    centre_y = {k: mid_y + rel_y[k] for k in range(n)}
    band_top, band_bottom = mid_y + band_h / 2, mid_y - band_h / 2

    fig = Figure(figsize=(WIDTH_IN, height))
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_IN)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    ax.text(margin, height - 0.06, _fit(title, TITLE_WIDTH, 1), ha="left", va="top", fontsize=10, fontweight="bold", color=INK)

    # ---- boxes
    renderer = canvas.get_renderer()
    inner_w_px = (box_w - 2 * pad) * fig.dpi

    def fit(texts: list[Text], size: float, largest: float) -> float:
        """One font size for all of ``texts``: the largest (up to ``largest``, never below 5.5 pt) at which
        the widest fits the box; ``size`` is their size now. Returns the size set."""
        widest = max((t.get_window_extent(renderer).width for t in texts), default=0.0)
        chosen = min(largest, size * inner_w_px / widest) if widest > 0 else largest
        chosen = max(5.5, math.floor(chosen * 4) / 4)
        for t in texts:
            t.set_fontsize(chosen)
        return chosen

    names: list[Text] = []
    details: list[Text] = []
    for k in range(n):
        x0, y0, x1, y1 = box_of(k, centre_y[k])
        exogenous = r2[k] is None
        box = FancyBboxPatch((x0, y0), box_w, box_h, boxstyle="round,pad=0,rounding_size=0.05",
                             facecolor="#e6f0f8" if exogenous else "white", edgecolor=INK, linewidth=0.9,
                             zorder=3)
        box.set_gid(f"lv-{k}")
        ax.add_patch(box)
        names.append(ax.text(centre_x[k], y1 - pad, wrapped[k], ha="center", va="top", fontsize=title_size,
                             fontweight="bold", color=INK, linespacing=1.1, zorder=4))
        lines = [f"{index_label} {indexes[k]:.1f}" if indexes[k] is not None else ""]
        if detail_lines > 1:
            lines.append(f"{r2_label} = {r2[k]:.3f}" if r2[k] is not None else "")
        y = y0 + pad + (detail_lines - 1) * detail_size * line
        for text in lines:
            if text:
                details.append(ax.text(centre_x[k], y, text, ha="center", va="bottom", fontsize=detail_size,
                                       color=INK, zorder=4))
            y -= detail_size * line
    names_size = fit(names, title_size, title_size)
    fit(details, detail_size, min(detail_size, max(names_size, 6.0)))  # never louder than the names

    # ---- attachment points: straight arrows spread along the right / left edges,
    # lane arrows along the top / bottom edges (arrivals on the left half, departures on the right half,
    # the outer lanes nearer the middle so that lanes never cross)
    start: dict[int, tuple[float, float]] = {}
    end: dict[int, tuple[float, float]] = {}
    for k in range(n):
        x0, y0, x1, y1 = box_of(k, centre_y[k])
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

    # ---- arrows and their coefficients
    label_box = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none"}
    for i, ((a, b), c, sig) in enumerate(zip(edges, coefficients, significant)):
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
            level = (band_top + 0.1 + (lane + 0.5) * lane_gap) if side == "above" else \
                (band_bottom - 0.1 - (lane + 0.5) * lane_gap)
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
                            fontsize=coef_size, color=ink, zorder=5)
        else:
            label = ax.text(spot[0], spot[1], f"{c:.3f}", ha="center", va="center", fontsize=coef_size,
                            color=ink, bbox=label_box, zorder=5)
        label.set_gid(f"coef-{i}")

    if note:
        ax.text(WIDTH_IN - margin, 0.06, _fit(note, 95, 1), ha="right", va="bottom", fontsize=7, color=GREY)
    return fig


@styled
def bullets(labels: Sequence[str], actuals: Sequence[float | None], targets: Sequence[float],
            units: Sequence[str], met: Sequence[bool | None], title: str, target_label: str,
            no_data_label: str) -> Figure:
    """Objective bullets: per objective, the actual as a bar on its own scale and the target as a tick.

    Met objectives are blue, objectives not met vermilion with hatching (told apart in grayscale too).
    """
    rows = len(labels)
    fig = new_figure(0.55 + 0.42 * max(rows, 2))
    axes = fig.subplots(rows, 1, squeeze=False)[:, 0]
    for ax, label, actual, target, unit, ok in zip(axes, labels, actuals, targets, units, met):
        top = max(actual or 0.0, target) * 1.12 or 1.0
        ax.set_xlim(0, top * 1.36)  # the value is written right of the scale, clear of bar and tick
        ax.set_xticks([x for x in MaxNLocator(5).tick_values(0, top) if 0 <= x <= top])
        ax.set_ylim(-0.5, 0.5)
        ax.set_yticks([0], [_fit(label, 34)], fontsize=7)
        ax.tick_params(axis="x", labelsize=6.5, length=2, pad=1)
        ax.barh(0, top, height=0.8, color="#f0f0f0", zorder=0)
        if actual is None:
            ax.text(top * 0.02, 0, no_data_label, va="center", fontsize=7, color=GREY, style="italic")
        else:
            ax.barh(0, actual, height=0.42, color=BLUE if ok else VERMILION, hatch=None if ok else "////",
                    edgecolor="white" if not ok else BLUE, linewidth=0, zorder=2)
            ax.text(top * 1.02, 0, _fit(f"{actual:.1f} {unit}", 22), va="center", fontsize=7, color=INK, zorder=3)
        ax.plot([target, target], [-0.36, 0.36], color=INK, linewidth=2.2, zorder=4)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
    axes[0].set_title(_fit(title, TITLE_WIDTH, 3), loc="left")
    _note(axes[-1], f"▮ {target_label}")
    return fig
