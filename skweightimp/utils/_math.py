"""The formulas and input checks that several modules share, each written once.

A private module with public names (as scikit-learn's ``utils/_plotting.py``): the
importance functions, the displays, the inspection functions and the estimators import
these instead of keeping copies. NumPy and SciPy: nothing here imports Keras, pandas or
matplotlib. ``tests/test_house.py`` checks that no other module writes these formulas
again.
"""

import numpy as np
from scipy.stats import rankdata

from ._validation import BARRAGE_NUM, BARRAGE_THRESHOLD, satisfies

__all__ = [
    "burn_in_start",
    "check_barrage_params",
    "check_history",
    "rank_descending",
    "top_k_ranks",
    "weighted_std",
]


def rank_descending(values, axis=-1):
    """Rank 1 for the largest value along ``axis``; ties share the best rank (int64).

    The package's one ranking convention, computed by ``scipy.stats.rankdata``.

    Examples
    --------
    >>> from skweightimp.utils._math import rank_descending
    >>> rank_descending([0.2, 0.9, 0.2, 0.5]).tolist()
    [3, 1, 3, 2]
    """
    return rankdata(-np.asarray(values, dtype=np.float64), method="min", axis=axis).astype(np.int64)


def top_k_ranks(ranks, top_k):
    """Ranks with every rank below ``top_k`` set to ``top_k + 1``: the top-k ranking.

    Two rows of ranks hold the same top-k ranking when these are equal: the same features
    in the first ``top_k`` places, in the same order (ties included). ``top_k=None``
    keeps the whole ranking.
    """
    ranks = np.asarray(ranks)
    if top_k is None:
        return ranks
    return np.where(ranks <= top_k, ranks, top_k + 1)


def burn_in_start(n_snapshots, burn_in):
    """Index of the first snapshot kept after dropping a ``burn_in`` fraction.

    ``floor(burn_in * n_snapshots)``, but never so late that fewer than two snapshots (the
    least a spread needs) remain when there were at least two.
    """
    # The small epsilon keeps e.g. 0.3 * 10 = 3.0000000000000004 from rounding wrongly
    # the other way (0.29 * 100 = 28.999999999999996 -> 29).
    start = int(np.floor(float(burn_in) * n_snapshots + 1e-9))
    return max(0, min(start, n_snapshots - 2))


def check_history(weight_history):
    """Return the history as a float64 array after checking its shape and values."""
    history = np.asarray(weight_history, dtype=np.float64)
    if history.ndim != 3:
        raise ValueError(
            "weight_history must be a 3-d array of shape (n_snapshots, n_features, "
            f"n_units); got an array with {history.ndim} dimension(s), shape "
            f"{history.shape}."
        )
    if 0 in history.shape:
        raise ValueError(
            f"weight_history must not be empty; got shape {history.shape} "
            "(n_snapshots, n_features, n_units)."
        )
    if not np.isfinite(history).all():
        raise ValueError(
            "weight_history contains NaN or infinity: the training diverged. Lower the "
            "learning rate or scale the inputs (e.g. with StandardScaler)."
        )
    return history


def check_barrage_params(domain, num, threshold):
    """Validate the barrage parameters; return them as ``(low, high, num, threshold)``."""
    try:
        low, high = (float(v) for v in domain)
    except (TypeError, ValueError):
        raise ValueError(f"domain must be a pair of numbers (low, high); got {domain!r}.") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"domain must be finite with low < high; got {domain!r}.")
    if not satisfies(num, BARRAGE_NUM):
        raise ValueError(f"num must be an integer >= 2; got {num!r}.")
    if not satisfies(threshold, BARRAGE_THRESHOLD):
        raise ValueError(f"threshold must be a positive finite number; got {threshold!r}.")
    return low, high, int(num), float(threshold)


def weighted_std(X, sample_weight=None):
    """Each column's standard deviation (``ddof=0``), weighted by ``sample_weight``.

    >>> import numpy as np
    >>> from skweightimp.utils._math import weighted_std
    >>> weighted_std(np.array([[0.0, 1.0], [2.0, 1.0]]))
    array([1., 0.])
    """
    X = np.asarray(X, dtype=np.float64)
    mean = np.average(X, axis=0, weights=sample_weight)
    return np.sqrt(np.average((X - mean) ** 2, axis=0, weights=sample_weight))
