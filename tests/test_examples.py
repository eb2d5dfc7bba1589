"""The shipped examples build (English at the root, Chinese in examples/zh), each once per run."""

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from conftest import ROOT
from qmdoc.build import build

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("en") / "site"
    build(ROOT, out)
    return out


@pytest.fixture(scope="module")
def chinese(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("zh") / "site"
    build(ROOT / "examples" / "zh", out)
    return out


def fonts(pdf: Path) -> set[str]:
    names = set()
    for page in PdfReader(pdf).pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


def test_english_example_builds_site_and_pdf(english):
    assert (english / "index.html").is_file()
    reader = PdfReader(english / "quality-manual.pdf")
    assert len(reader.pages) > 30
    text = "\n".join(p.extract_text() for p in reader.pages)
    for heading in ("Quality Policy", "Customer satisfaction survey", "Complaints", "Clause cross-reference",
                    "Management review input", "Changes since the last release", "Data provenance"):
        assert heading in text, heading


def test_english_example_publishes_no_personal_data(english):
    private = set()
    for line in (ROOT / "data" / "complaints.csv").read_text("utf-8").splitlines()[1:40]:
        cells = line.split(",")
        private.update(c for c in cells[5:9] if "@" in c or c.startswith("+"))
    assert private
    texts = [p.read_text("utf-8", errors="replace") for p in english.rglob("*") if p.suffix in (".html", ".json", ".svg")]
    texts.append("\n".join(p.extract_text() for p in PdfReader(english / "quality-manual.pdf").pages))
    for secret in private:
        assert not any(secret in t for t in texts), secret


def test_chinese_pdf_embeds_a_cjk_font_and_chinese_text(chinese):
    pdf = chinese / "quality-manual.pdf"
    assert any("WenQuanYi" in f or "CJK" in f for f in fonts(pdf)), fonts(pdf)
    first = PdfReader(pdf).pages[0].extract_text()
    assert "质量手册" in first
    footer = PdfReader(pdf).pages[3].extract_text()
    assert re.search(r"第 4 页 共 \d+ 页", footer) and "打印件为非受控文件" in footer


def test_chinese_site_is_in_chinese_and_searchable(chinese):
    doc = BeautifulSoup((chinese / "index.html").read_text("utf-8"), "html.parser")
    assert doc.html["lang"] == "zh"
    index = json.loads((chinese / "search" / "search_index.json").read_text("utf-8"))
    assert index["config"]["lang"] == ["zh"]
    assert "\\u200b" in index["config"]["separator"]
    text = " ".join(d["text"] for d in index["docs"])
    assert "\u200b" in text  # jieba segmented the Chinese text
    assert "顾客" in text
