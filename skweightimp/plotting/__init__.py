"""Displays of the recorded weights (scikit-learn's Display API).

The public names; the modules that define them are private.
"""

from ._bars import BAR_KINDS, WeightBarDisplay
from ._distributions import DISTRIBUTION_KINDS, WeightDistributionDisplay
from ._evolution import WeightEvolutionDisplay
from ._trajectory import KINDS, SEED_PALETTE, WeightTrajectoryDisplay

__all__ = [
    "BAR_KINDS",
    "DISTRIBUTION_KINDS",
    "KINDS",
    "SEED_PALETTE",
    "WeightBarDisplay",
    "WeightDistributionDisplay",
    "WeightEvolutionDisplay",
    "WeightTrajectoryDisplay",
]

from ..utils._exports import publish  # noqa: E402

publish(globals())
