"""RankingStabilityStopping on plain Keras models: what it ranks, when it stops, resuming."""

import numpy as np
import pytest

from skweightimp.callbacks import RankingStabilityStopping, WeightRecorder, find_recorded_layer
from skweightimp.importance import importance_path, ranking_path
from skweightimp.utils._backend import keras, to_numpy


def data(n=48, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)).astype("float32")
    return X, (3 * X[:, 0] + X[:, 1]).astype("float32")


def model(hidden=(4,), seed=0):
    keras.utils.set_random_seed(seed)
    layers = [keras.Input((3,))] + [keras.layers.Dense(units) for units in hidden]
    net = keras.Sequential([*layers, keras.layers.Dense(1)])
    net.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    return net


@pytest.mark.parametrize("method", ["weight_std", "viann", "displacement", "olden"])
def test_it_ranks_what_the_importance_path_says(method):
    X, y = data()
    net = model()
    recorder = WeightRecorder(find_recorded_layer(net, n_features=3))
    stopper = RankingStabilityStopping(method=method, top_k=3, patience=100)
    net.fit(X, y, epochs=4, batch_size=16, verbose=0, callbacks=[recorder, stopper])
    kernels = None
    if method == "olden":  # the final kernels only: a one-row path
        kernels = [recorder.history[-1:], to_numpy(net.layers[-1].kernel)[np.newaxis]]
    path = importance_path(
        recorder.history if kernels is None else None,
        method=method,
        initial_weights=recorder.initial_weights,
        kernels_history=kernels,
    )
    np.testing.assert_array_equal(stopper.ranks, ranking_path(path).iloc[-1].to_numpy())
    assert stopper.epochs_seen == 4 and stopper.stopped_epoch is None
    if method != "olden":
        assert stopper.moments.count == 4
        np.testing.assert_allclose(stopper.initial_weights, recorder.initial_weights)


def test_it_stops_once_the_ranking_held_for_patience_epochs():
    X, y = data()
    net = model()
    recorder = WeightRecorder(find_recorded_layer(net, n_features=3))
    stopper = RankingStabilityStopping(top_k=2, patience=3)
    history = net.fit(X, y, epochs=60, batch_size=16, verbose=0, callbacks=[recorder, stopper])
    n_epochs = len(history.history["loss"])
    assert n_epochs < 60 and stopper.stopped_epoch == n_epochs - 1
    ranks = ranking_path(importance_path(recorder.history)).to_numpy()
    top = np.where(ranks <= 2, ranks, 3)
    # The last patience + 1 epochs share one top-2 ranking; the epoch before differs.
    assert (top[-4:] == top[-1]).all() and not (top[-5] == top[-1]).all()
    assert stopper.stable_epochs == 3 and stopper.settled_epoch == n_epochs - 3


def test_min_epochs_delays_the_stop():
    X, y = data()
    stopper = RankingStabilityStopping(top_k=1, patience=1, min_epochs=8)
    history = model().fit(X, y, epochs=8, batch_size=16, verbose=0, callbacks=[stopper])
    assert len(history.history["loss"]) == 8
    assert stopper.stopped_epoch in (None, 7)


def test_resume_continues_without_modifying_the_earlier_callback():
    X, y = data()
    net = model()
    first = RankingStabilityStopping(patience=50)
    net.fit(X, y, epochs=3, batch_size=16, verbose=0, callbacks=[first])
    second = RankingStabilityStopping(patience=50, resume=first)
    net.fit(X, y, epochs=2, batch_size=16, verbose=0, callbacks=[second])
    assert (first.epochs_seen, first.moments.count) == (3, 3)
    assert (second.epochs_seen, second.moments.count) == (5, 5)
    assert second.resume is None  # released once read: no chain of earlier callbacks
    np.testing.assert_array_equal(second.initial_weights, first.initial_weights)
    # Without resume a second fit starts afresh, as Keras' EarlyStopping does.
    net.fit(X, y, epochs=2, batch_size=16, verbose=0, callbacks=[first])
    assert first.epochs_seen == 2


def test_garson_on_two_hidden_layers_fails_before_training():
    X, y = data()
    net = model(hidden=(4, 4))
    stopper = RankingStabilityStopping(method="garson")
    with pytest.raises(ValueError, match="exactly one hidden layer"):
        net.fit(X, y, epochs=1, verbose=0, callbacks=[stopper])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"method": "permutation"},
            ValueError,
            "'method' parameter of RankingStabilityStopping must be a str among",
        ),
        ({"top_k": 0}, ValueError, "top_k"),
        ({"patience": True}, ValueError, "patience"),
        ({"min_epochs": -1}, ValueError, "min_epochs"),
        ({"resume": "previous"}, TypeError, "resume"),
    ],
)
def test_bad_parameters_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        RankingStabilityStopping(**kwargs)
