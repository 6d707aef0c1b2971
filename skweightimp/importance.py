"""Feature importance read from a recorded first-layer weight history.

Pure NumPy/pandas: nothing here imports Keras, so every formula can be tested on hand-made
arrays. A *weight history* ``H`` has shape ``(n_snapshots, n_features, n_units)``;
``H[t, i, j]`` is the weight from input feature ``i`` to first-layer unit ``j`` after
epoch ``t``.
"""

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd

from .moments import WeightMoments

__all__ = [
    "ConstantWeightsWarning",
    "barrage_metrics",
    "grouped_weight_std",
    "importance_report",
    "normalize_importances",
    "weight_std",
]

BARRAGE_COLUMNS = ("len", "max", "sum", "mean", "stdev")

# Peak memory of one chunk of evaluated densities in barrage_metrics, in float64 values.
_BARRAGE_CHUNK_VALUES = 4_000_000


class ConstantWeightsWarning(UserWarning):
    """Warning raised when no recorded weight moved, so importances cannot be told apart.

    Happens when training ran for fewer than two epochs, with a learning rate of zero, or
    when the recorded layer is frozen. Importances are then reported as uniform.
    """


def _check_history(weight_history):
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


def _summarise(weight_history):
    """Return the :class:`~skweightimp.moments.WeightMoments` of a history or summary.

    Every formula here needs only per-weight moments, so it accepts either a stored
    history or the running summary a streaming fit keeps.
    """
    if isinstance(weight_history, WeightMoments):
        if weight_history.count == 0:
            raise ValueError("The weight summary has seen no snapshot: nothing was recorded.")
        if not (np.isfinite(weight_history.mean).all() and np.isfinite(weight_history.m2).all()):
            raise ValueError(
                "The weight summary contains NaN or infinity: the training diverged. Lower "
                "the learning rate or scale the inputs (e.g. with StandardScaler)."
            )
        return weight_history
    return WeightMoments.from_history(_check_history(weight_history))


def _check_ddof(ddof):
    if not isinstance(ddof, Integral) or isinstance(ddof, bool) or ddof < 0:
        raise ValueError(f"ddof must be a non-negative integer; got {ddof!r}.")
    return int(ddof)


def weight_std(weight_history, *, ddof=1):
    """Standard deviation over the snapshots of every (feature, unit) weight.

    ``s[i, j] = std_t(H[:, i, j])``, the quantity the seed notebook plots as bars per
    input column and node.

    Parameters
    ----------
    weight_history : array-like of shape (n_snapshots, n_features, n_units) or WeightMoments
        Recorded first-layer weights, or their running summary
        (:class:`~skweightimp.moments.WeightMoments`).
    ddof : int, default=1
        Delta degrees of freedom, as in :func:`numpy.std`. The default, 1, is the sample
        standard deviation that pandas' ``.std()`` (used by the seed) computes. A weight
        seen in no more than ``ddof`` snapshots has no measurable spread and gets 0.

    Returns
    -------
    ndarray of shape (n_features, n_units)
        The standard deviation of each weight.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import weight_std
    >>> H = np.array([[[0.0, 1.0]], [[2.0, 1.0]]])  # 2 snapshots, 1 feature, 2 units
    >>> weight_std(H)
    array([[1.41421356, 0.        ]])
    """
    moments = _summarise(weight_history)
    return moments.std(ddof=_check_ddof(ddof))


def grouped_weight_std(weight_history, *, ddof=1):
    """Raw trajectory importance: the weight std summed over the units of each feature.

    ``g[i] = sum_j std_t(H[:, i, j])`` (the seed notebook's "Standard Deviation"
    section). A feature whose weights moved more during training scores higher.

    Parameters
    ----------
    weight_history : array-like of shape (n_snapshots, n_features, n_units) or WeightMoments
        Recorded first-layer weights, or their running summary
        (:class:`~skweightimp.moments.WeightMoments`).
    ddof : int, default=1
        Delta degrees of freedom of the standard deviation (see :func:`weight_std`).

    Returns
    -------
    ndarray of shape (n_features,)
        Non-negative, unnormalised scores. See :func:`normalize_importances`.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import grouped_weight_std
    >>> H = np.array([[[0.0, 0.0], [1.0, 1.0]], [[2.0, 2.0], [1.0, 1.0]]])
    >>> grouped_weight_std(H)
    array([2.82842712, 0.        ])
    """
    return weight_std(weight_history, ddof=ddof).sum(axis=1)


def normalize_importances(scores):
    """Scale non-negative scores to sum to one, like tree-based ``feature_importances_``.

    When every score is zero (no weight moved) the importances are uniform and a
    :class:`ConstantWeightsWarning` is raised: dividing by zero would say nothing true.

    Parameters
    ----------
    scores : array-like of shape (n_features,)
        Non-negative raw scores, e.g. from :func:`grouped_weight_std`.

    Returns
    -------
    ndarray of shape (n_features,)
        Importances that are non-negative and sum to 1.

    Examples
    --------
    >>> from skweightimp.importance import normalize_importances
    >>> normalize_importances([1.0, 3.0])
    array([0.25, 0.75])
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 1 or scores.size == 0:
        raise ValueError(f"scores must be a non-empty 1-d array; got shape {scores.shape}.")
    if not np.isfinite(scores).all() or (scores < 0).any():
        raise ValueError("scores must be finite and non-negative.")
    total = scores.sum()
    if total == 0:
        warnings.warn(
            "No recorded weight moved during training (fewer than two epochs, a zero "
            "learning rate or a frozen layer?), so all features get the same importance.",
            ConstantWeightsWarning,
            stacklevel=2,
        )
        return np.full(scores.shape, 1.0 / scores.size)
    return scores / total


def _check_barrage_params(domain, num, threshold):
    """Validate the barrage parameters; return them as ``(low, high, num, threshold)``."""
    try:
        low, high = (float(v) for v in domain)
    except (TypeError, ValueError):
        raise ValueError(f"domain must be a pair of numbers (low, high); got {domain!r}.") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"domain must be finite with low < high; got {domain!r}.")
    if not isinstance(num, Integral) or isinstance(num, bool) or num < 2:
        raise ValueError(f"num must be an integer >= 2; got {num!r}.")
    if not isinstance(threshold, Real) or not np.isfinite(threshold) or threshold <= 0:
        raise ValueError(f"threshold must be a positive finite number; got {threshold!r}.")
    return low, high, int(num), float(threshold)


def barrage_metrics(
    weight_history, *, domain=(-2.0, 2.0), num=1000, threshold=1.0, feature_names=None
):
    """The seed notebook's "barrage" metrics of each feature's weight distributions.

    For every weight ``(i, j)`` a normal density is fitted to its trajectory
    (``mu = mean_t H[:, i, j]``, ``sigma = std_t H[:, i, j]`` with ``ddof=1``) and
    evaluated on ``numpy.linspace(*domain, num)``. The grid values where the density is
    at least ``threshold`` are kept (the seed keeps ``floor(p) != 0``, i.e. ``p >= 1``).
    Of the kept values we take their count (``len``), ``max``, ``sum``, ``mean`` and
    sample standard deviation (``stdev``), and sum each over the units ``j`` of feature
    ``i``. A narrow density (a weight that barely moved) is tall, so it keeps fewer but
    larger values.

    **Degenerate units.** The seed crashes when fewer than two grid values pass the
    threshold (a wide or far-away density, or ``sigma == 0``, where the density is not
    defined): then ``max`` or ``stdev`` has nothing to work on. Here such a weight
    contributes 0 to every metric and is counted in the extra column
    ``n_degenerate_units``, so results stay finite and the reader can see how many units
    were left out. On every history where the seed's code runs, the numbers are the
    seed's.

    Parameters
    ----------
    weight_history : array-like of shape (n_snapshots, n_features, n_units) or WeightMoments
        Recorded first-layer weights or their running summary; at least two snapshots are
        needed for a density.
    domain : tuple of float, default=(-2.0, 2.0)
        The interval of weight values the densities are evaluated on.
    num : int, default=1000
        Number of grid points in ``domain``.
    threshold : float, default=1.0
        Minimum density a grid value needs to be kept.
    feature_names : array-like of str, default=None
        Row labels; ``x0, x1, ...`` when None.

    Returns
    -------
    pandas.DataFrame
        One row per feature, columns ``len``, ``max``, ``sum``, ``mean``, ``stdev`` and
        ``n_degenerate_units``.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import barrage_metrics
    >>> rng = np.random.RandomState(0)
    >>> H = rng.normal(scale=[[0.05], [0.5]], size=(200, 2, 3))  # 2 features, 3 units
    >>> barrage_metrics(H)[["len", "n_degenerate_units"]]
             len  n_degenerate_units
    feature
    x0       152                   0
    x1         0                   3
    """
    moments = _summarise(weight_history)
    low, high, num, threshold = _check_barrage_params(domain, num, threshold)
    n_features, n_units = moments.shape
    names = _feature_names(feature_names, n_features)
    grid = np.linspace(low, high, num)

    mu = moments.mean
    sigma = moments.std(ddof=1)

    totals = {name: np.zeros(n_features) for name in BARRAGE_COLUMNS}
    lengths = np.zeros(n_features, dtype=np.int64)
    degenerate = np.zeros(n_features, dtype=np.int64)
    rows_per_chunk = max(1, _BARRAGE_CHUNK_VALUES // (n_units * num))
    for start in range(0, n_features, rows_per_chunk):
        rows = slice(start, start + rows_per_chunk)
        chunk = _barrage_chunk(mu[rows], sigma[rows], grid, threshold)
        for name in ("max", "sum", "mean", "stdev"):
            totals[name][rows] = chunk[name].sum(axis=1)
        lengths[rows] = chunk["len"].sum(axis=1)
        degenerate[rows] = (~chunk["valid"]).sum(axis=1)

    frame = pd.DataFrame(
        {
            "len": lengths,
            "max": totals["max"],
            "sum": totals["sum"],
            "mean": totals["mean"],
            "stdev": totals["stdev"],
            "n_degenerate_units": degenerate,
        },
        index=pd.Index(names, name="feature"),
    )
    return frame


def _barrage_chunk(mu, sigma, grid, threshold):
    """Per-(feature, unit) barrage statistics for a block of rows; invalid units are 0."""
    positive = sigma > 0
    safe_sigma = np.where(positive, sigma, 1.0)
    z = (grid - mu[..., np.newaxis]) / safe_sigma[..., np.newaxis]
    density = np.exp(-0.5 * z * z) / (np.sqrt(2.0 * np.pi) * safe_sigma[..., np.newaxis])
    kept = (density >= threshold) & positive[..., np.newaxis]
    count = kept.sum(axis=-1)
    valid = count >= 2
    kept &= valid[..., np.newaxis]
    count = np.where(valid, count, 0)

    kept_density = np.where(kept, density, 0.0)
    total = kept_density.sum(axis=-1)
    divisor = np.where(valid, count, 1)
    mean = total / divisor
    squares = np.where(kept, (density - mean[..., np.newaxis]) ** 2, 0.0).sum(axis=-1)
    stdev = np.sqrt(squares / np.where(valid, count - 1, 1))
    return {
        "len": count,
        "max": np.where(valid, kept_density.max(axis=-1, initial=0.0), 0.0),
        "sum": total,
        "mean": np.where(valid, mean, 0.0),
        "stdev": np.where(valid, stdev, 0.0),
        "valid": valid,
    }


def _feature_names(feature_names, n_features):
    if feature_names is None:
        return [f"x{i}" for i in range(n_features)]
    names = [str(name) for name in np.asarray(feature_names, dtype=object).ravel()]
    if len(names) != n_features:
        raise ValueError(
            f"feature_names has {len(names)} names but the weight history has "
            f"{n_features} features."
        )
    return names


def importance_report(
    weight_history,
    *,
    feature_names=None,
    ddof=1,
    domain=(-2.0, 2.0),
    num=1000,
    threshold=1.0,
):
    """Everything the weight history says about each feature, in one table.

    Parameters
    ----------
    weight_history : array-like of shape (n_snapshots, n_features, n_units) or WeightMoments
        Recorded first-layer weights, or their running summary
        (:class:`~skweightimp.moments.WeightMoments`).
    feature_names : array-like of str, default=None
        Row labels; ``x0, x1, ...`` when None.
    ddof : int, default=1
        Delta degrees of freedom of the weight standard deviation.
    domain, num, threshold
        Parameters of :func:`barrage_metrics`.

    Returns
    -------
    pandas.DataFrame
        Indexed by feature name, with columns

        - ``importance``: normalised grouped weight std (sums to 1);
        - ``rank``: 1 for the most important feature (ties share the best rank);
        - ``weight_std``: the raw grouped weight std, :func:`grouped_weight_std`;
        - ``len``, ``max``, ``sum``, ``mean``, ``stdev``, ``n_degenerate_units``: the
          barrage metrics, :func:`barrage_metrics`;
        - ``final_mean_weight``: mean over units of the last recorded weight (its sign is
          only meaningful for linear or single-unit layers);
        - ``final_abs_weight``: sum over units of the absolute last recorded weight, how
          strongly the trained network listens to the feature;
        - ``net_change``: sum over units of ``|H[-1] - H[0]|``, how far the weights
          travelled from the first to the last snapshot.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import importance_report
    >>> rng = np.random.RandomState(0)
    >>> H = rng.normal(scale=[[0.1], [0.01]], size=(50, 2, 4)).cumsum(axis=0)
    >>> importance_report(H, feature_names=["a", "b"])[["importance", "rank"]].round(3)
             importance  rank
    feature
    a             0.874     1
    b             0.126     2
    """
    moments = _summarise(weight_history)
    names = _feature_names(feature_names, moments.shape[0])
    raw = grouped_weight_std(moments, ddof=ddof)
    report = pd.DataFrame(
        {
            "importance": normalize_importances(raw),
            "weight_std": raw,
        },
        index=pd.Index(names, name="feature"),
    )
    report.insert(1, "rank", report["importance"].rank(ascending=False, method="min").astype(int))
    barrage = barrage_metrics(
        moments, domain=domain, num=num, threshold=threshold, feature_names=names
    )
    report = report.join(barrage)
    report["final_mean_weight"] = moments.last.mean(axis=1)
    report["final_abs_weight"] = np.abs(moments.last).sum(axis=1)
    report["net_change"] = np.abs(moments.last - moments.first).sum(axis=1)
    return report
