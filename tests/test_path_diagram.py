"""The structural model's path diagram: boxes and arrows, columns by causal depth, widths, significance."""

import re

import pytest

from chart_calls import CALLS
from qmdoc import charts


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
