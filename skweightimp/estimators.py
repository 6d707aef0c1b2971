"""scikit-learn estimators that train a Keras network and read importance from its weights.

Built on :class:`scikeras.wrappers.BaseWrapper`, with what scikeras 0.13 gets wrong on
current scikit-learn fixed here: estimator tags, data validation through
``sklearn.utils.validation.validate_data`` (feature names, clear errors), float64
regression output, distinct seeds from ``RandomState`` instances, and a fit that either
completes or leaves the estimator as it was.
"""

import contextlib
import inspect
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (
    Interval,
    InvalidParameterError,
    Options,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_is_fitted,
    validate_data,
)

from ._backend import (
    filtered_stderr,
    keras,
    scikeras_transformers,
    scikeras_wrappers,
    to_numpy,
)
from ._math import check_barrage_params, default_feature_names
from ._validation import (
    BARRAGE_NUM,
    BARRAGE_THRESHOLD,
    BURN_IN,
    RANDOM_STATE,
    RECORD_EVERY,
    Integer,
    satisfies,
)
from .callbacks import RankingStabilityStopping
from .groups import grouped_report, resolve_feature_groups
from .importance import (
    IMPORTANCE_METHODS,
    discard_burn_in,
    garson,
    importance_report,
    normalize_importances,
)
from .importance import (
    _method_scores as _scores_of,
)
from .importance_path import importance_path as path_of_history
from .moments import WeightMoments
from .recording import WeightRecorder, dense_kernels, find_recorded_layer

BaseWrapper = scikeras_wrappers.BaseWrapper
KerasClassifier = scikeras_wrappers.KerasClassifier
ClassifierLabelEncoder = scikeras_transformers.ClassifierLabelEncoder
RegressorTargetEncoder = scikeras_transformers.RegressorTargetEncoder

__all__ = ["WeightTrajectoryClassifier", "WeightTrajectoryRegressor"]

_SEED_HIGH = np.iinfo(np.int32).max
_POSITIVE_INT = Integer(1, None, closed="left")

_COMMON_DOC = """
    model : None, callable or keras.Model, default=None
        None trains the built-in multi-layer perceptron described by
        ``hidden_layer_sizes`` and ``activation``. Otherwise a scikeras model: a function
        returning a (compiled or not) ``keras.Model``, which may take ``meta``,
        ``compile_kwargs`` and routed ``model__*`` parameters, or a ``keras.Model``
        instance. The first trainable layer must be a ``Dense`` layer fed by the inputs,
        or ``record_layer`` must name one.
    hidden_layer_sizes : tuple of int, default=(100,)
        Units of each hidden ``Dense`` layer of the built-in network (as in
        ``MLPRegressor``). The first one is the layer whose weights are recorded. An empty
        tuple gives a linear model whose output layer is recorded.
    activation : str, default="relu"
        Activation of the hidden layers of the built-in network, any Keras activation name
        (``"relu"``, ``"tanh"``, ``"linear"``, ...).
    learning_rate : float, default=0.001
        Learning rate of the optimizer when ``optimizer`` is given by name or class. A
        routed ``optimizer__learning_rate`` takes precedence.
    optimizer : str, keras.optimizers.Optimizer or its class, default="adam"
        Optimizer, with scikeras routing (``optimizer__beta_1=...``).
    loss : str, keras.losses.Loss or callable, default=None
        None uses {default_loss}.
    metrics : list, default=None
        Keras metrics reported in ``history_``.
    epochs : int, default=200
        Number of passes over the training data.
    batch_size : int, default=32
        Samples per gradient update (Keras' and the seed notebook's default). ``-1`` uses
        the whole training set as one batch.
    validation_batch_size : int, default=None
        Batch size of the validation data, passed to ``keras.Model.fit``.
    validation_split : float, default=0.0
        Fraction of the training data Keras holds out for validation.
    shuffle : bool, default=True
        Whether Keras shuffles the training data before each epoch.
    callbacks : list of keras.callbacks.Callback, default=None
        Extra Keras callbacks (scikeras routing applies: ``callbacks__patience=...``).
    warm_start : bool, default=False
        If True, ``fit`` continues training the current network and its record: new
        snapshots are appended to ``weight_history_`` and folded into
        ``weight_moments_``. ``partial_fit`` always does. ``record_every`` and
        ``store_history`` must then stay as they were when the network was built.
    random_state : int, RandomState instance or None, default=None
        Seed of the weight initialisation and of the shuffling. An int makes fits
        reproducible; a ``RandomState`` draws a fresh seed at every fit.
    verbose : int, default=0
        Keras verbosity; 0 is silent, 1 shows a progress bar per epoch.
    run_eagerly : bool, default=False
        Run the Keras model eagerly (slow; for debugging a custom model).
    record_layer : str, int or None, default=None
        The layer whose kernel is recorded: None for the first trainable layer (which
        must be ``Dense``), a layer name, or an index into ``model.layers``.
    record_every : "epoch" or int, default="epoch"
        When a *snapshot* (a copy of the recorded kernel) is taken. ``"epoch"``: after
        every epoch, as the seed notebook does. A positive int ``k``: after every
        ``k``-th training batch (optimizer step), counted from the network's
        initialisation across epochs, warm starts and ``partial_fit`` calls; a new
        network trained for ``epochs`` epochs of ``ceil(n_train / batch_size)``
        batches then has ``epochs * ceil(n_train / batch_size) // k`` snapshots
        (``n_train`` excludes the ``validation_split`` part). Batches between
        snapshots are not read. Finer recording gives the statistics more points
        (useful for short trainings); the importances change with it, since the
        standard deviation is then taken over steps instead of epochs.
    store_history : bool, default=True
        Keep every snapshot in ``weight_history_`` (memory grows with the number of
        snapshots: ``n_snapshots * n_features * n_units`` floats). With False only
        their per-weight running summary ``weight_moments_`` is kept (memory
        ``O(n_features * n_units)`` however long the training), ``weight_history_`` is
        None, and ``feature_importances_`` and ``importance_report_`` are the same, to
        float rounding. See the "Scaling" page of the documentation.
    barrage_domain : tuple of float, default=(-2.0, 2.0)
        Weight interval of the barrage densities (see
        :func:`skweightimp.importance.barrage_metrics`).
    barrage_num : int, default=1000
        Grid points of the barrage densities.
    barrage_threshold : float, default=1.0
        Density a grid value needs to count in the barrage metrics.
    importance_method : str, default="weight_std"
        How ``feature_importances_`` (and the ``importance`` column of
        ``importance_report_``) is computed. It only reads the fitted network, so it can be
        changed after ``fit`` without refitting, and tuned by ``GridSearchCV`` around a
        ``SelectFromModel``. From the recorded first-layer trajectory:

        - ``"weight_std"``: the seed notebook's grouped weight standard deviation;
        - ``"viann"``: each weight's variance over the epochs times its final absolute
          value (de Sá 2019);
        - ``"displacement"``: how far each weight ended from its initial value.

        From the trained kernels of the whole network, which must then be a plain stack of
        ``Dense`` layers (the built-in network is):

        - ``"garson"``: Garson's algorithm, for exactly one hidden layer;
        - ``"olden"``: Olden's connection weights (absolute values), any depth.

        See :mod:`skweightimp.importance` for the formulas and the documentation's accuracy
        page for how well each recovers known informative features.
    burn_in : float, default=0.0
        Fraction, in ``[0, 1)``, of the earliest snapshots that the trajectory statistics
        (``weight_std``, ``viann``, the barrage metrics and ``net_change``) leave out.
        ``displacement``, ``garson`` and ``olden`` do not depend on it. See
        :func:`skweightimp.importance.discard_burn_in`.
    first_layer_l1 : float, default=0.0
        L1 penalty on the kernel of the built-in network's first layer (a Keras
        ``kernel_regularizer``), which pulls the weights of features the network does not
        need towards 0. It is added to the loss, so a useful size depends on the scale of
        ``y``. Only for ``model=None``.
    feature_groups : dict of str to list of str, default=None
        Rows of ``importance_report_`` to merge, ``{{group: [feature names]}}``, e.g. the
        one-hot columns of one categorical feature; a group's numbers are the sums of its
        columns' (``final_mean_weight`` their mean) and it is ranked as one feature.
        ``feature_importances_`` stays one value per input column, as
        ``SelectFromModel`` needs. Names are those of ``feature_names_in_`` (``x0``,
        ``x1``, ... without them). Inside a Pipeline, the inspection functions'
        ``feature_groups="auto"`` finds one-hot groups by itself.
    record_all_kernels : bool, default=False
        Also copy the kernel of every ``Dense`` layer at every snapshot
        (``kernels_history_``), what :meth:`importance_path` needs for ``"garson"`` and
        ``"olden"``. The network must be a plain stack of Dense layers. Memory:
        ``n_snapshots`` times the size of all the kernels (see the "Scaling" page).
    stop_when_ranking_stable : int or None, default=None
        Stop training once the top ``ranking_top_k`` places of ``importance_method`` have
        not changed for this many epochs in a row (the patience); None trains for
        ``epochs``. Built on
        :class:`skweightimp.callbacks.RankingStabilityStopping`, which reads the recorded
        layer after every epoch whatever ``record_every`` is. ``warm_start`` and
        ``partial_fit`` continue its statistics and count of stable epochs. Cannot be
        combined with ``burn_in``. See ``stopped_epoch_``.
    ranking_top_k : int, default=5
        Number of leading places the stopping rule compares; at least the number of
        features compares the whole ranking.
    ranking_min_epochs : int, default=0
        The stopping rule never stops before this many epochs (counted over warm starts
        and ``partial_fit`` calls while the rule is on).
    **kwargs
        scikeras routed parameters, e.g. ``optimizer__learning_rate``,
        ``fit__validation_data``, ``predict__batch_size``, ``model__dropout`` (the
        last for a user ``model`` that takes it).
"""

_COMMON_ATTRIBUTES = """
    weight_history_ : ndarray of shape (n_snapshots, n_features, n_units) or None
        The recorded kernel at every snapshot (see ``record_every``), oldest first
        (float32, as trained). None when fitted with ``store_history=False``.
    weight_moments_ : skweightimp.moments.WeightMoments
        Per-weight summary of all snapshots (count, mean, ``M2``, first, last, min,
        max), what the importances are computed from, in both modes.
    initial_weights_ : ndarray of shape (n_features, n_units)
        The recorded kernel before the first training step of the current network.
    feature_importances_ : ndarray of shape (n_features,)
        The scores of ``importance_method``, divided by their total: non-negative, sum to
        1. By default the normalised grouped weight standard deviation: for each feature
        the standard deviation over the snapshots of each of its weights, summed over
        units.
    importance_report_ : pandas.DataFrame
        One row per feature (named by ``feature_names_in_``, else ``x0, x1, ...``) with
        ``importance`` and ``rank`` (by ``importance_method``), ``weight_std``, the
        barrage metrics ``len``, ``max``, ``sum``, ``mean``, ``stdev``,
        ``n_degenerate_units``, ``final_mean_weight``, ``final_abs_weight``,
        ``net_change``, and the raw scores of every method: ``viann``, ``displacement``,
        ``garson``, ``olden``. ``garson`` is NaN unless the network has exactly one hidden
        layer, ``garson`` and ``olden`` are NaN for a model that is not a plain Dense
        stack; ``importance_report_.attrs["notes"]`` says why. See
        :func:`skweightimp.importance.importance_report`.
    kernels_history_ : list of ndarray or None
        With ``record_all_kernels=True``: the kernel of every Dense layer at every
        snapshot, one array of shape ``(n_snapshots, n_in, n_out)`` per layer from the
        inputs to the output; else None.
    stopped_epoch_ : int or None
        With ``stop_when_ranking_stable``: the number of epochs trained (counted over warm
        starts and ``partial_fit`` calls while the rule is on) when the rule stopped the
        last ``fit``/``partial_fit`` call; None if it did not stop it (training ran to
        the end, or another callback, such as Keras' ``EarlyStopping``, stopped it).
    recorded_layer_ : str
        Name of the recorded layer.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features,)
        Names of features seen during fit, when X had string column names.
    model_ : keras.Model
        The trained Keras model.
    history_ : dict
        Keras' training history (loss and metrics per epoch).
"""


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


class _WeightTrajectoryBase(BaseWrapper):
    """Everything the regressor and the classifier share: parameters, recording,
    validation, transactional fitting and importances."""

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
        "importance_method": [StrOptions(set(IMPORTANCE_METHODS))],
        "burn_in": BURN_IN,
        "first_layer_l1": [Interval(Real, 0, None, closed="left")],
        "feature_groups": [dict, None],
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
        sizes = self._hidden_sizes()
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
        if self.model is None and self.importance_method == "garson" and len(sizes) != 1:
            # Known before anything is built: refuse now rather than after training.
            raise ValueError(
                "importance_method='garson' needs exactly one hidden layer, but "
                f"hidden_layer_sizes={self.hidden_layer_sizes!r} makes {len(sizes)}. Use "
                "one hidden layer, or importance_method='olden' (any depth)."
            )
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
        return int(check_random_state(self.random_state).randint(_SEED_HIGH))

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

    def _initializer_seeds(self, n_layers):
        """One kernel-initializer seed per layer of the built-in network (None: unseeded).

        Unseeded Keras initializers draw from Python's global ``random``, which scikeras
        seeds, but which any other thread of the process (a Dask worker's event loop, for
        one) may advance before the network is built. Seeds of our own make a seeded fit
        give the same network wherever it runs.
        """
        if self._random_state is None:
            return [None] * n_layers
        rng = np.random.RandomState(self._random_state)
        return [int(seed) for seed in rng.randint(_SEED_HIGH, size=n_layers)]

    def _build_keras_model(self):
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
        seeds = self._initializer_seeds(len(sizes) + 1)
        for index, units in enumerate(sizes, start=1):
            hidden = keras.layers.Dense(
                int(units),
                activation=self.activation,
                name=f"hidden_{index}",
                kernel_initializer=keras.initializers.GlorotUniform(seed=seeds[index - 1]),
                kernel_regularizer=l1 if index == 1 else None,
            )(hidden)
        units, activation = self._output_layer(meta)
        outputs = keras.layers.Dense(
            units,
            activation=activation,
            name="output",
            kernel_initializer=keras.initializers.GlorotUniform(seed=seeds[-1]),
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
        self._random_state = self._draw_seed()
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
        try:
            # Keras' input pipeline logs op-registry mismatches from C++ on first use.
            with filtered_stderr():
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
        self._ranking_stopper = stopper
        stopped = stopper is not None and stopper.stopped_epoch is not None
        self.stopped_epoch_ = stopper.epochs_seen if stopped else None

    def _append_history(self, recorder):
        moments = recorder.moments
        # min/max propagate NaN and hold any infinity: O(n_features * n_units) to check.
        if moments.count and not (
            np.isfinite(moments.min).all() and np.isfinite(moments.max).all()
        ):
            raise ValueError(
                "Training diverged: the recorded weights became NaN or infinite. Lower "
                "learning_rate or scale the inputs (e.g. StandardScaler in a Pipeline)."
            )
        if self.initial_weights_ is None:
            self.initial_weights_ = recorder.initial_weights
        self.weight_history_ = recorder.history
        self.weight_moments_ = moments
        self.kernels_history_ = recorder.kernels_history
        self._report_cache = None

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

    # ------------------------------------------------------------------ importances

    @property
    def feature_importances_(self):
        """Importance of each input feature by ``importance_method``; sums to 1.

        An ndarray of shape ``(n_features,)``: the raw scores of ``importance_method``
        divided by their total, so non-negative and summing to 1, as for scikit-learn's
        tree ensembles (what :class:`~sklearn.feature_selection.SelectFromModel` reads).
        By default the normalised grouped weight standard deviation: for each feature,
        the standard deviation over the snapshots of each of its weights, summed over the
        units. If no weight moved, the importances are uniform and a
        :class:`~skweightimp.importance.ConstantWeightsWarning` says why. The formulas of
        every method are in the user guide's "The method" page; how far to trust them
        is measured on its "When to trust it" page.
        """
        return normalize_importances(self.importance_scores(self.importance_method))

    @property
    def importance_report_(self):
        """A DataFrame of every weight statistic and importance method, one row per feature.

        Rows are named by ``feature_names_in_`` (else ``x0, x1, ...``), or by group with
        ``feature_groups``. Columns: ``importance`` and ``rank`` (by
        ``importance_method``), ``weight_std``, the seed notebook's barrage metrics
        ``len``, ``max``, ``sum``, ``mean``, ``stdev`` and ``n_degenerate_units``,
        ``final_mean_weight``, ``final_abs_weight``, ``net_change``, and the raw score of
        every method: ``viann``, ``displacement``, ``garson``, ``olden``. ``garson`` is
        NaN unless the network has exactly one hidden layer, ``garson`` and ``olden`` are
        NaN for a model that is not a plain stack of Dense layers, and
        ``importance_report_.attrs["notes"]`` says why. Computed on first access and
        cached until the next fit (or a change of the reading parameters or of the
        trained weights). See :func:`skweightimp.importance.importance_report`.
        """
        moments = self._weight_moments()
        try:
            kernels, reason = self._dense_kernels(), None
        except ValueError as error:
            if self.importance_method in ("garson", "olden"):
                raise
            kernels, reason = None, str(error)
        # Reset by _append_history whenever the history grows. The kernels are part of the
        # key because the trained model can be changed after fit (set_weights) and Garson's
        # and Olden's columns must follow it as feature_importances_ does.
        key = (
            tuple(self.barrage_domain),
            self.barrage_num,
            self.barrage_threshold,
            self.importance_method,
            self.burn_in,
            None if kernels is None else tuple(kernel.tobytes() for kernel in kernels),
        )
        cache = getattr(self, "_report_cache", None)
        if cache is None or cache[0] != key:
            report = importance_report(
                moments,
                feature_names=self.feature_names_,
                domain=tuple(self.barrage_domain),
                num=self.barrage_num,
                threshold=self.barrage_threshold,
                method=self.importance_method,
                initial_weights=self.initial_weights_,
                kernels=kernels,
            )
            if reason is not None:
                report.attrs["notes"].update(garson=reason, olden=reason)
            self._report_cache = (key, report)
        report = self._report_cache[1].copy()
        if self.feature_groups:
            names, members = resolve_feature_groups(report.index, self.feature_groups)
            report = grouped_report(report, members, names)
        return report

    @property
    def importance_methods_(self):
        """Names of the importance methods this fitted network supports, in report order.

        A tuple drawn from ``skweightimp.importance.IMPORTANCE_METHODS``: every method
        whose scores :meth:`importance_scores` can compute for this model (Garson's method
        needs exactly one hidden layer, Garson's and Olden's a plain stack of ``Dense``
        layers).

        Examples
        --------
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=40, n_features=3, random_state=0)
        >>> reg = WeightTrajectoryRegressor(hidden_layer_sizes=(4, 4), epochs=2,
        ...                                 random_state=0).fit(X, y)
        >>> reg.importance_methods_
        ('weight_std', 'viann', 'displacement', 'olden')
        """
        available = []
        for method in IMPORTANCE_METHODS:
            try:
                self.importance_scores(method)
            except ValueError:
                continue  # e.g. Garson on two hidden layers, Olden on a custom model
            available.append(method)
        return tuple(available)

    def importance_scores(self, method=None):
        """Unnormalised scores of one importance method, one per input column.

        Parameters
        ----------
        method : str, default=None
            One of ``skweightimp.importance.IMPORTANCE_METHODS``; ``None`` means the
            estimator's ``importance_method``.

        Returns
        -------
        scores : ndarray of shape (n_features,)
            The method's raw scores in the order of :attr:`feature_names_`
            (:attr:`feature_importances_` is the same divided by its total).

        Raises
        ------
        ValueError
            If the method is unknown or this model cannot support it; the message says why.

        Examples
        --------
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=40, n_features=3, random_state=0)
        >>> reg = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=2,
        ...                                 random_state=0).fit(X, y)
        >>> reg.importance_scores("olden").shape
        (3,)
        """
        # Validates importance_method too: it may have been set after fit.
        moments = self._weight_moments()
        if method is None:
            method = self.importance_method
        elif method not in IMPORTANCE_METHODS:
            raise ValueError(
                f"Unknown importance method {method!r}; choose from {list(IMPORTANCE_METHODS)}."
            )
        kernels = self._dense_kernels() if method in ("garson", "olden") else None
        return _scores_of(method, moments, initial_weights=self.initial_weights_, kernels=kernels)

    def importance_path(self, method=None):
        """The importances that the first ``t`` snapshots give, for every snapshot ``t``.

        Row ``t`` is the ``feature_importances_`` this method would have given had
        training stopped after snapshot ``t`` (``burn_in`` applied to every prefix); the
        last row is the current one. Rank it with
        :func:`skweightimp.importance_path.ranking_path`, find where the ranking settled
        with :func:`skweightimp.importance_path.ranking_settled_at`, draw it with
        :class:`skweightimp.ImportancePathDisplay`. One pass over the history,
        ``O(n_snapshots * n_features * n_units)``.

        Parameters
        ----------
        method : str, default=None
            One of ``skweightimp.importance.IMPORTANCE_METHODS``; None means the
            estimator's ``importance_method``.

        Returns
        -------
        path : pandas.DataFrame of shape (n_snapshots, n_features)
            One row per snapshot, indexed by epoch (``record_every="epoch"``) or by
            snapshot number, one column per input column (:attr:`feature_names_`;
            ``feature_groups`` are not merged); each row sums to 1.

        Raises
        ------
        ValueError
            For ``"weight_std"``, ``"viann"`` and ``"displacement"`` after a fit with
            ``store_history=False`` (a running summary of the whole training cannot give
            an earlier prefix); for ``"garson"`` and ``"olden"`` without
            ``record_all_kernels=True``.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=40, n_features=3, random_state=0)
        >>> reg = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=5,
        ...                                 record_all_kernels=True, random_state=0)
        >>> path = reg.fit(X, y).importance_path("olden")
        >>> path.shape, path.index.name
        ((5, 3), 'epoch')
        >>> bool(np.allclose(path.iloc[-1], reg.set_params(importance_method="olden")
        ...                  .feature_importances_))
        True
        """
        self._weight_moments()  # fitted, trained, and the reading parameters valid
        if method is None:
            method = self.importance_method
        elif method not in IMPORTANCE_METHODS:
            raise ValueError(
                f"Unknown importance method {method!r}; choose from {list(IMPORTANCE_METHODS)}."
            )
        if method in ("garson", "olden"):
            if self.kernels_history_ is None:
                raise ValueError(
                    f"The importance path of {method!r} needs the kernels of every Dense "
                    "layer at every snapshot, but the estimator was fitted with "
                    "record_all_kernels=False. Fit with record_all_kernels=True."
                )
            path = path_of_history(
                None,
                method=method,
                kernels_history=self.kernels_history_,
                feature_names=self.feature_names_,
            )
        else:
            path = path_of_history(
                self._require_weight_history(f"importance_path({method!r})"),
                method=method,
                initial_weights=self.initial_weights_,
                burn_in=self.burn_in,
                feature_names=self.feature_names_,
            )
        if self.record_every == "epoch":
            path.index = path.index.rename("epoch")
        return path

    def _weight_moments(self):
        """The per-weight trajectory summary every importance is computed from.

        With ``burn_in``, the snapshots of the first ``burn_in`` fraction of training are
        left out, which needs the stored history.
        """
        check_is_fitted(self, "weight_moments_")
        moments = self.weight_moments_
        if moments is None:
            raise AttributeError("The network was initialised but not trained yet.")
        if moments.count == 0:
            raise ValueError(
                f"No weight snapshot has been recorded: record_every={self.record_every!r} "
                "takes one every that many training batches, and the network has been "
                "trained for fewer. Use a smaller record_every or train longer."
            )
        # Read after fit, so they may have been set since: check them here too.
        validate_parameter_constraints(
            {name: self._parameter_constraints[name] for name in ("importance_method", "burn_in")},
            {"importance_method": self.importance_method, "burn_in": self.burn_in},
            caller_name=type(self).__name__,
        )
        if self.burn_in:
            # A running summary cannot forget the snapshots it has already folded in.
            history = self._require_weight_history(f"burn_in={self.burn_in!r}")
            return WeightMoments.from_history(discard_burn_in(history, self.burn_in))
        return moments

    def _require_weight_history(self, purpose="this"):
        """Return ``weight_history_``, or explain that the fit did not store it.

        For code that needs every snapshot (plots of the trajectories, for instance)
        rather than their summary ``weight_moments_``.
        """
        check_is_fitted(self, "weight_moments_")
        if self.weight_history_ is None:
            raise ValueError(
                f"{purpose} needs the stored weight history, but {type(self).__name__} was "
                "fitted with store_history=False, which keeps only the per-weight summary "
                "(weight_moments_). Fit with store_history=True to keep every snapshot."
            )
        return self.weight_history_

    def _dense_kernels(self):
        """The trained kernels of the whole network, for Garson's and Olden's methods."""
        check_is_fitted(self, "model_")
        return dense_kernels(self.model_, n_features=self.n_features_in_)

    @property
    def feature_names_(self):
        """Names of the columns the network reads, as a list of str.

        ``feature_names_in_`` when ``X`` had string column names at fit, else
        ``x0, x1, ...``: the row names of :attr:`importance_report_`.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> reg = WeightTrajectoryRegressor(hidden_layer_sizes=(2,), epochs=1, random_state=0)
        >>> reg.fit(np.zeros((8, 2)), np.arange(8.0)).feature_names_
        ['x0', 'x1']
        """
        check_is_fitted(self, "n_features_in_")
        names = getattr(self, "feature_names_in_", None)
        if names is not None:
            return list(names)
        return default_feature_names(self.n_features_in_)

    def _predict_raw(self, X, **kwargs):
        check_is_fitted(self)
        with filtered_stderr():
            return super()._predict_raw(X, **kwargs)


class WeightTrajectoryRegressor(RegressorMixin, _WeightTrajectoryBase):
    __doc__ = (
        """Neural-network regressor whose feature importances come from its own training.

    A Keras network (a multi-layer perceptron unless ``model`` is given) is trained with
    the first layer's kernel copied after every epoch (or every ``record_every``
    batches). How much each feature's weights
    moved (their standard deviation over the epochs, summed over units) is its
    importance. Inputs should be on a common scale (e.g. ``StandardScaler`` in a
    Pipeline): a weight's movement depends on the size of its input.

    Parameters
    ----------"""
        + _COMMON_DOC.format(default_loss='"mean_squared_error"')
        + """
    Attributes
    ----------"""
        + _COMMON_ATTRIBUTES
        + """
    See Also
    --------
    WeightTrajectoryClassifier : The classifier twin.
    sklearn.inspection.permutation_importance : Model-agnostic importance, costlier.

    Examples
    --------
    >>> from sklearn.datasets import make_regression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skweightimp import WeightTrajectoryRegressor
    >>> X, y = make_regression(n_samples=200, n_features=4, n_informative=2,
    ...                        random_state=0)
    >>> pipe = make_pipeline(StandardScaler(),
    ...                      WeightTrajectoryRegressor(hidden_layer_sizes=(8,), epochs=20,
    ...                                                random_state=0))
    >>> pipe = pipe.fit(X, y)
    >>> reg = pipe[-1]
    >>> reg.weight_history_.shape
    (20, 4, 8)
    >>> float(reg.feature_importances_.sum())
    1.0
    >>> report = reg.importance_report_  # one row per feature, every method's columns
    >>> report.index.tolist(), report.columns[:3].tolist()
    (['x0', 'x1', 'x2', 'x3'], ['importance', 'rank', 'weight_std'])
    >>> bool((report["importance"] == reg.feature_importances_).all())
    True
    """
    )

    _y_numeric = True

    @property
    def target_encoder(self):
        """The transformer between ``y`` and the network's targets (scikeras API).

        scikeras fits it on ``y`` in ``fit`` and inverts it on the network's outputs in
        ``predict``. For regression the targets pass through unchanged.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> encoder = WeightTrajectoryRegressor().target_encoder
        >>> encoder.fit_transform(np.array([1.5, -2.0]))
        array([ 1.5, -2. ])
        """
        return RegressorTargetEncoder()

    @staticmethod
    def scorer(y_true, y_pred, **kwargs):
        """R² score, the default of scikit-learn regressors; what ``score`` computes.

        Parameters
        ----------
        y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True and predicted targets.
        **kwargs : dict
            Passed to :func:`sklearn.metrics.r2_score` (e.g. ``sample_weight``).

        Returns
        -------
        float
            The coefficient of determination.

        Examples
        --------
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> WeightTrajectoryRegressor.scorer([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
        0.5
        """
        return r2_score(y_true, y_pred, **kwargs)

    def _type_of_target(self, y):
        return "continuous" if y.ndim == 1 or y.shape[1] == 1 else "continuous-multioutput"

    def _check_target(self, y, reset):
        if y.dtype.kind not in "biuf":
            try:
                y = y.astype(np.float64)
            except (TypeError, ValueError) as error:
                raise ValueError(
                    f"{type(self).__name__} needs a numeric target y, got dtype {y.dtype} "
                    f"({error}). For class labels use WeightTrajectoryClassifier."
                ) from None
        floatx = np.dtype(keras.backend.floatx())
        if y.dtype.kind == "f" and not (np.abs(y) <= np.finfo(floatx).max).all():
            # Finite in float64, infinite once Keras casts it: training would diverge.
            raise ValueError(
                f"Input y (the target) contains values too large for {floatx}, the "
                f"network's dtype (largest {np.finfo(floatx).max:.3g}), e.g. "
                f"{np.abs(y).max():.3g}. Rescale the target, e.g. with "
                "sklearn.compose.TransformedTargetRegressor."
            )
        return super()._check_target(y, reset)

    def _default_loss(self):
        return "mean_squared_error"

    def _output_layer(self, meta):
        return int(meta.get("n_outputs_", 1)), None

    def predict(self, X, **kwargs):
        """Predict targets for ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the columns (and names) seen in ``fit``.
        **kwargs : dict
            Passed to ``keras.Model.predict``.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_outputs), dtype float64
            Predicted values.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> X = np.random.default_rng(0).normal(size=(30, 3))
        >>> y = np.column_stack([X[:, 0], X[:, 1] - X[:, 2]])  # two outputs
        >>> reg = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=2, random_state=0)
        >>> reg = reg.fit(X, y)
        >>> prediction = reg.predict(X[:5])
        >>> prediction.shape, prediction.dtype
        ((5, 2), dtype('float64'))
        >>> bool(np.isclose(reg.score(X, y), reg.scorer(y, reg.predict(X))))
        True
        """
        return np.asarray(super().predict(X, **kwargs), dtype=np.float64)

    def partial_fit(self, X, y, sample_weight=None, **kwargs):
        """Train for one more epoch, continuing the weight record.

        With ``record_every="epoch"`` this appends one snapshot.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.
        **kwargs : dict
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : object
            The estimator.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp import WeightTrajectoryRegressor
        >>> X = np.random.default_rng(0).normal(size=(40, 3))
        >>> reg = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), random_state=0)
        >>> for batch in np.array_split(np.arange(40), 2):  # e.g. data arriving in chunks
        ...     reg = reg.partial_fit(X[batch], X[batch, 0])
        >>> reg.weight_history_.shape  # one snapshot per call: (epochs, features, units)
        (2, 3, 4)
        """
        with self._transaction():
            super().partial_fit(X, y, sample_weight=sample_weight, **kwargs)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True
        return tags


class WeightTrajectoryClassifier(ClassifierMixin, _WeightTrajectoryBase):
    __doc__ = (
        """Neural-network classifier whose feature importances come from its own training.

    The classifier twin of :class:`WeightTrajectoryRegressor`: a Keras network with a
    sigmoid (binary) or softmax (multiclass) output is trained while the first layer's
    kernel is recorded after every epoch, and each feature's importance is how much its
    weights moved.

    Parameters
    ----------"""
        + _COMMON_DOC.format(
            default_loss='"binary_crossentropy" for two classes and '
            '"sparse_categorical_crossentropy" for more'
        )
        + """
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, turned into sample weights.

    Attributes
    ----------"""
        + _COMMON_ATTRIBUTES
        + """
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_classes_ : int
        Number of classes.

    See Also
    --------
    WeightTrajectoryRegressor : The regressor twin.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skweightimp import WeightTrajectoryClassifier
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> pipe = make_pipeline(StandardScaler().set_output(transform="pandas"),
    ...                      WeightTrajectoryClassifier(hidden_layer_sizes=(8,), epochs=10,
    ...                                                 random_state=0))
    >>> pipe = pipe.fit(X, y)
    >>> clf = pipe[-1]
    >>> clf.classes_
    array([0, 1, 2])
    >>> list(clf.importance_report_.index)
    ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']
    >>> clf.feature_importances_.shape, float(clf.feature_importances_.sum())
    ((4,), 1.0)

    The fitted ``target_encoder`` maps labels to the network's targets (class indices for
    the default sparse categorical loss) and its outputs back to labels:

    >>> encoder = clf.target_encoder.fit(y.to_numpy())
    >>> encoder.transform(np.array([0, 2])).ravel()
    array([0., 2.], dtype=float32)
    >>> encoder.inverse_transform(np.array([[0.1, 0.2, 0.7], [0.8, 0.1, 0.1]]))
    array([2, 0])
    """
    )

    _y_numeric = False
    # True inside partial_fit, for messages that say what to pass there.
    _partial = False

    # The full signature is spelled out (not **kwargs) so that scikit-learn's repr,
    # clone and parameter checks see every parameter and its default.
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
        record_all_kernels=False,
        stop_when_ranking_stable=None,
        ranking_top_k=5,
        ranking_min_epochs=0,
        class_weight=None,
        **kwargs,
    ):
        super().__init__(
            model=model,
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            learning_rate=learning_rate,
            optimizer=optimizer,
            loss=loss,
            metrics=metrics,
            epochs=epochs,
            batch_size=batch_size,
            validation_batch_size=validation_batch_size,
            validation_split=validation_split,
            shuffle=shuffle,
            callbacks=callbacks,
            warm_start=warm_start,
            random_state=random_state,
            verbose=verbose,
            run_eagerly=run_eagerly,
            record_layer=record_layer,
            record_every=record_every,
            store_history=store_history,
            barrage_domain=barrage_domain,
            barrage_num=barrage_num,
            barrage_threshold=barrage_threshold,
            importance_method=importance_method,
            burn_in=burn_in,
            first_layer_l1=first_layer_l1,
            feature_groups=feature_groups,
            record_all_kernels=record_all_kernels,
            stop_when_ranking_stable=stop_when_ranking_stable,
            ranking_top_k=ranking_top_k,
            ranking_min_epochs=ranking_min_epochs,
            **kwargs,
        )
        self.class_weight = class_weight

    # The scikeras classifier's target handling is right; only its class layout is not.
    _fit_kwargs = KerasClassifier._fit_kwargs

    def predict_proba(self, X, **kwargs):
        """Probability of each class for ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples, with the columns (and names) seen in ``fit``.
        **kwargs : dict
            Passed to ``keras.Model.predict`` (prefer ``predict__*`` parameters).

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            The probabilities, columns in the order of ``classes_``; two columns for a
            binary problem, as in scikit-learn.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp import WeightTrajectoryClassifier
        >>> X = np.random.default_rng(0).normal(size=(40, 3))
        >>> y = np.where(X[:, 0] > 0, "yes", "no")
        >>> clf = WeightTrajectoryClassifier(hidden_layer_sizes=(4,), epochs=2, random_state=0)
        >>> proba = clf.fit(X, y).predict_proba(X[:5])
        >>> proba.shape, bool(np.allclose(proba.sum(axis=1), 1.0))
        ((5, 2), True)
        >>> bool((clf.classes_[proba.argmax(axis=1)] == clf.predict(X[:5])).all())
        True
        """
        return KerasClassifier.predict_proba(self, X, **kwargs)

    @property
    def target_encoder(self):
        """The transformer between class labels and the network's targets (scikeras API).

        scikeras fits it on ``y`` in ``fit`` and inverts it on the network's outputs in
        ``predict``; it encodes the classes of ``classes_``, so it is available once the
        classifier is fitted (see the class Examples).
        """
        categories = "auto" if self.classes_ is None else [self.classes_]
        return ClassifierLabelEncoder(loss=self.loss, categories=categories)

    @staticmethod
    def scorer(y_true, y_pred, **kwargs):
        """Accuracy, the default of scikit-learn classifiers; what ``score`` computes.

        Parameters
        ----------
        y_true, y_pred : array-like of shape (n_samples,)
            True and predicted labels.
        **kwargs : dict
            Passed to :func:`sklearn.metrics.accuracy_score` (e.g. ``sample_weight``).

        Returns
        -------
        float
            The fraction of labels predicted right.

        Examples
        --------
        >>> from skweightimp import WeightTrajectoryClassifier
        >>> WeightTrajectoryClassifier.scorer(["a", "b", "b", "a"], ["a", "b", "a", "a"])
        0.75
        """
        return accuracy_score(y_true, y_pred, **kwargs)

    def _type_of_target(self, y):
        return KerasClassifier._type_of_target(self, y)

    def _check_target(self, y, reset):
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. Please change "
                "the shape of y to (n_samples,), for example using ravel().",
                DataConversionWarning,
                stacklevel=4,
            )
            y = y.ravel()
        check_classification_targets(y)
        if reset:
            if self.classes_ is None and np.unique(y).size < 2:
                hint = ""
                if self._partial:
                    hint = (
                        " A first partial_fit batch may hold one class only if every class "
                        "is passed with classes=, e.g. classes=np.unique(y_all)."
                    )
                raise ValueError(
                    f"{type(self).__name__} needs samples of at least 2 classes, but y "
                    f"contains only one class: {np.unique(y)[0]!r}.{hint}"
                )
        self._check_known_classes(y)
        return super()._check_target(y, reset)

    def _check_known_classes(self, y):
        """Name a label outside the classes the network was built for."""
        known = self.classes_
        if y.ndim != 1:  # a label-indicator matrix holds 0/1, not the labels
            return
        if known is None:
            known = getattr(getattr(self, "target_encoder_", None), "classes_", None)
        if known is None:
            return
        known_set = set(np.asarray(known).tolist())
        new = [label for label in np.unique(y).tolist() if label not in known_set]
        if not new:
            return
        if self._partial:
            advice = (
                "partial_fit learns the classes on its first call: pass every class there "
                "with classes=, e.g. classes=np.unique(y_all), or start again with fit."
            )
        else:
            advice = "a warm start keeps the network's classes: fit with warm_start=False."
        raise ValueError(
            f"y contains class(es) {new} that {type(self).__name__} does not know; its "
            f"classes are {np.asarray(known).tolist()}. {advice}"
        )

    def _default_loss(self):
        if self.target_type_ == "multiclass":
            return "sparse_categorical_crossentropy"
        return "binary_crossentropy"

    def _output_layer(self, meta):
        target_type = meta["target_type_"]
        if target_type == "binary":
            return 1, "sigmoid"
        if target_type == "multiclass":
            return int(meta["n_classes_"]), "softmax"
        if target_type == "multilabel-indicator":
            return int(meta["n_classes_"]), "sigmoid"
        raise ValueError(
            f"The built-in network does not handle {target_type!r} targets; pass a "
            "model= that does."
        )

    def _class_sample_weight(self, y, sample_weight):
        if self.class_weight is None:
            return sample_weight
        from sklearn.utils.class_weight import compute_sample_weight

        weights = compute_sample_weight(class_weight=self.class_weight, y=y)
        if sample_weight is None:
            return weights
        return np.asarray(sample_weight, dtype=np.float64) * weights

    def fit(self, X, y, sample_weight=None, **kwargs):
        """Train the network on ``(X, y)``, recording the first-layer weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data. Column names of a DataFrame become ``feature_names_in_``.
        y : array-like of shape (n_samples,)
            Class labels (at least two classes).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights, multiplied by ``class_weight``.
        **kwargs : dict
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        with self._transaction():
            self.classes_ = None
            if self.class_weight is not None and y is not None:
                sample_weight = self._class_sample_weight(np.asarray(y), sample_weight)
            BaseWrapper.fit(self, X, y, sample_weight=sample_weight, **kwargs)
        return self

    def partial_fit(self, X, y, classes=None, sample_weight=None, **kwargs):
        """Train for one more epoch, continuing the weight record.

        With ``record_every="epoch"`` this appends one snapshot.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels.
        classes : array-like of shape (n_classes,), default=None
            All classes, needed on the first call when a batch may miss some.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.
        **kwargs : dict
            Passed to ``keras.Model.fit``.

        Returns
        -------
        self : object
            The estimator.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp import WeightTrajectoryClassifier
        >>> X = np.random.default_rng(0).normal(size=(40, 3))
        >>> y = (X[:, 0] > 0).astype(int)
        >>> clf = WeightTrajectoryClassifier(hidden_layer_sizes=(4,), random_state=0)
        >>> for batch in np.array_split(np.arange(40), 2):
        ...     clf = clf.partial_fit(X[batch], y[batch], classes=[0, 1])
        >>> clf.classes_, clf.weight_history_.shape  # one snapshot per call
        (array([0, 1]), (2, 3, 4))
        """
        with self._transaction():
            self.classes_ = (
                np.asarray(classes) if classes is not None else getattr(self, "classes_", None)
            )
            if self.class_weight is not None and y is not None:
                sample_weight = self._class_sample_weight(np.asarray(y), sample_weight)
            self._partial = True
            try:
                BaseWrapper.partial_fit(self, X, y, sample_weight=sample_weight, **kwargs)
            finally:
                del self._partial
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        tags.classifier_tags.multi_label = False
        return tags
