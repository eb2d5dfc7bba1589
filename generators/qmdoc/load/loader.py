"""Everything under a project's root, loaded in the order its problems are reported."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..errors import QmdocError
from ..gitrepo import source_date
from ..models import Objectives, Organization, Procedure, QualityPolicy, Survey
from ..project import Project, SurveyData
from ..yamlfile import YamlDoc, relpath
from .collector import _Collector
from .complaints import load_complaints_log
from .customers import load_customer_list
from .files import LOGO_SUFFIXES, _safe_path, inside_repository
from .policy import _declared, check_documents, check_objectives, check_related, complaints_procedure, natural_key
from .store import Kept, survey_inputs
from .survey.check import check_survey_data
from .survey.instrument import _check_survey
from .survey.read import survey_files
from .survey.responses import _load_survey_data


def load_project(root: Path, as_of: dt.date | None = None, kept: Kept | None = None) -> Project:
    """Load and validate everything under ``root``; raise ``QmdocError`` with all problems.

    ``as_of``: the date the manual is built as of (default: :func:`~qmdoc.gitrepo.source_date`);
    nothing in the data may lie after it. ``kept``: what earlier builds stored (see
    :class:`~qmdoc.load.store.Kept`): policy files parsed before are not parsed again, and a
    survey whose instrument and data folder are as they were when its figures were stored is not
    read (its ``responses`` are None): those inputs passed every check then, and the checks are the
    same code (it is part of the stored figures' key). Any input that changed is read and checked.
    """
    root = Path(root)
    if as_of is None:
        as_of = source_date(root).when.date()
    c = _Collector(root, kept.parsed if kept is not None else None)
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
    procedures = _read_procedures(c, policy_dir, broken_documents)
    surveys = _read_surveys(c, policy_dir, broken_documents, broken_surveys)
    sources = check_documents(c, docs, organization, policy, objectives, procedures, surveys)
    check_related(c, procedures, sources, broken_documents)
    complaints_proc = complaints_procedure(c, docs, organization, procedures, broken_documents)

    survey_data: list[SurveyData] = []
    for survey, doc, consistent in surveys:
        loaded = _survey_data(c, root, survey, doc, kept) if consistent else None
        if loaded is not None:
            survey_data.append(loaded)

    complaints = pd.DataFrame()
    complaints_file = None
    if organization:
        complaints, complaints_file = load_complaints_log(c, root, docs, organization, complaints_proc, as_of)

    customers, customers_file = (load_customer_list(c, root, docs["organization"], organization, as_of)
                                 if organization else (None, None))
    logo = _logo(c, root, docs, organization)
    _check_docs_folder(c, root)

    if objectives:
        check_objectives(c, docs, objectives, organization, complaints_proc, surveys, broken_documents, broken_surveys)

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
        customers=customers,
        customers_file=customers_file,
    )


def _survey_data(c: _Collector, root: Path, survey: Survey, doc: YamlDoc, kept: Kept | None) -> SurveyData | None:
    """A survey's responses read and checked; with ``kept``, not read when earlier figures of exactly these
    inputs are stored (see :func:`load_project`)."""
    key = None
    if kept is not None:
        key = survey_inputs(root, survey, doc, survey_files(root / "data" / "surveys" / survey.id, survey))
        found = kept.recall(key) if key is not None else None
        if found is not None:
            return SurveyData(survey, doc.path, found.files, None, found.excluded, key)
    loaded = _load_survey_data(c, root, survey, doc)
    if loaded is not None:
        check_survey_data(c, loaded, doc)
    return replace(loaded, key=key) if loaded is not None and key is not None else loaded


def _read_procedures(c: _Collector, policy_dir: Path, broken_documents: set[str]) -> list[tuple[Procedure, YamlDoc]]:
    """policy/procedures/*.yml, each valid one with its file; the ids of invalid ones go to ``broken_documents``."""
    procedures: list[tuple[Procedure, YamlDoc]] = []
    for path in sorted((policy_dir / "procedures").glob("*.yml")):
        doc = c.yaml(path)
        proc = c.model(Procedure, doc)
        if proc is not None:
            procedures.append((proc, doc))
        else:
            broken_documents.add(_declared(doc, "document", "id"))
    return procedures


def _read_surveys(c: _Collector, policy_dir: Path, broken_documents: set[str],
                  broken_surveys: set[str]) -> list[tuple[Survey, YamlDoc, bool]]:
    """policy/surveys/*.yml, each valid one with its file and whether it is consistent; the ids of invalid
    ones go to ``broken_documents`` and ``broken_surveys``."""
    surveys: list[tuple[Survey, YamlDoc, bool]] = []
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
    return surveys


def _logo(c: _Collector, root: Path, docs: dict[str, YamlDoc | None], organization: Organization | None) -> Path | None:
    """The organization's logo, checked to be an image file inside the repository."""
    logo = None
    if organization and organization.logo:
        logo = _safe_path(c, root, organization.logo, docs["organization"], ("logo",), LOGO_SUFFIXES)
        if logo is not None and not logo.is_file():
            c.add(docs["organization"].path, docs["organization"].line_of(("logo",)), "logo",
                  f"expected an image file, got {organization.logo!r} (no such file)")
            logo = None
    return logo


def _check_docs_folder(c: _Collector, root: Path) -> None:
    """The hand-written pages under docs/: no link to a file outside the repository."""
    docs_dir = root / "docs"
    for path in sorted(docs_dir.rglob("*")) if docs_dir.is_dir() else ():
        if not inside_repository(root, path):
            c.add(relpath(path, root), 0, "", "expected a file inside the repository, got a link to a file outside it")
