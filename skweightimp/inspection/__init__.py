"""Inspection across fits: cross-validation, the comparison with permutation importance
and the noise test.

The public names; the modules that define them are private.
"""

from ._cross_validation import (
    METHODS,
    compare_importances,
    cross_validate_importances,
    importance_significance,
)
from ._plot.comparison import (
    COMPARISON_KINDS,
    STABILITY_KINDS,
    ImportanceComparisonDisplay,
    ImportanceStabilityDisplay,
)

__all__ = [
    "COMPARISON_KINDS",
    "ImportanceComparisonDisplay",
    "ImportanceStabilityDisplay",
    "METHODS",
    "STABILITY_KINDS",
    "compare_importances",
    "cross_validate_importances",
    "importance_significance",
]

from ..utils._exports import publish  # noqa: E402

publish(globals())
