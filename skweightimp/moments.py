"""Running statistics of a weight trajectory, the summary every moment-based score needs.

Pure NumPy. :class:`WeightMoments` holds, for every ``(feature, unit)`` weight, what the
importance formulas read off its trajectory: the number of snapshots, their mean and sum of
squared deviations (Welford's ``M2``), the first and last snapshot, and the extremes. It is
built either from a stored history (:meth:`WeightMoments.from_history`) or one snapshot at a
time (:meth:`WeightMoments.update`), so memory can stay ``O(n_features * n_units)`` however
long training runs.
"""

import numpy as np

__all__ = ["WeightMoments"]


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
    >>> from skweightimp.moments import WeightMoments
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
        NumPy's ``std`` gives, rather than the streaming update.
        """
        history = np.asarray(weight_history, dtype=np.float64)
        if history.ndim != 3 or history.shape[0] == 0:
            raise ValueError(
                "weight_history must be a non-empty array of shape (n_snapshots, "
                f"n_features, n_units); got shape {history.shape}."
            )
        moments = cls(history.shape[1:])
        moments.count = history.shape[0]
        moments.mean = history.mean(axis=0)
        moments.m2 = ((history - moments.mean) ** 2).sum(axis=0)
        moments.first = history[0].copy()
        moments.last = history[-1].copy()
        moments.min = history.min(axis=0)
        moments.max = history.max(axis=0)
        return moments

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
        """Variance of each weight; 0 where fewer than ``ddof + 1`` snapshots were seen."""
        if self.count <= ddof:
            return np.zeros(self.shape)
        return self.m2 / (self.count - ddof)

    def std(self, ddof=1):
        """Standard deviation of each weight (see :meth:`var`)."""
        # Rounding in Welford's update can leave a tiny negative M2 for a constant weight.
        return np.sqrt(np.maximum(self.var(ddof), 0.0))

    def __repr__(self):
        return f"WeightMoments(shape={self.shape}, count={self.count})"
