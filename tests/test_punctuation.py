"""Punctuation between a label and its value follows the page's language (the ``punct`` template filter)."""

import pytest

from qmdoc.i18n import catalogue
from qmdoc.render import bracketed, clause_list, joined, make_environment

TEMPLATE = "{{ t('clauses') }}{{ 'colon' | punct }}5.1{{ 'semicolon' | punct }}x{{ 'stop' | punct }}y{{ 'end' | punct }}"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "ISO 9001 clauses: 5.1; x. y."),
    ("zh", "ISO 9001 条款：5.1；x。y。"),
])
def test_marks_and_their_spacing(language, expected):
    assert make_environment().from_string(TEMPLATE).render(t=catalogue(language)) == expected


def test_an_unknown_mark_is_an_error():
    with pytest.raises(KeyError, match="no 'en' text for 'punct_dash'"):
        make_environment().from_string("{{ 'dash' | punct }}").render(t=catalogue("en"))


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Sales manager, Planner, R&amp;D \\*lead\\*"),
    ("zh", "Sales manager、Planner、R&amp;D \\*lead\\*"),
])
def test_an_enumeration_in_the_page_language(language, expected):
    assert joined(["Sales manager", "Planner", "R&D *lead*"], catalogue(language)) == expected


def test_an_empty_enumeration_is_a_dash():
    assert joined([], catalogue("zh")) == "—"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "5\\.1.2, 8\\.2.1, 9\\.1.2"),
    ("zh", "5\\.1.2、8\\.2.1、9\\.1.2"),
])
def test_clause_numbers_in_clause_order(language, expected):
    """Sorted as clauses (not as text), each number escaped for Markdown (no ordered list starts)."""
    assert clause_list(["9.1.2", "5.1.2", "8.2.1"], catalogue(language)) == expected


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Late delivery (86)"),
    ("zh", "Late delivery（86）"),
])
def test_a_count_in_brackets(language, expected):
    assert bracketed("Late delivery", "86", catalogue(language)) == expected


@pytest.mark.slow
def test_zh_procedure_tables_and_review_use_chinese_marks(example_site):
    """The Chinese example's site: enumerations with 、, counts and marks in full-width brackets."""
    site = example_site("zh")

    def text(page: str) -> str:
        return (site / page / "index.html").read_text(encoding="utf-8")

    assert "<td>技术部经理、计划主管</td>" in text("procedures/HR-CX-01")
    assert 'alt="流程图：HR-CX-01 顾客沟通管理程序，8 步骤"' in text("procedures/HR-CX-01")
    assert "交付延迟（86）、尺寸超差（75）、性能不良（54）" in text("review")
    assert "<strong>+3.0</strong>（显著）" in text("satisfaction/csi")
