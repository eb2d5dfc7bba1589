"""Everything that knows about MkDocs lives here (and only here).

Material for MkDocs is to end maintenance; keeping the site step in one small
module keeps it swappable. We write a generated config that inherits the
user's ``mkdocs.yml`` (``INHERIT``) and adds the nav of the generated pages and
the language settings, then build it as ``mkdocs build --strict`` does, in this
process (the command would start a second interpreter and load again what this
one has loaded). No plugin or hook of our own. Zensical, the preview server and
mike run as commands.

The theme prints navigation titles, page titles, the site name and version
titles as HTML, unescaped: every one of them is written here as HTML text
(:func:`~qmdoc.markdown.escape_html`), so that a title from YAML shows as
the text it is and never acts as markup.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import jinja2
import yaml

from .buildcache import library_versions
from .errors import QmdocError
from .markdown import escape_html
from .render import CompiledTemplates, Page
from .site_tables import keep_labels_whole

# Material's end-of-life notice is known and planned for (this module is the part to swap);
# it is not repeated on every build.
QUIET = {"NO_MKDOCS_2_WARNING": "1"}

# Chinese search: Material segments Chinese text with jieba when the search
# language is "zh"; the separator also splits on zero-width spaces and dashes.
SEARCH = {
    "en": {"lang": "en"},
    "zh": {"lang": "zh", "separator": r"[\s\u200b\-_,:!=\[\]()\"`/]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])"},
}


def nav(pages: list[Page], hand_written: list[str]) -> list:
    """The site navigation: generated pages in reading order, sections grouped, then hand-written pages.

    Titles are HTML text (the theme prints them unescaped)."""
    out: list = []
    sections: dict[str, list] = {}
    for page in pages:
        entry = {escape_html(page.title): page.path}
        if page.section is None:
            out.append(entry)
        else:
            if page.section not in sections:
                sections[page.section] = []
                out.append({escape_html(page.section): sections[page.section]})
            sections[page.section].append(entry)
    out += hand_written
    return out


def page_source(page: Page) -> str:
    """The Markdown file the site engine reads for a generated page.

    Every page but the home page carries its title as front matter, as HTML
    text: Material prints a front-matter title into ``<title>`` as it is, while
    it would unescape the navigation title there (``striptags``). Table cells holding one
    hyphenated label are kept on one line (:mod:`.site_tables`)."""
    body = keep_labels_whole(page.markdown)
    if page.path == "index.md":
        return body
    meta = yaml.safe_dump({"title": escape_html(page.title)}, allow_unicode=True, width=1 << 16)
    return f"---\n{meta}---\n\n{body}"


def write_config(build_dir: Path, user_config: Path, pages: list[Page], site_name: str, language: str,
                 hand_written: list[str]) -> Path:
    """Write ``build_dir/mkdocs.yml`` inheriting ``user_config``; return its path.

    ``site_name`` is plain text (it is written as HTML text)."""
    config = {
        "INHERIT": os.path.relpath(user_config, build_dir),
        "site_name": escape_html(site_name),
        "docs_dir": "docs",
        "nav": nav(pages, hand_written),
        "theme": {"language": language},
        "plugins": [{"search": SEARCH[language]}],
    }
    path = build_dir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1 << 16), encoding="utf-8")
    return path


THEME_LIBRARIES = ("jinja2", "mkdocs", "mkdocs-material")  # they make the environment the theme is compiled in
ENGINES = ("mkdocs", "zensical")  # Material for MkDocs (the default) and its successor, Zensical


def build_site(config: Path, site_dir: Path, env: dict[str, str], engine: str = "mkdocs",
               compiled: Path | None = None) -> None:
    """Build the site of ``config`` into ``site_dir`` with ``engine``; raise ``QmdocError`` with its output on failure.

    Both engines read the same generated configuration (Zensical reads ``mkdocs.yml``, ``INHERIT``
    included) and the same generated pages; both build in strict mode. ``compiled``: a folder where
    MkDocs keeps the theme's compiled templates for the next build.
    """
    if engine == "zensical":
        _zensical_build(config, site_dir, env)
        return
    _mkdocs_build(config, site_dir, env, compiled)


class _Messages(logging.Handler):
    """MkDocs' warnings and errors of one build, as its command prints them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname:<8}-  {record.getMessage()}")


def _drop(record: logging.LogRecord) -> bool:
    return False


@contextlib.contextmanager
def _quiet_build(env: dict[str, str]) -> Iterator[_Messages]:
    """What ``mkdocs build --quiet`` sets up, for the length of one build: ``env`` in the environment, MkDocs'
    messages collected (not printed), the libraries' warnings and the search's word segmenter's progress
    notes dropped (the command never shows them); everything as it was afterwards."""
    saved = {key: os.environ.get(key) for key in (*QUIET, *env)}
    messages = _Messages()
    mkdocs_log, segmenter_log = logging.getLogger("mkdocs"), logging.getLogger("jieba")
    kept = (mkdocs_log.level, mkdocs_log.propagate)
    os.environ.update({**QUIET, **env})
    mkdocs_log.addHandler(messages)
    mkdocs_log.setLevel(logging.WARNING)
    mkdocs_log.propagate = False
    segmenter_log.addFilter(_drop)  # a filter, not a level: the segmenter sets its own level when imported
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield messages
    finally:
        mkdocs_log.removeHandler(messages)
        mkdocs_log.setLevel(kept[0])
        mkdocs_log.propagate = kept[1]
        segmenter_log.removeFilter(_drop)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _compiled_theme(folder: Path) -> CompiledTemplates:
    """The theme's compiled templates kept in ``folder`` between builds, keyed also by the versions of
    Jinja, MkDocs and the theme (they make the environment the templates are compiled in)."""
    return CompiledTemplates(folder, library_versions(THEME_LIBRARIES).encode())


def _mkdocs_build(config: Path, site_dir: Path, env: dict[str, str], compiled: Path | None) -> None:
    """What ``mkdocs build --strict --quiet -f config -d site_dir`` does, in this process."""
    with _quiet_build(env) as messages:
        from mkdocs.commands import build
        from mkdocs.config import load_config

        try:
            cfg = load_config(config_file=str(config), site_dir=str(site_dir), strict=True)
            if compiled is not None:
                _keep_compiled(cfg.theme, compiled)
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                build.build(cfg)
            finally:
                cfg.plugins.on_shutdown()
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - MkDocs' Abort is a SystemExit; every failure is reported
            said = str(exc) if not isinstance(exc, SystemExit) or str(exc) else ""
            detail = "\n".join(messages.lines + ([said] if said else []))
            raise QmdocError(f"the site build failed:\n{detail}".strip()) from None


def _keep_compiled(theme: object, folder: Path) -> None:
    """Give the environments ``theme`` makes a store of compiled templates in ``folder``."""
    make = theme.get_env

    def get_env() -> jinja2.Environment:
        made = make()
        made.bytecode_cache = _compiled_theme(folder)
        return made

    theme.get_env = get_env


def _zensical_build(config: Path, site_dir: Path, env: dict[str, str]) -> None:
    """``zensical build --strict --clean`` of ``config``: Zensical writes only inside its project folder
    (the generated one), so the site is built there and then moved into ``site_dir``."""
    exe = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
    if exe is None:
        raise QmdocError("site engine zensical: expected the zensical package installed beside qmdoc "
                         "(pip install 'qmdoc[zensical]'), got none")
    inside = config.parent / ".zensical-site"
    shutil.rmtree(inside, ignore_errors=True)
    zconfig = config.with_name("zensical.yml")
    zconfig.write_text(config.read_text(encoding="utf-8") + f"site_dir: {inside.name}\n", encoding="utf-8")
    try:
        proc = subprocess.run([exe, "build", "--strict", "--clean", "-f", str(zconfig)], capture_output=True,
                              text=True, env={**os.environ, **env}, cwd=config.parent)
        if proc.returncode != 0 or not (inside / "index.html").is_file():
            raise QmdocError(f"the site build (zensical) failed:\n{proc.stdout}{proc.stderr}".strip())
        site_dir.mkdir(parents=True, exist_ok=True)
        for entry in sorted(inside.iterdir()):
            entry.rename(site_dir / entry.name)
    finally:
        shutil.rmtree(inside, ignore_errors=True)
        zconfig.unlink(missing_ok=True)


def serve(config: Path, address: str) -> subprocess.Popen:
    """Start ``mkdocs serve`` (live reload of the generated folder) in the background."""
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", address, "--livereload"]
    return subprocess.Popen(cmd, env={**os.environ, **QUIET})


def deploy_version(config: Path, version: str, alias: str, branch: str, title: str, env: dict[str, str]) -> None:
    """Deploy the site built from ``config`` as ``version`` with ``alias`` to the local ``branch`` with mike."""
    env = {**os.environ, **QUIET, **env}
    # mike runs the `mkdocs` command: the one installed beside this Python
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    # mike commits to the branch; give it an identity only when git has none configured
    cwd = config.parent.parent
    for key, value in (("name", "qmdoc"), ("email", "qmdoc@localhost")):
        configured = subprocess.run(["git", "-C", str(cwd), "config", f"user.{key}"], capture_output=True, text=True)
        if not configured.stdout.strip():
            env.setdefault(f"GIT_AUTHOR_{key.upper()}", value)
            env.setdefault(f"GIT_COMMITTER_{key.upper()}", value)
    steps = [
        ["deploy", "--config-file", str(config), "--branch", branch, "--update-aliases",
         "--title", escape_html(version), version, alias],  # the theme prints version titles as HTML
        ["set-default", "--config-file", str(config), "--branch", branch, alias],
    ]
    for args in steps:
        mike = str(Path(sys.executable).with_name("mike"))
        proc = subprocess.run([mike, *args], capture_output=True, text=True, env=env, cwd=cwd)
        if proc.returncode != 0:
            raise QmdocError(f"mike {args[0]} failed:\n{proc.stdout}{proc.stderr}".strip())
