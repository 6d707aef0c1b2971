"""The pair test of the interaction noise test: every pair of features against the two
pairs that swap one member for its shadow, on the kernels of shadow rounds.

A pair ``(a, b)`` is compared with ``(a, shadow b)`` and ``(shadow a, b)``: a shadow has
its feature's distribution and no relation to anything. When ``b`` is noise, ``(a, b)``
and ``(a, shadow b)`` are alike, so a pair involving a noise column is confirmed no more
often than the level allows. The pooled statistic of :mod:`._pvalues` turns each
comparison into a p-value; a pair must beat both to be confirmed and is rejected only
when it falls below both. Benjamini-Hochberg adjusts over the pairs.
"""

from itertools import combinations

import numpy as np
import pandas as pd

from ..importance._interactions import aggregate_interactions, nid_interactions
from ._pvalues import adjust, decide, shadow_pvalues

__all__ = ["pair_test"]


def _round_strength(kernels, members, group_score):
    """One round's NID strengths of every (real and shadow) feature group."""
    n_columns = kernels[0].shape[0] // 2
    both = [*members, *[idx + n_columns for idx in members]]
    return aggregate_interactions(nid_interactions(kernels), both, group_score=group_score)


def pair_test(round_kernels, group_names, members, *, group_score="mean", alpha=0.05):
    """Test every pair of feature groups on the kernels of shadow rounds.

    ``round_kernels`` are the trained kernels of the rounds of a shadow noise test
    (``round_kernels`` of :func:`importance_significance`'s result, or this module's own
    rounds), whose inputs were the network's columns followed by their shadows. Returns
    the summary DataFrame of :func:`interaction_significance`.
    """
    if any(kernels is None for kernels in round_kernels):
        raise ValueError(
            "The interaction test reads NID from every round's kernels, but the network is "
            "not a plain stack of Dense layers."
        )
    strengths = [_round_strength(kernels, members, group_score) for kernels in round_kernels]
    own, beside_a, beside_b = _pair_tables(strengths, len(group_names))
    confirm, reject = _pair_pvalues(own, beside_a, beside_b)
    pvalues, rejection = adjust(confirm, None, "bh"), adjust(reject, None, "bh")
    return _summary(group_names, own, beside_a, beside_b, confirm, pvalues, rejection, alpha)


def _pair_tables(strengths, n_groups):
    """Per round and pair: its strength, and those with one member's shadow instead."""
    pairs = list(combinations(range(n_groups), 2))
    a = np.array([first for first, _ in pairs], dtype=np.intp)
    b = np.array([second for _, second in pairs], dtype=np.intp)
    stack = np.stack(strengths)
    return stack[:, a, b], stack[:, a, b + n_groups], stack[:, a + n_groups, b]


def _pair_pvalues(own, beside_a, beside_b):
    """Confirmation and rejection p-values: the weaker of the two comparisons."""
    confirm_a, reject_a, _ = shadow_pvalues(own, beside_a, "pooled")
    confirm_b, reject_b, _ = shadow_pvalues(own, beside_b, "pooled")
    return np.maximum(confirm_a, confirm_b), np.maximum(reject_a, reject_b)


def _summary(names, own, beside_a, beside_b, confirm, pvalues, rejection, alpha):
    """One row per pair, strongest first."""
    pairs = list(combinations(names, 2))
    index = pd.MultiIndex.from_tuples(pairs or [], names=["feature_a", "feature_b"])
    strength = own.mean(axis=0)
    shadows = np.maximum(beside_a.mean(axis=0), beside_b.mean(axis=0))
    with np.errstate(divide="ignore", invalid="ignore"):
        units = np.where(shadows > 0, strength / shadows, np.nan)
    summary = pd.DataFrame(
        {
            "strength": strength,
            "noise_units": units,
            "pvalue": pvalues,
            "pvalue_uncorrected": confirm,
            "decision": decide(pvalues, rejection, alpha),
        },
        index=index,
    )
    return summary.sort_values("strength", ascending=False, kind="stable")
