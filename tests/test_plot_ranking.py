"""ImportancePathDisplay: computes in from_path, draws the stored path and settled epoch."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from skweightimp import ImportancePathDisplay  # noqa: E402
from skweightimp.importance import importance_path, ranking_settled_at  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def path(n_features=3):
    rng = np.random.RandomState(0)
    scale = np.linspace(0.3, 0.02, n_features)[:, np.newaxis]
    H = rng.normal(scale=scale, size=(25, n_features, 4)).cumsum(axis=0)
    frame = importance_path(H, feature_names=[f"f$_{i}$" for i in range(n_features)])
    frame.index = frame.index.rename("epoch")
    return frame


def test_rank_kind_draws_the_ranks_and_marks_the_settled_epoch():
    frame = path()
    display = ImportancePathDisplay.from_path(frame, top_k=2, method="viann")
    assert display.settled == ranking_settled_at(frame, top_k=2)
    for i, line in enumerate(display.lines_):
        np.testing.assert_array_equal(line.get_xdata(), frame.index)
        np.testing.assert_array_equal(line.get_ydata(), display.ranks.iloc[:, i])
    assert list(display.settled_line_.get_xdata()) == [display.settled] * 2
    low, high = display.ax_.get_ylim()
    assert low > high  # rank 1 at the top
    assert display.ax_.get_xlabel() == "Epoch" and display.ax_.get_ylabel() == "Rank"
    labels = [text.get_text() for text in display.legend_.get_texts()]
    assert labels[:3] == ["f$_0$", "f$_1$", "f$_2$"]
    assert labels[-1] == f"top-2 ranking settled (epoch {display.settled})"
    # Names are labels, not mathtext.
    assert not any(text.get_parse_math() for text in display.legend_.get_texts())
    assert not display.ax_.title.get_parse_math()


def test_importance_kind_draws_the_stored_importances():
    frame = path()
    display = ImportancePathDisplay.from_path(frame, kind="importance")
    np.testing.assert_allclose(display.lines_[2].get_ydata(), frame.iloc[:, 2])
    assert display.ax_.get_ylabel() == "Importance"
    assert display.legend_.get_texts()[-1].get_text().startswith("ranking settled")


def test_plot_draws_what_was_stored_on_a_given_axes():
    frame = path()
    ranks = frame.rank(axis=1, ascending=False, method="min").astype(int)
    display = ImportancePathDisplay(frame, ranks, settled=7, top_k=1)
    _, ax = plt.subplots()
    assert display.plot(ax=ax).ax_ is ax
    assert list(display.settled_line_.get_xdata()) == [7, 7]


def test_many_features_highlight_the_most_important():
    frame = path(n_features=12)
    display = ImportancePathDisplay.from_path(frame)
    labels = [text.get_text() for text in display.legend_.get_texts()]
    assert "2 other features" in labels and len(labels) == 12


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ImportancePathDisplay.from_path(np.ones((3, 2))), "DataFrame"),
        (
            lambda: ImportancePathDisplay.from_path(path(), kind="bars"),
            "'kind' parameter of ImportancePathDisplay.from_path must be a str among",
        ),
        (lambda: ImportancePathDisplay.from_path(path(), top_k=0), "top_k"),
    ],
)
def test_mistakes_are_named(call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call()


def test_a_path_indexed_from_zero_is_labelled_snapshot():
    frame = pd.DataFrame({"a": [0.5, 0.6, 0.7], "b": [0.5, 0.4, 0.3]})
    display = ImportancePathDisplay.from_path(frame)
    assert display.ax_.get_xlabel() == "Snapshot" and display.settled == 1


def test_a_ranking_that_changes_at_the_end_is_called_unsettled():
    frame = pd.DataFrame({"a": [0.6, 0.7, 0.4], "b": [0.4, 0.3, 0.6]}, index=[1, 2, 3])
    display = ImportancePathDisplay.from_path(frame, top_k=1)
    assert display.settled == 3
    label = display.legend_.get_texts()[-1].get_text()
    assert label == "top-1 ranking still changing at the last snapshot (3)"
