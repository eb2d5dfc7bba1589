"""Charts of the complaints page: complaints per period, and the Pareto chart of categories."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from .style import BLUE, GREY, ORANGE, _finish, _fit, _note, new_figure, styled


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
