"""Key drivers (:mod:`qmdoc.compute.drivers`): Johnson's relative weights and their bootstrap.

References, each computed independently of the module:

* published output: the ``rwa`` R package's documented example (mtcars, mpg on
  cyl, disp, hp, wt: raw weights 0.2096904, 0.1883043, 0.1799590, 0.2706812,
  rescaled 24.70914, 22.18908, 21.20570, 31.89607 %);
* a hand-worked 3-predictor correlation matrix (closed-form square root);
* a second implementation written here: orthogonal counterparts from scipy's
  matrix square root, their regression weights from statsmodels OLS, the
  loadings as Pearson correlations; R² from a statsmodels OLS fit;
* the bootstrap against a plain loop over the same index matrix;
* the wiring in the survey figures against respondent scores computed here.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
import scipy.linalg
import statsmodels.api as sm

from qmdoc.compute.drivers import DriversNotEstimable, estimate_drivers, relative_weights
from qmdoc.compute.survey import compute_survey_figures, figures_as_json
from qmdoc.models import Survey

# Motor Trend 1974 road tests (R's mtcars; Henderson & Velleman 1981): mpg, cyl, disp, hp, wt
MTCARS = np.array([
    [21.0, 6, 160.0, 110, 2.620], [21.0, 6, 160.0, 110, 2.875], [22.8, 4, 108.0, 93, 2.320],
    [21.4, 6, 258.0, 110, 3.215], [18.7, 8, 360.0, 175, 3.440], [18.1, 6, 225.0, 105, 3.460],
    [14.3, 8, 360.0, 245, 3.570], [24.4, 4, 146.7, 62, 3.190], [22.8, 4, 140.8, 95, 3.150],
    [19.2, 6, 167.6, 123, 3.440], [17.8, 6, 167.6, 123, 3.440], [16.4, 8, 275.8, 180, 4.070],
    [17.3, 8, 275.8, 180, 3.730], [15.2, 8, 275.8, 180, 3.780], [10.4, 8, 472.0, 205, 5.250],
    [10.4, 8, 460.0, 215, 5.424], [14.7, 8, 440.0, 230, 5.345], [32.4, 4, 78.7, 66, 2.200],
    [30.4, 4, 75.7, 52, 1.615], [33.9, 4, 71.1, 65, 1.835], [21.5, 4, 120.1, 97, 2.465],
    [15.5, 8, 318.0, 150, 3.520], [15.2, 8, 304.0, 150, 3.435], [13.3, 8, 350.0, 245, 3.840],
    [19.2, 8, 400.0, 175, 3.845], [27.3, 4, 79.0, 66, 1.935], [26.0, 4, 120.3, 91, 2.140],
    [30.4, 4, 95.1, 113, 1.513], [15.8, 8, 351.0, 264, 3.170], [19.7, 6, 145.0, 175, 2.770],
    [15.0, 8, 301.0, 335, 3.570], [21.4, 4, 121.0, 109, 2.780],
])
RWA_RAW = [0.2096904, 0.1883043, 0.1799590, 0.2706812]  # rwa's documented output (7 decimals)
RWA_RESCALED = [24.70914, 22.18908, 21.20570, 31.89607]  # percent of R² (5 decimals)


def reference_weights(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Relative weights the long way: orthogonal counterparts Z = X_s R^-1/2 (scipy's sqrtm),
    β from a statsmodels OLS of y on Z, Λ = Pearson correlations of X with Z."""
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    ys = (y - y.mean()) / y.std()
    R = np.corrcoef(X, rowvar=False)
    Z = Xs @ np.linalg.inv(np.real(scipy.linalg.sqrtm(R)))
    beta = sm.OLS(ys, Z).fit().params
    lam = np.corrcoef(X, Z, rowvar=False)[: X.shape[1], X.shape[1]:]
    eps = (lam**2) @ (beta**2)
    return eps, float(sm.OLS(y, sm.add_constant(X)).fit().rsquared)


def test_published_rwa_example_mtcars() -> None:
    y, X = MTCARS[:, 0], MTCARS[:, 1:]
    f = estimate_drivers(X, y, ["cyl", "disp", "hp", "wt"], bootstrap=0)
    assert f.n == 32 and f.method == "relative_weights"
    assert max(abs(f.raw[k] - v) for k, v in zip(f.raw, RWA_RAW)) < 5e-8
    assert max(abs(100 * f.share[k] - v) for k, v in zip(f.share, RWA_RESCALED)) < 5e-6
    assert f.r2 == pytest.approx(sm.OLS(y, sm.add_constant(X)).fit().rsquared, abs=1e-12)
    assert f.ci == {} and f.share_ci == {} and f.resamples == 0


def test_three_predictors_by_hand() -> None:
    # R_xx = [[1, ρ, 0], [ρ, 1, 0], [0, 0, 1]]: Λ = [[p, q, 0], [q, p, 0], [0, 0, 1]] with
    # p, q = (√(1+ρ) ± √(1-ρ)) / 2, and Λ^-1 = [[p, -q], [-q, p]] / √(1-ρ²) on the first two
    rho, a, b, c = 0.6, 0.5, 0.3, 0.2
    p = (math.sqrt(1 + rho) + math.sqrt(1 - rho)) / 2
    q = (math.sqrt(1 + rho) - math.sqrt(1 - rho)) / 2
    beta1 = (p * a - q * b) / math.sqrt(1 - rho**2)
    beta2 = (p * b - q * a) / math.sqrt(1 - rho**2)
    expected = [p * p * beta1**2 + q * q * beta2**2, q * q * beta1**2 + p * p * beta2**2, c * c]
    r2_by_hand = (a * a + b * b - 2 * rho * a * b) / (1 - rho**2) + c * c  # r' R_xx^-1 r
    R = np.array([[1, rho, 0, a], [rho, 1, 0, b], [0, 0, 1, c], [a, b, c, 1.0]])
    r2, eps, ok = relative_weights(R[None])
    assert ok[0]
    assert np.abs(eps[0] - expected).max() < 1e-15
    assert r2[0] == pytest.approx(r2_by_hand, abs=1e-15)
    assert sum(expected) == pytest.approx(r2_by_hand, abs=1e-15)


def _correlated(n: int, D: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    common = rng.normal(size=n)
    X = 0.8 * common[:, None] + rng.normal(size=(n, D)) * np.linspace(0.5, 1.2, D)
    y = X @ np.linspace(0.1, 0.6, D) + rng.normal(size=n)
    return X, y


def test_agrees_with_a_second_implementation_and_sums_to_r2() -> None:
    X, y = _correlated(300, 5, seed=7)
    f = estimate_drivers(X, y, list("abcde"), bootstrap=0)
    eps, r2 = reference_weights(X, y)
    assert np.abs(np.array(list(f.raw.values())) - eps).max() < 1e-12
    assert f.r2 == pytest.approx(r2, abs=1e-12)
    assert sum(f.raw.values()) == pytest.approx(r2, abs=1e-12)
    assert sum(f.share.values()) == pytest.approx(1.0, abs=1e-12)


def test_orthogonal_predictors_give_squared_correlations() -> None:
    rng = np.random.default_rng(3)
    A = rng.normal(size=(50, 3))
    X, _ = np.linalg.qr(A - A.mean(axis=0))  # orthonormal columns in the centred space: uncorrelated
    y = X @ [1.0, 2.0, 3.0] + rng.normal(size=50)
    f = estimate_drivers(X, y, ["a", "b", "c"], bootstrap=0)
    r = np.corrcoef(np.column_stack([X, y]), rowvar=False)[:3, 3]
    assert np.abs(np.array(list(f.raw.values())) - r**2).max() < 1e-12


def test_bootstrap_matches_a_plain_loop_over_the_same_resamples() -> None:
    X, y = _correlated(60, 3, seed=11)
    B, seed = 200, 5
    f = estimate_drivers(X, y, ["a", "b", "c"], bootstrap=B, seed=seed)
    idx = np.random.Generator(np.random.PCG64(seed)).integers(0, 60, size=(B, 60))
    boot = []
    for rows in idx:
        Xb, yb = X[rows], y[rows]
        R = np.corrcoef(np.column_stack([Xb, yb]), rowvar=False)
        root = np.real(scipy.linalg.sqrtm(R[:3, :3]))
        beta = np.linalg.solve(root, R[:3, 3])
        boot.append((root**2) @ beta**2)
    boot = np.array(boot)
    lo, hi = np.percentile(boot, [2.5, 97.5], axis=0)
    share = boot / boot.sum(axis=1, keepdims=True)
    slo, shi = np.percentile(share, [2.5, 97.5], axis=0)
    assert f.resamples == B
    for j, k in enumerate("abc"):
        assert f.ci[k] == pytest.approx((lo[j], hi[j]), abs=1e-10)
        assert f.share_ci[k] == pytest.approx((slo[j], shi[j]), abs=1e-10)
        assert f.ci[k][0] <= f.raw[k] <= f.ci[k][1]


def test_same_seed_same_intervals_other_seed_other_intervals() -> None:
    X, y = _correlated(80, 4, seed=2)
    a = estimate_drivers(X, y, list("abcd"), bootstrap=200, seed=1)
    b = estimate_drivers(X, y, list("abcd"), bootstrap=200, seed=1)
    c = estimate_drivers(X, y, list("abcd"), bootstrap=200, seed=2)
    assert a == b
    assert a.ci != c.ci and a.raw == c.raw


def test_incomplete_rows_are_dropped() -> None:
    X, y = _correlated(40, 2, seed=4)
    Xn, yn = X.copy(), y.copy()
    Xn[3, 0] = np.nan
    yn[7] = np.nan
    f = estimate_drivers(Xn, yn, ["a", "b"], bootstrap=0)
    keep = np.ones(40, dtype=bool)
    keep[[3, 7]] = False
    g = estimate_drivers(X[keep], y[keep], ["a", "b"], bootstrap=0)
    assert f.n == 38 and f == g


@pytest.mark.parametrize(
    ("reason", "X", "y"),
    [
        ("too_few_rows", np.arange(6.0).reshape(3, 2) ** [1, 2], np.array([1.0, 2.0, 4.0])),
        ("constant", np.column_stack([np.arange(10.0), np.ones(10)]), np.arange(10.0) ** 2),
        ("singular", np.column_stack([np.arange(10.0), 2 * np.arange(10.0)]), np.arange(10.0) ** 2),
    ],
)
def test_not_estimable(reason: str, X: np.ndarray, y: np.ndarray) -> None:
    with pytest.raises(DriversNotEstimable) as e:
        estimate_drivers(X, y, ["a", "b"], bootstrap=0)
    assert e.value.reason == reason


# -------------------------------------------------------------- in the survey figures


def _survey(**overrides) -> Survey:
    spec = dict(
        id="css", title="t", scale={"min": 1, "max": 5}, not_applicable=[0], respondent="rid", wave="wave",
        overall="ov", importance="stated", drivers={"bootstrap": 200, "seed": 3},
        dimensions=[
            {"id": "a", "title": "A", "weight": 1, "items": [{"id": "a1", "text": "x", "weight": 1},
                                                             {"id": "a2", "text": "x", "weight": 3}]},
            {"id": "b", "title": "B", "weight": 1, "items": [{"id": "b1", "text": "x"}]},
            {"id": "c", "title": "C", "weight": 2, "items": [{"id": "c1", "text": "x"}, {"id": "c2", "text": "x"}]},
        ],
        items=[{"id": "ov", "text": "overall"}],
    )
    spec.update(overrides)
    return Survey.model_validate(spec)


def _responses(n: int = 120, seed: int = 9) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)
    frame = {"wave": ["2025-Q1"] * n, "rid": np.arange(n)}
    for k, item in enumerate(["a1", "a2", "b1", "c1", "c2", "ov"]):
        v = np.clip(np.rint(3 + latent * (0.6 + 0.1 * k) + rng.normal(size=n)), 1, 5)
        v[rng.random(n) < 0.08] = np.nan  # blanks
        v[rng.random(n) < 0.05] = 0  # not applicable
        frame[item] = v
    return pd.DataFrame(frame)


def _scores_by_hand(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The respondent dimension scores: item-weighted mean of the valid 0–100 answers."""
    def s(col):
        v = df[col].to_numpy(dtype=float)
        return np.where((v >= 1) & (v <= 5), (v - 1) / 4 * 100, np.nan)

    def dim(items, weights):
        num = sum(np.nan_to_num(s(i)) * w for i, w in zip(items, weights))
        den = sum(~np.isnan(s(i)) * w for i, w in zip(items, weights))
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)

    X = np.column_stack([dim(["a1", "a2"], [1, 3]), dim(["b1"], [1]), dim(["c1", "c2"], [1, 1])])
    return X, s("ov")


def test_every_survey_with_overall_reports_drivers_on_the_respondent_scores() -> None:
    df = _responses()
    wave = compute_survey_figures(_survey(), df).waves[0]
    X, y = _scores_by_hand(df)
    expected = estimate_drivers(X, y, ["a", "b", "c"], bootstrap=200, seed=3)
    complete = int((np.isfinite(X).all(axis=1) & np.isfinite(y)).sum())
    assert wave.drivers.n == expected.n == complete
    assert wave.drivers.raw == pytest.approx(expected.raw, abs=1e-12)
    assert wave.drivers.ci.keys() == expected.ci.keys()
    for k in "abc":
        assert wave.drivers.ci[k] == pytest.approx(expected.ci[k], abs=1e-12)
    assert wave.drivers_unavailable is None
    # stated importance is unchanged by the drivers
    assert [wave.importance[d].importance for d in "abc"] == pytest.approx([0.25, 0.25, 0.5])
    assert compute_survey_figures(_survey(overall=None, importance="stated"), df).waves[0].drivers is None


def test_importance_drivers_weighs_the_index_by_the_shares() -> None:
    df = _responses()
    wave = compute_survey_figures(_survey(importance="drivers"), df).waves[0]
    shares = wave.drivers.share
    assert not wave.importance_fallback
    assert {d: f.importance for d, f in wave.importance.items()} == pytest.approx(shares, abs=1e-15)
    index = sum(shares[d] * wave.dimensions[d].score for d in "abc")
    assert wave.index.value == pytest.approx(index, abs=1e-12)
    # a segment is weighted by the wave's shares (not re-derived on the segment)
    df = df.assign(seg=np.where(np.arange(len(df)) % 3 == 0, "x", "y"))
    wave = compute_survey_figures(_survey(importance="drivers", segments=["seg"], min_cell_n=10), df).waves[0]
    for cell in wave.segments["seg"].values():
        assert cell.index == pytest.approx(sum(shares[d] * cell.dimensions[d].score for d in "abc"), abs=1e-12)


def test_too_few_complete_cases_say_why_and_fall_back_to_equal_weights() -> None:
    df = _responses(n=5)
    wave = compute_survey_figures(_survey(importance="drivers"), df).waves[0]
    assert wave.drivers is None
    assert wave.drivers_unavailable.reason == "too_few_rows"
    assert wave.drivers_unavailable.detail["required"] == 5
    assert wave.importance_fallback
    assert [f.importance for f in wave.importance.values()] == pytest.approx([1 / 3] * 3)
    doc = figures_as_json(compute_survey_figures(_survey(importance="drivers"), df))
    assert doc["waves"][0]["drivers"] is None
    assert doc["waves"][0]["drivers_unavailable"]["reason"] == "too_few_rows"


def test_json_keys_and_byte_identical_output_for_a_seed() -> None:
    df = _responses()
    one = json.dumps(figures_as_json(compute_survey_figures(_survey(), df)), sort_keys=True)
    two = json.dumps(figures_as_json(compute_survey_figures(_survey(), df)), sort_keys=True)
    assert one == two
    d = json.loads(one)["waves"][0]["drivers"]
    assert {"method", "n", "r2", "raw", "share", "ci"} <= set(d)
    assert d["method"] == "relative_weights" and list(d["raw"]) == ["a", "b", "c"]
    assert all(len(v) == 2 for v in d["ci"].values())
    off = figures_as_json(compute_survey_figures(_survey(drivers={"bootstrap": 0}), df))["waves"][0]["drivers"]
    assert off["ci"] == {} and off["raw"] == d["raw"]
