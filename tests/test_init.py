"""``qmdoc init``: a new project (English, Chinese, a hostile name) checks and builds; ``--example`` copies an example."""

import datetime as dt
import functools
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import ROOT
from qmdoc.cli import main
from qmdoc.compute.survey import compute_survey_figures
from qmdoc.load import load_project
from qmdoc.scaffold import EXAMPLE_PARTS, id_prefix, init_project, short_name

HOSTILE = "Acme: # ' \" {{ 7*7 }} <b>恒瑞</b> 精密"

PROCEDURES_EN = ["PR-1020-complaints-handling", "PR-1021-corrective-action", "PR-821-customer-communication",
                 "PR-822-determining-requirements", "PR-823-review-of-requirements",
                 "PR-824-changes-to-requirements", "PR-912-customer-satisfaction", "PR-932-management-review-inputs"]
PROCEDURES_ZH = ["CX-01-customer-communication", "CX-02-determining-requirements", "CX-03-contract-review",
                 "CX-04-changes-to-requirements", "CX-05-customer-satisfaction", "CX-06-complaints-handling",
                 "CX-07-corrective-action", "CX-08-management-review-inputs"]


def files_of(prefix: str, survey: str, procedures: list[str]) -> list[str]:
    return sorted([
        ".github/workflows/release.yml", ".gitignore", ".gitlab-ci.yml", ".vscode/settings.json", "README.md",
        *(f"schemas/{k}.schema.json" for k in ("objectives", "organization", "procedure", "quality-policy", "survey")),
        "data/complaints.csv", f"data/surveys/{survey}/README.txt",
        "docs/reading-guide.md", "docs/stylesheets/qmdoc.css", "mkdocs.yml",
        "policy/objectives.yml", "policy/organization.yml", "policy/quality-policy.yml", f"policy/surveys/{survey}.yml",
        *(f"policy/procedures/{prefix}{p}.yml" for p in procedures),
    ])


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def init(capsys, target: Path, *options: str) -> Path:
    code, out, err = run(capsys, "init", str(target), *options)
    assert (code, err) == (0, "")
    n = len(tree(target))
    if "--example" in options:
        assert out == f"{target}: {n} files of the example written; build it with: qmdoc --root {target} build\n"
    else:
        assert out == (f"{target}: {n} files written; read {target / 'README.md'} first, "
                       f"then run: qmdoc --root {target} check\n")
    return target


def check_output(capsys, root: Path, *options: str) -> str:
    code, out, err = run(capsys, "--root", str(root), "check", *options)
    assert (code, err) == (0, "")
    return out


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("init") / "en"
    init_project(target, "en")
    return target


@pytest.fixture(scope="module")
def chinese(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("init") / "zh"
    init_project(target, "zh")
    return target


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("init") / "hostile"
    init_project(target, "en", HOSTILE)
    return target


# ----------------------------------------------------------------------------- files


def test_init_writes_exactly_these_files_in_english(capsys, tmp_path):
    root = init(capsys, tmp_path / "en")
    assert tree(root) == files_of("EO-", "css", PROCEDURES_EN)


def test_init_writes_exactly_these_files_in_chinese(capsys, tmp_path):
    root = init(capsys, tmp_path / "zh", "--language", "zh")
    assert tree(root) == files_of("", "csi", PROCEDURES_ZH)


def test_init_into_a_new_nested_folder(capsys, tmp_path):
    root = init(capsys, tmp_path / "a" / "b" / "manual", "--name", "Norvik Precision Components AS")
    assert tree(root) == files_of("NPC-", "css", PROCEDURES_EN)
    org = yaml.safe_load((root / "policy" / "organization.yml").read_text("utf-8"))
    assert (org["name"], org["short_name"], org["manual"]["id"], org["complaints_procedure"]) == (
        "Norvik Precision Components AS", "Norvik Precision Components", "NPC-QM-001", "NPC-PR-1020")


def test_init_into_an_existing_empty_folder(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    root = init(capsys, tmp_path / "empty", "--language", "zh", "--name", "ABC科技有限公司")
    assert tree(root) == files_of("ABC-", "csi", PROCEDURES_ZH)


def test_init_refuses_a_folder_with_files_and_touches_nothing(capsys, tmp_path):
    target = tmp_path / "busy"
    (target / "policy").mkdir(parents=True)
    (target / "policy" / "organization.yml").write_text("name: ours\n", encoding="utf-8")
    (target / ".git").write_text("gitdir: elsewhere\n", encoding="utf-8")
    code, out, err = run(capsys, "init", str(target), "--language", "zh")
    assert (code, out) == (1, "")
    assert err == f"{target}: expected a new or empty folder, got one with files in it (nothing was written)\n"
    assert tree(target) == [".git", "policy/organization.yml"]
    assert (target / "policy" / "organization.yml").read_text("utf-8") == "name: ours\n"


def test_init_refuses_a_file_and_a_bad_name(capsys, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert run(capsys, "init", str(tmp_path / "file")) == (
        1, "", f"{tmp_path / 'file'}: expected a new or empty folder, got a file (nothing was written)\n")
    assert run(capsys, "init", str(tmp_path / "new"), "--name", "two\nlines") == (
        1, "", "--name: expected the organization's name on one line, 1 to 200 characters, got 'two\\nlines'\n")
    assert run(capsys, "init", str(tmp_path / "new"), "--example", "--name", "Ours") == (
        1, "", "--name: expected no name with --example (the example is a fictional organization of its own), "
               "got 'Ours'\n")
    assert not (tmp_path / "new").exists()


def test_names_give_short_names_and_id_prefixes():
    cases = {
        "Example Organization": ("Example Organization", "EO-"),
        "Norvik Precision Components AS": ("Norvik Precision Components", "NPC-"),
        "Shenzhen Foo Technology Co., Ltd.": ("Shenzhen Foo Technology", "SFT-"),
        "Kettle GmbH": ("Kettle", "KET-"),
        "示例公司": ("示例公司", ""),
        "苏州恒瑞精密机电有限公司": ("苏州恒瑞精密机电", ""),
        "ABC科技有限公司": ("ABC科技", "ABC-"),
        HOSTILE: (HOSTILE, "ABB-"),
    }
    assert {name: (short_name(name), id_prefix(name)) for name in cases} == cases


def test_every_document_is_a_dated_draft_0_1(tmp_path):
    for language in ("en", "zh"):
        root = tmp_path / language
        init_project(root, language, today=dt.date(2026, 3, 2))
        project = load_project(root)
        docs = project.documents()
        assert len(docs) == 12
        for d in docs:
            c = d.control
            assert (c.status, c.revision, c.approver, c.approval_date) == ("draft", "0.1", None, None), c.id
            assert [(r.revision, r.date) for r in c.revisions] == [("0.1", dt.date(2026, 3, 2))], c.id
        assert len(project.procedures) == 8
        assert project.complaints_procedure.targets == {"acknowledge_working_days": 2, "resolve_days": 20}


def test_the_starting_texts_share_the_examples_site_setup(english, chinese):
    assert (english / "docs" / "stylesheets" / "qmdoc.css").read_bytes() == (ROOT / "docs" / "stylesheets" / "qmdoc.css").read_bytes()
    assert (english / "docs" / "reading-guide.md").read_bytes() == (ROOT / "docs" / "reading-guide.md").read_bytes()
    zh_example = ROOT / "examples" / "zh"
    assert (chinese / "docs" / "reading-guide.md").read_bytes() == (zh_example / "docs" / "reading-guide.md").read_bytes()
    for root, example in ((english, ROOT), (chinese, zh_example)):
        assert yaml.safe_load((root / "mkdocs.yml").read_text("utf-8")) == \
            yaml.safe_load((example / "mkdocs.yml").read_text("utf-8"))


def test_ci_templates_install_qmdoc_with_pip(english, chinese):
    from importlib.metadata import version

    for root in (english, chinese):
        github = yaml.safe_load((root / ".github" / "workflows" / "release.yml").read_text("utf-8"))
        assert github["env"]["QMDOC"] == f"qmdoc=={version('qmdoc')}"
        runs = [s.get("run", "") for s in github["jobs"]["release"]["steps"]]
        assert 'pip install "$QMDOC"' in runs and "qmdoc check --strict" in runs
        assert 'qmdoc release "${GITHUB_REF_NAME}"' in runs and not any("make" in r for r in runs)
        gitlab = yaml.safe_load((root / ".gitlab-ci.yml").read_text("utf-8"))
        assert gitlab["variables"]["QMDOC"] == f"qmdoc=={version('qmdoc')}"
        assert gitlab["release"]["before_script"][-1] == 'pip install "$QMDOC"'
        assert 'qmdoc release "$CI_COMMIT_TAG"' in gitlab["release"]["script"]


def test_data_folders_explain_what_to_drop_there(english, chinese):
    assert (english / "data" / "complaints.csv").read_text("utf-8") == (
        "complaint_id,received,acknowledged,resolved,customer_id,category,severity,product,channel,"
        "corrective_action,description\n")
    assert (english / "data" / "surveys" / "css" / "README.txt").read_text("utf-8").startswith(
        "Customer satisfaction survey (policy/surveys/css.yml): one file per wave.\n")
    assert (chinese / "data" / "surveys" / "csi" / "README.txt").read_text("utf-8").startswith(
        "顾客满意度调查（policy/surveys/csi.yml）：每个波次一个文件。\n")


def test_a_hostile_name_is_data(hostile):
    org = yaml.safe_load((hostile / "policy" / "organization.yml").read_text("utf-8"))
    assert (org["name"], org["short_name"]) == (HOSTILE, HOSTILE)
    readme = BeautifulSoup(markdown.markdown((hostile / "README.md").read_text("utf-8")), "html.parser")
    assert readme.h1.get_text() == f"Quality manual of {HOSTILE}"
    assert readme.find("b") is None
    assert load_project(hostile).procedures[0].document.id == "ABB-PR-821"


# ----------------------------------------------------------------------------- check


def test_check_passes_right_after_init(capsys, english, chinese, hostile):
    for root in (english, chinese, hostile):
        for options in ((), ("--strict",)):
            assert check_output(capsys, root, *options) == "ok: 12 documents, 1 surveys (0 responses), 0 complaints\n"


def test_a_survey_without_data_files_has_no_waves(english):
    project = load_project(english)
    (sd,) = project.surveys
    assert (sd.files, len(sd.responses)) == ((), 0)
    figures = compute_survey_figures(sd.survey, sd.responses)
    assert (figures.survey, figures.waves, figures.changes) == ("css", (), ())
    assert len(project.complaints) == 0 and project.complaints_file.rows == 0


def test_figures_of_a_survey_without_data_is_still_an_error(capsys, english, monkeypatch):
    monkeypatch.chdir(english)
    assert run(capsys, "figures", "policy/surveys/css.yml") == (
        1, "", "policy/surveys/css.yml:19: id: expected survey data in data/surveys/css/*.csv or *.xlsx, got no file\n")


def test_a_missing_complaints_log_is_still_an_error(capsys, tmp_path):
    root = tmp_path / "p"
    init_project(root, "en")
    (root / "data" / "complaints.csv").unlink()
    assert run(capsys, "--root", str(root), "check") == (
        1, "", "data/complaints.csv: expected the complaints log named by complaints_log, got no file\n")


# ----------------------------------------------------------------------------- examples


def example_tree(root: Path) -> list[str]:
    out = []
    for part in EXAMPLE_PARTS:
        path = root / part
        out += [part] if path.is_file() else [f"{part}/{rel}" for rel in tree(path) if "__pycache__" not in rel]
    return sorted(out)


@pytest.mark.parametrize("language, source", [("en", ROOT), ("zh", ROOT / "examples" / "zh")])
def test_init_example_copies_the_example(capsys, tmp_path, language, source):
    root = init(capsys, tmp_path / "example", "--example", "--language", language)
    assert tree(root) == example_tree(source)
    for rel in tree(root):
        assert (root / rel).read_bytes() == (source / rel).read_bytes(), rel
    assert check_output(capsys, root) == check_output(capsys, source)


# ----------------------------------------------------------------------------- builds


@pytest.fixture(scope="module")
def built_hostile(hostile, session_charts) -> Path:
    with session_charts(hostile):
        assert main(["--root", str(hostile), "build"]) == 0
    return hostile / "site"


@pytest.fixture(scope="module")
def built_chinese(chinese, session_charts) -> Path:
    with session_charts(chinese):
        assert main(["--root", str(chinese), "build"]) == 0
    return chinese / "site"


def article(site: Path, page: str) -> BeautifulSoup:
    doc = BeautifulSoup((site / page / "index.html").read_text("utf-8"), "html.parser")
    return doc.find("article")


def headings(el, *names: str) -> list[str]:
    return [h.get_text(strip=True).rstrip("¶") for h in el.find_all(list(names))]


@functools.lru_cache(maxsize=None)
def pdf_reader(site: Path) -> PdfReader:
    return PdfReader(site / "quality-manual.pdf")


@functools.lru_cache(maxsize=None)
def pdf_text(site: Path, number: int) -> str:
    return pdf_reader(site).pages[number].extract_text()


def pdf_page(site: Path, title: str):
    """The first PDF page of the section bookmarked ``title`` (a page's h1), and its text."""
    reader = pdf_reader(site)
    number = next(reader.get_destination_page_number(o) for o in reader.outline
                  if not isinstance(o, list) and o.title == title)
    return reader.pages[number], pdf_text(site, number)


@pytest.mark.slow
def test_built_english_project_says_no_survey_data_yet(built_hostile):
    page = article(built_hostile, "satisfaction/css")
    assert headings(page, "h1", "h2") == ["Customer satisfaction survey", "What the survey asks"]
    assert page.find_all("p")[1].get_text() == ("No survey data yet: the figures of this survey appear here once "
                                                "the first wave's responses are saved in data/surveys/css/.")
    assert page.find("img") is None
    pdf, text = pdf_page(built_hostile, "Customer satisfaction survey")
    assert "No survey data yet: the figures" in text and list(pdf.images) == []
    assert "No complaints recorded yet" in article(built_hostile, "complaints").get_text()
    assert "No complaints recorded yet: the complaints log" in pdf_page(built_hostile, "Complaints")[1]


@pytest.mark.slow
def test_built_english_objectives_have_no_data(built_hostile):
    page = article(built_hostile, "objectives")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in page.select("table")[1].find_all("tr")[1:]]
    assert [(r[0], r[-1]) for r in rows] == [
        ("O1 Customer satisfaction index", "no data"), ("O2 Net Promoter Score", "no data"),
        ("O3 Delivery satisfaction", "no data"), ("O4 Complaints acknowledged within 2 working days", "no data"),
        ("O5 Complaints resolved within 20 days", "no data")]
    assert page.find("img") is None
    assert "No objective has data yet" in page.get_text()


@pytest.mark.slow
def test_built_english_procedures_are_all_drafts(built_hostile):
    ids = [f"ABB-PR-{n}" for n in (821, 822, 823, 824, 912, 932, 1020, 1021)]
    index = article(built_hostile, "procedures")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in index.find("table").find_all("tr")[1:]]
    assert [(r[0], r[2], r[3]) for r in rows] == [(i, "0.1", "draft") for i in ids]
    for doc_id in ids:
        control = article(built_hostile, f"procedures/{doc_id}").find("table").get_text(" ", strip=True)
        assert control.startswith(f"Document id {doc_id} Revision 0.1 Status draft"), doc_id
    titles = {r[0]: r[1] for r in rows}
    for doc_id in ids:
        text = pdf_page(built_hostile, f"{doc_id} {titles[doc_id]}")[1]
        assert f"Document id {doc_id} Revision 0.1 Status draft" in text, doc_id


@pytest.mark.slow
def test_built_hostile_name_shows_literally(built_hostile):
    home = article(built_hostile, "")
    assert headings(home, "h1")[0] == f"{HOSTILE} — Quality Manual — Customer Focus"
    assert home.find("b") is None and "49" not in home.h1.get_text()
    cover = pdf_text(built_hostile, 0)
    assert cover.splitlines()[0] == HOSTILE


@pytest.mark.slow
def test_built_chinese_project_is_chinese_and_says_no_survey_data_yet(built_chinese):
    home = article(built_chinese, "")
    assert headings(home, "h1", "h2") == ["示例公司 — 质量手册——以顾客为关注焦点", "范围", "组织环境", "场所", "相关方",
                                          "目录", "修订记录"]
    page = article(built_chinese, "satisfaction/csi")
    assert headings(page, "h1", "h2") == ["顾客满意度调查", "调查问卷的测评内容"]
    assert page.find_all("p")[1].get_text().startswith("尚无调查数据：")
    assert page.find("img") is None
    pdf, text = pdf_page(built_chinese, "顾客满意度调查")
    assert "尚无调查数据：" in text and list(pdf.images) == []
    assert "尚无投诉记录" in article(built_chinese, "complaints").get_text()
    objectives = article(built_chinese, "objectives")
    assert [tr.find_all("td")[-1].get_text(strip=True) for tr in objectives.select("table")[1].find_all("tr")[1:]] \
        == ["无数据"] * 5
    procedures = article(built_chinese, "procedures")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in procedures.find("table").find_all("tr")[1:]]
    assert [(r[0], r[2], r[3]) for r in rows] == [(f"CX-0{i}", "0.1", "草稿") for i in range(1, 9)]
    assert headings(article(built_chinese, "procedures/CX-06"), "h2") == [
        "目的", "范围", "职责", "步骤", "目标", "记录", "相关文件", "修订记录"]


def test_init_wires_the_editor_schemas(tmp_path, capsys) -> None:
    import json

    import jsonschema

    from qmdoc.yamlfile import load_yaml

    root = tmp_path / "new"
    assert main(["init", str(root), "--language", "zh"]) == 0
    capsys.readouterr()
    settings = json.loads((root / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schemas/procedure.schema.json"] == "policy/procedures/*.yml"
    for path in sorted((root / "policy").rglob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        kind = "procedure" if path.parent.name == "procedures" else "survey" if path.parent.name == "surveys" \
            else path.stem
        up = "../" * (len(path.relative_to(root).parts) - 1)
        assert first == f"# yaml-language-server: $schema={up}schemas/{kind}.schema.json"
        schema = json.loads((path.parent / first.split("=", 1)[1]).read_text(encoding="utf-8"))
        data = load_yaml(path, root).data
        as_json = json.loads(json.dumps(data, default=str))  # dates as text, as an editor sees them
        assert list(jsonschema.Draft202012Validator(schema).iter_errors(as_json)) == []
