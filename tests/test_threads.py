"""Estimators running in threads leave the process as they found it.

joblib's threading backend, Dask's threaded scheduler and web services run fits and
predicts side by side in one process. Nothing process-wide may change per call: the
standard error descriptor, environment variables, the global random generators,
Keras' global settings, TensorFlow's determinism and logging levels.
"""

import logging
import os
import random
import sys
import threading

import joblib
import numpy as np
import pytest
from sklearn.model_selection import cross_val_score

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.utils._backend import BACKEND, keras

from .conftest import FAST

pytestmark = pytest.mark.backend_smoke


def _user_model(meta):
    """A user's network whose layers have no seeds of their own."""
    inputs = keras.Input(shape=(meta["n_features_in_"],))
    hidden = keras.layers.Dense(3, activation="relu")(inputs)
    outputs = keras.layers.Dense(1)(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(loss="mse", optimizer="adam")
    return model


def _fit_and_predict(kind, seed, X, y_reg, y_clf):
    if kind == "regressor":
        est = WeightTrajectoryRegressor(**FAST, random_state=seed).fit(X, y_reg)
    elif kind == "classifier":
        est = WeightTrajectoryClassifier(**FAST, random_state=seed).fit(X, y_clf)
    elif kind == "user_model":
        est = WeightTrajectoryRegressor(model=_user_model, epochs=2, random_state=seed)
        est.fit(X, y_reg)
    else:  # Keras' own input pipeline (a validation split), seeded
        est = WeightTrajectoryRegressor(**FAST, validation_split=0.2, random_state=seed)
        est.fit(X, y_reg)
    est.predict(X)
    return est


def _run_in_threads(X, y_reg, y_clf, n_threads=8, seeded_only=False):
    kinds = ["regressor", "classifier", "user_model", "keras_pipeline"]
    errors = []

    def work(index):
        try:
            # Seeded and unseeded side by side: a seeded fit must not switch on anything
            # (determinism) that makes an unseeded one fail.
            seed = index if index % 2 or seeded_only else None
            _fit_and_predict(kinds[index % len(kinds)], seed, X, y_reg, y_clf)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n_threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def _tensorflow_state():
    if BACKEND != "tensorflow":
        return None
    from tensorflow.python.eager import context
    from tensorflow.python.framework import config

    return context.global_seed(), config.is_op_determinism_enabled()


def _process_state():
    return {
        "environ": dict(os.environ),
        "python_random": random.getstate(),
        "numpy_random": np.random.get_state(legacy=False)["state"],
        "tensorflow": _tensorflow_state(),
        "keras": (
            keras.backend.floatx(),
            keras.backend.epsilon(),
            keras.backend.image_data_format(),
            keras.config.dtype_policy().name,
        ),
        "logging": {
            name: logger.level
            for name, logger in logging.root.manager.loggerDict.items()
            if isinstance(logger, logging.Logger)
        }
        | {"": logging.root.level},
        "stderr": os.fstat(2).st_ino,
    }


def _assert_same_state(before, after, generators=True):
    assert after["environ"] == before["environ"]
    if generators:
        assert after["python_random"] == before["python_random"]
        np.testing.assert_equal(after["numpy_random"], before["numpy_random"])
    assert after["tensorflow"] == before["tensorflow"]
    assert after["keras"] == before["keras"]
    # Loggers first created during the fits start at NOTSET; none that existed changed.
    changed = {
        name: level
        for name, level in after["logging"].items()
        if before["logging"].get(name, logging.NOTSET) != level
    }
    assert not changed
    assert after["stderr"] == before["stderr"]


@pytest.fixture
def data(regression_data):
    X, y_reg = regression_data
    # Classes from the same rows' features.
    y_clf = np.where(X["a"] + X["b"] > 0, "high", "low")
    return X.to_numpy(), y_reg.to_numpy(), y_clf


def test_stderr_survives_fits_in_threads(data, capfd):
    # capfd points fd 2 at a file of its own: a fit that swaps the descriptor and puts
    # back the wrong one loses the line written afterwards.
    _run_in_threads(*data)
    sys.stderr.write("written after the threads\n")
    sys.stderr.flush()
    os.write(2, b"written to fd 2 after the threads\n")
    err = capfd.readouterr().err
    assert "written after the threads" in err
    assert "written to fd 2 after the threads" in err


def test_stderr_survives_threaded_cross_validation(data, capfd):
    X, y, _ = data
    with joblib.parallel_config(backend="threading"):
        scores = cross_val_score(
            WeightTrajectoryRegressor(epochs=3, hidden_layer_sizes=(4,)), X, y, cv=4, n_jobs=4
        )
    assert np.isfinite(scores).all()
    os.write(2, b"after threaded cross-validation\n")
    assert "after threaded cross-validation" in capfd.readouterr().err


def test_fits_in_threads_leave_process_state_unchanged(data):
    # Warm up first: the first fit of a process creates loggers and caches.
    _fit_and_predict("user_model", 0, *data)
    before = _process_state()
    _run_in_threads(*data, seeded_only=True)
    _assert_same_state(before, _process_state())
    # Unseeded fits draw from the global generators, as any unseeded scikit-learn
    # estimator does (Keras' initializers without a seed), and change nothing else.
    before = _process_state()
    _run_in_threads(*data)
    _assert_same_state(before, _process_state(), generators=False)


def test_fit_in_thread_leaves_other_threads_draws_alone(data):
    # The built-in network on TensorFlow seeds nothing global: a user's thread drawing
    # from NumPy's and Python's generators while seeded fits run gets its own sequence.
    if BACKEND != "tensorflow":
        pytest.skip(
            "off TensorFlow, Keras shuffles with NumPy's global generator, which a seeded "
            "fit seeds (under a lock, restored after)"
        )
    X, y, _ = data
    stop = threading.Event()

    def fits():
        while not stop.is_set():
            WeightTrajectoryRegressor(**FAST, random_state=1).fit(X, y)

    thread = threading.Thread(target=fits)
    np.random.seed(123)
    random.seed(123)
    thread.start()
    try:
        drawn = []
        for _ in range(200):
            drawn.append((np.random.random_sample(), random.random()))
            threading.Event().wait(0.005)  # let the fits run between draws
    finally:
        stop.set()
        thread.join()
    np.random.seed(123)
    random.seed(123)
    assert drawn == [(np.random.random_sample(), random.random()) for _ in range(200)]


def test_seeded_fits_in_threads_equal_sequential_fits(data):
    X, y, _ = data
    expected = [
        WeightTrajectoryRegressor(**FAST, random_state=seed).fit(X, y).weight_history_
        for seed in range(4)
    ]
    got = [None] * 4

    def work(seed):
        got[seed] = WeightTrajectoryRegressor(**FAST, random_state=seed).fit(X, y).weight_history_

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for a, b in zip(expected, got, strict=True):
        np.testing.assert_array_equal(a, b)


def test_seeded_fit_then_unseeded_cross_validation(data):
    # scikeras' own seeding switched TensorFlow's op determinism on for good, after which
    # an unseeded fit failed with "Random ops require a seed".
    X, y, _ = data
    WeightTrajectoryRegressor(**FAST, random_state=0).fit(X, y)
    scores = cross_val_score(WeightTrajectoryRegressor(**FAST), X, y, cv=2)
    assert np.isfinite(scores).all()


def test_seeded_user_model_is_reproducible(data):
    X, y, _ = data
    fits = [
        WeightTrajectoryRegressor(model=_user_model, epochs=2, random_state=5).fit(X, y)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(fits[0].weight_history_, fits[1].weight_history_)
