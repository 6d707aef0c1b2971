"""The importance path equals the importance of every prefix of the history, computed directly."""

import numpy as np
import pandas as pd
import pytest

from skweightimp.importance import _path as path_module
from skweightimp.importance import (
    discard_burn_in,
    displacement,
    garson,
    grouped_weight_std,
    importance_path,
    normalize_importances,
    olden,
    ranking_path,
    ranking_settled_at,
    viann,
)


def random_walk(n_snapshots=9, n_features=4, n_units=3, seed=0):
    rng = np.random.RandomState(seed)
    scale = rng.uniform(0.01, 0.3, size=(1, n_features, 1))
    return rng.normal(scale=scale, size=(n_snapshots, n_features, n_units)).cumsum(axis=0)


def direct(history, method, t, *, initial=None, kernels=None, burn_in=0.0, ddof=1):
    prefix = history[:t]
    if burn_in:
        prefix = discard_burn_in(prefix, burn_in)
    if method == "weight_std":
        return grouped_weight_std(prefix, ddof=ddof)
    if method == "viann":
        return viann(prefix)
    if method == "displacement":
        return displacement(prefix, initial)
    layer_kernels = [stack[t - 1] for stack in kernels]
    return garson(layer_kernels) if method == "garson" else olden(layer_kernels)


@pytest.mark.parametrize("burn_in", [0.0, 0.3])
@pytest.mark.parametrize("method", ["weight_std", "viann", "displacement", "garson", "olden"])
def test_every_row_is_the_direct_importance_of_its_prefix(method, burn_in):
    history = random_walk()
    rng = np.random.RandomState(1)
    initial = rng.normal(size=history.shape[1:])
    kernels = [history, rng.normal(size=(len(history), 3, 2))]
    path = importance_path(
        history,
        method=method,
        initial_weights=initial,
        kernels_history=kernels,
        burn_in=burn_in,
        normalize=False,
    )
    assert path.shape == history.shape[:2]
    assert list(path.index) == list(range(1, len(history) + 1))
    for t in range(1, len(history) + 1):
        expected = direct(history, method, t, initial=initial, kernels=kernels, burn_in=burn_in)
        np.testing.assert_allclose(path.loc[t], expected, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("ddof", [0, 2])
def test_ddof_of_the_spread(ddof):
    history = random_walk()
    path = importance_path(history, ddof=ddof, normalize=False)
    for t in range(1, len(history) + 1):
        np.testing.assert_allclose(path.loc[t], grouped_weight_std(history[:t], ddof=ddof))
    assert (path.loc[: ddof or 1] == 0).all().all()  # too few snapshots for a spread


def test_normalized_rows_are_the_feature_importances():
    history = random_walk()
    path = importance_path(history, feature_names=list("abcd"))
    assert list(path.columns) == list("abcd")
    np.testing.assert_allclose(path.sum(axis=1), 1.0)
    np.testing.assert_allclose(path.loc[1], 0.25)  # one snapshot: no spread, uniform
    np.testing.assert_allclose(path.iloc[-1], normalize_importances(grouped_weight_std(history)))


def test_blocks_of_features_give_the_same_path(monkeypatch):
    history = random_walk(n_features=7)
    whole = importance_path(history, method="viann", burn_in=0.2)
    monkeypatch.setattr(path_module, "_CHUNK_VALUES", 2 * (len(history) + 1) * 3)
    np.testing.assert_allclose(importance_path(history, method="viann", burn_in=0.2), whole)


def test_prefix_sums_keep_precision_far_from_zero():
    # Weights far from 0 with a tiny spread: naive sums of squares would cancel.
    history = 50.0 + 1e-4 * random_walk(n_snapshots=200)
    path = importance_path(history, normalize=False)
    for t in (2, 50, 200):
        np.testing.assert_allclose(path.loc[t], grouped_weight_std(history[:t]), rtol=1e-6)


def test_ranks_and_the_settled_row():
    path = pd.DataFrame(
        [[0.5, 0.3, 0.2], [0.3, 0.5, 0.2], [0.3, 0.4, 0.3], [0.3, 0.6, 0.1], [0.2, 0.7, 0.1]],
        index=pd.RangeIndex(1, 6, name="snapshot"),
    )
    ranks = ranking_path(path)
    assert ranks.to_numpy().tolist() == [
        [1, 2, 3],
        [2, 1, 3],
        [2, 1, 2],  # a tie shares the best rank
        [2, 1, 3],
        [2, 1, 3],
    ]
    assert ranking_settled_at(path) == 4  # the tie at row 3 is a change
    assert ranking_settled_at(path, top_k=1) == 2
    assert ranking_settled_at(ranks, top_k=2, ranks=True) == 4  # the tie enters the top 2
    assert ranking_settled_at(path, top_k=10) == 4
    assert ranking_settled_at(path.iloc[:1]) == 1
    assert ranking_settled_at(path.iloc[[0, 1]]) == 2  # changed at the very end


def test_settled_row_of_a_real_path_is_stable_afterwards():
    history = random_walk(n_snapshots=40)
    path = importance_path(history)
    settled = ranking_settled_at(path, top_k=2)
    ranks = ranking_path(path).loc[settled:]
    top = np.where(ranks <= 2, ranks, 3)
    assert (top == top[0]).all()
    if settled > 1:
        before = ranking_path(path).loc[settled - 1].to_numpy()
        assert not np.array_equal(np.where(before <= 2, before, 3), top[0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "olden"}, "needs kernels_history"),
        ({"method": "displacement"}, "needs initial_weights"),
        ({"method": "displacement", "initial_weights": np.zeros((2, 2))}, "has shape"),
        ({"method": "olden", "kernels_history": [np.zeros((3, 5, 1))]}, "input rows"),
        (
            {"method": "olden", "kernels_history": [np.zeros((9, 4, 2)), np.zeros((8, 2, 1))]},
            "snapshots",
        ),
        ({"method": "typo"}, "method"),
        ({"burn_in": 1.0}, "burn_in"),
    ],
)
def test_mistakes_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        importance_path(random_walk(), **kwargs)


def test_connection_methods_need_no_first_layer_history():
    kernels = [random_walk(), np.ones((9, 3, 1))]
    path = importance_path(None, method="olden", kernels_history=kernels, normalize=False)
    np.testing.assert_allclose(path.loc[5], olden([kernels[0][4], kernels[1][4]]))
    with pytest.raises(ValueError, match="needs weight_history"):
        importance_path(None)
