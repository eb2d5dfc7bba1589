"""Build the fixture organization once; check the site (parsed HTML) and the PDF (extracted text)."""

import functools
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from qmdoc.build import build
from qmdoc.errors import QmdocError

from conftest import copy_mini


@pytest.fixture(scope="module")
def built(tmp_path_factory, session_charts) -> Path:
    root = copy_mini(tmp_path_factory.mktemp("built") / "mini")
    with session_charts(root):
        build(root)
    return root


def html(root: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / page / "index.html" if page else root / "site" / "index.html").read_text("utf-8"),
                         "html.parser")


def pdf_pages(root: Path) -> list[str]:
    pdf = root / "site" / "quality-manual.pdf"
    stat = pdf.stat()
    return list(_page_texts(pdf, stat.st_size, stat.st_mtime_ns))


@functools.lru_cache(maxsize=None)
def _page_texts(pdf: Path, size: int, mtime_ns: int) -> tuple[str, ...]:
    """The text of each page, extracted once per state of the file (a rebuilt PDF has another size or time)."""
    return tuple(p.extract_text() for p in PdfReader(pdf).pages)


def test_site_pages_exist(built):
    for page in ("", "policy", "objectives", "procedures", "procedures/PR-1", "procedures/PR-2",
                 "satisfaction/css", "documents", "reading-guide"):
        path = built / "site" / page / "index.html"
        assert path.is_file(), page


def test_home_page_shows_organization_and_scope(built):
    doc = html(built, "")
    assert doc.h1.get_text(strip=True).rstrip("¶") == "Mini Test Works — Test Quality Manual"
    assert "Machining of test parts for industrial customers." in doc.get_text()


def test_objectives_have_computed_status(built):
    doc = html(built, "objectives")
    rows = {tr.find_all("td")[0].get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in doc.select("article table")[1].find_all("tr")[1:]}
    assert rows["O1 Satisfaction index"][-1] == "met"
    assert rows["O2 Net Promoter Score"][-1] == "not met"
    assert rows["O2 Net Promoter Score"][2] == "≥ 90 points"


def test_procedure_page_has_steps_in_order_and_related_link(built):
    doc = html(built, "procedures/PR-1")
    steps = [h for h in doc.find_all("h2") if h.get_text(strip=True).startswith("Steps")]
    table = steps[0].find_next("table")
    actions = [tr.find_all("td")[2].get_text(strip=True) for tr in table.find_all("tr")[1:]]
    assert actions == ["Log the enquiry", "Answer within one day"]
    link = doc.find("a", string=re.compile("PR-2"))
    assert link["href"].endswith("PR-2/")


def test_satisfaction_page_has_index_per_wave_and_chart(built):
    doc = html(built, "satisfaction/css")
    text = doc.get_text(" ")
    assert "2025-Q1" in text and "2025-Q2" in text
    imgs = [img["src"] for img in doc.find_all("img")]
    assert any(src.endswith("charts/css-index.svg") for src in imgs)
    assert (built / "site" / "charts" / "css-index.svg").is_file()


def test_hostile_text_is_inert(built):
    page = (built / "site" / "policy" / "index.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in page
    doc = BeautifulSoup(page, "html.parser")
    assert "Hostile text stays text: <script>alert(1)</script> and {{ 7*7 }}" in doc.get_text()


def test_no_personal_data_in_output(built):
    texts = [p.read_text("utf-8", errors="replace") for p in (built / "site").rglob("*") if p.suffix in (".html", ".json", ".xml", ".svg")]
    texts += pdf_pages(built)
    for secret in ("person1@example.com", "John Smith", "Secret Customer", "buyer1@customer.example", "RQ1-001"):
        assert not any(secret in t for t in texts), secret


def test_site_loads_nothing_from_the_internet(built):
    for path in (built / "site").rglob("*.html"):
        doc = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for tag in doc.find_all(["script", "link", "img"]):
            ref = tag.get("src") or tag.get("href") or ""
            assert not re.match(r"^(https?:)?//", ref), (path, ref)


def test_pdf_cover_contents_and_footer(built):
    pages = pdf_pages(built)
    assert len(pages) >= 8
    assert "Test Quality Manual" in pages[0] and "QM-T" in pages[0]
    assert "page" not in pages[0]
    assert "Contents" in pages[1]
    # the contents list page numbers: "Quality policy ....... 4"
    assert re.search(r"Quality policy\s*\.*\s*\d+", pages[1])
    for number, text in enumerate(pages[1:], start=2):
        assert f"page {number} of {len(pages)}" in text
        assert "QM-T · Revision 2" in text
        assert "Uncontrolled when printed" in text


def test_pdf_carries_every_section(built):
    text = "\n".join(pdf_pages(built)).replace("\xa0", " ")
    for heading in ("Quality policy", "Quality objectives", "PR-1 Customer communication", "PR-2 Complaints handling",
                    "Customer satisfaction survey", "Document register"):
        assert heading in text


def test_failed_build_leaves_previous_output(built):
    before = (built / "site" / "index.html").read_bytes()
    obj = built / "policy" / "objectives.yml"
    good = obj.read_text("utf-8")
    obj.write_text(good.replace("target: 60", "target: sixty"), "utf-8")
    try:
        with pytest.raises(QmdocError):
            build(built)
    finally:
        obj.write_text(good, "utf-8")
    assert (built / "site" / "index.html").read_bytes() == before


def test_management_review_pack_lists_what_needs_a_decision(built):
    doc = html(built, "review")
    items = [li.get_text(" ", strip=True) for li in doc.select("article ol li")]
    assert any(i.startswith("Objective O2 (Net Promoter Score) not met in 2025-Q2") for i in items), items
    assert not any("O1" in i for i in items)  # met


def test_clause_matrix_links_and_has_no_gap(built):
    doc = html(built, "clauses")
    rows = {tr.find_all("td")[0].get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in doc.select("article table tr")[1:]}
    assert rows["9.3"][2] == "PR-2"  # addressed through its sub-clause 9.3.2
    assert rows["8.2.1"][2] == "PR-1" and rows["8.2.1"][3] == "REC-1"
    assert all(r[-1] == "addressed" for r in rows.values() if r[2] != "—")
    assert "gap" not in [r[-1] for r in rows.values()]
    proc = html(built, "procedures/PR-1")
    assert proc.find("a", string="8.2.1")["href"].endswith("clauses/#clause-8-2-1")


def test_procedure_has_a_flow_diagram(built):
    doc = html(built, "procedures/PR-2")
    img = [i for i in doc.find_all("img") if "flow-PR-2" in i["src"]]
    assert img and img[0]["alt"].startswith("Process flow: PR-2 Complaints handling, 2 ")


def test_complaints_page_against_procedure_targets(built):
    doc = html(built, "complaints")
    first = doc.select("article table")[1]
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in first.find_all("tr")[1:]]
    assert rows[0][:2] == ["Acknowledgement", "≤ 2 working days"]
    assert rows[1][:2] == ["Resolution", "≤ 20 days"]


def test_small_cells_are_suppressed_in_site_and_pdf(built):
    doc = html(built, "satisfaction/css")
    rows = [[td.get_text(" ", strip=True).replace("\xa0", " ") for td in tr.find_all("td")]
            for tr in doc.select("article table tr")]
    islands = [r for r in rows if r and r[0] == "Islands"]
    assert islands and all(set(r[1:]) == {"n < 5"} for r in islands), islands
    text = "\n".join(pdf_pages(built)).replace("\xa0", " ")
    lines = [line for line in text.splitlines() if line.startswith("Islands")]
    # the table rows, and the segment chart's label (chart text is PDF text): never a figure beside it
    assert lines and all(re.fullmatch(r"Islands( n < 5)*", line) for line in lines), lines
    assert any(re.fullmatch(r"Islands( n < 5)+", line) for line in lines), lines


def test_outside_git_the_cover_says_so_and_dates_by_the_newest_input(built):
    """The fixture copy is not a git repository: no fake date, and the cover says where the date comes from."""
    import datetime as dt

    newest = max(p.stat().st_mtime for folder in ("policy", "data", "docs") for p in (built / folder).rglob("*")
                 if p.is_file())
    newest = max(newest, (built / "mkdocs.yml").stat().st_mtime)
    day = dt.datetime.fromtimestamp(int(newest), tz=dt.timezone.utc).date()
    cover = pdf_pages(built)[0].replace("\n", " ")
    assert f"Commit not under version control" in cover
    assert f"Build date {day.day} {day.strftime('%B')} {day.year} (not under version control: the date of the " \
           "newest input file)" in cover
    assert "2000" not in cover
    row = [td.get_text(strip=True) for td in html(built, "provenance").select("article table")[0].find_all("td")]
    assert row[1] == "not under version control"


def test_failed_build_touches_no_user_file(built):
    import hashlib

    def digest() -> dict:
        return {p: hashlib.sha256(p.read_bytes()).hexdigest() for folder in ("policy", "data", "docs", "site")
                for p in sorted((built / folder).rglob("*")) if p.is_file()}

    before = digest()
    log = built / "data" / "complaints.csv"
    good = log.read_bytes()
    log.write_bytes(good.replace(b"C-002,", b"C-001,", 1))  # a repeated complaint id
    try:
        with pytest.raises(QmdocError):
            build(built)
    finally:
        log.write_bytes(good)
    assert digest() == before


@pytest.mark.slow  # builds the fixture again, twice
def test_an_unchanged_manual_is_recognised_and_left_alone(built):
    import hashlib

    def digest() -> dict:
        return {p.relative_to(built).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted((built / "site").rglob("*")) if p.is_file()}

    build(built)  # earlier tests edited and restored inputs: the state this test starts from
    before = digest()
    assert build(built).reused
    assert digest() == before
    # the same build with the cache removed writes the same bytes
    (built / "build" / ".build-key.json").unlink()
    again = build(built)
    assert not again.reused
    assert digest() == before
    # a changed input, or an output touched by hand, is not taken as up to date
    from qmdoc.buildcache import check_up_to_date

    assert check_up_to_date(built, None) is not None
    pdf = built / "site" / "quality-manual.pdf"
    kept = pdf.read_bytes()
    pdf.unlink()
    try:
        assert check_up_to_date(built, None) is None
    finally:
        pdf.write_bytes(kept)
    policy = built / "policy" / "quality-policy.yml"
    text = policy.read_bytes()
    policy.write_bytes(text.replace(b"on time.", b"on time, every time."))
    try:
        assert check_up_to_date(built, None) is None
    finally:
        policy.write_bytes(text)


def test_chart_text_is_searchable_in_the_pdf(built):
    """Charts stay vector, their text is PDF text: an auditor can search for a figure shown in a chart."""
    text = " ".join("\n".join(pdf_pages(built)).split())
    assert "Quality objectives: latest actual against target" in text  # the status chart's title
    assert "target (black tick); bar: actual, blue = met, hatched = not met" in text  # its legend
    assert "PR-1 Customer communication" in text


@pytest.mark.slow  # builds the fixture again, twice
def test_a_rebuild_after_one_procedure_edit_equals_a_build_from_scratch(built, tmp_path):
    """One procedure edited: the rebuild reuses the stored survey figures and charts, and writes exactly
    the bytes a build of the edited project with every cache removed writes."""
    import hashlib
    import shutil

    def digest(root: Path) -> dict:
        return {p.relative_to(root / "site").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted((root / "site").rglob("*")) if p.is_file()}

    def stored(root: Path) -> dict:
        return {p.name: p.stat().st_mtime_ns for p in (root / "build" / ".stage-cache" / "figures").glob("*")}

    build(built)
    figures = stored(built)
    assert figures  # the fixture's survey
    procedure = built / "policy" / "procedures" / "PR-1.yml"
    text = procedure.read_text(encoding="utf-8")
    procedure.write_text(text.replace("purpose:", "# edited\npurpose:", 1).replace(
        "Customer communication", "Customer communication and feedback", 1), encoding="utf-8")
    try:
        assert not build(built).reused
        assert stored(built) == figures  # taken from the store, not computed and written again
        cached = digest(built)
        scratch = tmp_path / "scratch"
        for name in ("policy", "data", "docs"):
            shutil.copytree(built / name, scratch / name)
        shutil.copy2(built / "mkdocs.yml", scratch / "mkdocs.yml")
        build(scratch)
    finally:
        procedure.write_text(text, encoding="utf-8")
    fresh = digest(scratch)
    assert "procedures/PR-1/index.html" in fresh
    assert "Customer communication and feedback" in (scratch / "site" / "procedures" / "PR-1" / "index.html").read_text("utf-8")
    assert cached == fresh


@pytest.mark.slow  # builds the fixture again, twice
def test_a_rebuild_from_the_caches_imports_neither_matplotlib_nor_scipy(built, tmp_path):
    """One procedure edited: every survey figure and chart comes from the caches, so the rebuild (in a
    fresh interpreter) imports none of the drawing and statistics libraries."""
    import subprocess
    import sys

    driver = tmp_path / "driver.py"
    driver.write_text("import sys\nfrom pathlib import Path\nfrom qmdoc.build import build\n"
                      "build(Path(sys.argv[1]), Path(sys.argv[2]), with_pdf=False)\n"
                      "print(sorted(m for m in ('matplotlib', 'scipy') if m in sys.modules))\n", encoding="utf-8")
    build(built)
    procedure = built / "policy" / "procedures" / "PR-1.yml"
    text = procedure.read_text(encoding="utf-8")
    procedure.write_text(text.replace("purpose:", "# edited\npurpose:", 1), encoding="utf-8")
    try:
        run = subprocess.run([sys.executable, str(driver), str(built), str(tmp_path / "site")],
                             capture_output=True, text=True, check=False)
    finally:
        procedure.write_text(text, encoding="utf-8")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "site" / "procedures" / "PR-1" / "index.html").is_file()
