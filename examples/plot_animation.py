"""
Watching the weights move
=========================

:meth:`~skweightimp.WeightTrajectoryDisplay.animate` animates the per-(feature, unit)
weight bars over the epochs. Save it as a GIF with Pillow (no ffmpeg needed) or show it
in a notebook with ``to_jshtml()``; ``step`` keeps the number of frames small.
"""

# %%
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skweightimp import WeightTrajectoryDisplay, WeightTrajectoryRegressor
from skweightimp.datasets import SEED_MODEL_PARAMS, make_seed_regression

X, y = make_seed_regression(random_state=0)
pipe = make_pipeline(
    StandardScaler().set_output(transform="pandas"),
    WeightTrajectoryRegressor(**{**SEED_MODEL_PARAMS, "epochs": 60}, random_state=0),
)
pipe.fit(X, y)

# %%
# One frame every 3 epochs: 20 frames plus the last epoch. In a notebook, display
# ``anim.to_jshtml()``; to keep a file, ``anim.save("weights.gif", writer="pillow")``.
display = WeightTrajectoryDisplay.from_estimator(pipe, kind="std")
anim = display.animate(step=3, interval=120)
