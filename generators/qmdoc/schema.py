"""Editor schemas and the key reference, generated from the models (never kept by hand).

``qmdoc schema`` writes one JSON Schema per kind of policy file; a YAML language
server (VS Code's YAML extension and others) then completes and checks keys as
the user types. :func:`reference_markdown` turns the same schemas into the page
that lists every key of every file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .models import Objectives, Organization, Procedure, QualityPolicy, Survey

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class FileKind:
    """One kind of policy file: its model, schema file name and where such files live."""

    name: str
    model: type[BaseModel]
    pattern: str  # glob, relative to the project root
    title: str

    @property
    def schema_file(self) -> str:
        return f"{self.name}.schema.json"


KINDS = (
    FileKind("organization", Organization, "policy/organization.yml", "Organization and manual"),
    FileKind("quality-policy", QualityPolicy, "policy/quality-policy.yml", "Quality policy"),
    FileKind("objectives", Objectives, "policy/objectives.yml", "Quality objectives"),
    FileKind("procedure", Procedure, "policy/procedures/*.yml", "Procedure"),
    FileKind("survey", Survey, "policy/surveys/*.yml", "Survey instrument"),
)


def json_schema(kind: FileKind) -> dict[str, Any]:
    """The JSON Schema of one kind of file, with a title and the models' descriptions and examples."""
    schema = kind.model.model_json_schema(mode="validation")
    return {"$schema": SCHEMA_DIALECT, "$id": kind.schema_file, **schema, "title": kind.title}


def write_schemas(out: Path) -> list[Path]:
    """Write every kind's schema into ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = out / kind.schema_file
        path.write_text(json.dumps(json_schema(kind), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def vscode_settings(schema_dir: str) -> dict[str, Any]:
    """``.vscode/settings.json``: each schema applied to its files (paths relative to the project root)."""
    return {"yaml.schemas": {f"./{schema_dir}/{k.schema_file}": k.pattern for k in KINDS}}


# ------------------------------------------------------------------ the reference page


@dataclass(frozen=True)
class KeyRow:
    """One key of a file kind, as the reference lists it."""

    path: str  # e.g. ``document.revisions[].date``
    type: str
    required: bool
    default: str | None
    description: str
    example: str


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    return node


def _type(node: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in node:
        return "mapping"
    if "anyOf" in node:
        return " or ".join(dict.fromkeys(_type(n, defs) for n in node["anyOf"] if n.get("type") != "null"))
    if "enum" in node:
        return " | ".join(str(v) for v in node["enum"])
    if "const" in node:
        return str(node["const"])
    kind = node.get("type")
    if kind == "array":
        items = node.get("items") or (node.get("prefixItems") or [{}])[0]
        return f"list of {_type(items, defs)}"
    if kind == "object":
        return "mapping"
    if node.get("format") == "date":
        return "date"
    return {"string": "text", "integer": "whole number", "number": "number", "boolean": "true/false"}.get(kind, "any")


def _children(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any] | None:
    """The object schema nested under ``node`` (through optional, list and dict wrappers), if any."""
    for option in node.get("anyOf", [node]):
        if option.get("type") == "array" and "items" in option:
            option = option["items"]
        option = _resolve(option, defs)
        if "properties" in option:
            return option
    return None


def key_rows(kind: FileKind) -> list[KeyRow]:
    """Every key of one kind of file, depth first, in the models' order."""
    schema = json_schema(kind)
    defs = schema.get("$defs", {})
    rows: list[KeyRow] = []

    def walk(node: dict[str, Any], prefix: str) -> None:
        required = set(node.get("required", []))
        for name, prop in node["properties"].items():
            path = f"{prefix}{name}"
            default = prop.get("default")
            rows.append(KeyRow(
                path=path, type=_type(prop, defs), required=name in required,
                default=None if name in required or default in (None, [], {}) else json.dumps(default, ensure_ascii=False),
                description=prop.get("description", ""),
                example=json.dumps(prop["examples"][0], ensure_ascii=False) if prop.get("examples") else "",
            ))
            child = _children(prop, defs)
            if child is not None:
                is_list = any(o.get("type") == "array" for o in prop.get("anyOf", [prop]))
                walk(child, f"{path}[]." if is_list else f"{path}.")

    walk(schema, "")
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def reference_markdown() -> str:
    """The reference of every key of every policy file, as Markdown."""
    out = ["# Reference: every key of every policy file", "",
           "Generated from qmdoc's models by `qmdoc schema --reference`; the same models check your files "
           "(`qmdoc check`) and give your editor its completion (`qmdoc schema`). Unknown keys are errors.", ""]
    for kind in KINDS:
        out += [f"## {kind.title} — `{kind.pattern}`", "", kind.model.__doc__.strip().splitlines()[0], "",
                "| key | type | required | default | meaning | example |", "|---|---|---|---|---|---|"]
        for r in key_rows(kind):
            out.append(f"| `{r.path}` | {_cell(r.type)} | {'yes' if r.required else ''} | "
                       f"{_cell(f'`{r.default}`') if r.default else ''} | {_cell(r.description)} | "
                       f"{_cell(f'`{r.example}`') if r.example else ''} |")
        out.append("")
    return "\n".join(out)
