"""The second site engine, Zensical: the same generated pages build into a complete, offline, inert site."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from qmdoc.build import build
from qmdoc.errors import QmdocError

from conftest import ROOT, copy_mini

PAGES = ("", "policy", "objectives", "procedures", "procedures/PR-1", "procedures/PR-2", "satisfaction/css",
         "complaints", "review", "clauses", "documents", "changes", "provenance", "reading-guide")


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory, session_charts) -> Path:
    root = copy_mini(tmp_path_factory.mktemp("zensical") / "mini")
    with session_charts(root):
        summary = build(root, with_pdf=False, engine="zensical")
    assert summary.pages == 13
    return root / "site"


@pytest.fixture(scope="module")
def zh_site(tmp_path_factory, session_charts) -> Path:
    root = tmp_path_factory.mktemp("zensical-zh") / "zh"
    root.mkdir()
    for name in ("policy", "data", "docs"):
        shutil.copytree(ROOT / "examples" / "zh" / name, root / name)
    shutil.copy(ROOT / "examples" / "zh" / "mkdocs.yml", root / "mkdocs.yml")
    # the engine chosen in organization.yml
    org = root / "policy" / "organization.yml"
    org.write_text(org.read_text(encoding="utf-8") + "\nsite: {engine: zensical}\n", encoding="utf-8")
    with session_charts(root):
        build(root, with_pdf=False)
    return root / "site"


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_every_page_is_built_with_its_heading_and_the_navigation(mini_site: Path) -> None:
    for path in PAGES:
        doc = page(mini_site, path)
        assert doc.find("h1") is not None, path
    nav = [a.get_text(" ", strip=True) for a in page(mini_site, "").select("nav a")]
    for title in ("Quality policy", "PR-1 Customer communication", "PR-2 Complaints handling",
                  "Customer satisfaction survey", "Document register"):
        assert title in nav
    assert page(mini_site, "procedures/PR-1").h1.get_text(strip=True).startswith("PR-1 Customer communication")


def test_figures_are_the_same_as_with_the_default_engine(mini_site: Path) -> None:
    rows = page(mini_site, "objectives").select("article table")[1].find_all("tr")[1:]
    status = {r.find_all("td")[0].get_text(" ", strip=True): r.find_all("td")[-1].get_text(strip=True) for r in rows}
    assert status["O1 Satisfaction index"] == "met"
    assert status["O2 Net Promoter Score"] == "not met"


def test_hostile_text_stays_text(mini_site: Path) -> None:
    doc = page(mini_site, "policy")
    assert "Hostile text stays text: <script>alert(1)</script> and {{ 7*7 }}" in doc.get_text()
    for html in mini_site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        assert all(not s.string or "alert(1)" not in s.string for s in soup.find_all("script")), html
        assert not any(k.startswith("on") for tag in soup.find_all(True) for k in tag.attrs), html


def test_the_site_loads_nothing_from_the_internet(mini_site: Path) -> None:
    for html in mini_site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for node in soup.find_all(tag):
                assert not re.match(r"^(https?:)?//", node.get(attr, "")), (html, node)


@pytest.mark.slow  # builds the site of the Chinese example
def test_chinese_site_and_its_search_index(zh_site: Path) -> None:
    doc = page(zh_site, "")
    assert doc.html.get("lang") == "zh"
    assert "苏州恒瑞精密机电有限公司" in doc.h1.get_text()
    index = json.loads((zh_site / "search.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh"]
    assert any("顾客满意" in item["text"] for item in index["items"])


def test_a_missing_engine_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qmdoc import site

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", encoding="utf-8")
    monkeypatch.setattr(site.shutil, "which", lambda *a, **k: None)
    with pytest.raises(QmdocError) as err:
        site.build_site(config, tmp_path / "out", {}, "zensical")
    assert str(err.value) == ("site engine zensical: expected the zensical package installed beside qmdoc "
                              "(pip install 'qmdoc[zensical]'), got none")
