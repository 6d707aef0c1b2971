"""Streaming mode (store_history=False) and finer recording (record_every=k)."""

import pickle

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.callbacks import WeightRecorder
from skweightimp.callbacks._recording import check_record_every
from skweightimp.importance import WeightMoments
from skweightimp.utils._backend import keras

from .conftest import FAST

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
    from skweightimp.callbacks import _recording as recording

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


# --- the estimators ------------------------------------------------------------------------


def assert_same_importances(streamed, stored):
    np.testing.assert_allclose(streamed.feature_importances_, stored.feature_importances_)
    a, b = streamed.importance_report_, stored.importance_report_
    assert list(a.columns) == list(b.columns) and list(a.index) == list(b.index)
    np.testing.assert_allclose(a.to_numpy(float), b.to_numpy(float), rtol=1e-7, atol=1e-12)


def fit_both_modes(make, X, y, **params):
    stored = make(**FAST, random_state=0, **params).fit(X, y)
    streamed = make(**FAST, random_state=0, store_history=False, **params).fit(X, y)
    return streamed, stored


@pytest.mark.parametrize("record_every", ["epoch", 1])
def test_regressor_streaming_gives_the_importances_of_the_stored_history(
    regression_data, record_every
):
    X, y = regression_data
    streamed, stored = fit_both_modes(WeightTrajectoryRegressor, X, y, record_every=record_every)
    assert streamed.weight_history_ is None
    assert streamed.weight_moments_.count == len(stored.weight_history_)
    assert_same_moments(
        streamed.weight_moments_, WeightMoments.from_history(stored.weight_history_)
    )
    np.testing.assert_array_equal(streamed.initial_weights_, stored.initial_weights_)
    assert_same_importances(streamed, stored)


def test_classifier_streaming_gives_the_importances_of_the_stored_history(classification_data):
    X, y = classification_data
    streamed, stored = fit_both_modes(WeightTrajectoryClassifier, X, y)
    assert streamed.weight_history_ is None
    assert_same_importances(streamed, stored)


def test_warm_start_and_partial_fit_keep_accumulating_in_both_modes(regression_data):
    X, y = regression_data
    stored = WeightTrajectoryRegressor(**FAST, warm_start=True, random_state=0)
    streamed = WeightTrajectoryRegressor(
        **FAST, warm_start=True, random_state=0, store_history=False
    )
    for est in (stored, streamed):
        est.fit(X, y).fit(X, y)
        est.partial_fit(X, y)
    assert stored.weight_history_.shape[0] == streamed.weight_moments_.count == 2 * 3 + 1
    assert_same_moments(
        streamed.weight_moments_, WeightMoments.from_history(stored.weight_history_)
    )
    assert_same_importances(streamed, stored)


@pytest.mark.parametrize("k, expected", [(1, 12), (5, 2), (12, 1)])
def test_snapshot_count_with_record_every(regression_data, k, expected):
    # 120 rows in batches of 32: 4 batches per epoch, 3 epochs = 12 steps -> 12 // k.
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, record_every=k, random_state=0).fit(X, y)
    assert reg.weight_history_.shape == (expected, 4, 4)
    if 12 % k == 0:  # the last snapshot is the trained kernel
        np.testing.assert_array_equal(
            reg.weight_history_[-1], reg.model_.get_layer("hidden_1").kernel.numpy()
        )


def test_batch_counter_runs_on_across_partial_fit_calls(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, record_every=6, store_history=False, random_state=0)
    counts = [reg.partial_fit(X, y).weight_moments_.count for _ in range(3)]
    assert counts == [0, 1, 2]  # 4 batches per call: snapshots after steps 6 and 12


def test_no_snapshot_yet_is_explained(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, record_every=100).fit(X, y)
    assert reg.weight_history_.shape == (0, 4, 4)
    with pytest.raises(ValueError, match="No weight snapshot has been recorded.*record_every=100"):
        _ = reg.feature_importances_


def test_history_helper_explains_streaming_mode(regression_data):
    X, y = regression_data
    streamed, stored = fit_both_modes(WeightTrajectoryRegressor, X, y)
    assert stored._require_weight_history("Plotting") is stored.weight_history_
    with pytest.raises(ValueError, match="Plotting needs .* Fit with store_history=True"):
        streamed._require_weight_history("Plotting")


@pytest.mark.parametrize("change", [{"store_history": False}, {"record_every": 2}])
def test_warm_start_refuses_a_different_recording(regression_data, change):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, warm_start=True, random_state=0).fit(X, y)
    history = reg.weight_history_.copy()
    with pytest.raises(ValueError, match="continues the record of the current network"):
        reg.set_params(**change).fit(X, y)
    np.testing.assert_array_equal(reg.weight_history_, history)
    reg.set_params(warm_start=False).fit(X, y)  # a new network may record differently
    assert reg.weight_moments_.count > 0


def test_interrupted_streaming_warm_start_restores_the_summary(regression_data):
    X, y = regression_data

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise KeyboardInterrupt

    reg = WeightTrajectoryRegressor(**FAST, warm_start=True, store_history=False, random_state=0)
    reg.fit(X, y)
    before = reg.weight_moments_.copy()
    importances = reg.feature_importances_
    with pytest.raises(KeyboardInterrupt):
        reg.set_params(callbacks=[Interrupt()]).fit(X, y)
    assert_same_moments(reg.weight_moments_, before, rtol=0)
    np.testing.assert_array_equal(reg.feature_importances_, importances)


def test_streaming_estimator_round_trips_through_pickle(regression_data):
    X, y = regression_data
    reg = WeightTrajectoryRegressor(**FAST, store_history=False, random_state=0).fit(X, y)
    loaded = pickle.loads(pickle.dumps(reg))
    assert loaded.weight_history_ is None
    np.testing.assert_array_equal(loaded.feature_importances_, reg.feature_importances_)


@pytest.mark.parametrize("value", [0, -3, 2.5, "batch", True, None])
def test_bad_record_every_is_a_parameter_error(regression_data, value):
    X, y = regression_data
    with pytest.raises(InvalidParameterError, match="'record_every' parameter"):
        WeightTrajectoryRegressor(**FAST, record_every=value).fit(X, y)


def test_bad_store_history_is_a_parameter_error(regression_data):
    X, y = regression_data
    with pytest.raises(InvalidParameterError, match="'store_history' parameter"):
        WeightTrajectoryRegressor(**FAST, store_history="no").fit(X, y)
