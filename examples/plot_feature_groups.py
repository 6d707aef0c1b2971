"""
Feature groups: one-hot columns reported as one feature
=======================================================

A categorical column becomes several columns after one-hot encoding, and the network
learns one weight row per column. ``feature_groups="auto"`` reads the fitted
``ColumnTransformer`` and sums the importances of each ``OneHotEncoder``'s columns back
under the input column; permutation importance then shuffles those columns together,
like shuffling the original column.
"""

# %%
import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skweightimp import ImportanceComparisonDisplay, WeightTrajectoryRegressor
from skweightimp.inspection import compare_importances

rng = np.random.RandomState(0)
n = 600
X = pd.DataFrame(
    {
        "size": rng.normal(size=n),
        "city": rng.choice(["Oslo", "Lima", "Pune", "Kyiv", "Rome"], size=n),
        "noise": rng.normal(size=n),
    }
)
effect = {"Oslo": 2.0, "Lima": -1.0, "Pune": 0.0, "Kyiv": 1.0, "Rome": -2.0}
y = 1.5 * X["size"] + X["city"].map(effect) + 0.3 * rng.normal(size=n)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

pipe = make_pipeline(
    make_column_transformer((StandardScaler(), ["size", "noise"]), (OneHotEncoder(), ["city"])),
    WeightTrajectoryRegressor(
        hidden_layer_sizes=(8,), epochs=40, learning_rate=0.01, random_state=0
    ),
)
pipe.fit(X_train, y_train)

# %%
# Without groups: one row per column the network sees.
ungrouped = compare_importances(pipe, X_test, y_test, random_state=0)
print(ungrouped.table["importance"].round(3))

# %%
# With ``feature_groups="auto"``: one row per input column.
grouped = compare_importances(pipe, X_test, y_test, feature_groups="auto", random_state=0)
print(grouped.table["importance"].round(3))
ImportanceComparisonDisplay.from_comparison(grouped)

# %%
# A mapping does the same by hand, ``{"city": [its five column names]}``, and the
# estimators accept one too, for their ``importance_report_``.
