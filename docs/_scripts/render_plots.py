"""Render every WeightTrajectoryDisplay kind to PNG for docs/plots.rst.

Two trained networks: the seed notebook's data and network (100 epochs instead of 500,
standardised inputs), and a 30-feature regression with 5 informative features. Run from
the repository root::

    python docs/_scripts/render_plots.py

It writes ``docs/_static/plots/{seed,wide}_<kind>.png`` and ``seed_animation.gif``.
About a minute on two cores.
"""

import pathlib
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.datasets import make_regression  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from skweightimp import WeightTrajectoryDisplay, WeightTrajectoryRegressor  # noqa: E402
from skweightimp.datasets import (  # noqa: E402
    SEED_MODEL_PARAMS,
    SEED_TEST_ROWS,
    make_seed_regression,
)

OUT = ROOT / "docs" / "_static" / "plots"
DPI = 80
EPOCHS = 100
# file suffix -> plot options
PLOTS = {
    "grouped_std": {"kind": "grouped_std"},
    "std": {"kind": "std"},
    "box": {"kind": "box"},
    "box_fliers": {"kind": "box", "showfliers": True},
    "trajectory": {"kind": "trajectory"},
    "density": {"kind": "density"},
    "density_auto": {"kind": "density", "domain": "auto"},
    "barrage": {"kind": "barrage", "metric": "len"},
}


def fit(X, y):
    params = {**SEED_MODEL_PARAMS, "epochs": EPOCHS}
    pipe = make_pipeline(
        StandardScaler().set_output(transform="pandas"),
        WeightTrajectoryRegressor(**params, random_state=0),
    )
    return pipe.fit(X, y)


def render(pipe, prefix):
    for name, options in PLOTS.items():
        display = WeightTrajectoryDisplay.from_estimator(pipe, **options)
        path = OUT / f"{prefix}_{name}.png"
        display.figure_.savefig(path, dpi=DPI, pil_kwargs={"optimize": True})
        plt.close(display.figure_)
        print(path.relative_to(ROOT), f"{path.stat().st_size // 1024} KiB")


def main():
    OUT.mkdir(parents=True, exist_ok=True)

    X, y = make_seed_regression(1000, random_state=0)
    seed = fit(X.iloc[SEED_TEST_ROWS:], y.iloc[SEED_TEST_ROWS:])
    render(seed, "seed")
    display = WeightTrajectoryDisplay.from_estimator(seed)
    animation = display.animate(step=5)
    path = OUT / "seed_animation.gif"
    animation.save(path, writer="pillow", dpi=60)
    plt.close("all")
    print(path.relative_to(ROOT), f"{path.stat().st_size // 1024} KiB")

    X, y = make_regression(
        n_samples=1000, n_features=30, n_informative=5, noise=5.0, random_state=0
    )
    X = pd.DataFrame(X, columns=[f"feature_{i:02d}" for i in range(30)])
    wide = fit(X, y)
    render(wide, "wide")


if __name__ == "__main__":
    main()
