"""A survey instrument's rules (numbers, items, weights, scales, models, competitors, internal customers) and
the rows that must name what they rate: each reported once by `qmdoc check`, with file:line (see input_cases)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_mini
from input_cases import CSS, build_fails_as_check_does, check, check_reports_the_rule, edit


DIMENSIONS = """dimensions:
  - id: quality
    title: Product quality
    weight: 0.6
    items:
      - {id: q1, text: Parts meet the drawing}
      - {id: q2, text: Certificates are complete}
  - id: delivery
    title: Delivery
    weight: 0.4
    items:"""

# (case id, file, text to replace (exactly once), replacement, the exact lines `check` prints)
CASES = [
    ("negative-invitations", CSS, '"2025-Q1": 40', '"2025-Q1": -40',
     ["policy/surveys/css.yml:9: invitations.2025-Q1: expected greater than 0, got -40"]),
    ("zero-invitations", CSS, '"2025-Q1": 40', '"2025-Q1": 0',
     ["policy/surveys/css.yml:9: invitations.2025-Q1: expected greater than 0, got 0"]),
    ("weight-inf", CSS, "weight: 0.6", "weight: .inf",
     ["policy/surveys/css.yml:16: dimensions[0].weight: expected a finite number, got inf"]),
    ("scale-huge", CSS, "scale: {min: 1, max: 5}", "scale: {min: 1, max: 5000000000}",
     ["policy/surveys/css.yml:3: scale.max: expected less than or equal to 1000000, got 5000000000"]),
    ("min-cell-negative", CSS, "min_cell_n: 5", "min_cell_n: -5",
     ["policy/surveys/css.yml:8: min_cell_n: expected greater than or equal to 1, got -5"]),
    # the survey instrument's rules (compute relies on each)
    ("item-weight-on-some", CSS, "- {id: q1, text: Parts meet the drawing}",
     "- {id: q1, text: Parts meet the drawing, weight: 2}",
     ["policy/surveys/css.yml:19: dimensions[0].items[1].weight: expected a weight on every item of "
      "dimension 'quality' or on none, got weights on 1 of 2"]),
    ("dimension-weight-on-some", CSS, "    weight: 0.4\n", "",
     ["policy/surveys/css.yml:20: dimensions[1].weight: expected a weight on every dimension or on none, "
      "got weights on 1 of 2"]),
    ("dimension-weight-derived", CSS, "importance: stated\n", "importance: derived\n",
     None),  # derived importance with stated weights on every dimension: fine (weights unused)
    ("duplicate-item", CSS, "- {id: q4, text: Lead times are acceptable}",
     "- {id: q1, text: Lead times are acceptable}",
     ["policy/surveys/css.yml:25: dimensions[1].items[1].id: expected a unique item id, got 'q1' again"]),
    ("overall-unknown", CSS, "overall: q_overall", "overall: q_missing",
     ["policy/surveys/css.yml:10: overall: expected the id of an item, got 'q_missing'"]),
    ("recommend-scale", CSS, "recommend: q_nps", "recommend: q_overall",
     ["policy/surveys/css.yml:11: recommend: expected an item on a 0..10 scale, got 'q_overall' on 1..5"]),
    ("loyalty-unknown", CSS, "importance: stated", "importance: stated\nloyalty: [q_missing]",
     ["policy/surveys/css.yml:13: loyalty[0]: expected the id of an item, got 'q_missing'"]),
    ("loyalty-in-dimension", CSS, "importance: stated", "importance: stated\nloyalty: [q1]",
     ["policy/surveys/css.yml:13: loyalty[0]: expected a top-level item (loyalty is not part of a dimension), "
      "got 'q1'"]),
    ("not-applicable-inside-every-scale", CSS, "not_applicable: [0]", "not_applicable: [3]",
     ["policy/surveys/css.yml:4: not_applicable[0]: expected a code outside the scale of some item "
      "(inside every scale it is always an answer), got 3"]),
    ("internal-without-kind", CSS, "importance: stated",
     "importance: stated\ninternal: {supplier: region, customer: wave}",
     ["policy/surveys/css.yml:13: kind: expected kind: internal with internal:, got 'customer'"]),
    ("internal-same-columns", CSS, "importance: stated",
     "importance: stated\nkind: internal\ninternal: {supplier: region, customer: region}",
     ["policy/surveys/css.yml:14: internal.customer: expected a column other than the supplier column, "
      "got 'region' for both"]),
    ("kind-internal-without-columns", CSS, "importance: stated", "importance: stated\nkind: internal",
     ["policy/surveys/css.yml:13: internal: expected the supplier and customer columns "
      "(internal: {supplier: ..., customer: ...}), got nothing"]),
    ("competitors-and-internal", CSS, "importance: stated",
     "importance: stated\nkind: internal\ninternal: {supplier: region, customer: wave}\n"
     "competitors: {column: region, us: North}",
     ["policy/surveys/css.yml:15: competitors: expected competitors or internal customers, got both"]),
    ("competitors-us-absent", CSS, "importance: stated", "importance: stated\ncompetitors: {column: region, us: Atlantis}",
     ["policy/surveys/css.yml:13: competitors.us: expected rows whose region is 'Atlantis' in the data files "
      "(data/surveys/css/2025-Q1.csv, data/surveys/css/2025-Q2.csv), got none"]),
    ("model-unknown-dimension", CSS, "importance: stated",
     "importance: stated\nmodel: {paths: [[quality, price]]}",
     ["policy/surveys/css.yml:13: model.paths[0]: expected dimension ids, got 'price'"]),
    ("model-self-path", CSS, "importance: stated",
     "importance: stated\nmodel: {paths: [[quality, quality]]}",
     ["policy/surveys/css.yml:13: model.paths[0]: expected a path between two dimensions, got 'quality' to itself"]),
    ("model-repeated-path", CSS, "importance: stated",
     "importance: stated\nmodel: {paths: [[quality, delivery], [quality, delivery]]}",
     ["policy/surveys/css.yml:13: model.paths[1]: expected each path once, got quality -> delivery again "
      "(first at model.paths[0])"]),
    ("model-loop", CSS, "importance: stated",
     "importance: stated\nmodel: {paths: [[quality, delivery], [delivery, quality]]}",
     ["policy/surveys/css.yml:13: model.paths: expected paths without a loop (a recursive model cannot be "
      "estimated), got quality -> delivery -> quality"]),
    ("drivers-without-overall", CSS, "overall: q_overall\nrecommend: q_nps\nimportance: stated",
     "recommend: q_nps\nimportance: drivers",
     ["policy/surveys/css.yml:11: importance: expected an overall item (key overall) for drivers importance, "
      "got none"]),
    ("drivers-importance", CSS, "importance: stated\n", "importance: drivers\ndrivers: {bootstrap: 0}\n", None),
    ("drivers-bootstrap-too-many", CSS, "importance: stated", "importance: stated\ndrivers: {bootstrap: 1000000}",
     ["policy/surveys/css.yml:13: drivers.bootstrap: expected less than or equal to 100000, got 1000000"]),
    ("model-target-exogenous", CSS, "importance: stated",
     "importance: stated\nmodel: {paths: [[quality, delivery]], target: quality}",
     ["policy/surveys/css.yml:13: model.target: expected a dimension that a path leads to (the target of the "
      "importance-performance map), got 'quality'"]),
    ("model-bootstrap-negative", CSS, "importance: stated",
     "importance: stated\nmodel: {paths: [[quality, delivery]], bootstrap: {samples: -1}}",
     ["policy/surveys/css.yml:13: model.bootstrap.samples: expected greater than or equal to 0, got -1"]),
    ("broken-survey-not-blamed-in-objectives", CSS, "scale: {min: 1, max: 5}", "scale: {min: 5, max: 1}",
     ["policy/surveys/css.yml:3: scale: expected max greater than min, got min 5 and max 1"]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_check_reports_the_rule(case: tuple, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    check_reports_the_rule(case, tmp_path, capsys)


BROKEN = [c for c in CASES if c[4] is not None]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_build_and_figures_fail_as_check_does(case: tuple, tmp_path: Path, capsys: pytest.CaptureFixture,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    build_fails_as_check_does(case, tmp_path, capsys, monkeypatch)


def test_one_broken_survey_gives_one_message(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Objectives on css.index and css.nps are not blamed when the survey's own file is invalid."""
    root = copy_mini(tmp_path / "org")
    edit(root, CSS, "scale: {min: 1, max: 5}", "scale: {min: 1, max: 5}\nunknown_key: 1")
    code, err, _ = check(root, capsys)
    assert code == 1
    assert err == ["policy/surveys/css.yml:4: unknown_key: expected a known key, got unknown key 'unknown_key'"]


# Every rule the compute/survey package states as a ValueError (an assertion there: the loader reports it first)
# and the case above in which `check` reports it. The count keeps this list true when a rule is added.
COMPUTE_RULES = {
    "item id is used more than once": "duplicate-item",
    "expected a weight on every item or on none": "item-weight-on-some",
    "expected a weight on every dimension or on none": "dimension-weight-on-some",
    "names item ..., which is not an item of the survey": "overall-unknown",
    "recommend item: expected a 0..10 scale": "recommend-scale",
    "loyalty names item ..., which is not an item of the survey": "loyalty-unknown",
    "loyalty item is an item of a dimension": "loyalty-in-dimension",
    "expected a value from min to max or a not-applicable code": "csv: an item value outside its scale",
    "structural model: (an instrument the loader let through)": "model-loop",
    "internal (supplier, customer) is declared, expected kind internal": "internal-without-kind",
    "expected competitors or internal customers, got both": "competitors-and-internal",
    "responses lack the column(s)": "csv: a mapped column missing",
    "a response has no wave": "csv: a blank wave label",
    "a response has no <rated column>": "csv: a blank rated company or department (test_every_row_names_what_it_rates)",
    "competitors: expected rows whose column is us": "competitors-us-absent",
    # service-quality gaps and improvement actions (their cases: tests/test_gap_pages.py LOAD_CASES)
    "gaps: responses lack the expectation column(s)": "csv: an expectation column missing (expectation-column-missing)",
    "wave names no period, improvements cannot be dated": "csv: wave labels naming no period (improvement-undated-waves)",
}


def test_every_compute_rule_has_a_check_case() -> None:
    package = Path(__file__).parent.parent / "generators/qmdoc/compute/survey"
    source = "".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py")))
    assert len(re.findall(r"raise ValueError\(", source)) == len(COMPUTE_RULES)
    names = {c[0] for c in CASES}
    for case in COMPUTE_RULES.values():
        assert case in names or case.startswith("csv: ")
