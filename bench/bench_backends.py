"""Fit time of the seed notebook's model on every installed Keras backend.

For each backend (TensorFlow, JAX, PyTorch; those not installed are skipped) this times
  ours       WeightTrajectoryRegressor with the seed's settings (4 linear units, Adam 0.01,
             MSE, batch 32, 500 epochs, the seed's 900 training rows, unscaled), recording
             the first-layer kernel after every epoch, in one ``fit``;
  seed loop  the notebook's loop of 500 ``model.fit(epochs=1)`` calls on the same model,
             with ``get_weights`` after each;
and prints a Markdown table: seconds of each (medians over rounds), their ratio and our
fit's speed relative to TensorFlow's. A last column times a new estimator fitted for 3
epochs: the fixed cost of every new network (graph tracing on TensorFlow, XLA compilation
on JAX), which cross-validation and grid searches pay once per fit.

Keras reads ``KERAS_BACKEND`` once, at import, so every measurement runs in a fresh
interpreter. Each round starts one interpreter per backend, one after the other, so a slow
spell of this shared machine hits every backend alike; each interpreter warms up (tracing,
compilation, first-use allocations) with a 2-epoch fit of each kind before it is timed.

    python bench/bench_backends.py                 # 500 epochs, 3 rounds (about 9 minutes here)
    python bench/bench_backends.py --epochs 100 --rounds 1 --backends jax torch
"""

import argparse
import datetime
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# Benchmark the clone this file is in, even where another copy is installed.
sys.path.insert(1, os.path.dirname(HERE))

BACKENDS = ("tensorflow", "jax", "torch")
_PACKAGES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


def worker(epochs, seed):
    """Time both fits on the backend this interpreter was started with; print JSON."""
    import random

    import numpy as np

    # bench_fit sits next to this file (the script's folder is on sys.path).
    from bench_fit import fit_ours, seed_model

    from skweightimp.datasets import SEED_TEST_ROWS, make_seed_regression
    from skweightimp.utils._backend import BACKEND, keras

    def fit_seed_loop(X, y, epochs, seed):
        # bench_fit's loop, seeded without keras.utils.set_random_seed, which would import
        # TensorFlow into the JAX and PyTorch interpreters.
        random.seed(seed)
        np.random.seed(seed)
        if BACKEND == "torch":
            import torch

            torch.manual_seed(seed)
        elif BACKEND == "tensorflow":
            keras.utils.set_random_seed(seed)
        model = seed_model(X.shape[1])
        history = []
        for _ in range(epochs):
            model.fit(X, y, epochs=1, batch_size=32, verbose=0)
            history.append(model.layers[0].get_weights()[0].tolist())
        return history

    X, y = make_seed_regression(1000, random_state=0)
    X = X.iloc[SEED_TEST_ROWS:].to_numpy(np.float32)
    y = y.iloc[SEED_TEST_ROWS:].to_numpy(np.float32)
    for runner in (fit_ours, fit_seed_loop):  # warm-up
        runner(X, y, 2, seed)
    times = {}
    for name, runner, n_epochs in (
        ("ours", fit_ours, epochs),
        ("seed_loop", fit_seed_loop, epochs),
        ("short", fit_ours, 3),
    ):
        start = time.perf_counter()
        runner(X, y, n_epochs, seed)
        times[name] = time.perf_counter() - start
    versions = {"keras": keras.__version__}
    module = sys.modules.get(_PACKAGES[BACKEND])
    versions[BACKEND] = getattr(module, "__version__", "?")
    print(json.dumps({"backend": BACKEND, "times": times, "versions": versions}))


def run_worker(backend, epochs, seed):
    env = {**os.environ, "KERAS_BACKEND": backend}
    command = [sys.executable, os.path.join(HERE, "bench_backends.py"), "--worker"]
    command += ["--epochs", str(epochs), "--seed", str(seed)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{backend} worker failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def cpu_name():
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.epochs, args.seed)
        return

    backends = [b for b in args.backends if importlib.util.find_spec(_PACKAGES[b])]
    skipped = sorted(set(args.backends) - set(backends))
    results = {b: {"ours": [], "seed_loop": [], "short": []} for b in backends}
    versions = {}
    load_before = os.getloadavg()[0]
    for round_ in range(args.rounds):
        for backend in backends:
            report = run_worker(backend, args.epochs, args.seed + round_)
            for name, seconds in report["times"].items():
                results[backend][name].append(seconds)
            versions.update(report["versions"])
    load_after = os.getloadavg()[0]

    print(
        f"machine: {cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{datetime.date.today().isoformat()}; load average {load_before:.2f} before, "
        f"{load_after:.2f} after"
    )
    print("versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(
        f"seed model: 4 linear units, Adam 0.01, MSE, batch 32, {args.epochs} epochs, "
        f"900 rows; medians of {args.rounds} round(s)"
        + (f"; not installed: {', '.join(skipped)}" if skipped else "")
    )
    print()
    print(
        "| backend | our fit (s) | seed loop (s) | seed loop / our fit | our fit vs TensorFlow "
        "| new network, 3 epochs (s) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    reference = None
    if "tensorflow" in results:
        reference = statistics.median(results["tensorflow"]["ours"])
    for backend in backends:
        ours = statistics.median(results[backend]["ours"])
        loop = statistics.median(results[backend]["seed_loop"])
        speed = f"{reference / ours:.1f}x faster" if reference else "n/a"
        if reference and backend == "tensorflow":
            speed = "1.0x"
        elif reference and ours > reference:
            speed = f"{ours / reference:.1f}x slower"
        short = statistics.median(results[backend]["short"])
        print(
            f"| {backend} | {ours:.1f} | {loop:.1f} | {loop / ours:.2f} | {speed} | {short:.2f} |"
        )


if __name__ == "__main__":
    main()
