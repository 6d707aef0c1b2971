"""The Keras side of the method: find the first-layer kernel and copy it during training.

This module only records (and, for the connection-weight methods, copies the trained
kernels of a Dense stack). What the records mean is computed in
:mod:`skweightimp.importance`, which knows nothing of Keras.
"""

import numpy as np

from ..importance._moments import WeightMoments
from ..utils._backend import keras, to_numpy
from ..utils._validation import RECORD_EVERY, satisfies

__all__ = ["WeightRecorder", "check_record_every", "dense_kernels", "find_recorded_layer"]


def _describe(layer):
    return f"{layer.name!r} ({type(layer).__name__})"


def find_recorded_layer(model, layer=None, *, n_features=None):
    """Return the layer whose kernel is recorded.

    Parameters
    ----------
    model : keras.Model
        A built Sequential or functional model.
    layer : str, int or None, default=None
        None picks the first layer that has trainable weights, which must be a ``Dense``
        layer (the seed's convention). A string names a layer; an int indexes
        ``model.layers``.
    n_features : int, default=None
        When given, every row of the kernel must belong to one input feature: the
        kernel's input dimension must equal it, and the layer must read the model's
        input (directly, or through weightless layers such as ``Dropout`` that keep one
        column per feature).

    Returns
    -------
    keras.layers.Layer
        A layer with a 2-d ``kernel`` of shape ``(n_features, n_units)``.

    Raises
    ------
    ValueError
        If no such layer exists, with a message saying what the model needs.

    Examples
    --------
    >>> from skweightimp.utils._backend import keras
    >>> from skweightimp.callbacks import find_recorded_layer
    >>> model = keras.Sequential([
    ...     keras.Input((3,)),
    ...     keras.layers.Dense(4, name="hidden"),
    ...     keras.layers.Dense(1, name="out"),
    ... ])
    >>> find_recorded_layer(model, n_features=3).name
    'hidden'
    >>> find_recorded_layer(model, "out").name, find_recorded_layer(model, -1).name
    ('out', 'out')
    >>> find_recorded_layer(model, n_features=5)
    Traceback (most recent call last):
        ...
    ValueError: Layer 'hidden' (Dense) has a kernel of shape (3, 4), but X has 5 features: ...
    """
    if layer is None:
        trainable = [lay for lay in model.layers if lay.trainable_weights]
        if not trainable:
            raise ValueError(
                "The model has no layer with trainable weights, so there is no weight "
                "trajectory to record. The first trainable layer must be a Dense layer "
                "connected to the inputs."
            )
        chosen = trainable[0]
        if not isinstance(chosen, keras.layers.Dense):
            raise ValueError(
                f"The first trainable layer of the model is {_describe(chosen)}, but "
                "weight-trajectory importance needs a Dense layer connected to the inputs "
                "(one kernel row per input feature). Put a Dense layer first, or name one "
                "with record_layer=..."
            )
    elif isinstance(layer, str):
        names = [lay.name for lay in model.layers]
        if layer not in names:
            raise ValueError(
                f"record_layer={layer!r} is not a layer of the model; its layers are {names}."
            )
        chosen = model.get_layer(layer)
    elif isinstance(layer, (int, np.integer)) and not isinstance(layer, bool):
        if not -len(model.layers) <= layer < len(model.layers):
            raise ValueError(
                f"record_layer={layer} is out of range: the model has {len(model.layers)} layers."
            )
        chosen = model.layers[layer]
    else:
        raise TypeError(f"record_layer must be None, a layer name or an index; got {layer!r}.")

    kernel = getattr(chosen, "kernel", None)
    if kernel is None or len(kernel.shape) != 2:
        raise ValueError(
            f"Layer {_describe(chosen)} has no 2-d kernel to record; weight-trajectory "
            "importance needs a Dense layer connected to the inputs."
        )
    if n_features is not None and kernel.shape[0] != n_features:
        raise ValueError(
            f"Layer {_describe(chosen)} has a kernel of shape {tuple(kernel.shape)}, "
            f"but X has {n_features} features: the recorded layer must take the inputs "
            "directly, one kernel row per feature."
        )
    if n_features is not None and not _fed_by_inputs(model, chosen):
        raise ValueError(
            f"Layer {_describe(chosen)} does not take the model's inputs: its kernel rows "
            "belong to the outputs of the layer before it, not to the input features. "
            "Record the Dense layer connected to the inputs (record_layer=None picks the "
            "first trainable layer)."
        )
    return chosen


def _fed_by_inputs(model, layer):
    """Whether ``layer`` reads the model's single input, through weightless pass-throughs.

    A kernel with ``n_features`` rows is not enough: a hidden layer of ``n_features``
    units feeds a kernel of that shape too, and its rows are hidden units. Only models
    with a layer graph (Sequential, functional) can be checked; a subclassed model has
    none, and its first layer is taken on trust.
    """
    inputs = getattr(model, "inputs", None)
    if not inputs:
        return True
    if len(inputs) != 1:
        return False
    producers = {}
    for candidate in model.layers:
        try:
            producers[id(candidate.output)] = candidate
        except (AttributeError, ValueError):  # never called, or called several times
            continue
    current = layer
    while True:
        try:
            tensor = current.input
        except (AttributeError, ValueError):
            return False
        if tensor is inputs[0]:
            return True
        current = producers.get(id(tensor))
        # Dropout, noise and activations keep one column per feature; anything else
        # (a Dense, a Reshape, a merge) mixes them.
        if current is None or not isinstance(current, _passthrough_layers()) or current.weights:
            return False


def _passthrough_layers():
    """Weightless layers that leave a Dense stack a plain chain of kernels."""
    layers = keras.layers
    return (
        layers.InputLayer,
        layers.Dropout,
        layers.GaussianNoise,
        layers.GaussianDropout,
        layers.Activation,
        layers.ReLU,
        layers.LeakyReLU,
        layers.ELU,
        layers.Softmax,
    )


def dense_kernels(model, *, n_features=None):
    """Copy the kernels of a network that is a plain stack of ``Dense`` layers.

    Garson's and Olden's methods (:func:`skweightimp.importance.garson`,
    :func:`skweightimp.importance.olden`) read the weights along every path from an input
    to an output, so they need the network to be one chain of ``Dense`` layers from its
    single input to its single output. Dropout, noise and activation layers in between
    are allowed (they carry no weights); anything else (convolutions, normalisation,
    embeddings, merges, nested models) is refused.

    Parameters
    ----------
    model : keras.Model
        A built Sequential or functional model.
    n_features : int, default=None
        When given, the first kernel must have this many rows.

    Returns
    -------
    list of ndarray
        The kernels ``[W_1, ..., W_L]`` from the inputs to the output, float64 copies;
        ``len(...) - 1`` is the number of hidden layers. Biases are left out.

    Raises
    ------
    ValueError
        If the model is not such a stack, naming the layer that is not.

    Examples
    --------
    >>> from skweightimp.utils._backend import keras
    >>> from skweightimp.callbacks import dense_kernels
    >>> model = keras.Sequential([
    ...     keras.Input((3,)),
    ...     keras.layers.Dense(4, activation="relu"),
    ...     keras.layers.Dropout(0.1),  # no weights: allowed
    ...     keras.layers.Dense(1),
    ... ])
    >>> kernels = dense_kernels(model, n_features=3)
    >>> [kernel.shape for kernel in kernels], kernels[0].dtype
    ([(3, 4), (4, 1)], dtype('float64'))
    """
    alternative = (
        "Garson's and Olden's methods need a plain stack of Dense layers from the inputs "
        "to the output (Dropout and activation layers in between are fine); use "
        "importance_method='weight_std', 'viann' or 'displacement', which need only the "
        "recorded layer."
    )
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ValueError(
            f"The model has {len(model.inputs)} input(s) and {len(model.outputs)} "
            f"output(s). {alternative}"
        )
    kernels = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            kernel = np.array(to_numpy(layer.kernel), dtype=np.float64, copy=True)
            if kernels and kernels[-1].shape[1] != kernel.shape[0]:
                raise ValueError(
                    f"Dense layer {layer.name!r} takes {kernel.shape[0]} inputs but the "
                    f"Dense layer before it has {kernels[-1].shape[1]} units: the network "
                    f"is not one chain of Dense layers. {alternative}"
                )
            kernels.append(kernel)
        elif not (isinstance(layer, _passthrough_layers()) and not layer.weights):
            raise ValueError(f"Layer {_describe(layer)} is not a Dense layer. {alternative}")
    if not kernels:
        raise ValueError(f"The model has no Dense layer. {alternative}")
    if n_features is not None and kernels[0].shape[0] != n_features:
        raise ValueError(
            f"The first Dense layer takes {kernels[0].shape[0]} inputs, but X has "
            f"{n_features} features. {alternative}"
        )
    return kernels


def _kernel_copy(layer):
    # to_numpy avoids the NumPy 2 copy-keyword deprecation that np.array(variable) triggers;
    # the explicit copy matters: on PyTorch (and possibly others) the array is a view of the
    # live kernel, which would silently rewrite earlier snapshots.
    return np.array(to_numpy(layer.kernel), copy=True)


# Streaming mode keeps at most this many bytes of raw snapshots (and at most
# _BLOCK_MAX_SNAPSHOTS of them) before folding them into the running summary; a kernel
# larger than this is folded in one snapshot at a time.
_BLOCK_BYTES = 4 * 2**20
_BLOCK_MAX_SNAPSHOTS = 256


def check_record_every(record_every):
    """Return ``record_every`` as ``"epoch"`` or a positive int, or raise a ValueError.

    Examples
    --------
    >>> from skweightimp.callbacks._recording import check_record_every
    >>> check_record_every("epoch"), check_record_every(5)
    ('epoch', 5)
    >>> check_record_every(0)
    Traceback (most recent call last):
        ...
    ValueError: record_every must be "epoch" (a snapshot after every epoch) or a positive ...
    """
    if satisfies(record_every, RECORD_EVERY):
        return record_every if isinstance(record_every, str) else int(record_every)
    raise ValueError(
        'record_every must be "epoch" (a snapshot after every epoch) or a positive '
        f"integer k (a snapshot after every k-th training batch); got {record_every!r}."
    )


class WeightRecorder(keras.callbacks.Callback):
    """Keras callback that snapshots a Dense kernel during training.

    A *snapshot* is a copy of the layer's kernel, shape ``(n_features, n_units)``, taken

    - with ``record_every="epoch"``: after every completed epoch;
    - with ``record_every=k``: whenever the optimizer's step counter
      (``optimizer.iterations``, one step per training batch) reaches a multiple of
      ``k``. The count runs on across epochs and across ``fit`` calls on the same
      model, so a network trained for ``N`` batches from scratch has
      ``floor(N / k)`` snapshots, e.g. ``epochs * ceil(n_samples / batch_size) // k``
      without ``validation_split``. With ``steps_per_execution > 1`` Keras runs several
      batches per call and a snapshot is taken at the first call boundary at or after
      each multiple of ``k``.

    Only the batches that end in a snapshot read the kernel; the others cost one Python
    call and no device-to-host copy. Batch snapshots are taken in
    ``on_train_batch_begin`` (the kernel before batch ``b + 1`` is the kernel after
    batch ``b``) and ``on_epoch_end``, because a callback that overrides
    ``on_train_batch_end`` makes Keras fetch the batch logs synchronously after every
    batch on backends that dispatch asynchronously (JAX).

    Parameters
    ----------
    layer : keras.layers.Layer
        The layer whose ``kernel`` (shape ``(n_features, n_units)``) is copied, usually
        from :func:`find_recorded_layer`.
    record_every : "epoch" or int, default="epoch"
        When to take a snapshot (see above).
    store_history : bool, default=True
        Keep every snapshot (``history``). With False only their running summary
        (``moments``) is kept, plus a block of at most 4 MB of snapshots waiting to
        be folded into it: memory no longer grows with the number of snapshots.
    history : ndarray of shape (n_earlier, n_features, n_units), default=None
        Snapshots of earlier training (a warm start) that ``history`` continues.
        The new snapshots are written into one array that starts with a copy of these,
        so no concatenation copy is made at the end.
    moments : WeightMoments, default=None
        Summary of the earlier snapshots that ``moments`` continues; it is copied,
        not modified. With ``store_history=True`` and ``history`` given it defaults to
        the summary of ``history``.
    all_kernels : bool, default=False
        Also copy the kernel of every ``Dense`` layer of the model at every snapshot
        (``kernels_history``), what the importance path of Garson's and Olden's methods
        needs (:func:`skweightimp.importance.importance_path`). The model must then
        be a plain stack of Dense layers (see :func:`dense_kernels`). Memory:
        ``n_snapshots`` times the size of all the kernels.
    kernels_history : list of ndarray, default=None
        With ``all_kernels``: the kernels of earlier training (a warm start), one array of
        shape ``(n_earlier, n_in, n_out)`` per Dense layer, that ``kernels_history``
        continues.

    Attributes
    ----------
    initial_weights : ndarray of shape (n_features, n_units)
        The kernel when training began.
    n_recorded : int
        Snapshots taken by the last ``fit`` call.
    kernels_history : list of ndarray or None
        With ``all_kernels``: one array of shape ``(n_snapshots, n_in, n_out)`` per Dense
        layer, from the inputs to the output, earlier snapshots first; else None.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.utils._backend import keras
    >>> from skweightimp.callbacks import WeightRecorder, find_recorded_layer
    >>> model = keras.Sequential([
    ...     keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(1)
    ... ])
    >>> model.compile(optimizer="adam", loss="mse")
    >>> X = np.random.default_rng(0).normal(size=(20, 3))
    >>> recorder = WeightRecorder(find_recorded_layer(model, n_features=3))
    >>> _ = model.fit(X, X[:, 0], epochs=3, batch_size=10, verbose=0, callbacks=[recorder])
    >>> recorder.n_recorded, recorder.history.shape, recorder.initial_weights.shape
    (3, (3, 3, 4), (3, 4))

    One snapshot per training batch (2 batches per epoch), keeping only their summary:

    >>> streaming = WeightRecorder(recorder.layer, record_every=1, store_history=False)
    >>> _ = model.fit(X, X[:, 0], epochs=2, batch_size=10, verbose=0, callbacks=[streaming])
    >>> streaming.n_recorded, streaming.history, streaming.moments.count
    (4, None, 4)

    Every Dense kernel at every snapshot, what the importance path of Garson's and Olden's
    methods reads:

    >>> everything = WeightRecorder(recorder.layer, all_kernels=True)
    >>> _ = model.fit(X, X[:, 0], epochs=2, batch_size=10, verbose=0, callbacks=[everything])
    >>> [stack.shape for stack in everything.kernels_history]
    [(2, 3, 4), (2, 4, 1)]

    Keras calls the hooks in this order; driving them by hand, with no training step in
    between, takes one snapshot per epoch of the unchanged kernel:

    >>> manual = WeightRecorder(recorder.layer)
    >>> manual.set_model(model)
    >>> manual.set_params({"epochs": 2, "steps": 2})
    >>> manual.on_train_begin()
    >>> for epoch in range(2):
    ...     manual.on_epoch_begin(epoch)
    ...     for batch in range(2):
    ...         manual.on_train_batch_begin(batch)
    ...     manual.on_epoch_end(epoch)
    >>> manual.on_train_end()
    >>> manual.history.shape, np.array_equal(manual.history[-1], manual.initial_weights)
    ((2, 3, 4), True)
    """

    def __init__(
        self,
        layer,
        *,
        record_every="epoch",
        store_history=True,
        history=None,
        moments=None,
        all_kernels=False,
        kernels_history=None,
    ):
        super().__init__()
        self.layer = layer
        self.record_every = check_record_every(record_every)
        self.store_history = bool(store_history)
        self.earlier_history = history
        self.earlier_moments = moments
        self.all_kernels = bool(all_kernels)
        self.earlier_kernels = kernels_history
        self.initial_weights = None
        self.n_recorded = 0
        self._reset()

    def _reset(self):
        self.n_recorded = 0
        self._buffer = None  # stored mode: earlier + new snapshots, one array
        self._count = 0  # filled rows of _buffer
        self._summarised = 0  # rows of _buffer already folded into _moments
        self._expected = None  # snapshots this fit should take, when known
        self._block = None  # streaming mode: snapshots not yet folded into _moments
        self._block_count = 0
        self._moments = None
        self._steps_checked = None  # optimizer steps at the last check (record_every=k)
        self._epoch_base = None  # optimizer steps when the current epoch began
        self._dense_layers = None  # all_kernels: the Dense stack, inputs to output
        self._kernel_snapshots = []  # all_kernels: per snapshot, one copy per Dense layer

    # ------------------------------------------------------------------ results

    @property
    def history(self):
        """Every snapshot, earlier ones first; None with ``store_history=False``."""
        if not self.store_history:
            return None
        if self._buffer is None:
            if self.earlier_history is not None:
                return self.earlier_history
            shape = tuple(self.layer.kernel.shape)
            return np.empty((0, *shape), dtype=np.dtype(self.layer.kernel.dtype))
        return self._buffer[: self._count]

    @property
    def kernels_history(self):
        """Every Dense kernel at every snapshot, one array per layer; None without
        ``all_kernels``."""
        if not self.all_kernels:
            return None
        if not self._kernel_snapshots:
            return self.earlier_kernels
        stacks = [
            np.stack(layer_kernels) for layer_kernels in zip(*self._kernel_snapshots, strict=True)
        ]
        if self.earlier_kernels is not None:
            stacks = [
                np.concatenate([earlier, new])
                for earlier, new in zip(self.earlier_kernels, stacks, strict=True)
            ]
        return stacks

    @property
    def moments(self):
        """The :class:`~skweightimp.importance.WeightMoments` of every snapshot so far."""
        if self._moments is None:
            self._moments = self._earlier_summary()
        if self._count > self._summarised:
            self._moments.merge(
                WeightMoments.from_history(self._buffer[self._summarised : self._count])
            )
            self._summarised = self._count
        if self._block_count:
            self._moments.merge(WeightMoments.from_history(self._block[: self._block_count]))
            self._block_count = 0
        return self._moments

    # ------------------------------------------------------------------ Keras hooks

    def on_train_begin(self, logs=None):
        """Copy the kernel as it is before the first batch of this ``fit`` call."""
        self._reset()
        self.initial_weights = _kernel_copy(self.layer)
        if self.all_kernels:
            dense_kernels(self.model)  # refuses a model that is not a plain Dense stack
            self._dense_layers = [
                layer for layer in self.model.layers if isinstance(layer, keras.layers.Dense)
            ]
        if self.store_history and self.earlier_history is not None:
            self._summarised = self._count = len(self.earlier_history)
        if self.record_every != "epoch":
            self._steps_checked = self._epoch_base = self._optimizer_steps()

    def on_epoch_begin(self, epoch, logs=None):
        """Estimate, once, how many snapshots this ``fit`` call will take."""
        if self._expected is not None:
            return
        epochs_left = max(1, int(self.params.get("epochs") or epoch + 1) - epoch)
        if self.record_every == "epoch":
            self._expected = epochs_left
        else:
            steps = self.params.get("steps")
            if steps:
                end = self._epoch_base + epochs_left * int(steps)
                self._expected = end // self.record_every - self._epoch_base // self.record_every
            else:
                self._expected = 1  # unknown epoch length: grow as needed

    def on_train_batch_begin(self, batch, logs=None):
        """With ``record_every=k``: snapshot if a multiple of k steps was just reached."""
        if self.record_every != "epoch":
            self._check_steps(self._epoch_base + batch)

    def on_epoch_end(self, epoch, logs=None):
        """Snapshot after the epoch (``"epoch"``) or after its last batch (``k``)."""
        if self.record_every == "epoch":
            self._record()
        else:
            self._epoch_base = self._optimizer_steps()
            self._check_steps(self._epoch_base)

    def on_train_end(self, logs=None):
        """Fold the pending snapshots into the summary and drop unused buffer rows."""
        self.moments  # noqa: B018 - folds what is pending
        if self._buffer is not None and self._count < len(self._buffer):
            try:  # shrink in place: no second copy of the history
                self._buffer.resize((self._count, *self._buffer.shape[1:]), refcheck=True)
            except ValueError:  # a view of the buffer is alive somewhere
                self._buffer = self._buffer[: self._count].copy()
        self._block = None

    # ------------------------------------------------------------------ internals

    def _optimizer_steps(self):
        # self.model (not self._model): on JAX it attaches the training state first.
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None:
            raise ValueError(
                f"record_every={self.record_every} counts optimizer steps, but the model "
                "has no optimizer: compile it before fitting."
            )
        return int(np.asarray(to_numpy(optimizer.iterations)))

    def _check_steps(self, steps):
        # steps only jumps by more than one with steps_per_execution > 1.
        if steps // self.record_every > self._steps_checked // self.record_every:
            self._record()
        self._steps_checked = steps

    def _record(self):
        self.model  # noqa: B018 - on JAX, attaches the latest weights to the layer
        kernel = to_numpy(self.layer.kernel)
        if self.store_history:
            self._store(kernel)
        else:
            self._stream(kernel)
        if self.all_kernels:
            self._kernel_snapshots.append([_kernel_copy(layer) for layer in self._dense_layers])
        self.n_recorded += 1

    def _store(self, kernel):
        if self._buffer is None:
            n_earlier = self._count
            capacity = n_earlier + max(1, self._expected or 1)
            self._buffer = np.empty((capacity, *kernel.shape), dtype=kernel.dtype)
            if n_earlier:
                self._buffer[:n_earlier] = self.earlier_history
        elif self._count == len(self._buffer):
            n_earlier = self._n_earlier()
            grown = np.empty(
                (n_earlier + 2 * (len(self._buffer) - n_earlier), *kernel.shape),
                dtype=kernel.dtype,
            )
            grown[: self._count] = self._buffer
            self._buffer = grown
        self._buffer[self._count] = kernel  # one copy, straight into place
        self._count += 1

    def _stream(self, kernel):
        if self._block is None:
            size = max(1, min(_BLOCK_MAX_SNAPSHOTS, _BLOCK_BYTES // max(1, kernel.nbytes)))
            size = min(size, max(1, self._expected or 1))
            self._block = np.empty((size, *kernel.shape), dtype=kernel.dtype)
        elif self._block_count == len(self._block):
            self.moments  # noqa: B018 - folds the full block, empties it
        self._block[self._block_count] = kernel
        self._block_count += 1

    def _n_earlier(self):
        if not self.store_history or self.earlier_history is None:
            return 0
        return len(self.earlier_history)

    def _earlier_summary(self):
        if self.earlier_moments is not None:
            return self.earlier_moments.copy()
        if self._n_earlier():
            return WeightMoments.from_history(self.earlier_history)
        return WeightMoments(tuple(self.layer.kernel.shape))
