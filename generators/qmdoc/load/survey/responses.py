"""Survey responses: a survey's data files read, checked, cleaned and assembled into one responses frame."""

from __future__ import annotations

from pathlib import Path

from ...errors import Problem, QmdocError
from ...models import Survey
from ...project import DataFile, SurveyData
from ...yamlfile import YamlDoc, relpath
from ..collector import _Collector
from ..files import inside_repository
from .assemble import assemble, file_frame
from .check import check_responses, check_survey_data
from .comments import Marks, check_marks
from .clean import answer_matrix, categories, clean_responses
from .instrument import _check_survey
from .read import Layout, _no_responses, read_responses, survey_files, survey_layout
from .chunked import ChunkedFile, read_chunked
from ..csv import CHUNK_BYTES, NotPlain
from ..exports import needs_conversion


def load_survey_files(
    c: _Collector, root: Path, s: Survey, source: str, paths: list[Path], *, checksums: bool = True,
    chunk: int = CHUNK_BYTES,
) -> SurveyData | None:
    """Read and check a survey's data files into one responses frame.

    The frame has a ``wave`` column, the text columns as categoricals, the
    respondent column as an integer key (equal ids, equal keys: ids are never
    published, only compared), and one column per item with blanks and
    not-applicable codes missing: a nullable 8-bit integer column when every
    item's scale fits one (answers are scale points: held exactly in two bytes,
    see :class:`~.clean.CompactAnswers`), else a float column (NaN missing).

    ``checksums=False`` skips the SHA-256 of each file (``DataFile.sha256`` is
    then None): it is only for the manual's provenance page, and reading the
    whole file again costs as much as a fifth of loading it.

    Each file takes two passes of polars expressions (run in parallel over the
    columns): the checks and the sorted levels of the text columns, then the
    cleaned items, the category codes and the respondent key. The items come
    out as column-major matrices (from 16-bit integers: converted by numpy,
    two columns at a time) that the frame uses without a copy.

    A plain file larger than twice ``chunk`` bytes is read ``chunk`` bytes at a time (see
    :mod:`.chunked`): the same frame in less memory (a smaller file is read whole: a little faster).
    """
    frames = []
    files = []
    id_columns = []
    excluded: dict[str, dict[str, int]] = {}
    lay = survey_layout(s, len(paths))
    marks = Marks(s, root)
    for path in paths:
        rel = relpath(path, root)
        big = _chunked(root, path, rel, s, lay, checksums, marks, chunk)
        if big is not None:
            marks = big.marks
            id_columns.append(big.key() if lay.single else big.ids)
            frames.append(file_frame(path, big.rows, big.matrix, big.cats, lay))
            files.append(DataFile(rel, big.sha256, big.rows))
            continue
        read = read_responses(c, path, rel, s, lay, checksums, excluded)
        if read is None:
            continue
        src, raw, kind = read
        del read
        levels = check_responses(c, src, raw, kind, s, lay)
        check_marks(c, src, raw, s)
        marks.add(raw)
        done, ids = clean_responses(raw, kind, s, lay, levels)
        del raw
        matrix = answer_matrix(done, lay, kind)
        cats = categories(done, lay, levels)
        id_columns.append(done["\0key"].to_numpy() if lay.single else ids)
        frames.append(file_frame(path, done.height, matrix, cats, lay))
        files.append(DataFile(rel, src.sha256, done.height))
    if not frames or len(frames) != len(paths):
        return None
    data = assemble(s, source, files, frames, id_columns, lay, excluded)
    for name, published in marks.resolve(c).items():  # the comments' publishable marks
        data.responses[name] = published
    return data


def _chunked(root: Path, path: Path, rel: str, s: Survey, lay: Layout, checksums: bool, marks: Marks,
             chunk: int) -> ChunkedFile | None:
    """A large plain data file read a chunk at a time; None for a small one, an export, or a file
    the whole-file reader must read (see :mod:`.chunked`)."""
    try:
        if path.stat().st_size <= 2 * chunk or needs_conversion(s, path):  # small: faster read whole
            return None
        return read_chunked(root, path, rel, s, lay, checksums, marks, chunk)
    except (NotPlain, OSError):
        return None


def _load_survey_data(c: _Collector, root: Path, s: Survey, doc: YamlDoc) -> SurveyData | None:
    paths = survey_files(root / "data" / "surveys" / s.id, s)
    for path in paths:
        if not inside_repository(root, path):
            c.add(relpath(path, root), 0, "", "expected a file inside the repository, got a link to a file outside it")
    paths = [p for p in paths if inside_repository(root, p)]
    if not paths:  # a new survey: valid, with no waves until its first data file arrives
        return SurveyData(s, doc.path, (), _no_responses(s))
    return load_survey_files(c, root, s, doc.path, paths)


def load_survey_standalone(
    instrument: Path, data: list[Path], root: Path, *, checksums: bool = True
) -> SurveyData:
    """Load one survey instrument and its data files (default: ``data/surveys/<id>/*.csv`` beside it).

    ``checksums=False``: no SHA-256 of the data files (see :func:`load_survey_files`).
    """
    c = _Collector(root)
    if not instrument.is_file():
        raise QmdocError(Problem(relpath(instrument, root), 0, "", "expected a survey instrument file, got none"))
    doc = c.yaml(instrument)
    survey = c.model(Survey, doc)
    if survey is None:
        raise QmdocError(c.problems)
    _check_survey(c, survey, doc)
    if c.problems:
        raise QmdocError(c.problems)
    if not data:
        base = instrument.resolve().parent.parent.parent  # policy/surveys/x.yml -> project root
        data = survey_files(base / "data" / "surveys" / survey.id, survey)
        if not data:
            raise QmdocError(Problem(doc.path, doc.line_of(("id",)), "id",
                                     f"expected survey data in data/surveys/{survey.id}/"
                                     f"{' or '.join(survey.source.files)}, got no file"))
    for path in data:
        if not path.is_file():
            c.add(relpath(path, root), 0, "", "expected a CSV file, got none")
    if c.problems:
        raise QmdocError(c.problems)
    loaded = load_survey_files(c, root, survey, doc.path, list(data), checksums=checksums)
    if loaded is not None:
        check_survey_data(c, loaded, doc)
    if c.problems or loaded is None:
        raise QmdocError(c.problems)
    return loaded
