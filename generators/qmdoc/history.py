"""Gather document histories and the previous release's policy from git (I/O), for the pure compute."""

from __future__ import annotations

import functools
from pathlib import Path

from .compute.changes import PolicyChanges, compare_policy
from .compute.control import DocumentHistory, FileChange, merge_history
from .errors import QmdocError
from .gitrepo import Git
from .project import Project
from .yamlfile import parse_yaml


def _parse(text: str | None, path: str):  # noqa: ANN202
    if text is None:
        return None
    try:
        return parse_yaml(text, path).data
    except QmdocError:
        return None


def _revision(data, kind: str) -> str | None:  # noqa: ANN001
    block = data.get("manual" if kind == "manual" else "document") if isinstance(data, dict) else None
    return str(block["revision"]) if isinstance(block, dict) and "revision" in block else None


@functools.lru_cache(maxsize=4096)
def _revision_at(root: Path, sha: str, source: str, kind: str) -> str | None:
    """The revision a document file declared in commit ``sha`` (a commit never changes, so this is kept)."""
    return _revision(_parse(Git(root).show(sha, source), source), kind)


def collect_histories(root: Path, project: Project) -> dict[str, DocumentHistory]:
    git = Git(root)
    if not git.available():
        return {}
    out = {}
    for d in project.documents():
        changes = [FileChange(c.sha, c.date, c.author, c.subject, _revision_at(root, c.sha, d.source, d.kind))
                   for c in git.log(d.source)]
        committed = changes[-1].revision if changes else None
        out[d.control.id] = merge_history(d.control, d.source, changes, git.is_dirty(d.source), committed)
    return out


def snapshot(root: Path, ref: str | None) -> tuple[dict, list[str]]:
    """Parsed policy files and data file names at ``ref`` (None: the working tree)."""
    if ref is None:
        policy = {p.relative_to(root).as_posix(): _parse(p.read_text("utf-8"), p.name)
                  for p in sorted((root / "policy").rglob("*.yml"))}
        data = sorted(p.relative_to(root).as_posix() for p in (root / "data").rglob("*.csv"))
        return policy, data
    git = Git(root)
    policy = {path: _parse(git.show(ref, path), path) for path in git.files(ref, "policy") if path.endswith(".yml")}
    return policy, git.files(ref, "data")


def collect_changes(root: Path, since: str | None = None) -> PolicyChanges | None:
    git = Git(root)
    if not git.available():
        return None
    since = since or git.previous_release()
    if since is None:
        return None
    old, old_data = snapshot(root, since)
    new, new_data = snapshot(root, None)
    return compare_policy(since, old, new, old_data, new_data)
