"""The built-in network: a multi-layer perceptron of Dense layers with seeded Glorot
initializers, an optional L1 penalty on the recorded first layer, and the output layer
the task needs.
"""

import numpy as np

from ..utils._backend import keras
from ..utils._seeds import draw_seeds

__all__ = ["build_mlp", "initializer_seeds", "kernel_initializer"]


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


def build_mlp(n_features, hidden_sizes, *, activation, output, first_layer_l1, seed, name):
    """An uncompiled ``keras.Model``: ``hidden_sizes`` Dense layers, then the output layer.

    ``output`` is ``(units, activation)`` of the output layer. The L1 penalty goes on the
    first layer, the recorded one (the output layer when there is no hidden layer).
    """
    inputs = keras.Input(shape=(n_features,), name="features")
    hidden = inputs
    l1 = keras.regularizers.L1(float(first_layer_l1)) if first_layer_l1 else None
    seeds = initializer_seeds(seed, len(hidden_sizes) + 1)
    for index, units in enumerate(hidden_sizes, start=1):
        hidden = keras.layers.Dense(
            int(units),
            activation=activation,
            name=f"hidden_{index}",
            kernel_initializer=kernel_initializer(seeds[index - 1]),
            kernel_regularizer=l1 if index == 1 else None,
        )(hidden)
    units, output_activation = output
    outputs = keras.layers.Dense(
        units,
        activation=output_activation,
        name="output",
        kernel_initializer=kernel_initializer(seeds[-1]),
        kernel_regularizer=None if hidden_sizes else l1,
    )(hidden)
    return keras.Model(inputs, outputs, name=name)
