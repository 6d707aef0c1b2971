"""The estimators' importance path, record_all_kernels and the stop on a settled ranking."""

import pickle

import numpy as np
import pytest

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.importance import ranking_settled_at
from skweightimp.utils._backend import keras

PARAMS = {"hidden_layer_sizes": (4,), "batch_size": 20, "learning_rate": 0.05, "random_state": 0}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    return X, 3 * X[:, 0] + X[:, 1]


@pytest.fixture(scope="module")
def fitted(data):
    return WeightTrajectoryRegressor(**PARAMS, epochs=5, record_all_kernels=True).fit(*data)


@pytest.mark.parametrize("method", ["weight_std", "viann", "displacement", "garson", "olden"])
def test_the_last_row_of_the_path_is_the_feature_importances(fitted, method):
    path = fitted.importance_path(method)
    assert path.shape == (5, 3) and path.index.name == "epoch"
    assert list(path.index) == [1, 2, 3, 4, 5] and list(path.columns) == ["x0", "x1", "x2"]
    fitted.set_params(importance_method=method)
    np.testing.assert_allclose(path.iloc[-1], fitted.feature_importances_, rtol=1e-6)
    np.testing.assert_allclose(path.sum(axis=1), 1.0)
    fitted.set_params(importance_method="weight_std")


def test_burn_in_applies_to_every_prefix(fitted):
    fitted.set_params(burn_in=0.4)
    try:
        path = fitted.importance_path()
        np.testing.assert_allclose(path.iloc[-1], fitted.feature_importances_, rtol=1e-6)
    finally:
        fitted.set_params(burn_in=0.0)
    assert not np.allclose(path.iloc[-1], fitted.importance_path().iloc[-1])


def test_kernels_history_holds_every_dense_kernel_and_grows_with_warm_start(data):
    est = WeightTrajectoryRegressor(**PARAMS, epochs=3, record_all_kernels=True).fit(*data)
    assert [k.shape for k in est.kernels_history_] == [(3, 3, 4), (3, 4, 1)]
    np.testing.assert_array_equal(est.kernels_history_[0], est.weight_history_)
    est.set_params(warm_start=True, epochs=2).fit(*data)
    assert [len(k) for k in est.kernels_history_] == [5, 5]
    np.testing.assert_array_equal(est.kernels_history_[0], est.weight_history_)
    est.partial_fit(*data)
    assert est.importance_path("olden").shape == (6, 3)
    with pytest.raises(ValueError, match="record_all_kernels=False"):
        est.set_params(record_all_kernels=False).fit(*data)


def test_what_the_path_needs_is_named(data):
    streaming = WeightTrajectoryRegressor(
        **PARAMS, epochs=2, store_history=False, record_all_kernels=True
    ).fit(*data)
    with pytest.raises(ValueError, match="store_history=False"):
        streaming.importance_path("weight_std")
    assert streaming.importance_path("olden").shape == (2, 3)  # needs the kernels only
    plain = WeightTrajectoryRegressor(**PARAMS, epochs=2, record_every=1).fit(*data)
    with pytest.raises(ValueError, match="record_all_kernels=True"):
        plain.importance_path("olden")
    with pytest.raises(ValueError, match="'method' parameter of .*importance_path must be"):
        plain.importance_path("permutation")
    assert plain.importance_path().index.name == "snapshot"
    assert plain.kernels_history_ is None and plain.stopped_epoch_ is None


def test_record_all_kernels_refuses_a_model_that_is_no_dense_stack(data):
    def build():
        inputs = keras.Input((3,))
        hidden = keras.layers.Dense(4)(inputs)
        hidden = keras.layers.BatchNormalization()(hidden)
        model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
        model.compile(optimizer="adam", loss="mse")
        return model

    est = WeightTrajectoryRegressor(build, epochs=1, record_all_kernels=True)
    with pytest.raises(ValueError, match="record_all_kernels=True cannot record this model"):
        est.fit(*data)
    assert not hasattr(est, "model_")


@pytest.mark.parametrize("method", ["weight_std", "olden"])
def test_training_stops_where_the_path_says_the_ranking_settled(data, method):
    est = WeightTrajectoryRegressor(
        **PARAMS, epochs=60, importance_method=method, stop_when_ranking_stable=3
    ).fit(*data)
    n = est.stopped_epoch_
    assert n is not None and n < 60
    assert n == len(est.history_["loss"]) == len(est.weight_history_)
    if method == "weight_std":
        assert ranking_settled_at(est.importance_path(), top_k=5) == n - 3


def test_min_epochs_and_no_rule_run_to_the_end(data):
    est = WeightTrajectoryRegressor(
        **PARAMS, epochs=6, stop_when_ranking_stable=1, ranking_min_epochs=10
    ).fit(*data)
    assert est.stopped_epoch_ is None and len(est.weight_history_) == 6


def test_warm_start_and_partial_fit_continue_the_rule(data):
    X, y = data
    est = WeightTrajectoryClassifier(
        **PARAMS, epochs=4, stop_when_ranking_stable=50, ranking_top_k=1
    ).fit(X, y > 0)
    assert est.stopped_epoch_ is None
    est.set_params(warm_start=True, epochs=80, stop_when_ranking_stable=3).fit(X, y > 0)
    # Counted from the network's first epoch, as the path is.
    assert est.stopped_epoch_ == len(est.weight_history_) > 4
    for _ in range(5):  # the rule still holds: every further epoch stops at once
        est.partial_fit(X, y > 0)
        assert est.stopped_epoch_ == len(est.weight_history_)
    path = est.importance_path()
    assert ranking_settled_at(path, top_k=1) <= len(path) - 3 - 5
    # It survives pickling and goes on counting.
    est = pickle.loads(pickle.dumps(est))
    est.partial_fit(X, y > 0)
    assert est.stopped_epoch_ == len(est.weight_history_) == len(path) + 1


def test_partial_fit_one_epoch_at_a_time_until_the_ranking_settles(data):
    est = WeightTrajectoryRegressor(**PARAMS, stop_when_ranking_stable=3)
    for _ in range(60):
        est.partial_fit(*data)
        if est.stopped_epoch_ is not None:
            break
    calls = len(est.history_["loss"])
    assert est.stopped_epoch_ == calls == len(est.weight_history_) < 60
    assert ranking_settled_at(est.importance_path(), top_k=5) == calls - 3


@pytest.mark.backend_smoke
def test_it_combines_with_keras_early_stopping(data):
    never_better = keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=1e9)
    est = WeightTrajectoryRegressor(
        **PARAMS, epochs=60, callbacks=[never_better], stop_when_ranking_stable=50
    ).fit(*data)
    assert len(est.weight_history_) == 2 and est.stopped_epoch_ is None  # Keras stopped it
    patient = keras.callbacks.EarlyStopping(monitor="loss", patience=1000)
    est.set_params(callbacks=[patient], stop_when_ranking_stable=3).fit(*data)
    assert est.stopped_epoch_ == len(est.weight_history_) < 60  # the ranking stopped it


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"stop_when_ranking_stable": 3, "burn_in": 0.2}, "burn_in"),
        ({"stop_when_ranking_stable": 0}, "stop_when_ranking_stable"),
        ({"stop_when_ranking_stable": True}, "stop_when_ranking_stable"),
        ({"ranking_top_k": 0}, "ranking_top_k"),
        ({"ranking_min_epochs": -1}, "ranking_min_epochs"),
        ({"record_all_kernels": "yes"}, "record_all_kernels"),
    ],
)
def test_bad_parameters_are_named_before_training(data, params, message):
    est = WeightTrajectoryRegressor(**PARAMS, epochs=1, **params)
    with pytest.raises(ValueError, match=message):
        est.fit(*data)
    assert not hasattr(est, "model_")
