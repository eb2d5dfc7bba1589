"""Chart of the objectives page: one bullet per quality objective, actual against target."""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .style import BLUE, GREY, INK, TITLE_WIDTH, VERMILION, _fit, _note, new_figure, styled


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
