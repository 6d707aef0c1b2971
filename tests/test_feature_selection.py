import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import make_regression
from sklearn.feature_selection import SelectFromModel
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skweightimp import WeightTrajectoryRegressor, WeightTrajectorySelector
from skweightimp.feature_selection import WeightTrajectorySelector as FromModule

from .conftest import FAST

LEARN = {
    "hidden_layer_sizes": (4,),
    "epochs": 5,
    "batch_size": 16,
    "learning_rate": 0.05,
    "importance_method": "olden",
}


@pytest.fixture(scope="module")
def planted():
    """Two informative and three pure-noise named columns, standardised."""
    X, y = make_regression(
        n_samples=150, n_features=5, n_informative=2, shuffle=False, noise=1.0, random_state=0
    )
    columns = ["i0", "i1", "n0", "n1", "n2"]
    X = pd.DataFrame(StandardScaler().fit_transform(X), columns=columns)
    return X, (y - y.mean()) / y.std()


def test_top_level_export_is_the_module_class():
    assert WeightTrajectorySelector is FromModule


@pytest.fixture(scope="module")
def confirmed_selector(planted):
    X, y = planted
    return WeightTrajectorySelector(
        WeightTrajectoryRegressor(**LEARN), n_rounds=8, random_state=0
    ).fit(X, y)


def test_selector_keeps_the_confirmed_columns(planted, confirmed_selector):
    X, _ = planted
    selector = confirmed_selector
    assert list(selector.get_feature_names_out()) == ["i0", "i1"]
    np.testing.assert_array_equal(selector.support_, [True, True, False, False, False])
    assert selector.transform(X).shape == (150, 2)
    assert list(selector.feature_names_in_) == list(X.columns)
    assert selector.n_features_in_ == 5
    decision = selector.significance_.decision
    np.testing.assert_array_equal(selector.support_, decision == "confirmed")
    # the shadow null has no fit on the plain data: estimator_ is one more fit
    assert selector.estimator_.n_features_in_ == 5
    assert not hasattr(selector.estimator, "model_")


def test_keep_tentative_keeps_what_is_not_rejected(planted, confirmed_selector):
    X, y = planted
    confirmed = confirmed_selector
    tentative = clone(confirmed).set_params(keep="tentative").fit(X, y)
    decision = tentative.significance_.decision
    pd.testing.assert_series_equal(decision, confirmed.significance_.decision)
    np.testing.assert_array_equal(tentative.support_, decision != "rejected")
    assert tentative.support_.sum() >= confirmed.support_.sum()


def test_estimator_feature_groups_are_kept_or_dropped_whole(planted):
    X, y = planted
    est = WeightTrajectoryRegressor(**LEARN, feature_groups={"noise": ["n0", "n1", "n2"]})
    selector = WeightTrajectorySelector(est, n_rounds=7, random_state=0).fit(X, y)
    assert list(selector.significance_.decision.index) == ["i0", "i1", "noise"]
    assert selector.significance_.columns["noise"] == ["n0", "n1", "n2"]
    assert list(selector.get_feature_names_out()) == ["i0", "i1"]


def test_permutation_null_reuses_the_observed_fit(planted):
    X, y = planted
    selector = WeightTrajectorySelector(
        WeightTrajectoryRegressor(**LEARN),
        null="permutation",
        n_rounds=7,
        alpha=0.75,
        random_state=0,
    ).fit(X, y)
    np.testing.assert_allclose(
        selector.estimator_.importance_scores("olden"), selector.significance_.scores["olden"]
    )
    assert "estimator" not in selector.significance_
    assert list(selector.get_feature_names_out()) == ["i0", "i1"]


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:With null:UserWarning")
def test_grid_search_over_selector_and_inner_parameters(regression_data):
    X, y = regression_data
    pipe = make_pipeline(
        WeightTrajectorySelector(WeightTrajectoryRegressor(**FAST), n_rounds=2, random_state=0),
        Ridge(),
    )
    grid = {
        "weighttrajectoryselector__keep": ["tentative"],
        "weighttrajectoryselector__alpha": [0.05, 0.1],
        "weighttrajectoryselector__estimator__epochs": [2],
    }
    search = GridSearchCV(pipe, grid, cv=2).fit(X, y)
    assert len(search.cv_results_["params"]) == 2
    best = search.best_estimator_[0]
    assert best.estimator_.weight_history_.shape[0] == 2  # epochs reached the inner fit
    assert best.n_rounds == 2 and best.significance_.n_rounds == 2
    # two rounds cannot reject anything: "tentative" keeps every column
    assert list(search.best_estimator_[:-1].get_feature_names_out()) == ["a", "b", "c", "d"]


def test_bad_parameters_and_estimators(regression_data):
    X, y = regression_data
    with pytest.raises(ValueError, match="'keep' parameter"):
        WeightTrajectorySelector(WeightTrajectoryRegressor(**FAST), keep="all").fit(X, y)
    with pytest.raises(ValueError, match="'n_rounds' parameter"):
        WeightTrajectorySelector(WeightTrajectoryRegressor(**FAST), n_rounds=0).fit(X, y)
    with pytest.raises(TypeError, match="must be a WeightTrajectoryRegressor.*got Ridge"):
        WeightTrajectorySelector(Ridge()).fit(X, y)
    pipe = make_pipeline(StandardScaler(), WeightTrajectoryRegressor(**FAST))
    with pytest.raises(TypeError, match="estimator must be a WeightTrajectoryRegressor.*Pipeline"):
        WeightTrajectorySelector(pipe).fit(X, y)


def test_select_from_model_still_works(regression_data):
    X, y = regression_data
    select = SelectFromModel(WeightTrajectoryRegressor(**FAST, random_state=0), max_features=2)
    assert select.fit(X, y).transform(X).shape == (120, 2)


# Estimator checks fit hundreds of selectors; each is two rounds plus estimator_, of two
# epochs. Two rounds cannot reject anything (the smallest p-value is 0.25), so
# keep="tentative" keeps every column and the transformer checks have columns to see.
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:With null:UserWarning")
@parametrize_with_checks(
    [
        WeightTrajectorySelector(
            WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=2, random_state=0),
            n_rounds=2,
            keep="tentative",
        )
    ]
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
