"""Chart stage: result objects -> matplotlib ``Figure`` -> deterministic SVG bytes.

Only the object API is used (``matplotlib.figure.Figure``), never pyplot's
global state; style settings are applied in a ``rc_context`` that is restored
on exit. Text stays SVG text in the house fonts, so Chinese glyphs show in the
site and in the PDF alike.

Chart functions take plain values (strings, numbers, ``None``, sequences of
them), never result objects: what a chart shows is exactly its arguments, so a
:class:`ChartCache` can key a drawn chart by them and skip drawing it again.

The package has one module per concern: :mod:`.style` (palette, fonts,
rcParams, label fitting, SVG writing), :mod:`.cache` (the chart cache), one
module per page family (:mod:`.survey`, :mod:`.scatter`, :mod:`.complaints`,
:mod:`.objectives`), the structural model's path diagram (:mod:`.path_model`)
and the procedures' process flowchart (:mod:`.flowchart`). This module is its
public API.
"""

from __future__ import annotations

from .cache import CHART_VERSION, ChartCache, _canonical, draw_with, sources_digest
from .complaints import columns, pareto
from .flowchart import process_flow
from .objectives import bullets
from .path_model import path_diagram
from .scatter import ipa, ipma_map
from .style import (BLUE, ELLIPSIS, GREEN, GREY, INK, LIGHT, ORANGE, SKY, STYLE, TITLE_WIDTH, VERMILION, WIDTH_IN,
                    _columns, _fit, _fonts, _style, house_style, new_figure, styled, to_svg)
from .survey import driver_bars, grouped_hbars, hbars, item_bars, nps_bars, radar, trend

__all__ = [
    "BLUE", "CHART_VERSION", "ELLIPSIS", "GREEN", "GREY", "INK", "LIGHT", "ORANGE", "SKY", "STYLE", "TITLE_WIDTH",
    "VERMILION", "WIDTH_IN", "ChartCache", "_canonical", "_columns", "_fit", "_fonts", "_style", "bullets", "columns",
    "draw_with", "driver_bars", "grouped_hbars", "hbars", "house_style", "ipa", "ipma_map", "item_bars", "new_figure",
    "nps_bars", "pareto", "path_diagram", "process_flow", "radar", "sources_digest", "styled", "to_svg", "trend",
]
