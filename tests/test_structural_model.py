"""The structural model of each wave, and why a wave has none.

Expected values are worked by hand (plain Python arithmetic, never by calling qmdoc)
or computed with pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import json

from qmdoc.compute.survey import (
    compute_survey_figures,
    figures_as_json,
)
from survey_hand import close, random_frame, random_survey


def test_structural_model_is_estimated_per_wave_when_declared():
    from qmdoc.compute import pls
    df = random_frame(9, 300, signs=(1.0, 1.0, 1.0))
    survey = random_survey(importance="stated", model={"paths": [("d0", "d2"), ("d1", "d2")]})
    figs = compute_survey_figures(survey, df)
    model = figs.waves[0].model
    items = [i for d in ("d0", "d1", "d2") for i in ([f"{d}i{j}" for j in range(3 if d != "d1" else 2)])]
    data = df[items].where((df[items] >= 1) & (df[items] <= 5))
    ref = pls.estimate_pls(
        data,
        {"d0": items[:3], "d1": items[3:5], "d2": items[5:]},
        [("d0", "d2"), ("d1", "d2")],
        scale={i: (1.0, 5.0) for i in items},
    )
    assert model.paths.keys() == ref.paths.keys()
    assert all(close(model.paths[p], ref.paths[p]) for p in ref.paths)
    assert all(close(model.index[lv], ref.index[lv]) for lv in ref.index)
    data_json = figures_as_json(figs)["waves"][0]["model"]
    estimate_keys = {"paths", "r2", "weights", "loadings", "ave", "alpha", "index", "iterations", "converged"}
    assessment_keys = {"n", "rho_c", "rho_a", "htmt", "htmt_flag", "fornell_larcker", "vif_outer", "r2_adjusted",
                       "f2", "vif_inner", "total_effects", "ipma", "bootstrap"} | {
        f"{name}_{part}" for name in ("paths", "weights", "loadings", "total_effects") for part in ("se", "t", "p", "ci")}
    assert set(data_json) == estimate_keys | assessment_keys
    assert set(data_json["paths"]) == {"d0->d2", "d1->d2"}
    json.dumps(figures_as_json(figs), allow_nan=False)


def test_a_wave_too_small_for_the_model_says_why_instead_of_failing():
    df = random_frame(9, 8, signs=(1.0, 1.0, 1.0))
    survey = random_survey(importance="stated", model={"paths": [("d0", "d2"), ("d1", "d2")]})
    items = [c for c in df.columns if c[:2] in ("d0", "d1", "d2")]
    complete = int(((df[items] >= 1) & (df[items] <= 5)).all(axis=1).sum())  # N/A and blanks are missing
    assert complete < 10
    wave = compute_survey_figures(survey, df).waves[0]
    assert wave.model is None
    assert (wave.model_unavailable.reason, wave.model_unavailable.detail) == (
        "too_few_rows", {"n": complete, "required": 10})
    assert figures_as_json(compute_survey_figures(survey, df))["waves"][0]["model_unavailable"] == {
        "reason": "too_few_rows", "n": complete, "required": 10}


def test_a_constant_item_leaves_the_wave_without_a_model():
    df = random_frame(9, 60, signs=(1.0, 1.0, 1.0))
    df["d0i0"] = 3.0
    survey = random_survey(importance="stated", model={"paths": [("d0", "d2"), ("d1", "d2")]})
    wave = compute_survey_figures(survey, df).waves[0]
    assert wave.model is None
    assert wave.model_unavailable.reason == "constant_item"
    assert wave.model_unavailable.detail["item"] == "d0i0"
