"""The estimators: a Keras network trained through scikeras, its first layer's weights
recorded after every epoch.

The public names; the modules that define them are private.
"""

from ._estimators import WeightTrajectoryClassifier, WeightTrajectoryRegressor

__all__ = ["WeightTrajectoryClassifier", "WeightTrajectoryRegressor"]
