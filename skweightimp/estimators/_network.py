"""The built-in network: a multi-layer perceptron of Dense layers with seeded Glorot
initializers, optional L1 penalties (on the recorded first layer, on every kernel), and
the output layer the task needs.
"""

import numpy as np

from ..utils._backend import keras
from ..utils._seeds import draw_seeds

__all__ = [
    "build_mlp",
    "initializer_seeds",
    "kernel_initializer",
    "kernel_regularizers",
    "starting_weights",
]


def initializer_seeds(random_state, n_layers):
    """One kernel-initializer seed per layer of the built-in network (None: unseeded).

    Unseeded Keras initializers draw from Python's global ``random``, which scikeras
    seeds, but which any other thread of the process (a Dask worker's event loop, for
    one) may advance before the network is built. Seeds of our own make a seeded fit
    give the same network wherever it runs; :mod:`skweightimp.estimators._replicas` draws a
    replica's first weights from the same seeds, so a replica starts where the estimator
    would.

    Examples
    --------
    >>> from skweightimp.estimators._network import initializer_seeds
    >>> initializer_seeds(None, 2), len(initializer_seeds(0, 3))
    ([None, None], 3)
    """
    if random_state is None:
        return [None] * n_layers
    rng = np.random.RandomState(random_state)
    return draw_seeds(rng, n_layers)


def kernel_initializer(seed):
    """The initializer of every kernel of the built-in network (biases start at 0).

    :mod:`skweightimp.estimators._replicas` draws a replica's first weights with it, so a
    replica starts where the estimator would.
    """
    return keras.initializers.GlorotUniform(seed=seed)


def kernel_regularizers(n_layers, *, first_layer_l1, kernel_l1):
    """One L1 penalty (or None) per kernel, from the inputs to the output: ``kernel_l1``
    on every kernel, plus ``first_layer_l1`` on the first (the recorded one).

    Examples
    --------
    >>> from skweightimp.estimators._network import kernel_regularizers
    >>> kernel_regularizers(2, first_layer_l1=0.0, kernel_l1=0.0)
    [None, None]
    >>> penalties = kernel_regularizers(2, first_layer_l1=0.01, kernel_l1=1e-4)
    >>> [round(r.get_config()["l1"], 6) for r in penalties]
    [0.0101, 0.0001]
    """
    penalties = [float(kernel_l1)] * n_layers
    penalties[0] += float(first_layer_l1)
    return [keras.regularizers.L1(l1) if l1 else None for l1 in penalties]


def starting_weights(n_features, sizes, seeds):
    """The ``get_weights()`` the built-in network starts from (kernel, bias, ...), for the
    layer widths ``sizes`` (the output's last), one initializer seed per layer; biases
    start at 0.

    Examples
    --------
    >>> from skweightimp.estimators._network import initializer_seeds, starting_weights
    >>> [w.shape for w in starting_weights(3, [4, 1], initializer_seeds(0, 2))]
    [(3, 4), (4,), (4, 1), (1,)]
    """
    weights, fan_in = [], n_features
    for units, seed in zip(sizes, seeds, strict=True):
        kernel = keras.ops.convert_to_numpy(kernel_initializer(seed)((fan_in, units)))
        weights += [kernel, np.zeros(units, np.float32)]
        fan_in = units
    return weights


def build_mlp(
    n_features, hidden_sizes, *, activation, output, first_layer_l1, seed, name, kernel_l1=0.0
):
    """An uncompiled ``keras.Model``: ``hidden_sizes`` Dense layers, then the output layer.

    ``output`` is ``(units, activation)`` of the output layer. ``first_layer_l1`` and
    ``kernel_l1`` go to :func:`kernel_regularizers`.
    """
    inputs = keras.Input(shape=(n_features,), name="features")
    hidden = inputs
    penalties = kernel_regularizers(
        len(hidden_sizes) + 1, first_layer_l1=first_layer_l1, kernel_l1=kernel_l1
    )
    seeds = initializer_seeds(seed, len(hidden_sizes) + 1)
    for index, units in enumerate(hidden_sizes, start=1):
        hidden = keras.layers.Dense(
            int(units),
            activation=activation,
            name=f"hidden_{index}",
            kernel_initializer=kernel_initializer(seeds[index - 1]),
            kernel_regularizer=penalties[index - 1],
        )(hidden)
    units, output_activation = output
    outputs = keras.layers.Dense(
        units,
        activation=output_activation,
        name="output",
        kernel_initializer=kernel_initializer(seeds[-1]),
        kernel_regularizer=penalties[-1],
    )(hidden)
    return keras.Model(inputs, outputs, name=name)
