"""Recording overhead: our estimators against a plain scikeras fit of the same model.

Every runner trains the same Keras model (one ReLU hidden layer, Adam, MSE) on the same
data with the same seed per round:

  plain scikeras KerasRegressor        the baseline, nothing recorded
  ours, record_every="epoch"           stored history, then streaming (store_history=False)
  ours, record_every=1                 a snapshot after every batch, stored and streaming

and, without scikeras, a plain ``keras.Model.fit`` against the same fit with
  WeightRecorder(record_every=1, store_history=False)   host copies + NumPy summary
  a keras.ops running-sums callback                     sum, sum of squares, min, max kept
                                                        on the backend, read once at the end
to see whether accumulating on the backend side would be cheaper than copying to the host.

This machine is shared and noisy, so every variant is timed right next to a fit of its
baseline (the order alternating), and each ratio is the median over rounds of those
paired ratios. Prints Markdown tables.

    python bench/bench_overhead.py                 # about 7 minutes on 2 cores
    python bench/bench_overhead.py --rounds 3 --epochs 5
"""

import argparse
import math
import statistics

import numpy as np
from _machine import machine_line, paired, verdict

from skweightimp import WeightTrajectoryRegressor
from skweightimp.callbacks import WeightRecorder
from skweightimp.utils._backend import filtered_stderr, keras, scikeras_wrappers

KerasRegressor = scikeras_wrappers.KerasRegressor
ops = keras.ops


def make_data(n_samples, n_features, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_features)).astype(np.float32)
    coef = rng.normal(size=n_features) * (rng.uniform(size=n_features) < 0.3)
    y = (X @ coef + 0.1 * rng.normal(size=n_samples)).astype(np.float32)
    return X, y


def model_builder(units):
    def build(meta):
        model = keras.Sequential(
            [
                keras.Input(shape=(meta["n_features_in_"],)),
                keras.layers.Dense(units, activation="relu", name="hidden"),
                keras.layers.Dense(1, name="output"),
            ]
        )
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mean_squared_error")
        return model

    return build


class DeviceRunningSums(keras.callbacks.Callback):
    """Prototype: per-batch sums kept as backend tensors (keras.ops), no host copy."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def on_train_begin(self, logs=None):
        shape = tuple(self.layer.kernel.shape)
        self.count = 0
        self.total = ops.zeros(shape)
        self.squares = ops.zeros(shape)
        self.low = ops.full(shape, np.inf)
        self.high = ops.full(shape, -np.inf)

    def _add(self):
        x = ops.convert_to_tensor(self.layer.kernel.value)
        self.count += 1
        self.total = self.total + x
        self.squares = self.squares + x * x
        self.low = ops.minimum(self.low, x)
        self.high = ops.maximum(self.high, x)

    def on_train_batch_begin(self, batch, logs=None):
        if batch:  # the kernel after the previous batch, as WeightRecorder does
            self._add()

    def on_epoch_end(self, epoch, logs=None):
        self._add()

    def on_train_end(self, logs=None):
        self.result = [ops.convert_to_numpy(t) for t in (self.total, self.squares)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--units", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    X, y = make_data(args.samples, args.features)
    build = model_builder(args.units)
    common = {"epochs": args.epochs, "batch_size": args.batch_size, "verbose": 0}

    def plain(seed, epochs=None):
        KerasRegressor(
            model=build, **{**common, "epochs": epochs or args.epochs}, random_state=seed
        ).fit(X, y)

    def ours(**params):
        def run(seed, epochs=None):
            WeightTrajectoryRegressor(
                model=build,
                **{**common, "epochs": epochs or args.epochs},
                random_state=seed,
                **params,
            ).fit(X, y)

        return run

    def keras_fit(callback=None):
        def run(seed, epochs=None):
            keras.utils.set_random_seed(seed)
            model = build({"n_features_in_": X.shape[1]})
            callbacks = [] if callback is None else [callback(model.get_layer("hidden"))]
            model.fit(X, y, callbacks=callbacks, **{**common, "epochs": epochs or args.epochs})

        return run

    estimator_variants = {
        "epoch_stored": ours(),
        "epoch_stream": ours(store_history=False),
        "batch_stored": ours(record_every=1),
        "batch_stream": ours(record_every=1, store_history=False),
    }
    keras_variants = {
        "keras_host": keras_fit(
            lambda layer: WeightRecorder(layer, record_every=1, store_history=False)
        ),
        "keras_device": keras_fit(DeviceRunningSums),
    }
    with filtered_stderr():
        for runner in [plain, keras_fit(), *estimator_variants.values(), *keras_variants.values()]:
            runner(0, epochs=1)  # warm-up: imports, first tracing
        times, ratios = paired(plain, estimator_variants, args.rounds)
        keras_times, keras_ratios = paired(keras_fit(), keras_variants, args.rounds)

    steps = math.ceil(args.samples / args.batch_size)
    print(machine_line())
    print(
        f"\nmodel: {args.features} features -> Dense({args.units}, relu) -> Dense(1), Adam, "
        f"{args.samples} rows, batch {args.batch_size} ({steps} batches/epoch), "
        f"{args.epochs} epochs; {args.rounds} rounds; ratio = median over rounds of "
        "(variant / its paired baseline fit)\n"
    )
    rows = [
        ('ours, record_every="epoch", stored history', "epoch_stored", 1.05),
        ('ours, record_every="epoch", streaming', "epoch_stream", 1.05),
        ("ours, record_every=1, stored history", "batch_stored", 1.25),
        ("ours, record_every=1, streaming", "batch_stream", 1.25),
    ]
    print("| fit | snapshots | median s | ratio to plain | target | |")
    print("|---|---:|---:|---:|---:|---|")
    print(
        f"| plain scikeras KerasRegressor | - | {statistics.median(times['baseline']):.2f} "
        "| 1 | | |"
    )
    for label, name, target in rows:
        snaps = args.epochs if name.startswith("epoch") else args.epochs * steps
        ratio = statistics.median(ratios[name])
        print(
            f"| {label} | {snaps} | {statistics.median(times[name]):.2f} | {ratio:.3f} | "
            f"<= {target} | {verdict(ratio, target)} |"
        )
    print("\n| streaming vs stored history | ratio of the two ratios to plain |")
    print("|---|---:|")
    for label, a, b in [
        ('record_every="epoch"', "epoch_stream", "epoch_stored"),
        ("record_every=1", "batch_stream", "batch_stored"),
    ]:
        print(f"| {label} | {statistics.median(ratios[a]) / statistics.median(ratios[b]):.3f} |")
    print("\nPer-batch summary without scikeras (plain keras.Model.fit, record_every=1):\n")
    print("| keras.Model.fit | median s | ratio to plain fit |")
    print("|---|---:|---:|")
    print(f"| plain | {statistics.median(keras_times['baseline']):.2f} | 1 |")
    for label, name in [
        ("+ WeightRecorder streaming (host copy, NumPy summary)", "keras_host"),
        ("+ keras.ops running sums on the backend", "keras_device"),
    ]:
        print(
            f"| {label} | {statistics.median(keras_times[name]):.2f} | "
            f"{statistics.median(keras_ratios[name]):.3f} |"
        )


if __name__ == "__main__":
    main()
