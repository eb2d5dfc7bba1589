"""The MkDocs site built in the build's own process, with the theme's compiled templates kept between builds:
the same files, byte for byte, as the ``mkdocs build`` command writes (see qmdoc.site)."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qmdoc import buildcache, site
from qmdoc.errors import QmdocError

CONFIG = """site_name: Store test
use_directory_urls: true
theme:
  name: material
  font: false
  language: {language}
plugins:
  - search:
      lang: {language}
markdown_extensions:
  - tables
  - toc:
      permalink: true
nav:
  - Home: index.md
  - {other}
"""
EPOCH = {"SOURCE_DATE_EPOCH": "1764547200"}


def project(root: Path, language: str = "en", other: str = "Procedure: procedure.md") -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nSee the [procedure](procedure.md).\n", encoding="utf-8")
    (docs / "procedure.md").write_text("# Procedure 质量\n\n| Step | Owner |\n|---|---|\n| 1 | QA 部门 |\n",
                                       encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(CONFIG.format(language=language, other=other), encoding="utf-8")
    return config


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def command_build(config: Path, out: Path) -> dict[str, bytes]:
    env = {**os.environ, **site.QUIET, **EPOCH}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config), "-d", str(out)],
                   check=True, env=env, capture_output=True)
    return files(out)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_site_built_here_is_the_site_the_command_builds(tmp_path, language):
    config = project(tmp_path / "p", language)
    compiled = tmp_path / "theme"
    before = (os.environ.get("SOURCE_DATE_EPOCH"), logging.getLogger("mkdocs").level,
              logging.getLogger("mkdocs").propagate)
    site.build_site(config, tmp_path / "here", EPOCH, "mkdocs", compiled)
    expected = command_build(config, tmp_path / "command")
    assert "procedure/index.html" in expected and "search/search_index.json" in expected
    assert files(tmp_path / "here") == expected
    assert (os.environ.get("SOURCE_DATE_EPOCH"), logging.getLogger("mkdocs").level,
            logging.getLogger("mkdocs").propagate) == before  # the process is left as it was
    stored = files(compiled)
    assert stored  # the theme's templates, compiled
    site.build_site(config, tmp_path / "again", EPOCH, "mkdocs", compiled)  # from the compiled templates
    assert files(tmp_path / "again") == expected and files(compiled) == stored


def test_corrupt_compiled_templates_are_compiled_again(tmp_path):
    config = project(tmp_path / "p")
    compiled = tmp_path / "theme"
    site.build_site(config, tmp_path / "first", EPOCH, "mkdocs", compiled)
    stored = files(compiled)
    for name in stored:
        (compiled / name).write_bytes(b"not compiled code")
    site.build_site(config, tmp_path / "second", EPOCH, "mkdocs", compiled)
    assert files(tmp_path / "second") == files(tmp_path / "first")
    assert files(compiled) == stored


def test_compiled_templates_are_kept_per_version_of_jinja_mkdocs_and_the_theme(tmp_path, monkeypatch):
    key = site._compiled_theme(tmp_path).get_cache_key("main.html", "/theme/main.html")
    real = buildcache._version
    for library in site.THEME_LIBRARIES:
        monkeypatch.setattr(buildcache, "_version", lambda name, changed=library: "0.0.1" if name == changed else real(name))
        assert site._compiled_theme(tmp_path).get_cache_key("main.html", "/theme/main.html") != key, library
    monkeypatch.setattr(buildcache, "_version", real)
    assert site._compiled_theme(tmp_path).get_cache_key("main.html", "/theme/main.html") == key


def test_a_strict_mode_warning_fails_the_site_build_with_the_message(tmp_path):
    config = project(tmp_path / "p", other="Missing: missing.md")
    with pytest.raises(QmdocError) as failed:
        site.build_site(config, tmp_path / "out", EPOCH, "mkdocs", tmp_path / "theme")
    assert str(failed.value) == (
        "the site build failed:\n"
        "WARNING -  A reference to 'missing.md' is included in the 'nav' configuration, which is not found in the "
        "documentation files.\n"
        "Aborted with 1 warnings in strict mode!")


def test_a_chinese_site_build_prints_nothing(tmp_path):
    """The search's word segmenter notes its progress on the standard error; the build (a fresh process, where
    the segmenter loads its dictionary) shows none of it, as the command it replaces did not."""
    config = project(tmp_path / "p", "zh")
    driver = tmp_path / "driver.py"
    driver.write_text("import sys\nfrom pathlib import Path\nfrom qmdoc import site\n"
                      "site.build_site(Path(sys.argv[1]), Path(sys.argv[2]), {}, 'mkdocs', None)\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(driver), str(config), str(tmp_path / "out")], capture_output=True,
                         text=True, check=False, env={**os.environ, **EPOCH})
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
    assert (tmp_path / "out" / "procedure" / "index.html").is_file()
