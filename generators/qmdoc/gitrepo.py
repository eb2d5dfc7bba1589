"""Read-only access to the project's git history (I/O at the edge, like load)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import QmdocError

INPUTS = ("policy", "data", "docs", "mkdocs.yml")  # what the manual is built from


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # ISO date YYYY-MM-DD of the commit
    author: str
    subject: str


class Git:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _run(self, *args: str) -> str | None:
        try:
            proc = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, check=False)
        except OSError:
            return None
        return proc.stdout if proc.returncode == 0 else None

    def available(self) -> bool:
        return self._run("rev-parse", "--verify", "-q", "HEAD") is not None

    def head(self) -> str | None:
        """The current commit, abbreviated to 12 hex digits."""
        out = self._run("rev-parse", "--short=12", "HEAD")
        return out.strip() or None if out else None

    def last_commit_epoch(self) -> str | None:
        """Seconds since 1970 of the last commit, as git prints them."""
        out = self._run("log", "-1", "--format=%ct")
        return out.strip() or None if out else None

    def log(self, path: str) -> list[Commit]:
        """Commits that changed ``path`` (relative to the project root), oldest first."""
        out = self._run("log", "--format=%H%x1f%cs%x1f%an%x1f%s", "--", path)
        if not out:
            return []
        commits = [Commit(*line.split("\x1f", 3)) for line in out.splitlines() if line]
        return commits[::-1]

    def show(self, ref: str, path: str) -> str | None:
        """Content of ``path`` (relative to the project root) at ``ref``, or None when absent."""
        prefix = self._prefix()
        return self._run("show", f"{ref}:{prefix}{path}")

    def files(self, ref: str, folder: str) -> list[str]:
        """Files under ``folder`` (relative to the project root) at ``ref``, relative to the project root."""
        prefix = self._prefix()
        out = self._run("ls-tree", "-r", "--name-only", ref, "--", f"{prefix}{folder}")
        if not out:
            return []
        return sorted(line[len(prefix):] for line in out.splitlines() if line)

    def _prefix(self) -> str:
        out = self._run("rev-parse", "--show-prefix")
        return out.strip() if out else ""

    def previous_release(self) -> str | None:
        """The newest tag reachable from HEAD that does not point at HEAD itself."""
        out = self._run("tag", "--merged", "HEAD", "--sort=-creatordate")
        if not out:
            return None
        head = (self._run("rev-parse", "HEAD") or "").strip()
        for tag in out.split():
            sha = (self._run("rev-list", "-n", "1", tag) or "").strip()
            if sha and sha != head:
                return tag
        return None

    def status(self, *paths: str) -> str | None:
        """``git status --porcelain`` under ``paths`` (None outside git)."""
        return self._run("status", "--porcelain", "--", *paths)

    def tags(self) -> str | None:
        """Every tag with the object it points to (None outside git)."""
        return self._run("show-ref", "--tags")

    def is_dirty(self, *paths: str) -> bool:
        """Whether the working tree differs from HEAD under ``paths``."""
        out = self._run("status", "--porcelain", "--", *paths)
        return bool(out and out.strip())


@dataclass(frozen=True)
class SourceDate:
    """The date the manual is built as of, and where it comes from (never the clock).

    ``origin``: ``epoch`` (``SOURCE_DATE_EPOCH``), ``commit`` (the last commit) or ``files``
    (outside git: the newest modification time of the input files).
    """

    when: dt.datetime
    origin: Literal["epoch", "commit", "files"]


def source_date(root: Path) -> SourceDate:
    """``SOURCE_DATE_EPOCH``, else the last commit's date, else the newest input file's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    origin: Literal["epoch", "commit", "files"] = "epoch"
    if epoch is None:
        epoch, origin = Git(root).last_commit_epoch(), "commit"
    if epoch is None:
        times = [p.stat().st_mtime for name in INPUTS for p in _files(Path(root) / name)]
        if not times:
            raise QmdocError("expected the project's files (policy/, data/, docs/), got none")
        epoch, origin = str(int(max(times))), "files"
    try:
        seconds = int(epoch)
        return SourceDate(dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc), origin)
    except (ValueError, OverflowError, OSError):
        raise QmdocError(f"SOURCE_DATE_EPOCH: expected whole seconds since 1970, got {epoch!r}") from None


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else []
