"""``--method`` offers exactly the importance methods the estimators accept."""

import pytest

from skweightimp import WeightTrajectoryRegressor
from skweightimp._report.report import importance_methods


def test_every_listed_method_is_accepted_and_no_other():
    methods = importance_methods()
    assert methods[0] == "weight_std"
    for method in methods:
        WeightTrajectoryRegressor(importance_method=method)._validate_params()
    with pytest.raises(ValueError, match="importance_method"):
        WeightTrajectoryRegressor(importance_method="nope")._validate_params()
