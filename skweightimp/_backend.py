"""Import Keras and scikeras once, quietly, with the fixes scikeras needs on TensorFlow.

Every module that touches Keras or scikeras imports it from here (never directly), so the
environment defaults and the work-arounds below are applied exactly once and before
TensorFlow starts, whatever order an import sorter puts the imports in.
"""

import logging
import os

# setdefault: a user who set these on purpose keeps their choice.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# oneDNN prints a banner and makes float results depend on the thread split.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

from ._quiet import filtered_stderr  # noqa: E402

with filtered_stderr():
    import keras  # noqa: E402

    # scikeras imports Keras (and so TensorFlow) too: import it here, inside the filter and
    # after the work-arounds' environment, and let every other module take it from here.
    import scikeras.utils.transformers as scikeras_transformers  # noqa: E402
    import scikeras.wrappers as scikeras_wrappers  # noqa: E402

    BACKEND = keras.backend.backend()
    if BACKEND == "tensorflow":
        import tensorflow as tf
        from tensorflow.python.framework import config as _tf_config

        # scikeras' seeding context sets TF_DETERMINISTIC_OPS=1 and only then asks TensorFlow
        # whether determinism was on; TensorFlow reads that variable on the first query and
        # caches it, answers "yes", and scikeras never switches determinism off again. Every
        # later unseeded fit then fails with "Random ops require a seed". Asking once now,
        # before any seeded fit, caches the true answer.
        _tf_config.is_op_determinism_enabled()
        # Device discovery prints the CUDA banners on a machine without a GPU; trigger it
        # here, inside the filter, instead of when the user's first model is built.
        tf.config.list_physical_devices()

_tf_logger = logging.getLogger("tensorflow")
if _tf_logger.level == logging.NOTSET:
    # Retracing warnings when many small models are fitted (cross-validation, grid search)
    # are about TensorFlow internals, not the user's model. Errors still get through.
    _tf_logger.setLevel(logging.ERROR)

__all__ = [
    "BACKEND",
    "filtered_stderr",
    "keras",
    "scikeras_transformers",
    "scikeras_wrappers",
]
