"""Broken and absurd policy input: every rule is reported once, by `qmdoc check`, with file:line.

Each case edits one thing in a copy of the fixture organization and states the exact lines
`check` prints. No case may end in a traceback, a Python warning (the suite fails on any) or a
change to the user's files.
"""

from __future__ import annotations

import hashlib
import os
import re
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

DIMENSIONS = """dimensions:
  - id: quality
    title: Product quality
    weight: 0.6
    items:
      - {id: q1, text: Parts meet the drawing}
      - {id: q2, text: Certificates are complete}
  - id: delivery
    title: Delivery
    weight: 0.4
    items:"""

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
    ("negative-invitations", CSS, '"2025-Q1": 40', '"2025-Q1": -40',
     ["policy/surveys/css.yml:9: invitations.2025-Q1: expected greater than 0, got -40"]),
    ("zero-invitations", CSS, '"2025-Q1": 40', '"2025-Q1": 0',
     ["policy/surveys/css.yml:9: invitations.2025-Q1: expected greater than 0, got 0"]),
    ("negative-target-days", PR2, "resolve_days: 20", "resolve_days: -20",
     ["policy/procedures/PR-2.yml:21: targets.resolve_days: expected greater than or equal to 0, got -20"]),
    ("weight-inf", CSS, "weight: 0.6", "weight: .inf",
     ["policy/surveys/css.yml:16: dimensions[0].weight: expected a finite number, got inf"]),
    ("scale-huge", CSS, "scale: {min: 1, max: 5}", "scale: {min: 1, max: 5000000000}",
     ["policy/surveys/css.yml:3: scale.max: expected less than or equal to 1000000, got 5000000000"]),
    ("min-cell-negative", CSS, "min_cell_n: 5", "min_cell_n: -5",
     ["policy/surveys/css.yml:8: min_cell_n: expected greater than or equal to 1, got -5"]),
    # the survey instrument's rules (compute relies on each)
    ("item-weight-on-some", CSS, "- {id: q1, text: Parts meet the drawing}",
     "- {id: q1, text: Parts meet the drawing, weight: 2}",
     ["policy/surveys/css.yml:19: dimensions[0].items[1].weight: expected a weight on every item of "
      "dimension 'quality' or on none, got weights on 1 of 2"]),
    ("dimension-weight-on-some", CSS, "    weight: 0.4\n", "",
     ["policy/surveys/css.yml:20: dimensions[1].weight: expected a weight on every dimension or on none, "
      "got weights on 1 of 2"]),
    ("dimension-weight-derived", CSS, "importance: stated\n", "importance: derived\n",
     None),  # derived importance with stated weights on every dimension: fine (weights unused)
    ("duplicate-item", CSS, "- {id: q4, text: Lead times are acceptable}",
     "- {id: q1, text: Lead times are acceptable}",
     ["policy/surveys/css.yml:25: dimensions[1].items[1].id: expected a unique item id, got 'q1' again"]),
    ("overall-unknown", CSS, "overall: q_overall", "overall: q_missing",
     ["policy/surveys/css.yml:10: overall: expected the id of an item, got 'q_missing'"]),
    ("recommend-scale", CSS, "recommend: q_nps", "recommend: q_overall",
     ["policy/surveys/css.yml:11: recommend: expected an item on a 0..10 scale, got 'q_overall' on 1..5"]),
    ("loyalty-unknown", CSS, "importance: stated", "importance: stated\nloyalty: [q_missing]",
     ["policy/surveys/css.yml:13: loyalty[0]: expected the id of an item, got 'q_missing'"]),
    ("loyalty-in-dimension", CSS, "importance: stated", "importance: stated\nloyalty: [q1]",
     ["policy/surveys/css.yml:13: loyalty[0]: expected a top-level item (loyalty is not part of a dimension), "
      "got 'q1'"]),
    ("not-applicable-inside-every-scale", CSS, "not_applicable: [0]", "not_applicable: [3]",
     ["policy/surveys/css.yml:4: not_applicable[0]: expected a code outside the scale of some item "
      "(inside every scale it is always an answer), got 3"]),
    ("internal-without-kind", CSS, "importance: stated",
     "importance: stated\ninternal: {supplier: region, customer: wave}",
     ["policy/surveys/css.yml:13: kind: expected kind: internal with internal:, got 'customer'"]),
    ("internal-same-columns", CSS, "importance: stated",
     "importance: stated\nkind: internal\ninternal: {supplier: region, customer: region}",
     ["policy/surveys/css.yml:14: internal.customer: expected a column other than the supplier column, "
      "got 'region' for both"]),
    ("kind-internal-without-columns", CSS, "importance: stated", "importance: stated\nkind: internal",
     ["policy/surveys/css.yml:13: internal: expected the supplier and customer columns "
      "(internal: {supplier: ..., customer: ...}), got nothing"]),
    ("competitors-and-internal", CSS, "importance: stated",
     "importance: stated\nkind: internal\ninternal: {supplier: region, customer: wave}\n"
     "competitors: {column: region, us: North}",
     ["policy/surveys/css.yml:15: competitors: expected competitors or internal customers, got both"]),
    ("competitors-us-absent", CSS, "importance: stated", "importance: stated\ncompetitors: {column: region, us: Atlantis}",
     ["policy/surveys/css.yml:13: competitors.us: expected rows whose region is 'Atlantis' in the data files "
      "(data/surveys/css/2025-Q1.csv, data/surveys/css/2025-Q2.csv), got none"]),
    ("model-unknown-dimension", CSS, "importance: stated",
     "importance: stated\nmodel: {paths: [[quality, price]]}",
     ["policy/surveys/css.yml:13: model.paths[0]: expected dimension ids, got 'price'"]),
    ("model-self-path", CSS, "importance: stated",
     "importance: stated\nmodel: {paths: [[quality, quality]]}",
     ["policy/surveys/css.yml:13: model.paths[0]: expected a path between two dimensions, got 'quality' to itself"]),
    ("model-repeated-path", CSS, "importance: stated",
     "importance: stated\nmodel: {paths: [[quality, delivery], [quality, delivery]]}",
     ["policy/surveys/css.yml:13: model.paths[1]: expected each path once, got quality -> delivery again "
      "(first at model.paths[0])"]),
    ("model-loop", CSS, "importance: stated",
     "importance: stated\nmodel: {paths: [[quality, delivery], [delivery, quality]]}",
     ["policy/surveys/css.yml:13: model.paths: expected paths without a loop (a recursive model cannot be "
      "estimated), got quality -> delivery -> quality"]),
    ("drivers-without-overall", CSS, "overall: q_overall\nrecommend: q_nps\nimportance: stated",
     "recommend: q_nps\nimportance: drivers",
     ["policy/surveys/css.yml:11: importance: expected an overall item (key overall) for drivers importance, "
      "got none"]),
    ("drivers-importance", CSS, "importance: stated\n", "importance: drivers\ndrivers: {bootstrap: 0}\n", None),
    ("drivers-bootstrap-too-many", CSS, "importance: stated", "importance: stated\ndrivers: {bootstrap: 1000000}",
     ["policy/surveys/css.yml:13: drivers.bootstrap: expected less than or equal to 100000, got 1000000"]),
    ("model-target-exogenous", CSS, "importance: stated",
     "importance: stated\nmodel: {paths: [[quality, delivery]], target: quality}",
     ["policy/surveys/css.yml:13: model.target: expected a dimension that a path leads to (the target of the "
      "importance-performance map), got 'quality'"]),
    ("model-bootstrap-negative", CSS, "importance: stated",
     "importance: stated\nmodel: {paths: [[quality, delivery]], bootstrap: {samples: -1}}",
     ["policy/surveys/css.yml:13: model.bootstrap.samples: expected greater than or equal to 0, got -1"]),
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
    ("unknown-severity", LOG, "C-001,2025-01-06,2025-01-12,2025-01-11,K0,Secret Customer 0 Ltd,buyer0@customer.example,Late delivery,minor,", "C-001,2025-01-06,2025-01-12,2025-01-11,K0,Secret Customer 0 Ltd,buyer0@customer.example,Late delivery,catastrophic,",
     ["data/complaints.csv:2: severity: expected one of the complaint severities (minor, major, critical; "
      "complaint_severities in organization.yml)"]),
    # one mistake, one message
    ("unknown-key-in-referenced-procedure", PR2, "purpose: Resolve complaints.",
     "purpose: Resolve complaints.\npurpse: typo",
     ["policy/procedures/PR-2.yml:15: purpse: expected a known key, got unknown key 'purpse'"]),
    ("broken-survey-not-blamed-in-objectives", CSS, "scale: {min: 1, max: 5}", "scale: {min: 5, max: 1}",
     ["policy/surveys/css.yml:3: scale: expected max greater than min, got min 5 and max 1"]),
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
     ["policy/organization.yml:22: corrective_action_url: expected an identifier (letters, digits, _ . -, "
      "starting with a letter), got 'javascript:alert(1)//{id}'"]),
]


def _digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("policy", "data", "docs") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def check(root: Path, capsys: pytest.CaptureFixture) -> tuple[int, list[str], str]:
    code = main(["--root", str(root), "check"])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, out.err.splitlines(), out.out


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_check_reports_the_rule(case: tuple, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    name, rel, old, new, expected = case
    root = copy_mini(tmp_path / "org")
    _edit(root, rel, old, new)
    before = _digest(root)
    code, err, out = check(root, capsys)
    if expected is None:  # an input that is fine
        assert (code, err) == (0, []), err
        assert out.startswith("ok: ")
    else:
        assert err == expected
        assert code == 1
    assert _digest(root) == before  # nothing the user wrote is modified


def test_every_row_names_what_it_rates(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = copy_mini(tmp_path / "org")
    _edit(root, CSS, "importance: stated", "importance: stated\ncompetitors: {column: region, us: North}")
    _edit(root, Q1, "RQ1-001,2025-Q1,North,", "RQ1-001,2025-Q1,,")
    code, err, _ = check(root, capsys)
    assert (code, err) == (1, ["data/surveys/css/2025-Q1.csv:3: region: expected the name of the company or "
                               "department rated, got nothing"])


def test_a_complaint_after_today_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import datetime as dt

    root = copy_mini(tmp_path / "org")
    _edit(root, LOG, "C-001,2025-01-06,2025-01-12,2025-01-11", "C-001,2099-01-06,2099-01-12,2099-01-13")
    code, err, _ = check(root, capsys)
    today = dt.date.today().isoformat()
    assert code == 1
    assert err == [f"data/complaints.csv:2: {col}: expected a date on or before today ({today}), got a later one"
                   for col in ("acknowledged", "received", "resolved")]


def test_links_that_leave_the_repository_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text("respondent_id\n1\n", encoding="utf-8")
    (outside / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    root = copy_mini(tmp_path / "org")
    os.symlink(outside / "secret.csv", root / "data/surveys/css/2025-Q3.csv")
    os.symlink(outside / "logo.png", root / "docs/logo.png")
    os.symlink(root / "docs/loop", root / "docs/loop")  # a link to itself
    _edit(root, ORG, "complaints_procedure: PR-2", "complaints_procedure: PR-2\nlogo: docs/logo.png")
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
    _edit(root, ORG, "complaints_procedure: PR-2", "complaints_procedure: PR-2\nlogo: docs/logo.png")
    code, err, _ = check(root, capsys)
    assert (code, err) == (0, [])


def test_one_broken_procedure_gives_one_message(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """PR-1 refers to PR-2 and the organization names PR-2 as its complaints procedure: neither is blamed."""
    root = copy_mini(tmp_path / "org")
    _edit(root, PR2, "purpose: Resolve complaints.", "purpose: Resolve complaints.\npurpse: typo")
    code, err, _ = check(root, capsys)
    assert (code, len(err)) == (1, 1)


def test_one_broken_survey_gives_one_message(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Objectives on css.index and css.nps are not blamed when the survey's own file is invalid."""
    root = copy_mini(tmp_path / "org")
    _edit(root, CSS, "scale: {min: 1, max: 5}", "scale: {min: 1, max: 5}\nunknown_key: 1")
    code, err, _ = check(root, capsys)
    assert code == 1
    assert err == ["policy/surveys/css.yml:4: unknown_key: expected a known key, got unknown key 'unknown_key'"]


# Every rule the compute/survey package states as a ValueError (an assertion there: the loader reports it first)
# and the case above in which `check` reports it. The count keeps this list true when a rule is added.
COMPUTE_RULES = {
    "item id is used more than once": "duplicate-item",
    "expected a weight on every item or on none": "item-weight-on-some",
    "expected a weight on every dimension or on none": "dimension-weight-on-some",
    "names item ..., which is not an item of the survey": "overall-unknown",
    "recommend item: expected a 0..10 scale": "recommend-scale",
    "loyalty names item ..., which is not an item of the survey": "loyalty-unknown",
    "loyalty item is an item of a dimension": "loyalty-in-dimension",
    "expected a value from min to max or a not-applicable code": "csv: an item value outside its scale",
    "structural model: (an instrument the loader let through)": "model-loop",
    "internal (supplier, customer) is declared, expected kind internal": "internal-without-kind",
    "expected competitors or internal customers, got both": "competitors-and-internal",
    "responses lack the column(s)": "csv: a mapped column missing",
    "a response has no wave": "csv: a blank wave label",
    "a response has no <rated column>": "csv: a blank rated company or department (test_every_row_names_what_it_rates)",
    "competitors: expected rows whose column is us": "competitors-us-absent",
}


def test_every_compute_rule_has_a_check_case() -> None:
    package = Path(__file__).parent.parent / "generators/qmdoc/compute/survey"
    source = "".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py")))
    assert len(re.findall(r"raise ValueError\(", source)) == len(COMPUTE_RULES)
    names = {c[0] for c in CASES}
    for case in COMPUTE_RULES.values():
        assert case in names or case.startswith("csv: ")


BROKEN = [c for c in CASES if c[4] is not None]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_build_and_figures_fail_as_check_does(case: tuple, tmp_path: Path, capsys: pytest.CaptureFixture,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`build` reports exactly what `check` reports, writes no site and changes no file of the user's;
    `figures` on the survey instrument ends in the same lines for the instrument's own problems."""
    name, rel, old, new, expected = case
    root = copy_mini(tmp_path / "org")
    _edit(root, rel, old, new)
    before = _digest(root)
    code = main(["--root", str(root), "build"])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    assert (code, out.err.splitlines()) == (1, expected)
    assert not (root / "site").exists()
    assert _digest(root) == before
    if rel == CSS:
        monkeypatch.chdir(root)
        code = main(["figures", CSS])
        out = capsys.readouterr()
        assert code == 1 and "Traceback" not in out.err + out.out
        assert out.err and set(out.err.splitlines()) <= set(expected)
