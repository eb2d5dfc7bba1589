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


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small fixture organization."""
    return copy_mini(tmp_path / "mini")
