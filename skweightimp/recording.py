"""The Keras side of the method: find the first-layer kernel and copy it after every epoch.

This module only records. What the records mean is computed in
:mod:`skweightimp.importance`, which knows nothing of Keras.
"""

import numpy as np

from ._backend import keras, to_numpy

__all__ = ["WeightRecorder", "find_recorded_layer"]


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
        When given, the kernel's input dimension must equal it, so that every row of the
        kernel belongs to one input feature.

    Returns
    -------
    keras.layers.Layer
        A layer with a 2-d ``kernel`` of shape ``(n_features, n_units)``.

    Raises
    ------
    ValueError
        If no such layer exists, with a message saying what the model needs.
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
    return chosen


def _kernel_copy(layer):
    # to_numpy avoids the NumPy 2 copy-keyword deprecation that np.array(variable) triggers;
    # the explicit copy matters: on PyTorch (and possibly others) the array is a view of the
    # live kernel, which would silently rewrite earlier snapshots.
    return np.array(to_numpy(layer.kernel), copy=True)


class WeightRecorder(keras.callbacks.Callback):
    """Keras callback that snapshots a Dense kernel at the end of every epoch.

    Parameters
    ----------
    layer : keras.layers.Layer
        The layer whose ``kernel`` (shape ``(n_features, n_units)``) is copied, usually
        from :func:`find_recorded_layer`.

    Attributes
    ----------
    initial_weights : ndarray of shape (n_features, n_units)
        The kernel when training began.
    history : ndarray of shape (n_epochs_run, n_features, n_units)
        One snapshot per completed epoch (after :meth:`on_train_end`).
    """

    def __init__(self, layer):
        super().__init__()
        self.layer = layer
        self.initial_weights = None
        self._buffer = None
        self._count = 0

    @property
    def history(self):
        """The snapshots recorded so far, oldest first."""
        if self._buffer is None:
            shape = tuple(self.layer.kernel.shape)
            return np.empty((0, *shape), dtype=np.dtype(self.layer.kernel.dtype))
        return self._buffer[: self._count]

    def on_train_begin(self, logs=None):
        """Copy the kernel as it is before the first epoch of this ``fit`` call."""
        self.initial_weights = _kernel_copy(self.layer)
        self._buffer = None
        self._count = 0

    def on_epoch_end(self, epoch, logs=None):
        """Append a copy of the kernel as it is after epoch ``epoch``."""
        snapshot = _kernel_copy(self.layer)
        if self._buffer is None:
            # Allocate the whole run at once: stacking a list at the end would hold every
            # snapshot twice at the peak.
            capacity = max(1, int(self.params.get("epochs") or 1) - epoch)
            self._buffer = np.empty((capacity, *snapshot.shape), dtype=snapshot.dtype)
        elif self._count == len(self._buffer):
            grown = np.empty((2 * len(self._buffer), *snapshot.shape), dtype=snapshot.dtype)
            grown[: self._count] = self._buffer
            self._buffer = grown
        self._buffer[self._count] = snapshot
        self._count += 1
