"""Broken and absurd input: every rule is reported once, by `qmdoc check`, with file:line.

The machinery of the rule tables (test_policy_files, test_survey_instrument, test_complaints_log):
each case edits one thing in a copy of the fixture organization and states the exact lines
`check` prints. No case may end in a traceback, a Python warning (the suite fails on any) or a
change to the user's files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from qmdoc.cli import main
from conftest import copy_mini

CSS = "policy/surveys/css.yml"
ORG = "policy/organization.yml"
OBJ = "policy/objectives.yml"
PR1 = "policy/procedures/PR-1.yml"
PR2 = "policy/procedures/PR-2.yml"
QP = "policy/quality-policy.yml"
Q1 = "data/surveys/css/2025-Q1.csv"
LOG = "data/complaints.csv"


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("policy", "data", "docs") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def check(root: Path, capsys: pytest.CaptureFixture) -> tuple[int, list[str], str]:
    code = main(["--root", str(root), "check"])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, out.err.splitlines(), out.out


def check_reports_the_rule(case: tuple, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    name, rel, old, new, expected = case
    root = copy_mini(tmp_path / "org")
    edit(root, rel, old, new)
    before = digest(root)
    code, err, out = check(root, capsys)
    if expected is None:  # an input that is fine
        assert (code, err) == (0, []), err
        assert out.startswith("ok: ")
    else:
        assert err == expected
        assert code == 1
    assert digest(root) == before  # nothing the user wrote is modified


def build_fails_as_check_does(case: tuple, tmp_path: Path, capsys: pytest.CaptureFixture,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`build` reports exactly what `check` reports, writes no site and changes no file of the user's;
    `figures` on the survey instrument ends in the same lines for the instrument's own problems."""
    name, rel, old, new, expected = case
    root = copy_mini(tmp_path / "org")
    edit(root, rel, old, new)
    before = digest(root)
    code = main(["--root", str(root), "build"])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    assert (code, out.err.splitlines()) == (1, expected)
    assert not (root / "site").exists()
    assert digest(root) == before
    if rel == CSS:
        monkeypatch.chdir(root)
        code = main(["figures", CSS])
        out = capsys.readouterr()
        assert code == 1 and "Traceback" not in out.err + out.out
        assert out.err and set(out.err.splitlines()) <= set(expected)
