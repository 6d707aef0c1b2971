"""
The seed notebook, reproduced with the library
==============================================

The method comes from a notebook that trained a 4-unit linear network on synthetic data
(``ys = ms * xs + cs`` with a constant ``ms = 2``, a constant ``cs = 50`` and an unrelated
``noise`` column), called ``model.fit(epochs=1)`` 500 times, copied the first layer's
weights into nested dictionaries in between, and drew them. Here is each step of the
notebook next to its one-line equivalent in the library (150 epochs instead of 500 to keep
the example quick; the shapes of the curves are the same).
"""

# %%
# Data: the notebook's generator, with the first 100 rows held out.
#
# *Notebook*: lists of ``randint`` products, a DataFrame, ``df.iloc[100:]`` for training.
from skweightimp import WeightTrajectoryDisplay, WeightTrajectoryRegressor
from skweightimp.datasets import SEED_MODEL_PARAMS, SEED_TEST_ROWS, make_seed_regression
from skweightimp.metrics import ratio_accuracy_score

X, y = make_seed_regression(random_state=0)
X_train, y_train = X.iloc[SEED_TEST_ROWS:], y.iloc[SEED_TEST_ROWS:]
X_test, y_test = X.iloc[:SEED_TEST_ROWS], y.iloc[:SEED_TEST_ROWS]
print(X.head())
print(SEED_MODEL_PARAMS)

# %%
# Model and training: ``Dense(4)`` then ``Dense(1)``, Adam 0.01, mean squared error.
#
# *Notebook*: ``Sequential``, ``compile``, a loop of 500 ``fit(epochs=1)`` calls and a
# nested loop copying ``model.layers[0].get_weights()[0]``. *Library*: one ``fit``; a
# callback records the kernel after every epoch into ``weight_history_``.
reg = WeightTrajectoryRegressor(**{**SEED_MODEL_PARAMS, "epochs": 150}, random_state=0)
reg.fit(X_train, y_train)
print("weight history:", reg.weight_history_.shape, "(epochs, features, units)")
print(
    f"notebook's accuracy measure on the test rows: "
    f"{ratio_accuracy_score(y_test, reg.predict(X_test)):.1f}%"
)

# %%
# The notebook's "Standard Deviation" section: std over epochs of each weight, one bar per
# (column, node), coloured per column.
WeightTrajectoryDisplay.from_estimator(reg, kind="std")

# %%
# ... and summed per column: the importance.
WeightTrajectoryDisplay.from_estimator(reg, kind="grouped_std")
print(reg.importance_report_[["importance", "rank", "weight_std"]])

# %%
# On the notebook's *unscaled* data this says the opposite of the truth: ``noise`` comes
# first and ``xs``, the only column the target varies with, comes last. How far a weight
# moves depends on the size of its input (``xs`` reaches 2,500, ``noise`` 100), and
# columns with a non-zero mean (the two constants, ``noise``) keep sharing the work of
# the intercept with the biases. Scale the inputs before reading importances. With a
# ``StandardScaler`` in front, ``xs`` is the clear winner (:doc:`/input_scaling` measures
# this over five seeds and separates centring from dividing by the standard deviation):
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

scaled = make_pipeline(
    StandardScaler().set_output(transform="pandas"),
    WeightTrajectoryRegressor(**{**SEED_MODEL_PARAMS, "epochs": 150}, random_state=0),
).fit(X_train, y_train)
print(scaled[-1].importance_report_[["importance", "rank"]])
WeightTrajectoryDisplay.from_estimator(scaled, kind="grouped_std")

# %%
# The notebook's box plots, weight trajectories and fitted normal densities:
WeightTrajectoryDisplay.from_estimator(reg, kind="box", showfliers=True)

# %%
# The notebook's "Scatter Plots" section drew each weight against the epoch, one panel
# per node; its second version took absolute values (``absolute=True``).
WeightTrajectoryDisplay.from_estimator(reg, kind="trajectory")

# %%
WeightTrajectoryDisplay.from_estimator(reg, kind="trajectory", absolute=True)

# %%
WeightTrajectoryDisplay.from_estimator(reg, kind="density", domain="auto")

# %%
# The notebook's "barrage" metrics: the number of grid values where each weight's normal
# density is at least 1, summed per column (one of five metrics in ``importance_report_``).
WeightTrajectoryDisplay.from_estimator(reg, kind="barrage", metric="len")

# %%
# The notebook's "Animated Bar Graph" (``FuncAnimation`` over the nested dictionaries) is
# ``WeightTrajectoryDisplay.from_estimator(reg).animate(step=...)``:
# :ref:`sphx_glr_auto_examples_plot_animation.py` plays it.
