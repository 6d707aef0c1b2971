"""The "gradient" importance method: input gradients of the fitted network times spread."""

import numpy as np
import pytest

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.callbacks import RankingStabilityStopping

from .conftest import FAST


def _finite_difference(predict, X, eps=1e-2):
    """sum_c mean_n |d f_c / d x_i| by central differences."""
    columns = []
    for i in range(X.shape[1]):
        up, down = X.copy(), X.copy()
        up[:, i] += eps
        down[:, i] -= eps
        slope = (predict(up) - predict(down)) / (2 * eps)
        columns.append(np.abs(slope.reshape(len(X), -1)).mean(axis=0).sum())
    return np.array(columns)


@pytest.mark.backend_smoke
def test_regressor_gradients_match_finite_differences():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 3))
    y = 3 * X[:, 0] + X[:, 1] ** 2
    reg = WeightTrajectoryRegressor(hidden_layer_sizes=(8,), epochs=10, random_state=0)
    reg.fit(X, y)
    np.testing.assert_allclose(
        reg.input_gradients_, _finite_difference(reg.predict, X), rtol=2e-2, atol=1e-3
    )
    np.testing.assert_allclose(reg.input_scale_, X.std(axis=0), rtol=1e-5)
    np.testing.assert_allclose(
        reg.importance_scores("gradient"), reg.input_gradients_ * reg.input_scale_
    )


@pytest.mark.backend_smoke
def test_classifier_gradients_sum_over_class_probabilities():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(240, 3))
    y = np.digitize(X[:, 0] + 0.5 * X[:, 1], [-0.5, 0.5])  # three classes
    clf = WeightTrajectoryClassifier(hidden_layer_sizes=(8,), epochs=10, random_state=0)
    clf.fit(X, y)
    np.testing.assert_allclose(
        clf.input_gradients_, _finite_difference(clf.predict_proba, X), rtol=2e-2, atol=1e-3
    )


def test_gradient_sees_a_u_shaped_effect():
    # Olden's signed sum of weight products cancels for an effect that is not monotone;
    # the gradient's absolute value does not.
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(2000, 6))
    y = 4 * X[:, 0] ** 2 + X[:, 1] + 0.1 * rng.normal(size=2000)
    reg = WeightTrajectoryRegressor(epochs=40, random_state=0).fit(X, y)
    ranking = np.argsort(-reg.importance_scores("gradient"))
    assert set(ranking[:2]) == {0, 1}


def test_gradient_compares_inputs_of_different_spread():
    # The same effect through a column ten times wider is the same importance.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(1000, 3)) * [1.0, 10.0, 1.0]
    y = X[:, 0] + X[:, 1] / 10.0
    reg = WeightTrajectoryRegressor(epochs=40, random_state=0).fit(X, y)
    scores = reg.importance_scores("gradient")
    assert scores[0] == pytest.approx(scores[1], rel=0.15)
    assert scores[2] < 0.2 * scores[0]


def test_gradient_has_no_path_and_no_ranking_stop(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="'gradient' method .* no importance path"):
        reg.importance_path("gradient")
    with pytest.raises(ValueError, match="cannot follow the ranking while the network trains"):
        RankingStabilityStopping(method="gradient")
    stopping = WeightTrajectoryRegressor(
        **FAST, importance_method="gradient", stop_when_ranking_stable=2
    )
    with pytest.raises(ValueError, match="cannot follow the ranking"):
        stopping.fit(X, y)


def test_gradients_follow_sample_weights():
    # Rows weighted 0 do not count: the gradient is read where the weights are.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 2))
    y = np.where(X[:, 0] > 0, 3 * X[:, 1], 0.0)
    weight = (X[:, 0] > 0).astype(float) + 1e-9
    reg = WeightTrajectoryRegressor(hidden_layer_sizes=(8,), epochs=5, random_state=0)
    reg.fit(X, y, sample_weight=weight)
    kept = X[:, 0] > 0
    expected = _finite_difference(reg.predict, X[kept])
    np.testing.assert_allclose(reg.input_gradients_, expected, rtol=5e-2, atol=1e-3)
