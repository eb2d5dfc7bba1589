"""Load stage: read the policy YAML and data CSV of a project into validated models.

This is one of the three places that touch the disk (with ``site`` and ``pdf``).
Every problem in every file is collected before failing.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..clauses import is_clause
from .csv import (CsvFile, describe_answer, describe_date, describe_hidden, parse_polars, read_csv_file, read_pandas,
                      read_polars)
from ..errors import Problem, QmdocError, describe
from .exports import convert_complaints, convert_survey, needs_conversion, wave_column
from ..gitrepo import source_date
from ..models import COMPLAINT_FIELDS, DocumentControl, Objectives, Organization, Procedure, QualityPolicy, Survey
from ..validate import validate_model
from ..yamlfile import YamlDoc, load_yaml, relpath

MAX_PROBLEMS_PER_COLUMN = 5
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp")

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
    # rows screened out (source.include, source.screen) per wave and reason; {} when the survey screens nothing
    excluded: dict[str, dict[str, int]] = field(default_factory=dict)


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
    logo: Path | None = None  # the organization's logo, checked to lie inside the repository

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


def load_project(root: Path, as_of: dt.date | None = None) -> Project:
    """Load and validate everything under ``root``; raise ``QmdocError`` with all problems.

    ``as_of``: the date the manual is built as of (default: :func:`~qmdoc.gitrepo.source_date`);
    nothing in the data may lie after it.
    """
    root = Path(root)
    if as_of is None:
        as_of = source_date(root).when.date()
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

    # ids that invalid files still declare: what refers to them is not blamed for their mistake
    broken_documents: set[str] = set()
    broken_surveys: set[str] = set()
    procedures: list[tuple[Procedure, YamlDoc]] = []
    for path in sorted((policy_dir / "procedures").glob("*.yml")):
        doc = c.yaml(path)
        proc = c.model(Procedure, doc)
        if proc is not None:
            procedures.append((proc, doc))
        else:
            broken_documents.add(_declared(doc, "document", "id"))

    surveys: list[tuple[Survey, YamlDoc]] = []
    for path in sorted((policy_dir / "surveys").glob("*.yml")):
        doc = c.yaml(path)
        survey = c.model(Survey, doc)
        if survey is None:
            broken_documents.add(_declared(doc, "document", "id"))
            broken_surveys.add(_declared(doc, "id"))
        else:
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
            if ref == proc.document.id:
                c.add(doc.path, doc.line_of(("related", i)), f"related[{i}]",
                      f"expected the id of another document, got this procedure's own id {ref!r}")
            elif ref not in sources and ref not in broken_documents:
                c.add(doc.path, doc.line_of(("related", i)), f"related[{i}]",
                      f"expected the id of a document, got {ref!r}")

    complaints_proc = None
    if organization and organization.complaints_procedure in broken_documents:
        pass  # the complaints procedure's own file is invalid and reported: no echo here
    elif organization and organization.complaints_procedure:
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
            check_survey_data(c, loaded, doc)
        if loaded is not None:
            survey_data.append(loaded)

    complaints = pd.DataFrame()
    complaints_file = None
    if organization:
        log_loc = ("complaints_log",) if isinstance(organization.complaints_log, str) else ("complaints_log", "path")
        log = _safe_path(c, root, organization.complaints_log_path, docs["organization"], log_loc)
        if not isinstance(organization.complaints_log, str) and not _known_encoding(organization.complaints_log.encoding):
            c.add(docs["organization"].path, docs["organization"].line_of(("complaints_log", "encoding")),
                  "complaints_log.encoding", f"expected auto or the name of an encoding (utf-8, gb18030, gbk, "
                  f"cp1252, ...), got {organization.complaints_log.encoding!r}")
            log = None
        if log is not None and log.is_file():
            complaints, complaints_file = _load_complaints(c, root, log, organization, as_of)
        elif log is not None and complaints_proc is not None:
            c.add(relpath(log, root), 0, "", "expected the complaints log named by complaints_log, got no file")

    logo = None
    if organization and organization.logo:
        logo = _safe_path(c, root, organization.logo, docs["organization"], ("logo",), LOGO_SUFFIXES)
        if logo is not None and not logo.is_file():
            c.add(docs["organization"].path, docs["organization"].line_of(("logo",)), "logo",
                  f"expected an image file, got {organization.logo!r} (no such file)")
            logo = None
    docs_dir = root / "docs"
    for path in sorted(docs_dir.rglob("*")) if docs_dir.is_dir() else ():
        if not inside_repository(root, path):
            c.add(relpath(path, root), 0, "", "expected a file inside the repository, got a link to a file outside it")

    if objectives:
        # when organization.yml itself is invalid, don't cascade into complaints metrics
        complaints_known = (complaints_proc is not None or organization is None
                            or organization.complaints_procedure in broken_documents)
        metrics = known_metrics([s for s, _, _ in surveys], complaints_known)
        for i, obj in enumerate(objectives.objectives):
            if obj.metric.partition(".")[0] in broken_surveys:
                continue  # the survey's own file is invalid and reported
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
        logo=logo,
    )


def _declared(doc: YamlDoc | None, *keys: str) -> str | None:
    """What an invalid file declares at ``keys`` (e.g. its document id), when it is plain text."""
    data = doc.data if doc is not None else None
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data.strip() if isinstance(data, str) else None


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
    if d.review_due and d.approval_date and d.review_due < d.approval_date:
        c.add(doc.path, doc.line_of((*loc, "review_due")), f"{name}.review_due",
              f"expected a date on or after the approval date {d.approval_date}, got {d.review_due}")
    if d.review_due and d.effective_date and d.review_due < d.effective_date:
        c.add(doc.path, doc.line_of((*loc, "review_due")), f"{name}.review_due",
              f"expected a date on or after the effective date {d.effective_date}, got {d.review_due}")
    seen: dict[str, int] = {}
    for i, r in enumerate(d.revisions):
        if r.revision in seen:
            c.add(doc.path, doc.line_of((*loc, "revisions", i, "revision")), f"{name}.revisions[{i}].revision",
                  f"expected each revision once, got {r.revision!r} again (first at revisions[{seen[r.revision]}])")
        seen.setdefault(r.revision, i)
        if i and r.date < d.revisions[i - 1].date:
            c.add(doc.path, doc.line_of((*loc, "revisions", i, "date")), f"{name}.revisions[{i}].date",
                  f"expected revisions oldest first, got {r.date} after {d.revisions[i - 1].date}")
    if d.superseded_by is not None and d.superseded_by == d.id:
        c.add(doc.path, doc.line_of((*loc, "superseded_by")), f"{name}.superseded_by",
              f"expected the id of another document, got this document's own id {d.id!r}")


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
    for d_i, dim in enumerate(s.dimensions):
        given = [i_i for i_i, item in enumerate(dim.items) if item.weight is not None]
        if given and len(given) != len(dim.items):
            first = next(i_i for i_i, item in enumerate(dim.items) if item.weight is None)
            c.add(doc.path, doc.line_of(("dimensions", d_i, "items", first)), f"dimensions[{d_i}].items[{first}].weight",
                  f"expected a weight on every item of dimension {dim.id!r} or on none, "
                  f"got weights on {len(given)} of {len(dim.items)}")
    weights = [d.weight for d in s.dimensions]
    if any(w is None for w in weights) and any(w is not None for w in weights):
        first = weights.index(None)
        c.add(doc.path, doc.line_of(("dimensions", first)), f"dimensions[{first}].weight",
              f"expected a weight on every dimension or on none, got weights on "
              f"{sum(w is not None for w in weights)} of {len(weights)}")
    # a not-applicable code means "not applicable" on the items whose scale it lies outside (0 on a 1..5
    # item) and is an answer on the others (0 on a 0..10 item): one inside every scale means nothing
    for n_i, code in enumerate(s.not_applicable):
        if all(s.item_scale(i).min <= code <= s.item_scale(i).max for i in s.all_items()):
            c.add(doc.path, doc.line_of(("not_applicable", n_i)), f"not_applicable[{n_i}]",
                  f"expected a code outside the scale of some item (inside every scale it is always an answer), "
                  f"got {code}")
    if s.importance == "stated" and weights and all(w is not None for w in weights) and sum(weights) <= 0:
        c.add(doc.path, doc.line_of(("dimensions",)), "dimensions", "expected weights that sum to more than 0, got 0")
    if s.importance in ("derived", "drivers") and not s.overall:
        c.add(doc.path, doc.line_of(("importance",)), "importance",
              f"expected an overall item (key overall) for {s.importance} importance, got none")
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
    if s.internal is not None and s.internal.supplier == s.internal.customer:
        c.add(doc.path, doc.line_of(("internal", "customer")), "internal.customer",
              f"expected a column other than the supplier column, got {s.internal.customer!r} for both")
    if s.model:
        _check_model(c, s, doc, dims)
    _check_source(c, s, doc)


def _known_encoding(name: str) -> bool:
    """auto, or a codec Python can decode with."""
    if name.lower() == "auto":
        return True
    try:
        return codecs.lookup(name)._is_text_encoding
    except LookupError:
        return False


def _check_source(c: _Collector, s: Survey, doc: YamlDoc) -> None:
    """The source block and column mapping: what the export reader needs to know before reading."""
    src = s.source
    if not _known_encoding(src.encoding):
        c.add(doc.path, doc.line_of(("source", "encoding")), "source.encoding",
              f"expected auto or the name of an encoding (utf-8, gb18030, gbk, cp1252, ...), got {src.encoding!r}")
    if s.wave and src.wave is not None:
        c.add(doc.path, doc.line_of(("source", "wave")), "source.wave",
              f"expected wave: or source.wave:, got both (wave: {s.wave})")
    screen = src.screen
    if screen is not None and (screen.min_seconds or screen.min_share) and not screen.duration:
        c.add(doc.path, doc.line_of(("source", "screen")), "source.screen.duration",
              "expected the column with the time taken (duration:) for min_seconds or min_share, got none")
    if screen is not None and screen.duration and not (screen.min_seconds or screen.min_share):
        c.add(doc.path, doc.line_of(("source", "screen")), "source.screen.min_seconds",
              "expected min_seconds or min_share with duration:, got neither")
    seen: dict[str, int] = {}
    for k, sid in enumerate(s.segment_ids()):
        if sid in seen:
            c.add(doc.path, doc.line_of(("segments", k)), f"segments[{k}]",
                  f"expected unique segment ids, got {sid!r} again (first at segments[{seen[sid]}])")
        seen.setdefault(sid, k)


def check_complaints(c: _Collector, log: pd.DataFrame, src: CsvFile, org: Organization, as_of: dt.date,
                     titles: dict[str, str] | None = None) -> None:
    """The complaints log's values against the organization's rules: known severities, no date after
    today (a date in the future is a typing error). ``titles``: the log's column title of a field, when mapped."""
    titles = titles or {}
    known = org.severities()
    if "severity" in log:
        unknown = log["severity"].notna().to_numpy() & ~log["severity"].isin(known).to_numpy()
        listed = ", ".join(known)
        _report_rows(c, src, titles.get("severity", "severity"), unknown,
                     f"expected one of the complaint severities ({listed}; complaint_severities in organization.yml)")
    # the build date is the last commit's: a complaint logged since, not yet committed, is no mistake
    latest = max(as_of, dt.date.today())
    limit = pd.Timestamp(latest) + pd.Timedelta(days=1)
    for col in ("received", "acknowledged", "resolved"):
        late = (log[col] >= limit).to_numpy()
        _report_rows(c, src, titles.get(col, col), late,
                     f"expected a date on or before today ({latest}), got a later one")


def _report_rows(c: _Collector, src: CsvFile, column: str, mask: np.ndarray, expected: str) -> None:
    """Report the rows of ``mask`` (0-based, below the header) by their line, without their values."""
    rows = np.flatnonzero(mask)
    for r in rows[:MAX_PROBLEMS_PER_COLUMN]:
        line, sheet = src.where(int(r))
        c.add(src.rel, line, column, expected + sheet)
    if len(rows) > MAX_PROBLEMS_PER_COLUMN:
        c.add(src.rel, src.where(int(rows[MAX_PROBLEMS_PER_COLUMN]))[0], column,
              f"{len(rows) - MAX_PROBLEMS_PER_COLUMN} more values like these (not listed)")


def rated_columns(s: Survey) -> list[str]:
    """The columns naming what a row rates: the company (competitors) or supplier and customer (internal)."""
    if s.competitors:
        return [s.competitors.column]
    return [s.internal.supplier, s.internal.customer] if s.internal else []


def check_survey_data(c: _Collector, data: SurveyData, doc: YamlDoc) -> None:
    """What the instrument requires of its responses as a whole: the rows that rate us exist
    (competitor ratings need our own figures)."""
    s, frame = data.survey, data.responses
    if s.competitors and len(frame) and not (frame[s.competitors.column] == s.competitors.us).any():
        c.add(doc.path, doc.line_of(("competitors", "us")), "competitors.us",
              f"expected rows whose {s.competitors.column} is {s.competitors.us!r} in the data files "
              f"({', '.join(f.path for f in data.files)}), got none")


def _check_model(c: _Collector, s: Survey, doc: YamlDoc, dims: list[str]) -> None:
    """The structural model's paths: between dimensions, each once, no loops (what PLS estimation requires)."""
    seen: dict[tuple[str, str], int] = {}
    graph: dict[str, list[str]] = {}
    for p_i, (source, target) in enumerate(s.model.paths):
        where = (doc.path, doc.line_of(("model", "paths", p_i)), f"model.paths[{p_i}]")
        unknown = [end for end in (source, target) if end not in dims]
        for end in unknown:
            c.add(*where, f"expected dimension ids, got {end!r}")
        if unknown:
            continue
        if source == target:
            c.add(*where, f"expected a path between two dimensions, got {source!r} to itself")
        elif (source, target) in seen:
            c.add(*where, f"expected each path once, got {source} -> {target} again "
                          f"(first at model.paths[{seen[(source, target)]}])")
        else:
            seen[(source, target)] = p_i
            graph.setdefault(source, []).append(target)
    cycle = _find_cycle(graph)
    if cycle:
        c.add(doc.path, doc.line_of(("model", "paths")), "model.paths",
              f"expected paths without a loop (a recursive model cannot be estimated), got {' -> '.join(cycle)}")
    target = s.model.target
    if target is not None and target not in {t for _, t in s.model.paths}:
        c.add(doc.path, doc.line_of(("model", "target")), "model.target",
              f"expected a dimension that a path leads to (the target of the importance-performance map), "
              f"got {target!r}")


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle of a directed graph as a closed list of nodes, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in graph:
        if start not in state and (found := visit(start)):
            return found
    return None


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


def _bad_rows(c: _Collector, src: CsvFile, column: str, mask: np.ndarray, values, expected: str,  # noqa: ANN001
              show=describe_answer) -> None:  # noqa: ANN001
    """Report the rows of ``mask`` (0-based, below the header) by their line, with their value as ``show`` quotes it.

    ``show``: :func:`csvread.describe_answer` (the default: answers, shown when they look like one),
    :func:`csvread.describe_date` or, for a column that is not published, :func:`csvread.describe_hidden`.
    """
    rows = np.flatnonzero(mask)
    for r in rows[:MAX_PROBLEMS_PER_COLUMN]:
        value = values.iloc[r] if isinstance(values, pd.Series) else values[int(r)]
        line, sheet = src.where(int(r))
        c.add(src.rel, line, column, f"{expected}, got {show(value)}{sheet}")
    if len(rows) > MAX_PROBLEMS_PER_COLUMN:
        c.add(src.rel, src.where(int(rows[MAX_PROBLEMS_PER_COLUMN]))[0], column,
              f"{len(rows) - MAX_PROBLEMS_PER_COLUMN} more values like these (not listed)")


def _load_survey_data(c: _Collector, root: Path, s: Survey, doc: YamlDoc) -> SurveyData | None:
    paths = survey_files(root / "data" / "surveys" / s.id, s)
    for path in paths:
        if not inside_repository(root, path):
            c.add(relpath(path, root), 0, "", "expected a file inside the repository, got a link to a file outside it")
    paths = [p for p in paths if inside_repository(root, p)]
    if not paths:  # a new survey: valid, with no waves until its first data file arrives
        return SurveyData(s, doc.path, (), _no_responses(s))
    return load_survey_files(c, root, s, doc.path, paths)


def survey_files(folder: Path, s: Survey) -> list[Path]:
    """A survey's data files: those of its folder that match source.files (Excel's lock files aside)."""
    found = {p for pattern in s.source.files for p in folder.glob(pattern)
             if not p.name.startswith("~$")}
    return sorted(found)


def _no_responses(s: Survey) -> pd.DataFrame:
    """The responses frame of a survey without data files: the columns of :func:`load_survey_files`, no rows."""
    columns: dict[str, object] = {"wave": pd.Categorical([])}
    columns.update({col: pd.Categorical([]) for col in survey_text_columns(s)
                    if col not in (s.respondent, wave_column(s))})
    columns.update({item.id: np.zeros(0) for item in s.all_items()})
    columns[s.respondent] = np.zeros(0, dtype=np.int64)
    return pd.DataFrame(columns)


def survey_text_columns(s: Survey) -> list[str]:
    """The non-item columns a survey's data files must have."""
    wave = wave_column(s)
    cols = [s.respondent, *([wave] if wave else []), *s.segment_ids()]
    if s.internal:
        cols += [s.internal.supplier, s.internal.customer]
    if s.competitors:
        cols.append(s.competitors.column)
    return list(dict.fromkeys(cols))


def _codes(codes: np.ndarray, levels: list[str]) -> pd.Categorical:
    """A Categorical from integer codes (-1 = missing) into ``levels`` (sorted, as polars computed them)."""
    return pd.Categorical.from_codes(codes, categories=levels, validate=False)


def load_survey_files(
    c: _Collector, root: Path, s: Survey, source: str, paths: list[Path], *, checksums: bool = True,
) -> SurveyData | None:
    """Read and check a survey's data files into one responses frame.

    The frame has a ``wave`` column, the text columns as categoricals, the
    respondent column as an integer key (equal ids, equal keys: ids are never
    published, only compared), and one float column per item with blanks and
    not-applicable codes as NaN.

    ``checksums=False`` skips the SHA-256 of each file (``DataFile.sha256`` is
    then None): it is only for the manual's provenance page, and reading the
    whole file again costs as much as a fifth of loading it.

    Each file takes two passes of polars expressions (run in parallel over the
    columns): the checks and the sorted levels of the text columns, then the
    cleaned items, the category codes and the respondent key. The items come
    out as one column-major float matrix (from 16-bit integers: converted by
    numpy, two columns at a time) that the frame uses without a copy.
    """
    import polars as pl

    frames = []
    files = []
    id_columns = []
    items = s.all_items()
    item_ids = [i.id for i in items]
    text_cols = survey_text_columns(s)
    wave_col = wave_column(s)
    categorical = [col for col in text_cols if col not in (s.respondent, wave_col)]
    excluded: dict[str, dict[str, int]] = {}
    na_codes = [float(x) for x in sorted(set(s.not_applicable))]
    code_list = ", ".join(f"{x:g}" for x in na_codes)
    codes_text = f" or {code_list} (not applicable)" if na_codes else ""
    single = len(paths) == 1
    # 16-bit integer answers (see csvread.parse_polars) when every scale fits, with one code left for "none":
    # an answer that is blank, out of scale or not applicable
    none16 = -(2**15)
    integers = all(none16 < s.item_scale(i).min and s.item_scale(i).max < 2**15 for i in items)
    for path in paths:
        rel = relpath(path, root)
        required = list(dict.fromkeys([*text_cols, *item_ids]))
        if needs_conversion(s, path):  # an export as the platform wrote it: converted to the plain table first
            converted = convert_survey(path, rel, s, c.problems, checksums)
            if converted is None:
                continue
            src, counts = converted
            for wave, by_reason in counts.items():
                into = excluded.setdefault(wave, dict.fromkeys(by_reason, 0))
                for reason, k in by_reason.items():
                    into[reason] += k
        else:
            src = read_csv_file(path, rel, c.problems, checksum=checksums,
                                parse=lambda data, header: parse_polars(data, header, required, item_ids, integers))
        if src is None:
            continue
        missing = [col for col in required if col not in src.header]
        for col in missing:
            c.add(rel, src.header_line, col, f"expected a column named {col!r}, got none")
        if not src.rows:
            c.add(rel, src.header_line, "", "expected rows of responses below the header, got none")
        if missing or not src.rows:
            continue
        read = read_polars(src, required, item_ids, integers, c.problems)
        src = src.parsed_away()  # the file's bytes and first parse: not kept beside the frame
        if read is None:
            continue
        raw, kind = read
        del read

        # pass 1: the checks (blank wave or id, invalid item values) and the levels of the text columns
        bad = {}
        numeric = {}
        for item in items:
            sc = s.item_scale(item)
            num = pl.col(item.id) if kind != "text" else pl.col(item.id).cast(pl.Float64, strict=False)
            if sc.max - sc.min <= 1000 and kind == "int":  # valid: a whole number on the scale or an N/A code
                allowed = sorted(set(range(sc.min, sc.max + 1)) | {int(x) for x in na_codes if -(2**15) <= x < 2**15})
                ok = num.is_in(pl.lit(allowed, dtype=pl.List(pl.Int16)))
            elif sc.max - sc.min <= 1000:
                allowed = sorted({float(v) for v in range(sc.min, sc.max + 1)} | set(na_codes))
                ok = num.is_in(pl.lit(allowed, dtype=pl.List(pl.Float64)))
            else:
                num = num.cast(pl.Float64)
                na = num.is_in(pl.lit(na_codes, dtype=pl.List(pl.Float64)))
                ok = (num.round(0) == num) & (num.is_between(sc.min, sc.max) | na)
            bad[item.id] = (pl.col(item.id).is_not_null() & ~ok.fill_null(False)).alias(item.id)
            # not-applicable codes (outside the item's scale) are missing, never zero: NaN in the matrix
            # (integers: the code none16 for numpy to turn into NaN; floats: NaN, not null, so that the
            # matrix comes out of polars by plain copies)
            if kind == "int":
                inside, none = pl.col(item.id).is_between(sc.min, sc.max), pl.lit(none16, dtype=pl.Int16)
                numeric[item.id] = pl.when(inside).then(pl.col(item.id)).otherwise(none).alias(item.id)
            else:
                num = pl.col(item.id) if kind == "float" else pl.col(item.id).cast(pl.Float64, strict=False)
                numeric[item.id] = pl.when(num.is_between(sc.min, sc.max)).then(num).otherwise(float("nan")).alias(item.id)
        checks = [pl.col(s.respondent).null_count().alias("\0id")]
        if wave_col:
            checks.append(pl.col(wave_col).null_count().alias("\0wave"))
        checks += [e.sum().alias(f"\0bad{j}") for j, e in enumerate(bad.values())]
        level_cols = list(dict.fromkeys([*([wave_col] if wave_col else []), *categorical]))
        checks += [pl.col(col).drop_nulls().unique().sort().implode().alias(f"\0levels{j}")
                   for j, col in enumerate(level_cols)]
        found = raw.select(checks).row(0)
        null_ids = found[0]
        null_waves = found[1] if wave_col else 0
        counts = found[2 if wave_col else 1 : len(found) - len(level_cols)]
        levels = dict(zip(level_cols, found[len(found) - len(level_cols):]))

        if null_waves:
            waves = raw[wave_col]
            _bad_rows(c, src, wave_col, waves.is_null().to_numpy(), waves, "expected a wave label")
        if null_ids:
            ids = raw[s.respondent]
            _bad_rows(c, src, s.respondent, ids.is_null().to_numpy(), ids, "expected a respondent id")
        for col in rated_columns(s):  # what each row rates: a competitor's name or a supplying department
            blank = raw[col].is_null().to_numpy()
            if blank.any():
                _bad_rows(c, src, col, blank, raw[col], "expected the name of the company or department rated",
                          describe_hidden)
        for item, count in zip(items, counts):
            if count:
                sc = s.item_scale(item)
                mask = raw.select(bad[item.id]).to_series().to_numpy()
                values = raw[item.id].cast(pl.Float64) if kind == "int" else raw[item.id]  # shown as read as floats
                expected = f"expected a whole number from {sc.min} to {sc.max}{codes_text}"
                _bad_rows(c, src, item.id, mask, values, expected)

        # pass 2: the cleaned items, the category codes and (one file) the respondent key
        code_exprs = []
        for j, col in enumerate(level_cols):
            phys = pl.col(col).cast(pl.Enum(levels[col])).to_physical()
            phys = phys.cast(pl.Int16 if len(levels[col]) < 2**15 else pl.Int32)
            code_exprs.append(phys.fill_null(-1).alias(f"\0code{j}"))
        key = []
        if single:
            key = [pl.col(s.respondent).rank("dense").fill_null(0).cast(pl.Int64).alias("\0key")]
        done = raw.select([*numeric.values(), *code_exprs, *key])
        ids = None if single else raw[s.respondent]
        del raw
        if kind == "int":
            matrix = np.empty((done.height, len(item_ids)), dtype=np.float64, order="F")

            def to_float(j: int) -> None:
                answers = done[item_ids[j]].to_numpy()
                np.copyto(matrix[:, j], answers)
                np.copyto(matrix[:, j], np.nan, where=answers == none16)

            if done.height >= 100_000:  # numpy lets go of the interpreter lock: two columns at a time
                from concurrent.futures import ThreadPoolExecutor

                with ThreadPoolExecutor(max_workers=2) as pool:
                    list(pool.map(to_float, range(len(item_ids))))
            else:
                for j in range(len(item_ids)):
                    to_float(j)
        else:
            matrix = done.select(item_ids).to_numpy(order="fortran", writable=True).astype(float, copy=False)
        cats = {col: _codes(done[f"\0code{j}"].to_numpy(), levels[col]) for j, col in enumerate(level_cols)}
        out: dict[str, object] = {}
        if wave_col:
            out["wave"] = cats[wave_col]
        else:
            out["wave"] = pd.Categorical.from_codes(np.zeros(done.height, dtype=np.int8), categories=[path.stem])
        for col in categorical:
            out[col] = cats[col]
        id_columns.append(done["\0key"].to_numpy() if single else ids)
        if set(out).isdisjoint(item_ids):
            # the item matrix is the frame's float block as it is (column-major: one column after the other)
            frame = pd.DataFrame(matrix, columns=item_ids, copy=False)
            for pos, (name, values) in enumerate(out.items()):
                frame.insert(pos, name, values)
        else:  # an item named like a text column (or "wave"): the item replaces it, as a dict does
            out.update({iid: matrix[:, j] for j, iid in enumerate(item_ids)})
            frame = pd.DataFrame(out)
        frames.append(frame)
        files.append(DataFile(rel, src.sha256, done.height))
    if not frames or len(frames) != len(paths):
        return None
    responses = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    for col in text_cols:
        if col != s.respondent and not isinstance(responses[col].dtype, pd.CategoricalDtype):
            responses[col] = responses[col].astype("category")  # categories differed between files
    if single:
        responses[s.respondent] = id_columns[0]
    else:
        responses[s.respondent] = pl.concat(id_columns).rank("dense").fill_null(0).cast(pl.Int64).to_numpy()
    return SurveyData(s, source, tuple(files), responses, excluded)


def _load_complaints(c: _Collector, root: Path, path: Path, org: Organization,
                     as_of: dt.date) -> tuple[pd.DataFrame, DataFile | None]:
    rel = relpath(path, root)
    log = org.complaints_log
    titles: dict[str, str] = {}  # our field -> the log's column title (a mapped log)
    if isinstance(log, str):
        src = read_csv_file(path, rel, c.problems)
        required = COMPLAINT_COLUMNS
        date_expected = "expected a date YYYY-MM-DD"
    else:
        converted = convert_complaints(path, rel, log, c.problems, list(COMPLAINT_FIELDS))
        src = None if converted is None else converted[0]
        titles = {("customer_id" if f == "customer" else f): getattr(log.columns, f) for f in COMPLAINT_FIELDS
                  if getattr(log.columns, f) is not None}
        required = [f for f in COMPLAINT_COLUMNS if f in titles]
        date_expected = "expected a date"
    raw = read_pandas(src, c.problems) if src is not None else None
    if raw is None:
        return pd.DataFrame(), None
    raw = raw.rename(columns={"customer": "customer_id"})
    missing = [col for col in required if col not in raw.columns]
    for col in missing:
        c.add(rel, src.header_line, col, f"expected a column named {col!r}, got none")
    if missing:
        return pd.DataFrame(), None
    out = pd.DataFrame(index=raw.index)
    for col in ("complaint_id", "customer_id", "category", "severity"):
        if col in required:
            _bad_rows(c, src, titles.get(col, col), raw[col].isna().to_numpy(), raw[col], "expected a value",
                      describe_hidden)
            out[col] = raw[col]
    for col in ("received", "acknowledged", "resolved"):
        parsed = pd.to_datetime(raw[col], format="%Y-%m-%d", errors="coerce")
        bad = raw[col].notna().to_numpy() & parsed.isna().to_numpy()
        if col == "received":
            bad |= raw[col].isna().to_numpy()
        _bad_rows(c, src, titles.get(col, col), bad, raw[col], date_expected, describe_date)
        out[col] = parsed
    for col in ("acknowledged", "resolved"):
        early = (out[col] < out["received"]).to_numpy()
        _bad_rows(c, src, titles.get(col, col), early, raw[col], "expected a date on or after received",
                  describe_date)
    for col in ("region", "customer_type", "product", "channel", "corrective_action", "status"):
        if col in raw.columns:
            out[col] = raw[col]
    # a repeated id is named by the line where it first occurs, never by its value
    ids = out["complaint_id"]
    dup = (ids.duplicated() & ids.notna()).to_numpy()
    first = pd.Series(np.arange(len(ids)), index=ids.index).groupby(ids, sort=False).transform("min").to_numpy()
    for n, r in enumerate(np.flatnonzero(dup)):
        line, sheet = src.where(int(r))
        if n == MAX_PROBLEMS_PER_COLUMN:
            c.add(rel, line, "complaint_id", f"{int(dup.sum()) - n} more values like these (not listed)")
            break
        c.add(rel, line, "complaint_id",
              f"expected a unique complaint id, got the id of line {src.where(int(first[r]))[0]} again{sheet}")
    check_complaints(c, out, src, org, as_of, titles)
    return out, DataFile(rel, src.sha256, len(raw))


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
