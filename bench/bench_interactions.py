"""Pairwise interactions read from the network against tree SHAP and Friedman's H.

Issue 24: the estimators' ``interaction_scores`` reads which features the trained network
joins, by NID (Tsang, Cheng & Liu, "Detecting Statistical Interactions from Neural Network
Weights", ICLR 2018: for first-layer unit ``s`` the pair ``(i, j)`` scores
``z_s * min(|W1[i, s]|, |W1[j, s]|)``, ``z_s`` the unit's influence on the output, summed
over the units) or by ``"gradient"`` (mean absolute mixed second difference of the fitted
function). This benchmark asks whether those scores find the pairs that interact in data
whose interacting pairs are known, as well as two established scores of a gradient-boosting
model fitted to the same rows. The designs below are the published ones (or, for the last
two, fixed before any method was run on them); nothing is tuned to a method.

Data sets (drawn anew for every seed; the truth is the set of unordered pairs that appear
together in one term of the function: a 3-way term ``{a, b, c}`` gives its 3 pairs):

``F1`` ... ``F10`` (regression, 10 features ``x1``-``x10``, no noise)
    The ten synthetic functions of Tsang et al. (2018), Table 1 (the same test suite as in
    their later papers). Every ``x_i ~ U(-1, 1)``, except in ``F1``, which keeps the ranges
    of Hooker (2004): ``x1, x2, x3, x6, x7, x9 ~ U(0, 1)`` and ``x4, x5, x8, x10 ~
    U(0.6, 1)``. Written from the paper's Table 1 as recalled (the paper could not be
    fetched where this was written, and the authors' repository holds no copy of the
    functions), cross-checked against a third-party reimplementation whose formulas agree
    up to numerical guards; its truth sets did not (it misses e.g. F5's ``{6, 7}`` and
    F4's ``{1, 4}``), so the truth below is read off the formulas, and it is checked: the
    mixed second differences of each function are non-zero on exactly these pairs. Two
    terms are undefined on ``U(-1, 1)`` as printed and take an absolute value here (their
    interacting pairs are unchanged): ``x3^(2|x4|)`` in F3/F4 is computed as
    ``|x3|^(2|x4|)``, and ``sqrt(x7 / (1 + |x8|))`` in F2 as ``sqrt(|x7| / (1 + |x8|))``.

    ====  ==================================================================  ===========
    F1    pi^(x1 x2) sqrt(2 x3) - asin(x4) + log(x3 + x5)                        {1,2,3}
          - (x9 / x10) sqrt(x7 / x8) - x2 x7                                     {3,5} {2,7}
                                                                                 {7,8,9,10}
    F2    pi^(x1 x2) sqrt(2 |x3|) - asin(0.5 x4) + log(|x3 + x5| + 1)            as F1
          - x9 / (1 + |x10|) sqrt(x7 / (1 + |x8|)) - x2 x7
    F3    exp|x1 - x2| + |x2 x3| - x3^(2 |x4|) + log(x4^2 + x5^2 + x7^2 + x8^2)  {1,2} {2,3}
          + x9 + 1 / (1 + x10^2)                                                 {3,4}
                                                                                 {4,5,7,8}
    F4    F3 + (x1 x4)^2                                                         F3, {1,4}
    F5    1 / (1 + x1^2 + x2^2 + x3^2) + sqrt(exp(x4 + x5)) + |x6 + x7|          {1,2,3}
          + x8 x9 x10                                                            {4,5} {6,7}
                                                                                 {8,9,10}
    F6    exp(|x1 x2| + 1) - exp(|x3 + x4| + 1) + cos(x5 + x6 - x8)              {1,2} {3,4}
          + sqrt(x8^2 + x9^2 + x10^2)                                            {5,6,8}
                                                                                 {8,9,10}
    F7    (atan(x1) + atan(x2))^2 + max(x3 x4 + x6, 0)                           {1,2}
          - 1 / (1 + (x4 x5 x6 x7 x8)^2) + (|x7| / (1 + |x9|))^5 + sum_i x_i     {3,4,6} {7,9}
                                                                                 {4,5,6,7,8}
    F8    x1 x2 + 2^(x3 + x5 + x6) + 2^(x3 + x4 + x5 + x7)                       {1,2} {3,5,6}
          + sin(x7 sin(x8 + x9)) + acos(0.9 x10)                                 {3,4,5,7}
                                                                                 {7,8,9}
    F9    tanh(x1 x2 + x3 x4) sqrt|x5| + exp(x5 + x6) + log((x6 x7 x8)^2 + 1)   {1,2,3,4,5}
          + x9 x10 + 1 / (1 + |x10|)                                             {5,6} {6,7,8}
                                                                                 {9,10}
    F10   sinh(x1 + x2) + acos(tanh(x3 + x5 + x7)) + cos(x4 + x5) + sec(x7 x9)   {1,2} {4,5}
                                                                                 {3,5,7} {7,9}
    ====  ==================================================================  ===========

``friedman1`` (regression, 10 features ``x0``-``x9``)
    :func:`sklearn.datasets.make_friedman1` with ``n_features=10, noise=1``:
    ``10 sin(pi x0 x1) + 20 (x2 - 0.5)^2 + 10 x3 + 5 x4 + N(0, 1)``, x5-x9 noise. Truth:
    ``(x0, x1)`` only.
``pure_interactions`` (regression, 12 features ``x0``-``x11``)
    ``y = x0 x1 + x2 x3 + N(0, 0.5^2)``, every ``x_i ~ N(0, 1)``: no main effects. Truth:
    ``(x0, x1)``, ``(x2, x3)``; x4-x11 noise.
``categorical`` (regression, x0-x9 and a 5-level category ``c``)
    ``x_i ~ N(0, 1)``, ``c`` uniform over ``l0``-``l4``, ``y = 2 x0 [c == l0] + x1 x2 + x3
    + N(0, 0.5^2)``. Truth: ``(x0, c)``, ``(x1, x2)``; x4-x9 noise. ``c`` is one-hot
    encoded; every method scores pairs of the original 11 columns (see below).

Protocol (every method in the same run, on the same rows): an 80/20 split (seeded); ``y``
standardised with the training rows' mean and standard deviation; ``ColumnTransformer(
StandardScaler() on the numeric columns, OneHotEncoder() on c)``. Then

- ours: ``WeightTrajectoryRegressor`` with the library's recommended configuration for
  importance (``first_layer_l1=0.01`` and ``group_score="rss"``, from
  skweightimp/_report/recommendation.py; the estimator's defaults otherwise: 200 epochs,
  Adam 1e-3, batch 32), in two sizes: the default ``hidden_layer_sizes=(100,)`` and
  ``(140, 100, 60, 20)``, the network of the NID paper. Then the way the NID paper
  trains the network it reads: ``+k1e-4`` trains with ``kernel_l1=1e-4`` on every kernel
  (the NID reference code's default) instead of ``first_layer_l1``, and ``+k0`` with no
  penalty at all (the estimator's defaults). ``c``'s one-hot columns form one
  feature group (``feature_groups``: ``"auto"`` where the estimator accepts it, else the
  mapping :func:`skweightimp.importance.auto_feature_groups` makes), so its scores come
  per group. Read: ``interaction_scores("nid")`` and ``interaction_scores("gradient",
  X=<the training rows, encoded>)``; a method the checkout lacks is recorded as
  ``missing`` (or ``unsupported``), and such rows are not counted as done, so a later run
  fills them in.
- peers, of one ``HistGradientBoostingRegressor`` (scikit-learn's defaults, seeded) fitted
  on the same encoded training rows:

  - ``tree_shap``: ``shap.TreeExplainer(model).shap_interaction_values`` on up to
    ``--shap-rows`` (1,000) training rows; pair strength = mean ``|value[i, j]|`` over the
    rows. For ``c`` the strength of ``(x, c)`` is the sum over c's one-hot columns of
    their pair strengths with ``x``.
  - ``h_statistic``: Friedman and Popescu's (2008) pairwise ``H^2_jk = sum_i [PD_jk(x_ij,
    x_ik) - PD_j(x_ij) - PD_k(x_ik)]^2 / sum_i PD_jk(x_ij, x_ik)^2`` with centred partial
    dependences, computed here from the definition by a direct loop over the model's
    predictions on a sample of ``--h-rows`` (300) training rows, which serve both as the
    points and as the background of the averages (``(p + p (p - 1) / 2) n^2``
    predictions). ``c`` is one feature: its one-hot columns are set together. With more
    than ``--h-max-features`` (12) original columns only the pairs among the columns with
    the largest partial-dependence variance would be scored (the others get 0); no data
    set here has more than 12, so every pair is scored.
  - ``h_unnormalized`` (for information, not one of the two peers of the targets): the
    same numerator without the denominator, ``sqrt(sum_i [...]^2 / n)``, the unnormalised
    variant (the ratio can be large for a pair whose joint effect is itself tiny).

Metrics per (data set, seed, model, method): ``auc``, the ROC AUC of the pair strengths
against the truth over every unordered pair ``i < j`` (:func:`sklearn.metrics.
roc_auc_score`; ties count half); ``top1``, whether the strongest pair is a true pair (ties
broken against the truth); ``top_pair``; ``seconds`` to compute the scores; for ours
``fit_seconds`` and ``cost_ratio = seconds / fit_seconds`` (for the peers the gradient
boosting's fit time and the same ratio, for comparison); ``r2``, the model's R^2 on the
held-out 20 %. The strengths of every pair are kept (``strengths``).

``--significance`` adds the noise test of the pairs,
``skweightimp.inspection.interaction_significance`` (``--rounds`` 20 rounds, alpha 0.05,
``random_state`` = seed) of ours with the default ``(100,)`` network on the training rows
of ``pure_interactions`` and ``friedman1``: the share of the pairs involving a noise column
that it confirms, which true pairs it confirms, and how many of the other pairs of real
columns (real, but not interacting). ``--significance-methods`` picks the ``method``
argument (``default``: the function's own). ``missing`` when the checkout has no such
function (not counted as done either).

Targets (issue 24): the mean AUC of ours at least the best peer's (``tree_shap``,
``h_statistic``) in the same run; on ``friedman1`` the strongest pair is ``(x0, x1)``; the
noise test confirms at most 5 % of the pairs that involve a noise column; the scores cost
at most 1 % of a fit.

Run from the repository root (TensorFlow backend; the peers need ``pip install -e
.[bench]`` for shap)::

    nice -n 10 python bench/bench_interactions.py --quick      # a smoke run, a few minutes
    nice -n 10 python bench/bench_interactions.py               # 10,000 rows, 5 seeds, ~2.5 h
    nice -n 10 python bench/bench_interactions.py --significance --skip-methods
    python bench/bench_interactions.py --summarize              # the tables from the CSVs

On the 2-core machine one (data set, seed) of the full run took about 2 minutes (the
two networks ~20-30 s each, the H-statistic ~50 s, tree SHAP ~5 s), so the 65 of the
methods part take about 2.5 hours; the noise test trains ``--rounds`` networks per call.

Records go to ``docs/_static/bench_interactions/``: ``methods.csv`` and
``significance.csv`` (rows appended per finished (data set, seed, model); finished ones are
skipped, so a run can be resumed or extended), ``machine.txt`` (the machine line and
arguments of every run) and ``summary.md`` (the tables, rewritten after every run).
``--quick`` writes to a ``quick/`` subdirectory.
"""

import argparse
import datetime
import itertools
import os
import time
import warnings
from pathlib import Path

import _machine  # noqa: F401  (puts this checkout first on sys.path)
import numpy as np
import pandas as pd
from _records import append_rows, fmt, markdown_table, now, num, read_done

F_DATASETS = tuple(f"F{k}" for k in range(1, 11))
DATASETS = (*F_DATASETS, "friedman1", "pure_interactions", "categorical")
SIGNIFICANCE_DATASETS = ("pure_interactions", "friedman1")
# Our networks: the hidden layers, then "+k<l1>" for kernel_l1=<l1> on every kernel
# instead of the importance configuration's first_layer_l1 ("+k0": no penalty at all,
# the estimator's defaults). The records also hold "+m10" networks (main_effect_units=10,
# univariate units per feature, NID's MLP-M), measured at commit 4fad196 and not kept.
CONFIGS = ("100", "140-100-60-20", "100+k1e-4", "100+k0")
OUR_METHODS = ("nid", "gradient")
PEER_METHODS = ("tree_shap", "h_statistic")  # the peers the targets compare with
PEER_VARIANTS = ("h_unnormalized",)
PEER_MODEL = "hgb"
TEST_SIZE = 0.2
SHAP_ROWS = 1000
H_ROWS = 300
H_MAX_FEATURES = 12
SIGNIFICANCE_ROUNDS = 20
SIGNIFICANCE_ALPHA = 0.05
NOISE_SHARE_TARGET = 0.05
COST_TARGET = 0.01
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "_static" / "bench_interactions"
#: Statuses after which a row counts as done (``missing`` is redone by a later run).
DONE_STATUSES = ("ok", "unsupported", "error")

METHOD_FIELDS = [
    "dataset", "rows", "seed", "model", "epochs", "method", "kind", "status", "auc", "top1",
    "top_pair", "n_features", "n_pairs", "n_true", "seconds", "fit_seconds", "cost_ratio",
    "r2", "l1", "group_score", "sample_rows", "backend", "note", "strengths", "finished",
]  # fmt: skip
SIGNIFICANCE_FIELDS = [
    "dataset", "rows", "seed", "model", "epochs", "method", "n_rounds", "status", "n_pairs",
    "n_noise_pairs", "noise_confirmed", "noise_tentative", "noise_share", "n_true",
    "true_confirmed", "true_decisions", "other_confirmed", "confirmed_pairs", "seconds",
    "backend", "note", "finished",
]  # fmt: skip


# =========================================================================== data

#: The interaction terms of F1-F10 (1-indexed variables), read off the formulas above.
F_TERMS = {
    1: [(1, 2, 3), (3, 5), (7, 8, 9, 10), (2, 7)],
    2: [(1, 2, 3), (3, 5), (7, 8, 9, 10), (2, 7)],
    3: [(1, 2), (2, 3), (3, 4), (4, 5, 7, 8)],
    4: [(1, 2), (2, 3), (3, 4), (1, 4), (4, 5, 7, 8)],
    5: [(1, 2, 3), (4, 5), (6, 7), (8, 9, 10)],
    6: [(1, 2), (3, 4), (5, 6, 8), (8, 9, 10)],
    7: [(1, 2), (3, 4, 6), (4, 5, 6, 7, 8), (7, 9)],
    8: [(1, 2), (3, 5, 6), (3, 4, 5, 7), (7, 8, 9)],
    9: [(1, 2, 3, 4, 5), (5, 6), (6, 7, 8), (9, 10)],
    10: [(1, 2), (3, 5, 7), (4, 5), (7, 9)],
}
#: The variables each function does not use at all (its noise columns).
F_UNUSED = {1: (6,), 2: (6,), 3: (6,), 4: (6,), 6: (7,), 10: (6, 8, 10)}


def nid_function(k, x):
    """``F_k`` of Tsang et al. (2018), Table 1, at the rows of ``x`` (columns x1-x10)."""
    x1, x2, x3, x4, x5, x6, x7, x8, x9, x10 = (x[:, i] for i in range(10))
    a = np.abs
    if k == 1:
        return (
            np.pi ** (x1 * x2) * np.sqrt(2 * x3)
            - np.arcsin(x4)
            + np.log(x3 + x5)
            - (x9 / x10) * np.sqrt(x7 / x8)
            - x2 * x7
        )
    if k == 2:  # |x7| under the root: x7 / (1 + |x8|) is negative for x7 < 0
        return (
            np.pi ** (x1 * x2) * np.sqrt(2 * a(x3))
            - np.arcsin(0.5 * x4)
            + np.log(a(x3 + x5) + 1)
            - x9 / (1 + a(x10)) * np.sqrt(a(x7) / (1 + a(x8)))
            - x2 * x7
        )
    if k in (3, 4):  # |x3| as the base: x3^(2|x4|) is not real for x3 < 0
        y = (
            np.exp(a(x1 - x2))
            + a(x2 * x3)
            - a(x3) ** (2 * a(x4))
            + np.log(x4**2 + x5**2 + x7**2 + x8**2)
            + x9
            + 1 / (1 + x10**2)
        )
        return y + (x1 * x4) ** 2 if k == 4 else y
    if k == 5:
        return (
            1 / (1 + x1**2 + x2**2 + x3**2) + np.sqrt(np.exp(x4 + x5)) + a(x6 + x7) + x8 * x9 * x10
        )
    if k == 6:
        return (
            np.exp(a(x1 * x2) + 1)
            - np.exp(a(x3 + x4) + 1)
            + np.cos(x5 + x6 - x8)
            + np.sqrt(x8**2 + x9**2 + x10**2)
        )
    if k == 7:
        return (
            (np.arctan(x1) + np.arctan(x2)) ** 2
            + np.maximum(x3 * x4 + x6, 0)
            - 1 / (1 + (x4 * x5 * x6 * x7 * x8) ** 2)
            + (a(x7) / (1 + a(x9))) ** 5
            + x.sum(axis=1)
        )
    if k == 8:
        return (
            x1 * x2
            + 2 ** (x3 + x5 + x6)
            + 2 ** (x3 + x4 + x5 + x7)
            + np.sin(x7 * np.sin(x8 + x9))
            + np.arccos(0.9 * x10)
        )
    if k == 9:
        return (
            np.tanh(x1 * x2 + x3 * x4) * np.sqrt(a(x5))
            + np.exp(x5 + x6)
            + np.log((x6 * x7 * x8) ** 2 + 1)
            + x9 * x10
            + 1 / (1 + a(x10))
        )
    if k == 10:
        return (
            np.sinh(x1 + x2)
            + np.arccos(np.tanh(x3 + x5 + x7))
            + np.cos(x4 + x5)
            + 1 / np.cos(x7 * x9)
        )
    raise ValueError(k)


def _pairs_of_terms(terms, names):
    return {
        frozenset((names[a], names[b]))
        for term in terms
        for a, b in itertools.combinations(term, 2)
    }


def make_data(name, n_rows, seed):
    """``(X DataFrame, y, categorical columns, truth pairs, noise columns)``.

    ``truth`` is a set of ``frozenset({a, b})`` of column names.
    """
    rng = np.random.RandomState([seed, DATASETS.index(name)])
    if name in F_DATASETS:
        k = int(name[1:])
        names = [f"x{i}" for i in range(1, 11)]
        if k == 1:  # Hooker (2004)'s ranges
            low = np.array([0, 0, 0, 0.6, 0.6, 0, 0, 0.6, 0, 0.6])
            x = rng.uniform(low, 1.0, size=(n_rows, 10))
        else:
            x = rng.uniform(-1.0, 1.0, size=(n_rows, 10))
        y = nid_function(k, x)
        truth = _pairs_of_terms(F_TERMS[k], {i + 1: n for i, n in enumerate(names)})
        noise = [f"x{i}" for i in F_UNUSED.get(k, ())]
        return pd.DataFrame(x, columns=names), y, [], truth, noise
    if name == "friedman1":
        from sklearn.datasets import make_friedman1

        x, y = make_friedman1(n_rows, n_features=10, noise=1.0, random_state=rng)
        names = [f"x{i}" for i in range(10)]
        noise = names[5:]
        return pd.DataFrame(x, columns=names), y, [], {frozenset(("x0", "x1"))}, noise
    if name == "pure_interactions":
        names = [f"x{i}" for i in range(12)]
        x = rng.normal(size=(n_rows, 12))
        y = x[:, 0] * x[:, 1] + x[:, 2] * x[:, 3] + 0.5 * rng.normal(size=n_rows)
        truth = {frozenset(("x0", "x1")), frozenset(("x2", "x3"))}
        return pd.DataFrame(x, columns=names), y, [], truth, names[4:]
    if name == "categorical":
        names = [f"x{i}" for i in range(10)]
        X = pd.DataFrame(rng.normal(size=(n_rows, 10)), columns=names)
        X["c"] = rng.choice([f"l{i}" for i in range(5)], size=n_rows).astype(object)
        x = X[names].to_numpy()
        level0 = (X["c"] == "l0").to_numpy()
        y = 2 * x[:, 0] * level0 + x[:, 1] * x[:, 2] + x[:, 3] + 0.5 * rng.normal(size=n_rows)
        truth = {frozenset(("x0", "c")), frozenset(("x1", "x2"))}
        return X, y, ["c"], truth, names[4:]
    raise ValueError(name)


def split(X, y, seed):
    """80/20, ``y`` standardised with the training rows' mean and standard deviation."""
    from sklearn.model_selection import train_test_split

    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SIZE, random_state=seed
    )
    mean, sd = y_train.mean(), y_train.std()
    return X_train, X_test, (y_train - mean) / sd, (y_test - mean) / sd


def preprocessor(numeric, categorical, pandas):
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    parts = [("num", StandardScaler(), numeric)]
    if categorical:
        encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        parts.append(("cat", encoder, categorical))
    pre = ColumnTransformer(parts, verbose_feature_names_out=False)
    return pre.set_output(transform="pandas") if pandas else pre


def raw_members(fitted_pre, raw_columns):
    """``{raw column: [encoded column positions]}`` of a fitted ColumnTransformer."""
    from skweightimp.importance import auto_feature_groups

    encoded = list(fitted_pre.get_feature_names_out())
    groups = auto_feature_groups(fitted_pre, encoded)
    position = {name: i for i, name in enumerate(encoded)}
    return {raw: [position[c] for c in groups[raw]] for raw in raw_columns}


# =========================================================================== ours


def _accepts_auto_groups(estimator_class):
    """Whether the estimator's ``feature_groups`` takes ``"auto"`` (the inspection
    functions' do; the estimator's took only a mapping when this was written)."""
    from sklearn.utils._param_validation import StrOptions

    constraints = getattr(estimator_class, "_parameter_constraints", {}).get("feature_groups", [])
    return any(isinstance(c, StrOptions) and "auto" in c.options for c in constraints)


def network(numeric, categorical, X_train, config, seed, epochs):
    """Our pipeline: the preprocessing and the recommended estimator for importance, with
    the network of ``config`` (see ``CONFIGS``)."""
    from sklearn.base import clone
    from sklearn.pipeline import Pipeline

    from skweightimp import WeightTrajectoryRegressor
    from skweightimp._report.recommendation import RECOMMENDED_GROUP_SCORE, RECOMMENDED_L1
    from skweightimp.importance import auto_feature_groups

    pre = preprocessor(numeric, categorical, pandas=True)
    params = {
        "first_layer_l1": RECOMMENDED_L1,
        "group_score": RECOMMENDED_GROUP_SCORE,
        "random_state": seed,
        **_network_params(config),
    }
    if epochs is not None:
        params["epochs"] = epochs
    if categorical:
        if _accepts_auto_groups(WeightTrajectoryRegressor):
            params["feature_groups"] = "auto"
        else:
            fitted = clone(pre).fit(X_train)
            groups = auto_feature_groups(fitted, list(fitted.get_feature_names_out()))
            params["feature_groups"] = {g: c for g, c in groups.items() if len(c) > 1}
    return Pipeline([("pre", pre), ("net", WeightTrajectoryRegressor(**params))])


def _network_params(config):
    hidden, *options = config.split("+")
    # Only what a config names, so that checkouts without these parameters run the others.
    params = {"hidden_layer_sizes": tuple(int(units) for units in hidden.split("-"))}
    for option in options:
        if not option.startswith("k"):
            raise ValueError(f"unknown option {option!r} in config {config!r}")
        params.update(kernel_l1=float(option[1:]), first_layer_l1=0.0)
    return params


def our_scores(pipe, X_train, members, raw_columns):
    """``{method: (status, raw strength matrix or None, seconds, note)}`` of one fit."""
    net = pipe[-1]
    out = {}
    if not hasattr(net, "interaction_scores"):
        for method in OUR_METHODS:
            out[method] = ("missing", None, np.nan, "no interaction_scores in this checkout")
        return out
    X_enc = pipe[:-1].transform(X_train)
    encoded = list(pipe[:-1].get_feature_names_out())
    for method in OUR_METHODS:
        kwargs = {"X": X_enc} if method == "gradient" else {}
        start = time.perf_counter()
        try:
            frame = net.interaction_scores(method, **kwargs)
        except (TypeError, ValueError, NotImplementedError) as error:
            out[method] = ("unsupported", None, np.nan, f"{type(error).__name__}: {error}")
            continue
        seconds = time.perf_counter() - start
        matrix, note = _frame_to_raw(frame, raw_columns, encoded, members)
        out[method] = ("ok", matrix, seconds, note)
    return out


def _frame_to_raw(frame, raw_columns, encoded, members):
    """A features x features DataFrame as a matrix over the original columns.

    Per group (or original column) as the estimator returns it with ``feature_groups``;
    should it come per encoded column, the absolute strengths are summed over each
    original column's encoded columns, as for the peers.
    """
    names = [str(n) for n in frame.index]
    if set(raw_columns) <= set(names):
        return frame.loc[raw_columns, raw_columns].to_numpy(dtype=np.float64), ""
    if names == encoded:
        return to_raw(np.abs(frame.to_numpy(dtype=np.float64)), members, raw_columns), (
            "per encoded column: summed over each column's one-hot columns"
        )
    raise ValueError(f"interaction_scores names {names[:5]}... match neither the data nor it")


# =========================================================================== peers


def to_raw(strength, members, raw_columns):
    """Sum a pair strength over the encoded columns of each original column."""
    p = len(raw_columns)
    out = np.zeros((p, p))
    for a, b in itertools.combinations(range(p), 2):
        block = strength[np.ix_(members[raw_columns[a]], members[raw_columns[b]])]
        out[a, b] = out[b, a] = block.sum()
    return out


def tree_shap_strength(model, X_enc):
    """Mean absolute tree-SHAP interaction value of every pair of encoded columns."""
    import shap

    values = shap.TreeExplainer(model).shap_interaction_values(X_enc)
    strength = np.abs(np.asarray(values, dtype=np.float64)).mean(axis=0)
    np.fill_diagonal(strength, 0.0)
    return strength


def h_statistic(predict, X_enc, members, raw_columns, max_features, batch_rows=200_000):
    """Friedman and Popescu's pairwise H^2 (and its unnormalised numerator) per pair of
    original columns, by brute force over the rows of ``X_enc`` (points and background).

    ``PD_S(x_i) = mean_l f(x_i,S, x_l,rest)`` for the column set ``S`` (all encoded columns
    of the original columns in it), centred over the ``n`` points. Returns ``(H^2 matrix,
    sqrt(mean squared difference) matrix, note)``.
    """
    X_enc = np.asarray(X_enc, dtype=np.float64)
    n, width = X_enc.shape
    p = len(raw_columns)

    def centred_pd(columns):
        grid = np.repeat(X_enc[None, :, :], n, axis=0)  # [point i, background l, column]
        grid[:, :, columns] = X_enc[:, None, columns]
        flat = grid.reshape(n * n, width)
        f = np.concatenate([predict(flat[s : s + batch_rows]) for s in range(0, n * n, batch_rows)])
        pd_values = f.reshape(n, n).mean(axis=1)
        return pd_values - pd_values.mean()

    one = [centred_pd(members[c]) for c in raw_columns]
    chosen = list(range(p))
    note = ""
    if p > max_features:
        spread = np.array([np.var(v) for v in one])
        chosen = sorted(np.argsort(-spread)[:max_features].tolist())
        note = f"H on the {max_features} of {p} columns with the largest PD variance"
    h2 = np.zeros((p, p))
    raw = np.zeros((p, p))
    for a, b in itertools.combinations(chosen, 2):
        joint = centred_pd(members[raw_columns[a]] + members[raw_columns[b]])
        difference = np.sum((joint - one[a] - one[b]) ** 2)
        total = np.sum(joint**2)
        h2[a, b] = h2[b, a] = difference / total if total > 0 else 0.0
        raw[a, b] = raw[b, a] = np.sqrt(difference / n)
    return h2, raw, note


def peer_scores(pipe, X_train, members, raw_columns, args, seed):
    """``{method: (status, raw strength matrix, seconds, note)}`` of the boosting model."""
    rng = np.random.RandomState(seed)
    X_enc = np.asarray(pipe[:-1].transform(X_train), dtype=np.float64)
    model = pipe[-1]
    out = {}
    rows = rng.choice(len(X_enc), min(args.shap_rows, len(X_enc)), replace=False)
    start = time.perf_counter()
    try:
        strength = tree_shap_strength(model, X_enc[np.sort(rows)])
    except ImportError as error:
        out["tree_shap"] = ("missing", None, np.nan, f"shap not installed: {error}")
    else:
        matrix = to_raw(strength, members, raw_columns)
        out["tree_shap"] = ("ok", matrix, time.perf_counter() - start, f"{len(rows)} rows")
    rows = rng.choice(len(X_enc), min(args.h_rows, len(X_enc)), replace=False)
    start = time.perf_counter()
    h2, raw, note = h_statistic(
        model.predict, X_enc[np.sort(rows)], members, raw_columns, args.h_max_features
    )
    seconds = time.perf_counter() - start
    note = "; ".join(filter(None, [f"{len(rows)} rows", note]))
    out["h_statistic"] = ("ok", h2, seconds, note)
    out["h_unnormalized"] = ("ok", raw, seconds, note + "; same pass as h_statistic")
    return out


# =========================================================================== metrics


def pair_metrics(matrix, raw_columns, truth):
    """AUC over the unordered pairs, whether the strongest is true, and the pairs' text."""
    from sklearn.metrics import roc_auc_score

    pairs = list(itertools.combinations(range(len(raw_columns)), 2))
    strengths = np.array([matrix[i, j] for i, j in pairs], dtype=np.float64)
    labels = np.array([frozenset((raw_columns[i], raw_columns[j])) in truth for i, j in pairs])
    note = ""
    if not np.isfinite(strengths).all():
        note = f"{int((~np.isfinite(strengths)).sum())} non-finite strengths set to 0"
        strengths = np.where(np.isfinite(strengths), strengths, 0.0)
    auc = roc_auc_score(labels, strengths) if 0 < labels.sum() < len(labels) else np.nan
    order = np.lexsort((labels.astype(int), -strengths))  # ties: a false pair first
    top = pairs[order[0]]
    total = np.abs(strengths).max()
    text = ";".join(
        f"{raw_columns[pairs[k][0]]}:{raw_columns[pairs[k][1]]}="
        f"{strengths[k] / total if total > 0 else strengths[k]:.4g}"
        for k in order
    )
    return {
        "auc": auc,
        "top1": int(labels[order[0]]),
        "top_pair": f"{raw_columns[top[0]]}:{raw_columns[top[1]]}",
        "n_features": len(raw_columns),
        "n_pairs": len(pairs),
        "n_true": int(labels.sum()),
        "strengths": text,
    }, note


# =========================================================================== methods part


def _timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def _cases(args):
    for dataset in args.datasets:
        for seed in args.seed_list:
            X, y, categorical, truth, noise = make_data(dataset, args.rows, seed)
            numeric = [c for c in X.columns if c not in categorical]
            yield dataset, seed, (X, y, categorical, truth, noise, numeric), split(X, y, seed)


def _done(path, keys):
    """Keys of the rows already recorded with a final status."""
    return {key[:-1] for key in read_done(path, [*keys, "status"]) if key[-1] in DONE_STATUSES}


def run_methods(args, backend, progress):
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import Pipeline

    from skweightimp._report.recommendation import RECOMMENDED_GROUP_SCORE, RECOMMENDED_L1

    path = args.out_dir / "methods.csv"
    keys = ["dataset", "rows", "seed", "model", "epochs"]
    done = _done(path, keys)
    sample = f"shap {args.shap_rows}, h {args.h_rows}"
    for dataset, seed, data, (X_train, X_test, y_train, y_test) in _cases(args):
        X, y, categorical, truth, noise, numeric = data
        raw_columns = list(X.columns)
        base = {"dataset": dataset, "rows": args.rows, "seed": seed, "backend": backend}
        models = [(PEER_MODEL, None)] + [(f"net_{c}", c) for c in args.configs]
        for model, config in models:
            epochs = "-" if config is None else args.epochs_label
            if (dataset, str(args.rows), str(seed), model, str(epochs)) in done:
                progress(f"skip {dataset} seed {seed} {model} (done)")
                continue
            if config is None:
                pipe = Pipeline(
                    [
                        ("pre", preprocessor(numeric, categorical, pandas=False)),
                        ("gbm", HistGradientBoostingRegressor(random_state=seed)),
                    ]
                )
            else:
                pipe = network(numeric, categorical, X_train, config, seed, args.epochs)
            _, fit_seconds = _timed(pipe.fit, X_train, y_train)
            r2 = float(pipe.score(X_test, y_test))
            members = raw_members(pipe[:-1], raw_columns)
            if config is None:
                scores = peer_scores(pipe, X_train, members, raw_columns, args, seed)
                extra = {"l1": "", "group_score": "sum (one-hot)", "sample_rows": sample}
            else:
                scores = our_scores(pipe, X_train, members, raw_columns)
                extra = {
                    "l1": RECOMMENDED_L1,
                    "group_score": RECOMMENDED_GROUP_SCORE,
                    "sample_rows": "gradient: the library's (up to 1000)",
                }
            rows = []
            for method, (status, matrix, seconds, note) in scores.items():
                row = {
                    **base,
                    "model": model,
                    "epochs": epochs,
                    "method": method,
                    "kind": _kind(method, config),
                    "status": status,
                    "seconds": seconds,
                    "fit_seconds": fit_seconds,
                    "cost_ratio": seconds / fit_seconds if status == "ok" else np.nan,
                    "r2": r2,
                    **extra,
                    "note": note,
                    "finished": now(),
                }
                if matrix is not None:
                    metrics, metric_note = pair_metrics(matrix, raw_columns, truth)
                    row.update(metrics)
                    row["note"] = "; ".join(filter(None, [note, metric_note]))
                rows.append({k: fmt(v) for k, v in row.items()})
            append_rows(path, METHOD_FIELDS, rows)
            summary = ", ".join(
                f"{r['method']} {r['status'] if r['status'] != 'ok' else 'auc ' + r['auc']}"
                for r in rows
            )
            progress(
                f"{dataset} seed {seed} {model}: fit {fit_seconds:.1f} s, R2 {r2:.3f}; {summary}"
            )


def _kind(method, config):
    if config is not None:
        return "ours"
    return "peer" if method in PEER_METHODS else "peer variant"


# =========================================================================== significance part


def run_significance(args, backend, progress):
    path = args.out_dir / "significance.csv"
    keys = ["dataset", "rows", "seed", "model", "epochs", "method", "n_rounds"]
    done = _done(path, keys)
    try:
        from skweightimp.inspection import interaction_significance
    except ImportError:
        interaction_significance = None
    config = args.significance_config
    model = f"net_{config}"
    datasets = [d for d in SIGNIFICANCE_DATASETS if d in args.significance_datasets]
    for dataset in datasets:
        for seed in args.seed_list:
            X, y, categorical, truth, noise = make_data(dataset, args.rows, seed)
            numeric = [c for c in X.columns if c not in categorical]
            X_train, _, y_train, _ = split(X, y, seed)
            for method in args.significance_methods:
                key = (dataset, str(args.rows), str(seed), model, str(args.epochs_label),
                       method, str(args.rounds))  # fmt: skip
                if key in done:
                    progress(f"skip significance {key} (done)")
                    continue
                row = {
                    "dataset": dataset,
                    "rows": args.rows,
                    "seed": seed,
                    "model": model,
                    "epochs": args.epochs_label,
                    "method": method,
                    "n_rounds": args.rounds,
                    "backend": backend,
                }
                if interaction_significance is None:
                    row.update(status="missing", note="no interaction_significance here")
                else:
                    pipe = network(numeric, categorical, X_train, config, seed, args.epochs)
                    try:
                        result, seconds = _timed(
                            interaction_significance,
                            pipe,
                            X_train,
                            y_train,
                            method=None if method == "default" else method,
                            n_rounds=args.rounds,
                            alpha=SIGNIFICANCE_ALPHA,
                            random_state=seed,
                        )
                    except (TypeError, ValueError, NotImplementedError) as error:
                        row.update(status="error", note=f"{type(error).__name__}: {error}")
                    else:
                        row.update(
                            status="ok",
                            seconds=seconds,
                            **noise_test_metrics(result.decision, X.columns, truth, noise),
                        )
                row["finished"] = now()
                append_rows(path, SIGNIFICANCE_FIELDS, [{k: fmt(v) for k, v in row.items()}])
                progress(
                    f"significance {dataset} seed {seed} {method}: {row['status']}"
                    + (
                        f", {row['seconds']:.0f} s, noise pairs confirmed "
                        f"{row['noise_confirmed']}/{row['n_noise_pairs']}, true confirmed "
                        f"{row['true_confirmed']}/{row['n_true']}"
                        if row["status"] == "ok"
                        else f" ({row.get('note', '')})"
                    )
                )


def noise_test_metrics(decision, columns, truth, noise):
    """Counts of the decisions among the pairs with a noise column and the true pairs."""
    columns = {str(c) for c in columns}
    noise = set(noise)
    pairs = [
        (tuple(str(n) for n in pair), d)
        for pair, d in decision.items()
        if {str(n) for n in pair} <= columns  # real pairs only, should shadows be listed
    ]
    noisy = [(p, d) for p, d in pairs if set(p) & noise]
    true = [(p, d) for p, d in pairs if frozenset(p) in truth]
    other = [(p, d) for p, d in pairs if not set(p) & noise and frozenset(p) not in truth]
    n_noise = len(noisy)
    confirmed = sum(d == "confirmed" for _, d in noisy)
    return {
        "n_pairs": len(pairs),
        "n_noise_pairs": n_noise,
        "noise_confirmed": confirmed,
        "noise_tentative": sum(d == "tentative" for _, d in noisy),
        "noise_share": confirmed / n_noise if n_noise else np.nan,
        "n_true": len(true),
        "true_confirmed": sum(d == "confirmed" for _, d in true),
        "true_decisions": ";".join(f"{p[0]}:{p[1]}={d}" for p, d in true),
        "other_confirmed": sum(d == "confirmed" for _, d in other),
        "confirmed_pairs": ";".join(f"{p[0]}:{p[1]}" for p, d in pairs if d == "confirmed"),
    }


# =========================================================================== files


# =========================================================================== summary

METHOD_LABELS = {
    "nid": "NID",
    "gradient": "gradient",
    "tree_shap": "tree SHAP",
    "h_statistic": "H²",
    "h_unnormalized": "H unnormalised",
}


def _label(model, method):
    if model == PEER_MODEL:
        return f"{METHOD_LABELS.get(method, method)} · gradient boosting"
    return f"{METHOD_LABELS.get(method, method)} · net ({model.removeprefix('net_')})"


def _order(label):
    methods = list(METHOD_LABELS.values())
    name, _, model = label.partition(" · ")
    return (model == "gradient boosting", methods.index(name) if name in methods else 99, model)


def _ratio(value):
    if pd.isna(value):
        return "—"
    percent = 100 * value
    return f"{percent:.0f} %" if percent >= 10 else f"{percent:.2g} %"


def summarize(out_dir):
    parts = []
    path = out_dir / "methods.csv"
    if path.exists():
        parts.append(_summarize_methods(pd.read_csv(path)))
    path = out_dir / "significance.csv"
    if path.exists():
        parts.append(_summarize_significance(pd.read_csv(path)))
    return "\n\n".join(parts) if parts else "(no records yet)"


def _summarize_methods(frame):
    # The latest record of each (data set, rows, seed, model, epochs, method).
    frame = frame.drop_duplicates(
        ["dataset", "rows", "seed", "model", "epochs", "method"], keep="last"
    )
    frame["label"] = [_label(m, x) for m, x in zip(frame.model, frame.method, strict=True)]
    datasets = [d for d in DATASETS if d in set(frame.dataset)]
    labels = sorted(frame.label.unique(), key=_order)
    ok = frame[frame.status == "ok"]
    parts = []
    for n_rows in sorted(frame.rows.unique()):
        sub = ok[ok.rows == n_rows]
        all_rows = frame[frame.rows == n_rows]
        seeds = sub.groupby("dataset").seed.nunique()
        header = ["method", *datasets, "mean", "top-1", "score s", "score / fit"]
        rows = []
        for label in labels:
            x = sub[sub.label == label]
            statuses = set(all_rows[all_rows.label == label].status)
            if not len(x):
                rows.append([label, *(["/".join(sorted(statuses))] * (len(header) - 1))])
                continue
            per = x.groupby("dataset").auc.mean()
            cells = [num(per.get(d)) for d in datasets]
            rows.append(
                [
                    label,
                    *cells,
                    num(per.mean()),
                    f"{x.top1.mean():.2f}",
                    num(x.seconds.mean(), 3),
                    _ratio(x.cost_ratio.mean()),
                ]
            )
        r2 = sub.groupby(["model", "dataset"]).r2.mean().unstack()
        r2_rows = [
            [model, *(num(r2.loc[model].get(d)) for d in datasets)]
            for model in sorted(r2.index, key=lambda m: (m == PEER_MODEL, m))
        ]
        seeds_text = ", ".join(f"{d} {int(seeds.get(d, 0))}" for d in datasets)
        parts.append(
            f"### {n_rows} rows: mean AUC of the pair strengths against the true pairs\n\n"
            f'Seeds per data set: {seeds_text}. "mean" is the mean over the data sets of '
            "their mean AUC; top-1 the share of runs whose strongest pair is a true pair; "
            "score s the mean seconds to compute the scores; score / fit their mean share "
            "of the model's fit time (the networks' for ours, the gradient boosting's for "
            "the peers).\n\n"
            + markdown_table(header, rows)
            + "\n\nTest R² (held-out 20 %, mean over seeds)\n\n"
            + markdown_table(["model", *datasets], r2_rows)
            + "\n\n"
            + _targets(sub, labels)
        )
    return "\n\n".join(parts)


def short_rst(out_dir, n_rows):
    """The documentation's short table (``summary_short.rst``): one row per method and
    network, the mean AUC over F1-F10 and over all data sets, the other data sets' own,
    Friedman #1's top pair and the scores' cost; then the noise test of the pairs."""
    frame = pd.read_csv(out_dir / "methods.csv").drop_duplicates(
        ["dataset", "rows", "seed", "model", "epochs", "method"], keep="last"
    )
    ok = frame[(frame.status == "ok") & (frame.rows == n_rows) & (frame.kind != "peer variant")]
    ok = ok.assign(label=[_label(m, x) for m, x in zip(ok.model, ok.method, strict=True)])
    others = [d for d in DATASETS if d not in F_DATASETS]
    header = ["method · model", "F1-F10", *others, "all 13", "x0-x1 first", "score / fit"]
    rows = []
    for label in sorted(ok.label.unique(), key=_order):
        x = ok[ok.label == label]
        per = x.groupby("dataset").auc.mean()
        friedman = x[x.dataset == "friedman1"]
        top = friedman.top_pair.isin(["x0:x1", "x1:x0"]).mean() if len(friedman) else np.nan
        cost = x.cost_ratio.mean()
        rows.append(
            [
                label,
                _complete_mean(per, F_DATASETS),
                *(num(per.get(d)) for d in others),
                f"**{_complete_mean(per, DATASETS)}**",
                "—" if np.isnan(top) else f"{top:.0%}",
                _ratio(cost),
            ]
        )
    seeds = ok.groupby("dataset").seed.nunique()
    text = [
        f"Mean AUC of the pair strengths against the true pairs ({n_rows:,} rows; seeds per "
        f'data set {int(seeds.min())} to {int(seeds.max())}). "F1-F10" is the mean over '
        'the NID paper\'s functions, "all 13" over every data set; "x0-x1 first" the '
        'share of Friedman #1 seeds whose strongest pair is the true one; "score / fit" '
        "the scores' mean cost in shares of the model's fit (the network's for ours, the "
        "gradient boosting's for the peers). Networks: the hidden layers; "
        "without ``+k`` the importance configuration (``first_layer_l1=0.01``), ``+k1e-4`` "
        "for ``kernel_l1=1e-4`` on every kernel instead, ``+k0`` for no penalty (the "
        "estimator's defaults); ``+m10`` adds ten univariate units per feature (NID's "
        "MLP-M, tried at commit 4fad196 and not kept).",
        "",
        _rst_table(header, rows),
    ]
    path = out_dir / "significance.csv"
    if path.exists():
        sig = pd.read_csv(path).drop_duplicates(
            ["dataset", "rows", "seed", "model", "epochs", "method", "n_rounds"], keep="last"
        )
        sig = sig[(sig.status == "ok") & (sig.rows == n_rows)]
        sig_rows = []
        for (dataset, model), x in sig.groupby(["dataset", "model"]):
            noise, pairs = int(x.noise_confirmed.sum()), int(x.n_noise_pairs.sum())
            sig_rows.append(
                [
                    dataset,
                    f"net ({model.removeprefix('net_')})",
                    str(len(x)),
                    f"{noise} of {pairs} ({100 * noise / pairs:.1f} %)",
                    f"{int(x.true_confirmed.sum())} of {int(x.n_true.sum())}",
                    str(int(x.other_confirmed.sum())),
                ]
            )
        text += [
            "",
            f"The noise test of the pairs ({n_rows:,} rows, {SIGNIFICANCE_ROUNDS} rounds, "
            "alpha 0.05):",
            "",
            _rst_table(
                [
                    "data set",
                    "network",
                    "seeds",
                    "pairs with a noise column confirmed (target at most 5 %)",
                    "true pairs confirmed",
                    "other pairs of real columns confirmed",
                ],
                sig_rows,
            ),
        ]
    (out_dir / "summary_short.rst").write_text("\n".join(text) + "\n", encoding="utf-8")


def _complete_mean(per, datasets):
    """The mean over ``datasets``, or a dash while one of them has no record."""
    values = per.reindex(list(datasets))
    return "—" if values.isna().any() else num(values.mean())


def _rst_table(header, rows):
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        lines += [f"   * - {row[0]}", *(f"     - {cell}" for cell in row[1:])]
    return "\n".join(lines)


def _targets(sub, labels):
    peers = sub[sub.method.isin(PEER_METHODS)]
    peer_mean = {
        label: peers[peers.label == label].groupby("dataset").auc.mean().mean()
        for label in peers.label.unique()
    }
    best_label = max(peer_mean, key=peer_mean.get) if peer_mean else None
    best = peer_mean.get(best_label, np.nan)
    # Per data set, the better of the two peers' mean AUC.
    best_per = peers.groupby(["dataset", "label"]).auc.mean().groupby("dataset").max()
    lines = ["Targets (issue 24):", ""]
    if best_label is not None:
        lines.append(f"- best peer by mean AUC: {best_label}, {best:.3f}")
    for label in labels:
        x = sub[sub.label == label]
        if not len(x) or x.kind.iloc[0] != "ours":
            continue
        per = x.groupby("dataset").auc.mean()
        mean_auc = per.mean()
        friedman = x[x.dataset == "friedman1"]
        text = f"- {label}: mean AUC {mean_auc:.3f}"
        if not np.isnan(best):
            shared = per.index.intersection(best_per.index)
            wins = int((per[shared] >= best_per[shared] - 1e-12).sum())
            text += (
                f" vs best peer {best:.3f}: {_machine.verdict(mean_auc, best, False)} (at "
                f"least the better peer's on {wins} of {len(shared)} data sets)"
            )
        if len(friedman):
            top = (friedman.top_pair.isin(["x0:x1", "x1:x0"])).mean()
            verdict = _machine.verdict(top, 1.0, False)
            text += f"; friedman1 strongest pair x0-x1 in {top:.0%} of seeds: {verdict}"
        text += (
            f"; score / fit mean {_ratio(x.cost_ratio.mean())}, max "
            f"{_ratio(x.cost_ratio.max())}: " + _machine.verdict(x.cost_ratio.max(), COST_TARGET)
        )
        lines.append(text)
    for label in labels:
        x = sub[(sub.label == label) & (sub.dataset == "friedman1")]
        if len(x) and x.kind.iloc[0] != "ours":
            top = (x.top_pair.isin(["x0:x1", "x1:x0"])).mean()
            lines.append(f"- {label}: friedman1 strongest pair x0-x1 in {top:.0%} of seeds")
    return "\n".join(lines)


def _summarize_significance(frame):
    frame = frame.drop_duplicates(
        ["dataset", "rows", "seed", "model", "epochs", "method", "n_rounds"], keep="last"
    )
    ok = frame[frame.status == "ok"]
    rows = []
    for (dataset, n_rows, model, method, rounds), x in ok.groupby(
        ["dataset", "rows", "model", "method", "n_rounds"]
    ):
        share = x.noise_confirmed.sum() / x.n_noise_pairs.sum()
        rows.append(
            [
                dataset,
                n_rows,
                f"net ({model.removeprefix('net_')})",
                method,
                rounds,
                len(x),
                f"{int(x.noise_confirmed.sum())}/{int(x.n_noise_pairs.sum())} = {share:.1%} "
                f"({_machine.verdict(share, NOISE_SHARE_TARGET)})",
                f"{int(x.true_confirmed.sum())}/{int(x.n_true.sum())}",
                int(x.other_confirmed.sum()),
                f"{x.seconds.mean():.0f}",
            ]
        )
    missing = frame[frame.status != "ok"]
    note = ""
    if len(missing):
        counts = missing.status.value_counts().to_dict()
        note = f"\n\nNot run or failed: {counts} (see the note column of significance.csv)"
    return (
        "### Noise test of the pairs (interaction_significance, alpha 0.05; ours)"
        "\n\nPooled over seeds: pairs involving a noise column that were confirmed (target "
        "at most 5 %), true pairs confirmed, other pairs of real columns confirmed (not "
        "interacting: false discoveries among real columns), seconds per call.\n\n"
        + markdown_table(SIGNIFICANCE_HEADER, rows)
        + note
    )


SIGNIFICANCE_HEADER = [
    "data set", "rows", "network", "method", "rounds", "seeds", "noise pairs confirmed",
    "true pairs confirmed", "other real pairs confirmed", "seconds",
]  # fmt: skip


def _with_machines(out_dir, report):
    path = out_dir / "machine.txt"
    machines = path.read_text(encoding="utf-8").strip() if path.exists() else ""
    return f"Runs (machine line and arguments of each):\n\n{machines}\n\n{report}\n"


# =========================================================================== main


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 (default 5)")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=list(DATASETS))
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS),
                        help="our networks, e.g. 100 100+k1e-4+m10 (see CONFIGS)")  # fmt: skip
    parser.add_argument("--epochs", type=int, help="default: the estimator's (200)")
    parser.add_argument("--shap-rows", type=int, default=SHAP_ROWS)
    parser.add_argument("--h-rows", type=int, default=H_ROWS)
    parser.add_argument("--h-max-features", type=int, default=H_MAX_FEATURES)
    parser.add_argument("--significance", action="store_true",
                        help="also run the noise test of the pairs")  # fmt: skip
    parser.add_argument("--skip-methods", action="store_true",
                        help="only the noise test (with --significance)")  # fmt: skip
    parser.add_argument("--significance-datasets", nargs="+", choices=SIGNIFICANCE_DATASETS,
                        default=list(SIGNIFICANCE_DATASETS))  # fmt: skip
    parser.add_argument("--significance-methods", nargs="+", default=["default"],
                        help='"default" (the function\'s), "nid", "gradient"')  # fmt: skip
    parser.add_argument("--rounds", type=int, default=SIGNIFICANCE_ROUNDS)
    parser.add_argument("--significance-config", default=CONFIGS[0],
                        help="our network for the noise test (see CONFIGS)")  # fmt: skip
    parser.add_argument(
        "--quick",
        action="store_true",
        help="2,000 rows, 1 seed, 30 epochs, 300 SHAP rows, 100 H rows, 4 rounds, into a "
        "quick/ subdirectory",
    )
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--summarize", action="store_true", help="only the tables")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.seeds, args.epochs = 2000, 1, 30
        args.shap_rows, args.h_rows, args.rounds = 300, 100, 4
        args.out_dir = args.out_dir / "quick"
    args.out_dir.mkdir(parents=True, exist_ok=True)
    args.epochs_label = args.epochs if args.epochs is not None else "default"
    args.seed_list = list(range(args.first_seed, args.first_seed + args.seeds))
    if not args.summarize:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        from skweightimp.utils._backend import BACKEND

        def progress(message):
            print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)

        machine = _machine.machine_line() + _shap_version()
        print(machine, flush=True)
        with open(args.out_dir / "machine.txt", "a", encoding="utf-8") as out:
            out.write(f"{machine}; args {_machine.arguments()}\n")
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=FutureWarning)
            if not args.skip_methods:
                run_methods(args, BACKEND, progress)
            if args.significance:
                run_significance(args, BACKEND, progress)
        print(f"\nwall time {(time.perf_counter() - start) / 60:.1f} min\n", flush=True)
    report = summarize(args.out_dir)
    print(report)
    (args.out_dir / "summary.md").write_text(_with_machines(args.out_dir, report), "utf-8")
    if (args.out_dir / "methods.csv").exists():
        short_rst(args.out_dir, args.rows)
    if args.markdown:
        args.markdown.write_text(_with_machines(args.out_dir, report), encoding="utf-8")


def _shap_version():
    try:
        import shap
    except ImportError:
        return "; shap not installed"
    return f"; shap {shap.__version__}"


if __name__ == "__main__":
    main()
