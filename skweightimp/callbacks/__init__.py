"""Keras callbacks: the weight recorder and the stop once the ranking settles.

The public names; the modules that define them are private.
"""

from ._ranking import RankingStabilityStopping
from ._recording import WeightRecorder, dense_kernels, find_recorded_layer

__all__ = [
    "RankingStabilityStopping",
    "WeightRecorder",
    "dense_kernels",
    "find_recorded_layer",
]
