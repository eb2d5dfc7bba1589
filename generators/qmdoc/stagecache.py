"""Stage results kept on disk between builds, each keyed by a content hash of exactly its inputs.

The figures of one survey are keyed by what they are computed from: the survey's instrument,
its responses and the rows the loader screened out, as loaded (the hash
:class:`~qmdoc.compute.manual.FiguresMemo` keys on), together with the source of the code that
computes them (the compute and models packages and the package's top-level modules) and the
versions of Python and of the libraries it computes with. A build after a procedure was edited
finds every survey's figures here and computes none; a changed response file, instrument or
computing code computes that survey again. Results are exactly the objects a computation
returns (pickled), so a build from this store writes the bytes a build from scratch writes.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .buildcache import library_versions
from .compute.manual import FiguresMemo, _survey_key
from .compute.survey import SurveyFigures, compute_survey_figures
from .project import SurveyData

PACKAGE = Path(__file__).parent
COMPUTING = ("compute", "models")  # the subpackages the figures are computed with
LIBRARIES = ("numpy", "pandas", "polars", "scipy", "pydantic")
FORMAT = "1"  # bump when the stored form changes


def code_digest() -> str:
    """A hash of the source of the code that computes figures, and of Python and the libraries' versions."""
    h = hashlib.sha256(f"{FORMAT}\0{sys.version}".encode())
    files = sorted(PACKAGE.glob("*.py")) + sorted(p for sub in COMPUTING for p in (PACKAGE / sub).rglob("*.py"))
    for path in files:
        h.update(f"\0{path.relative_to(PACKAGE).as_posix()}\0".encode() + hashlib.sha256(path.read_bytes()).digest())
    h.update(library_versions(LIBRARIES).encode())
    return h.hexdigest()


@dataclass
class StoredFigures(FiguresMemo):
    """:class:`FiguresMemo` backed by ``folder``: survey figures found there are not computed again.

    Figures once read or computed are also kept in memory (the latest of each survey), so a preview
    that regenerates after every save reads each from the folder once. :meth:`prune` removes the
    stored figures this object did not use (those of an earlier state of the inputs). ``hits``
    counts the figures taken from memory or from the folder.
    """

    folder: Path | None = None
    _code: str = ""
    _used: set[str] = field(default_factory=set)

    def _key(self, data: SurveyData) -> str:
        if not self._code:
            self._code = code_digest()
        return hashlib.sha256(f"{self._code}\0{_survey_key(data)}".encode()).hexdigest()[:32]

    def figures(self, data: SurveyData) -> SurveyFigures:
        if self.folder is None:
            return super().figures(data)
        key = self._key(data)
        self._used.add(key)
        kept = self._figures.get(data.survey.id)
        if kept is not None and kept[0] == key:  # computed or read before by this object
            self.hits += 1
            return kept[1]
        figures = self._stored(self.folder, data, key)
        self._figures[data.survey.id] = (key, figures)
        return figures

    def _stored(self, folder: Path, data: SurveyData, key: str) -> SurveyFigures:
        """The figures stored under ``key``, else computed now and stored."""
        path = folder / f"{key}.pickle"
        try:
            figures = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            figures = None
        if isinstance(figures, SurveyFigures) and figures.survey == data.survey.id:
            self.hits += 1
            return figures
        figures = compute_survey_figures(data.survey, data.responses, excluded=data.excluded)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(figures, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)  # atomic: a reader never sees half a result
        return figures

    def prune(self) -> int:
        """Remove the stored figures this object did not use; return how many."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        stale = [p for p in sorted(self.folder.glob("*.pickle")) if p.stem not in self._used]
        for path in stale:
            path.unlink(missing_ok=True)  # a build of the same project running beside this one may have removed it
        return len(stale)
