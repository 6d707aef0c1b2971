"""Importance read from a fitted network: the formulas, feature groups, running moments,
the ranking over training, and pairwise interactions.

The public names; the modules that define them are private.
"""

from ._groups import (
    aggregate_importances,
    auto_feature_groups,
    grouped_report,
    resolve_feature_groups,
)
from ._interactions import (
    aggregate_interactions,
    interaction_pairs,
    interaction_path,
    mixed_difference_interactions,
    nid_interactions,
)
from ._methods import (
    ConstantWeightsWarning,
    barrage_metrics,
    discard_burn_in,
    displacement,
    garson,
    gradient_sensitivity,
    grouped_weight_std,
    importance_report,
    method_scores,
    normalize_importances,
    olden,
    recommended_method,
    supported_method_scores,
    viann,
    weight_std,
)
from ._moments import WeightMoments
from ._path import importance_path, ranking_path, ranking_settled_at
from ._plot.interactions import InteractionDisplay
from ._plot.ranking import ImportancePathDisplay

__all__ = [
    "ConstantWeightsWarning",
    "ImportancePathDisplay",
    "InteractionDisplay",
    "WeightMoments",
    "aggregate_importances",
    "aggregate_interactions",
    "auto_feature_groups",
    "barrage_metrics",
    "discard_burn_in",
    "displacement",
    "garson",
    "gradient_sensitivity",
    "grouped_report",
    "grouped_weight_std",
    "importance_path",
    "importance_report",
    "interaction_pairs",
    "interaction_path",
    "method_scores",
    "mixed_difference_interactions",
    "nid_interactions",
    "normalize_importances",
    "olden",
    "ranking_path",
    "ranking_settled_at",
    "recommended_method",
    "resolve_feature_groups",
    "supported_method_scores",
    "viann",
    "weight_std",
]
