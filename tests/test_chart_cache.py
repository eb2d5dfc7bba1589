"""The content-hash chart cache: same bytes without drawing again, keys, pruning."""

import pytest

from chart_calls import CALLS
from qmdoc import charts


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

