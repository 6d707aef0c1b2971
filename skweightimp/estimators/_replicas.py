"""Train many copies of the built-in network as one Keras model.

The significance test trains the same small network ``n_rounds`` times, cross-validation
once per fold; each separate fit pays Keras' per-network and per-step overhead, which
dominates for small networks. Here ``R``
independent networks of one architecture (the estimators' built-in MLP) share one Keras
model with a *replica axis*: every ``Dense`` layer becomes an ``EinsumDense`` layer whose
kernel has shape ``(R, n_in, n_out)``. Replica ``r`` has its own initial weights, its own
inputs ``X[r]``, targets ``y[r]`` and sample weights; all replicas take the rows of their
own arrays in one shared batch order.

The loss is the *sum* over replicas of each replica's loss, so the gradient of replica
``r``'s weights is exactly the gradient of its own loss (an L1 penalty on the stacked
first kernel is the sum of the replicas' penalties too), and an optimizer that updates
each weight from its own gradient (Adam, SGD, RMSprop, ...; not one that clips or scales
by a whole variable's norm) moves it as a separate fit would: a replica's recorded
trajectory equals a separate fit's from the same initial weights and batch order, to
float rounding (tested in ``tests/test_replicas.py``).

:func:`fit_estimator_replicas` trains replicas of an estimator as the estimator itself
would train (its loss, optimizer, learning rate, L1 penalty, epochs, batch size, initial
weights from the seeds a clone with that ``random_state`` would use) and scores each with
every importance method; :func:`replicas_unsupported` says when an estimator's settings
cannot be expressed this way (a ``model=`` of the user's own, callbacks, routed
parameters, ...), in which case the callers fit separate clones. A callback that only
needs to know that an epoch ended (the report's progress bar and Ctrl-C check) says so
with a ``replica_safe = True`` attribute and is passed to the replica model's fit.
"""

import contextlib

import numpy as np
from joblib import effective_n_jobs
from sklearn.base import clone, is_classifier
from sklearn.utils import Bunch
from sklearn.utils.parallel import Parallel, delayed

from ..importance._methods import discard_burn_in, supported_method_scores
from ..utils._backend import BACKEND, keras, to_numpy
from ..utils._math import weighted_std
from ..utils._seeds import draw_seeds
from . import _speed
from ._gradients import gradient_rows, input_sensitivity
from ._network import initializer_seeds, kernel_regularizers, starting_weights
from ._seeding import global_generators_seeded

__all__ = ["fit_estimator_replicas", "fit_replicas", "replica_plan", "replicas_unsupported"]

# Optimizers whose update of a weight reads that weight's own gradient and state only:
# a stacked kernel then moves as its slices would alone. Lamb, LARS-like and Muon scale by
# a whole variable's norm or shape, which would mix the replicas.
ELEMENTWISE_OPTIMIZERS = frozenset(
    {"adadelta", "adagrad", "adam", "adamax", "adamw", "ftrl", "lion", "nadam", "rmsprop", "sgd"}
)

# The estimators' default losses (by the name they compile with), per sample and replica.
_LOSSES = {
    "mean_squared_error": lambda y_true, y_pred: keras.ops.mean(
        keras.ops.square(y_true - y_pred), axis=-1
    ),
    "binary_crossentropy": lambda y_true, y_pred: keras.losses.binary_crossentropy(y_true, y_pred),
    "sparse_categorical_crossentropy": lambda y_true, y_pred: (
        keras.losses.sparse_categorical_crossentropy(y_true, y_pred)
    ),
}

#: Memory of one model of replicas (their data and stored first-layer histories); more
#: replicas train a group at a time, in several models.
_MEMORY_BUDGET_BYTES = 256 * 2**20
_MAX_REPLICAS_PER_MODEL = 64


def _replica_loss(name, n_replicas):
    per_replica = _LOSSES[name]

    def loss(y_true, y_pred):
        # (batch, R): Keras multiplies by the (batch, R) sample weights and divides the sum
        # by batch * R, so the factor R leaves the sum over replicas of each replica's
        # batch mean, the loss whose gradient each replica's slice follows.
        return float(n_replicas) * per_replica(y_true, y_pred)

    return loss


def build_replica_model(
    n_replicas,
    n_features,
    *,
    hidden_layer_sizes=(100,),
    activation="relu",
    n_outputs=1,
    output_activation=None,
    loss="mean_squared_error",
    optimizer=None,
    learning_rate=0.001,
    first_layer_l1=0.0,
    kernel_l1=0.0,
    initial_weights=None,
    random_state=None,
):
    """A compiled Keras model of ``n_replicas`` MLPs with a replica axis.

    Inputs have shape ``(batch, n_replicas, n_features)``, outputs ``(batch, n_replicas,
    n_outputs)``. ``loss`` is one of the estimators' default losses by name
    (``"mean_squared_error"``, ``"binary_crossentropy"``,
    ``"sparse_categorical_crossentropy"``), applied to each replica; ``optimizer`` a
    Keras optimizer instance (default ``Adam(learning_rate)``); ``first_layer_l1`` the L1
    penalty of the first layer's kernel and ``kernel_l1`` that of every kernel.
    ``initial_weights`` is a list, one entry per replica, of the weights of a plain
    ``Dense`` stack of the same architecture
    (``keras.Model.get_weights()`` order: kernel, bias, kernel, bias, ...); without it
    each replica's kernels are drawn from ``GlorotUniform`` with its own seed (biases 0),
    as the estimators do.

    Examples
    --------
    >>> from skweightimp.estimators._replicas import build_replica_model
    >>> model = build_replica_model(3, 4, hidden_layer_sizes=(5,), random_state=0)
    >>> [tuple(w.shape) for w in model.get_weights()]
    [(3, 4, 5), (3, 5), (3, 5, 1), (3, 1)]
    """
    sizes = [int(units) for units in hidden_layer_sizes] + [int(n_outputs)]
    penalties = kernel_regularizers(len(sizes), first_layer_l1=first_layer_l1, kernel_l1=kernel_l1)
    inputs = keras.Input(shape=(n_replicas, n_features), name="features")
    hidden = inputs
    for index, units in enumerate(sizes):
        last = index == len(sizes) - 1
        hidden = keras.layers.EinsumDense(
            "bri,rio->bro",
            output_shape=(n_replicas, units),
            bias_axes="ro",
            activation=output_activation if last else activation,
            kernel_regularizer=penalties[index],
            # Replaced by set_weights below; an unseeded initializer would draw from
            # Python's global random state.
            kernel_initializer="zeros",
            name="output" if last else f"hidden_{index + 1}",
        )(hidden)
    model = keras.Model(inputs, hidden, name="replica_mlp")
    # How many networks one epoch of this model trains (the report's progress bar reads it).
    model.n_replicas = int(n_replicas)
    if initial_weights is None:
        rng = np.random.RandomState(random_state)
        initial_weights = [
            starting_weights(n_features, sizes, draw_seeds(rng, len(sizes)))
            for _ in range(n_replicas)
        ]
    stacked = [np.stack(per_layer) for per_layer in zip(*initial_weights, strict=True)]
    model.set_weights(stacked)
    if optimizer is None:
        optimizer = keras.optimizers.Adam(learning_rate)
    model.compile(optimizer=optimizer, loss=_replica_loss(loss, n_replicas))
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
    sample_weight=None,
    hidden_layer_sizes=(100,),
    activation="relu",
    n_outputs=None,
    output_activation=None,
    loss="mean_squared_error",
    optimizer=None,
    learning_rate=0.001,
    first_layer_l1=0.0,
    kernel_l1=0.0,
    epochs=200,
    batch_size=32,
    shuffle=True,
    initial_weights=None,
    callbacks=None,
    random_state=None,
):
    """Train one MLP per replica in one Keras model; record each first layer per epoch.

    Parameters
    ----------
    X : ndarray of shape (n_replicas, n_samples, n_features)
        Each replica's inputs (e.g. ``X`` plus its own shadow columns).
    y : ndarray of shape (n_replicas, n_samples) or (n_replicas, n_samples, n_outputs)
        Each replica's targets as the network reads them (e.g. its own permutation of
        ``y``; class indices for ``"sparse_categorical_crossentropy"``).
    sample_weight : ndarray of shape (n_replicas, n_samples), default=None
        Each replica's sample weights, used as given (Keras divides a batch's weighted
        loss by the batch size).
    hidden_layer_sizes, activation, learning_rate, epochs, batch_size, shuffle
        As for :class:`~skweightimp.WeightTrajectoryRegressor`. The batch order is shared
        by all replicas.
    n_outputs : int, default=None
        Width of the output layer; None means ``y``'s (a sparse categorical loss reads
        one class index per row and needs the number of classes here).
    output_activation, loss, optimizer, first_layer_l1, kernel_l1
        See :func:`build_replica_model`.
    initial_weights : list of list of ndarray, default=None
        Per replica, the ``get_weights()`` of a plain Dense stack to start from.
    callbacks : list of keras.callbacks.Callback, default=None
        More callbacks for the one ``fit`` of the replica model.
    random_state : int, default=None
        Seeds the initial weights (when not given) and the shuffling, without changing
        the global random state.

    Returns
    -------
    result : Bunch
        ``weight_history`` of shape ``(epochs, n_replicas, n_features, n_units)``,
        ``initial_weights`` of shape ``(n_replicas, n_features, n_units)`` (the first
        layer's kernel before training), ``replica_initial_weights`` (per replica, the
        ``get_weights()`` of the plain Dense stack it started from), ``kernels`` (the
        trained kernels, each of shape ``(n_replicas, n_in, n_out)``), ``model`` (the
        trained replica model) and ``history`` (Keras' loss per epoch, summed over
        replicas).

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.estimators._replicas import fit_replicas
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(3, 40, 4)).astype(np.float32)
    >>> y = X[:, :, 0] - X[:, :, 1]
    >>> result = fit_replicas(X, y, hidden_layer_sizes=(5,), epochs=2, batch_size=8,
    ...                       random_state=0)
    >>> result.weight_history.shape, result.initial_weights.shape
    ((2, 3, 4, 5), (3, 4, 5))
    """
    X, y, sample_weight = _check_replica_arrays(X, y, sample_weight)
    n_replicas, _, n_features = X.shape
    model = build_replica_model(
        n_replicas,
        n_features,
        hidden_layer_sizes=hidden_layer_sizes,
        activation=activation,
        n_outputs=y.shape[-1] if n_outputs is None else n_outputs,
        output_activation=output_activation,
        loss=loss,
        optimizer=optimizer,
        learning_rate=learning_rate,
        first_layer_l1=first_layer_l1,
        kernel_l1=kernel_l1,
        initial_weights=initial_weights,
        random_state=random_state,
    )
    initial, per_replica = _starting_weights(model, n_replicas)
    recorder = _KernelRecorder(model.layers[1])
    history = _fit_on_shared_batches(
        model,
        *_rows_first(X, y, sample_weight),
        epochs=epochs,
        batch_size=batch_size,
        shuffle=shuffle,
        callbacks=[*(callbacks or ()), recorder],
        random_state=random_state,
    )
    return Bunch(
        weight_history=np.stack(recorder.snapshots),
        initial_weights=initial,
        replica_initial_weights=per_replica,
        kernels=[np.array(to_numpy(layer.kernel), copy=True) for layer in model.layers[1:]],
        model=model,
        history=history.history,
    )


def _check_replica_arrays(X, y, sample_weight):
    """``X``, ``y`` (with an output axis) and ``sample_weight`` as float32, their shapes checked."""
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
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float32)
        if sample_weight.shape != X.shape[:2]:
            raise ValueError(
                f"sample_weight must have shape (n_replicas, n_samples) = {X.shape[:2]}; "
                f"got {sample_weight.shape}."
            )
    return X, y, sample_weight


def _starting_weights(model, n_replicas):
    """Copies of the untrained first kernel, and of each replica's weights as a plain stack."""
    initial = np.array(to_numpy(model.layers[1].kernel), copy=True)
    stacked = model.get_weights()
    per_replica = [[np.array(w[r], copy=True) for w in stacked] for r in range(n_replicas)]
    return initial, per_replica


def _rows_first(X, y, sample_weight):
    """``(n_replicas, n_samples, ...)`` arrays as ``(n_samples, n_replicas, ...)``."""
    # A batch then takes the same rows of every replica's arrays.
    X_rows = np.ascontiguousarray(np.swapaxes(X, 0, 1))
    y_rows = np.ascontiguousarray(np.swapaxes(y, 0, 1))
    w_rows = None if sample_weight is None else np.ascontiguousarray(sample_weight.T)
    return X_rows, y_rows, w_rows


def _fit_on_shared_batches(
    model, X_rows, y_rows, w_rows, *, epochs, batch_size, shuffle, callbacks, random_state
):
    """Keras' fit of the replica model; its History."""
    # The estimators' fast paths: an epoch per Keras call, one input pipeline per fit.
    n_batches = _speed.n_train_batches(len(X_rows), batch_size)
    if BACKEND != "torch":
        _speed.set_steps_per_execution(model, n_batches)
    dataset = _speed.repeated_dataset(
        X_rows, y_rows, w_rows, batch_size=batch_size, shuffle=shuffle, seed=random_state
    )
    if dataset is None:
        data = {"x": X_rows, "y": y_rows, "sample_weight": w_rows}
        data.update(batch_size=batch_size, shuffle=shuffle)
    else:
        data = {"x": dataset, "steps_per_epoch": n_batches, "shuffle": False}
    # The input pipeline shuffles with its own seed; Keras' own shuffle draws from the
    # global generators.
    seeded = (
        contextlib.nullcontext()
        if dataset is not None or random_state is None
        else global_generators_seeded(random_state)
    )
    with seeded:
        return model.fit(**data, epochs=epochs, verbose=0, callbacks=callbacks)


def _replica_input_gradients(model, X, sample_weight):
    """Every replica's input gradients and input spread over its own training rows.

    What an estimator's fit keeps as ``input_gradients_`` and ``input_scale_``, for all
    replicas from one backward pass per output (see ``_gradients``), on a seeded sample of
    the rows when there are more than it reads.
    """
    rows = gradient_rows(X.shape[1], 0)
    X = X[:, rows]  # (replicas, rows, features)
    w = None if sample_weight is None else sample_weight[:, rows]
    gradients = input_sensitivity(model, np.swapaxes(X, 0, 1), sample_weight=w)
    scales = [weighted_std(X[r], None if w is None else w[r]) for r in range(len(X))]
    return gradients, scales


def _replica_safe(callbacks):
    # A callback that only learns that an epoch ended (a progress bar, an interrupt check)
    # says so with ``replica_safe = True``; any other could read the summed loss (early
    # stopping) or the stacked weights and act for every replica at once.
    if not callbacks:
        return True
    return isinstance(callbacks, (list, tuple)) and all(
        getattr(callback, "replica_safe", False) is True for callback in callbacks
    )


def replicas_unsupported(estimator):
    """Why ``estimator`` cannot be trained as replicas, or None when it can.

    Replicas reproduce the estimators' built-in network trained with their own loss and
    an element-wise optimizer, recording the first layer once per epoch; anything that
    changes how one network is built or trained is refused with its reason.

    Examples
    --------
    >>> from skweightimp import WeightTrajectoryRegressor
    >>> from skweightimp.estimators._replicas import replicas_unsupported
    >>> replicas_unsupported(WeightTrajectoryRegressor()) is None
    True
    >>> replicas_unsupported(WeightTrajectoryRegressor(validation_split=0.2))
    'validation_split=0.2 holds rows out of each fit'
    """
    params = estimator.get_params(deep=False)
    routed = sorted(name for name in params if "__" in name)
    optimizer = params.get("optimizer")
    checks = [
        (params.get("model") is not None, "it trains a model= of your own"),
        (
            not _replica_safe(params.get("callbacks")),
            "callbacks= are written for one network",
        ),
        (bool(routed), f"routed parameters ({', '.join(routed)}) change how a network trains"),
        (params.get("loss") is not None, "it trains with a loss= of your own"),
        (
            not (isinstance(optimizer, str) and optimizer.lower() in ELEMENTWISE_OPTIMIZERS),
            f"optimizer={optimizer!r} is not one of the element-wise optimizers "
            f"{sorted(ELEMENTWISE_OPTIMIZERS)} (by name)",
        ),
        (
            bool(params.get("validation_split")),
            f"validation_split={params.get('validation_split')} holds rows out of each fit",
        ),
        (params.get("record_every") != "epoch", "it records more than once an epoch"),
        (params.get("record_layer") is not None, "it records a layer other than the first"),
        (
            params.get("stop_when_ranking_stable") is not None,
            "stop_when_ranking_stable stops each network at its own epoch",
        ),
        (params.get("class_weight") is not None, "class_weight weighs each fit's classes"),
    ]
    for refused, reason in checks:
        if refused:
            return reason
    return None


def replica_plan(replicas, estimator, reason=None):
    """Whether to train a caller's networks as replicas, and how they were trained in words.

    ``replicas`` is the caller's parameter (``"auto"``, True or False); ``reason`` a
    reason of the caller's own why they cannot be (or None), checked after
    :func:`replicas_unsupported`. ``True`` with a reason raises a ValueError that
    names it.

    Examples
    --------
    >>> from skweightimp import WeightTrajectoryRegressor
    >>> from skweightimp.estimators._replicas import replica_plan
    >>> replica_plan("auto", WeightTrajectoryRegressor())
    (True, 'replicas of one Keras model')
    >>> replica_plan("auto", WeightTrajectoryRegressor(loss="mae"))
    (False, 'separate fits: it trains with a loss= of your own, which replicas cannot reproduce')
    """
    if replicas is False:
        return False, "separate fits (replicas=False)"
    reason = replicas_unsupported(estimator) or reason
    if reason is None:
        return True, "replicas of one Keras model"
    if replicas is True:
        raise ValueError(
            f"replicas=True, but {type(estimator).__name__} cannot be trained as replicas: "
            f"{reason}. Use replicas='auto' or False for separate fits."
        )
    return False, f"separate fits: {reason}, which replicas cannot reproduce"


def _chunks(n_replicas, per_replica_bytes, n_workers=1):
    """The replicas' groups, as even as can be: at least one per worker (so every worker
    trains), and small enough that the groups in flight, one per worker, hold their data
    and histories within ``_MEMORY_BUDGET_BYTES``."""
    n_workers = max(1, int(n_workers))
    budget = _MEMORY_BUDGET_BYTES // n_workers
    size = int(min(_MAX_REPLICAS_PER_MODEL, max(1, budget // per_replica_bytes)))
    n_groups = min(n_replicas, max(-(-n_replicas // size), n_workers))
    # n_groups <= n_replicas, so no group is empty.
    return np.array_split(np.arange(n_replicas), n_groups)


def fit_estimator_replicas(
    estimator,
    data,
    seeds,
    *,
    sample_weight=None,
    random_state=None,
    keep_history=True,
    n_jobs=None,
):
    """Train a replica of ``estimator`` per entry of ``data``; score each one.

    Replica ``r`` is the network ``clone(estimator).set_params(random_state=seeds[r])``
    would build (the same initial weights), trained on ``data[r]`` as the estimator
    trains (its loss, optimizer and learning rate, ``first_layer_l1``, ``epochs``,
    ``batch_size``, ``shuffle``), with its rows taken in an order of its own (a fixed
    permutation of its rows drawn from ``seeds[r]``, then the shared shuffle of each
    epoch), so replicas do not share batches. Replicas are trained in groups, one model
    per group, each group a :mod:`joblib` task: at least one group per worker
    (``n_jobs``), and groups small enough that those in flight hold their data and
    stored histories within ``_MEMORY_BUDGET_BYTES``. ``data[r]`` is read when its
    group is dispatched, so it may be a sequence that builds each replica's data on
    demand. A task carries everything it trains with (no Keras model: its arrays, the
    layer sizes, the optimizer's class and configuration), so the groups can run on the
    workers of another joblib backend, e.g. a ``dask.distributed`` cluster through
    ``joblib.parallel_config(backend="dask")``.

    Parameters
    ----------
    estimator : WeightTrajectoryRegressor or WeightTrajectoryClassifier
        Its parameters; it is not modified. :func:`replicas_unsupported` must accept it.
    data : sequence of (X, y)
        Each replica's inputs, array-like of shape (n_samples, n_features), all of one
        shape, and targets of shape (n_samples,) or (n_samples, n_outputs) (class labels
        for a classifier).
    seeds : sequence of int
        Each replica's ``random_state``.
    sample_weight : sequence of array-like of shape (n_samples,), default=None
        Each replica's sample weights, scaled to mean 1 as the estimators do.
    random_state : int, default=None
        Seed of the shared shuffle of each epoch.
    keep_history : bool, default=True
        Keep each replica's recorded history in its record (False: only its scores,
        initial weights and trained weights, so memory does not grow with the replicas).
    n_jobs : int, default=None
        Groups trained at once, as joblib tasks (threads unless a
        ``joblib.parallel_config`` says otherwise); None means 1 unless in such a
        context. The number of groups follows it, and a replica trains the same in any
        group to float rounding.

    Returns
    -------
    list of Bunch
        One per replica: ``scores`` (method name to raw scores, every method the network
        supports, ``burn_in`` applied as the estimator applies it), ``weight_history``
        ``(epochs, n_features, n_units)`` (None without ``keep_history``),
        ``initial_weights``, ``kernels`` (float64) and ``weights`` (the trained network's
        ``get_weights()``, biases included, for :func:`skweightimp.estimators._base.adopt_replica`),
        ``input_gradients`` and ``input_scale`` (what the estimator's fit keeps for the
        ``"gradient"`` method).

    Raises
    ------
    ValueError
        If the estimator cannot be trained as replicas (the reason), a replica's data
        has another shape than the first's, or a classifier's replica has a class the
        first replica's targets lack.
    """
    reason = replicas_unsupported(estimator)
    if reason is not None:
        raise ValueError(f"{type(estimator).__name__} cannot be trained as replicas: {reason}.")
    seeds = [int(seed) for seed in seeds]
    if len(data) != len(seeds) or (sample_weight is not None and len(sample_weight) != len(seeds)):
        raise ValueError("data, seeds and sample_weight must have one entry per replica.")
    # A clone initialised on the first replica's data (never trained) validates the data
    # and gives what a fit would train with: the encoded targets, the compiled loss and
    # optimizer, and the layer sizes and activations of the built-in network.
    X_first, y_first = data[0]
    X_first = np.asarray(X_first)
    template = clone(estimator).set_params(random_state=seeds[0])
    template.initialize(X_first, y_first)
    model = template.model_
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    sizes = [int(layer.units) for layer in dense]
    optimizer = model.optimizer
    config = optimizer.get_config()
    if config.get("clipnorm") or config.get("global_clipnorm"):
        raise ValueError("A clipped gradient norm would mix the replicas' gradients.")
    known = set(np.asarray(template.classes_).tolist()) if is_classifier(template) else None
    n_rows, n_features = X_first.shape
    batch_size = _speed.keras_batch_size(estimator.batch_size, n_rows)
    # A replica's stored history, its float32 inputs (stacked, and the input pipeline's
    # copy) and its caller's float64 data.
    per_replica = 4 * int(estimator.epochs) * n_features * sizes[0] + 16 * n_rows * n_features

    def replica_data(r):
        X, y = data[r]
        X = np.asarray(X, dtype=np.float32)
        if X.shape != (n_rows, n_features):
            raise ValueError(
                f"Every replica's X must have shape {(n_rows, n_features)}; got {X.shape}."
            )
        if known is not None and not set(np.unique(np.asarray(y)).tolist()) <= known:
            raise ValueError("A replica's targets have a class the first replica's lack.")
        y = template.target_encoder_.transform(np.asarray(y))
        order = np.random.default_rng([seeds[r], 1]).permutation(n_rows)
        y = np.asarray(y, dtype=np.float32).reshape(n_rows, -1)
        weights = None
        if sample_weight is not None:
            weights = np.asarray(sample_weight[r], dtype=np.float64)[order]
            weights = weights / weights.mean()
        return X[order], y[order], weights

    plan = Bunch(
        sizes=sizes,
        kernel_l1=float(estimator.kernel_l1),
        activation=dense[0].activation if len(dense) > 1 else None,
        output_activation=dense[-1].activation,
        loss=model.loss,
        optimizer=(type(optimizer), config),
        first_layer_l1=float(estimator.first_layer_l1),
        epochs=int(estimator.epochs),
        batch_size=batch_size,
        shuffle=bool(estimator.shuffle),
        burn_in=estimator.burn_in,
        callbacks=estimator.callbacks,
        random_state=random_state,
        keep_history=keep_history,
    )

    def task(chunk):
        inputs, targets, weights = zip(*(replica_data(r) for r in chunk), strict=True)
        initial = [
            starting_weights(n_features, plan.sizes, initializer_seeds(seeds[r], len(plan.sizes)))
            for r in chunk
        ]
        w_chunk = None if sample_weight is None else np.stack(weights)
        return delayed(_train_group)(plan, np.stack(inputs), np.stack(targets), w_chunk, initial)

    n_workers = effective_n_jobs(n_jobs)
    chunks = _chunks(len(seeds), per_replica, n_workers)
    # pre_dispatch: the data of a group is built when a worker is free for it.
    groups = Parallel(n_jobs=n_jobs, prefer="threads", pre_dispatch="n_jobs")(
        task(chunk) for chunk in chunks
    )
    return [record for group in groups for record in group]


def _train_group(plan, X_chunk, y_chunk, w_chunk, initial_weights):
    """Train one group of replicas in one model; one record per replica (see
    :func:`fit_estimator_replicas`)."""
    optimizer_class, optimizer_config = plan.optimizer
    result = fit_replicas(
        X_chunk,
        y_chunk,
        sample_weight=w_chunk,
        hidden_layer_sizes=plan.sizes[:-1],
        activation=plan.activation,
        n_outputs=plan.sizes[-1],
        kernel_l1=plan.kernel_l1,
        output_activation=plan.output_activation,
        loss=plan.loss,
        optimizer=optimizer_class.from_config(optimizer_config),
        first_layer_l1=plan.first_layer_l1,
        epochs=plan.epochs,
        batch_size=plan.batch_size,
        shuffle=plan.shuffle,
        initial_weights=initial_weights,
        callbacks=plan.callbacks,
        random_state=plan.random_state,
    )
    gradients, scales = _replica_input_gradients(result.model, X_chunk, w_chunk)
    del X_chunk, w_chunk, y_chunk
    trained = result.model.get_weights()
    records = []
    for index in range(len(initial_weights)):
        history = result.weight_history[:, index]
        initial = np.array(result.initial_weights[index])  # the record's own copy
        kernels = [np.asarray(k[index], dtype=np.float64) for k in result.kernels]
        trajectory = discard_burn_in(history, plan.burn_in) if plan.burn_in else history
        records.append(
            Bunch(
                scores=supported_method_scores(
                    trajectory,
                    initial_weights=initial,
                    kernels=kernels,
                    input_gradients=gradients[index],
                    input_scale=scales[index],
                ),
                weight_history=np.array(history) if plan.keep_history else None,
                input_gradients=gradients[index],
                input_scale=scales[index],
                initial_weights=initial,
                kernels=kernels,
                weights=[np.array(w[index], copy=True) for w in trained],
            )
        )
    return records
