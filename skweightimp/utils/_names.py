"""The names of the columns a network sees: given, read from a DataFrame or a Pipeline's
preprocessing, or scikit-learn's defaults ``x0, x1, ...``.
"""

import numpy as np

__all__ = [
    "check_feature_names",
    "default_feature_names",
    "estimator_feature_names",
    "input_feature_names",
    "model_feature_names",
    "preprocessed_feature_names",
]


def default_feature_names(n_features):
    """``["x0", "x1", ...]``: the names of features that came without one (scikit-learn's).

    Examples
    --------
    >>> from skweightimp.utils._names import default_feature_names
    >>> default_feature_names(3)
    ['x0', 'x1', 'x2']
    """
    return [f"x{i}" for i in range(n_features)]


def check_feature_names(feature_names, n_features):
    """``feature_names`` as a list of ``n_features`` strings; the default names when None."""
    if feature_names is None:
        return default_feature_names(n_features)
    names = [str(name) for name in np.asarray(feature_names, dtype=object).ravel()]
    if len(names) != n_features:
        raise ValueError(
            f"feature_names has {len(names)} names but the weight history has "
            f"{n_features} features."
        )
    return names


def input_feature_names(X, n_features):
    """The names an estimator of this package would give the columns of ``X``.

    Examples
    --------
    >>> import pandas as pd
    >>> from skweightimp.utils._names import input_feature_names
    >>> input_feature_names(pd.DataFrame({"age": [1], "bmi": [2]}), 2)
    ['age', 'bmi']
    >>> input_feature_names([[1, 2]], 2)
    ['x0', 'x1']
    """
    columns = getattr(X, "columns", None)
    if columns is not None and len(columns) and all(isinstance(c, str) for c in columns):
        return [str(c) for c in columns]
    return default_feature_names(n_features)


def preprocessed_feature_names(preprocessor):
    """Names of the columns the preprocessing steps hand to the network, or None."""
    if preprocessor is None:
        return None
    try:
        return [str(name) for name in preprocessor.get_feature_names_out()]
    except (AttributeError, ValueError, TypeError):
        return None  # a step without get_feature_names_out


def model_feature_names(preprocessor, final):
    """The names of the columns that reach the network ``final`` after ``preprocessor``."""
    names = preprocessed_feature_names(preprocessor)
    return names if names is not None else final.feature_names_


def estimator_feature_names(estimator, names, n_features):
    """``names`` (from a Pipeline) when they fit, else the estimator's, else ``x0, x1, ...``."""
    if names is not None and len(names) == n_features:
        return names
    names = [str(name) for name in estimator.feature_names_]
    return names if len(names) == n_features else default_feature_names(n_features)
