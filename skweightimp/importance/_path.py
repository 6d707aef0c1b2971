"""Importance over training: what the first ``t`` snapshots say, for every ``t``.

Pure NumPy/pandas, like :mod:`skweightimp.importance`, whose formulas these functions
evaluate on every prefix ``H[:t]`` of a weight history at once. Row ``t`` of a path is the
importance a training stopped after snapshot ``t`` would report; its ranks show when the
ranking of the features stopped changing, often long before the loss does.

- :func:`importance_path`: one row per snapshot, one column per feature.
- :func:`ranking_path`: the ranks of each row (1 for the most important feature).
- :func:`ranking_settled_at`: the first row from which the top-k ranking never changes.
"""

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import StrOptions, validate_params

from ..utils._math import (
    burn_in_start,
    check_history,
    rank_descending,
    top_k_ranks,
)
from ..utils._names import check_feature_names
from ..utils._validation import BURN_IN, DDOF, WEIGHT_METHODS, Integer
from ._methods import garson, olden

__all__ = ["importance_path", "ranking_path", "ranking_settled_at"]

# float64 values of one working block of the prefix sums (32 MB).
_CHUNK_VALUES = 4_000_000

_TOP_K = [Integer(1, None, closed="left"), None]


def _trajectory_scores(history, method, *, initial_weights, burn_in, ddof):
    """Raw scores of a trajectory method for every prefix: shape (n_snapshots, n_features).

    The variance of weight ``(i, j)`` over the window ``[s_t, t)`` of prefix ``t`` comes from
    prefix sums of the values and of their squares. The values are taken relative to the
    last snapshot first: weights settle near their final value, so the late windows, whose
    spread is smallest, have a mean near 0 and the sums lose no precision to cancellation.
    Features are processed in blocks so that the working arrays stay near
    ``_CHUNK_VALUES`` floats.
    """
    n_snapshots, n_features, n_units = history.shape
    ends = np.arange(1, n_snapshots + 1)
    starts = np.array([burn_in_start(int(t), burn_in) for t in ends])
    counts = (ends - starts)[:, np.newaxis, np.newaxis]
    ddof = 1 if method == "viann" else ddof
    scores = np.empty((n_snapshots, n_features))
    block = max(1, _CHUNK_VALUES // ((n_snapshots + 1) * n_units))
    for first in range(0, n_features, block):
        features = slice(first, first + block)
        values = history[:, features, :]
        if method == "displacement":
            scores[:, features] = np.abs(values - initial_weights[features]).sum(axis=2)
            continue
        shifted = values - values[-1]
        sums = np.zeros((n_snapshots + 1, *shifted.shape[1:]))
        np.cumsum(shifted, axis=0, out=sums[1:])
        window_sum = sums[ends] - sums[starts]
        np.cumsum(shifted * shifted, axis=0, out=sums[1:])
        m2 = sums[ends] - sums[starts] - window_sum * window_sum / counts
        # A window of no more than ddof snapshots has no measurable spread (as WeightMoments).
        var = np.where(counts > ddof, np.maximum(m2, 0.0) / np.maximum(counts - ddof, 1), 0.0)
        if method == "weight_std":
            scores[:, features] = np.sqrt(var).sum(axis=2)
        else:  # viann: the variance times the final magnitude of each prefix
            scores[:, features] = (var * np.abs(values)).sum(axis=2)
    return scores


def _check_kernels_history(kernels_history, n_features):
    """The kernel stacks as float64 arrays, one per Dense layer, after checking they chain."""
    if not isinstance(kernels_history, (list, tuple)) or len(kernels_history) == 0:
        raise ValueError(
            "kernels_history must be a non-empty list with one array of shape "
            "(n_snapshots, n_in, n_out) per Dense layer, from the inputs to the outputs; "
            f"got {type(kernels_history).__name__}."
        )
    stacks = [np.asarray(stack, dtype=np.float64) for stack in kernels_history]
    for index, stack in enumerate(stacks):
        if stack.ndim != 3 or 0 in stack.shape:
            raise ValueError(
                f"kernels_history[{index}] must be a non-empty array of shape (n_snapshots, "
                f"n_in, n_out); got shape {stack.shape}."
            )
        if len(stack) != len(stacks[0]):
            raise ValueError(
                f"kernels_history[{index}] has {len(stack)} snapshots but kernels_history[0] "
                f"has {len(stacks[0])}: every layer needs one kernel per snapshot."
            )
    if n_features is not None and stacks[0].shape[1] != n_features:
        raise ValueError(
            f"The first kernel has {stacks[0].shape[1]} input rows, but the weight history "
            f"has {n_features} features."
        )
    return stacks


@validate_params(
    {
        "weight_history": ["array-like", None],
        "method": [StrOptions(set(WEIGHT_METHODS))],
        "initial_weights": ["array-like", None],
        "kernels_history": "no_validation",
        "burn_in": BURN_IN,
        "ddof": DDOF,
        "normalize": ["boolean"],
        "feature_names": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def importance_path(
    weight_history,
    *,
    method="weight_std",
    initial_weights=None,
    kernels_history=None,
    burn_in=0.0,
    ddof=1,
    normalize=True,
    feature_names=None,
):
    """The importance of every feature that the first ``t`` snapshots give, for every ``t``.

    Row ``t`` (labelled ``t``, from 1) holds what :mod:`skweightimp.importance` computes
    from ``weight_history[:t]``: for ``"weight_std"`` and ``"viann"`` the spread of each
    weight over those snapshots (after dropping their first ``burn_in`` fraction, as
    :func:`~skweightimp.importance.discard_burn_in` does), for ``"displacement"`` how far
    snapshot ``t`` is from ``initial_weights``, and for ``"garson"`` and ``"olden"`` the
    connection weights of the kernels at snapshot ``t``.

    **Cost.** The trajectory methods take one vectorised pass of prefix sums over the
    history, ``O(n_snapshots * n_features * n_units)`` time (not ``O(n_snapshots**2 ...)``
    as recomputing every prefix would) and a working memory of at most about 32 MB beyond
    the result. ``"garson"`` and ``"olden"`` evaluate their formula once per snapshot:
    ``O(n_snapshots * sum of the kernel sizes)`` for Olden's chain of products (times the
    number of outputs for Garson's), and they need the kernels of every Dense layer at
    every snapshot, ``kernels_history`` (an estimator fitted with
    ``record_all_kernels=True`` keeps them).

    Parameters
    ----------
    weight_history : array-like of shape (n_snapshots, n_features, n_units) or None
        Recorded first-layer weights. May be None for ``"garson"`` and ``"olden"``,
        which read ``kernels_history`` only.
    method : {"weight_std", "viann", "displacement", "garson", "olden"}, \
            default="weight_std"
        A weight importance method (any of :func:`method_scores`' methods but
        ``"gradient"``, which has no path).
    initial_weights : array-like of shape (n_features, n_units), default=None
        The kernel before training; needed by ``"displacement"``.
    kernels_history : list of array-like, default=None
        For ``"garson"`` and ``"olden"``: one array of shape ``(n_snapshots, n_in, n_out)``
        per Dense layer, from the inputs to the outputs.
    burn_in : float in [0, 1), default=0.0
        Fraction of the earliest snapshots of each prefix that ``"weight_std"`` and
        ``"viann"`` leave out.
    ddof : int, default=1
        Delta degrees of freedom of the weight standard deviation (``"weight_std"``).
    normalize : bool, default=True
        Divide each row by its total, as ``feature_importances_`` is. A row where no
        weight has moved yet (the first snapshot of a spread, for instance) becomes
        uniform, without the warning :func:`~skweightimp.importance.normalize_importances`
        gives. With False the raw scores are returned.
    feature_names : array-like of str, default=None
        Column labels; ``x0, x1, ...`` when None.

    Returns
    -------
    pandas.DataFrame of shape (n_snapshots, n_features)
        Indexed by the snapshot number ``t`` (index name ``"snapshot"``), one column per
        feature. Its last row is the importance of the whole history.

    See Also
    --------
    ranking_path : The ranks of each row.
    ranking_settled_at : Where the top-k ranking stops changing.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import importance_path
    >>> H = np.zeros((4, 2, 1))
    >>> H[:, 0, 0] = [0.0, 1.0, 1.0, 1.0]  # moves early, then stays
    >>> H[:, 1, 0] = [0.0, 0.0, 2.0, 3.0]  # moves late
    >>> importance_path(H, normalize=False).round(3)  # grouped weight std of H[:t]
    feature      x0     x1
    snapshot
    1         0.000  0.000
    2         0.707  0.000
    3         0.577  1.155
    4         0.500  1.500
    >>> importance_path(H).round(3).loc[4]  # normalised, as feature_importances_
    feature
    x0    0.25
    x1    0.75
    Name: 4, dtype: float64
    """
    if method in ("garson", "olden"):
        if kernels_history is None:
            raise ValueError(
                f"The {method!r} path needs kernels_history, the kernels of every Dense "
                "layer at every snapshot (fit the estimator with record_all_kernels=True)."
            )
        n_features = None
        if weight_history is not None:
            n_features = check_history(weight_history).shape[1]
        stacks = _check_kernels_history(kernels_history, n_features)
        formula = garson if method == "garson" else olden
        scores = np.array([formula([stack[t] for stack in stacks]) for t in range(len(stacks[0]))])
    else:
        if weight_history is None:
            raise ValueError(f"The {method!r} path needs weight_history.")
        history = check_history(weight_history)
        initial = None
        if method == "displacement":
            if initial_weights is None:
                raise ValueError(
                    "The 'displacement' path needs initial_weights, the recorded kernel "
                    "before training."
                )
            initial = np.asarray(initial_weights, dtype=np.float64)
            if initial.shape != history.shape[1:]:
                raise ValueError(
                    f"initial_weights has shape {initial.shape}, but the weight history's "
                    f"kernel has shape {history.shape[1:]} (n_features, n_units)."
                )
        scores = _trajectory_scores(
            history, method, initial_weights=initial, burn_in=burn_in, ddof=int(ddof)
        )
    if normalize:
        totals = scores.sum(axis=1, keepdims=True)
        uniform = np.full_like(scores, 1.0 / scores.shape[1])
        scores = np.divide(scores, totals, out=uniform, where=totals > 0)
    names = check_feature_names(feature_names, scores.shape[1])
    index = pd.RangeIndex(1, len(scores) + 1, name="snapshot")
    return pd.DataFrame(scores, index=index, columns=pd.Index(names, name="feature"))


def _as_frame(path, name):
    if isinstance(path, pd.DataFrame):
        frame = path
    else:
        values = np.asarray(path, dtype=np.float64)
        if values.ndim != 2:
            raise ValueError(f"{name} must be 2-d (n_snapshots, n_features); got {values.shape}.")
        frame = pd.DataFrame(values, index=pd.RangeIndex(1, len(values) + 1, name="snapshot"))
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(f"{name} must not be empty; got shape {frame.shape}.")
    if not np.isfinite(frame.to_numpy(dtype=np.float64)).all():
        raise ValueError(f"{name} contains NaN or infinity.")
    return frame


@validate_params({"path": ["array-like"]}, prefer_skip_nested_validation=True)
def ranking_path(path):
    """The rank of every feature in every row of an importance path.

    Parameters
    ----------
    path : pandas.DataFrame or array-like of shape (n_snapshots, n_features)
        Importances per snapshot, e.g. from :func:`importance_path`.

    Returns
    -------
    pandas.DataFrame of shape (n_snapshots, n_features)
        Integer ranks with the index and columns of ``path``: 1 for the most important
        feature of the row, ties sharing the best rank.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import importance_path, ranking_path
    >>> H = np.zeros((4, 2, 1))
    >>> H[:, 0, 0] = [0.0, 1.0, 1.0, 1.0]
    >>> H[:, 1, 0] = [0.0, 0.0, 2.0, 3.0]
    >>> ranking_path(importance_path(H))  # the first row: nothing moved yet, a tie
    feature   x0  x1
    snapshot
    1          1   1
    2          1   2
    3          2   1
    4          2   1
    """
    frame = _as_frame(path, "path")
    ranks = rank_descending(frame.to_numpy(dtype=np.float64), axis=1)
    return pd.DataFrame(ranks, index=frame.index, columns=frame.columns)


@validate_params(
    {"path": ["array-like"], "top_k": _TOP_K, "ranks": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def ranking_settled_at(path, *, top_k=None, ranks=False):
    """The first row of a path from which its top-k ranking never changes again.

    The *top-k ranking* of a row is which features hold the first ``top_k`` places and in
    which order (ties included). The settled row is the one right after the last change;
    the first row if the ranking never changed, the last row if it changed at the very end
    (then the ranking has not settled).

    Parameters
    ----------
    path : pandas.DataFrame or array-like of shape (n_snapshots, n_features)
        Importances per snapshot (:func:`importance_path`), or ranks with ``ranks=True``.
    top_k : int, default=None
        Number of leading places compared; None compares the whole ranking. Values above
        the number of features compare the whole ranking too.
    ranks : bool, default=False
        Whether ``path`` already holds ranks (:func:`ranking_path`).

    Returns
    -------
    label
        The index label of the settled row (a snapshot number for :func:`importance_path`
        output, the row position from 1 for an array).

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import ranking_settled_at
    >>> path = np.array([[0.5, 0.3, 0.2], [0.3, 0.5, 0.2], [0.4, 0.5, 0.1], [0.3, 0.6, 0.1]])
    >>> ranking_settled_at(path)  # rows 2, 3, 4 rank the features 2, 1, 3
    2
    >>> ranking_settled_at(path, top_k=1)
    2
    >>> ranking_settled_at(path[:, [0, 2]])  # feature 0 always first of these two
    1
    """
    frame = _as_frame(path, "path")
    values = frame.to_numpy(dtype=np.float64)
    order = values.astype(np.int64) if ranks else rank_descending(values, axis=1)
    signature = top_k_ranks(order, top_k)
    changed = np.flatnonzero((signature[1:] != signature[:-1]).any(axis=1))
    position = int(changed[-1]) + 1 if changed.size else 0
    label = frame.index[position]
    return label.item() if isinstance(label, np.generic) else label
