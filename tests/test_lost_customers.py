"""Lost-customer figures: reasons for leaving, where they went, win-back likelihood."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from qmdoc.compute.lost import ParetoRow, compute_lost_figures, pareto, split_answer, win_back

NAN = np.nan


def approx(x):
    return pytest.approx(x, abs=1e-10, rel=1e-10)


RESPONSES = pd.DataFrame({
    "reason": ["价格太高┋交付延误", "价格太高", "交付延误;服务差", NAN, "价格太高┋价格太高", "  ", "服务差┋其他"],
    "went": ["A", "B", "A", None, "A", "", "C"],
    "back": [10, 9, 7, 3, 0, NAN, 6],
})


def test_split_answer_on_wjx_and_a_declared_separator():
    assert split_answer("价格太高┋交付延误") == ("价格太高", "交付延误")
    assert split_answer("a; b ┋c;;", ";") == ("a", "b", "c")
    assert split_answer("a;b") == ("a;b",)  # no declared separator: only ┋ splits
    assert split_answer("x┋x") == ("x",)
    assert split_answer(" 价格 ", multiple=False) == ("价格",)
    assert split_answer("a┋b", multiple=False) == ("a┋b",)
    for blank in (None, NAN, "", "   "):
        assert split_answer(blank) == ()


def test_reasons_pareto_by_hand():
    f = compute_lost_figures(RESPONSES, min_cell_n=1, reasons=["reason"], separator=";")
    r = f.reasons
    # respondents with a reason: rows 1, 2, 3, 5, 7 -> 5; mentions: 2 + 1 + 2 + 1 + 2 = 8
    # 价格太高 3 (rows 1, 2, 5; named twice in row 5, counted once), 交付延误 2, 服务差 2, 其他 1
    assert (f.n, r.respondents, r.mentions) == (7, 5, 8)
    assert r.rows == (
        ParetoRow("价格太高", 3, approx(60.0), approx(37.5), False),  # 3/5; 3/8
        ParetoRow("交付延误", 2, approx(40.0), approx(62.5), False),  # 2/5; 5/8 (tie: by name)
        ParetoRow("服务差", 2, approx(40.0), approx(87.5), False),  # 2/5; 7/8
        ParetoRow("其他", 1, approx(20.0), approx(100.0), False),  # 1/5; 8/8
    )
    # at min_cell_n = 2 其他 (1) is hidden, and with it the least named other, 服务差; hidden rows by name
    r = compute_lost_figures(RESPONSES, min_cell_n=2, reasons=["reason"], separator=";").reasons
    assert r.rows[:2] == (ParetoRow("价格太高", 3, approx(60.0), approx(37.5), False),
                          ParetoRow("交付延误", 2, approx(40.0), approx(62.5), False))
    assert r.rows[2:] == (ParetoRow("其他", None, None, None, True), ParetoRow("服务差", None, None, None, True))
    # at min_cell_n = 3 only 价格太高 stays; 交付延误 and 服务差 (2 each) and 其他 are hidden, by name
    r = compute_lost_figures(RESPONSES, min_cell_n=3, reasons=["reason"], separator=";").reasons
    assert [(row.label, row.count) for row in r.rows] == [("价格太高", 3), ("交付延误", None), ("其他", None),
                                                          ("服务差", None)]


def test_reasons_in_one_column_per_option_and_single_choice():
    frame = pd.DataFrame({"o1": ["price", NAN, "price"], "o2": ["delay", "delay", NAN]})
    f = compute_lost_figures(frame, min_cell_n=1, reasons=["o1", "o2"])
    # 3 respondents; price 2, delay 2; 4 mentions
    assert [(r.label, r.count, r.share, r.cumulative) for r in f.reasons.rows] == [
        ("delay", 2, approx(200 / 3), approx(50.0)), ("price", 2, approx(200 / 3), approx(100.0))]
    single = compute_lost_figures(pd.DataFrame({"r": ["a┋b", "a┋b", "c"]}), min_cell_n=1, reasons=["r"],
                                  multiple=False)
    assert [(r.label, r.count) for r in single.reasons.rows] == [("a┋b", 2), ("c", 1)]


def test_where_they_went_with_small_cells_suppressed_and_listed_by_name():
    w = compute_lost_figures(RESPONSES, min_cell_n=2, competitor="went").went_to
    # A 3, B 1, C 1 over 5 answers
    assert (w.respondents, w.mentions) == (5, 5)
    assert w.rows == (
        ParetoRow("A", 3, approx(60.0), approx(60.0), False),
        ParetoRow("B", None, None, None, True),
        ParetoRow("C", None, None, None, True),
    )
    assert compute_lost_figures(RESPONSES, min_cell_n=2).went_to is None


def test_a_single_small_cell_hides_the_least_named_other_too():
    p = pareto([("z",), ("a",), ("a",), ("b",), ("b",), ("b",), ("c",), ("c",), ("c",), ("c",)], min_cell_n=2)
    # c 4, b 3, a 2, z 1: z alone would be 10 - 4 - 3 - 2 = 1 mention, so a is hidden with it
    assert (p.respondents, p.mentions) == (10, 10)
    assert [(r.label, r.count, r.share, r.cumulative, r.suppressed) for r in p.rows] == [
        ("c", 4, approx(40.0), approx(40.0), False), ("b", 3, approx(30.0), approx(70.0), False),
        ("a", None, None, None, True), ("z", None, None, None, True)]
    # two small cells: nothing more is hidden
    p = pareto([("y",), ("z",), ("b",), ("b",)], min_cell_n=2)
    assert [(r.label, r.count) for r in p.rows] == [("b", 2), ("y", None), ("z", None)]
    # a single cell, small: nothing else to hide
    assert pareto([("z",)], min_cell_n=2).rows == (ParetoRow("z", None, None, None, True),)


def test_win_back_by_hand_and_against_scipy():
    b = compute_lost_figures(RESPONSES, min_cell_n=2, win_back_column="back").win_back
    x = [10, 9, 7, 3, 0, 6]
    # n 6; likely 2 (10, 9), unlikely 3 (3, 0, 6), passive 1 (7); mean 35 / 6
    assert b.n == 6
    assert b.mean == approx(35 / 6)
    assert b.ci == tuple(approx(v) for v in st.t.interval(0.95, 5, loc=np.mean(x), scale=st.sem(x)))
    assert (b.likely, b.unlikely) == (approx(2 / 6), approx(3 / 6))
    assert b.net == approx(100 * (2 / 6 - 3 / 6))
    # se = 100 * sqrt((pP + pD - (pP - pD)^2) / n) = 100 * sqrt((5/6 - 1/36) / 6) = 100 * sqrt(29 / 216)
    assert b.net_se == approx(100 * math.sqrt(29 / 216))
    z = st.norm.ppf(0.975)
    assert b.net_ci == (approx(b.net - z * b.net_se), approx(b.net + z * b.net_se))


def test_win_back_edge_cases_and_bad_values():
    assert win_back([NAN, None]) == win_back([])
    assert win_back([]).n == 0 and win_back([]).mean is None
    one = win_back([9])
    assert (one.n, one.mean, one.ci, one.likely, one.net) == (1, 9.0, None, 1.0, 100.0)
    with pytest.raises(ValueError, match=r"^win-back likelihood: value 11 is outside the scale 0\.\.10$"):
        win_back([3, 11])
    with pytest.raises(ValueError, match=r"^win-back likelihood: value -1 is outside the scale 0\.\.10$"):
        win_back([-1])


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"^lost-customer responses lack the column\(s\) why, gone$"):
        compute_lost_figures(RESPONSES, min_cell_n=2, reasons=["why"], competitor="gone")
