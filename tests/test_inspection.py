import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.base import clone
from sklearn.compose import make_column_transformer
from sklearn.exceptions import NotFittedError
from sklearn.inspection import permutation_importance
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.inspection import compare_importances, cross_validate_importances

from .conftest import FAST, on_a_dask_cluster

# Enough training for a tiny network to find the signal of the regression data.
LEARN = {**FAST, "epochs": 5, "batch_size": 16, "learning_rate": 0.05, "importance_method": "olden"}


@pytest.fixture(scope="module")
def mixed_data():
    """Two numeric columns and a three-level string column that drives the target."""
    rng = np.random.RandomState(3)
    n = 90
    X = pd.DataFrame(
        {
            "num": rng.normal(size=n),
            "color": np.array(["red", "green", "blue"])[np.arange(n) % 3],
            "other": rng.normal(size=n),
        }
    )
    y = X["num"] + X["color"].map({"red": 2.0, "green": 0.0, "blue": -2.0})
    return X, y


def _mixed_pipeline(**params):
    prep = make_column_transformer(
        (StandardScaler(), ["num", "other"]),
        (OneHotEncoder(), ["color"]),
    )
    return make_pipeline(prep, WeightTrajectoryRegressor(**FAST, **params))


# ------------------------------------------------------------ cross_validate_importances


def test_cross_validate_shapes_names_and_summary(regression_data):
    X, y = regression_data
    result = cross_validate_importances(
        WeightTrajectoryRegressor(**FAST), X, y, cv=3, random_state=0
    )
    assert result.importances.shape == (3, 4)
    np.testing.assert_allclose(result.importances.sum(axis=1), 1.0)
    np.testing.assert_allclose(result.importances_mean, result.importances.mean(axis=0))
    assert list(result.feature_names) == ["a", "b", "c", "d"]
    assert result.test_scores.shape == result.fit_times.shape == (3,)
    for matrix in (result.spearman, result.kendall):
        assert matrix.shape == (3, 3)
        np.testing.assert_allclose(matrix, matrix.T)
        np.testing.assert_allclose(np.diag(matrix), 1.0)
    assert -1.0 <= result.stability <= 1.0
    # each fold's ranks are a ranking of its own importances
    for row, ranks in zip(result.importances, result.ranks, strict=True):
        assert ranks[np.argmax(row)] == 1
    np.testing.assert_array_equal(
        result.rank_spread, result.ranks.max(axis=0) - result.ranks.min(axis=0)
    )
    assert set(result.summary.index) == {"a", "b", "c", "d"}
    assert result.summary["importance_mean"].is_monotonic_decreasing
    assert "estimators" not in result


def test_cross_validate_is_reproducible_and_returns_estimators(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST)
    first = cross_validate_importances(est, X, y, cv=2, random_state=7, return_estimator=True)
    second = cross_validate_importances(est, X, y, cv=2, random_state=7)
    np.testing.assert_allclose(first.importances, second.importances)
    assert len(first.estimators) == 2
    assert first.estimators[0].random_state != first.estimators[1].random_state
    np.testing.assert_allclose(first.estimators[1].feature_importances_, first.importances[1])
    # the estimator handed in is left untouched
    assert not hasattr(est, "model_")


@pytest.mark.parametrize("group_score", ["mean", "sum"])
def test_cross_validate_a_pipeline_with_auto_groups(mixed_data, group_score):
    X, y = mixed_data
    result = cross_validate_importances(
        _mixed_pipeline(),
        X,
        y,
        cv=KFold(3),
        feature_groups="auto",
        group_score=group_score,
        return_estimator=True,
        random_state=0,
    )
    assert list(result.feature_names) == ["num", "other", "color"]
    np.testing.assert_allclose(result.importances.sum(axis=1), 1.0)
    # each fold's row: its network's importances, the color columns combined by
    # group_score, normalised again
    combine = np.mean if group_score == "mean" else np.sum
    for row, fold in zip(result.importances, result.estimators, strict=True):
        shares = fold[-1].feature_importances_
        expected = np.r_[shares[:2], combine(shares[2:])]
        np.testing.assert_allclose(row, expected / expected.sum(), rtol=1e-6)
    # the permutation reference is grouped the same way: one value per feature
    assert result.permutation_importances.shape == (3, 3)


def test_cross_validate_pipeline_names_come_from_get_feature_names_out(mixed_data):
    X, y = mixed_data
    result = cross_validate_importances(_mixed_pipeline(), X, y, cv=2, random_state=0)
    assert list(result.feature_names) == [
        "standardscaler__num",
        "standardscaler__other",
        "onehotencoder__color_blue",
        "onehotencoder__color_green",
        "onehotencoder__color_red",
    ]


def test_cross_validate_classifier_uses_stratified_folds_and_accuracy(classification_data):
    X, y = classification_data
    result = cross_validate_importances(
        WeightTrajectoryClassifier(**FAST), X, y, cv=3, scoring="accuracy", random_state=0
    )
    assert ((0.0 <= result.test_scores) & (result.test_scores <= 1.0)).all()


def test_cross_validate_passes_fit_params(regression_data):
    X, y = regression_data
    result = cross_validate_importances(
        WeightTrajectoryRegressor(**FAST),
        X,
        y,
        cv=2,
        params={"epochs": 5},
        return_estimator=True,
        random_state=0,
    )
    assert result.estimators[0].weight_history_.shape[0] == 5


def test_cross_validate_agreement_with_permutation_on_each_test_fold(regression_data):
    X, y = regression_data
    cv = KFold(3)
    result = cross_validate_importances(
        WeightTrajectoryRegressor(**LEARN),
        X,
        y,
        cv=cv,
        n_repeats=3,
        return_estimator=True,
        random_state=0,
    )
    assert result.permutation_importances.shape == (3, 4)
    assert result.permutation_spearman.shape == (3,)
    for k, (_, test) in enumerate(cv.split(X)):
        # sklearn's permutation importance of the fold's model on the fold's test part
        expected = permutation_importance(
            result.estimators[k], X.iloc[test], y.iloc[test], n_repeats=3, random_state=0
        ).importances_mean
        # the seed differs, the picture does not: a and b drive y, c and d do nothing
        got = result.permutation_importances[k]
        assert got[:2].min() > got[2:].max()
        assert expected[:2].min() > expected[2:].max()
        rho = stats.spearmanr(result.importances[k], got)[0]
        assert result.permutation_spearman[k] == pytest.approx(rho)
    assert result.permutation_agreement == pytest.approx(result.permutation_spearman.mean())
    np.testing.assert_allclose(
        result.summary.loc[["a", "b", "c", "d"], "permutation_mean"],
        result.permutation_importances.mean(axis=0),
    )
    # Without a significance test there is no noise floor to report.
    assert result.significance is None and result.decision is None
    assert np.isnan(result.share_confirmed)
    assert "decision" not in result.summary


def test_cross_validate_permutation_seeded_reproducible_and_optional(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST)
    first = cross_validate_importances(est, X, y, cv=2, random_state=3, n_repeats=2)
    second = cross_validate_importances(est, X, y, cv=2, random_state=3, n_repeats=2)
    np.testing.assert_array_equal(first.permutation_importances, second.permutation_importances)
    off = cross_validate_importances(est, X, y, cv=2, random_state=3, permutation=False)
    # the folds' own seeds do not depend on the permutation being run
    np.testing.assert_allclose(off.importances, first.importances)
    assert np.isnan(off.permutation_importances).all()
    assert np.isnan(off.permutation_spearman).all() and np.isnan(off.permutation_agreement)
    assert "permutation_mean" not in off.summary


def test_cross_validate_reports_the_share_confirmed_above_noise(regression_data):
    X, y = regression_data
    result = cross_validate_importances(
        WeightTrajectoryRegressor(**LEARN),
        X,
        y,
        cv=2,
        permutation=False,
        significance_rounds=20,  # 4 / (1 + 20 * 4) <= 0.05: enough to confirm
        random_state=0,
    )
    decision = result.decision
    assert list(decision.index) == list(result.feature_names)
    assert (decision[["a", "b"]] == "confirmed").all()
    assert not (decision[["c", "d"]] == "confirmed").any()
    assert result.share_confirmed == pytest.approx(0.5)
    assert result.significance.n_rounds == 20
    assert result.significance.method == "olden"  # the estimator's importance_method
    pd.testing.assert_series_equal(
        result.summary["decision"], decision.reindex(result.summary.index)
    )
    np.testing.assert_allclose(
        result.summary.loc[decision.index, "pvalue"], result.significance.pvalues["olden"]
    )


def test_cross_validate_refuses_bad_new_parameters(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST)
    for bad in (
        {"n_repeats": 0},
        {"significance_rounds": -1},
        {"significance_rounds": True},
        {"permutation": "yes"},
        {"group_score": "max"},
    ):
        with pytest.raises(ValueError, match=f"'{next(iter(bad))}' parameter"):
            cross_validate_importances(est, X, y, cv=2, **bad)


@pytest.mark.slow
def test_cross_validate_on_a_dask_cluster_matches_one_job(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST)
    local = cross_validate_importances(est, X, y, cv=2, random_state=0, n_jobs=1)
    with on_a_dask_cluster():
        remote = cross_validate_importances(est, X, y, cv=2, random_state=0, n_jobs=2)
    np.testing.assert_allclose(remote.importances, local.importances, rtol=1e-6)
    np.testing.assert_allclose(remote.test_scores, local.test_scores, rtol=1e-6)


@pytest.mark.slow
def test_replica_folds_on_a_dask_cluster_match_in_process(regression_data):
    # The folds' replica groups are joblib tasks, pickled to the cluster's workers.
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST)
    kwargs = {"cv": 3, "random_state": 0, "replicas": True, "n_jobs": 2}
    local = cross_validate_importances(est, X, y, **kwargs)
    with on_a_dask_cluster():
        remote = cross_validate_importances(est, X, y, **kwargs)
    assert local.training == remote.training
    np.testing.assert_allclose(remote.importances, local.importances, rtol=1e-5)
    np.testing.assert_allclose(remote.test_scores, local.test_scores, rtol=1e-5)


# ------------------------------------------------------------ compare_importances


@pytest.fixture(scope="module")
def fitted_regressor(regression_data):
    X, y = regression_data
    return WeightTrajectoryRegressor(**FAST, random_state=0).fit(X[:80], y[:80])


def test_compare_table_ranks_and_correlation(fitted_regressor, regression_data):
    X, y = regression_data
    result = compare_importances(fitted_regressor, X[80:], y[80:], random_state=0)
    table = result.table
    assert list(table.index) == ["a", "b", "c", "d"]
    methods = list(table["importance"].columns)
    assert {"weight_std", "permutation"} <= set(methods)
    assert list(table["rank"].columns) == methods
    np.testing.assert_allclose(table["importance"].abs().sum(), 1.0)
    for method in methods:
        expected = table["importance"][method].rank(ascending=False, method="min")
        np.testing.assert_array_equal(table["rank"][method], expected)
    assert result.rank_correlation.shape == (len(methods), len(methods))
    assert list(result.timings.index) == methods
    assert (result.timings >= 0).all()
    np.testing.assert_allclose(
        result.raw["weight_std"] / result.raw["weight_std"].sum(),
        fitted_regressor.feature_importances_,
    )


def test_compare_permutation_is_sklearns(fitted_regressor, regression_data):
    X, y = regression_data
    result = compare_importances(
        fitted_regressor, X[80:], y[80:], methods=["permutation"], n_repeats=3, random_state=4
    )
    expected = permutation_importance(fitted_regressor, X[80:], y[80:], n_repeats=3, random_state=4)
    np.testing.assert_allclose(result.raw["permutation"], expected.importances_mean)
    np.testing.assert_allclose(result.permutation_std, expected.importances_std)


def test_compare_groups_permute_one_hot_columns_together(mixed_data):
    X, y = mixed_data
    pipe = _mixed_pipeline(random_state=0).fit(X[:60], y[:60])
    result = compare_importances(
        pipe, X[60:], y[60:], feature_groups="auto", n_repeats=3, random_state=0
    )
    assert list(result.table.index) == ["num", "other", "color"]
    # Permuting the three color columns together is permuting the raw color column.
    raw_columns = permutation_importance(pipe, X[60:], y[60:], n_repeats=3, random_state=0)
    np.testing.assert_allclose(
        result.raw["permutation"], raw_columns.importances_mean[[0, 2, 1]], rtol=1e-6
    )
    grouped_std = result.raw["weight_std"]
    columns = pipe[-1].importance_scores("weight_std")
    assert grouped_std["color"] == pytest.approx(columns[2:].mean())  # the default
    summed = compare_importances(
        pipe, X[60:], y[60:], methods=["weight_std"], feature_groups="auto", group_score="sum"
    )
    assert summed.raw["weight_std"]["color"] == pytest.approx(columns[2:].sum())


def test_compare_classifier(classification_data):
    X, y = classification_data
    clf = WeightTrajectoryClassifier(**FAST, random_state=0).fit(X[:100], y[:100])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no feature-name warnings from the permutations
        result = compare_importances(clf, X[100:], y[100:], scoring="accuracy", random_state=0)
    assert result.table.shape[0] == 4


def test_a_random_many_level_category_does_not_outrank_a_real_signal():
    # One informative numeric column and a random 10-level categorical column. Summed,
    # the ten one-hot columns of noise outscore the signal (the bias); their mean does not.
    rng = np.random.RandomState(3)
    n = 120
    X = pd.DataFrame({"x": rng.normal(size=n), "noise": rng.randint(10, size=n).astype(str)})
    y = 2 * X["x"] + 0.5 * rng.normal(size=n)
    prep = make_column_transformer(
        (StandardScaler(), ["x"]), (OneHotEncoder(sparse_output=False), ["noise"])
    )
    model = WeightTrajectoryRegressor(
        hidden_layer_sizes=(8,), epochs=8, batch_size=32, learning_rate=0.05, random_state=3
    )
    pipe = make_pipeline(prep, model).fit(X, y)
    methods = ["weight_std", "olden"]
    kwargs = {"methods": methods, "feature_groups": "auto"}
    mean = compare_importances(pipe, X, y, **kwargs).raw
    summed = compare_importances(pipe, X, y, group_score="sum", **kwargs).raw
    for method in methods:
        assert summed.loc["noise", method] > summed.loc["x", method], method
        assert mean.loc["x", method] > mean.loc["noise", method], method


# ------------------------------------------------------------ estimator feature_groups


def test_estimator_report_groups_rows(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST, feature_groups={"ab": ["a", "b"]}, random_state=0)
    est.fit(X, y)
    report = est.importance_report_
    assert list(report.index) == ["ab", "c", "d"]
    assert report["importance"].sum() == pytest.approx(1.0)
    scores = est.importance_scores()
    # the default group_score: the group's mean score, the importances normalised again
    grouped = np.r_[scores[:2].mean(), scores[2:]]
    np.testing.assert_allclose(report["importance"], grouped / grouped.sum())
    assert report.loc["ab", "weight_std"] == pytest.approx(scores[:2].mean())
    assert est.feature_importances_.shape == (4,)  # per input column, for SelectFromModel
    # group_score="sum" only reads the fitted network differently: no refit
    est.set_params(group_score="sum")
    summed = est.importance_report_
    assert summed.loc["ab", "importance"] == pytest.approx(est.feature_importances_[:2].sum())
    assert summed.loc["ab", "weight_std"] == pytest.approx(scores[:2].sum())


def test_estimator_refuses_a_bad_group_score(regression_data):
    X, y = regression_data
    with pytest.raises(ValueError, match="'group_score' parameter"):
        WeightTrajectoryRegressor(**FAST, group_score="max").fit(X, y)


# ------------------------------------------------------------ bad input


def test_unfitted_estimator_is_refused_by_compare(regression_data):
    X, y = regression_data
    with pytest.raises(NotFittedError):
        compare_importances(WeightTrajectoryRegressor(**FAST), X, y)
    with pytest.raises(NotFittedError):
        compare_importances(make_pipeline(StandardScaler(), WeightTrajectoryRegressor()), X, y)


def test_pipeline_must_end_in_ours(regression_data):
    X, y = regression_data
    pipe = make_pipeline(StandardScaler(), Ridge())
    with pytest.raises(TypeError, match="last step of the Pipeline.*Ridge"):
        cross_validate_importances(pipe, X, y, cv=2)
    with pytest.raises(TypeError, match="last step of the Pipeline.*Ridge"):
        compare_importances(pipe.fit(X, y), X, y)
    with pytest.raises(TypeError, match="estimator must be a WeightTrajectoryRegressor"):
        cross_validate_importances(Ridge(), X, y, cv=2)


def test_single_split_is_refused(regression_data):
    X, y = regression_data
    one_split = [(np.arange(60), np.arange(60, 120))]
    with pytest.raises(ValueError, match="at least two splits.*made 1"):
        cross_validate_importances(WeightTrajectoryRegressor(**FAST), X, y, cv=one_split)


def test_mismatched_feature_groups(fitted_regressor, regression_data):
    X, y = regression_data
    with pytest.raises(ValueError, match=r"\['zz'\]"):
        compare_importances(fitted_regressor, X, y, feature_groups={"g": ["a", "zz"]})
    with pytest.raises(ValueError, match="two feature groups"):
        cross_validate_importances(
            WeightTrajectoryRegressor(**FAST),
            X,
            y,
            cv=2,
            feature_groups={"g": ["a", "b"], "h": ["b", "c"]},
        )
    with pytest.raises(ValueError, match=r"\['zz'\]"):
        WeightTrajectoryRegressor(**FAST, feature_groups={"g": ["zz"]}).fit(X, y)


def test_unknown_method_and_bad_repeats(fitted_regressor, regression_data):
    X, y = regression_data
    with pytest.raises(ValueError, match="Unknown method.*'magic'"):
        compare_importances(fitted_regressor, X, y, methods=["magic"])
    with pytest.raises(ValueError, match="n_repeats"):
        compare_importances(fitted_regressor, X, y, n_repeats=0)


def test_compare_runs_every_method_the_model_supports(fitted_regressor, regression_data):
    X, y = regression_data
    result = compare_importances(fitted_regressor, X[80:], y[80:], n_repeats=2, random_state=0)
    methods = list(result.table["importance"].columns)
    assert methods == [
        "weight_std",
        "viann",
        "displacement",
        "garson",
        "olden",
        "gradient",
        "permutation",
    ]
    for method in ("viann", "olden", "garson"):
        np.testing.assert_allclose(
            result.raw[method], fitted_regressor.importance_scores(method), rtol=1e-12
        )


def test_compare_garson_on_two_hidden_layers_is_refused(regression_data):
    X, y = regression_data
    params = {**FAST, "hidden_layer_sizes": (4, 3)}
    est = WeightTrajectoryRegressor(**params, random_state=0).fit(X, y)
    result = compare_importances(est, X, y, n_repeats=1, random_state=0)
    assert "garson" not in result.table["importance"].columns  # skipped when not asked
    assert "olden" in result.table["importance"].columns
    with pytest.raises(ValueError, match="[Gg]arson.*one hidden layer"):
        compare_importances(est, X, y, methods=["garson"])


def test_compare_with_too_few_columns_is_scikit_learns_error(fitted_regressor, regression_data):
    X, y = regression_data
    for narrow in (X.iloc[:, :3], X.to_numpy()[:, :3]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # fitted with names, given none
            with pytest.raises(ValueError) as expected:
                fitted_regressor.predict(narrow)
            for methods in (None, ["weight_std"]):
                with pytest.raises(ValueError) as got:
                    compare_importances(fitted_regressor, narrow, y, methods=methods)
                assert str(got.value) == str(expected.value)
    pipe = make_pipeline(StandardScaler(), WeightTrajectoryRegressor(**FAST)).fit(X, y)
    with pytest.raises(ValueError) as expected:
        pipe.predict(X.iloc[:, :3])
    with pytest.raises(ValueError) as got:
        compare_importances(pipe, X.iloc[:, :3], y)
    assert str(got.value) == str(expected.value)


def test_boolean_n_repeats_is_refused(fitted_regressor, regression_data):
    X, y = regression_data
    with pytest.raises(ValueError, match="n_repeats"):
        compare_importances(fitted_regressor, X, y, n_repeats=True)


# ------------------------------------------------- cross-validation folds as replicas


def test_replica_folds_are_the_networks_their_separate_fits_train(regression_data):
    """Each fold's network starts where its clone would and, visiting its training rows
    in the same order, ends where its separate fit would: same record, same scores."""
    X, y = regression_data  # 120 rows: three folds of 80 training rows each
    est = WeightTrajectoryRegressor(**{**LEARN, "shuffle": False})
    cv = KFold(3, shuffle=True, random_state=0)
    result = cross_validate_importances(
        est, X, y, cv=cv, random_state=0, replicas=True, return_estimator=True
    )
    assert result.replicas and result.training == "replicas of one Keras model"
    for fold, (train, test) in zip(result.estimators, cv.split(X), strict=True):
        seed = fold.random_state
        order = np.random.default_rng([seed, 1]).permutation(len(train))
        rows = train[order]
        separate = clone(est).set_params(random_state=seed).fit(X.iloc[rows], y.iloc[rows])
        np.testing.assert_allclose(fold.weight_history_, separate.weight_history_, atol=1e-5)
        np.testing.assert_allclose(
            fold.predict(X.iloc[test]), separate.predict(X.iloc[test]), rtol=1e-4, atol=1e-5
        )
        assert fold.feature_names_ == ["a", "b", "c", "d"]
        assert len(fold.history_) == 0  # Keras' loss of one network of a shared model
    separate = cross_validate_importances(est, X, y, cv=cv, random_state=0, replicas=False)
    assert separate.training == "separate fits (replicas=False)"
    # The same folds and starts, other row orders: close, not equal.
    assert np.corrcoef(result.importances.ravel(), separate.importances.ravel())[0, 1] > 0.8


def test_replica_folds_of_a_classifier_pipeline(classification_data):
    X, y = classification_data  # 150 rows, 4 folds: training sets of 112 and 113 rows
    pipe = make_pipeline(StandardScaler(), WeightTrajectoryClassifier(**LEARN))
    result = cross_validate_importances(
        pipe, X, y, cv=4, random_state=0, replicas="auto", return_estimator=True
    )
    assert result.replicas
    assert list(result.feature_names) == ["a", "b", "c", "d"]
    assert (result.test_scores > 0.6).all()
    assert set(result.summary.index[:2]) == {"a", "b"}
    for fitted in result.estimators:
        assert list(fitted[-1].classes_) == ["high", "low", "mid"]
        assert fitted.predict(X.iloc[:3]).shape == (3,)


@pytest.mark.parametrize(
    "params, fit_params, cv, reason",
    [
        ({"record_all_kernels": True}, None, 3, "record_all_kernels=True keeps every"),
        ({}, {"epochs": 2}, 3, "params= passes fit arguments"),
        ({}, None, [(np.arange(60), np.arange(60, 120)), (np.arange(40, 120), np.arange(40))],
         "training sets have 60 to 80 rows"),
        ({"loss": "mae"}, None, 3, "a loss= of your own"),
    ],
)  # fmt: skip
def test_folds_replicas_cannot_reproduce_are_separate_fits(
    regression_data, params, fit_params, cv, reason
):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**{**FAST, "epochs": 2, **params})
    kwargs = {"cv": cv, "params": fit_params, "permutation": False}
    result = cross_validate_importances(est, X, y, replicas="auto", **kwargs)
    assert not result.replicas and reason in result.training
    with pytest.raises(ValueError, match="replicas=True, but"):
        cross_validate_importances(est, X, y, replicas=True, **kwargs)


def test_replica_folds_check_the_data_as_a_fit_would(regression_data):
    X, y = regression_data
    X = X.copy()
    X.loc[5, "c"] = np.nan  # in two of the three folds' training sets
    est = WeightTrajectoryRegressor(**{**FAST, "epochs": 2})
    with pytest.raises(ValueError) as separate:
        est.fit(X, y)
    with pytest.raises(ValueError) as together:
        cross_validate_importances(est, X, y, cv=3, replicas=True, permutation=False)
    assert str(together.value) == str(separate.value)
    assert "'c'" in str(together.value)  # the column is named, as in a fit
