"""Behaviour of the two estimators: recording, importances, seeds, models, persistence."""

import pickle
import subprocess
import sys

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import cross_val_score

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.importance import grouped_weight_std, importance_report, normalize_importances
from skweightimp.utils._backend import keras

from .conftest import FAST


@pytest.mark.backend_smoke
def test_fitted_attributes(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**{**FAST, "epochs": 5}, random_state=0).fit(X, y)
    assert reg.weight_history_.shape == (5, 4, 4)
    assert reg.initial_weights_.shape == (4, 4)
    assert reg.n_features_in_ == 4
    assert list(reg.feature_names_in_) == ["a", "b", "c", "d"]
    assert reg.recorded_layer_ == "hidden_1"
    imp = reg.feature_importances_
    assert imp.shape == (4,) and (imp >= 0).all() and imp.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(imp, normalize_importances(grouped_weight_std(reg.weight_history_)))
    report = reg.importance_report_
    assert list(report.index) == ["a", "b", "c", "d"]
    kernels = [reg.model_.get_layer(name).kernel.numpy() for name in ("hidden_1", "output")]
    expected = importance_report(
        reg.weight_history_,
        feature_names=list("abcd"),
        initial_weights=reg.initial_weights_,
        kernels=kernels,
        input_gradients=reg.input_gradients_,
        input_scale=reg.input_scale_,
    )
    pd.testing.assert_frame_equal(report, expected)
    assert report.attrs["notes"] == {}


@pytest.mark.backend_smoke
def test_history_is_the_kernel_after_each_epoch(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, random_state=0).fit(X, y)
    np.testing.assert_array_equal(
        reg.weight_history_[-1], reg.model_.get_layer("hidden_1").kernel.numpy()
    )
    assert not np.array_equal(reg.weight_history_[0], reg.initial_weights_)
    assert not np.array_equal(reg.weight_history_[0], reg.weight_history_[1])


def test_numpy_input_gets_generic_feature_names(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, random_state=0).fit(X.to_numpy(), y.to_numpy())
    assert not hasattr(reg, "feature_names_in_")
    assert list(reg.importance_report_.index) == ["x0", "x1", "x2", "x3"]


def test_regressor_predicts_float64_also_for_float32_input(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, random_state=0).fit(X.to_numpy(np.float32), y)
    for data in (X.to_numpy(np.float64), X.to_numpy(np.float32), X.to_numpy().astype(int)):
        pred = reg.predict(data)
        assert pred.dtype == np.float64 and pred.shape == (len(X),)


def test_multioutput_regression(regression_data):
    X, y = regression_data
    Y = np.column_stack([y, -y])
    reg = WeightTrajectoryRegressor(**FAST, random_state=0).fit(X, Y)
    assert reg.predict(X).shape == (len(X), 2)
    assert reg.model_.get_layer("output").units == 2


@pytest.mark.backend_smoke
def test_classifier_binary_and_multiclass(classification_data, binary_data):
    X, y = classification_data
    clf = WeightTrajectoryClassifier(**FAST, random_state=0).fit(X, y)
    assert list(clf.classes_) == ["high", "low", "mid"]
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert set(clf.predict(X)) <= set(clf.classes_)
    assert clf.model_.get_layer("output").activation.__name__ == "softmax"

    Xb, yb = binary_data
    clf = WeightTrajectoryClassifier(**FAST, random_state=0).fit(Xb, yb)
    assert list(clf.classes_) == [0, 1]
    assert clf.predict_proba(Xb).shape == (len(Xb), 2)
    assert clf.model_.get_layer("output").units == 1
    assert clf.feature_importances_.shape == (4,)


@pytest.mark.backend_smoke
def test_classifier_learns(classification_data):
    X, y = classification_data
    clf = WeightTrajectoryClassifier(
        hidden_layer_sizes=(16,), epochs=60, learning_rate=0.01, random_state=0
    ).fit(X, y)
    assert clf.score(X, y) > 0.8
    # a and b drive the classes; c and d are noise.
    top_two = set(clf.importance_report_.sort_values("rank").index[:2])
    assert top_two == {"a", "b"}


@pytest.mark.backend_smoke
def test_regressor_finds_informative_features(regression_data):
    X, y = regression_data
    # Olden's method: on this problem it found {a, b} for each of 5 seeds on TensorFlow and
    # on JAX, while the default weight std missed once per backend (see docs/accuracy.rst).
    reg = WeightTrajectoryRegressor(
        hidden_layer_sizes=(8,),
        epochs=60,
        learning_rate=0.01,
        importance_method="olden",
        random_state=0,
    ).fit(X, y)
    assert reg.score(X, y) > 0.9
    top_two = set(reg.importance_report_.sort_values("rank").index[:2])
    assert top_two == {"a", "b"}


def test_class_weight_is_used(binary_data):
    X, y = binary_data
    plain = WeightTrajectoryClassifier(**FAST, random_state=0).fit(X, y)
    weighted = WeightTrajectoryClassifier(**FAST, random_state=0, class_weight="balanced").fit(X, y)
    assert not np.allclose(plain.weight_history_, weighted.weight_history_)
    sw = np.ones(len(y))
    weighted.fit(X, y, sample_weight=sw)
    np.testing.assert_array_equal(sw, np.ones(len(y)))  # the caller's array is not modified


# --- seeds ------------------------------------------------------------------------------


@pytest.mark.backend_smoke
def test_same_integer_seed_reproduces_history_and_predictions(regression_data):
    X, y = regression_data
    first = WeightTrajectoryRegressor(**FAST, random_state=7).fit(X, y)
    second = WeightTrajectoryRegressor(**FAST, random_state=7).fit(X, y)
    np.testing.assert_array_equal(first.weight_history_, second.weight_history_)
    np.testing.assert_array_equal(first.predict(X), second.predict(X))
    third = WeightTrajectoryRegressor(**FAST, random_state=8).fit(X, y)
    assert not np.array_equal(first.weight_history_, third.weight_history_)


def test_random_state_instances_give_different_seeds(regression_data):
    X, y = regression_data
    histories = [
        WeightTrajectoryRegressor(**FAST, random_state=np.random.RandomState(k))
        .fit(X, y)
        .weight_history_
        for k in (0, 1)
    ]
    assert not np.array_equal(*histories)
    rng = np.random.RandomState(0)
    reg = WeightTrajectoryRegressor(**FAST, random_state=rng)
    again = [reg.fit(X, y).weight_history_.copy() for _ in range(2)]
    assert not np.array_equal(*again)  # an instance advances, as in scikit-learn


@pytest.mark.backend_smoke
def test_seeded_fit_then_unseeded_cross_validation(regression_data):
    X, y = regression_data
    WeightTrajectoryRegressor(**FAST, random_state=0).fit(X, y)
    scores = cross_val_score(WeightTrajectoryRegressor(**FAST), X, y, cv=2)
    assert np.isfinite(scores).all()
    unseeded = [WeightTrajectoryRegressor(**FAST).fit(X, y).weight_history_ for _ in range(2)]
    assert not np.array_equal(*unseeded)


# --- warm start and partial_fit ----------------------------------------------------------


@pytest.mark.backend_smoke
def test_warm_start_appends_to_history(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, warm_start=True, random_state=0).fit(X, y)
    first = reg.weight_history_.copy()
    model = reg.model_
    reg.fit(X, y)
    assert reg.model_ is model
    assert reg.weight_history_.shape[0] == 2 * FAST["epochs"]
    np.testing.assert_array_equal(reg.weight_history_[: FAST["epochs"]], first)


def test_cold_fit_replaces_history(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, random_state=0).fit(X, y)
    reg.fit(X, y)
    assert reg.weight_history_.shape[0] == FAST["epochs"]


@pytest.mark.backend_smoke
def test_partial_fit_appends_one_snapshot_per_call(regression_data, classification_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, random_state=0)
    for calls in range(1, 4):
        reg.partial_fit(X, y)
        assert reg.weight_history_.shape == (calls, 4, 4)
    assert reg.feature_importances_.sum() == pytest.approx(1.0)

    Xc, yc = classification_data
    clf = WeightTrajectoryClassifier(**FAST, random_state=0)
    clf.partial_fit(Xc[:20], yc[:20], classes=np.array(["high", "low", "mid"]))
    clf.partial_fit(Xc[20:], yc[20:])
    assert clf.weight_history_.shape[0] == 2
    assert list(clf.classes_) == ["high", "low", "mid"]


# --- parameters ---------------------------------------------------------------------------


def test_builtin_network_follows_parameters(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(
        hidden_layer_sizes=(6, 3), activation="tanh", learning_rate=0.05, epochs=2, random_state=0
    ).fit(X, y)
    dense = [layer for layer in reg.model_.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.units for layer in dense] == [6, 3, 1]
    assert dense[0].activation.__name__ == "tanh"
    assert float(reg.model_.optimizer.learning_rate) == pytest.approx(0.05)
    assert reg.weight_history_.shape == (2, 4, 6)


def test_routed_learning_rate_takes_precedence(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(
        **FAST, learning_rate=0.05, optimizer__learning_rate=0.2, random_state=0
    ).fit(X, y)
    assert float(reg.model_.optimizer.learning_rate) == pytest.approx(0.2)
    assert reg.get_params()["optimizer__learning_rate"] == 0.2
    sgd = WeightTrajectoryRegressor(**FAST, optimizer="sgd", optimizer__momentum=0.5).fit(X, y)
    assert type(sgd.model_.optimizer).__name__ == "SGD"
    assert float(sgd.model_.optimizer.momentum) == pytest.approx(0.5)


def test_no_hidden_layer_records_the_output_layer(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(hidden_layer_sizes=(), epochs=3, random_state=0).fit(X, y)
    assert reg.recorded_layer_ == "output"
    assert reg.weight_history_.shape == (3, 4, 1)


def test_user_callbacks_still_run(regression_data):
    X, y = regression_data

    class Counter(keras.callbacks.Callback):
        epochs = 0

        def on_epoch_end(self, epoch, logs=None):
            Counter.epochs += 1

    WeightTrajectoryRegressor(**FAST, callbacks=[Counter()]).fit(X, y)
    assert Counter.epochs == FAST["epochs"]


def test_early_stopping_gives_a_shorter_history(regression_data):
    X, y = regression_data
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=1e9)
    reg = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=50, callbacks=[stop]).fit(X, y)
    assert reg.weight_history_.shape[0] < 50
    assert reg.weight_history_.shape[0] == len(reg.history_["loss"])


# --- user models --------------------------------------------------------------------------


def sequential_model(meta):
    model = keras.Sequential(
        [
            keras.Input(shape=(meta["n_features_in_"],)),
            keras.layers.Dense(5, activation="relu", name="first"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def functional_model(meta, compile_kwargs, units=3):
    inputs = keras.Input(shape=(meta["n_features_in_"],))
    x = keras.layers.Dropout(0.1)(inputs)  # no weights: the Dense after it is first
    x = keras.layers.Dense(units, name="entry")(x)
    x = keras.layers.Dense(2, name="middle")(x)
    outputs = keras.layers.Dense(1)(x)
    model = keras.Model(inputs, outputs)
    model.compile(**compile_kwargs)
    return model


def test_user_sequential_model(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(model=sequential_model, epochs=3, random_state=0).fit(X, y)
    assert reg.recorded_layer_ == "first"
    assert reg.weight_history_.shape == (3, 4, 5)


@pytest.mark.backend_smoke
def test_user_functional_model_with_routed_parameter_and_named_layer(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(
        model=functional_model, model__units=6, epochs=2, random_state=0
    )
    reg.fit(X, y)
    assert reg.recorded_layer_ == "entry"
    assert reg.weight_history_.shape == (2, 4, 6)
    # An uncompiled-by-us default loss still applies to a model compiled with our kwargs.
    assert reg.model_.loss == "mean_squared_error"


def test_user_model_without_leading_dense_layer_is_refused(regression_data):
    X, y = regression_data

    def conv_first(meta):
        inputs = keras.Input(shape=(meta["n_features_in_"],))
        x = keras.layers.Reshape((meta["n_features_in_"], 1))(inputs)
        x = keras.layers.Conv1D(2, 2)(x)
        outputs = keras.layers.Dense(1)(keras.layers.Flatten()(x))
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss="mse")
        return model

    with pytest.raises(ValueError, match="first trainable layer of the model is .*Conv1D.*Dense"):
        WeightTrajectoryRegressor(model=conv_first, epochs=1).fit(X, y)


def test_record_layer_by_name_and_index(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(model=functional_model, record_layer="entry", epochs=2).fit(
        X, y
    )
    assert reg.weight_history_.shape[1:] == (4, 3)
    with pytest.raises(ValueError, match="kernel of shape \\(3, 2\\).*4 features"):
        WeightTrajectoryRegressor(model=functional_model, record_layer="middle", epochs=2).fit(X, y)
    with pytest.raises(ValueError, match="'nope' is not a layer of the model"):
        WeightTrajectoryRegressor(model=functional_model, record_layer="nope", epochs=2).fit(X, y)
    reg = WeightTrajectoryRegressor(**FAST, record_layer=1).fit(X, y)  # 0 is the Input
    assert reg.recorded_layer_ == "hidden_1"


# --- persistence -------------------------------------------------------------------------


@pytest.mark.backend_smoke
@pytest.mark.parametrize("dump", ["pickle", "joblib"])
def test_round_trip_keeps_history_importances_and_predictions(regression_data, dump, tmp_path):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, random_state=0).fit(X, y)
    if dump == "pickle":
        loaded = pickle.loads(pickle.dumps(reg))
    else:
        path = tmp_path / "model.joblib"
        joblib.dump(reg, path)
        loaded = joblib.load(path)
    np.testing.assert_array_equal(loaded.weight_history_, reg.weight_history_)
    np.testing.assert_array_equal(loaded.feature_importances_, reg.feature_importances_)
    pd.testing.assert_frame_equal(loaded.importance_report_, reg.importance_report_)
    np.testing.assert_allclose(loaded.predict(X), reg.predict(X), rtol=1e-6)


@pytest.mark.backend_smoke
def test_clone_of_fitted_estimator_is_unfitted(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, optimizer__beta_1=0.8).fit(X, y)
    copy = clone(reg)
    assert copy.get_params() == reg.get_params()
    assert not hasattr(copy, "weight_history_")


def test_report_follows_barrage_parameters(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**{**FAST, "epochs": 10}, random_state=0).fit(X, y)
    before = reg.importance_report_
    reg.set_params(barrage_num=50)
    after = reg.importance_report_
    assert (after["len"] <= before["len"]).all() and (after["len"] < before["len"]).any()
    pd.testing.assert_series_equal(after["importance"], before["importance"])


def test_repr_lists_only_changed_parameters():
    assert repr(WeightTrajectoryRegressor(epochs=5)) == "WeightTrajectoryRegressor(epochs=5)"
    assert repr(WeightTrajectoryClassifier(class_weight="balanced")) == (
        "WeightTrajectoryClassifier(class_weight='balanced')"
    )


# --- a quiet terminal --------------------------------------------------------------------


@pytest.mark.backend_smoke
def test_import_and_fit_print_nothing():
    code = (
        "import numpy as np\n"
        "from skweightimp import WeightTrajectoryRegressor\n"
        "X = np.random.RandomState(0).normal(size=(60, 3)); y = X[:, 0]\n"
        "r = WeightTrajectoryRegressor(hidden_layer_sizes=(3,), epochs=2, random_state=0)\n"
        "r.fit(X, y)\n"
        "r.predict(X)\n"
        "for _ in range(6):\n"
        "    est = WeightTrajectoryRegressor(hidden_layer_sizes=(3,), epochs=1)\n"
        "    est.fit(X[:30 + _], y[:30 + _])\n"
        "import sys; print('user stderr line', file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    # Only the user's own line reaches stderr: no banners, no retracing warnings.
    assert result.stderr.strip() == "user stderr line", result.stderr


@pytest.mark.backend_smoke
def test_importing_the_package_does_not_load_tensorflow_or_pyplot():
    code = (
        "import sys, skweightimp; "
        "print([m for m in ('tensorflow', 'keras', 'matplotlib.pyplot') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_only_the_backend_module_imports_keras_or_scikeras():
    # Importing Keras anywhere else could run before _backend's filter and work-arounds,
    # depending on how an import sorter orders the imports.
    import pathlib
    import re

    package = pathlib.Path(__file__).resolve().parents[1] / "skweightimp"
    pattern = re.compile(r"^\s*(import|from)\s+(keras|tensorflow|scikeras)\b", re.M)
    offenders = [
        path.name
        for path in package.glob("*.py")
        if path.name != "_backend.py" and pattern.search(path.read_text())
    ]
    assert offenders == []


def test_seeded_fit_ignores_other_threads_drawing_from_python_random(regression_data):
    # A Dask worker's event loop (or any library thread) may draw from Python's global
    # `random` while a seeded fit builds its network; the fit must not depend on it.
    import random
    import threading

    X, y = regression_data

    def fit():
        return WeightTrajectoryRegressor(**FAST, random_state=3).fit(X, y)

    quiet = fit()
    stop = threading.Event()

    def churn():
        while not stop.is_set():
            random.random()

    thread = threading.Thread(target=churn, daemon=True)
    thread.start()
    try:
        busy = fit()
    finally:
        stop.set()
        thread.join()
    np.testing.assert_array_equal(busy.initial_weights_, quiet.initial_weights_)
    np.testing.assert_array_equal(busy.weight_history_, quiet.weight_history_)


# --- refused before training (reliability issue) -------------------------------------------


class _CountTrainings(keras.callbacks.Callback):
    calls = 0

    def on_train_begin(self, logs=None):
        type(self).calls += 1


def test_record_layer_must_take_the_model_inputs(regression_data):
    X, y = regression_data
    # "middle" follows "entry": with 4 entry units its kernel is (4, 2), the shape a layer
    # reading the 4 features would have, but its rows are hidden units.
    reg = WeightTrajectoryRegressor(
        model=functional_model, model__units=4, record_layer="middle", epochs=1
    )
    with pytest.raises(ValueError, match="'middle' \\(Dense\\) does not take the model's inputs"):
        reg.fit(X, y)
    reg.set_params(record_layer="entry").fit(X, y)  # behind a Dropout: still the inputs
    assert reg.recorded_layer_ == "entry"


def test_user_model_that_cannot_give_the_method_is_refused_before_training(regression_data):
    X, y = regression_data
    _CountTrainings.calls = 0
    reg = WeightTrajectoryRegressor(
        model=functional_model, importance_method="garson", epochs=1, callbacks=[_CountTrainings()]
    )
    with pytest.raises(ValueError, match="importance_method='garson' cannot be read.*one hidden"):
        reg.fit(X, y)
    assert _CountTrainings.calls == 0
    assert not hasattr(reg, "model_")


def test_warm_start_refuses_bad_feature_groups_up_front(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, warm_start=True, random_state=0).fit(X, y)
    history = reg.weight_history_.copy()
    reg.set_params(feature_groups={"g": ["a", "zz"]})
    with pytest.raises(ValueError, match=r"Feature group 'g' names columns.*\['zz'\]"):
        reg.fit(X, y)
    np.testing.assert_array_equal(reg.weight_history_, history)  # nothing trained
    reg.set_params(feature_groups=None, importance_method="garson", hidden_layer_sizes=(4, 4))
    with pytest.raises(ValueError, match="importance_method='garson'"):
        reg.fit(X, y)


def test_partial_fit_with_an_unseen_class_says_to_pass_classes(binary_data):
    X, y = binary_data
    clf = WeightTrajectoryClassifier(**FAST, random_state=0).partial_fit(X, y)
    with pytest.raises(ValueError, match=r"class\(es\) \[2\].*its classes are \[0, 1\].*classes="):
        clf.partial_fit(X, np.where(y == 1, 2, y))
    with pytest.raises(ValueError, match=r"class\(es\) \[2\].*classes are \[0, 1\]"):
        WeightTrajectoryClassifier(**FAST).partial_fit(X, np.where(y == 1, 2, y), classes=[0, 1])
    warm = WeightTrajectoryClassifier(**FAST, warm_start=True, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match=r"class\(es\) \[2\].*warm_start=False"):
        warm.fit(X, np.where(y == 1, 2, y))


def test_first_partial_fit_batch_of_one_class_suggests_classes(binary_data):
    X, y = binary_data
    with pytest.raises(ValueError, match="only one class: .*passed with classes="):
        WeightTrajectoryClassifier(**FAST).partial_fit(X[y == 0], y[y == 0])
    clf = WeightTrajectoryClassifier(**FAST).partial_fit(X[y == 0], y[y == 0], classes=[0, 1])
    assert list(clf.classes_) == [0, 1]
