import numpy as np
import pytest

from skweightimp.datasets import SEED_FEATURES, make_seed_regression
from skweightimp.metrics import ratio_accuracy_score


def test_seed_regression_follows_the_notebook():
    X, y = make_seed_regression(1000, random_state=0)
    assert tuple(X.columns) == SEED_FEATURES and y.name == "ys"
    assert (X["ms"] == 2).all() and (X["cs"] == 50).all()
    assert X["xs"].between(0, 2500).all() and X["noise"].between(0, 100).all()
    assert X["noise"].nunique() > 90  # drawn, and up to 100 inclusive as randint(0, 100)
    np.testing.assert_array_equal(y, 2 * X["xs"] + 50)


def test_seed_regression_is_seedable():
    a = make_seed_regression(50, random_state=3)
    b = make_seed_regression(50, random_state=3)
    c = make_seed_regression(50, random_state=4)
    assert a[0].equals(b[0]) and not a[0].equals(c[0])


@pytest.mark.parametrize("n", [0, -1, 2.5, True])
def test_seed_regression_rejects_bad_sizes(n):
    with pytest.raises(ValueError, match="n_samples"):
        make_seed_regression(n)


def test_ratio_accuracy_matches_the_notebook_loop():
    y = np.array([98, 778, 2738, 0, 10])
    pred = np.array([98.4, 700.0, 2800.2, 0.0, -3.0])
    expected = []
    for e, a in zip(y, np.round(pred), strict=True):
        if e > a:
            expected.append(a / e * 100)
        elif e < a:
            expected.append(e / a * 100)
        else:
            expected.append(100)
    assert ratio_accuracy_score(y, pred) == pytest.approx(np.mean(expected))


def test_ratio_accuracy_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="same length"):
        ratio_accuracy_score([1, 2], [1])
