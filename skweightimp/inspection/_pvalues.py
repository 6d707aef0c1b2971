"""The p-values of a test against shadow columns: the pooled statistic in noise units
(or the count of rounds above the best shadow), the multiple-testing adjustments
(Benjamini-Hochberg, Holm) and the three-way decision. Shared by the importance and the
interaction noise tests. Pure NumPy and SciPy.
"""

import numpy as np
from scipy import stats

__all__ = ["adjust", "bh", "decide", "holm", "pooled_reference", "shadow_pvalues"]


def pooled_reference(own, shadow):
    """The pooled statistic of the shadow null: each feature's statistic and the null
    draws it is compared with.

    ``own`` and ``shadow`` are of shape (n_rounds, n_features), column ``j`` of
    ``shadow`` the shadow of feature ``j``. A feature's *noise unit* is the mean score of
    its own shadow over the rounds. Returns ``(statistic, reference)``: each feature's
    mean score over the rounds in its noise unit (NaN when the unit is 0), and every
    shadow's score in each round in its feature's noise unit, that unit taken over the
    other rounds (leave one out, so that a draw does not shrink itself); flattened, the
    draws whose unit is 0 left out, sorted. Every method's scores are non-negative, so a
    unit is 0 only when a shadow never scored (a constant column).
    """
    own = np.asarray(own, dtype=np.float64)
    shadow = np.asarray(shadow, dtype=np.float64)
    n_rounds = own.shape[0]
    unit = shadow.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(unit > 0, own.mean(axis=0) / unit, np.nan)
        if n_rounds < 2:
            return statistic, np.empty(0)
        others = (shadow.sum(axis=0) - shadow) / (n_rounds - 1)
        reference = shadow / others
    reference = reference[(others > 0) & np.isfinite(reference)]
    return statistic, np.sort(reference)


def shadow_pvalues(own, shadow, test):
    """The shadow null's uncorrected p-values, from the scores of the rounds.

    ``own`` and ``shadow`` are of shape (n_rounds, n_features): each feature's score and
    its own shadow's score in each round. Returns ``(confirm, reject, hits)``, arrays of
    shape (n_features,).

    - ``test="pooled"``: the statistic and the null draws of :func:`pooled_reference`
      (every score in its feature's noise unit, the mean score of its own shadow);
      ``confirm = (1 + #(draws >= statistic)) / (1 + #draws)`` and ``reject`` the same
      with ``<=``; a feature whose unit is 0 gets 1 for both. ``hits`` counts the rounds
      in which a feature scored above its own shadow (it does not enter the p-values).
    - ``test="max"``: ``hits`` counts the rounds in which a feature scored above every
      shadow of the round; ``confirm`` and ``reject`` are the binomial tests of the hits
      against 1/2 (more, fewer).

    >>> import numpy as np
    >>> from skweightimp.inspection._pvalues import shadow_pvalues
    >>> own = np.array([[9.0, 1.0], [8.0, 0.5], [7.0, 2.5]])  # 3 rounds, 2 features
    >>> shadow = np.array([[1.0, 2.0], [1.5, 1.0], [0.5, 1.5]])
    >>> confirm, reject, hits = shadow_pvalues(own, shadow, "pooled")
    >>> hits.tolist(), confirm.round(3).tolist()  # feature 0: 8 times its noise unit
    ([3, 1], [0.143, 0.714])
    >>> shadow_pvalues(own, shadow, "max")[2].tolist()  # the best shadow: 2, 1.5, 1.5
    [3, 1]
    """
    own = np.asarray(own, dtype=np.float64)
    shadow = np.asarray(shadow, dtype=np.float64)
    n_rounds = own.shape[0]
    if test == "pooled":
        hits = (own > shadow).sum(axis=0)
        statistic, reference = pooled_reference(own, shadow)
        n = reference.size
        above = n - np.searchsorted(reference, statistic, side="left")
        below = np.searchsorted(reference, statistic, side="right")
        missing = np.isnan(statistic)
        confirm = np.where(missing, 1.0, (1 + above) / (1 + n))
        reject = np.where(missing, 1.0, (1 + below) / (1 + n))
    else:
        hits = (own > shadow.max(axis=1, keepdims=True)).sum(axis=0)
        confirm = [stats.binomtest(int(h), n_rounds, 0.5, "greater").pvalue for h in hits]
        reject = [stats.binomtest(int(h), n_rounds, 0.5, "less").pvalue for h in hits]
    return (
        np.asarray(confirm, dtype=float),
        np.asarray(reject, dtype=float),
        np.asarray(hits, dtype=int),
    )


def holm(pvalues):
    """Holm's step-down adjustment: adjusted p-values, family-wise error rate control.

    The k-th smallest of m p-values is multiplied by ``m - k + 1``; the result is made
    non-decreasing in that order and capped at 1.
    """
    pvalues = np.asarray(pvalues, dtype=float)
    m = pvalues.size
    order = np.argsort(pvalues, kind="stable")
    stepped = np.maximum.accumulate((m - np.arange(m)) * pvalues[order])
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


def bh(pvalues):
    """Benjamini and Hochberg's step-up adjustment: adjusted p-values, false discovery
    rate control.

    The k-th smallest of m p-values is multiplied by ``m / k``; the result is made
    non-decreasing in that order from the largest down and capped at 1.

    >>> from skweightimp.inspection._pvalues import bh
    >>> bh([0.01, 0.04, 0.03, 0.005]).tolist()
    [0.02, 0.04, 0.04, 0.02]
    """
    pvalues = np.asarray(pvalues, dtype=float)
    m = pvalues.size
    order = np.argsort(pvalues, kind="stable")
    scaled = pvalues[order] * m / np.arange(1, m + 1)
    stepped = np.minimum.accumulate(scaled[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted


_ADJUST = {"bh": bh, "holm": holm}


def adjust(pvalues, testable, correction):
    """``correction`` over the testable features only; an untestable one keeps p = 1.

    >>> import numpy as np
    >>> from skweightimp.inspection._pvalues import adjust
    >>> adjust(np.array([0.02, 1.0, 0.01]), np.array([True, False, True]), "bh").tolist()
    [0.02, 1.0, 0.02]
    """
    pvalues = np.asarray(pvalues, dtype=float)
    if testable is None:
        return _ADJUST[correction](pvalues)
    adjusted = np.ones_like(pvalues)
    adjusted[testable] = _ADJUST[correction](pvalues[testable])
    return adjusted


def decide(confirm_adjusted, reject_adjusted, alpha):
    decision = np.full(confirm_adjusted.shape, "tentative", dtype=object)
    decision[reject_adjusted <= alpha] = "rejected"
    decision[confirm_adjusted <= alpha] = "confirmed"
    return decision
