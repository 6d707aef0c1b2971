"""What a fitted estimator reads from its recorded weights: importances, the report of
every statistic, the scores of each method, the feature names.

Private: a mixin of :class:`skweightimp.estimators._base.WeightTrajectoryBase`, documented through
the public estimators of :mod:`skweightimp.estimators`.
"""

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import StrOptions, validate_parameter_constraints
from sklearn.utils.validation import check_is_fitted

from ..callbacks._recording import dense_kernels
from ..importance._groups import grouped_report, resolve_feature_groups
from ..importance._interactions import (
    aggregate_interactions,
    interaction_path,
    mixed_difference_interactions,
    nid_interactions,
)
from ..importance._methods import (
    IMPORTANCE_METHODS,
    discard_burn_in,
    importance_report,
    method_scores,
    normalize_importances,
    supported_method_scores,
)
from ..importance._moments import WeightMoments
from ..importance._path import importance_path as path_of_history
from ..utils._names import default_feature_names
from ..utils._validation import BURN_IN
from ._gradients import mixed_input_differences

#: Constraints of the parameters that only change how a fitted network is read: checked
#: at fit like every parameter, and again when read, since they may be set after fit.
READING_CONSTRAINTS = {
    "importance_method": [StrOptions(set(IMPORTANCE_METHODS))],
    "burn_in": BURN_IN,
}


# The rows the "gradient" interactions read: each costs two backward passes per feature.
_INTERACTION_ROWS = 1000
# The step of the differences, in standard deviations of the input (fixed before any
# benchmark ran; a quarter keeps the step inside the bulk of a standardised input).
_DIFFERENCE_STEP = 0.25


class WeightReadingMixin:
    """The reading API of a fitted estimator, computed from ``weight_moments_`` (or
    ``weight_history_``), ``initial_weights_`` and the trained ``model_``."""

    @property
    def feature_importances_(self):
        """Importance of each input feature by ``importance_method``; sums to 1.

        An ndarray of shape ``(n_features,)``: the raw scores of ``importance_method``
        divided by their total, so non-negative and summing to 1, as for scikit-learn's
        tree ensembles (what :class:`~sklearn.feature_selection.SelectFromModel` reads).
        By default the normalised grouped weight standard deviation: for each feature,
        the standard deviation over the snapshots of each of its weights, summed over the
        units. If no weight moved, the importances are uniform and a
        :class:`~skweightimp.importance.ConstantWeightsWarning` says why. The formulas of
        every method are in the user guide's "The method" page; how far to trust them
        is measured on its "When to trust it" page: on real data with planted noise the
        default put noise columns in its top 5, ``importance_method="olden"`` did not.
        """
        return normalize_importances(self.importance_scores(self.importance_method))

    @property
    def importance_report_(self):
        """A DataFrame of every weight statistic and importance method, one row per feature.

        Rows are named by ``feature_names_in_`` (else ``x0, x1, ...``), or by group with
        ``feature_groups`` (a group's numbers made from its columns' by ``group_score``,
        by default their mean). Columns: ``importance`` and ``rank`` (by
        ``importance_method``), ``weight_std``, the seed notebook's barrage metrics
        ``len``, ``max``, ``sum``, ``mean``, ``stdev`` and ``n_degenerate_units``,
        ``final_mean_weight``, ``final_abs_weight``, ``net_change``, and the raw score of
        every method: ``viann``, ``displacement``, ``garson``, ``olden``. ``garson`` is
        NaN unless the network has exactly one hidden layer, ``garson`` and ``olden`` are
        NaN for a model that is not a plain stack of Dense layers, and
        ``importance_report_.attrs["notes"]`` says why. Computed on first access and
        cached until the next fit (or a change of the reading parameters or of the
        trained weights). See :func:`skweightimp.importance.importance_report`.
        """
        moments = self._weight_moments()
        try:
            kernels, reason = self._dense_kernels(), None
        except ValueError as error:
            if self.importance_method in ("garson", "olden"):
                raise
            kernels, reason = None, str(error)
        # The report is kept until something it is computed from changes: the reading
        # parameters, the trained kernels (the model can be changed after fit with
        # set_weights, and Garson's and Olden's columns must follow it as
        # feature_importances_ does) or the record itself. Every fit replaces
        # weight_moments_ by a new object, so holding it (by reference: its identity cannot
        # be reused while held) makes a new fit a cache miss without anyone resetting it.
        key = (
            tuple(self.barrage_domain),
            self.barrage_num,
            self.barrage_threshold,
            self.importance_method,
            self.burn_in,
            None if kernels is None else tuple(kernel.tobytes() for kernel in kernels),
        )
        cache = getattr(self, "_report_cache", None)
        if cache is None or cache[0] is not self.weight_moments_ or cache[1] != key:
            report = importance_report(
                moments,
                feature_names=self.feature_names_,
                domain=tuple(self.barrage_domain),
                num=self.barrage_num,
                threshold=self.barrage_threshold,
                method=self.importance_method,
                initial_weights=self.initial_weights_,
                kernels=kernels,
                **self._gradient_record(),
            )
            if reason is not None:
                report.attrs["notes"].update(garson=reason, olden=reason)
            cache = self._report_cache = (self.weight_moments_, key, report)
        report = cache[2].copy()
        if self.feature_groups:
            names, members = resolve_feature_groups(report.index, self.feature_groups)
            report = grouped_report(report, members, names, group_score=self.group_score)
        return report

    @property
    def importance_methods_(self):
        """Names of the importance methods this fitted network supports, in report order.

        A tuple drawn from ``"weight_std"``, ``"viann"``, ``"displacement"``,
        ``"garson"``, ``"olden"`` and ``"gradient"``: every method
        whose scores :meth:`importance_scores` can compute for this model (Garson's method
        needs exactly one hidden layer, Garson's and Olden's a plain stack of ``Dense``
        layers).

        Examples
        --------
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=40, n_features=3, random_state=0)
        >>> reg = WeightTrajectoryRegressor(hidden_layer_sizes=(4, 4), epochs=2,
        ...                                 random_state=0).fit(X, y)
        >>> reg.importance_methods_
        ('weight_std', 'viann', 'displacement', 'olden', 'gradient')
        """
        moments = self._weight_moments()
        try:
            kernels = self._dense_kernels()
        except ValueError:
            kernels = None  # not a plain Dense stack: no Garson, no Olden
        scores = supported_method_scores(
            moments,
            initial_weights=self.initial_weights_,
            kernels=kernels,
            **self._gradient_record(),
        )
        return tuple(scores)

    def importance_scores(self, method=None):
        """Unnormalised scores of one importance method, one per input column.

        Parameters
        ----------
        method : str, default=None
            One of ``"weight_std"``, ``"viann"``, ``"displacement"``, ``"garson"``,
            ``"olden"``, ``"gradient"``; ``None`` means the
            estimator's ``importance_method``.

        Returns
        -------
        scores : ndarray of shape (n_features,)
            The method's raw scores in the order of :attr:`feature_names_`
            (:attr:`feature_importances_` is the same divided by its total).

        Raises
        ------
        ValueError
            If the method is unknown or this model cannot support it; the message says why.

        Examples
        --------
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=40, n_features=3, random_state=0)
        >>> reg = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=2,
        ...                                 random_state=0).fit(X, y)
        >>> reg.importance_scores("olden").shape
        (3,)
        """
        # Validates importance_method too: it may have been set after fit.
        moments = self._weight_moments()
        method = self._chosen_method(method, "importance_scores")
        kernels = self._dense_kernels() if method in ("garson", "olden") else None
        return method_scores(
            method,
            moments,
            initial_weights=self.initial_weights_,
            kernels=kernels,
            **self._gradient_record(),
        )

    def importance_path(self, method=None):
        """The importances that the first ``t`` snapshots give, for every snapshot ``t``.

        Row ``t`` is the ``feature_importances_`` this method would have given had
        training stopped after snapshot ``t`` (``burn_in`` applied to every prefix); the
        last row is the current one. Rank it with
        :func:`skweightimp.importance.ranking_path`, find where the ranking settled
        with :func:`skweightimp.importance.ranking_settled_at`, draw it with
        :class:`skweightimp.ImportancePathDisplay`. One pass over the history,
        ``O(n_snapshots * n_features * n_units)``.

        Parameters
        ----------
        method : str, default=None
            One of ``"weight_std"``, ``"viann"``, ``"displacement"``, ``"garson"``,
            ``"olden"``, ``"gradient"``; None means the
            estimator's ``importance_method``.

        Returns
        -------
        path : pandas.DataFrame of shape (n_snapshots, n_features)
            One row per snapshot, indexed by epoch (``record_every="epoch"``) or by
            snapshot number, one column per input column (:attr:`feature_names_`;
            ``feature_groups`` are not merged); each row sums to 1.

        Raises
        ------
        ValueError
            For ``"weight_std"``, ``"viann"`` and ``"displacement"`` after a fit with
            ``store_history=False`` (a running summary of the whole training cannot give
            an earlier prefix); for ``"garson"`` and ``"olden"`` without
            ``record_all_kernels=True``.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=40, n_features=3, random_state=0)
        >>> reg = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=5,
        ...                                 record_all_kernels=True, random_state=0)
        >>> path = reg.fit(X, y).importance_path("olden")
        >>> path.shape, path.index.name
        ((5, 3), 'epoch')
        >>> bool(np.allclose(path.iloc[-1], reg.set_params(importance_method="olden")
        ...                  .feature_importances_))
        True
        """
        self._weight_moments()  # fitted, trained, and the reading parameters valid
        method = self._chosen_method(method, "importance_path")
        if method == "gradient":
            raise ValueError(
                "The 'gradient' method reads the trained network's input gradients, which "
                "are computed once, after training, not at every snapshot: it has no "
                "importance path. Follow a weight method's path instead."
            )
        if method in ("garson", "olden"):
            if self.kernels_history_ is None:
                raise ValueError(
                    f"The importance path of {method!r} needs the kernels of every Dense "
                    "layer at every snapshot, but the estimator was fitted with "
                    "record_all_kernels=False. Fit with record_all_kernels=True."
                )
            path = path_of_history(
                None,
                method=method,
                kernels_history=self.kernels_history_,
                feature_names=self.feature_names_,
            )
        else:
            path = path_of_history(
                self._require_weight_history(f"importance_path({method!r})"),
                method=method,
                initial_weights=self.initial_weights_,
                burn_in=self.burn_in,
                feature_names=self.feature_names_,
            )
        if self.record_every == "epoch":
            path.index = path.index.rename("epoch")
        return path

    def interaction_scores(self, method=None, X=None):
        """Pairwise interaction strength of the features: which ones the network joins.

        ``"nid"`` (Neural Interaction Detection, Tsang et al. 2018) reads it from the
        trained weights of every Dense layer: a hidden unit of the first layer joins two
        inputs as strongly as the weaker of their two connections to it, weighted by the
        unit's influence on the output (:func:`skweightimp.importance.nid_interactions`).
        ``"gradient"`` reads it from the fitted function on the rows of ``X``: the mean
        absolute mixed second difference of the prediction, times both inputs' standard
        deviations (:func:`skweightimp.importance.mixed_difference_interactions`; steps
        of a quarter standard deviation, on up to 1,000 rows, two backward passes per
        feature). The user guide's "Interactions" page says how they compare, and why a
        network trained with ``kernel_l1=1e-4`` reads better than one trained with a strong
        ``first_layer_l1`` (mean AUC 0.94 against 0.80 on its benchmark).

        With ``feature_groups``, the strength of two groups combines those of their
        columns' pairs by ``group_score``, as the importances of a group are combined
        (:func:`skweightimp.importance.aggregate_interactions`).

        Parameters
        ----------
        method : {"nid", "gradient"}, default=None
            None means ``"nid"``.
        X : array-like of shape (n_samples, n_features), default=None
            The rows ``"gradient"`` averages over (e.g. the training data); ignored by
            ``"nid"``.

        Returns
        -------
        scores : pandas.DataFrame of shape (n_features, n_features)
            Symmetric, zero on the diagonal, rows and columns named after the features
            (:attr:`feature_names_`, or the groups). Strengths are comparable within one
            network and method, not across them. :func:`skweightimp.importance.interaction_pairs`
            lists the pairs strongest first; :func:`skweightimp.inspection.interaction_significance`
            tests them against noise.

        Raises
        ------
        ValueError
            For a model that is not a plain stack of Dense layers (``"nid"``), or
            ``"gradient"`` without ``X``.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> X = np.random.default_rng(0).normal(size=(200, 3))
        >>> y = X[:, 0] * X[:, 1] + X[:, 2]
        >>> reg = WeightTrajectoryRegressor(hidden_layer_sizes=(8,), epochs=3, random_state=0)
        >>> scores = reg.fit(X, y).interaction_scores()
        >>> scores.shape, bool(np.allclose(scores, scores.T)), float(scores.loc["x0", "x0"])
        ((3, 3), True, 0.0)
        """
        validate_parameter_constraints(
            {"method": [StrOptions({"nid", "gradient"}), None], "X": ["array-like", None]},
            {"method": method, "X": X},
            caller_name=f"{type(self).__name__}.interaction_scores",
        )
        if method == "gradient":
            strength = self._mixed_difference_strength(X)
        else:
            strength = nid_interactions(self._dense_kernels())
        names, strength = self._grouped_interactions(strength)
        index = pd.Index(names, name="feature")
        return pd.DataFrame(strength, index=index, columns=index.rename(None))

    def interaction_path(self):
        """The NID interaction strengths after every recorded snapshot.

        When during training an interaction formed: entry ``t`` is
        :meth:`interaction_scores` (``"nid"``) of the network as it was at snapshot
        ``t``. Needs every layer recorded (``record_all_kernels=True``).

        Returns
        -------
        path : pandas.DataFrame of shape (n_snapshots, n_pairs)
            One row per snapshot, indexed by epoch (``record_every="epoch"``) or by
            snapshot number; one column per unordered pair of features (or groups), a
            MultiIndex ``(feature_a, feature_b)`` in the order of the features.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> X = np.random.default_rng(0).normal(size=(200, 3))
        >>> y = X[:, 0] * X[:, 1]
        >>> reg = WeightTrajectoryRegressor(hidden_layer_sizes=(8,), epochs=4,
        ...                                 record_all_kernels=True, random_state=0)
        >>> path = reg.fit(X, y).interaction_path()
        >>> path.shape, path.index.name, path.columns[0]
        ((4, 3), 'epoch', ('x0', 'x1'))
        """
        check_is_fitted(self, "weight_moments_")
        if self.kernels_history_ is None:
            raise ValueError(
                "The interaction path needs the kernels of every Dense layer at every "
                "snapshot, but the estimator was fitted with record_all_kernels=False. "
                "Fit with record_all_kernels=True."
            )
        names, path = self._grouped_interactions(interaction_path(self.kernels_history_))
        upper_i, upper_j = np.triu_indices(len(names), k=1)
        columns = pd.MultiIndex.from_arrays(
            [[names[i] for i in upper_i], [names[j] for j in upper_j]],
            names=["feature_a", "feature_b"],
        )
        index_name = "epoch" if self.record_every == "epoch" else "snapshot"
        first = 1 if self.record_every == "epoch" else 0
        index = pd.RangeIndex(first, first + len(path), name=index_name)
        return pd.DataFrame(path[:, upper_i, upper_j], index=index, columns=columns)

    def _grouped_interactions(self, strength):
        """``(names, strength)`` with ``feature_groups`` applied to the last two axes."""
        if not self.feature_groups:
            return self.feature_names_, strength
        names, members = resolve_feature_groups(self.feature_names_, self.feature_groups)
        return names, aggregate_interactions(strength, members, group_score=self.group_score)

    def _mixed_difference_strength(self, X):
        if X is None:
            raise ValueError(
                "interaction_scores(method='gradient') reads the fitted function on rows: "
                "pass X (for example the training data)."
            )
        check_is_fitted(self, "model_")
        X_valid, _ = self._validate_input(X, None, reset=False)
        X_valid = np.asarray(self.feature_encoder_.transform(X_valid))
        if len(X_valid) > _INTERACTION_ROWS:
            rng = np.random.default_rng(getattr(self, "_seed", None))
            X_valid = X_valid[np.sort(rng.choice(len(X_valid), _INTERACTION_ROWS, replace=False))]
        scale = X_valid.std(axis=0, dtype=np.float64)
        steps = _DIFFERENCE_STEP * np.where(scale > 0, scale, 1.0)
        mixed = mixed_input_differences(self.model_, X_valid, steps)
        return mixed_difference_interactions(mixed, scale)

    def _gradient_record(self):
        """What the "gradient" method reads of the fit (None before the first fit)."""
        return {
            "input_gradients": getattr(self, "input_gradients_", None),
            "input_scale": getattr(self, "input_scale_", None),
        }

    def _chosen_method(self, method, caller):
        """``method``, or the estimator's ``importance_method`` when None; checked."""
        validate_parameter_constraints(
            {"method": [StrOptions(set(IMPORTANCE_METHODS)), None]},
            {"method": method},
            caller_name=f"{type(self).__name__}.{caller}",
        )
        return self.importance_method if method is None else method

    def _weight_moments(self):
        """The per-weight trajectory summary every importance is computed from.

        With ``burn_in``, the snapshots of the first ``burn_in`` fraction of training are
        left out, which needs the stored history.
        """
        check_is_fitted(self, "weight_moments_")
        moments = self.weight_moments_
        if moments is None:
            raise AttributeError("The network was initialised but not trained yet.")
        if moments.count == 0:
            raise ValueError(
                f"No weight snapshot has been recorded: record_every={self.record_every!r} "
                "takes one every that many training batches, and the network has been "
                "trained for fewer. Use a smaller record_every or train longer."
            )
        # Read after fit, so they may have been set since: check them here too.
        validate_parameter_constraints(
            READING_CONSTRAINTS,
            {"importance_method": self.importance_method, "burn_in": self.burn_in},
            caller_name=type(self).__name__,
        )
        if self.burn_in:
            # A running summary cannot forget the snapshots it has already folded in.
            history = self._require_weight_history(f"burn_in={self.burn_in!r}")
            return WeightMoments.from_history(discard_burn_in(history, self.burn_in))
        return moments

    def _require_weight_history(self, purpose="this"):
        """Return ``weight_history_``, or explain that the fit did not store it.

        For code that needs every snapshot (plots of the trajectories, for instance)
        rather than their summary ``weight_moments_``.
        """
        check_is_fitted(self, "weight_moments_")
        if self.weight_history_ is None:
            raise ValueError(
                f"{purpose} needs the stored weight history, but {type(self).__name__} was "
                "fitted with store_history=False, which keeps only the per-weight summary "
                "(weight_moments_). Fit with store_history=True to keep every snapshot."
            )
        return self.weight_history_

    def _dense_kernels(self):
        """The trained kernels of the whole network, for Garson's and Olden's methods."""
        check_is_fitted(self, "model_")
        return dense_kernels(self.model_, n_features=self.n_features_in_)

    @property
    def feature_names_(self):
        """Names of the columns the network reads, as a list of str.

        ``feature_names_in_`` when ``X`` had string column names at fit, else
        ``x0, x1, ...``: the row names of :attr:`importance_report_`.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> reg = WeightTrajectoryRegressor(hidden_layer_sizes=(2,), epochs=1, random_state=0)
        >>> reg.fit(np.zeros((8, 2)), np.arange(8.0)).feature_names_
        ['x0', 'x1']
        """
        check_is_fitted(self, "n_features_in_")
        names = getattr(self, "feature_names_in_", None)
        if names is not None:
            return list(names)
        return default_feature_names(self.n_features_in_)
