"""The shipped examples build (English at the root, Chinese in examples/zh), each once per run."""

import functools
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import ROOT, section
from qmdoc.compute.manual import ManualResults, compute_manual
from qmdoc.load import load_project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def english(example_site) -> Path:
    return example_site("en")


@pytest.fixture(scope="module")
def chinese(example_site) -> Path:
    return example_site("zh")


@pytest.fixture(scope="module")
def english_pdf(example_pdf_pages) -> tuple[str, ...]:
    """The text of each page of the English example's PDF (extracted once per run)."""
    return example_pdf_pages("en")


@pytest.fixture(scope="module")
def chinese_pdf(example_pdf_pages) -> tuple[str, ...]:
    """The text of each page of the Chinese example's PDF (extracted once per run)."""
    return example_pdf_pages("zh")


def fonts(pdf: Path) -> set[str]:
    names = set()
    for page in PdfReader(pdf).pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


def test_english_example_builds_site_and_pdf(english, english_pdf):
    assert (english / "index.html").is_file()
    pages = english_pdf
    assert len(pages) > 30
    text = "\n".join(pages)
    for heading in ("Quality Policy", "Customer satisfaction survey", "Complaints", "Clause cross-reference",
                    "Management review input", "Changes since the last release", "Data provenance"):
        assert heading in text, heading


def test_english_example_publishes_no_personal_data(english, english_pdf):
    private = set()
    for line in (ROOT / "data" / "complaints.csv").read_text("utf-8").splitlines()[1:40]:
        cells = line.split(",")
        private.update(c for c in cells[5:9] if "@" in c or c.startswith("+"))
    assert private
    texts = [p.read_text("utf-8", errors="replace") for p in english.rglob("*") if p.suffix in (".html", ".json", ".svg")]
    texts.append("\n".join(english_pdf))
    for secret in private:
        assert not any(secret in t for t in texts), secret


def test_chinese_pdf_embeds_a_cjk_font_and_chinese_text(chinese, chinese_pdf):
    pdf = chinese / "quality-manual.pdf"
    assert any("WenQuanYi" in f or "CJK" in f for f in fonts(pdf)), fonts(pdf)
    first = chinese_pdf[0]
    assert "质量手册" in first
    footer = chinese_pdf[3]
    assert re.search(r"第 4 页 共 \d+ 页", footer) and "打印件为非受控文件" in footer


def test_chinese_pdf_embeds_only_the_glyphs_it_uses(chinese):
    """The CJK font is embedded as a subset (HarfBuzz cannot subset the installed collection itself):
    far smaller than the font's 4.6 MB of glyphs."""
    sizes = {}
    for page in PdfReader(chinese / "quality-manual.pdf").pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                file = descendant.get_object()["/FontDescriptor"].get_object()["/FontFile2"].get_object()
                sizes[str(font["/BaseFont"])] = len(file.get_data())
    cjk = {name: size for name, size in sizes.items() if "WenQuanYi" in name}
    assert cjk and all(size < 1_500_000 for size in cjk.values()), cjk


def test_chinese_site_is_in_chinese_and_searchable(chinese):
    doc = BeautifulSoup((chinese / "index.html").read_text("utf-8"), "html.parser")
    assert doc.html["lang"] == "zh"
    index = json.loads((chinese / "search" / "search_index.json").read_text("utf-8"))
    assert index["config"]["lang"] == ["zh"]
    assert "\\u200b" in index["config"]["separator"]
    text = " ".join(d["text"] for d in index["docs"])
    assert "\u200b" in text  # jieba segmented the Chinese text
    assert "顾客" in text


def test_chinese_pages_use_chinese_punctuation_between_labels_and_values(chinese):
    objectives = BeautifulSoup((chinese / "objectives" / "index.html").read_text("utf-8"), "html.parser")
    text = objectives.select_one("article").get_text(" ")
    assert "目标值：" in text and "状态：" in text and "条款：" in text
    assert not re.search(r"[\u4e00-\u9fff]: ", text), re.findall(r".{12}[\u4e00-\u9fff]: .{12}", text)
    review = BeautifulSoup((chinese / "review" / "index.html").read_text("utf-8"), "html.parser")
    assert re.search(r"投诉最多的类别：.+。未关闭投诉：\d+。", review.get_text(""))


# ------------------------------------------------------------- key drivers and the assessed structural model


@functools.lru_cache(maxsize=None)
def _computed(root: Path) -> ManualResults:
    """The figures of the project at ``root``, computed once for the tests of this module (they only read them)."""
    return compute_manual(load_project(root))


def _figures(root: Path, survey_id: str) -> dict:
    from qmdoc.compute.survey import figures_as_json

    return figures_as_json(_computed(root).surveys[survey_id])["waves"][-1]


def _flat(text: str) -> str:
    """Text as read: no-break spaces as spaces, word joiners dropped, every run of white space one space."""
    return " ".join(text.replace("\u2060", "").split())


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _interval(ci, digits: int = 3, scale: float = 1.0) -> str:
    return f"{ci[0] * scale:.{digits}f} – {ci[1] * scale:.{digits}f}"


def _rows(table) -> list[list[str]]:
    return [[_flat(c.get_text(" ", strip=True)) for c in tr.find_all(["td", "th"])] for tr in table.find_all("tr")]


def _pdf_text(pages: tuple[str, ...]) -> str:
    return _flat("\n".join(pages))


def _driver_lines(drivers: dict, titles: dict) -> list[str]:
    return [f"{titles[d]} {drivers['raw'][d]:.3f} {drivers['share'][d] * 100:.1f} % "
            f"{_interval(drivers['share_ci'][d], 1, 100)} {drivers['n']} {drivers['r2']:.3f}" for d in drivers["raw"]]


def _path_lines(model: dict, titles: dict) -> list[str]:
    """Each path's row as the page prints it: from, to, coefficient (marked when p < 0.05), SE, t, p, interval."""
    out = []
    for key, coef in model["paths"].items():
        a, b = key.split("->")
        mark = " *" if model["paths_p"][key] < 0.05 else ""
        out.append(f"{titles[a]} {titles[b]} {coef:.3f}{mark} {model['paths_se'][key]:.3f} "
                   f"{model['paths_t'][key]:.2f} {_p(model['paths_p'][key])} {_interval(model['paths_ci'][key])}")
    return out


def _check_site(page: Path, wave: dict, titles: dict, drivers_heading: str | None, model_heading: str) -> None:
    doc = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    if drivers_heading is not None:
        drivers = wave["drivers"]
        part = section(doc, drivers_heading)
        rows = _rows(next(el for el in part if el.name == "table"))
        assert [" ".join(r) for r in rows[1:-1]] == _driver_lines(drivers, titles)
        assert any(img["src"].endswith("-drivers.svg") for el in part for img in el.find_all("img"))
    model = wave["model"]
    part = section(doc, model_heading)
    table = next(el for el in part if el.name == "table" and len(el.find("tr").find_all("th")) >= 7)
    rows = table.find_all("tr")[1:]
    assert [" ".join(r[:7]) for r in _rows(table)[1:]] == _path_lines(model, titles)
    for tr, p in zip(rows, model["paths_p"].values()):  # significant paths in bold
        assert (tr.find_all("td")[2].find("strong") is not None) == (p < 0.05)
    text = _flat(" ".join(el.get_text(" ") for el in part))
    for lv, value in model["rho_c"].items():
        assert f"{titles[lv]} {model['alpha'][lv]:.3f} {value:.3f} {model['rho_a'][lv]:.3f} {model['ave'][lv]:.3f}" in text
    for lv, value in model["ipma"]["importance"].items():
        assert f"{titles[lv]} {value:.3f} {model['ipma']['performance'][lv]:.1f}" in text
    assert any(img["src"].endswith("-ipma.svg") for el in part for img in el.find_all("img"))


def test_english_example_shows_key_drivers_and_the_assessed_model(english, english_pdf):
    wave = _figures(ROOT, "css")
    titles = {"quality": "Product quality", "delivery": "Delivery", "support": "Technical support",
              "communication": "Communication and responsiveness", "commercial": "Commercial terms",
              "complaints_handling": "Complaints handling"}
    assert wave["wave"] == "2025-Q4" and wave["model"] is not None and wave["drivers"] is not None
    _check_site(english / "satisfaction" / "css" / "index.html", wave, titles,
                "What drives overall satisfaction", "Structural model (PLS path model)")
    text = _pdf_text(english_pdf)
    assert "What drives overall satisfaction — 2025-Q4" in text
    for line in _driver_lines(wave["drivers"], titles):
        assert line in text, line
    model = wave["model"]
    for key, coef in model["paths"].items():
        mark = " *" if model["paths_p"][key] < 0.05 else ""
        cells = (f"{coef:.3f}{mark} {model['paths_se'][key]:.3f} {model['paths_t'][key]:.2f} "
                 f"{_p(model['paths_p'][key])} {_interval(model['paths_ci'][key])}")
        assert cells in text, key
    for heading in ("Total effects", "Effect sizes and collinearity of the paths",
                    "Measurement model: reliability and convergent validity", "Measurement model: discriminant validity",
                    "Importance–performance map on Commercial terms: a latent variable"):
        assert heading in text, heading


def test_chinese_example_shows_key_drivers_and_the_assessed_model(chinese, chinese_pdf):
    root = ROOT / "examples" / "zh"
    csi = _figures(root, "csi")
    csi_titles = {d["id"]: d["title"] for d in _dimensions(root / "policy" / "surveys" / "csi.yml")}
    doc = BeautifulSoup((chinese / "satisfaction" / "csi" / "index.html").read_text("utf-8"), "html.parser")
    rows = _rows(next(el for el in section(doc, "关键驱动因素分析") if el.name == "table"))
    assert rows[0] == ["维度", "原始相对权重 ε", "占 R² 比例", "95 % 置信区间", "样本量", "R²"]
    assert [" ".join(r) for r in rows[1:-1]] == _driver_lines(csi["drivers"], csi_titles)

    ccsi = _figures(root, "ccsi")
    titles = {d["id"]: d["title"] for d in _dimensions(root / "policy" / "surveys" / "ccsi.yml")}
    _check_site(chinese / "satisfaction" / "ccsi" / "index.html", ccsi, titles, None, "结构模型（PLS路径模型）")
    text = _pdf_text(chinese_pdf)
    for line in _driver_lines(csi["drivers"], csi_titles):
        assert line in text, line
    model = ccsi["model"]
    for key, coef in model["paths"].items():
        mark = " *" if model["paths_p"][key] < 0.05 else ""
        assert f"{coef:.3f}{mark} {model['paths_se'][key]:.3f} {model['paths_t'][key]:.2f}" in text, key
    for heading in ("关键驱动因素分析：什么决定总体满意度", "总效应", "测量模型：信度与收敛效度", "测量模型：区分效度",
                    "重要性–绩效矩阵分析（IPMA）"):
        assert heading in text, heading


def _dimensions(path: Path) -> list[dict]:
    import yaml

    return yaml.safe_load(path.read_text("utf-8"))["dimensions"]


def test_english_structural_model_is_estimated_on_every_wave():
    fig = _computed(ROOT).surveys["css"]
    assert len(fig.waves) == 8
    for w in fig.waves:
        assert w.model is not None and w.model.converged, w.wave
        assert w.model_assessment.bootstrap.valid == w.model_assessment.bootstrap.samples == 5000
        assert w.model_assessment.ipma_target == "commercial"
        assert all(0 < c < 1 for c in w.model.paths.values()), w.wave  # positive paths, as the model expects


# ------------------------------------------- internal customers, competitors and loyalty in the English example


def _table(doc, heading: str) -> list[list[str]]:
    return _rows(next(el for el in section(doc, heading) if el.name == "table"))


def _cell(figures: dict | None) -> str:
    return "" if figures is None else f"{figures['index']:.1f} (n = {figures['n']})"


def test_english_site_shows_the_internal_customer_matrix(english, english_pdf):
    wave = _figures(ROOT, "internal")
    assert wave["wave"] == "2025-H2"
    matrix = wave["internal"]
    cells = {(c["supplier"], c["customer"]): c for c in matrix["cells"]}
    customers = ["Engineering", "Logistics", "Production", "Production Planning", "Quality", "Sales"]
    suppliers = ["Engineering", "Logistics", "Production", "Production Planning", "Purchasing", "Quality", "Sales"]
    assert (matrix["customers"], matrix["suppliers"]) == (customers, suppliers)
    assert len(cells) == 14 and not any(c["suppressed"] for c in cells.values())
    doc = BeautifulSoup((english / "satisfaction" / "internal" / "index.html").read_text("utf-8"), "html.parser")
    rows = _table(doc, "Internal customers: supplier × customer — 2025-H2")
    assert rows[0] == ["Supplying department", *customers, "All internal customers"]
    assert rows[1:] == [[s, *(_cell(cells.get((s, c))) for c in customers), _cell(matrix["supplier_totals"][s])]
                        for s in suppliers]
    # the improvement the example tells: Logistics' service to Sales after the dispatch e-mails of July 2025
    assert rows[2] == ["Logistics", "", "", "", "", "", "73.0 (n = 12)", "73.0 (n = 12)"]
    assert "Internal customers: supplier × customer — 2025-H2" in _pdf_text(english_pdf)


def test_english_site_compares_norvik_with_its_competitors(english, english_pdf):
    wave = _figures(ROOT, "css_benchmark")
    assert wave["wave"] == "2025"
    companies = ["Norvik", "Hartwell", "Kessler"]
    fig = wave["competitors"]
    assert list(fig) == companies and not any(f["suppressed"] for f in fig.values())
    titles = {d["id"]: d["title"] for d in _dimensions(ROOT / "policy" / "surveys" / "css_benchmark.yml")}
    doc = BeautifulSoup((english / "satisfaction" / "css_benchmark" / "index.html").read_text("utf-8"), "html.parser")
    rows = _table(doc, "Competitor comparison — 2025")
    assert rows[0] == ["Measure", "Norvik (us)", "Hartwell", "Kessler", "Gap to best competitor (points)"]
    assert rows[1] == ["Respondents", "262", "121", "106", ""]
    assert rows[2] == ["Satisfaction index", *(f"{fig[c]['index']:.1f}" for c in companies), "—"]
    assert rows[3:] == [[titles[d], *(f"{fig[c]['dimensions'][d]:.1f}" for c in companies),
                         f"{wave['competitor_gaps'][d]:+.1f}"] for d in titles]
    # delivery: behind Hartwell before corrective action CA-2024-080, level with it in 2025
    assert rows[4] == ["Delivery", "74.7", "74.0", "66.7", "+0.7"]
    assert any(img["src"].endswith("css_benchmark-competitors.svg")
               for el in section(doc, "Competitor comparison — 2025") for img in el.find_all("img"))
    assert "Competitor comparison — 2025" in _pdf_text(english_pdf)


def test_english_site_reports_loyalty_apart_from_satisfaction(english, english_pdf):
    wave = _figures(ROOT, "css_benchmark")
    questions = {i["id"]: i["text"] for i in _items(ROOT / "policy" / "surveys" / "css_benchmark.yml")}
    doc = BeautifulSoup((english / "satisfaction" / "css_benchmark" / "index.html").read_text("utf-8"), "html.parser")
    rows = _table(doc, "Loyalty — 2025")
    assert rows[0] == ["Item", "Question", "n", "Score (0–100)", "95 % interval", "Top-2-box", "95 % interval",
                       "Correlation with overall satisfaction (r)"]
    loyalty = wave["loyalty"]
    assert list(loyalty) == ["b_repurchase", "b_share", "b_nps"]
    assert rows[1:] == [[k, questions[k], str(f["n"]), f"{f['score']:.1f}", _interval(f["ci"], 1),
                         f"{f['top2'] * 100:.1f} %", _interval(f["top2_ci"], 1, 100), f"{f['r_with_overall']:.2f}"]
                        for k, f in loyalty.items()]
    assert rows[1][:6] == ["b_repurchase", "We will continue to buy from Norvik over the next two years.", "257",
                           "80.1", "77.9 – 82.2", "85.2 %"]
    text = _pdf_text(english_pdf)
    assert "Loyalty — 2025" in text and "Supplier benchmark survey" in text


def _items(path: Path) -> list[dict]:
    import yaml

    return yaml.safe_load(path.read_text("utf-8"))["items"]
