"""Render the importance path plots of docs/ranking.rst.

scikit-learn's diabetes data (10 standardised features, standardised target), one hidden
layer of 16 ReLU units, Adam with the default learning rate 0.001, 150 epochs, every
Dense kernel recorded so that Olden's path can be drawn. Run from the repository root::

    KERAS_BACKEND=jax python docs/_scripts/render_importance_path.py

It writes ``docs/_static/plots/importance_path.png`` (ranks by Olden's method) and
``importance_path_importance.png`` (the grouped weight std's importances). Under a
minute on two cores with JAX.
"""

import pathlib
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from sklearn.datasets import load_diabetes  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from skweightimp import ImportancePathDisplay, WeightTrajectoryRegressor  # noqa: E402

OUT = ROOT / "docs" / "_static" / "plots"
DPI = 80


def main():
    X, y = load_diabetes(return_X_y=True, as_frame=True)
    X = StandardScaler().set_output(transform="pandas").fit_transform(X)
    y = (y - y.mean()) / y.std()
    est = WeightTrajectoryRegressor(
        hidden_layer_sizes=(16,),
        epochs=150,
        record_all_kernels=True,
        random_state=0,
    ).fit(X, y)
    OUT.mkdir(parents=True, exist_ok=True)
    display = ImportancePathDisplay.from_estimator(est, method="olden", top_k=3, kind="rank")
    display.figure_.savefig(OUT / "importance_path.png", dpi=DPI)
    print("olden: top-3 ranking settled at epoch", display.settled)
    display = ImportancePathDisplay.from_estimator(
        est, method="weight_std", top_k=3, kind="importance"
    )
    display.figure_.savefig(OUT / "importance_path_importance.png", dpi=DPI)
    print("weight_std: top-3 ranking settled at epoch", display.settled)
    plt.close("all")


if __name__ == "__main__":
    main()
