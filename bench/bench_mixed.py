"""Mixed and nonlinear data with a known truth: which scores see what the network uses?

The real-data benchmark (``bench_real.py``) holds mostly monotone effects. This one draws
data whose truth is known and that holds what ordinary tabular data also holds: U-shaped
effects, interactions without main effects, and categorical columns with and without an
effect and with many levels. Nothing here is tuned to a method: the designs below were
fixed before any method was run on them, and every method reads the same fitted network.

Data sets (drawn anew for every seed; ``k`` = number of real columns):

``friedman_cat`` (regression, k = 6)
    :func:`sklearn.datasets.make_friedman1` with 30 numeric columns and ``noise=1``:
    ``10 sin(pi f0 f1) + 20 (f2 - 0.5)^2 + 10 f3 + 5 f4 + N(0, 1)``, f5-f29 noise; plus
    ``region`` (5 equally likely levels, +2 on ``y`` for level ``r0``) and ``segment``
    (12 levels, no effect). Real: f0-f4, region.
``class_mixed`` (3 classes, k = 5)
    x0-x23 standard normal, ``grade`` (4 levels), ``store`` (15 levels, no effect).
    Class logits ``s0 = 1.5 (x0^2 - 1)`` (U-shape), ``s1 = 1.5 x1 x2 + x3`` (an
    interaction and a linear term), ``s2 = 2 [grade == g1] - 0.5`` (one level of a
    category); ``y`` drawn from ``softmax(s)``. Real: x0-x3, grade; x4-x23 and store noise.
``interactions`` (regression, k = 4)
    ``y = x0 x1 + x2 x3 + N(0, 0.5^2)``, x0-x23 standard normal (symmetric, zero mean:
    no column has a main effect, ``E[y | x_i] = 0``). Real: x0-x3.
``all_noise`` (regression, k = 0)
    x0-x19 standard normal, ``cat5`` (5 levels) and ``cat12`` (12 levels), ``y``
    standard normal and independent of all of them. The noise test's share of columns
    confirmed at alpha 0.05 is read here, and the ranks of the two categorical columns:
    with no signal anywhere, a score fair across numbers of levels ranks them near the
    middle (11.5 of 22) on average.

Protocol, as ``skweightimp report`` does it: a stratified (classification) 80/20 split;
the regression target standardised with the training rows' mean and standard deviation;
``ColumnTransformer(StandardScaler() on the numeric columns, OneHotEncoder() on the
categorical ones)``; the estimators' defaults (100 ReLU units, 200 epochs, Adam 1e-3,
batch 32), as the report uses them for a CSV file; ``first_layer_l1`` 0 and 0.01. The
one-hot columns of a categorical column form one group (``feature_groups="auto"``).

Scores, each read from the same fitted network (one CSV row per method and group
reduction):

- every built-in ``importance_method`` the network supports (``importance_methods_``);
- candidates, implemented here as plain functions of a fitted Keras model and arrays so
  that they can move into the library (see "candidate scores" below):
  ``gradient`` (mean |d yhat / d x_i| over the training rows, times sd(x_i)),
  ``olden_sd`` and ``garson_sd`` (the built-in scores times sd(x_i)), ``olden_abs``
  (``|W1| @ |W2| @ ...``, summed over outputs) and ``olden_abs_sd``;
- ``permutation``: the network's own permutation importance on the held-out 20 %
  (``n_repeats=5``, raw columns permuted: a categorical column as a whole).

Column scores become group scores three ways: the ``mean`` (the library's default
``group_score``), the ``sum`` and the root of the sum of squares (``rss``) of the group's
columns (see ``GROUP_REDUCTIONS``); ``permutation`` needs none.

Metrics per (data set, rows, seed, l1, method, reduction): ``real_in_topk`` (real
columns among the k highest), ``filled`` (all k), ``best_noise_rank`` (1 = highest),
``worst_real_rank``, the real columns' ranks, the categorical columns' ranks
(``cat_ranks``: the check of the group reductions), and ``seconds`` to compute the score (the
fit's own time is ``fit_seconds``). Ties are broken against the truth (a noise column
first), so scoring everything alike recovers nothing.

``--part significance`` runs ``skweightimp.inspection.importance_significance`` (shadow
null, ``--rounds`` rounds, alpha 0.05, ``feature_groups="auto"``, mean group score) on the
training rows, as the report does, and records for every method it supports the
confirmed / tentative / rejected counts among the real and the noise columns, and which
``test`` and ``correction`` decided (``--test``/``--correction``, where the checkout's
function has them; otherwise its Boruta-style test, "max/holm"). Of the candidates only
the gradient has a noise test, through the library's ``importance_method="gradient"``
where the checkout has it.

``--part real`` reads the candidates on ``bench_real.py``'s real data (plain and planted
variants, its network and 5-fold protocol, its cached gradient-boosting reference) and
writes ``real.csv`` with bench_real's metrics.

Run from the repository root (TensorFlow backend)::

    nice -n 10 python bench/bench_mixed.py --quick                 # a small smoke run
    nice -n 10 python bench/bench_mixed.py --rows 1000 10000 --seeds 5
    nice -n 10 python bench/bench_mixed.py --part significance --datasets friedman_cat \\
        --rows 10000 --seeds 3 --test max --correction holm
    nice -n 10 python bench/bench_mixed.py --part real --seeds 3
    python bench/bench_mixed.py --summarize                         # tables from the CSVs

Rows are appended per finished configuration and finished ones are skipped, so a run can
be resumed or extended (more seeds, more rows) into the same files.
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
from _records import append_rows, fmt, markdown_table, now, read_done

DATASETS = ("friedman_cat", "class_mixed", "interactions", "all_noise")
L1_VALUES = (0.0, 0.01)
TEST_SIZE = 0.2
PERMUTATION_REPEATS = 5
SIGNIFICANCE_ALPHA = 0.05
SIGNIFICANCE_ROUNDS = 20
SIGNIFICANCE_METHOD = "olden"  # the report's headline; p-values come for every method
PERMUTATION = "permutation"
CANDIDATES = ("gradient", "olden_sd", "garson_sd", "olden_abs", "olden_abs_sd")
REDUCTIONS = ("mean", "sum", "rss")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "_static" / "bench_mixed"

METHOD_FIELDS = [
    "dataset", "rows", "seed", "l1", "method", "aggregation", "kind", "k", "n_columns",
    "real_in_topk", "filled", "best_noise_rank", "worst_real_rank", "real_ranks",
    "cat_ranks", "seconds", "fit_seconds", "score", "epochs", "backend", "importances", "finished",
]  # fmt: skip
SIGNIFICANCE_FIELDS = [
    "dataset", "rows", "seed", "l1", "method", "n_rounds", "test", "n_real", "n_noise",
    "real_confirmed", "real_tentative", "real_rejected", "noise_confirmed",
    "noise_tentative", "noise_rejected", "real_decisions", "confirmed_noise", "seconds",
    "training", "epochs", "backend", "finished",
]  # fmt: skip
REAL_FIELDS = [
    "dataset", "variant", "seed", "l1", "method", "aggregation", "spearman",
    "spearman_real", "top3", "noise_top5", "noise_bottom5", "dup_ranks", "island_rank",
    "random10_rank", "seconds", "epochs", "backend", "importances", "finished",
]  # fmt: skip


# =========================================================================== data


def _topk_cell(rows):
    """A summary cell: real columns in the top k, seeds that filled it, best noise rank."""
    if not len(rows):
        return "—"
    x = rows.iloc[0]
    return (
        f"{x.real_in_topk:.1f}/{x.k} · {int(x.seeds_filled)}/{int(x.seeds)} · "
        f"{x.best_noise_rank:.1f}"
    )


def make_data(name, n_rows, seed):
    """``(X DataFrame, y, is_classifier, categorical columns, real columns)``."""
    rng = np.random.RandomState(seed)
    if name == "friedman_cat":
        from sklearn.datasets import make_friedman1

        Xn, y = make_friedman1(n_rows, n_features=30, noise=1.0, random_state=rng)
        X = pd.DataFrame(Xn, columns=[f"f{i}" for i in range(30)])
        X["region"] = rng.choice([f"r{i}" for i in range(5)], size=n_rows).astype(object)
        X["segment"] = rng.choice([f"s{i:02d}" for i in range(12)], size=n_rows).astype(object)
        y = y + 2.0 * (X["region"].to_numpy() == "r0")
        real = ["f0", "f1", "f2", "f3", "f4", "region"]
        return X, y, False, ["region", "segment"], real
    if name == "class_mixed":
        X = pd.DataFrame(rng.normal(size=(n_rows, 24)), columns=[f"x{i}" for i in range(24)])
        X["grade"] = rng.choice([f"g{i}" for i in range(4)], size=n_rows).astype(object)
        X["store"] = rng.choice([f"s{i:02d}" for i in range(15)], size=n_rows).astype(object)
        x = X.to_numpy()[:, :4].astype(np.float64)
        logits = np.column_stack(
            [
                1.5 * (x[:, 0] ** 2 - 1.0),
                1.5 * x[:, 1] * x[:, 2] + x[:, 3],
                2.0 * (X["grade"].to_numpy() == "g1") - 0.5,
            ]
        )
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        u = rng.uniform(size=(n_rows, 1))
        y = (u > np.cumsum(p, axis=1)).sum(axis=1)
        y = np.minimum(y, 2)
        return X, y, True, ["grade", "store"], ["x0", "x1", "x2", "x3", "grade"]
    if name == "interactions":
        X = pd.DataFrame(rng.normal(size=(n_rows, 24)), columns=[f"x{i}" for i in range(24)])
        x = X.to_numpy()
        y = x[:, 0] * x[:, 1] + x[:, 2] * x[:, 3] + 0.5 * rng.normal(size=n_rows)
        return X, y, False, [], ["x0", "x1", "x2", "x3"]
    if name == "all_noise":
        X = pd.DataFrame(rng.normal(size=(n_rows, 20)), columns=[f"x{i}" for i in range(20)])
        X["cat5"] = rng.choice([f"a{i}" for i in range(5)], size=n_rows).astype(object)
        X["cat12"] = rng.choice([f"b{i:02d}" for i in range(12)], size=n_rows).astype(object)
        y = rng.normal(size=n_rows)
        return X, y, False, ["cat5", "cat12"], []
    raise ValueError(name)


def split(data, seed):
    """The report's split and target scaling: 80/20, stratified for classification."""
    from sklearn.model_selection import train_test_split

    X, y, is_classifier, _, _ = data
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SIZE, random_state=seed, stratify=y if is_classifier else None
    )
    if not is_classifier:
        mean, sd = y_train.mean(), y_train.std()
        y_train, y_test = (y_train - mean) / sd, (y_test - mean) / sd
    return X_train, X_test, y_train, y_test


def network(is_classifier, numeric, categorical, seed, l1, epochs=None):
    """The report's preprocessing and the estimators' defaults."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor

    parts = [("num", StandardScaler(), numeric)]
    if categorical:
        encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        parts.append(("cat", encoder, categorical))
    pre = ColumnTransformer(parts, verbose_feature_names_out=False).set_output(transform="pandas")
    Estimator = WeightTrajectoryClassifier if is_classifier else WeightTrajectoryRegressor
    params = {"random_state": seed, "first_layer_l1": l1}
    if epochs is not None:
        params["epochs"] = epochs
    return Pipeline([("pre", pre), ("net", Estimator(**params))])


# =========================================================================== candidate scores
#
# Plain functions of a fitted Keras model (or its kernels) and NumPy arrays: no pipeline,
# no estimator. Each returns one non-negative score per network input column.


def dense_kernels(model):
    """The kernels ``[W_1, ..., W_L]`` of a Keras model's Dense layers, inputs first."""
    from skweightimp.utils._backend import keras

    return [
        np.asarray(layer.kernel, dtype=np.float64)
        for layer in model.layers
        if isinstance(layer, keras.layers.Dense)
    ]


def output_gradients(model, X):
    """``G[c, n, i] = d f_c(x_n) / d x_{n,i}`` for one batch, on the model's backend.

    One backward pass per output: rows do not interact, so the gradient of the sum of
    output ``c`` over the batch holds every row's own gradient. TensorFlow runs here; the
    JAX and PyTorch branches follow the same recipe but were not run on this machine
    (neither is installed).
    """
    from skweightimp.utils._backend import keras

    backend = keras.backend.backend()
    X = np.asarray(X, dtype=np.float32)
    if backend == "tensorflow":
        import tensorflow as tf

        x = tf.constant(X)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            out = model(x, training=False)
            sums = [tf.reduce_sum(out[:, c]) for c in range(out.shape[-1])]
        grads = [tape.gradient(s, x).numpy() for s in sums]
        del tape
        return np.stack(grads)
    if backend == "jax":  # not run here
        import jax
        import jax.numpy as jnp

        trainable = [v.value for v in model.trainable_variables]
        non_trainable = [v.value for v in model.non_trainable_variables]

        def f(x):
            out, _ = model.stateless_call(trainable, non_trainable, x, training=False)
            return out

        out, pullback = jax.vjp(f, jnp.asarray(X))
        eye = jnp.eye(out.shape[-1], dtype=out.dtype)
        return np.stack(
            [
                np.asarray(pullback(jnp.broadcast_to(eye[c], out.shape))[0])
                for c in range(out.shape[-1])
            ]
        )
    if backend == "torch":  # not run here
        import torch

        x = torch.tensor(X, requires_grad=True)
        out = model(x, training=False)
        grads = [
            torch.autograd.grad(out[:, c].sum(), x, retain_graph=True)[0].detach().cpu().numpy()
            for c in range(out.shape[-1])
        ]
        return np.stack(grads)
    raise NotImplementedError(f"gradient sensitivity on the {backend} backend")


def gradient_sensitivity(model, X, *, batch_size=8192):
    """Mean absolute partial derivative of the outputs, times each input's spread.

    ``S_i = sd(x_i) * sum_c mean_n |d f_c(x_n) / d x_{n,i}|`` over the rows ``X`` (the
    training rows). For a classifier ``f_c`` is the probability of class ``c`` (summed over
    the classes; a binary model's single sigmoid output counts once). Multiplying by the
    standard deviation puts a unit change of every input on the scale of its typical
    variation, so standardised numeric columns (sd 1) and 0/1 one-hot columns (sd
    ``sqrt(p (1 - p))``) are comparable. Gevrey, Dimopoulos & Lek (2003) call the
    unscaled mean of squared derivatives the "PaD" method.
    """
    X = np.asarray(X, dtype=np.float32)
    total = None
    for start in range(0, len(X), batch_size):
        grads = np.abs(output_gradients(model, X[start : start + batch_size]))
        part = grads.sum(axis=1)  # (outputs, features)
        total = part if total is None else total + part
    mean_abs = total.sum(axis=0) / len(X)
    return mean_abs * X.std(axis=0, dtype=np.float64)


def absolute_olden(kernels):
    """Olden's sum over paths with every weight made positive: ``|W_1| @ ... @ |W_L|``,
    summed over the outputs. No path cancels another, so a non-monotone effect (whose
    signed paths cancel in Olden's score) keeps its weight."""
    product = np.abs(kernels[0])
    for kernel in kernels[1:]:
        product = product @ np.abs(kernel)
    return product.sum(axis=1)


def spread_corrected(scores, X):
    """A weight score times each input's standard deviation over the rows ``X``."""
    return np.asarray(scores, dtype=np.float64) * np.asarray(X, dtype=np.float64).std(axis=0)


# =========================================================================== metrics


def ranks_against_truth(scores, is_real):
    """1 = highest; ties broken against the truth (noise before real)."""
    scores = np.asarray(scores, dtype=np.float64)
    order = np.lexsort((np.asarray(is_real, dtype=int), -scores))
    ranks = np.empty(len(scores), dtype=int)
    ranks[order] = np.arange(1, len(scores) + 1)
    return ranks


def categorical_ranks(series, categorical):
    """``name=rank`` of the categorical columns; ties share their average rank (all
    scores zero, as an L1 penalty can leave them on pure noise, puts every column at the
    middle, not the columns' order)."""
    from scipy.stats import rankdata

    ranks = rankdata(-series.to_numpy(dtype=np.float64), method="average")
    return ";".join(
        f"{n}={r:g}" for n, r in zip(series.index, ranks, strict=True) if n in categorical
    )


def evaluate(series, real, categorical):
    is_real = np.array([name in real for name in series.index])
    k = int(is_real.sum())
    ranks = ranks_against_truth(series.to_numpy(), is_real)
    cat_ranks = categorical_ranks(series, categorical)
    out = {"k": k, "n_columns": len(series), "cat_ranks": cat_ranks}
    if not k:
        return {**out, "real_in_topk": "", "filled": "", "best_noise_rank": "",
                "worst_real_rank": "", "real_ranks": ""}  # fmt: skip
    in_top = int((ranks[is_real] <= k).sum())
    return {
        **out,
        "real_in_topk": in_top,
        "filled": int(in_top == k),
        "best_noise_rank": int(ranks[~is_real].min()) if (~is_real).any() else "",
        "worst_real_rank": int(ranks[is_real].max()),
        "real_ranks": ";".join(
            f"{n}={r}" for n, r, t in zip(series.index, ranks, is_real, strict=True) if t
        ),
    }


# =========================================================================== methods part


def _timed(function, *args, **kwargs):
    """``(function(*args, **kwargs), seconds it took)``."""
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - start


def read_scores(pipe, X_train, X_test, y_test, seed):
    """Every score of one fitted pipeline: ``{method: (column scores or Series, seconds)}``.

    Column scores (ndarrays over the network's columns) are grouped later; permutation
    importance comes as a Series over the raw columns.
    """
    from sklearn.inspection import permutation_importance

    from skweightimp.importance import ConstantWeightsWarning

    est = pipe[-1]
    X_enc = np.asarray(pipe[:-1].transform(X_train), dtype=np.float32)
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantWeightsWarning)
        for method in est.importance_methods_:
            if method in CANDIDATES:
                # The library's importance_method="gradient" (added while this benchmark
                # was written) is the same formula as the candidate below; the bench keeps
                # its own so that rows from before and after it compare.
                continue
            out[method] = _timed(est.importance_scores, method)
        olden, s1 = out.get("olden", (None, 0.0))
        garson, s2 = out.get("garson", (None, 0.0))
    out["gradient"] = _timed(gradient_sensitivity, est.model_, X_enc)
    if olden is not None:
        value, s = _timed(spread_corrected, olden, X_enc)
        out["olden_sd"] = (value, s + s1)
    if garson is not None:
        value, s = _timed(spread_corrected, garson, X_enc)
        out["garson_sd"] = (value, s + s2)
    absolute, s = _timed(lambda: absolute_olden(dense_kernels(est.model_)))
    out["olden_abs"] = (absolute, s)
    value, s3 = _timed(spread_corrected, absolute, X_enc)
    out["olden_abs_sd"] = (value, s + s3)
    result, s = _timed(
        permutation_importance,
        pipe,
        X_test,
        y_test,
        n_repeats=PERMUTATION_REPEATS,
        random_state=seed,
    )
    out[PERMUTATION] = (pd.Series(result.importances_mean, index=X_test.columns), s)
    return out


def _rss(values):
    return np.sqrt(np.sum(np.square(values)))


#: How a group's column scores become one: the mean (the library's default group_score),
#: the sum, and the root of the sum of squares. For sd-scaled gradients of a one-hot group
#: with level effects a_l and level shares p_l the squares sum to sum_l a_l^2 p_l (1 - p_l),
#: about the variance the column explains; for a numeric column with slope b the score is
#: |b|, the root of its variance. Under no signal each of k levels scores about e /
#: sqrt(k) (its sd), so the rss stays near e whatever k; the mean falls like 1 / sqrt(k)
#: and the sum grows like sqrt(k).
GROUP_REDUCTIONS = {"mean": np.mean, "sum": np.sum, "rss": _rss}


def group(values, names, members, reduction):
    values = np.asarray(values, dtype=np.float64)
    reduce = GROUP_REDUCTIONS[reduction]
    return pd.Series([reduce(values[idx]) for idx in members], index=names)


def _kind(method):
    if method == PERMUTATION:
        return "permutation"
    return "candidate" if method in CANDIDATES else "built-in"


def _cases(args):
    """Every (rows, data set, seed) of the run: its data, numeric columns and split."""
    for n_rows in args.rows:
        for dataset in args.datasets:
            for seed in args.seed_list:
                data = make_data(dataset, n_rows, seed)
                numeric = [c for c in data[0].columns if c not in data[3]]
                yield n_rows, dataset, seed, data, numeric, split(data, seed)


def run_methods(args, backend, progress):
    from skweightimp.importance import resolve_feature_groups

    path = args.out_dir / "methods.csv"
    done = read_done(path, ["dataset", "rows", "seed", "l1", "epochs"])
    for n_rows, dataset, seed, data, numeric, (X_train, X_test, y_train, y_test) in _cases(args):
        X, y, is_classifier, categorical, real = data
        for l1 in args.l1:
            key = (dataset, str(n_rows), str(seed), fmt(float(l1)), str(args.epochs_label))
            if key in done:
                progress(f"skip {key} (done)")
                continue
            pipe = network(is_classifier, numeric, categorical, seed, l1, args.epochs)
            _, fit_seconds = _timed(pipe.fit, X_train, y_train)
            score = float(pipe.score(X_test, y_test))
            names, members = resolve_feature_groups(
                list(pipe[:-1].get_feature_names_out()), "auto", preprocessor=pipe[:-1]
            )
            grouped_data = any(len(m) > 1 for m in members)
            rows = []
            for method, (values, seconds) in read_scores(
                pipe, X_train, X_test, y_test, seed
            ).items():
                if isinstance(values, pd.Series):
                    variants = [("none", values)]
                else:
                    reductions = REDUCTIONS if grouped_data else ("mean",)
                    variants = [(r, group(values, names, members, r)) for r in reductions]
                for reduction, series in variants:
                    total = series.sum()
                    row = {
                        "dataset": dataset,
                        "rows": n_rows,
                        "seed": seed,
                        "l1": l1,
                        "method": method,
                        "aggregation": reduction,
                        "kind": _kind(method),
                        **evaluate(series, real, categorical),
                        "seconds": seconds,
                        "fit_seconds": fit_seconds,
                        "score": score,
                        "epochs": args.epochs_label,
                        "backend": backend,
                        "importances": ";".join(
                            f"{n}={v / total if total else v:.4g}" for n, v in series.items()
                        ),
                        "finished": now(),
                    }
                    rows.append({k: fmt(v) for k, v in row.items()})
            append_rows(path, METHOD_FIELDS, rows)
            quick = {
                r["method"]: r["real_in_topk"] for r in rows if r["aggregation"] in ("mean", "none")
            }
            progress(
                f"{dataset} rows {n_rows} seed {seed} l1 {l1}: fit {fit_seconds:.1f} s, "
                f"score {score:.3f}, real in top k: {quick}"
            )


# =========================================================================== significance part


def _decisions(result, method, alpha):
    """Decision per feature for ``method`` (as bench_real: Holm-adjusted p-values)."""
    if method == result.method:
        return result.decision
    confirmed = result.pvalues[method] <= alpha
    rejected = result.rejection_pvalues[method] <= alpha
    decision = pd.Series("tentative", index=result.pvalues.index)
    decision[rejected] = "rejected"
    decision[confirmed] = "confirmed"
    return decision


def _test_options(function, args):
    """``test`` and ``correction`` for importance_significance, where it takes them.

    The test is being reworked (issue 21): a checkout without these parameters runs the
    Boruta-style test (a hit = beating the best shadow, Holm), recorded as "max/holm".
    """
    import inspect

    parameters = inspect.signature(function).parameters
    if "test" not in parameters:
        return {}
    return {
        "test": args.test or parameters["test"].default,
        "correction": args.correction or parameters["correction"].default,
    }


def run_significance(args, backend, progress):
    from skweightimp.inspection import importance_significance

    path = args.out_dir / "significance.csv"
    done = read_done(path, ["dataset", "rows", "seed", "l1", "n_rounds", "test", "epochs"])
    options = _test_options(importance_significance, args)
    label = "/".join(options.values()) if options else "max/holm"
    if args.max_samples:
        # Each round on a sample of its own of the training rows (the report's
        # --significance-rows); recorded in the label, so runs with and without it
        # stay apart.
        options["max_samples"] = args.max_samples
        label += f", {args.max_samples} rows"
    for n_rows, dataset, seed, data, numeric, (X_train, _, y_train, _) in _cases(args):
        X, y, is_classifier, categorical, real = data
        for l1 in args.l1:
            key = (dataset, str(n_rows), str(seed), fmt(float(l1)), str(args.rounds),
                   label, str(args.epochs_label))  # fmt: skip
            if key in done:
                progress(f"skip significance {key} (done)")
                continue
            pipe = network(is_classifier, numeric, categorical, seed, l1, args.epochs)
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="With null=")
                result, seconds = _timed(
                    importance_significance,
                    pipe,
                    X_train,
                    y_train,
                    method=SIGNIFICANCE_METHOD,
                    null="shadow",
                    n_rounds=args.rounds,
                    alpha=SIGNIFICANCE_ALPHA,
                    feature_groups="auto",
                    group_score="mean",
                    random_state=seed,
                    **options,
                )
            rows = []
            for method in result.pvalues.columns:
                decision = _decisions(result, method, SIGNIFICANCE_ALPHA)
                is_real = decision.index.isin(real)
                real_d, noise_d = decision[is_real], decision[~is_real]
                row = {
                    "dataset": dataset,
                    "rows": n_rows,
                    "seed": seed,
                    "l1": l1,
                    "method": method,
                    "n_rounds": args.rounds,
                    "test": label,
                    "n_real": len(real_d),
                    "n_noise": len(noise_d),
                    **{
                        f"{part}_{d}": int((dec == d).sum())
                        for part, dec in (("real", real_d), ("noise", noise_d))
                        for d in ("confirmed", "tentative", "rejected")
                    },
                    "real_decisions": ";".join(f"{n}={d}" for n, d in real_d.items()),
                    "confirmed_noise": ";".join(noise_d.index[noise_d == "confirmed"]),
                    "seconds": seconds,
                    "training": result.get("training", ""),
                    "epochs": args.epochs_label,
                    "backend": backend,
                    "finished": now(),
                }
                rows.append({k: fmt(v) for k, v in row.items()})
            append_rows(path, SIGNIFICANCE_FIELDS, rows)
            olden = next(r for r in rows if r["method"] == SIGNIFICANCE_METHOD)
            progress(
                f"significance {dataset} rows {n_rows} seed {seed} l1 {l1}: "
                f"{seconds:.0f} s; olden real confirmed {olden['real_confirmed']}/"
                f"{olden['n_real']}, rejected {olden['real_rejected']}; noise confirmed "
                f"{olden['noise_confirmed']}/{olden['n_noise']}"
            )


# =========================================================================== bench_real part


def run_real(args, backend, progress):
    """The candidates on bench_real's data and protocol, against its cached reference."""
    import bench_real as br
    from sklearn.inspection import permutation_importance

    from skweightimp.importance import ConstantWeightsWarning, resolve_feature_groups

    reference_path = br.DEFAULT_OUT / "reference.csv"
    reference = pd.read_csv(reference_path).drop_duplicates(["dataset", "variant", "feature"])
    path = args.out_dir / "real.csv"
    done = read_done(path, ["dataset", "variant", "seed", "l1", "epochs"])
    methods = ("olden", "garson", *CANDIDATES, PERMUTATION)
    for dataset in args.real_datasets:
        X, y, is_classifier, categorical = br.load(dataset)
        ref_plain = reference[(reference.dataset == dataset) & (reference.variant == "plain")]
        top = ref_plain.set_index("feature").importance.idxmax()
        variants = {"plain": (X, categorical, dict.fromkeys(X.columns, "real"))}
        Xp, cat_p, kinds_p = br.plant(X, categorical, top, dataset == "penguins")
        variants["planted"] = (Xp, cat_p, kinds_p)
        for variant, (Xv, cat_v, kinds) in variants.items():
            ref = reference[(reference.dataset == dataset) & (reference.variant == variant)]
            ref = ref.set_index("feature").importance
            numeric = [c for c in Xv.columns if c not in cat_v]
            for seed in args.seed_list:
                for l1 in args.l1:
                    key = (dataset, variant, str(seed), fmt(float(l1)), str(br.EPOCHS))
                    if key in done:
                        continue
                    start = time.perf_counter()
                    per = {}
                    for train, test in br._folds(is_classifier, seed).split(Xv, y):
                        pipe = br.network(is_classifier, cat_v, numeric, seed, l1, br.EPOCHS)
                        pipe.fit(Xv.iloc[train], y[train])
                        names, members = resolve_feature_groups(
                            list(pipe[:-1].get_feature_names_out()), "auto",
                            preprocessor=pipe[:-1],
                        )  # fmt: skip
                        est = pipe[-1]
                        X_enc = np.asarray(pipe[:-1].transform(Xv.iloc[train]), np.float32)
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore", ConstantWeightsWarning)
                            olden = est.importance_scores("olden")
                            garson = est.importance_scores("garson")
                        scores = {"olden": (olden, 0.0), "garson": (garson, 0.0)}
                        scores["gradient"] = _timed(gradient_sensitivity, est.model_, X_enc)
                        scores["olden_sd"] = (spread_corrected(olden, X_enc), 0.0)
                        scores["garson_sd"] = (spread_corrected(garson, X_enc), 0.0)
                        absolute = absolute_olden(dense_kernels(est.model_))
                        scores["olden_abs"] = (absolute, 0.0)
                        scores["olden_abs_sd"] = (spread_corrected(absolute, X_enc), 0.0)
                        for method, (values, seconds) in scores.items():
                            values = np.asarray(values, np.float64)
                            total = values.sum()
                            values = values / total if total > 0 else values
                            for r in REDUCTIONS if len(names) < values.size else ("mean",):
                                per.setdefault((method, r), []).append(
                                    (group(values, names, members, r), seconds)
                                )
                        result, seconds = _timed(
                            permutation_importance,
                            pipe,
                            Xv.iloc[test],
                            y[test],
                            n_repeats=br.NETWORK_REPEATS,
                            random_state=seed,
                        )
                        per.setdefault((PERMUTATION, "none"), []).append(
                            (pd.Series(result.importances_mean, index=Xv.columns), seconds)
                        )
                    rows = []
                    for (method, reduction), folds in per.items():
                        if method not in methods:
                            continue
                        importance = pd.DataFrame([s for s, _ in folds]).mean(axis=0)
                        metrics = br.evaluate(importance, ref, kinds)
                        metrics.pop("n_columns")
                        row = {
                            "dataset": dataset,
                            "variant": variant,
                            "seed": seed,
                            "l1": l1,
                            "method": method,
                            "aggregation": reduction,
                            **metrics,
                            "seconds": float(np.median([s for _, s in folds])),
                            "epochs": br.EPOCHS,
                            "backend": backend,
                            "importances": ";".join(f"{n}={v:.4g}" for n, v in importance.items()),
                            "finished": now(),
                        }
                        rows.append({k: fmt(v) for k, v in row.items()})
                    append_rows(path, REAL_FIELDS, rows)
                    progress(
                        f"real {dataset}/{variant} seed {seed} l1 {l1}: "
                        f"{time.perf_counter() - start:.0f} s"
                    )


# =========================================================================== files


# =========================================================================== summary


def _label(method, aggregation, l1):
    text = method
    if aggregation in ("sum", "rss"):
        text += f" ({aggregation})"
    return text + (" + L1" if float(l1) > 0 else "")


_ORDER = [
    "weight_std", "viann", "displacement", "garson", "olden", "garson_sd", "olden_sd",
    "olden_abs", "olden_abs_sd", "gradient", PERMUTATION,
]  # fmt: skip


def _order(label):
    base = label.replace(" + L1", "").replace(" (sum)", "").replace(" (rss)", "")
    return (
        _ORDER.index(base) if base in _ORDER else len(_ORDER),
        " (sum)" in label,
        " (rss)" in label,
        label.endswith("L1"),
    )


CATEGORICAL = {
    "friedman_cat": (("region", "real, 5 levels"), ("segment", "noise, 12 levels")),
    "class_mixed": (("grade", "real, 4 levels"), ("store", "noise, 15 levels")),
    "all_noise": (("cat5", "noise, 5 levels"), ("cat12", "noise, 12 levels")),
}
REDUCTION_METHODS = (
    "weight_std", "garson", "garson_sd", "olden", "olden_sd", "olden_abs", "olden_abs_sd",
    "gradient", PERMUTATION,
)  # fmt: skip


def _parse(text):
    if not isinstance(text, str) or not text:
        return {}
    return {k: float(v) for k, v in (item.split("=") for item in text.split(";"))}


def summary_frames(out_dir):
    """``(methods summary, significance summary, real summary)`` as DataFrames (or None)."""
    frames = []
    path = out_dir / "methods.csv"
    if path.exists():
        m = pd.read_csv(path)
        cats = pd.DataFrame([_parse(t) for t in m.cat_ranks]).add_prefix("rank_")
        m = pd.concat([m.reset_index(drop=True), cats], axis=1)
        g = m.groupby(["dataset", "rows", "l1", "method", "aggregation", "kind"], sort=False)
        s = g.agg(
            k=("k", "first"),
            n_columns=("n_columns", "first"),
            seeds=("seed", "nunique"),
            real_in_topk=("real_in_topk", "mean"),
            seeds_filled=("filled", "sum"),
            best_noise_rank=("best_noise_rank", "mean"),
            best_noise_rank_min=("best_noise_rank", "min"),
            worst_real_rank=("worst_real_rank", "mean"),
            seconds=("seconds", "median"),
            fit_seconds=("fit_seconds", "median"),
            score=("score", "mean"),
        )
        s = s.join(g[list(cats.columns)].mean()).reset_index()
        frames.append(s)
    else:
        frames.append(None)
    path = out_dir / "significance.csv"
    if path.exists():
        sig = pd.read_csv(path)
        cols = [c for c in SIGNIFICANCE_FIELDS if c.startswith(("real_", "noise_", "n_"))]
        cols = [c for c in cols if c not in ("real_decisions", "n_rounds")]
        g = sig.groupby(["dataset", "rows", "l1", "method", "n_rounds", "test"], sort=False)
        s = g[cols].sum().reset_index()
        s.insert(6, "seeds", g.seed.nunique().to_numpy())
        s["seconds"] = g.seconds.median().to_numpy()
        frames.append(s)
    else:
        frames.append(None)
    path = out_dir / "real.csv"
    if path.exists():
        r = pd.read_csv(path)
        r["noise_top5"] = pd.to_numeric(r.noise_top5, errors="coerce")
        for column in ("island_rank", "random10_rank"):
            r[column] = pd.to_numeric(r[column], errors="coerce")
        g = r.groupby(["dataset", "variant", "l1", "method", "aggregation"], sort=False)
        frames.append(
            g.agg(
                seeds=("seed", "nunique"),
                spearman=("spearman", "mean"),
                spearman_real=("spearman_real", "mean"),
                noise_top5=("noise_top5", "mean"),
                island_rank=("island_rank", "mean"),
                random10_rank=("random10_rank", "mean"),
                seconds=("seconds", "median"),
            ).reset_index()
        )
    else:
        frames.append(None)
    return frames


def summarize(out_dir):
    methods, significance, real = summary_frames(out_dir)
    parts = []
    if methods is not None:
        methods.to_csv(out_dir / "summary_methods.csv", index=False, float_format="%.4g")
        methods["label"] = [
            _label(a, b, c)
            for a, b, c in zip(methods.method, methods.aggregation, methods.l1, strict=True)
        ]
        ranked = methods[(methods.k > 0) & methods.aggregation.isin(["mean", "none"])]
        for n_rows in sorted(ranked.rows.unique()):
            sub = ranked[ranked.rows == n_rows]
            datasets = [d for d in DATASETS if d in set(sub.dataset)]
            rows = []
            for label in sorted(sub.label.unique(), key=_order):
                cells = [label]
                for d in datasets:
                    cells.append(_topk_cell(sub[(sub.label == label) & (sub.dataset == d)]))
                rows.append(cells)
            scores = ", ".join(f"{d} {sub[sub.dataset == d].score.mean():.3f}" for d in datasets)
            parts.append(
                f"### {n_rows} rows: real columns in the top k (mean) · seeds where they fill "
                f"it · rank of the best noise column (mean); groups by the mean of their "
                f"columns\n\nTest score (R² / accuracy, mean over seeds and l1): {scores}.\n\n"
                + markdown_table(["method", *datasets], rows)
            )
        parts.append(_other_reductions(methods))
        parts.append(_reduction_table(methods))
        t = methods[methods.aggregation.isin(["mean", "none"])]
        sizes = sorted(t.rows.unique())
        rows = []
        for label in sorted(t.label.unique(), key=_order):
            cells = [label]
            for n_rows in sizes:
                x = t[(t.label == label) & (t.rows == n_rows)]
                cells.append(_secs(x.seconds.median()) if len(x) else "—")
            rows.append(cells)
        fit_cells = ["(the fit)"] + [_secs(t[t.rows == n].fit_seconds.median()) for n in sizes]
        parts.append(
            "### Seconds to compute each score (median over data sets and seeds); the fit "
            "itself on the last line\n\n"
            + markdown_table(["method", *(f"{n} rows" for n in sizes)], rows + [fit_cells])
        )
    if significance is not None:
        significance.to_csv(out_dir / "summary_significance.csv", index=False, float_format="%.4g")
        rows = []
        for _, x in significance.iterrows():
            real_cell = (
                f"{x.real_confirmed}/{x.real_tentative}/{x.real_rejected} of {x.n_real}"
                if x.n_real
                else "—"
            )
            rows.append(
                [
                    f"{x.dataset}, {x.rows}",
                    _label(x.method, "mean", x.l1),
                    f"{x.seeds} ({x.n_rounds}, {x.test})",
                    real_cell,
                    f"{x.noise_confirmed}/{x.noise_tentative}/{x.noise_rejected} of {x.n_noise}",
                    f"{100 * x.noise_confirmed / x.n_noise:.1f} %",
                    f"{x.seconds:.0f}",
                ]
            )
        rows.sort(key=lambda r: (r[0], _order(r[1])))
        parts.append(
            "### Noise test (shadow null, alpha 0.05, mean group score): confirmed / "
            "tentative / rejected, summed over the seeds. The methods importance_significance "
            "supported when it ran (the library's gradient, the same formula as the "
            "candidate, from commit d64c879 on); the other candidates have no noise test. "
            "test: max/holm = a hit is beating the best shadow, Holm over the columns; "
            "pooled/bh = the reworked test of issue 21 (pooled shadows, Benjamini-Hochberg); "
            "(inferred) = run before the bench recorded the test, inferred from the "
            "decisions: in every recorded run the max test rejected nearly all noise columns "
            "and the pooled test none\n\n"
            + markdown_table(
                [
                    "data, rows",
                    "method",
                    "seeds (rounds, test)",
                    "real columns",
                    "noise columns",
                    "noise confirmed",
                    "seconds per call",
                ],
                rows,
            )  # fmt: skip
        )
    if real is not None:
        real.to_csv(out_dir / "summary_real.csv", index=False, float_format="%.4g")
        real["label"] = [
            _label(a, b, c) for a, b, c in zip(real.method, real.aggregation, real.l1, strict=True)
        ]
        datasets = [
            d for d in ("diabetes", "breast_cancer", "wine", "penguins") if d in set(real.dataset)
        ]
        # Data sets without a group have only "mean" rows: they stand for every reduction.
        rows = []
        for method in sorted(real.method.unique(), key=_order):
            reductions = ("none",) if method == PERMUTATION else ("mean", "rss")
            for reduction, l1 in itertools.product(reductions, sorted(real.l1.unique())):
                x = real[(real.method == method) & (real.l1 == l1)]
                x = x[
                    (x.aggregation == reduction)
                    | ((x.dataset != "penguins") & (x.aggregation == "mean"))
                ]
                plain = x[x.variant == "plain"]
                planted = x[x.variant == "planted"]
                rho = [plain[plain.dataset == d].spearman.mean() for d in datasets]
                noise = [planted[planted.dataset == d].noise_top5.mean() for d in datasets]
                rows.append(
                    [
                        _label(method, reduction, l1),
                        *(f"{r:.2f} / {n:.1f}" for r, n in zip(rho, noise, strict=True)),
                        f"{np.nanmean(rho):.2f}",
                        f"{np.nanmean(noise):.2f}",
                    ]  # fmt: skip
                )
        pen = real[real.dataset == "penguins"]
        if len(pen):
            rows_p = []
            for label in sorted(pen.label.unique(), key=_order):
                x = pen[pen.label == label]
                rows_p.append(
                    [
                        label,
                        f"{x[x.variant == 'plain'].island_rank.mean():.1f}",
                        f"{x[x.variant == 'planted'].random10_rank.mean():.1f}",
                    ]
                )
        seeds = int(real.seeds.max())
        parts.append(
            f"### bench_real's data and protocol ({seeds} seeds, 5 folds each): Spearman "
            "with the gradient-boosting reference (plain) / planted noise columns in the "
            "top 5 (planted); one-hot groups (penguins only) by the mean or the rss of "
            "their columns\n\n"
            + markdown_table(["method", *datasets, "mean Spearman", "noise in top 5"], rows)
            + (
                "\n\nPenguins: mean rank of island (plain, 7 columns; the reference ranks "
                "it 2nd) and of random10 (planted, 15 columns)\n\n"
                + markdown_table(["method", "island", "random10"], rows_p)
                if len(pen)
                else ""
            )
        )
    return "\n\n".join(parts)


def _other_reductions(methods):
    """The main table's cells for the sum and rss of the groups (sets with groups only)."""
    sub = methods[(methods.k > 0) & methods.aggregation.isin(["sum", "rss"])]
    if not len(sub):
        return ""
    columns = [(n, d) for n in sorted(sub.rows.unique()) for d in DATASETS]
    columns = [(n, d) for n, d in columns if len(sub[(sub.rows == n) & (sub.dataset == d)])]
    rows = []
    for label in sorted(sub.label.unique(), key=_order):
        cells = [label]
        for n_rows, d in columns:
            match = (sub.label == label) & (sub.rows == n_rows) & (sub.dataset == d)
            cells.append(_topk_cell(sub[match]))
        rows.append(cells)
    return (
        "### The same with one-hot groups scored by the sum or the rss (root of the sum of "
        "squares) of their columns (interactions has no groups: its mean rows above hold)"
        "\n\n" + markdown_table(["method", *(f"{d}, {n}" for n, d in columns)], rows)
    )


def _reduction_table(methods):
    """Mean rank of each categorical column under each group reduction, per row count."""
    parts = []
    for n_rows in sorted(methods.rows.unique()):
        sub = methods[
            methods.method.isin(REDUCTION_METHODS) & (methods.l1 == 0) & (methods.rows == n_rows)
        ]
        columns, header = [], ["method"]
        for dataset, cats in CATEGORICAL.items():
            if dataset not in set(sub.dataset):
                continue
            n = int(sub[sub.dataset == dataset].n_columns.iloc[0])
            for name, what in cats:
                columns.append((dataset, name))
                header.append(f"{dataset}: {name} ({what}) of {n}")
        if not columns:
            continue
        rows = []
        for method in REDUCTION_METHODS:
            for reduction in REDUCTIONS if method != PERMUTATION else ("none",):
                x = sub[(sub.method == method) & (sub.aggregation == reduction)]
                if not len(x):
                    continue
                cells = [method if reduction == "none" else f"{method} ({reduction})"]
                for dataset, name in columns:
                    value = x[x.dataset == dataset].get(f"rank_{name}")
                    cells.append(
                        "—" if value is None or value.isna().all() else f"{value.mean():.1f}"
                    )
                rows.append(cells)
        seeds = int(sub.seeds.max())
        parts.append(
            f"### {n_rows} rows, one-hot groups scored by the mean / sum / root of the sum "
            f"of squares (rss) of their columns: mean rank of each categorical column over "
            f"{seeds} seeds (1 = first; no L1). Under no signal (all_noise) a fair score "
            f"ranks a column near the middle, 11.5 of 22, whatever its number of levels\n\n"
            + markdown_table(header, rows)
        )
    return "\n\n".join(parts)


def _secs(value):
    if pd.isna(value):
        return "—"
    return f"{value:.2g}" if value < 0.1 else f"{value:.2f}"


# =========================================================================== main


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 (default 5)")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=list(DATASETS))
    parser.add_argument("--l1", type=float, nargs="+", default=list(L1_VALUES))
    parser.add_argument("--epochs", type=int, help="default: the estimators' (200)")
    parser.add_argument("--rounds", type=int, default=SIGNIFICANCE_ROUNDS)
    parser.add_argument(
        "--test", help="importance_significance's test, where it has one (default: its own)"
    )
    parser.add_argument("--correction", help="its correction, likewise (default: its own)")
    parser.add_argument(
        "--max-samples",
        type=int,
        help="significance: each round trains on a sample of this many training rows",
    )
    parser.add_argument(
        "--part", choices=("methods", "significance", "real", "all"), default="methods"
    )
    parser.add_argument(
        "--real-datasets", nargs="+", default=["diabetes", "breast_cancer", "wine", "penguins"]
    )
    parser.add_argument("--quick", action="store_true", help="1,000 rows, 1 seed, 20 epochs, "
                        "6 rounds, into a quick/ subdirectory")  # fmt: skip
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--summarize", action="store_true", help="only the tables")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    if args.quick:
        args.rows, args.seeds, args.epochs, args.rounds = [1000], 1, 20, 6
        args.out_dir = args.out_dir / "quick"
    args.out_dir.mkdir(parents=True, exist_ok=True)
    args.epochs_label = args.epochs if args.epochs is not None else "default"
    if args.summarize:
        report = summarize(args.out_dir)
        print(report)
        if args.markdown:
            args.markdown.write_text(_with_machines(args.out_dir, report), encoding="utf-8")
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from skweightimp.utils._backend import BACKEND

    args.seed_list = list(range(args.first_seed, args.first_seed + args.seeds))

    def progress(message):
        print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)

    machine = machine_line()
    print(machine, flush=True)
    with open(args.out_dir / "machine.txt", "a", encoding="utf-8") as out:
        out.write(f"{machine}; args {_machine.arguments()}\n")
    start = time.perf_counter()
    if args.part in ("methods", "all"):
        run_methods(args, BACKEND, progress)
    if args.part in ("significance", "all"):
        run_significance(args, BACKEND, progress)
    if args.part in ("real", "all"):
        run_real(args, BACKEND, progress)
    print(f"\nwall time {(time.perf_counter() - start) / 60:.1f} min\n", flush=True)
    report = summarize(args.out_dir)
    print(report)
    if args.markdown:
        args.markdown.write_text(_with_machines(args.out_dir, report), encoding="utf-8")


def machine_line():
    """``_machine.machine_line()``: versions and the git commit, no local path."""
    return _machine.machine_line()


def _with_machines(out_dir, report):
    path = out_dir / "machine.txt"
    machines = path.read_text(encoding="utf-8").strip() if path.exists() else ""
    return f"Runs (machine line and arguments of each):\n\n{machines}\n\n{report}\n"


if __name__ == "__main__":
    main()
