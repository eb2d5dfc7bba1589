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
public API. Its names are imported on first use, and :data:`drawing` names the chart functions without
importing them, so a build whose charts all come from the cache never imports matplotlib.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from .cache import CHART_VERSION, ChartCache, _canonical, draw_with, sources_digest

# where each public name lives; the drawing modules (and matplotlib with them) are imported on first use
_WHERE = {
    "columns": "complaints", "pareto": "complaints", "process_flow": "flowchart", "bullets": "objectives",
    "path_diagram": "path_model", "ipa": "scatter", "ipma_map": "scatter",
    **{name: "style" for name in ("BLUE", "ELLIPSIS", "GREEN", "GREY", "INK", "LIGHT", "ORANGE", "SKY", "STYLE",
                                  "TITLE_WIDTH", "VERMILION", "WIDTH_IN", "_columns", "_fit", "_fonts", "_style",
                                  "house_style", "new_figure", "styled", "to_svg")},
    **{name: "survey" for name in ("driver_bars", "grouped_hbars", "hbars", "item_bars", "nps_bars", "radar",
                                   "trend")},
}
_DRAWING = ("bullets", "columns", "driver_bars", "grouped_hbars", "hbars", "ipa", "ipma_map", "item_bars",
            "nps_bars", "pareto", "path_diagram", "process_flow", "radar", "trend")

__all__ = sorted(["CHART_VERSION", "ChartCache", "_canonical", "draw_with", "sources_digest", "drawing", *_WHERE])


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


class _Deferred:
    """A chart function named by its module and name, imported at its first call.

    It keys a :class:`ChartCache` entry exactly as the function itself does (same module and name),
    so a build whose charts all come from the cache imports no drawing module, and no matplotlib."""

    def __init__(self, module: str, name: str):
        self.__module__ = module
        self.__name__ = self.__qualname__ = name

    def __call__(self, *args: object, **kwargs: object) -> bytes:
        fn: Callable[..., bytes] = getattr(importlib.import_module(self.__module__), self.__name__)
        return fn(*args, **kwargs)


class _Drawing:
    """``drawing.trend`` and so on: the chart functions, each deferred until it really draws."""

    def __getattr__(self, name: str) -> Callable[..., bytes]:
        if name not in _DRAWING:
            raise AttributeError(f"no chart function {name!r}")
        return _Deferred(f"{__name__}.{_WHERE[name]}", name)


drawing = _Drawing()
