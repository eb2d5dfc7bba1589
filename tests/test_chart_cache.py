"""The content-hash chart cache: same bytes without drawing again, keys, pruning, what the key covers."""

import hashlib

import pytest

from chart_calls import CALLS
from qmdoc import charts
from qmdoc.charts import cache as cache_module


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


def test_sources_digest_covers_the_name_and_bytes_of_every_module_in_name_order(tmp_path):
    (tmp_path / "b.py").write_bytes(b"y = 2\n")
    (tmp_path / "a.py").write_bytes(b"x = 1\n")
    (tmp_path / "notes.txt").write_bytes(b"not a module")
    expected = hashlib.sha256(b"a.py\0" + hashlib.sha256(b"x = 1\n").digest()
                              + b"b.py\0" + hashlib.sha256(b"y = 2\n").digest()).hexdigest()
    assert charts.sources_digest(tmp_path) == expected
    (tmp_path / "notes.txt").write_bytes(b"changed")  # only modules count
    assert charts.sources_digest(tmp_path) == expected


def test_cache_key_changes_when_any_module_of_the_chart_package_changes(tmp_path, monkeypatch):
    """The style and every drawing module shape the pictures: a change to any of them draws again."""
    copy = tmp_path / "charts"
    copy.mkdir()
    modules = sorted(path.name for path in cache_module.PACKAGE.glob("*.py"))
    assert {"style.py", "survey.py", "scatter.py", "complaints.py", "objectives.py", "path_model.py",
            "flowchart.py"} <= set(modules)
    for name in modules:
        (copy / name).write_bytes((cache_module.PACKAGE / name).read_bytes())
    fn, args, kwargs = CALLS["columns"]
    real = charts.ChartCache(tmp_path / "cache").key(fn, *args, **kwargs)
    monkeypatch.setattr(cache_module, "PACKAGE", copy)
    keys = [charts.ChartCache(tmp_path / "cache").key(fn, *args, **kwargs)]
    assert keys == [real]  # the same sources give the same key
    for name in modules:
        with (copy / name).open("a", encoding="utf-8") as f:
            f.write("\n# changed\n")
        keys.append(charts.ChartCache(tmp_path / "cache").key(fn, *args, **kwargs))
    assert len(set(keys)) == len(modules) + 1, modules


def test_a_deferred_chart_function_keys_and_draws_as_the_function_itself(tmp_path):
    cache = charts.ChartCache(tmp_path)
    for name, (fn, args, kwargs) in CALLS.items():
        deferred = getattr(charts.drawing, name)
        assert deferred is not fn
        assert cache.key(deferred, *args, **kwargs) == cache.key(fn, *args, **kwargs)
    fn, args, kwargs = CALLS["columns"]
    assert charts.drawing.columns(*args, **kwargs) == fn(*args, **kwargs)
    with pytest.raises(AttributeError, match="no chart function 'STYLE'"):
        getattr(charts.drawing, "STYLE")


def test_the_house_fonts_are_remembered_while_the_font_lists_are_unchanged(tmp_path):
    fonts = cache_module.house_fonts(tmp_path)
    assert fonts == charts._fonts()
    memo = tmp_path / ".fonts.json"
    if not cache_module._font_lists():  # matplotlib keeps no font list here: asked every time
        assert not memo.exists()
        return
    kept = memo.read_text(encoding="utf-8")
    memo.write_text(kept.replace('"fonts": [', '"fonts": ["Remembered", '), encoding="utf-8")
    assert cache_module.house_fonts(tmp_path) == ["Remembered", *fonts]  # read back, matplotlib not asked
    memo.write_text(kept.replace('"lists": "', '"lists": "0'), encoding="utf-8")  # other font lists
    assert cache_module.house_fonts(tmp_path) == fonts
    assert memo.read_text(encoding="utf-8") == kept
