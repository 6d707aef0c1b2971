"""The estimators' importance_method, burn_in and first_layer_l1 parameters."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.feature_selection import SelectFromModel
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import InvalidParameterError

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.callbacks import dense_kernels
from skweightimp.importance import (
    discard_burn_in,
    displacement,
    garson,
    grouped_weight_std,
    method_scores,
    normalize_importances,
    olden,
    viann,
)
from skweightimp.importance._methods import IMPORTANCE_METHODS
from skweightimp.utils._backend import keras

from .conftest import FAST

NEW_PARAMS = {"importance_method": "weight_std", "burn_in": 0.0, "first_layer_l1": 0.0}


@pytest.fixture(scope="module")
def fitted_regressor(regression_data):
    X, y = regression_data
    return WeightTrajectoryRegressor(**{**FAST, "epochs": 6}, random_state=0).fit(X, y)


def layer_kernels(est, names):
    return [est.model_.get_layer(name).kernel.numpy().astype(np.float64) for name in names]


@pytest.mark.parametrize("Estimator", [WeightTrajectoryRegressor, WeightTrajectoryClassifier])
def test_new_parameters_and_defaults(Estimator):
    params = Estimator().get_params()
    for name, default in NEW_PARAMS.items():
        assert params[name] == default
    est = Estimator(importance_method="olden", burn_in=0.25, first_layer_l1=0.01)
    assert clone(est).get_params()["importance_method"] == "olden"
    assert "importance_method='olden'" in repr(est)


def test_each_method_matches_its_pure_function(fitted_regressor):
    reg = fitted_regressor
    H = reg.weight_history_
    kernels = layer_kernels(reg, ["hidden_1", "output"])
    expected = {
        "weight_std": grouped_weight_std(H),
        "viann": viann(H),
        "displacement": displacement(H, reg.initial_weights_),
        "garson": garson(kernels),
        "olden": olden(kernels),
        "gradient": reg.input_gradients_ * reg.input_scale_,
    }
    try:
        for method in IMPORTANCE_METHODS:
            reg.set_params(importance_method=method)  # no refit needed
            importances = reg.feature_importances_
            np.testing.assert_allclose(
                importances, normalize_importances(expected[method]), rtol=1e-6
            )
            assert (importances >= 0).all() and importances.sum() == pytest.approx(1.0)
            report = reg.importance_report_
            np.testing.assert_allclose(report["importance"], importances)
            np.testing.assert_allclose(report[method], expected[method], rtol=1e-6)
            assert report.attrs["notes"] == {}
    finally:
        reg.set_params(importance_method="weight_std")


def test_default_importances_are_unchanged(fitted_regressor):
    reg = fitted_regressor
    np.testing.assert_allclose(
        reg.feature_importances_, normalize_importances(grouped_weight_std(reg.weight_history_))
    )


def test_multiclass_classifier_uses_every_output(classification_data):
    X, y = classification_data
    clf = WeightTrajectoryClassifier(**FAST, importance_method="garson", random_state=0)
    clf.fit(X, y)
    kernels = layer_kernels(clf, ["hidden_1", "output"])
    assert kernels[1].shape == (4, 3)
    np.testing.assert_allclose(clf.feature_importances_, garson(kernels), rtol=1e-6)
    clf.set_params(importance_method="olden")
    np.testing.assert_allclose(
        clf.feature_importances_, normalize_importances(olden(kernels)), rtol=1e-6
    )


def test_garson_through_the_estimator_needs_one_hidden_layer(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**{**FAST, "hidden_layer_sizes": (4, 3)}, random_state=0)
    reg.fit(X, y)
    report = reg.importance_report_  # the default method still works
    assert report["garson"].isna().all() and report["olden"].notna().all()
    assert "exactly one hidden layer; the network has 2" in report.attrs["notes"]["garson"]
    reg.set_params(importance_method="garson")
    match = "Garson's algorithm needs exactly one hidden layer.*has 2 hidden layer.*olden"
    for attribute in ("feature_importances_", "importance_report_"):
        with pytest.raises(ValueError, match=match):
            getattr(reg, attribute)
    reg.set_params(importance_method="olden")
    kernels = layer_kernels(reg, ["hidden_1", "hidden_2", "output"])
    np.testing.assert_allclose(
        reg.feature_importances_, normalize_importances(olden(kernels)), rtol=1e-6
    )


def batch_norm_model(meta, compile_kwargs):
    inputs = keras.Input(shape=(meta["n_features_in_"],))
    x = keras.layers.Dense(4, name="entry")(inputs)
    x = keras.layers.BatchNormalization(name="norm")(x)
    outputs = keras.layers.Dense(1)(x)
    model = keras.Model(inputs, outputs)
    model.compile(**compile_kwargs)
    return model


def test_model_that_is_not_a_dense_stack(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(model=batch_norm_model, epochs=3, random_state=0).fit(X, y)
    report = reg.importance_report_
    assert report[["garson", "olden"]].isna().all().all()
    assert report[["weight_std", "viann", "displacement"]].notna().all().all()
    assert "'norm' (BatchNormalization) is not a Dense layer" in report.attrs["notes"]["olden"]
    for method in ("garson", "olden"):
        reg.set_params(importance_method=method)
        with pytest.raises(ValueError, match="'norm' \\(BatchNormalization\\).*plain stack"):
            _ = reg.feature_importances_
    reg.set_params(importance_method="viann")
    assert reg.feature_importances_.shape == (4,)


def skip_connection_model(n_features):
    inputs = keras.Input(shape=(n_features,))
    hidden = keras.layers.Dense(n_features)(inputs)
    return keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Add()([inputs, hidden])))


def test_dense_kernels_of_plain_and_other_stacks():
    model = keras.Sequential(
        [
            keras.Input(shape=(3,)),
            keras.layers.Dense(5, name="a"),
            keras.layers.Dropout(0.5),
            keras.layers.Activation("tanh"),
            keras.layers.Dense(2, name="b"),
        ]
    )
    kernels = dense_kernels(model, n_features=3)
    assert [k.shape for k in kernels] == [(3, 5), (5, 2)]
    assert all(k.dtype == np.float64 for k in kernels)
    kernels[0][:] = 0  # a copy, not the live weights
    assert np.abs(model.get_layer("a").kernel.numpy()).sum() > 0
    with pytest.raises(ValueError, match="takes 3 inputs, but X has 4"):
        dense_kernels(model, n_features=4)
    with pytest.raises(ValueError, match="\\(Add\\) is not a Dense layer"):
        dense_kernels(skip_connection_model(3))


def test_burn_in_drops_early_snapshots_from_trajectory_statistics(fitted_regressor):
    reg = fitted_regressor
    H = reg.weight_history_
    full_displacement = reg.set_params(importance_method="displacement").feature_importances_
    try:
        reg.set_params(importance_method="weight_std", burn_in=0.5)
        np.testing.assert_allclose(
            reg.feature_importances_,
            normalize_importances(grouped_weight_std(H[3:])),
            rtol=1e-6,
        )
        report = reg.importance_report_
        np.testing.assert_allclose(report["viann"], viann(discard_burn_in(H, 0.5)), rtol=1e-6)
        np.testing.assert_allclose(report["net_change"], np.abs(H[-1] - H[3]).sum(axis=1))
        reg.set_params(importance_method="displacement")
        np.testing.assert_allclose(reg.feature_importances_, full_displacement)
    finally:
        reg.set_params(importance_method="weight_std", burn_in=0.0)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"importance_method": "shap"}, "'importance_method' parameter"),
        ({"burn_in": 1.0}, "'burn_in' parameter"),
    ],
)
def test_bad_importance_parameters_set_after_fit(fitted_regressor, params, match):
    reg = fitted_regressor
    try:
        reg.set_params(**params)
        for attribute in ("feature_importances_", "importance_report_"):
            with pytest.raises(InvalidParameterError, match=match):
                getattr(reg, attribute)
    finally:
        reg.set_params(**{name: NEW_PARAMS[name] for name in params})


@pytest.mark.parametrize("hidden_layer_sizes, layer", [((4,), "hidden_1"), ((), "output")])
def test_first_layer_l1_regularises_the_recorded_layer(
    regression_data, fitted_regressor, hidden_layer_sizes, layer
):
    X, y = regression_data
    params = {**FAST, "hidden_layer_sizes": hidden_layer_sizes, "random_state": 0}
    reg = WeightTrajectoryRegressor(**params, first_layer_l1=0.05).fit(X, y)
    regularizer = reg.model_.get_layer(layer).kernel_regularizer
    assert isinstance(regularizer, keras.regularizers.L1)
    assert regularizer.get_config()["l1"] == pytest.approx(0.05)
    kernel = reg.model_.get_layer(layer).kernel.numpy()
    assert float(sum(reg.model_.losses)) == pytest.approx(0.05 * np.abs(kernel).sum(), rel=1e-4)
    plain = fitted_regressor.model_  # first_layer_l1=0: no penalty anywhere
    assert all(lay.kernel_regularizer is None for lay in plain.layers[1:])
    assert not plain.losses


def test_kernel_l1_penalises_every_kernel_and_adds_to_the_first_layer_s(regression_data):
    X, y = regression_data
    params = {**FAST, "hidden_layer_sizes": (4, 3), "random_state": 0}
    reg = WeightTrajectoryRegressor(**params, first_layer_l1=0.05, kernel_l1=0.01).fit(X, y)
    dense = reg.model_.layers[1:]
    expected = sum(
        (0.06 if index == 0 else 0.01) * np.abs(layer.kernel.numpy()).sum()
        for index, layer in enumerate(dense)
    )
    assert len(dense) == 3
    assert float(sum(reg.model_.losses)) == pytest.approx(expected, rel=1e-4)
    with pytest.raises(ValueError, match="kernel_l1 applies to the built-in network"):
        own = WeightTrajectoryRegressor(model=lambda meta: None, kernel_l1=0.01, **FAST)
        own.fit(X, y)


def test_importance_method_in_grid_search_around_select_from_model(regression_data):
    X, y = regression_data
    select = SelectFromModel(
        WeightTrajectoryRegressor(**FAST, random_state=0), max_features=2, threshold=-np.inf
    )
    pipe = Pipeline([("select", select), ("linear", LinearRegression())])
    grid = GridSearchCV(
        pipe, {"select__estimator__importance_method": ["weight_std", "olden"]}, cv=2
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 2
    chosen = grid.best_estimator_.named_steps["select"]
    method = grid.best_params_["select__estimator__importance_method"]
    assert chosen.estimator_.importance_method == method
    assert chosen.get_support().sum() == 2


def test_report_cache_follows_the_method(fitted_regressor):
    reg = fitted_regressor
    try:
        before = reg.importance_report_
        reg.set_params(importance_method="olden")
        after = reg.importance_report_
        np.testing.assert_allclose(after["importance"], normalize_importances(after["olden"]))
        pd.testing.assert_series_equal(after["weight_std"], before["weight_std"])
    finally:
        reg.set_params(importance_method="weight_std")


def test_report_follows_a_new_fit(regression_data):
    # The cached report must not outlive the record it was computed from: a warm-start
    # partial_fit and a refit each give a new one. With a model that is not a Dense stack
    # the trained kernels are not part of the cache key, so only the record can tell.
    X, y = regression_data
    reg = WeightTrajectoryRegressor(model=batch_norm_model, epochs=2, random_state=0)
    first = reg.fit(X, y).importance_report_["weight_std"].to_numpy()
    reg.partial_fit(X, y)
    grown = reg.importance_report_["weight_std"].to_numpy()
    assert not np.allclose(grown, first)
    np.testing.assert_allclose(grown, reg.importance_scores("weight_std"), rtol=1e-12)
    reg.fit(np.asarray(X)[:, ::-1], y)
    np.testing.assert_allclose(
        reg.importance_report_["weight_std"], reg.importance_scores("weight_std"), rtol=1e-12
    )


def test_method_scores_is_what_the_estimator_reports(fitted_regressor):
    reg = fitted_regressor
    kernels = dense_kernels(reg.model_, n_features=reg.n_features_in_)
    for method in IMPORTANCE_METHODS:
        np.testing.assert_allclose(
            method_scores(
                method,
                reg.weight_history_,
                initial_weights=reg.initial_weights_,
                kernels=kernels,
                input_gradients=reg.input_gradients_,
                input_scale=reg.input_scale_,
            ),
            reg.importance_report_[method],
            rtol=1e-6,
        )


def test_method_scores_says_what_is_missing():
    history = np.zeros((2, 3, 4))
    with pytest.raises(ValueError, match="'displacement' method needs initial_weights"):
        method_scores("displacement", history)
    with pytest.raises(ValueError, match="'olden' method needs the trained kernels"):
        method_scores("olden", history)
    with pytest.raises(ValueError, match="'gradient' method needs input_gradients"):
        method_scores("gradient", history)
    with pytest.raises(InvalidParameterError, match="method"):
        method_scores("shap", history)


def test_report_follows_weights_changed_after_fit(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**{**FAST, "epochs": 3}, random_state=0).fit(X, y)
    before = reg.importance_report_["olden"].to_numpy()
    output_layer = [layer for layer in reg.model_.layers if layer.weights][-1]
    kernel, bias = output_layer.get_weights()
    output_layer.set_weights([-2.0 * kernel, bias])
    after = reg.importance_report_["olden"].to_numpy()
    np.testing.assert_allclose(after, 2.0 * before, rtol=1e-6)
    np.testing.assert_allclose(
        reg.importance_report_["olden"], reg.importance_scores("olden"), rtol=1e-12
    )
