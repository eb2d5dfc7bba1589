"""Weighted survey figures (``weighting:``), end to end.

The expected values are computed here with numpy/scipy from the hand-worked survey's answers
and weights (loops over respondents, never through the survey engine); unit weights must give
the unweighted figures; broken weighting input is reported with file:line.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as st

from conftest import ROOT, copy_mini
from input_cases import CSS, Q1, check, edit
from qmdoc.cli import main
from qmdoc.compute.survey import compute_survey_figures
from survey_hand import W1_KEPT, W2, frame, hand_survey

TIGHT = 1e-12
WEIGHTS_W1 = {"r1": 2.0, "r2": 1.0, "r3": 0.5, "r4": 3.0, "r5": 1.0, "r6": 1.5}
WEIGHTS_W2 = {"r1": 1.0, "r2": 2.0, "r3": 1.0, "r4": 0.5, "r7": 2.5, "r8": 1.0}


def weighted_frame(weights_w1: dict, weights_w2: dict):
    df = frame({"W1": W1_KEPT, "W2": W2})
    df["wt"] = [(weights_w1 if w == "W1" else weights_w2)[r] for w, r in zip(df["wave"], df["rid"])]
    return df


def figures(weights_w1=WEIGHTS_W1, weights_w2=WEIGHTS_W2, **spec):
    survey = hand_survey(weighting=spec or {"column": "wt"})
    return compute_survey_figures(survey, weighted_frame(weights_w1, weights_w2))


def answers(rows, weights, item, lo=1, hi=5):
    """(0–100 scores, weights) of the valid answers to ``item`` (N/A 0 and blanks dropped)."""
    pairs = [((r[1][item] - lo) / (hi - lo) * 100, weights[r[0]]) for r in rows
             if r[1][item] == r[1][item] and lo <= r[1][item] <= hi]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def mean_se(x, w):
    m = (w * x).sum() / w.sum()
    n = x.size
    return m, math.sqrt(n / (n - 1) * ((w * (x - m)) ** 2).sum()) / w.sum()


def pair_cov(rows, weights, i, j):
    """V_ij of two weighted item means (the definition in the README), by a loop over respondents."""
    def valid(r, item):
        v = r[1][item]
        return v == v and 1 <= v <= 5
    both = [r for r in rows if valid(r, i) and valid(r, j)]
    if len(both) < 2:
        return 0.0
    wi = sum(weights[r[0]] for r in rows if valid(r, i))
    wj = sum(weights[r[0]] for r in rows if valid(r, j))
    wb = np.array([weights[r[0]] for r in both])
    xi = np.array([(r[1][i] - 1) * 25.0 for r in both])
    xj = np.array([(r[1][j] - 1) * 25.0 for r in both])
    ai, aj = (wb * xi).sum() / wb.sum(), (wb * xj).sum() / wb.sum()
    return len(both) / (len(both) - 1) * (wb**2 * (xi - ai) * (xj - aj)).sum() / (wi * wj)


def linear(rows, weights, coef):
    value = sum(c * mean_se(*answers(rows, weights, i))[0] for i, c in coef.items())
    var = sum(ci * cj * pair_cov(rows, weights, i, j) for i, ci in coef.items() for j, cj in coef.items())
    return value, math.sqrt(var)


INDEX = {"a1": 2 / 3 * 0.5, "a2": 2 / 3 * 0.5, "b1": 1 / 3 * 0.5, "b2": 1 / 3 * 0.5}


def test_weighted_items_top2_index_nps_segment_and_changes():
    fig = figures()
    w1, w2 = fig.waves
    # item a1 in W1: r1..r4, r6 valid (r5 is N/A)
    x, w = answers(W1_KEPT, WEIGHTS_W1, "a1")
    m, se = mean_se(x, w)
    a1 = w1.items["a1"]
    assert a1.n == 5 and a1.score == pytest.approx(m, abs=TIGHT) and a1.score_se == pytest.approx(se, abs=TIGHT)
    half = st.t.ppf(0.975, 4) * se
    assert a1.ci == pytest.approx((m - half, m + half), abs=TIGHT)
    assert a1.mean == pytest.approx(1 + m / 25, abs=TIGHT)
    sd = math.sqrt(5 / 4 * (w * (x - m) ** 2).sum() / w.sum())
    assert a1.sd == pytest.approx(sd / 25, abs=TIGHT)
    # top-2-box (4 or 5): weighted share, its se, Wilson at the Kish n of the valid answers
    hit = (x >= 75).astype(float)
    p, pse = mean_se(hit, w)
    assert a1.top2 == pytest.approx(p, abs=TIGHT) and a1.top2_se == pytest.approx(pse, abs=TIGHT)
    n_eff = w.sum() ** 2 / (w**2).sum()
    z = st.norm.ppf(0.975)
    centre = (p + z * z / (2 * n_eff)) / (1 + z * z / n_eff)
    spread = z / (1 + z * z / n_eff) * math.sqrt(p * (1 - p) / n_eff + z * z / (4 * n_eff**2))
    assert a1.top2_ci == pytest.approx((centre - spread, centre + spread), abs=TIGHT)
    assert a1.top2_count == 3

    # dimension A and the index: linear combinations of weighted means with their covariance
    value, se_a = linear(W1_KEPT, WEIGHTS_W1, {"a1": 0.5, "a2": 0.5})
    assert w1.dimensions["A"].score == pytest.approx(value, abs=TIGHT)
    assert w1.dimensions["A"].se == pytest.approx(se_a, abs=TIGHT)
    value, se_i = linear(W1_KEPT, WEIGHTS_W1, INDEX)
    assert w1.index.value == pytest.approx(value, abs=TIGHT) and w1.index.se == pytest.approx(se_i, abs=TIGHT)
    assert w1.index.ci == pytest.approx((value - z * se_i, value + z * se_i), abs=TIGHT)

    # NPS: difference of the weighted promoter and detractor shares (r5 blank)
    rec = [(r[1]["rec"], WEIGHTS_W1[r[0]]) for r in W1_KEPT if r[1]["rec"] == r[1]["rec"]]
    d = np.array([(v >= 9) - (v <= 6) for v, _ in rec], dtype=float)
    wr = np.array([wt for _, wt in rec])
    m, se = mean_se(d, wr)
    assert w1.nps.value == pytest.approx(100 * m, abs=TIGHT) and w1.nps.se == pytest.approx(100 * se, abs=TIGHT)
    assert w1.nps.promoters == pytest.approx((2 + 1) / wr.sum(), abs=TIGHT)  # r1 (2) and r2 (1)
    assert w1.nps.n == 5

    # a segment cell from its own rows' weights: North in W1 is r1, r2, r4
    north = [r for r in W1_KEPT if r[2] == "North"]
    value, _ = linear(north, WEIGHTS_W1, INDEX)
    cell = w1.segments["region"]["North"]
    assert cell.n == 3 and cell.index == pytest.approx(value, abs=TIGHT)
    value, se_b = linear(north, WEIGHTS_W1, {"b1": 0.5, "b2": 0.5})
    assert cell.dimensions["B"].score == pytest.approx(value, abs=TIGHT)
    assert cell.dimensions["B"].se == pytest.approx(se_b, abs=TIGHT)

    # changes: item a1 by Welch on the linearization se, top2 by z on the weighted shares
    changes = {c.metric: c for c in fig.changes}
    m1, s1 = mean_se(*answers(W1_KEPT, WEIGHTS_W1, "a1"))
    x2, wt2 = answers(W2, WEIGHTS_W2, "a1")
    m2, s2 = mean_se(x2, wt2)
    t = (m2 - m1) / math.sqrt(s1**2 + s2**2)
    df = (s1**2 + s2**2) ** 2 / (s1**4 / 4 + s2**4 / 5)
    assert changes["item.a1"].delta == pytest.approx(m2 - m1, abs=TIGHT)
    assert changes["item.a1"].p == pytest.approx(2 * st.t.sf(abs(t), df), abs=1e-10)
    p1, q1 = mean_se((x >= 75).astype(float), w)
    p2, q2 = mean_se((x2 >= 75).astype(float), wt2)
    zz = (p2 - p1) / math.sqrt(q1**2 + q2**2)
    assert changes["top2.a1"].delta == pytest.approx(p2 - p1, abs=TIGHT)
    assert changes["top2.a1"].p == pytest.approx(2 * st.norm.sf(abs(zz)), abs=1e-10)

    # the wave's weighting block: design weights scaled to mean 1
    wts = np.array(list(WEIGHTS_W1.values()))
    assert w1.weighting.method == "design_weights" and w1.weighting.n == 6 and w1.weighting.iterations is None
    assert w1.weighting.n_effective == pytest.approx(wts.sum() ** 2 / (wts**2).sum(), abs=TIGHT)
    assert w1.weighting.design_effect == pytest.approx(6 / (wts.sum() ** 2 / (wts**2).sum()), abs=TIGHT)
    assert w1.weighting.max_weight == pytest.approx(3.0 / wts.mean(), abs=TIGHT)
    assert w2.weighting.n == 6


def close_all(a, b, path=""):
    """Every number of two figures objects equal to 1e-12 (structure identical)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            close_all(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for k, (x, y) in enumerate(zip(a, b)):
            close_all(x, y, f"{path}[{k}]")
    elif isinstance(a, float):
        assert b == pytest.approx(a, abs=TIGHT, rel=TIGHT), path
    else:
        assert a == b, path


def test_unit_weights_give_the_unweighted_figures():
    from qmdoc.compute.survey import figures_as_json

    ones = {r: 1.0 for r in WEIGHTS_W1}, {r: 1.0 for r in WEIGHTS_W2}
    weighted = figures_as_json(figures(*ones))
    plain = figures_as_json(compute_survey_figures(hand_survey(), frame({"W1": W1_KEPT, "W2": W2})))
    for wave in weighted["waves"]:
        assert wave.pop("weighting") == {"method": "design_weights", "n": 6, "n_effective": 6.0,
                                         "design_effect": 1.0, "max_weight": 1.0, "iterations": None}
    # the NPS se: the linearization estimator's n - 1 divisor (weighting.py), se_w = se * sqrt(n / (n - 1))
    for ww, pw in zip(weighted["waves"], plain["waves"]):
        n = pw["nps"]["n"]
        assert ww["nps"]["se"] == pytest.approx(pw["nps"]["se"] * math.sqrt(n / (n - 1)), abs=TIGHT)
        ww["nps"]["se"] = ww["nps"]["ci"] = pw["nps"]["se"] = pw["nps"]["ci"] = None
    # a top-2 change is z on the two weighted shares' own se (unpooled), not the pooled test
    for cw, cp in zip(weighted["changes"], plain["changes"]):
        if cw["metric"].startswith("top2.") or cw["metric"] == "nps":
            cw["p"] = cp["p"] = cw["significant"] = cp["significant"] = None
    close_all(plain, weighted)


def test_raking_on_one_margin_is_population_over_sample_share():
    fig = figures(method="raking", margins={"region": {"North": 0.25, "South": 0.75}})
    w1 = fig.waves[0]
    # W1: 3 of 6 North, 3 South -> weights 0.5 and 1.5 (mean 1)
    w = np.array([0.5, 0.5, 1.5, 0.5, 1.5, 1.5])
    assert (w1.weighting.method, w1.weighting.iterations) == ("raking", 1)
    assert w1.weighting.n_effective == pytest.approx(w.sum() ** 2 / (w**2).sum(), abs=TIGHT)
    assert w1.weighting.max_weight == pytest.approx(1.5, abs=TIGHT)
    weights = dict(zip(WEIGHTS_W1, w))
    x, wt = answers(W1_KEPT, weights, "b2")
    assert w1.items["b2"].score == pytest.approx((x * wt).sum() / wt.sum(), abs=TIGHT)


def test_raking_that_cannot_meet_the_trim_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture):
    root = copy_mini(tmp_path / "org")
    edit(root, CSS, "min_cell_n: 5", "min_cell_n: 5\nweighting: {method: raking, margins: {region: "
         "{North: 0.3, South: 0.6, Islands: 0.1}}, trim: [0.5, 2]}")
    code = main(["--root", str(root), "figures", "--json", str(root / CSS)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1
    assert err[0].endswith("survey css, wave 2025-Q2: raking to weighting.margins did not converge within "
                           "weighting.trim after 10000 sweeps (largest share error 1.11e-16); widen weighting.trim "
                           "or merge small categories")
    # `check` computes the weights as the build does: what the build refuses, check refuses
    assert main(["--root", str(root), "check"]) == 1
    assert capsys.readouterr().err.strip().splitlines() == err


def test_weight_column_must_be_positive_numbers(tmp_path: Path, capsys: pytest.CaptureFixture):
    root = copy_mini(tmp_path / "org")
    edit(root, CSS, "min_cell_n: 5", "min_cell_n: 5\nweighting: {column: wt}")
    # the fixture's email column becomes a weight column wt of 1.5 everywhere, then three bad values
    for rel in (Q1, "data/surveys/css/2025-Q2.csv"):
        path = root / rel
        lines = path.read_text(encoding="utf-8").splitlines()
        out = [lines[0].replace(",email,", ",wt,")]
        for k, line in enumerate(lines[1:]):
            cells = line.split(",")
            cells[3] = "1.5"
            out.append(",".join(cells))
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    edit(root, Q1, "RQ1-001,2025-Q1,North,1.5,", "RQ1-001,2025-Q1,North,0,")
    edit(root, Q1, "RQ1-002,2025-Q1,North,1.5,", "RQ1-002,2025-Q1,North,heavy,")
    edit(root, Q1, "RQ1-003,2025-Q1,South,1.5,", "RQ1-003,2025-Q1,South,inf,")
    code, err, _ = check(root, capsys)
    assert (code, err) == (1, [
        "data/surveys/css/2025-Q1.csv:3: wt: expected a design weight: a finite number greater than 0, got '0'",
        "data/surveys/css/2025-Q1.csv:4: wt: expected a design weight: a finite number greater than 0, "
        "got 'heavy'",
        "data/surveys/css/2025-Q1.csv:5: wt: expected a design weight: a finite number greater than 0, got 'inf'",
    ])


@pytest.mark.parametrize("spec, expected", [
    ("weighting: {method: raking, margins: {region: {North: 0.5, South: 0.4}}}",
     "policy/surveys/css.yml:9: weighting: margins.region: expected shares summing to 1, got 0.9"),
    ("weighting: {method: raking, margins: {region: {North: 1.0, South: 0}}}",
     "policy/surveys/css.yml:9: weighting: margins.region: expected shares greater than 0, got 0 for 'South'"),
    ("weighting: {method: raking, margins: {region: {North: 0.5, South: 0.5}}, trim: [1.5, 3]}",
     "policy/surveys/css.yml:9: weighting: trim: expected [min, max] with 0 < min <= 1 <= max, got [1.5, 3]"),
    ("weighting: {method: raking, margins: {tier: {A: 0.5, B: 0.5}}}",
     "policy/surveys/css.yml:9: weighting.margins.tier: expected a declared segment (segments: region), "
     "got 'tier'"),
    ("weighting: {trim: [0.5, 2]}",
     "policy/surveys/css.yml:9: weighting: expected column: (design weights) or method: raking, got neither"),
    ("competitors: {column: region, us: North}\nweighting: {column: wt}",
     "policy/surveys/css.yml:10: weighting: expected no weighting on a survey with competitors (their ratings are "
     "not weighted, so the gaps would compare weighted with unweighted figures), got weighting"),
    ("weighting: {column: q1}",
     "policy/surveys/css.yml:9: weighting.column: expected a column of its own for the weights (not an item, "
     "segment or the respondent id), got 'q1'"),
])
def test_weighting_declarations(tmp_path: Path, capsys: pytest.CaptureFixture, spec: str, expected: str):
    root = copy_mini(tmp_path / "org")
    edit(root, CSS, "min_cell_n: 5", "min_cell_n: 5\n" + spec)
    code, err, _ = check(root, capsys)
    assert (code, err) == (1, [expected])


def test_margin_categories_in_every_wave(tmp_path: Path, capsys: pytest.CaptureFixture):
    root = copy_mini(tmp_path / "org")
    edit(root, CSS, "min_cell_n: 5", "min_cell_n: 5\nweighting:\n  method: raking\n  margins:\n"
         "    region: {North: 0.4, South: 0.5, West: 0.1}")
    code, err, _ = check(root, capsys)
    assert (code, err) == (1, [
        "policy/surveys/css.yml:12: weighting.margins.region: expected every respondent of wave 2025-Q1 to have "
        "a declared region (North, South, West), got 'Islands' (2 respondent(s))",
        "policy/surveys/css.yml:12: weighting.margins.region: expected every respondent of wave 2025-Q2 to have "
        "a declared region (North, South, West), got 'Islands' (2 respondent(s))",
        "policy/surveys/css.yml:12: weighting.margins.region.West: expected respondents of region 'West' in wave "
        "2025-Q1 (raking needs each declared category), got none",
        "policy/surveys/css.yml:12: weighting.margins.region.West: expected respondents of region 'West' in wave "
        "2025-Q2 (raking needs each declared category), got none",
    ])


@pytest.mark.parametrize("instrument, root", [
    ("policy/surveys/css.yml", ROOT),
    ("examples/zh/policy/surveys/ccsi.yml", ROOT / "examples" / "zh"),
])
def test_examples_json_has_the_weighting_block(instrument: str, root: Path, capsys: pytest.CaptureFixture):
    code = main(["--root", str(root), "figures", "--json", str(ROOT / instrument)])
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    for wave in doc["waves"]:
        block = wave["weighting"]
        assert list(block) == ["method", "n", "n_effective", "design_effect", "max_weight", "iterations"]
        assert block["method"] == "raking" and block["n"] == wave["n"] and block["iterations"] >= 1
        assert block["design_effect"] == pytest.approx(block["n"] / block["n_effective"], rel=1e-12)


def test_weight_column_must_exist(tmp_path: Path, capsys: pytest.CaptureFixture):
    root = copy_mini(tmp_path / "org")
    edit(root, CSS, "min_cell_n: 5", "min_cell_n: 5\nweighting: {column: revenue}")
    code, err, _ = check(root, capsys)
    assert (code, err) == (1, [
        "data/surveys/css/2025-Q1.csv:1: revenue: expected a column named 'revenue', got none",
        "data/surveys/css/2025-Q2.csv:1: revenue: expected a column named 'revenue', got none",
    ])
