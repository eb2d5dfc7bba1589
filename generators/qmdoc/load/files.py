"""Files a policy file names: inside the repository, of the right kind, in an encoding Python knows."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..yamlfile import YamlDoc
from .collector import _Collector

LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp")


def inside_repository(root: Path, path: Path) -> bool:
    """Whether ``path``, symlinks followed, lies inside the repository ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):  # outside, or a symlink loop
        return False
    return True


def _safe_path(c: _Collector, root: Path, ref: str, doc: YamlDoc, loc: tuple,
               suffixes: tuple[str, ...] = ()) -> Path | None:
    """A file reference from YAML, refused (reported) when it leaves the repository, symlinks included,
    or, with ``suffixes``, when it is not a file of one of those kinds."""
    where = (doc.path, doc.line_of(loc), ".".join(loc))
    if "\0" in ref or Path(ref).is_absolute() or ".." in Path(ref).parts or not inside_repository(root, root / ref):
        c.add(*where, f"expected a path inside the repository, got {ref!r}")
        return None
    path = (root / ref).resolve()
    if suffixes and path.suffix.lower() not in suffixes:
        c.add(*where, f"expected a file ending in {', '.join(suffixes)}, got {ref!r}")
        return None
    return path


def _known_encoding(name: str) -> bool:
    """auto, or a codec Python can decode with."""
    if name.lower() == "auto":
        return True
    try:
        return codecs.lookup(name)._is_text_encoding
    except LookupError:
        return False
