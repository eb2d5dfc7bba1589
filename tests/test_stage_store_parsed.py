"""Parsed policy files kept between builds: keyed by the file's text and the parser, successful parses only
(see qmdoc.yamlfile.parse_yaml and qmdoc.load.store)."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from qmdoc import yamlfile
from qmdoc.errors import QmdocError
from qmdoc.load import load_project
from qmdoc.load.store import Store
from qmdoc.stagecache import StoredFigures

TEXT = "id: PR-9\nsteps:\n  - {n: 1, text: Check}\n  - when: 2025-03-01\n"
LINES = {(): 1, ("id",): 1, ("steps",): 2, ("steps", 0): 3, ("steps", 0, "n"): 3, ("steps", 0, "text"): 3,
         ("steps", 1): 4, ("steps", 1, "when"): 4}
DATA = {"id": "PR-9", "steps": [{"n": 1, "text": "Check"}, {"when": dt.date(2025, 3, 1)}]}


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The texts the parser itself parses (not taken from a store nor from this process's memory)."""
    seen: list[str] = []
    parse = yamlfile._parsed.__wrapped__

    def counted(text: str, path: str):
        seen.append(text)
        return parse(text, path)

    monkeypatch.setattr(yamlfile, "_parsed", counted)
    return seen


def test_a_kept_parse_is_the_parse_and_is_not_parsed_again(tmp_path, parses):
    first = yamlfile.parse_yaml(TEXT, "policy/procedures/PR-9.yml", Store(tmp_path))
    again = yamlfile.parse_yaml(TEXT, "policy/procedures/other.yml", Store(tmp_path))  # a new process's store
    assert parses == [TEXT]
    assert (first.data, first.lines) == (again.data, again.lines) == (DATA, LINES)
    assert again.path == "policy/procedures/other.yml"
    again.data["steps"].append("changed")  # each caller has its own copy
    assert yamlfile.parse_yaml(TEXT, "x.yml", Store(tmp_path)).data == DATA
    assert len(list(tmp_path.glob("*.pickle"))) == 1


def test_a_changed_text_is_parsed(tmp_path, parses):
    yamlfile.parse_yaml(TEXT, "a.yml", Store(tmp_path))
    changed = TEXT.replace("Check", "Check twice")
    doc = yamlfile.parse_yaml(changed, "a.yml", Store(tmp_path))
    assert parses == [TEXT, changed] and doc.data["steps"][0]["text"] == "Check twice"


def test_a_changed_parser_or_pyyaml_version_parses_again(tmp_path, parses, monkeypatch):
    yamlfile.parse_yaml(TEXT, "a.yml", Store(tmp_path))
    source = tmp_path / "yamlfile.py"
    shutil.copy(yamlfile.__file__, source)
    monkeypatch.setattr(yamlfile, "__file__", str(source))
    yamlfile.parser_digest.cache_clear()
    yamlfile.parse_yaml(TEXT, "a.yml", Store(tmp_path))
    assert parses == [TEXT]  # the same source: the same key
    source.write_text(source.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    yamlfile.parser_digest.cache_clear()
    yamlfile.parse_yaml(TEXT, "a.yml", Store(tmp_path))
    assert parses == [TEXT, TEXT]
    monkeypatch.setattr(yaml, "__version__", "0.1")
    yamlfile.parser_digest.cache_clear()
    assert yamlfile.parse_yaml(TEXT, "a.yml", Store(tmp_path)).data == DATA
    assert parses == [TEXT, TEXT, TEXT]
    monkeypatch.undo()
    yamlfile.parser_digest.cache_clear()


@pytest.mark.parametrize("garbage", [b"", b"\x80\x05K\x01.", b"garbage"])  # the middle: the pickled number 1
def test_a_corrupt_kept_parse_is_ignored_and_kept_again(tmp_path, parses, garbage):
    yamlfile.parse_yaml(TEXT, "a.yml", Store(tmp_path))
    (entry,) = tmp_path.glob("*.pickle")
    good = entry.read_bytes()
    entry.write_bytes(garbage)
    doc = yamlfile.parse_yaml(TEXT, "a.yml", Store(tmp_path))
    assert (doc.data, doc.lines) == (DATA, LINES) and parses == [TEXT, TEXT]
    assert entry.read_bytes() == good


def test_a_broken_file_is_reported_exactly_although_its_earlier_version_is_kept(mini):
    memo = StoredFigures(folder=mini / "build" / ".stage-cache" / "figures")
    load_project(mini, kept=memo)
    kept = sorted((mini / "build" / ".stage-cache" / "parsed").glob("*.pickle"))
    assert len(kept) == 6  # organization, quality policy, objectives, two procedures, one survey
    path = mini / "policy" / "procedures" / "PR-1.yml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("purpose:", "purpose: [unclosed\n  more:", 1), encoding="utf-8")
    for store in (StoredFigures(folder=memo.folder), None):  # with the stores, and as `qmdoc check` loads
        with pytest.raises(QmdocError) as failed:
            load_project(mini, kept=store)
        assert str(failed.value) == "policy/procedures/PR-1.yml:15: invalid YAML: expected ',' or ']', but got ':'"
    assert sorted((mini / "build" / ".stage-cache" / "parsed").glob("*.pickle")) == kept  # nothing kept of it
    path.write_text(good, encoding="utf-8")
    assert load_project(mini, kept=StoredFigures(folder=memo.folder)).procedures == load_project(mini).procedures


def test_a_folder_that_cannot_be_written_keeps_nothing_and_fails_nothing(tmp_path, parses):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the store's folder would be\n", encoding="utf-8")
    store = Store(blocked / "parsed")
    assert yamlfile.parse_yaml(TEXT, "a.yml", store).data == DATA
    assert yamlfile.parse_yaml(TEXT, "a.yml", store).data == DATA and parses == [TEXT]  # kept in memory
    assert yamlfile.parse_yaml(TEXT, "a.yml", Store(blocked / "parsed")).data == DATA and parses == [TEXT, TEXT]
    assert list(tmp_path.iterdir()) == [blocked]


def test_past_versions_of_a_document_come_from_the_store(tmp_path, parses):
    """A document's history reads the revision of each past version from git: those texts never change,
    so a later build takes their parses from the store (and still finds the same revisions)."""
    import subprocess

    from conftest import copy_mini
    from qmdoc import history

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), "-c", "user.name=QM", "-c", "user.email=qm@example.com", *args],
                       check=True, capture_output=True)

    root = copy_mini(tmp_path / "qm")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "first issue")
    proc = root / "policy" / "procedures" / "PR-1.yml"
    proc.write_text(proc.read_text(encoding="utf-8").replace('  revision: "1"\n', '  revision: "2"\n', 1),
                    encoding="utf-8")
    git("commit", "-qam", "revision 2")
    project = load_project(root)
    parses.clear()
    first = history.collect_histories(root, project, Store(tmp_path / "parsed"))
    parsed_first = list(parses)
    assert len(parsed_first) > len(project.documents())  # every document's versions, two of PR-1
    history._REVISIONS.clear()
    parses.clear()
    assert history.collect_histories(root, project, Store(tmp_path / "parsed")) == first
    assert parses == []
    history._REVISIONS.clear()
    assert history.collect_histories(root, project) == first
    assert set(parses) == set(parsed_first)  # without a store every past version is parsed again
