"""The complaints log's rules: each reported once by `qmdoc check`, with file:line (see input_cases)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_mini
from input_cases import LOG, build_fails_as_check_does, check, check_reports_the_rule, edit


# (case id, file, text to replace (exactly once), replacement, the exact lines `check` prints)
CASES = [
    ("unknown-severity", LOG, "C-001,2025-01-06,2025-01-12,2025-01-11,K0,Secret Customer 0 Ltd,buyer0@customer.example,Late delivery,minor,", "C-001,2025-01-06,2025-01-12,2025-01-11,K0,Secret Customer 0 Ltd,buyer0@customer.example,Late delivery,catastrophic,",
     ["data/complaints.csv:2: severity: expected one of the complaint severities (minor, major, critical; "
      "complaint_severities in organization.yml)"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_check_reports_the_rule(case: tuple, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    check_reports_the_rule(case, tmp_path, capsys)


BROKEN = [c for c in CASES if c[4] is not None]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_build_and_figures_fail_as_check_does(case: tuple, tmp_path: Path, capsys: pytest.CaptureFixture,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    build_fails_as_check_does(case, tmp_path, capsys, monkeypatch)


def test_a_complaint_after_today_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    import datetime as dt

    root = copy_mini(tmp_path / "org")
    edit(root, LOG, "C-001,2025-01-06,2025-01-12,2025-01-11", "C-001,2099-01-06,2099-01-12,2099-01-13")
    code, err, _ = check(root, capsys)
    today = dt.date.today().isoformat()
    assert code == 1
    assert err == [f"data/complaints.csv:2: {col}: expected a date on or before today ({today}), got a later one"
                   for col in ("acknowledged", "received", "resolved")]
