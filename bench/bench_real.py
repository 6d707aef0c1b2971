"""Real-data trust benchmark: do the importance methods agree with a strong reference on real
data, and do they keep planted noise out of the top?

Data (all install offline): scikit-learn's ``diabetes`` (regression, 10 features),
``breast_cancer`` (binary, 30) and ``wine`` (3 classes, 13), and ``penguins`` from
``palmerpenguins``: species classification (3 classes) from the four body measurements,
``year``, and the categorical ``island`` (3 levels) and ``sex`` (2 levels, 11 missing).
Species is the data set's usual task and keeps ``island`` and ``sex`` as categorical
inputs, which is the case where summed one-hot groups can favour the column with more
levels; the regression of ``body_mass_g`` would make ``species`` itself an input whose
importance is real, mixing the level bias with true signal. Rows are kept as they are:
the numeric columns are imputed (median) and a missing ``sex`` is a category of its own.
The regression target is standardised once (an affine map: R² and every ranking are
unchanged) so that ``first_layer_l1`` has the same weight against the loss as on a
classification task.

Each data set comes in two variants:

- ``plain``: as loaded.
- ``planted``: plus 5 ``noise_*`` columns, shuffled copies of 5 real numeric columns
  (same marginals, no signal), plus 2 exact copies (``*_copy1``, ``*_copy2``) of the
  reference's top feature on the plain variant; for penguins also ``random10``, a random
  categorical column with 10 levels. Drawn once with a fixed seed, the same for every
  network seed.

Reference: permutation importance (``n_repeats=10``) of ``HistGradientBoostingRegressor``
/ ``Classifier`` (categorical columns native, missing values native) on the test fold of
a 5-fold CV, averaged over the folds; computed once per data set variant and cached in
``reference.csv``.

Network: ``Pipeline(ColumnTransformer(median imputation + StandardScaler for the numeric
columns, OneHotEncoder for the categorical ones), WeightTrajectoryRegressor/Classifier(
hidden_layer_sizes=(32,), epochs=150, Adam 1e-3, batch 32, random_state=seed))`` with
``first_layer_l1`` 0 and 0.01. For every (data set, variant, seed, l1) a 5-fold CV (split
seeded by the seed) fits the pipeline per fold and reads from each fit every method in
``importance_methods_`` (``importance_scores``), normalised to sum 1 per fold and grouped
back to the original columns (``skweightimp.importance``: the one-hot columns of a categorical
feature form one group), plus the network's own permutation importance on the test fold
(``sklearn.inspection.permutation_importance``, ``n_repeats=5``, raw columns permuted, so a
categorical column is permuted as a whole). A method's importance is the mean over the
folds. Group scores are aggregated three ways: ``sum`` of the members (what the package
does today), ``mean`` and ``max`` of the members.

Metrics per method (one CSV row per data set, variant, seed, l1, method, aggregation):

- ``spearman``: rank correlation with the reference over all columns of the variant;
  ``spearman_real``: over the data set's own columns only (planted ones left out).
- ``top3``: share of the reference's 3 highest columns among the method's 3 highest.
- ``noise_top5`` / ``noise_bottom5``: planted noise columns among the method's 5 highest /
  5 lowest (planted variant).
- ``dup_ranks``: ranks (1 = highest) of the reference's top feature and its two copies.
- ``island_rank``, ``random10_rank``: penguins only.
- ``fold_stability``: mean pairwise Spearman between the 5 folds' scores.
- ``cost``: median over folds of (seconds to compute the method) / (seconds of the fit).
  The trajectory methods' recording happens during the fit and is part of its time.
- ``score``: mean test R² / accuracy of the network.

``--part significance`` runs ``skweightimp.inspection.importance_significance`` (shadow
null, 20 rounds) on the planted variants with olden, olden + L1 and weight_std, and records
every column's decision and p-value, and how the rounds were trained (``training``:
replicas of one Keras model by default since issue 15; separate fits before).

Run from the repository root (the JAX backend fits these networks faster than TensorFlow)::

    KERAS_BACKEND=jax python bench/bench_real.py --seeds 5 --part all
    python bench/bench_real.py --summarize            # tables from the CSVs so far

The run is resumable: rows are appended per finished configuration and configurations
already in the CSV are skipped.
"""

import argparse
import datetime
import itertools
import os
import sys
import time
import warnings
from pathlib import Path

import _machine  # noqa: F401  (puts this checkout first on sys.path)
import numpy as np
import pandas as pd
from _records import append_rows, fmt, markdown_table, num, read_done
from scipy.stats import spearmanr

DATASETS = ("diabetes", "breast_cancer", "wine", "penguins")
VARIANTS = ("plain", "planted")
L1_VALUES = (0.0, 0.01)
HIDDEN = (32,)
EPOCHS = 150
N_FOLDS = 5
REFERENCE_REPEATS = 10
NETWORK_REPEATS = 5
PLANT_SEED = 0
N_NOISE = 5
N_COPIES = 2
PERMUTATION = "permutation"
REFERENCE = "reference"
# Group scores: how the member columns' (normalised) scores become one score per original
# column. A level-unbiased score from skweightimp.importance, when it exists, belongs here too.
AGGREGATIONS = {
    "sum": lambda values: values.sum(),
    "mean": lambda values: values.mean(),
    "max": lambda values: values.max(),
}
# One call per first_layer_l1: its p-values cover every method the network supports, and
# the decision rule (Holm-adjusted p-values against alpha, both sides) is applied here to
# the methods other than the call's own. The candidates of the issue are olden, olden + L1
# and weight_std; the others come for free.
SIGNIFICANCE_CALLS = ((0.0, "auto"), (0.01, "auto"))  # "auto": the recommended method decides
SIGNIFICANCE_ALPHA = 0.05
SIGNIFICANCE_ROUNDS = 20
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "docs" / "_static" / "bench_real"

METHOD_FIELDS = [
    "dataset", "variant", "seed", "l1", "method", "aggregation", "epochs", "backend",
    "n_columns", "spearman", "spearman_real", "top3", "noise_top5", "noise_bottom5",
    "dup_ranks", "island_rank", "random10_rank", "fold_stability", "cost", "fit_seconds",
    "score", "importances", "finished",
]  # fmt: skip
SIGNIFICANCE_FIELDS = [
    "dataset", "variant", "seed", "config", "method", "l1", "n_rounds", "epochs", "backend",
    "feature", "kind", "decision", "pvalue", "score", "seconds", "finished", "training",
]  # fmt: skip


# --------------------------------------------------------------------------- data


def load(dataset):
    """``(X DataFrame, y, is_classifier, categorical column names)``."""
    from sklearn import datasets

    if dataset == "penguins":
        from palmerpenguins import load_penguins

        frame = load_penguins()
        y = frame.pop("species").to_numpy(dtype=object)
        categorical = ["island", "sex"]
        for column in categorical:
            frame[column] = frame[column].astype(object)
        frame["year"] = frame["year"].astype(np.float64)
        return frame, y, True, categorical
    loader = {
        "diabetes": datasets.load_diabetes,
        "breast_cancer": datasets.load_breast_cancer,
        "wine": datasets.load_wine,
    }[dataset]
    bunch = loader(as_frame=True)
    X = bunch.data.astype(np.float64)
    y = bunch.target.to_numpy()
    if dataset == "diabetes":
        y = (y - y.mean()) / y.std()
        return X, y.astype(np.float64), False, []
    return X, y, True, []


def plant(X, categorical, top_feature, with_random_categorical):
    """The planted variant and the kind of every column (real, noise, copy, random)."""
    rng = np.random.RandomState(PLANT_SEED)
    X = X.copy()
    kinds = dict.fromkeys(X.columns, "real")
    kinds[top_feature] = "top"
    numeric = [c for c in X.columns if c not in categorical]
    sources = rng.choice(numeric, size=N_NOISE, replace=len(numeric) < N_NOISE)
    for i, source in enumerate(sources):
        name = f"noise_{source}" if f"noise_{source}" not in X else f"noise{i}_{source}"
        X[name] = rng.permutation(X[source].to_numpy())
        kinds[name] = "noise"
    for i in range(1, N_COPIES + 1):
        X[f"{top_feature}_copy{i}"] = X[top_feature]
        kinds[f"{top_feature}_copy{i}"] = "copy"
    added_categorical = [f"{top_feature}_copy{i}" for i in range(1, N_COPIES + 1)]
    added_categorical = added_categorical if top_feature in categorical else []
    if with_random_categorical:
        X["random10"] = np.array([f"r{k}" for k in rng.randint(0, 10, size=len(X))], object)
        kinds["random10"] = "random_categorical"
        added_categorical.append("random10")
    return X, categorical + added_categorical, kinds


# --------------------------------------------------------------------------- models


def _folds(is_classifier, seed):
    from sklearn.model_selection import KFold, StratifiedKFold

    splitter = StratifiedKFold if is_classifier else KFold
    return splitter(n_splits=N_FOLDS, shuffle=True, random_state=seed)


def reference_model(X, is_classifier, categorical):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    Model = HistGradientBoostingClassifier if is_classifier else HistGradientBoostingRegressor
    mask = [column in categorical for column in X.columns]
    return Model(categorical_features=mask if any(mask) else None, random_state=0)


def _reference_frame(X, categorical):
    # HistGradientBoosting takes categories as integer codes (missing stays NaN).
    X = X.copy()
    for column in categorical:
        codes = pd.Categorical(X[column]).codes.astype(np.float64)
        codes[codes < 0] = np.nan
        X[column] = codes
    return X


def compute_reference(X, y, is_classifier, categorical):
    from sklearn.inspection import permutation_importance
    from threadpoolctl import threadpool_limits

    Xr = _reference_frame(X, categorical)
    importances, scores = [], []
    # HistGradientBoosting's OpenMP threads spin-wait: on a shared, oversubscribed machine
    # the wine reference took 870 s with them. One thread each gives the same trees.
    with threadpool_limits(1, user_api="openmp"):
        for train, test in _folds(is_classifier, 0).split(Xr, y):
            model = reference_model(Xr, is_classifier, categorical)
            model.fit(Xr.iloc[train], y[train])
            scores.append(model.score(Xr.iloc[test], y[test]))
            result = permutation_importance(
                model, Xr.iloc[test], y[test], n_repeats=REFERENCE_REPEATS, random_state=0
            )
            importances.append(result.importances_mean)
    importances = np.asarray(importances)
    return pd.DataFrame(
        {
            "feature": X.columns,
            "importance": importances.mean(axis=0),
            "fold_std": importances.std(axis=0),
            "fold_stability": _stability(importances),
            "score": np.mean(scores),
        }
    )


def network(is_classifier, categorical, numeric, seed, l1, epochs):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor

    parts = [("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric)]
    if categorical:
        encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        parts.append(("cat", encoder, categorical))
    Estimator = WeightTrajectoryClassifier if is_classifier else WeightTrajectoryRegressor
    est = Estimator(
        hidden_layer_sizes=HIDDEN,
        epochs=epochs,
        learning_rate=1e-3,
        batch_size=32,
        first_layer_l1=l1,
        random_state=seed,
    )
    return Pipeline([("pre", ColumnTransformer(parts)), ("net", est)])


# --------------------------------------------------------------------------- metrics


def _stability(rows):
    """Mean pairwise Spearman between the rows (folds)."""
    values = []
    for a, b in itertools.combinations(range(len(rows)), 2):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # constant scores give NaN, kept as such
            values.append(spearmanr(rows[a], rows[b]).statistic)
    return float(np.nanmean(values)) if not np.all(np.isnan(values)) else float("nan")


def _ranks(importance):
    """1 = highest; ties in input order (float scores rarely tie)."""
    order = np.argsort(-np.asarray(importance), kind="stable")
    ranks = np.empty(len(order), dtype=int)
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks


def evaluate(importance, reference, kinds):
    """Metrics of one importance Series (indexed by column) against the reference Series."""
    columns = list(reference.index)
    importance = importance.reindex(columns)
    ranks = pd.Series(_ranks(importance.to_numpy()), index=columns)
    kind = pd.Series(kinds).reindex(columns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rho = spearmanr(importance, reference).statistic
        own = kind.isin(["real", "top"]).to_numpy()
        rho_real = spearmanr(importance[own], reference[own]).statistic
    top_ref = set(reference.sort_values(ascending=False).index[:3])
    top_own = set(ranks[ranks <= 3].index)
    noise = kind == "noise"
    n = len(columns)
    copies = kind.isin(["top", "copy"])
    return {
        "n_columns": n,
        "spearman": rho,
        "spearman_real": rho_real,
        "top3": len(top_ref & top_own) / 3,
        "noise_top5": int((noise & (ranks <= 5)).sum()) if noise.any() else "",
        "noise_bottom5": int((noise & (ranks > n - 5)).sum()) if noise.any() else "",
        "dup_ranks": ";".join(str(r) for r in ranks[copies]) if (kind == "copy").any() else "",
        "island_rank": int(ranks["island"]) if "island" in ranks else "",
        "random10_rank": int(ranks["random10"]) if "random10" in ranks else "",
    }


# --------------------------------------------------------------------------- methods part


def _group_members(pipe):
    from skweightimp.importance import resolve_feature_groups

    names = list(pipe[:-1].get_feature_names_out())
    return resolve_feature_groups(names, "auto", preprocessor=pipe[:-1])


def run_config(data, seed, l1, epochs):
    """Fit the 5 folds of one configuration; return {(method, aggregation): per-fold info}."""
    from sklearn.inspection import permutation_importance

    from skweightimp.importance import ConstantWeightsWarning

    X, y, is_classifier, categorical = data
    numeric = [c for c in X.columns if c not in categorical]
    per = {}
    fit_seconds, scores = [], []
    for train, test in _folds(is_classifier, seed).split(X, y):
        pipe = network(is_classifier, categorical, numeric, seed, l1, epochs)
        start = time.perf_counter()
        pipe.fit(X.iloc[train], y[train])
        fit = time.perf_counter() - start
        fit_seconds.append(fit)
        scores.append(pipe.score(X.iloc[test], y[test]))
        est = pipe[-1]
        names, members = _group_members(pipe)
        for method in est.importance_methods_:
            start = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConstantWeightsWarning)
                raw = np.asarray(est.importance_scores(method), dtype=np.float64)
            cost = (time.perf_counter() - start) / fit
            total = raw.sum()
            raw = raw / total if total > 0 else np.full_like(raw, 1 / len(raw))
            # Without a group of several columns every aggregation gives the same numbers.
            grouped_data = any(len(idx) > 1 for idx in members)
            for agg, reduce in AGGREGATIONS.items() if grouped_data else [("sum", np.sum)]:
                grouped = pd.Series([reduce(raw[idx]) for idx in members], index=names)
                per.setdefault((method, agg), []).append((grouped, cost))
        start = time.perf_counter()
        result = permutation_importance(
            pipe, X.iloc[test], y[test], n_repeats=NETWORK_REPEATS, random_state=seed
        )
        cost = (time.perf_counter() - start) / fit
        grouped = pd.Series(result.importances_mean, index=X.columns)
        per.setdefault((PERMUTATION, "none"), []).append((grouped, cost))
    return per, float(np.median(fit_seconds)), float(np.mean(scores))


def _read_reference(path):
    # Two runs sharing an output directory (methods and significance parts) may both
    # compute a missing reference; it is deterministic, so keep the first copy.
    return pd.read_csv(path).drop_duplicates(["dataset", "variant", "feature"])


def get_reference(out_dir, dataset, variant, data, kinds):
    path = out_dir / "reference.csv"
    if path.exists():
        cached = _read_reference(path)
        hit = cached[(cached.dataset == dataset) & (cached.variant == variant)]
        if len(hit):
            return hit.set_index("feature")
    X, y, is_classifier, categorical = data
    start = time.perf_counter()
    ref = compute_reference(X, y, is_classifier, categorical)
    ref.insert(0, "variant", variant)
    ref.insert(0, "dataset", dataset)
    ref["kind"] = [kinds[c] for c in ref.feature]
    ref.to_csv(path, mode="a", header=not path.exists(), index=False)
    print(f"reference {dataset}/{variant}: {time.perf_counter() - start:.1f} s", flush=True)
    return ref.set_index("feature")


def variants(out_dir, dataset):
    """Yield ``(variant, data, kinds, reference Series)`` for both variants."""
    X, y, is_classifier, categorical = load(dataset)
    kinds = {c: "real" for c in X.columns}
    plain = get_reference(out_dir, dataset, "plain", (X, y, is_classifier, categorical), kinds)
    yield "plain", (X, y, is_classifier, categorical), kinds, plain["importance"]
    top = plain["importance"].idxmax()
    Xp, categorical_p, kinds_p = plant(X, categorical, top, dataset == "penguins")
    data = (Xp, y, is_classifier, categorical_p)
    planted = get_reference(out_dir, dataset, "planted", data, kinds_p)
    yield "planted", data, kinds_p, planted["importance"]


def run_methods(args, backend, progress):
    path = args.out_dir / "methods.csv"
    keys = ["dataset", "variant", "seed", "l1", "epochs"]
    done = read_done(path, keys)
    for dataset in args.datasets:
        for variant, data, kinds, reference in variants(args.out_dir, dataset):
            for seed, l1 in itertools.product(args.seed_list, L1_VALUES):
                key = (dataset, variant, str(seed), fmt(float(l1)), str(args.epochs))
                if key in done:
                    progress(f"skip {key} (done)")
                    continue
                start = time.perf_counter()
                per, fit_seconds, score = run_config(data, seed, l1, args.epochs)
                rows = []
                for (method, agg), folds in per.items():
                    frame = pd.DataFrame([grouped for grouped, _ in folds])
                    importance = frame.mean(axis=0)
                    row = {
                        "dataset": dataset,
                        "variant": variant,
                        "seed": seed,
                        "l1": l1,
                        "method": method,
                        "aggregation": agg,
                        "epochs": args.epochs,
                        "backend": backend,
                        **evaluate(importance, reference, kinds),
                        "fold_stability": _stability(frame.to_numpy()),
                        "cost": float(np.median([cost for _, cost in folds])),
                        "fit_seconds": fit_seconds,
                        "score": score,
                        "importances": ";".join(
                            f"{name}={value:.4g}" for name, value in importance.items()
                        ),
                        "finished": datetime.datetime.now().isoformat(timespec="seconds"),
                    }
                    rows.append({k: fmt(v) for k, v in row.items()})
                append_rows(path, METHOD_FIELDS, rows)
                progress(
                    f"{dataset}/{variant} seed {seed} l1 {l1}: "
                    f"{time.perf_counter() - start:.0f} s (median fit {fit_seconds:.1f} s, "
                    f"score {score:.3f})"
                )


# --------------------------------------------------------------------------- significance


def _decisions(result, method, alpha):
    """Decision per feature for ``method`` from the Bunch of ``importance_significance``."""
    if method == result.method:
        return result.decision
    if "rejection_pvalues" not in result:
        return None
    confirmed = result.pvalues[method] <= alpha
    rejected = result.rejection_pvalues[method] <= alpha
    decision = pd.Series("tentative", index=result.pvalues.index)
    decision[rejected] = "rejected"
    decision[confirmed] = "confirmed"
    return decision


def run_significance(args, backend, progress):
    try:
        from skweightimp.inspection import importance_significance
    except ImportError:
        print(
            "significance part skipped: skweightimp.inspection.importance_significance is not "
            "in this checkout yet (--package can point at a checkout that has it).",
            flush=True,
        )
        return
    path = args.out_dir / "significance.csv"
    keys = ["dataset", "seed", "l1", "epochs"]
    done = read_done(path, keys)
    for dataset in args.datasets:
        for variant, data, kinds, _ in variants(args.out_dir, dataset):
            if variant != "planted":
                continue
            X, y, is_classifier, categorical = data
            numeric = [c for c in X.columns if c not in categorical]
            for seed, (l1, call_method) in itertools.product(args.seed_list, SIGNIFICANCE_CALLS):
                if (dataset, str(seed), fmt(float(l1)), str(args.epochs)) in done:
                    progress(f"skip significance {dataset} seed {seed} l1 {l1} (done)")
                    continue
                pipe = network(is_classifier, categorical, numeric, seed, l1, args.epochs)
                start = time.perf_counter()
                result = importance_significance(
                    pipe,
                    X,
                    y,
                    method=call_method,
                    null="shadow",
                    n_rounds=args.rounds,
                    alpha=SIGNIFICANCE_ALPHA,
                    feature_groups="auto",
                    random_state=seed,
                )
                seconds = time.perf_counter() - start
                rows = []
                for method in result.pvalues.columns:
                    decision = _decisions(result, method, SIGNIFICANCE_ALPHA)
                    if decision is None:
                        continue
                    for feature in decision.index:
                        row = {
                            "dataset": dataset,
                            "variant": variant,
                            "seed": seed,
                            "config": _label(method, l1),
                            "method": method,
                            "l1": l1,
                            "n_rounds": args.rounds,
                            "epochs": args.epochs,
                            "backend": backend,
                            "feature": feature,
                            "kind": kinds.get(feature, "?"),
                            "decision": decision[feature],
                            "pvalue": float(result.pvalues.loc[feature, method]),
                            "score": float(result.scores.loc[feature, method]),
                            "seconds": seconds,
                            "finished": datetime.datetime.now().isoformat(timespec="seconds"),
                            # Replicas of one model, or separate fits (before they existed).
                            "training": result.get("training", "separate fits"),
                        }
                        rows.append({k: fmt(v) for k, v in row.items()})
                append_rows(path, SIGNIFICANCE_FIELDS, rows)
                confirmed = list(result.decision.index[result.decision == "confirmed"])
                progress(
                    f"significance {dataset} seed {seed} l1 {l1}: {seconds:.0f} s, "
                    f"{call_method} confirmed {confirmed}"
                )


# --------------------------------------------------------------------------- summary


def _label(method, l1):
    return f"{method} + L1" if float(l1) > 0 else method


def summarize(out_dir):
    """Markdown tables from the CSVs in ``out_dir`` (the docs' tables are printed by this)."""
    parts = []
    path = out_dir / "methods.csv"
    if path.exists():
        frame = pd.read_csv(path)
        frame["label"] = [_label(m, l1) for m, l1 in zip(frame.method, frame.l1, strict=True)]
        for column in ("noise_top5", "noise_bottom5", "island_rank", "random10_rank"):
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
        # Ungrouped data sets give the same numbers under every aggregation: keep "sum".
        main = frame[frame.aggregation.isin(["sum", "none"])]
        labels = sorted(main.label.unique(), key=_label_order)
        datasets = [d for d in DATASETS if d in set(main.dataset)]
        seeds = sorted(main.seed.unique())
        parts.append(
            f"Runs: seeds {', '.join(map(str, seeds))}; epochs "
            f"{', '.join(map(str, sorted(main.epochs.unique())))}; backend "
            f"{', '.join(sorted(main.backend.unique()))}; last row written "
            f"{frame.finished.max()}."
        )
        for variant, title in (("plain", "Spearman with the reference"), ("planted", None)):
            sub = main[main.variant == variant]
            if not len(sub):
                continue
            if variant == "plain":
                rows = []
                for label in labels:
                    cells = [
                        sub[(sub.label == label) & (sub.dataset == d)].spearman.mean()
                        for d in datasets
                    ]
                    rows.append([label, *map(num, cells), num(np.nanmean(cells))])
                parts.append(
                    f"### {title} (plain data, mean over seeds)\n\n"
                    + markdown_table(["method", *datasets, "mean"], rows)
                )
                rows = []
                for label in labels:
                    s = sub[sub.label == label]
                    rows.append(
                        [
                            label,
                            *(num(s[s.dataset == d].top3.mean()) for d in datasets),
                            *(num(s[s.dataset == d].fold_stability.mean()) for d in datasets),
                            _cost(s.cost.median()),
                        ]
                    )
                parts.append(
                    "### Top-3 overlap with the reference, fold stability (mean pairwise "
                    "Spearman between the 5 folds), cost (plain data)\n\n"
                    + markdown_table(
                        [
                            "method",
                            *(f"top-3 {d}" for d in datasets),
                            *(f"stability {d}" for d in datasets),
                            "cost / fit (median)",
                        ],
                        rows,
                    )
                )
            else:
                rows = []
                for label in labels:
                    s = sub[sub.label == label]
                    cells = [label]
                    for d in datasets:
                        sd = s[s.dataset == d]
                        cells.append(
                            f"{num(sd.noise_top5.mean(), 1)} / {num(sd.noise_bottom5.mean(), 1)}"
                        )
                    cells += [
                        num(s.noise_top5.mean()),
                        f"{num(s.spearman.mean())} / {num(s.spearman_real.mean())}",
                    ]
                    cells.append(_dup_summary(s))
                    rows.append(cells)
                parts.append(
                    "### Planted variant: noise columns in the top 5 / bottom 5 per run, "
                    "Spearman with the planted reference over all columns / over the data "
                    "set's own columns, ranks of the reference's top feature and its 2 "
                    "copies (1 = first)\n\n"
                    + markdown_table(
                        [
                            "method",
                            *datasets,
                            "noise top 5 (mean)",
                            "Spearman all / own",
                            "ranks of top + copies",
                        ],
                        rows,
                    )
                )
        parts.append(_targets(main, datasets))
        parts.append(_reference_noise(out_dir))
        groups = frame[(frame.dataset == "penguins")]
        if len(groups):
            rows = []
            for label in sorted(groups.label.unique(), key=_label_order):
                s = groups[groups.label == label]
                cells = [label]
                for agg in AGGREGATIONS:
                    sa = s[s.aggregation.isin([agg, "none"])]
                    island = sa[sa.variant == "plain"].island_rank
                    cells.append(
                        f"{num(island.mean(), 1)} ({int((island == 1).sum())}/{len(island)}) "
                        f"· {num(sa[sa.variant == 'planted'].random10_rank.mean(), 1)}"
                    )
                rows.append(cells)
            parts.append(
                "### Penguins, group scores: mean rank of island on the plain data (7 "
                "columns; runs with island first) · mean rank of random10 on the planted "
                "data (15 columns); permutation importance permutes the raw column, no "
                "aggregation\n\n"
                + markdown_table(["method", *AGGREGATIONS], rows)
                + "\n\n"
                + _reference_ranks(out_dir)
            )
    path = out_dir / "significance.csv"
    if path.exists():
        parts.append(_significance_summary(pd.read_csv(path)))
    return "\n\n".join(p for p in parts if p)


def _targets(main, datasets):
    """The issue's first target, for every candidate: noise in the top 5 and Spearman."""
    plain = main[main.variant == "plain"]
    planted = main[main.variant == "planted"]

    def mean_spearman(label):
        return np.nanmean(
            [plain[(plain.label == label) & (plain.dataset == d)].spearman.mean() for d in datasets]
        )

    bar = mean_spearman(PERMUTATION) - 0.05
    rows = []
    for label in sorted(main.label.unique(), key=_label_order):
        noise = planted[planted.label == label].noise_top5.mean()
        rho = mean_spearman(label)
        rows.append(
            [
                label,
                num(noise),
                "—" if pd.isna(noise) else ("met" if noise <= 0.2 else "missed"),
                num(rho),
                "—" if pd.isna(rho) else ("met" if rho >= bar else "missed"),
            ]
        )
    return (
        f"### Target 1 per method: planted noise in the top 5 at most 0.2 per run; mean "
        f"Spearman at least the network's permutation importance minus 0.05 "
        f"({num(bar)})\n\n"
        + markdown_table(["method", "noise in top 5", "target", "mean Spearman", "target"], rows)
    )


def _cost(value):
    if pd.isna(value):
        return "—"
    return f"{value:.3f}" if value >= 0.001 else f"{value:.1e}"


def _label_order(label):
    order = ["weight_std", "viann", "displacement", "garson", "olden", PERMUTATION]
    base = label.replace(" + L1", "")
    return (order.index(base) if base in order else len(order), label.endswith("L1"))


def _dup_summary(sub):
    ranks = [list(map(int, r.split(";"))) for r in sub.dup_ranks.dropna() if str(r)]
    if not ranks:
        return "—"
    ranks = np.asarray(ranks)
    n = int(sub.n_columns.iloc[0]) if sub.dataset.nunique() == 1 else None
    text = f"mean {ranks.mean():.1f}, best {ranks.min()}, worst {ranks.max()}"
    return text + (f" of {n}" if n else "")


def _reference_noise(out_dir):
    path = out_dir / "reference.csv"
    if not path.exists():
        return ""
    ref = _read_reference(path)
    rows = []
    for (dataset, variant), sub in ref.groupby(["dataset", "variant"], sort=False):
        ranks = pd.Series(_ranks(sub.importance.to_numpy()), index=sub.feature.to_numpy())
        kinds = sub.set_index("feature").kind
        top = ", ".join(sub.sort_values("importance", ascending=False).feature[:3])
        noise = kinds == "noise"
        rows.append(
            [
                f"{dataset}/{variant}",
                num(sub.score.iloc[0], 3),
                top,
                int((noise & (ranks <= 5)).sum()) if noise.any() else "—",
                num(sub.fold_stability.iloc[0]),
            ]
        )
    return (
        "### Reference (HistGradientBoosting permutation importance, 5-fold CV)\n\n"
        + markdown_table(["data", "score", "top 3", "noise in top 5", "fold stability"], rows)
    )


def _reference_ranks(out_dir):
    path = out_dir / "reference.csv"
    if not path.exists():
        return ""
    ref = _read_reference(path)
    ref = ref[ref.dataset == "penguins"]
    cells = []
    for variant, sub in ref.groupby("variant"):
        ranks = pd.Series(_ranks(sub.importance.to_numpy()), index=sub.feature.to_numpy())
        text = f"{variant}: island {ranks.get('island')} of {len(ranks)}"
        if "random10" in ranks:
            text += f", random10 {ranks['random10']}"
        cells.append(text)
    return "Reference ranks: " + "; ".join(cells) + "."


def _significance_summary(sig):
    rows = []
    for label, sub in sorted(sig.groupby("config"), key=lambda item: _label_order(item[0])):
        noise = sub[sub.kind == "noise"]
        real = sub[sub.kind.isin(["real", "top", "copy"])]
        diabetes = sub[(sub.dataset == "diabetes") & sub.feature.isin(["bmi", "s5", "bp"])]
        n_diab_runs = diabetes.seed.nunique()
        per_run = (diabetes.decision == "confirmed").groupby(diabetes.seed).sum()
        confirmed_diab = (
            f"{num(per_run.mean(), 1)} (runs with 2 or more: {(per_run >= 2).sum()} of "
            f"{n_diab_runs})"
            if n_diab_runs
            else "—"
        )
        random10 = sub[sub.feature == "random10"].decision.value_counts().to_dict()
        rows.append(
            [
                label,
                num((noise.decision == "confirmed").mean() * 100, 1) + " %",
                num((real.decision == "confirmed").mean() * 100, 1) + " %",
                confirmed_diab,
                ", ".join(f"{k} {v}" for k, v in random10.items()) or "—",
                num(sub.groupby(["dataset", "seed"]).seconds.first().median(), 0),
            ]
        )
    return "### Significance (shadow null, planted variants)\n\n" + markdown_table(
        [
            "method",
            "planted noise confirmed",
            "real columns confirmed",
            "of bmi/s5/bp confirmed (diabetes, per run)",
            "random10 decisions",
            "seconds per call (median)",
        ],
        rows,
    )


# --------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5, help="network seeds 0..N-1 (default 5)")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--datasets", nargs="+", choices=DATASETS, default=list(DATASETS))
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--rounds", type=int, default=SIGNIFICANCE_ROUNDS)
    parser.add_argument("--part", choices=("methods", "significance", "all"), default="methods")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--backend",
        choices=("jax", "tensorflow", "torch"),
        help="Keras backend (sets KERAS_BACKEND before Keras is imported; default: the "
        "environment's, jax recommended)",
    )
    parser.add_argument(
        "--package",
        type=Path,
        help="import skweightimp from this checkout instead of this one (e.g. a snapshot of "
        "a branch that has importance_significance)",
    )
    parser.add_argument(
        "--summarize", action="store_true", help="only print the tables from the CSVs"
    )
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    if args.summarize:
        report = summarize(args.out_dir)
        print(report)
        if args.markdown:
            args.markdown.write_text(_with_machines(args.out_dir, report), encoding="utf-8")
        return
    if args.package:
        sys.path.insert(0, str(args.package.resolve()))
    if args.backend:
        os.environ["KERAS_BACKEND"] = args.backend
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from skweightimp.utils._backend import BACKEND

    args.seed_list = list(range(args.first_seed, args.first_seed + args.seeds))
    try:
        from tqdm import tqdm

        def progress(message):
            tqdm.write(message)
    except ImportError:

        def progress(message):
            print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)

    machine = _machine.machine_line()
    print(machine, flush=True)
    with open(args.out_dir / "machine.txt", "a", encoding="utf-8") as out:
        out.write(f"{machine}; args {_machine.arguments()}\n")
    start = time.perf_counter()
    if args.part in ("methods", "all"):
        run_methods(args, BACKEND, progress)
    if args.part in ("significance", "all"):
        run_significance(args, BACKEND, progress)
    print(f"\nwall time {(time.perf_counter() - start) / 60:.1f} min\n")
    print(machine)
    print()
    report = summarize(args.out_dir)
    print(report)
    if args.markdown:
        args.markdown.write_text(_with_machines(args.out_dir, report), encoding="utf-8")


def _with_machines(out_dir, report):
    path = out_dir / "machine.txt"
    machines = path.read_text(encoding="utf-8").strip() if path.exists() else ""
    return f"Runs (machine line and arguments of each):\n\n{machines}\n\n{report}\n"


if __name__ == "__main__":
    main()
