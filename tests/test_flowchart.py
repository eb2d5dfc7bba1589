"""Swimlane process-flow chart: deterministic SVG, structure (one box per step, one lane per actor), fit, CJK."""

from __future__ import annotations

import logging
import re
import warnings
import xml.etree.ElementTree as ET

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from qmdoc import charts
from qmdoc.charts import flowchart, process_flow

SVG = "{http://www.w3.org/2000/svg}"

EN = [
    ("Customer Service Coordinator", "Record the complaint in the complaints log on the working day it arrives, whatever "
                                     "the channel (e-mail, phone, portal, visit)."),
    ("Customer Service Coordinator", "Acknowledge the complaint to the customer within 2 working days."),
    ("Quality Engineer", "Classify the severity. Critical: safety-relevant, line stop at the customer, or product "
                         "already in the field. Major: nonconforming product that the customer cannot use."),
    ("Quality Manager", "Inform the Managing Director of every critical complaint within one working day."),
    ("Quality Engineer", "Investigate: verify the complaint against the drawing, order and records."),
    ("Key Account Manager", "Give the customer a decision within the resolution target of 20 calendar days."),
    ("Customer Service Coordinator", "Close the complaint in the log when the customer accepts the decision."),
    ("Quality Manager", "Each month, analyse the log: complaints by category (Pareto), by product family."),
]

ZH = [
    ("客服专员", "收到投诉的当天，不论来自哪个渠道，都在投诉台账中登记：投诉编号（TS-年份-流水号）、顾客、联系人、产品型号。"),
    ("客服专员", "在1个工作日内书面告知顾客已收到投诉，说明投诉编号、负责处理的质量工程师和预计首次答复的时间。"),
    ("质量工程师", "确定严重度。致命：涉及安全、造成顾客停线或问题产品已流入终端市场。"),
    ("质量部经理", "致命投诉在24小时内报告总经理。"),
    ("质量工程师", "调查核实：对照图纸、订单和生产检验记录，必要时在计量室复测退回的样品。"),
    ("区域销售经理", "自收到投诉之日起15天内，给顾客书面的处理结论：投诉是否成立及理由。"),
]


def many(n_steps: int, n_actors: int) -> list[tuple[str, str]]:
    return [(f"Department {i % n_actors + 1} Manager",
             f"Step {i + 1}: check the order lines against the capacity plan and record the result in the log.")
            for i in range(n_steps)]


def ids(svg: bytes, prefix: str) -> list[str]:
    root = ET.fromstring(svg)
    return [g.get("id") for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith(prefix)]


def bbox(group: ET.Element) -> tuple[float, float, float, float]:
    """Bounding box of the path vertices in a group (control points included: an upper bound)."""
    nums = [float(v) for p in group.iter(f"{SVG}path") for v in re.findall(r"-?\d+(?:\.\d+)?", p.get("d", ""))]
    xs, ys = nums[0::2], nums[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def has_cjk_font() -> bool:
    return any(name != "DejaVu Sans" for name in charts._fonts())


# ---------------------------------------------------------------- determinism


def test_same_input_gives_byte_identical_svg():
    assert process_flow(EN, "PR-1020 Complaints handling", note="Steps as in the table") == \
        process_flow(EN, "PR-1020 Complaints handling", note="Steps as in the table")


def test_rcparams_restored_after_a_call():
    before = dict(matplotlib.rcParams)
    level = logging.getLogger("matplotlib.font_manager").level
    process_flow(ZH, "HR-CX-06 顾客投诉处理程序")
    assert dict(matplotlib.rcParams) == before
    assert logging.getLogger("matplotlib.font_manager").level == level


def test_no_steps_is_an_error():
    with pytest.raises(ValueError, match="expected at least one step, got none"):
        process_flow([], "Empty")


# ------------------------------------------------------------------ structure


def test_svg_has_one_box_per_step_and_one_lane_per_actor():
    svg = process_flow(EN, "PR-1020")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert ids(svg, "step-") == [f"step-{i}" for i in range(1, len(EN) + 1)]
    actors = list(dict.fromkeys(a for a, _ in EN))
    first_lanes = [i for i in ids(svg, "lane-") if re.fullmatch(r"lane-\d+", i)]
    assert sorted(first_lanes) == sorted(f"lane-{j}" for j in range(1, len(actors) + 1))
    all_ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(all_ids) == len(set(all_ids))  # later bands' lanes get their own ids


def test_each_box_lies_in_its_actors_lane_and_boxes_do_not_overlap():
    steps = many(12, 6)
    root = ET.fromstring(process_flow(steps, "Twelve steps"))
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}
    actors = list(dict.fromkeys(a for a, _ in steps))
    boxes = []
    for i, (actor, _) in enumerate(steps, start=1):
        x0, y0, x1, y1 = bbox(groups[f"step-{i}"])
        j = actors.index(actor) + 1
        lanes = [bbox(g) for gid, g in groups.items() if gid == f"lane-{j}" or gid.startswith(f"lane-{j}-band-")]
        assert any(lx0 <= x0 and x1 <= lx1 and ly0 <= y0 and y1 <= ly1 for lx0, ly0, lx1, ly1 in lanes), i
        boxes.append((x0, y0, x1, y1))
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1) = boxes[a], boxes[b]
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, (a + 1, b + 1)


def test_text_is_real_text():
    """The step texts stay text (searchable in the PDF): every actor of the flow is a text of the SVG."""
    root = ET.fromstring(process_flow(ZH, "HR-CX-06"))
    texts = "".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for actor, _ in ZH:
        assert "".join(actor.split()) in "".join(texts.split())


def test_text_from_yaml_is_not_mathtext():
    # unbalanced or invalid TeX would raise if it were parsed as mathtext
    svg = process_flow([("Finance $\\frac{", "Pay $5 and $\\undefined{x}$ per part")], "Costs $ and {{ 7*7 }}")
    assert ids(svg, "step-") == ["step-1"]


# ------------------------------------------------------------------------ fit


@pytest.mark.parametrize("n_steps, n_actors", [(1, 1), (6, 3), (10, 5), (12, 6), (7, 1)])
def test_fits_the_a4_text_width_and_height(n_steps, n_actors):
    root = ET.fromstring(process_flow(many(n_steps, n_actors), "Fit"))
    assert root.get("width") == f"{charts.WIDTH_IN * 72:g}pt"  # 6.3 in
    assert float(root.get("height").removesuffix("pt")) <= flowchart.MAX_HEIGHT_IN * 72


@pytest.mark.parametrize("steps", [many(10, 5), EN, ZH], ids=["10x5", "en", "zh"])
def test_every_text_is_readable_and_inside_the_figure_and_box_texts_inside_their_boxes(steps):
    with matplotlib.rc_context(charts._style()):
        fig = flowchart._draw(steps, "Title", "a note")
        renderer = FigureCanvasAgg(fig).get_renderer()
        fig.draw(renderer)
        page = fig.bbox
        boxes = [p.get_window_extent(renderer) for p in fig.axes[0].patches
                 if (p.get_gid() or "").startswith("step-")]
        assert len(boxes) == len(steps)
        tol = 1.0 * fig.dpi / 72  # one point
        for t in fig.findobj(Text):
            if not t.get_text() or not t.get_visible():
                continue
            assert t.get_fontsize() >= 6.5, t.get_text()
            e = t.get_window_extent(renderer)
            assert e.x0 >= page.x0 - tol and e.x1 <= page.x1 + tol and e.y0 >= page.y0 - tol and e.y1 <= page.y1 + tol
            if t.get_zorder() >= 4:  # step texts and numbers
                assert any(b.x0 - tol <= e.x0 and e.x1 <= b.x1 + tol and b.y0 - tol <= e.y0 and e.y1 <= b.y1 + tol
                           for b in boxes), t.get_text()


# ------------------------------------------------------------------- Chinese


def render_capturing(steps, title, caplog) -> list[str]:
    problems: list[str] = []
    with warnings.catch_warnings(record=True) as caught, \
            caplog.at_level(logging.WARNING, logger="matplotlib"), \
            caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        warnings.simplefilter("always")
        caplog.clear()
        process_flow(steps, title, note="完整步骤见下表")
        problems += [str(w.message) for w in caught]
        problems += [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")]
    return problems


def test_chinese_steps_render_without_missing_glyphs(caplog):
    assert render_capturing(ZH, "HR-CX-06 顾客投诉处理程序", caplog) == []


def test_missing_glyphs_would_be_caught(caplog, monkeypatch):
    # the check above can fail: without a CJK font the same call warns about every missing glyph
    monkeypatch.setattr(charts.style, "_fonts", lambda: ["DejaVu Sans"])
    problems = render_capturing(ZH[:1], "顾客", caplog)
    assert any("missing from font" in p for p in problems)


# ---------------------------------------------------------------------- text


def by_chars(s: str, room: float) -> bool:
    """A stand-in measure: every character one unit wide."""
    return len(s) <= room


def test_latin_text_wraps_at_words_and_is_cut_with_an_ellipsis_after_a_whole_word():
    lines = flowchart._shorten("Record the complaint in the complaints log on the working day it arrives",
                               lambda k: 16, by_chars, 2)
    assert lines == ["Record the", "complaint in…"]  # "complaint in the…" would be 17 wide


def test_whole_sentences_are_kept_when_the_text_is_too_long():
    lines = flowchart._shorten("Classify the severity. Critical: safety-relevant, line stop at the customer.",
                               lambda k: 14, by_chars, 3)
    assert lines == ["Classify the", "severity. …"]


def test_chinese_wraps_by_character_and_no_line_starts_with_closing_punctuation():
    lines = flowchart._wrap("确定严重度，致命投诉在二十四小时内报告总经理。", lambda k: 5, by_chars)
    assert "".join(lines) == "确定严重度，致命投诉在二十四小时内报告总经理。"
    assert all(len(line) <= 5 for line in lines[:1])
    assert not any(line[0] in "，。、；：）" for line in lines)


def test_chinese_is_cut_with_an_ellipsis():
    lines = flowchart._shorten("调查核实：对照图纸、订单和生产检验记录，必要时在计量室复测退回的样品", lambda k: 6, by_chars, 2)
    assert len(lines) == 2 and lines[-1].endswith("…") and all(len(line) <= 6 for line in lines)


def test_consecutive_closing_punctuation_goes_down_with_the_character_before_it():
    lines = flowchart._wrap("开立纠正措施单（流水号），关联投诉", lambda k: 12, by_chars)  # "，" breaks
    assert lines == ["开立纠正措施单（流水", "号），关联投诉"]


def test_chinese_keeps_whole_sentences_when_too_long():
    lines = flowchart._shorten("确定严重度。致命：涉及安全、造成顾客停线或问题产品已流入终端市场。", lambda k: 7, by_chars, 2)
    assert lines == ["确定严重度。…"]


def test_empty_actor_and_action_still_render():
    assert ids(process_flow([("", ""), ("", "")], ""), "step-") == ["step-1", "step-2"]
