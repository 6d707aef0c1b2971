"""Many networks trained as one: each replica moves as its own separate fit would."""

import random
import re

import numpy as np
import pytest
from sklearn.base import clone

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.estimators import _replicas
from skweightimp.estimators._replicas import (
    fit_estimator_replicas,
    fit_replicas,
    replicas_unsupported,
)
from skweightimp.utils._backend import keras, to_numpy


def _separate_fit(X, y, initial_weights, *, epochs, batch_size, learning_rate):
    model = keras.Sequential(
        [
            keras.Input((X.shape[1],)),
            keras.layers.Dense(5, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    model.set_weights(initial_weights)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mean_squared_error")
    history = []

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.model  # noqa: B018 - on JAX, attaches the latest weights
            history.append(np.array(to_numpy(model.layers[0].kernel), copy=True))

    model.fit(
        X, y, epochs=epochs, batch_size=batch_size, shuffle=False, verbose=0, callbacks=[Record()]
    )
    return np.stack(history)


@pytest.mark.backend_smoke
def test_replica_history_equals_separate_fit():
    rng = np.random.default_rng(0)
    n_replicas, n_samples, n_features = 3, 30, 4
    X = rng.normal(size=(n_replicas, n_samples, n_features)).astype(np.float32)
    # Each replica its own target: the same signal under its own permutation of the rows.
    y = np.stack([X[r, rng.permutation(n_samples), 0] - X[r, :, 1] for r in range(n_replicas)])
    result = fit_replicas(
        X,
        y,
        hidden_layer_sizes=(5,),
        activation="relu",
        epochs=3,
        batch_size=8,
        shuffle=False,
        learning_rate=0.01,
        random_state=0,
    )
    assert result.weight_history.shape == (3, n_replicas, n_features, 5)
    weights = result.model.get_weights()
    assert not np.allclose(result.initial_weights[0], result.initial_weights[1])
    for r in range(n_replicas):
        initial = result.replica_initial_weights[r]
        np.testing.assert_array_equal(initial[0], result.initial_weights[r])
        separate = _separate_fit(X[r], y[r], initial, epochs=3, batch_size=8, learning_rate=0.01)
        np.testing.assert_allclose(result.weight_history[:, r], separate, rtol=1e-4, atol=1e-5)
        assert weights[0].shape == (n_replicas, n_features, 5)


# ----------------------------------------------- replicas of the estimators themselves

ESTIMATOR_CASES = {
    # L1 and burn-in: the penalty on the stacked kernel and the scores' trimmed history.
    "regressor, L1, burn-in": (
        WeightTrajectoryRegressor,
        {"hidden_layer_sizes": (5,), "first_layer_l1": 0.01, "burn_in": 0.25},
        lambda x: x[:, 0] - x[:, 1],
    ),
    "binary, two hidden layers": (
        WeightTrajectoryClassifier,
        {"hidden_layer_sizes": (5, 3)},
        lambda x: np.where(x[:, 0] > 0, "yes", "no"),
    ),
    # kernel_l1: a penalty on every stacked kernel, summed over the replicas.
    "regressor, L1 on every kernel, two hidden layers": (
        WeightTrajectoryRegressor,
        {"hidden_layer_sizes": (5, 3), "first_layer_l1": 0.01, "kernel_l1": 0.01},
        lambda x: x[:, 0] * x[:, 1] + x[:, 2] ** 2,
    ),
    "three classes, no hidden layer, SGD": (
        WeightTrajectoryClassifier,
        {"hidden_layer_sizes": (), "optimizer": "sgd"},
        lambda x: np.digitize(x[:, 0], [-0.5, 0.5]),
    ),
}


@pytest.mark.backend_smoke
@pytest.mark.parametrize("case", ESTIMATOR_CASES, ids=str)
def test_estimator_replicas_train_as_the_estimator_does(case):
    """Each replica is the network a clone with its seed would build and, visiting the
    rows in the same order, train: same start, history and scores as the real fit."""
    cls, params, target = ESTIMATOR_CASES[case]
    est = cls(epochs=4, batch_size=16, learning_rate=0.01, shuffle=False, **params)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 64, 4))
    y = [target(x) for x in X]
    seeds = [11, 22, 33]
    records = fit_estimator_replicas(est, list(zip(X, y, strict=True)), seeds, random_state=0)
    for r, record in enumerate(records):
        # The replica's own row order (drawn from its seed); shuffle=False keeps it.
        order = np.random.default_rng([seeds[r], 1]).permutation(64)
        separate = clone(est).set_params(random_state=seeds[r]).fit(X[r][order], y[r][order])
        np.testing.assert_array_equal(record.initial_weights, separate.initial_weights_)
        np.testing.assert_allclose(
            record.weight_history, separate.weight_history_, rtol=1e-4, atol=1e-6
        )
        assert list(record.scores) == list(separate.importance_methods_)
        for method, scores in record.scores.items():
            np.testing.assert_allclose(
                scores, separate.importance_scores(method), rtol=1e-3, atol=1e-7
            )


@pytest.mark.backend_smoke
def test_replica_sample_weights_act_as_in_a_separate_fit():
    est = WeightTrajectoryRegressor(
        hidden_layer_sizes=(3,), epochs=3, batch_size=8, learning_rate=0.01, shuffle=False
    )
    rng = np.random.default_rng(1)
    X = rng.normal(size=(2, 24, 3))
    y = [x[:, 0] for x in X]
    weights = rng.uniform(0.2, 3.0, size=(2, 24))
    data = list(zip(X, y, strict=True))
    records = fit_estimator_replicas(est, data, [5, 6], sample_weight=weights)
    for r, record in enumerate(records):
        order = np.random.default_rng([[5, 6][r], 1]).permutation(24)
        separate = clone(est).set_params(random_state=[5, 6][r])
        separate.fit(X[r][order], y[r][order], sample_weight=weights[r][order])
        np.testing.assert_allclose(
            record.weight_history, separate.weight_history_, rtol=1e-4, atol=1e-6
        )
    unweighted = fit_estimator_replicas(est, list(zip(X, y, strict=True)), [5, 6])
    assert not np.allclose(unweighted[0].weight_history, records[0].weight_history)


def test_many_replicas_split_over_models_give_the_same_networks(monkeypatch):
    est = WeightTrajectoryRegressor(hidden_layer_sizes=(3,), epochs=2, batch_size=8)
    rng = np.random.default_rng(2)
    X = rng.normal(size=(5, 24, 3))
    y = [x[:, 1] for x in X]
    whole = fit_estimator_replicas(est, list(zip(X, y, strict=True)), range(5), random_state=0)
    # Room for two replicas' histories and data per model: three models of 2, 2 and 1.
    per_replica = 4 * 2 * 3 * 3 + 16 * 24 * 3
    monkeypatch.setattr(_replicas, "_MEMORY_BUDGET_BYTES", 2 * per_replica)
    assert [len(chunk) for chunk in _replicas._chunks(5, per_replica)] == [2, 2, 1]
    split = fit_estimator_replicas(est, list(zip(X, y, strict=True)), range(5), random_state=0)
    for one, other in zip(whole, split, strict=True):
        np.testing.assert_allclose(one.weight_history, other.weight_history, rtol=1e-5)


def test_records_without_history_keep_the_scores():
    est = WeightTrajectoryRegressor(hidden_layer_sizes=(3,), epochs=3, batch_size=8)
    X = np.random.default_rng(6).normal(size=(2, 16, 3))
    data = [(x, x[:, 0]) for x in X]
    kept = fit_estimator_replicas(est, data, [1, 2], random_state=0)
    light = fit_estimator_replicas(est, data, [1, 2], random_state=0, keep_history=False)
    assert kept[0].weight_history.shape == (3, 3, 3) and light[0].weight_history is None
    for method, scores in kept[1].scores.items():
        np.testing.assert_allclose(light[1].scores[method], scores, rtol=1e-6)


def test_replicas_leave_the_global_random_state_alone():
    est = WeightTrajectoryRegressor(hidden_layer_sizes=(3,), epochs=2, batch_size=8)
    X = np.random.default_rng(3).normal(size=(2, 16, 3))
    state = np.random.get_state()
    python_state = random.getstate()
    fit_estimator_replicas(est, [(x, x[:, 0]) for x in X], [1, 2], random_state=0)
    assert random.getstate() == python_state
    np.testing.assert_array_equal(np.random.get_state()[1], state[1])


class _EpochCounter(keras.callbacks.Callback):
    replica_safe = True

    def __init__(self):
        super().__init__()
        self.epochs = 0

    def on_epoch_end(self, epoch, logs=None):
        self.epochs += 1

    def __deepcopy__(self, memo):
        return self


@pytest.mark.parametrize(
    "params, reason",
    [
        ({"model": lambda: None}, "a model= of your own"),
        ({"callbacks": [keras.callbacks.EarlyStopping()]}, "callbacks= are written for one"),
        ({"optimizer__clipnorm": 1.0}, r"routed parameters \(optimizer__clipnorm\)"),
        ({"fit__epochs": 3}, r"routed parameters \(fit__epochs\)"),
        ({"loss": "mae"}, "a loss= of your own"),
        ({"optimizer": "lamb"}, "optimizer='lamb' is not one of the element-wise"),
        ({"optimizer": keras.optimizers.Adam}, "is not one of the element-wise"),
        ({"validation_split": 0.2}, "validation_split=0.2 holds rows out"),
        ({"record_every": 2}, "records more than once an epoch"),
        ({"record_layer": "hidden_1"}, "records a layer other than the first"),
        ({"stop_when_ranking_stable": 3}, "stops each network at its own epoch"),
    ],
)
def test_what_replicas_cannot_reproduce_is_named(params, reason):
    est = WeightTrajectoryRegressor(**params)
    assert re.search(reason, replicas_unsupported(est))
    with pytest.raises(ValueError, match="cannot be trained as replicas"):
        fit_estimator_replicas(est, [(np.zeros((4, 2)), np.zeros(4))], [0])


def test_class_weight_and_epoch_only_callbacks():
    assert "class_weight" in replicas_unsupported(
        WeightTrajectoryClassifier(class_weight="balanced")
    )
    counter = _EpochCounter()
    est = WeightTrajectoryRegressor(
        hidden_layer_sizes=(3,), epochs=3, batch_size=8, callbacks=[counter]
    )
    assert replicas_unsupported(est) is None  # it only counts epochs
    X = np.random.default_rng(4).normal(size=(4, 16, 2))
    fit_estimator_replicas(est, [(x, x[:, 0]) for x in X], range(4))
    assert counter.epochs == 3  # one model trained all four networks


def test_a_replica_with_a_class_the_first_lacks_is_refused():
    X = np.random.default_rng(5).normal(size=(2, 6, 2))
    y = [np.array([0, 1, 0, 1, 0, 1]), np.array([0, 1, 2, 0, 1, 2])]
    with pytest.raises(ValueError, match="class the first replica's lack"):
        data = list(zip(X, y, strict=True))
        fit_estimator_replicas(WeightTrajectoryClassifier(epochs=1), data, [0, 1])
