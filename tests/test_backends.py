"""Every Keras 3 backend: the user's choice is kept, seeds reproduce fits, nothing leaks.

The tests in the first part start a fresh interpreter per backend (Keras reads
``KERAS_BACKEND`` once, at import) and run wherever the backend is installed. The rest run
in-process on whichever backend this test session uses; CI runs them on TensorFlow and,
with the ``backend_smoke`` marker, on JAX.
"""

import importlib.util
import json
import os
import random
import subprocess
import sys

import numpy as np
import pytest

from skweightimp import WeightTrajectoryRegressor
from skweightimp.utils._backend import BACKEND, keras

from .conftest import FAST

_BACKEND_PACKAGES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}

_PROBE = """
import importlib.util, json, pickle, sys
import numpy as np
from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.utils._backend import BACKEND
rng = np.random.RandomState(0)
X = rng.normal(size=(90, 3)); y = X[:, 0] - X[:, 1]
params = dict(hidden_layer_sizes=(3,), epochs=3)
def history(**kw):
    return WeightTrajectoryRegressor(**params, **kw).fit(X, y).weight_history_
seeded = [history(random_state=7) for _ in range(2)]
other_seed = history(random_state=8)
unseeded = [history() for _ in range(2)]
clf = [WeightTrajectoryClassifier(**params, random_state=3).fit(X, y > 0) for _ in range(2)]
print(json.dumps({
    "backend": BACKEND,
    "tensorflow_imported": "tensorflow" in sys.modules,
    # find_spec raises if the import was left blocked (sys.modules["tensorflow"] = None).
    "tensorflow_importable": importlib.util.find_spec("tensorflow") is not None,
    "seed_reproduces": bool(np.array_equal(*seeded)),
    "seeds_differ": not np.array_equal(seeded[0], other_seed),
    "unseeded_differ": not np.array_equal(*unseeded),
    "classifier_reproduces": bool(np.array_equal(clf[0].predict_proba(X),
                                                 clf[1].predict_proba(X))),
    "dtype": str(seeded[0].dtype),
    # Last: pickling goes through Keras' saving code, which imports TensorFlow (quietly).
    "pickle_round_trip": bool(np.array_equal(
        pickle.loads(pickle.dumps(clf[0])).predict_proba(X), clf[0].predict_proba(X))),
}))
"""


def _installed(backend):
    return importlib.util.find_spec(_BACKEND_PACKAGES[backend]) is not None


@pytest.mark.parametrize("backend", ["tensorflow", "jax", "torch"])
def test_each_backend_is_kept_seeded_reproducibly_and_quietly(backend):
    if not _installed(backend):
        pytest.skip(f"{backend} is not installed (pip install 'skweightimp[{backend}]')")
    env = {**os.environ, "KERAS_BACKEND": backend}
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, timeout=600
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # no banners or warnings on any backend
    report = json.loads(result.stdout)
    assert report == {
        "backend": backend,
        # Off TensorFlow, TensorFlow (a dependency, so installed) is never imported.
        "tensorflow_imported": backend == "tensorflow",
        # ... but the user can still import it (for tf.data, say).
        "tensorflow_importable": True,
        "seed_reproduces": True,
        "seeds_differ": True,
        "unseeded_differ": True,
        "classifier_reproduces": True,
        "dtype": "float32",
        "pickle_round_trip": True,
    }


_LAZY_TENSORFLOW = """
{first_import}
from keras.src.utils import module_utils
module_utils.tensorflow.initialize()  # what saving, pickling or tf.data input triggers
"""


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_why_keras_lazy_tensorflow_import_is_quieted_off_tensorflow(backend):
    # skweightimp.utils._backend patches Keras' lazy TensorFlow module for the whole
    # process on the other backends. Without it, the first pickle of a fitted estimator
    # prints TensorFlow's start-up lines even with TF_CPP_MIN_LOG_LEVEL=2.
    if not _installed(backend):
        pytest.skip(f"{backend} is not installed (pip install 'skweightimp[{backend}]')")
    env = {
        **os.environ,
        "KERAS_BACKEND": backend,
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "TF_ENABLE_ONEDNN_OPTS": "0",
    }

    def stderr_of(first_import):
        script = _LAZY_TENSORFLOW.format(first_import=first_import)
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=600
        )
        assert result.returncode == 0, result.stderr
        return result.stderr

    assert stderr_of("import keras") != ""  # the banners the patch filters
    assert stderr_of("import skweightimp.estimators") == ""


# --- on this session's backend ------------------------------------------------------------


@pytest.mark.backend_smoke
def test_session_backend_is_the_one_keras_uses():
    assert BACKEND == keras.backend.backend()
    if "KERAS_BACKEND" in os.environ:
        assert os.environ["KERAS_BACKEND"] == BACKEND


@pytest.mark.backend_smoke
def test_seeded_fit_leaves_the_global_generators_as_they_were(regression_data):
    X, y = regression_data
    random.seed(123)
    np.random.seed(123)
    expected = random.random(), np.random.random()
    random.seed(123)
    np.random.seed(123)
    if BACKEND == "torch":
        import torch

        torch.manual_seed(123)
        expected_torch = torch.rand(1).item()
        torch.manual_seed(123)
    WeightTrajectoryRegressor(**FAST, random_state=0).fit(X, y)
    assert (random.random(), np.random.random()) == expected
    if BACKEND == "torch":
        assert torch.rand(1).item() == expected_torch


@pytest.mark.backend_smoke
def test_same_seed_same_history_on_this_backend(regression_data, classification_data):
    X, y = regression_data
    fits = [WeightTrajectoryRegressor(**FAST, random_state=3).fit(X, y) for _ in range(2)]
    np.testing.assert_array_equal(fits[0].weight_history_, fits[1].weight_history_)
    np.testing.assert_array_equal(fits[0].initial_weights_, fits[1].initial_weights_)
    np.testing.assert_array_equal(fits[0].predict(X), fits[1].predict(X))
    # shuffle=False leaves only the initial weights to the seed.
    fits = [
        WeightTrajectoryRegressor(**FAST, shuffle=False, random_state=3).fit(X, y) for _ in range(2)
    ]
    np.testing.assert_array_equal(fits[0].weight_history_, fits[1].weight_history_)
