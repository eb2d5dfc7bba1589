"""The build: a fixed list of stages. Gather everything first, write afterwards.

load -> validate -> compute -> chart/render -> write generated docs -> site -> pdf -> swap

The output folder is replaced only when every stage succeeded: a failed build
leaves the previous site and PDF untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import buildcache, charts, pdf, site, stagecache
from .compute.control import ControlResults, clause_matrix, release_problems
from .compute.manual import FiguresMemo, ManualResults, compute_manual
from .compute.review import review_pack
from .gitrepo import Git, SourceDate, source_date
from .history import collect_changes, collect_histories
from .errors import QmdocError
from .i18n import Catalogue, catalogue
from .load import load_project
from .manual_charts import draw_manual_charts
from .project import Project
from .pages import BuildInfo, render_manual
from .render import Rendered, make_environment

PDF_NAME = buildcache.PDF_NAME
GENERATED = buildcache.GENERATED  # the folder the generator owns
STAGE_CACHE = ".stage-cache"  # inside it: stage results kept between builds (see qmdoc.stagecache)


@dataclass(frozen=True)
class Manual:
    project: Project
    results: ManualResults
    rendered: Rendered
    t: Catalogue
    source: SourceDate
    commit: str | None
    release: str | None = None

    @property
    def build_time(self) -> dt.datetime:
        return self.source.when

    @property
    def build_date(self) -> dt.date:
        return self.source.when.date()

    @property
    def under_version_control(self) -> bool:
        return self.commit is not None


def git_commit(root: Path) -> str | None:
    """The commit being built (12 hex digits), marked "+" when policy/, data/ or docs/ have changes."""
    git = Git(root)
    head = git.head()
    if head is None:
        return None
    return head + ("+" if git.is_dirty("policy", "data", "docs") else "")


def prepare(root: Path, release: str | None = None, since: str | None = None,
            memo: FiguresMemo | None = None) -> Manual:
    """Load, validate, compute and render: everything but writing.

    With ``release``, refuse (listing every reason) when a document is not
    releasable: draft, unapproved, review date past, clause gap, or a history
    that git contradicts. ``memo``: survey figures kept from an earlier call in this process; by
    default those stored by an earlier build (see :mod:`qmdoc.stagecache`). A memo that stores its figures
    (:class:`~qmdoc.stagecache.StoredFigures`) also spares the load stage what is stored.
    """
    source = source_date(root)
    when = source.when
    stored = stagecache.StoredFigures(folder=root / GENERATED / STAGE_CACHE / "figures") if memo is None else None
    memo = memo if memo is not None else stored
    kept = memo if isinstance(memo, stagecache.StoredFigures) and memo.folder is not None else None
    project = load_project(root, as_of=when.date(), kept=kept)
    results = compute_manual(project, memo)
    t = catalogue(project.organization.language)
    commit = git_commit(root)
    parsed = kept.parsed if kept is not None else None
    control = ControlResults(collect_histories(root, project, parsed),
                             clause_matrix(project, project.organization.language), collect_changes(root, since, parsed))
    if release is not None:
        problems = release_problems(project.documents(), control.histories, control.matrix, when.date())
        if problems:
            raise QmdocError("\n".join([f"release {release} refused:"] + [f"  {p}" for p in problems]))
    cache = charts.ChartCache(root / GENERATED / ".chart-cache")
    drawn = draw_manual_charts(project, results, t, cache)
    pack = review_pack(results.surveys, results.objectives, results.complaints, project.documents(), control.matrix,
                       when.date(), results.customers)
    env = make_environment(root / GENERATED / STAGE_CACHE / "templates")
    rendered = render_manual(project, results, t, BuildInfo(when.date(), release, commit), control, drawn, pack, env)
    cache.prune()
    if stored is not None:
        stored.prune()
    return Manual(project, results, rendered, t, source, commit, release)


def sync_tree(target: Path, files: dict[str, bytes], keep: tuple[str, ...] = ()) -> None:
    """Make ``target`` hold exactly ``files`` (and the files named in ``keep``, if present).

    Unchanged files are not rewritten; any other file is removed.
    """
    target.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
    wanted = {(target / rel).resolve() for rel in (*files, *keep)}
    for path in sorted(target.rglob("*"), reverse=True):
        if path.is_file() and path.resolve() not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def hand_written(root: Path) -> dict[str, bytes]:
    docs = root / "docs"
    if not docs.is_dir():
        return {}
    # load has refused links that leave the repository
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def write_generated(root: Path, manual: Manual, keep: tuple[str, ...] = ()) -> Path:
    """Write the generated docs folder and MkDocs config; return the config path.

    ``keep``: files of the docs folder that are left in place (the preview's PDF).
    """
    build_dir = root / GENERATED
    own = hand_written(root)
    files = dict(own)
    for page in manual.rendered.pages:
        if page.path in own:
            raise QmdocError(f"docs/{page.path}: expected no hand-written page here, got one "
                             "(this path is generated; rename the hand-written page)")
        files[page.path] = site.page_source(page).encode("utf-8")
    files.update(manual.rendered.charts)
    sync_tree(build_dir / "docs", files, keep)
    org = manual.project.organization
    extra_pages = [p for p in own if p.endswith(".md")]
    return site.write_config(build_dir, root / "mkdocs.yml", manual.rendered.pages,
                             f"{org.short_name or org.name} — {org.manual.title}", org.language, extra_pages)


def build_date_text(manual: Manual) -> str:
    """The build date as the cover shows it; outside git, with where the date comes from."""
    text = manual.t.date(manual.build_date)
    return text if manual.source.origin != "files" else f"{text} ({manual.t['date_from_files']})"


def cover_of(manual: Manual) -> pdf.Cover:
    org = manual.project.organization
    m = org.manual
    t = manual.t
    return pdf.Cover(
        organization=org.name, title=m.title, document_id=m.id, revision=m.revision,
        status=t[f"status_{m.status}"], approver=m.approver or "—", approval_date=t.date(m.approval_date),
        effective_date=t.date(m.effective_date), build_date=build_date_text(manual),
        build_date_iso=manual.build_time.strftime("%Y-%m-%dT%H:%M:%SZ"), language=org.language,
        release=manual.release, commit=manual.commit or t["not_under_version_control"],
        logo=manual.project.logo.as_uri() if manual.project.logo else None,
        keywords=("ISO 9001:2015", t["manual"], m.id, org.name),
    )


def print_document(manual: Manual, docs_dir: Path) -> tuple[str, str]:
    """The print HTML and stylesheet of ``manual``, its charts and images read from ``docs_dir``."""
    cover = cover_of(manual)
    document = pdf.assemble(manual.rendered.pages, docs_dir, cover, manual.t)
    return document, pdf.stylesheet(cover, manual.t, pdf.chapters(document))


def pdf_problems(warnings: list[str]) -> None:
    """Refuse a PDF whose layout reported problems."""
    if warnings:
        raise QmdocError("the PDF layout reported problems:\n" + "\n".join(sorted(set(warnings))))


def write_pdf(root: Path, manual: Manual, target: Path) -> None:
    docs_dir = root / GENERATED / "docs"
    document, css = print_document(manual, docs_dir)
    pdf_problems(pdf.write_pdf(document, css, docs_dir, target))


def _swap(new: Path, final: Path) -> None:
    old = final.with_name(final.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    new.rename(final)
    if old.exists():
        shutil.rmtree(old)


def build(root: Path, out: Path | None = None, with_site: bool = True, with_pdf: bool = True,
          release: str | None = None, since: str | None = None,
          engine: str | None = None) -> buildcache.BuildSummary:
    """Build the site and/or the PDF into ``out`` (default ``root/site``).

    Skipped when nothing it is made from changed since the last build into ``out`` and that
    output is untouched (see :mod:`qmdoc.buildcache`). ``engine``: the site engine (``mkdocs`` or
    ``zensical``; default ``site.engine`` of organization.yml).
    """
    root = Path(root).resolve()
    out = Path(out).resolve() if out else root / "site"
    key = buildcache.input_key(root, buildcache.options_of(with_site, with_pdf, release, since, engine))
    done = buildcache.up_to_date(root / GENERATED, key, out)
    if done is not None:
        return done
    buildcache.forget(root / GENERATED)
    manual = _build(root, out, with_site, with_pdf, release, since, engine)
    summary = buildcache.BuildSummary(
        pages=len(manual.rendered.pages), charts=len(manual.rendered.charts),
        build_date=manual.build_date.isoformat(), date_origin=manual.source.origin,
        under_version_control=manual.under_version_control)
    buildcache.remember(root / GENERATED, key, out, summary)
    return summary


def _build(root: Path, out: Path, with_site: bool, with_pdf: bool, release: str | None,
           since: str | None, engine: str | None = None) -> Manual:
    manual = prepare(root, release, since)
    engine = engine or manual.project.organization.site.engine
    config = write_generated(root, manual)
    epoch = str(int(manual.build_time.timestamp()))
    out.parent.mkdir(parents=True, exist_ok=True)
    if with_site:
        tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
        try:
            site.build_site(config, tmp, {"SOURCE_DATE_EPOCH": epoch}, engine, root / GENERATED / STAGE_CACHE / "theme")
            if with_pdf:
                write_pdf(root, manual, tmp / PDF_NAME)
            elif (out / PDF_NAME).is_file():
                shutil.copy2(out / PDF_NAME, tmp / PDF_NAME)
            _swap(tmp, out)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp)
    elif with_pdf:
        out.mkdir(parents=True, exist_ok=True)
        tmp_pdf = out / (PDF_NAME + ".tmp")
        try:
            write_pdf(root, manual, tmp_pdf)
            tmp_pdf.replace(out / PDF_NAME)
        finally:
            tmp_pdf.unlink(missing_ok=True)
    return manual


def release(root: Path, version: str, alias: str = "latest", branch: str = "gh-pages",
            since: str | None = None) -> Manual:
    """Release build of ``version`` deployed with mike to ``branch`` (local; pushing is the user's choice).

    The PDF goes into the generated docs so that each deployed version carries its own PDF.
    Nothing is deployed when any check fails.
    """
    root = Path(root).resolve()
    manual = prepare(root, version, since)
    config = write_generated(root, manual)
    docs_dir = root / GENERATED / "docs"
    write_pdf(root, manual, docs_dir / PDF_NAME)
    epoch = str(int(manual.build_time.timestamp()))
    site.deploy_version(config, version, alias, branch, manual.project.organization.manual.title,
                        {"SOURCE_DATE_EPOCH": epoch})
    return manual
