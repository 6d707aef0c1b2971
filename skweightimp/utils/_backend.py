"""Import Keras and scikeras once, quietly: the one module that imports them.

Every module that touches Keras or scikeras imports it from here (never directly), so the
environment defaults and the work-arounds below are applied exactly once and before
the backend starts, whatever order an import sorter puts the imports in.

The Keras backend is the user's choice (``KERAS_BACKEND`` or ``~/.keras/keras.json``, read
by Keras when it is first imported); nothing here forces one. TensorFlow is the default.
The TensorFlow work-arounds apply only on TensorFlow, and on JAX or PyTorch TensorFlow is
not imported at all (scikeras would otherwise import it just to seed it).
"""

import contextlib
import logging
import os
import sys

import numpy as np

# setdefault: a user who set these on purpose keeps their choice. They are read by
# TensorFlow only, if and when it is imported, and are inert on the other backends.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# oneDNN prints a banner and makes float results depend on the thread split.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from ._quiet import filtered_stderr as _filtered_stderr  # noqa: E402


@contextlib.contextmanager
def _tensorflow_hidden():
    """Make ``import tensorflow`` fail inside the block, unless it is already imported.

    scikeras' seeding module tries ``import tensorflow`` and falls back to no-ops when it
    fails; on JAX or PyTorch that import would only cost seconds, memory and banners.
    """
    if "tensorflow" in sys.modules:
        yield
        return
    sys.modules["tensorflow"] = None  # the import system's "known to be missing"
    try:
        yield
    finally:
        if sys.modules.get("tensorflow", 0) is None:
            del sys.modules["tensorflow"]


# Keras picks its backend at import; the filter only drops TensorFlow's known start-up
# lines, so it is harmless when the backend turns out to be another one.
with _filtered_stderr():
    import keras  # noqa: E402

    BACKEND = keras.backend.backend()

    # scikeras imports Keras too: import it here, after Keras, and let every other module
    # take it from here.
    with contextlib.nullcontext() if BACKEND == "tensorflow" else _tensorflow_hidden():
        import scikeras.utils.transformers as scikeras_transformers  # noqa: E402
        import scikeras.wrappers as scikeras_wrappers  # noqa: E402

    if BACKEND == "tensorflow":
        import tensorflow as tf

        # Device discovery prints the CUDA banners on a machine without a GPU; trigger it
        # here, inside the filter, instead of when the user's first model is built.
        tf.config.list_physical_devices()

if BACKEND == "tensorflow":
    _tf_logger = logging.getLogger("tensorflow")
    if _tf_logger.level == logging.NOTSET:
        # Retracing warnings when many small models are fitted (cross-validation, grid
        # search) are about TensorFlow internals, not the user's model. Errors get through.
        _tf_logger.setLevel(logging.ERROR)
else:

    def _quiet_lazy_tensorflow():
        """Filter TensorFlow's start-up lines when Keras imports it on another backend.

        Where TensorFlow is installed (it is a dependency), Keras imports it lazily on any
        backend: its file helpers do, so saving a model does, and so pickling a fitted
        estimator (scikeras pickles the model through Keras' saving), as do
        ``keras.utils.set_random_seed`` and ``tf.data`` input. That happens once per
        process, and is filtered only on the main thread (see ``_quiet``): a first import
        in another thread prints the banners rather than race other threads for the
        descriptor. Keras' lazy modules are private API, so this does nothing if they
        change.
        """
        try:
            from keras.src.utils import module_utils
        except ImportError:  # pragma: no cover - a future Keras layout
            return
        for name in ("tensorflow", "gfile"):
            lazy = getattr(module_utils, name, None)
            initialize = getattr(lazy, "initialize", None)
            if not callable(initialize):  # pragma: no cover
                continue

            def quiet_initialize(initialize=initialize):
                with _filtered_stderr():
                    initialize()

            lazy.initialize = quiet_initialize

    _quiet_lazy_tensorflow()


def snapshot_backend_generator():
    """Save the backend's global random state; return a function that restores it.

    TensorFlow's is its global seed (which also restarts its op-seed sequence when
    restored), PyTorch's its default generator; JAX has none.
    """
    if BACKEND == "tensorflow":
        from tensorflow.python.eager import context

        seed = context.global_seed()
        return lambda: tf.random.set_seed(seed)
    if BACKEND == "torch":
        import torch

        state = torch.random.get_rng_state()
        return lambda: torch.random.set_rng_state(state)
    return lambda: None


def seed_backend_generator(seed):
    """Seed the backend's global random state (see :func:`snapshot_backend_generator`)."""
    if BACKEND == "tensorflow":
        tf.random.set_seed(seed)
    elif BACKEND == "torch":
        import torch

        torch.manual_seed(seed)


def to_numpy(variable):
    """A NumPy array with the value of a Keras variable (may share its memory).

    Each backend's own conversion: ``np.array(variable)`` goes through ``__array__``
    implementations that NumPy 2 warns about on every backend.
    """
    if BACKEND == "tensorflow":
        return variable.numpy()
    value = variable.value
    if BACKEND == "torch":
        return value.detach().cpu().numpy()
    if BACKEND == "jax":
        return np.asarray(value)
    return keras.ops.convert_to_numpy(value)


__all__ = [
    "BACKEND",
    "keras",
    "scikeras_transformers",
    "scikeras_wrappers",
    "seed_backend_generator",
    "snapshot_backend_generator",
    "to_numpy",
]
