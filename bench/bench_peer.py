"""skweightimp next to the published variance-based peer, neural-feature-importance (VIANN).

The peer is not a dependency of skweightimp. Install it (it needs only NumPy; its
TensorFlow and PyTorch extras are not needed here) with

    python -m pip install "neural-feature-importance==0.9.1"     # or: pip install -e ".[bench]"

neural-feature-importance 0.9.1 implements VIANN (de Sá, 2019) as a Keras callback,
``VarianceImportanceKeras``: a running (Welford) variance of every first-layer weight over
the epoch-end snapshots, times the absolute final weight, summed over the units, then
min-max scaled to [0, 1]. Its Keras callback imports ``tensorflow.keras``.

Part 1, overhead, on the seed notebook's model and data (4 linear units, Adam 0.01, MSE,
batch 32, 500 epochs, 900 unscaled rows), one ``fit`` each, in interleaved rounds:
  keras          the plain Keras model, ``fit(epochs=500)``, no callback;
  keras + VIANN  the same with the peer's callback;
  keras + ours   the same with our callback (skweightimp.callbacks.WeightRecorder);
  estimator      WeightTrajectoryRegressor with the seed's settings (scikeras, validation,
                 recording).

Part 2, scores. One training run per data set, with the peer's callback riding along in
our estimator's fit, so both read the same weight trajectory:
  ours           feature_importances_ (grouped weight std, normalised to sum to 1);
  VIANN          the peer's ``feature_importances_``;
  VIANN (ours)   VIANN recomputed from our ``weight_history_``:
                 ``sum_j var_t(H[:, i, j], ddof=1) * |H[-1, i, j]|``, min-max scaled.
Data sets: the seed's (unscaled, as in the notebook, and standardised) and Friedman #1
(10 standardised features, of which x0..x4 drive the target, x3 most linearly).

    python bench/bench_peer.py                  # 3 rounds (about 10 minutes here)
    python bench/bench_peer.py --rounds 1 --epochs 100
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# Benchmark the clone this file is in, even where another copy is installed.
sys.path.insert(1, os.path.dirname(HERE))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.stats import spearmanr  # noqa: E402
from sklearn.datasets import make_friedman1  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skweightimp import WeightTrajectoryRegressor  # noqa: E402
from skweightimp.callbacks import WeightRecorder  # noqa: E402
from skweightimp.datasets import (  # noqa: E402
    SEED_MODEL_PARAMS,
    SEED_TEST_ROWS,
    make_seed_regression,
)
from skweightimp.utils._backend import BACKEND, keras  # noqa: E402

try:
    import neural_feature_importance
    from neural_feature_importance import VarianceImportanceKeras
except ImportError:  # pragma: no cover - a message for the person running the bench
    sys.exit(
        "bench_peer needs the peer package: "
        'python -m pip install "neural-feature-importance==0.9.1"'
    )


def seed_model(n_features):
    keras_model = keras.Sequential(
        [keras.Input(shape=(n_features,)), keras.layers.Dense(4), keras.layers.Dense(1)]
    )
    keras_model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mean_squared_error")
    return keras_model


def keras_fit(X, y, epochs, seed, callback=None):
    keras.utils.set_random_seed(seed)
    model = seed_model(X.shape[1])
    callbacks = []
    if callback == "viann":
        callbacks = [VarianceImportanceKeras()]
    elif callback == "ours":
        callbacks = [WeightRecorder(model.layers[0])]
    model.fit(X, y, epochs=epochs, batch_size=32, verbose=0, callbacks=callbacks)
    return callbacks


def estimator_fit(X, y, epochs, seed):
    params = {**SEED_MODEL_PARAMS, "epochs": epochs}
    WeightTrajectoryRegressor(**params, random_state=seed).fit(X, y)


RUNNERS = {
    "keras": lambda X, y, e, s: keras_fit(X, y, e, s),
    "keras + VIANN": lambda X, y, e, s: keras_fit(X, y, e, s, "viann"),
    "keras + ours": lambda X, y, e, s: keras_fit(X, y, e, s, "ours"),
    "estimator": estimator_fit,
}


def overhead(X, y, epochs, rounds):
    times = {name: [] for name in RUNNERS}
    for runner in RUNNERS.values():  # warm-up: tracing, first-use allocations
        runner(X, y, 2, 0)
    for round_ in range(rounds):
        for name, runner in RUNNERS.items():
            start = time.perf_counter()
            runner(X, y, epochs, round_)
            times[name].append(time.perf_counter() - start)
    print(f"## Overhead: seed model, {epochs} epochs, {len(X)} rows, medians of {rounds} rounds")
    print()
    print("| fit | median (s) | min (s) | vs plain keras (median of per-round ratios) |")
    print("|---|---:|---:|---:|")
    for name, values in times.items():
        ratio = statistics.median(v / p for v, p in zip(values, times["keras"], strict=True))
        print(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} | {ratio:.3f} |")
    print()


def markdown(frame):
    """A DataFrame as a Markdown table (pandas' to_markdown needs the tabulate package)."""
    cells = [["feature", *frame.columns]]
    for name, row in frame.astype(object).iterrows():
        cells.append([str(name), *(f"{v:.4f}" if isinstance(v, float) else str(v) for v in row)])
    lines = ["| " + " | ".join(row) + " |" for row in cells]
    lines.insert(1, "|---|" + "---:|" * len(frame.columns))
    return "\n".join(lines)


def viann_from_history(history):
    history = np.asarray(history, dtype=np.float64)
    scores = (history.var(axis=0, ddof=1) * np.abs(history[-1])).sum(axis=1)
    spread = scores.max() - scores.min()
    return (scores - scores.min()) / (spread if spread else 1.0)


def scores(name, X, y, params, informative=None):
    viann = VarianceImportanceKeras()
    est = WeightTrajectoryRegressor(**params, callbacks=[viann]).fit(X, y)
    ours = est.feature_importances_
    ours_viann = viann_from_history(est.weight_history_)
    table = pd.DataFrame(
        {
            "ours": ours,
            "ours rank": pd.Series(ours).rank(ascending=False, method="min").to_numpy(int),
            "VIANN": viann.var_scores,
            "VIANN rank": pd.Series(viann.var_scores)
            .rank(ascending=False, method="min")
            .to_numpy(int),
            "VIANN (ours)": ours_viann,
        },
        index=est._feature_names(),
    )
    rho = spearmanr(ours, viann.var_scores).statistic
    print(
        f"## Scores: {name} (epochs={params['epochs']}, units={params['hidden_layer_sizes']}, "
        f"{params.get('activation', 'relu')}, R² on the training data {est.score(X, y):.3f})"
    )
    print()
    print(markdown(table))
    print()
    print(f"- Spearman rank correlation, ours vs VIANN: {rho:.3f}")
    print(
        "- VIANN recomputed from our weight history vs the peer's: max abs difference "
        f"{np.abs(ours_viann - viann.var_scores).max():.2e}"
    )
    if informative is not None:
        k = len(informative)
        for label, values in (("ours", ours), ("VIANN", viann.var_scores)):
            top = set(np.argsort(values)[::-1][:k])
            print(f"- {label}: {len(top & set(informative))} of the {k} informative in its top {k}")
    print()
    return rho


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {datetime.date.today().isoformat()}; Keras "
        f"{keras.__version__} on {BACKEND}; neural-feature-importance "
        f"{neural_feature_importance.__version__}; load average {os.getloadavg()[0]:.2f}"
    )
    print()
    X, y = make_seed_regression(1000, random_state=0)
    X, y = X.iloc[SEED_TEST_ROWS:], y.iloc[SEED_TEST_ROWS:]
    overhead(X.to_numpy(np.float32), y.to_numpy(np.float32), args.epochs, args.rounds)

    seed_params = {**SEED_MODEL_PARAMS, "epochs": args.epochs, "random_state": 0}
    scores("seed data, unscaled (as the notebook)", X, y, seed_params, informative=[1])
    scaled = pd.DataFrame(StandardScaler().fit_transform(X), columns=X.columns)
    scores("seed data, standardised", scaled, y.to_numpy(), seed_params, informative=[1])
    Xf, yf = make_friedman1(n_samples=1000, n_features=10, noise=1.0, random_state=0)
    Xf = pd.DataFrame(StandardScaler().fit_transform(Xf), columns=[f"x{i}" for i in range(10)])
    friedman_params = {
        "hidden_layer_sizes": (16,),
        "activation": "relu",
        "learning_rate": 0.01,
        "epochs": min(args.epochs, 200),
        "random_state": 0,
    }
    scores("Friedman #1", Xf, yf, friedman_params, informative=list(range(5)))
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
