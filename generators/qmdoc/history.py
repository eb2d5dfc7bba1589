"""Gather document histories and the previous release's policy from git (I/O), for the pure compute."""

from __future__ import annotations

from pathlib import Path

from .compute.changes import PolicyChanges, compare_policy
from .compute.control import DocumentHistory, FileChange, merge_history
from .errors import QmdocError
from .gitrepo import Git
from .project import Project
from .yamlfile import Parses, parse_yaml


def _parse(text: str | None, path: str, parsed: Parses | None = None):  # noqa: ANN202
    """The data of a policy file's ``text`` (None: no such file, or not YAML); ``parsed``: the parses of
    earlier builds (a file's past versions are the same texts at every build)."""
    if text is None:
        return None
    try:
        return parse_yaml(text, path, parsed).data
    except QmdocError:
        return None


def _revision(data, kind: str) -> str | None:  # noqa: ANN001
    block = data.get("manual" if kind == "manual" else "document") if isinstance(data, dict) else None
    return str(block["revision"]) if isinstance(block, dict) and "revision" in block else None


_REVISIONS: dict[tuple[Path, str, str, str], str | None] = {}  # a commit never changes: kept for the process


def _revision_at(root: Path, sha: str, source: str, kind: str, parsed: Parses | None) -> str | None:
    """The revision a document file declared in commit ``sha``."""
    key = (root, sha, source, kind)
    if key not in _REVISIONS:
        _REVISIONS[key] = _revision(_parse(Git(root).show(sha, source), source, parsed), kind)
    return _REVISIONS[key]


def collect_histories(root: Path, project: Project, parsed: Parses | None = None) -> dict[str, DocumentHistory]:
    """Each document's history from git; ``parsed``: where parses of earlier builds are kept."""
    git = Git(root)
    if not git.available():
        return {}
    out = {}
    for d in project.documents():
        changes = [FileChange(c.sha, c.date, c.author, c.subject, _revision_at(root, c.sha, d.source, d.kind, parsed))
                   for c in git.log(d.source)]
        committed = changes[-1].revision if changes else None
        out[d.control.id] = merge_history(d.control, d.source, changes, git.is_dirty(d.source), committed)
    return out


def snapshot(root: Path, ref: str | None, parsed: Parses | None = None) -> tuple[dict, list[str]]:
    """Parsed policy files and data file names at ``ref`` (None: the working tree)."""
    if ref is None:
        policy = {p.relative_to(root).as_posix(): _parse(p.read_text("utf-8"), p.name, parsed)
                  for p in sorted((root / "policy").rglob("*.yml"))}
        data = sorted(p.relative_to(root).as_posix() for p in (root / "data").rglob("*.csv"))
        return policy, data
    git = Git(root)
    policy = {path: _parse(git.show(ref, path), path, parsed) for path in git.files(ref, "policy")
              if path.endswith(".yml")}
    return policy, git.files(ref, "data")


def collect_changes(root: Path, since: str | None = None, parsed: Parses | None = None) -> PolicyChanges | None:
    """What changed in the policy since the release ``since`` (default the previous one); ``parsed`` as above."""
    git = Git(root)
    if not git.available():
        return None
    since = since or git.previous_release()
    if since is None:
        return None
    old, old_data = snapshot(root, since, parsed)
    new, new_data = snapshot(root, None, parsed)
    return compare_policy(since, old, new, old_data, new_data)
