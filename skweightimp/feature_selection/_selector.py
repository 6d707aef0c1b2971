"""Feature selection in a Pipeline: keep the features whose importance beats noise.

:class:`WeightTrajectorySelector` runs :func:`skweightimp.inspection.importance_significance`
in ``fit`` and keeps the confirmed features. scikit-learn's
:class:`~sklearn.feature_selection.SelectFromModel` and
:class:`~sklearn.feature_selection.RFE` keep working on the estimators too; they keep
features above an importance threshold (or the most important ones) instead of above a
noise floor, reading ``feature_importances_`` unless given an ``importance_getter``.
"""

import warnings
from numbers import Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.feature_selection import SelectorMixin
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ..inspection._significance import METHOD_OPTIONS, NULLS, importance_significance, rounds_needed
from ..utils._names import default_feature_names
from ..utils._pipeline import is_ours
from ..utils._validation import RANDOM_STATE, Integer

__all__ = ["WeightTrajectorySelector"]


class WeightTrajectorySelector(SelectorMixin, MetaEstimatorMixin, BaseEstimator):
    """Keep the features whose importance is significantly above noise.

    ``fit`` runs :func:`~skweightimp.inspection.importance_significance` on ``(X, y)``
    with the given ``estimator`` and keeps the features it confirms (``keep="confirmed"``)
    or does not reject (``keep="tentative"``). A feature group of the estimator's
    ``feature_groups`` parameter (e.g. the one-hot columns of one category) is tested,
    kept or dropped as a whole, scored by the estimator's ``group_score``.

    The test decides by default (``method="auto"``) with the importance method the
    benchmarks recommend, :func:`skweightimp.importance.recommended_method` (today Olden's
    connection weights), not with the estimator's ``importance_method``, which stays what
    ``feature_importances_`` reports. When no feature is kept, ``fit`` warns (a
    UserWarning naming the method, the rounds, ``alpha`` and what to try) and
    ``transform`` returns no columns, with scikit-learn's own warning.

    Parameters
    ----------
    estimator : WeightTrajectoryRegressor or WeightTrajectoryClassifier
        The network whose importances are tested; it is cloned. Its preprocessing, if
        any, goes before the selector in the Pipeline.
    method : "auto", str or None, default="auto"
        The importance method the decision uses. ``"auto"``: the method the benchmarks
        recommend, :func:`skweightimp.importance.recommended_method` (today
        ``"olden"``), or, if the model cannot support it, the first it supports of
        ``"olden"``, the estimator's ``importance_method`` and ``"weight_std"``
        (Garson's method needs exactly one hidden layer, Garson's and Olden's a plain
        stack of Dense layers). A method of
        :func:`skweightimp.importance.method_scores`: that method. None: the estimator's
        ``importance_method`` (``"weight_std"`` unless set, the score of
        ``feature_importances_``). ``significance_.method`` says which method decided.
    null : {"shadow", "permutation"}, default="shadow"
        The null hypothesis of the test: shuffled shadow features (Boruta) or a permuted
        target (Olden & Jackson's randomization test).
    n_rounds : int, default=20
        Fits under the null. The shadow null needs about ``1 / alpha`` rounds (20 at
        ``alpha=0.05``), the permutation null ``n_features / alpha - 1``, before a
        feature can be confirmed on its own; see
        :func:`~skweightimp.inspection.importance_significance`.
    alpha : float, default=0.05
        Error rate of the decisions, in ``(0, 1)``: the expected share of noise among
        the confirmed features (the test's Benjamini-Hochberg correction).
    keep : {"confirmed", "tentative"}, default="confirmed"
        ``"confirmed"`` keeps the features confirmed above noise; ``"tentative"`` keeps
        every feature not rejected (confirmed and tentative).
    random_state : int, RandomState instance or None, default=None
        Seeds of the test's shuffles and fits; an int makes the selection reproducible.
    n_jobs : int, default=None
        The test's separate fits run in parallel; None means 1 unless in a
        ``joblib.parallel_config``. (Its rounds usually train together as replicas of one
        Keras model, in this process; see
        :func:`~skweightimp.inspection.importance_significance`.)

    Attributes
    ----------
    significance_ : :class:`~sklearn.utils.Bunch`
        What :func:`~skweightimp.inspection.importance_significance` returned: scores,
        p-values and ``decision`` per feature.
    support_ : ndarray of shape (n_features,) of bool
        The kept features.
    estimator_ : estimator
        A clone of ``estimator`` fitted on all the features: the permutation test's
        observed fit, or, with the shadow null, one more fit.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features,)
        Names of features seen during fit, when X had string column names.

    See Also
    --------
    skweightimp.inspection.importance_significance : The test itself.
    sklearn.feature_selection.SelectFromModel : Keeps features above an importance
        threshold. It reads ``feature_importances_`` (the estimator's
        ``importance_method``); with ``importance_getter=methodcaller(
        "importance_scores", recommended_method())`` it reads the recommended method
        (see Examples).
    sklearn.feature_selection.RFE : Drops the least important features a step at a
        time; takes the same ``importance_getter``.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp import WeightTrajectoryRegressor
    >>> from skweightimp.feature_selection import WeightTrajectorySelector
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(100, 3))
    >>> y = 2 * X[:, 0] + 0.1 * rng.normal(size=100)  # only x0 matters
    >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=5, batch_size=16,
    ...                                 learning_rate=0.05, random_state=0)
    >>> selector = WeightTrajectorySelector(est, n_rounds=20, random_state=0).fit(X, y)
    >>> selector.significance_.method  # method="auto": the recommended method decides
    'gradient'
    >>> selector.get_support()
    array([ True, False, False])
    >>> selector.transform(X).shape
    (100, 1)
    >>> selector.get_feature_names_out()
    array(['x0'], dtype=object)
    >>> selector.significance_.decision.tolist()
    ['confirmed', 'tentative', 'tentative']

    scikit-learn's selectors read ``feature_importances_``; an ``importance_getter``
    makes them read the recommended method instead (``methodcaller`` pickles, a lambda
    does not):

    >>> from operator import methodcaller
    >>> from sklearn.feature_selection import RFE, SelectFromModel
    >>> from skweightimp.importance import recommended_method
    >>> getter = methodcaller("importance_scores", recommended_method())
    >>> SelectFromModel(est, importance_getter=getter).fit(X, y).get_support()
    array([ True, False, False])
    >>> rfe = RFE(est, n_features_to_select=1, importance_getter=getter).fit(X, y)
    >>> rfe.ranking_
    array([1, 2, 3])
    """

    _parameter_constraints = {
        # Checked in fit, where the error can say what to do with a Pipeline.
        "estimator": [HasMethods(["fit"])],
        "method": METHOD_OPTIONS,
        "null": [StrOptions(set(NULLS))],
        "n_rounds": [Integer(1, None, closed="left")],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "keep": [StrOptions({"confirmed", "tentative"})],
        "random_state": RANDOM_STATE,
        "n_jobs": [Integer(None, None, closed="neither"), None],
    }

    def __init__(
        self,
        estimator,
        *,
        method="auto",
        null="shadow",
        n_rounds=20,
        alpha=0.05,
        keep="confirmed",
        random_state=None,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.method = method
        self.null = null
        self.n_rounds = n_rounds
        self.alpha = alpha
        self.keep = keep
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, X, y):
        """Test every feature against noise and keep those that pass.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The training data (numbers: encode categories before the selector).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            The target.

        Returns
        -------
        self : object
            The fitted selector.
        """
        self._validate_params()
        if not is_ours(self.estimator):
            raise TypeError(
                "WeightTrajectorySelector: estimator must be a WeightTrajectoryRegressor or "
                f"WeightTrajectoryClassifier; got {type(self.estimator).__name__}. Put the "
                "preprocessing before the selector in the Pipeline."
            )
        X, y = validate_data(self, X, y, multi_output=True, ensure_min_samples=2)
        names = getattr(self, "feature_names_in_", None)
        if names is None:
            names = default_feature_names(self.n_features_in_)
            # The estimator's feature_groups name the columns, so they need names.
            named = pd.DataFrame(X, columns=names) if self.estimator.feature_groups else X
        else:
            names = [str(name) for name in names]
            named = pd.DataFrame(X, columns=names)
        significance = importance_significance(
            self.estimator,
            named,
            y,
            method=self.method,
            null=self.null,
            n_rounds=self.n_rounds,
            alpha=self.alpha,
            feature_groups=self.estimator.feature_groups,
            group_score=self.estimator.group_score,
            random_state=self.random_state,
            n_jobs=self.n_jobs,
        )
        kept = {"confirmed"} if self.keep == "confirmed" else {"confirmed", "tentative"}
        position = {name: i for i, name in enumerate(names)}
        support = np.zeros(self.n_features_in_, dtype=bool)
        for feature, decision in significance.decision.items():
            if decision in kept:
                support[[position[c] for c in significance.columns[feature]]] = True
        if self.null == "permutation":
            self.estimator_ = significance.pop("estimator")
        else:
            self.estimator_ = clone(self.estimator).fit(named, y)
        self.significance_ = significance
        self.support_ = support
        if not support.any():
            warnings.warn(self._nothing_kept_message(significance), UserWarning, stacklevel=2)
        return self

    def _nothing_kept_message(self, significance):
        """Why no feature was kept, and what to try, in words."""
        method, rounds, alpha = significance.method, significance.n_rounds, significance.alpha
        decision = significance.decision
        n_tentative = int((decision == "tentative").sum())
        summary = significance.summary
        closest = summary.sort_values(["pvalue", "hits"], ascending=[True, False]).iloc[0]
        if self.keep == "confirmed":
            what = (
                f"no feature was confirmed above noise (closest: {closest.name!r}, "
                f"{closest.hits} hits in {rounds} rounds, adjusted p-value "
                f"{closest.pvalue:.3g})"
            )
        else:
            what = "every feature was rejected as below noise"
        more_rounds = max(2 * rounds, rounds_needed(significance.null, len(decision), alpha))
        tips = [f"more rounds (n_rounds={more_rounds})", "more training (estimator__epochs)"]
        if self.keep == "confirmed" and n_tentative:
            tips.append(f'keep="tentative" (keeps the {n_tentative} features not rejected)')
        confirming = [
            name
            for name in significance.pvalues.columns
            if name != method and (significance.pvalues[name] <= alpha).any()
        ]
        if confirming:
            counts = ", ".join(
                f"{(significance.pvalues[name] <= alpha).sum()} with method={name!r}"
                for name in confirming
            )
            tips.append(f"another method (the same rounds confirmed {counts})")
        else:
            tips.append("another method (no other method confirmed any in these rounds)")
        return (
            f"WeightTrajectorySelector kept no feature: with method={method!r} "
            f"(method={self.method!r}), null={significance.null!r}, n_rounds={rounds} and "
            f"alpha={alpha}, {what}. Try {', '.join(tips[:-1])} or {tips[-1]}. "
            "significance_.summary shows every feature's test."
        )

    def _get_support_mask(self):
        check_is_fitted(self, "support_")
        return self.support_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags
