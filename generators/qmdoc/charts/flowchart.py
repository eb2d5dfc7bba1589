"""Chart stage: a procedure's ordered steps -> swimlane process-flow diagram (deterministic SVG).

One horizontal lane per actor, in order of first appearance; each step is a
numbered rounded box in its actor's lane, steps run left to right and arrows
join each step to the next (elbow connectors when the lane changes). Up to
``MAX_COLUMNS`` steps share one row ("band"); longer procedures wrap into
several bands stacked top to bottom, each band showing the lanes of the actors
who act in it. The number in each box is the step's number in the procedure's
steps table.

The figure is always ``charts.WIDTH_IN`` wide (the A4 text width); its height
follows from the number of bands and lanes. Texts are measured with the same
text-to-path machinery the SVG writer uses, so wrapping is exact for Latin and
Chinese alike; action texts longer than a box holds are shortened to whole
sentences where possible, otherwise cut with an ellipsis (the steps table
carries the full text).

SVG group ids, for tests and for anyone styling the SVG:

* ``step-{i}`` the box of step ``i`` (1-based, as in the steps table);
* ``lane-{j}`` actor ``j``'s lane (1-based, order of first appearance) in the
  first band where the actor acts; ``lane-{j}-band-{k}`` the same actor's lane
  in a later band ``k`` (1-based).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextToPath

from .style import BLUE, GREY, INK, LIGHT, WIDTH_IN, _style, to_svg

MAX_COLUMNS = 6  # steps per band; more steps wrap into further bands
MAX_HEIGHT_IN = 8.6  # A4 text height less room for a caption: boxes hold fewer lines before the chart grows past it

PT = 1 / 72  # one point in inches (the drawing's data unit is the inch)

# type sizes in points
TITLE_SIZE = 10.0
LABEL_SIZE = 7.0
NOTE_SIZE = 7.0

# geometry in inches
LABEL_MIN_W, LABEL_MAX_W = 0.6, 1.05  # lane-label column
LABEL_LINES = 3
START_MARGIN = 0.2  # room for the start marker, left of the first column
END_MARGIN = 0.22  # room for the end marker, right of the last column
MIN_GAP = 0.17  # horizontal gap between boxes (holds an arrow)
MAX_BOX_W = 1.7
LANE_PAD = 0.085  # vertical room between a box and its lane's edges (holds an arrowhead)
BAND_GAP = 0.2  # between two bands (holds the connector to the next band)

LANE_FILL = ("#ffffff", "#f6f6f6")
LABEL_FILL = "#ebebeb"
BOX_FILL = "#ffffff"

ELLIPSIS = "…"
# no line may start with these (Chinese line-breaking rules, plus Latin closers)
_NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…,.;:?!)]}%")
# no line may end with these
_NO_LINE_END = set("（《「『【〔〈“‘([{")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|(?<=[。！？；])\s*")
_TRAILING_PUNCT = " \t,;:，、；：—-"


def process_flow(steps: Sequence[tuple[str, str]], title: str, note: str = "") -> bytes:
    """Swimlane process-flow diagram of ``steps`` (``(actor, action)`` in order) as deterministic SVG bytes."""
    if not steps:
        raise ValueError("process_flow: expected at least one step, got none")
    with matplotlib.rc_context(_style()):
        fig = _draw([(str(a), str(t)) for a, t in steps], str(title), str(note))
        return to_svg(fig)


# ------------------------------------------------------------------------- text


def _is_wide(ch: str) -> bool:
    """A CJK (full-width) character: it may be broken before or after, like a word."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _tokens(text: str) -> list[str]:
    """Break opportunities: words (split after hyphens and slashes), single CJK characters, and spaces."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch.isspace():
            if word:
                out.append(word)
                word = ""
            if out and out[-1] != " ":
                out.append(" ")
        elif _is_wide(ch):
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
            if ch in "-/" and len(word) > 1:
                out.append(word)
                word = ""
    if word:
        out.append(word)
    while out and out[-1] == " ":
        out.pop()
    return out


class _Measure:
    """Width in points of a string in a given size, as the SVG writer will draw it (text to path)."""

    def __init__(self, family: list[str]):
        self._ttp = TextToPath()
        self._family = family
        self._cache: dict[tuple[str, float, str], float] = {}

    def props(self, size: float, weight: str = "normal") -> FontProperties:
        family = self._family[:1] if weight != "normal" else self._family
        return FontProperties(family=family, size=size, weight=weight)

    def __call__(self, s: str, size: float, weight: str = "normal") -> float:
        key = (s, size, weight)
        if key not in self._cache:
            self._cache[key] = self._ttp.get_text_width_height_descent(s, self.props(size, weight), False)[0] if s else 0.0
        return self._cache[key]


def _wrap(text: str, width: Callable[[int], float], fits: Callable[[str, float], bool]) -> list[str]:
    """Greedy line filling: ``width(k)`` is the room on line ``k``; ``fits(s, room)`` measures."""
    lines: list[str] = []
    cur: list[str] = []  # tokens of the line being filled

    def fits_line(toks: list[str]) -> bool:
        return fits("".join(toks).strip(), width(len(lines)))

    for tok in _tokens(text):
        if tok == " ":
            if cur:
                cur.append(tok)
            continue
        if fits_line(cur + [tok]):
            cur.append(tok)
            continue
        if cur:
            carry: list[str] = []
            # keep closing punctuation off the line start and opening brackets off the line end
            while (carry or [tok])[0][0] in _NO_LINE_START and cur[-1] != " " and len(cur) > 1:
                carry.insert(0, cur.pop())  # e.g. "号）" + "，": both closers go down with "号"
            while len(cur) > 1 and cur[-1] != " " and cur[-1][-1] in _NO_LINE_END:
                carry.insert(0, cur.pop())
            lines.append("".join(cur).strip())
            cur = carry
            if fits_line(cur + [tok]):
                cur.append(tok)
                continue
        # a token wider than a whole line: split it by characters
        for ch in tok:
            if cur and not fits_line(cur + [ch]):
                lines.append("".join(cur).strip())
                cur = []
            cur.append(ch)
    if "".join(cur).strip():
        lines.append("".join(cur).strip())
    return lines


def _shorten(text: str, width: Callable[[int], float], fits: Callable[[str, float], bool],
             max_lines: int) -> list[str]:
    """``text`` wrapped into at most ``max_lines`` lines: all of it, else whole sentences, else cut with an ellipsis."""
    lines = _wrap(text, width, fits)
    if len(lines) <= max_lines:
        return lines
    text = text.strip()
    ends = sorted({m.start() for m in _SENTENCE_END.finditer(text) if 0 < m.start() < len(text)}, reverse=True)
    for end in ends:  # the longest run of whole sentences that fits
        head = text[:end].rstrip()
        shorter = _wrap(head + ELLIPSIS if _is_wide(head[-1]) else head + " " + ELLIPSIS, width, fits)
        if len(shorter) <= max_lines:
            return shorter
    lines = lines[:max_lines]
    while True:
        last, room = lines[-1], width(len(lines) - 1)
        while last and not fits(last.rstrip(_TRAILING_PUNCT) + ELLIPSIS, room):
            if _is_wide(last[-1]):
                last = last[:-1]
            elif " " in last.strip():
                last = last.rstrip().rsplit(" ", 1)[0]  # Latin: drop a whole word, never end on part of one
            elif len(lines) > 1:
                last = ""  # a lone long word: end the previous line instead
            else:
                last = last[:-1]
        if last or len(lines) == 1:
            lines[-1] = last.rstrip(_TRAILING_PUNCT) + ELLIPSIS
            return lines
        lines.pop()


# ---------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Flow:
    """Everything about a flow diagram that is known before drawing: the figure's height, the bands
    (step positions per row) and the lanes in each, every text as wrapped lines, and the sizes.

    Lengths in inches, type sizes in points; ``lane_of[i]`` is the actor (lane) of step ``i``,
    ``badge_w[i]`` the width of its number's disc, ``texts[i]`` its action's lines."""

    measure: _Measure
    n: int
    lane_of: list[int]
    bands: list[list[int]]
    band_lanes: list[list[int]]
    label_pad: float
    label_lines: list[list[str]]
    label_w: float
    col_w: float
    box_w: float
    size: float
    line_h: float
    pad_x: float
    badge_d: float
    badge_w: list[float]
    title_weight: str
    title_lines: list[str]
    title_h: float
    note_lines: list[str]
    texts: list[list[str]]
    box_h: float
    lane_h: float
    height: float


def _fits_at(measure: _Measure, size: float, weight: str = "normal") -> Callable[[str, float], bool]:
    return lambda s, room: measure(s, size, weight) <= room


def _lane_labels(actors: list[str], measure: _Measure, label_pad: float) -> tuple[list[list[str]], float]:
    """Lane labels: as narrow as the longest label allows, wrapped into at most three lines; the lines
    and the width of the label column."""
    label_room = (LABEL_MAX_W - 2 * label_pad) / PT
    label_lines = [_shorten(a, lambda k: label_room, _fits_at(measure, LABEL_SIZE), LABEL_LINES) for a in actors]
    widest = max((measure(line, LABEL_SIZE) for lines in label_lines for line in lines), default=0) * PT
    return label_lines, min(LABEL_MAX_W, max(LABEL_MIN_W, widest + 2 * label_pad))


def _layout(steps: list[tuple[str, str]], title: str, note: str) -> _Flow:
    measure = _Measure(list(matplotlib.rcParams["font.family"]))
    n = len(steps)
    actors = list(dict.fromkeys(actor for actor, _ in steps))
    lane_of = [actors.index(actor) for actor, _ in steps]
    n_bands = math.ceil(n / MAX_COLUMNS)
    cols = math.ceil(n / n_bands)
    bands = [list(range(b * cols, min(n, (b + 1) * cols))) for b in range(n_bands)]
    band_lanes = [sorted({lane_of[i] for i in band}) for band in bands]
    label_pad = 4 * PT
    label_lines, label_w = _lane_labels(actors, measure, label_pad)

    # columns and boxes
    col_w = min((WIDTH_IN - label_w - START_MARGIN - END_MARGIN) / cols, MAX_BOX_W + MIN_GAP)
    gap = max(MIN_GAP, 0.12 * col_w)
    box_w = col_w - gap
    size = 7.0 if cols <= 4 else 6.5
    line_h = size * 1.22 * PT
    pad_x, pad_y = 3.5 * PT, 3.5 * PT
    badge_d = size * 1.55 * PT
    # the step number sits in a blue disc (a pill from two digits on) at the start of the first line
    badge_w = [max(badge_d, (measure(str(i + 1), size, "bold") + 3.5) * PT) for i in range(n)]
    room = (box_w - 2 * pad_x) / PT

    def box_room(i: int) -> Callable[[int], float]:
        indent = (badge_w[i] + 2.5 * PT) / PT
        return lambda k: room - (indent if k == 0 else 0)

    # vertical budget: title, bands of lanes, note
    title_weight = "normal" if any(_is_wide(c) for c in title) else "bold"
    title_lines = _shorten(title, lambda k: WIDTH_IN / PT, _fits_at(measure, TITLE_SIZE, title_weight), 2) \
        if title else []
    title_h = (len(title_lines) * TITLE_SIZE * 1.25 * PT + 6 * PT) if title_lines else 0.0
    note_lines = _shorten(note, lambda k: WIDTH_IN / PT, _fits_at(measure, NOTE_SIZE), 3) if note else []
    note_h = (len(note_lines) * NOTE_SIZE * 1.25 * PT + 5 * PT) if note_lines else 0.0
    label_h = max(len(lines) for lines in label_lines) * LABEL_SIZE * 1.22 * PT + 2 * label_pad
    n_lane_rows = sum(len(lanes) for lanes in band_lanes)

    # as many text lines per box as the page allows: up to 4 (5 in narrow columns), at least 2
    for max_lines in range(4 if cols <= 4 else 5, 1, -1):
        texts = [_shorten(action, box_room(i), _fits_at(measure, size), max_lines) or [""]
                 for i, (_, action) in enumerate(steps)]
        box_h = max(max(len(t) for t in texts) * line_h, badge_d) + 2 * pad_y
        lane_h = max(box_h + 2 * LANE_PAD, label_h)
        height = title_h + n_lane_rows * lane_h + (n_bands - 1) * BAND_GAP + note_h + 2 * PT
        if height <= MAX_HEIGHT_IN:
            break
    return _Flow(measure=measure, n=n, lane_of=lane_of, bands=bands, band_lanes=band_lanes, label_pad=label_pad,
                 label_lines=label_lines, label_w=label_w, col_w=col_w, box_w=box_w, size=size, line_h=line_h,
                 pad_x=pad_x, badge_d=badge_d, badge_w=badge_w, title_weight=title_weight, title_lines=title_lines,
                 title_h=title_h, note_lines=note_lines, texts=texts, box_h=box_h, lane_h=lane_h, height=height)


# ---------------------------------------------------------------------- drawing


def _draw(steps: list[tuple[str, str]], title: str, note: str) -> Figure:
    flow = _layout(steps, title, note)
    height = flow.height
    fig = Figure(figsize=(WIDTH_IN, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_IN)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    for k, line in enumerate(flow.title_lines):
        _text(ax, 0, height - (k + 0.82) * TITLE_SIZE * 1.25 * PT, line, fontsize=TITLE_SIZE,
              fontweight=flow.title_weight, fontfamily=flow.measure.props(TITLE_SIZE, flow.title_weight).get_family(),
              color=INK, va="baseline")
    centre, lane_y = _draw_lanes(ax, flow)
    _draw_boxes(ax, flow, centre)
    _draw_connectors(ax, flow, centre, lane_y)
    note_lines = flow.note_lines
    for k, line in enumerate(note_lines):
        _text(ax, WIDTH_IN, (len(note_lines) - k - 0.75) * NOTE_SIZE * 1.25 * PT + 2 * PT, line, fontsize=NOTE_SIZE,
              color=GREY, ha="right", va="baseline")
    return fig


def _text(ax: Axes, x: float, y: float, s: str, **kw) -> None:  # noqa: ANN003
    ax.text(x, y, s, parse_math=False, clip_on=False, **kw)


def _draw_lanes(ax: Axes, flow: _Flow) -> tuple[dict[int, tuple[float, float]],
                                                dict[tuple[int, int], tuple[float, float]]]:
    """The lanes, band by band, with their labels; each step's box centre and each lane's bottom and top."""
    lane_h, label_w = flow.lane_h, flow.label_w
    x0 = label_w + START_MARGIN
    centre: dict[int, tuple[float, float]] = {}  # step -> box centre
    lane_y: dict[tuple[int, int], tuple[float, float]] = {}  # (band, lane) -> (bottom, top)
    seen: set[int] = set()
    top = flow.height - flow.title_h
    edge = 0.6 * PT  # keep the outer strokes inside the figure
    for b, (band, lanes) in enumerate(zip(flow.bands, flow.band_lanes)):
        for r, j in enumerate(lanes):
            y_top = top - r * lane_h
            lane_y[(b, j)] = (y_top - lane_h, y_top)
            lane = Rectangle((edge / 2, y_top - lane_h), WIDTH_IN - edge, lane_h, facecolor=LANE_FILL[r % 2],
                             edgecolor=LIGHT, linewidth=0.6, clip_on=False)
            lane.set_gid(f"lane-{j + 1}" if j not in seen else f"lane-{j + 1}-band-{b + 1}")
            seen.add(j)
            ax.add_patch(lane)
            ax.add_patch(Rectangle((edge / 2, y_top - lane_h), label_w - edge / 2, lane_h, facecolor=LABEL_FILL,
                                   edgecolor=LIGHT, linewidth=0.6, clip_on=False))
            lines = flow.label_lines[j]
            first = y_top - lane_h / 2 + (len(lines) - 1) / 2 * LABEL_SIZE * 1.22 * PT
            for k, line in enumerate(lines):
                _text(ax, flow.label_pad, first - k * LABEL_SIZE * 1.22 * PT, line, fontsize=LABEL_SIZE, color=INK,
                      va="center_baseline", ha="left")
        for c, i in enumerate(band):
            bottom, lane_top = lane_y[(b, flow.lane_of[i])]
            centre[i] = (x0 + c * flow.col_w + flow.col_w / 2, (bottom + lane_top) / 2)
        top -= len(lanes) * lane_h + BAND_GAP
    return centre, lane_y


def _draw_boxes(ax: Axes, flow: _Flow, centre: dict[int, tuple[float, float]]) -> None:
    """A rounded box per step with its action's lines and its number in a blue disc."""
    box_w, box_h, line_h, pad_x, badge_d = flow.box_w, flow.box_h, flow.line_h, flow.pad_x, flow.badge_d
    size = flow.size
    for i, (cx, cy) in centre.items():
        left, bottom = cx - box_w / 2, cy - box_h / 2
        box = FancyBboxPatch((left, bottom), box_w, box_h, boxstyle=f"round,pad=0,rounding_size={3 * PT}",
                             facecolor=BOX_FILL, edgecolor=BLUE, linewidth=0.9, clip_on=False, zorder=3)
        box.set_gid(f"step-{i + 1}")
        ax.add_patch(box)
        lines = flow.texts[i]
        block_top = cy + len(lines) * line_h / 2
        badge_w = flow.badge_w[i]
        for k, line in enumerate(lines):
            _text(ax, left + pad_x + (badge_w + 2.5 * PT if k == 0 else 0), block_top - (k + 0.5) * line_h, line,
                  fontsize=size, color=INK, va="center_baseline", ha="left", zorder=4)
        bx, by = left + pad_x, block_top - 0.5 * line_h
        ax.add_patch(FancyBboxPatch((bx, by - badge_d / 2), badge_w, badge_d,
                                    boxstyle=f"round,pad=0,rounding_size={badge_d / 2}", facecolor=BLUE,
                                    edgecolor="none", clip_on=False, zorder=4))
        _text(ax, bx + badge_w / 2, by, str(i + 1), fontsize=size, fontweight="bold",
              fontfamily=flow.measure.props(size, "bold").get_family(), color="white", ha="center",
              va="center_baseline", zorder=5)


def _arrow(ax: Axes, points: list[tuple[float, float]]) -> None:
    ax.add_patch(FancyArrowPatch(path=Path(points), arrowstyle="-|>,head_length=0.45,head_width=0.22",
                                 mutation_scale=9, color=INK, linewidth=0.8, joinstyle="miter",
                                 capstyle="butt", clip_on=False, zorder=2))


def _draw_connectors(ax: Axes, flow: _Flow, centre: dict[int, tuple[float, float]],
                     lane_y: dict[tuple[int, int], tuple[float, float]]) -> None:
    """Arrows from each step to the next, and the start and end markers."""
    n, box_w, box_h, lane_of, label_w = flow.n, flow.box_w, flow.box_h, flow.lane_of, flow.label_w
    band_of = {i: b for b, band in enumerate(flow.bands) for i in band}
    for i in range(n - 1):
        (x1, y1), (x2, y2) = centre[i], centre[i + 1]
        if band_of[i] != band_of[i + 1]:  # down from the band's last box, back to the next band's first
            bottom_of_band = min(lane_y[(band_of[i], j)][0] for j in flow.band_lanes[band_of[i]])
            y_gap = bottom_of_band - BAND_GAP / 2
            _arrow(ax, [(x1, y1 - box_h / 2), (x1, y_gap), (x2, y_gap), (x2, y2 + box_h / 2)])
        elif lane_of[i] == lane_of[i + 1]:
            _arrow(ax, [(x1 + box_w / 2, y1), (x2 - box_w / 2, y2)])
        else:  # leave to the right, turn into the next box from above or below
            end = y2 + box_h / 2 if y2 < y1 else y2 - box_h / 2
            _arrow(ax, [(x1 + box_w / 2, y1), (x2, y1), (x2, end)])

    # start and end markers
    sx, sy = centre[0]
    r = 0.045
    ax.add_patch(Circle((label_w + 0.03 + r, sy), r, facecolor=INK, edgecolor="none", clip_on=False, zorder=3))
    _arrow(ax, [(label_w + 0.03 + 2 * r, sy), (sx - box_w / 2, sy)])
    ex, ey = centre[n - 1]
    end_x = ex + box_w / 2 + 0.11 + 0.055
    _arrow(ax, [(ex + box_w / 2, ey), (end_x - 0.055, ey)])
    ax.add_patch(Circle((end_x, ey), 0.055, facecolor="white", edgecolor=INK, linewidth=0.9, clip_on=False, zorder=3))
    ax.add_patch(Circle((end_x, ey), 0.03, facecolor=INK, edgecolor="none", clip_on=False, zorder=3))
