"""Stage results kept on disk between builds, each keyed by a content hash of exactly its inputs.

Two kinds, each in its own folder of the stage cache:

* ``figures``: the figures of one survey together with what the load stage hands on of it (its data
  files as the provenance page lists them, the rows it screened out). Keyed by the survey's raw inputs
  (its instrument as parsed, the bytes of every file of its data folder: see
  :func:`qmdoc.load.store.survey_inputs`), the source of the code that reads, checks and computes them
  (the load, compute and models packages and the package's top-level modules) and the versions of
  Python and of the libraries it reads and computes with. A build after a procedure was edited finds
  every survey here: it neither reads the responses nor computes the figures. A changed data file,
  instrument, code or library version reads and computes that survey again.
* ``parsed``: the policy files as parsed, keyed by their text and the parser (see
  :func:`qmdoc.yamlfile.parse_yaml`).

Only successful results are stored (figures are stored once computed, which a build reaches only when
every input passed its checks), so a problem is always found by reading the input and reported exactly
as a build from scratch reports it. Results are exactly the objects a computation returns (pickled),
so a build from this store writes the bytes a build from scratch writes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .buildcache import library_versions
from .compute.manual import FiguresMemo, _survey_key
from .compute.survey import SurveyFigures, compute_survey_figures
from .load.store import Loaded, Store, code_digest as source_digest
from .project import SurveyData

COMPUTING = ("*.py", "compute", "models", "load")  # the code the stored figures are read and computed with
LIBRARIES = ("numpy", "pandas", "polars", "scipy", "pydantic", "pyyaml", "fastexcel", "jieba")
FORMAT = "2"  # bump when the stored form changes
KEPT = 64  # surveys kept in memory by a preview (the oldest go first)


def code_digest() -> str:
    """A hash of the source of the code that reads and computes figures, and of Python and the libraries' versions."""
    h = hashlib.sha256(f"{FORMAT}\0{source_digest(*COMPUTING)}".encode())
    h.update(library_versions(LIBRARIES).encode())
    return h.hexdigest()


@dataclass
class StoredFigures(FiguresMemo):
    """:class:`FiguresMemo` backed by ``folder``: survey figures found there are not computed again, and
    their surveys are not read (see :meth:`recall`); the policy files parsed before are kept in the
    sibling folder ``parsed``.

    Surveys once read or computed are also kept in memory, so a preview that regenerates after every
    save reads each from the folder once. :meth:`prune` removes the stored results this object did not
    use (those of an earlier state of the inputs). ``hits`` counts the figures taken from memory or
    from the folder.
    """

    folder: Path | None = None
    parsed: Store | None = None
    _code: str = ""
    _store: Store | None = None
    _kept: dict[str, tuple[Loaded, SurveyFigures]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.folder is not None:
            self._store = Store(self.folder)
            if self.parsed is None:
                self.parsed = Store(self.folder.parent / "parsed")

    def _full_key(self, inputs: str) -> str:
        if not self._code:
            self._code = code_digest()
        return hashlib.sha256(f"{self._code}\0{inputs}".encode()).hexdigest()[:32]

    def recall(self, inputs: str) -> Loaded | None:
        """What the load stage hands on of the survey whose raw inputs hash to ``inputs``, when its figures
        are stored (they are then kept for :meth:`figures`); None: read and check it."""
        if self._store is None:
            return None
        key = self._full_key(inputs)
        entry = self._kept.get(key)
        if entry is None:
            found = self._store.get(key)
            if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], Loaded)
                    and isinstance(found[1], SurveyFigures)):
                return None
            entry = found
            self._keep(key, entry)
        self._store.touch(key)
        return entry[0]

    def _keep(self, key: str, entry: tuple[Loaded, SurveyFigures]) -> None:
        self._kept.pop(key, None)
        self._kept[key] = entry
        while len(self._kept) > KEPT:
            del self._kept[next(iter(self._kept))]

    def figures(self, data: SurveyData) -> SurveyFigures:
        if self._store is None:
            return super().figures(data)
        if data.key is None:  # read without its raw inputs' hash: keyed by the frames as loaded
            return self._by_frames(self._store, data)
        key = self._full_key(data.key)
        entry = self._kept.get(key)
        if entry is not None and entry[1].survey == data.survey.id:
            self.hits += 1
            return entry[1]
        if data.responses is None:
            raise RuntimeError(f"survey {data.survey.id}: its responses were not read and its figures are not kept")
        figures = compute_survey_figures(data.survey, data.responses, excluded=data.excluded)
        entry = (Loaded(data.files, data.excluded), figures)
        self._store.put(key, entry)
        self._keep(key, entry)
        return figures

    def _by_frames(self, store: Store, data: SurveyData) -> SurveyFigures:
        key = self._full_key(_survey_key(data))
        found = store.get(key)
        if isinstance(found, SurveyFigures) and found.survey == data.survey.id:
            self.hits += 1
            return found
        figures = compute_survey_figures(data.survey, data.responses, excluded=data.excluded)
        store.put(key, figures)
        return figures

    def prune(self) -> int:
        """Remove the stored results this object did not use; return how many."""
        return sum(store.prune() for store in (self._store, self.parsed) if store is not None)
