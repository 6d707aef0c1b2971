"""Measure and draw what scaling the inputs does to the seed notebook's importances.

The notebook's own setting (its data, its network, 500 epochs, the first 100 rows held
out, ``y`` left raw) is fitted on the raw columns, on centred columns, on columns divided
by their standard deviation, and on standardised columns, for several seeds (each seed
draws new data and new initial weights). Run from the repository root::

    python docs/_scripts/render_input_scaling.py            # 5 seeds, ~10 min on 2 cores
    python docs/_scripts/render_input_scaling.py --seeds 1  # quick look

It writes ``docs/_static/input_scaling.csv`` (the table included by
docs/input_scaling.rst) and ``docs/_static/plots/seed_scaling.png`` (seed 0, raw and
standardised side by side).
"""

import argparse
import pathlib
import platform
import sys
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from skweightimp import WeightTrajectoryDisplay, WeightTrajectoryRegressor  # noqa: E402
from skweightimp.datasets import (  # noqa: E402
    SEED_FEATURES,
    SEED_MODEL_PARAMS,
    SEED_TEST_ROWS,
    make_seed_regression,
)
from skweightimp.metrics import ratio_accuracy_score  # noqa: E402

TABLE = ROOT / "docs" / "_static" / "input_scaling.csv"
FIGURE = ROOT / "docs" / "_static" / "plots" / "seed_scaling.png"
# name -> the scaler in front of the network (None: the notebook's raw columns)
SETTINGS = {
    "raw": None,
    "centred only": {"with_std": False},
    "divided by std only": {"with_mean": False},
    "standardised": {},
}
FIGURE_SETTINGS = ("raw", "standardised")


def fit(seed, scale):
    X, y = make_seed_regression(random_state=seed)
    X_train, y_train = X.iloc[SEED_TEST_ROWS:], y.iloc[SEED_TEST_ROWS:]
    X_test, y_test = X.iloc[:SEED_TEST_ROWS], y.iloc[:SEED_TEST_ROWS]
    steps = [] if scale is None else [StandardScaler(**scale).set_output(transform="pandas")]
    model = make_pipeline(*steps, WeightTrajectoryRegressor(**SEED_MODEL_PARAMS, random_state=seed))
    model.fit(X_train, y_train)
    return model, ratio_accuracy_score(y_test, model.predict(X_test))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    rows = []
    figure_models = {}
    for seed in range(args.seeds):
        for setting, scale in SETTINGS.items():
            model, accuracy = fit(seed, scale)
            importances = model[-1].feature_importances_
            order = np.argsort(-importances, kind="stable")
            xs_rank = 1 + int(np.flatnonzero(order == SEED_FEATURES.index("xs"))[0])
            rows.append((setting, seed, importances, xs_rank, accuracy))
            if seed == 0 and setting in FIGURE_SETTINGS:
                figure_models[setting] = model
            print(setting, seed, np.round(importances, 3), xs_rank, f"{accuracy:.1f}%")
    elapsed = time.perf_counter() - start

    header = ["inputs", "seed", *SEED_FEATURES, "rank of xs", "test accuracy"]
    lines = [",".join(header)]
    for setting, seed, importances, xs_rank, accuracy in rows:
        cells = ",".join(f"{value:.3f}" for value in importances)
        lines.append(f"{setting},{seed},{cells},{xs_rank},{accuracy:.1f}%")
    TABLE.write_text("\n".join(lines) + "\n")
    print(
        f"{args.seeds} seeds x {len(SETTINGS)} fits of {SEED_MODEL_PARAMS['epochs']} epochs "
        f"in {elapsed:.0f} s on {platform.machine()}, Python {platform.python_version()}"
    )

    fig, axes = plt.subplots(1, len(FIGURE_SETTINGS), figsize=(9, 3.4), sharey=True)
    for ax, (setting, model) in zip(axes, figure_models.items(), strict=True):
        WeightTrajectoryDisplay.from_estimator(model, kind="grouped_std", normalize=True, ax=ax)
        ax.set_title(f"{setting} inputs: feature_importances_")
    fig.tight_layout()
    fig.savefig(FIGURE, dpi=80)
    print(f"wrote {TABLE.relative_to(ROOT)} and {FIGURE.relative_to(ROOT)} in {elapsed:.0f} s")


if __name__ == "__main__":
    main()
