"""Pairwise interactions: the NID formula, its path over training, group reduction, the
estimators' interaction_scores and interaction_path."""

import numpy as np
import pandas as pd
import pytest

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.importance import (
    aggregate_interactions,
    interaction_pairs,
    interaction_path,
    mixed_difference_interactions,
    nid_interactions,
)

from .conftest import FAST


def _nid_by_loops(kernels):
    """The formula of Tsang et al. written out unit by unit, pair by pair."""
    W1 = np.abs(kernels[0])
    z = np.abs(kernels[-1]).sum(axis=1)
    for kernel in reversed(kernels[1:-1]):
        z = np.abs(kernel) @ z
    p = W1.shape[0]
    out = np.zeros((p, p))
    for i in range(p):
        for j in range(p):
            if i != j:
                out[i, j] = sum(z[s] * min(W1[i, s], W1[j, s]) for s in range(W1.shape[1]))
    return out


@pytest.mark.parametrize("sizes", [(5, 1), (5, 4, 3), (5, 6, 4, 2)])
def test_nid_matches_the_formula_unit_by_unit(sizes):
    rng = np.random.default_rng(0)
    kernels = [rng.normal(size=(4, sizes[0]))] + [
        rng.normal(size=(a, b)) for a, b in zip(sizes, sizes[1:], strict=False)
    ]
    np.testing.assert_allclose(nid_interactions(kernels), _nid_by_loops(kernels))


def test_nid_of_a_linear_network_is_zero_and_bad_kernels_are_named():
    assert not nid_interactions([np.ones((3, 1))]).any()
    with pytest.raises(ValueError, match="do not chain"):
        nid_interactions([np.ones((3, 4)), np.ones((5, 1))])
    with pytest.raises(ValueError, match="2-d arrays"):
        nid_interactions([np.ones(3)])


def test_nid_sees_which_inputs_share_a_unit():
    # x0 and x1 feed unit 0 only; x2 and x3 feed unit 1 only: no cross pair meets.
    W1 = np.array([[1.0, 0], [2.0, 0], [0, 1.0], [0, 3.0]])
    strength = nid_interactions([W1, np.array([[1.0], [1.0]])])
    assert strength[0, 1] == 1.0 and strength[2, 3] == 1.0
    assert strength[0, 2] == strength[1, 3] == 0.0


def test_interaction_path_is_nid_at_every_snapshot():
    rng = np.random.default_rng(1)
    history = [rng.normal(size=(4, 3, 5)), rng.normal(size=(4, 5, 2))]
    path = interaction_path(history)
    for t in range(4):
        np.testing.assert_allclose(path[t], nid_interactions([h[t] for h in history]))
    with pytest.raises(ValueError, match="same snapshots"):
        interaction_path([history[0], history[1][:2]])


def test_group_reduction_follows_group_score():
    S = np.array([[0, 1, 4, 2], [1, 0, 3, 5], [4, 3, 0, 6], [2, 5, 6, 0]], dtype=float)
    members = [np.array([0]), np.array([1, 2]), np.array([3])]
    mean = aggregate_interactions(S, members)
    assert mean[0, 1] == 2.5 and mean[1, 2] == 5.5 and mean[0, 2] == 2.0
    assert aggregate_interactions(S, members, group_score="sum")[0, 1] == 5.0
    assert aggregate_interactions(S, members, group_score="rss")[1, 2] == pytest.approx(
        np.sqrt(25 + 36)
    )
    assert not np.diag(mean).any() and np.allclose(mean, mean.T)
    # A path of strengths is reduced at once.
    assert aggregate_interactions(np.stack([S, 2 * S]), members).shape == (2, 3, 3)


def test_mixed_differences_are_symmetrised_and_scaled():
    out = mixed_difference_interactions(np.array([[5.0, 1.0], [3.0, 7.0]]), [2.0, 0.5])
    np.testing.assert_allclose(out, [[0.0, 2.0], [2.0, 0.0]])
    with pytest.raises(ValueError, match="shape"):
        mixed_difference_interactions(np.ones((2, 3)), [1.0, 1.0])


@pytest.fixture(scope="module")
def product_data():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(600, 5)), columns=["a", "b", "c", "d", "e"])
    y = X["a"] * X["b"] + 0.5 * X["c"] + 0.05 * rng.normal(size=600)
    return X, y


@pytest.fixture(scope="module")
def product_fit(product_data):
    reg = WeightTrajectoryRegressor(
        hidden_layer_sizes=(16,), epochs=40, record_all_kernels=True, random_state=0
    )
    return reg.fit(*product_data)


@pytest.mark.parametrize("method", ["nid", "gradient"])
def test_the_product_is_the_strongest_pair(product_fit, product_data, method):
    scores = product_fit.interaction_scores(method, X=product_data[0])
    assert list(scores.index) == list(scores.columns) == ["a", "b", "c", "d", "e"]
    assert np.allclose(scores, scores.T) and not np.diag(scores).any()
    assert interaction_pairs(scores).index[0] == ("a", "b")


def test_interaction_path_ends_at_the_fitted_network(product_fit):
    path = product_fit.interaction_path()
    assert path.shape == (40, 10) and path.index.name == "epoch" and path.index[0] == 1
    last = interaction_pairs(product_fit.interaction_scores())
    np.testing.assert_allclose(path.iloc[-1][last.index], last.to_numpy(), rtol=1e-6)


def test_what_each_method_needs_is_named(product_data):
    reg = WeightTrajectoryRegressor(**FAST, random_state=0).fit(*product_data)
    with pytest.raises(ValueError, match="record_all_kernels=True"):
        reg.interaction_path()
    with pytest.raises(ValueError, match="pass X"):
        reg.interaction_scores("gradient")
    with pytest.raises(ValueError, match="'method' parameter"):
        reg.interaction_scores("hessian")
    with pytest.raises(ValueError, match="feature names"):
        reg.interaction_scores("gradient", X=product_data[0][["b", "a", "c", "d", "e"]])


def test_feature_groups_reduce_the_pairs(product_data):
    groups = {"ab": ["a", "b"]}
    reg = WeightTrajectoryRegressor(**FAST, feature_groups=groups, random_state=0)
    scores = reg.fit(*product_data).interaction_scores()
    assert list(scores.columns) == ["ab", "c", "d", "e"]
    ungrouped = reg.set_params(feature_groups=None).interaction_scores()
    assert scores.loc["ab", "c"] == pytest.approx(ungrouped.loc[["a", "b"], "c"].mean())


def test_the_classifier_sums_over_its_outputs(classification_data):
    X, y = classification_data
    clf = WeightTrajectoryClassifier(**FAST, random_state=0).fit(X, y)
    for method in ("nid", "gradient"):
        scores = clf.interaction_scores(method, X=X)
        assert scores.shape == (X.shape[1], X.shape[1]) and (scores.to_numpy() >= 0).all()


# --- the noise test of the pairs ----------------------------------------------------------


@pytest.fixture(scope="module")
def product_with_noise():
    rng = np.random.default_rng(1)
    X = pd.DataFrame(rng.normal(size=(400, 6)), columns=[f"v{i}" for i in range(6)])
    return X, X["v0"] * X["v1"] + 0.05 * rng.normal(size=400)


@pytest.mark.parametrize("replicas", [True, False])
def test_the_interacting_pair_is_confirmed_and_noise_pairs_are_not(product_with_noise, replicas):
    from skweightimp.inspection import interaction_significance

    est = WeightTrajectoryRegressor(hidden_layer_sizes=(16,), epochs=60, first_layer_l1=0.01)
    result = interaction_significance(
        est, *product_with_noise, n_rounds=20, random_state=0, replicas=replicas
    )
    assert result.replicas is replicas and result.n_rounds == 20
    assert len(result.decision) == 15 and result.decision.index.names == ["feature_a", "feature_b"]
    assert result.decision.index[0] == ("v0", "v1") and result.decision.iloc[0] == "confirmed"
    assert (result.scores.diff().dropna() <= 0).all()  # strongest first
    noise_pairs = [pair for pair in result.decision.index if pair != ("v0", "v1")]
    noise = result.decision[noise_pairs]
    assert (noise != "confirmed").mean() >= 0.9
    assert set(result.summary.columns) >= {"strength", "noise_units", "pvalue", "decision"}


def test_one_hot_columns_are_tested_as_one_feature():
    from sklearn.compose import make_column_transformer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from skweightimp.inspection import interaction_significance

    rng = np.random.default_rng(2)
    X = pd.DataFrame(rng.normal(size=(200, 2)), columns=["a", "b"])
    X["c"] = rng.choice(["p", "q", "r"], size=200)
    y = X["a"] * (X["c"] == "p") + X["b"]
    pipe = make_pipeline(
        make_column_transformer((StandardScaler(), ["a", "b"]), (OneHotEncoder(), ["c"])),
        WeightTrajectoryRegressor(**FAST),
    )
    with pytest.warns(UserWarning, match="no pair can be confirmed"):
        result = interaction_significance(pipe, X, y, n_rounds=3, random_state=0)
    assert {name for pair in result.decision.index for name in pair} == {"a", "b", "c"}


def test_the_importance_noise_test_carries_the_same_pair_test(product_with_noise):
    from skweightimp.inspection import importance_significance, interaction_significance

    est = WeightTrajectoryRegressor(**FAST)
    kwargs = dict(n_rounds=3, random_state=0, group_score="mean")
    with pytest.warns(UserWarning):
        features = importance_significance(est, *product_with_noise, **kwargs)
    with pytest.warns(UserWarning):
        pairs = interaction_significance(est, *product_with_noise, **kwargs)
    pd.testing.assert_frame_equal(features.interactions, pairs.summary)
    assert len(features.round_kernels) == 3
