"""The structural model assessed (:mod:`qmdoc.compute.pls_assessment`).

References, each independent of the module:

* seminr's published regression fixtures for the ECSI mobile-phone model
  (Image, Expectation, Value -> Satisfaction, Mode A, path scheme): alpha,
  rho_C, AVE, rho_A, HTMT, Fornell-Larcker table, R², adjusted R², item and
  antecedent VIFs, f². Every one of them (ours too) is a function of the items'
  correlation matrix, so the data here are generated to have exactly the mobi
  data's correlation matrix (kept below) rather than copying the data;
* hand formulas on small simulated data: loops over item pairs, statsmodels
  OLS on the latent variable scores, total effects by enumerating chains;
* the bootstrap against a plain loop calling ``estimate_pls`` on each resample
  of the same index matrix, signs aligned in the loop.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from qmdoc.compute.pls import estimate_pls
from qmdoc.compute.pls_assessment import assess_pls
from qmdoc.compute.survey import compute_survey_figures, figures_as_json
from qmdoc.models import Survey

MOBI_BLOCKS = {
    "Image": [f"IMAG{i}" for i in range(1, 6)],
    "Expectation": [f"CUEX{i}" for i in range(1, 4)],
    "Value": ["PERV1", "PERV2"],
    "Satisfaction": [f"CUSA{i}" for i in range(1, 4)],
}
MOBI_PATHS = [("Image", "Satisfaction"), ("Expectation", "Satisfaction"), ("Value", "Satisfaction")]
# Lower triangle of the correlation matrix of these 13 items in the mobi data (250 respondents),
# in the order of MOBI_BLOCKS.
MOBI_CORR = [
    [0.38951040200593073],
    [0.2625910526601243, 0.13054095298307208],
    [0.4450076508002939, 0.29768749502838787, 0.4138990248782337],
    [0.4291353473586492, 0.29538409662700293, 0.3370885592745599, 0.4270861454232346],
    [0.24210176014827456, 0.2860433500551571, 0.21968501002836685, 0.22285560251192557, 0.2573888106947784],
    [0.27657585579601895, 0.20348158868788083, 0.24910104101744404, 0.30384912054975743, 0.364017659596456, 0.3258033801213698],
    [0.2091395113715134, 0.301443962542214, 0.11748101465892695, 0.24750301043809692, 0.12044250655718798, 0.21376287591493273, 0.1071807023055851],
    [0.3452149277285635, 0.22084831316170903, 0.27523861758355816, 0.34265252449359684, 0.1874015512184439, 0.2647074401019824, 0.13570037349071437, 0.2435871427343766],
    [0.3826682770017782, 0.2795346411584217, 0.34215158297714715, 0.5164493247770411, 0.300345879736956, 0.2771213889323534, 0.18989038093589414, 0.2611207393528163, 0.7001482230869206],
    [0.45177292964866955, 0.4058171565194366, 0.21872153171782016, 0.43971600222447227, 0.44274778602103565, 0.3246616306976936, 0.36970817182572996, 0.3317124267077787, 0.32872792041660037, 0.4200769976196987],
    [0.38077044127956555, 0.2710728313635886, 0.320365380675749, 0.43382486773328216, 0.3874073376882913, 0.29942242380891204, 0.2702809628540305, 0.25471633231448343, 0.38660662042573324, 0.507129675631188, 0.5392009267364697],
    [0.5279486028921971, 0.3669913082136376, 0.2870652233690699, 0.4912067715120106, 0.45076454996562615, 0.3064156447856791, 0.27949395159815665, 0.22136646015626346, 0.48713563279109373, 0.6046577123629514, 0.4899523129253816, 0.5923568336854773],
]
# seminr 2.x test fixtures (tests/fixtures/V_3_6_0: reliability, htmt, fl_table, rsquared1,
# vifs/flat_item_vifs1, vifs/flat_vif_antecedents1, fsquared1)
SEMINR_RELIABILITY = {  # alpha, rhoC, AVE, rhoA
    "Image": (0.722834595427083, 0.818325774056256, 0.477979834838268, 0.745291554480322),
    "Expectation": (0.451902555978063, 0.733177801505283, 0.480507046633952, 0.461657986928213),
    "Value": (0.823631979352573, 0.917897281748515, 0.84831067540365, 0.857527048393235),
    "Satisfaction": (0.779195021918597, 0.871457927643628, 0.693363990925202, 0.784023593590752),
}
SEMINR_HTMT = {
    ("Image", "Expectation"): 0.88803042750925, ("Image", "Value"): 0.651659392487802,
    ("Image", "Satisfaction"): 0.910100923782741, ("Expectation", "Value"): 0.588628982316289,
    ("Expectation", "Satisfaction"): 0.865108193553153, ("Value", "Satisfaction"): 0.740808927759395,
}
SEMINR_FL = [  # rows and columns in block order, lower triangle
    [0.691360857178267],
    [0.505728413396833, 0.693186155829696],
    [0.510787425945094, 0.358245251153116, 0.921037825175302],
    [0.695529337198367, 0.511250543946958, 0.606306608005369, 0.832684808871402],
]
SEMINR_R2, SEMINR_R2_ADJ = 0.590603320426892, 0.585610677993074
SEMINR_ITEM_VIF = [1.46840074157899, 1.22511896724264, 1.25876515500919, 1.51040340151145, 1.40314478976676,
                   1.16077200450283, 1.12060419838461, 1.04961624016727, 1.96158254047704, 1.96158254047704,
                   1.50500417008445, 1.76197723191477, 1.64446280215093]
SEMINR_INNER_VIF = [1.6139498810707, 1.36849662441311, 1.37801850355244]
SEMINR_F2_IMAGE = 0.303554364141901  # seminr: R² excluded from the model re-estimated without the path


def data_with_correlations(corr: np.ndarray, names: list[str], n: int = 250, seed: int = 0) -> pd.DataFrame:
    """n rows whose correlation matrix is exactly ``corr`` (up to rounding)."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, len(names)))
    Q, _ = np.linalg.qr(A - A.mean(axis=0))  # orthonormal, centred columns
    X = np.sqrt(n) * Q @ np.linalg.cholesky(corr).T
    return pd.DataFrame(1.5 * X + 7, columns=names)


def mobi_like() -> pd.DataFrame:
    names = [i for b in MOBI_BLOCKS.values() for i in b]
    S = np.eye(len(names))
    for i, row in enumerate(MOBI_CORR, start=1):
        S[i, :i] = row
        S[:i, i] = row
    return data_with_correlations(S, names)


@pytest.fixture(scope="module")
def mobi():
    data = mobi_like()
    est = estimate_pls(data, MOBI_BLOCKS, MOBI_PATHS)
    return data, est, assess_pls(data, MOBI_BLOCKS, MOBI_PATHS, est, samples=0)


def test_mobi_reliability_matches_seminr(mobi) -> None:
    _, est, a = mobi
    for lv, (alpha, rho_c, ave, rho_a) in SEMINR_RELIABILITY.items():
        assert est.alpha[lv] == pytest.approx(alpha, abs=1e-9)
        assert a.rho_c[lv] == pytest.approx(rho_c, abs=1e-8)
        assert est.ave[lv] == pytest.approx(ave, abs=1e-8)
        assert a.rho_a[lv] == pytest.approx(rho_a, abs=1e-8)  # seminr stops its iteration at 1e-7


def test_mobi_discriminant_validity_matches_seminr(mobi) -> None:
    _, _, a = mobi
    assert list(a.htmt) == list(SEMINR_HTMT)  # pairs in block order
    for pair, value in SEMINR_HTMT.items():
        assert a.htmt[pair] == pytest.approx(value, abs=1e-12)
    assert a.htmt_flag == {("Image", "Expectation"): 0.85, ("Image", "Value"): None, ("Image", "Satisfaction"): 0.90,
                           ("Expectation", "Value"): None, ("Expectation", "Satisfaction"): 0.85,
                           ("Value", "Satisfaction"): None}
    lvs = list(MOBI_BLOCKS)
    for i, row in enumerate(SEMINR_FL):
        for j, value in enumerate(row):
            assert a.fornell_larcker[lvs[i]][lvs[j]] == pytest.approx(value, abs=1e-8)
            assert a.fornell_larcker[lvs[j]][lvs[i]] == pytest.approx(value, abs=1e-8)


def test_mobi_structural_figures_match_seminr(mobi) -> None:
    data, est, a = mobi
    assert est.r2["Satisfaction"] == pytest.approx(SEMINR_R2, abs=1e-8)
    assert a.r2_adjusted["Satisfaction"] == pytest.approx(SEMINR_R2_ADJ, abs=1e-8)
    items = [i for b in MOBI_BLOCKS.values() for i in b]
    assert [a.vif_outer[i] for i in items] == pytest.approx(SEMINR_ITEM_VIF, abs=1e-9)
    assert [a.vif_inner[p] for p in MOBI_PATHS] == pytest.approx(SEMINR_INNER_VIF, abs=1e-8)
    # seminr's f² re-estimates the model without the path; ours (cSEM's, SmartPLS's) keeps the scores
    blocks = {lv: items for lv, items in MOBI_BLOCKS.items() if lv != "Image"}  # no path left to Image
    without = estimate_pls(data, blocks, MOBI_PATHS[1:]).r2["Satisfaction"]
    r2 = est.r2["Satisfaction"]
    assert (r2 - without) / (1 - r2) == pytest.approx(SEMINR_F2_IMAGE, abs=1e-8)
    assert a.f2[("Image", "Satisfaction")] == pytest.approx(0.3024045, abs=1e-6)


# ------------------------------------------------------------ hand formulas, small data

BLOCKS = {"a": ["a1", "a2", "a3"], "b": ["b1", "b2"], "c": ["c1", "c2", "c3"], "d": ["d1"]}
PATHS = [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("a", "d")]
SCALE = {i: (1.0, 7.0) for b in BLOCKS.values() for i in b}


def small_data(n: int = 120, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = 0.6 * a + rng.normal(scale=0.8, size=n)
    c = 0.4 * a + 0.4 * b + rng.normal(scale=0.7, size=n)
    d = 0.5 * c + 0.2 * a + rng.normal(scale=0.8, size=n)
    cols = {}
    for lv, x in zip("abcd", (a, b, c, d)):
        for k, item in enumerate(BLOCKS[lv]):
            cols[item] = np.clip(np.rint(4 + (0.9 - 0.15 * k) * x + rng.normal(scale=0.7, size=n)), 1, 7)
    return pd.DataFrame(cols)


def scores(data: pd.DataFrame, est) -> pd.DataFrame:
    z = (data - data.mean()) / data.std(ddof=0)
    return pd.DataFrame({lv: sum(est.weights[i] * z[i] for i in items) for lv, items in BLOCKS.items()})


@pytest.fixture(scope="module")
def small():
    data = small_data()
    est = estimate_pls(data, BLOCKS, PATHS, scale=SCALE)
    return data, est, assess_pls(data, BLOCKS, PATHS, est, scale=SCALE, samples=0)


def test_reliabilities_by_hand(small) -> None:
    data, est, a = small
    corr = data.corr()
    for lv, items in BLOCKS.items():
        lam = [est.loadings[i] for i in items]
        assert a.rho_c[lv] == pytest.approx(sum(lam) ** 2 / (sum(lam) ** 2 + sum(1 - x * x for x in lam)), abs=1e-12)
        if len(items) == 1:
            assert a.rho_a[lv] == 1.0
            continue
        w = {i: est.weights[i] for i in items}
        off = [(i, j) for i in items for j in items if i != j]
        num = sum(w[i] * corr.loc[i, j] * w[j] for i, j in off)
        den = sum(w[i] * w[i] * w[j] * w[j] for i, j in off)
        assert a.rho_a[lv] == pytest.approx(sum(v * v for v in w.values()) ** 2 * num / den, abs=1e-12)


def test_htmt_fornell_larcker_and_outer_vif_by_hand(small) -> None:
    data, est, a = small
    corr = data.corr().abs()
    lvs = list(BLOCKS)

    def mono(items):
        pairs = list(itertools.combinations(items, 2))
        return 1.0 if not pairs else sum(corr.loc[i, j] for i, j in pairs) / len(pairs)

    assert list(a.htmt) == list(itertools.combinations(lvs, 2))
    for x, y in itertools.combinations(lvs, 2):
        het = np.mean([corr.loc[i, j] for i in BLOCKS[x] for j in BLOCKS[y]])
        assert a.htmt[(x, y)] == pytest.approx(het / np.sqrt(mono(BLOCKS[x]) * mono(BLOCKS[y])), abs=1e-12)
    y_scores = scores(data, est)
    phi = y_scores.corr()
    for x in lvs:
        for y in lvs:
            expected = np.sqrt(est.ave[x]) if x == y else phi.loc[x, y]
            assert a.fornell_larcker[x][y] == pytest.approx(expected, abs=1e-12)
    for items in BLOCKS.values():
        for i in items:
            others = [j for j in items if j != i]
            r2 = sm.OLS(data[i], sm.add_constant(data[others])).fit().rsquared if others else 0.0
            assert a.vif_outer[i] == pytest.approx(1 / (1 - r2), abs=1e-10)


def test_structural_figures_by_ols_on_the_scores(small) -> None:
    data, est, a = small
    Y = scores(data, est)
    n = len(data)
    for target in ("b", "c", "d"):
        before = [s for s, t in PATHS if t == target]
        fit = sm.OLS(Y[target], sm.add_constant(Y[before])).fit()
        assert est.r2[target] == pytest.approx(fit.rsquared, abs=1e-12)
        assert a.r2_adjusted[target] == pytest.approx(fit.rsquared_adj, abs=1e-12)
        for s in before:
            rest = [x for x in before if x != s]
            r2_without = sm.OLS(Y[target], sm.add_constant(Y[rest])).fit().rsquared if rest else 0.0
            assert a.f2[(s, target)] == pytest.approx((fit.rsquared - r2_without) / (1 - fit.rsquared), abs=1e-12)
            vif = 1 / (1 - sm.OLS(Y[s], sm.add_constant(Y[rest])).fit().rsquared) if rest else 1.0
            assert a.vif_inner[(s, target)] == pytest.approx(vif, abs=1e-10)
    assert n == a.n


def chains_total(coef: dict, lvs: list[str]) -> dict:
    """Total effects by enumerating every chain of paths and summing the products of its coefficients."""
    out = {}
    for x in lvs:
        stack = [(x, 1.0)]
        while stack:
            node, product = stack.pop()
            for (s, t), v in coef.items():
                if s == node:
                    out[(x, t)] = out.get((x, t), 0.0) + product * v
                    stack.append((t, product * v))
    return out


def test_total_effects_and_ipma_by_hand(small) -> None:
    data, est, a = small
    lvs = list(BLOCKS)
    expected = chains_total(est.paths, lvs)
    assert set(a.total_effects) == set(expected)
    for key, value in expected.items():
        assert a.total_effects[key] == pytest.approx(value, abs=1e-12)
    # IPMA: LV scores in index units, unstandardized OLS paths, total effects on the target
    x100 = (data - 1.0) / 6.0 * 100
    sd = data.std(ddof=0)
    Yu = {}
    for lv, items in BLOCKS.items():
        u = np.array([est.weights[i] / sd[i] for i in items])
        Yu[lv] = x100[items].to_numpy() @ (u / u.sum())
    Yu = pd.DataFrame(Yu)
    unstd = {}
    for target in ("b", "c", "d"):
        before = [s for s, t in PATHS if t == target]
        params = sm.OLS(Yu[target], sm.add_constant(Yu[before])).fit().params
        unstd.update({(s, target): params[s] for s in before})
    totals = chains_total(unstd, lvs)
    assert a.ipma_target == "d"  # the last endogenous latent variable
    assert a.ipma_importance == pytest.approx({s: totals[(s, "d")] for s in "abc"}, abs=1e-10)
    assert a.ipma_performance == {s: est.index[s] for s in "abc"}
    assert {lv: Yu[lv].mean() for lv in lvs} == pytest.approx(est.index, abs=1e-10)
    other = assess_pls(data, BLOCKS, PATHS, est, scale=SCALE, target="c", samples=0)
    assert other.ipma_target == "c" and set(other.ipma_importance) == {"a", "b"}


# -------------------------------------------------------------------------- bootstrap


def loop_bootstrap(data, blocks, paths, est, scheme, samples, seed):
    """Plain loop: estimate_pls on each resample, block signs aligned to the estimate."""
    n = len(data)
    idx = np.random.Generator(np.random.PCG64(seed)).integers(0, n, size=(samples, n))
    lvs = list(blocks)
    draws = {"paths": [], "weights": [], "loadings": [], "total_effects": []}
    for rows in idx:
        r = estimate_pls(data.iloc[rows].reset_index(drop=True), blocks, paths, scheme=scheme)
        flip = {lv: -1.0 if sum(r.weights[i] * est.weights[i] for i in items) < 0 else 1.0
                for lv, items in blocks.items()}
        owner = {i: lv for lv, items in blocks.items() for i in items}
        coef = {(s, t): v * flip[s] * flip[t] for (s, t), v in r.paths.items()}
        draws["paths"].append([coef[p] for p in paths])
        draws["weights"].append([r.weights[i] * flip[owner[i]] for i in owner])
        draws["loadings"].append([r.loadings[i] * flip[owner[i]] for i in owner])
        total = chains_total(coef, lvs)
        draws["total_effects"].append(total)
    return {k: v for k, v in draws.items()}


@pytest.mark.parametrize("scheme", ["path", "centroid", "factorial"])
def test_bootstrap_matches_a_loop_over_the_same_resamples(scheme: str) -> None:
    data = small_data(n=80, seed=8)
    est = estimate_pls(data, BLOCKS, PATHS, scheme=scheme)
    samples, seed = 30, 4
    a = assess_pls(data, BLOCKS, PATHS, est, scheme=scheme, samples=samples, seed=seed)
    b = a.bootstrap
    assert (b.samples, b.seed, b.valid) == (samples, seed, samples)
    draws = loop_bootstrap(data, BLOCKS, PATHS, est, scheme, samples, seed)
    items = [i for it in BLOCKS.values() for i in it]
    cases = [
        (b.paths, PATHS, np.array(draws["paths"]), [est.paths[p] for p in PATHS]),
        (b.weights, items, np.array(draws["weights"]), [est.weights[i] for i in items]),
        (b.loadings, items, np.array(draws["loadings"]), [est.loadings[i] for i in items]),
        (b.total_effects, list(a.total_effects),
         np.array([[d[k] for k in a.total_effects] for d in draws["total_effects"]]), list(a.total_effects.values())),
    ]
    for got, keys, x, original in cases:
        se = x.std(axis=0, ddof=1)
        lo, hi = np.percentile(x, [2.5, 97.5], axis=0)
        for j, key in enumerate(keys):
            assert got.se[key] == pytest.approx(se[j], abs=1e-8)
            assert got.ci[key] == pytest.approx((lo[j], hi[j]), abs=1e-8)
            if se[j] < 1e-12:  # the weight of a single-item block is always 1
                assert got.t[key] is None and got.p[key] is None and key == "d1"
                continue
            t = original[j] / se[j]
            assert got.t[key] == pytest.approx(t, rel=1e-6)
            assert got.p[key] == pytest.approx(2 * stats.t.sf(abs(t), len(data) - 1), rel=1e-5, abs=1e-12)
            assert got.significant[key] is (got.p[key] < 0.05)


def test_bootstrap_is_deterministic_for_a_seed() -> None:
    data = small_data(n=60, seed=1)
    est = estimate_pls(data, BLOCKS, PATHS)
    one = assess_pls(data, BLOCKS, PATHS, est, samples=50, seed=7)
    two = assess_pls(data, BLOCKS, PATHS, est, samples=50, seed=7)
    other = assess_pls(data, BLOCKS, PATHS, est, samples=50, seed=8)
    assert one == two
    assert one.bootstrap.paths.se != other.bootstrap.paths.se
    assert assess_pls(data, BLOCKS, PATHS, est, samples=0).bootstrap is None


# ------------------------------------------------------------------ survey and JSON


def model_survey(**model) -> Survey:
    dims = [{"id": lv, "title": lv.upper(), "items": [{"id": i, "text": i} for i in items]}
            for lv, items in BLOCKS.items()]
    return Survey.model_validate(dict(
        id="m", title="t", scale={"min": 1, "max": 7}, respondent="rid", wave="wave", dimensions=dims,
        model={"paths": [list(p) for p in PATHS], "bootstrap": {"samples": 40, "seed": 2}, **model},
    ))


def test_json_keys_of_the_assessed_model_and_byte_identical_output() -> None:
    data = small_data()
    frame = data.assign(wave="2025", rid=np.arange(len(data)))
    dump = [json.dumps(figures_as_json(compute_survey_figures(model_survey(), frame)))
            for _ in range(2)]
    assert dump[0] == dump[1]
    m = json.loads(dump[0])["waves"][0]["model"]
    for key in ("paths", "r2", "weights", "loadings", "ave", "alpha", "index", "iterations", "converged",
                "paths_se", "paths_ci", "paths_p", "total_effects", "rho_c", "rho_a", "htmt", "fornell_larcker",
                "f2", "vif_inner", "ipma"):
        assert key in m
    assert list(m["paths_se"]) == list(m["paths"]) == [f"{s}->{t}" for s, t in PATHS]
    assert list(m["htmt"]) == ["a|b", "a|c", "a|d", "b|c", "b|d", "c|d"]
    assert all(len(v) == 2 for v in m["paths_ci"].values())
    assert m["total_effects"]["a->d"] == pytest.approx(
        m["paths"]["a->d"] + m["paths"]["a->c"] * m["paths"]["c->d"]
        + m["paths"]["a->b"] * m["paths"]["b->c"] * m["paths"]["c->d"], abs=1e-12)
    assert m["ipma"]["target"] == "d" and list(m["ipma"]["importance"]) == ["a", "b", "c"]
    assert m["bootstrap"] == {"samples": 40, "seed": 2, "valid": 40}
    off = figures_as_json(compute_survey_figures(model_survey(bootstrap={"samples": 0}, target="c"), frame))
    m0 = off["waves"][0]["model"]
    assert m0["bootstrap"] is None and m0["paths_se"] is None and m0["ipma"]["target"] == "c"
