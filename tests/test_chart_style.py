"""The house style of every chart: deterministic SVG, text stays text, house style restored, CJK glyphs."""

import logging
import re
import warnings

import matplotlib
import pytest
from matplotlib.figure import Figure

from chart_calls import CALLS, draw
from qmdoc import charts

ZH = "满意度指数"


@pytest.mark.parametrize("name", sorted(CALLS))
def test_chart_is_byte_identical_on_a_second_call(name):
    first, second = draw(name), draw(name)
    assert first.startswith(b"<?xml") and b"<svg" in first
    assert first == second


@pytest.mark.parametrize("name", sorted(CALLS))
def test_chart_text_is_real_text(name):
    """Text stays text (selectable and searchable in the PDF), in our fonts, with a generic fallback."""
    import re

    svg = draw(name)
    assert b"<text" in svg
    families = set(re.findall(rb"font-family: ([^;\"]*)", svg))
    assert families and all(f.startswith(b"'DejaVu Sans', 'WenQuanYi Micro Hei'") and f.endswith(b"sans-serif")
                            for f in families)
    assert b"<dc:date>" not in svg  # no build time inside


@pytest.mark.parametrize("name", sorted(CALLS))
def test_chart_leaves_rcparams_as_it_found_them(name):
    before = matplotlib.rcParams.copy()
    draw(name)
    after = matplotlib.rcParams.copy()
    changed = {k for k in before if before[k] != after[k]}
    assert not changed


def test_chart_leaves_the_font_manager_logger_as_it_found_it():
    logger = logging.getLogger("matplotlib.font_manager")
    level, filters = logger.level, list(logger.filters)
    draw("radar")
    assert (logger.level, logger.filters) == (level, filters)


def _cjk_font_installed() -> bool:
    return any(name != "DejaVu Sans" for name in charts._fonts())


def _glyph_problems(records, caught) -> list[str]:
    messages = [r.getMessage() for r in records if r.levelno >= logging.WARNING]
    messages += [str(w.message) for w in caught]
    return [m for m in messages if re.search(r"glyph|missing from|font", m, re.I)]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_chinese_labels_render_without_missing_glyphs(name, caplog):
    with caplog.at_level(logging.WARNING), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw(name)
    assert _glyph_problems(caplog.records, caught) == []


def test_missing_glyphs_would_be_caught(caplog):
    """Control for the test above: without a CJK font the same capture sees the warning."""
    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, ZH)
    with caplog.at_level(logging.WARNING), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with matplotlib.rc_context({"font.family": ["DejaVu Sans"], "svg.fonttype": "path"}):
            import io
            fig.savefig(io.BytesIO(), format="svg")
    assert _glyph_problems(caplog.records, caught)


def test_user_text_with_dollar_signs_is_not_mathtext():
    svg = charts.hbars(["$5k+ customers", "under $5k"], [70.0, 60.0], [40, 50], title="By size ($)", xlabel="Index")
    assert svg.startswith(b"<?xml")
