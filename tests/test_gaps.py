"""Service-quality gaps: hand-worked values and scipy's paired and Welch t-tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from qmdoc.compute.gaps import compute_gaps, gap_changes, rank_gaps

NAN = np.nan
SCALES = {"A": (1, 5), "B": (1, 5)}  # one scale point = 25 points on 0-100
DIMS = {"reliability": ["A", "B"]}

# five respondents; 9 is the not-applicable code
E = pd.DataFrame({"A": [5, 4, 5, NAN, 3], "B": [4, 3, NAN, 5, 2]})
P = pd.DataFrame({"A": [4, 4, 3, 5, 4], "B": [2, 3, NAN, 5, 9]})


def approx(x):
    return pytest.approx(x, abs=1e-10, rel=1e-10)


def wave():
    return compute_gaps(E, P, SCALES, DIMS, not_applicable=(9,))


def test_item_gap_by_hand_and_against_ttest_rel():
    a = wave().items["A"]
    # pairs: r1 (100, 75), r2 (75, 75), r3 (100, 50), r5 (50, 75); r4 has no expectation
    # differences -25, 0, -50, +25: mean -12.5; squares of deviations 156.25 + 156.25 + 1406.25
    # + 1406.25 = 3125, / 3 = 1041.67, sd = 32.27
    assert a.n == 4
    assert a.expectation == approx(81.25)  # (100 + 75 + 100 + 50) / 4
    assert a.perception == approx(68.75)  # (75 + 75 + 50 + 75) / 4
    assert a.gap == approx(-12.5)
    assert a.sd == approx(np.sqrt(3125 / 3))
    assert a.share_short == approx(0.5)  # r1 and r3
    ref = st.ttest_rel([75, 75, 50, 75], [100, 75, 100, 50])
    assert a.p == approx(ref.pvalue)
    lo, hi = ref.confidence_interval(0.95)
    assert a.ci == (approx(lo), approx(hi))
    assert a.share_short_ci == (approx(st.binomtest(2, 4).proportion_ci(method="wilson").low),
                                approx(st.binomtest(2, 4).proportion_ci(method="wilson").high))


def test_not_applicable_code_is_missing():
    b = wave().items["B"]
    # pairs: r1 (75, 25), r2 (50, 50), r4 (100, 100); r3 blank, r5 perception 9 = not applicable
    assert b.n == 3
    assert b.gap == approx(-50 / 3)  # (-50 + 0 + 0) / 3
    assert b.share_short == approx(1 / 3)


def test_dimension_gap_is_on_respondent_means_of_valid_pairs():
    d = wave().dimensions["reliability"]
    # r1: A (100, 75), B (75, 25) -> e 87.5, p 50, gap -37.5
    # r2: A (75, 75), B (50, 50) -> 62.5, 62.5, 0
    # r3: A only (100, 50) -> -50;  r4: B only (100, 100) -> 0;  r5: A only (50, 75) -> +25
    assert d.n == 5
    assert d.expectation == approx(80.0)  # (87.5 + 62.5 + 100 + 100 + 50) / 5
    assert d.perception == approx(67.5)  # (50 + 62.5 + 50 + 100 + 75) / 5
    assert d.gap == approx(-12.5)  # (-37.5 + 0 - 50 + 0 + 25) / 5
    assert d.share_short == approx(0.4)  # r1 and r3
    ref = st.ttest_rel([50, 62.5, 50, 100, 75], [87.5, 62.5, 100, 100, 50])
    assert d.p == approx(ref.pvalue)
    assert d.ci == tuple(approx(v) for v in ref.confidence_interval(0.95))


def test_ranking_puts_the_largest_shortfall_first_and_ties_in_declaration_order():
    g = wave()
    assert g.ranked_items == ("B", "A")  # -16.7, -12.5
    assert g.ranked_dimensions == ("reliability",)
    tied = compute_gaps(pd.DataFrame({"X": [3], "Y": [3], "Z": [NAN]}), pd.DataFrame({"X": [2], "Y": [2], "Z": [1]}),
                        {"Y": (1, 5), "X": (1, 5), "Z": (1, 5)}, {})
    assert rank_gaps(tied.items) == ("Y", "X")  # both -25; Z has no pair


def test_a_single_pair_has_no_spread_and_no_interval():
    g = compute_gaps(pd.DataFrame({"A": [5]}), pd.DataFrame({"A": [4]}), {"A": (1, 5)}, {"d": ["A"]})
    a = g.items["A"]
    assert (a.n, a.gap, a.sd, a.ci, a.p) == (1, -25.0, None, None, None)
    empty = compute_gaps(pd.DataFrame({"A": [NAN]}), pd.DataFrame({"A": [4]}), {"A": (1, 5)}, {"d": ["A"]})
    assert empty.dimensions["d"].n == 0 and empty.dimensions["d"].gap is None
    assert empty.ranked_items == ()


def test_equal_differences_have_no_p():
    g = compute_gaps(pd.DataFrame({"A": [5, 4]}), pd.DataFrame({"A": [4, 3]}), {"A": (1, 5)}, {})
    a = g.items["A"]
    assert (a.gap, a.sd, a.p, a.ci) == (-25.0, 0.0, None, (-25.0, -25.0))


def test_broken_inputs_are_named():
    with pytest.raises(ValueError, match=r"^item A \(perception\): value 7 is outside the scale 1\.\.5 "
                                         r"and no not-applicable code$"):
        compute_gaps(pd.DataFrame({"A": [5]}), pd.DataFrame({"A": [7]}), {"A": (1, 5)}, {})
    with pytest.raises(ValueError, match=r"^item A: the expectation ratings lack the column 'A'$"):
        compute_gaps(pd.DataFrame({"B": [5]}), pd.DataFrame({"A": [4]}), {"A": (1, 5)}, {})
    with pytest.raises(ValueError, match=r"^dimension d: item 'Q' has no scale$"):
        compute_gaps(pd.DataFrame({"A": [5]}), pd.DataFrame({"A": [4]}), {"A": (1, 5)}, {"d": ["A", "Q"]})
    with pytest.raises(ValueError, match=r"^expected one expectation and one perception row per respondent, "
                                         r"got 2 and 1 rows$"):
        compute_gaps(pd.DataFrame({"A": [5, 4]}), pd.DataFrame({"A": [4]}), {"A": (1, 5)}, {})


def test_change_between_waves_is_welch_on_the_gaps():
    first = wave()
    e2 = pd.DataFrame({"A": [4, 4, 5, 3, 2, 5], "B": [4, 4, 4, 4, 4, 4]})
    p2 = pd.DataFrame({"A": [4, 5, 5, 3, 3, 4], "B": [1, 2, 1, 1, 2, 1]})
    second = compute_gaps(e2, p2, SCALES, DIMS)
    changes = {(c.kind, c.id): c for c in gap_changes("2024", first, "2025", second, alpha=0.05)}
    assert list(changes) == [("item", "A"), ("item", "B"), ("dimension", "reliability")]

    a = changes[("item", "A")]
    # wave 2 A differences: 0, +25, 0, 0, +25, -25 -> gap 25/6 = 4.17; wave 1 gap -12.5
    d1 = np.array([-25, 0, -50, 25.0])
    d2 = np.array([0, 25, 0, 0, 25, -25.0])
    ref = st.ttest_ind(d2, d1, equal_var=False)
    assert a.delta == approx(25 / 6 + 12.5)
    assert a.p == approx(ref.pvalue)
    assert a.ci == tuple(approx(v) for v in ref.confidence_interval(0.95))
    assert a.significant is False
    assert a.direction == "narrowed"  # |4.17| < |-12.5|
    assert (a.from_wave, a.to_wave) == ("2024", "2025")

    b = changes[("item", "B")]
    # wave 2 B differences -75, -50, -75, -75, -50, -75: gap -66.7 against -16.7 in wave 1
    ref = st.ttest_ind([-75, -50, -75, -75, -50, -75], [-50, 0, 0], equal_var=False)
    assert b.delta == approx(-50.0)
    assert b.p == approx(ref.pvalue)
    assert b.direction == "widened"
    assert b.significant is False  # p = 0.084

    d = changes[("dimension", "reliability")]
    # wave 2 respondent dimension gaps (mean of A and B gaps): -37.5, -12.5, -37.5, -37.5, -12.5, -50
    ref = st.ttest_ind([-37.5, -12.5, -37.5, -37.5, -12.5, -50], [-37.5, 0, -50, 0, 25], equal_var=False)
    assert d.delta == approx(-187.5 / 6 + 12.5)
    assert d.p == approx(ref.pvalue)
    assert d.significant is bool(ref.pvalue < 0.05)
    strict = {(c.kind, c.id): c for c in gap_changes("2024", first, "2025", second, alpha=0.09)}
    assert strict[("item", "B")].significant is True  # p = 0.084 < 0.09


def test_change_without_a_spread_is_not_tested():
    one = compute_gaps(pd.DataFrame({"A": [5]}), pd.DataFrame({"A": [4]}), {"A": (1, 5)}, {})
    two = compute_gaps(pd.DataFrame({"A": [5, 4]}), pd.DataFrame({"A": [4, 4]}), {"A": (1, 5)}, {})
    (c,) = gap_changes("w1", one, "w2", two)
    assert (c.delta, c.p, c.ci, c.significant, c.direction) == (12.5, None, None, False, "narrowed")
    same = gap_changes("w1", one, "w2", one)
    assert same[0].direction == "unchanged"


def test_json_of_a_wave():
    import json

    from qmdoc.compute.gaps import gaps_as_json

    g = compute_gaps(pd.DataFrame({"A": [5, 4], "B": [3, NAN]}), pd.DataFrame({"A": [4, 4], "B": [3, 2]}),
                     SCALES, {"d": ["A", "B"]})
    # A: pairs (100, 75), (75, 75): gap -12.5, sd 17.68, t(1) = 12.706; B: one pair (50, 50)
    # d: respondent 1 (A and B): e 75, p 62.5; respondent 2 (A only): 75, 75 -> gaps -12.5, 0
    half = st.t.ppf(0.975, 1) * np.sqrt(312.5) / np.sqrt(2)
    out = json.loads(json.dumps(gaps_as_json(g)))
    assert out == {
        "items": {
            "A": {"n": 2, "expectation": 87.5, "perception": 75.0, "gap": -12.5, "ci": [approx(-12.5 - half),
                                                                                          approx(-12.5 + half)],
                  "share_short": 0.5},
            "B": {"n": 1, "expectation": 50.0, "perception": 50.0, "gap": 0.0, "ci": None, "share_short": 0.0},
        },
        "dimensions": {"d": {"n": 2, "expectation": 75.0, "perception": 68.75, "gap": -6.25,
                             "ci": [approx(-6.25 - st.t.ppf(0.975, 1) * np.sqrt(78.125) / np.sqrt(2)),
                                    approx(-6.25 + st.t.ppf(0.975, 1) * np.sqrt(78.125) / np.sqrt(2))],
                             "share_short": 0.5}},
        "ranked": {"items": ["A", "B"], "dimensions": ["d"]},
    }
