"""The pure importance functions, checked against a faithful port of the seed notebook."""

import math
import warnings
from statistics import mean, stdev

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from skweightimp.importance import (
    ConstantWeightsWarning,
    barrage_metrics,
    grouped_weight_std,
    importance_report,
    normalize_importances,
    weight_std,
)

# --- the seed notebook's code, kept as close to the original as a test allows ----------


def seed_history(H):
    """The notebook's ``history[feature][node] -> list of weights`` layout."""
    return {
        i: {j: [float(v) for v in H[:, i, j]] for j in range(H.shape[2])} for i in range(H.shape[1])
    }


def seed_grouped_std(H):
    history = seed_history(H)
    data = {f"{i}_{j}": history[i][j] for i in history for j in history[i]}
    std_df = pd.DataFrame(data).std().to_frame()
    std_df.columns = ["Std"]
    return [
        sum(std_df["Std"].loc[f"{i}_{j}"] for j in range(H.shape[2])) for i in range(H.shape[1])
    ]


def seed_barrage(H):
    # The notebook groups by node with range(n_features), which is right only when
    # n_features == n_units; the test histories are square so the port stays literal.
    history = seed_history(H)

    def get_group_by_node(index):
        return [history[i][index] for i in list(history.keys())]

    def get_props(group):
        domain = np.linspace(-2, 2, 1000)
        means = [mean(group[0]), mean(group[1]), mean(group[2]), mean(group[3])]
        stds = [stdev(group[0]), stdev(group[1]), stdev(group[2]), stdev(group[3])]
        results = []
        for mu, std in zip(means, stds, strict=True):
            values = []
            probs = norm.pdf(domain, mu, std)
            for prob in probs:
                if math.floor(prob) != 0:
                    values.append(prob)
            results.append(values)
        return results

    def barrage(all_probs, nodes):
        res = {i: {"len": 0, "max": 0, "sum": 0, "mean": 0, "stdev": 0} for i in range(nodes)}
        for probs in all_probs:
            for i, prob in enumerate(probs):
                res[i]["len"] += len(prob)
                res[i]["max"] += max(prob)
                res[i]["sum"] += sum(prob)
                res[i]["mean"] += mean(prob)
                res[i]["stdev"] += stdev(prob)
        return res

    groups = [get_group_by_node(i) for i in range(len(history.keys()))]
    all_probs = [get_props(group) for group in groups]
    return pd.DataFrame(barrage(all_probs, 4)).T


def seed_like_history(seed, n_snapshots=60):
    """A 4x4 history like a trained layer's: weights drifting with per-feature spread."""
    rng = np.random.RandomState(seed)
    start = rng.uniform(-0.8, 0.8, size=(4, 4))
    scale = rng.uniform(0.005, 0.04, size=(4, 1))
    steps = rng.normal(size=(n_snapshots, 4, 4)) * scale
    return (start + steps.cumsum(axis=0)).astype(np.float32)


# --- agreement with the seed ----------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_grouped_weight_std_matches_seed(seed):
    H = seed_like_history(seed)
    np.testing.assert_allclose(grouped_weight_std(H), seed_grouped_std(H), rtol=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_barrage_metrics_match_seed(seed):
    H = seed_like_history(seed)
    expected = seed_barrage(H)
    got = barrage_metrics(H)
    assert list(got.columns[:5]) == ["len", "max", "sum", "mean", "stdev"]
    assert (got["n_degenerate_units"] == 0).all()
    np.testing.assert_array_equal(got["len"].to_numpy(), expected["len"].to_numpy())
    for column in ["max", "sum", "mean", "stdev"]:
        np.testing.assert_allclose(got[column].to_numpy(), expected[column].to_numpy(), rtol=1e-9)


def test_seed_port_crashes_where_library_stays_finite():
    # A constant weight (sigma == 0) and a very wide one (density < 1 everywhere) make
    # the notebook's code raise; the library must return finite numbers instead.
    H = seed_like_history(0)
    H[:, 0, 0] = 0.3
    H[:, 1, 2] = np.linspace(-50, 50, H.shape[0])
    with pytest.raises(ValueError):  # StatisticsError and math.floor(nan) are ValueErrors
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seed_barrage(H)
    got = barrage_metrics(H)
    assert np.isfinite(got.drop(columns="n_degenerate_units").to_numpy()).all()
    assert got.loc["x0", "n_degenerate_units"] == 1
    assert got.loc["x1", "n_degenerate_units"] == 1
    assert got.loc["x2", "n_degenerate_units"] == 0


def test_degenerate_unit_contributes_zero_to_every_metric():
    H = seed_like_history(3)
    healthy = barrage_metrics(H[:, :, 1:])  # units 1..3 only
    H[:, :, 0] = 0.25  # unit 0 constant for every feature
    with_degenerate = barrage_metrics(H)
    columns = ["len", "max", "sum", "mean", "stdev"]
    pd.testing.assert_frame_equal(with_degenerate[columns], healthy[columns])
    assert (with_degenerate["n_degenerate_units"] == 1).all()


def test_single_kept_grid_value_counts_as_degenerate():
    # sigma chosen so the peak density is just above 1 at exactly one grid point.
    grid = np.linspace(-2, 2, 1000)
    H = np.zeros((2, 1, 1))
    sigma = 1 / np.sqrt(2 * np.pi) * 0.999999
    H[0, 0, 0] = grid[500] - sigma / np.sqrt(2)
    H[1, 0, 0] = grid[500] + sigma / np.sqrt(2)
    density = norm.pdf(grid, H[:, 0, 0].mean(), H[:, 0, 0].std(ddof=1))
    assert (density >= 1).sum() == 1
    got = barrage_metrics(H)
    assert got.loc["x0", "n_degenerate_units"] == 1
    assert got.loc["x0", "len"] == 0


def test_barrage_parameters_change_the_result():
    H = seed_like_history(1)
    default = barrage_metrics(H)
    coarse = barrage_metrics(H, num=100)
    assert (coarse["len"] < default["len"]).all()
    stricter = barrage_metrics(H, threshold=5.0)
    assert (stricter["len"] <= default["len"]).all()
    assert (stricter["len"] < default["len"]).any()
    far = barrage_metrics(H, domain=(10.0, 12.0))
    assert (far["n_degenerate_units"] == 4).all()
    assert (far["sum"] == 0).all()


def test_barrage_chunking_gives_the_same_numbers(monkeypatch):
    import skweightimp.importance as importance

    H = np.random.RandomState(0).normal(scale=0.05, size=(30, 7, 5)).cumsum(axis=0)
    whole = barrage_metrics(H)
    monkeypatch.setattr(importance, "_BARRAGE_CHUNK_VALUES", 1)  # one feature per chunk
    pd.testing.assert_frame_equal(barrage_metrics(H), whole)


def test_barrage_uses_feature_names():
    H = seed_like_history(2)
    got = barrage_metrics(H, feature_names=["ms", "xs", "cs", "noise"])
    assert list(got.index) == ["ms", "xs", "cs", "noise"]
    assert got.index.name == "feature"


# --- grouped std and normalisation -----------------------------------------------------


def test_grouped_std_on_a_hand_made_history():
    H = np.zeros((3, 2, 2))
    H[:, 0, 0] = [0.0, 1.0, 2.0]  # std 1
    H[:, 0, 1] = [0.0, 2.0, 4.0]  # std 2
    H[:, 1, 1] = [5.0, 5.0, 5.0]  # std 0
    np.testing.assert_allclose(weight_std(H), [[1.0, 2.0], [0.0, 0.0]])
    np.testing.assert_allclose(grouped_weight_std(H), [3.0, 0.0])
    np.testing.assert_allclose(grouped_weight_std(H, ddof=0), [np.sqrt(2 / 3) * 3, 0.0])


def test_single_snapshot_has_no_spread():
    H = np.ones((1, 3, 2))
    np.testing.assert_array_equal(grouped_weight_std(H), np.zeros(3))
    frame = barrage_metrics(H)
    assert (frame["n_degenerate_units"] == 2).all()


def test_normalize_importances_sums_to_one():
    importances = normalize_importances([2.0, 6.0, 0.0, 2.0])
    np.testing.assert_allclose(importances, [0.2, 0.6, 0.0, 0.2])


def test_constant_weights_give_uniform_importances_and_warn():
    H = np.full((10, 4, 3), 0.5)
    with pytest.warns(ConstantWeightsWarning, match="No recorded weight moved"):
        importances = normalize_importances(grouped_weight_std(H))
    np.testing.assert_allclose(importances, np.full(4, 0.25))


@pytest.mark.parametrize(
    "scores, match",
    [([], "non-empty"), ([[1.0]], "1-d"), ([1.0, -1.0], "non-negative"), ([np.nan], "finite")],
)
def test_normalize_importances_rejects_bad_scores(scores, match):
    with pytest.raises(ValueError, match=match):
        normalize_importances(scores)


# --- the report ------------------------------------------------------------------------


def test_importance_report_columns_and_consistency():
    H = seed_like_history(4)
    report = importance_report(H, feature_names=["ms", "xs", "cs", "noise"])
    for column in [
        "importance",
        "rank",
        "weight_std",
        "len",
        "max",
        "sum",
        "mean",
        "stdev",
        "n_degenerate_units",
        "final_mean_weight",
        "final_abs_weight",
        "net_change",
    ]:
        assert column in report.columns
    assert report["importance"].sum() == pytest.approx(1.0)
    np.testing.assert_allclose(report["weight_std"], grouped_weight_std(H))
    best = report["importance"].idxmax()
    assert report.loc[best, "rank"] == 1
    assert sorted(report["rank"]) == [1, 2, 3, 4]
    np.testing.assert_allclose(report["final_abs_weight"], np.abs(H[-1].astype(float)).sum(axis=1))
    np.testing.assert_allclose(report["final_mean_weight"], H[-1].astype(float).mean(axis=1))
    np.testing.assert_allclose(report["net_change"], np.abs(H[-1] - H[0].astype(float)).sum(axis=1))


def test_ties_share_the_best_rank():
    H = np.zeros((3, 3, 1))
    H[:, 0, 0] = H[:, 1, 0] = [0.0, 1.0, 2.0]
    report = importance_report(H)
    assert list(report["rank"]) == [1, 1, 3]


# --- input checks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "history, match",
    [
        (np.zeros((3, 4)), "3-d array"),
        (np.zeros((0, 4, 2)), "must not be empty"),
        (np.full((3, 2, 2), np.nan), "NaN or infinity"),
        (np.full((3, 2, 2), np.inf), "NaN or infinity"),
    ],
)
@pytest.mark.parametrize("function", [grouped_weight_std, barrage_metrics, importance_report])
def test_bad_histories_are_rejected(function, history, match):
    with pytest.raises(ValueError, match=match):
        function(history)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"domain": (1.0, -1.0)}, "low < high"),
        ({"domain": "wide"}, "pair of numbers"),
        ({"num": 1}, "num must be an integer >= 2"),
        ({"threshold": 0}, "positive"),
        ({"feature_names": ["a"]}, "1 names"),
    ],
)
def test_bad_barrage_parameters_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        barrage_metrics(seed_like_history(0), **kwargs)


def test_bad_ddof_is_rejected():
    with pytest.raises(ValueError, match="ddof"):
        grouped_weight_std(seed_like_history(0), ddof=-1)


def test_importance_module_does_not_import_keras():
    import subprocess
    import sys

    code = (
        "import sys, skweightimp.importance, skweightimp.datasets, skweightimp.metrics;"
        "bad = [m for m in ('keras', 'tensorflow', 'scikeras', 'matplotlib.pyplot')"
        " if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
