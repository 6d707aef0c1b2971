"""The estimators inside scikit-learn's meta-estimators and tools."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.ensemble import (
    StackingClassifier,
    StackingRegressor,
    VotingRegressor,
)
from sklearn.feature_selection import RFE, SelectFromModel
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor

from .conftest import FAST


def test_estimator_types_and_tags():
    reg, clf = WeightTrajectoryRegressor(), WeightTrajectoryClassifier()
    assert is_regressor(reg) and not is_classifier(reg)
    assert is_classifier(clf) and not is_regressor(clf)
    assert get_tags(reg).estimator_type == "regressor"
    assert get_tags(clf).estimator_type == "classifier"
    for est in (reg, clf):
        tags = get_tags(est)
        assert tags.target_tags.required
        assert not tags.input_tags.sparse
        assert not tags.input_tags.allow_nan
    assert get_tags(reg).target_tags.multi_output


@pytest.mark.backend_smoke
def test_clone_keeps_routed_parameters():
    reg = WeightTrajectoryRegressor(epochs=4, optimizer__learning_rate=0.1, fit__shuffle=False)
    copy = clone(reg)
    assert copy.get_params()["optimizer__learning_rate"] == 0.1
    assert copy.get_params()["fit__shuffle"] is False
    assert copy.epochs == 4


@pytest.mark.backend_smoke
def test_pipeline_carries_feature_names(regression_data):
    X, y = regression_data
    pipe = make_pipeline(
        StandardScaler().set_output(transform="pandas"), WeightTrajectoryRegressor(**FAST)
    ).fit(X, y)
    assert list(pipe[-1].feature_names_in_) == ["a", "b", "c", "d"]
    assert list(pipe[-1].importance_report_.index) == ["a", "b", "c", "d"]
    assert pipe.predict(X).shape == (len(X),)


def test_set_output_pandas_on_the_whole_pipeline(regression_data):
    X, y = regression_data
    ct = ColumnTransformer([("scale", StandardScaler(), ["a", "b"])], remainder="passthrough")
    pipe = make_pipeline(ct, WeightTrajectoryRegressor(**FAST)).set_output(transform="pandas")
    pipe.fit(X, y)
    assert list(pipe[-1].importance_report_.index) == [
        "scale__a",
        "scale__b",
        "remainder__c",
        "remainder__d",
    ]


@pytest.mark.backend_smoke
def test_grid_search_over_own_and_routed_parameters(regression_data):
    X, y = regression_data
    search = GridSearchCV(
        WeightTrajectoryRegressor(**FAST, random_state=0),
        {"hidden_layer_sizes": [(2,), (5,)], "optimizer__learning_rate": [0.001, 0.05]},
        cv=2,
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_
    assert best.weight_history_.shape[2] == best.hidden_layer_sizes[0]
    assert float(best.model_.optimizer.learning_rate) == pytest.approx(
        search.best_params_["optimizer__learning_rate"]
    )


@pytest.mark.backend_smoke
def test_grid_search_in_a_pipeline(classification_data):
    X, y = classification_data
    pipe = make_pipeline(StandardScaler(), WeightTrajectoryClassifier(**FAST, random_state=0))
    search = GridSearchCV(pipe, {"weighttrajectoryclassifier__epochs": [2, 4]}, cv=2).fit(X, y)
    assert (
        search.best_estimator_[-1].weight_history_.shape[0]
        == search.best_params_["weighttrajectoryclassifier__epochs"]
    )


def test_cross_validate_returns_fitted_estimators(regression_data):
    X, y = regression_data
    result = cross_validate(
        WeightTrajectoryRegressor(**FAST, random_state=0), X, y, cv=3, return_estimator=True
    )
    importances = np.array([est.feature_importances_ for est in result["estimator"]])
    assert importances.shape == (3, 4)
    np.testing.assert_allclose(importances.sum(axis=1), 1.0)


def test_classifier_default_cv_is_stratified(classification_data):
    from sklearn.model_selection import check_cv

    X, y = classification_data
    cv = check_cv(5, y, classifier=is_classifier(WeightTrajectoryClassifier()))
    assert isinstance(cv, StratifiedKFold)


def test_stacking_and_voting_regressors(regression_data):
    X, y = regression_data
    stack = StackingRegressor(
        [("net", WeightTrajectoryRegressor(**FAST, random_state=0)), ("lin", LinearRegression())],
        cv=2,
    ).fit(X, y)
    assert stack.predict(X).shape == (len(X),)
    assert stack.named_estimators_["net"].weight_history_.shape == (3, 4, 4)
    vote = VotingRegressor(
        [("net", WeightTrajectoryRegressor(**FAST, random_state=0)), ("lin", LinearRegression())]
    ).fit(X, y)
    assert vote.predict(X).shape == (len(X),)


def test_stacking_classifier(classification_data):
    X, y = classification_data
    stack = StackingClassifier(
        [
            ("net", WeightTrajectoryClassifier(**FAST, random_state=0)),
            ("log", LogisticRegression()),
        ],
        cv=2,
    ).fit(X, y)
    assert stack.predict_proba(X).shape == (len(X), 3)


def test_calibrated_classifier(binary_data):
    X, y = binary_data
    calibrated = CalibratedClassifierCV(WeightTrajectoryClassifier(**FAST, random_state=0), cv=2)
    calibrated.fit(X, y)
    proba = calibrated.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_roc_auc_scoring_is_a_number(binary_data):
    X, y = binary_data
    scores = cross_validate(
        WeightTrajectoryClassifier(**FAST, random_state=0), X, y, cv=2, scoring="roc_auc"
    )["test_score"]
    assert np.isfinite(scores).all()


def test_transformed_target_regressor(regression_data):
    X, y = regression_data
    ttr = TransformedTargetRegressor(
        WeightTrajectoryRegressor(**FAST, random_state=0), transformer=StandardScaler()
    ).fit(X, y)
    assert ttr.predict(X).shape == (len(X),)
    assert ttr.regressor_.feature_importances_.shape == (4,)


def test_select_from_model_uses_feature_importances(regression_data):
    X, y = regression_data
    selector = SelectFromModel(
        WeightTrajectoryRegressor(
            hidden_layer_sizes=(8,), epochs=30, learning_rate=0.01, random_state=0
        ),
        max_features=2,
        threshold=-np.inf,
    ).fit(X, y)
    np.testing.assert_array_equal(
        selector.get_support(),
        np.isin(np.arange(4), np.argsort(selector.estimator_.feature_importances_)[-2:]),
    )
    assert list(selector.get_feature_names_out()) == ["a", "b"]


def test_rfe_uses_feature_importances(regression_data):
    X, y = regression_data
    rfe = RFE(
        WeightTrajectoryRegressor(
            hidden_layer_sizes=(8,), epochs=30, learning_rate=0.01, random_state=0
        ),
        n_features_to_select=2,
    ).fit(X, y)
    assert rfe.support_.sum() == 2
    assert set(rfe.get_feature_names_out()) == {"a", "b"}


def test_permutation_importance_agrees_on_the_informative_features(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(
        hidden_layer_sizes=(8,), epochs=30, learning_rate=0.01, random_state=0
    ).fit(X, y)
    result = permutation_importance(reg, X, y, n_repeats=3, random_state=0)
    assert set(np.argsort(result.importances_mean)[-2:]) == {0, 1}
    assert set(np.argsort(reg.feature_importances_)[-2:]) == {0, 1}


def test_dataframe_with_non_string_columns(regression_data):
    X, y = regression_data
    X = pd.DataFrame(X.to_numpy(), columns=[10, 11, 12, 13])
    reg = WeightTrajectoryRegressor(**FAST).fit(X, y)
    assert list(reg.importance_report_.index) == ["x0", "x1", "x2", "x3"]
