"""The policy files' rules (YAML, document control, objectives, procedures, file references): each reported
once by `qmdoc check`, with file:line (see input_cases)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import copy_mini
from input_cases import OBJ, ORG, PR1, PR2, QP, build_fails_as_check_does, check, check_reports_the_rule, edit


# (case id, file, text to replace (exactly once), replacement, the exact lines `check` prints)
CASES = [
    # YAML that cannot be read as written
    ("impossible-date", QP, "approval_date: 2025-01-10", "approval_date: 2025-02-30",
     ["policy/quality-policy.yml:8: invalid YAML: expected a real calendar date YYYY-MM-DD, "
      "got '2025-02-30' (day is out of range for month)"]),
    ("month-13", PR1, "review_due: 2027-01-15", "review_due: 2027-13-01",
     ["policy/procedures/PR-1.yml:11: invalid YAML: expected a real calendar date YYYY-MM-DD, "
      "got '2027-13-01' (month must be in 1..12)"]),
    ("deep-nesting", OBJ, "objectives:\n", "deep: " + "[" * 5000 + "]" * 5000 + "\nobjectives:\n",
     ["policy/objectives.yml:12: invalid YAML: expected at most 32 levels of nesting, got more"]),
    ("deep-mapping", QP, "clauses:", "x: " + "{a: " * 100 + "1" + "}" * 100 + "\nclauses:",
     ["policy/quality-policy.yml:12: invalid YAML: expected at most 32 levels of nesting, got more"]),
    ("alias", QP, 'statement: We deliver', 'anchor: &a [1]\nother: *a\nstatement: We deliver',
     ["policy/quality-policy.yml:14: invalid YAML: aliases (*name) are not allowed in policy files"]),
    ("python-tag", QP, "statement: We deliver parts that meet the drawing, on time.",
     "statement: !!python/object/apply:os.system [echo hi]",
     ["policy/quality-policy.yml:13: invalid YAML: unsupported tag "
      "'tag:yaml.org,2002:python/object/apply:os.system'"]),
    ("duplicate-key", QP, "clauses:", "statement: twice\nclauses:",
     ["policy/quality-policy.yml:14: invalid YAML: duplicate key 'statement'"]),
    # numbers that are no numbers, or absurd ones
    ("target-inf", OBJ, "target: 60", "target: .inf",
     ["policy/objectives.yml:13: objectives[0].target: expected a finite number, got inf"]),
    ("target-nan", OBJ, "target: 60", "target: .nan",
     ["policy/objectives.yml:13: objectives[0].target: expected a finite number, got nan"]),
    ("target-1e309", OBJ, "target: 60", "target: 1e309",
     ["policy/objectives.yml:13: objectives[0].target: expected a finite number, got '1e309'"]),
    ("target-huge", OBJ, "target: 60", "target: 1.0e+300",
     ["policy/objectives.yml:13: objectives[0].target: expected less than or equal to 1000000000, got 1e+300"]),
    ("negative-target-days", PR2, "resolve_days: 20", "resolve_days: -20",
     ["policy/procedures/PR-2.yml:21: targets.resolve_days: expected greater than or equal to 0, got -20"]),
    # documents that contradict themselves
    ("review-before-approval", PR1, "review_due: 2027-01-15", "review_due: 2024-01-15",
     ["policy/procedures/PR-1.yml:11: document.review_due: expected a date on or after the approval date "
      "2025-01-10, got 2024-01-15",
      "policy/procedures/PR-1.yml:11: document.review_due: expected a date on or after the effective date "
      "2025-01-15, got 2024-01-15"]),
    ("effective-before-approval", QP, "effective_date: 2025-01-15", "effective_date: 2025-01-01",
     ["policy/quality-policy.yml:9: document.effective_date: expected a date on or after the approval date "
      "2025-01-10, got 2025-01-01"]),
    ("revisions-out-of-order", ORG, '{revision: "1", date: 2024-01-10', '{revision: "1", date: 2025-06-10',
     ["policy/organization.yml:20: manual.revisions[1].date: expected revisions oldest first, "
      "got 2025-01-10 after 2025-06-10"]),
    ("revision-twice", ORG, '{revision: "2", date: 2025-01-10', '{revision: "1", date: 2025-01-10',
     ["policy/organization.yml:20: manual.revisions[1].revision: expected each revision once, "
      "got '1' again (first at revisions[0])"]),
    ("related-to-itself", PR1, "related: [PR-2]", "related: [PR-2, PR-1]",
     ["policy/procedures/PR-1.yml:23: related[1]: expected the id of another document, "
      "got this procedure's own id 'PR-1'"]),
    ("superseded-by-itself", PR1, "  status: approved\n", "  status: approved\n  superseded_by: PR-1\n",
     ["policy/procedures/PR-1.yml:6: document.superseded_by: expected the id of another document, "
      "got this document's own id 'PR-1'"]),
    # one mistake, one message
    ("unknown-key-in-referenced-procedure", PR2, "purpose: Resolve complaints.",
     "purpose: Resolve complaints.\npurpse: typo",
     ["policy/procedures/PR-2.yml:15: purpse: expected a known key, got unknown key 'purpse'"]),
    # file references that leave the repository
    ("logo-absolute", ORG, "complaints_procedure: PR-2", "complaints_procedure: PR-2\nlogo: /etc/passwd",
     ["policy/organization.yml:22: logo: expected a path inside the repository, got '/etc/passwd'"]),
    ("logo-dotdot", ORG, "complaints_procedure: PR-2", "complaints_procedure: PR-2\nlogo: ../outside.png",
     ["policy/organization.yml:22: logo: expected a path inside the repository, got '../outside.png'"]),
    ("logo-inner-dotdot", ORG, "complaints_procedure: PR-2", "complaints_procedure: PR-2\nlogo: docs/../../x.png",
     ["policy/organization.yml:22: logo: expected a path inside the repository, got 'docs/../../x.png'"]),
    ("logo-missing", ORG, "complaints_procedure: PR-2", "complaints_procedure: PR-2\nlogo: docs/logo.png",
     ["policy/organization.yml:22: logo: expected an image file, got 'docs/logo.png' (no such file)"]),
    ("logo-not-image", ORG, "complaints_procedure: PR-2", "complaints_procedure: PR-2\nlogo: mkdocs.yml",
     ["policy/organization.yml:22: logo: expected a file ending in .png, .jpg, .jpeg, .svg, .gif, .webp, "
      "got 'mkdocs.yml'"]),
    ("complaints-log-outside", ORG, "complaints_procedure: PR-2",
     "complaints_procedure: PR-2\ncomplaints_log: ../../complaints.csv",
     ["policy/organization.yml:22: complaints_log: expected a path inside the repository, "
      "got '../../complaints.csv'"]),
    ("action-url-javascript", ORG, "complaints_procedure: PR-2",
     "complaints_procedure: PR-2\ncorrective_action_url: 'javascript:alert(1)//{id}'",
     ["policy/organization.yml:22: corrective_action_url: expected an http:// or https:// URL, "
      "got 'javascript:alert(1)//{id}'"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_check_reports_the_rule(case: tuple, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    check_reports_the_rule(case, tmp_path, capsys)


BROKEN = [c for c in CASES if c[4] is not None]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_build_and_figures_fail_as_check_does(case: tuple, tmp_path: Path, capsys: pytest.CaptureFixture,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    build_fails_as_check_does(case, tmp_path, capsys, monkeypatch)


def test_links_that_leave_the_repository_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text("respondent_id\n1\n", encoding="utf-8")
    (outside / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    root = copy_mini(tmp_path / "org")
    os.symlink(outside / "secret.csv", root / "data/surveys/css/2025-Q3.csv")
    os.symlink(outside / "logo.png", root / "docs/logo.png")
    os.symlink(root / "docs/loop", root / "docs/loop")  # a link to itself
    edit(root, ORG, "complaints_procedure: PR-2", "complaints_procedure: PR-2\nlogo: docs/logo.png")
    code, err, _ = check(root, capsys)
    assert code == 1
    assert err == [
        "data/surveys/css/2025-Q3.csv: expected a file inside the repository, got a link to a file outside it",
        "docs/logo.png: expected a file inside the repository, got a link to a file outside it",
        "docs/loop: expected a file inside the repository, got a link to a file outside it",
        "policy/organization.yml:22: logo: expected a path inside the repository, got 'docs/logo.png'",
    ]


def test_a_link_inside_the_repository_is_fine(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = copy_mini(tmp_path / "org")
    (root / "docs/images").mkdir()
    (root / "docs/images/logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    os.symlink(root / "docs/images/logo.png", root / "docs/logo.png")
    edit(root, ORG, "complaints_procedure: PR-2", "complaints_procedure: PR-2\nlogo: docs/logo.png")
    code, err, _ = check(root, capsys)
    assert (code, err) == (0, [])


def test_one_broken_procedure_gives_one_message(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """PR-1 refers to PR-2 and the organization names PR-2 as its complaints procedure: neither is blamed."""
    root = copy_mini(tmp_path / "org")
    edit(root, PR2, "purpose: Resolve complaints.", "purpose: Resolve complaints.\npurpse: typo")
    code, err, _ = check(root, capsys)
    assert (code, len(err)) == (1, 1)
