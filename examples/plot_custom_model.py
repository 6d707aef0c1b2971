"""
Your own Keras model
====================

The built-in network is a multi-layer perceptron, but any Keras model whose first
trainable layer is a ``Dense`` layer fed by the inputs works: pass a function that builds
it. scikeras hands it ``meta`` (number of features, outputs, ...) and any routed
``model__*`` parameters. ``record_layer`` names another layer when the first trainable one
is not the one to read.
"""

# %%
import keras
import numpy as np
from sklearn.datasets import make_friedman1
from sklearn.preprocessing import StandardScaler

from skweightimp import WeightTrajectoryRegressor


def build(meta, dropout=0.1):
    """A wider network with dropout and a second hidden layer."""
    inputs = keras.Input(shape=(meta["n_features_in_"],))
    hidden = keras.layers.Dense(32, activation="relu", name="first")(inputs)
    hidden = keras.layers.Dropout(dropout)(hidden)
    hidden = keras.layers.Dense(16, activation="relu")(hidden)
    outputs = keras.layers.Dense(1)(hidden)
    return keras.Model(inputs, outputs)


# %%
# Friedman #1: features 0 to 4 drive the target, 5 to 9 are noise.
X, y = make_friedman1(n_samples=500, n_features=10, random_state=0)
X = StandardScaler().fit_transform(X)
reg = WeightTrajectoryRegressor(
    model=build,
    model__dropout=0.2,
    record_layer="first",
    loss="mse",
    epochs=40,
    learning_rate=0.01,
    random_state=0,
)
reg.fit(X, y)
print("recorded layer:", reg.recorded_layer_, "history:", reg.weight_history_.shape)
order = np.argsort(reg.feature_importances_)[::-1]
print("features by importance:", order)
print("informative features in the top five:", len(set(order[:5]) & set(range(5))))

# %%
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 3))
ax.bar([f"x{i}" for i in range(10)], reg.feature_importances_, color="tab:blue")
ax.set_ylabel("importance")
ax.set_title("Friedman #1: x0-x4 are informative")
fig.tight_layout()
