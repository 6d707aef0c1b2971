"""The built-in network: a multi-layer perceptron of Dense layers with seeded Glorot
initializers, optional L1 penalties, optional univariate main-effect units, and the
output layer the task needs.

With ``main_effect_units=k`` every hidden layer holds, after the shared units, ``k``
units per feature that see only that feature's units (a kernel mask held by
:class:`MainEffectMask`), and the output layer sums both parts: the network of Tsang,
Cheng and Liu's "MLP-M", written as one chain of Dense layers so that the recorder, the
importance methods and NID read it as they read the plain network. ``kernel_l1``
penalises the shared units' weights only (:class:`KernelL1`): a feature's own effect
costs nothing in its univariate units, so it moves there and leaves the shared units,
which NID reads, the interactions.
"""

import numpy as np

from ..utils._backend import keras
from ..utils._seeds import draw_seeds

__all__ = [
    "KernelL1",
    "MainEffectMask",
    "build_mlp",
    "initializer_seeds",
    "kernel_initializer",
    "kernel_masks",
    "kernel_regularizers",
    "layer_widths",
    "main_effect_mask",
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


def layer_widths(n_features, hidden_sizes, main_effect_units=0):
    """The width of every hidden layer: its shared units, then ``main_effect_units`` per
    feature.

    Examples
    --------
    >>> from skweightimp.estimators._network import layer_widths
    >>> layer_widths(3, (8, 4)), layer_widths(3, (8, 4), 2)
    ([8, 4], [14, 10])
    """
    return [int(units) + n_features * int(main_effect_units) for units in hidden_sizes]


def main_effect_mask(n_features, shared_in, shared_out, units, *, first):
    """Which entries of a hidden kernel may be non-zero when it carries main effects.

    Rows are the layer's inputs: the features for the first layer (``first=True``),
    else ``shared_in`` shared units then ``units`` per feature. Columns are
    ``shared_out`` shared units then ``units`` per feature. Shared units see every
    shared input; a feature's units see only that feature (or its own units).

    Examples
    --------
    >>> from skweightimp.estimators._network import main_effect_mask
    >>> main_effect_mask(2, 2, 1, 1, first=True).astype(int)
    array([[1, 1, 0],
           [1, 0, 1]])
    """
    block_in = 1 if first else units
    rows = n_features if first else shared_in + n_features * units
    mask = np.zeros((rows, shared_out + n_features * units), dtype=np.float32)
    mask[:shared_in, :shared_out] = 1.0
    offset_in = 0 if first else shared_in
    for feature in range(n_features):
        r = offset_in + feature * block_in
        c = shared_out + feature * units
        mask[r : r + block_in, c : c + units] = 1.0
    return mask


@keras.saving.register_keras_serializable(package="skweightimp")
class MainEffectMask(keras.constraints.Constraint):
    """Keeps a hidden kernel's entries outside :func:`main_effect_mask` at zero.

    Keras applies it after every optimizer step; a kernel of replicas (``(R, n_in,
    n_out)``) is masked the same, the mask broadcasting over the replica axis.
    """

    def __init__(self, n_features, shared_in, shared_out, units, first):
        self.n_features = int(n_features)
        self.shared_in = int(shared_in)
        self.shared_out = int(shared_out)
        self.units = int(units)
        self.first = bool(first)
        self.mask = main_effect_mask(
            self.n_features, self.shared_in, self.shared_out, self.units, first=self.first
        )

    def __call__(self, w):
        return w * keras.ops.cast(self.mask, w.dtype)

    def get_config(self):
        return {
            "n_features": self.n_features,
            "shared_in": self.shared_in,
            "shared_out": self.shared_out,
            "units": self.units,
            "first": self.first,
        }


@keras.saving.register_keras_serializable(package="skweightimp")
class KernelL1(keras.regularizers.Regularizer):
    """``l1 * sum|W| + shared_l1 * sum|W[:rows, :cols]|``: a penalty on the whole
    kernel and one on its block of shared units (the leading rows and columns).

    On a kernel of replicas (``(R, n_in, n_out)``) it is the sum of the replicas'
    penalties, as the replica model's loss needs.
    """

    def __init__(self, l1, shared_l1, rows, cols):
        self.l1 = float(l1)
        self.shared_l1 = float(shared_l1)
        self.rows = int(rows)
        self.cols = int(cols)

    def __call__(self, w):
        penalty = 0.0
        if self.l1:
            penalty = self.l1 * keras.ops.sum(keras.ops.abs(w))
        if self.shared_l1:
            shared = w[..., : self.rows, : self.cols]
            penalty = penalty + self.shared_l1 * keras.ops.sum(keras.ops.abs(shared))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "shared_l1": self.shared_l1, "rows": self.rows, "cols": self.cols}


def kernel_masks(n_features, hidden_sizes, main_effect_units):
    """One :class:`MainEffectMask` per hidden kernel (the output kernel is not masked),
    or Nones for the plain network."""
    hidden_sizes = [int(units) for units in hidden_sizes]
    if not main_effect_units:
        return [None] * len(hidden_sizes)
    shared_in = [n_features, *hidden_sizes[:-1]]
    return [
        MainEffectMask(n_features, s_in, s_out, main_effect_units, first=index == 0)
        for index, (s_in, s_out) in enumerate(zip(shared_in, hidden_sizes, strict=True))
    ]


def kernel_regularizers(n_features, hidden_sizes, n_outputs, *, first_layer_l1, kernel_l1):
    """One regularizer (or None) per kernel, from the inputs to the output.

    ``first_layer_l1`` penalises the whole first kernel (the recorded one), ``kernel_l1``
    the shared units' block of every kernel, the output's included.

    Examples
    --------
    >>> from skweightimp.estimators._network import kernel_regularizers
    >>> kernel_regularizers(3, (4,), 1, first_layer_l1=0.0, kernel_l1=0.0)
    [None, None]
    >>> type(kernel_regularizers(3, (4,), 1, first_layer_l1=0.1, kernel_l1=0.0)[0]).__name__
    'L1'
    >>> penalties = kernel_regularizers(3, (4,), 1, first_layer_l1=0.1, kernel_l1=0.01)
    >>> [(r.l1, r.shared_l1, r.rows, r.cols) for r in penalties]
    [(0.1, 0.01, 3, 4), (0.0, 0.01, 4, 1)]
    """
    shared = [int(n_features), *(int(units) for units in hidden_sizes), int(n_outputs)]
    regularizers = []
    for index in range(len(shared) - 1):
        l1 = float(first_layer_l1) if index == 0 else 0.0
        if kernel_l1:
            regularizers.append(KernelL1(l1, kernel_l1, shared[index], shared[index + 1]))
        else:  # Keras' own L1: what users and pickles of the plain network see
            regularizers.append(keras.regularizers.L1(l1) if l1 else None)
    return regularizers


def _uniform(rng, size, fan_in, fan_out):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=size).astype(np.float32)


def starting_weights(n_features, hidden_sizes, n_outputs, seeds, main_effect_units=0):
    """The ``get_weights()`` the built-in network starts from: kernel, bias, kernel, ...

    Shared kernels are drawn by :func:`kernel_initializer` with one seed per layer (the
    plain network's weights exactly); with main effects, each feature's block is drawn
    Glorot-uniform for its own fan-in and fan-out from the layer's seed, and the rest of
    the kernel is 0. Biases start at 0.

    Examples
    --------
    >>> from skweightimp.estimators._network import initializer_seeds, starting_weights
    >>> weights = starting_weights(3, (4,), 1, initializer_seeds(0, 2), main_effect_units=2)
    >>> [w.shape for w in weights]
    [(3, 10), (10,), (10, 1), (1,)]
    """
    hidden_sizes = [int(units) for units in hidden_sizes]
    masks = kernel_masks(n_features, hidden_sizes, main_effect_units) + [None]
    widths = [*layer_widths(n_features, hidden_sizes, main_effect_units), int(n_outputs)]
    shared = [n_features, *hidden_sizes, int(n_outputs)]
    fans_in = [n_features, *widths[:-1]]
    weights = []
    for index, seed in enumerate(seeds):
        core = (shared[index], shared[index + 1])
        drawn = keras.ops.convert_to_numpy(kernel_initializer(seed)(core))
        bias = np.zeros(widths[index], np.float32)
        if not main_effect_units:
            weights += [drawn, bias]
            continue
        mask = masks[index]
        own = np.ones((fans_in[index], widths[index]), bool) if mask is None else mask.mask > 0
        own[: core[0], : core[1]] = False  # the shared block, drawn above
        block_in = 1 if index == 0 else main_effect_units
        block_out = main_effect_units if mask is not None else int(n_outputs)
        rng = np.random.RandomState(None if seed is None else [seed, 1])
        kernel = np.zeros(own.shape, np.float32)
        kernel[own] = _uniform(rng, int(own.sum()), block_in, block_out)
        kernel[: core[0], : core[1]] = drawn
        weights += [kernel, bias]
    return weights


def build_mlp(
    n_features,
    hidden_sizes,
    *,
    activation,
    output,
    first_layer_l1,
    seed,
    name,
    main_effect_units=0,
    kernel_l1=0.0,
):
    """An uncompiled ``keras.Model``: ``hidden_sizes`` Dense layers, then the output layer.

    ``output`` is ``(units, activation)`` of the output layer. ``first_layer_l1`` and
    ``kernel_l1`` go to :func:`kernel_regularizers`; ``main_effect_units`` adds that many
    univariate units per feature to every hidden layer (see the module's docstring) and
    needs a hidden layer.
    """
    hidden_sizes = [int(units) for units in hidden_sizes]
    units, output_activation = output
    inputs = keras.Input(shape=(n_features,), name="features")
    hidden = inputs
    seeds = initializer_seeds(seed, len(hidden_sizes) + 1)
    masks = kernel_masks(n_features, hidden_sizes, main_effect_units)
    penalties = kernel_regularizers(
        n_features, hidden_sizes, units, first_layer_l1=first_layer_l1, kernel_l1=kernel_l1
    )
    widths = layer_widths(n_features, hidden_sizes, main_effect_units)
    for index, width in enumerate(widths, start=1):
        hidden = keras.layers.Dense(
            width,
            activation=activation,
            name=f"hidden_{index}",
            kernel_initializer=kernel_initializer(seeds[index - 1]),
            kernel_regularizer=penalties[index - 1],
            kernel_constraint=masks[index - 1],
        )(hidden)
    outputs = keras.layers.Dense(
        units,
        activation=output_activation,
        name="output",
        kernel_initializer=kernel_initializer(seeds[-1]),
        kernel_regularizer=penalties[-1],
    )(hidden)
    model = keras.Model(inputs, outputs, name=name)
    if main_effect_units:
        model.set_weights(
            starting_weights(n_features, hidden_sizes, units, seeds, main_effect_units)
        )
    return model
