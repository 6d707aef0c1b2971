"""Many networks trained as one: each replica moves as its own separate fit would."""

import numpy as np
import pytest

from skweightimp._backend import keras, to_numpy
from skweightimp._replicas import fit_replicas


def _separate_fit(X, y, initial_weights, *, epochs, batch_size, learning_rate):
    model = keras.Sequential(
        [
            keras.Input((X.shape[1],)),
            keras.layers.Dense(5, activation="relu"),
            keras.layers.Dense(1),
        ]
    )
    model.set_weights(initial_weights)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mean_squared_error")
    history = []

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.model  # noqa: B018 - on JAX, attaches the latest weights
            history.append(np.array(to_numpy(model.layers[0].kernel), copy=True))

    model.fit(
        X, y, epochs=epochs, batch_size=batch_size, shuffle=False, verbose=0, callbacks=[Record()]
    )
    return np.stack(history)


@pytest.mark.backend_smoke
def test_replica_history_equals_separate_fit():
    rng = np.random.default_rng(0)
    n_replicas, n_samples, n_features = 3, 30, 4
    X = rng.normal(size=(n_replicas, n_samples, n_features)).astype(np.float32)
    # Each replica its own target: the same signal under its own permutation of the rows.
    y = np.stack([X[r, rng.permutation(n_samples), 0] - X[r, :, 1] for r in range(n_replicas)])
    result = fit_replicas(
        X,
        y,
        hidden_layer_sizes=(5,),
        activation="relu",
        epochs=3,
        batch_size=8,
        shuffle=False,
        learning_rate=0.01,
        random_state=0,
    )
    assert result.weight_history.shape == (3, n_replicas, n_features, 5)
    weights = result.model.get_weights()
    assert not np.allclose(result.initial_weights[0], result.initial_weights[1])
    for r in range(n_replicas):
        initial = result.replica_initial_weights[r]
        np.testing.assert_array_equal(initial[0], result.initial_weights[r])
        separate = _separate_fit(X[r], y[r], initial, epochs=3, batch_size=8, learning_rate=0.01)
        np.testing.assert_allclose(result.weight_history[:, r], separate, rtol=1e-4, atol=1e-5)
        assert weights[0].shape == (n_replicas, n_features, 5)
