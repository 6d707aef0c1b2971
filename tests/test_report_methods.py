"""``--method`` offers whatever importance methods the estimators accept, not a fixed list."""

from sklearn.utils._param_validation import StrOptions

from skweightimp.estimators import _WeightTrajectoryBase
from skweightimp.report import importance_methods


def test_methods_come_from_the_estimators_constraints(monkeypatch):
    constraints = dict(_WeightTrajectoryBase._parameter_constraints)
    if "importance_method" not in constraints:
        assert importance_methods() == ("weight_std",)
    constraints["importance_method"] = [StrOptions({"olden", "weight_std", "garson"})]
    monkeypatch.setattr(_WeightTrajectoryBase, "_parameter_constraints", constraints)
    assert importance_methods() == ("weight_std", "garson", "olden")
