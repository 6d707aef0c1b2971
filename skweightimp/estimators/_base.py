"""The estimator base class the regressor and the classifier share: its parameters, and
the decisions of a fit, each taken by a collaborator module.

:class:`WeightTrajectoryBase` implements the hooks of
:class:`~skweightimp.estimators._scikeras_adapter.ScikerasAdapter` (the only module that
touches scikeras' private API) with

- :mod:`~skweightimp.estimators._params`: the parameter checks, before a network is
  built, once it is, and before a warm start;
- :mod:`~skweightimp.estimators._data`: the checks of ``X`` and ``y``;
- :mod:`~skweightimp.estimators._network`: the built-in network;
- :mod:`~skweightimp.estimators._speed`: the fit's input pipeline and batches per call,
  and the direct prediction;
- :mod:`~skweightimp.estimators._training`: the weight record a fit leaves;
- :mod:`~skweightimp.estimators._rollback`: a fit that completes or changes nothing.

What a fitted estimator reads from its weights is :mod:`~skweightimp.estimators._reading`,
a mixin. Private: the public classes live in :mod:`skweightimp.estimators`.
"""

import contextlib
from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Options, StrOptions

from ..callbacks._ranking import RankingStabilityStopping
from ..callbacks._recording import WeightRecorder, find_recorded_layer
from ..utils._backend import keras
from ..utils._math import weighted_std
from ..utils._seeds import draw_seeds
from ..utils._validation import (
    BARRAGE_NUM,
    BARRAGE_THRESHOLD,
    GROUP_SCORE,
    RANDOM_STATE,
    RECORD_EVERY,
    Integer,
    RealNumber,
)
from . import _speed
from ._data import validate_features
from ._gradients import gradient_rows, input_sensitivity
from ._network import build_mlp
from ._params import (
    POSITIVE_INT,
    check_built_network,
    check_params,
    check_same_recording,
    hidden_sizes,
    recording_settings,
)
from ._reading import READING_CONSTRAINTS, WeightReadingMixin
from ._rollback import rollback_on_failure
from ._scikeras_adapter import ScikerasAdapter
from ._seeding import global_generators_seeded
from ._training import check_converged

__all__ = ["WeightTrajectoryBase"]


class _TrainingRun:
    """One call of Keras' fit: what it is given (see ``_speed.FitPlan``), the callbacks
    that join the user's, and the scope it runs in."""

    def __init__(self, plan, recorder, stopper, scope):
        self.X, self.y, self.sample_weight = plan.X, plan.y, plan.sample_weight
        self.fit_kwargs = plan.fit_kwargs
        self.recorder, self.stopper, self.scope = recorder, stopper, scope
        self.callbacks = [recorder, *([stopper] if stopper else [])]


class WeightTrajectoryBase(WeightReadingMixin, ScikerasAdapter):
    """Everything the regressor and the classifier share: parameters, recording,
    validation and transactional fitting; the reading of importances is inherited."""

    _parameter_constraints = {
        "hidden_layer_sizes": ["array-like", POSITIVE_INT],
        "activation": [str, callable],
        "learning_rate": [RealNumber(0, None, closed="neither"), None],
        "epochs": [POSITIVE_INT],
        "batch_size": [POSITIVE_INT, Options(Integral, {-1}), None],
        "validation_batch_size": [POSITIVE_INT, None],
        "validation_split": [RealNumber(0, 1, closed="left")],
        "shuffle": ["boolean"],
        "warm_start": ["boolean"],
        "random_state": RANDOM_STATE,
        "verbose": ["verbose", StrOptions({"auto"})],
        "record_layer": [str, Integer(None, None, closed="neither"), None],
        "record_every": RECORD_EVERY,
        "store_history": ["boolean"],
        "barrage_domain": ["array-like"],
        "barrage_num": BARRAGE_NUM,
        "barrage_threshold": BARRAGE_THRESHOLD,
        **READING_CONSTRAINTS,
        "first_layer_l1": [RealNumber(0, None, closed="left")],
        "kernel_l1": [RealNumber(0, None, closed="left")],
        "feature_groups": [dict, None],
        "group_score": GROUP_SCORE,
        "record_all_kernels": ["boolean"],
        "stop_when_ranking_stable": [POSITIVE_INT, None],
        "ranking_top_k": [POSITIVE_INT],
        "ranking_min_epochs": [Integer(0, None, closed="left")],
    }

    def __init__(
        self,
        model=None,
        *,
        hidden_layer_sizes=(100,),
        activation="relu",
        learning_rate=0.001,
        optimizer="adam",
        loss=None,
        metrics=None,
        epochs=200,
        batch_size=32,
        validation_batch_size=None,
        validation_split=0.0,
        shuffle=True,
        callbacks=None,
        warm_start=False,
        random_state=None,
        verbose=0,
        run_eagerly=False,
        record_layer=None,
        record_every="epoch",
        store_history=True,
        barrage_domain=(-2.0, 2.0),
        barrage_num=1000,
        barrage_threshold=1.0,
        importance_method="weight_std",
        burn_in=0.0,
        first_layer_l1=0.0,
        kernel_l1=0.0,
        feature_groups=None,
        group_score="mean",
        record_all_kernels=False,
        stop_when_ranking_stable=None,
        ranking_top_k=5,
        ranking_min_epochs=0,
        **kwargs,
    ):
        self.model = model
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.learning_rate = learning_rate
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.epochs = epochs
        self.batch_size = batch_size
        self.validation_batch_size = validation_batch_size
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose
        self.run_eagerly = run_eagerly
        self.record_layer = record_layer
        self.record_every = record_every
        self.store_history = store_history
        self.barrage_domain = barrage_domain
        self.barrage_num = barrage_num
        self.barrage_threshold = barrage_threshold
        self.importance_method = importance_method
        self.burn_in = burn_in
        self.first_layer_l1 = first_layer_l1
        self.kernel_l1 = kernel_l1
        self.feature_groups = feature_groups
        self.group_score = group_score
        self.record_all_kernels = record_all_kernels
        self.stop_when_ranking_stable = stop_when_ranking_stable
        self.ranking_top_k = ranking_top_k
        self.ranking_min_epochs = ranking_min_epochs
        # scikeras' routed parameters (optimizer__*, fit__*, model__*, ...).
        self._keep_routed_params(kwargs)

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        return tags

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Train the network on ``(X, y)``, recording the first-layer weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data. Column names of a DataFrame become ``feature_names_in_``.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; samples with weight 0 are dropped.
        **kwargs : dict
            Passed to ``keras.Model.fit`` (scikeras behaviour; prefer ``fit__*``
            parameters, which GridSearchCV can tune).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        with rollback_on_failure(self):
            super().fit(X, y, sample_weight=sample_weight, **kwargs)
        return self

    # ------------------------------------------------------------------ a new network

    def _prepare_network(self):
        check_params(self, self._routed_param_names())
        self._seed = self._draw_seed()

    def _draw_seed(self):
        # scikeras turns every RandomState into the same seed (randint(low=1) is always
        # 0); draw a real one, as scikit-learn estimators do.
        if self.random_state is None or isinstance(self.random_state, (Integral, np.integer)):
            return self.random_state
        return draw_seeds(check_random_state(self.random_state))

    def _building_scope(self):
        if self.model is None or self._seed is None:
            return contextlib.nullcontext()  # the built-in network seeds its initializers
        # A user's layers draw their initializer seeds from Python's global generator.
        return global_generators_seeded(self._seed)

    def _checked_model(self, model):
        if not isinstance(model, keras.Model):
            name = getattr(self.model, "__name__", type(self.model).__name__)
            raise TypeError(
                f"model must give a keras.Model, but the model function {name!r} returned "
                f"{type(model).__name__}: {str(model)[:80]!r}. Return the model from it."
            )
        return model

    def _build_default_model(self, meta, compile_kwargs):
        model = build_mlp(
            meta["n_features_in_"],
            hidden_sizes(self.hidden_layer_sizes),
            activation=self.activation,
            output=self._output_layer(meta),
            first_layer_l1=self.first_layer_l1,
            seed=self._seed,
            kernel_l1=self.kernel_l1,
            name=f"{type(self).__name__}_mlp",
        )
        model.compile(**compile_kwargs)
        return model

    def _completed_compile_kwargs(self, kwargs):
        if kwargs.get("loss") is None:
            kwargs["loss"] = self._default_loss()
        user_routed_lr = "optimizer__learning_rate" in self.get_params()
        if (
            self.learning_rate is not None
            and not user_routed_lr
            and isinstance(self.optimizer, (str, type))
        ):
            kwargs["optimizer"].learning_rate = self.learning_rate
        return kwargs

    def _check_network(self):
        # Find the layer now, so a model we cannot read fails before it trains.
        layer = find_recorded_layer(self.model_, self.record_layer, n_features=self.n_features_in_)
        self.recorded_layer_ = layer.name
        check_built_network(self)
        self.weight_history_ = None
        self.weight_moments_ = None
        self.initial_weights_ = None
        self.input_gradients_ = None
        self.input_scale_ = None
        self.kernels_history_ = None
        self.stopped_epoch_ = None
        # The stopping rule of the previous call on this network, which a warm start
        # continues; a new network starts afresh.
        self._ranking_stopper = None
        # A warm start continues this record, so it must keep recording the same way.
        self._recording = recording_settings(self)

    def _check_warm_start(self):
        check_params(self, self._routed_param_names())
        check_same_recording(getattr(self, "_recording", None), recording_settings(self))
        check_built_network(self)

    # ------------------------------------------------------------------ data

    def _validate_input(self, X, y, reset):
        X, y = validate_features(self, X, y, reset=reset, y_numeric=self._y_numeric)
        if y is not None:
            y = self._check_target(y, reset=reset)
        if reset and X is not None:
            # scikeras passes these to model-building functions through ``meta``.
            self.X_dtype_ = X.dtype
            self.X_shape_ = X.shape
        return X, y

    def _check_target(self, y, reset):
        if reset:
            self.target_type_ = self._target_type(y)
            self.y_dtype_ = y.dtype
            self.y_ndim_ = y.ndim
        elif hasattr(self, "y_ndim_") and y.ndim != self.y_ndim_:
            raise ValueError(
                f"y has {y.ndim} dimension(s), but {type(self).__name__} was fitted on "
                f"y with {self.y_ndim_}."
            )
        return y

    # ------------------------------------------------------------------ training

    def _start_training(self, X, y, sample_weight, user_callbacks, kwargs):
        layer = self.model_.get_layer(self.recorded_layer_)
        # The recorder continues the current record (warm start) without modifying it, so
        # a failed fit can restore it: it copies the history into one new array that it
        # fills in place, and copies the summary before updating it.
        recorder = WeightRecorder(
            layer,
            record_every=self.record_every,
            store_history=self.store_history,
            history=self.weight_history_,
            moments=self.weight_moments_,
            all_kernels=self.record_all_kernels,
            kernels_history=self.kernels_history_,
        )
        stopper = None
        if self.stop_when_ranking_stable is not None:
            # Continues the previous call's rule on this network (None for a new one)
            # without modifying it, so a failed fit can restore it.
            stopper = RankingStabilityStopping(
                method=self.importance_method,
                top_k=self.ranking_top_k,
                patience=self.stop_when_ranking_stable,
                min_epochs=self.ranking_min_epochs,
                layer=layer,
                resume=self._ranking_stopper,
            )
        plan = _speed.plan_fit(
            self,
            X,
            y,
            sample_weight,
            user_callbacks,
            kwargs,
            seed=self._seed,
            chosen_before=getattr(self, "_auto_steps_per_execution", 1),
        )
        if plan.steps_per_execution is not None:
            self._auto_steps_per_execution = plan.steps_per_execution
        # The input pipeline shuffles with its own seed; Keras' own shuffle draws from the
        # global generators.
        scope = (
            contextlib.nullcontext()
            if plan.uses_dataset or self._seed is None
            else global_generators_seeded(self._seed)
        )
        return _TrainingRun(plan, recorder, stopper, scope)

    def _finish_training(self, run, X, sample_weight):
        moments = run.recorder.moments
        check_converged(moments)
        if self.initial_weights_ is None:
            self.initial_weights_ = run.recorder.initial_weights
        self.weight_history_ = run.recorder.history
        self.weight_moments_ = moments
        self.kernels_history_ = run.recorder.kernels_history
        self._read_input_gradients(X, sample_weight)
        stopper = run.stopper
        self._ranking_stopper = stopper
        stopped = stopper is not None and stopper.stopped_epoch is not None
        self.stopped_epoch_ = stopper.epochs_seen if stopped else None

    def _read_input_gradients(self, X, sample_weight):
        """The trained network's input gradients and the inputs' spread, for "gradient".

        Over the rows of this fit (a seeded sample when there are many, see
        ``_gradients``), weighted by ``sample_weight``. Left None for a model with more
        than one output tensor, whose outputs have no single last axis to sum over.
        """
        self.input_gradients_ = self.input_scale_ = None
        # A subclassed model has no symbolic outputs; its single output is checked by use.
        outputs = getattr(self.model_, "outputs", None) or [None]
        if len(outputs) != 1 or not isinstance(X, np.ndarray) or len(X) == 0:
            return
        rows = gradient_rows(len(X), self._seed)
        X = X[rows]
        sample_weight = None if sample_weight is None else sample_weight[rows]
        self.input_gradients_ = input_sensitivity(self.model_, X, sample_weight=sample_weight)
        self.input_scale_ = weighted_std(X, sample_weight)

    # ------------------------------------------------------------------ prediction

    def _direct_predict(self, X, kwargs, predict_callbacks):
        """The network's outputs in one call, or None where ``Model.predict`` must run."""
        if (
            not _speed.FAST_PREDICT
            or kwargs
            or any(key.startswith("predict__") for key in self.get_params())
            or _speed.needs_predict_hooks(predict_callbacks)
        ):
            return None
        # Inputs over the budget go through Model.predict, in batches.
        X_valid, _ = self._validate_input(X, None, reset=False)
        X_valid = self.feature_encoder_.transform(X_valid)
        if not _speed.fits_direct_predict(X_valid):
            return None
        return _speed.direct_predict(self.model_, X_valid)
