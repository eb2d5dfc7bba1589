"""Broken inputs give every problem at once, as path:line: field: expected ..., got ..."""

from pathlib import Path

import pytest

from qmdoc.cli import main
from qmdoc.errors import QmdocError
from qmdoc.load import load_project
from qmdoc.yamlfile import parse_yaml


def problems(root: Path) -> list[str]:
    with pytest.raises(QmdocError) as exc:
        load_project(root)
    return [str(p) for p in exc.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_fixture_is_valid(mini):
    project = load_project(mini)
    assert [p.document.id for p in project.procedures] == ["PR-1", "PR-2"]


def test_three_mistakes_in_one_file_are_all_reported(mini, capsys):
    obj = mini / "policy" / "objectives.yml"
    edit(obj, "target: 60", "target: sixty")
    edit(obj, "direction: at_least, target: 90, unit: points", "direction: more, target: 90, unit: points")
    edit(obj, "metric: complaints.acknowledged_within_target", "metric: complaints.acknowledged, tagret: 3")
    assert main(["--root", str(mini), "check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "policy/objectives.yml:13: objectives[0].target: expected a number, got 'sixty'",
        "policy/objectives.yml:14: objectives[1].direction: expected 'at_least' or 'at_most', got 'more'",
        "policy/objectives.yml:15: objectives[2].tagret: expected a known key, got unknown key 'tagret'",
    ]


def test_problems_across_files_and_cross_references(mini):
    edit(mini / "policy" / "procedures" / "PR-1.yml", 'clauses: ["8.2.1", "8.2.2", "8.2.3", "8.2.4"]', 'clauses: ["8.2.1", "8.2.2", "8.2.3", "8.2.4", "8.9"]')
    edit(mini / "policy" / "procedures" / "PR-1.yml", "related: [PR-2]", "related: [PR-9]")
    edit(mini / "policy" / "objectives.yml", "metric: css.index", "metric: css.indx")
    edit(mini / "policy" / "organization.yml", "  revision: \"2\"\n", "")
    assert problems(mini) == [
        "policy/objectives.yml:13: objectives[0].metric: expected a computed metric "
        "(complaints.acknowledged_within_target, complaints.count, complaints.resolution_p90_days, "
        "complaints.resolved_within_target, ...), got 'css.indx'",
        "policy/organization.yml:7: manual.revision: expected a value, got nothing",
        "policy/procedures/PR-1.yml:13: clauses[4]: expected an ISO 9001:2015 clause number such as 8.2.1, got '8.9'",
        "policy/procedures/PR-1.yml:23: related[0]: expected the id of a document, got 'PR-9'",
    ]


def test_csv_problems_name_file_row_and_column(mini):
    path = mini / "data" / "surveys" / "css" / "2025-Q1.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")
    cells[4] = "7"  # q1 out of scale
    cells[9] = "ten"  # q_nps not a number
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    edit(mini / "data" / "complaints.csv", "2025-01-06,", "2025-13-06,")
    assert problems(mini) == [
        "data/complaints.csv:2: received: expected a date YYYY-MM-DD, got '2025-13-06'",
        "data/surveys/css/2025-Q1.csv:4: q1: expected a whole number from 1 to 5 or 0 (not applicable), got '7'",
        "data/surveys/css/2025-Q1.csv:4: q_nps: expected a whole number from 0 to 10 or 0 (not applicable), got 'ten'",
    ]


def test_yaml_syntax_error_names_the_line(mini):
    edit(mini / "policy" / "quality-policy.yml", "commitments:\n", "commitments:\n  - [unclosed\n")
    [msg] = problems(mini)
    assert msg.startswith("policy/quality-policy.yml:")
    assert "invalid YAML" in msg


def test_aliases_are_refused_quickly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)
    )
    with pytest.raises(QmdocError) as exc:
        parse_yaml(bomb, "policy/bomb.yml")
    assert str(exc.value) == "policy/bomb.yml:2: invalid YAML: aliases (*name) are not allowed in policy files"


def test_python_objects_are_not_constructed():
    with pytest.raises(QmdocError) as exc:
        parse_yaml("a: !!python/object/apply:os.system ['echo hi']\n", "policy/x.yml")
    assert "policy/x.yml:1: invalid YAML" in str(exc.value)


def test_file_reference_cannot_leave_the_repository(mini):
    edit(mini / "policy" / "organization.yml", "complaints_procedure: PR-2",
         "complaints_procedure: PR-2\ncomplaints_log: ../../etc/passwd")
    assert problems(mini) == [
        "policy/organization.yml:22: complaints_log: expected a path inside the repository, got '../../etc/passwd'",
    ]


def test_unknown_clause_in_survey_free_project_is_checked_without_traceback(mini, capsys):
    (mini / "policy" / "objectives.yml").write_text("- just a list\n", encoding="utf-8")
    assert main(["--root", str(mini), "check"]) == 1
    assert capsys.readouterr().err.strip() == "policy/objectives.yml:1: (file): expected a mapping of keys, got a list"


def test_survey_cross_references(mini):
    survey = mini / "policy" / "surveys" / "css.yml"
    edit(survey, "importance: stated\n", "importance: stated\nloyalty: [q1, q_missing]\ninternal: {supplier: a, customer: b}\n")
    assert problems(mini) == [
        "policy/surveys/css.yml:13: loyalty[0]: expected a top-level item (loyalty is not part of a dimension), got 'q1'",
        "policy/surveys/css.yml:13: loyalty[1]: expected the id of an item, got 'q_missing'",
        "policy/surveys/css.yml:14: kind: expected kind: internal with internal:, got 'customer'",
    ]


def test_check_strict_fails_on_clause_gaps(mini, capsys):
    assert main(["--root", str(mini), "check", "--strict"]) == 0
    edit(mini / "policy" / "procedures" / "PR-2.yml", 'clauses: ["9.1.2", "9.1.3", "9.3.2", "10.2"]', 'clauses: ["9.1.2", "10.2"]')
    capsys.readouterr()
    assert main(["--root", str(mini), "check"]) == 0
    assert main(["--root", str(mini), "check", "--strict"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "clause 9.1.3 (Analysis and evaluation): expected a document that addresses it, got none",
        "clause 9.3 (Management review): expected a document that addresses it, got none",
        "clause 9.3.2 (Management review inputs): expected a document that addresses it, got none",
    ]
