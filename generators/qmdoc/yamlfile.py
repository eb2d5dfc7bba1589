"""Safe YAML loading that remembers the line of every key and list entry.

Only plain data is constructed (``yaml.SafeLoader``). Aliases are refused:
policy files never need them, and refusing them removes the "billion laughs"
class of input outright.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from .errors import Problem, QmdocError

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDoc:
    """A loaded YAML file: its data and the line (1-based) of every location."""

    path: str
    data: Any
    lines: dict[Loc, int]

    def line_of(self, loc: Loc) -> int:
        """Line of ``loc`` or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


MAX_DEPTH = 32  # policy files nest a handful of levels; deeper is a mistake or an attack


class _NoAliasLoader(yaml.SafeLoader):
    depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in policy files", event.start_mark
            )
        if self.depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"expected at most {MAX_DEPTH} levels of nesting, got more", self.peek_event().start_mark
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_scalar(construct, node: yaml.Node):  # noqa: ANN001, ANN202
    """A plain value; an impossible date (2025-02-30) is an error at its line, not a traceback."""
    try:
        return construct(node)
    except (ValueError, OverflowError) as exc:
        if node.tag == "tag:yaml.org,2002:timestamp":
            problem = f"expected a real calendar date YYYY-MM-DD, got {node.value!r} ({exc})"
        else:
            problem = f"expected a valid value, got {node.value!r} ({exc})"
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], construct) -> Any:  # noqa: ANN001
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        raise yaml.constructor.ConstructorError(None, None, f"unsupported tag {node.tag!r}", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct_scalar(construct, key_node)
            if isinstance(key, (dict, list)):
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                )
            if key in out:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            child = (*loc, key if isinstance(key, (str, int)) else str(key))
            lines[child] = key_node.start_mark.line + 1
            out[key] = _walk(value_node, child, lines, construct)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, (*loc, i), lines, construct) for i, item in enumerate(node.value)]
    return _construct_scalar(construct, node)


class Parses(Protocol):
    """Where parsed files are kept between builds (a :class:`qmdoc.load.store.Store`)."""

    def get(self, key: str) -> object | None: ...

    def put(self, key: str, value: object) -> None: ...


@functools.lru_cache(maxsize=1)
def parser_digest() -> str:
    """A hash of the parser: this module's source and the versions of Python and PyYAML."""
    return hashlib.sha256(f"{sys.version}\0{yaml.__version__}\0".encode()
                          + Path(__file__).read_bytes()).hexdigest()


def parse_yaml(text: str, path: str, kept: Parses | None = None) -> YamlDoc:
    """Parse ``text`` (the content of ``path``) or raise ``QmdocError`` naming the line.

    A text parsed before in this process (``qmdoc serve`` parses every file after each save) is
    not parsed again; the caller gets its own copy of the data, free to change. ``kept``: parses of
    earlier builds, keyed by the text and the parser (:func:`parser_digest`); only a text that
    parsed is kept there, so a broken file is always parsed and reported afresh.
    """
    if kept is None:
        data, lines = _parsed(text, path)
        return YamlDoc(path, copy.deepcopy(data), dict(lines))
    key = hashlib.sha256(f"{parser_digest()}\0".encode() + text.encode("utf-8")).hexdigest()[:32]
    found = kept.get(key)
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], dict):
        return YamlDoc(path, found[0], found[1])
    data, lines = _parsed(text, path)
    kept.put(key, (data, lines))
    return YamlDoc(path, copy.deepcopy(data), dict(lines))


@functools.lru_cache(maxsize=512)
def _parsed(text: str, path: str) -> tuple[Any, dict[Loc, int]]:
    loader = _NoAliasLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Loc, int] = {}
        data = None if node is None else _walk(node, (), lines, loader.construct_object)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise QmdocError(Problem(path, line, "", f"invalid YAML: {exc.problem or exc}")) from None
    except yaml.YAMLError as exc:
        raise QmdocError(Problem(path, 1, "", f"invalid YAML: {exc}")) from None
    finally:
        loader.dispose()
    return data, lines


def load_yaml(path: Path, root: Path, kept: Parses | None = None) -> YamlDoc:
    """Read and parse a YAML file; its path is reported relative to ``root`` (``kept``: see :func:`parse_yaml`)."""
    rel = relpath(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QmdocError(Problem(rel, 1, "", "expected UTF-8 text, got undecodable bytes")) from None
    except OSError as exc:
        raise QmdocError(Problem(rel, 0, "", f"cannot read file: {exc.strerror}")) from None
    return parse_yaml(text, rel, kept)


def relpath(path: Path, root: Path) -> str:
    """``path`` as the user names it: relative to ``root`` (the link itself, not where a link points)."""
    try:
        return Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(root))).as_posix()
    except ValueError:
        return path.as_posix()
