"""Input gradients of a fitted network: how much its output moves per unit of each input.

The ``"gradient"`` importance method (:func:`skweightimp.importance.method_scores`) is
the mean over rows of ``|d yhat_c / d x_i|``, summed over the outputs ``c``, times the
standard deviation of input ``i`` (Dimopoulos et al. 1995; Gevrey, Dimopoulos & Lek 2003).
This module computes it from a Keras model in batched backward passes, one per output,
with each backend's own automatic differentiation; the formula's arithmetic lives in
:mod:`skweightimp.importance`.

A model of replicas (``_replicas``), whose inputs have shape ``(rows, replicas,
features)``, gets every replica's sensitivity from the same passes: replica ``r``'s
outputs depend on its own inputs only, so the gradient of the summed outputs with
respect to the stacked inputs holds each replica's gradient in its own slice.
"""

import numpy as np

from ..utils._backend import BACKEND, keras

__all__ = ["gradient_rows", "input_sensitivity", "mixed_input_differences"]

# Rows per backward pass: bounds the memory of the activations kept for it.
_CHUNK_ROWS = 4096
# Rows the gradient method reads at the end of a fit: beyond this a seeded sample, whose
# mean gradient differs from all the rows' by about a percent of the score.
_MAX_ROWS = 20_000


def gradient_rows(n_rows, seed):
    """The rows the gradient method reads: all of them, or a seeded sample of ``_MAX_ROWS``.

    Returns an index array (a slice of everything when no sample is needed).
    """
    if n_rows <= _MAX_ROWS:
        return slice(None)
    return np.sort(np.random.default_rng(seed).choice(n_rows, _MAX_ROWS, replace=False))


def _output_gradients_tensorflow(model, chunk):
    from ..utils._backend import tf  # defined on TensorFlow only

    x = tf.convert_to_tensor(chunk)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        outputs = model(x, training=False)
        sums = [tf.reduce_sum(outputs[..., c]) for c in range(outputs.shape[-1])]
    grads = [tape.gradient(total, x).numpy() for total in sums]
    del tape
    return grads


def _output_gradients_jax(model, chunk):
    import jax

    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]

    def output_sum(x, c):
        outputs, _ = model.stateless_call(trainable, non_trainable, x, training=False)
        return outputs[..., c].sum()

    # A subclassed model has no symbolic outputs to read the width from.
    n_outputs = int(model(chunk[:1], training=False).shape[-1])
    gradient = jax.grad(output_sum)
    return [np.asarray(gradient(chunk, c)) for c in range(n_outputs)]


def _output_gradients_torch(model, chunk):
    import torch

    x = keras.ops.convert_to_tensor(chunk).detach().requires_grad_(True)
    outputs = model(x, training=False)
    n_outputs = outputs.shape[-1]
    grads = []
    for c in range(n_outputs):
        (grad,) = torch.autograd.grad(outputs[..., c].sum(), x, retain_graph=c < n_outputs - 1)
        grads.append(grad.detach().cpu().numpy())
    return grads


_OUTPUT_GRADIENTS = {
    "tensorflow": _output_gradients_tensorflow,
    "jax": _output_gradients_jax,
    "torch": _output_gradients_torch,
}


def input_sensitivity(model, X, *, sample_weight=None):
    """Mean ``|d yhat_c / d x_i|`` over the rows of ``X``, summed over outputs ``c``.

    Parameters
    ----------
    model : keras.Model
        A fitted model with one output tensor, its last axis the outputs.
    X : ndarray of shape (n_rows, n_features) or (n_rows, n_replicas, n_features)
        The inputs as the network sees them (encoded, float32).
    sample_weight : ndarray of shape (n_rows,) or (n_replicas, n_rows), default=None
        Weights of the rows in the mean (a replica's own weights per replica).

    Returns
    -------
    ndarray of shape (n_features,) or (n_replicas, n_features)
        Not yet multiplied by the inputs' spread (see
        :func:`skweightimp.importance.gradient_sensitivity`).
    """
    output_gradients = _OUTPUT_GRADIENTS.get(BACKEND)
    if output_gradients is None:  # pragma: no cover - a backend Keras may add
        raise ValueError(f"Input gradients are not implemented on the {BACKEND} backend.")
    X = np.asarray(X, dtype=keras.backend.floatx())
    weights = None
    if sample_weight is not None:
        weights = np.asarray(sample_weight, dtype=np.float64)
        if weights.ndim == 2:  # (replicas, rows) -> (rows, replicas)
            weights = weights.T
    total = np.zeros(X.shape[1:], dtype=np.float64)
    for start in range(0, len(X), _CHUNK_ROWS):
        chunk = X[start : start + _CHUNK_ROWS]
        absolute = sum(np.abs(grad.astype(np.float64)) for grad in output_gradients(model, chunk))
        if weights is None:
            total += absolute.sum(axis=0)
        else:
            w = weights[start : start + _CHUNK_ROWS]
            total += np.einsum("n...,n...f->...f", w, absolute)
    denominator = len(X) if weights is None else weights.sum(axis=0)[..., None]
    return total / np.maximum(denominator, np.finfo(np.float64).tiny)


def mixed_input_differences(model, X, steps):
    """Mean ``|d^2 yhat_c / dx_i dx_j|`` over the rows of ``X``, summed over outputs ``c``,
    by central differences of the input gradients.

    Column ``j`` is ``(grad(X + h_j e_j) - grad(X - h_j e_j)) / (2 h_j)``: two backward
    passes per feature. Over a finite step the differences see the kinks of a ReLU
    network, whose exact second derivatives are 0 almost everywhere.

    Parameters
    ----------
    model : keras.Model
        A fitted model with one output tensor, its last axis the outputs.
    X : ndarray of shape (n_rows, n_features)
        The inputs as the network sees them.
    steps : ndarray of shape (n_features,)
        The step ``h_j > 0`` of each input.

    Returns
    -------
    ndarray of shape (n_features, n_features)
        Entry ``[i, j]``: the difference of the gradient of input ``i`` along input ``j``.
    """
    output_gradients = _OUTPUT_GRADIENTS.get(BACKEND)
    if output_gradients is None:  # pragma: no cover - a backend Keras may add
        raise ValueError(f"Input gradients are not implemented on the {BACKEND} backend.")
    X = np.asarray(X, dtype=keras.backend.floatx())
    n_features = X.shape[1]
    mixed = np.zeros((n_features, n_features))
    for j, step in enumerate(np.asarray(steps, dtype=np.float64)):
        shift = np.zeros(n_features, dtype=X.dtype)
        shift[j] = step
        for start in range(0, len(X), _CHUNK_ROWS):
            chunk = X[start : start + _CHUNK_ROWS]
            up = output_gradients(model, chunk + shift)
            down = output_gradients(model, chunk - shift)
            difference = sum(
                np.abs(u.astype(np.float64) - d.astype(np.float64))
                for u, d in zip(up, down, strict=True)
            )
            mixed[:, j] += difference.sum(axis=0) / (2.0 * step)
    return mixed / max(len(X), 1)
