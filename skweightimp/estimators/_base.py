"""The machinery the regressor and the classifier share: parameters, data validation,
building the network, and a transactional fit that records the first-layer weights.

Private: the public classes live in :mod:`skweightimp.estimators` (their ``__module__``,
so pickles and the API reference name them there). What a fitted estimator reads from its
weights is in :mod:`skweightimp.estimators._reading`, which this base class inherits.

Built on :class:`scikeras.wrappers.BaseWrapper`, with what scikeras 0.13 gets wrong on
current scikit-learn fixed here: estimator tags, data validation through
``sklearn.utils.validation.validate_data`` (feature names, clear errors), float64
regression output, distinct seeds from ``RandomState`` instances, and a fit that either
completes or leaves the estimator as it was.

Somewhat over 700 lines: the checks that refuse every parameter mistake before training
and the hooks around Keras' fit (recording, the ranking stopping rule, an epoch per Keras
call) wrap the one ``fit`` they guard, so they stay beside it; the helpers that need no
estimator are in :mod:`skweightimp.estimators._speed` and :mod:`skweightimp.utils._validation`.
"""

import contextlib
import inspect
from collections import defaultdict
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
)
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_is_fitted,
    validate_data,
)

from ..callbacks._ranking import RankingStabilityStopping
from ..callbacks._recording import WeightRecorder, dense_kernels, find_recorded_layer
from ..importance._groups import resolve_feature_groups
from ..importance._methods import (
    garson,
)
from ..importance._moments import WeightMoments
from ..utils._backend import (
    BACKEND,
    keras,
    scikeras_wrappers,
    to_numpy,
)
from ..utils._math import check_barrage_params, weighted_std
from ..utils._seeds import draw_seeds
from ..utils._validation import (
    BARRAGE_NUM,
    BARRAGE_THRESHOLD,
    GROUP_SCORE,
    RANDOM_STATE,
    RECORD_EVERY,
    Integer,
    satisfies,
)
from . import _speed
from ._gradients import gradient_rows, input_sensitivity
from ._reading import READING_CONSTRAINTS, WeightReadingMixin
from ._seeding import global_generators_seeded

BaseWrapper = scikeras_wrappers.BaseWrapper


_POSITIVE_INT = Integer(1, None, closed="left")


def _non_finite_columns(X, dtype):
    """Names (or positions) of the columns of ``X`` with NaN, infinity, or values that
    ``dtype`` cannot hold (1e300 becomes infinity in float32); None if ``X`` is not a
    numeric table. Only called once validation has failed, to say where."""
    try:
        values = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if values.ndim != 2:
        return None
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(values) <= np.finfo(dtype).max)  # NaN compares False
    positions = np.flatnonzero(bad.any(axis=0))
    names = getattr(X, "columns", None)
    return [str(names[i]) if names is not None else int(i) for i in positions]


def _check_numeric_columns(X):
    """Name the offending columns, where check_array would only quote one bad value."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(dtypes, "items"):
        return
    bad = [
        str(name)
        for name, dtype in dtypes.items()
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype))
    ]
    if bad:
        raise ValueError(
            f"X has non-numeric column(s) {bad}; the network needs numbers. Encode them "
            "first, e.g. with a OneHotEncoder in a ColumnTransformer."
        )


def initializer_seeds(random_state, n_layers):
    """One kernel-initializer seed per layer of the built-in network (None: unseeded).

    Unseeded Keras initializers draw from Python's global ``random``, which scikeras
    seeds, but which any other thread of the process (a Dask worker's event loop, for
    one) may advance before the network is built. Seeds of our own make a seeded fit
    give the same network wherever it runs; :mod:`skweightimp.estimators._replicas` draws a
    replica's first weights from the same seeds, so a replica starts where the estimator
    would.

    Examples
    --------
    >>> from skweightimp.estimators._base import initializer_seeds
    >>> initializer_seeds(None, 2), len(initializer_seeds(0, 3))
    ([None, None], 3)
    """
    if random_state is None:
        return [None] * n_layers
    rng = np.random.RandomState(random_state)
    return draw_seeds(rng, n_layers)


def kernel_initializer(seed):
    """The initializer of every kernel of the built-in network (biases start at 0).

    :mod:`skweightimp.estimators._replicas` draws a replica's first weights with it, so a replica
    starts where the estimator would.
    """
    return keras.initializers.GlorotUniform(seed=seed)


def _check_converged(moments):
    # min/max propagate NaN and hold any infinity: O(n_features * n_units) to check.
    if moments.count and not (np.isfinite(moments.min).all() and np.isfinite(moments.max).all()):
        raise ValueError(
            "Training diverged: the recorded weights became NaN or infinite. Lower "
            "learning_rate or scale the inputs (e.g. StandardScaler in a Pipeline)."
        )


def adopt_replica(estimator, record):
    """Make ``estimator`` the fitted estimator of a network trained as a replica.

    ``estimator`` was built with ``initialize(X, y)`` on the data the replica trained on
    (which validates the data as ``fit`` would, and sets the encoders, feature names and
    an untrained network), and ``record`` is that replica's entry of
    :func:`skweightimp.estimators._replicas.fit_estimator_replicas`, trained with this estimator's
    parameters and ``random_state``. The network gets the replica's trained weights and
    the estimator its recorded first-layer history, as a fit would keep it
    (``store_history`` respected). What one network of a shared model cannot have is left
    empty: ``history_`` (Keras' loss per epoch was summed over the replicas), and the
    optimizer starts afresh if training continues (``warm_start``).

    Returns
    -------
    estimator : the estimator, fitted.
    """
    # The record's arrays are the replica's own copies: the estimator takes them over.
    history = np.asarray(record.weight_history)
    moments = WeightMoments.from_history(history)
    _check_converged(moments)
    estimator.model_.set_weights(record.weights)
    estimator.initial_weights_ = np.asarray(record.initial_weights)
    estimator.input_gradients_ = record.input_gradients
    estimator.input_scale_ = record.input_scale
    estimator.weight_history_ = history if estimator.store_history else None
    estimator.weight_moments_ = moments
    estimator.history_ = defaultdict(list)
    return estimator


def check_method_layout(method, model, hidden_layer_sizes, *, param="importance_method"):
    """Refuse Garson's method on a built-in network (``model=None``) without exactly one
    hidden layer.

    Known before anything is built, so callers refuse it before training; a user's
    ``model=`` is checked once built. ``param`` names the caller's parameter.
    """
    sizes = hidden_layer_sizes
    n_hidden = 1 if isinstance(sizes, (Integral, np.integer)) else len(sizes)
    if model is None and method == "garson" and n_hidden != 1:
        raise ValueError(
            f"{param}='garson' needs exactly one hidden layer, but "
            f"hidden_layer_sizes={sizes!r} makes {n_hidden}. Use one hidden layer, or "
            f"{param}='olden' (any depth)."
        )


class WeightTrajectoryBase(WeightReadingMixin, BaseWrapper):
    """Everything the regressor and the classifier share: parameters, recording,
    validation and transactional fitting; the reading of importances is inherited."""

    _parameter_constraints = {
        "hidden_layer_sizes": ["array-like", _POSITIVE_INT],
        "activation": [str, callable],
        "learning_rate": [Interval(Real, 0, None, closed="neither"), None],
        "epochs": [_POSITIVE_INT],
        "batch_size": [_POSITIVE_INT, Options(Integral, {-1}), None],
        "validation_batch_size": [_POSITIVE_INT, None],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
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
        "first_layer_l1": [Interval(Real, 0, None, closed="left")],
        "feature_groups": [dict, None],
        "group_score": GROUP_SCORE,
        "record_all_kernels": ["boolean"],
        "stop_when_ranking_stable": [_POSITIVE_INT, None],
        "ranking_top_k": [_POSITIVE_INT],
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
        self.feature_groups = feature_groups
        self.group_score = group_score
        self.record_all_kernels = record_all_kernels
        self.stop_when_ranking_stable = stop_when_ranking_stable
        self.ranking_top_k = ranking_top_k
        self.ranking_min_epochs = ranking_min_epochs
        # scikeras' routed parameters (optimizer__*, fit__*, model__*, ...).
        vars(self).update(**kwargs)
        if kwargs:
            self._user_params = set(kwargs)

    # scikeras' repr is one parameter per line; scikit-learn's is what users read elsewhere.
    __repr__ = BaseEstimator.__repr__

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        return tags

    # ------------------------------------------------------------------ parameters

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        if isinstance(sizes, (Integral, np.integer)):
            sizes = (sizes,)
        sizes = tuple(sizes)
        if not all(satisfies(size, [_POSITIVE_INT]) for size in sizes):
            raise ValueError(
                "hidden_layer_sizes must be a tuple of positive integers; got "
                f"{self.hidden_layer_sizes!r}."
            )
        return sizes

    def _check_params(self):
        """Validate the parameters, before anything is built or trained."""
        self._validate_params()
        self._check_unknown_params()
        self._hidden_sizes()  # raises for sizes that are not positive integers
        # Fail at fit, not later when importance_report_ is first read.
        check_barrage_params(self.barrage_domain, self.barrage_num, self.barrage_threshold)
        routed = sorted(k for k in self.get_params() if k.startswith("model__"))
        if self.model is None and routed:
            raise ValueError(
                f"{routed} are routed to a user model, but model=None uses the built-in "
                "network; set hidden_layer_sizes/activation instead, or pass model=."
            )
        if self.model is not None and self.first_layer_l1:
            raise ValueError(
                "first_layer_l1 applies to the built-in network (model=None) only; give "
                "the first Dense layer of your model a kernel_regularizer instead."
            )
        check_method_layout(self.importance_method, self.model, self.hidden_layer_sizes)
        if self.burn_in and not self.store_history:
            raise ValueError(
                f"burn_in={self.burn_in!r} needs the stored weight history, but "
                "store_history=False keeps only a running summary, which cannot leave out "
                "the early snapshots. Set store_history=True, or burn_in=0."
            )
        if self.burn_in and self.stop_when_ranking_stable is not None:
            raise ValueError(
                f"stop_when_ranking_stable={self.stop_when_ranking_stable!r} ranks the "
                "features from a running summary of every epoch, which cannot leave out "
                f"burn_in={self.burn_in!r} of them. Set burn_in=0, or "
                "stop_when_ranking_stable=None."
            )

    def _check_unknown_params(self):
        """Name an unrouted extra parameter that nothing will take, before scikeras passes
        it to a model function that does not accept it."""
        extra = sorted(key for key in getattr(self, "_user_params", ()) if "__" not in key)
        if not extra:
            return
        accepted = set()
        if callable(self.model) and not isinstance(self.model, keras.Model):
            try:
                signature = inspect.signature(self.model)
            except (TypeError, ValueError):  # a builtin or C callable: cannot tell
                return
            kinds = {parameter.kind for parameter in signature.parameters.values()}
            if inspect.Parameter.VAR_KEYWORD in kinds:
                return
            accepted = set(signature.parameters)
        unknown = [key for key in extra if key not in accepted]
        if not unknown:
            return
        if self.model is None:
            where = "model=None builds the built-in network, which takes no extra parameter"
        elif isinstance(self.model, keras.Model):
            where = "a keras.Model instance takes no extra parameter"
        else:
            name = getattr(self.model, "__name__", type(self.model).__name__)
            where = f"the model function {name!r} does not take it"
        raise InvalidParameterError(
            f"Unknown parameter {', '.join(map(repr, unknown))} for {type(self).__name__}: "
            f"it is not one of its parameters (see get_params()), and {where}. Routed "
            "parameters need a prefix: optimizer__*, loss__*, fit__*, predict__*, "
            "callbacks__*, or model__* for a model= function."
        )

    def _check_feature_groups(self):
        # Fail before training, not when importance_report_ is first read.
        if self.feature_groups:
            resolve_feature_groups(self.feature_names_, self.feature_groups)

    def _check_method_fits_model(self):
        """Refuse, before training, an importance method the built network cannot give."""
        if self.importance_method not in ("garson", "olden"):
            return
        try:
            kernels = dense_kernels(self.model_, n_features=self.n_features_in_)
            if self.importance_method == "garson":
                garson(kernels)  # checks the number of hidden layers
        except ValueError as error:
            raise ValueError(
                f"importance_method={self.importance_method!r} cannot be read from this "
                f"model: {error}"
            ) from None

    def _check_all_kernels(self):
        """Refuse, before training, record_all_kernels on a model that is no Dense stack."""
        if not self.record_all_kernels:
            return
        try:
            dense_kernels(self.model_, n_features=self.n_features_in_)
        except ValueError as error:
            raise ValueError(f"record_all_kernels=True cannot record this model: {error}") from None

    def _check_same_recording(self):
        """A warm start appends to the current record: it must be kept the same way."""
        fitted = getattr(self, "_recording", None)
        current = (bool(self.store_history), self.record_every, bool(self.record_all_kernels))
        if fitted is None or fitted == current:
            return
        raise ValueError(
            f"warm start / partial_fit continues the record of the current network, made "
            f"with store_history={fitted[0]!r}, record_every={fitted[1]!r}, "
            f"record_all_kernels={fitted[2]!r}; got store_history={current[0]!r}, "
            f"record_every={current[1]!r}, record_all_kernels={current[2]!r}. Set them back, "
            "or train a new network (warm_start=False, or fit instead of partial_fit)."
        )

    def _draw_seed(self):
        # scikeras turns every RandomState into the same seed (randint(low=1) is always
        # 0); draw a real one, as scikit-learn estimators do.
        if self.random_state is None or isinstance(self.random_state, (Integral, np.integer)):
            return self.random_state
        return draw_seeds(check_random_state(self.random_state))

    # ------------------------------------------------------------------ validation

    def _validate_data(self, X=None, y=None, reset=False, y_numeric=False):
        floatx = np.dtype(keras.backend.floatx())
        _check_numeric_columns(X)
        raw_X = X
        try:
            # A value beyond float32 becomes infinity in the cast, refused below with its
            # column named; numpy's overflow warning would only say it first, less clearly.
            with np.errstate(over="ignore"):
                if reset or (X is not None and y is not None):
                    # With reset (fit) y is always validated: y=None gets scikit-learn's error.
                    X, y = validate_data(
                        self,
                        X,
                        y,
                        reset=reset,
                        dtype=floatx,
                        multi_output=True,
                        y_numeric=self._y_numeric,
                        ensure_min_samples=2 if reset else 1,
                    )
                elif X is not None:
                    X = validate_data(self, X, reset=reset, dtype=floatx)
        except ValueError as error:
            columns = None
            if str(error).startswith("Input X contains"):
                columns = _non_finite_columns(raw_X, floatx)
            if not columns:
                raise
            raise ValueError(f"{error} Column(s) holding such values: {columns}.") from None
        if X is None and y is not None:
            y = check_array(y, ensure_2d=False, dtype=None, input_name="y")
        if y is not None:
            y = self._check_target(y, reset=reset)
        if reset and X is not None:
            # scikeras passes these to model-building functions through ``meta``.
            self.X_dtype_ = X.dtype
            self.X_shape_ = X.shape
        return X, y

    def _check_target(self, y, reset):
        if reset:
            self.target_type_ = self._type_of_target(y)
            self.y_dtype_ = y.dtype
            self.y_ndim_ = y.ndim
        elif hasattr(self, "y_ndim_") and y.ndim != self.y_ndim_:
            raise ValueError(
                f"y has {y.ndim} dimension(s), but {type(self).__name__} was fitted on "
                f"y with {self.y_ndim_}."
            )
        return y

    # ------------------------------------------------------------------ model

    def _check_model_param(self):
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

    def _build_keras_model(self):
        if self.model is None or self._seed is None:
            # The built-in network seeds its own initializers.
            model = super()._build_keras_model()
        else:
            # A user's layers draw their initializer seeds from Python's global generator.
            with global_generators_seeded(self._seed):
                model = super()._build_keras_model()
        if not isinstance(model, keras.Model):
            name = getattr(self.model, "__name__", type(self.model).__name__)
            raise TypeError(
                f"model must give a keras.Model, but the model function {name!r} returned "
                f"{type(model).__name__}: {str(model)[:80]!r}. Return the model from it."
            )
        return model

    def _build_default_model(self, meta, compile_kwargs):
        sizes = self._hidden_sizes()
        inputs = keras.Input(shape=(meta["n_features_in_"],), name="features")
        hidden = inputs
        # The L1 penalty goes on the first layer, the recorded one (the output layer when
        # there is no hidden layer).
        l1 = keras.regularizers.L1(float(self.first_layer_l1)) if self.first_layer_l1 else None
        seeds = initializer_seeds(self._seed, len(sizes) + 1)
        for index, units in enumerate(sizes, start=1):
            hidden = keras.layers.Dense(
                int(units),
                activation=self.activation,
                name=f"hidden_{index}",
                kernel_initializer=kernel_initializer(seeds[index - 1]),
                kernel_regularizer=l1 if index == 1 else None,
            )(hidden)
        units, activation = self._output_layer(meta)
        outputs = keras.layers.Dense(
            units,
            activation=activation,
            name="output",
            kernel_initializer=kernel_initializer(seeds[-1]),
            kernel_regularizer=None if sizes else l1,
        )(hidden)
        model = keras.Model(inputs, outputs, name=f"{type(self).__name__}_mlp")
        model.compile(**compile_kwargs)
        return model

    def _get_compile_kwargs(self):
        kwargs = super()._get_compile_kwargs()
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

    def _initialize(self, X, y=None):
        self._check_params()
        # scikeras seeds a build and a fit when its _random_state is set, by changing the
        # whole process (see _seeding); the seed is ours, and scikeras' stays None.
        self._random_state = None
        self._seed = self._draw_seed()
        X, y = self._validate_data(X, y, reset=True)
        self.target_encoder_ = self.target_encoder.fit(y)
        vars(self).update(**getattr(self.target_encoder_, "get_metadata", dict)())
        self.feature_encoder_ = self.feature_encoder.fit(X)
        vars(self).update(**getattr(self.feature_encoder_, "get_metadata", dict)())
        self.model_ = self._build_keras_model()
        self._initialize_callbacks()
        # Find the layer now, so a model we cannot read fails before it trains.
        layer = find_recorded_layer(self.model_, self.record_layer, n_features=self.n_features_in_)
        self.recorded_layer_ = layer.name
        self._check_method_fits_model()
        self._check_all_kernels()
        self._check_feature_groups()
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
        self._recording = (
            bool(self.store_history),
            self.record_every,
            bool(self.record_all_kernels),
        )
        return X, y

    # ------------------------------------------------------------------ fitting

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

    @contextlib.contextmanager
    def _transaction(self):
        """Undo every change to the estimator if the block fails (or is interrupted)."""
        state = dict(self.__dict__)
        model = state.get("model_")
        weights = optimizer_state = None
        if model is not None:
            weights = model.get_weights()
            optimizer = getattr(model, "optimizer", None)
            if optimizer is not None:
                optimizer_state = [to_numpy(v).copy() for v in optimizer.variables]
        try:
            yield
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(state)
            if weights is not None:
                model.set_weights(weights)
                if optimizer_state is not None and len(optimizer_state) == len(
                    model.optimizer.variables
                ):
                    for variable, value in zip(
                        model.optimizer.variables, optimizer_state, strict=True
                    ):
                        variable.assign(value)
            raise

    def _fit_keras_model(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        X_train, w_train = X, sample_weight
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
        user_callbacks = self._fit_callbacks
        self._fit_callbacks = [*user_callbacks, recorder, *([stopper] if stopper else [])]
        batch_size = self._fit_batch_size(len(X), kwargs)
        self._set_steps_per_execution(len(X), batch_size, user_callbacks, kwargs)
        dataset = self._repeated_dataset(X, y, sample_weight, batch_size, kwargs)
        if dataset is not None:
            # One pipeline for every epoch, so Keras needs the epoch length; it refuses a
            # batch size with a dataset.
            steps_per_epoch = _speed.n_train_batches(len(X), batch_size)
            X, y, sample_weight = dataset, None, None
            kwargs = {
                **kwargs,
                "batch_size": None,
                "shuffle": False,  # the pipeline shuffles
                "steps_per_epoch": steps_per_epoch,
            }
        # The input pipeline shuffles with its own seed; Keras' own shuffle draws from the
        # global generators.
        seeded = (
            contextlib.nullcontext()
            if dataset is not None or self._seed is None
            else global_generators_seeded(self._seed)
        )
        try:
            with seeded:
                super()._fit_keras_model(
                    X,
                    y,
                    sample_weight=sample_weight,
                    warm_start=warm_start,
                    epochs=epochs,
                    initial_epoch=initial_epoch,
                    **kwargs,
                )
        finally:
            self._fit_callbacks = user_callbacks
        self._append_history(recorder)
        self._read_input_gradients(X_train, w_train)
        self._ranking_stopper = stopper
        stopped = stopper is not None and stopper.stopped_epoch is not None
        self.stopped_epoch_ = stopper.epochs_seen if stopped else None

    def _fit_batch_size(self, n_samples, kwargs):
        """The batch size Keras will train with, as scikeras resolves it."""
        batch_size = kwargs.get("batch_size", getattr(self, "fit__batch_size", self.batch_size))
        return _speed.keras_batch_size(batch_size, n_samples)

    def _validation_split(self, kwargs):
        """The fraction Keras will hold out, as scikeras routes it."""
        default = getattr(self, "fit__validation_split", self.validation_split)
        return float(kwargs.get("validation_split", default) or 0.0)

    def _repeated_dataset(self, X, y, sample_weight, batch_size, kwargs):
        """A tf.data pipeline serving every epoch (see _speed), or None for Keras' own."""
        if (
            not _speed.FAST_FIT
            or self._validation_split(kwargs)
            or {"steps_per_epoch", "class_weight", "x", "y"} & set(kwargs)
            or getattr(self, "fit__class_weight", None) is not None
        ):
            return None
        shuffle = bool(kwargs.get("shuffle", getattr(self, "fit__shuffle", self.shuffle)))
        return _speed.repeated_dataset(
            X, y, sample_weight, batch_size=batch_size, shuffle=shuffle, seed=self._seed
        )

    def _set_steps_per_execution(self, n_samples, batch_size, user_callbacks, kwargs):
        """Run as many batches per Keras call as the recording allows (see _speed)."""
        model = self.model_
        current = int(getattr(model, "steps_per_execution", 1))
        if (
            not _speed.FAST_FIT
            or BACKEND == "torch"
            or "compile__steps_per_execution" in self.get_params()
            or "steps_per_epoch" in kwargs
            # A value set when the user compiled their own model is theirs too.
            or current not in (1, getattr(self, "_auto_steps_per_execution", 1))
        ):
            return
        if _speed.needs_batch_hooks(user_callbacks):
            steps = 1
        else:
            start = 0
            if self.record_every != "epoch":
                optimizer = getattr(model, "optimizer", None)
                start = int(np.asarray(to_numpy(optimizer.iterations))) if optimizer else 0
            n_batches = _speed.n_train_batches(
                n_samples, batch_size, self._validation_split(kwargs)
            )
            steps = _speed.auto_steps_per_execution(n_batches, self.record_every, start)
        _speed.set_steps_per_execution(model, steps)
        self._auto_steps_per_execution = steps

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

    def _append_history(self, recorder):
        moments = recorder.moments
        _check_converged(moments)
        if self.initial_weights_ is None:
            self.initial_weights_ = recorder.initial_weights
        self.weight_history_ = recorder.history
        self.weight_moments_ = moments
        self.kernels_history_ = recorder.kernels_history

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
        with self._transaction():
            super().fit(X, y, sample_weight=sample_weight, **kwargs)
        return self

    def _fit(self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs):
        if (self.warm_start or warm_start) and self.initialized_:
            # No new network, so _initialize does not run: check the parameters, which may
            # have changed since it was built, and rebuild the callbacks, which scikeras
            # would otherwise keep from before a set_params(callbacks=...).
            self._check_params()
            self._check_same_recording()
            self._check_method_fits_model()
            self._check_feature_groups()
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

    def _predict_raw(self, X, **kwargs):
        check_is_fitted(self)
        if (
            _speed.FAST_PREDICT
            and not kwargs
            and not any(key.startswith("predict__") for key in self.get_params())
            and not _speed.needs_predict_hooks(self._predict_callbacks)
        ):
            # One call of the network instead of Model.predict's per-call set-up; inputs
            # over the budget go through Model.predict below, in batches.
            X_valid, _ = self._validate_data(X=X, y=None)
            X_valid = self.feature_encoder_.transform(X_valid)
            if _speed.fits_direct_predict(X_valid):
                return _speed.direct_predict(self.model_, X_valid)
        return super()._predict_raw(X, **kwargs)
