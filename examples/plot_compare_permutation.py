"""
Trajectory importance versus permutation importance
===================================================

:func:`~skweightimp.inspection.compare_importances` puts the importance read off the
training next to :func:`sklearn.inspection.permutation_importance` (and the classic weight
methods) on held-out data, with their rank correlation and what each cost.
"""

# %%
# Friedman #1: ``x0`` to ``x4`` drive the target, ``x5`` to ``x9`` are noise.
import pandas as pd
from sklearn.datasets import make_friedman1
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skweightimp import ImportanceComparisonDisplay, WeightTrajectoryRegressor
from skweightimp.inspection import compare_importances

X, y = make_friedman1(n_samples=600, n_features=10, random_state=0)
X = pd.DataFrame(X, columns=[f"x{i}" for i in range(10)])
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

pipe = make_pipeline(
    StandardScaler().set_output(transform="pandas"),
    WeightTrajectoryRegressor(
        hidden_layer_sizes=(16,), epochs=60, learning_rate=0.01, random_state=0
    ),
)
pipe.fit(X_train, y_train)
print(f"test R^2: {pipe.score(X_test, y_test):.3f}")

# %%
result = compare_importances(pipe, X_test, y_test, n_repeats=5, random_state=0)
print(result.table["rank"])
print(result.rank_correlation.round(2))
print(result.timings.map("{:.4f} s".format))

# %%
# Bars share a scale because every method is divided by its total absolute score.
ImportanceComparisonDisplay.from_comparison(result)

# %%
# The ranks side by side.
ImportanceComparisonDisplay.from_comparison(result, kind="rank")

# %%
# Permutation importance costs ``n_repeats * n_features`` predictions on the held-out
# data; the weight methods read numbers the training already produced. Where they
# disagree, trust permutation importance: it measures what the fitted model actually
# uses. The user guide's accuracy benchmark says how often each method finds the truth.
