"""The two estimators: what differs between regression and classification.

:class:`WeightTrajectoryRegressor` and :class:`WeightTrajectoryClassifier` hold the
target encoding, loss, output layer and scoring of their task, and the public
docstrings of every parameter and attribute; what they share is in the private
:mod:`skweightimp.estimators._base` (fitting) and :mod:`skweightimp.estimators._reading`
(importances).
"""

import warnings

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils.multiclass import check_classification_targets

from ..utils._backend import (
    keras,
    scikeras_transformers,
    scikeras_wrappers,
)
from ._base import WeightTrajectoryBase
from ._rollback import rollback_on_failure

BaseWrapper = scikeras_wrappers.BaseWrapper
ClassifierLabelEncoder = scikeras_transformers.ClassifierLabelEncoder
RegressorTargetEncoder = scikeras_transformers.RegressorTargetEncoder

__all__ = ["WeightTrajectoryClassifier", "WeightTrajectoryRegressor"]

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

        Which to use: on real data with planted noise columns (the documentation's "When
        to trust it" page) ``"olden"`` was the weight-based method closest to a
        gradient-boosting reference (mean Spearman 0.59 over four data sets, 0.66 with
        ``first_layer_l1=0.01``) and kept planted noise out of its top 5; the default
        ``"weight_std"`` reached 0.42 and put 0.80 noise columns per run in its top 5. It
        stays the default as the seed notebook's score. Test a ranking against noise with
        :func:`skweightimp.inspection.importance_significance`.
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
    kernel_l1 : float, default=0.0
        L1 penalty on every kernel of the built-in network, the output's included (it
        adds to ``first_layer_l1`` on the first). A light penalty on every layer is how
        the NID paper trains the network it reads interactions from; ``1e-4`` (the NID
        reference code's default) is what the "Interactions" page's benchmark supports
        for :meth:`interaction_scores`. Only for ``model=None``.
    feature_groups : dict of str to list of str, default=None
        Rows of ``importance_report_`` to merge, ``{{group: [feature names]}}``, e.g. the
        one-hot columns of one categorical feature; a group's numbers are made from its
        columns' by ``group_score`` and it is ranked as one feature.
        ``feature_importances_`` stays one value per input column, as
        ``SelectFromModel`` needs. Names are those of ``feature_names_in_`` (``x0``,
        ``x1``, ... without them). Inside a Pipeline, the inspection functions'
        ``feature_groups="auto"`` finds one-hot groups by itself.
    group_score : {{"mean", "sum", "rss"}}, default="mean"
        How a group's row of ``importance_report_`` is made from its columns' rows:
        their mean, which does not grow with the number of columns (a useless 10-level
        categorical feature then scores like one useless column, not like ten), their
        sum, or the root of the sum of their squares (``"rss"``, what the benchmarks
        recommend with ``importance_method="gradient"``: it keeps an effect that sits in
        one level whole, and grows like ``sqrt(k)`` with ``k`` useless levels).
        ``final_mean_weight`` is always the mean. See
        :func:`skweightimp.importance.aggregate_importances`.
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
    weight_moments_ : skweightimp.importance.WeightMoments
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
        ``garson``, ``olden``, ``gradient``. ``garson`` is NaN unless the network has
        exactly one hidden layer, ``garson`` and ``olden`` are NaN for a model that is not
        a plain Dense stack; ``importance_report_.attrs["notes"]`` says why. See
        :func:`skweightimp.importance.importance_report`.
    input_gradients_ : ndarray of shape (n_features,) or None
        What the ``"gradient"`` importance method reads: over the rows of the last
        ``fit`` (or ``partial_fit`` call; a seeded sample of 20,000 when there are more),
        ``sum_c mean |d yhat_c / d x_i|`` of the trained network, from one backward
        pass per output. None for a model with several output tensors.
    input_scale_ : ndarray of shape (n_features,) or None
        The standard deviation of each input column over the same rows.
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


class WeightTrajectoryRegressor(RegressorMixin, WeightTrajectoryBase):
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

    def _target_type(self, y):
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
        with rollback_on_failure(self):
            super().partial_fit(X, y, sample_weight=sample_weight, **kwargs)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True
        return tags


class WeightTrajectoryClassifier(ClassifierMixin, WeightTrajectoryBase):
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
        kernel_l1=0.0,
        feature_groups=None,
        group_score="mean",
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
            kernel_l1=kernel_l1,
            feature_groups=feature_groups,
            group_score=group_score,
            record_all_kernels=record_all_kernels,
            stop_when_ranking_stable=stop_when_ranking_stable,
            ranking_top_k=ranking_top_k,
            ranking_min_epochs=ranking_min_epochs,
            **kwargs,
        )
        self.class_weight = class_weight

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
        return self._predicted_probabilities(X, **kwargs)

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

    def _target_type(self, y):
        return self._classifier_target_type(y)

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
        with rollback_on_failure(self):
            self.classes_ = None
            if self.class_weight is not None and y is not None:
                sample_weight = self._class_sample_weight(np.asarray(y), sample_weight)
            BaseWrapper.fit(self, X, y, sample_weight=sample_weight, **kwargs)
        return self

    def initialize(self, X, y=None):
        """Build the network for ``(X, y)`` without training it (scikeras API).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Class labels (at least two classes): they set ``classes_`` and the output
            layer.

        Returns
        -------
        self : object
            The estimator with an untrained ``model_``.

        Examples
        --------
        >>> import numpy as np
        >>> from skweightimp import WeightTrajectoryClassifier
        >>> clf = WeightTrajectoryClassifier(hidden_layer_sizes=(3,), random_state=0)
        >>> clf = clf.initialize(np.zeros((4, 2)), ["a", "b", "c", "a"])
        >>> clf.classes_, clf.model_.output_shape
        (array(['a', 'b', 'c'], dtype='<U1'), (None, 3))
        """
        with rollback_on_failure(self):
            self.classes_ = None  # learnt from y, as in fit
            BaseWrapper.initialize(self, X, y)
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
        with rollback_on_failure(self):
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
