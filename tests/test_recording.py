"""The Keras callback and the layer lookup, used directly on Keras models."""

import numpy as np
import pytest

from skweightimp.callbacks import WeightRecorder, find_recorded_layer
from skweightimp.utils._backend import keras


def small_model(first=None):
    inputs = keras.Input(shape=(3,))
    x = keras.layers.Dense(5, name="d1")(inputs) if first is None else first(inputs)
    outputs = keras.layers.Dense(1, name="out")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return model


@pytest.mark.backend_smoke
def test_recorder_in_a_plain_keras_fit():
    keras.utils.set_random_seed(0)
    model = small_model()
    recorder = WeightRecorder(model.get_layer("d1"))
    assert recorder.history.shape == (0, 3, 5)
    X = np.random.RandomState(0).normal(size=(64, 3)).astype("float32")
    model.fit(X, X.sum(axis=1), epochs=4, verbose=0, callbacks=[recorder])
    assert recorder.history.shape == (4, 3, 5)
    assert recorder.initial_weights.shape == (3, 5)
    np.testing.assert_array_equal(recorder.history[-1], model.get_layer("d1").kernel.numpy())
    # Snapshots are copies, not views of the live kernel.
    assert len({recorder.history[i].tobytes() for i in range(4)}) == 4


def test_recorder_grows_past_its_first_allocation():
    model = small_model()
    recorder = WeightRecorder(model.get_layer("d1"))
    recorder.set_model(model)
    recorder.set_params({})  # no epoch count known: starts with room for one snapshot
    recorder.on_train_begin()
    for epoch in range(5):
        model.get_layer("d1").kernel.assign(np.full((3, 5), float(epoch), dtype="float32"))
        recorder.on_epoch_end(epoch)
    np.testing.assert_array_equal(recorder.history[:, 0, 0], [0, 1, 2, 3, 4])


def test_first_trainable_dense_layer_is_found_past_weightless_layers():
    model = small_model(
        first=lambda x: keras.layers.Dense(2, name="d0")(keras.layers.Dropout(0.2)(x))
    )
    assert find_recorded_layer(model).name == "d0"


def test_sequential_model():
    model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, name="s1")])
    assert find_recorded_layer(model, n_features=3).name == "s1"


def test_frozen_first_layer_is_skipped_for_the_next_trainable_one():
    model = small_model()
    model.get_layer("d1").trainable = False
    with pytest.raises(ValueError, match="kernel of shape \\(5, 1\\).*3 features"):
        find_recorded_layer(model, n_features=3)


def test_model_without_trainable_layers():
    model = small_model()
    model.trainable = False
    with pytest.raises(ValueError, match="no layer with trainable weights"):
        find_recorded_layer(model)


@pytest.mark.parametrize("layer, match", [(99, "out of range"), (-99, "out of range")])
def test_bad_layer_index(layer, match):
    with pytest.raises(ValueError, match=match):
        find_recorded_layer(small_model(), layer)


def test_bad_layer_type():
    with pytest.raises(TypeError, match="record_layer must be None, a layer name or an index"):
        find_recorded_layer(small_model(), 1.5)


def test_named_layer_without_kernel():
    model = small_model(
        first=lambda x: keras.layers.Dense(5)(keras.layers.Dropout(0.1, name="drop")(x))
    )
    with pytest.raises(ValueError, match="'drop' \\(Dropout\\) has no 2-d kernel"):
        find_recorded_layer(model, "drop")
