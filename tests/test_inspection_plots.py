import matplotlib
import numpy as np
import pandas as pd
import pytest

from skweightimp import (
    ImportanceComparisonDisplay,
    ImportanceStabilityDisplay,
    WeightTrajectoryRegressor,
)
from skweightimp.inspection import compare_importances, cross_validate_importances

from .conftest import FAST

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(scope="module")
def cv_result(regression_data):
    X, y = regression_data
    return cross_validate_importances(WeightTrajectoryRegressor(**FAST), X, y, cv=3, random_state=0)


@pytest.fixture(scope="module")
def comparison(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST, random_state=0).fit(X[:80], y[:80])
    return compare_importances(est, X[80:], y[80:], n_repeats=2, random_state=0)


def _ytick_labels(ax):
    return [t.get_text() for t in ax.get_yticklabels()]


def test_stability_box_draws_one_box_per_feature_sorted(cv_result):
    display = ImportanceStabilityDisplay.from_cv_results(cv_result)
    assert len(display.boxes_["boxes"]) == 4
    assert display.points_.get_offsets().shape == (3 * 4, 2)
    # most important on top (last y tick)
    labels = _ytick_labels(display.ax_)
    assert labels[-1] == cv_result.summary.index[0]
    assert sorted(labels) == ["a", "b", "c", "d"]
    assert "Spearman" in display.ax_.get_title()
    assert display.figure_ is display.ax_.figure


def test_stability_strip_and_ax_reuse(cv_result):
    _, ax = plt.subplots()
    display = ImportanceStabilityDisplay.from_cv_results(cv_result, kind="strip", ax=ax)
    assert display.ax_ is ax
    assert display.boxes_ is None
    assert len(ax.collections) == 2  # the fold points and the means


def test_stability_point_style_merges(cv_result):
    display = ImportanceStabilityDisplay.from_cv_results(
        cv_result, point_kwargs={"s": 5, "color": "red"}
    )
    np.testing.assert_allclose(display.points_.get_sizes(), 5)
    np.testing.assert_allclose(display.points_.get_facecolors()[0], (1, 0, 0, 1))


def test_stability_from_estimator(regression_data):
    X, y = regression_data
    display = ImportanceStabilityDisplay.from_estimator(
        WeightTrajectoryRegressor(**FAST), X, y, cv=2, random_state=0, kind="strip"
    )
    assert display.importances.shape == (2, 4)


def test_stability_errors(cv_result):
    with pytest.raises(ValueError, match="kind must be one of 'box', 'strip'"):
        ImportanceStabilityDisplay.from_cv_results(cv_result, kind="violin")
    with pytest.raises(ValueError, match="cross_validate_importances"):
        ImportanceStabilityDisplay.from_cv_results({"table": None})
    with pytest.raises(ValueError, match="shape"):
        ImportanceStabilityDisplay(np.ones((2, 3)), ["a", "b"]).plot()


def test_comparison_bars_per_method(comparison):
    display = ImportanceComparisonDisplay.from_comparison(comparison)
    methods = list(comparison.table["importance"].columns)
    assert list(display.bars_) == methods
    for method in methods:
        assert len(display.bars_[method]) == 4
    legend = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert all(text.startswith(tuple(methods)) and text.endswith(" s)") for text in legend)
    # each bar's width is the normalised importance of its feature
    widths = sorted(bar.get_width() for bar in display.bars_["weight_std"])
    np.testing.assert_allclose(widths, np.sort(comparison.table["importance"]["weight_std"]))


def test_comparison_rank_grid(comparison):
    _, ax = plt.subplots()
    display = ImportanceComparisonDisplay.from_comparison(comparison, kind="rank", ax=ax)
    assert display.ax_ is ax
    n_methods = comparison.table["rank"].shape[1]
    assert display.image_.get_array().shape == (4, n_methods)
    assert len(ax.texts) == 4 * n_methods


def test_comparison_method_subset_and_errors(comparison):
    display = ImportanceComparisonDisplay.from_comparison(comparison, methods=["permutation"])
    assert list(display.bars_) == ["permutation"]
    with pytest.raises(ValueError, match=r"\['nope'\] are not in the table"):
        ImportanceComparisonDisplay.from_comparison(comparison, methods=["nope"])
    with pytest.raises(ValueError, match="kind must be one of 'bar', 'rank'"):
        ImportanceComparisonDisplay.from_comparison(comparison, kind="pie")
    with pytest.raises(ValueError, match="compare_importances"):
        ImportanceComparisonDisplay(pd.DataFrame({"x": [1]})).plot()


def test_comparison_from_estimator(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST, random_state=0).fit(X[:80], y[:80])
    display = ImportanceComparisonDisplay.from_estimator(
        est, X[80:], y[80:], methods=["weight_std", "permutation"], n_repeats=2, random_state=0
    )
    assert list(display.bars_) == ["weight_std", "permutation"]


def test_names_with_dollar_signs_are_drawn_as_written():
    from matplotlib.text import Text

    names = ["growth $^$ rate", "$10 and $20", "plain"]
    folds = np.array([[0.6, 0.3, 0.1], [0.5, 0.35, 0.15]])
    methods = ["weight_std", "permutation"]
    importance = pd.DataFrame([[0.6, 0.5], [0.3, 0.4], [0.1, 0.1]], index=names, columns=methods)
    table = pd.concat({"importance": importance, "rank": importance.rank(ascending=False)}, axis=1)
    displays = [
        ImportanceStabilityDisplay(folds, names).plot(kind="box"),
        ImportanceStabilityDisplay(folds, names).plot(kind="strip"),
        ImportanceComparisonDisplay(table, timings={"weight_std": 0.1}).plot(kind="bar"),
        ImportanceComparisonDisplay(table).plot(kind="rank"),
    ]
    for display in displays:
        display.figure_.canvas.draw()  # raised ValueError: ^ (mathtext)
        texts = [t for t in display.figure_.findobj(Text) if t.get_text()]
        for name in names:
            shown = [t for t in texts if t.get_text() == name]
            assert shown and not any(t.get_parse_math() for t in shown), name
