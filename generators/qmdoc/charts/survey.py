"""Charts of the satisfaction survey page: the index trend, dimension radar, item bars, NPS columns,
segment bars, competitor bars and key-driver bars (the trend also serves objectives and complaints)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .style import (BLUE, GREEN, GREY, INK, LIGHT, ORANGE, SKY, TITLE_WIDTH, VERMILION, _finish, _fit, _note, new_figure,
                    styled)


@styled
def trend(labels: Sequence[str], values: Sequence[float | None], lows: Sequence[float | None] | None,
          highs: Sequence[float | None] | None, ns: Sequence[int] | None, title: str, ylabel: str,
          target: float | None = None, target_label: str = "", note: str = "",
          marker: tuple[float, str] | None = None) -> Figure:
    """A value per period with an optional interval band and target line; ``marker`` (x position on the
    period axis, e.g. 2.5 between the third and fourth period, and its label) draws a vertical line there,
    e.g. an improvement action."""
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
    if marker is not None:
        ax.axvline(marker[0], color=GREEN, linestyle=":", linewidth=1.4)
        ax.annotate(_fit(marker[1], 30, 1), xy=(marker[0], 1), xycoords=("data", "axes fraction"), xytext=(3, -10),
                    textcoords="offset points", fontsize=7, color=GREEN)
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
