"""Displays of the recorded weights (scikit-learn's Display API).

The public names; the modules that define them are private.
"""

from ._bars import WeightBarDisplay
from ._distributions import WeightDistributionDisplay
from ._evolution import WeightEvolutionDisplay
from ._trajectory import WeightTrajectoryDisplay

__all__ = [
    "WeightBarDisplay",
    "WeightDistributionDisplay",
    "WeightEvolutionDisplay",
    "WeightTrajectoryDisplay",
]
