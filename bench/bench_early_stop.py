"""Early stopping on the ranking: epochs saved, test score lost, ranking agreement.

For every problem and seed, two networks are trained with the same seed and data:

- the *full* run, ``epochs`` epochs;
- the *stopped* run, the same with ``stop_when_ranking_stable=PATIENCE``
  (``ranking_top_k=TOP_K``, ``ranking_min_epochs=MIN_EPOCHS``): training ends once the
  top-k ranking of ``importance_method`` has not changed for ``PATIENCE`` epochs.

Reported per problem and method, over the seeds (mean, and the worst seed where it says
so):

- ``epochs saved``: ``1 - stopped epochs / full epochs`` (0 where the rule never fired);
- ``score change``: ``(stopped score - full score) / |full score|`` on the held-out 25 %
  (R² for regression, accuracy for classification); negative is a loss;
- ``Spearman vs full``: rank correlation of the stopped run's importances with the full
  run's, over all features;
- ``Spearman vs reference``: of the stopped and of the full run's importances with a
  reference, scikit-learn's permutation importance (``n_repeats=5``) of the full run on
  the held-out part.

Targets (issue 16): at least 40 % of the epochs saved, Spearman with the full run at
least 0.95, test score within 2 % of the full run's; ``met`` or ``MISSED`` per row.

Problems: the seed notebook's data (:func:`skweightimp.datasets.make_seed_regression`,
600 rows, its network of 4 linear units, Adam 0.01), and scikit-learn's ``diabetes``
(regression), ``breast_cancer`` and ``wine`` (classification), standardised, with one
hidden layer of 16 ReLU units, Adam 0.01. Regression targets are standardised.

    KERAS_BACKEND=jax python bench/bench_early_stop.py            # 3 seeds
    KERAS_BACKEND=jax python bench/bench_early_stop.py --quick    # 1 seed, short: smoke
"""

import argparse
import os
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")

import _machine  # noqa: E402 - puts this checkout first on sys.path
import numpy as np  # noqa: E402
from scipy.stats import spearmanr  # noqa: E402
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine  # noqa: E402
from sklearn.inspection import permutation_importance  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor  # noqa: E402
from skweightimp.datasets import make_seed_regression  # noqa: E402
from skweightimp.importance import ConstantWeightsWarning  # noqa: E402

NETWORK = {"hidden_layer_sizes": (16,), "activation": "relu", "learning_rate": 0.01}
SEED_NETWORK = {"hidden_layer_sizes": (4,), "activation": "linear", "learning_rate": 0.01}
PATIENCE = 10
TOP_K = 5
MIN_EPOCHS = 20
N_REPEATS = 5


def seed_data():
    X, y = make_seed_regression(600, random_state=0)
    return X.to_numpy(np.float64), y.to_numpy(np.float64)


def diabetes():
    return load_diabetes(return_X_y=True)


def breast_cancer():
    return load_breast_cancer(return_X_y=True)


def wine():
    return load_wine(return_X_y=True)


# name -> (data, classification?, network, full-run epochs)
PROBLEMS = {
    "seed": (seed_data, False, SEED_NETWORK, 200),
    "diabetes": (diabetes, False, NETWORK, 200),
    "breast_cancer": (breast_cancer, True, NETWORK, 200),
    "wine": (wine, True, NETWORK, 200),
}


def spearman(a, b):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constant input: NaN, reported as such
        return float(spearmanr(a, b).statistic)


def run_one(problem, method, seed, epochs):
    make, is_classifier, network, _ = PROBLEMS[problem]
    X, y = make()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=seed, stratify=y if is_classifier else None
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    if not is_classifier:
        mean, std = y_train.mean(), y_train.std()
        y_train, y_test = (y_train - mean) / std, (y_test - mean) / std
    Estimator = WeightTrajectoryClassifier if is_classifier else WeightTrajectoryRegressor
    params = {**network, "epochs": epochs, "random_state": seed, "importance_method": method}
    full = Estimator(**params).fit(X_train, y_train)
    stopped = Estimator(
        **params,
        stop_when_ranking_stable=PATIENCE,
        ranking_top_k=TOP_K,
        ranking_min_epochs=MIN_EPOCHS,
    ).fit(X_train, y_train)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConstantWeightsWarning)
        full_imp, stopped_imp = full.feature_importances_, stopped.feature_importances_
    reference = permutation_importance(
        full, X_test, y_test, n_repeats=N_REPEATS, random_state=seed
    ).importances_mean
    full_score, stopped_score = full.score(X_test, y_test), stopped.score(X_test, y_test)
    n_stopped = stopped.stopped_epoch_ or epochs
    return {
        "saved": 1.0 - n_stopped / epochs,
        "stopped_at": n_stopped,
        "score_change": (stopped_score - full_score) / abs(full_score),
        "full_score": full_score,
        "rho_full": spearman(stopped_imp, full_imp),
        "rho_ref_stopped": spearman(stopped_imp, reference),
        "rho_ref_full": spearman(full_imp, reference),
    }


def verdicts(rows):
    saved = np.mean([r["saved"] for r in rows])
    loss = min(r["score_change"] for r in rows)
    rho = min(r["rho_full"] for r in rows)
    return [
        _machine.verdict(saved, 0.40, smaller_is_better=False),
        _machine.verdict(rho, 0.95, smaller_is_better=False),
        _machine.verdict(-loss, 0.02),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="1 seed, 60 epochs")
    parser.add_argument("--methods", default="weight_std,olden")
    parser.add_argument("--problems", default=",".join(PROBLEMS))
    args = parser.parse_args()
    seeds = 1 if args.quick else args.seeds
    print(_machine.machine_line())
    print(
        f"\nstop_when_ranking_stable={PATIENCE}, ranking_top_k={TOP_K}, "
        f"ranking_min_epochs={MIN_EPOCHS}; {seeds} seed(s); mean over seeds, "
        "worst seed in brackets.\n"
    )
    header = (
        "| problem | method | full epochs | stopped at (mean) | epochs saved | score change "
        "(worst) | full score | Spearman vs full (worst) | Spearman vs reference: stopped "
        "/ full | saved >= 40 % | Spearman >= 0.95 | score within 2 % |"
    )
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for problem in args.problems.split(","):
        epochs = 60 if args.quick else PROBLEMS[problem][3]
        for method in args.methods.split(","):
            rows = [run_one(problem, method, seed, epochs) for seed in range(seeds)]
            mean = {key: np.mean([r[key] for r in rows]) for key in rows[0]}
            worst_change = min(r["score_change"] for r in rows)
            worst_rho = min(r["rho_full"] for r in rows)
            print(
                f"| {problem} | {method} | {epochs} | {mean['stopped_at']:.0f} | "
                f"{mean['saved']:.0%} | {mean['score_change']:+.1%} ({worst_change:+.1%}) | "
                f"{mean['full_score']:.3f} | {mean['rho_full']:.2f} ({worst_rho:.2f}) | "
                f"{mean['rho_ref_stopped']:.2f} / {mean['rho_ref_full']:.2f} | "
                + " | ".join(verdicts(rows))
                + " |",
                flush=True,
            )


if __name__ == "__main__":
    main()
