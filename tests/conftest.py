import contextlib
import os
import shutil
import sys

import numpy as np
import pandas as pd
import pytest

# Tests draw plots (later) headless.
os.environ.setdefault("MPLBACKEND", "Agg")


def pytest_report_header(config):
    # Keras reads KERAS_BACKEND (else ~/.keras/keras.json) when it is first imported.
    return f"KERAS_BACKEND: {os.environ.get('KERAS_BACKEND', '(not set: Keras default)')}"


@pytest.fixture(autouse=True)
def _close_figures():
    # Figures left open pile up across tests in one worker; pyplot is only touched when
    # some test has already imported it.
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


# A network small and short enough that one fit takes well under a second here.
FAST = {"hidden_layer_sizes": (4,), "epochs": 3, "batch_size": 32}


@pytest.fixture(scope="session")
def regression_data():
    """Four named features; the target depends on ``a`` and ``b`` only."""
    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(120, 4)), columns=["a", "b", "c", "d"])
    y = pd.Series(3.0 * X["a"] - 2.0 * X["b"] + 0.1 * rng.normal(size=120), name="target")
    return X, y


@pytest.fixture(scope="session")
def classification_data():
    """Three classes driven by ``a`` and ``b``; string labels."""
    rng = np.random.RandomState(1)
    X = pd.DataFrame(rng.normal(size=(150, 4)), columns=["a", "b", "c", "d"])
    score = X["a"] + X["b"]
    y = pd.Series(np.where(score > 0.5, "high", np.where(score < -0.5, "low", "mid")))
    return X, y


@pytest.fixture(scope="session")
def binary_data(classification_data):
    X, y = classification_data
    return X, (y == "high").astype(int)


# ---------------------------------------------------------------------- browser
# The report's browser tests drive headless Chromium. Where none is found they skip (the
# README's test command passes on a machine with nothing but Python) unless
# SKWEIGHTIMP_REQUIRE_BROWSER=1, which .ci/run sets: there a missing browser fails them.
CHROMIUM_VARIABLE = "SKWEIGHTIMP_CHROMIUM"
REQUIRE_BROWSER_VARIABLE = "SKWEIGHTIMP_REQUIRE_BROWSER"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
INSTALL_HINT = (
    "install Chromium (Debian: sudo apt-get install chromium; Ubuntu: sudo snap install "
    f"chromium) or set {CHROMIUM_VARIABLE}=/path/to/chromium (or Chrome)"
)


def find_chromium():
    """The browser's path: ``$SKWEIGHTIMP_CHROMIUM``, else the first of CHROMIUM_NAMES on
    PATH; None when there is none. A ``$SKWEIGHTIMP_CHROMIUM`` that is not an executable
    fails the test: the person who set it asked for that browser."""
    explicit = os.environ.get(CHROMIUM_VARIABLE)
    if explicit:
        path = shutil.which(explicit)
        if path is None:
            pytest.fail(f"{CHROMIUM_VARIABLE}={explicit!r} is not an executable file")
        return path
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def browser_required():
    return os.environ.get(REQUIRE_BROWSER_VARIABLE, "") not in ("", "0")


@pytest.fixture
def chromium():
    """Path of a headless-capable Chromium; skips the test where there is none (fails it
    with SKWEIGHTIMP_REQUIRE_BROWSER=1)."""
    path = find_chromium()
    if path is not None:
        return path
    message = f"no Chromium found (looked for {', '.join(CHROMIUM_NAMES)} on PATH): "
    if browser_required():
        pytest.fail(message + f"{REQUIRE_BROWSER_VARIABLE}=1 requires one; " + INSTALL_HINT)
    pytest.skip(message + INSTALL_HINT)


@contextlib.contextmanager
def on_a_dask_cluster():
    """joblib's tasks sent to a dask.distributed cluster of two worker processes, so what
    they carry is pickled (the test extra installs distributed)."""
    import distributed
    from joblib import parallel_config

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        parallel_config(backend="dask"),
    ):
        yield
