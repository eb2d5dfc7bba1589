"""The small surveys of the competitor, loyalty and internal-customer tests.

Expected values are worked by hand in the tests (plain Python arithmetic on
small surveys, never by calling qmdoc) or computed with pandas/scipy/
statsmodels on random data. Where a test compares two qmdoc runs (ours-only
data against the same data with competitor rows), the point is the
definition "all figures from our rows only", and the hand-worked values pin
the numbers.
"""

from __future__ import annotations

import pandas as pd
import pytest
from qmdoc.compute.survey import compute_survey_figures
from qmdoc.models import Survey

TOL = 1e-9


NAN = float("nan")


NEW_KEYS = {"loyalty", "competitors", "competitor_gaps", "internal"}


def close(a, b, tol=TOL):
    return a == pytest.approx(b, abs=tol, rel=tol)


def mean(xs):
    return sum(xs) / len(xs)


def score(x, lo=1, hi=5):
    return (x - lo) / (hi - lo) * 100


def survey(**overrides) -> Survey:
    spec = dict(
        id="cmp",
        title="Customer satisfaction with competitors",
        scale={"min": 1, "max": 5},
        not_applicable=[0],
        respondent="rid",
        segments=["region"],
        min_cell_n=2,
        overall="ov",
        recommend="rec",
        importance="stated",
        dimensions=[
            {"id": "A", "title": "Product", "weight": 2, "items": [{"id": "a1", "text": "a1"}, {"id": "a2", "text": "a2"}]},
            {"id": "B", "title": "Service", "weight": 1, "items": [{"id": "b1", "text": "b1"}, {"id": "b2", "text": "b2"}]},
        ],
        items=[
            {"id": "ov", "text": "overall"},
            {"id": "rec", "text": "recommend", "scale": {"min": 0, "max": 10}},
            {"id": "rep", "text": "will buy again"},
        ],
    )
    spec.update(overrides)
    return Survey(**spec)


COMPETITORS = {"competitors": {"column": "co", "us": "Us"}}


ITEMS = ["a1", "a2", "b1", "b2", "ov", "rec", "rep"]


BLANK = dict(ov=NAN, rec=NAN, rep=NAN)  # competitor rows: no overall, recommend or loyalty answers


# (respondent, rated company, answers, region); 0 is the N/A code on the 1..5 items, NaN a blank
W1 = [
    ("r1", "Us", dict(a1=5, a2=4, b1=3, b2=4, ov=5, rec=10, rep=4), "North"),
    ("r1", "Acme", dict(a1=3, a2=3, b1=2, b2=NAN, **BLANK), "North"),  # r1 rates us and Acme: no duplicate
    ("r2", "Us", dict(a1=4, a2=0, b1=2, b2=3, ov=4, rec=9, rep=5), "North"),
    ("r2", "Beta", dict(a1=2, a2=2, b1=5, b2=5, **BLANK), "North"),
    ("r2", "Acme", dict(a1=4, a2=5, b1=4, b2=3, **BLANK), "North"),
    ("r3", "Us", dict(a1=3, a2=3, b1=NAN, b2=2, ov=3, rec=7, rep=3), "South"),
    ("r3", "Acme", dict(a1=5, a2=4, b1=3, b2=4, **BLANK), "South"),
    ("r1", "Acme", dict(a1=1, a2=1, b1=1, b2=1, **BLANK), "North"),  # repeats (r1, Acme): dropped
    ("r2", "Us", dict(a1=1, a2=1, b1=1, b2=1, ov=1, rec=0, rep=1), "North"),  # repeats (r2, Us): dropped
    ("r4", "Us", dict(a1=2, a2=1, b1=1, b2=5, ov=2, rec=0, rep=2), "South"),
]


W2 = [
    ("r1", "Us", dict(a1=5, a2=5, b1=4, b2=4, ov=5, rec=10, rep=NAN), "North"),
    ("r1", "Acme", dict(a1=4, a2=4, b1=4, b2=4, **BLANK), "North"),
    ("r2", "Us", dict(a1=4, a2=4, b1=4, b2=5, ov=4, rec=9, rep=5), "North"),
    ("r3", "Us", dict(a1=5, a2=4, b1=3, b2=4, ov=5, rec=10, rep=0), "South"),  # rep N/A
    ("r4", "Us", dict(a1=3, a2=4, b1=4, b2=3, ov=3, rec=6, rep=3), "South"),
]


OURS_W1 = [r for i, r in enumerate(W1) if r[1] == "Us" and i != 8]  # r1, r2, r3, r4 as the figures must use them


def frame(waves: dict[str, list], company: bool = True) -> pd.DataFrame:
    records = [
        {"wave": w, "rid": rid, **({"co": co} if company else {}), "region": region,
         **{k: float(v) for k, v in answers.items()}}
        for w, rows in waves.items()
        for rid, co, answers, region in rows
    ]
    return pd.DataFrame.from_records(records, columns=["wave", "rid", *(["co"] if company else []), "region", *ITEMS])


@pytest.fixture(scope="module")
def cmp():
    return compute_survey_figures(survey(**COMPETITORS), frame({"W1": W1, "W2": W2}))


LOYALTY = {**COMPETITORS, "loyalty": ["rep", "rec"]}


def internal_survey(**overrides) -> Survey:
    spec = dict(
        kind="internal",
        internal={"supplier": "sup", "customer": "cus"},
        segments=["cus"],
        items=[{"id": "ov", "text": "overall"}],
        recommend=None,
    )
    spec.update(overrides)
    return survey(**spec)


# (respondent, supplier, customer, answers)
IW1 = [
    ("e1", "Purchasing", "Production", dict(a1=5, a2=4, b1=3, b2=4, ov=4)),
    ("e2", "Purchasing", "Production", dict(a1=3, a2=3, b1=NAN, b2=2, ov=3)),
    ("e3", "Purchasing", "Sales", dict(a1=4, a2=4, b1=4, b2=4, ov=4)),
    ("e1", "Quality", "Production", dict(a1=2, a2=1, b1=1, b2=5, ov=2)),  # e1 rates a second supplier
    ("e4", "Quality", "Production", dict(a1=4, a2=0, b1=2, b2=3, ov=3)),
    ("e4", "Quality", "Production", dict(a1=1, a2=1, b1=1, b2=1, ov=1)),  # repeats (e4, Quality): dropped
    ("e5", "Administration", "Sales", dict(a1=0, a2=0, b1=0, b2=0, ov=0)),  # nothing valid: n 0
]


def internal_frame(rows, rename_repeats=False) -> pd.DataFrame:
    records = [
        {"wave": "W1", "rid": (f"{rid}-{i}" if rename_repeats else rid), "sup": sup, "cus": cus,
         **{k: float(v) for k, v in answers.items()}}
        for i, (rid, sup, cus, answers) in enumerate(rows)
    ]
    return pd.DataFrame.from_records(records, columns=["wave", "rid", "sup", "cus", "a1", "a2", "b1", "b2", "ov"])
