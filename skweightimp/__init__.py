"""skweightimp: feature importance read from a neural network's own training.

The estimators train a Keras network through scikeras, record the first layer's weights
after every epoch and expose ``feature_importances_`` and ``importance_report_``.

Importing this package is cheap: Keras (and TensorFlow) load the first time an estimator
is used, and matplotlib only when a plot is drawn.
"""

import importlib

__version__ = "0.1.0"

# public name -> module that defines it; resolved on first access (PEP 562).
_LAZY = {
    "WeightTrajectoryRegressor": "skweightimp.estimators",
    "WeightTrajectoryClassifier": "skweightimp.estimators",
    "ConstantWeightsWarning": "skweightimp.importance",
    "WeightTrajectoryDisplay": "skweightimp.plotting",
    "WeightBarDisplay": "skweightimp.plotting",
    "WeightDistributionDisplay": "skweightimp.plotting",
    "WeightEvolutionDisplay": "skweightimp.plotting",
    "ImportanceStabilityDisplay": "skweightimp.inspection",
    "ImportanceComparisonDisplay": "skweightimp.inspection",
    "ImportancePathDisplay": "skweightimp.importance",
    "InteractionDisplay": "skweightimp.importance",
    "WeightTrajectorySelector": "skweightimp.feature_selection",
    "RankingStabilityStopping": "skweightimp.callbacks",
}

__all__ = sorted([*_LAZY, "__version__"])


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'skweightimp' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
