"""Seeded training without changing the process: scikeras' seeding replaced by a scoped one.

scikeras seeds a build or fit with ``tensorflow_random_state``: it sets the environment
variable ``TF_DETERMINISTIC_OPS``, seeds Python's, NumPy's and TensorFlow's global
generators, switches TensorFlow's op determinism on, and restores all of it afterwards. Two
fits in threads interleave those saves and restores and leave the process changed (and a
third, unseeded fit fails with "Random ops require a seed" while determinism is on).

The estimators therefore never let scikeras seed (see ``_base``): the built-in network
takes seeded initializers and the TensorFlow input pipeline shuffles with a stateless,
seeded shuffle, so the common fit changes nothing process-wide. Only where Keras itself
draws from global generators (a user's ``model=`` whose layers have no seed of their own,
Keras' own array shuffle, the JAX and PyTorch backends) :func:`global_generators_seeded`
seeds them for the block, under one lock, and restores them. No environment variable and
no determinism setting is touched: on a CPU, TensorFlow's kernels used here are
deterministic without it.
"""

import contextlib
import random
import threading

import numpy as np

from ..utils._backend import seed_backend_generator, snapshot_backend_generator

__all__ = ["global_generators_seeded"]

# One block at a time: blocks in threads would otherwise interleave their saves and
# restores, and leave the generators seeded.
_LOCK = threading.RLock()


@contextlib.contextmanager
def global_generators_seeded(seed):
    """Seed Python's, NumPy's and the backend's global generators for a block, then restore.

    A block runs while no other block does (one lock for the process), so the state
    after concurrent blocks is the state before them. Code outside the block that draws
    from the same global generators while it runs may still draw seeded numbers: the
    estimators enter it only where Keras gives them no other way to seed.

    Parameters
    ----------
    seed : int
        The seed of every generator in the block.

    Examples
    --------
    >>> import random
    >>> from skweightimp.estimators._seeding import global_generators_seeded
    >>> before = random.getstate()
    >>> with global_generators_seeded(0):
    ...     first = random.random()
    >>> with global_generators_seeded(0):
    ...     second = random.random()
    >>> first == second, random.getstate() == before
    (True, True)
    """
    seed = int(seed)
    with _LOCK:
        python_state = random.getstate()
        numpy_state = np.random.get_state()
        restore_backend = snapshot_backend_generator()
        try:
            random.seed(seed)
            np.random.seed(seed)
            seed_backend_generator(seed)
            yield
        finally:
            random.setstate(python_state)
            np.random.set_state(numpy_state)
            restore_backend()
