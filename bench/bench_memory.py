"""Peak memory of a fit: stored weight history vs streaming vs a plain scikeras fit.

Each measurement runs in a fresh Python process, which reports its peak resident set size
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) after the imports, after the fit, and
after computing ``feature_importances_`` and ``importance_report_``. The model has 1000
input features and 256 first-layer units and trains 1000 epochs of one batch (64 rows,
batch_size=64), so the stored history is 1000 x 1000 x 256 float32 = 977 MiB.

Modes: ``plain`` (scikeras KerasRegressor, same model, nothing recorded), ``stored``
(WeightTrajectoryRegressor, store_history=True) and ``streaming`` (store_history=False).
Repetitions alternate the modes' order; medians are reported.

Target: streaming adds < 50 MiB to the peak of a plain fit.

    python bench/bench_memory.py                 # about 3 minutes here
    python bench/bench_memory.py --epochs 200 --repeats 1
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys

MODES = ("plain", "stored", "streaming")


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(args):
    import _machine  # noqa: F401 - this checkout's package first on sys.path
    import numpy as np

    from skweightimp import WeightTrajectoryRegressor
    from skweightimp.utils._backend import filtered_stderr, keras, scikeras_wrappers

    rng = np.random.RandomState(0)
    X = rng.normal(size=(args.samples, args.features)).astype(np.float32)
    y = X[:, :5].sum(axis=1)

    def build(meta):
        model = keras.Sequential(
            [
                keras.Input(shape=(meta["n_features_in_"],)),
                keras.layers.Dense(args.units, activation="relu", name="hidden"),
                keras.layers.Dense(1, name="output"),
            ]
        )
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mean_squared_error")
        return model

    common = {"model": build, "epochs": args.epochs, "batch_size": args.batch_size}
    common.update(verbose=0, random_state=0)
    result = {"mode": args.child, "imports": peak_mib()}
    with filtered_stderr():
        if args.child == "plain":
            est = scikeras_wrappers.KerasRegressor(**common).fit(X, y)
        else:
            est = WeightTrajectoryRegressor(**common, store_history=args.child == "stored").fit(
                X, y
            )
    result["fit"] = peak_mib()
    if args.child != "plain":
        est.feature_importances_  # noqa: B018
        est.importance_report_  # noqa: B018
        result["snapshots"] = est.weight_moments_.count
    result["importances"] = peak_mib()
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=1000)
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    runs = {mode: [] for mode in MODES}
    for repeat in range(args.repeats):
        for mode in MODES if repeat % 2 == 0 else MODES[::-1]:
            command = [sys.executable, __file__, "--child", mode]
            for name in ("features", "units", "epochs", "samples"):
                command += [f"--{name}", str(getattr(args, name))]
            command += ["--batch-size", str(args.batch_size)]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            runs[mode].append(json.loads(out.strip().splitlines()[-1]))

    def med(mode, key):
        return statistics.median(run[key] for run in runs[mode])

    from _machine import machine_line

    history_mib = args.epochs * args.features * args.units * 4 / 2**20
    print(machine_line())
    print(
        f"\n{args.features} features, {args.units} units, {args.epochs} epochs of one batch "
        f"({args.samples} rows, batch_size={args.batch_size}); stored history = "
        f"{history_mib:.0f} MiB of float32; peak RSS (ru_maxrss) of a fresh process, "
        f"median of {args.repeats}\n"
    )
    plain = med("plain", "fit")
    print(
        "| mode | after imports MiB | peak after fit MiB | added over plain fit MiB | "
        "peak after importances MiB | target | |"
    )
    print("|---|---:|---:|---:|---:|---|---|")
    for mode, label in [
        ("plain", "plain scikeras fit"),
        ("stored", "store_history=True"),
        ("streaming", "store_history=False"),
    ]:
        added = med(mode, "fit") - plain
        if mode == "streaming":
            target = f"< 50 | {'met' if added < 50 else 'MISSED'}"
        elif mode == "stored":
            target = f"(history {history_mib:.0f}) | {added / history_mib:.2f}x the history"
        else:
            target = "| "
        print(
            f"| {label} | {med(mode, 'imports'):.0f} | {med(mode, 'fit'):.0f} | "
            f"{added:+.0f} | {med(mode, 'importances'):.0f} | {target} |"
        )


if __name__ == "__main__":
    main()
