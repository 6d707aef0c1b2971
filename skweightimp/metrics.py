"""The seed notebook's own accuracy measure for regression."""

import numpy as np

__all__ = ["ratio_accuracy_score"]


def ratio_accuracy_score(y_true, y_pred, *, round_predictions=True):
    """Mean of ``min(y, p) / max(y, p)`` in percent, the seed notebook's "correct to" score.

    Each prediction ``p`` is rounded to an integer first (as the notebook does) and
    compared with its target ``y``: an exact match scores 100, otherwise the smaller of
    the two divided by the larger. Meant for positive targets such as the seed's; a pair
    whose larger value is 0 scores 100 when both are 0 and 0 otherwise (the notebook
    divides by zero there).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Targets.
    y_pred : array-like of shape (n_samples,)
        Predictions.
    round_predictions : bool, default=True
        Round predictions to integers first, as the notebook does.

    Returns
    -------
    float
        The mean score: 100 at best, between 0 and 100 when targets and predictions
        are non-negative, negative when they have opposite signs (as in the notebook).

    Examples
    --------
    >>> from skweightimp.metrics import ratio_accuracy_score
    >>> ratio_accuracy_score([100, 200], [100.2, 100])
    75.0
    """
    y_true = np.asarray(y_true, dtype=np.float64).ravel()
    y_pred = np.asarray(y_pred, dtype=np.float64).ravel()
    if y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError(
            f"y_true and y_pred must be non-empty and of the same length; got "
            f"{y_true.size} and {y_pred.size}."
        )
    if round_predictions:
        y_pred = np.round(y_pred)
    low = np.minimum(y_true, y_pred)
    high = np.maximum(y_true, y_pred)
    equal = y_true == y_pred
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(equal, 1.0, np.where(high != 0, low / high, 0.0))
    return float(100.0 * ratio.mean())
