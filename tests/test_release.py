"""Releases in a real git repository: versions on gh-pages, changes page, refusals, byte-identical builds."""

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import copy_mini
from qmdoc.build import build, release
from qmdoc.errors import QmdocError

pytestmark = pytest.mark.slow


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=Quality Manager", "-c", "user.email=qm@example.com", "commit", "-qm", message)


@pytest.fixture(scope="module")
def repo(tmp_path_factory, session_charts) -> Path:
    root = copy_mini(tmp_path_factory.mktemp("release") / "qm")
    (root / ".gitignore").write_text("/build/\n/site/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Quality manual, first issue")
    with session_charts(root):
        release(root, "2026.1")
    git(root, "tag", "2026.1")
    # revise one procedure: a changed step, a new revision with its history entry
    proc = root / "policy" / "procedures" / "PR-1.yml"
    text = proc.read_text(encoding="utf-8")
    text = text.replace('  revision: "1"\n', '  revision: "2"\n', 1)
    text = text.replace("description: First issue, approver: Max Approver}]",
                        "description: First issue, approver: Max Approver}, "
                        "{revision: \"2\", date: 2025-06-01, description: Answer within four hours, "
                        "approver: Max Approver}]")
    text = text.replace("action: Answer within one day", "action: Answer within four hours")
    proc.write_text(text, encoding="utf-8")
    commit(root, "PR-1 revision 2: faster answers")
    release(root, "2026.2")
    return root


def pages_file(repo: Path, path: str) -> str:
    return git(repo, "show", f"gh-pages:{path}")


def test_both_versions_are_on_gh_pages(repo):
    files = git(repo, "ls-tree", "-r", "--name-only", "gh-pages").split()
    assert "2026.1/index.html" in files and "2026.2/index.html" in files
    assert "2026.1/quality-manual.pdf" in files and "2026.2/quality-manual.pdf" in files
    versions = pages_file(repo, "versions.json")
    assert '"2026.2"' in versions and '"latest"' in versions


def test_changes_page_lists_exactly_the_revised_procedure(repo):
    doc = BeautifulSoup(pages_file(repo, "2026.2/changes/index.html"), "html.parser")
    text = doc.get_text(" ", strip=True)
    assert "Compared with the previous release 2026.1" in text
    first = doc.select("article table")[0]
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in first.find_all("tr")[1:]]
    assert rows == [["PR-1", "Customer communication", "revised", "1 → 2", "policy/procedures/PR-1.yml"]]
    assert "Procedures whose steps changed" in text
    fields = {tuple(td.get_text(" ", strip=True) for td in tr.find_all("td"))
              for tr in doc.select("article table")[-1].find_all("tr")[1:]}
    assert ("steps[1].action", "Answer within one day", "Answer within four hours") in fields
    assert ("document.revision", "1", "2") in fields


def test_first_release_had_no_previous_release(repo):
    doc = BeautifulSoup(pages_file(repo, "2026.1/changes/index.html"), "html.parser")
    assert "There is no previous release to compare with." in doc.get_text(" ", strip=True)


def test_second_pdf_history_shows_the_new_revision(repo, tmp_path):
    pdf = tmp_path / "m.pdf"
    pdf.write_bytes(subprocess.run(["git", "-C", str(repo), "show", "gh-pages:2026.2/quality-manual.pdf"],
                                   capture_output=True, check=True).stdout)
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Answer within four hours" in text
    assert re.search(r"2\s+1 June 2025\s+Answer within four\s+hours", text)
    assert "2026.2" in PdfReader(pdf).pages[0].extract_text()


def test_release_with_a_draft_document_is_refused_and_changes_nothing(repo):
    before = git(repo, "rev-parse", "gh-pages")
    pol = repo / "policy" / "quality-policy.yml"
    good = pol.read_text(encoding="utf-8")
    pol.write_text(good.replace("status: approved", "status: draft", 1), encoding="utf-8")
    try:
        with pytest.raises(QmdocError) as exc:
            release(repo, "2026.3")
    finally:
        pol.write_text(good, encoding="utf-8")
    assert str(exc.value).splitlines()[:2] == [
        "release 2026.3 refused:",
        "  policy/quality-policy.yml: QP-T: status is draft; a release needs approved documents",
    ]
    assert git(repo, "rev-parse", "gh-pages") == before


def test_unrevised_change_is_flagged_and_refused(repo):
    proc = repo / "policy" / "procedures" / "PR-2.yml"
    good = proc.read_text(encoding="utf-8")
    proc.write_text(good.replace("purpose: Resolve complaints.", "purpose: Resolve every complaint."), "utf-8")
    commit(repo, "PR-2: wording")
    try:
        with pytest.raises(QmdocError) as exc:
            release(repo, "2026.3")
        assert "PR-2: revision history older than git history: commit" in str(exc.value)
        assert "changed the file without a new revision (still 1)" in str(exc.value)
    finally:
        git(repo, "reset", "-q", "--hard", "HEAD~1")


def test_two_builds_of_the_same_commit_are_byte_identical(repo, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build(repo, tmp_path / "a")
    build(repo, tmp_path / "b")
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in sorted((tmp_path / "a").rglob("*")) if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in sorted((tmp_path / "b").rglob("*")) if p.is_file()}
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    # the date printed is the last commit's, not the clock's
    commit_date = git(repo, "log", "-1", "--format=%cs").strip()
    reader = PdfReader(tmp_path / "a" / "quality-manual.pdf")
    assert reader.metadata["/CreationDate"].startswith("D:" + commit_date.replace("-", ""))


def test_pdf_is_pdf_a_with_metadata_and_outline(repo, tmp_path):
    build(repo, tmp_path / "c", with_site=False)
    reader = PdfReader(tmp_path / "c" / "quality-manual.pdf")
    meta = reader.metadata
    assert meta["/Title"] == "Test Quality Manual"
    assert meta["/Author"] == "Mini Test Works"
    assert meta["/Subject"].startswith("QM-T Revision 2")
    assert "ISO 9001:2015" in meta["/Keywords"]
    xmp = reader.xmp_metadata
    rdf = xmp.rdf_root.toxml()
    assert re.search(r"pdfaid:part[^0-9]*3", rdf) and re.search(r"pdfaid:conformance[^A-Z]*B", rdf)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Quality policy" in titles and "Data provenance" in titles
    text = "\n".join(p.extract_text() for p in reader.pages)
    sha = subprocess.run(["sha256sum", str(repo / "data" / "complaints.csv")], capture_output=True, text=True).stdout.split()[0]
    assert sha in text.replace("\n", "")
