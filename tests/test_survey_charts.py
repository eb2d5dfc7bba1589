"""Charts of the satisfaction survey page."""

from chart_calls import CALLS


def test_driver_bars_draw_one_bar_and_one_whisker_per_interval():
    fn, args, kwargs = CALLS["driver_bars"]
    svg = fn(*args, **kwargs).decode()
    assert svg.count('id="patch_') >= 3  # the bars (and the legend's patch)
    assert svg.count(">31.2</text>") == 1 and svg.count(">45.0</text>") == 1 and svg.count(">23.8</text>") == 1
