"""Metric names: one parse, one format, and the names an objective may use."""

from __future__ import annotations

import pytest
from qmdoc.metric import Metric, known_metrics
from qmdoc.models import Survey

NAMES = {
    "css.index": Metric("index", None, "css"),
    "css.nps": Metric("nps", None, "css"),
    "css.dimension.delivery": Metric("dimension", "delivery", "css"),
    "top2.q1": Metric("top2", "q1", None),
    "item.q1": Metric("item", "q1", None),
    "dimension.delivery": Metric("dimension", "delivery", None),
    "index": Metric("index", None, None),
    "nps": Metric("nps", None, None),
    "css.top2.q1": Metric("top2", "q1", "css"),
    "complaints.count": Metric("complaints", "count", None),
    "complaints.resolved_within_target": Metric("complaints", "resolved_within_target", None),
    "my-survey.v2.index": Metric("index", None, "my-survey.v2"),  # survey ids may hold dots
    "css.item.q.1": Metric("item", "q.1", "css"),  # so may item ids
}


@pytest.mark.parametrize("name", list(NAMES))
def test_parse_and_format_round_trip(name):
    metric = Metric.parse(name)
    assert metric == NAMES[name]
    assert metric.format() == name == str(metric)
    assert Metric.parse(metric.format()) == metric


def test_a_name_that_reads_both_ways_is_read_without_a_survey():
    assert Metric.parse("dimension.index") == Metric("dimension", "index", None)


def test_within_names_the_survey():
    assert Metric.parse("top2.q1").within("css").format() == "css.top2.q1"
    assert Metric.parse("css.nps").within(None).format() == "nps"


@pytest.mark.parametrize("name", ["", "css", "css.", "css.index.x", "css.dimension", "css.dimension.", "top2",
                                  "complaints", "complaints.", ".index", "css..index", "css.score",
                                  "q1.top2"])
def test_a_malformed_name_is_refused_with_the_grammar(name):
    with pytest.raises(ValueError) as e:
        Metric.parse(name)
    assert str(e.value) == (
        "expected a metric such as css.index, css.nps, css.dimension.<id>, top2.<id>, "
        f"complaints.count or customers.retention_rate, got {name!r}"
    )


def _survey(sid: str, recommend: bool) -> Survey:
    items = [{"id": "q1", "text": "Q1"}, {"id": "q2", "text": "Q2"}]
    return Survey.model_validate({
        "id": sid, "title": sid, "scale": {"min": 1, "max": 5}, "respondent": "rid",
        "dimensions": [{"id": "quality", "title": "Quality", "items": items[:1]},
                       {"id": "delivery", "title": "Delivery", "items": items[1:]}],
        "items": [{"id": "rec", "text": "Recommend", "scale": {"min": 0, "max": 10}}] if recommend else [],
        **({"recommend": "rec"} if recommend else {}),
    })


def test_known_metrics_of_surveys_and_complaints():
    surveys = [_survey("css", True), _survey("ics", False)]
    assert known_metrics(surveys, complaints=False) == {
        "css.index", "css.nps", "css.dimension.quality", "css.dimension.delivery",
        "ics.index", "ics.dimension.quality", "ics.dimension.delivery",
    }
    assert known_metrics([], complaints=True) == {
        "complaints.count", "complaints.acknowledged_within_target",
        "complaints.resolved_within_target", "complaints.resolution_p90_days",
    }
    assert all(Metric.parse(m).format() == m for m in known_metrics(surveys, complaints=True))
