"""Cost of our importances after a fit, against one fit and against permutation importance.

For 10, 100 and 1000 input features a WeightTrajectoryRegressor (Dense(64) ReLU, 50
epochs, 500 rows, batch 32) is fitted, then timed:

  ours         ``feature_importances_`` + ``importance_report_`` (the report cache is
               cleared before every repetition, so each one computes everything)
  permutation  ``sklearn.inspection.permutation_importance(est, X, y, n_repeats=5)``,
               which predicts ``5 * n_features`` times (about 13 minutes at 1000
               features here: scikeras predicts through ``keras.Model.predict``)

Targets: ours < 1% of one fit; ours >= 100x cheaper than permutation at 100 features.
The per-weight summary the importances read is built during the fit (at its end, from the
stored history); its cost is part of the fit time and is also shown on its own.

Fits and our computations are interleaved over ``--rounds`` rounds (medians reported);
permutation importance runs once per size (it is itself 5 * n_features predictions).

    python bench/bench_importance_cost.py                      # about 20 minutes here
    python bench/bench_importance_cost.py --features 10 100    # about 3 minutes
    python bench/bench_importance_cost.py --no-permutation-above 100   # 1000 without it

``--no-permutation-above N`` skips permutation importance for sizes above ``N`` features
(its columns then read "skipped"): at 1000 features it is most of the run, and our cost
against one fit does not need it.
"""

import argparse
import statistics
import time

import numpy as np
from _machine import machine_line, verdict
from sklearn.inspection import permutation_importance

from skweightimp import WeightTrajectoryRegressor
from skweightimp.importance import WeightMoments
from skweightimp.utils._backend import filtered_stderr

PARAMS = {"hidden_layer_sizes": (64,), "epochs": 50, "batch_size": 32}


def make_data(n_samples, n_features, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_features)).astype(np.float32)
    informative = min(5, n_features)
    y = X[:, :informative] @ np.arange(1.0, informative + 1) + 0.1 * rng.normal(size=n_samples)
    return X, y


def time_ours(est, repeats):
    """Median seconds of feature_importances_ + importance_report_ from scratch."""
    times = []
    for _ in range(repeats):
        est._report_cache = None
        start = time.perf_counter()
        est.feature_importances_  # noqa: B018
        est.importance_report_  # noqa: B018
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_once(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5, help="timings of ours per fit")
    parser.add_argument(
        "--no-permutation-above",
        type=int,
        default=None,
        metavar="N",
        help="skip permutation importance for sizes above N features (default: never skip)",
    )
    args = parser.parse_args()

    results = []
    with filtered_stderr():
        WeightTrajectoryRegressor(**{**PARAMS, "epochs": 1}).fit(*make_data(64, 3))  # warm-up
        for n_features in args.features:
            X, y = make_data(args.samples, n_features)
            fits, ours, importances_only, summaries = [], [], [], []
            for round_ in range(args.rounds):
                est = WeightTrajectoryRegressor(**PARAMS, random_state=round_)
                fits.append(time_once(lambda est=est, X=X, y=y: est.fit(X, y)))
                ours.append(time_ours(est, args.repeats))
                importances_only.append(time_once(lambda est=est: est.feature_importances_))
                summaries.append(
                    time_once(lambda est=est: WeightMoments.from_history(est.weight_history_))
                )
            permutation = None
            if args.no_permutation_above is None or n_features <= args.no_permutation_above:
                permutation = time_once(
                    lambda est=est, X=X, y=y: permutation_importance(
                        est, X, y, n_repeats=5, random_state=0
                    )
                )
            results.append(
                {
                    "n_features": n_features,
                    "fit": statistics.median(fits),
                    "importances": statistics.median(importances_only),
                    "ours": statistics.median(ours),
                    "summary": statistics.median(summaries),
                    "of_fit": statistics.median(o / f for o, f in zip(ours, fits, strict=True)),
                    "permutation": permutation,
                }
            )

    print(machine_line())
    print(
        f"\nWeightTrajectoryRegressor(hidden_layer_sizes=(64,), epochs=50, batch_size=32), "
        f"{args.samples} rows; {args.rounds} fits per size, ours timed {args.repeats} times "
        "per fit (medians); permutation_importance(n_repeats=5) once per size\n"
    )
    print(
        "| features | one fit s | feature_importances_ ms | + importance_report_ ms "
        "(ours) | ours / fit | < 1% of fit | permutation s | permutation / ours | "
        "summary in fit ms |"
    )
    print("|---:|---:|---:|---:|---:|---|---:|---:|---:|")
    for r in results:
        if r["permutation"] is None:
            permutation = speedup = "skipped"
        else:
            permutation = f"{r['permutation']:.1f}"
            speedup = f"{r['permutation'] / r['ours']:,.0f}x"
        print(
            f"| {r['n_features']} | {r['fit']:.2f} | {1e3 * r['importances']:.2f} | "
            f"{1e3 * r['ours']:.1f} | {100 * r['of_fit']:.2f}% | "
            f"{verdict(r['of_fit'], 0.01)} | {permutation} | {speedup} | "
            f"{1e3 * r['summary']:.1f} |"
        )
    at_100 = [r for r in results if r["n_features"] == 100 and r["permutation"] is not None]
    if at_100:
        speedup = at_100[0]["permutation"] / at_100[0]["ours"]
        print(
            f"\nTarget >= 100x cheaper than permutation importance at 100 features: "
            f"{speedup:,.0f}x, {verdict(speedup, 100, smaller_is_better=False)}."
        )


if __name__ == "__main__":
    main()
