"""The interaction noise test: which pairs of features the network joins more strongly
than it joins a feature with noise. Its rounds are the importance noise test's shadow
rounds (:mod:`._significance`); its pair test is :mod:`._pairs`.
"""

import math
import warnings

from sklearn.base import is_classifier
from sklearn.utils import Bunch
from sklearn.utils._param_validation import HasMethods, StrOptions, validate_params

from ..estimators._replicas import replica_plan
from ..importance._groups import resolve_feature_groups
from ..utils._validation import Integer
from ._pairs import pair_test
from ._significance import ROUND_CONSTRAINTS, fit_rounds, network_input, plan_rounds, sample_size

__all__ = ["interaction_significance"]


def _warn_if_powerless(n_rounds, n_pairs, alpha):
    """Warn when no pair can be confirmed alone: the pooled null holds ``n_rounds *
    n_pairs`` draws, so a lone pair's p-value is at least ``1 / (1 + n_rounds * n_pairs)``,
    ``n_pairs`` times that after Benjamini-Hochberg."""
    smallest = n_pairs / (1 + n_rounds * n_pairs)
    if n_pairs and smallest > alpha:
        warnings.warn(
            f"With n_rounds={n_rounds} the smallest p-value a lone pair can get, corrected "
            f"over {n_pairs} pairs, is {smallest:.3g} > alpha={alpha}: no pair can be "
            f"confirmed unless many are. Use n_rounds >= {math.ceil(1 / alpha)}.",
            UserWarning,
            stacklevel=3,
        )


@validate_params(
    {
        "estimator": [HasMethods(["fit"])],
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "method": [StrOptions({"nid"}), None],
        "n_rounds": [Integer(2, None, closed="left")],
        **ROUND_CONSTRAINTS,
    },
    prefer_skip_nested_validation=False,
)
def interaction_significance(
    estimator,
    X,
    y,
    *,
    method=None,
    n_rounds=20,
    alpha=0.05,
    feature_groups="auto",
    group_score="mean",
    random_state=None,
    n_jobs=None,
    replicas="auto",
    max_samples=None,
):
    """Test which pairs of features the network joins more strongly than noise.

    Each of ``n_rounds`` rounds trains a clone of the estimator's network on ``X`` beside
    shadow columns (every feature's rows shuffled on their own), as the rounds of
    :func:`importance_significance` do, and reads the NID strength of every pair
    (:func:`skweightimp.importance.nid_interactions`). A pair is confirmed when it is
    stronger than both pairs that replace one of its members by that member's shadow,
    by the pooled statistic of the importance test (in noise units, Benjamini-Hochberg
    over the pairs); rejected when weaker than both; tentative otherwise. A pair that
    involves a noise column is confirmed with probability about ``alpha`` at most.

    What a confirmation means: the network joins the two features beyond what it joins a
    feature with noise. NID also joins two features that each have an effect of their own
    a little (they share hidden units), so a confirmed pair deserves a look at a
    partial-dependence plot of the pair; the user guide's "Interactions" page shows how
    often that happens on data whose truth is known, and why the network to test is one
    trained with ``kernel_l1=1e-4`` rather than a strong ``first_layer_l1``.

    Parameters
    ----------
    estimator : WeightTrajectoryRegressor, WeightTrajectoryClassifier or Pipeline
        An estimator of this package whose network is a plain stack of Dense layers, or
        a Pipeline ending in one (its preprocessing is fitted once on all the rows). It
        need not be fitted; its parameters are used, not its weights.
    X : array-like of shape (n_samples, n_features)
        The data.
    y : array-like of shape (n_samples,)
        The target.
    method : {"nid"}, default=None
        The interaction strength tested; None means ``"nid"``, the only one a round's
        network gives without more passes over its data.
    n_rounds : int, default=20
        Number of trainings (at least 2). A pair alone above noise can be confirmed
        from ``1 / alpha`` rounds on (20 at the default level); fewer warn.
    alpha : float, default=0.05
        Level of the decisions, after Benjamini-Hochberg.
    feature_groups : "auto", dict or None, default="auto"
        Columns tested as one feature (the one-hot columns of a categorical column with
        "auto", see :func:`skweightimp.importance.resolve_feature_groups`). A group's
        shadow is its rows shuffled together.
    group_score : {"mean", "sum", "rss"}, default="mean"
        How the strengths of two groups' column pairs become one
        (:func:`skweightimp.importance.aggregate_interactions`).
    random_state : int, RandomState instance or None, default=None
        Seeds the shadows and the networks.
    n_jobs : int, default=None
        Parallel groups of replicas (or separate fits).
    replicas : "auto", bool, default="auto"
        Train the rounds as replicas of one Keras model (see
        :func:`importance_significance`).
    max_samples : int, float or None, default=None
        Rows each round trains on (a float: the share of the rows); None: all of them.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        - ``scores`` : Series of each pair's mean strength over the rounds, indexed by
          ``(feature_a, feature_b)`` (a MultiIndex), strongest first;
        - ``pvalues`` : Series, the adjusted confirmation p-values, same index;
        - ``decision`` : Series of ``"confirmed"``, ``"tentative"`` or ``"rejected"``;
        - ``summary`` : DataFrame of the three, with the uncorrected p-value and the
          ratio of each pair's strength to its shadows' (``noise_units``);
        - ``method``, ``n_rounds``, ``alpha``, ``replicas``, ``training`` (how the
          rounds trained), ``n_samples`` (rows per round).

    See Also
    --------
    importance_significance : The same test for features.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp import WeightTrajectoryRegressor
    >>> from skweightimp.inspection import interaction_significance
    >>> X = np.random.default_rng(0).normal(size=(300, 4))
    >>> y = X[:, 0] * X[:, 1]
    >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(16,), epochs=10)
    >>> result = interaction_significance(est, X, y, n_rounds=20, random_state=0)
    >>> result.decision.index[0], len(result.decision)
    (('x0', 'x1'), 6)
    """
    fitted_preprocessor, final, X_model, names = network_input(estimator, X, y)
    group_names, members = resolve_feature_groups(
        names, feature_groups, preprocessor=fitted_preprocessor
    )
    n_groups = len(group_names)
    _warn_if_powerless(n_rounds, n_groups * (n_groups - 1) // 2, alpha)
    sample = sample_size(max_samples, X_model.shape[0], "shadow", is_classifier(final))
    plan = plan_rounds(random_state, "shadow", n_rounds)
    use_replicas, training = replica_plan(replicas, final)
    fits = fit_rounds(final, X_model, y, members, group_score, plan, sample, use_replicas, n_jobs)
    summary = pair_test(
        [fit["kernels"] for fit in fits],
        group_names,
        members,
        group_score=group_score,
        alpha=alpha,
    )
    return Bunch(
        scores=summary["strength"],
        pvalues=summary["pvalue"],
        decision=summary["decision"],
        summary=summary,
        method="nid",
        n_rounds=n_rounds,
        alpha=alpha,
        replicas=use_replicas,
        training=training,
        n_samples=X_model.shape[0] if sample is None else sample.size,
    )


# Its public home: the API reference and the doctests find it there.
interaction_significance.__module__ = "skweightimp.inspection"
