"""Inspection across fits: cross-validation, the comparison with permutation importance
and the noise test.

The public names; the modules that define them are private.
"""

from ._cross_validation import (
    compare_importances,
    cross_validate_importances,
    importance_significance,
)
from ._plot.comparison import ImportanceComparisonDisplay, ImportanceStabilityDisplay

__all__ = [
    "ImportanceComparisonDisplay",
    "ImportanceStabilityDisplay",
    "compare_importances",
    "cross_validate_importances",
    "importance_significance",
]
