"""Inspection across fits: cross-validation, the comparison with permutation importance,
and the noise tests of features and of their interactions.

The public names; the modules that define them are private.
"""

from ._cross_validation import compare_importances, cross_validate_importances
from ._interactions import interaction_significance
from ._plot.comparison import ImportanceComparisonDisplay, ImportanceStabilityDisplay
from ._significance import importance_significance

__all__ = [
    "ImportanceComparisonDisplay",
    "ImportanceStabilityDisplay",
    "compare_importances",
    "cross_validate_importances",
    "importance_significance",
    "interaction_significance",
]
