"""Every user mistake gets a scikit-learn style error that names it, and fit is atomic."""

import os

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.utils._backend import keras

from .conftest import FAST


def assert_raised_before_keras(excinfo):
    """The error comes from our validation, not from deep inside TensorFlow or Keras."""
    for entry in excinfo.traceback:
        path = str(entry.path)
        assert f"{os.sep}tensorflow{os.sep}" not in path, f"raised inside TensorFlow: {path}"
        assert f"{os.sep}keras{os.sep}" not in path, f"raised inside Keras: {path}"


def fit_raises(est, X, y, exception, match, **kwargs):
    with pytest.raises(exception, match=match) as excinfo:
        est.fit(X, y, **kwargs)
    assert_raised_before_keras(excinfo)


@pytest.fixture
def data(regression_data):
    X, y = regression_data
    return X.copy(), y.copy()


def test_nan_in_X(data):
    X, y = data
    X.iloc[3, 1] = np.nan
    fit_raises(WeightTrajectoryRegressor(**FAST), X, y, ValueError, "Input X contains NaN")


def test_inf_in_X(data):
    X, y = data
    X.iloc[3, 1] = np.inf
    fit_raises(WeightTrajectoryRegressor(**FAST), X, y, ValueError, "Input X contains infinity")


def test_nan_in_y(data):
    X, y = data
    y.iloc[5] = np.nan
    fit_raises(WeightTrajectoryRegressor(**FAST), X, y, ValueError, "Input y contains NaN")


def test_inf_in_y(data):
    X, y = data
    y.iloc[5] = -np.inf
    fit_raises(WeightTrajectoryRegressor(**FAST), X, y, ValueError, "Input y contains infinity")


def test_string_column_in_X_is_named(data):
    X, y = data
    X["colour"] = "red"
    fit_raises(
        WeightTrajectoryRegressor(**FAST),
        X,
        y,
        ValueError,
        r"non-numeric column\(s\) \['colour'\].*OneHotEncoder",
    )


def test_object_array_with_strings(data):
    X, y = data
    X = X.to_numpy().astype(object)
    X[0, 0] = "abc"
    fit_raises(WeightTrajectoryRegressor(**FAST), X, y, ValueError, "could not convert string")


def test_empty_X():
    fit_raises(
        WeightTrajectoryRegressor(**FAST), np.empty((0, 3)), np.empty(0), ValueError, "0 sample"
    )


def test_one_row_X():
    fit_raises(
        WeightTrajectoryRegressor(**FAST),
        np.ones((1, 3)),
        np.ones(1),
        ValueError,
        r"1 sample\(s\).*minimum of 2",
    )


def test_y_of_the_wrong_length(data):
    X, y = data
    fit_raises(
        WeightTrajectoryRegressor(**FAST), X, y[:-5], ValueError, "inconsistent numbers of samples"
    )


def test_y_none(data):
    X, _ = data
    fit_raises(WeightTrajectoryRegressor(**FAST), X, None, ValueError, "requires y to be passed")


def test_single_class_for_the_classifier(data):
    X, _ = data
    fit_raises(
        WeightTrajectoryClassifier(**FAST),
        X,
        np.ones(len(X)),
        ValueError,
        "at least 2 classes.*only one class",
    )


def test_continuous_target_for_the_classifier(data):
    X, y = data
    fit_raises(WeightTrajectoryClassifier(**FAST), X, y, ValueError, "Unknown label type")


def test_non_numeric_target_for_the_regressor(data):
    X, _ = data
    fit_raises(
        WeightTrajectoryRegressor(**FAST),
        X,
        np.array(["a", "b"] * 60),
        ValueError,
        "could not convert string to float",
    )


def test_sparse_X(data):
    X, y = data
    fit_raises(
        WeightTrajectoryRegressor(**FAST),
        sp.csr_matrix(X.to_numpy()),
        y,
        TypeError,
        "Sparse data was passed.*dense data is required",
    )


def test_different_number_of_features_at_predict(data):
    X, y = data
    reg = WeightTrajectoryRegressor(**FAST).fit(X.to_numpy(), y)
    with pytest.raises(ValueError, match="X has 3 features, but .* is expecting 4") as excinfo:
        reg.predict(X.to_numpy()[:, :3])
    assert_raised_before_keras(excinfo)


def test_different_feature_names_at_predict(data):
    X, y = data
    reg = WeightTrajectoryRegressor(**FAST).fit(X, y)
    with pytest.raises(ValueError, match="feature names should match") as excinfo:
        reg.predict(X.rename(columns={"a": "z"}))
    assert_raised_before_keras(excinfo)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "score"])
def test_predict_before_fit(data, method):
    X, y = data
    clf = WeightTrajectoryClassifier(**FAST)
    args = (X, y) if method == "score" else (X,)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        getattr(clf, method)(*args)


@pytest.mark.parametrize("attribute", ["feature_importances_", "importance_report_"])
def test_importances_before_fit(attribute):
    with pytest.raises(NotFittedError, match="not fitted yet"):
        getattr(WeightTrajectoryRegressor(), attribute)
    assert not hasattr(WeightTrajectoryRegressor(), attribute)


@pytest.mark.parametrize(
    "params, exception, match",
    [
        ({"epochs": 0}, InvalidParameterError, "'epochs' parameter"),
        ({"hidden_layer_sizes": (4, 0)}, ValueError, "positive integers"),
        ({"hidden_layer_sizes": "big"}, InvalidParameterError, "'hidden_layer_sizes'"),
        ({"learning_rate": -1.0}, InvalidParameterError, "'learning_rate'"),
        ({"batch_size": 0}, InvalidParameterError, "'batch_size'"),
        ({"validation_split": 1.5}, InvalidParameterError, "'validation_split'"),
        ({"barrage_domain": (2, -2)}, ValueError, "low < high"),
        ({"barrage_num": 1}, InvalidParameterError, "'barrage_num'"),
        ({"barrage_threshold": 0}, InvalidParameterError, "'barrage_threshold'"),
        ({"record_layer": 2.5}, InvalidParameterError, "'record_layer'"),
        ({"record_layer": "missing"}, ValueError, "'missing' is not a layer of the model"),
        ({"model": 42}, TypeError, "model must be None"),
        ({"model__units": 3}, ValueError, "routed to a user model"),
        ({"importance_method": "shap"}, InvalidParameterError, "'importance_method'"),
        ({"burn_in": 1.0}, InvalidParameterError, "'burn_in'"),
        ({"burn_in": -0.1}, InvalidParameterError, "'burn_in'"),
        ({"first_layer_l1": -0.01}, InvalidParameterError, "'first_layer_l1'"),
        (
            {"first_layer_l1": 0.01, "model": lambda meta: None},
            ValueError,
            "first_layer_l1 applies to the built-in network",
        ),
    ],
)
def test_bad_parameters(data, params, exception, match):
    X, y = data
    fit_raises(WeightTrajectoryRegressor(**{**FAST, **params}), X, y, exception, match)


def test_diverging_training_is_an_error_and_is_rolled_back(data):
    X, y = data
    reg = WeightTrajectoryRegressor(**FAST, random_state=0).fit(X, y)
    before = reg.weight_history_.copy()
    huge = pd.Series(np.full(len(y), 1e38), index=y.index)
    with pytest.raises(ValueError, match="Training diverged"):
        reg.set_params(learning_rate=1e30).fit(X * 1e30, huge)
    np.testing.assert_array_equal(reg.weight_history_, before)


# --- a failed fit leaves a fitted estimator as it was ------------------------------------


def snapshot(est, X):
    return {
        "history": est.weight_history_.copy(),
        "names": list(est.feature_names_in_),
        "n_features": est.n_features_in_,
        "model": est.model_,
        "prediction": est.predict(X),
        "params": est.get_params(),
    }


def assert_unchanged(est, X, before):
    after = snapshot(est, X)
    np.testing.assert_array_equal(after["history"], before["history"])
    assert after["names"] == before["names"]
    assert after["n_features"] == before["n_features"]
    assert after["model"] is before["model"]
    np.testing.assert_array_equal(after["prediction"], before["prediction"])
    assert after["params"] == before["params"]


def test_failed_refit_with_other_columns_and_nan_changes_nothing(data):
    X, y = data
    reg = WeightTrajectoryRegressor(**FAST, random_state=0).fit(X, y)
    before = snapshot(reg, X)
    bad = X.rename(columns={"a": "other"}).iloc[:, :3].copy()
    bad.iloc[0, 0] = np.nan
    with pytest.raises(ValueError):
        reg.fit(bad, y)
    assert_unchanged(reg, X, before)


def test_failed_refit_with_bad_parameter_changes_nothing(data):
    X, y = data
    clf = WeightTrajectoryClassifier(**FAST, random_state=0).fit(X, y > 0)
    before = snapshot(clf, X)
    classes = clf.classes_.copy()
    with pytest.raises(ValueError):
        clf.fit(X, np.zeros(len(X)))  # one class
    assert_unchanged(clf, X, before)
    np.testing.assert_array_equal(clf.classes_, classes)


@pytest.mark.backend_smoke
def test_interrupted_warm_start_restores_weights_and_history(data):
    X, y = data

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise KeyboardInterrupt

    reg = WeightTrajectoryRegressor(**FAST, warm_start=True, random_state=0).fit(X, y)
    before = snapshot(reg, X)
    weights = [w.copy() for w in reg.model_.get_weights()]
    reg.set_params(callbacks=[Interrupt()])
    with pytest.raises(KeyboardInterrupt):
        reg.fit(X, y)
    for restored, original in zip(reg.model_.get_weights(), weights, strict=True):
        np.testing.assert_array_equal(restored, original)
    reg.set_params(callbacks=None)
    before["params"]["callbacks"] = None
    assert_unchanged(reg, X, before)


# --- refused before training, with the user's parameter or column named -----------------


class CountTrainings(keras.callbacks.Callback):
    """Counts how often Keras starts training, to show a refusal came before it."""

    calls = 0

    def on_train_begin(self, logs=None):
        type(self).calls += 1


@pytest.fixture
def trainings():
    CountTrainings.calls = 0
    return CountTrainings


@pytest.mark.parametrize("value", [np.inf, 1e300, np.nan])
def test_non_finite_or_float32_overflowing_X_names_the_column(data, value):
    X, y = data
    X.iloc[3, 1] = value
    fit_raises(
        WeightTrajectoryRegressor(**FAST),
        X,
        y,
        ValueError,
        r"Column\(s\) holding such values: \['b'\]",
    )
    fit_raises(
        WeightTrajectoryRegressor(**FAST), X.to_numpy(), y, ValueError, r"such values: \[1\]"
    )


@pytest.mark.parametrize("value", [1e300, -4e38])
def test_target_too_large_for_float32_is_refused_before_training(data, value, trainings):
    X, y = data
    y.iloc[5] = value
    reg = WeightTrajectoryRegressor(**FAST, callbacks=[trainings()])
    fit_raises(
        reg, X, y, ValueError, r"Input y \(the target\) contains values too large for float32"
    )
    assert trainings.calls == 0


@pytest.mark.parametrize(
    "weights", [[1.0] * 119 + [-1.0], [1.0] * 60 + [-1.0] * 60], ids=["one-negative", "zero-sum"]
)
def test_negative_sample_weight_is_refused_as_in_scikit_learn(data, weights):
    X, y = data
    for est, target in [
        (WeightTrajectoryRegressor(**FAST), y),
        (WeightTrajectoryClassifier(**FAST), y > 0),
    ]:
        fit_raises(
            est,
            X,
            target,
            ValueError,
            "Negative values in data passed to `sample_weight`",
            sample_weight=np.array(weights),
        )


def test_unknown_keyword_names_the_users_parameter(data):
    X, y = data
    with pytest.raises(InvalidParameterError, match="Unknown parameter 'foo' for Weight") as info:
        WeightTrajectoryRegressor(foo=1, **FAST).fit(X, y)
    assert "_build_default_model" not in str(info.value)
    assert_raised_before_keras(info)

    def build(meta, compile_kwargs):
        return keras.Sequential([keras.Input((meta["n_features_in_"],)), keras.layers.Dense(1)])

    with pytest.raises(InvalidParameterError, match="'foo'.*model function 'build' does not"):
        WeightTrajectoryRegressor(model=build, foo=1, epochs=1).fit(X, y)

    def build_with_foo(meta, compile_kwargs, foo):
        assert foo == 7
        return build(meta, compile_kwargs)

    WeightTrajectoryRegressor(model=build_with_foo, foo=7, epochs=1).fit(X, y)  # scikeras passes it


def test_model_function_returning_none_is_a_type_error_naming_model(data):
    X, y = data

    def forgot_return(meta):
        keras.Sequential([keras.Input((meta["n_features_in_"],)), keras.layers.Dense(1)])

    fit_raises(
        WeightTrajectoryRegressor(model=forgot_return, epochs=1),
        X,
        y,
        TypeError,
        "model must give a keras.Model.*'forgot_return' returned NoneType",
    )


@pytest.mark.parametrize(
    "params, name",
    [
        ({"epochs": True}, "epochs"),
        ({"batch_size": True}, "batch_size"),
        ({"validation_batch_size": True}, "validation_batch_size"),
        ({"hidden_layer_sizes": True}, "hidden_layer_sizes"),
        ({"hidden_layer_sizes": (4, False)}, "hidden_layer_sizes"),
        ({"random_state": True}, "random_state"),
        ({"record_every": True}, "record_every"),
        ({"record_layer": True}, "record_layer"),
        ({"barrage_num": np.True_}, "barrage_num"),
    ],
)
def test_booleans_are_refused_where_an_integer_is_expected(data, params, name, trainings):
    X, y = data
    reg = WeightTrajectoryRegressor(**{**FAST, **params, "callbacks": [trainings()]})
    fit_raises(reg, X, y, ValueError, name)
    assert trainings.calls == 0


@pytest.mark.parametrize(
    "params, match",
    [
        (
            {"importance_method": "garson", "hidden_layer_sizes": (4, 3)},
            r"importance_method='garson' needs exactly one hidden layer.*"
            r"hidden_layer_sizes=\(4, 3\)",
        ),
        (
            {"importance_method": "garson", "hidden_layer_sizes": ()},
            r"importance_method='garson'.*hidden_layer_sizes=\(\)",
        ),
        (
            {"burn_in": 0.2, "store_history": False},
            "burn_in=0.2 needs the stored weight history.*store_history=False",
        ),
    ],
)
def test_method_and_architecture_conflicts_are_refused_before_training(
    data, params, match, trainings
):
    X, y = data
    reg = WeightTrajectoryRegressor(**{**FAST, **params, "callbacks": [trainings()]})
    fit_raises(reg, X, y, ValueError, match)
    assert trainings.calls == 0
