"""Running statistics of a weight trajectory, the summary every moment-based score needs.

Pure NumPy. :class:`WeightMoments` holds, for every ``(feature, unit)`` weight, what the
importance formulas read off its trajectory: the number of snapshots, their mean and sum of
squared deviations (Welford's ``M2``), the first and last snapshot, and the extremes. It is
built from a stored history (:meth:`WeightMoments.from_history`), one snapshot at a time
(:meth:`WeightMoments.update`), or by merging the summaries of consecutive runs of
snapshots (:meth:`WeightMoments.merge`), so memory can stay ``O(n_features * n_units)``
however long training runs.
"""

import numpy as np

__all__ = ["WeightMoments"]

# float64 values of one working block in from_history (32 MB).
_CHUNK_VALUES = 4_000_000


class WeightMoments:
    """Per-weight running statistics over recorded snapshots.

    Parameters
    ----------
    shape : tuple of int
        ``(n_features, n_units)``, the shape of one snapshot of the kernel.

    Attributes
    ----------
    count : int
        Number of snapshots seen.
    mean : ndarray of shape (n_features, n_units)
        Mean of each weight over the snapshots.
    m2 : ndarray of shape (n_features, n_units)
        Sum of squared deviations from the mean (Welford's ``M2``); the variance is
        ``m2 / (count - ddof)``.
    first, last : ndarray of shape (n_features, n_units) or None
        The first and last snapshot seen; None before any.
    min, max : ndarray of shape (n_features, n_units)
        Smallest and largest value of each weight.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.importance import WeightMoments
    >>> H = np.array([[[0.0, 1.0]], [[2.0, 1.0]], [[4.0, 1.0]]])
    >>> streamed = WeightMoments(H.shape[1:])
    >>> for snapshot in H:
    ...     _ = streamed.update(snapshot)
    >>> streamed.std()
    array([[2., 0.]])
    >>> np.allclose(streamed.std(), WeightMoments.from_history(H).std())
    True
    """

    def __init__(self, shape):
        shape = tuple(int(s) for s in shape)
        if len(shape) != 2:
            raise ValueError(f"shape must be (n_features, n_units); got {shape}.")
        self.shape = shape
        self.count = 0
        self.mean = np.zeros(shape)
        self.m2 = np.zeros(shape)
        self.first = None
        self.last = None
        self.min = np.full(shape, np.inf)
        self.max = np.full(shape, -np.inf)

    @classmethod
    def from_history(cls, weight_history):
        """Summarise a stored history of shape ``(n_snapshots, n_features, n_units)``.

        Uses two passes over the array (mean, then squared deviations), the same numbers
        NumPy's ``std`` gives, rather than the streaming update. The history is read a
        block of features at a time, so the float64 working copy stays small (about
        ``_CHUNK_VALUES`` values) however long the history is.
        """
        history = weight_history
        if not isinstance(history, np.ndarray) or history.dtype.kind != "f":
            history = np.asarray(history, dtype=np.float64)
        if history.ndim != 3 or history.shape[0] == 0:
            raise ValueError(
                "weight_history must be a non-empty array of shape (n_snapshots, "
                f"n_features, n_units); got shape {history.shape}."
            )
        n_snapshots, n_features, n_units = history.shape
        moments = cls((n_features, n_units))
        moments.count = n_snapshots
        moments.first = history[0].astype(np.float64)
        moments.last = history[-1].astype(np.float64)
        # min/max are exact in the stored dtype; no float64 copy needed.
        moments.min = history.min(axis=0).astype(np.float64)
        moments.max = history.max(axis=0).astype(np.float64)
        rows_per_chunk = max(1, _CHUNK_VALUES // max(1, n_snapshots * n_units))
        for start in range(0, n_features, rows_per_chunk):
            rows = slice(start, start + rows_per_chunk)
            block = history[:, rows].astype(np.float64)
            mean = block.sum(axis=0) / n_snapshots
            block -= mean
            np.square(block, out=block)
            moments.mean[rows] = mean
            moments.m2[rows] = block.sum(axis=0)
        return moments

    def merge(self, other):
        """Add the snapshots summarised by ``other``, which came after this summary's.

        Chan, Golub and LeVeque's pairwise combination of counts, means and ``M2``: the
        result is the summary of both runs of snapshots, in order (``first`` from this
        one, ``last`` from ``other``), to float rounding. Updates in place and returns
        ``self``.

        Parameters
        ----------
        other : WeightMoments
            The summary of the snapshots that followed this summary's, of the same shape.

        Returns
        -------
        self : WeightMoments
            This summary, now of both runs of snapshots.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp.importance import WeightMoments
        >>> H = np.random.default_rng(0).normal(size=(10, 2, 3))
        >>> merged = WeightMoments.from_history(H[:4]).merge(WeightMoments.from_history(H[4:]))
        >>> merged.count, np.allclose(merged.std(), H.std(axis=0, ddof=1))
        (10, True)
        >>> np.array_equal(merged.first, H[0]), np.array_equal(merged.last, H[-1])
        (True, True)
        """
        if not isinstance(other, WeightMoments):
            raise TypeError(f"can only merge a WeightMoments; got {type(other).__name__}.")
        if other.shape != self.shape:
            raise ValueError(f"cannot merge shape {other.shape} into {self.shape}.")
        if other.count == 0:
            return self
        if self.count == 0:
            self.count = other.count
            self.mean = other.mean.copy()
            self.m2 = other.m2.copy()
            self.first = other.first.copy()
            self.last = other.last.copy()
            self.min = other.min.copy()
            self.max = other.max.copy()
            return self
        total = self.count + other.count
        delta = other.mean - self.mean
        self.mean += delta * (other.count / total)
        delta *= delta
        delta *= self.count * other.count / total
        self.m2 += other.m2
        self.m2 += delta
        self.count = total
        self.last = other.last.copy()
        np.minimum(self.min, other.min, out=self.min)
        np.maximum(self.max, other.max, out=self.max)
        return self

    def copy(self):
        """An independent copy (the arrays are copied).

        Returns
        -------
        WeightMoments
            A summary equal to this one that shares no array with it.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp.importance import WeightMoments
        >>> moments = WeightMoments.from_history(np.arange(12.0).reshape(3, 2, 2))
        >>> clone = moments.copy()
        >>> _ = clone.update(np.zeros((2, 2)))  # moves the copy only
        >>> moments.count, clone.count, np.shares_memory(moments.mean, clone.mean)
        (3, 4, False)
        """
        clone = WeightMoments(self.shape)
        return clone.merge(self)

    def update(self, snapshot):
        """Add one snapshot of shape ``(n_features, n_units)`` (Welford's update)."""
        x = np.asarray(snapshot, dtype=np.float64)
        if x.shape != self.shape:
            raise ValueError(f"snapshot has shape {x.shape}; expected {self.shape}.")
        self.count += 1
        delta = x - self.mean
        self.mean += delta / self.count
        self.m2 += delta * (x - self.mean)
        if self.first is None:
            self.first = x.copy()
        self.last = x.copy()
        np.minimum(self.min, x, out=self.min)
        np.maximum(self.max, x, out=self.max)
        return self

    def var(self, ddof=1):
        """Variance of each weight; 0 where fewer than ``ddof + 1`` snapshots were seen.

        Parameters
        ----------
        ddof : int, default=1
            Delta degrees of freedom: the divisor is ``count - ddof``.

        Returns
        -------
        ndarray of shape (n_features, n_units)
            The variance of every weight over the snapshots.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp.importance import WeightMoments
        >>> moments = WeightMoments.from_history(np.array([[[1.0]], [[2.0]], [[3.0]]]))
        >>> moments.var(), moments.var(ddof=0)
        (array([[1.]]), array([[0.66666667]]))
        >>> WeightMoments((1, 1)).var()  # no snapshot yet
        array([[0.]])
        """
        if self.count <= ddof:
            return np.zeros(self.shape)
        return self.m2 / (self.count - ddof)

    def std(self, ddof=1):
        """Standard deviation of each weight (see :meth:`var`)."""
        # Rounding in Welford's update can leave a tiny negative M2 for a constant weight.
        return np.sqrt(np.maximum(self.var(ddof), 0.0))

    def __repr__(self):
        return f"WeightMoments(shape={self.shape}, count={self.count})"
