"""Drawn charts kept on disk by a hash of what they show (:class:`ChartCache`), and :func:`draw_with`.

Chart functions take plain values (strings, numbers, ``None``, sequences of
them), never result objects: what a chart shows is exactly its arguments, so a
cache can key a drawn chart by them and skip drawing it again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

# Bump when a change to the drawing code must invalidate cached charts (the
# cache also keys on the source of every module of this package, matplotlib's version and the fonts).
CHART_VERSION = "2"

PACKAGE = Path(__file__).parent  # the chart package: its style and drawing modules shape every picture


def sources_digest(folder: Path) -> str:
    """A hash over the name and bytes of every Python module in ``folder``, in name order."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _font_lists() -> list[Path]:
    """matplotlib's stored font lists (found as matplotlib finds its cache folder), in name order.

    matplotlib reads its fonts from this list and scans the system only when it is missing, so the
    fonts a chart can use change only when these files do."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = os.environ.get("MPLCONFIGDIR") or cache / "matplotlib"
    return sorted(Path(folder).glob("fontlist-v*.json"))


def house_fonts(folder: Path | None) -> list[str]:
    """The installed house fonts (:func:`~qmdoc.charts.style._fonts`), remembered in ``folder``.

    They are read from ``folder/.fonts.json`` while matplotlib's font lists are unchanged, so a build
    whose charts all come from the cache needs no matplotlib; otherwise matplotlib is asked."""
    lists = _font_lists()
    digest = hashlib.sha256(b"".join(p.name.encode() + b"\0" + p.read_bytes() for p in lists)).hexdigest()
    memo = folder / ".fonts.json" if folder is not None and lists else None
    if memo is not None and memo.is_file():
        try:
            kept = json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = None
        if isinstance(kept, dict) and kept.get("lists") == digest and isinstance(kept.get("fonts"), list):
            return [str(f) for f in kept["fonts"]]
    from .style import _fonts

    fonts = _fonts()
    if memo is not None:
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo.with_name(f".fonts.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"lists": digest, "fonts": fonts}), encoding="utf-8")
        tmp.replace(memo)
    return fonts


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


def _origin(module: str) -> str | None:
    """The source file of ``module``, found without importing it."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None else None


class ChartCache:
    """Drawn charts kept on disk by a hash of what they show.

    ``cache.draw(charts.trend, labels, values, ...)`` returns the SVG bytes of
    ``charts.trend(labels, values, ...)``: from ``folder/<hash>.svg`` when a
    previous build drew the same chart, else drawn now and stored. The hash
    covers the chart function's name, its arguments (floats to full
    precision), :data:`CHART_VERSION`, the source of every module of this
    package (:func:`sources_digest`) and of the module defining the function,
    matplotlib's version and the fonts in use, so any change that could change
    the picture draws it again. ``folder=None`` draws every time (no disk access).

    The object holds no global state: the build makes one per run and passes
    it down; :meth:`prune` removes the entries this run did not use.
    """

    def __init__(self, folder: Path | str | None):
        self.folder = Path(folder) if folder is not None else None
        self.hits = 0
        self.misses = 0
        self._used: set[str] = set()
        self._modules: dict[str, str] = {}
        self._salt = "\n".join([CHART_VERSION, metadata.version("matplotlib"), ",".join(house_fonts(self.folder)),
                                sources_digest(PACKAGE)])

    def key(self, fn: Callable[..., bytes], *args: object, **kwargs: object) -> str:
        text = "\n".join([self._salt, self._module_hash(fn), fn.__module__, fn.__name__, _canonical(list(args)),
                          _canonical(dict(kwargs))])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def _module_hash(self, fn: Callable[..., bytes]) -> str:
        """The source of the module that defines ``fn`` (a chart drawn outside this package, too)."""
        module = sys.modules.get(fn.__module__)
        source = getattr(module, "__file__", None) if module is not None else _origin(fn.__module__)
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
                path.unlink(missing_ok=True)  # a build of the same project running beside this one may have removed it
                removed += 1
        return removed


def draw_with(cache: ChartCache | None) -> Callable[..., bytes]:
    """``draw(fn, *args, **kwargs)``: through ``cache`` when given, else a plain call."""
    if cache is not None:
        return cache.draw
    return lambda fn, *args, **kwargs: fn(*args, **kwargs)
