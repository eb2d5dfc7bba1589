"""A survey's responses against its instrument: the columns it names, what each row rates, reported with
file:line (the CSV structure itself: test_csv_input; exports: test_exports)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_mini
from input_cases import CSS, Q1, check, edit
from qmdoc.errors import QmdocError
from qmdoc.load import load_project


def problems(root: Path) -> list[str]:
    with pytest.raises(QmdocError) as exc:
        load_project(root)
    return [str(p) for p in exc.value.problems]


def test_every_row_names_what_it_rates(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = copy_mini(tmp_path / "org")
    edit(root, CSS, "importance: stated", "importance: stated\ncompetitors: {column: region, us: North}")
    edit(root, Q1, "RQ1-001,2025-Q1,North,", "RQ1-001,2025-Q1,,")
    code, err, _ = check(root, capsys)
    assert (code, err) == (1, ["data/surveys/css/2025-Q1.csv:3: region: expected the name of the company or "
                               "department rated, got nothing"])


def test_missing_column(mini):
    edit(mini, "data/surveys/css/2025-Q2.csv", "respondent_id,wave,region", "respondent,wave,region")
    assert problems(mini) == [
        "data/surveys/css/2025-Q2.csv:1: respondent_id: expected a column named 'respondent_id', got none",
    ]
