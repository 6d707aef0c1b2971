"""Feature importance read from a network's weights: their trajectory and their final values.

Pure NumPy/pandas: nothing here imports Keras, so every formula can be tested on hand-made
arrays. A *weight history* ``H`` has shape ``(n_snapshots, n_features, n_units)``;
``H[t, i, j]`` is the weight from input feature ``i`` to first-layer unit ``j`` after
epoch ``t``. The connection-weight methods (:func:`garson`, :func:`olden`) read instead the
list of kernels of a trained stack of Dense layers, ``[W_1, ..., W_L]`` from the inputs to
the outputs. Biases are ignored everywhere: they connect to no input feature. The
gradient method (:func:`gradient_sensitivity`) reads the fitted function instead: the mean
absolute input gradients, computed from the network by the estimators, times the inputs'
spread.

The helpers other modules share (the normal density, the descending rank, the default
names, the input checks) live in :mod:`skweightimp.utils._math`.
"""

import warnings

import numpy as np
import pandas as pd
from scipy.stats import norm
from sklearn.utils._param_validation import StrOptions, validate_params

from ..utils._math import (
    burn_in_start,
    check_barrage_params,
    check_history,
    rank_descending,
)
from ..utils._names import check_feature_names
from ..utils._validation import BARRAGE_NUM, BARRAGE_THRESHOLD, BURN_IN, DDOF
from ..utils._validation import WEIGHT_METHODS as _WEIGHT_METHODS
from ._moments import WeightMoments

__all__ = [
    "BARRAGE_COLUMNS",
    "IMPORTANCE_METHODS",
    "barrage_metrics",
    "ConstantWeightsWarning",
    "discard_burn_in",
    "displacement",
    "garson",
    "gradient_sensitivity",
    "grouped_weight_std",
    "importance_report",
    "method_scores",
    "normalize_importances",
    "olden",
    "recommended_method",
    "supported_method_scores",
    "viann",
    "weight_std",
]

#: The importance methods an estimator's ``importance_method`` can name, in the order of
#: the columns of :func:`importance_report`. The first three read the recorded first-layer
#: trajectory, the next two the trained kernels of the whole Dense stack, the last the
#: fitted function's input gradients.
IMPORTANCE_METHODS = (*_WEIGHT_METHODS, "gradient")

#: The importance method the benchmarks recommend (docs/accuracy.rst, "Real data" and
#: "Mixed and nonlinear data"), read
#: through :func:`recommended_method` by ``method="auto"`` of the significance test and of
#: the feature selector, and by the report's ``--method``. The one place to change when a
#: benchmark rerun changes the recommendation (with the report's sentence in
#: ``skweightimp/_report/recommendation.py`` and docs/accuracy.rst).
_RECOMMENDED_METHOD = "gradient"

BARRAGE_COLUMNS = ("len", "max", "sum", "mean", "stdev")

# Grid points evaluated per chunk in barrage_metrics. Small enough that a chunk's float64
# temporaries (512 KiB each) stay in cache: at 1000 features x 64 units this ran about 1.5
# times faster than chunks of 4 million points, and it bounds the memory too.
_BARRAGE_CHUNK_VALUES = 65_536


class ConstantWeightsWarning(UserWarning):
    """Warning raised when no recorded weight moved, so importances cannot be told apart.

    Happens when training ran for fewer than two epochs, with a learning rate of zero, or
    when the recorded layer is frozen. Importances are then reported as uniform.

    Examples
    --------
    >>> import warnings
    >>> from skweightimp.importance import ConstantWeightsWarning, normalize_importances
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     normalize_importances([0.0, 0.0])  # no weight moved
    array([0.5, 0.5])
    >>> [warning.category.__name__ for warning in caught]
    ['ConstantWeightsWarning']

    Turn it into an error where a constant trajectory must not pass unnoticed:

    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("error", ConstantWeightsWarning)
    ...     normalize_importances([0.0, 0.0])
    Traceback (most recent call last):
        ...
    skweightimp.importance.ConstantWeightsWarning: No recorded weight moved during ...
    """


# Where users catch it (warnings.filterwarnings, a traceback): its public home.
ConstantWeightsWarning.__module__ = "skweightimp.importance"


def _summarise(weight_history):
    """Return the :class:`~skweightimp.importance.WeightMoments` of a history or summary.

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
    return WeightMoments.from_history(check_history(weight_history))


# What every function reading a weight history accepts; the arrays themselves are checked
# by _summarise (shape, finiteness), which says more than a type constraint could.
_HISTORY = ["array-like", WeightMoments]


@validate_params({"weight_history": _HISTORY, "ddof": DDOF}, prefer_skip_nested_validation=True)
def weight_std(weight_history, *, ddof=1):
    """Standard deviation over the snapshots of every (feature, unit) weight.

    ``s[i, j] = std_t(H[:, i, j])``, the quantity the seed notebook plots as bars per
    input column and node.

    Parameters
    ----------
    weight_history : array-like of shape (n_snapshots, n_features, n_units) or WeightMoments
        Recorded first-layer weights, or their running summary
        (:class:`~skweightimp.importance.WeightMoments`).
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
    return moments.std(ddof=int(ddof))


@validate_params({"weight_history": _HISTORY, "ddof": DDOF}, prefer_skip_nested_validation=True)
def grouped_weight_std(weight_history, *, ddof=1):
    """Raw trajectory importance: the weight std summed over the units of each feature.

    ``g[i] = sum_j std_t(H[:, i, j])`` (the seed notebook's "Standard Deviation"
    section). A feature whose weights moved more during training scores higher.

    Parameters
    ----------
    weight_history : array-like of shape (n_snapshots, n_features, n_units) or WeightMoments
        Recorded first-layer weights, or their running summary
        (:class:`~skweightimp.importance.WeightMoments`).
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


@validate_params({"scores": ["array-like"]}, prefer_skip_nested_validation=True)
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
            # 3, not 2: the caller of scikit-learn's validate_params wrapper.
            stacklevel=3,
        )
        return np.full(scores.shape, 1.0 / scores.size)
    return scores / total


# --- trajectory variants ---------------------------------------------------------------


@validate_params(
    {"weight_history": _HISTORY, "burn_in": BURN_IN}, prefer_skip_nested_validation=True
)
def discard_burn_in(weight_history, burn_in):
    """Drop the first ``burn_in`` fraction of the snapshots of a weight history.

    In the first epochs every weight moves fast away from its random start, useful feature
    or not; the trajectory statistics (:func:`grouped_weight_std`, :func:`viann`,
    :func:`barrage_metrics`) of the rest of the history see only how the weights moved once
    training settled. The snapshots from index ``floor(burn_in * n_snapshots)`` on are
    kept, but never fewer than two (when there are at least two), since a spread needs two
    points.

    A :class:`~skweightimp.importance.WeightMoments` summary cannot forget snapshots it has
    seen, so burn-in applies to a stored history; a streaming fit has to start its summary
    after the burn-in instead.

    Parameters
    ----------
    weight_history : array-like of shape (n_snapshots, n_features, n_units)
        Recorded first-layer weights.
    burn_in : float in [0, 1)
        Fraction of the earliest snapshots to drop; 0 keeps them all.

    Returns
    -------
    ndarray of shape (n_kept, n_features, n_units)
        The later snapshots (a view, not a copy).

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import discard_burn_in, grouped_weight_std
    >>> H = np.array([0.0, 4.0, 5.0, 5.0, 6.0]).reshape(5, 1, 1)  # a fast start, then settles
    >>> discard_burn_in(H, 0.4)[:, 0, 0]
    array([5., 5., 6.])
    >>> grouped_weight_std(H).round(3), grouped_weight_std(discard_burn_in(H, 0.4)).round(3)
    (array([2.345]), array([0.577]))
    """
    if isinstance(weight_history, WeightMoments):
        raise TypeError(
            "burn-in needs the stored weight history: a WeightMoments summary cannot forget "
            "the snapshots it has seen. Start the summary after the burn-in instead."
        )
    history = check_history(weight_history)
    return history[burn_in_start(history.shape[0], burn_in) :]


@validate_params({"weight_history": _HISTORY}, prefer_skip_nested_validation=True)
def viann(weight_history):
    """VIANN: variance of each weight over the epochs times its final magnitude.

    de Sá's variance-based importance of neural networks [1]_,

    .. math::

        \\mathrm{VIANN}_i = \\sum_j \\operatorname{var}_t(H_{t,i,j}) \\, |H_{T,i,j}|,

    with the sample variance (``ddof=1``) over the snapshots taken after each epoch (the
    reference implementation's Welford update starts from the initial kernel but gives it
    no weight, so the variance is that of the post-epoch snapshots) and ``H_T`` the last
    snapshot. A feature scores high when its weights both moved during training and ended
    up large. The reference scales the scores to ``[0, 1]`` by min-max; here they are left
    raw (use :func:`normalize_importances`), which keeps the least important feature's
    score instead of setting it to 0. Fewer than two snapshots give no variance: 0.

    Parameters
    ----------
    weight_history : array-like of shape (n_snapshots, n_features, n_units) or WeightMoments
        Recorded first-layer weights, or their running summary
        (:class:`~skweightimp.importance.WeightMoments`).

    Returns
    -------
    ndarray of shape (n_features,)
        Non-negative, unnormalised scores.

    References
    ----------
    .. [1] C. R. de Sá, "Variance-based feature importance in neural networks",
       Discovery Science (DS 2019), LNCS 11828, pp. 306-315, Springer, 2019.
       https://doi.org/10.1007/978-3-030-33778-0_24

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import viann
    >>> H = np.zeros((3, 2, 1))
    >>> H[:, 0, 0] = [0.0, 1.0, 2.0]  # var 1, final weight 2
    >>> H[:, 1, 0] = [0.0, -2.0, -1.0]  # var 1, final weight -1
    >>> viann(H)
    array([2., 1.])
    """
    moments = _summarise(weight_history)
    return (moments.var(ddof=1) * np.abs(moments.last)).sum(axis=1)


@validate_params(
    {"weight_history": _HISTORY, "initial_weights": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def displacement(weight_history, initial_weights):
    """Net displacement of each feature's weights from their initial values.

    .. math::

        D_i = \\sum_j |H_{T,i,j} - W^{(0)}_{i,j}|,

    where ``W^(0)`` is the kernel before the first epoch (an estimator's
    ``initial_weights_``) and ``H_T`` the last snapshot: how far training carried the
    weights of feature ``i`` in total, whatever path they took. Unlike
    :func:`grouped_weight_std` it does not count back-and-forth movement, and unlike the
    report's ``net_change`` (measured from the first *snapshot*, after one epoch) it
    includes the first epoch, where most of the useful learning often happens.

    Parameters
    ----------
    weight_history : array-like of shape (n_snapshots, n_features, n_units) or WeightMoments
        Recorded first-layer weights, or their running summary
        (:class:`~skweightimp.importance.WeightMoments`); only the last snapshot is used.
    initial_weights : array-like of shape (n_features, n_units)
        The recorded kernel before training.

    Returns
    -------
    ndarray of shape (n_features,)
        Non-negative, unnormalised scores.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import displacement
    >>> W0 = np.array([[0.5, -0.5], [0.1, 0.2]])
    >>> H = np.array([[[0.9, -0.5], [0.1, 0.2]], [[1.5, -1.0], [0.1, 0.3]]])
    >>> displacement(H, W0)
    array([1.5, 0.1])
    """
    moments = _summarise(weight_history)
    initial = np.asarray(initial_weights, dtype=np.float64)
    if initial.shape != moments.shape:
        raise ValueError(
            f"initial_weights has shape {initial.shape}, but the weight history's kernel has "
            f"shape {moments.shape} (n_features, n_units)."
        )
    if not np.isfinite(initial).all():
        raise ValueError("initial_weights contains NaN or infinity.")
    return np.abs(moments.last - initial).sum(axis=1)


# --- connection-weight methods --------------------------------------------------------


def _check_kernels(weights):
    """Return the kernels as float64 arrays after checking that they form a chain."""
    if not isinstance(weights, (list, tuple)) or len(weights) == 0:
        raise ValueError(
            "weights must be a non-empty list of 2-d kernels [W_1, ..., W_L], from the "
            "inputs (W_1 of shape (n_features, n_units_1)) to the outputs; got "
            f"{type(weights).__name__}."
        )
    kernels = []
    for index, kernel in enumerate(weights):
        kernel = np.asarray(kernel, dtype=np.float64)
        if kernel.ndim != 2 or 0 in kernel.shape:
            raise ValueError(
                f"weights[{index}] must be a non-empty 2-d kernel (n_in, n_out); got shape "
                f"{kernel.shape}."
            )
        if not np.isfinite(kernel).all():
            raise ValueError(f"weights[{index}] contains NaN or infinity.")
        if kernels and kernels[-1].shape[1] != kernel.shape[0]:
            raise ValueError(
                f"weights[{index - 1}] has shape {kernels[-1].shape} and weights[{index}] "
                f"has shape {kernel.shape}: consecutive kernels must chain "
                "(n_out of one == n_in of the next)."
            )
        kernels.append(kernel)
    return kernels


@validate_params({"weights": "no_validation"}, prefer_skip_nested_validation=True)
def garson(weights):
    """Garson's algorithm: the share of each input in the absolute connection weights.

    For a network with exactly one hidden layer, input-hidden kernel ``W`` of shape
    ``(n_features, n_hidden)`` and hidden-output kernel ``V`` of shape
    ``(n_hidden, n_outputs)``, Garson's algorithm [1]_ as written by Goh [2]_ and
    Olden & Jackson [3]_ is, for each output ``k``,

    .. math::

        c_{ijk} = |W_{ij}| \\, |V_{jk}|, \\qquad
        r_{ijk} = \\frac{c_{ijk}}{\\sum_{i'} c_{i'jk}}, \\qquad
        S_{ik} = \\sum_j r_{ijk}, \\qquad
        G_{ik} = \\frac{S_{ik}}{\\sum_{i'} S_{i'k}},

    and the result is the average over the outputs, ``G_i = mean_k G_ik`` (each ``G_k``
    sums to 1, so the average does too). A hidden unit whose incoming or outgoing weights
    are all zero contributes nothing.

    Notes
    -----
    Within a hidden unit ``|V_jk|`` cancels out of ``r_ijk``: the output weights only
    matter where they are exactly zero, and the signs of all weights are lost. Olden and
    Jackson [3]_ found Garson's algorithm the least accurate of the methods they compared;
    :func:`olden` keeps the signs and handles any number of hidden layers. Biases are
    ignored.

    Parameters
    ----------
    weights : list of 2 array-like
        ``[W, V]``, the kernels from the inputs to the hidden layer and from the hidden
        layer to the outputs (e.g. ``[layer.kernel for layer in dense_layers]``).

    Returns
    -------
    ndarray of shape (n_features,)
        Relative importances, non-negative, summing to 1 (all zero if every path carries a
        zero weight).

    Raises
    ------
    ValueError
        If the network does not have exactly one hidden layer (``len(weights) != 2``).

    References
    ----------
    .. [1] G. D. Garson, "Interpreting neural-network connection weights", AI Expert 6(4),
       pp. 46-51, 1991.
    .. [2] A. T. C. Goh, "Back-propagation neural networks for modeling complex systems",
       Artificial Intelligence in Engineering 9(3), pp. 143-151, 1995.
    .. [3] J. D. Olden and D. A. Jackson, "Illuminating the 'black box': a randomization
       approach for understanding variable contributions in artificial neural networks",
       Ecological Modelling 154(1-2), pp. 135-150, 2002.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import garson
    >>> W = np.array([[1.0, 0.0], [1.0, 2.0]])  # 2 features, 2 hidden units
    >>> V = np.array([[3.0], [-1.0]])  # 1 output
    >>> garson([W, V])  # unit 0 splits 1:1, unit 1 gives everything to feature 1
    array([0.25, 0.75])
    """
    kernels = _check_kernels(weights)
    if len(kernels) != 2:
        raise ValueError(
            "Garson's algorithm needs exactly one hidden layer (two kernels: inputs to "
            f"hidden, hidden to outputs), but the network has {len(kernels) - 1} hidden "
            f"layer(s) ({len(kernels)} kernel(s)). Use Olden's connection weights "
            "(olden), which work with any number of hidden layers."
        )
    W, V = kernels
    # c[i, j, k] = |W_ij| |V_jk|
    c = np.abs(W)[:, :, np.newaxis] * np.abs(V)[np.newaxis, :, :]
    unit_totals = c.sum(axis=0, keepdims=True)
    r = np.divide(c, unit_totals, out=np.zeros_like(c), where=unit_totals > 0)
    S = r.sum(axis=1)  # (n_features, n_outputs)
    output_totals = S.sum(axis=0, keepdims=True)
    G = np.divide(S, output_totals, out=np.zeros_like(S), where=output_totals > 0)
    return G.mean(axis=1)


@validate_params(
    # The kernels are checked by _check_kernels, which says what a chain of kernels is.
    {"weights": "no_validation", "signed": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def olden(weights, *, signed=False):
    """Olden's connection weights: the product of the kernels from each input to the outputs.

    Olden & Jackson [1]_ sum, over every path from input ``i`` to output ``k``, the product
    of the raw (signed) weights along it. For a stack of Dense kernels
    ``W_1, ..., W_L`` that is the matrix product ``P = W_1 W_2 ... W_L`` of shape
    ``(n_features, n_outputs)``; with one hidden layer, ``P_ik = sum_j W_ij V_jk``. The
    generalisation to several hidden layers is the one of Olden, Joy & Death [2]_ and of
    the R package NeuralNetTools. Activations and biases are ignored: the method reads the
    weights only.

    - ``signed=True`` returns ``sum_k P_ik``: positive where the input pushes the outputs
      up. With one output this is Olden's importance itself.
    - ``signed=False`` (default) returns ``sum_k |P_ik|``, a non-negative score usable as
      ``feature_importances_``. Absolute values are taken per output before summing, so
      that outputs pulled in opposite directions (one class against another) do not cancel.

    Parameters
    ----------
    weights : list of array-like
        The kernels ``[W_1, ..., W_L]`` from the inputs to the outputs, ``W_1`` of shape
        ``(n_features, n_units_1)``; any number of hidden layers (a single kernel is a
        linear model).
    signed : bool, default=False
        Whether to keep the signs (see above).

    Returns
    -------
    ndarray of shape (n_features,)
        Unnormalised scores; non-negative unless ``signed=True``.

    References
    ----------
    .. [1] J. D. Olden and D. A. Jackson, "Illuminating the 'black box': a randomization
       approach for understanding variable contributions in artificial neural networks",
       Ecological Modelling 154(1-2), pp. 135-150, 2002.
    .. [2] J. D. Olden, M. K. Joy and R. G. Death, "An accurate comparison of methods for
       quantifying variable importance in artificial neural networks using simulated
       data", Ecological Modelling 178(3-4), pp. 389-397, 2004.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import olden
    >>> W = np.array([[1.0, 0.0], [1.0, 2.0]])
    >>> V = np.array([[3.0], [-1.0]])
    >>> olden([W, V], signed=True)  # feature 0: 1*3; feature 1: 1*3 + 2*(-1)
    array([3., 1.])
    >>> olden([W, np.array([[1.0], [1.0]]), np.array([[-2.0]])])  # two hidden layers
    array([2., 6.])
    """
    kernels = _check_kernels(weights)
    product = kernels[0]
    for kernel in kernels[1:]:
        product = product @ kernel
    if signed:
        return product.sum(axis=1)
    return np.abs(product).sum(axis=1)


# The domain is checked by _math.check_barrage_params: "a pair with low < high" is no constraint.
_BARRAGE_PARAMS = {
    "domain": "no_validation",
    "num": BARRAGE_NUM,
    "threshold": BARRAGE_THRESHOLD,
    "feature_names": ["array-like", None],
}


@validate_params(
    {"weight_history": _HISTORY, **_BARRAGE_PARAMS}, prefer_skip_nested_validation=True
)
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
    low, high, num, threshold = check_barrage_params(domain, num, threshold)
    names = check_feature_names(feature_names, moments.shape[0])
    columns = _barrage_columns(moments, low, high, num, threshold)
    return pd.DataFrame(columns, index=pd.Index(names, name="feature"))


def _barrage_columns(moments, low, high, num, threshold):
    """The barrage metrics as a dict of arrays, one value per feature (checked parameters)."""
    n_features, n_units = moments.shape
    grid = np.linspace(low, high, num)
    mu = moments.mean.ravel()
    sigma = moments.std(ddof=1).ravel()
    first, width, safe_sigma = _barrage_windows(mu, sigma, grid, threshold)

    stats = {name: np.zeros(mu.size) for name in ("max", "sum", "mean", "stdev")}
    count = np.zeros(mu.size, dtype=np.int64)
    # Chunks of whole weights holding at most _BARRAGE_CHUNK_VALUES window points (a
    # single wider weight is a chunk of its own).
    ends = np.cumsum(width)
    start = 0
    while start < mu.size:
        done = ends[start - 1] if start else 0
        stop = max(int(np.searchsorted(ends, done + _BARRAGE_CHUNK_VALUES, "right")), start + 1)
        weights = slice(start, stop)
        chunk = _barrage_chunk(
            mu[weights], safe_sigma[weights], first[weights], width[weights], grid, threshold
        )
        count[weights] = chunk.pop("count")
        for name, values in chunk.items():
            stats[name][weights] = values
        start = stop

    valid = count >= 2
    shape = (n_features, n_units)
    return {
        "len": np.where(valid, count, 0).reshape(shape).sum(axis=1),
        "max": stats["max"].reshape(shape).sum(axis=1),
        "sum": stats["sum"].reshape(shape).sum(axis=1),
        "mean": stats["mean"].reshape(shape).sum(axis=1),
        "stdev": stats["stdev"].reshape(shape).sum(axis=1),
        "n_degenerate_units": (~valid).reshape(shape).sum(axis=1),
    }


def _barrage_windows(mu, sigma, grid, threshold):
    """First grid index and number of grid points of each weight's window, and safe sigmas.

    A normal density reaches the threshold only within ``mu +- r``, and nowhere when its
    peak is lower: only the grid points of that window (one spare point on each side for
    rounding) are evaluated, instead of the whole grid. The kept values are the same; the
    work shrinks from ``num`` points per weight to its own window (about 24 of 1000 on
    average for a Dense(64) layer trained 50 epochs on 100 features).
    """
    positive = sigma > 0
    safe_sigma = np.where(positive, sigma, 1.0)
    peak = norm.pdf(0.0, scale=safe_sigma)
    possible = positive & (peak >= threshold)
    reach = safe_sigma * np.sqrt(2.0 * np.log(np.where(possible, peak / threshold, 1.0)))
    step = (grid[-1] - grid[0]) / (len(grid) - 1)
    first = np.clip(np.floor((mu - reach - grid[0]) / step) - 1, 0, len(grid) - 1)
    last = np.clip(np.ceil((mu + reach - grid[0]) / step) + 1, 0, len(grid) - 1)
    first = np.where(possible, first, 0).astype(np.intp)
    width = np.where(possible, last - first + 1, 0).astype(np.intp)
    return first, width, safe_sigma


def _barrage_chunk(mu, sigma, first, width, grid, threshold):
    """Per-weight kept-value count and barrage statistics for a run of weights.

    The windows of all the weights are laid end to end in one flat array, so no work is
    spent on padding: window widths vary several-fold between weights. Weights keeping
    fewer than two values get 0 in every statistic (their count is returned as it is).
    """
    n_weights = len(mu)
    owner = np.repeat(np.arange(n_weights), width)
    window_start = np.cumsum(width) - width
    index = np.arange(owner.size) + np.repeat(first - window_start, width)
    density = norm.pdf(grid[index], mu[owner], sigma[owner])
    kept = density >= threshold
    values, kept_owner = density[kept], owner[kept]
    count = np.bincount(kept_owner, minlength=n_weights)
    # The kept values of a weight are contiguous in `values`; reduceat needs non-empty runs.
    has_any = count > 0
    run_start = (np.cumsum(count) - count)[has_any]
    valid = count >= 2
    totals = np.zeros(n_weights)
    maxima = np.zeros(n_weights)
    squares = np.zeros(n_weights)
    if run_start.size:
        totals[has_any] = np.add.reduceat(values, run_start)
        maxima[has_any] = np.maximum.reduceat(values, run_start)
    mean = totals / np.where(valid, count, 1)
    if run_start.size:
        deviations = values - mean[kept_owner]
        squares[has_any] = np.add.reduceat(deviations * deviations, run_start)
    stdev = np.sqrt(squares / np.where(valid, count - 1, 1))
    return {
        "count": count,
        "max": np.where(valid, maxima, 0.0),
        "sum": np.where(valid, totals, 0.0),
        "mean": np.where(valid, mean, 0.0),
        "stdev": np.where(valid, stdev, 0.0),
    }


def gradient_sensitivity(input_gradients, input_scale):
    """The gradient method's scores: mean absolute input gradients times the inputs' spread.

    For a fitted network ``f`` with outputs ``c`` and training rows ``x_n``, the score of
    input ``i`` is ``sd(x_i) * sum_c mean_n |d f_c(x_n) / d x_i|`` (the partial-derivative
    method of Dimopoulos, Bourret & Lek 1995, compared with weight methods by Gevrey,
    Dimopoulos & Lek 2003), the expected change of the output for a one-standard-deviation
    change of the input. Unlike a signed sum of weight products it does not cancel for an
    effect that is not monotone (a U-shape), and the spread makes inputs of different
    scales comparable, including one-hot columns of rare levels. The estimators compute
    ``input_gradients`` in backward passes through the fitted network at the end of a fit
    and keep them as ``input_gradients_``, with ``input_scale_``.

    Parameters
    ----------
    input_gradients : array-like of shape (n_features,)
        ``sum_c mean_n |d f_c / d x_i|`` per input column.
    input_scale : array-like of shape (n_features,)
        The standard deviation of each input column over the same rows.

    Returns
    -------
    ndarray of shape (n_features,)
        Non-negative, unnormalised scores.

    Examples
    --------
    >>> from skweightimp.importance import gradient_sensitivity
    >>> gradient_sensitivity([2.0, 0.5, 1.0], [1.0, 1.0, 0.1])
    array([2. , 0.5, 0.1])
    """
    gradients = np.asarray(input_gradients, dtype=np.float64)
    scale = np.asarray(input_scale, dtype=np.float64)
    if gradients.ndim != 1 or gradients.shape != scale.shape:
        raise ValueError(
            "input_gradients and input_scale must be 1-d and of one length; got shapes "
            f"{gradients.shape} and {scale.shape}."
        )
    if (gradients < 0).any() or (scale < 0).any():
        raise ValueError("input_gradients and input_scale must be non-negative.")
    return gradients * scale


@validate_params(
    {
        "method": [StrOptions(set(IMPORTANCE_METHODS))],
        "weight_history": _HISTORY,
        "initial_weights": ["array-like", None],
        "kernels": "no_validation",
        "input_gradients": ["array-like", None],
        "input_scale": ["array-like", None],
        "ddof": DDOF,
    },
    prefer_skip_nested_validation=True,
)
def method_scores(
    method,
    weight_history,
    *,
    initial_weights=None,
    kernels=None,
    input_gradients=None,
    input_scale=None,
    ddof=1,
):
    """Raw scores of one importance method, by name: one entry point for all of them.

    Dispatches to :func:`grouped_weight_std`, :func:`viann`, :func:`displacement`,
    :func:`garson`, :func:`olden` or :func:`gradient_sensitivity` with what each needs,
    and says what is missing when a method cannot be computed from what was given. An
    estimator's ``importance_scores(method)`` is this function on its fitted record.

    Parameters
    ----------
    method : {"weight_std", "viann", "displacement", "garson", "olden", "gradient"}
        The importance method (docs/method.rst defines each).
    weight_history : array-like of shape (n_snapshots, n_features, n_units) or WeightMoments
        Recorded first-layer weights, or their running summary
        (:class:`~skweightimp.importance.WeightMoments`).
    initial_weights : array-like of shape (n_features, n_units), default=None
        The recorded kernel before training; needed by ``"displacement"``.
    kernels : list of array-like, default=None
        The trained kernels ``[W_1, ..., W_L]`` of the Dense stack, from the inputs to the
        outputs; needed by ``"garson"`` (exactly two kernels) and ``"olden"``. Their first
        kernel must have one row per feature of ``weight_history``.
    input_gradients, input_scale : array-like of shape (n_features,), default=None
        The fitted network's mean absolute input gradients and the inputs' standard
        deviations; needed by ``"gradient"`` (see :func:`gradient_sensitivity`).
    ddof : int, default=1
        Delta degrees of freedom of the weight standard deviation (``"weight_std"``).

    Returns
    -------
    ndarray of shape (n_features,)
        Non-negative, unnormalised scores (:func:`normalize_importances` makes them sum
        to 1).

    Raises
    ------
    ValueError
        If ``method`` needs ``initial_weights`` or ``kernels`` and they were not given, or
        they do not fit the weight history.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import method_scores
    >>> H = np.array([[[0.0, 1.0], [0.5, 0.5]], [[2.0, 1.0], [0.5, 0.0]]])
    >>> method_scores("weight_std", H)
    array([1.41421356, 0.35355339])
    >>> method_scores("displacement", H, initial_weights=np.zeros((2, 2)))
    array([3. , 0.5])
    """
    moments = _summarise(weight_history)
    if method == "weight_std":
        return grouped_weight_std(moments, ddof=ddof)
    if method == "viann":
        return viann(moments)
    if method == "displacement":
        if initial_weights is None:
            raise ValueError(
                "The 'displacement' method needs initial_weights, the recorded kernel "
                "before training."
            )
        return displacement(moments, initial_weights)
    if method in ("garson", "olden"):
        if kernels is None:
            raise ValueError(
                f"The {method!r} method needs the trained kernels of the network's Dense "
                "stack (kernels=[W_1, ..., W_L])."
            )
        kernels = _check_kernels(kernels)
        if kernels[0].shape[0] != moments.shape[0]:
            raise ValueError(
                f"The first kernel has {kernels[0].shape[0]} input rows, but the weight "
                f"history has {moments.shape[0]} features."
            )
        return garson(kernels) if method == "garson" else olden(kernels)
    if method == "gradient":
        if input_gradients is None or input_scale is None:
            raise ValueError(
                "The 'gradient' method needs input_gradients and input_scale, the fitted "
                "network's mean absolute input gradients and the inputs' spread."
            )
        scores = gradient_sensitivity(input_gradients, input_scale)
        if len(scores) != moments.shape[0]:
            raise ValueError(
                f"input_gradients has {len(scores)} entries, but the weight history has "
                f"{moments.shape[0]} features."
            )
        return scores
    raise ValueError(f"method must be one of {list(IMPORTANCE_METHODS)}; got {method!r}.")


def supported_method_scores(
    weight_history, *, initial_weights=None, kernels=None, input_gradients=None, input_scale=None
):
    """The raw scores of every importance method that what was given can support.

    :func:`method_scores` for each of its methods in turn, leaving out the
    methods it refuses (``"displacement"`` without ``initial_weights``, ``"garson"`` and
    ``"olden"`` without ``kernels``, ``"garson"`` unless there is exactly one hidden
    layer, ``"gradient"`` without ``input_gradients``). One summary of the history serves
    every method.

    Parameters
    ----------
    weight_history, initial_weights, kernels, input_gradients, input_scale
        As for :func:`method_scores`.

    Returns
    -------
    dict of str to ndarray of shape (n_features,)
        Method name to its unnormalised scores, in the order ``"weight_std"``,
        ``"viann"``, ``"displacement"``, ``"garson"``, ``"olden"``, ``"gradient"``.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import supported_method_scores
    >>> H = np.array([[[0.0, 1.0], [0.5, 0.5]], [[2.0, 1.0], [0.5, 0.0]]])
    >>> list(supported_method_scores(H))
    ['weight_std', 'viann']
    >>> kernels = [np.ones((2, 3)), np.ones((3, 1))]  # one hidden layer
    >>> list(supported_method_scores(H, initial_weights=H[0], kernels=kernels))
    ['weight_std', 'viann', 'displacement', 'garson', 'olden']
    """
    moments = _summarise(weight_history)
    scores = {}
    for method in IMPORTANCE_METHODS:
        try:
            scores[method] = method_scores(
                method,
                moments,
                initial_weights=initial_weights,
                kernels=kernels,
                input_gradients=input_gradients,
                input_scale=input_scale,
            )
        except ValueError:
            continue  # e.g. Garson on two hidden layers
    return scores


@validate_params(
    {
        "weight_history": _HISTORY,
        **_BARRAGE_PARAMS,
        "ddof": DDOF,
        "method": [StrOptions(set(IMPORTANCE_METHODS))],
        "initial_weights": ["array-like", None],
        "kernels": "no_validation",
        "input_gradients": ["array-like", None],
        "input_scale": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def importance_report(
    weight_history,
    *,
    feature_names=None,
    ddof=1,
    domain=(-2.0, 2.0),
    num=1000,
    threshold=1.0,
    method="weight_std",
    initial_weights=None,
    kernels=None,
    input_gradients=None,
    input_scale=None,
):
    """Everything the weights say about each feature, in one table.

    Parameters
    ----------
    weight_history : array-like of shape (n_snapshots, n_features, n_units) or WeightMoments
        Recorded first-layer weights, or their running summary
        (:class:`~skweightimp.importance.WeightMoments`). To leave out a burn-in, pass
        :func:`discard_burn_in` of the history.
    feature_names : array-like of str, default=None
        Row labels; ``x0, x1, ...`` when None.
    ddof : int, default=1
        Delta degrees of freedom of the weight standard deviation.
    domain, num, threshold
        Parameters of :func:`barrage_metrics`.
    method : {"weight_std", "viann", "displacement", "garson", "olden", "gradient"}, \
            default="weight_std"
        The method whose normalised scores fill the ``importance`` and ``rank`` columns;
        it must be computable from what is given.
    initial_weights : array-like of shape (n_features, n_units), default=None
        The recorded kernel before training, for :func:`displacement`.
    kernels : list of array-like, default=None
        The trained kernels ``[W_1, ..., W_L]`` of a Dense stack, for :func:`garson` and
        :func:`olden`.
    input_gradients, input_scale : array-like of shape (n_features,), default=None
        The fitted network's mean absolute input gradients and the inputs' standard
        deviations, for :func:`gradient_sensitivity`.

    Returns
    -------
    pandas.DataFrame
        Indexed by feature name, with columns

        - ``importance``: the normalised scores of ``method`` (sum to 1);
        - ``rank``: 1 for the most important feature (ties share the best rank);
        - ``weight_std``: the raw grouped weight std, :func:`grouped_weight_std`;
        - ``len``, ``max``, ``sum``, ``mean``, ``stdev``, ``n_degenerate_units``: the
          barrage metrics, :func:`barrage_metrics`;
        - ``final_mean_weight``: mean over units of the last recorded weight (its sign is
          only meaningful for linear or single-unit layers);
        - ``final_abs_weight``: sum over units of the absolute last recorded weight, how
          strongly the trained network listens to the feature;
        - ``net_change``: sum over units of ``|H[-1] - H[0]|``, how far the weights
          travelled from the first to the last snapshot;
        - ``viann``, ``displacement``, ``garson``, ``olden``: the raw scores of
          :func:`viann`, :func:`displacement`, :func:`garson` and :func:`olden`
          (unsigned).

        The method columns are always present, so reports of different models line up.
        Where a method cannot be computed (``displacement`` without ``initial_weights``,
        ``garson``/``olden`` without ``kernels``, ``garson`` for a network without exactly
        one hidden layer, ``gradient`` without ``input_gradients``) its column is NaN and
        ``report.attrs["notes"]`` (a dict, method name to reason) says why.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import importance_report
    >>> rng = np.random.RandomState(0)
    >>> H = rng.normal(scale=[[0.1], [0.01]], size=(50, 2, 4)).cumsum(axis=0)
    >>> report = importance_report(H, feature_names=["a", "b"])
    >>> report[["importance", "rank"]].round(3)
             importance  rank
    feature
    a             0.874     1
    b             0.126     2
    >>> report.attrs["notes"]["garson"]  # no kernels given: a NaN column, and why
    'kernels (the trained Dense stack) were not given.'
    """
    moments = _summarise(weight_history)
    names = check_feature_names(feature_names, moments.shape[0])
    extra = {
        "initial_weights": initial_weights,
        "kernels": kernels,
        "input_gradients": input_gradients,
        "input_scale": input_scale,
        "ddof": ddof,
    }
    notes = {}
    if input_gradients is None:
        notes["gradient"] = "input_gradients (the fitted network's) were not given."
    if initial_weights is None:
        notes["displacement"] = "initial_weights (the kernel before training) were not given."
    if kernels is None:
        notes["garson"] = notes["olden"] = "kernels (the trained Dense stack) were not given."
    elif len(kernels) != 2:
        notes["garson"] = (
            "Garson's algorithm needs exactly one hidden layer; the network has "
            f"{len(kernels) - 1}."
        )
    # Each method once: the chosen one fills `importance` and is also a column of its own.
    scores = {"weight_std": grouped_weight_std(moments, ddof=ddof)}
    if method not in scores:
        scores[method] = method_scores(method, moments, **extra)
    importance = normalize_importances(scores[method])
    low, high, num, threshold = check_barrage_params(domain, num, threshold)
    for name in IMPORTANCE_METHODS[1:]:
        if name not in notes and name not in scores:
            scores[name] = method_scores(name, moments, **extra)

    last = moments.last
    columns = {
        "importance": importance,
        "rank": rank_descending(importance),
        "weight_std": scores["weight_std"],
        **_barrage_columns(moments, low, high, num, threshold),
        "final_mean_weight": last.mean(axis=1),
        "final_abs_weight": np.abs(last).sum(axis=1),
        "net_change": np.abs(last - moments.first).sum(axis=1),
    }
    n_features = len(names)
    for name in IMPORTANCE_METHODS[1:]:
        columns[name] = np.full(n_features, np.nan) if name in notes else scores[name]
    # One DataFrame from all the columns at once: inserting them one by one costs more
    # than computing most of them.
    report = pd.DataFrame(columns, index=pd.Index(names, name="feature"))
    report.attrs["notes"] = notes
    return report


def recommended_method():
    """The importance method the benchmarks recommend, a method of :func:`method_scores`.

    What ``method="auto"`` of :func:`skweightimp.inspection.importance_significance` and
    of :class:`~skweightimp.feature_selection.WeightTrajectorySelector` decides with (when
    the model supports it), and what ``skweightimp report`` headlines. Today the
    input-gradient sensitivity (``"gradient"``, :func:`gradient_sensitivity`), with
    ``first_layer_l1=0.01`` and one-hot groups reduced with ``group_score="rss"``: the
    one configuration that, on data with U-shaped, interaction and categorical effects
    of known truth, ranked every real column above every noise column, and on real data
    with planted noise kept the noise out of its top 5 (see the user guide's "When to
    trust it" page). The estimators' ``importance_method``, and so
    ``feature_importances_``, keep their own default.

    Returns
    -------
    method : str
        The recommended method's name.

    Examples
    --------
    Select with it through scikit-learn's ``importance_getter`` (a ``methodcaller``
    pickles, a lambda does not):

    >>> from operator import methodcaller
    >>> from sklearn.feature_selection import SelectFromModel
    >>> from skweightimp import WeightTrajectoryRegressor
    >>> from skweightimp.importance import recommended_method
    >>> WeightTrajectoryRegressor(importance_method=recommended_method()).importance_method
    'gradient'
    >>> select = SelectFromModel(
    ...     WeightTrajectoryRegressor(),
    ...     importance_getter=methodcaller("importance_scores", recommended_method()),
    ... )
    """
    return _RECOMMENDED_METHOD
