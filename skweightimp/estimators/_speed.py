"""Ways around Keras' per-call overhead for the small networks this package trains.

A fit of the seed notebook's network (4 linear units, 900 rows, batch 32) does almost no
arithmetic; its time goes to framework overhead (see the "Where a fit's time goes"
section of the documentation's scaling page). Three costs are ours to avoid:

- one host-to-device round trip per training batch: when nothing needs batch-level
  callback hooks, Keras can run many batches per call (``steps_per_execution``);
- on TensorFlow, two ``tf.data`` iterators built and torn down per epoch when ``fit``
  is given NumPy arrays: a dataset that repeats is iterated once for the whole fit;
- ``Model.predict``'s per-call set-up (a data adapter, an epoch iterator, callbacks),
  about 0.15 s, when the whole input fits in memory as one batch.

Every helper here keeps the results those costs produced: the same updates in the same
order, and predictions equal to ``Model.predict``'s to float rounding.
"""

import math

import numpy as np

from ..utils._backend import BACKEND, keras, to_numpy

#: False turns the fit's fast paths off (one batch per Keras call, Keras' own array
#: pipeline): what a fit cost before them, for ``bench/bench_speed.py``.
FAST_FIT = True
#: False sends every prediction through ``keras.Model.predict``.
FAST_PREDICT = True

#: ``predict`` calls the network once on the whole input when it has at most this many
#: rows and at most :data:`DIRECT_PREDICT_MAX_BYTES` bytes; larger inputs go through
#: ``keras.Model.predict`` in batches, which bounds the memory of the activations.
DIRECT_PREDICT_MAX_ROWS = 100_000
#: Byte budget of the input of a direct (one-batch) prediction: 64 MiB.
DIRECT_PREDICT_MAX_BYTES = 64 * 2**20

# Beyond this the training set is not copied into a tf.data constant (TensorFlow's
# graph constants are limited to 2 GB); Keras' own array pipeline is used instead.
_DATASET_MAX_BYTES = 256 * 2**20

_BATCH_HOOKS = (
    "on_batch_begin",
    "on_batch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
)
_PREDICT_HOOKS = (
    "on_predict_begin",
    "on_predict_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
)


def _overrides(callbacks, hooks):
    base = keras.callbacks.Callback
    return any(
        getattr(type(callback), hook, None) is not getattr(base, hook)
        for callback in callbacks or ()
        for hook in hooks
    )


def needs_batch_hooks(callbacks):
    """Whether any callback overrides a training-batch hook of ``keras.callbacks.Callback``.

    Such a callback expects to run after every batch, which ``steps_per_execution > 1``
    would change (Keras calls the hooks once per execution).
    """
    return _overrides(callbacks, _BATCH_HOOKS)


def needs_predict_hooks(callbacks):
    """Whether any callback overrides a predict hook, which only ``Model.predict`` calls."""
    return _overrides(callbacks, _PREDICT_HOOKS)


def auto_steps_per_execution(n_batches, record_every, start_step=0):
    """Batches per Keras execution that keep every snapshot where it belongs.

    With ``record_every="epoch"`` a whole epoch (``n_batches``) runs per call. With
    ``record_every=k`` the value divides ``k``, ``n_batches`` (Keras restarts its count of
    executions at every epoch) and ``start_step`` (the optimizer steps taken before this
    fit), so every multiple of ``k`` optimizer steps is a call boundary and snapshots land
    exactly every ``k`` batches.

    Examples
    --------
    >>> from skweightimp.estimators._speed import auto_steps_per_execution
    >>> auto_steps_per_execution(29, "epoch"), auto_steps_per_execution(28, 7)
    (29, 7)
    >>> auto_steps_per_execution(28, 10), auto_steps_per_execution(28, 56, start_step=14)
    (2, 14)
    """
    n_batches = max(1, int(n_batches))
    if record_every == "epoch":
        return n_batches
    return math.gcd(math.gcd(int(record_every), n_batches), int(start_step)) or 1


def keras_batch_size(batch_size, n_samples):
    """The batch size Keras trains with for an estimator's ``batch_size``.

    Examples
    --------
    >>> from skweightimp.estimators._speed import keras_batch_size
    >>> keras_batch_size(None, 900), keras_batch_size(-1, 900), keras_batch_size(64, 900)
    (32, 900, 64)
    """
    if batch_size is None:
        return 32  # Keras' default
    return n_samples if batch_size == -1 else int(batch_size)


def n_train_batches(n_samples, batch_size, validation_split=0.0):
    """Batches per epoch as Keras counts them for array inputs."""
    if validation_split:
        # keras.src.trainers.data_adapters.array_slicing.train_validation_split
        n_samples = int(math.ceil(n_samples * (1.0 - validation_split)))
    return max(1, math.ceil(n_samples / batch_size))


def set_steps_per_execution(model, steps):
    """Set ``model.steps_per_execution``; rebuild Keras' functions only if it changed.

    Keras reads the value when it builds (and traces) its train, test and predict
    functions, so all three are dropped: a predict function built for one batch per
    call would otherwise be handed several and return the first batch's outputs only.
    """
    if int(getattr(model, "steps_per_execution", 1)) != steps:
        model.steps_per_execution = steps
        model.train_function = model.test_function = model.predict_function = None


def repeated_dataset(X, y, sample_weight, *, batch_size, shuffle, seed):
    """A ``tf.data.Dataset`` of the training batches of every epoch, or None.

    The same batches as Keras' array pipeline makes (a fresh permutation of all rows per
    epoch when ``shuffle``, the last batch short), but one iterator serves every epoch,
    where Keras builds two per epoch. Only on TensorFlow and for NumPy arrays that fit
    :data:`_DATASET_MAX_BYTES`; None otherwise.
    """
    if BACKEND != "tensorflow":
        return None
    arrays = [X, y] if sample_weight is None else [X, y, sample_weight]
    if not all(isinstance(array, np.ndarray) for array in arrays):
        return None
    if sum(array.nbytes for array in arrays) > _DATASET_MAX_BYTES:
        return None
    from ..utils._backend import tf  # defined on TensorFlow only

    dataset = tf.data.Dataset.from_tensor_slices(tuple(arrays))
    if not shuffle:
        return dataset.batch(batch_size).repeat()
    if seed is None:
        return dataset.shuffle(len(X), reshuffle_each_iteration=True).batch(batch_size).repeat()
    return _stateless_shuffled_batches(tf, arrays, batch_size, int(seed))


def _stateless_shuffled_batches(tf, arrays, batch_size, seed):
    """Batches of a fresh permutation per epoch, drawn from ``(seed, epoch)`` alone.

    ``Dataset.shuffle(seed=...)`` mixes its seed with TensorFlow's global seed, which is
    whatever the process last set; a stateless shuffle depends on nothing else, so a
    seeded fit shuffles alike in any process and thread without seeding anything global.
    """
    n_rows = len(arrays[0])
    tensors = tuple(tf.constant(array) for array in arrays)

    def epoch_batches(epoch):
        order = tf.random.experimental.stateless_shuffle(
            tf.range(n_rows, dtype=tf.int64), seed=tf.stack([tf.constant(seed, tf.int64), epoch])
        )
        return tf.data.Dataset.from_tensor_slices(order).batch(batch_size)

    def gather(rows):
        return tuple(tf.gather(tensor, rows) for tensor in tensors)

    return tf.data.Dataset.range(2**62).flat_map(epoch_batches).map(gather)


def fits_direct_predict(X):
    """Whether ``X`` is small enough for one direct call of the network."""
    return (
        isinstance(X, np.ndarray)
        and X.shape[0] <= DIRECT_PREDICT_MAX_ROWS
        and X.nbytes <= DIRECT_PREDICT_MAX_BYTES
    )


def direct_predict(model, X):
    """``model``'s outputs for ``X`` in one compiled call, as NumPy arrays.

    ``predict_on_batch`` runs the same compiled predict step as ``Model.predict``,
    without building a data adapter, an epoch iterator and a callback list per call.
    """
    if len(X) == 0:
        return model.predict(X, verbose=0)
    return model.predict_on_batch(X)


def fit_setting(estimator, kwargs, name, default=None):
    """The value of Keras' fit argument ``name`` as scikeras routes it: ``fit(**kwargs)``,
    then ``fit__<name>``, then the estimator's parameter ``name`` (else ``default``)."""
    return kwargs.get(name, getattr(estimator, f"fit__{name}", getattr(estimator, name, default)))


class FitPlan:
    """What a fit hands Keras: its inputs (a repeated dataset, or the arrays) and the
    arguments of ``Model.fit`` that go with them."""

    def __init__(self, X, y, sample_weight, fit_kwargs, *, uses_dataset, steps_per_execution):
        self.X, self.y, self.sample_weight = X, y, sample_weight
        self.fit_kwargs = fit_kwargs
        self.uses_dataset = uses_dataset
        #: The batches per Keras call chosen for this fit, None when left as it was.
        self.steps_per_execution = steps_per_execution


def plan_fit(estimator, X, y, sample_weight, user_callbacks, kwargs, *, seed, chosen_before):
    """Choose the fit's input pipeline and batches per Keras call; return a :class:`FitPlan`.

    Sets ``estimator.model_.steps_per_execution`` (see :func:`auto_steps_per_execution`)
    unless the user chose it: a value other than 1 and ``chosen_before`` (the value this
    function chose for the network's previous fit).
    """
    batch_size = keras_batch_size(fit_setting(estimator, kwargs, "batch_size"), len(X))
    validation_split = float(fit_setting(estimator, kwargs, "validation_split") or 0.0)
    steps = _choose_steps_per_execution(
        estimator, len(X), batch_size, validation_split, user_callbacks, kwargs, chosen_before
    )
    dataset = None
    if (
        FAST_FIT
        and not validation_split
        and not {"steps_per_epoch", "class_weight", "x", "y"} & set(kwargs)
        and getattr(estimator, "fit__class_weight", None) is None
    ):
        shuffle = bool(fit_setting(estimator, kwargs, "shuffle"))
        dataset = repeated_dataset(
            X, y, sample_weight, batch_size=batch_size, shuffle=shuffle, seed=seed
        )
    if dataset is None:
        return FitPlan(X, y, sample_weight, kwargs, uses_dataset=False, steps_per_execution=steps)
    # One pipeline for every epoch, so Keras needs the epoch length; it refuses a batch
    # size with a dataset.
    fit_kwargs = {
        **kwargs,
        "batch_size": None,
        "shuffle": False,  # the pipeline shuffles
        "steps_per_epoch": n_train_batches(len(X), batch_size),
    }
    return FitPlan(dataset, None, None, fit_kwargs, uses_dataset=True, steps_per_execution=steps)


def _choose_steps_per_execution(
    estimator, n_samples, batch_size, validation_split, user_callbacks, kwargs, chosen_before
):
    """Run as many batches per Keras call as the recording allows; None: left alone."""
    model = estimator.model_
    current = int(getattr(model, "steps_per_execution", 1))
    if (
        not FAST_FIT
        or BACKEND == "torch"
        or "compile__steps_per_execution" in estimator.get_params()
        or "steps_per_epoch" in kwargs
        # A value set when the user compiled their own model is theirs too.
        or current not in (1, chosen_before)
    ):
        return None
    if needs_batch_hooks(user_callbacks):
        steps = 1
    else:
        start = 0
        if estimator.record_every != "epoch":
            optimizer = getattr(model, "optimizer", None)
            start = int(np.asarray(to_numpy(optimizer.iterations))) if optimizer else 0
        n_batches = n_train_batches(n_samples, batch_size, validation_split)
        steps = auto_steps_per_execution(n_batches, estimator.record_every, start)
    set_steps_per_execution(model, steps)
    return steps
