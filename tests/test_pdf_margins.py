"""The running header and footer: ``overflow-wrap: anywhere`` only on a margin row that may not fit.

A row whose texts surely fit is laid out the same without it, and WeasyPrint then spares measuring
its texts character by character."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from qmdoc import pdf
from qmdoc.i18n import catalogue

WRAP = "overflow-wrap: anywhere; content"


def cover(organization: str = "Norvik AS", document_id: str = "QM-001") -> pdf.Cover:
    return pdf.Cover(organization=organization, title="Quality Manual", document_id=document_id, revision="5",
                     status="Approved", approver="A. Berg", approval_date="1 Nov 2026",
                     effective_date="1 Nov 2026", build_date="1 Dec 2026", build_date_iso="2026-12-01T00:00:00Z",
                     language="en")


def margin_rules(css: str) -> dict[str, str]:
    """The margin boxes of the body pages (the cover's rule, which follows, empties them)."""
    rules = {}
    for line in css.split("@page cover")[0].splitlines():
        line = line.strip()
        if line.startswith(("@top-", "@bottom-")) and "{" in line:
            rules[line.split()[0]] = line
    return rules


def test_chapters_are_the_texts_of_the_level_1_headings():
    document = ('<h1 id="a">Scope &amp; <span class="long-word">Context</span><wbr>s</h1><h2>Not this</h2>'
                '<h1 class="x">质量手册</h1>')
    assert pdf.chapters(document) == ("Scope & Contexts", "质量手册")


def test_width_is_the_sum_of_advances_and_positive_kerning_with_a_margin():
    metrics = pdf.margin_metrics()
    assert metrics is not None
    # an independent reading of the same font file
    with TTFont(metrics_file()) as font:
        em, glyphs = font["head"].unitsPerEm, font.getBestCmap()
        kern = font["kern"].kernTables[0].kernTable
        advance = sum(font["hmtx"][glyphs[ord(c)]][0] for c in "To") / em
        pair = max(kern.get((glyphs[ord("T")], glyphs[ord("o")]), 0), 0) / em
    assert pdf._width_pt("To") == pytest.approx((advance + pair) * 8 * 1.02 + 1, abs=1e-9)
    assert pdf._width_pt("中文") == pytest.approx(2 * 8 * 1.02 + 1, abs=1e-9)
    assert pdf._width_pt("smile \u0915") == float("inf")


def metrics_file() -> str:
    import subprocess

    return subprocess.run(["fc-match", "--format=%{file}", "DejaVu Sans:style=Book"],
                          capture_output=True, text=True, check=True).stdout


def test_rows_that_fit_have_no_overflow_wrap():
    rules = margin_rules(pdf.stylesheet(cover(), catalogue("en"), ("Contents", "PR-822 Determining Requirements")))
    assert not [name for name, rule in rules.items() if WRAP in rule]


def test_a_long_organization_or_chapter_wraps_the_top_row_only():
    t = catalogue("en")
    for css in (pdf.stylesheet(cover(organization="N" * 120), t, ("Contents",)),
                pdf.stylesheet(cover(), t, ("Contents", "Supplier" * 16)),
                pdf.stylesheet(cover(), t, ("Contents", "Scope \u0915"))):
        rules = margin_rules(css)
        assert sorted(name for name, rule in rules.items() if WRAP in rule) == ["@top-left", "@top-right"]


def test_a_long_document_id_wraps_the_bottom_left_box():
    rules = margin_rules(pdf.stylesheet(cover(document_id="QM-" + "0" * 60), catalogue("en"), ("Contents",)))
    assert sorted(name for name, rule in rules.items() if WRAP in rule) == ["@bottom-left"]


def test_a_row_that_fits_is_laid_out_the_same_with_or_without_overflow_wrap(tmp_path: Path):
    t = catalogue("en")
    document = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title></head><body>'
                '<section class="page"><h1>Scope of the Quality Management System</h1><p>Text.</p></section>'
                '<section class="page"><h1>PR-822 Determining Requirements for Products</h1><p>Text.</p>'
                '</section></body></html>')
    css = pdf.stylesheet(cover(organization="Norvik Precision Components AS"), t, pdf.chapters(document))
    assert WRAP not in css
    wrapped = css.replace("@top-left { content: \"", "@top-left { overflow-wrap: anywhere; content: \"").replace(
        "@top-right { content: string", "@top-right { overflow-wrap: anywhere; content: string").replace(
        "@bottom-left { content: \"", "@bottom-left { overflow-wrap: anywhere; content: \"")
    assert wrapped.count(WRAP) == 3
    assert pdf.write_pdf(document, css, tmp_path, tmp_path / "a.pdf") == []
    assert pdf.write_pdf(document, wrapped, tmp_path, tmp_path / "b.pdf") == []
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
