"""Internal customers: the (supplier, customer) matrix.

Expected values are worked by hand (plain Python arithmetic, never by calling qmdoc)
or computed with pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from qmdoc.compute.survey import (
    CellFigures,
    InternalMatrix,
    compute_survey_figures,
    figures_as_json,
)
from survey_hand import random_frame, random_survey, reference
from survey_rated import COMPETITORS, IW1, NEW_KEYS, TOL, close, internal_frame, internal_survey, mean


def test_hand_worked_internal_matrix():
    w = compute_survey_figures(internal_survey(), internal_frame(IW1)).waves[0]
    m = w.internal
    assert isinstance(m, InternalMatrix)
    assert m.suppliers == ("Administration", "Purchasing", "Quality")  # sorted by string
    assert m.customers == ("Production", "Sales")
    assert list(m.cells) == [
        ("Administration", "Sales"), ("Purchasing", "Production"), ("Purchasing", "Sales"), ("Quality", "Production"),
    ]
    # Purchasing -> Production (e1, e2): a1 100, 50; a2 75, 50; b1 50; b2 75, 25
    a, b = (75 + 62.5) / 2, (50 + 50) / 2
    assert m.cells[("Purchasing", "Production")] == CellFigures(2, pytest.approx(2 / 3 * a + 1 / 3 * b, abs=TOL), False)
    assert close(m.cells[("Purchasing", "Production")].index, 62.5)
    assert m.cells[("Purchasing", "Sales")] == CellFigures(1, None, True)  # n < min_cell_n 2
    assert m.cells[("Administration", "Sales")] == CellFigures(0, None, True)
    # Quality -> Production (e1, e4 first row): a1 25, 75; a2 0 (e4 N/A); b1 0, 25; b2 100, 50
    a, b = (50 + 0) / 2, (12.5 + 75) / 2
    assert close(m.cells[("Quality", "Production")].index, 2 / 3 * a + 1 / 3 * b)
    assert close(m.cells[("Quality", "Production")].index, 31.25)
    # supplier totals: Purchasing over e1, e2, e3
    a = (mean([100, 50, 75]) + mean([75, 50, 75])) / 2
    b = (mean([50, 75]) + mean([75, 25, 75])) / 2
    assert m.supplier_totals["Purchasing"] == CellFigures(3, pytest.approx(2 / 3 * a + 1 / 3 * b, abs=TOL), False)
    assert m.supplier_totals["Quality"].n == 2 and close(m.supplier_totals["Quality"].index, 31.25)
    assert m.supplier_totals["Administration"] == CellFigures(0, None, True)
    assert list(m.supplier_totals) == list(m.suppliers)


def test_internal_wave_figures_use_all_rows_and_duplicates_are_per_supplier():
    figs = compute_survey_figures(internal_survey(), internal_frame(IW1))
    w = figs.waves[0]
    assert w.duplicates_dropped == 1  # e4's second Quality form; e1's two forms rate different suppliers
    assert w.n == 5
    kept = [r for i, r in enumerate(IW1) if i != 5]
    plain = compute_survey_figures(internal_survey(kind="customer", internal=None), internal_frame(kept, rename_repeats=True))
    got, ref = figures_as_json(figs)["waves"][0], figures_as_json(plain)["waves"][0]
    del got["internal"]
    got["duplicates_dropped"] = ref["duplicates_dropped"] = None
    assert got == ref
    # index by hand over the five kept forms
    a = (mean([100, 50, 75, 25, 75]) + mean([75, 50, 75, 0])) / 2
    b = (mean([50, 75, 0, 25]) + mean([75, 25, 75, 100, 50])) / 2
    assert close(w.index.value, 2 / 3 * a + 1 / 3 * b)


def test_internal_cell_index_re_derives_importance_on_the_cell():
    df = random_frame(16, 900)
    rng = np.random.default_rng(17)
    df["sup"] = rng.choice(["S1", "S2"], 900)
    df["cus"] = rng.choice(["C1", "C2", "C3"], 900)
    s = random_survey(kind="internal", internal={"supplier": "sup", "customer": "cus"}, segments=[], min_cell_n=50)
    m = compute_survey_figures(s, df).waves[0].internal
    assert len(m.cells) == 6
    for (sup, cus), cell in m.cells.items():
        rows = df[(df["sup"] == sup) & (df["cus"] == cus)]
        _, _, index, _, _ = reference(rows, s)
        items = [i.id for i in s.all_items()]
        assert cell.n == int(rows[items].apply(lambda c: c.between(1, 5)).any(axis=1).sum())
        assert cell.suppressed is False and close(cell.index, index)
    for sup, total in m.supplier_totals.items():
        assert close(total.index, reference(df[df["sup"] == sup], s)[2])


def test_internal_json_and_errors():
    data = figures_as_json(compute_survey_figures(internal_survey(), internal_frame(IW1)))
    m = data["waves"][0]["internal"]
    assert set(data["waves"][0]) & NEW_KEYS == {"internal"}
    assert m["suppliers"] == ["Administration", "Purchasing", "Quality"] and m["customers"] == ["Production", "Sales"]
    assert m["cells"][2] == {"supplier": "Purchasing", "customer": "Sales", "n": 1, "index": None, "suppressed": True}
    assert close(m["cells"][1]["index"], 62.5)
    assert set(m["supplier_totals"]["Quality"]) == {"n", "index", "suppressed"}
    json.dumps(data, allow_nan=False)

    with pytest.raises(ValueError, match=r"survey cmp: internal \(supplier, customer\) is declared, expected kind internal"):
        compute_survey_figures(internal_survey(kind="customer"), internal_frame(IW1))
    df = internal_frame(IW1)
    df.loc[2, "sup"] = None
    with pytest.raises(ValueError, match=r"survey cmp: a response has no sup"):
        compute_survey_figures(internal_survey(), df)
    with pytest.raises(ValueError, match=r"survey cmp: responses lack the column\(s\) cus"):
        compute_survey_figures(internal_survey(segments=[]), internal_frame(IW1).drop(columns="cus"))
    with pytest.raises(ValueError, match=r"expected competitors or internal customers, got both"):
        compute_survey_figures(internal_survey(**COMPETITORS), internal_frame(IW1))


def test_parallel_waves_with_competitors_and_internal_match_serial(monkeypatch):
    import qmdoc.compute.survey.waves as survey_module

    rng = np.random.default_rng(18)
    frames = []
    for w in range(3):
        df = random_frame(30 + w, 40_000)
        df["wave"] = f"W{w}"
        df["co"] = rng.choice(["Us", "Us", "Ace", "Zed"], len(df))
        df["sup"] = rng.choice(["S1", "S2", "S3"], len(df))
        df["cus"] = rng.choice(["C1", "C2"], len(df))
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    assert len(df) >= survey_module._PARALLEL_MIN_ROWS
    surveys = [
        random_survey(competitors={"column": "co", "us": "Us"}),
        random_survey(kind="internal", internal={"supplier": "sup", "customer": "cus"}),
    ]
    parallel = [figures_as_json(compute_survey_figures(s, df)) for s in surveys]
    monkeypatch.setattr(survey_module, "_PARALLEL_MIN_ROWS", 10**12)
    serial = [figures_as_json(compute_survey_figures(s, df)) for s in surveys]
    assert parallel == serial
    assert [c for c in serial[0]["waves"][0]["competitors"]] == ["Us", "Ace", "Zed"]
    assert len(serial[1]["waves"][0]["internal"]["cells"]) == 6
