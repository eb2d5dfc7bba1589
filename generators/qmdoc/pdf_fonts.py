"""Fonts the PDF can subset: CJK collection fonts embedded through a copy without their GDEF table.

WeasyPrint subsets every font it embeds with HarfBuzz, keeping the glyph ids. HarfBuzz 6 (Debian 12)
fails on a collection font such as WenQuanYi Micro Hei (``wqy-microhei.ttc``) once a document uses about
a thousand of its glyphs, and only because of the font's GDEF table; WeasyPrint then embeds the whole
font (a Chinese manual of 86 pages: 3.3 MB instead of 1.1 MB). The embedded subset drops GSUB and GPOS,
the tables GDEF serves, so the PDF loses nothing without it.

:func:`font_configuration` therefore gives WeasyPrint a Fontconfig configuration in which each installed
collection file of a CJK family the manual names is replaced by one TrueType file per face, with the
same tables, names and glyphs and without GDEF. The copies are derived once per source file (keyed by
its size, modification time and this module's version), written atomically to the user's cache
folder, and byte-identical on every derivation, so the PDF stays deterministic. Where nothing needs
replacing (no such font installed, no GDEF, no system Fontconfig file), WeasyPrint's own configuration
is used unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
SYSTEM_CONFIG = Path("/etc/fonts/fonts.conf")
VERSION = "1"


def cache_folder() -> Path:
    """Where the derived fonts live: ``$XDG_CACHE_HOME/qmdoc/fonts`` (default ``~/.cache/qmdoc/fonts``)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "qmdoc" / "fonts"


def collections() -> list[Path]:
    """The installed collection files (.ttc, .otc) that hold one of :data:`CJK_FAMILIES`."""
    from matplotlib import font_manager

    found = {Path(f.fname) for f in font_manager.fontManager.ttflist
             if f.name in CJK_FAMILIES and f.fname.lower().endswith((".ttc", ".otc"))}
    return sorted(found)


def _key(source: Path) -> str:
    stat = source.stat()
    return hashlib.sha256(f"{VERSION}:{source}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]


def derive(source: Path, folder: Path) -> list[Path] | None:
    """One TrueType file per face of the collection ``source``, without GDEF, in a folder of ``folder``
    named by the source's key; None when no face has a GDEF table (nothing to replace). The faces are
    written to a temporary folder renamed into place, so a copy is complete or absent."""
    from fontTools.ttLib import TTCollection

    target = folder / f"{source.stem}-{_key(source)}"
    if target.is_dir():
        return sorted(target.glob("*.ttf"))
    with TTCollection(str(source), lazy=True) as collection:
        if not any("GDEF" in face for face in collection.fonts):
            return None
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder, ignore_cleanup_errors=True) as tmp:
            for index, face in enumerate(collection.fonts):
                face.recalcTimestamp = False  # the copy keeps the source's dates: the same bytes every time
                if "GDEF" in face:
                    del face["GDEF"]
                face.save(Path(tmp) / f"{source.stem}-{index}.ttf", reorderTables=False)
            with contextlib.suppress(OSError):  # another build renamed its copy first: the same bytes
                os.rename(tmp, target)
    return sorted(target.glob("*.ttf"))


def config_text(replaced: dict[Path, list[Path]], system: Path = SYSTEM_CONFIG) -> str:
    """A Fontconfig file: the system configuration, each replaced collection rejected, its copies added."""
    rejects = "".join(f"<glob>{escape(str(p))}</glob>" for p in sorted(replaced))
    dirs = "".join(f"  <dir>{escape(str(d))}</dir>\n" for d in sorted({c.parent for v in replaced.values() for c in v}))
    return ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
            f'  <include ignore_missing="no">{escape(str(system))}</include>\n{dirs}'
            f"  <selectfont><rejectfont>{rejects}</rejectfont></selectfont>\n</fontconfig>\n")


def subsettable_config(folder: Path | None = None, system: Path = SYSTEM_CONFIG) -> Path | None:
    """The Fontconfig file of :func:`config_text` for the installed collections, written in ``folder``
    (default :func:`cache_folder`); None when there is nothing to replace, no system configuration, or
    the folder cannot be written (WeasyPrint then embeds such a font whole, as before)."""
    if not system.is_file():
        return None
    folder = folder or cache_folder()
    try:
        replaced = {source: copies for source in collections() if (copies := derive(source, folder))}
        if not replaced:
            return None
        text = config_text(replaced, system)
        target = folder / f"fonts-{hashlib.sha256(text.encode()).hexdigest()[:16]}.conf"
        if not target.is_file():
            with tempfile.NamedTemporaryFile("w", dir=folder, suffix=".part", delete=False, encoding="utf-8") as tmp:
                tmp.write(text)
            os.replace(tmp.name, target)
    except OSError:
        return None
    return target


@contextlib.contextmanager
def font_configuration() -> Iterator[object]:
    """A WeasyPrint ``FontConfiguration`` read from :func:`subsettable_config` (the process environment
    is left as it was); WeasyPrint's default one when there is nothing to replace."""
    from weasyprint.text.fonts import FontConfiguration

    config = subsettable_config()
    if config is None:
        yield FontConfiguration()
        return
    before = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(config)
    try:
        fonts = FontConfiguration()  # Fontconfig reads FONTCONFIG_FILE here, once
    finally:
        if before is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = before
    yield fonts
