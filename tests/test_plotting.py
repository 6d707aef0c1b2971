"""WeightTrajectoryDisplay: every kind's artists and labels, axes handling, errors, animation."""

import copy
import io
import subprocess
import sys

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import same_color  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.linear_model import LinearRegression  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer, StandardScaler  # noqa: E402

from skweightimp import (  # noqa: E402
    WeightTrajectoryClassifier,
    WeightTrajectoryDisplay,
    WeightTrajectoryRegressor,
)
from skweightimp.importance import grouped_weight_std, importance_report, weight_std  # noqa: E402
from skweightimp.importance._methods import BARRAGE_COLUMNS  # noqa: E402
from skweightimp.plotting._trajectory import _KINDS as KINDS  # noqa: E402
from skweightimp.plotting._trajectory import SEED_PALETTE  # noqa: E402

from .conftest import FAST  # noqa: E402

N_EPOCHS = 5
NAMES = ["a", "b", "c", "d"]


@pytest.fixture(scope="module")
def fitted(regression_data):
    """A regressor fitted on four named features: history (5, 4, 4)."""
    X, y = regression_data
    return WeightTrajectoryRegressor(**{**FAST, "epochs": N_EPOCHS}, random_state=0).fit(X, y)


@pytest.fixture(scope="module")
def pipeline(regression_data):
    """StandardScaler outputs numpy, so only the Pipeline knows the names a..d."""
    X, y = regression_data
    return make_pipeline(StandardScaler(), WeightTrajectoryRegressor(**FAST, random_state=0)).fit(
        X, y
    )


def history(n_epochs=12, n_features=4, n_units=3, seed=0):
    rng = np.random.RandomState(seed)
    return rng.normal(scale=0.05, size=(n_epochs, n_features, n_units)).cumsum(axis=0)


def tick_texts(ax, axis="x"):
    ticks = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [t.get_text() for t in ticks]


# ---------------------------------------------------------------------- kinds


def test_grouped_std_one_bar_per_feature(fitted):
    display = WeightTrajectoryDisplay.from_estimator(fitted)
    assert display.kind_ == "grouped_std"
    assert len(display.bars_) == 4
    heights = [bar.get_height() for bar in display.bars_]
    np.testing.assert_allclose(heights, grouped_weight_std(fitted.weight_history_))
    assert tick_texts(display.ax_) == NAMES
    assert display.ax_.get_ylabel() == "Grouped Standard Deviation"
    assert display.figure_ is display.ax_.figure
    for bar, color in zip(display.bars_, SEED_PALETTE, strict=True):
        assert same_color(bar.get_facecolor(), color)


def test_grouped_std_normalized_is_feature_importances(fitted):
    display = WeightTrajectoryDisplay.from_estimator(fitted, normalize=True)
    heights = [bar.get_height() for bar in display.bars_]
    np.testing.assert_allclose(heights, fitted.feature_importances_, rtol=1e-6)
    assert display.ax_.get_ylabel() == "Importance"


def test_std_one_bar_per_feature_and_unit(fitted):
    display = WeightTrajectoryDisplay.from_estimator(fitted, kind="std")
    assert len(display.bars_) == 16
    assert tick_texts(display.ax_) == [f"{n} {u}" for n in NAMES for u in range(1, 5)]
    np.testing.assert_allclose(
        [bar.get_height() for bar in display.bars_],
        weight_std(fitted.weight_history_).ravel(),
    )
    # Coloured per feature, with the seed's palette.
    for k, bar in enumerate(display.bars_):
        assert same_color(bar.get_facecolor(), SEED_PALETTE[k // 4])
    assert display.ax_.get_xlabel() == "Input Column and Node Number"
    assert display.ax_.get_ylabel() == "Standard Deviation"


def test_std_chosen_units():
    display = WeightTrajectoryDisplay.from_history(history(), kind="std", units=[2, 0])
    assert len(display.bars_) == 8
    assert tick_texts(display.ax_)[:2] == ["x0 3", "x0 1"]


@pytest.mark.parametrize("showfliers", [False, True])
def test_box_one_box_per_feature_and_unit(fitted, showfliers):
    display = WeightTrajectoryDisplay.from_estimator(fitted, kind="box", showfliers=showfliers)
    assert len(display.boxes_["boxes"]) == 16
    assert len(display.boxes_["medians"]) == 16
    np.testing.assert_allclose(
        [m.get_ydata()[0] for m in display.boxes_["medians"]],
        np.median(fitted.weight_history_, axis=0).ravel(),
        rtol=1e-6,
    )
    if not showfliers:
        assert all(len(f.get_ydata()) == 0 for f in display.boxes_["fliers"])
    assert tick_texts(display.ax_)[:2] == ["a 1", "a 2"]
    assert display.ax_.get_ylabel() == "Weight Values"
    assert same_color(display.boxes_["boxes"][4].get_facecolor(), SEED_PALETTE[1])


def test_box_draws_fliers_when_asked():
    H = history(n_epochs=40)
    H[5, 0, 0] = 10.0  # an outlier
    display = WeightTrajectoryDisplay.from_history(H, kind="box", showfliers=True)
    assert 10.0 in display.boxes_["fliers"][0].get_ydata()


def test_trajectory_one_panel_per_unit(fitted):
    display = WeightTrajectoryDisplay.from_estimator(fitted, kind="trajectory")
    assert isinstance(display.ax_, np.ndarray) and display.ax_.shape == (4,)
    assert display.lines_.shape == (4, 4)
    line = display.lines_[1, 2]
    assert line.axes is display.ax_[2]
    np.testing.assert_allclose(line.get_xdata(), np.arange(1, N_EPOCHS + 1))
    np.testing.assert_allclose(line.get_ydata(), fitted.weight_history_[:, 1, 2])
    assert [t.get_text() for t in display.legend_.get_texts()] == NAMES
    assert display.ax_[0].get_xlabel() == "Epoch"
    assert display.ax_[0].get_ylabel() == "Weight"
    assert [ax.get_title() for ax in display.ax_] == ["Node 1", "Node 2", "Node 3", "Node 4"]


def test_trajectory_in_one_axes_and_absolute(fitted):
    display = WeightTrajectoryDisplay.from_estimator(
        fitted, kind="trajectory", per_unit=False, absolute=True
    )
    assert not isinstance(display.ax_, np.ndarray)
    assert len(display.ax_.get_lines()) == 16
    assert all((line.get_ydata() >= 0).all() for line in display.lines_.ravel())
    assert display.ax_.get_ylabel() == "Absolute Weight"
    assert len(display.legend_.get_texts()) == 4


def test_density_one_panel_per_unit_with_threshold(fitted):
    display = WeightTrajectoryDisplay.from_estimator(fitted, kind="density")
    assert display.ax_.shape == (4,)
    assert display.lines_.shape == (4, 4)
    assert len(display.threshold_lines_) == 4
    H = fitted.weight_history_.astype(float)
    mu, sigma = H[:, 0, 0].mean(), H[:, 0, 0].std(ddof=1)
    x, y = display.lines_[0, 0].get_data()
    expected = np.exp(-0.5 * ((x - mu) / sigma) ** 2) / (np.sqrt(2 * np.pi) * sigma)
    np.testing.assert_allclose(y, expected, rtol=1e-6, atol=1e-300)  # subnormal tails differ
    assert display.ax_[0].get_xlim() == pytest.approx(tuple(fitted.barrage_domain))
    assert display.ax_[0].get_xlabel() == "Weight"
    assert display.ax_[0].get_ylabel() == "Probability Density"
    legend = [t.get_text() for t in display.legend_.get_texts()]
    assert legend == [*NAMES, "barrage threshold"]


def test_density_of_a_weight_that_never_moved_is_a_vertical_line():
    H = history()
    H[:, 1, 0] = 0.25
    display = WeightTrajectoryDisplay.from_history(H, kind="density", show_threshold=False)
    assert display.threshold_lines_ is None
    assert list(display.lines_[1, 0].get_xdata()) == [0.25, 0.25]


def test_density_auto_domain_covers_far_weights():
    H = history()
    H[:, 2, :] += 10.0
    display = WeightTrajectoryDisplay.from_history(H, kind="density", domain="auto")
    low, high = display.ax_[0].get_xlim()
    assert low < 0 and high > 10.0


@pytest.mark.parametrize("metric", BARRAGE_COLUMNS)
def test_barrage_bars_sorted_with_feature_labels(fitted, metric):
    display = WeightTrajectoryDisplay.from_estimator(fitted, kind="barrage", metric=metric)
    report = fitted.importance_report_
    expected = report[metric].sort_values(kind="stable")
    np.testing.assert_allclose([bar.get_width() for bar in display.bars_], expected.to_numpy())
    assert tick_texts(display.ax_, "y") == list(expected.index)
    assert display.ax_.get_xlabel() == metric.capitalize()
    assert display.ax_.get_ylabel() == "Input"


def test_barrage_notes_degenerate_units():
    H = history(n_epochs=30)
    H[:, 0, :] = 0.5  # never moved: every unit of x0 is degenerate
    display = WeightTrajectoryDisplay.from_history(H, kind="barrage")
    texts = [t.get_text().strip() for t in display.texts_]
    assert "3 degenerate units" in texts


def test_barrage_uses_the_estimators_barrage_settings(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(
        **FAST, random_state=0, barrage_domain=(-1.0, 1.0), barrage_num=50
    ).fit(X, y)
    display = WeightTrajectoryDisplay.from_estimator(est, kind="barrage", metric="len")
    assert sorted(bar.get_width() for bar in display.bars_) == sorted(est.importance_report_["len"])
    assert display.barrage_domain == (-1.0, 1.0)
    assert display.barrage_num == 50


@pytest.mark.parametrize("kind", KINDS)
def test_a_single_snapshot_draws_without_warnings(kind):
    # One epoch: no weight moved. Nothing to divide by zero, nothing to warn about
    # (setup.cfg turns ConstantWeightsWarning into an error).
    H = np.full((1, 2, 2), 0.5)
    display = WeightTrajectoryDisplay.from_history(H, kind=kind)
    assert display.kind_ == kind


def test_plot_redraws_the_last_kind_and_resets_other_artists():
    display = WeightTrajectoryDisplay.from_history(history(), kind="box")
    display.plot(showfliers=True)
    assert display.kind_ == "box" and display.boxes_ is not None
    display.plot(kind="std")
    assert display.boxes_ is None and display.bars_ is not None


def test_classifier_and_numpy_fit_get_generic_names(classification_data):
    X, y = classification_data
    clf = WeightTrajectoryClassifier(**FAST, random_state=0).fit(X.to_numpy(), y)
    display = WeightTrajectoryDisplay.from_estimator(clf, kind="std")
    assert tick_texts(display.ax_)[:2] == ["x0 1", "x0 2"]


# ---------------------------------------------------------------------- names


def test_pipeline_feature_names_come_from_the_steps_before(pipeline):
    assert not hasattr(pipeline[-1], "feature_names_in_")
    display = WeightTrajectoryDisplay.from_estimator(pipeline)
    assert tick_texts(display.ax_) == NAMES
    display = WeightTrajectoryDisplay.from_estimator(pipeline, kind="barrage")
    assert sorted(tick_texts(display.ax_, "y")) == NAMES


def test_pipeline_without_feature_names_out_falls_back(fitted, regression_data):
    from sklearn.pipeline import Pipeline

    X, _ = regression_data
    # FunctionTransformer() cannot name its output; the estimator saw X's names.
    pipe = Pipeline([("identity", FunctionTransformer().fit(X)), ("reg", fitted)])
    display = WeightTrajectoryDisplay.from_estimator(pipe)
    assert tick_texts(display.ax_) == NAMES


def test_from_history_names():
    display = WeightTrajectoryDisplay.from_history(history(n_features=2), kind="grouped_std")
    assert tick_texts(display.ax_) == ["x0", "x1"]
    display = WeightTrajectoryDisplay.from_history(
        history(n_features=2), feature_names=np.array(["u", "v"])
    )
    assert tick_texts(display.ax_) == ["u", "v"]


# ---------------------------------------------------------------------- many features


def test_thirty_features_stay_readable():
    H = history(n_epochs=20, n_features=30, n_units=4)
    names = [f"feature_{i:02d}" for i in range(30)]
    display = WeightTrajectoryDisplay.from_history(H, feature_names=names, kind="std")
    assert len(display.bars_) == 120
    # One tick per feature instead of 120, and distinct colours per feature.
    assert tick_texts(display.ax_) == names
    colors = {tuple(np.round(bar.get_facecolor(), 4)) for bar in display.bars_}
    assert len(colors) == 30
    assert display.figure_.get_figwidth() <= 16

    display.plot(kind="trajectory")
    legend = [t.get_text() for t in display.legend_.get_texts()]
    most_moved = np.argsort(-grouped_weight_std(H), kind="stable")[:10]
    assert legend == [names[i] for i in most_moved] + ["20 other features"]

    display.plot(kind="density", highlight=3)
    assert len(display.legend_.get_texts()) == 3 + 1 + 1  # 3, others, threshold
    display.plot(kind="density", highlight="all")
    assert len(display.legend_.get_texts()) == 31


@pytest.mark.parametrize(
    "kind, n_features",
    [(k, n) for k in ("grouped_std", "std", "box") for n in (4, 30)] + [("grouped_std", 200)],
)
def test_tick_labels_do_not_overlap(kind, n_features):
    names = [f"feature_{i:02d}" for i in range(n_features)]
    display = WeightTrajectoryDisplay.from_history(
        history(n_features=n_features, n_units=4), feature_names=names, kind=kind
    )
    fig = display.figure_
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in display.ax_.get_xticklabels() if t.get_text()]
    # Up to 30 features every one is named; 200 are thinned to every k-th.
    assert len(labels) >= n_features if n_features <= 30 else 20 < len(labels) < n_features
    boxes = [t.get_window_extent(renderer) for t in labels]
    rotation = labels[0].get_rotation()
    if rotation == 45:
        # Parallel slanted strips one font size thick: apart if their anchors are.
        height = labels[0].get_fontsize() * fig.dpi / 72
        gaps = np.diff([b.x1 for b in boxes])
        assert (gaps * np.sin(np.pi / 4) >= height).all()
    else:
        for left, right in zip(boxes[:-1], boxes[1:], strict=True):
            assert not left.overlaps(right)
    # Every label is inside the figure.
    assert all(b.x0 >= 0 and b.x1 <= fig.bbox.x1 and b.y0 >= 0 for b in boxes)


@pytest.mark.parametrize("kind", ["trajectory", "density"])
def test_legend_is_beside_the_panels(kind):
    display = WeightTrajectoryDisplay.from_history(history(n_features=30, n_units=4), kind=kind)
    fig = display.figure_
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = display.legend_.get_window_extent(renderer)
    assert legend.x1 <= fig.bbox.x1
    for panel in display.ax_:
        assert panel.get_window_extent(renderer).x1 <= legend.x0


def test_highlight_by_name():
    display = WeightTrajectoryDisplay.from_history(
        history(n_features=12), kind="trajectory", highlight=["x3", "x7"]
    )
    legend = [t.get_text() for t in display.legend_.get_texts()]
    assert sorted(legend[:2]) == ["x3", "x7"] and legend[2] == "10 other features"


def test_many_units_draw_at_most_16_panels():
    H = history(n_units=20)
    with pytest.warns(UserWarning, match="units="):
        display = WeightTrajectoryDisplay.from_history(H, kind="density")
    assert display.ax_.shape == (16,)
    display = WeightTrajectoryDisplay.from_history(H, kind="density", units=[0, 19])
    assert display.ax_.shape == (2,)


# ---------------------------------------------------------------------- axes and style


@pytest.mark.parametrize("kind", ["grouped_std", "std", "box", "barrage"])
def test_the_given_axes_is_used(fitted, kind):
    fig, ax = plt.subplots()
    display = WeightTrajectoryDisplay.from_estimator(fitted, kind=kind, ax=ax)
    assert display.ax_ is ax
    assert display.figure_ is fig


def test_trajectory_in_one_given_axes(fitted):
    fig, ax = plt.subplots()
    display = WeightTrajectoryDisplay.from_estimator(
        fitted, kind="trajectory", per_unit=False, ax=ax
    )
    assert display.ax_ is ax


@pytest.mark.parametrize("kind", ["trajectory", "density"])
def test_panel_kinds_use_the_given_axes(fitted, kind):
    fig, axes = plt.subplots(2, 2)
    display = WeightTrajectoryDisplay.from_estimator(fitted, kind=kind, ax=axes)
    assert list(display.ax_) == list(axes.ravel())
    assert display.figure_ is fig


def test_panel_kind_divides_a_single_given_axes(fitted):
    fig, ax = plt.subplots()
    display = WeightTrajectoryDisplay.from_estimator(fitted, kind="density", ax=ax)
    assert display.ax_.shape == (4,)
    assert all(panel.figure is fig for panel in display.ax_)
    assert not ax.axison


def test_style_kwargs_are_merged_over_defaults(fitted):
    display = WeightTrajectoryDisplay.from_estimator(
        fitted, kind="std", bar_kwargs={"color": "black", "alpha": 0.5}
    )
    assert all(same_color(bar.get_facecolor(), (0, 0, 0, 0.5)) for bar in display.bars_)
    display = WeightTrajectoryDisplay.from_estimator(
        fitted, kind="trajectory", line_kwargs={"lw": 3, "ls": "--"}
    )
    line = display.lines_[0, 0]
    assert line.get_linewidth() == 3 and line.get_linestyle() == "--"
    assert same_color(line.get_color(), SEED_PALETTE[0])  # the default colour stays
    display = WeightTrajectoryDisplay.from_estimator(
        fitted, kind="box", box_kwargs={"widths": 0.3, "medianprops": {"linewidth": 3}}
    )
    assert display.boxes_["medians"][0].get_linewidth() == 3
    assert same_color(display.boxes_["medians"][0].get_color(), "black")


def test_colors_option():
    display = WeightTrajectoryDisplay.from_history(
        history(n_features=2), colors=["red", "blue"], kind="std"
    )
    assert same_color(display.bars_[0].get_facecolor(), "red")
    assert same_color(display.bars_[-1].get_facecolor(), "blue")
    display.plot(kind="grouped_std", colors="tab10")
    assert same_color(display.bars_[0].get_facecolor(), "tab:blue")


# ---------------------------------------------------------------------- errors


def test_unknown_kind(fitted):
    for call in (
        lambda: WeightTrajectoryDisplay.from_estimator(fitted, kind="bars"),
        lambda: WeightTrajectoryDisplay.from_history(history(), kind="bars"),
        lambda: WeightTrajectoryDisplay(history()).plot(kind="bars"),
    ):
        with pytest.raises(
            ValueError, match="'kind' parameter of WeightTrajectoryDisplay"
        ) as error:
            call()
        assert all(repr(kind) in str(error.value) for kind in KINDS)


def test_unfitted_estimator():
    with pytest.raises(NotFittedError):
        WeightTrajectoryDisplay.from_estimator(WeightTrajectoryRegressor())
    with pytest.raises(NotFittedError):
        WeightTrajectoryDisplay.from_estimator(
            make_pipeline(StandardScaler(), WeightTrajectoryRegressor())
        )


def test_pipeline_whose_last_step_is_not_ours(regression_data):
    X, y = regression_data
    pipe = make_pipeline(StandardScaler(), LinearRegression()).fit(X, y)
    with pytest.raises(TypeError, match="last step .* LinearRegression"):
        WeightTrajectoryDisplay.from_estimator(pipe)


def test_estimator_that_is_not_ours(regression_data):
    X, y = regression_data
    with pytest.raises(TypeError, match="LinearRegression"):
        WeightTrajectoryDisplay.from_estimator(LinearRegression().fit(X, y))
    search = GridSearchCV(LinearRegression(), {"fit_intercept": [True]}, cv=2).fit(X, y)
    with pytest.raises(TypeError, match="best_estimator_"):
        WeightTrajectoryDisplay.from_estimator(search)


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.zeros((5, 4)), "3-d"),
        (np.zeros((2, 3, 4, 5)), "3-d"),
        (np.zeros((0, 4, 4)), "empty"),
        (np.zeros((5, 0, 4)), "empty"),
        (np.full((3, 2, 2), np.nan), "NaN"),
    ],
)
def test_history_of_wrong_shape(bad, match):
    with pytest.raises(ValueError, match=match):
        WeightTrajectoryDisplay.from_history(bad)


def test_feature_names_of_wrong_length():
    with pytest.raises(ValueError, match="feature_names has 3 names"):
        WeightTrajectoryDisplay.from_history(history(), feature_names=["a", "b", "c"])


def test_unknown_barrage_metric(fitted):
    with pytest.raises(ValueError, match="'metric' parameter of WeightBarDisplay") as error:
        WeightTrajectoryDisplay.from_estimator(fitted, kind="barrage", metric="length")
    assert all(repr(name) in str(error.value) for name in BARRAGE_COLUMNS)


@pytest.mark.parametrize(
    "options, match",
    [
        ({"kind": "std", "units": [4]}, "units must be"),
        ({"kind": "std", "units": [0, 0]}, "units must be"),
        ({"kind": "trajectory", "highlight": 0}, "highlight must be"),
        ({"kind": "trajectory", "highlight": ["zz"]}, "unknown names"),
        ({"kind": "density", "domain": "wide"}, "'domain' parameter"),
        ({"kind": "density", "domain": (1, -1)}, "domain must be"),
        ({"kind": "std", "colors": "not-a-cmap"}, "colormap"),
        ({"kind": "std", "colors": ["red"]}, "one colour per feature"),
        ({"kind": "box", "showfliers": "yes"}, "'showfliers' parameter .* must be an instance"),
    ],
)
def test_bad_plot_options(options, match):
    with pytest.raises(ValueError, match=match):
        WeightTrajectoryDisplay.from_history(history(), **options)


def test_wrong_number_of_axes(fitted):
    _, axes = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="needs 4 matplotlib Axes"):
        WeightTrajectoryDisplay.from_estimator(fitted, kind="density", ax=axes)
    with pytest.raises(ValueError, match="ax must be a matplotlib Axes"):
        WeightTrajectoryDisplay.from_estimator(fitted, kind="std", ax=axes)


def test_streaming_fit_draws_from_the_summary_and_refuses_history_plots(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(
        **{**FAST, "epochs": N_EPOCHS}, store_history=False, random_state=0
    ).fit(X, y)
    assert est.weight_history_ is None
    # What the per-weight summary holds can still be drawn...
    display = WeightTrajectoryDisplay.from_estimator(est, kind="grouped_std")
    np.testing.assert_allclose(
        [bar.get_height() for bar in display.bars_],
        est.importance_report_["weight_std"],
        rtol=1e-6,
    )
    WeightTrajectoryDisplay.from_estimator(est, kind="barrage")
    # ... what needs every snapshot says how to get it.
    for kind in ("std", "box", "trajectory", "density"):
        with pytest.raises(ValueError, match="store_history=True"):
            WeightTrajectoryDisplay.from_estimator(est, kind=kind)
    with pytest.raises(ValueError, match="store_history=True"):
        display.animate()


def test_report_kinds_work_without_history_when_the_report_exists(fitted, monkeypatch):
    report = fitted.importance_report_
    est = copy.copy(fitted)
    est.weight_history_ = None
    monkeypatch.setattr(type(est), "importance_report_", property(lambda self: report))
    display = WeightTrajectoryDisplay.from_estimator(est, kind="grouped_std")
    np.testing.assert_allclose(
        [bar.get_height() for bar in display.bars_], report["weight_std"], rtol=1e-6
    )
    assert tick_texts(display.ax_) == NAMES
    display.plot(kind="barrage")
    assert len(display.bars_) == 4
    for kind in ("std", "box", "trajectory", "density"):
        with pytest.raises(ValueError, match="needs the full weight history"):
            display.plot(kind=kind)
    with pytest.raises(ValueError, match="store_history=True"):
        display.animate()


def test_display_from_a_report_alone():
    report = importance_report(history(), feature_names=list("wxyz"))
    display = WeightTrajectoryDisplay(None, importance_report=report).plot(kind="barrage")
    assert sorted(tick_texts(display.ax_, "y")) == list("wxyz")
    with pytest.raises(ValueError, match="weight_history or an importance_report"):
        WeightTrajectoryDisplay(None)


# ---------------------------------------------------------------------- animation


@pytest.mark.parametrize("step, frames", [(2, 3), (3, 3), (10, 2)])
def test_animation_gif_has_one_frame_per_step(fitted, tmp_path, step, frames):
    from PIL import Image

    display = WeightTrajectoryDisplay.from_estimator(fitted, kind="std")
    anim = display.animate(step=step, interval=20)
    assert len(display.bars_) == 16
    path = tmp_path / "weights.gif"
    anim.save(path, writer="pillow", dpi=30)
    with Image.open(path) as gif:
        assert gif.n_frames == frames
    # The last frame shows the last epoch.
    heights = [bar.get_height() for bar in display.bars_]
    np.testing.assert_allclose(heights, fitted.weight_history_[-1].ravel())
    assert display.ax_.get_title() == f"Epoch {N_EPOCHS} of {N_EPOCHS}"


def test_animation_to_jshtml():
    display = WeightTrajectoryDisplay(history(n_epochs=3), feature_names=list("abcd"))
    html = display.animate(units=[0]).to_jshtml()
    assert isinstance(html, str) and "<script" in html and "Animation" in html
    assert tick_texts(display.ax_) == ["a 1", "b 1", "c 1", "d 1"]


@pytest.mark.parametrize("step, frames", [(1, 5), (2, 3), (3, 3)])
def test_gif_has_the_frames_of_the_saved_animation(tmp_path, step, frames):
    # to_gif draws the axes once and the bars per frame; its frames must be the ones a
    # full redraw per frame (the animation saved with Pillow) gives.
    from PIL import Image, ImageChops

    from skweightimp import WeightEvolutionDisplay

    weights = history(n_epochs=5)[:, :, :2]
    display = WeightEvolutionDisplay(weights, list("abcd"), units=[0, 1])
    path = tmp_path / "saved.gif"
    display.animate(step=step, interval=20).save(path, writer="pillow", dpi=40)
    plt.close(display.figure_)
    gif = display.to_gif(step=step, interval=20, dpi=40)
    plt.close(display.figure_)
    with Image.open(path) as saved, Image.open(io.BytesIO(gif)) as fast:
        assert fast.n_frames == saved.n_frames == frames
        assert fast.size == saved.size
        for k in range(frames):
            saved.seek(k)
            fast.seek(k)
            difference = ImageChops.difference(saved.convert("RGB"), fast.convert("RGB"))
            # The two palettes may differ by a shade (white as 254 or 255) and
            # anti-aliased edges may land on a neighbouring entry; a wrong bar or title
            # differs by far more, over many pixels.
            far = np.asarray(difference).max(axis=2) > 24
            assert far.mean() < 0.002, (k, far.mean())
    assert display.ax_.get_title() == "Epoch 5 of 5"


@pytest.mark.parametrize("dpi", [0, -1, "72", True])
def test_gif_bad_dpi(dpi):
    from skweightimp import WeightEvolutionDisplay

    display = WeightEvolutionDisplay(history(n_epochs=3), list("abcd"), units=[0, 1, 2])
    with pytest.raises(
        ValueError, match=r"'dpi' parameter of WeightEvolutionDisplay.to_gif must be a float"
    ):
        display.to_gif(dpi=dpi)


@pytest.mark.parametrize("step", [0, -1, 1.5, True])
def test_animation_bad_step(step):
    with pytest.raises(ValueError, match=r"'step' parameter of .* must be an int in the range \[1"):
        WeightTrajectoryDisplay(history()).animate(step=step)


# ---------------------------------------------------------------------- imports


def test_importing_the_package_or_the_display_does_not_load_pyplot():
    code = (
        "import sys, skweightimp\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "skweightimp.WeightTrajectoryDisplay\n"
        "import skweightimp.plotting\n"
        "print([m for m in ('matplotlib.pyplot', 'tensorflow', 'keras') if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


# ---------------------------------------------------------------------- names are text

# matplotlib reads a text with two "$" as mathtext: "growth $^$ rate" failed to draw
# (ValueError: ^) and "$10 and $20" lost its dollar signs.
MATHTEXT_NAMES = ["growth $^$ rate", "$10 and $20", "a_b {c}", "plain"]


def assert_names_shown_as_written(figure, names):
    from matplotlib.text import Text

    figure.canvas.draw()  # where a mathtext name raised
    texts = [t for t in figure.findobj(Text) if t.get_text() and t.get_visible()]
    for name in names:
        shown = [t for t in texts if name in t.get_text()]
        assert shown, f"{name!r} is not drawn"
        assert all(not t.get_parse_math() for t in shown), f"{name!r} is parsed as mathtext"


@pytest.mark.parametrize("kind", KINDS)
def test_names_with_dollar_signs_are_drawn_as_written(kind):
    H = history(n_features=4)
    display = WeightTrajectoryDisplay.from_history(H, feature_names=MATHTEXT_NAMES, kind=kind)
    assert_names_shown_as_written(display.figure_, MATHTEXT_NAMES)


def test_names_with_dollar_signs_in_the_animation_and_the_crowded_plots():
    H = history(n_features=4)
    display = WeightTrajectoryDisplay(H, feature_names=MATHTEXT_NAMES)
    anim = display.animate(step=5)  # noqa: F841 - kept alive until drawn
    assert_names_shown_as_written(display.figure_, MATHTEXT_NAMES)
    # Many features: thinned or rotated ticks, and a highlight legend with grey others.
    names = [f"f ${i}$ ^" for i in range(30)]
    for kind in ("grouped_std", "trajectory", "barrage"):
        display = WeightTrajectoryDisplay.from_history(
            history(n_features=30), feature_names=names, kind=kind
        )
        display.figure_.canvas.draw()
        shown = [t for t in display.figure_.findobj(matplotlib.text.Text) if "$" in t.get_text()]
        assert shown and not any(t.get_parse_math() for t in shown)
