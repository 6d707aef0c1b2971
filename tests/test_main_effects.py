"""The built-in network's univariate main-effect units (``main_effect_units``, NID's
MLP-M): masked kernels that stay masked, the same shared start as the plain network,
and what the shared units then carry."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.estimators._network import (
    initializer_seeds,
    main_effect_mask,
    starting_weights,
)
from skweightimp.importance import interaction_pairs


def _data(n=400, p=4, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    return X, X[:, 0] * X[:, 1] + np.sin(2 * X[:, 2]) + X[:, 3] ** 2


def test_a_feature_s_units_see_that_feature_only():
    first = main_effect_mask(3, 3, 4, 2, first=True)
    assert first.shape == (3, 4 + 3 * 2)
    assert first[:, :4].all()  # shared units see every feature
    for f in range(3):
        own = first[:, 4 + 2 * f : 6 + 2 * f]
        assert own[f].all() and own.sum() == 2
    later = main_effect_mask(3, 4, 5, 2, first=False)
    assert later.shape == (4 + 3 * 2, 5 + 3 * 2)
    assert later[:4, :5].all() and not later[:4, 5:].any() and not later[4:, :5].any()
    for f in range(3):
        block = later[4 + 2 * f : 6 + 2 * f, 5 + 2 * f : 7 + 2 * f]
        assert block.all()
    assert later.sum() == 4 * 5 + 3 * 2 * 2


def test_the_shared_units_start_where_the_plain_network_starts():
    seeds = initializer_seeds(3, 3)
    plain = starting_weights(4, (6, 5), 1, seeds)
    masked = starting_weights(4, (6, 5), 1, seeds, main_effect_units=3)
    np.testing.assert_array_equal(masked[0][:, :6], plain[0])
    np.testing.assert_array_equal(masked[2][:6, :5], plain[2])
    np.testing.assert_array_equal(masked[4][:5], plain[4])
    for kernel, mask in [
        (masked[0], main_effect_mask(4, 4, 6, 3, first=True)),
        (masked[2], main_effect_mask(4, 6, 5, 3, first=False)),
    ]:
        assert not kernel[mask == 0].any()
        assert np.all(kernel[mask == 1] != 0)


def test_masked_weights_stay_zero_through_training():
    X, y = _data()
    est = WeightTrajectoryRegressor(
        hidden_layer_sizes=(8, 4),
        main_effect_units=3,
        first_layer_l1=0.01,
        epochs=3,
        random_state=0,
        record_all_kernels=True,
    ).fit(X, y)
    assert est.weight_history_.shape == (3, 4, 8 + 4 * 3)
    first = main_effect_mask(4, 4, 8, 3, first=True)
    second = main_effect_mask(4, 8, 4, 3, first=False)
    assert not est.weight_history_[:, first == 0].any()
    assert np.abs(est.weight_history_[-1][first == 1]).min() > 0
    assert not est.kernels_history_[1][:, second == 0].any()
    # Each feature's units moved: they are trained, not only masked.
    start = est.initial_weights_
    for f in range(4):
        own = slice(8 + 3 * f, 11 + 3 * f)
        assert not np.allclose(est.weight_history_[-1][f, own], start[f, own])


def test_a_pickled_or_cloned_estimator_keeps_its_main_effect_units():
    X, y = _data()
    est = WeightTrajectoryRegressor(
        hidden_layer_sizes=(6,), main_effect_units=2, epochs=2, random_state=0
    ).fit(X, y)
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_allclose(again.predict(X), est.predict(X), rtol=1e-6)
    refit = clone(est).fit(X, y)
    np.testing.assert_allclose(refit.weight_history_, est.weight_history_, rtol=1e-5, atol=1e-7)


def test_a_classifier_takes_main_effect_units_too():
    X, y = _data()
    clf = WeightTrajectoryClassifier(
        hidden_layer_sizes=(6,), main_effect_units=2, epochs=2, random_state=0
    ).fit(X, np.where(y > np.median(y), "high", "low"))
    assert clf.weight_history_.shape[-1] == 6 + 4 * 2
    assert set(clf.predict(X)) <= {"high", "low"}


@pytest.mark.parametrize(
    "params, message",
    [
        ({"hidden_layer_sizes": ()}, "needs a hidden layer"),
        ({"model": lambda meta: None}, "built-in network"),
        ({"model": lambda meta: None, "main_effect_units": 0, "kernel_l1": 0.1}, "kernel_l1"),
        ({"main_effect_units": -1}, "main_effect_units"),
    ],
)
def test_main_effect_units_it_cannot_add_are_refused(params, message):
    X, y = _data(n=40)
    params = {"main_effect_units": 2, **params}
    est = WeightTrajectoryRegressor(**params)
    with pytest.raises(ValueError, match=message):
        est.fit(X, y)


def test_the_shared_units_leave_a_strong_main_effect_to_the_univariate_units():
    """A product x0 x1 beside strong single-feature terms: with main-effect units and
    the shared units' penalty the interaction is the strongest pair, and takes a larger
    share of the strengths than in the plain network."""
    rng = np.random.default_rng(1)
    X = rng.uniform(-1, 1, size=(2000, 5))
    y = X[:, 0] * X[:, 1] + 2 * np.abs(X[:, 2]) + 2 * X[:, 3] ** 2 + np.sin(3 * X[:, 4])
    params = {"hidden_layer_sizes": (32,), "epochs": 40, "random_state": 0, "kernel_l1": 1e-4}
    share = {}
    for units in (0, 8):
        est = WeightTrajectoryRegressor(main_effect_units=units, **params).fit(X, y)
        pairs = interaction_pairs(est.interaction_scores())
        share[units] = pairs.loc[("x0", "x1")] / pairs.sum()
        if units:
            assert pairs.index[0] == ("x0", "x1")
    assert share[8] > share[0]


def test_kernel_l1_penalises_only_the_shared_units():
    X, y = _data()
    est = WeightTrajectoryRegressor(
        hidden_layer_sizes=(6,), main_effect_units=2, kernel_l1=0.5, epochs=1, random_state=0
    ).fit(X, y)
    first, output = est.model_.layers[1], est.model_.layers[2]
    w1 = np.asarray(first.kernel)
    w2 = np.asarray(output.kernel)
    expected = 0.5 * (np.abs(w1[:, :6]).sum() + np.abs(w2[:6]).sum())
    penalty = float(first.kernel_regularizer(first.kernel)) + float(
        output.kernel_regularizer(output.kernel)
    )
    np.testing.assert_allclose(penalty, expected, rtol=1e-5)
    assert np.abs(w1[:, 6:]).sum() > 0  # the univariate weights exist but are not charged
