"""The package as a user installs it: `pip install .` into a clean virtual environment, no extras."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT, copy_mini

pytestmark = pytest.mark.slow


def test_clean_install_builds_the_fixture_organization(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    # no pip of its own (seeding one costs seconds): this environment's pip installs into it, run by its Python
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                              "--disable-pip-version-check", "--no-compile", str(ROOT)],
                             capture_output=True, text=True, env=clean, timeout=900)
    assert install.returncode == 0, install.stderr[-2000:]
    root = copy_mini(tmp_path / "org")
    qmdoc = env_dir / "bin" / "qmdoc"
    version = subprocess.run([str(qmdoc), "--version"], capture_output=True, text=True, env=clean)
    assert version.stdout.startswith("qmdoc ")
    built = subprocess.run([str(qmdoc), "--root", str(root), "build"], capture_output=True, text=True, env=clean,
                           timeout=600, cwd=tmp_path)
    assert built.returncode == 0, built.stderr[-2000:]
    assert "Traceback" not in built.stderr
    assert (root / "site" / "index.html").is_file()
    assert (root / "site" / "quality-manual.pdf").stat().st_size > 10_000
    assert sys.prefix != str(env_dir)  # the test ran qmdoc from the clean environment, not from this one
