"""Load stage: read the policy YAML and data CSV of a project into validated models.

This is one of the three places that touch the disk (with ``site`` and ``pdf``).
Every problem in every file is collected before failing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .clauses import is_clause
from .errors import Problem, QmdocError, describe
from .models import DocumentControl, Objectives, Organization, Procedure, QualityPolicy, Survey
from .validate import validate_model
from .yamlfile import YamlDoc, load_yaml, relpath

MAX_PROBLEMS_PER_COLUMN = 5

COMPLAINT_COLUMNS = ["complaint_id", "received", "acknowledged", "resolved", "customer_id", "category", "severity"]
COMPLAINT_METRICS = {
    "complaints.count",
    "complaints.acknowledged_within_target",
    "complaints.resolved_within_target",
    "complaints.resolution_p90_days",
}
COMPLAINT_TARGETS = ("acknowledge_working_days", "resolve_days")


@dataclass(frozen=True)
class DataFile:
    path: str
    sha256: str
    rows: int


@dataclass(frozen=True)
class SurveyData:
    survey: Survey
    source: str
    files: tuple[DataFile, ...]
    responses: pd.DataFrame = field(repr=False)


@dataclass(frozen=True)
class SourcedDocument:
    """A controlled document, the file it comes from and what it is."""

    kind: str  # manual | policy | objectives | procedure | survey
    source: str
    control: DocumentControl


@dataclass(frozen=True)
class Project:
    root: Path
    organization: Organization
    policy: QualityPolicy
    objectives: Objectives
    procedures: tuple[Procedure, ...]
    surveys: tuple[SurveyData, ...]
    complaints: pd.DataFrame = field(repr=False)
    complaints_file: DataFile | None = None
    sources: dict[str, str] = field(default_factory=dict)  # document id -> file

    @property
    def complaints_procedure(self) -> Procedure | None:
        for proc in self.procedures:
            if proc.document.id == self.organization.complaints_procedure:
                return proc
        return None

    def documents(self) -> list[SourcedDocument]:
        docs = [SourcedDocument("manual", "policy/organization.yml", self.organization.manual)]
        docs.append(SourcedDocument("policy", self.sources[self.policy.document.id], self.policy.document))
        docs.append(SourcedDocument("objectives", self.sources[self.objectives.document.id], self.objectives.document))
        docs += [SourcedDocument("procedure", self.sources[p.document.id], p.document) for p in self.procedures]
        docs += [SourcedDocument("survey", s.source, s.survey.document) for s in self.surveys if s.survey.document]
        return docs


class _Collector:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def yaml(self, path: Path) -> YamlDoc | None:
        try:
            return load_yaml(path, self.root)
        except QmdocError as exc:
            self.problems += exc.problems
            return None

    def model(self, model, doc: YamlDoc | None):  # noqa: ANN001
        if doc is None:
            return None
        if not isinstance(doc.data, dict):
            self.problems.append(Problem(doc.path, 1, "(file)", f"expected a mapping of keys, got {describe(doc.data)}"))
            return None
        obj, problems = validate_model(model, doc)
        self.problems += problems
        return obj

    def add(self, path: str, line: int, fieldname: str, message: str) -> None:
        self.problems.append(Problem(path, line, fieldname, message))


def load_project(root: Path) -> Project:
    """Load and validate everything under ``root``; raise ``QmdocError`` with all problems."""
    root = Path(root)
    c = _Collector(root)
    policy_dir = root / "policy"
    required = {
        "organization": policy_dir / "organization.yml",
        "policy": policy_dir / "quality-policy.yml",
        "objectives": policy_dir / "objectives.yml",
    }
    for path in required.values():
        if not path.is_file():
            c.add(relpath(path, root), 0, "", "expected this file, got none")
    if c.problems:
        raise QmdocError(c.problems)

    docs = {key: c.yaml(path) for key, path in required.items()}
    organization = c.model(Organization, docs["organization"])
    policy = c.model(QualityPolicy, docs["policy"])
    objectives = c.model(Objectives, docs["objectives"])

    procedures: list[tuple[Procedure, YamlDoc]] = []
    for path in sorted((policy_dir / "procedures").glob("*.yml")):
        doc = c.yaml(path)
        proc = c.model(Procedure, doc)
        if proc is not None:
            procedures.append((proc, doc))

    surveys: list[tuple[Survey, YamlDoc]] = []
    for path in sorted((policy_dir / "surveys").glob("*.yml")):
        doc = c.yaml(path)
        survey = c.model(Survey, doc)
        if survey is not None:
            before = len(c.problems)
            _check_survey(c, survey, doc)
            # an inconsistent instrument's data are not read: their problems would only echo its own
            surveys.append((survey, doc, len(c.problems) == before))

    sources: dict[str, str] = {}
    doc_lines: list[tuple[DocumentControl, YamlDoc, tuple]] = []
    if organization:
        doc_lines.append((organization.manual, docs["organization"], ("manual", "id")))
    if policy:
        doc_lines.append((policy.document, docs["policy"], ("document", "id")))
        _check_clauses(c, policy.clauses, docs["policy"])
    if objectives:
        doc_lines.append((objectives.document, docs["objectives"], ("document", "id")))
        _check_clauses(c, objectives.clauses, docs["objectives"])
    for proc, doc in procedures:
        doc_lines.append((proc.document, doc, ("document", "id")))
        _check_clauses(c, proc.clauses, doc)
    for survey, doc, _ in surveys:
        if survey.document:
            doc_lines.append((survey.document, doc, ("document", "id")))
    for control, doc, loc in doc_lines:
        if control.id in sources:
            c.add(doc.path, doc.line_of(loc), "document.id" if loc[0] == "document" else "manual.id",
                  f"expected a unique document id, got {control.id!r} already used in {sources[control.id]}")
        else:
            sources[control.id] = doc.path
        _check_document(c, control, doc, loc[:-1])

    procedure_ids = {p.document.id for p, _ in procedures}
    for proc, doc in procedures:
        for i, ref in enumerate(proc.related):
            if ref not in sources:
                c.add(doc.path, doc.line_of(("related", i)), f"related[{i}]",
                      f"expected the id of a document, got {ref!r}")

    complaints_proc = None
    if organization and organization.complaints_procedure:
        if organization.complaints_procedure not in procedure_ids:
            c.add(docs["organization"].path, docs["organization"].line_of(("complaints_procedure",)),
                  "complaints_procedure", f"expected the id of a procedure, got {organization.complaints_procedure!r}")
        else:
            complaints_proc, cdoc = next((p, d) for p, d in procedures if p.document.id == organization.complaints_procedure)
            for key in COMPLAINT_TARGETS:
                if key not in complaints_proc.targets:
                    c.add(cdoc.path, cdoc.line_of(("targets",)), f"targets.{key}",
                          "expected a target for complaints handling, got nothing")

    survey_data: list[SurveyData] = []
    for survey, doc, consistent in surveys:
        loaded = _load_survey_data(c, root, survey, doc) if consistent else None
        if loaded is not None:
            survey_data.append(loaded)

    complaints = pd.DataFrame()
    complaints_file = None
    if organization:
        log = _safe_path(c, root, organization.complaints_log, docs["organization"], ("complaints_log",))
        if log is not None and log.is_file():
            complaints, complaints_file = _load_complaints(c, root, log)
        elif log is not None and complaints_proc is not None:
            c.add(relpath(log, root), 0, "", "expected the complaints log named by complaints_log, got no file")

    if objectives:
        # when organization.yml itself is invalid, don't cascade into complaints metrics
        metrics = known_metrics([s for s, _, _ in surveys], complaints_proc is not None or organization is None)
        for i, obj in enumerate(objectives.objectives):
            if obj.metric not in metrics:
                c.add(docs["objectives"].path, docs["objectives"].line_of(("objectives", i, "metric")),
                      f"objectives[{i}].metric", f"expected a computed metric ({', '.join(sorted(metrics)[:4])}, ...), got {obj.metric!r}")
        seen: dict[str, int] = {}
        for i, obj in enumerate(objectives.objectives):
            if obj.id in seen:
                c.add(docs["objectives"].path, docs["objectives"].line_of(("objectives", i, "id")),
                      f"objectives[{i}].id", f"expected a unique objective id, got {obj.id!r} again")
            seen[obj.id] = i

    if c.problems:
        raise QmdocError(c.problems)
    return Project(
        root=root,
        organization=organization,
        policy=policy,
        objectives=objectives,
        procedures=tuple(sorted((p for p, _ in procedures), key=lambda p: natural_key(p.document.id))),
        surveys=tuple(survey_data),
        complaints=complaints,
        complaints_file=complaints_file,
        sources=sources,
    )


def natural_key(text: str) -> tuple:
    """Sort key that orders PR-821 before PR-1020 (numbers compared as numbers)."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def known_metrics(surveys: list[Survey], complaints: bool) -> set[str]:
    """Every metric name an objective may refer to."""
    names: set[str] = set(COMPLAINT_METRICS) if complaints else set()
    for s in surveys:
        names.add(f"{s.id}.index")
        if s.recommend:
            names.add(f"{s.id}.nps")
        names.update(f"{s.id}.dimension.{d.id}" for d in s.dimensions)
    return names


def _check_clauses(c: _Collector, clauses: list[str], doc: YamlDoc) -> None:
    for i, cid in enumerate(clauses):
        if not is_clause(str(cid)):
            c.add(doc.path, doc.line_of(("clauses", i)), f"clauses[{i}]",
                  f"expected an ISO 9001:2015 clause number such as 8.2.1, got {describe(cid)}")


def _check_document(c: _Collector, d: DocumentControl, doc: YamlDoc, loc: tuple) -> None:
    name = ".".join(str(p) for p in loc)
    if d.effective_date and d.approval_date and d.effective_date < d.approval_date:
        c.add(doc.path, doc.line_of((*loc, "effective_date")), f"{name}.effective_date",
              f"expected a date on or after the approval date {d.approval_date}, got {d.effective_date}")
    if d.status == "approved" and not (d.approver and d.approval_date):
        c.add(doc.path, doc.line_of(loc), f"{name}.approver",
              "expected an approver and an approval_date for an approved document, got nothing")


def _check_survey(c: _Collector, s: Survey, doc: YamlDoc) -> None:
    seen: set[str] = set()
    for d_i, dim in enumerate(s.dimensions):
        for i_i, item in enumerate(dim.items):
            if item.id in seen:
                c.add(doc.path, doc.line_of(("dimensions", d_i, "items", i_i, "id")), f"dimensions[{d_i}].items[{i_i}].id",
                      f"expected a unique item id, got {item.id!r} again")
            seen.add(item.id)
    for i_i, item in enumerate(s.items):
        if item.id in seen:
            c.add(doc.path, doc.line_of(("items", i_i, "id")), f"items[{i_i}].id",
                  f"expected a unique item id, got {item.id!r} again")
        seen.add(item.id)
    dims = [d.id for d in s.dimensions]
    if len(set(dims)) != len(dims):
        c.add(doc.path, doc.line_of(("dimensions",)), "dimensions", "expected unique dimension ids, got a repeated id")
    items = {i.id: i for i in s.all_items()}
    for key in ("overall", "recommend"):
        ref = getattr(s, key)
        if ref is not None and ref not in items:
            c.add(doc.path, doc.line_of((key,)), key, f"expected the id of an item, got {ref!r}")
    if s.recommend in items:
        sc = s.item_scale(items[s.recommend])
        if (sc.min, sc.max) != (0, 10):
            c.add(doc.path, doc.line_of(("recommend",)), "recommend",
                  f"expected an item on a 0..10 scale, got {s.recommend!r} on {sc.min}..{sc.max}")
    weights = [d.weight for d in s.dimensions]
    if s.importance == "stated" and any(w is None for w in weights) and any(w is not None for w in weights):
        c.add(doc.path, doc.line_of(("dimensions",)), "dimensions",
              "expected a weight on every dimension or on none, got weights on some only")
    if s.importance == "stated" and weights and all(w is not None for w in weights) and sum(weights) <= 0:
        c.add(doc.path, doc.line_of(("dimensions",)), "dimensions", "expected weights that sum to more than 0, got 0")
    if s.importance == "derived" and not s.overall:
        c.add(doc.path, doc.line_of(("importance",)), "importance",
              "expected an overall item (key overall) for derived importance, got none")
    in_dimensions = {i.id for d in s.dimensions for i in d.items}
    for i, ref in enumerate(s.loyalty):
        if ref not in items:
            c.add(doc.path, doc.line_of(("loyalty", i)), f"loyalty[{i}]", f"expected the id of an item, got {ref!r}")
        elif ref in in_dimensions:
            c.add(doc.path, doc.line_of(("loyalty", i)), f"loyalty[{i}]",
                  f"expected a top-level item (loyalty is not part of a dimension), got {ref!r}")
    if s.kind == "internal" and s.internal is None:
        c.add(doc.path, doc.line_of(("kind",)), "internal",
              "expected the supplier and customer columns (internal: {supplier: ..., customer: ...}), got nothing")
    if s.internal is not None and s.kind != "internal":
        c.add(doc.path, doc.line_of(("internal",)), "kind", f"expected kind: internal with internal:, got {s.kind!r}")
    if s.internal is not None and s.competitors is not None:
        c.add(doc.path, doc.line_of(("competitors",)), "competitors",
              "expected competitors or internal customers, got both")
    if s.model:
        for p_i, pair in enumerate(s.model.paths):
            for end in pair:
                if end not in dims:
                    c.add(doc.path, doc.line_of(("model", "paths", p_i)), f"model.paths[{p_i}]",
                          f"expected dimension ids, got {end!r}")


def _safe_path(c: _Collector, root: Path, ref: str, doc: YamlDoc, loc: tuple) -> Path | None:
    """A file reference from YAML, refused when it leaves the repository."""
    path = (root / ref).resolve()
    try:
        path.relative_to(root.resolve())
    except ValueError:
        c.add(doc.path, doc.line_of(loc), ".".join(loc), f"expected a path inside the repository, got {ref!r}")
        return None
    return path


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _read_csv(c: _Collector, root: Path, path: Path) -> pd.DataFrame | None:
    rel = relpath(path, root)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8", engine="c")
    except UnicodeDecodeError:
        c.add(rel, 0, "", "expected UTF-8 text, got undecodable bytes")
    except pd.errors.EmptyDataError:
        c.add(rel, 1, "", "expected a header row, got an empty file")
    except pd.errors.ParserError as exc:
        c.add(rel, 0, "", f"expected well-formed CSV, got {exc}")
    return None


def _bad_rows(c: _Collector, rel: str, column: str, mask: np.ndarray, values, expected: str) -> None:  # noqa: ANN001
    """Report the rows of ``mask`` (0-based records; the header is line 1) with their raw value."""
    rows = np.flatnonzero(mask)
    for r in rows[:MAX_PROBLEMS_PER_COLUMN]:
        value = values.iloc[r] if isinstance(values, pd.Series) else values[int(r)]
        c.add(rel, int(r) + 2, column, f"{expected}, got {describe(value)}")
    if len(rows) > MAX_PROBLEMS_PER_COLUMN:
        c.add(rel, int(rows[MAX_PROBLEMS_PER_COLUMN]) + 2, column,
              f"{len(rows) - MAX_PROBLEMS_PER_COLUMN} more values like these (not listed)")


def _load_survey_data(c: _Collector, root: Path, s: Survey, doc: YamlDoc) -> SurveyData | None:
    folder = root / "data" / "surveys" / s.id
    paths = sorted(folder.glob("*.csv"))
    if not paths:
        c.add(doc.path, doc.line_of(("id",)), "id", f"expected survey data in data/surveys/{s.id}/*.csv, got no file")
        return None
    return load_survey_files(c, root, s, doc.path, paths)


def survey_text_columns(s: Survey) -> list[str]:
    """The non-item columns a survey's data files must have."""
    cols = [s.respondent, *([s.wave] if s.wave else []), *s.segments]
    if s.internal:
        cols += [s.internal.supplier, s.internal.customer]
    if s.competitors:
        cols.append(s.competitors.column)
    return list(dict.fromkeys(cols))


def _polars_read(path: Path, columns: list[str], numeric: list[str]):  # noqa: ANN202
    """Read ``columns`` of a CSV with polars: items as floats when they all parse, else everything as text.

    polars parses CSV several times faster than pandas and in less memory
    (the benchmark reads a million responses); everything after this step is pandas/numpy.
    """
    import polars as pl

    header = pl.read_csv(path, n_rows=0, infer_schema=False).columns
    names = {name.lstrip("\ufeff"): name for name in header}
    wanted = [names[c] for c in columns]
    rename = {names[c]: c for c in columns}
    try:
        frame = pl.read_csv(path, columns=wanted, infer_schema=False,
                            schema_overrides={names[c]: pl.Float64 for c in numeric})
        typed = True
    except pl.exceptions.ComputeError:
        frame = pl.read_csv(path, columns=wanted, infer_schema=False)
        typed = False
    return frame.rename(rename), typed


def _csv_header(c: _Collector, root: Path, path: Path) -> list[str] | None:
    import polars as pl

    rel = relpath(path, root)
    try:
        return [name.lstrip("\ufeff") for name in pl.read_csv(path, n_rows=0, infer_schema=False).columns]
    except pl.exceptions.NoDataError:
        c.add(rel, 1, "", "expected a header row, got an empty file")
    except (pl.exceptions.ComputeError, UnicodeDecodeError) as exc:
        c.add(rel, 0, "", f"expected well-formed UTF-8 CSV, got {str(exc).splitlines()[0]}")
    return None


def _codes(series) -> pd.Categorical:  # noqa: ANN001 - a polars Series of text
    """A text column as a pandas Categorical (categories sorted), built without Python strings per row."""
    import polars as pl

    levels = series.drop_nulls().unique().sort()
    codes = series.cast(pl.Enum(levels.to_list())).to_physical().cast(pl.Int64).fill_null(-1).to_numpy()
    return pd.Categorical.from_codes(codes, categories=levels.to_list())


def load_survey_files(c: _Collector, root: Path, s: Survey, source: str, paths: list[Path]) -> SurveyData | None:
    """Read and check a survey's data files into one responses frame.

    The frame has a ``wave`` column, the text columns as categoricals, the
    respondent column as an integer key (equal ids, equal keys: ids are never
    published, only compared), and one float column per item with blanks and
    not-applicable codes as NaN.
    """
    import polars as pl

    frames = []
    files = []
    id_columns = []
    items = s.all_items()
    text_cols = survey_text_columns(s)
    for path in paths:
        rel = relpath(path, root)
        header = _csv_header(c, root, path)
        if header is None:
            continue
        required = [*text_cols, *(i.id for i in items)]
        missing = [col for col in required if col not in header]
        for col in missing:
            c.add(rel, 1, col, f"expected a column named {col!r}, got none")
        if missing:
            continue
        try:
            raw, typed = _polars_read(path, required, [i.id for i in items])
        except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
            c.add(rel, 0, "", f"expected well-formed UTF-8 CSV, got {str(exc).splitlines()[0]}")
            continue
        out: dict[str, object] = {}
        if s.wave:
            waves = raw[s.wave]
            _bad_rows(c, rel, s.wave, waves.is_null().to_numpy(), waves, "expected a wave label")
            out["wave"] = _codes(waves)
        else:
            out["wave"] = pd.Categorical.from_codes(np.zeros(raw.height, dtype=np.int8), categories=[path.stem])
        ids = raw[s.respondent]
        _bad_rows(c, rel, s.respondent, ids.is_null().to_numpy(), ids, "expected a respondent id")
        for col in text_cols:
            if col not in (s.respondent, s.wave):
                out[col] = _codes(raw[col])
        id_columns.append(ids)
        na_codes = [float(x) for x in sorted(set(s.not_applicable))]
        code_list = ", ".join(f"{x:g}" for x in na_codes)
        codes = f" or {code_list} (not applicable)" if na_codes else ""
        numeric = {}
        bad = {}
        for item in items:
            sc = s.item_scale(item)
            num = pl.col(item.id) if typed else pl.col(item.id).cast(pl.Float64, strict=False)
            ok = (num.round(0) == num) & (num.is_between(sc.min, sc.max) | num.is_in(pl.lit(na_codes, dtype=pl.List(pl.Float64))))
            bad[item.id] = (pl.col(item.id).is_not_null() & ~ok.fill_null(False)).alias(item.id)
            # not-applicable codes (outside the item's scale) are missing, never zero
            numeric[item.id] = pl.when(num.is_between(sc.min, sc.max)).then(num).otherwise(None).alias(item.id)
        counts = raw.select([e.sum() for e in bad.values()]).row(0)
        for item, count in zip(items, counts):
            if count:
                sc = s.item_scale(item)
                mask = raw.select(bad[item.id]).to_series().to_numpy()
                _bad_rows(c, rel, item.id, mask, raw[item.id], f"expected a whole number from {sc.min} to {sc.max}{codes}")
        matrix = raw.select(list(numeric.values())).to_numpy().astype(float, copy=False)
        out.update({item.id: matrix[:, j] for j, item in enumerate(items)})
        out = pd.DataFrame(out)
        frames.append(out)
        files.append(DataFile(rel, _sha256(path), raw.height))
    if not frames or len(frames) != len(paths):
        return None
    responses = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    for col in text_cols:
        if col != s.respondent and not isinstance(responses[col].dtype, pd.CategoricalDtype):
            responses[col] = responses[col].astype("category")  # categories differed between files
    responses[s.respondent] = pl.concat(id_columns).rank("dense").fill_null(0).cast(pl.Int64).to_numpy()
    return SurveyData(s, source, tuple(files), responses)


def _load_complaints(c: _Collector, root: Path, path: Path) -> tuple[pd.DataFrame, DataFile | None]:
    rel = relpath(path, root)
    raw = _read_csv(c, root, path)
    if raw is None:
        return pd.DataFrame(), None
    missing = [col for col in COMPLAINT_COLUMNS if col not in raw.columns]
    for col in missing:
        c.add(rel, 1, col, f"expected a column named {col!r}, got none")
    if missing:
        return pd.DataFrame(), None
    out = pd.DataFrame(index=raw.index)
    for col in ("complaint_id", "customer_id", "category", "severity"):
        _bad_rows(c, rel, col, raw[col].isna().to_numpy(), raw[col], "expected a value")
        out[col] = raw[col]
    for col in ("received", "acknowledged", "resolved"):
        parsed = pd.to_datetime(raw[col], format="%Y-%m-%d", errors="coerce")
        bad = raw[col].notna().to_numpy() & parsed.isna().to_numpy()
        if col == "received":
            bad |= raw[col].isna().to_numpy()
        _bad_rows(c, rel, col, bad, raw[col], "expected a date YYYY-MM-DD")
        out[col] = parsed
    for col in ("acknowledged", "resolved"):
        early = (out[col] < out["received"]).to_numpy()
        _bad_rows(c, rel, col, early, raw[col], "expected a date on or after received")
    for col in ("region", "customer_type", "product", "channel", "corrective_action", "status"):
        if col in raw.columns:
            out[col] = raw[col]
    dup = out["complaint_id"].duplicated().to_numpy()
    _bad_rows(c, rel, "complaint_id", dup, raw["complaint_id"], "expected a unique complaint id")
    return out, DataFile(rel, _sha256(path), len(raw))


def load_survey_standalone(instrument: Path, data: list[Path], root: Path) -> SurveyData:
    """Load one survey instrument and its data files (default: ``data/surveys/<id>/*.csv`` beside it)."""
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
        data = sorted((base / "data" / "surveys" / survey.id).glob("*.csv"))
        if not data:
            raise QmdocError(Problem(doc.path, doc.line_of(("id",)), "id",
                                     f"expected survey data in data/surveys/{survey.id}/*.csv, got no file"))
    for path in data:
        if not path.is_file():
            c.add(relpath(path, root), 0, "", "expected a CSV file, got none")
    if c.problems:
        raise QmdocError(c.problems)
    loaded = load_survey_files(c, root, survey, doc.path, list(data))
    if c.problems or loaded is None:
        raise QmdocError(c.problems)
    return loaded
