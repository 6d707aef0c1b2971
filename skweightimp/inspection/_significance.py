"""A noise floor for every importance method: which features beat noise, with p-values.

:func:`importance_significance` (public in :mod:`skweightimp.inspection`) refits the
estimator over rounds under a null hypothesis of no signal, scores every feature with
every importance method the model supports in each round, and gives each feature a
p-value per method and a decision by one of them. This module holds the test's steps, in
the order they run:

- the checks made before anything trains: the method, the number of rounds that can
  confirm a feature (:func:`rounds_needed`), the rows each round trains on;
- the rounds: what the network sees, each round's shuffled copies of the features
  (shadow null) or permuted target (permutation null), all drawn from a seed of the
  round's own, and their fits, separate or as replicas of one Keras model
  (:mod:`skweightimp.estimators._replicas`);
- the p-values: the shadow null's pooled and Boruta statistics, the permutation null's
  counts, the corrections across the features and the decisions;
- the check of a rejected feature against the network's own permutation importance.

:class:`~skweightimp.feature_selection.WeightTrajectorySelector` keeps the confirmed
features; :func:`~skweightimp.inspection.cross_validate_importances` reports the
decisions beside the folds.
"""

import math
import warnings
from collections.abc import Mapping, Sequence
from numbers import Integral
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import clone, is_classifier
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import HasMethods, StrOptions, validate_params
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_array, check_consistent_length

from ..callbacks._recording import dense_kernels
from ..estimators._params import check_method_layout
from ..estimators._replicas import fit_estimator_replicas, replica_plan
from ..importance._groups import aggregate_importances, resolve_feature_groups
from ..importance._methods import IMPORTANCE_METHODS, recommended_method
from ..utils._math import rank_descending
from ..utils._names import input_feature_names, preprocessed_feature_names
from ..utils._pipeline import split_pipeline
from ..utils._seeds import draw_seeds
from ..utils._validation import GROUP_SCORE, RANDOM_STATE, Integer, RealNumber
from ._pairs import pair_test
from ._permutation import group_permutation_scores
from ._pvalues import adjust, decide, shadow_pvalues

__all__ = [
    "ROUND_CONSTRAINTS",
    "RoundData",
    "fit_rounds",
    "importance_significance",
    "network_input",
    "plan_rounds",
    "round_rng",
    "sample_size",
]

NULLS = ("shadow", "permutation")

#: The parameters of a test's rounds and decisions that the importance and the
#: interaction noise tests share, with their constraints.
ROUND_CONSTRAINTS = {
    "alpha": [RealNumber(0, 1, closed="neither")],
    "feature_groups": [StrOptions({"auto"}), Mapping, None],
    "group_score": GROUP_SCORE,
    "random_state": RANDOM_STATE,
    "n_jobs": [Integer(None, None, closed="neither"), None],
    "replicas": ["boolean", StrOptions({"auto"})],
    "max_samples": [Integer(1, None, closed="left"), RealNumber(0, 1, closed="right"), None],
}

#: What the ``method`` of the test and of the selector accepts (None: the estimator's own).
METHOD_OPTIONS = [StrOptions({"auto", *IMPORTANCE_METHODS}), None]

#: The statistics of the shadow null (``test``): each feature's mean score against the
#: pooled scores of every shadow, each in units of its own feature's shadow; or against
#: the best shadow of each round (Boruta's).
SHADOW_TESTS = ("pooled", "max")

#: The multiple-testing corrections across the features.
CORRECTIONS = ("bh", "holm")

# Permutation importance of the observed fit, when a rejection needs checking.
_CHECK_REPEATS = 5


# ---------------------------------------------------------------------- before training


def auto_method(final, supported):
    """The method ``method="auto"`` decides with, given the methods the model supports.

    :func:`~skweightimp.importance.recommended_method` if the model supports it, else the
    first supported of ``"olden"`` (any depth of Dense layers, where Garson's method needs
    exactly one hidden layer), the estimator's ``importance_method`` and ``"weight_std"``
    (which every fitted network supports).
    """
    fallbacks = (recommended_method(), "olden", final.importance_method, "weight_std")
    return next(name for name in fallbacks if name in supported)


def smallest_pvalue(null, n_rounds, n_features, test="pooled"):
    """The smallest p-value a feature can get, before the correction."""
    if null == "permutation":
        return 1.0 / (1 + n_rounds)
    if test == "max":
        return 0.5**n_rounds
    # Every shadow in every round is a null draw, but a unit needs another round.
    return 1.0 / (1 + n_rounds * n_features) if n_rounds >= 2 else 1.0


def rounds_needed(null, n_features, alpha, test="pooled"):
    """The fewest rounds with which a feature can be confirmed at ``alpha`` on its own.

    The correction (Holm's, or Benjamini and Hochberg's for a feature that stands out
    alone) compares the smallest p-value with ``alpha / n_features``. The smallest
    p-value of ``n`` rounds is ``1 / (1 + n * n_features)`` for the shadow null's pooled
    test (about ``1 / alpha`` rounds, 20 at ``alpha=0.05``, whatever the number of
    features), ``0.5**n`` for its max test and ``1 / (1 + n)`` for the permutation null.

    >>> from skweightimp.inspection._significance import rounds_needed
    >>> rounds_needed("shadow", 4, 0.05), rounds_needed("shadow", 100, 0.05)
    (20, 20)
    >>> rounds_needed("shadow", 4, 0.05, test="max"), rounds_needed("permutation", 4, 0.05)
    (7, 79)
    """
    if null == "shadow" and test == "max":
        estimate = math.ceil(math.log2(n_features / alpha))
    elif null == "shadow":
        estimate = max(2, math.ceil(1 / alpha - 1 / n_features))
    else:
        estimate = math.ceil(n_features / alpha - 1)
    rounds = max(1, estimate - 1)  # the estimate, checked against rounding
    while n_features * smallest_pvalue(null, rounds, n_features, test) > alpha:
        rounds += 1
    return rounds


def _warn_if_powerless(null, n_rounds, n_features, alpha, test="pooled", correction="bh"):
    smallest = smallest_pvalue(null, n_rounds, n_features, test)
    # Both corrections compare the smallest p-value with alpha / n_features first (BH
    # lets it pass when many features share it).
    if smallest * n_features > alpha:
        unless = " unless many are confirmed together" if correction == "bh" else ""
        warnings.warn(
            f'With null="{null}" and n_rounds={n_rounds}, the smallest p-value a feature '
            f"can get is {smallest:.3g}; corrected over {n_features} features it is "
            f"{min(1.0, smallest * n_features):.3g} > alpha={alpha}, so no feature can be "
            f"confirmed{unless}. Use n_rounds >= "
            f"{rounds_needed(null, n_features, alpha, test)}.",
            UserWarning,
            stacklevel=4,  # past the validate_params wrapper, to the caller
        )


def sample_size(max_samples, n_rows, null, classifier):
    """The rows each round trains on, from ``max_samples`` (None: all of them)."""
    if max_samples is None:
        return None
    if null != "shadow":
        raise ValueError(
            "max_samples samples the rows of each shadow round; the permutation null "
            "compares the fit on all the rows with its rounds, so it takes max_samples=None."
        )
    if isinstance(max_samples, Integral):
        return _RowSample(min(int(max_samples), n_rows), classifier)
    return _RowSample(max(1, int(round(max_samples * n_rows))), classifier)


def _requested_method(method, final):
    """The method to decide with (None: the estimator's own), refused before anything
    trains when the built-in network's layout cannot give it."""
    if method is None:
        method = final.importance_method
    if method != "auto":
        # "auto" falls back instead, once the rounds show what the model supports.
        check_method_layout(method, final.model, final.hidden_layer_sizes, param="method")
    return method


# ---------------------------------------------------------------------- the rounds


def network_input(estimator, X, y):
    """Fit the preprocessing (if any) and return what the network sees, with names."""
    preprocessor, final = split_pipeline(estimator, caller="importance_significance")
    check_consistent_length(X, y)
    fitted = None
    if preprocessor is not None:
        fitted = clone(preprocessor)
        X_model = fitted.fit_transform(X, y)
    else:
        X_model = X
    if sparse.issparse(X_model):
        # Shadows are shuffled copies of the columns: dense either way.
        X_model = X_model.toarray()
    names = preprocessed_feature_names(fitted)
    X_model = check_array(X_model, dtype=np.float64, input_name="X")
    if names is None:
        names = input_feature_names(X if preprocessor is None else X_model, X_model.shape[1])
    return fitted, final, X_model, names


class _RoundPlan(NamedTuple):
    """What each round fits (``"shadow"``, ``"observed"`` or ``"permuted"``) and from
    which seed, with the seeds of the replicas' shuffling and of the rejection check."""

    kinds: list
    seeds: np.ndarray
    shuffle_seed: int
    check_seed: int


def plan_rounds(random_state, null, n_rounds):
    """Every seed of the test, drawn from ``random_state`` in a fixed order."""
    rng = check_random_state(random_state)
    seeds = draw_seeds(rng, n_rounds + (null == "permutation"))
    if null == "shadow":
        kinds = ["shadow"] * n_rounds
    else:
        kinds = ["observed"] + ["permuted"] * n_rounds
    shuffle_seed = draw_seeds(rng)
    # Drawn last, so that the rounds' seeds do not depend on whether a check is needed.
    check_seed = draw_seeds(rng)
    return _RoundPlan(kinds, seeds, shuffle_seed, check_seed)


def _shadow_columns(X_model, members, rng):
    """A copy of ``X_model`` with the rows of each feature (group) shuffled on their own."""
    shadow = np.empty_like(X_model)
    for columns in members:
        # A group's columns are shuffled together, so a one-hot group's shadow still has
        # one category per row.
        shadow[:, columns] = X_model[np.ix_(rng.permutation(X_model.shape[0]), columns)]
    return shadow


def round_rng(seed):
    """A round's network seed (the first draw from its seed) and the generator after it."""
    rng = np.random.RandomState(seed)
    return draw_seeds(rng), rng


class _RowSample(NamedTuple):
    """How many rows each round trains on, and whether every class must be among them."""

    size: int
    # A classifier's rounds train as replicas of one network, whose output layer has one
    # unit per class: every round must see every class.
    stratify: bool


def _sample_rows(X_model, y, sample, rng):
    """``sample.size`` rows drawn without replacement (all of them when ``sample`` is None
    or larger), with one row of each class among them first when ``sample.stratify``."""
    n_rows = X_model.shape[0]
    if sample is None or sample.size >= n_rows:
        return X_model, y
    labels = np.asarray(y)
    if sample.stratify and labels.ndim == 1:
        order = rng.permutation(n_rows)
        _, first = np.unique(labels[order], return_index=True)
        keep = order[np.sort(first)]
        rest = order[np.isin(order, keep, invert=True)]
        rows = np.concatenate([keep, rest[: max(0, sample.size - len(keep))]])
    else:
        rows = rng.choice(n_rows, sample.size, replace=False)
    rows = np.sort(rows)
    return X_model[rows], labels[rows]


def _round_data(X_model, y, members, kind, seed, sample=None):
    """One round's network seed, inputs and targets (on a sample of ``sample`` rows of
    its own when given), all drawn from ``seed``."""
    model_seed, rng = round_rng(seed)
    X_model, y = _sample_rows(X_model, y, sample, rng)
    if kind == "shadow":
        return model_seed, np.hstack([X_model, _shadow_columns(X_model, members, rng)]), y
    if kind == "permuted":
        return model_seed, X_model, np.asarray(y)[rng.permutation(X_model.shape[0])]
    return model_seed, X_model, y


def _round_scores(scores, n_columns, members, group_score, kind):
    """Group one round's scores (method to raw scores) into real and shadow features."""
    real, shadows = {}, {}
    for method, values in scores.items():
        # A shadow group is scored as its real group is, or the comparison would carry
        # the very level bias group_score="mean" removes.
        real[method] = aggregate_importances(values[:n_columns], members, group_score=group_score)
        if kind == "shadow":
            shadows[method] = aggregate_importances(
                values[n_columns:], members, group_score=group_score
            )
    return {"real": real, "shadow": shadows}


def _interactions_of_rounds(round_kernels, group_names, members, group_score, alpha):
    """The pair test on the shadow rounds' kernels (None for a network that is no Dense
    stack): what the same rounds say of interactions, at the cost of NID per round."""
    if any(kernels is None for kernels in round_kernels):
        return None
    return pair_test(round_kernels, group_names, members, group_score=group_score, alpha=alpha)


def _network_kernels(model):
    """A round network's kernels, for the interaction test; None if it is no Dense stack."""
    try:
        return dense_kernels(model)
    except ValueError:
        return None


def _fit_round(final, X_model, y, members, group_score, kind, seed, sample=None):
    """One separate fit of the test; returns each supported method's scores (and the model)."""
    model_seed, X_round, y_round = _round_data(X_model, y, members, kind, seed, sample)
    # The estimator's own feature_groups name the user's columns, which a bare array with
    # shadow columns does not have; the test groups with ``members`` instead.
    model = clone(final).set_params(random_state=model_seed, feature_groups=None)
    model.fit(X_round, y_round)
    scores = {method: model.importance_scores(method) for method in model.importance_methods_}
    result = _round_scores(scores, X_model.shape[1], members, group_score, kind)
    kernels = _network_kernels(model.model_) if kind == "shadow" else None
    return {**result, "model": model if kind == "observed" else None, "kernels": kernels}


class RoundData(Sequence):
    """Each round's ``(X, y)``, built when the replicas of its group train (not all at
    once: every shadow round holds a copy of the data)."""

    def __init__(self, X_model, y, members, kinds, seeds, sample):
        self.X_model, self.y, self.members = X_model, y, members
        self.kinds, self.seeds, self.sample = kinds, seeds, sample

    def __len__(self):
        return len(self.kinds)

    def __getitem__(self, r):
        _, X_round, y_round = _round_data(
            self.X_model, self.y, self.members, self.kinds[r], int(self.seeds[r]), self.sample
        )
        return X_round, y_round


def _replica_rounds(
    final, X_model, y, members, group_score, kinds, seeds, shuffle_seed, sample, n_jobs
):
    """Every round, as replicas of one Keras model per group (see :mod:`._replicas`)."""
    model_seeds = [round_rng(int(seed))[0] for seed in seeds]
    records = fit_estimator_replicas(
        clone(final).set_params(feature_groups=None),
        RoundData(X_model, y, members, kinds, seeds, sample),
        model_seeds,
        random_state=shuffle_seed,
        keep_history=False,
        n_jobs=n_jobs,
    )
    n_columns = X_model.shape[1]
    return [
        {
            **_round_scores(record.scores, n_columns, members, group_score, kind),
            "model": None,
            "kernels": record.kernels,
        }
        for record, kind in zip(records, kinds, strict=True)
    ]


def fit_rounds(final, X_model, y, members, group_score, plan, sample, use_replicas, n_jobs):
    """Every round's scores (and the observed model of the permutation null), as separate
    fits in parallel or as replicas of one Keras model per group of rounds."""
    if not use_replicas:
        return Parallel(n_jobs=n_jobs)(
            delayed(_fit_round)(final, X_model, y, members, group_score, kind, int(seed), sample)
            for kind, seed in zip(plan.kinds, plan.seeds, strict=True)
        )
    fits = []
    if plan.kinds[0] == "observed":
        # The observed fit stays a separate fit: the result returns it.
        seed = int(plan.seeds[0])
        fits.append(_fit_round(final, X_model, y, members, group_score, "observed", seed))
    start = len(fits)
    fits += _replica_rounds(
        final,
        X_model,
        y,
        members,
        group_score,
        plan.kinds[start:],
        plan.seeds[start:],
        plan.shuffle_seed,
        sample,
        n_jobs,
    )
    return fits


def _supported_methods(fits, final, method):
    """The methods every round could score, in the order of ``IMPORTANCE_METHODS``, and
    the method to decide with (what ``"auto"`` stands for), checked to be among them."""
    supported = set.intersection(*(set(fit["real"]) for fit in fits))
    methods = [name for name in IMPORTANCE_METHODS if name in supported]
    if method == "auto":
        method = auto_method(final, supported)
    if method not in supported:
        raise ValueError(
            f"method={method!r} is not supported by this model (Garson's method needs "
            "exactly one hidden layer, Garson's and Olden's a plain stack of Dense "
            f"layers); it supports {methods}."
        )
    return methods, method


# ---------------------------------------------------------------------- p-values and decisions


class _MethodNull(NamedTuple):
    """One method's scores and uncorrected p-values against the null, with its draws."""

    scores: np.ndarray
    confirm: np.ndarray
    reject: np.ndarray
    hits: np.ndarray
    # The features the correction counts (None: all of them).
    testable: np.ndarray
    null_scores: pd.DataFrame
    round_scores: pd.DataFrame


def _shadow_null(fits, name, test, rounds, index):
    """``name``'s mean scores over the shadow rounds, against its shadows' scores."""
    real = np.vstack([fit["real"][name] for fit in fits])
    shadow = np.vstack([fit["shadow"][name] for fit in fits])
    confirm, reject, hits = shadow_pvalues(real, shadow, test)
    return _MethodNull(
        scores=real.mean(axis=0),
        confirm=confirm,
        reject=reject,
        hits=hits,
        # A constant column's shadow never scores: the pooled test has no noise unit
        # for it, so it is no hypothesis and stays out of the correction.
        testable=shadow.mean(axis=0) > 0 if test == "pooled" else None,
        null_scores=pd.DataFrame(shadow, index=rounds, columns=index),
        round_scores=pd.DataFrame(real, index=rounds, columns=index),
    )


def _permutation_null(fits, name, n_rounds, rounds, index):
    """``name``'s scores of the observed fit, against its scores with a permuted target."""
    scores = fits[0]["real"][name]
    permuted = np.vstack([fit["real"][name] for fit in fits[1:]])
    return _MethodNull(
        scores=scores,
        confirm=(1 + (permuted >= scores).sum(axis=0)) / (1 + n_rounds),
        reject=(1 + (permuted <= scores).sum(axis=0)) / (1 + n_rounds),
        hits=(permuted < scores).sum(axis=0),
        testable=None,
        null_scores=pd.DataFrame(permuted, index=rounds, columns=index),
        round_scores=None,
    )


def _null_tables(fits, methods, null, test, n_rounds, index):
    """Every method's results against the null, as a dict of method to :class:`_MethodNull`."""
    rounds = pd.RangeIndex(n_rounds, name="round")
    if null == "shadow":
        return {name: _shadow_null(fits, name, test, rounds, index) for name in methods}
    return {name: _permutation_null(fits, name, n_rounds, rounds, index) for name in methods}


def _method_frames(tables, index):
    """DataFrames indexed by feature, one column per method: ``scores``, ``confirm`` and
    ``reject`` (the uncorrected p-values) and ``hits``."""
    dtypes = {"scores": None, "confirm": float, "reject": float, "hits": int}
    return {
        key: pd.DataFrame(
            {name: np.asarray(getattr(table, key), dtype=dtype) for name, table in tables.items()},
            index=index,
        )
        for key, dtype in dtypes.items()
    }


def _adjusted_pvalues(frames, tables, correction):
    """The confirmation and the rejection p-values, adjusted across the features by
    ``correction``, each method on its own."""
    testable = {name: table.testable for name, table in tables.items()}
    pvalues = frames["confirm"].apply(lambda p: adjust(p, testable.get(p.name), correction))
    rejection = frames["reject"].apply(lambda p: adjust(p, testable.get(p.name), correction))
    return pvalues, rejection


def _decision(pvalues, rejection, method, alpha, index):
    """``method``'s decision for every feature, as a Series."""
    return pd.Series(
        decide(pvalues[method].to_numpy(), rejection[method].to_numpy(), alpha),
        index=index,
        name="decision",
    )


# ---------------------------------------------------------------------- rejected features


def _ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _check_rejections(model, X_model, y, members, index, rejected, method, seed):
    """The fitted network's permutation importance, and a note for each rejected feature
    it ranks among the features it uses.

    ``model`` is the final estimator fitted on ``(X_model, y)``. Returns ``(check,
    notes)``: a DataFrame indexed by feature (``importance``, the mean drop of the
    estimator's ``score`` over ``_CHECK_REPEATS`` shuffles of the feature's rows on the fit
    data; ``std``; ``rank``, 1 for the largest; ``uses``, whether the feature is in the
    top k, k the number of features whose mean drop is positive and above twice its
    standard deviation, or is itself such a feature) and a Series of strings, empty but
    for the rejected features that the network uses.
    """

    mean, std = group_permutation_scores(
        model, X_model, y, members, n_repeats=_CHECK_REPEATS, random_state=seed
    )
    clear = (mean > 0) & (mean > 2 * std)
    rank = rank_descending(mean)
    check = pd.DataFrame(
        {"importance": mean, "std": std, "rank": rank, "uses": clear | (rank <= clear.sum())},
        index=index,
    )
    notes = pd.Series("", index=index, name="disagreement", dtype=object)
    for feature in index[np.asarray(rejected) & check["uses"].to_numpy()]:
        row = check.loc[feature]
        notes[feature] = (
            f"{method} scores it below noise, but the network's permutation importance "
            f"ranks it {_ordinal(int(row['rank']))} of {len(index)} (score drop "
            f"{row['importance']:.3g} +/- {row['std']:.3g}): the two disagree"
        )
    return check, notes


def _check_rejected(decision, fits, final, X_model, y, members, method, plan, sample):
    """The permutation check of the rejected features, ``(check, notes)`` as
    :func:`_check_rejections` gives them; None and no notes when none was rejected."""
    index = decision.index
    rejected = (decision == "rejected").to_numpy()
    if not rejected.any():
        return None, pd.Series("", index=index, name="disagreement", dtype=object)
    # "rejected" claims that the network uses a feature less than noise: ask the
    # network itself, through its permutation importance on a fit to (X, y).
    if plan.kinds[0] == "observed":
        observed = fits[0]["model"]
        X_check, y_check = X_model, y
    else:
        rng = np.random.RandomState(plan.check_seed)
        X_check, y_check = _sample_rows(X_model, y, sample, rng)
        observed = clone(final).set_params(random_state=plan.check_seed, feature_groups=None)
        observed.fit(X_check, y_check)
    return _check_rejections(
        observed, X_check, y_check, members, index, rejected, method, plan.check_seed
    )


def _summary(frames, pvalues, decision, notes, method):
    """``method``'s scores, hits, p-values, decisions and notes, largest score first."""
    return pd.DataFrame(
        {
            "score": frames["scores"][method],
            "hits": frames["hits"][method],
            "pvalue": pvalues[method],
            "decision": decision,
            "disagreement": notes,
        }
    ).sort_values("score", ascending=False, kind="stable")


# ---------------------------------------------------------------------- the test


@validate_params(
    {
        "estimator": [HasMethods(["fit"])],
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "method": METHOD_OPTIONS,
        "null": [StrOptions(set(NULLS))],
        "test": [StrOptions(set(SHADOW_TESTS))],
        "correction": [StrOptions(set(CORRECTIONS))],
        "n_rounds": [Integer(1, None, closed="left")],
        **ROUND_CONSTRAINTS,
    },
    prefer_skip_nested_validation=False,
)
def importance_significance(
    estimator,
    X,
    y,
    *,
    method="auto",
    null="shadow",
    test="pooled",
    correction="bh",
    n_rounds=20,
    alpha=0.05,
    feature_groups=None,
    group_score="mean",
    random_state=None,
    n_jobs=None,
    replicas="auto",
    max_samples=None,
):
    """Test which features score above noise, for every importance method.

    An importance ranks every feature, informative or not. This test refits clones of the
    estimator ``n_rounds`` times under a null hypothesis of no signal and gives each
    feature a p-value per importance method, then a decision for ``method``:
    ``"confirmed"`` (above noise), ``"rejected"`` (below it) or ``"tentative"`` (the
    rounds could not tell). By default (``method="auto"``) the decision is the
    recommended method's (:func:`skweightimp.importance.recommended_method`), not the
    estimator's ``importance_method``. Two nulls:

    - ``null="shadow"``, after Boruta (Kursa & Rudnicki, 2010): each round fits a clone
      on ``X`` plus a *shadow* of every feature, a copy with its rows shuffled (a feature
      group's columns shuffled together), which keeps the feature's distribution but
      breaks its link with ``y``. The features compete with the shadows inside one
      network, which is what a weight importance compares: one network's weights with
      each other. ``test`` says how a feature's scores are compared with the shadows':

      - ``test="pooled"`` (default): the rounds are repeated measurements of *one*
        arrangement of the feature's values (the data do not change between rounds),
        while every shadow in every round is a *new* arrangement: a draw from the null.
        So a feature enters with one statistic, its mean score over the rounds, and is
        compared with the scores of every shadow in every round, ``n_rounds *
        n_features`` null draws. Shadows of different features differ (a one-hot
        group's scores run higher than a numeric column's, a wide column's than a
        narrow one's), so each score is first put in its feature's *noise unit*, the
        mean score of that feature's own shadow over the rounds (over the other rounds
        for a shadow's own draws). The p-value is the empirical
        ``(1 + #(draws >= statistic)) / (1 + #draws)``: exact if the statistic were one
        more draw, conservative as it is, since a mean over rounds varies less than one
        round's score. ``<=`` instead of ``>=`` gives the rejection p-value. A *hit*
        is a round in which the feature scored above its own shadow (reported, not
        tested).
      - ``test="max"`` (Boruta's, the default of earlier versions): a hit is a round in
        which the feature beat the *best* shadow, and the p-value is the one-sided
        binomial test of the hits, ``binomtest(hits, n_rounds, 0.5,
        alternative="greater")``; ``alternative="less"`` rejects. With Holm's
        correction, a feature must beat the best of all the shadows in nearly every
        round to be confirmed; a feature that carries nothing beats it far less often
        than half the time, so nearly every noise feature, and any real feature the
        method scores modestly, is "rejected".

      Testing each round on its own (a feature against its own shadow, round by round,
      with a signed-rank test over the rounds) is not valid: a noise feature's chance
      association with ``y`` in the data is the same in every round, so its rounds
      agree with each other, and on pure noise such a test confirmed 6 to 17 % of the
      features with Olden's and the gradient method (``bench/bench_noise_test.py``).

    - ``null="permutation"``, the randomization test of Olden & Jackson (2002): one fit on
      ``(X, y)`` gives the observed scores; ``n_rounds`` fits on a permuted ``y`` give
      each feature's null distribution, and its p-value is
      ``(1 + #(null >= observed)) / (1 + n_rounds)``. A feature is rejected when the
      mirror test, ``(1 + #(null <= observed)) / (1 + n_rounds)``, says it scores
      *below* its null (a network trained on the real target ignores it more than one
      trained on noise). ``test`` does not apply.

    Both families of p-values are adjusted across the features, separately for each
    method, by ``correction``: Benjamini and Hochberg's step-up method (``"bh"``, the
    default) controls the false discovery rate, the expected share of noise among the
    confirmed features, at ``alpha``, and with no signal at all the chance that any
    feature is confirmed; it holds for p-values that share their null draws (they are
    positively dependent; Bates et al., 2023). Holm's step-down method (``"holm"``)
    controls the chance that *any* feature that carries nothing is confirmed, at the
    price of power: with empirical p-values, a feature then has to beat nearly every
    null draw. A feature is confirmed when its adjusted p-value is at most ``alpha``,
    rejected when its adjusted rejection p-value is, and tentative otherwise.

    Few rounds cannot give small p-values. With ``m`` features the smallest p-value is
    ``1 / (1 + n_rounds * m)`` (shadow, pooled), ``0.5 ** n_rounds`` (shadow, max) or
    ``1 / (1 + n_rounds)`` (permutation), and both corrections compare it with
    ``alpha / m`` when a feature stands out alone. So confirming it needs about
    ``1 / alpha`` rounds (20 at ``alpha=0.05``, pooled), ``log2(m / alpha)`` (max) or
    ``m / alpha - 1`` (permutation); a warning says so when ``n_rounds`` is too small.

    "rejected" says that ``method`` scores the feature below noise, which a feature that
    carries nothing does not do more often than by chance (with the pooled test hardly
    ever: its mean sits in the middle of the single draws). A rejection is therefore more
    often a sign that the method misreads a feature the network uses (Olden's signed sum
    of weight products cancels on a U-shaped effect) than that the feature is useless. So
    whenever a feature is rejected, the test asks the network: it fits the estimator once
    more on ``(X, y)`` (the permutation null's observed fit serves instead) and computes
    its permutation importance on those rows (5 repeats; a group's columns shuffled
    together). A rejected feature that the network uses, one in the top k of that
    permutation importance with k the number of features whose importance is positive
    and above twice its standard deviation over the repeats (or itself such a feature),
    stays ``"rejected"`` (what ``method`` says of it), and ``summary["disagreement"]``
    says that the two disagree, with the feature's rank. Nothing is fitted when no
    feature is rejected.

    The rounds' networks are trained together, as replicas of one Keras model
    (``replicas="auto"``): every layer gets a replica axis, each replica its own initial
    weights (those a clone with the round's seed would start from), its own data (the
    round's shadows or permuted target) and its own order of the rows, and each moves
    exactly as its separate fit would. Twenty rounds then cost 1.3 to 2.2 times one fit
    of the seed notebook's network (shadow null; 2.9 times for the permutation null,
    whose observed fit stays separate) where twenty separate fits cost about 18 times
    (``bench/bench_speed.py``). A network of the user's own (``model=``) or settings that
    change how one network trains (callbacks, routed ``fit__*``/``optimizer__*``
    parameters, a custom ``loss``, ``validation_split``, ``class_weight``, an optimizer
    that is not element-wise, recording more than once an epoch, the ranking stopping
    rule) cannot be expressed as replicas: then the rounds are separate fits, run through
    :mod:`sklearn.utils.parallel`, and ``training`` in the result says why.

    Parameters
    ----------
    estimator : WeightTrajectoryRegressor, WeightTrajectoryClassifier or Pipeline
        Fitted or not; it is cloned. A Pipeline must end in one of this package's
        estimators: its preprocessing is fitted once on ``(X, y)`` and the shadows (or
        the permuted target) are added after it, so the test is on the columns the
        network sees (a one-hot encoded feature grouped with ``feature_groups`` gets a
        shadow group). Preprocessing that learns from ``y`` (a target encoder) sees the
        real target even in the permutation rounds, which makes that null conservative.
    X : array-like of shape (n_samples, n_features)
        The data.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        The target.
    method : "auto", str or None, default="auto"
        The importance method of ``decision`` and ``summary``. ``"auto"`` decides with the
        method the benchmarks recommend, :func:`skweightimp.importance.recommended_method`
        (today ``"gradient"``), when the model supports it; otherwise with the first the
        model supports of ``"olden"``, the final estimator's ``importance_method`` and
        ``"weight_std"`` (Garson's method needs exactly one hidden layer, Garson's and
        Olden's a plain stack of Dense layers, which a ``model=`` of one's own may not
        be). A method of :func:`skweightimp.importance.method_scores` decides
        with that method (a ValueError when the model cannot support it); None with the
        final estimator's ``importance_method`` (``"weight_std"`` unless set, which in
        the real-data benchmark confirmed none of the three strongest features of
        diabetes). ``result.method`` says which method decided. ``scores`` and
        ``pvalues`` hold every supported method whatever this is, from the same fits.
    null : {"shadow", "permutation"}, default="shadow"
        The null hypothesis, see above.
    test : {"pooled", "max"}, default="pooled"
        The shadow null's statistic, see above: each feature's mean score against the
        pooled scores of every shadow in every round, all in their feature's noise unit;
        or the rounds in which the feature beat the best shadow (binomial, Boruta's).
        Ignored by the permutation null.
    correction : {"bh", "holm"}, default="bh"
        The multiple-testing correction across the features: Benjamini-Hochberg (false
        discovery rate) or Holm (family-wise error rate). ``test="max",
        correction="holm"`` is the test of earlier versions.
    n_rounds : int, default=20
        Fits under the null.
    alpha : float, default=0.05
        The error rate of the decisions that ``correction`` controls, in ``(0, 1)``.
    feature_groups : None, "auto" or mapping, default=None
        Test expanded columns as one feature; see
        :func:`skweightimp.importance.resolve_feature_groups`.
    group_score : {"mean", "sum", "rss"}, default="mean"
        How a group's score is made from its columns' scores, for the real groups and
        their shadow groups alike; see :func:`skweightimp.importance.aggregate_importances`
        (the mean does not grow with a categorical feature's number of levels).
    random_state : int, RandomState instance or None, default=None
        Seeds of the shuffles and of every clone's ``random_state``, drawn once from it,
        so the result does not depend on ``n_jobs`` or the joblib backend. The rounds
        must differ, so the estimator's own ``random_state`` is replaced in each clone.
    n_jobs : int, default=None
        Separate fits, or groups of replicas, trained at once as joblib tasks (threads
        unless a ``joblib.parallel_config`` says otherwise, e.g. the workers of a
        ``dask.distributed`` cluster with ``backend="dask"``); None means 1 unless in
        such a context. With replicas, ``n_jobs`` workers train at least one group each
        (docs/scaling.rst); a replica trains the same in any group, to float rounding.
    replicas : "auto" or bool, default="auto"
        Train the rounds as replicas of one model when the estimator allows it
        (``"auto"``), always (``True``: a ValueError says why when it cannot) or never
        (``False``: ``n_rounds`` separate fits). Replicas and
        separate fits draw the same shadows, permutations and initial weights from
        ``random_state``; only the order in which the rows are visited differs, so the
        p-values agree in distribution, not digit for digit.
    max_samples : int, float or None, default=None
        Train each shadow round on a sample of the rows, its own, drawn without
        replacement: ``max_samples`` rows (an int), that share of them (a float in
        ``(0, 1]``), or all of them (None). The cost of the test grows with the rows it
        trains on, its power too, and far less once the rows are plenty: how the
        decisions change with the sample on bench_mixed's Friedman case is in
        docs/scaling.rst. The permutation check of a rejection fits on such a sample
        too. Shadow null only.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        - ``scores`` : DataFrame indexed by feature, one column per method the model
          supports (in the order of the methods of
          :func:`skweightimp.importance.method_scores`): the
          raw scores, averaged over the rounds for the shadow null, of the observed
          fit for the permutation null;
        - ``pvalues`` : DataFrame like ``scores``, the adjusted p-values that a
          feature scores above noise (confirmed when ``<= alpha``);
        - ``pvalues_uncorrected`` : the same before the adjustment;
        - ``rejection_pvalues`` : DataFrame like ``scores``, the adjusted p-values
          of the opposite side (rejected when ``<= alpha``);
        - ``hits`` : DataFrame like ``scores`` of ints, the rounds in which the feature
          beat its own shadow (``test="pooled"``), the best shadow (``test="max"``) or
          its own null score (permutation);
        - ``decision`` : Series indexed by feature, ``"confirmed"``, ``"tentative"`` or
          ``"rejected"`` for ``method``;
        - ``summary`` : DataFrame for ``method`` (``score``, ``hits``, ``pvalue``,
          ``decision``, ``disagreement``: an empty string, or for a rejected feature
          that the network's permutation importance ranks among the features it uses,
          a sentence saying so), sorted by score, largest first;
        - ``disagreement`` : Series of those sentences, indexed by the features they
          are about (empty when there are none);
        - ``permutation_check`` : DataFrame indexed by feature (``importance`` and
          ``std``, the mean drop of the estimator's ``score`` and its standard deviation
          over the repeats; ``rank``; ``uses``), or None when no feature was rejected;
        - ``null_scores`` : dict of method to DataFrame of shape (n_rounds, n_features):
          each shadow's score (shadow: column ``j`` is the shadow of feature ``j``) or
          the feature's score with a permuted target (permutation);
        - ``round_scores`` : dict of method to DataFrame of shape (n_rounds,
          n_features), the features' own scores in each shadow round (shadow only);
        - ``round_kernels`` : list of each shadow round's trained kernels (None for a
          network that is no stack of Dense layers), whose pairs
          :func:`interaction_significance` tests (shadow only);
        - ``interactions`` : the pair test of those rounds, the ``summary`` that
          :func:`interaction_significance` returns (shadow only; None when a round's
          network is no stack of Dense layers);
        - ``estimator`` : the final estimator fitted on ``(X, y)`` (after the
          preprocessing), whose scores are the observed ones (permutation only);
        - ``columns`` : dict of feature to the list of the network's columns it stands
          for;
        - ``method`` (the method of ``decision``: what ``"auto"`` or None stood for),
          ``null``, ``test`` (None for the permutation null), ``n_rounds``, ``alpha``,
          ``correction``;
        - ``replicas`` : whether the rounds trained as replicas of one model, and
          ``training`` : how they were trained, in words (with the reason when they
          could not be replicas);
        - ``n_samples`` : the rows each round trained on (``max_samples``).

    See Also
    --------
    skweightimp.feature_selection.WeightTrajectorySelector : Keeps the confirmed
        features in a Pipeline.

    References
    ----------
    .. [1] M. B. Kursa and W. R. Rudnicki, "Feature Selection with the Boruta Package",
       Journal of Statistical Software 36(11), 2010.
    .. [2] J. D. Olden and D. A. Jackson, "Illuminating the 'black box': a randomization
       approach for understanding variable contributions in artificial neural networks",
       Ecological Modelling 154, 2002.
    .. [3] Y. Benjamini and Y. Hochberg, "Controlling the false discovery rate: a
       practical and powerful approach to multiple testing", Journal of the Royal
       Statistical Society B 57(1), 1995.
    .. [4] S. Bates, E. Candes, L. Lei, Y. Romano and M. Sesia, "Testing for outliers
       with conformal p-values", The Annals of Statistics 51(1), 2023 (p-values against
       shared null draws are positively dependent, so Benjamini-Hochberg holds).

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp import WeightTrajectoryRegressor
    >>> from skweightimp.inspection import importance_significance
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(100, 3))
    >>> y = 2 * X[:, 0] + 0.1 * rng.normal(size=100)  # only x0 matters
    >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=5, batch_size=16,
    ...                                 learning_rate=0.05)
    >>> result = importance_significance(est, X, y, n_rounds=20, random_state=0)
    >>> result.method  # method="auto": the recommended method decides
    'gradient'
    >>> result.summary[["hits", "pvalue", "decision"]]  # hits: rounds above its shadow
             hits    pvalue   decision
    feature
    x0         20  0.049180  confirmed
    x2         13  0.426230  tentative
    x1         16  0.368852  tentative
    >>> result.test, result.correction, result.disagreement.empty  # nothing rejected
    ('pooled', 'bh', True)

    x0's p-value is the smallest 20 rounds of 3 features give, ``1 / (1 + 20 * 3)``,
    times 3 for the correction: every one of the 60 null draws lies below its statistic.
    The test of earlier versions, Boruta's statistic (each feature against the best
    shadow of each round) with Holm's correction, from the same rounds:

    >>> boruta = importance_significance(est, X, y, test="max", correction="holm",
    ...                                  n_rounds=20, random_state=0)
    >>> boruta.summary[["hits", "pvalue", "decision"]]
             hits    pvalue   decision
    feature
    x0         20  0.000003  confirmed
    x2          7  0.942341  tentative
    x1         11  0.823803  tentative
    >>> sorted(result.pvalues.columns) == sorted(result.scores.columns)
    True
    >>> result.training  # all twenty rounds in one Keras model
    'replicas of one Keras model'

    A network of one's own cannot be replicated; its rounds are separate fits, and the
    result says so:

    >>> from skweightimp.utils._backend import keras
    >>> def own_network(meta):  # the shadow rounds have twice the columns
    ...     return keras.Sequential([keras.Input((meta["n_features_in_"],)),
    ...                              keras.layers.Dense(4), keras.layers.Dense(1)])
    >>> own = WeightTrajectoryRegressor(model=own_network, loss="mse", epochs=2)
    >>> importance_significance(own, X, y, n_rounds=6, random_state=0).training
    'separate fits: it trains a model= of your own, which replicas cannot reproduce'
    >>> importance_significance(own, X, y, n_rounds=6, replicas=True)
    Traceback (most recent call last):
    ...
    ValueError: replicas=True, but WeightTrajectoryRegressor cannot be trained as replicas: ...
    """
    fitted_preprocessor, final, X_model, names = network_input(estimator, X, y)
    group_names, members = resolve_feature_groups(
        names, feature_groups, preprocessor=fitted_preprocessor
    )
    method = _requested_method(method, final)
    _warn_if_powerless(null, n_rounds, len(group_names), alpha, test, correction)
    sample = sample_size(max_samples, X_model.shape[0], null, is_classifier(final))
    plan = plan_rounds(random_state, null, n_rounds)
    use_replicas, training = replica_plan(replicas, final)
    fits = fit_rounds(final, X_model, y, members, group_score, plan, sample, use_replicas, n_jobs)
    methods, method = _supported_methods(fits, final, method)

    index = pd.Index(group_names, name="feature")
    tables = _null_tables(fits, methods, null, test, n_rounds, index)
    frames = _method_frames(tables, index)
    pvalues, rejection = _adjusted_pvalues(frames, tables, correction)
    decision = _decision(pvalues, rejection, method, alpha, index)
    check, notes = _check_rejected(decision, fits, final, X_model, y, members, method, plan, sample)
    result = Bunch(
        scores=frames["scores"],
        pvalues=pvalues,
        pvalues_uncorrected=frames["confirm"],
        rejection_pvalues=rejection,
        hits=frames["hits"],
        decision=decision,
        summary=_summary(frames, pvalues, decision, notes, method),
        disagreement=notes[notes != ""],
        permutation_check=check,
        null_scores={name: table.null_scores for name, table in tables.items()},
        columns={
            group: [names[i] for i in idx] for group, idx in zip(group_names, members, strict=True)
        },
        method=method,
        null=null,
        test=test if null == "shadow" else None,
        n_rounds=n_rounds,
        alpha=alpha,
        correction=correction,
        replicas=use_replicas,
        training=training,
        n_samples=X_model.shape[0] if sample is None else sample.size,
    )
    if null == "shadow":
        result["round_scores"] = {name: table.round_scores for name, table in tables.items()}
        result["round_kernels"] = [fit["kernels"] for fit in fits]
        result["interactions"] = _interactions_of_rounds(
            result["round_kernels"], group_names, members, group_score, alpha
        )
    else:
        result["estimator"] = fits[0]["model"]
    return result


# Its public home: the API reference and the doctests find it there.
importance_significance.__module__ = "skweightimp.inspection"
