"""The JSON export (qmdoc figures --json): its shape.

Expected values are worked by hand (plain Python arithmetic, never by calling qmdoc)
or computed with pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import json

from qmdoc.compute.survey import (
    compute_survey_figures,
    figures_as_json,
)
from survey_hand import hand  # noqa: F401 - a fixture
from survey_rated import LOYALTY, NEW_KEYS, OURS_W1, survey
from survey_rated import W1 as RATED_W1
from survey_rated import frame as rated_frame


def test_json_has_exactly_the_contract_shape(hand):
    data = figures_as_json(hand)
    assert set(data) == {"survey", "waves", "changes"} and data["survey"] == "css"
    w = data["waves"][0]
    assert set(w) == {
        "wave", "n", "duplicates_dropped", "margin_of_error", "response_rate", "index",
        "dimensions", "items", "nps", "segments", "importance", "drivers",
    }  # no "model", "loyalty", "competitors", "competitor_gaps", "internal": the survey declares none
    # (drivers: the survey has an overall item)
    assert hand.waves[0].loyalty == {} and hand.waves[0].satisfaction_loyalty_r == {}
    assert hand.waves[0].competitors is None and hand.waves[0].competitor_gaps is None
    assert hand.waves[0].internal is None
    assert set(w["index"]) == {"value", "ci", "se"} and isinstance(w["index"]["ci"], list)
    assert set(w["dimensions"]["A"]) == {"score", "n", "ci", "se"}
    assert set(w["items"]["a1"]) == {"n", "mean", "sd", "score", "ci", "top2", "top2_ci"}
    assert set(w["nps"]) == {"value", "se", "ci", "promoters", "passives", "detractors", "n"}
    assert set(w["importance"]["A"]) == {"importance", "performance", "quadrant"}
    assert set(w["segments"]["region"]["North"]) == {"n", "index", "suppressed", "dimensions"}
    assert set(data["changes"][0]) == {"from", "to", "metric", "delta", "p", "significant"}
    assert type(w["index"]["value"]) is float and type(w["n"]) is int
    assert w["index"]["value"] == hand.waves[0].index.value  # not rounded
    json.dumps(data, allow_nan=False)


def test_json_keys_appear_only_when_declared():
    plain = figures_as_json(compute_survey_figures(survey(), rated_frame({"W1": OURS_W1}, company=False)))
    assert not NEW_KEYS & set(plain["waves"][0])
    loyal = figures_as_json(compute_survey_figures(survey(loyalty=["rep"]), rated_frame({"W1": OURS_W1}, company=False)))
    assert NEW_KEYS & set(loyal["waves"][0]) == {"loyalty"}
    both = figures_as_json(compute_survey_figures(survey(**LOYALTY), rated_frame({"W1": RATED_W1})))
    assert NEW_KEYS & set(both["waves"][0]) == {"loyalty", "competitors", "competitor_gaps"}


def _readme_example() -> dict:
    """The example of README's "Survey figures" section, read as JSON (its ``..`` elisions as empty)."""
    from pathlib import Path

    text = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = text[text.index("`qmdoc figures policy/surveys/css.yml --json` prints"):]
    block = section[section.index("```\n") + 4 : section.index("\n```", section.index("```\n") + 4)]
    for elided, empty in (("{...}", "{}"), ("{..}", "{}"), ("[..]", "[]")):
        block = block.replace(elided, empty)
    return json.loads(block)


def _export_keys(cls, declared: set[str]) -> set[str]:
    """The keys a result dataclass exports, read from its fields: hidden fields left out, optional
    ones (absent unless set) and declared ones (only when the survey declares them) as given."""
    import dataclasses

    keys = set()
    for f in dataclasses.fields(cls):
        how = f.metadata.get("json")
        if how in ("hidden", "optional") or (how == "declared" and f.name not in declared):
            continue
        keys.update(f.metadata["keys"] if how == "view" else [f.metadata.get("json_name", f.name)])
    return keys


def test_readme_example_has_exactly_the_exported_keys():
    from qmdoc.compute import survey as cs
    from qmdoc.compute.drivers import DriverFigures

    doc = _readme_example()
    assert set(doc) == _export_keys(cs.SurveyFigures, set())
    wave = doc["waves"][0]
    # the example's survey has an overall item (drivers) and declares a model; no screening, loyalty,
    # competitors or internal customers
    assert set(wave) == _export_keys(cs.WaveFigures, {"drivers", "model"})
    nested = {
        "index": cs.IndexFigures, "nps": cs.NPSFigures, "drivers": DriverFigures,
        "dimensions.quality": cs.DimensionFigures, "items.q1": cs.ItemFigures,
        "importance.quality": cs.ImportanceFigures, "segments.region.DACH": cs.SegmentFigures,
        "segments.region.Nordics": cs.SegmentFigures,
    }
    for path, cls in nested.items():
        value = wave
        for part in path.split("."):
            value = value[part]
        assert set(value) == _export_keys(cls, set()), path
    assert set(doc["changes"][0]) == _export_keys(cs.Change, set())


def test_the_export_writes_the_keys_the_fields_declare(hand):
    from qmdoc.compute import survey as cs

    data = figures_as_json(hand)
    wave = data["waves"][0]
    assert set(wave) == _export_keys(cs.WaveFigures, {"drivers"})
    assert set(wave["items"]["a1"]) == _export_keys(cs.ItemFigures, set())
    assert set(data["changes"][0]) == _export_keys(cs.Change, set())
    assert list(wave)[:3] == ["wave", "n", "duplicates_dropped"]  # in the order the fields are declared
