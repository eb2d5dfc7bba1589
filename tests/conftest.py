import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small fixture organization."""
    target = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", target)
    (target / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    shutil.copytree(ROOT / "docs", target / "docs")
    return target
