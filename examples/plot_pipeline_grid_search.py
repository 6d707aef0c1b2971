"""
Tuning a Pipeline with GridSearchCV
===================================

:class:`~skweightimp.WeightTrajectoryRegressor` is a scikit-learn estimator: it sits at the
end of a :class:`~sklearn.pipeline.Pipeline` and its parameters are tuned by
:class:`~sklearn.model_selection.GridSearchCV` with the usual ``step__parameter`` names.
Keras options reach the network through scikeras' routed parameters (here
``optimizer__beta_1``), and they are tunable too.
"""

# %%
# A regression problem where 3 of 6 features matter. Scaling matters for the method: a
# weight's movement depends on the size of its input, so the scaler is part of the model.
import pandas as pd
from sklearn.datasets import make_regression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from skweightimp import WeightTrajectoryRegressor

X, y, coef = make_regression(
    n_samples=400, n_features=6, n_informative=3, noise=5.0, coef=True, random_state=0
)
X = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)])
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

pipe = Pipeline(
    [
        ("scale", StandardScaler().set_output(transform="pandas")),
        ("net", WeightTrajectoryRegressor(epochs=20, batch_size=32, random_state=0)),
    ]
)

# %%
# Tune the learning rate and one routed Adam parameter (a small grid, to stay quick).
grid = GridSearchCV(
    pipe,
    {
        "net__hidden_layer_sizes": [(16,)],
        "net__learning_rate": [0.003, 0.03],
        "net__optimizer__beta_1": [0.9, 0.99],
    },
    cv=2,
)
grid.fit(X_train, y_train)
print("best parameters:", grid.best_params_)
print(f"test R^2 of the refitted best pipeline: {grid.score(X_test, y_test):.3f}")

# %%
# The refitted best network carries its importances; compare them with the true
# coefficients of the simulation.
best = grid.best_estimator_["net"]
comparison = pd.DataFrame(
    {"importance": best.feature_importances_, "|true coef|": abs(coef)}, index=X.columns
)
print(comparison.sort_values("importance", ascending=False).round(3))

# %%
ax = comparison["importance"].plot.bar(title="Importances of the tuned network")
ax.set_ylabel("normalised grouped weight std")
ax.figure.tight_layout()
