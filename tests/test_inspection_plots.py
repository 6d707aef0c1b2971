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
    with pytest.raises(
        ValueError, match="'kind' parameter of ImportanceStabilityDisplay.from_cv_results"
    ) as error:
        ImportanceStabilityDisplay.from_cv_results(cv_result, kind="violin")
    assert "'box'" in str(error.value) and "'strip'" in str(error.value)
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
    with pytest.raises(
        ValueError, match="'kind' parameter of ImportanceComparisonDisplay.from_comparison"
    ) as error:
        ImportanceComparisonDisplay.from_comparison(comparison, kind="pie")
    assert "'bar'" in str(error.value) and "'rank'" in str(error.value)
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


def _small_table(order_of_rows=("a", "b", "c")):
    importance = pd.DataFrame(
        {"m1": [0.5, 0.3, 0.2], "m2": [0.6, 0.1, 0.3]}, index=list(order_of_rows)
    )
    return pd.concat({"importance": importance, "rank": importance.rank(ascending=False)}, axis=1)


def test_stability_plot_draws_the_stored_statistics_as_they_are(monkeypatch):
    from matplotlib import cbook

    folds = np.array([[0.6, 0.3, 0.1], [0.5, 0.35, 0.15], [0.55, 0.3, 0.15]])
    # An order that is not the sorted one, and a median no fold value gives.
    stats = cbook.boxplot_stats(folds)
    stats[2] = {**stats[2], "med": 0.9}
    display = ImportanceStabilityDisplay(folds, ["a", "b", "c"], order=[0, 2, 1], box_stats=stats)
    display.mean_importances = np.array([-1.0, -2.0, -3.0])

    def no_statistics(*args, **kwargs):
        raise AssertionError("plot() computed box statistics")

    monkeypatch.setattr(cbook, "boxplot_stats", no_statistics)
    display.plot(kind="box")
    assert _ytick_labels(display.ax_) == ["a", "c", "b"]
    # the second box (row 2) is feature "c": its median line is the stored one
    np.testing.assert_allclose(display.boxes_["medians"][1].get_xdata(), 0.9)
    display.plot(kind="strip")
    np.testing.assert_allclose(display.mean_points_.get_offsets()[:, 0], [-1.0, -3.0, -2.0])
    np.testing.assert_allclose(display.points_.get_offsets()[:3, 0], [0.6, 0.1, 0.3])


def test_comparison_plot_draws_the_stored_order_and_methods():
    display = ImportanceComparisonDisplay(_small_table(), methods=["m2"], order=[2, 0, 1])
    display.plot(kind="bar")
    assert list(display.bars_) == ["m2"]
    assert _ytick_labels(display.ax_) == ["c", "a", "b"]
    widths = [bar.get_width() for bar in display.bars_["m2"]]
    np.testing.assert_allclose(widths, [0.3, 0.6, 0.1])
    display.plot(kind="rank")
    assert _ytick_labels(display.ax_) == ["c", "a", "b"]
    np.testing.assert_allclose(display.image_.get_array(), [[2.0], [1.0], [3.0]])
    assert [t.get_text() for t in display.texts_] == ["2", "1", "3"]


def test_built_displays_keep_what_they_computed(cv_result, comparison):
    stability = ImportanceStabilityDisplay.from_cv_results(cv_result)
    means = cv_result.importances.mean(axis=0)
    np.testing.assert_allclose(stability.mean_importances, means)
    np.testing.assert_array_equal(stability.order, np.argsort(means, kind="stable"))
    assert len(stability.box_stats) == 4
    subset = ImportanceComparisonDisplay.from_comparison(
        comparison, methods=["permutation", "weight_std"]
    )
    assert subset.methods == ["permutation", "weight_std"]
    assert list(subset.importances.columns) == ["permutation", "weight_std"]
    assert list(subset.ranks.columns) == ["permutation", "weight_std"]
    top = subset.importances.index[subset.order[-1]]
    assert top == subset.importances.abs().mean(axis=1).idxmax()


def _drawing(ax):
    """What an axes shows, as plain values: ticks, points, lines, bars, image, texts."""
    from matplotlib.patches import Rectangle

    return {
        "yticks": _ytick_labels(ax),
        "xticks": [t.get_text() for t in ax.get_xticklabels()],
        "title": ax.get_title(),
        "points": [c.get_offsets().tolist() for c in ax.collections],
        "lines": [line.get_xydata().tolist() for line in ax.lines],
        "bars": [
            (p.get_x(), p.get_y(), p.get_width(), p.get_height())
            for p in ax.patches
            if isinstance(p, Rectangle)
        ],
        "images": [image.get_array().tolist() for image in ax.images],
        "texts": [(t.get_text(), t.get_position()) for t in ax.texts],
    }


@pytest.mark.parametrize("kind", ["box", "strip"])
def test_stability_plotted_twice_draws_the_same(cv_result, kind):
    display = ImportanceStabilityDisplay.from_cv_results(cv_result, kind=kind)
    first = _drawing(display.ax_)
    _, ax = plt.subplots()
    assert display.plot(ax=ax, kind=kind) is display
    assert display.ax_ is ax
    assert _drawing(ax) == first
    assert first["points"]  # the comparison is of something


@pytest.mark.parametrize("kind", ["bar", "rank"])
def test_comparison_plotted_twice_draws_the_same(comparison, kind):
    display = ImportanceComparisonDisplay.from_comparison(comparison, kind=kind)
    first = _drawing(display.ax_)
    _, ax = plt.subplots()
    assert display.plot(ax=ax, kind=kind) is display
    assert display.ax_ is ax
    assert _drawing(ax) == first
    assert first["bars"] or first["images"]


def test_stored_data_errors():
    folds = np.ones((2, 3))
    with pytest.raises(ValueError, match="order must hold each feature index 0..2"):
        ImportanceStabilityDisplay(folds, ["a", "b", "c"], order=[0, 1, 1])
    with pytest.raises(ValueError, match="box_stats must hold one dict per feature"):
        ImportanceStabilityDisplay(folds, ["a", "b", "c"], box_stats=[{}])
    with pytest.raises(ValueError, match="order must hold"):
        ImportanceComparisonDisplay(_small_table(), order=[0, 1])
    no_ranks = ImportanceComparisonDisplay(_small_table()[["importance"]])
    assert no_ranks.ranks is None
    with pytest.raises(ValueError, match="kind='rank' needs the \\('rank', method\\) columns"):
        no_ranks.plot(kind="rank")
