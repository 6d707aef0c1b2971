"""Speed of fit, predict, permutation importance and the significance test (issue 15).

One run prints a Markdown table of ratios, with the machine line, for:

  fit          WeightTrajectoryRegressor with the seed notebook's settings (4 linear units,
               Adam 0.01, batch 32, the seed's 900 training rows) against a scikit-learn
               ``MLPRegressor`` of the same shape trained by a ``partial_fit`` loop that
               copies ``coefs_[0]`` after every epoch (the same weight trajectory), at 150
               and 500 epochs. "before" is the same fit with this package's fast paths off
               (``skweightimp.estimators._speed.FAST_FIT = False``: one batch per Keras call, Keras'
               array pipeline). On TensorFlow in this interpreter, on JAX and PyTorch in
               fresh interpreters (``KERAS_BACKEND`` is read once, at import) when installed.
  predict      ``est.predict`` (direct call) against ``est.model_.predict`` (Keras'
               ``Model.predict``, the path before) on 100 and 100 000 rows.
  permutation  ``sklearn.inspection.permutation_importance(n_repeats=5)`` on 1000 rows of
               10 features against one fit of the estimator on them (seed settings, 150
               epochs).
  significance ``importance_significance(n_rounds=20)`` against one fit of the same
               estimator (seed data and settings, 150 epochs): the shadow null and the
               permutation null of the regressor and the shadow null of the classifier
               (the seed target above its median), the rounds trained as replicas of one
               Keras model; "before" is the shadow null with ``replicas=False`` (20
               separate fits, one round only: it takes twenty fits).

Rounds are interleaved: each ratio is taken between two runs made next to each other
(see ``_machine.paired``), and the table shows the median over ``--rounds`` rounds.

    python bench/bench_speed.py                  # about 6 minutes, quiet 2-core machine
    python bench/bench_speed.py --rounds 1 --no-significance
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np
from _machine import machine_line, paired, verdict

EPOCHS = (150, 500)
TARGETS = {"tensorflow": 3.0, "jax": 1.5}


def seed_data():
    from skweightimp.datasets import SEED_TEST_ROWS, make_seed_regression

    X, y = make_seed_regression(1000, random_state=0)
    return (
        X.iloc[SEED_TEST_ROWS:].to_numpy(np.float32),
        y.iloc[SEED_TEST_ROWS:].to_numpy(np.float32),
    )


def ours(epochs, fast=True):
    from skweightimp import WeightTrajectoryRegressor
    from skweightimp.datasets import SEED_MODEL_PARAMS
    from skweightimp.estimators import _speed

    def run(X, y, seed):
        _speed.FAST_FIT = fast
        try:
            return WeightTrajectoryRegressor(
                **{**SEED_MODEL_PARAMS, "epochs": epochs}, random_state=seed
            ).fit(X, y)
        finally:
            _speed.FAST_FIT = True

    return run


def sklearn_loop(epochs):
    from sklearn.neural_network import MLPRegressor

    def run(X, y, seed):
        mlp = MLPRegressor(
            hidden_layer_sizes=(4,),
            activation="identity",
            solver="adam",
            learning_rate_init=0.01,
            batch_size=32,
            random_state=seed,
        )
        history = []
        for _ in range(epochs):
            mlp.partial_fit(X, y)
            history.append(mlp.coefs_[0].copy())
        return history

    return run


def fit_ratios(rounds):
    """{epochs: {"after": [ours / sklearn], "before": [...], "s": {...}}} on this backend."""
    import warnings

    from sklearn.exceptions import ConvergenceWarning

    from skweightimp.utils._quiet import filtered_stderr

    warnings.simplefilter("ignore", ConvergenceWarning)
    X, y = seed_data()
    results = {}
    with filtered_stderr():
        ours(2)(X, y, 0)  # warm-up: imports, first tracing or compilation
        ours(2, fast=False)(X, y, 0)
        sklearn_loop(2)(X, y, 0)
        for epochs in EPOCHS:
            times, ratios = paired(
                lambda seed, e=epochs: sklearn_loop(e)(X, y, seed),
                {
                    "after": lambda seed, e=epochs: ours(e)(X, y, seed),
                    "before": lambda seed, e=epochs: ours(e, fast=False)(X, y, seed),
                },
                rounds,
            )
            results[epochs] = {
                "ratio": {k: statistics.median(v) for k, v in ratios.items()},
                "s": {k: statistics.median(v) for k, v in times.items()},
            }
    return results


def child_main(rounds):
    from skweightimp.utils._backend import BACKEND

    print(json.dumps({"backend": BACKEND, "fit": fit_ratios(rounds)}))


def run_child(backend, rounds):
    env = {**os.environ, "KERAS_BACKEND": backend}
    completed = subprocess.run(
        [sys.executable, __file__, "--child", "--rounds", str(rounds)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode or not lines:
        return None, completed.stderr.strip().splitlines()[-1:]
    data = json.loads(lines[-1])
    return {int(k): v for k, v in data["fit"].items()}, None


def median_seconds(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def predict_rows(rounds):
    from skweightimp.utils._quiet import filtered_stderr

    X, y = seed_data()
    est = ours(150)(X, y, 0)
    rng = np.random.default_rng(0)
    rows = {}
    with filtered_stderr():
        for n in (100, 100_000):
            X_new = rng.normal(size=(n, X.shape[1])).astype(np.float32)
            est.predict(X_new)  # warm-up: a new input shape
            est.model_.predict(X_new, verbose=0)
            repeats = 20 if n == 100 else 3
            befores, afters = [], []

            def keras_predict(X_new=X_new):
                return est.model_.predict(X_new, verbose=0)

            def our_predict(X_new=X_new):
                return est.predict(X_new)

            for _ in range(rounds):
                befores.append(median_seconds(keras_predict, repeats))
                afters.append(median_seconds(our_predict, repeats))
            rows[n] = (statistics.median(befores), statistics.median(afters))
    return rows


def importance_costs(rounds, significance):
    from sklearn.inspection import permutation_importance

    from skweightimp import WeightTrajectoryRegressor
    from skweightimp.datasets import SEED_MODEL_PARAMS
    from skweightimp.utils._quiet import filtered_stderr

    params = {**SEED_MODEL_PARAMS, "epochs": 150}
    rng = np.random.RandomState(0)
    X10 = rng.normal(size=(1000, 10)).astype(np.float32)
    y10 = X10[:, :5] @ np.arange(1.0, 6.0) + 0.1 * rng.normal(size=1000)
    X, y = seed_data()
    out = {}
    with filtered_stderr():
        fitted = WeightTrajectoryRegressor(**params, random_state=0).fit(X10, y10)
        permutation_importance(fitted, X10, y10, n_repeats=1, random_state=0)  # warm-up
        _, ratios = paired(
            lambda seed: WeightTrajectoryRegressor(**params, random_state=seed).fit(X10, y10),
            {
                "permutation": lambda seed: permutation_importance(
                    fitted, X10, y10, n_repeats=5, random_state=seed
                )
            },
            rounds,
        )
        out["permutation"] = statistics.median(ratios["permutation"])
        if significance:
            out.update(significance_costs(rounds, params, X, y))
    return out


def significance_costs(rounds, params, X, y):
    """importance_significance(n_rounds=20) / one fit of the same estimator on the data.

    With replicas (the default) for the shadow and permutation nulls and for the
    classifier (the seed target above its median); with separate fits (replicas=False,
    the path before) once, since it takes twenty fits.
    """
    from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
    from skweightimp.inspection import importance_significance

    y_class = (y > np.median(y)).astype(int)
    cases = {
        "shadow": (WeightTrajectoryRegressor, y, {"null": "shadow"}),
        "permutation": (WeightTrajectoryRegressor, y, {"null": "permutation"}),
        "classifier": (WeightTrajectoryClassifier, y_class, {"null": "shadow"}),
    }
    out = {}
    for name, (cls, target, kwargs) in cases.items():
        est = cls(**params, random_state=0)
        importance_significance(est, X, target, n_rounds=2, random_state=0, **kwargs)  # warm-up

        def one_fit(seed, cls=cls, target=target):
            return cls(**params, random_state=seed).fit(X, target)

        def test(seed, est=est, target=target, kwargs=kwargs, **extra):
            return importance_significance(
                est, X, target, n_rounds=20, random_state=seed, **kwargs, **extra
            )

        _, ratios = paired(one_fit, {name: test}, rounds)
        out[f"significance {name}"] = statistics.median(ratios[name])
        if name == "shadow":
            _, ratios = paired(one_fit, {"separate": lambda s: test(s, replicas=False)}, 1)
            out["significance separate"] = statistics.median(ratios["separate"])
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-significance", action="store_true")
    args = parser.parse_args()
    if args.child:
        child_main(args.rounds)
        return

    start = time.perf_counter()
    load_before = os.getloadavg()
    from skweightimp.utils._backend import BACKEND

    fits = {BACKEND: fit_ratios(args.rounds)}
    notes = []
    for backend in ("jax", "torch"):
        if backend == BACKEND:
            continue
        if importlib.util.find_spec(backend) is None:
            notes.append(f"{backend}: not installed, skipped")
            continue
        result, error = run_child(backend, args.rounds)
        if result is None:
            notes.append(f"{backend}: failed ({' '.join(error)})")
        else:
            fits[backend] = result
    predicts = predict_rows(args.rounds)
    costs = importance_costs(args.rounds, not args.no_significance)
    load_after = os.getloadavg()

    print(machine_line())
    print(
        f"load average (1, 5, 15 min) {load_before[0]:.1f} {load_before[1]:.1f} "
        f"{load_before[2]:.1f} at start, {load_after[0]:.1f} {load_after[1]:.1f} "
        f"{load_after[2]:.1f} at end (a shared machine); {args.rounds} interleaved rounds; "
        f"{time.perf_counter() - start:.0f} s in all"
    )
    for note in notes:
        print(note)
    print()
    print("| measure | before | after | target | verdict |")
    print("|---|---:|---:|---|---|")
    for backend, by_epochs in fits.items():
        target = TARGETS.get(backend)
        for epochs, result in by_epochs.items():
            after = result["ratio"]["after"]
            print(
                f"| fit / sklearn partial_fit loop, {backend}, {epochs} epochs "
                f"({result['s']['after']:.2f} s vs {result['s']['baseline']:.2f} s) | "
                f"{result['ratio']['before']:.2f}x | {after:.2f}x | "
                + (f"<= {target}x | {verdict(after, target)} |" if target else "- | - |")
            )
    for n, (before, after) in predicts.items():
        speedup = before / after
        target, met = ("- ", "-")
        if n == 100:
            target, met = ">= 10x faster", verdict(speedup, 10, smaller_is_better=False)
        print(
            f"| predict, {n:,} rows (s per call; speed-up {speedup:.1f}x) | "
            f"{before:.4f} | {after:.4f} | {target} | {met} |"
        )
    ratio = costs["permutation"]
    print(
        f"| permutation importance (n_repeats=5, 10 features, 1000 rows) / one fit | - | "
        f"{ratio:.3f} | < 0.1 | {verdict(ratio, 0.1)} |"
    )
    if "significance shadow" in costs:
        rows = [
            ("shadow null, regression", "shadow", costs["significance separate"]),
            ("permutation null (observed fit + 20), regression", "permutation", None),
            ("shadow null, classifier", "classifier", None),
        ]
        for label, key, before in rows:
            ratio = costs[f"significance {key}"]
            print(
                f"| importance_significance(n_rounds=20) / one fit, {label} | "
                + (f"{before:.1f}x | " if before is not None else "- | ")
                + f"{ratio:.2f}x | <= 3x | {verdict(ratio, 3)} |"
            )


if __name__ == "__main__":
    main()
