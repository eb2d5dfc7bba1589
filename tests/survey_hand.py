"""The hand-worked survey of the survey-figure tests (two waves of a small instrument whose
figures are worked out by hand in the tests), and random surveys with a pandas reference.

Expected values are computed in the tests themselves, with plain Python
arithmetic on the hand-worked survey (never by calling qmdoc) or with
pandas/scipy/statsmodels on random data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from qmdoc.compute.survey import compute_survey_figures
from qmdoc.models import Survey
from scipy import stats as st

TOL = 1e-9


Z = 1.959963984540054  # scipy.stats.norm.ppf(0.975)


NAN = float("nan")


def close(a, b, tol=TOL):
    return a == pytest.approx(b, abs=tol, rel=tol)


def mean(xs):
    return sum(xs) / len(xs)


def cov(xs, ys):
    mx, my = mean(xs), mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (len(xs) - 1)


def score(x, lo=1, hi=5):
    return (x - lo) / (hi - lo) * 100


def valid_scores(rows, item, lo=1, hi=5):
    """respondent -> 0–100 score of the valid answers to ``item`` (N/A code 0 and NaN dropped)."""
    return {r[0]: score(r[1][item], lo, hi) for r in rows if r[1][item] == r[1][item] and lo <= r[1][item] <= hi}


def linearized_variance(rows, coef):
    """sum_i sum_j c_i c_j s_ij n_ij / (n_i n_j), pairwise over respondents valid on both."""
    scores = {i: valid_scores(rows, i) for i in coef}
    var = 0.0
    for i, ci in coef.items():
        for j, cj in coef.items():
            both = [r for r in scores[i] if r in scores[j]]
            if len(both) < 2:
                continue
            s_ij = cov([scores[i][r] for r in both], [scores[j][r] for r in both])
            var += ci * cj * s_ij * len(both) / (len(scores[i]) * len(scores[j]))
    return var


ITEMS = ["a1", "a2", "b1", "b2", "ov", "rec"]


def hand_survey(**overrides) -> Survey:
    spec = dict(
        id="css",
        title="Customer satisfaction",
        scale={"min": 1, "max": 5},
        not_applicable=[0],
        respondent="rid",
        segments=["region"],
        min_cell_n=3,
        population={"size": 100},
        invitations={"W1": 20},
        overall="ov",
        recommend="rec",
        importance="stated",
        dimensions=[
            {"id": "A", "title": "Product", "weight": 2, "items": [{"id": "a1", "text": "a1"}, {"id": "a2", "text": "a2"}]},
            {"id": "B", "title": "Service", "weight": 1, "items": [{"id": "b1", "text": "b1"}, {"id": "b2", "text": "b2"}]},
        ],
        items=[{"id": "ov", "text": "overall"}, {"id": "rec", "text": "recommend", "scale": {"min": 0, "max": 10}}],
    )
    spec.update(overrides)
    return Survey(**spec)


# (respondent, answers, region); 0 is the N/A code on the 1..5 items, NaN a blank
W1 = [
    ("r1", dict(a1=5, a2=4, b1=3, b2=4, ov=5, rec=10), "North"),
    ("r2", dict(a1=4, a2=0, b1=2, b2=3, ov=4, rec=9), "North"),
    ("r3", dict(a1=3, a2=3, b1=NAN, b2=2, ov=3, rec=7), "South"),
    ("r1", dict(a1=1, a2=1, b1=1, b2=1, ov=1, rec=0), "North"),  # duplicate of r1: dropped
    ("r4", dict(a1=2, a2=1, b1=1, b2=5, ov=2, rec=0), "North"),
    ("r5", dict(a1=0, a2=0, b1=0, b2=0, ov=0, rec=NAN), "South"),  # nothing valid
    ("r6", dict(a1=5, a2=5, b1=4, b2=5, ov=5, rec=8), "South"),
]


W2 = [
    ("r1", dict(a1=5, a2=5, b1=4, b2=4, ov=5, rec=10), "North"),
    ("r2", dict(a1=4, a2=4, b1=4, b2=5, ov=4, rec=9), "North"),
    ("r3", dict(a1=5, a2=4, b1=3, b2=4, ov=5, rec=10), "South"),
    ("r4", dict(a1=3, a2=4, b1=4, b2=3, ov=3, rec=6), "North"),
    ("r7", dict(a1=4, a2=5, b1=5, b2=5, ov=4, rec=9), "South"),
    ("r8", dict(a1=2, a2=0, b1=3, b2=NAN, ov=2, rec=5), "North"),
]


W1_KEPT = [W1[i] for i in (0, 1, 2, 4, 5, 6)]  # what the figures must use


def frame(waves: dict[str, list]) -> pd.DataFrame:
    records = [
        {"wave": w, "rid": rid, "region": region, **{k: float(v) for k, v in answers.items()}}
        for w, rows in waves.items()
        for rid, answers, region in rows
    ]
    return pd.DataFrame.from_records(records, columns=["wave", "rid", "region", *ITEMS])


@pytest.fixture(scope="module")
def hand():
    return compute_survey_figures(hand_survey(), frame({"W1": W1, "W2": W2}))


def random_frame(seed: int, n: int, signs=(1.0, 1.0, -1.0)) -> pd.DataFrame:
    """Three dimensions of 2-3 items on 1..5; ``ov`` driven by the dimensions with ``signs``."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(0, 1, (n, 3))
    cols = {}
    for d, k in enumerate((3, 2, 3)):
        for j in range(k):
            cols[f"d{d}i{j}"] = np.clip(np.round(3 + latent[:, d] + rng.normal(0, 0.8, n)), 1, 5)
    ov = 3 + sum(s * latent[:, d] for d, s in enumerate(signs)) * 0.6 + rng.normal(0, 0.5, n)
    cols["ov"] = np.clip(np.round(ov), 1, 5)
    df = pd.DataFrame(cols)
    mask = rng.random(df.shape)
    df = df.mask(mask < 0.08).mask((mask >= 0.08) & (mask < 0.13), 0.0)  # blanks and N/A codes
    df.insert(0, "wave", "W")
    df.insert(1, "rid", [f"r{i}" for i in range(n)])
    df.insert(2, "region", rng.choice(["East", "West"], n))
    return df


def random_survey(**overrides) -> Survey:
    spec = dict(
        id="rnd",
        title="Random",
        scale={"min": 1, "max": 5},
        not_applicable=[0],
        respondent="rid",
        segments=["region"],
        min_cell_n=10,
        overall="ov",
        importance="derived",
        dimensions=[
            {"id": f"d{d}", "title": f"D{d}", "items": [{"id": f"d{d}i{j}", "text": "x"} for j in range(k)]}
            for d, k in enumerate((3, 2, 3))
        ],
        items=[{"id": "ov", "text": "overall"}],
    )
    spec.update(overrides)
    return Survey(**spec)


def reference(df: pd.DataFrame, survey: Survey):
    """Scores, derived weights, index and its linearized se with pandas and scipy."""
    items = [i.id for i in survey.all_items()]
    s = df[items].where((df[items] >= 1) & (df[items] <= 5))
    s = (s - 1) / 4 * 100
    dims = {d.id: [i.id for i in d.items] for d in survey.dimensions}
    scores = {d: s[its].mean().mean() for d, its in dims.items()}
    r = {}
    for d, its in dims.items():
        per_respondent = s[its].mean(axis=1)  # mean of the respondent's valid answers
        ok = per_respondent.notna() & s["ov"].notna()
        r[d] = max(st.pearsonr(per_respondent[ok], s["ov"][ok]).statistic, 0.0)
    total = sum(r.values())
    weights = {d: v / total for d, v in r.items()} if total > 0 else {d: 1 / len(dims) for d in dims}
    index = sum(weights[d] * scores[d] for d in dims)
    coef = pd.Series({i: weights[d] / len(its) for d, its in dims.items() for i in its})
    sub = s[coef.index]
    C = sub.cov()  # pairwise-complete sample covariance, ddof=1
    valid = sub.notna().astype(float)
    nij = valid.T @ valid
    ni = valid.sum()
    V = C * nij / np.outer(ni, ni)
    se = math.sqrt(coef @ V @ coef)
    return scores, weights, index, se, total == 0
