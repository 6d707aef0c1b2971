"""Data sets whose important features are known, starting with the seed notebook's."""

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import validate_params

from .utils._validation import RANDOM_STATE, Integer

__all__ = ["SEED_FEATURES", "SEED_MODEL_PARAMS", "SEED_TEST_ROWS", "make_seed_regression"]

#: Column names of :func:`make_seed_regression`, in order.
SEED_FEATURES = ("ms", "xs", "cs", "noise")

#: The seed notebook holds out its first 100 rows as the test set.
SEED_TEST_ROWS = 100

#: The seed notebook's network and training, as ``WeightTrajectoryRegressor`` parameters:
#: one Dense layer of 4 linear units, Adam with learning rate 0.01, MSE, batch 32,
#: 500 epochs.
SEED_MODEL_PARAMS = {
    "hidden_layer_sizes": (4,),
    "activation": "linear",
    "learning_rate": 0.01,
    "batch_size": 32,
    "epochs": 500,
}


@validate_params(
    {"n_samples": [Integer(1, None, closed="left")], "random_state": RANDOM_STATE},
    prefer_skip_nested_validation=True,
)
def make_seed_regression(n_samples=1000, *, random_state=None):
    """The seed notebook's synthetic regression data: ``ys = ms * xs + cs``.

    Columns, as in the notebook:

    - ``ms``: the constant 2 (the slope);
    - ``xs``: the product of two integers drawn uniformly from 0 to 50, the only
      feature that varies with the target;
    - ``cs``: the constant 50 (the intercept);
    - ``noise``: an integer drawn uniformly from 0 to 100, unrelated to the target.

    The columns are deliberately left unscaled, as in the notebook: ``xs`` reaches 2500
    while ``ms`` is 2, which is why ``ms``, ``cs`` and ``noise`` still get importance
    there. Use a ``StandardScaler`` to compare features fairly.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of rows (the notebook uses 1000 and holds out the first
        ``SEED_TEST_ROWS``).
    random_state : int, RandomState instance or None, default=None
        Seed of the draws of ``xs`` and ``noise``.

    Returns
    -------
    X : pandas.DataFrame of shape (n_samples, 4)
        Columns ``ms, xs, cs, noise`` (integers).
    y : pandas.Series of shape (n_samples,)
        The target ``ys``.

    Examples
    --------
    >>> from skweightimp.datasets import make_seed_regression
    >>> X, y = make_seed_regression(5, random_state=0)
    >>> list(X.columns)
    ['ms', 'xs', 'cs', 'noise']
    >>> bool((y == X["ms"] * X["xs"] + X["cs"]).all())
    True
    """
    rng = check_random_state(random_state)
    ms = np.full(n_samples, 2, dtype=np.int64)
    xs = rng.randint(0, 51, size=n_samples) * rng.randint(0, 51, size=n_samples)
    cs = np.full(n_samples, 50, dtype=np.int64)
    noise = rng.randint(0, 101, size=n_samples)
    X = pd.DataFrame({"ms": ms, "xs": xs, "cs": cs, "noise": noise})
    y = pd.Series(ms * xs + cs, name="ys")
    return X, y
