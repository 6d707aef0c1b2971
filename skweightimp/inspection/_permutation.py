"""Permutation importance of feature groups, on the columns the network sees.

scikit-learn's :func:`~sklearn.inspection.permutation_importance` shuffles one column at a
time; a categorical feature is several one-hot columns, which must be shuffled together
(the rows of the whole group move as one). :class:`GroupPermuter` presents each group to
it as one column of row indices and rebuilds the network's input from them.
"""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.inspection import permutation_importance

__all__ = ["GroupPermuter", "group_permutation_scores"]


class GroupPermuter(BaseEstimator):
    """Presents each feature group as one column of row indices.

    Permuting column ``g`` of the index matrix moves the rows of every column of group ``g``
    together, so :func:`sklearn.inspection.permutation_importance` (its scorers, repeats,
    seeding and parallelism unchanged) measures the group as a whole: a one-hot encoded
    feature is permuted as the one categorical column it came from.
    """

    def __init__(self, final, X_model, members):
        self.final = final
        self.X_model = X_model
        self.members = members

    def __sklearn_tags__(self):
        return self.final.__sklearn_tags__()

    @property
    def classes_(self):
        return self.final.classes_

    def __sklearn_is_fitted__(self):
        return True

    def fit(self, *args, **kwargs):
        # permutation_importance only accepts objects with fit; this one wraps a fitted
        # model and is never trained.
        return self

    def _rebuild(self, index):
        index = np.asarray(index, dtype=np.intp)
        X = np.empty((len(index), self.X_model.shape[1]), dtype=self.X_model.dtype)
        for g, columns in enumerate(self.members):
            X[:, columns] = self.X_model[np.ix_(index[:, g], columns)]
        names = getattr(self.final, "feature_names_in_", None)
        # A model fitted on a DataFrame warns when it predicts on a bare array.
        return X if names is None else pd.DataFrame(X, columns=names)

    def predict(self, index):
        return self.final.predict(self._rebuild(index))

    def predict_proba(self, index):
        return self.final.predict_proba(self._rebuild(index))

    def score(self, index, y, sample_weight=None):
        return self.final.score(self._rebuild(index), y, sample_weight=sample_weight)


def group_permutation_scores(final, X_model, y, members, **kwargs):
    """Permutation importance of every feature group on the network's own columns."""
    n_samples = X_model.shape[0]
    index = np.tile(np.arange(n_samples)[:, np.newaxis], (1, len(members)))
    result = permutation_importance(GroupPermuter(final, X_model, members), index, y, **kwargs)
    return result.importances_mean, result.importances_std
