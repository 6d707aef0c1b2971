"""Render the inspection displays to PNG for docs/inspection.rst.

A 12-feature Friedman #1 problem (features 0-4 informative): stability over 5 folds and
the methods side by side on held-out data. Run from the repository root::

    python docs/_scripts/render_inspection_plots.py

It writes ``docs/_static/plots/{stability,comparison,comparison_rank}.png``.
"""

import pathlib
import sys

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from sklearn.datasets import make_friedman1  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from skweightimp import (  # noqa: E402
    ImportanceComparisonDisplay,
    ImportanceStabilityDisplay,
    WeightTrajectoryRegressor,
)

OUT = ROOT / "docs" / "_static" / "plots"
DPI = 80


def main():
    X, y = make_friedman1(n_samples=600, n_features=12, random_state=0)
    X = pd.DataFrame(X, columns=[f"x{i}" for i in range(12)])
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    pipe = make_pipeline(
        StandardScaler().set_output(transform="pandas"),
        WeightTrajectoryRegressor(
            hidden_layer_sizes=(16,), epochs=60, learning_rate=0.01, random_state=0
        ),
    )
    stability = ImportanceStabilityDisplay.from_estimator(pipe, X_train, y_train, random_state=0)
    stability.figure_.savefig(OUT / "stability.png", dpi=DPI)
    pipe.fit(X_train, y_train)
    for kind, name in (("bar", "comparison"), ("rank", "comparison_rank")):
        display = ImportanceComparisonDisplay.from_estimator(
            pipe, X_test, y_test, kind=kind, random_state=0
        )
        display.figure_.savefig(OUT / f"{name}.png", dpi=DPI)


if __name__ == "__main__":
    main()
