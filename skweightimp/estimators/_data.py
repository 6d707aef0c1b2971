"""Checks of the data an estimator is given: numeric columns, finite values that the
network's float type can hold, scikit-learn's feature-name and shape checks. A refused
table names its offending columns.
"""

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_array, validate_data

from ..utils._backend import keras

__all__ = ["validate_features"]


def _non_finite_columns(X, dtype):
    """Names (or positions) of the columns of ``X`` with NaN, infinity, or values that
    ``dtype`` cannot hold (1e300 becomes infinity in float32); None if ``X`` is not a
    numeric table. Only called once validation has failed, to say where."""
    try:
        values = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if values.ndim != 2:
        return None
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(values) <= np.finfo(dtype).max)  # NaN compares False
    positions = np.flatnonzero(bad.any(axis=0))
    names = getattr(X, "columns", None)
    return [str(names[i]) if names is not None else int(i) for i in positions]


def _check_numeric_columns(X):
    """Name the offending columns, where check_array would only quote one bad value."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(dtypes, "items"):
        return
    bad = [
        str(name)
        for name, dtype in dtypes.items()
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype))
    ]
    if bad:
        raise ValueError(
            f"X has non-numeric column(s) {bad}; the network needs numbers. Encode them "
            "first, e.g. with a OneHotEncoder in a ColumnTransformer."
        )


def validate_features(estimator, X, y, *, reset, y_numeric):
    """``(X, y)`` checked by scikit-learn's ``validate_data`` in Keras' float type.

    ``reset=True`` (fit) records ``n_features_in_`` and ``feature_names_in_`` on
    ``estimator`` and always validates ``y``; otherwise ``X`` must match them. ``y`` is
    only checked as an array here: its meaning is the estimator's to check.
    """
    floatx = np.dtype(keras.backend.floatx())
    _check_numeric_columns(X)
    raw_X = X
    try:
        # A value beyond float32 becomes infinity in the cast, refused below with its
        # column named; numpy's overflow warning would only say it first, less clearly.
        with np.errstate(over="ignore"):
            if reset or (X is not None and y is not None):
                # With reset (fit) y is always validated: y=None gets scikit-learn's error.
                X, y = validate_data(
                    estimator,
                    X,
                    y,
                    reset=reset,
                    dtype=floatx,
                    multi_output=True,
                    y_numeric=y_numeric,
                    ensure_min_samples=2 if reset else 1,
                )
            elif X is not None:
                X = validate_data(estimator, X, reset=reset, dtype=floatx)
    except ValueError as error:
        columns = None
        if str(error).startswith("Input X contains"):
            columns = _non_finite_columns(raw_X, floatx)
        if not columns:
            raise
        raise ValueError(f"{error} Column(s) holding such values: {columns}.") from None
    if X is None and y is not None:
        y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
    return X, y
