"""Recognise an unchanged manual: a build is keyed by a content hash of everything it is made from.

The key covers the input files (``policy/``, ``data/``, ``docs/``, ``mkdocs.yml``),
qmdoc's own code and templates, the versions of the libraries that lay out the
site and the PDF, the installed fonts, the build date and what git says about
the project (commit, uncommitted changes, tags: the revision histories and the
changes page come from there) and the build's options. When the key and the
output folder are both as the last build left them, the build is skipped: the
output is exactly what a new build would write (builds are deterministic).
"""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from .gitrepo import INPUTS, Git, source_date

GENERATED = "build"  # the folder the generator owns
PDF_NAME = "quality-manual.pdf"  # the PDF manual, beside the site's index.html
KEY_FILE = ".build-key.json"  # kept there
LIBRARIES = ("mkdocs", "mkdocs-material", "mike", "zensical", "weasyprint", "pydyf", "fonttools", "matplotlib", "markdown",
             "pymdown-extensions", "jinja2", "numpy", "pandas", "polars", "scipy", "pydantic", "pyyaml")


@dataclass(frozen=True)
class BuildSummary:
    """What a build made, as the command line reports it (also for a build found up to date)."""

    pages: int
    charts: int
    build_date: str  # ISO date
    date_origin: str  # epoch | commit | files (see gitrepo.SourceDate)
    under_version_control: bool
    reused: bool = False


def _update_tree(h: "hashlib._Hash", base: Path, label: str) -> None:
    files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []
    for path in files:
        if "__pycache__" in path.parts:
            continue
        h.update(f"\0{label}/{path.relative_to(base).as_posix() if path != base else ''}\0".encode())
        h.update(path.read_bytes())


@functools.lru_cache(maxsize=1)
def _fonts() -> str:
    """The installed fonts, asked once per process (a build checks its key twice: before loading the stages
    and again in them)."""
    try:
        return subprocess.run(["fc-list", "--format", "%{file}|%{family}\\n"], capture_output=True, text=True,
                              check=False).stdout
    except OSError:
        return ""


def library_versions(libraries: tuple[str, ...]) -> str:
    """``"\0name=version"`` of each library (``=-`` when not installed), for a content hash."""
    return "".join(f"\0{lib}={_version(lib)}" for lib in libraries)


@functools.lru_cache(maxsize=64)
def _version(library: str) -> str:
    """The installed version of ``library`` (``-``: none), asked once per process (reading the installed
    packages' metadata costs about a hundredth of a second a library)."""
    try:
        return metadata.version(library)
    except metadata.PackageNotFoundError:
        return "-"


def input_key(root: Path, options: dict[str, object]) -> str:
    """The content hash of everything a build of ``root`` with ``options`` is made from."""
    h = hashlib.sha256()
    for name in INPUTS:
        _update_tree(h, root / name, name)
    _update_tree(h, Path(__file__).parent, "qmdoc")
    h.update(library_versions(LIBRARIES).encode())
    h.update(_fonts().encode())
    git = Git(root)
    when = source_date(root)
    state = {"date": when.when.isoformat(), "origin": when.origin, "head": git.head(),
             "status": git.status(*INPUTS), "tags": git.tags(),
             "options": options}
    h.update(json.dumps(state, sort_keys=True, default=str).encode())
    return h.hexdigest()


def output_state(out: Path) -> list[list[object]]:
    """The output folder as it is: every file with its size and modification time."""
    if not out.is_dir():
        return []
    return [[p.relative_to(out).as_posix(), p.stat().st_size, p.stat().st_mtime_ns]
            for p in sorted(out.rglob("*")) if p.is_file()]


def up_to_date(build_dir: Path, key: str, out: Path) -> BuildSummary | None:
    """The summary of the last build when it had this key and its output is untouched; else None."""
    try:
        record = json.loads((build_dir / KEY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("key") != key or record.get("out") != str(out) or record.get("output") != output_state(out):
        return None
    return BuildSummary(**{**record["summary"], "reused": True})


def remember(build_dir: Path, key: str, out: Path, summary: BuildSummary) -> None:
    """Record the key and output of a successful build."""
    record = {"key": key, "out": str(out), "output": output_state(out), "summary": asdict(summary)}
    build_dir.mkdir(parents=True, exist_ok=True)
    (build_dir / KEY_FILE).write_text(json.dumps(record), encoding="utf-8")


def forget(build_dir: Path) -> None:
    """Drop the record (before a build starts writing: a failed build is never taken as up to date)."""
    (build_dir / KEY_FILE).unlink(missing_ok=True)


def options_of(with_site: bool, with_pdf: bool, release: str | None, since: str | None,
               engine: str | None = None) -> dict[str, object]:
    return {"site": with_site, "pdf": with_pdf, "release": release, "since": since, "engine": engine}


def check_up_to_date(root: Path, out: Path | None, with_site: bool = True, with_pdf: bool = True,
                     release: str | None = None, since: str | None = None,
                     engine: str | None = None) -> BuildSummary | None:
    """Whether a build with these options would only rewrite what is there (cheap: imports no build stage)."""
    root = Path(root).resolve()
    out = Path(out).resolve() if out else root / "site"
    key = input_key(root, options_of(with_site, with_pdf, release, since, engine))
    return up_to_date(root / GENERATED, key, out)
