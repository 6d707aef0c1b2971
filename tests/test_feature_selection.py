import pickle
import re
import warnings
from operator import methodcaller
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_diabetes, make_regression
from sklearn.feature_selection import RFE, SelectFromModel
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skweightimp import WeightTrajectoryRegressor, WeightTrajectorySelector
from skweightimp._report import recommendation
from skweightimp.feature_selection import WeightTrajectorySelector as FromModule
from skweightimp.importance import recommended_method

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
    # 20 rounds: the fewest with which the shadow null's pooled test can confirm a feature
    # on its own at alpha=0.05 (its smallest p-value is 1 / (1 + 20 * 5)).
    return WeightTrajectorySelector(
        WeightTrajectoryRegressor(**LEARN), n_rounds=20, random_state=0
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
    selector = WeightTrajectorySelector(est, n_rounds=20, random_state=0).fit(X, y)
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


# ------------------------------------------------------------ the method that decides

# LEARN without its importance_method: the estimator's default, weight_std.
DEFAULT_LEARN = {key: value for key, value in LEARN.items() if key != "importance_method"}


def test_the_default_decides_with_the_recommended_method(planted):
    X, y = planted
    est = WeightTrajectoryRegressor(**DEFAULT_LEARN)
    assert est.importance_method == "weight_std" != recommended_method()
    selector = WeightTrajectorySelector(est, n_rounds=20, random_state=0)
    assert selector.method == "auto"
    selector.fit(X, y)
    assert selector.significance_.method == recommended_method()
    assert list(selector.get_feature_names_out()) == ["i0", "i1"]
    # feature_importances_ keeps the estimator's own method
    assert selector.estimator_.importance_method == "weight_std"
    np.testing.assert_allclose(
        selector.estimator_.feature_importances_,
        selector.estimator_.importance_scores("weight_std")
        / selector.estimator_.importance_scores("weight_std").sum(),
    )
    # method=None is the estimator's importance_method, explicitly
    own = clone(selector).set_params(method=None, n_rounds=2)
    with pytest.warns(UserWarning) as record:
        own.fit(X, y)  # two rounds can confirm nothing: both warnings say so
    assert own.significance_.method == "weight_std"
    messages = " ".join(str(w.message) for w in record)
    assert "n_rounds >= 20" in messages
    assert "kept no feature: with method='weight_std' (method=None)" in messages


def test_the_recommended_method_has_one_home():
    # The report reads the library's recommendation; it names no method of its own.
    assert recommendation.RECOMMENDED_METHOD == recommended_method()
    source = Path(recommendation.__file__).read_text(encoding="utf-8")
    assert not re.search(r"RECOMMENDED_METHOD\s*=\s*['\"]", source)


def test_bad_method_is_refused_with_the_options(regression_data):
    X, y = regression_data
    selector = WeightTrajectorySelector(WeightTrajectoryRegressor(**FAST), method="magic")
    with pytest.raises(ValueError, match="'method' parameter.*'auto'"):
        selector.fit(X, y)
    assert not hasattr(selector, "significance_")


def _planted_diabetes():
    """Diabetes plus 5 shuffled copies of real columns (same values, no link with y)."""
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    rng = np.random.RandomState(0)
    for column in ["bmi", "bp", "s5", "age", "s1"]:
        X[f"noise_{column}"] = X[column].to_numpy()[rng.permutation(len(X))]
    return X, y


def test_the_obvious_diabetes_pipeline_keeps_real_columns_and_no_planted_one():
    # Issue 20: this pipeline, with the selector's defaults, used to hand Ridge 0 columns.
    X, y = _planted_diabetes()
    pipe = make_pipeline(
        StandardScaler().set_output(transform="pandas"),
        WeightTrajectorySelector(
            WeightTrajectoryRegressor(hidden_layer_sizes=(32,), epochs=60, random_state=0),
            n_rounds=20,  # the fewest that can confirm a feature on its own at alpha 0.05
            random_state=0,
        ),
        Ridge(),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no "kept no feature", no 0 columns
        pipe.fit(X, y)
    kept = set(pipe[1].get_feature_names_out())
    assert len(kept & {"bmi", "bp", "s5"}) >= 2, kept
    assert not {c for c in kept if c.startswith("noise_")}, kept
    assert pipe.predict(X).shape == (442,)


def test_nothing_kept_warns_with_the_method_rounds_alpha_and_what_to_try(planted):
    X, y = planted
    selector = WeightTrajectorySelector(
        WeightTrajectoryRegressor(**DEFAULT_LEARN), n_rounds=20, random_state=0
    )
    # With the real target the same selector keeps features and says nothing.
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        assert clone(selector).fit(X, y).support_.any()
    # A target of pure noise: 20 rounds could confirm (5 / (1 + 20 * 5) <= 0.05), none does.
    noise = np.random.RandomState(1).normal(size=len(y))
    with pytest.warns(UserWarning, match="kept no feature") as record:
        selector.fit(X, noise)
    (message,) = [str(w.message) for w in record if "kept no feature" in str(w.message)]
    for words in (
        f"method={recommended_method()!r} (method='auto')",
        "null='shadow', n_rounds=20 and alpha=0.05",
        "no feature was confirmed above noise",
        "more rounds (n_rounds=40)",
        "more training (estimator__epochs)",
        'keep="tentative"',
        "another method",
        "significance_.summary",
    ):
        assert words in message, (words, message)
    assert not selector.support_.any()
    # transform gives no column, and scikit-learn's selector says so too
    with pytest.warns(UserWarning, match="No features were selected"):
        assert selector.transform(X).shape == (150, 0)


def test_select_from_model_and_rfe_read_the_recommended_method_through_a_getter(planted):
    # The example of the docs (inspection.rst, the selector's docstring).
    X, y = planted
    est = WeightTrajectoryRegressor(**DEFAULT_LEARN, random_state=0)
    getter = methodcaller("importance_scores", recommended_method())
    select = SelectFromModel(est, importance_getter=getter, threshold=-np.inf, max_features=2)
    select.fit(X, y)
    scores = select.estimator_.importance_scores(recommended_method())
    assert set(np.flatnonzero(select.get_support())) == set(np.argsort(scores)[-2:])
    assert list(select.get_feature_names_out()) == ["i0", "i1"]
    assert select.estimator_.importance_method == "weight_std"  # it read the getter
    rfe = RFE(est, n_features_to_select=2, importance_getter=getter).fit(X, y)
    assert list(rfe.get_feature_names_out()) == ["i0", "i1"]
    assert rfe.ranking_[:2].tolist() == [1, 1]
    # a methodcaller pickles (a lambda would not), so a fitted selector can be saved
    assert pickle.loads(pickle.dumps(select)).transform(X).shape == (150, 2)


# Estimator checks fit hundreds of selectors; each is two rounds plus estimator_, of two
# epochs. Two rounds can hardly reject anything (a feature's mean score would have to lie
# below nearly every one of the 2 * n_features null draws), so keep="tentative" keeps
# every column and the transformer checks have columns to see.
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
