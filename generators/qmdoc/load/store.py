"""Results kept on disk between builds, each under a content hash of exactly what it is made from.

A :class:`Store` is a folder of pickled results named by their key. Only a successful result is ever
put there: a problem with an input is always found again by reading the input, so its message (file,
line, field) is the one a build from scratch reports. A result that cannot be read back (a corrupt or
foreign file, a class that no longer exists) counts as absent and is made again. What goes into a key
(the input files' bytes, the code that reads them, the libraries' versions) is the caller's to hash,
with :func:`code_digest` for the code.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..models import Survey
from ..project import DataFile
from ..yamlfile import YamlDoc, relpath
from .files import inside_repository

PACKAGE = Path(__file__).resolve().parent.parent  # qmdoc's own source
FORMAT = "1"  # bump when the stored form changes
MEMORY = 256  # results kept in memory by one store (a preview keeps the latest; the oldest go first)


def code_digest(*parts: str) -> str:
    """A hash of the source of the qmdoc modules and packages named by ``parts`` (``"yamlfile.py"``,
    ``"load"``; ``"*.py"`` is every top-level module) and of the Python version."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version}".encode())
    files: list[Path] = []
    for part in parts:
        base = PACKAGE / part
        files += sorted(PACKAGE.glob(part)) if "*" in part else sorted(base.rglob("*.py")) if base.is_dir() else [base]
    for path in files:
        h.update(f"\0{path.relative_to(PACKAGE).as_posix()}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def digest(*parts: str | bytes) -> str:
    """The key of a result made from ``parts`` (each hashed with its length, so that no two lists of
    parts give the same key)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(f"{len(data)}\0".encode() + data)
    return h.hexdigest()[:32]


@dataclass
class Store:
    """Pickled results in ``folder``, each in ``<key>.pickle``.

    What was read or written is also kept in memory (as its pickled bytes: every :meth:`get` hands out
    a fresh copy, free to change), so a preview that loads the project after every save reads each
    result from the folder once. :meth:`prune` removes the results this object did not use.
    """

    folder: Path
    _memory: dict[str, bytes] = field(default_factory=dict)
    _used: set[str] = field(default_factory=set)

    def get(self, key: str) -> object | None:
        """The result stored under ``key``; None when there is none or it cannot be read back."""
        self._used.add(key)
        data = self._memory.get(key)
        if data is None:
            try:
                data = (self.folder / f"{key}.pickle").read_bytes()
            except OSError:
                return None
        try:
            value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - any unreadable entry (truncated, foreign, stale classes) is absent
            self._memory.pop(key, None)
            return None
        self._remember(key, data)
        return value

    def _remember(self, key: str, data: bytes) -> None:
        self._memory.pop(key, None)
        self._memory[key] = data
        while len(self._memory) > MEMORY:
            del self._memory[next(iter(self._memory))]

    def touch(self, key: str) -> None:
        """Count the result under ``key`` as used (taken from the caller's own memory), so :meth:`prune` keeps it."""
        self._used.add(key)

    def put(self, key: str, value: object) -> None:
        """Store ``value`` (a successful result) under ``key``; atomic: a reader never sees half a result.

        A folder that cannot be written (read-only, full) keeps nothing: the next build makes the result again."""
        self._used.add(key)
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self._remember(key, data)
        path = self.folder / f"{key}.pickle"
        tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)
            tmp.replace(path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def prune(self) -> int:
        """Remove the stored results this object did not use; return how many."""
        if not self.folder.is_dir():
            return 0
        stale = [p for p in sorted(self.folder.glob("*.pickle")) if p.stem not in self._used]
        for path in stale:
            path.unlink(missing_ok=True)  # a build of the same project running beside this one may have removed it
        return len(stale)


@dataclass(frozen=True)
class Loaded:
    """What the load stage hands on of a survey whose figures an earlier build stored: its data files
    (as the provenance page lists them) and the rows it screened out."""

    files: tuple[DataFile, ...]
    excluded: dict[str, dict[str, int]]


class Kept(Protocol):
    """What earlier builds left for the load stage (:class:`qmdoc.stagecache.StoredFigures`)."""

    parsed: Store  # parsed policy files (see :func:`qmdoc.yamlfile.parse_yaml`)

    def recall(self, inputs: str) -> Loaded | None:
        """The survey whose inputs hash to ``inputs`` (:func:`survey_inputs`), when its figures are stored."""


def survey_inputs(root: Path, survey: Survey, doc: YamlDoc, paths: list[Path]) -> str | None:
    """A hash of everything a survey's responses are read and checked from: its instrument (the file's
    path and content as parsed), and the path, place (inside the repository or not) and bytes of each
    of ``paths`` (its data files) and of every file in its data folder. None when a file cannot be read
    (the loader reports it)."""
    folder = root / "data" / "surveys" / survey.id
    files = set(paths) | ({p for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set())
    parts: list[str | bytes] = ["survey", survey.id, doc.path, repr(doc.data), survey.model_dump_json()]
    try:
        for path in sorted(files):
            parts += [relpath(path, root), str(inside_repository(root, path)),
                      hashlib.sha256(path.read_bytes()).digest()]
    except OSError:
        return None
    return digest(*parts)
