"""The chart stage: deterministic SVG, text as paths, house style restored, CJK glyphs, the content-hash cache."""

import logging
import re
import warnings

import matplotlib
import pytest
from matplotlib.figure import Figure

from qmdoc import charts

ZH = "满意度指数"

# one call of every chart function, with Latin and Chinese labels
CALLS = {
    "trend": (charts.trend, (["2025-Q1", "2025-Q2", "2025-Q3"], [60.1, None, 68.25], [55.0, None, 60.5],
                             [65.2, None, 76.0], [24, 0, 26]),
              {"title": "指数 Index (0–100)", "ylabel": "Index", "target": 60.0, "target_label": "目标 60"}),
    "hbars": (charts.hbars, (["North", "海岛", "South"], [75.5, None, 55.2], [16, 0, 8]),
              {"title": "按地区 by region", "xlabel": "Index (0–100)", "suppressed_label": "n < 5"}),
    "columns": (charts.columns, (["2025-01", "2025-02", "2025-03"], [3, 0, 5]),
                {"title": "每月投诉 per month", "ylabel": "Count", "note": "n = 8"}),
    "pareto": (charts.pareto, (["交付 Delivery", "Quality", "Other"], [5, 2, 1], [62.5, 87.5, 100.0]),
               {"title": "Pareto", "ylabel": "Count", "cumulative_label": "Cumulative (%)"}),
    "radar": (charts.radar, (["产品质量", "Delivery", "Technical support", "Price"],
                             [("2025-Q2 (n = 26)", [71.6, 63.2, 80.0, None]), ("2025-Q1 (n = 24)", [60.3, 59.8, 70.1, 65.0])]),
              {"title": "维度得分 Dimension scores (0–100)"}),
    "item_bars": (charts.item_bars, (["q1 (n = 26)", "q2 (n = 22)", "问题 (n = 9)"], [68.3, 75.0, 5.0],
                                     [73.1, 72.7, None], [53.9, 51.8, None], [86.3, 86.8, None]),
                  {"title": "题项 Items", "xlabel": "Score (0–100)", "score_label": "Score", "top2_label": "Top-2-box"}),
    "nps_bars": (charts.nps_bars, (["2025-Q1", "2025-Q2"], [41.7, 38.5], [20.8, 19.2], [37.5, 42.3], [-4.2, 3.8], [24, 26]),
                 {"title": "净推荐值 NPS", "ylabel": "Share (%)", "names": ("贬损者", "Passives", "Promoters"),
                  "score_name": "NPS"}),
    "ipa": (charts.ipa, (["产品质量", "Delivery", "Price", "Support"], [71.6, 63.2, 72.0, None], [30.0, 25.0, 10.0, 10.0],
                         68.93, 18.75, ("重点改进", "Keep up", "Low priority", "Overkill")),
            {"title": "重要度–表现 IPA", "xlabel": "Performance (0–100)", "ylabel": "Importance (%)"}),
    "grouped_hbars": (charts.grouped_hbars, (["Index", "质量", "Delivery"],
                                             [("Us (n = 26)", [70.0, 71.0, 69.0]), ("华川 (n < 5)", [None, None, None]),
                                              ("Rival (n = 30)", [65.0, 80.0, 50.0])]),
                      {"title": "Competitors", "xlabel": "Score (0–100)", "missing_label": "n < 5"}),
    "path_diagram": (charts.path_diagram, (["品牌形象", "预期质量", "Perceived quality", "感知价值", "顾客满意度", "Loyalty"],
                                           [73.3, 75.4, 74.8, None, 67.3, 64.4], [None, 0.167, 0.168, 0.326, 0.642, 0.531],
                                           [(0, 1), (0, 4), (1, 2), (1, 3), (2, 3), (2, 4), (3, 4), (4, 5), (0, 5)],
                                           [0.409, 0.226, 0.409, 0.129, 0.505, 0.512, 0.290, 0.674, -0.117]),
                     {"title": "结构模型 Structural model, 2025", "index_label": "指数", "r2_label": "R²",
                      "note": "Arrow width is proportional to the path coefficient.",
                      "significant": [True, True, True, False, True, True, None, True, False]}),
    "driver_bars": (charts.driver_bars, (["产品质量", "Delivery", "Technical support"], [31.2, 45.0, 23.8],
                                         [20.1, 33.4, None], [44.0, 57.2, None]),
                    {"title": "关键驱动因素 Drivers", "xlabel": "Share of R² (%)", "interval_label": "95 %"}),
    "ipma_map": (charts.ipma_map, (["感知质量", "Perceived value", "Image"], [0.512, 0.128, 0.3], [74.8, 70.1, 81.0]),
                 {"title": "重要性–绩效 IPMA", "xlabel": "Total effect", "ylabel": "Index (0–100)"}),
    "bullets": (charts.bullets, (["O1 满意度指数", "O2 Net Promoter Score", "O3 Resolution p90"], [79.4, None, 18.7],
                                 [78.0, 30.0, 20.0], ["分", "points", "days"], [True, None, True]),
                {"title": "质量目标 Objectives", "target_label": "target", "no_data_label": "无数据 no data"}),
}


def draw(name: str) -> bytes:
    fn, args, kwargs = CALLS[name]
    return fn(*args, **kwargs)


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


# ------------------------------------------------------------------------ cache


def counting(fn, calls: list):
    """``fn`` under its own name, counting how often it really draws."""

    def wrapped(*args, **kwargs):
        calls.append(1)
        return fn(*args, **kwargs)

    wrapped.__name__ = fn.__name__
    return wrapped


def test_cache_returns_the_same_bytes_without_drawing_again(tmp_path):
    calls: list = []
    fn, args, kwargs = CALLS["trend"]
    trend = counting(fn, calls)
    first = charts.ChartCache(tmp_path / ".chart-cache").draw(trend, *args, **kwargs)
    assert len(calls) == 1
    assert len(list((tmp_path / ".chart-cache").glob("*.svg"))) == 1

    later = charts.ChartCache(tmp_path / ".chart-cache")  # the next build
    second = later.draw(trend, *args, **kwargs)
    assert len(calls) == 1  # not drawn again
    assert second == first == fn(*args, **kwargs)
    assert (later.hits, later.misses) == (1, 0)


def test_cache_draws_again_when_an_argument_changes(tmp_path):
    calls: list = []
    fn, args, kwargs = CALLS["hbars"]
    hbars = counting(fn, calls)
    cache = charts.ChartCache(tmp_path)
    cache.draw(hbars, *args, **kwargs)
    cache.draw(hbars, *args, **{**kwargs, "title": "another title"})
    values = list(args[1])
    values[0] = values[0] + 1e-12  # floats are keyed to full precision
    cache.draw(hbars, args[0], values, args[2], **kwargs)
    assert len(calls) == 3
    assert len(list(tmp_path.glob("*.svg"))) == 3


def test_cache_key_is_stable_and_covers_types_and_function(tmp_path):
    cache = charts.ChartCache(tmp_path)
    key = cache.key(charts.trend, ["a"], [0.1 + 0.2], None, None, None, title="t", ylabel="y")
    assert key == charts.ChartCache(tmp_path).key(charts.trend, ["a"], [0.1 + 0.2], None, None, None,
                                                    title="t", ylabel="y")
    assert key != cache.key(charts.trend, ["a"], [0.3], None, None, None, title="t", ylabel="y")
    assert key != cache.key(charts.columns, ["a"], [0.1 + 0.2], None, None, None, title="t", ylabel="y")
    assert cache.key(charts.hbars, [1]) != cache.key(charts.hbars, [1.0]) != cache.key(charts.hbars, ["1"])
    with pytest.raises(TypeError, match="plain value"):
        cache.key(charts.hbars, object())


def test_cache_prune_removes_charts_the_build_did_not_use(tmp_path):
    fn, args, kwargs = CALLS["columns"]
    old = charts.ChartCache(tmp_path)
    old.draw(fn, *args, **kwargs)
    old.draw(fn, *args, **{**kwargs, "title": "gone next time"})
    new = charts.ChartCache(tmp_path)
    new.draw(fn, *args, **kwargs)
    assert new.prune() == 1
    assert len(list(tmp_path.glob("*.svg"))) == 1
    assert new.draw(fn, *args, **kwargs) == fn(*args, **kwargs)


def test_no_cache_folder_draws_every_time(tmp_path):
    calls: list = []
    fn, args, kwargs = CALLS["columns"]
    cache = charts.ChartCache(None)
    cache.draw(counting(fn, calls), *args, **kwargs)
    cache.draw(counting(fn, calls), *args, **kwargs)
    assert len(calls) == 2
    assert cache.prune() == 0


# ------------------------------------------------------------------ path diagram


def _groups(svg: bytes, prefix: str) -> dict[int, str]:
    """The SVG groups whose id is ``<prefix>-<i>``: i -> the group's markup."""
    text = svg.decode("utf-8")
    out = {}
    for m in re.finditer(rf'<g id="{prefix}-(\d+)">(.*?)</g>', text, re.S):
        out[int(m.group(1))] = m.group(2)
    return out


def _x_range(group: str) -> tuple[float, float]:
    """Left and right end of the first path of a group, in SVG units."""
    d = re.search(r' d="([^"]+)"', group).group(1)
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    xs = numbers[0::2]
    return min(xs), max(xs)


def test_path_diagram_has_one_box_per_latent_variable_and_one_arrow_per_path():
    fn, args, kwargs = CALLS["path_diagram"]
    svg = fn(*args, **kwargs)
    labels, paths = args[0], args[3]
    assert sorted(_groups(svg, "lv")) == list(range(len(labels)))
    assert sorted(_groups(svg, "path")) == list(range(len(paths)))
    assert sorted(_groups(svg, "coef")) == list(range(len(paths)))
    assert b"<text" in svg  # the labels are text, searchable in the PDF
    assert fn(*args, **kwargs) == svg


def test_path_diagram_columns_follow_causal_depth():
    """Exogenous variables in the first column, every other one a column right of its deepest predecessor."""
    svg = charts.path_diagram(["A", "B", "C", "D", "E"], [50.0, 60.0, 55.0, 70.0, 65.0],
                              [None, None, 0.4, 0.5, 0.6], [(0, 2), (1, 2), (2, 3), (0, 4), (3, 4)],
                              [0.3, 0.2, 0.5, 0.1, 0.6], title="Depth")
    boxes = {i: _x_range(g) for i, g in _groups(svg, "lv").items()}
    centre = {i: (lo + hi) / 2 for i, (lo, hi) in boxes.items()}
    assert centre[0] == pytest.approx(centre[1])  # both exogenous: column 0
    assert centre[0] < centre[2] < centre[3] < centre[4]  # depths 1, 2, 3 (E's deepest predecessor is D)
    steps = [centre[2] - centre[0], centre[3] - centre[2], centre[4] - centre[3]]
    assert steps == pytest.approx([steps[0]] * 3)
    assert max(hi for _, hi in boxes.values()) - min(lo for lo, _ in boxes.values()) <= 6.3 * 72


def test_path_diagram_arrow_width_follows_the_coefficient():
    svg = charts.path_diagram(["A", "B", "C"], [50.0, 60.0, 70.0], [None, None, 0.5], [(0, 2), (1, 2)],
                              [0.6, 0.2], title="Widths")
    arrows = _groups(svg, "path")

    def width(group: str) -> float:
        return max(float(w) for w in re.findall(r"stroke-width: ?([\d.]+)", group))

    assert width(arrows[0]) == pytest.approx(3 * width(arrows[1]), rel=0.01)


def test_path_diagram_refuses_a_cycle():
    with pytest.raises(ValueError, match="cycle"):
        charts.path_diagram(["A", "B"], [1.0, 2.0], [0.1, 0.2], [(0, 1), (1, 0)], [0.5, 0.5], title="Cycle")


def test_path_diagram_is_cached_by_its_plain_arguments(tmp_path):
    fn, args, kwargs = CALLS["path_diagram"]
    cache = charts.ChartCache(tmp_path)
    first = cache.draw(fn, *args, **kwargs)
    again = charts.ChartCache(tmp_path)
    assert again.draw(fn, *args, **kwargs) == first and (again.hits, again.misses) == (1, 0)


def test_path_diagram_draws_a_non_significant_path_thin_grey_and_dotted():
    svg = charts.path_diagram(["A", "B", "C"], [50.0, 60.0, 70.0], [None, None, 0.5], [(0, 2), (1, 2)],
                              [0.6, 0.6], title="Significance", significant=[True, False]).decode()

    def style(i: int) -> str:
        group = svg[svg.index(f'<g id="path-{i}">'):]
        return group[:group.index("</g>")]

    assert "stroke: #0072b2" in style(0) and "dasharray" not in style(0)
    assert "stroke: #8c8c8c" in style(1) and "dasharray" in style(1)


def test_path_diagram_wants_one_significance_per_path():
    with pytest.raises(ValueError, match="one coefficient per path"):
        charts.path_diagram(["A", "B"], [1.0, 2.0], [None, 0.2], [(0, 1)], [0.5], title="T", significant=[True, False])


def test_driver_bars_draw_one_bar_and_one_whisker_per_interval():
    fn, args, kwargs = CALLS["driver_bars"]
    svg = fn(*args, **kwargs).decode()
    assert svg.count('id="patch_') >= 3  # the bars (and the legend's patch)
    assert svg.count(">31.2</text>") == 1 and svg.count(">45.0</text>") == 1 and svg.count(">23.8</text>") == 1
