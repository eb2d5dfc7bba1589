"""Everything that knows about MkDocs lives here (and only here).

Material for MkDocs is to end maintenance; keeping the site step in one small
module keeps it swappable. We write a generated config that inherits the
user's ``mkdocs.yml`` (``INHERIT``) and adds the nav of the generated pages and
the language settings, then run ``mkdocs build`` as a command. No plugin or
hook of our own.

The theme prints navigation titles, page titles, the site name and version
titles as HTML, unescaped: every one of them is written here as HTML text
(:func:`~qmdoc.markdown.escape_html`), so that a title from YAML shows as
the text it is and never acts as markup.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .errors import QmdocError
from .markdown import escape_html
from .render import Page
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


ENGINES = ("mkdocs", "zensical")  # Material for MkDocs (the default) and its successor, Zensical


def build_site(config: Path, site_dir: Path, env: dict[str, str], engine: str = "mkdocs") -> None:
    """Build the site of ``config`` into ``site_dir`` with ``engine``; raise ``QmdocError`` with its output on failure.

    Both engines read the same generated configuration (Zensical reads ``mkdocs.yml``, ``INHERIT``
    included) and the same generated pages; both build in strict mode.
    """
    if engine == "zensical":
        _zensical_build(config, site_dir, env)
        return
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config), "-d", str(site_dir)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **QUIET, **env})
    if proc.returncode != 0:
        raise QmdocError(f"the site build failed:\n{proc.stdout}{proc.stderr}".strip())


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
