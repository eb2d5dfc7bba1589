import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


def copy_mini(target: Path) -> Path:
    """Copy the small fixture organization, with the site configuration and hand-written pages, to ``target``."""
    shutil.copytree(FIXTURES / "mini", target)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", target / "docs")
    return target


def section(doc, heading: str) -> list:  # noqa: ANN001 - a BeautifulSoup document
    """The elements after the h2 that starts with ``heading``, up to the next h2."""
    h2 = next(h for h in doc.find_all("h2") if h.get_text().startswith(heading))
    out = []
    for el in h2.find_next_siblings():
        if el.name == "h2":
            break
        out.append(el)
    return out


def _shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder of this test session, the same for every xdist worker (their temporary folders share a parent)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name
    folder.mkdir(exist_ok=True)
    return folder


def _copy_new_charts(source: Path, target: Path) -> None:
    """Copy the drawn charts of ``source`` that ``target`` lacks; each appears whole (another worker may be reading)."""
    target.mkdir(parents=True, exist_ok=True)
    for svg in source.glob("*.svg"):
        if not (target / svg.name).exists():
            tmp = target / f".{svg.stem}.{os.getpid()}.tmp"
            shutil.copyfile(svg, tmp)
            tmp.replace(target / svg.name)


@pytest.fixture(scope="session")
def session_charts(tmp_path_factory: pytest.TempPathFactory):
    """``with session_charts(root): <build root>``: the build starts with every chart this session drew before.

    The chart cache keys on content (what a chart shows, the code and fonts that draw it), so a chart
    drawn for one project is exactly the chart another project would draw: the builds of a session share
    them. Before the build, the session's charts are copied into the project's own cache; after it, the
    charts the build drew are kept for later builds. A test of a cold build does not use this.
    """
    shared = _shared_folder(tmp_path_factory, "chart-cache")

    @contextlib.contextmanager
    def sharing(root: Path) -> Iterator[None]:
        own = Path(root) / "build" / ".chart-cache"
        _copy_new_charts(shared, own)
        yield
        _copy_new_charts(own, shared)

    return sharing


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory, session_charts):
    """``example_site("en" | "zh")``: the site folder of that shipped example, built once per test session.

    The first xdist worker to ask builds it (the others wait on a lock, then read the same files), so each
    example is built once per run however the test modules are spread. Tests only read the folder.
    """
    shared = _shared_folder(tmp_path_factory, "examples")

    def site(language: str) -> Path:
        from qmdoc.build import build

        root = ROOT if language == "en" else ROOT / "examples" / language
        out = shared / language / "site"
        with open(shared / f"{language}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (shared / f"{language}.built").exists():
                with session_charts(root):
                    build(root, out)
                (shared / f"{language}.built").touch()
        return out

    return site


@pytest.fixture(scope="session")
def example_pdf_pages(tmp_path_factory: pytest.TempPathFactory, example_site):
    """``example_pdf_pages("en" | "zh")``: the text of each page of that example's PDF, as pypdf extracts it.

    Extracting the text of a whole manual costs as much CPU as building its site, and several modules read
    it: the first xdist worker to ask extracts it and writes it beside the site (the others wait on a lock,
    then read that file), so each example's PDF is read once per run. Tests only read the pages.
    """
    import json

    from pypdf import PdfReader

    shared = _shared_folder(tmp_path_factory, "examples")
    pages: dict[str, tuple[str, ...]] = {}

    def texts(language: str) -> tuple[str, ...]:
        if language not in pages:
            pdf = example_site(language) / "quality-manual.pdf"
            stored = shared / language / "pdf-pages.json"
            with open(shared / f"{language}.pdf.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not stored.exists():
                    extracted = [page.extract_text() for page in PdfReader(pdf).pages]
                    tmp = stored.with_suffix(f".{os.getpid()}.tmp")
                    tmp.write_text(json.dumps(extracted, ensure_ascii=False), "utf-8")
                    tmp.replace(stored)
            pages[language] = tuple(json.loads(stored.read_text("utf-8")))
        return pages[language]

    return texts


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small fixture organization."""
    return copy_mini(tmp_path / "mini")


@pytest.fixture(autouse=True)
def no_logged_warnings(caplog: pytest.LogCaptureFixture):
    """Fail any test during which a library logged a warning or an error (as WeasyPrint's ``assert_no_logs``).

    Python warnings fail tests through ``filterwarnings = error`` in pyproject.toml; this catches what
    libraries (WeasyPrint, fontTools, matplotlib) report through ``logging`` instead. A test that expects
    such a record takes it out of ``caplog.records`` itself.
    """
    import logging

    caplog.set_level(logging.WARNING)
    yield
    records = caplog.get_records("setup") + caplog.get_records("call")
    logged = [f"{r.name}: {r.levelname}: {r.getMessage()}" for r in records if r.levelno >= logging.WARNING]
    assert not logged, "logged during the test:\n" + "\n".join(logged)
