"""Streaming mode (store_history=False) and finer recording (record_every=k)."""

import numpy as np
import pytest

from skweightimp._backend import keras
from skweightimp.moments import WeightMoments
from skweightimp.recording import WeightRecorder, check_record_every

MOMENT_FIELDS = ("mean", "m2", "first", "last", "min", "max")


def assert_same_moments(actual, expected, rtol=1e-9):
    assert actual.count == expected.count
    for name in MOMENT_FIELDS:
        np.testing.assert_allclose(
            getattr(actual, name), getattr(expected, name), rtol=rtol, atol=1e-12, err_msg=name
        )


# --- the callback on a plain Keras model ---------------------------------------------------

N_ROWS, BATCH = 100, 32  # 4 batches per epoch, the last one of 4 rows


def keras_model(steps_per_execution=1):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((3,)), keras.layers.Dense(5, name="d1"), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse", steps_per_execution=steps_per_execution)
    return model


@pytest.fixture(scope="module")
def xy():
    X = np.random.RandomState(0).normal(size=(N_ROWS, 3)).astype("float32")
    return X, X.sum(axis=1)


class KernelAfterEachBatch(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.kernels = []

    def on_train_batch_end(self, batch, logs=None):
        self.kernels.append(self.model.get_layer("d1").kernel.numpy().copy())


@pytest.mark.parametrize("k", [1, 3])
def test_batch_snapshots_are_the_kernel_after_every_kth_batch(xy, k):
    X, y = xy
    model = keras_model()
    recorder = WeightRecorder(model.get_layer("d1"), record_every=k)
    truth = KernelAfterEachBatch()
    model.fit(
        X, y, epochs=3, batch_size=BATCH, shuffle=False, verbose=0, callbacks=[recorder, truth]
    )
    # Batches are counted across epochs: 3 epochs x 4 batches = 12 steps.
    assert recorder.n_recorded == 12 // k
    np.testing.assert_array_equal(recorder.history, np.array(truth.kernels)[k - 1 :: k])


def test_streaming_callback_summarises_the_same_snapshots(xy, monkeypatch):
    from skweightimp import recording

    # A block of 2 snapshots: the summary is folded several times during the fit.
    monkeypatch.setattr(recording, "_BLOCK_BYTES", 2 * 3 * 5 * 4)
    folded = []
    summarise = WeightMoments.from_history
    monkeypatch.setattr(
        recording.WeightMoments,
        "from_history",
        lambda history: folded.append(len(history)) or summarise(history),
    )
    X, y = xy
    runs = {}
    for store in (True, False):
        folded.clear()
        model = keras_model()
        recorder = WeightRecorder(model.get_layer("d1"), record_every=1, store_history=store)
        model.fit(X, y, epochs=2, batch_size=BATCH, shuffle=False, verbose=0, callbacks=[recorder])
        runs[store] = recorder
    assert runs[False].history is None
    assert folded == [2, 2, 2, 2]  # 8 batch snapshots, never more than 2 held
    assert_same_moments(runs[False].moments, summarise(runs[True].history))
    assert_same_moments(runs[True].moments, runs[False].moments)


def test_steps_per_execution_snapshots_at_the_first_call_boundary_after_each_multiple(xy):
    X, y = xy
    model = keras_model(steps_per_execution=3)
    recorder = WeightRecorder(model.get_layer("d1"), record_every=2)
    model.fit(X, y, epochs=4, batch_size=BATCH, verbose=0, callbacks=[recorder])
    # Calls end after steps 3, 4, 7, 8, ...: one snapshot per multiple of 2 reached.
    assert recorder.n_recorded == 16 // 2


def test_continuing_a_record_leaves_the_earlier_one_untouched(xy):
    X, y = xy
    model = keras_model()
    first = WeightRecorder(model.get_layer("d1"), record_every=3)
    model.fit(X, y, epochs=2, batch_size=BATCH, verbose=0, callbacks=[first])
    history, moments = first.history.copy(), first.moments.copy()
    second = WeightRecorder(
        model.get_layer("d1"), record_every=3, history=first.history, moments=first.moments
    )
    model.fit(X, y, epochs=3, batch_size=BATCH, verbose=0, callbacks=[second])
    # Steps 1..8 then 9..20: snapshots at 3, 6, then 9, 12, 15, 18.
    assert (first.n_recorded, second.n_recorded) == (2, 4)
    np.testing.assert_array_equal(second.history[:2], history)
    np.testing.assert_array_equal(first.history, history)
    assert_same_moments(first.moments, moments, rtol=0)
    assert_same_moments(second.moments, WeightMoments.from_history(second.history))


def test_stopped_training_keeps_no_unused_buffer_rows(xy):
    X, y = xy

    class StopAfter(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.model.stop_training = epoch == 1

    model = keras_model()
    recorder = WeightRecorder(model.get_layer("d1"))
    model.fit(X, y, epochs=50, batch_size=BATCH, verbose=0, callbacks=[StopAfter(), recorder])
    assert recorder.history.shape == (2, 3, 5)
    assert recorder._buffer.shape[0] == 2  # the 50-row allocation was shrunk


@pytest.mark.parametrize("value", [0, -1, 2.5, "batch", True, None])
def test_bad_record_every_for_the_callback(value):
    with pytest.raises(ValueError, match="record_every must be"):
        check_record_every(value)
