import shutil
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
