"""Feature selection by the noise test.

The public names; the modules that define them are private.
"""

from ._selector import WeightTrajectorySelector

__all__ = ["WeightTrajectorySelector"]
