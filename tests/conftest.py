import os
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
