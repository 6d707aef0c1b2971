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
    WeightMoments,
    barrage_metrics,
    discard_burn_in,
    displacement,
    garson,
    grouped_weight_std,
    importance_report,
    normalize_importances,
    olden,
    viann,
    weight_std,
)
from skweightimp.importance._methods import IMPORTANCE_METHODS

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


# 1: one weight per chunk; 200: two or three weights per chunk (windows of ~80 points).
@pytest.mark.parametrize("chunk_values", [1, 200])
def test_barrage_chunking_gives_the_same_numbers(monkeypatch, chunk_values):
    import skweightimp.importance._methods as importance

    H = np.random.RandomState(0).normal(scale=0.05, size=(30, 7, 5)).cumsum(axis=0)
    whole = barrage_metrics(H)
    monkeypatch.setattr(importance, "_BARRAGE_CHUNK_VALUES", chunk_values)
    pd.testing.assert_frame_equal(barrage_metrics(H), whole, check_exact=True)


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
    with pytest.warns(ConstantWeightsWarning, match="No recorded weight moved") as caught:
        importances = normalize_importances(grouped_weight_std(H))
    np.testing.assert_allclose(importances, np.full(4, 0.25))
    # Attributed to the caller, not to the parameter-validation wrapper around the function.
    assert caught[0].filename == __file__


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
        ({"num": 1}, r"'num' parameter of barrage_metrics must be an int in the range \[2"),
        ({"threshold": 0}, r"'threshold' parameter of barrage_metrics .* range \(0"),
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


# --- Garson and Olden: connection weights of the trained Dense stack -------------------

# 3 features, 2 hidden units, 2 outputs; output 1 ignores hidden unit 0 (V[0, 1] == 0).
W_HAND = np.array([[1.0, 2.0], [3.0, 0.0], [0.0, 2.0]])
V_HAND = np.array([[1.0, 0.0], [-2.0, 5.0]])


def test_garson_by_hand():
    # Output 0: unit 0 shares |W[:, 0]| = (1, 3, 0) -> (.25, .75, 0); unit 1 shares
    # (2, 0, 2) -> (.5, 0, .5); S = (.75, .75, .5), G_0 = S / 2 = (.375, .375, .25).
    # Output 1: unit 0 carries nothing (|V| = 0); unit 1 -> (.5, 0, .5) = G_1.
    # Mean over the outputs: (.4375, .1875, .375).
    got = garson([W_HAND, V_HAND])
    np.testing.assert_allclose(got, [0.4375, 0.1875, 0.375])
    assert got.sum() == pytest.approx(1.0)


def test_garson_ignores_signs_and_single_output_is_the_plain_formula():
    np.testing.assert_allclose(garson([-W_HAND, -V_HAND]), garson([W_HAND, V_HAND]))
    np.testing.assert_allclose(garson([W_HAND, V_HAND[:, :1]]), [0.375, 0.375, 0.25])


def test_garson_with_a_dead_network_is_all_zero():
    np.testing.assert_array_equal(garson([np.zeros((3, 2)), V_HAND]), np.zeros(3))


@pytest.mark.parametrize("n_hidden_layers", [0, 2, 3])
def test_garson_refuses_other_than_one_hidden_layer(n_hidden_layers):
    kernels = [np.ones((3, 2))] + [np.ones((2, 2))] * (n_hidden_layers - 1) + [np.ones((2, 1))]
    kernels = kernels if n_hidden_layers else [np.ones((3, 1))]
    match = f"exactly one hidden layer.*has {n_hidden_layers} hidden layer.*olden"
    with pytest.raises(ValueError, match=match):
        garson(kernels)


def test_olden_by_hand():
    # P = W V = [[1 - 4, 0 + 10], [3, 0], [0 - 4, 0 + 10]] = [[-3, 10], [3, 0], [-4, 10]]
    np.testing.assert_allclose(olden([W_HAND, V_HAND], signed=True), [7.0, 3.0, 6.0])
    np.testing.assert_allclose(olden([W_HAND, V_HAND]), [13.0, 3.0, 14.0])


def test_olden_equals_the_sum_over_every_path():
    rng = np.random.RandomState(0)
    W1, W2, W3 = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=(5, 2))
    expected = np.zeros((4, 2))
    for i in range(4):
        for j in range(3):
            for m in range(5):
                for k in range(2):
                    expected[i, k] += W1[i, j] * W2[j, m] * W3[m, k]
    np.testing.assert_allclose(olden([W1, W2, W3], signed=True), expected.sum(axis=1))
    np.testing.assert_allclose(olden([W1, W2, W3]), np.abs(expected).sum(axis=1))


def test_olden_of_a_linear_model_is_its_absolute_coefficients():
    coef = np.array([[2.0], [-3.0], [0.0]])
    np.testing.assert_array_equal(olden([coef]), [2.0, 3.0, 0.0])
    np.testing.assert_array_equal(olden([coef], signed=True), [2.0, -3.0, 0.0])


@pytest.mark.parametrize(
    "weights, match",
    [
        (np.ones((3, 2)), "non-empty list of 2-d kernels"),
        ([], "non-empty list of 2-d kernels"),
        ([np.ones(3)], r"weights\[0\] must be a non-empty 2-d kernel"),
        ([np.ones((3, 2)), np.ones((3, 1))], "must chain"),
        ([np.ones((3, 2)), np.full((2, 1), np.nan)], r"weights\[1\] contains NaN"),
    ],
)
@pytest.mark.parametrize("function", [garson, olden])
def test_bad_kernels_are_rejected(function, weights, match):
    with pytest.raises(ValueError, match=match):
        function(weights)


def test_olden_signed_must_be_a_bool():
    with pytest.raises(ValueError, match="'signed' parameter of olden must be"):
        olden([W_HAND, V_HAND], signed="yes")


# --- VIANN, displacement and burn-in -----------------------------------------------------


def reference_viann(initial, snapshots):
    """de Sa's VIANN callback, its on_train_begin / on_epoch_end / on_train_end updates."""
    n, mean_, m2 = 0, np.array(initial, dtype=np.float64), 0.0
    for current in snapshots:
        n += 1
        delta = current - mean_
        mean_ = mean_ + delta / n
        m2 = m2 + delta * (current - mean_)
    return np.sum((m2 / (n - 1)) * np.abs(snapshots[-1]), axis=1)


def test_viann_by_hand():
    H = np.zeros((4, 2, 2))
    H[:, 0, 0] = [1.0, 3.0, 1.0, 3.0]  # var 4/3, final 3 -> 4
    H[:, 0, 1] = [0.0, 0.0, 0.0, -5.0]  # var 6.25, final -5 -> 31.25
    H[:, 1, 0] = [2.0, 2.0, 2.0, 2.0]  # var 0 -> 0, however large
    H[:, 1, 1] = [0.0, 1.0, 2.0, 0.0]  # var 11/12, final 0 -> 0
    np.testing.assert_allclose(viann(H), [4.0 + 31.25, 0.0])


def test_viann_matches_the_reference_callback():
    rng = np.random.RandomState(1)
    initial = rng.normal(size=(5, 3))
    H = initial + rng.normal(scale=0.1, size=(40, 5, 3)).cumsum(axis=0)
    np.testing.assert_allclose(viann(H), reference_viann(initial, H), rtol=1e-10)


def test_displacement_by_hand_and_with_moments():
    W0 = np.array([[0.0, 1.0], [2.0, 2.0]])
    H = np.array([[[5.0, 5.0], [2.0, 2.0]], [[0.5, 0.0], [2.0, 1.0]]])
    np.testing.assert_allclose(displacement(H, W0), [1.5, 1.0])
    # Only the end point counts: the detour to 5 in between does not.
    moments = WeightMoments(W0.shape)
    for snapshot in H:
        moments.update(snapshot)
    np.testing.assert_allclose(displacement(moments, W0), [1.5, 1.0])


@pytest.mark.parametrize(
    "initial, match",
    [(np.zeros((2, 3)), r"shape \(2, 3\).*\(2, 2\)"), (np.full((2, 2), np.inf), "NaN or infinity")],
)
def test_displacement_rejects_bad_initial_weights(initial, match):
    with pytest.raises(ValueError, match=match):
        displacement(np.zeros((3, 2, 2)), initial)


def test_moment_methods_accept_a_streamed_summary():
    H = seed_like_history(5).astype(np.float64)
    moments = WeightMoments(H.shape[1:])
    for snapshot in H:
        moments.update(snapshot)
    np.testing.assert_allclose(viann(moments), viann(H), rtol=1e-9)
    np.testing.assert_allclose(grouped_weight_std(moments), grouped_weight_std(H), rtol=1e-9)


@pytest.mark.parametrize(
    "n_snapshots, burn_in, kept",
    [(10, 0.0, 10), (10, 0.5, 5), (10, 0.3, 7), (100, 0.29, 71), (10, 0.95, 2), (1, 0.5, 1)],
)
def test_discard_burn_in_keeps_the_later_snapshots(n_snapshots, burn_in, kept):
    H = np.arange(n_snapshots, dtype=float).reshape(n_snapshots, 1, 1)
    got = discard_burn_in(H, burn_in)
    assert got.shape == (kept, 1, 1)
    np.testing.assert_array_equal(got[:, 0, 0], np.arange(n_snapshots - kept, n_snapshots))


def test_burn_in_changes_what_the_std_sees():
    H = np.zeros((6, 2, 1))
    H[:, 0, 0] = [0.0, 3.0, 3.0, 3.0, 3.0, 3.0]  # one big early jump, then still
    H[:, 1, 0] = [0.0, 0.1, 0.0, 0.1, 0.0, 0.1]  # keeps wiggling
    assert np.argmax(grouped_weight_std(H)) == 0
    assert np.argmax(grouped_weight_std(discard_burn_in(H, 0.5))) == 1


@pytest.mark.parametrize("burn_in", [1.0, -0.1, True, np.nan, "half"])
def test_bad_burn_in_is_rejected(burn_in):
    with pytest.raises(ValueError, match=r"'burn_in' parameter of discard_burn_in .* \[0.0, 1.0\)"):
        discard_burn_in(np.zeros((4, 2, 2)), burn_in)


def test_burn_in_of_a_summary_is_refused():
    with pytest.raises(TypeError, match="cannot forget"):
        discard_burn_in(WeightMoments.from_history(np.zeros((4, 2, 2))), 0.5)


# --- the report's method columns ---------------------------------------------------------


def test_report_has_a_column_per_method():
    H = seed_like_history(2).astype(np.float64)
    W0 = H[0] - 0.1
    V = np.random.RandomState(0).normal(size=(4, 1))
    gradients, scale = np.array([2.0, 1.0, 0.5, 0.0]), np.array([1.0, 2.0, 1.0, 1.0])
    report = importance_report(
        H, initial_weights=W0, kernels=[H[-1], V], input_gradients=gradients, input_scale=scale
    )
    for method in IMPORTANCE_METHODS:
        assert method in report.columns
    assert report.attrs["notes"] == {}
    np.testing.assert_allclose(report["gradient"], [2.0, 2.0, 0.5, 0.0])
    np.testing.assert_allclose(report["viann"], viann(H))
    np.testing.assert_allclose(report["displacement"], displacement(H, W0))
    np.testing.assert_allclose(report["garson"], garson([H[-1], V]))
    np.testing.assert_allclose(report["olden"], olden([H[-1], V]))
    # The default method is still the grouped weight std.
    np.testing.assert_allclose(report["importance"], normalize_importances(grouped_weight_std(H)))


@pytest.mark.parametrize("method", IMPORTANCE_METHODS)
def test_report_importance_follows_the_method(method):
    H = seed_like_history(3).astype(np.float64)
    V = np.random.RandomState(1).normal(size=(4, 2))
    gradients = np.random.RandomState(2).uniform(size=4)
    report = importance_report(
        H,
        method=method,
        initial_weights=H[0] * 0.5,
        kernels=[H[-1], V],
        input_gradients=gradients,
        input_scale=np.ones(4),
    )
    np.testing.assert_allclose(report["importance"], normalize_importances(report[method]))
    assert report["importance"].sum() == pytest.approx(1.0)
    assert report.loc[report[method].idxmax(), "rank"] == 1


def test_report_marks_what_cannot_be_computed():
    H = seed_like_history(0).astype(np.float64)
    report = importance_report(H)
    assert report[["displacement", "garson", "olden", "gradient"]].isna().all().all()
    assert set(report.attrs["notes"]) == {"displacement", "garson", "olden", "gradient"}
    assert report[["importance", "weight_std", "viann"]].notna().all().all()
    two_hidden = [H[-1], np.ones((4, 3)), np.ones((3, 1))]
    report = importance_report(H, kernels=two_hidden)
    assert report["garson"].isna().all() and report["olden"].notna().all()
    assert "exactly one hidden layer; the network has 2" in report.attrs["notes"]["garson"]
    assert report.copy().attrs["notes"] == report.attrs["notes"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"method": "displacement"}, "needs initial_weights"),
        ({"method": "olden"}, "needs the trained kernels"),
        ({"method": "gradient"}, "needs input_gradients and input_scale"),
        (
            {"method": "gradient", "input_gradients": [1.0], "input_scale": [1.0]},
            "1 entries, but the weight history has 4 features",
        ),
        (
            {"method": "gradient", "input_gradients": [1.0] * 4, "input_scale": [-1.0] * 4},
            "non-negative",
        ),
        (
            {"method": "garson", "kernels": [np.ones((4, 2)), np.ones((2, 2)), np.ones((2, 1))]},
            "exactly one hidden layer",
        ),
        ({"kernels": [np.ones((3, 2)), np.ones((2, 1))]}, "3 input rows.*4 features"),
        ({"kernels": [np.ones((4, 2)), np.ones((3, 1))]}, "must chain"),
        ({"method": "shap"}, r"'method' parameter of importance_report must be a str among"),
    ],
)
def test_report_rejects_what_the_method_cannot_use(kwargs, match):
    with pytest.raises(ValueError, match=match):
        importance_report(seed_like_history(0), **kwargs)


@pytest.mark.parametrize("function", [viann, discard_burn_in, displacement])
def test_new_methods_reject_bad_histories(function):
    extra = {discard_burn_in: (0.5,), displacement: (np.zeros((2, 2)),)}.get(function, ())
    with pytest.raises(ValueError, match="NaN or infinity"):
        function(np.full((3, 2, 2), np.nan), *extra)


def _barrage_on_the_whole_grid(H, domain, num, threshold):
    """Brute force: every grid point of every weight's density, the definition itself."""
    grid = np.linspace(*domain, num)
    mu, sigma = H.mean(axis=0), H.std(axis=0, ddof=1)
    out = {"len": [], "sum": [], "max": []}
    for i in range(H.shape[1]):
        lens, sums, maxs = 0, 0.0, 0.0
        for j in range(H.shape[2]):
            if sigma[i, j] == 0:
                continue
            p = np.exp(-0.5 * ((grid - mu[i, j]) / sigma[i, j]) ** 2) / (
                np.sqrt(2 * np.pi) * sigma[i, j]
            )
            kept = p[p >= threshold]
            if len(kept) >= 2:
                lens, sums, maxs = lens + len(kept), sums + kept.sum(), maxs + kept.max()
        out["len"].append(lens)
        out["sum"].append(sums)
        out["max"].append(maxs)
    return out


@pytest.mark.parametrize("threshold", [0.05, 1.0, 7.0])
@pytest.mark.parametrize("domain", [(-2.0, 2.0), (-0.3, 0.1)])
def test_barrage_window_keeps_exactly_the_points_of_the_whole_grid(threshold, domain):
    # Spreads from tiny (tall densities) to wide (none kept), centres inside, at the edges
    # and outside the domain.
    rng = np.random.RandomState(0)
    scale = np.geomspace(1e-4, 2.0, 12)[np.newaxis, :, np.newaxis]
    centre = rng.uniform(-2.5, 2.5, size=(1, 12, 5))
    H = centre + rng.normal(size=(30, 12, 5)) * scale
    got = barrage_metrics(H, domain=domain, num=997, threshold=threshold)
    expected = _barrage_on_the_whole_grid(H, domain, 997, threshold)
    assert 0 < sum(expected["len"])  # some densities do pass the threshold
    np.testing.assert_array_equal(got["len"], expected["len"])
    np.testing.assert_allclose(got["sum"], expected["sum"], rtol=1e-12)
    np.testing.assert_allclose(got["max"], expected["max"], rtol=1e-12)
