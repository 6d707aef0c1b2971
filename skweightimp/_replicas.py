"""Train many copies of the built-in regression network as one Keras model.

The significance test refits the same small network ``n_rounds`` times; each fit pays
Keras' per-network and per-step overhead, which dominates for small networks. Here ``R``
independent networks of one architecture (the estimators' built-in MLP) share one Keras
model with a *replica axis*: every ``Dense`` layer becomes an ``EinsumDense`` layer whose
kernel has shape ``(R, n_in, n_out)``. Replica ``r`` has its own initial weights, its own
inputs ``X[r]`` and targets ``y[r]``; all replicas see the rows in the same batch order.

The loss is the *sum* over replicas of each replica's mean squared error, so the gradient
of replica ``r``'s weights is exactly the gradient of its own loss, and Adam (or any
optimizer that updates each weight from its own gradient) moves it as a separate fit
would: a replica's recorded trajectory equals a separate fit's from the same initial
weights and batch order, to float rounding (tested in ``tests/test_replicas.py``).

Not used by ``importance_significance`` yet; a user's own ``model=`` cannot be expressed
this way and would keep separate fits.
"""

import numpy as np
from sklearn.utils import Bunch

from . import _speed
from ._backend import BACKEND, keras, to_numpy

_SEED_HIGH = np.iinfo(np.int32).max


def _replica_loss(y_true, y_pred):
    # (batch, R, n_out) -> (batch,): summed over replicas, mean over outputs. Keras then
    # averages over the batch, so each replica's term is its own mean squared error.
    squared = keras.ops.square(y_true - y_pred)
    return keras.ops.sum(keras.ops.mean(squared, axis=-1), axis=-1)


def build_replica_model(
    n_replicas,
    n_features,
    *,
    hidden_layer_sizes=(100,),
    activation="relu",
    n_outputs=1,
    learning_rate=0.001,
    initial_weights=None,
    random_state=None,
):
    """A compiled Keras model of ``n_replicas`` MLPs with a replica axis.

    Inputs have shape ``(batch, n_replicas, n_features)``, outputs ``(batch, n_replicas,
    n_outputs)``. ``initial_weights`` is a list, one entry per replica, of the weights of
    a plain ``Dense`` stack of the same architecture (``keras.Model.get_weights()``
    order: kernel, bias, kernel, bias, ...); without it each replica's kernels are drawn
    from ``GlorotUniform`` with its own seed (biases 0), as the estimators do.

    Examples
    --------
    >>> from skweightimp._replicas import build_replica_model
    >>> model = build_replica_model(3, 4, hidden_layer_sizes=(5,), random_state=0)
    >>> [tuple(w.shape) for w in model.get_weights()]
    [(3, 4, 5), (3, 5), (3, 5, 1), (3, 1)]
    """
    sizes = [int(units) for units in hidden_layer_sizes] + [int(n_outputs)]
    inputs = keras.Input(shape=(n_replicas, n_features), name="features")
    hidden = inputs
    layers = []
    for index, units in enumerate(sizes):
        last = index == len(sizes) - 1
        layer = keras.layers.EinsumDense(
            "bri,rio->bro",
            output_shape=(n_replicas, units),
            bias_axes="ro",
            activation=None if last else activation,
            name="output" if last else f"hidden_{index + 1}",
        )
        hidden = layer(hidden)
        layers.append(layer)
    model = keras.Model(inputs, hidden, name="replica_mlp")
    if initial_weights is None:
        rng = np.random.RandomState(random_state)
        initial_weights = []
        for _ in range(n_replicas):
            weights, fan_in = [], n_features
            for units in sizes:
                init = keras.initializers.GlorotUniform(seed=int(rng.randint(_SEED_HIGH)))
                kernel = keras.ops.convert_to_numpy(init((fan_in, units)))
                weights += [kernel, np.zeros(units, np.float32)]
                fan_in = units
            initial_weights.append(weights)
    stacked = [np.stack(per_layer) for per_layer in zip(*initial_weights, strict=True)]
    model.set_weights(stacked)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=_replica_loss)
    return model


class _KernelRecorder(keras.callbacks.Callback):
    def __init__(self, layer):
        super().__init__()
        self.layer = layer
        self.snapshots = []

    def on_epoch_end(self, epoch, logs=None):
        self.model  # noqa: B018 - on JAX, attaches the latest weights to the layer
        self.snapshots.append(np.array(to_numpy(self.layer.kernel), copy=True))


def fit_replicas(
    X,
    y,
    *,
    hidden_layer_sizes=(100,),
    activation="relu",
    learning_rate=0.001,
    epochs=200,
    batch_size=32,
    shuffle=True,
    initial_weights=None,
    random_state=None,
):
    """Train one regression MLP per replica in one Keras model; record each first layer.

    Parameters
    ----------
    X : ndarray of shape (n_replicas, n_samples, n_features)
        Each replica's inputs (e.g. ``X`` plus its own shadow columns).
    y : ndarray of shape (n_replicas, n_samples) or (n_replicas, n_samples, n_outputs)
        Each replica's targets (e.g. its own permutation of ``y``).
    hidden_layer_sizes, activation, learning_rate, epochs, batch_size, shuffle
        As for :class:`~skweightimp.WeightTrajectoryRegressor` (Adam, mean squared
        error). The batch order is shared by all replicas.
    initial_weights : list of list of ndarray, default=None
        Per replica, the ``get_weights()`` of a plain Dense stack to start from.
    random_state : int, default=None
        Seeds the initial weights (when not given) and the shuffling.

    Returns
    -------
    result : Bunch
        ``weight_history`` of shape ``(epochs, n_replicas, n_features, n_units)``,
        ``initial_weights`` of shape ``(n_replicas, n_features, n_units)`` (the first
        layer's kernel before training), ``replica_initial_weights`` (per replica, the
        ``get_weights()`` of the plain Dense stack it started from), ``model`` (the
        trained replica model) and ``history`` (Keras' loss per epoch, summed over
        replicas).

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp._replicas import fit_replicas
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(3, 40, 4)).astype(np.float32)
    >>> y = X[:, :, 0] - X[:, :, 1]
    >>> result = fit_replicas(X, y, hidden_layer_sizes=(5,), epochs=2, batch_size=8,
    ...                       random_state=0)
    >>> result.weight_history.shape, result.initial_weights.shape
    ((2, 3, 4, 5), (3, 4, 5))
    """
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    if X.ndim != 3:
        raise ValueError(f"X must have shape (n_replicas, n_samples, n_features); got {X.shape}.")
    if y.ndim == 2:
        y = y[..., np.newaxis]
    if y.shape[:2] != X.shape[:2]:
        raise ValueError(
            f"y must have shape (n_replicas, n_samples[, n_outputs]) matching X {X.shape}; "
            f"got {y.shape}."
        )
    n_replicas, _, n_features = X.shape
    model = build_replica_model(
        n_replicas,
        n_features,
        hidden_layer_sizes=hidden_layer_sizes,
        activation=activation,
        n_outputs=y.shape[-1],
        learning_rate=learning_rate,
        initial_weights=initial_weights,
        random_state=random_state,
    )
    first = model.layers[1]
    initial = np.array(to_numpy(first.kernel), copy=True)
    stacked = model.get_weights()
    per_replica = [[np.array(w[r], copy=True) for w in stacked] for r in range(n_replicas)]
    recorder = _KernelRecorder(first)
    if random_state is not None:
        keras.utils.set_random_seed(int(random_state))
    # (n_replicas, n_samples, ...) -> (n_samples, n_replicas, ...): a batch takes the same
    # rows of every replica.
    X_rows = np.ascontiguousarray(np.swapaxes(X, 0, 1))
    y_rows = np.ascontiguousarray(np.swapaxes(y, 0, 1))
    # The estimators' fast paths: an epoch per Keras call, one input pipeline per fit.
    n_batches = _speed.n_train_batches(len(X_rows), batch_size)
    if BACKEND != "torch":
        _speed.set_steps_per_execution(model, n_batches)
    dataset = _speed.repeated_dataset(
        X_rows, y_rows, None, batch_size=batch_size, shuffle=shuffle, seed=random_state
    )
    if dataset is None:
        data = {"x": X_rows, "y": y_rows, "batch_size": batch_size, "shuffle": shuffle}
    else:
        data = {"x": dataset, "steps_per_epoch": n_batches, "shuffle": False}
    history = model.fit(**data, epochs=epochs, verbose=0, callbacks=[recorder])
    return Bunch(
        weight_history=np.stack(recorder.snapshots),
        initial_weights=initial,
        replica_initial_weights=per_replica,
        model=model,
        history=history.history,
    )
