"""What a fit adds to an estimator besides the trained network: the first-layer weight
record (its history and running summary), checked for divergence, and the same record
taken over from a network trained as a replica.
"""

from collections import defaultdict

import numpy as np

from ..importance._moments import WeightMoments

__all__ = ["adopt_replica", "check_converged"]


def check_converged(moments):
    """Refuse a record whose weights became NaN or infinite (training diverged)."""
    # min/max propagate NaN and hold any infinity: O(n_features * n_units) to check.
    if moments.count and not (np.isfinite(moments.min).all() and np.isfinite(moments.max).all()):
        raise ValueError(
            "Training diverged: the recorded weights became NaN or infinite. Lower "
            "learning_rate or scale the inputs (e.g. StandardScaler in a Pipeline)."
        )


def adopt_replica(estimator, record):
    """Make ``estimator`` the fitted estimator of a network trained as a replica.

    ``estimator`` was built with ``initialize(X, y)`` on the data the replica trained on
    (which validates the data as ``fit`` would, and sets the encoders, feature names and
    an untrained network), and ``record`` is that replica's entry of
    :func:`skweightimp.estimators._replicas.fit_estimator_replicas`, trained with this
    estimator's parameters and ``random_state``. The network gets the replica's trained
    weights and the estimator its recorded first-layer history, as a fit would keep it
    (``store_history`` respected). What one network of a shared model cannot have is left
    empty: ``history_`` (Keras' loss per epoch was summed over the replicas), and the
    optimizer starts afresh if training continues (``warm_start``).

    Returns
    -------
    estimator : the estimator, fitted.
    """
    # The record's arrays are the replica's own copies: the estimator takes them over.
    history = np.asarray(record.weight_history)
    moments = WeightMoments.from_history(history)
    check_converged(moments)
    estimator.model_.set_weights(record.weights)
    estimator.initial_weights_ = np.asarray(record.initial_weights)
    estimator.input_gradients_ = record.input_gradients
    estimator.input_scale_ = record.input_scale
    estimator.weight_history_ = history if estimator.store_history else None
    estimator.weight_moments_ = moments
    estimator.history_ = defaultdict(list)
    return estimator
