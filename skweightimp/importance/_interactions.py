"""Pairwise feature interactions read from a network's weights (NID) or from its fitted
function (mixed second differences of the prediction), their path over training, and
their reduction to feature groups.

Pure NumPy: the functions take kernels and arrays, never a Keras model.

- :func:`nid_interactions`: Neural Interaction Detection (Tsang, Cheng and Liu, ICLR
  2018) from the kernels of a stack of Dense layers.
- :func:`interaction_path`: NID at every recorded snapshot of all the kernels.
- :func:`aggregate_interactions`: one strength per pair of feature groups.
"""

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import validate_params

from ..utils._validation import GROUP_SCORE
from ._groups import aggregate_importances

__all__ = [
    "aggregate_interactions",
    "interaction_pairs",
    "interaction_path",
    "mixed_difference_interactions",
    "nid_interactions",
]

# Float64 values of the (rows, features, units) block of one NID evaluation (32 MB).
_CHUNK_VALUES = 4_000_000


def _unit_influence(kernels):
    """``z``: each first-layer unit's influence on the outputs, ``|W_2| ... |W_L| 1``."""
    influence = np.abs(kernels[-1]).sum(axis=1)
    for kernel in reversed(kernels[1:-1]):
        influence = np.abs(kernel) @ influence
    return influence


def _check_kernels(kernels):
    kernels = [np.asarray(kernel, dtype=np.float64) for kernel in kernels]
    if not kernels or any(kernel.ndim != 2 for kernel in kernels):
        raise ValueError("kernels must be a non-empty list of 2-d arrays (n_in, n_out).")
    for earlier, later in zip(kernels, kernels[1:], strict=False):
        if earlier.shape[1] != later.shape[0]:
            raise ValueError(
                f"kernels do not chain: a kernel of shape {earlier.shape} is followed by "
                f"one of shape {later.shape}."
            )
    return kernels


@validate_params({"kernels": [list, tuple]}, prefer_skip_nested_validation=True)
def nid_interactions(kernels):
    """Pairwise interaction strength of a Dense stack's inputs, by Neural Interaction
    Detection.

    A first-layer unit ``s`` can only join features that both feed it; NID takes the
    weaker of the two connections as the strength of their meeting, scaled by the unit's
    influence on the outputs ``z_s`` (the product of the absolute kernels after the first
    layer, summed over the outputs):

    .. math:: \\omega_{ij} = \\sum_s z_s \\min(|W_1[i, s]|, |W_1[j, s]|)

    A network without a hidden layer is linear in its inputs: every strength is 0.

    Parameters
    ----------
    kernels : list of array-like of shape (n_in, n_out)
        The kernels from the inputs to the output, as
        :func:`skweightimp.callbacks.dense_kernels` returns them.

    Returns
    -------
    ndarray of shape (n_features, n_features)
        Symmetric, with a zero diagonal.

    References
    ----------
    Tsang, M., Cheng, D. and Liu, Y. (2018). Detecting statistical interactions from
    neural network weights. International Conference on Learning Representations.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import nid_interactions
    >>> W1 = np.array([[1.0, 0.0], [0.5, 0.0], [0.0, 2.0]])  # x0 and x1 meet in unit 0
    >>> W2 = np.array([[2.0], [1.0]])
    >>> nid_interactions([W1, W2])
    array([[0., 1., 0.],
           [1., 0., 0.],
           [0., 0., 0.]])
    """
    kernels = _check_kernels(kernels)
    n_features = kernels[0].shape[0]
    if len(kernels) == 1:
        return np.zeros((n_features, n_features))
    weights = np.abs(kernels[0])
    influence = _unit_influence(kernels)
    strength = np.empty((n_features, n_features))
    block = max(1, _CHUNK_VALUES // max(1, weights.size))
    for first in range(0, n_features, block):
        rows = slice(first, first + block)
        meeting = np.minimum(weights[rows, np.newaxis, :], weights[np.newaxis, :, :])
        strength[rows] = meeting @ influence
    np.fill_diagonal(strength, 0.0)
    return strength


@validate_params({"kernels_history": [list, tuple]}, prefer_skip_nested_validation=True)
def interaction_path(kernels_history):
    """:func:`nid_interactions` at every snapshot of a record of all the kernels.

    Parameters
    ----------
    kernels_history : list of array-like of shape (n_snapshots, n_in, n_out)
        One stack per Dense layer, from the inputs to the output, as
        ``kernels_history_`` of an estimator fitted with ``record_all_kernels=True``.

    Returns
    -------
    ndarray of shape (n_snapshots, n_features, n_features)
        The strengths the network had after each snapshot.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import interaction_path
    >>> rng = np.random.default_rng(0)
    >>> history = [rng.normal(size=(5, 4, 3)), rng.normal(size=(5, 3, 1))]
    >>> path = interaction_path(history)
    >>> path.shape, bool(np.allclose(path[-1], path[-1].T))
    ((5, 4, 4), True)
    """
    stacks = [np.asarray(stack, dtype=np.float64) for stack in kernels_history]
    if not stacks or any(stack.ndim != 3 for stack in stacks):
        raise ValueError(
            "kernels_history must be a non-empty list of 3-d arrays (n_snapshots, n_in, n_out)."
        )
    if len({len(stack) for stack in stacks}) != 1:
        raise ValueError("every layer of kernels_history must hold the same snapshots.")
    return np.stack(
        [nid_interactions([stack[t] for stack in stacks]) for t in range(len(stacks[0]))]
    )


@validate_params(
    {"mean_abs_mixed": ["array-like"], "scale": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def mixed_difference_interactions(mean_abs_mixed, scale):
    """Interaction strength from the fitted function: the mean absolute mixed second
    difference of the prediction, per standard deviation of both inputs.

    .. math:: \\omega_{ij} = \\overline{|\\Delta_i \\Delta_j \\hat y|} \\, /
              \\, (h_i h_j) \\times sd(x_i)\\, sd(x_j)

    where ``h`` are the steps of the differences. A ReLU network is piecewise linear, so
    its exact second derivatives are 0 almost everywhere; differences over a finite step
    see the kinks that make two inputs act together.

    Parameters
    ----------
    mean_abs_mixed : array-like of shape (n_features, n_features)
        The mean over the rows of ``|d^2 yhat / dx_i dx_j|`` estimated by differences.
    scale : array-like of shape (n_features,)
        The standard deviation of each input.

    Returns
    -------
    ndarray of shape (n_features, n_features)
        Symmetric (the mean of the matrix and its transpose), with a zero diagonal.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import mixed_difference_interactions
    >>> mixed_difference_interactions([[0.0, 2.0], [1.0, 0.0]], [1.0, 2.0])
    array([[0., 3.],
           [3., 0.]])
    """
    mixed = np.asarray(mean_abs_mixed, dtype=np.float64)
    scale = np.asarray(scale, dtype=np.float64)
    if mixed.ndim != 2 or mixed.shape != (len(scale), len(scale)):
        raise ValueError(
            f"mean_abs_mixed must be of shape (n_features, n_features) = "
            f"({len(scale)}, {len(scale)}), one row and column per entry of scale; got "
            f"{mixed.shape}."
        )
    strength = 0.5 * (mixed + mixed.T) * np.outer(scale, scale)
    np.fill_diagonal(strength, 0.0)
    return strength


@validate_params(
    {"strength": ["array-like"], "members": [list], "group_score": GROUP_SCORE},
    prefer_skip_nested_validation=True,
)
def aggregate_interactions(strength, members, *, group_score="mean"):
    """One strength per pair of feature groups from the strengths of their columns' pairs.

    The strength of groups ``A`` and ``B`` combines those of every pair ``(a, b)`` with
    ``a`` in ``A`` and ``b`` in ``B`` as :func:`aggregate_importances` combines a group's
    scores (``"mean"``, ``"sum"`` or ``"rss"``); pairs within one group are not
    interactions between features and are left out (the diagonal is 0). Works on the last
    two axes, so a path of strengths is reduced at once.

    Parameters
    ----------
    strength : array-like of shape (..., n_columns, n_columns)
        Symmetric strengths of the columns the network sees.
    members : list of ndarray of int
        The column positions of each group, from :func:`resolve_feature_groups`.
    group_score : {"mean", "sum", "rss"}, default="mean"
        How a pair of groups' column pairs become one strength.

    Returns
    -------
    ndarray of shape (..., n_groups, n_groups)

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import aggregate_interactions
    >>> S = np.array([[0, 1, 3], [1, 0, 2], [3, 2, 0]], dtype=float)
    >>> aggregate_interactions(S, [np.array([0]), np.array([1, 2])])  # x0 with a group
    array([[0., 2.],
           [2., 0.]])
    """
    strength = np.asarray(strength, dtype=np.float64)
    rows = aggregate_importances(strength, members, axis=-2, group_score=group_score)
    grouped = aggregate_importances(rows, members, axis=-1, group_score=group_score)
    diagonal = np.arange(len(members))
    grouped[..., diagonal, diagonal] = 0.0
    return grouped


@validate_params({"scores": [pd.DataFrame]}, prefer_skip_nested_validation=True)
def interaction_pairs(scores):
    """The pairs of a symmetric features x features DataFrame, strongest first.

    Parameters
    ----------
    scores : pandas.DataFrame of shape (n_features, n_features)
        Pairwise strengths, as ``interaction_scores`` of an estimator returns them.

    Returns
    -------
    pandas.Series
        One entry per unordered pair, indexed by ``(feature_a, feature_b)`` in the order
        of the columns (a MultiIndex), sorted from the strongest pair down (ties keep the
        columns' order).

    Examples
    --------
    >>> import pandas as pd
    >>> from skweightimp.importance import interaction_pairs
    >>> S = pd.DataFrame([[0, 1, 3], [1, 0, 2], [3, 2, 0]], index=list("abc"),
    ...                  columns=list("abc"), dtype=float)
    >>> interaction_pairs(S)
    feature_a  feature_b
    a          c            3.0
    b          c            2.0
    a          b            1.0
    Name: interaction, dtype: float64
    """
    names = list(scores.columns)
    upper_i, upper_j = np.triu_indices(len(names), k=1)
    index = pd.MultiIndex.from_arrays(
        [[names[i] for i in upper_i], [names[j] for j in upper_j]],
        names=["feature_a", "feature_b"],
    )
    values = scores.to_numpy(dtype=np.float64)[upper_i, upper_j]
    pairs = pd.Series(values, index=index, name="interaction")
    return pairs.sort_values(ascending=False, kind="stable")
