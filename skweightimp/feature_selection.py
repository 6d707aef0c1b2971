"""Feature selection in a Pipeline: keep the features whose importance beats noise.

:class:`WeightTrajectorySelector` runs :func:`skweightimp.inspection.importance_significance`
in ``fit`` and keeps the confirmed features. scikit-learn's
:class:`~sklearn.feature_selection.SelectFromModel` keeps working on the estimators too; it
keeps features above an importance threshold instead of above a noise floor.
"""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, clone
from sklearn.feature_selection import SelectorMixin
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._math import default_feature_names
from ._pipeline import is_ours
from ._significance import NULLS, importance_significance
from .importance import IMPORTANCE_METHODS

__all__ = ["WeightTrajectorySelector"]


class WeightTrajectorySelector(SelectorMixin, MetaEstimatorMixin, BaseEstimator):
    """Keep the features whose importance is significantly above noise.

    ``fit`` runs :func:`~skweightimp.inspection.importance_significance` on ``(X, y)``
    with the given ``estimator`` and keeps the features it confirms (``keep="confirmed"``)
    or does not reject (``keep="tentative"``). A feature group of the estimator's
    ``feature_groups`` parameter (e.g. the one-hot columns of one category) is tested,
    kept or dropped as a whole, scored by the estimator's ``group_score``.

    Parameters
    ----------
    estimator : WeightTrajectoryRegressor or WeightTrajectoryClassifier
        The network whose importances are tested; it is cloned. Its preprocessing, if
        any, goes before the selector in the Pipeline.
    method : str, default=None
        The importance method the decision uses, one of ``IMPORTANCE_METHODS`` of
        :mod:`skweightimp.importance`; None uses the estimator's ``importance_method``.
    null : {"shadow", "permutation"}, default="shadow"
        The null hypothesis of the test: shuffled shadow features (Boruta) or a permuted
        target (Olden & Jackson's randomization test).
    n_rounds : int, default=20
        Fits under the null. The permutation null needs ``n_features / alpha - 1``
        rounds before it can confirm anything; see
        :func:`~skweightimp.inspection.importance_significance`.
    alpha : float, default=0.05
        Family-wise error rate of the decisions (Holm's correction), in ``(0, 1)``.
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
        threshold.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp import WeightTrajectoryRegressor
    >>> from skweightimp.feature_selection import WeightTrajectorySelector
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(100, 3))
    >>> y = 2 * X[:, 0] + 0.1 * rng.normal(size=100)  # only x0 matters
    >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=5, batch_size=16,
    ...                                 learning_rate=0.05, importance_method="olden")
    >>> selector = WeightTrajectorySelector(est, n_rounds=6, random_state=0).fit(X, y)
    >>> selector.get_support()
    array([ True, False, False])
    >>> selector.transform(X).shape
    (100, 1)
    >>> selector.get_feature_names_out()
    array(['x0'], dtype=object)
    >>> selector.significance_.decision.tolist()
    ['confirmed', 'tentative', 'tentative']
    """

    _parameter_constraints = {
        # Checked in fit, where the error can say what to do with a Pipeline.
        "estimator": [HasMethods(["fit"])],
        "method": [StrOptions(set(IMPORTANCE_METHODS)), None],
        "null": [StrOptions(set(NULLS))],
        "n_rounds": [Interval(Integral, 1, None, closed="left")],
        "alpha": [Interval(Real, 0, 1, closed="neither")],
        "keep": [StrOptions({"confirmed", "tentative"})],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        estimator,
        *,
        method=None,
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
        return self

    def _get_support_mask(self):
        check_is_fitted(self, "support_")
        return self.support_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags
