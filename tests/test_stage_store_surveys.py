"""The stored survey figures: keyed by the survey's raw inputs and the code that reads and computes them, so an
unchanged survey is neither read nor computed again, and anything that changed is read, checked and computed
afresh (see qmdoc.stagecache)."""

import shutil
from pathlib import Path

import pytest

from qmdoc import buildcache, stagecache
from qmdoc.compute.manual import compute_manual
from qmdoc.compute.survey import figures_as_json
from qmdoc.errors import QmdocError
from qmdoc.load import load_project
from qmdoc.load import store as load_store

BAD_ANSWER = ("data/surveys/css/2025-Q1.csv:2: q1: expected a whole number from 1 to 5 or 0 (not applicable), "
              "got 9")
FIRST_ROW = "RQ1-000,2025-Q1,South,person0@example.com,5,0,5,,5,10,"


def stored_in(root: Path) -> stagecache.StoredFigures:
    return stagecache.StoredFigures(folder=root / "build" / ".stage-cache" / "figures")


def figures_of(root: Path, memo: stagecache.StoredFigures | None = None) -> tuple[list, dict]:
    """Whether each survey was read (its responses loaded), and its figures as the JSON export shows them."""
    project = load_project(root, kept=memo)
    results = compute_manual(project, memo)
    return [s.responses is not None for s in project.surveys], {k: figures_as_json(f) for k, f in results.surveys.items()}


def entries(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "build" / ".stage-cache" / "figures").glob("*.pickle"))}


def edit_first_row(root: Path, new: str, old: str = FIRST_ROW) -> None:
    path = root / "data" / "surveys" / "css" / "2025-Q1.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def stored(mini: Path) -> tuple[Path, dict]:
    """The small organization with its survey figures stored by a first build; and those figures."""
    read, figures = figures_of(mini, stored_in(mini))
    assert read == [True]
    return mini, figures


def test_an_unchanged_survey_is_not_read_and_gets_the_figures_and_files_of_a_fresh_load(stored):
    root, first = stored
    before = entries(root)
    memo = stored_in(root)
    project = load_project(root, kept=memo)
    fresh = load_project(root)
    assert [s.responses is None for s in project.surveys] == [True]
    assert [(s.files, s.excluded, s.source) for s in project.surveys] == [
        (s.files, s.excluded, s.source) for s in fresh.surveys]
    assert {k: figures_as_json(f) for k, f in compute_manual(project, memo).surveys.items()} == first
    assert figures_of(root) == ([True], first)  # what a load and computation without any store gives
    assert memo.hits == 1 and entries(root) == before


def test_a_changed_data_file_is_read_and_computed_again(stored):
    root, first = stored
    edit_first_row(root, FIRST_ROW.replace(",5,0,5,,5,10,", ",1,0,5,,5,10,"))
    read, figures = figures_of(root, stored_in(root))
    assert read == [True]
    assert figures != first and figures == figures_of(root)[1]


def test_a_new_file_in_the_survey_folder_is_read_again(stored):
    root, first = stored
    (root / "data" / "surveys" / "css" / "notes.txt").write_text("not a data file\n", encoding="utf-8")
    assert figures_of(root, stored_in(root)) == ([True], first)


def test_a_changed_instrument_is_read_and_computed_again(stored):
    root, first = stored
    path = root / "policy" / "surveys" / "css.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("weight: 0.6", "weight: 0.5").replace(
        "weight: 0.4", "weight: 0.5"), encoding="utf-8")
    read, figures = figures_of(root, stored_in(root))
    assert read == [True] and figures != first and figures == figures_of(root)[1]


def test_a_changed_reading_or_computing_code_is_read_and_computed_again(stored, tmp_path, monkeypatch):
    root, first = stored
    package = tmp_path / "qmdoc"
    shutil.copytree(load_store.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(load_store, "PACKAGE", package)
    assert figures_of(root, stored_in(root)) == ([False], first)  # the same code, copied: the same key
    for module in ("compute/survey/index.py", "load/survey/clean.py", "models/survey.py", "project.py"):
        path = package / module
        text = path.read_text(encoding="utf-8")
        path.write_text(text + "\n# changed\n", encoding="utf-8")
        assert figures_of(root, stored_in(root)) == ([True], first), module
        assert figures_of(root, stored_in(root)) == ([False], first), module  # stored under the new code


def test_a_changed_library_version_is_read_and_computed_again(stored, monkeypatch):
    root, first = stored
    real = buildcache._version
    for library in stagecache.LIBRARIES:
        monkeypatch.setattr(buildcache, "_version", lambda name, changed=library: "0.0.1" if name == changed else real(name))
        assert figures_of(root, stored_in(root)) == ([True], first), library
    monkeypatch.setattr(buildcache, "_version", real)
    assert figures_of(root, stored_in(root)) == ([False], first)


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05K\x01."])  # the last: the pickled number 1
def test_a_corrupt_stored_entry_is_ignored_and_stored_again(stored, garbage):
    root, first = stored
    before = entries(root)
    for name in before:
        (root / "build" / ".stage-cache" / "figures" / name).write_bytes(garbage)
    assert figures_of(root, stored_in(root)) == ([True], first)
    assert entries(root).keys() == before.keys()
    assert figures_of(root, stored_in(root)) == ([False], first)


def test_a_broken_data_file_is_reported_exactly_although_its_earlier_version_is_stored(stored):
    root, first = stored
    broken = FIRST_ROW.replace(",5,0,5,,5,10,", ",9,0,5,,5,10,")
    edit_first_row(root, broken)
    for memo in (stored_in(root), None):  # with the store, and as `qmdoc check` loads (no store)
        with pytest.raises(QmdocError) as failed:
            load_project(root, kept=memo)
        assert str(failed.value) == BAD_ANSWER
    edit_first_row(root, FIRST_ROW, broken)  # put back: the earlier version's figures are still there
    assert figures_of(root, stored_in(root)) == ([False], first)


def test_a_failed_load_stores_nothing(mini):
    edit_first_row(mini, FIRST_ROW.replace(",5,0,5,,5,10,", ",9,0,5,,5,10,"))
    with pytest.raises(QmdocError):
        load_project(mini, kept=stored_in(mini))
    assert not (mini / "build" / ".stage-cache" / "figures").exists()


def test_pruning_removes_the_entries_of_an_earlier_state(stored):
    root, _ = stored
    before = entries(root)
    edit_first_row(root, FIRST_ROW.replace(",5,0,5,,5,10,", ",1,0,5,,5,10,"))
    memo = stored_in(root)
    figures_of(root, memo)
    assert memo.prune() == len(before)
    assert not set(entries(root)) & set(before) and len(entries(root)) == 1
