"""``qmdoc init``: start a new quality manual, or copy an example to learn from.

A new project is made from the starting texts in this package: ``common/``
(the same in both languages), then ``en/`` or ``zh/``. They are plain files in
which our code replaces a few placeholders; nothing is rendered as a template.
The organization's name is data: it is written YAML-quoted into YAML files and
escaped into Markdown files, so that any character in it stays what it is.

Placeholders:

``@NAME@``, ``@SHORT_NAME@``
    the organization's name and short name: in a YAML file only as a whole
    value (``name: @NAME@``), in a Markdown file anywhere, nowhere else.
``@PREFIX@``
    the document-id prefix derived from the name (:func:`id_prefix`):
    capital letters, digits and a dash, safe in any file and file name.
``@DATE@``
    the day ``init`` runs (ISO 8601), the date of every document's draft
    revision 0.1.
``@VERSION@``
    the version of qmdoc that wrote the project: the one CI installs.

A path component ``dot-x`` is written as ``.x`` (package data leaves dot
files out).

The examples (``--example``) are the repository's own: the Norvik example at
its root (English) and ``examples/zh`` (Chinese), reached from
``examples/<language>/`` in this package (links in a checkout, files in an
installed package) and copied as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml

from ..errors import QmdocError
from ..markdown import escape_inline

LANGUAGES = ("en", "zh")
DEFAULT_NAMES = {"en": "Example Organization", "zh": "示例公司"}
NAME_MAX = 200  # as the Organization model's name
EXAMPLE_PARTS = ("policy", "data", "docs", "mkdocs.yml")  # what an example is, as the repository holds it

# legal forms at the end of a name, left out of the short name and of the id prefix
_LEGAL_FORM = re.compile(
    r"(?:[\s,]+(?:Inc|Incorporated|Ltd|Limited|LLC|LLP|plc|PLC|Corp|Corporation|Co|Company|GmbH|mbH|AG|KG|"
    r"AS|ASA|AB|Oy|Oyj|A/S|ApS|SA|SAS|SARL|S\.A|S\.A\.S|BV|B\.V|NV|N\.V|SpA|S\.p\.A|Srl|S\.r\.l|Pty|"
    r"sp\. z o\.o|s\.r\.o|KK|K\.K)\.?|(?:股份有限公司|有限责任公司|有限公司))$"
)
_SMALL_WORDS = {"and", "of", "the", "for", "und", "et", "de"}
_NAME_TOKENS = ("@NAME@", "@SHORT_NAME@")


def short_name(name: str) -> str:
    """The name without its legal form(s): "Norvik Precision Components AS" -> "Norvik Precision Components".

    A name that is nothing but a legal form, or has none, is its own short name.
    """
    short = name
    while True:
        cut = _LEGAL_FORM.sub("", short).rstrip(" ,&")
        if cut == short or not cut:
            break
        short = cut
    return short or name


def id_prefix(name: str) -> str:
    """The document-id prefix: the initials of the name's Latin words, or the first three letters of its
    only one ("Example Organization" -> "EO-", "Norvik Precision Components AS" -> "NPC-",
    "ABC科技有限公司" -> "ABC-"); "" for a name without Latin letters ("示例公司": ids such as "CX-01")."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", short_name(name)) if w.lower() not in _SMALL_WORDS]
    if not words:
        return ""
    letters = words[0][:3] if len(words) == 1 else "".join(w[0] for w in words[:4])
    return letters.upper() + "-"


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > NAME_MAX or any(ch < " " or ch == "\x7f" for ch in name):
        raise QmdocError(f"--name: expected the organization's name on one line, 1 to {NAME_MAX} characters, "
                         f"got {name!r}")
    return name


def _yaml_string(value: str) -> str:
    """``value`` as a double-quoted YAML scalar on one line (what yaml.safe_load reads back exactly)."""
    return yaml.safe_dump(value, default_style='"', allow_unicode=True, width=float("inf")).strip()


def _target_path(rel: str) -> str:
    return "/".join("." + part[4:] if part.startswith("dot-") else part for part in rel.split("/"))


def _tree(root: Traversable, base: str = "") -> dict[str, Traversable]:
    """Every file under ``root`` by its relative path (caches of Python left out)."""
    out: dict[str, Traversable] = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        rel = f"{base}{entry.name}"
        if entry.name == "__pycache__" or entry.name.endswith(".pyc"):
            continue
        if entry.is_dir():
            out.update(_tree(entry, rel + "/"))
        else:
            out[rel] = entry
    return out


def _substitute(rel: str, text: str, values: dict[str, str]) -> str:
    """Fill the placeholders of one starting text (see the module docstring)."""
    for token in ("@PREFIX@", "@DATE@", "@VERSION@"):
        text = text.replace(token, values[token])
    if rel.endswith(".yml"):
        for token in _NAME_TOKENS:
            text = re.sub(rf"(?m)^(\s*[A-Za-z_]+: ){re.escape(token)}$",
                          lambda m, token=token: m.group(1) + _yaml_string(values[token]), text)
    elif rel.endswith(".md"):
        for token in _NAME_TOKENS:
            text = text.replace(token, str(escape_inline(values[token])))
    left = [token for token in _NAME_TOKENS if token in text]
    if left:  # a starting text of ours that uses a name where it cannot be written safely
        raise AssertionError(f"{rel}: {left[0]} outside a whole YAML value or a Markdown file")
    return text


def project_files(language: str, name: str | None = None, today: dt.date | None = None, *,
                  servqual: bool = False) -> dict[str, bytes]:
    """The files of a new project (relative path -> content) for ``language`` and the organization ``name``;
    ``servqual``: also the service-quality gap survey of ``servqual/<language>/`` (SERVQUAL's five dimensions,
    an expectation column beside every item)."""
    if language not in LANGUAGES:
        raise QmdocError(f"--language: expected one of {', '.join(LANGUAGES)}, got {language!r}")
    name = _check_name(DEFAULT_NAMES[language] if name is None else name)
    prefix = id_prefix(name)
    values = {
        "@NAME@": name,
        "@SHORT_NAME@": short_name(name),
        "@PREFIX@": prefix,
        "@DATE@": (today or dt.date.today()).isoformat(),
        "@VERSION@": metadata.version("qmdoc"),
    }
    here = resources.files(__name__)
    files: dict[str, bytes] = {}
    for part in ("common", language, *([f"servqual/{language}"] if servqual else [])):
        for rel, entry in _tree(here / part).items():
            target = _target_path(rel.replace("@PREFIX@", prefix))
            files[target] = _substitute(rel, entry.read_text(encoding="utf-8"), values).encode("utf-8")
    files.update(editor_files(files))
    return dict(sorted(files.items()))


SCHEMA_DIR = "schemas"


def editor_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """The editor set-up of a new project: the schemas, VS Code's settings, and a schema line first in each
    policy file (for any YAML language server); returns the new and changed files."""
    import fnmatch
    import json

    from ..schema import KINDS, json_schema, vscode_settings

    out: dict[str, bytes] = {}
    for kind in KINDS:
        out[f"{SCHEMA_DIR}/{kind.schema_file}"] = (
            json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        for rel, data in files.items():
            if fnmatch.fnmatch(rel, kind.pattern) and rel.count("/") == kind.pattern.count("/"):
                up = "../" * rel.count("/")
                line = f"# yaml-language-server: $schema={up}{SCHEMA_DIR}/{kind.schema_file}\n"
                out[rel] = line.encode("utf-8") + data
    out[".vscode/settings.json"] = (json.dumps(vscode_settings(SCHEMA_DIR), indent=2) + "\n").encode("utf-8")
    return out


def example_files(language: str) -> dict[str, bytes]:
    """The files of the shipped example in ``language`` (relative path -> content), as the repository has them."""
    if language not in LANGUAGES:
        raise QmdocError(f"--language: expected one of {', '.join(LANGUAGES)}, got {language!r}")
    base = resources.files(__name__) / "examples" / language
    files: dict[str, bytes] = {}
    for part in EXAMPLE_PARTS:
        entry = base / part
        if entry.is_dir():
            files.update({f"{part}/{rel}": e.read_bytes() for rel, e in _tree(entry).items()})
        elif entry.is_file():
            files[part] = entry.read_bytes()
        else:  # pragma: no cover - a broken installation
            raise QmdocError(f"the {language} example is incomplete in this installation of qmdoc: no {part}")
    return dict(sorted(files.items()))


def check_target(target: Path) -> None:
    """Refuse a target that is a file or a folder with anything in it (nothing is written then)."""
    if target.exists() and not target.is_dir():
        raise QmdocError(f"{target}: expected a new or empty folder, got a file (nothing was written)")
    if target.is_dir() and any(target.iterdir()):
        raise QmdocError(f"{target}: expected a new or empty folder, got one with files in it (nothing was written)")


def write_project(target: Path, files: dict[str, bytes]) -> None:
    check_target(target)
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def init_project(target: Path, language: str = "en", name: str | None = None, *, example: bool = False,
                 today: dt.date | None = None, servqual: bool = False) -> list[str]:
    """Write a new project (or, with ``example``, a copy of the example) into ``target``; return its files.

    Everything is gathered before anything is written: a refused target or a bad name leaves no trace.
    """
    target = Path(target)
    check_target(target)
    if example and name is not None:
        raise QmdocError("--name: expected no name with --example (the example is a fictional organization of "
                         f"its own), got {name!r}")
    if example and servqual:
        raise QmdocError("--servqual: expected a new project, got --example (the example has gap items of its own)")
    files = example_files(language) if example else project_files(language, name, today, servqual=servqual)
    write_project(target, files)
    return list(files)
