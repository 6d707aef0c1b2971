"""The fast paths of fit and predict give what the plain Keras paths give."""

import numpy as np
import pytest

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.estimators import _speed
from skweightimp.utils._backend import BACKEND, keras

# 50 rows in batches of 8: 7 batches per epoch, the last one short.
N_ROWS, BATCH, N_BATCHES = 50, 8, 7
SPE_SUPPORTED = BACKEND != "torch"  # Keras refuses steps_per_execution > 1 on PyTorch


def _data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N_ROWS, 3)).astype(np.float32)
    return X, X @ np.array([1.0, -2.0, 0.0], dtype=np.float32)


def _reg(**params):
    base = dict(hidden_layer_sizes=(4,), epochs=3, batch_size=BATCH, random_state=0)
    return WeightTrajectoryRegressor(**{**base, **params})


class _BatchCounter(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = 0

    def on_train_batch_end(self, batch, logs=None):
        self.calls += 1


@pytest.mark.backend_smoke
@pytest.mark.parametrize("record_every", ["epoch", 7, 14, 3])
def test_auto_steps_per_execution_keeps_history(record_every):
    X, y = _data()
    auto = _reg(record_every=record_every).fit(X, y)
    one = _reg(record_every=record_every, compile__steps_per_execution=1).fit(X, y)
    expected = _speed.auto_steps_per_execution(N_BATCHES, record_every)
    assert auto.model_.steps_per_execution == (expected if SPE_SUPPORTED else 1)
    assert one.model_.steps_per_execution == 1
    assert auto.weight_history_.shape == one.weight_history_.shape
    assert auto.weight_history_.shape[0] == (
        3 if record_every == "epoch" else 3 * N_BATCHES // record_every
    )
    np.testing.assert_allclose(auto.weight_history_, one.weight_history_, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(auto.history_["loss"], one.history_["loss"], rtol=1e-5)


@pytest.mark.skipif(not SPE_SUPPORTED, reason="Keras allows steps_per_execution=1 only")
def test_auto_steps_per_execution_warm_start_and_partial_fit():
    X, y = _data()
    auto = _reg(record_every=7, warm_start=True).fit(X, y).fit(X, y)
    one = _reg(record_every=7, warm_start=True, compile__steps_per_execution=1)
    one.fit(X, y).fit(X, y)
    np.testing.assert_allclose(auto.weight_history_, one.weight_history_, rtol=1e-5, atol=1e-6)
    # A partial_fit on fewer rows: 4 batches after 42 steps, so gcd(7, 4, 42) = 1.
    auto.partial_fit(X[:30], y[:30])
    one.partial_fit(X[:30], y[:30])
    assert auto.model_.steps_per_execution == 1
    np.testing.assert_allclose(auto.weight_history_, one.weight_history_, rtol=1e-5, atol=1e-6)


@pytest.mark.backend_smoke
def test_fast_fit_matches_keras_array_pipeline_without_shuffling(monkeypatch):
    # Without shuffling the batches are the same, so the fast paths (one pipeline for all
    # epochs, an epoch per call) must give Keras' own result.
    X, y = _data()
    fast = _reg(shuffle=False, record_every=7).fit(X, y)
    monkeypatch.setattr(_speed, "FAST_FIT", False)
    plain = _reg(shuffle=False, record_every=7).fit(X, y)
    assert plain.model_.steps_per_execution == 1
    np.testing.assert_allclose(fast.weight_history_, plain.weight_history_, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fast.predict(X), plain.predict(X), rtol=1e-5, atol=1e-6)


def test_user_batch_callback_keeps_one_batch_per_call():
    X, y = _data()
    counter = _BatchCounter()
    reg = _reg(callbacks=[counter]).fit(X, y)
    assert reg.model_.steps_per_execution == 1
    assert counter.calls == 3 * N_BATCHES


@pytest.mark.skipif(not SPE_SUPPORTED, reason="Keras allows steps_per_execution=1 only")
def test_routed_steps_per_execution_is_the_users_choice():
    X, y = _data()
    reg = _reg(compile__steps_per_execution=2).fit(X, y)
    assert reg.model_.steps_per_execution == 2


def test_auto_steps_per_execution_values():
    assert _speed.auto_steps_per_execution(29, "epoch") == 29
    assert _speed.auto_steps_per_execution(29, 5) == 1
    assert _speed.auto_steps_per_execution(28, 56) == 28
    assert _speed.auto_steps_per_execution(28, 56, start_step=42) == 14
    assert _speed.n_train_batches(900, 32) == 29
    assert _speed.n_train_batches(100, 32, validation_split=0.2) == 3


def test_needs_batch_hooks():
    assert _speed.needs_batch_hooks([_BatchCounter()])
    assert not _speed.needs_batch_hooks([keras.callbacks.EarlyStopping(), None][:1])
    assert not _speed.needs_batch_hooks(None)


@pytest.mark.backend_smoke
def test_direct_predict_matches_keras_predict():
    X, y = _data()
    reg = _reg().fit(X, y)
    X_new = np.random.default_rng(1).normal(size=(40, 3)).astype(np.float32)
    expected = reg.model_.predict(X_new, verbose=0).ravel()
    got = reg.predict(X_new)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    # Another size (a different traced shape) and a single row.
    np.testing.assert_allclose(
        reg.predict(X_new[:3]), reg.model_.predict(X_new[:3], verbose=0).ravel(), rtol=1e-5
    )
    assert reg.predict(X_new[:1]).shape == (1,)


@pytest.mark.backend_smoke
def test_direct_predict_proba_matches_keras_predict():
    X, _ = _data()
    labels = np.array(["a", "b", "c"])[np.digitize(X[:, 0], [-0.5, 0.5])]
    clf = WeightTrajectoryClassifier(
        hidden_layer_sizes=(4,), epochs=2, batch_size=BATCH, random_state=0
    ).fit(X, labels)
    expected = clf.model_.predict(X, verbose=0)
    np.testing.assert_allclose(clf.predict_proba(X), expected, rtol=1e-5, atol=1e-6)
    assert (clf.predict(X) == clf.classes_[expected.argmax(axis=1)]).all()


def test_small_predict_skips_keras_predict(monkeypatch):
    X, y = _data()
    reg = _reg().fit(X, y)

    def refuse(*args, **kwargs):
        raise AssertionError("Model.predict used for a small input")

    monkeypatch.setattr(reg.model_, "predict", refuse)
    assert reg.predict(X).shape == (N_ROWS,)
    assert np.isfinite(reg.score(X, y))


def test_predict_over_budget_goes_through_keras_predict(monkeypatch):
    X, y = _data()
    reg = _reg().fit(X, y)
    expected = reg.predict(X)

    def refuse(*args, **kwargs):
        raise AssertionError("predict_on_batch used beyond the budget")

    monkeypatch.setattr(reg.model_, "predict_on_batch", refuse)
    monkeypatch.setattr(_speed, "DIRECT_PREDICT_MAX_ROWS", 10)
    np.testing.assert_allclose(reg.predict(X), expected, rtol=1e-5, atol=1e-6)


def test_predict_with_routed_batch_size_goes_through_keras_predict(monkeypatch):
    X, y = _data()
    reg = _reg(predict__batch_size=5).fit(X, y)
    calls = []
    original = reg.model_.predict

    def spy(*args, **kwargs):
        calls.append(kwargs.get("batch_size"))
        return original(*args, **kwargs)

    monkeypatch.setattr(reg.model_, "predict", spy)
    reg.predict(X)
    assert calls == [5]
