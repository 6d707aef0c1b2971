"""Keras callbacks built on the importance formulas: stop training once the ranking settles.

:class:`RankingStabilityStopping` works with any Keras model whose first trainable layer is
a ``Dense`` layer fed by the inputs (any scikeras ``KerasRegressor``/``KerasClassifier``
with such a model, and the estimators of this package through their
``stop_when_ranking_stable`` parameter). It reads the first-layer kernel after every epoch,
keeps the per-weight running statistics the chosen importance method needs (never the
snapshots themselves) and stops training once the top-k ranking of the features has not
changed for ``patience`` epochs.
"""

import numpy as np
from sklearn.utils._param_validation import (
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)

from ..importance._methods import IMPORTANCE_METHODS, garson, method_scores, olden
from ..importance._moments import WeightMoments
from ..utils._backend import keras, to_numpy
from ..utils._math import rank_descending, top_k_ranks
from ..utils._validation import WEIGHT_METHODS, Integer
from ._recording import dense_kernels, find_recorded_layer

__all__ = ["RankingStabilityStopping"]


class RankingStabilityStopping(keras.callbacks.Callback):
    """Stop training when the top-k feature ranking has not changed for ``patience`` epochs.

    After every epoch the callback computes the importance of each input feature by
    ``method`` from what it has seen so far (the same numbers
    :func:`skweightimp.importance.importance_path` gives for that epoch), ranks the
    features, and compares the first ``top_k`` places (which features, in which order,
    ties included) with those of the epoch before. When they have stayed the same for
    ``patience`` epochs in a row, and at least ``min_epochs`` epochs were seen, it sets
    ``model.stop_training``. Other callbacks, Keras' own
    :class:`~keras.callbacks.EarlyStopping` included, can stop training earlier.

    Memory and time per epoch: ``"weight_std"``, ``"viann"`` and ``"displacement"`` keep
    a running summary of the first-layer kernel (a few arrays of its size,
    :class:`~skweightimp.importance.WeightMoments`), updated in ``O(n_features * n_units)``;
    ``"garson"`` and ``"olden"`` read every Dense kernel at every epoch end and keep
    nothing, so the model must be a plain stack of Dense layers.

    Parameters
    ----------
    method : {"weight_std", "viann", "displacement", "garson", "olden"}, \
            default="weight_std"
        The importance method whose ranking is watched: one read from the weights
        alone (``"gradient"``, read from the trained network, cannot be).
    top_k : int, default=5
        Number of leading places compared (at least 1); with at least as many as there
        are features, the whole ranking.
    patience : int, default=10
        Number of consecutive epochs (at least 1), each ranking the top ``top_k`` as the
        epoch before, after which training stops.
    min_epochs : int, default=0
        Never stop before this many epochs (0 or more) have been seen (counted with the
        epochs of ``resume``).
    layer : str, int or None, default=None
        The first-layer ``Dense`` layer whose kernel is read; None for the model's first
        trainable layer (see :func:`skweightimp.callbacks.find_recorded_layer`).
    resume : RankingStabilityStopping, default=None
        A callback that watched earlier training of the same model (a warm start, or one
        epoch at a time): this one continues its statistics, its epoch count and its
        count of stable epochs, without modifying it. It is read when the next training
        begins and then released (``resume`` becomes None), so a chain of callbacks, one
        per ``fit`` call, does not keep every earlier one alive. Without it every ``fit``
        call starts afresh, as with Keras' ``EarlyStopping``.
    verbose : int, default=0
        1 prints a line when the callback stops training.

    Attributes
    ----------
    epochs_seen : int
        Epochs read so far (including those of ``resume``).
    ranks : ndarray of shape (n_features,) or None
        The ranks after the last epoch (1 for the most important feature).
    stable_epochs : int
        Consecutive epochs up to the last one whose top-k ranking was the one before.
    settled_epoch : int or None
        The value of ``epochs_seen`` when the current top-k ranking first appeared.
    stopped_epoch : int or None
        Keras' index (from 0) of the epoch after which this callback stopped training;
        None if it did not.
    moments : WeightMoments or None
        Running summary of the first-layer kernel after each epoch (None for
        ``"garson"`` and ``"olden"``).
    initial_weights : ndarray of shape (n_features, n_units) or None
        The first-layer kernel before the first epoch seen.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.utils._backend import keras
    >>> from skweightimp.callbacks import RankingStabilityStopping
    >>> keras.utils.set_random_seed(0)
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(64, 3))
    >>> y = 3 * X[:, 0] + X[:, 1]
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(1)])
    >>> model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    >>> stopper = RankingStabilityStopping(method="olden", top_k=2, patience=3)
    >>> history = model.fit(X, y, epochs=100, verbose=0, callbacks=[stopper])
    >>> len(history.history["loss"]) < 100, stopper.stopped_epoch is not None
    (True, True)
    >>> stopper.ranks[0], stopper.stable_epochs  # feature 0 first, unchanged 3 epochs
    (np.int64(1), 3)

    Keras calls ``on_train_begin`` and then ``on_epoch_end`` after every epoch. Called by
    hand, with no training step in between, no weight moves and every epoch ties all the
    features, the same ranking each time:

    >>> manual = RankingStabilityStopping(patience=2)
    >>> manual.set_model(model)
    >>> manual.on_train_begin()
    >>> for epoch in range(3):
    ...     manual.on_epoch_end(epoch)
    >>> manual.ranks, manual.stable_epochs, manual.stopped_epoch
    (array([1, 1, 1]), 2, 2)
    """

    # Checked with scikit-learn's validate_parameter_constraints in __init__ (a callback
    # has no fit to check them in); "resume" is added below the class.
    _argument_constraints = {
        "method": [StrOptions(set(WEIGHT_METHODS))],
        "top_k": [Integer(1, None, closed="left")],
        "patience": [Integer(1, None, closed="left")],
        "min_epochs": [Integer(0, None, closed="left")],
    }

    def __init__(
        self,
        method="weight_std",
        *,
        top_k=5,
        patience=10,
        min_epochs=0,
        layer=None,
        resume=None,
        verbose=0,
    ):
        super().__init__()
        params = {
            "method": method,
            "top_k": top_k,
            "patience": patience,
            "min_epochs": min_epochs,
            "resume": resume,
        }
        try:
            validate_parameter_constraints(
                self._argument_constraints, params, caller_name=type(self).__name__
            )
        except InvalidParameterError as error:
            if method in IMPORTANCE_METHODS and method not in WEIGHT_METHODS:
                # An importance method, but not one that can be followed during training.
                raise InvalidParameterError(
                    f"{error} '{method}' reads the trained network once, after training, "
                    "so it cannot follow the ranking while the network trains."
                ) from None
            raise
        self.method = method
        self.top_k = int(top_k)
        self.patience = int(patience)
        self.min_epochs = int(min_epochs)
        self.layer = layer
        self.resume = resume
        self.verbose = verbose
        self._reset()

    def _reset(self):
        self.epochs_seen = 0
        self.ranks = None
        self.stable_epochs = 0
        self.settled_epoch = None
        self.stopped_epoch = None
        self.moments = None
        self.initial_weights = None

    def _continue(self, earlier):
        """Take over the state of ``earlier``, copying what later epochs modify."""
        self.epochs_seen = earlier.epochs_seen
        self.ranks = None if earlier.ranks is None else earlier.ranks.copy()
        self.stable_epochs = earlier.stable_epochs
        self.settled_epoch = earlier.settled_epoch
        self.moments = None if earlier.moments is None else earlier.moments.copy()
        self.initial_weights = earlier.initial_weights

    @property
    def _reads_connections(self):
        return self.method in ("garson", "olden")

    # ------------------------------------------------------------------ Keras hooks

    def on_train_begin(self, logs=None):
        """Find the layer (failing before the first epoch if it cannot) and reset or resume."""
        self._reset()
        if self.resume is not None:
            self._continue(self.resume)
            self.resume = None
        model = self.model  # on JAX, attaches the current weights to the layers
        if self._reads_connections:
            kernels = dense_kernels(model)
            if self.method == "garson":
                garson(kernels)  # refuses a network without exactly one hidden layer
            return
        layer = self.layer
        self._layer = (
            layer if isinstance(layer, keras.layers.Layer) else find_recorded_layer(model, layer)
        )
        if self.initial_weights is None:
            self.initial_weights = np.array(to_numpy(self._layer.kernel), dtype=np.float64)
        if self.moments is None:
            self.moments = WeightMoments(self.initial_weights.shape)

    def on_epoch_end(self, epoch, logs=None):
        """Rank the features by what the epochs so far say; stop if the ranking settled."""
        model = self.model
        self.epochs_seen += 1
        scores = self._scores(model)
        ranks = rank_descending(scores)
        if self.ranks is not None and np.array_equal(
            top_k_ranks(ranks, self.top_k), top_k_ranks(self.ranks, self.top_k)
        ):
            self.stable_epochs += 1
        else:
            self.stable_epochs = 0
            self.settled_epoch = self.epochs_seen
        self.ranks = ranks
        if self.stable_epochs >= self.patience and self.epochs_seen >= self.min_epochs:
            model.stop_training = True
            self.stopped_epoch = int(epoch)
            if self.verbose:
                print(
                    f"Epoch {epoch + 1}: the top-{self.top_k} ranking by {self.method} has not "
                    f"changed for {self.stable_epochs} epochs; stopping training."
                )

    def _scores(self, model):
        if self._reads_connections:
            kernels = dense_kernels(model)
            return garson(kernels) if self.method == "garson" else olden(kernels)
        self.moments.update(np.asarray(to_numpy(self._layer.kernel), dtype=np.float64))
        return method_scores(self.method, self.moments, initial_weights=self.initial_weights)


# A callback resumed from is one of this class, which exists only once its body has run.
RankingStabilityStopping._argument_constraints["resume"] = [RankingStabilityStopping, None]
