"""How far to trust an importance: its stability, a reference beside it, a noise floor.

:func:`cross_validate_importances` refits the estimator on cross-validation folds and
measures how much the importances and their ranking move, and how well each fold agrees
with permutation importance on its held-out part (agreement between folds alone cannot
tell a real ranking from an artifact every fold shares). The folds train as separate
fits run by joblib, or together as replicas of one Keras model
(:mod:`skweightimp.estimators._replicas`); either way each fitted fold is then evaluated
alike, and the statistics across folds are computed from those evaluations.
:func:`compare_importances` puts the trajectory importance next to permutation
importance and the classic weight methods on held-out data. The noise test,
:func:`importance_significance`, lives in :mod:`skweightimp.inspection._significance`;
:func:`cross_validate_importances` runs it on request.

They accept one of this package's estimators, or a Pipeline whose last step is one; the
features are then the columns that reach the network (``get_feature_names_out`` of the
steps before it), optionally grouped with ``feature_groups``.
"""

import time
from numbers import Integral
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.base import clone, is_classifier
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.pipeline import Pipeline
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._indexing import _safe_indexing
from sklearn.utils._param_validation import Interval, RealNotInt, StrOptions, validate_params
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from ..estimators._replicas import fit_estimator_replicas, replica_plan
from ..estimators._training import adopt_replica
from ..importance._groups import aggregate_importances, resolve_feature_groups
from ..importance._methods import IMPORTANCE_METHODS
from ..utils._math import rank_descending
from ..utils._names import model_feature_names
from ..utils._pipeline import split_pipeline
from ..utils._seeds import draw_seeds
from ..utils._validation import FEATURE_GROUPS, GROUP_SCORE, RANDOM_STATE, Integer
from ._permutation import group_permutation_scores
from ._significance import importance_significance

__all__ = [
    "METHODS",
    "compare_importances",
    "cross_validate_importances",
    "importance_significance",
]


def _split(estimator):
    """Return ``(preprocessor or None, final estimator)``, checking the final step is ours."""
    return split_pipeline(estimator, caller="skweightimp.inspection")


def _check_fitted(estimator, final):
    check_is_fitted(estimator if isinstance(estimator, Pipeline) else final)
    check_is_fitted(final)


def _random_state_param(estimator):
    if isinstance(estimator, Pipeline):
        return f"{estimator.steps[-1][0]}__random_state"
    return "random_state"


def _normalise(scores):
    total = scores.sum()
    return scores / total if total > 0 else scores


class _FoldEvaluation(NamedTuple):
    """What every fold is evaluated with once fitted."""

    scorer: object
    feature_groups: object
    group_score: str
    return_estimator: bool


def _fit_fold(estimator, X, y, train, test, evaluation, permutation, fit_params):
    start = time.perf_counter()
    estimator.fit(_safe_indexing(X, train), _safe_indexing(y, train), **fit_params)
    fit_time = time.perf_counter() - start
    return _evaluate_fold(estimator, X, y, test, fit_time, evaluation, permutation)


def _evaluate_fold(estimator, X, y, test, fit_time, evaluation, permutation):
    """A fitted fold's importances, test score and permutation importance."""
    preprocessor, final = _split(estimator)
    names = model_feature_names(preprocessor, final)
    group_names, members = resolve_feature_groups(
        names, evaluation.feature_groups, preprocessor=preprocessor
    )
    # Renormalised, as feature_importances_ are: the mean of a group's shares is not one.
    importances = _normalise(
        aggregate_importances(
            final.feature_importances_, members, group_score=evaluation.group_score
        )
    )
    X_test, y_test = _safe_indexing(X, test), _safe_indexing(y, test)
    score = evaluation.scorer(estimator, X_test, y_test)
    fold = {
        "importances": importances,
        "feature_names": group_names,
        "test_score": score,
        "fit_time": fit_time,
        "estimator": estimator if evaluation.return_estimator else None,
        "permutation": None,
    }
    if permutation is not None:
        X_model = preprocessor.transform(X_test) if preprocessor is not None else X_test
        fold["permutation"], _ = group_permutation_scores(
            final, check_array(X_model, dtype=np.float64), y_test, members, **permutation
        )
    return fold


def _spearman(a, b):
    """Spearman correlation of two score vectors; NaN when either has no ranking."""
    if np.ptp(a) == 0 or np.ptp(b) == 0 or not (np.isfinite(a).all() and np.isfinite(b).all()):
        return np.nan
    return float(stats.spearmanr(a, b)[0])


def _pairwise(rows, statistic):
    n = len(rows)
    out = np.eye(n)
    for i in range(n):
        for j in range(i + 1, n):
            # A fold whose importances are all equal has no ranking to agree with: NaN.
            if np.ptp(rows[i]) == 0 or np.ptp(rows[j]) == 0:
                value = np.nan
            else:
                value = statistic(rows[i], rows[j])[0]
            out[i, j] = out[j, i] = value
    return out


def _replica_reason(estimator, y, splits, fit_params):
    """Why these folds cannot train as replicas (beyond the estimator's own settings)."""
    _, final = _split(estimator)
    sizes = [len(train) for train, _ in splits]
    if final.record_all_kernels:
        return "record_all_kernels=True keeps every layer's kernels, which replicas do not"
    if fit_params:
        return "params= passes fit arguments to each fold"
    if max(sizes) - min(sizes) > 1:
        return (
            f"the folds' training sets have {min(sizes)} to {max(sizes)} rows (replicas "
            "take the same number of batches, so the sizes may differ by one row at most)"
        )
    if is_classifier(final):
        classes = [set(np.unique(_safe_indexing(y, train)).tolist()) for train, _ in splits]
        if any(c != classes[0] for c in classes[1:]):
            return "the folds' training sets do not all hold the same classes"
    return None


def _fold_seed(final):
    """The ``random_state`` a fold's network is built with, as an int."""
    seed = final.random_state
    if isinstance(seed, (Integral, np.integer)):
        return int(seed)
    # None: an unseeded network, as a separate fit would build.
    return draw_seeds(check_random_state(seed))


def _replica_folds(clones, X, y, splits, evaluation, permutations, seed, n_jobs):
    """Every fold's network trained as replicas (one Keras model per group of folds)."""
    prepared = []
    for estimator, (train, _) in zip(clones, splits, strict=True):
        preprocessor, final = _split(estimator)
        X_train, y_train = _safe_indexing(X, train), _safe_indexing(y, train)
        # Fits the Pipeline's own preprocessing steps on the fold, as its fit would.
        X_net = X_train if preprocessor is None else preprocessor.fit_transform(X_train, y_train)
        # Builds the fold's encoders and untrained network, and checks its data with the
        # messages a fit would give, before anything trains.
        final.initialize(X_net, y_train)
        prepared.append((final, X_net, y_train))
    # A training set one row short is padded with a copy of its first row, weighted 0.
    n_rows = max(len(y_train) for _, _, y_train in prepared)
    inputs, targets, weights = [], [], []
    for _, X_net, y_train in prepared:
        X_net, y_train = check_array(X_net, dtype=np.float64, input_name="X"), np.asarray(y_train)
        pad = n_rows - len(y_train)
        inputs.append(np.concatenate([X_net, X_net[:pad]]))
        targets.append(np.concatenate([y_train, y_train[:pad]]))
        weights.append(np.r_[np.ones(len(y_train)), np.zeros(pad)])
    padded = any(len(y_train) < n_rows for _, _, y_train in prepared)
    start = time.perf_counter()
    records = fit_estimator_replicas(
        prepared[0][0],
        list(zip(inputs, targets, strict=True)),
        [_fold_seed(final) for final, _, _ in prepared],
        sample_weight=weights if padded else None,
        random_state=seed,
        n_jobs=n_jobs,
    )
    fit_time = (time.perf_counter() - start) / len(clones)  # the one fit, shared out
    folds = []
    for estimator, (final, _, _), record, (_, test), permutation in zip(
        clones, prepared, records, splits, permutations, strict=True
    ):
        adopt_replica(final, record)
        folds.append(_evaluate_fold(estimator, X, y, test, fit_time, evaluation, permutation))
    return folds


def _separate_folds(clones, X, y, splits, evaluation, permutations, fit_params, parallel):
    """Every fold's clone fitted on its own, the folds run by ``parallel``."""
    return parallel(
        delayed(_fit_fold)(estimator, X, y, train, test, evaluation, permutation, fit_params)
        for estimator, (train, test), permutation in zip(clones, splits, permutations, strict=True)
    )


def _check_splits(cv, X, y, groups, estimator):
    """The folds' ``(train, test)`` indices, at least two of them."""
    cv = check_cv(cv, y, classifier=is_classifier(estimator))
    splits = list(cv.split(X, y, groups))
    if len(splits) < 2:
        raise ValueError(
            f"cv must make at least two splits to compare importances across folds; it "
            f"made {len(splits)}."
        )
    return splits


class _FoldSeeds(NamedTuple):
    """The seeds of the folds' permutations, of the significance test and of the
    replicas' shuffling (None when ``random_state`` is None)."""

    permutation: list
    significance: int
    replica: int


def _seeded_clones(estimator, n_splits, random_state):
    """A clone of ``estimator`` per fold, each with a ``random_state`` of its own drawn
    from ``random_state`` (when given), and the seeds drawn after them."""
    clones = [clone(estimator) for _ in range(n_splits)]
    if random_state is None:
        return clones, _FoldSeeds([None] * n_splits, None, None)
    rng = check_random_state(random_state)
    key = _random_state_param(estimator)
    for fold_estimator in clones:
        fold_estimator.set_params(**{key: draw_seeds(rng)})
    # Drawn after the folds' seeds, which stay what they were before these existed.
    permutation = draw_seeds(rng, n_splits)
    significance = draw_seeds(rng)
    replica = draw_seeds(rng)
    return clones, _FoldSeeds(permutation, significance, replica)


def _check_fold_columns(folds):
    """The features every fold saw, the same in every fold."""
    names = folds[0]["feature_names"]
    for i, fold in enumerate(folds[1:], start=2):
        if fold["feature_names"] != names:
            raise ValueError(
                f"Fold {i} saw different columns than fold 1 ({fold['feature_names']} vs "
                f"{names}): a OneHotEncoder probably met different categories. Fix its "
                'categories, or group its columns with feature_groups="auto".'
            )
    return names


def _nanmean(values):
    """The mean of the finite values; NaN when there are none."""
    return float(np.nanmean(values)) if np.isfinite(values).any() else np.nan


def _fold_statistics(folds, permutation):
    """The folds' importances, ranks and agreement with each other and with permutation
    importance: the result's entries from ``importances`` to ``permutation_agreement``."""
    importances = np.vstack([fold["importances"] for fold in folds])
    ranks = rank_descending(importances, axis=-1)
    spearman = _pairwise(importances, stats.spearmanr)
    permuted = np.full(importances.shape, np.nan)
    if permutation:
        permuted = np.vstack([fold["permutation"] for fold in folds])
    agreement = np.array(
        [_spearman(row, reference) for row, reference in zip(importances, permuted, strict=True)]
    )
    return {
        "importances": importances,
        "importances_mean": importances.mean(axis=0),
        "importances_std": importances.std(axis=0),
        "ranks": ranks,
        "rank_spread": ranks.max(axis=0) - ranks.min(axis=0),
        "spearman": spearman,
        "kendall": _pairwise(importances, stats.kendalltau),
        "stability": _nanmean(spearman[~np.eye(len(folds), dtype=bool)]),
        "permutation_importances": permuted,
        "permutation_spearman": agreement,
        "permutation_agreement": _nanmean(agreement),
    }


def _significance_on_all_rows(estimator, X, y, names, n_rounds, evaluation, seed, n_jobs):
    """:func:`importance_significance` on the whole ``(X, y)``, its features grouped as
    the folds' are, checked to see the features the folds saw."""
    significance = importance_significance(
        estimator,
        X,
        y,
        method=None,  # the folds' importance_method, as documented
        n_rounds=n_rounds,
        feature_groups=evaluation.feature_groups,
        group_score=evaluation.group_score,
        random_state=seed,
        n_jobs=n_jobs,
    )
    if set(significance.decision.index) != set(names):
        raise ValueError(
            f"The significance test, fitted on all of X, saw the features "
            f"{list(significance.decision.index)}, the folds {names}: a OneHotEncoder "
            "probably met different categories. Fix its categories, or group its "
            'columns with feature_groups="auto".'
        )
    return significance


def _summary(fold_statistics, index, permutation, significance, decision):
    """The importance and rank of every feature over the folds, then (when computed) its
    mean permutation importance, p-value and decision; the most important first."""
    importances, ranks = fold_statistics["importances"], fold_statistics["ranks"]
    summary = pd.DataFrame(
        {
            "importance_mean": importances.mean(axis=0),
            "importance_std": importances.std(axis=0),
            "rank_mean": ranks.mean(axis=0),
            "rank_best": ranks.min(axis=0),
            "rank_worst": ranks.max(axis=0),
        },
        index=index,
    )
    if permutation:
        summary["permutation_mean"] = fold_statistics["permutation_importances"].mean(axis=0)
    if significance is not None:
        summary["pvalue"] = significance.pvalues[significance.method].reindex(index)
        summary["decision"] = decision
    return summary.sort_values("importance_mean", ascending=False, kind="stable")


# The estimator is checked by _split, whose message says which of ours it must be.
_COMMON_PARAMS = {
    "estimator": "no_validation",
    "X": ["array-like", "sparse matrix"],
    "y": ["array-like"],
    "scoring": [StrOptions(set(get_scorer_names())), callable, None],
    "n_jobs": [Integer(None, None, closed="neither"), None],
    "random_state": RANDOM_STATE,
    "feature_groups": FEATURE_GROUPS,
    "group_score": GROUP_SCORE,
}


# prefer_skip_nested_validation=False: the user's estimator (and a Pipeline's steps) are
# fitted or called inside, and their own parameters still need checking.
@validate_params(
    {
        **_COMMON_PARAMS,
        "cv": ["cv_object"],
        "groups": ["array-like", None],
        "return_estimator": ["boolean"],
        "params": [dict, None],
        "verbose": ["verbose"],
        "pre_dispatch": [Integer(1, None, closed="left"), str],
        "permutation": ["boolean"],
        "n_repeats": [Integer(1, None, closed="left")],
        "significance_rounds": [Integer(0, None, closed="left")],
        "replicas": ["boolean", StrOptions({"auto"})],
    },
    prefer_skip_nested_validation=False,
)
def cross_validate_importances(
    estimator,
    X,
    y,
    *,
    cv=5,
    scoring=None,
    n_jobs=None,
    random_state=None,
    groups=None,
    return_estimator=False,
    feature_groups=None,
    group_score="mean",
    permutation=True,
    n_repeats=5,
    significance_rounds=0,
    params=None,
    verbose=0,
    pre_dispatch="2*n_jobs",
    replicas=False,
):
    """Fit clones on cross-validation folds: how stable the importances are, and how right.

    Each fold's clone is fitted on its training part and scored on its test part; its
    ``feature_importances_`` (with the estimator's ``importance_method``) are collected.
    Fold-to-fold agreement (``stability``) says whether the folds rank the features alike;
    it does not say the ranking is right: an artifact every fold shares (such as summed
    one-hot columns favouring many-level features) is perfectly stable. So beside it the
    result also gives, per fold, the agreement with permutation importance on the fold's
    test data (``permutation_agreement``), and on request the share of features a
    significance test confirms above noise (``share_confirmed``).
    The folds run through :mod:`sklearn.utils.parallel`, so any joblib backend (processes,
    threads, a Dask cluster) can run them.

    Parameters
    ----------
    estimator : WeightTrajectoryRegressor, WeightTrajectoryClassifier or Pipeline
        An unfitted (or fitted; it is cloned) estimator, or a Pipeline whose last step is
        one.
    X : array-like of shape (n_samples, n_features)
        The data.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        The target.
    cv : int, cross-validation generator or iterable, default=5
        As in :func:`sklearn.model_selection.cross_validate`; at least two splits.
    scoring : str or callable, default=None
        Test score of each fold, and the score permutation importance measures the drop
        of; None uses the estimator's ``score``.
    n_jobs : int, default=None
        Folds (and significance rounds) fitted in parallel, or groups of folds trained
        as replicas, as joblib tasks; None means 1 unless in a
        ``joblib.parallel_config`` (which can send them to a ``dask.distributed``
        cluster, docs/scaling.rst).
    random_state : int, RandomState instance or None, default=None
        When given, each fold's clone gets its own ``random_state`` drawn from it (then
        the seeds of the folds' permutations and of the significance test), so the
        result is the same whatever the backend and the number of jobs. None keeps the
        estimator's own ``random_state`` in every fold.
    groups : array-like of shape (n_samples,), default=None
        Group labels for group-aware splitters such as ``GroupKFold``.
    return_estimator : bool, default=False
        Also return the fitted clone of every fold.
    feature_groups : None, "auto" or mapping, default=None
        Report expanded columns as one feature; see
        :func:`skweightimp.importance.resolve_feature_groups`. Permutation importance and the
        significance test group the columns the same way.
    group_score : {"mean", "sum", "rss"}, default="mean"
        How a group's importance is made from its columns' (then renormalised to sum
        to 1); see :func:`skweightimp.importance.aggregate_importances`. The mean does not
        grow with a categorical feature's number of levels. Permutation importance of a
        group shuffles its columns together and needs no such choice.
    permutation : bool, default=True
        Compute :func:`sklearn.inspection.permutation_importance` of each fold's model on
        the fold's test data (``n_repeats`` shuffles per feature, a group's columns
        shuffled together) and its Spearman correlation with the fold's importances.
        Costs ``n_repeats * n_features`` predictions on the test part per fold.
    n_repeats : int, default=5
        Shuffles per feature of the permutation importance.
    significance_rounds : int, default=0
        When positive, also run :func:`importance_significance` (shadow null, with the
        estimator's ``importance_method`` and this many rounds, ``alpha=0.05``) once on
        the whole ``(X, y)``, and report each feature's decision and the share
        confirmed. Costs that many networks on twice the columns, trained together as
        replicas of one Keras model when the estimator allows it (one to two fits). Its
        fits use the estimator's parameters; ``params`` does not reach them.
    params : dict, default=None
        Fit parameters passed to every fold's ``fit``: for our estimator, Keras ``fit``
        arguments such as ``{"epochs": 50}``; for a Pipeline, routed with the step name,
        ``{"weighttrajectoryregressor__epochs": 50}``.
    verbose : int, default=0
        joblib's verbosity.
    pre_dispatch : int or str, default="2*n_jobs"
        joblib's ``pre_dispatch``.
    replicas : "auto" or bool, default=False
        Train the folds' networks together, as replicas of one Keras model (see
        :func:`importance_significance`): about the time of one or two fits instead of one per
        fold. Each fold's network starts from the weights its clone would and trains on
        its own training rows (a Pipeline's preprocessing is fitted on them first), as
        its separate fit would, to float rounding, when every training set has the same
        size; a set one row shorter than the others gets a copy of a row with weight 0,
        and its rows weigh ``n / (n - 1)``. The fitted folds have no Keras loss history
        (``history_`` is empty) and ``fit_times`` shares the one fit equally. ``"auto"``
        uses replicas when the estimator and the folds allow it (training sets within one
        row in size, the same classes, no ``params``, no ``record_all_kernels``, and
        what :func:`importance_significance` lists), ``True`` always (a ValueError says
        why it cannot), ``False`` never: the folds are separate fits, run in parallel
        with ``n_jobs``.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        - ``importances`` : ndarray of shape (n_splits, n_features), one row per fold,
          each summing to 1;
        - ``importances_mean``, ``importances_std`` : ndarray of shape (n_features,);
        - ``ranks`` : ndarray of shape (n_splits, n_features), 1 for the most important
          feature of each fold;
        - ``rank_spread`` : ndarray of shape (n_features,), the best and worst rank of
          each feature apart (``max - min``; 0 when every fold agrees);
        - ``spearman``, ``kendall`` : ndarray of shape (n_splits, n_splits), the rank
          correlation of every pair of folds' importances;
        - ``stability`` : float, the mean Spearman correlation over pairs of folds (1 when
          every fold ranks the features alike, about 0 for unrelated rankings). It
          measures agreement between folds, not correctness;
        - ``permutation_importances`` : ndarray of shape (n_splits, n_features), each
          fold model's permutation importance on its test part (mean over the repeats,
          the drop of the score); NaN when ``permutation=False``;
        - ``permutation_spearman`` : ndarray of shape (n_splits,), per fold the Spearman
          correlation between its importances and its permutation importances (NaN when
          either has all-equal values, or ``permutation=False``);
        - ``permutation_agreement`` : float, their mean: 1 when the weight reading ranks
          the features as the model's own held-out behaviour does, about 0 when it does
          not (NaN when ``permutation=False``);
        - ``significance`` : the :func:`importance_significance` result, or None when
          ``significance_rounds=0``;
        - ``decision`` : Series indexed by feature (``"confirmed"``, ``"tentative"`` or
          ``"rejected"``), or None when ``significance_rounds=0``;
        - ``share_confirmed`` : float, the share of features confirmed above noise (NaN
          when ``significance_rounds=0``);
        - ``test_scores``, ``fit_times`` : ndarray of shape (n_splits,);
        - ``replicas`` : whether the folds trained as replicas of one model, and
          ``training`` : how they were trained, in words;
        - ``feature_names`` : ndarray of str;
        - ``summary`` : DataFrame indexed by feature, with the mean and std of the
          importance and the mean, best and worst rank, then (when computed)
          ``permutation_mean``, the mean permutation importance over folds, and the
          significance test's ``pvalue`` and ``decision``; sorted by mean importance;
        - ``estimators`` : list of fitted clones, only when ``return_estimator=True``.

    Raises
    ------
    ValueError
        If ``cv`` makes fewer than two splits, or the folds see different columns (a
        OneHotEncoder met different categories: set its ``categories`` or group with
        ``feature_groups="auto"``).

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skweightimp import WeightTrajectoryRegressor
    >>> from skweightimp.inspection import cross_validate_importances
    >>> X, y = make_regression(n_samples=60, n_features=3, random_state=0)
    >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=3)
    >>> result = cross_validate_importances(est, X, y, cv=3, random_state=0)
    >>> result.importances.shape, result.spearman.shape, result.permutation_spearman.shape
    ((3, 3), (3, 3), (3,))
    >>> list(result.summary.columns)
    ['importance_mean', 'importance_std', 'rank_mean', 'rank_best', 'rank_worst',
     'permutation_mean']

    The three folds' networks trained as one Keras model:

    >>> together = cross_validate_importances(est, X, y, cv=3, random_state=0,
    ...                                       replicas=True)
    >>> together.training, together.importances.shape
    ('replicas of one Keras model', (3, 3))
    """
    _, final = _split(estimator)
    splits = _check_splits(cv, X, y, groups, estimator)
    scorer = check_scoring(estimator, scoring=scoring)
    fit_params = dict(params or {})
    clones, seeds = _seeded_clones(estimator, len(splits), random_state)
    use_replicas, training = replica_plan(
        replicas, final, _replica_reason(estimator, y, splits, fit_params)
    )
    permutations = [
        {"scoring": scoring, "n_repeats": n_repeats, "random_state": seed} if permutation else None
        for seed in seeds.permutation
    ]
    evaluation = _FoldEvaluation(scorer, feature_groups, group_score, return_estimator)
    if use_replicas:
        folds = _replica_folds(
            clones, X, y, splits, evaluation, permutations, seeds.replica, n_jobs
        )
    else:
        parallel = Parallel(n_jobs=n_jobs, verbose=verbose, pre_dispatch=pre_dispatch)
        folds = _separate_folds(
            clones, X, y, splits, evaluation, permutations, fit_params, parallel
        )

    names = _check_fold_columns(folds)
    index = pd.Index(names, name="feature")
    fold_statistics = _fold_statistics(folds, permutation)
    significance = None
    if significance_rounds > 0:
        significance = _significance_on_all_rows(
            estimator, X, y, names, significance_rounds, evaluation, seeds.significance, n_jobs
        )
    decision = None if significance is None else significance.decision.reindex(index)
    result = Bunch(
        **fold_statistics,
        significance=significance,
        decision=decision,
        share_confirmed=np.nan if decision is None else float((decision == "confirmed").mean()),
        test_scores=np.array([fold["test_score"] for fold in folds], dtype=float),
        fit_times=np.array([fold["fit_time"] for fold in folds]),
        feature_names=np.asarray(names, dtype=object),
        summary=_summary(fold_statistics, index, permutation, significance, decision),
        replicas=use_replicas,
        training=training,
    )
    if return_estimator:
        result["estimators"] = [fold["estimator"] for fold in folds]
    return result


def _normalise_signed(scores):
    """Divide by the total absolute score, keeping signs (permutation can be negative)."""
    scores = np.asarray(scores, dtype=float)
    total = np.abs(scores).sum()
    return scores / total if total > 0 else np.zeros_like(scores)


def _method_scores(final, X_model, y, members, methods, group_score, permutation):
    """Each method's raw score of every feature (group), the seconds it took, and the
    standard deviation of the permutation importance over its repeats (None when it did
    not run); ``permutation`` holds the arguments of the permutation importance."""
    raw, timings, permutation_std = {}, {}, None
    for method in methods:
        start = time.perf_counter()
        if method == "permutation":
            raw[method], permutation_std = group_permutation_scores(
                final, check_array(X_model, dtype=np.float64), y, members, **permutation
            )
        else:
            raw[method] = aggregate_importances(
                final.importance_scores(method), members, group_score=group_score
            )
        timings[method] = time.perf_counter() - start
    return raw, timings, permutation_std


def _normalised_table(raw):
    """``raw``'s scores divided by each method's total absolute score, and their ranks,
    as the two column levels ``importance`` and ``rank``."""
    normalised = raw.apply(_normalise_signed)
    ranks = pd.DataFrame(
        rank_descending(normalised.to_numpy(), axis=0),
        index=normalised.index,
        columns=normalised.columns,
    )
    return pd.concat({"importance": normalised, "rank": ranks}, axis=1)


@validate_params(
    {
        **_COMMON_PARAMS,
        "methods": [list, tuple, str, None],  # names checked by _check_methods
        "n_repeats": [Integer(1, None, closed="left")],
        "sample_weight": ["array-like", None],
        "max_samples": [
            Integer(1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
        ],
    },
    prefer_skip_nested_validation=False,
)
def compare_importances(
    estimator,
    X,
    y,
    *,
    methods=None,
    n_repeats=5,
    scoring=None,
    random_state=None,
    n_jobs=None,
    feature_groups=None,
    group_score="mean",
    sample_weight=None,
    max_samples=1.0,
):
    """Trajectory importance, permutation importance and classic weight methods side by side.

    Call it with held-out data on a fitted estimator. Weight-based methods read the fitted
    network; permutation importance
    (:func:`sklearn.inspection.permutation_importance`, with ``n_repeats``, ``scoring``,
    ``random_state``, ``n_jobs``, ``sample_weight`` and ``max_samples`` passed through)
    shuffles the columns that reach the network, a feature group as a whole.

    Parameters
    ----------
    estimator : fitted WeightTrajectoryRegressor, WeightTrajectoryClassifier or Pipeline
        The model to explain.
    X : array-like of shape (n_samples, n_features)
        Held-out data (not the training data: permutation importance on training data
        measures what the model memorised).
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Held-out target.
    methods : list of str, default=None
        Which methods to run, from ``METHODS``. None runs every method that applies
        to the model (Garson only applies to one hidden layer).
    n_repeats, scoring, random_state, n_jobs, sample_weight, max_samples
        Passed to :func:`sklearn.inspection.permutation_importance`.
    feature_groups : None, "auto" or mapping, default=None
        Report expanded columns as one feature; see
        :func:`skweightimp.importance.resolve_feature_groups`.
    group_score : {"mean", "sum", "rss"}, default="mean"
        How a weight method's group score is made from its columns' scores; see
        :func:`skweightimp.importance.aggregate_importances` (the mean does not grow with a
        categorical feature's number of levels). Permutation importance shuffles a
        group's columns together and needs no such choice.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        - ``table`` : DataFrame indexed by feature with two column levels:
          ``("importance", method)``, each method's scores divided by their total absolute
          value (so weight methods sum to 1 and permutation importance keeps its sign), and
          ``("rank", method)``, 1 for the method's most important feature;
        - ``raw`` : DataFrame of the unnormalised scores;
        - ``permutation_std`` : Series, the std of the permutation importance over repeats
          (when permutation ran);
        - ``rank_correlation`` : DataFrame, methods x methods Spearman correlation of the
          scores over features;
        - ``timings`` : Series, seconds each method took.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from skweightimp import WeightTrajectoryRegressor
    >>> from skweightimp.inspection import compare_importances
    >>> X, y = make_regression(n_samples=80, n_features=3, random_state=0)
    >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=3).fit(X[:60], y[:60])
    >>> result = compare_importances(est, X[60:], y[60:], random_state=0)
    >>> result.table["importance"][["weight_std", "permutation"]].shape
    (3, 2)
    >>> sorted(result.timings.index) == sorted(result.rank_correlation.columns)
    True
    """
    preprocessor, final = _split(estimator)
    _check_fitted(estimator, final)
    available = _available_methods(final)
    if methods is None:
        chosen = [name for name in METHODS if name in available]
    else:
        chosen = _check_methods(methods, available, final)

    names = model_feature_names(preprocessor, final)
    group_names, members = resolve_feature_groups(names, feature_groups, preprocessor=preprocessor)
    # The estimator's own check of the columns (count, names) first: the permutation
    # indexes them by position.
    X_model = preprocessor.transform(X) if preprocessor is not None else X
    validate_data(final, X_model, reset=False, skip_check_array=True)

    permutation = {
        "scoring": scoring,
        "n_repeats": n_repeats,
        "n_jobs": n_jobs,
        "random_state": random_state,
        "sample_weight": sample_weight,
        "max_samples": max_samples,
    }
    raw, timings, permutation_std = _method_scores(
        final, X_model, y, members, chosen, group_score, permutation
    )
    index = pd.Index(group_names, name="feature")
    raw = pd.DataFrame(raw, index=index)
    table = _normalised_table(raw)
    result = Bunch(
        table=table,
        raw=raw,
        rank_correlation=raw.corr(method="spearman"),
        timings=pd.Series(timings, name="seconds"),
    )
    if permutation_std is not None:
        result["permutation_std"] = pd.Series(permutation_std, index=index)
    return result


#: Every method :func:`compare_importances` knows, in the order it reports them: the
#: estimators' ``importance_method`` values, then permutation importance.
METHODS = (*IMPORTANCE_METHODS, "permutation")


def _available_methods(final):
    return set(final.importance_methods_) | {"permutation"}


def _check_methods(methods, available, final):
    if isinstance(methods, str):
        methods = [methods]
    methods = list(methods)
    if not methods:
        raise ValueError("methods must name at least one method.")
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"Unknown method(s) {unknown}; choose from {list(METHODS)}.")
    for method in methods:
        if method not in available:
            # Let the method explain why it does not apply (e.g. Garson's layout).
            final.importance_scores(method)
    if len(set(methods)) != len(methods):
        raise ValueError(f"methods has duplicates: {methods}.")
    return methods
