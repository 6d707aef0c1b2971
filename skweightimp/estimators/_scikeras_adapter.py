"""The one module that touches scikeras' private API: :class:`ScikerasAdapter`.

scikeras' :class:`~scikeras.wrappers.BaseWrapper` turns a Keras model into a scikit-learn
estimator through private methods that its subclasses override. The estimators of this
package need some of them. This class overrides exactly those, calls scikeras' own
implementation (``super()``) in all but the two it replaces, and hands every decision to
a hook of its own (in brackets) that
:class:`~skweightimp.estimators._base.WeightTrajectoryBase` implements:

- ``_initialize``: check the parameters and draw the seed before a network is built,
  check the network once it is (``_prepare_network``, ``_check_network``).
- ``_build_keras_model``: scikeras seeds a build and a fit by changing the whole process
  (``tensorflow_random_state``); the seed is applied to the network instead
  (``_building_scope``, ``_checked_model``).
- ``_check_model_param``, **replaced**: ``model=None`` builds the package's network
  (scikeras' extension point for that, ``_keras_build_fn``, makes it refuse ``model=``
  functions) and any callable may build a user's (``_build_default_model``).
- ``_validate_data``, **replaced**: scikeras 0.13's keeps no ``feature_names_in_`` on
  scikit-learn >= 1.6 and accepts reordered columns (``_validate_input``;
  ``tests/test_scikeras_adapter.py`` shows both).
- ``_validate_sample_weight``: refuse negative weights; scale the weights to mean 1.
- ``_get_compile_kwargs``: ``learning_rate`` and the default loss
  (``_completed_compile_kwargs``).
- ``_fit``: a warm start re-checks the parameters and rebuilds the callbacks
  (``_check_warm_start``).
- ``_fit_keras_model``: the weight recorder (and the stopping rule) join the user's
  callbacks for one fit, with the fast input paths (``_start_training``,
  ``_finish_training``).
- ``_predict_raw``: one call of the network for inputs that fit (``_direct_predict``).
- ``_type_of_target`` (``_target_type``) and ``_fit_kwargs`` (``class_weight`` becomes
  sample weights, never a Keras argument); ``KerasClassifier.predict_proba`` and
  ``KerasClassifier._type_of_target`` are called for the classifier, which is no
  ``KerasClassifier`` (its class layout is not scikit-learn's).

scikeras reads and writes four private attributes the adapter uses too:
``_fit_callbacks`` and ``_predict_callbacks`` (the callbacks of a fit and of a predict),
``_random_state`` (kept None: see above) and ``_user_params`` (the routed parameters
given to ``__init__``).

:data:`PRIVATE_HOOKS` records a fingerprint of each hook's source in the scikeras release
it was read against (:data:`CHECKED_SCIKERAS_VERSION`). ``tests/test_scikeras_adapter.py``
fails, naming the hook, when the installed scikeras differs, so that a change is read
before it silently changes a fit.
"""

import hashlib
import inspect

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from ..utils._backend import keras, scikeras_wrappers

BaseWrapper = scikeras_wrappers.BaseWrapper
KerasClassifier = scikeras_wrappers.KerasClassifier

__all__ = [
    "CHECKED_SCIKERAS_VERSION",
    "PRIVATE_HOOKS",
    "ScikerasAdapter",
    "hook_fingerprint",
]

#: The scikeras release whose private hooks :class:`ScikerasAdapter` was written against.
CHECKED_SCIKERAS_VERSION = "0.13.0"

#: ``"Class.method"`` of scikeras -> the first 16 hex digits of the SHA-256 of its source
#: in :data:`CHECKED_SCIKERAS_VERSION` (:func:`hook_fingerprint`).
PRIVATE_HOOKS = {
    "BaseWrapper._initialize": "f0aa8f86204ff520",
    "BaseWrapper._build_keras_model": "4e4eb7645d692e54",
    "BaseWrapper._check_model_param": "2e6976f494dbe399",
    "BaseWrapper._validate_data": "c4437eac035eef1f",
    "BaseWrapper._validate_sample_weight": "d930d2e8a7fb51cc",
    "BaseWrapper._get_compile_kwargs": "483156fb8806165f",
    "BaseWrapper._initialize_callbacks": "c17268682884d078",
    "BaseWrapper._fit": "50984a1d864b95ab",
    "BaseWrapper._fit_keras_model": "5a58b07c0a27d2f9",
    "BaseWrapper._predict_raw": "29904703fc4c0634",
    "BaseWrapper._type_of_target": "da02a57cafef8d76",
    "BaseWrapper._fit_kwargs": "5fd2b2762725f5eb",
    "KerasClassifier.predict_proba": "4b71d1e94b04a025",
}


def hook_fingerprint(qualified_name):
    """The first 16 hex digits of the SHA-256 of a scikeras hook's source.

    Examples
    --------
    >>> from skweightimp.estimators._scikeras_adapter import hook_fingerprint
    >>> len(hook_fingerprint("BaseWrapper._fit"))
    16
    """
    owner, name = qualified_name.split(".")
    attribute = inspect.getattr_static(getattr(scikeras_wrappers, owner), name)
    if isinstance(attribute, (set, frozenset)):  # a class attribute, such as _fit_kwargs
        text = repr(sorted(attribute))
    else:
        function = attribute.fget if isinstance(attribute, property) else attribute
        text = inspect.getsource(getattr(function, "__func__", function))  # staticmethod
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class ScikerasAdapter(BaseWrapper):
    """scikeras' wrapper with its private hooks routed to the package's (see the module)."""

    # scikeras' repr is one parameter per line; scikit-learn's is what users read elsewhere.
    __repr__ = BaseEstimator.__repr__

    def _keep_routed_params(self, routed):
        """Store ``__init__``'s extra keyword arguments as scikeras' routed parameters."""
        vars(self).update(**routed)
        if routed:
            self._user_params = set(routed)

    def _routed_param_names(self):
        """The routed parameters given to ``__init__`` (``optimizer__beta_1``, ...)."""
        return set(getattr(self, "_user_params", ()))

    # ------------------------------------------------------------------ building

    def _initialize(self, X, y=None):
        self._prepare_network()
        X, y = super()._initialize(X, y)
        self._check_network()
        return X, y

    def _build_keras_model(self):
        # scikeras would seed the build (and the fit) with tensorflow_random_state, which
        # sets process-wide generators and TensorFlow's determinism; the package applies
        # its seed to the network itself (see _seeding).
        self._random_state = None
        with self._building_scope():
            model = super()._build_keras_model()
        return self._checked_model(model)

    def _check_model_param(self):
        # Replaced, not extended: scikeras' extension point for a default network
        # (_keras_build_fn) makes it refuse model= functions, and it refuses callable objects.
        if self.model is None:
            return self._build_default_model
        if isinstance(self.model, keras.Model):
            model = self.model
            return lambda: model
        if callable(self.model) and not isinstance(self.model, type):
            return self.model
        raise TypeError(
            "model must be None (built-in network), a function that returns a "
            f"keras.Model, or a keras.Model instance; got {self.model!r}."
        )

    def _get_compile_kwargs(self):
        return self._completed_compile_kwargs(super()._get_compile_kwargs())

    # ------------------------------------------------------------------ data

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        return self._validate_input(X, y, reset=reset)

    @staticmethod
    def _validate_sample_weight(X, y, sample_weight):
        # scikeras accepts negative weights; scikit-learn estimators refuse them.
        sample_weight = _check_sample_weight(
            sample_weight, X, dtype=np.dtype(keras.backend.floatx()), ensure_non_negative=True
        )
        X, y, sample_weight = BaseWrapper._validate_sample_weight(X, y, sample_weight)
        # Keras divides a batch's weighted loss by the number of samples, not by the sum
        # of their weights; scaling the weights to mean 1 makes integer weights act like
        # repeated samples (exactly so for full-batch training), as in MLPRegressor.
        return X, y, sample_weight / sample_weight.mean()

    def _type_of_target(self, y):
        return self._target_type(y)

    def _classifier_target_type(self, y):
        """scikeras' ``KerasClassifier._type_of_target``: the type of ``y``, or of
        ``classes_`` when set (a batch of ``partial_fit`` may miss classes)."""
        return KerasClassifier._type_of_target(self, y)

    @property
    def _fit_kwargs(self):
        # The classifier turns class_weight into sample weights; Keras must not apply it
        # again (scikeras' KerasClassifier does the same).
        return BaseWrapper._fit_kwargs - {"class_weight"}

    # ------------------------------------------------------------------ training

    def _fit(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        if (self.warm_start or warm_start) and self.initialized_:
            # No new network, so _initialize does not run: the parameters may have changed
            # since it was built, and scikeras would keep the callbacks from before a
            # set_params(callbacks=...).
            self._check_warm_start()
            self._initialize_callbacks()
        super()._fit(
            X,
            y,
            sample_weight=sample_weight,
            warm_start=warm_start,
            epochs=epochs,
            initial_epoch=initial_epoch,
            **kwargs,
        )

    def _fit_keras_model(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        self._random_state = None  # see _build_keras_model
        user_callbacks = self._fit_callbacks
        run = self._start_training(X, y, sample_weight, user_callbacks, kwargs)
        # scikeras passes Keras the callbacks of _fit_callbacks only (it drops any given to
        # fit): the recorder joins them for this fit.
        self._fit_callbacks = [*user_callbacks, *run.callbacks]
        try:
            with run.scope:
                super()._fit_keras_model(
                    run.X,
                    run.y,
                    sample_weight=run.sample_weight,
                    warm_start=warm_start,
                    epochs=epochs,
                    initial_epoch=initial_epoch,
                    **run.fit_kwargs,
                )
        finally:
            self._fit_callbacks = user_callbacks
        self._finish_training(run, X, sample_weight)

    # ------------------------------------------------------------------ prediction

    def _predict_raw(self, X, **kwargs):
        check_is_fitted(self)
        predictions = self._direct_predict(X, kwargs, self._predict_callbacks)
        if predictions is not None:
            return predictions
        return super()._predict_raw(X, **kwargs)

    def _predicted_probabilities(self, X, **kwargs):
        """scikeras' ``KerasClassifier.predict_proba`` (this class is no KerasClassifier)."""
        return KerasClassifier.predict_proba(self, X, **kwargs)
