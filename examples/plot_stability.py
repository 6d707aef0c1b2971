"""
How stable are the importances across folds?
============================================

:func:`~skweightimp.inspection.cross_validate_importances` refits the network on each
training fold and reports how much the importances and their ranking move: the pairwise
Spearman and Kendall correlations between folds, one stability number (their mean) and
each feature's best and worst rank.
"""

# %%
import pandas as pd
from sklearn.datasets import make_regression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skweightimp import ImportanceStabilityDisplay, WeightTrajectoryRegressor
from skweightimp.inspection import cross_validate_importances

X, y = make_regression(n_samples=400, n_features=8, n_informative=3, noise=10.0, random_state=0)
X = pd.DataFrame(X, columns=[f"f{i}" for i in range(8)])
pipe = make_pipeline(
    StandardScaler().set_output(transform="pandas"),
    WeightTrajectoryRegressor(hidden_layer_sizes=(8,), epochs=30, learning_rate=0.01),
)

result = cross_validate_importances(pipe, X, y, cv=4, random_state=0)
print(f"stability (mean pairwise Spearman): {result.stability:.2f}")
print(f"test R^2 per fold: {result.test_scores.round(3)}")
print(result.summary.round(3))

# %%
# The informative features sit on top in every fold; the noise features swap places
# among themselves, which is what a low ``rank_worst - rank_best`` at the top and a larger
# one at the bottom say.
ImportanceStabilityDisplay.from_cv_results(result)

# %%
# ``random_state`` gives each fold its own seed, so the result does not depend on how
# the folds are run: ``n_jobs=2`` (or a Dask cluster) gives the same numbers.
