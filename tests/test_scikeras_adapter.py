"""The adapter to scikeras: the private hooks it relies on are the ones it was read
against, and the two it replaces are replaced for a reason that still holds."""

from importlib.metadata import version

import numpy as np
import pandas as pd
import pytest

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.estimators._scikeras_adapter import (
    CHECKED_SCIKERAS_VERSION,
    PRIVATE_HOOKS,
    ScikerasAdapter,
    hook_fingerprint,
)
from skweightimp.utils._backend import scikeras_wrappers


@pytest.mark.parametrize("hook", sorted(PRIVATE_HOOKS))
def test_scikeras_private_hooks_are_the_ones_read(hook):
    assert hook_fingerprint(hook) == PRIVATE_HOOKS[hook], (
        f"scikeras {version('scikeras')} changed {hook} since {CHECKED_SCIKERAS_VERSION}, "
        "the release skweightimp/estimators/_scikeras_adapter.py was written against: read "
        "the new source, adapt the adapter, and record the new fingerprint."
    )


def test_every_overridden_scikeras_hook_is_registered():
    base = scikeras_wrappers.BaseWrapper
    overridden = {
        f"BaseWrapper.{name}"
        for name in vars(ScikerasAdapter)
        if name.startswith("_") and not name.startswith("__") and hasattr(base, name)
    }
    assert overridden <= set(PRIVATE_HOOKS)
    # Nothing below the adapter overrides a scikeras private hook.
    for estimator in (WeightTrajectoryRegressor, WeightTrajectoryClassifier):
        for klass in estimator.__mro__[: estimator.__mro__.index(ScikerasAdapter)]:
            hooks = {
                name
                for name in vars(klass)
                if name.startswith("_") and not name.startswith("__") and hasattr(base, name)
            }
            assert not hooks, f"{klass.__name__} overrides scikeras' {sorted(hooks)}"


def _columns(names):
    return pd.DataFrame(np.arange(8.0).reshape(4, 2), columns=names)


def test_scikeras_own_data_validation_is_why_it_is_replaced():
    # scikeras 0.13's _validate_data keeps no feature_names_in_ on current scikit-learn
    # and accepts the columns in another order: scikit-learn's contract fails with it.
    reg = WeightTrajectoryRegressor()
    scikeras_wrappers.BaseWrapper._validate_data(reg, _columns(["a", "b"]), np.zeros(4), reset=True)
    assert not hasattr(reg, "feature_names_in_")
    scikeras_wrappers.BaseWrapper._validate_data(reg, _columns(["b", "a"]), None)  # no error
    # The replacement keeps the names and refuses the reordered columns.
    reg = WeightTrajectoryRegressor()
    reg._validate_data(_columns(["a", "b"]), np.zeros(4), reset=True)
    assert list(reg.feature_names_in_) == ["a", "b"]
    with pytest.raises(ValueError, match="feature names"):
        reg._validate_data(_columns(["b", "a"]), None)


def test_a_callable_object_builds_the_model_scikeras_would_refuse():
    class Builder:
        def __call__(self, meta, compile_kwargs):
            from skweightimp.utils._backend import keras

            model = keras.Sequential(
                [
                    keras.Input((meta["n_features_in_"],)),
                    keras.layers.Dense(2),
                    keras.layers.Dense(1),
                ]
            )
            model.compile(**compile_kwargs)
            return model

    X, y = np.random.default_rng(0).normal(size=(16, 3)), np.arange(16.0)
    reg = WeightTrajectoryRegressor(model=Builder(), epochs=1, random_state=0).fit(X, y)
    assert reg.weight_history_.shape == (1, 3, 2)
