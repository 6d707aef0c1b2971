"""Fit-time benchmark on the seed notebook's data and settings.

Prints, from one run, the fit time of
  (a) WeightTrajectoryRegressor (recording the first-layer kernel every epoch),
  (b) a plain scikeras KerasRegressor with the same model and no recording,
  (c) the seed notebook's loop of ``epochs`` separate ``fit(epochs=1)`` calls with
      ``get_weights`` after each,
  (d) (a) with Keras running 32 batches per call (``compile__steps_per_execution=32``),
and the ratios (a)/(b) (recording overhead, target <= 1.05) and (c)/(a) (speed-up over the
notebook, target >= 1.5 on TensorFlow).

The four are run in interleaved rounds, so a slow spell of this shared machine hits all
of them alike; the ratios are medians of the per-round ratios.

    python bench/bench_fit.py              # 500 epochs, 3 rounds (about 6 minutes here)
    python bench/bench_fit.py --epochs 100 --rounds 2
"""

import argparse
import platform
import statistics
import time

import numpy as np

from skweightimp import WeightTrajectoryRegressor
from skweightimp.datasets import SEED_MODEL_PARAMS, SEED_TEST_ROWS, make_seed_regression
from skweightimp.utils._backend import BACKEND, filtered_stderr, keras, scikeras_wrappers

KerasRegressor = scikeras_wrappers.KerasRegressor


def seed_model(n_features, learning_rate=0.01):
    model = keras.Sequential(
        [keras.Input(shape=(n_features,)), keras.layers.Dense(4), keras.layers.Dense(1)]
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="mean_squared_error")
    return model


def fit_ours(X, y, epochs, seed, **extra):
    params = {**SEED_MODEL_PARAMS, "epochs": epochs}
    WeightTrajectoryRegressor(**params, random_state=seed, **extra).fit(X, y)


def fit_ours_spe(X, y, epochs, seed):
    # Same model and updates; Keras runs 32 batches per call instead of one.
    fit_ours(X, y, epochs, seed, compile__steps_per_execution=32)


def fit_plain_scikeras(X, y, epochs, seed):
    KerasRegressor(
        model=seed_model,
        model__n_features=X.shape[1],
        epochs=epochs,
        batch_size=32,
        verbose=0,
        random_state=seed,
    ).fit(X, y)


def fit_seed_loop(X, y, epochs, seed):
    keras.utils.set_random_seed(seed)
    model = seed_model(X.shape[1])
    history = []
    for _ in range(epochs):
        model.fit(X, y, epochs=1, batch_size=32, verbose=0)
        history.append(model.layers[0].get_weights()[0].tolist())
    return history


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    X, y = make_seed_regression(1000, random_state=0)
    X = X.iloc[SEED_TEST_ROWS:].to_numpy(np.float32)
    y = y.iloc[SEED_TEST_ROWS:].to_numpy(np.float32)
    runners = {
        "ours": fit_ours,
        "scikeras": fit_plain_scikeras,
        "seed_loop": fit_seed_loop,
        "ours_spe": fit_ours_spe,
    }
    times = {name: [] for name in runners}
    with filtered_stderr():  # TensorFlow's C++ notices outside our estimator's own filter
        for runner in runners.values():  # warm-up: graph tracing, first-use allocations
            runner(X, y, 2, 0)
        for round_ in range(args.rounds):
            for name, runner in runners.items():
                start = time.perf_counter()
                runner(X, y, args.epochs, round_)
                times[name].append(time.perf_counter() - start)

    overhead = statistics.median(
        o / p for o, p in zip(times["ours"], times["scikeras"], strict=True)
    )
    speedup = statistics.median(
        s / o for s, o in zip(times["seed_loop"], times["ours"], strict=True)
    )
    print(
        f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
        f"Keras {keras.__version__} on {BACKEND}; {args.epochs} epochs x {len(X)} rows, "
        f"batch 32, {args.rounds} rounds"
    )
    print(f"{'fit':<34}{'median s':>10}{'min s':>9}")
    labels = {
        "ours": "(a) WeightTrajectoryRegressor",
        "scikeras": "(b) plain scikeras KerasRegressor",
        "seed_loop": "(c) seed loop of fit(epochs=1)",
        "ours_spe": "(d) (a) + steps_per_execution=32",
    }
    for name, label in labels.items():
        print(f"{label:<34}{statistics.median(times[name]):>10.2f}{min(times[name]):>9.2f}")
    print(f"recording overhead (a)/(b): {overhead:.3f}  (target <= 1.05)")
    print(f"speed-up over the notebook (c)/(a): {speedup:.2f}x  (target >= 1.5)")
    spe = statistics.median(o / d for o, d in zip(times["ours"], times["ours_spe"], strict=True))
    print(f"speed-up of compile__steps_per_execution=32 (a)/(d): {spe:.2f}x")


if __name__ == "__main__":
    main()
