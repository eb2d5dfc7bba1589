"""What changed in the policy since the previous release: a comparison of two snapshots (pure).

A snapshot maps each policy file (path relative to the project root) to its
parsed YAML data; data files are compared by name only (survey waves added).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class DocumentChange:
    document: str
    title: str
    source: str
    kind: str  # added | removed | revised | changed (content changed, same revision)
    old_revision: str | None
    new_revision: str | None
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class TargetChange:
    objective: str
    title: str
    old: str
    new: str


@dataclass(frozen=True)
class PolicyChanges:
    since: str  # the previous release (tag)
    documents: tuple[DocumentChange, ...]
    targets: tuple[TargetChange, ...]
    procedures_with_new_steps: tuple[str, ...]
    waves_added: tuple[tuple[str, str], ...]  # (survey id, wave file stem)


def control_block(data: Any) -> dict | None:
    if not isinstance(data, dict):
        return None
    block = data.get("document", data.get("manual"))
    return block if isinstance(block, dict) and "id" in block else None


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """``{"a": {"b": [1]}}`` -> ``{"a.b[0]": "1"}``; the leaves as text."""
    out: dict[str, str] = {}
    if isinstance(value, dict):
        for key in value:
            out.update(flatten(value[key], f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.update(flatten(item, f"{prefix}[{i}]"))
    else:
        out[prefix] = "" if value is None else str(value)
    return out


def _by_document(snapshot: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    out = {}
    for path in sorted(snapshot):
        block = control_block(snapshot[path])
        if block is not None:
            out[str(block["id"])] = (path, snapshot[path])
    return out


def _targets(data: Any) -> dict[str, tuple[str, str]]:
    if not isinstance(data, dict) or not isinstance(data.get("objectives"), list):
        return {}
    out = {}
    for obj in data["objectives"]:
        if isinstance(obj, dict) and "id" in obj:
            out[str(obj["id"])] = (str(obj.get("title", "")),
                                   f"{obj.get('direction', '')} {obj.get('target', '')} {obj.get('unit', '')}".strip())
    return out


def compare_policy(since: str, old: dict[str, Any], new: dict[str, Any], old_data: list[str],
                   new_data: list[str]) -> PolicyChanges:
    before, after = _by_document(old), _by_document(new)
    docs = []
    for doc_id in sorted(set(before) | set(after)):
        if doc_id not in before:
            path, data = after[doc_id]
            block = control_block(data)
            docs.append(DocumentChange(doc_id, str(block.get("title", "")), path, "added", None,
                                       str(block.get("revision")), ()))
            continue
        if doc_id not in after:
            path, data = before[doc_id]
            block = control_block(data)
            docs.append(DocumentChange(doc_id, str(block.get("title", "")), path, "removed",
                                       str(block.get("revision")), None, ()))
            continue
        (_, old_doc), (path, new_doc) = before[doc_id], after[doc_id]
        a, b = flatten(old_doc), flatten(new_doc)
        fields = tuple(FieldChange(k, a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k))
        if not fields:
            continue
        old_rev, new_rev = str(control_block(old_doc).get("revision")), str(control_block(new_doc).get("revision"))
        docs.append(DocumentChange(doc_id, str(control_block(new_doc).get("title", "")), path,
                                   "revised" if old_rev != new_rev else "changed", old_rev, new_rev, fields))
    targets = []
    old_t = {k: v for path in old for k, v in _targets(old[path]).items()}
    new_t = {k: v for path in new for k, v in _targets(new[path]).items()}
    for oid in sorted(set(old_t) & set(new_t)):
        if old_t[oid][1] != new_t[oid][1]:
            targets.append(TargetChange(oid, new_t[oid][0], old_t[oid][1], new_t[oid][1]))
    steps = tuple(d.document for d in docs if any(f.field.startswith("steps") for f in d.fields))
    waves = []
    for path in sorted(set(new_data) - set(old_data)):
        parts = path.split("/")
        if len(parts) >= 4 and parts[0] == "data" and parts[1] == "surveys" and path.endswith(".csv"):
            waves.append((parts[2], parts[-1][:-4]))
    return PolicyChanges(since, tuple(docs), tuple(targets), steps, tuple(waves))
