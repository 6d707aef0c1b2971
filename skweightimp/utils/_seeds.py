"""Seeds drawn from a random state for the training runs an analysis starts (folds,
replicas, noise-test rounds, network layers), in the range every backend accepts.
"""

import numpy as np

__all__ = ["SEED_HIGH", "draw_seeds"]

# TensorFlow's and Keras' seeds are int32: a draw below this fits every backend.
SEED_HIGH = int(np.iinfo(np.int32).max)


def draw_seeds(rng, size=None):
    """One seed (``size=None``) or a list of ``size`` seeds, as Python ints, from ``rng``.

    Examples
    --------
    >>> import numpy as np
    >>> from skweightimp.utils._seeds import draw_seeds
    >>> rng = np.random.RandomState(0)
    >>> isinstance(draw_seeds(rng), int), len(draw_seeds(rng, 3))
    (True, 3)
    """
    if size is None:
        return int(rng.randint(SEED_HIGH))
    return [int(seed) for seed in rng.randint(SEED_HIGH, size=size)]
