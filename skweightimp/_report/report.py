"""The analysis behind ``skweightimp report``: train, inspect, draw, and describe it.

:func:`run_report` takes :class:`ReportSettings` and returns
:class:`ReportResults`, plain data (DataFrames, numbers, PNG and GIF bytes);
:func:`build_document` turns those into a :class:`~skweightimp._report.report_html.Document`
that :func:`~skweightimp._report.report_html.render_html` writes as HTML. This module owns no
math: the importances come from the estimators and :mod:`skweightimp.inspection`, the
pictures from the Display classes.

Without a data file the analysis is the seed notebook's complete example: its synthetic
data (:func:`~skweightimp.datasets.make_seed_regression`), its network
(``skweightimp.datasets.SEED_MODEL_PARAMS``, 500 epochs), its first 100 rows as the
test set, its unscaled inputs.
"""

import io
import math
import os
import platform
import time
import warnings
from dataclasses import dataclass, field
from importlib import metadata

import numpy as np
import pandas as pd

from .errors import UsageError
from .report_html import Document, Image, Section, Table

__all__ = [
    "DEFAULT_CV",
    "MAX_FRAMES",
    "MAX_PLOT_UNITS",
    "WEAK_SKILL",
    "build_document",
    "importance_methods",
    "library_versions",
    "skill",
    "ReportResults",
    "ReportSettings",
    "run_report",
    "write_report",
]

#: Cross-validation folds of the stability section unless ``--cv`` says otherwise.
DEFAULT_CV = 3

# The animation keeps at most this many frames (a 500-epoch run is drawn every 9th epoch).
MAX_FRAMES = 60
# Plots that draw every (feature, unit) weight show at most this many first-layer units.
MAX_PLOT_UNITS = 8
_DPI = 90
_GIF_DPI = 72


@dataclass
class ReportSettings:
    """What ``skweightimp report`` was asked to do (the command-line options).

    ``None`` for ``epochs``, ``hidden_layer_sizes`` means the default of the data: the
    seed notebook's settings for the built-in example, the estimator's defaults for a CSV.
    Pass it to :func:`write_report` (or :func:`run_report`). The options, what the report
    shows and how to read it are described in the report guide, :doc:`/report`
    (``docs/report.rst``), and by ``skweightimp report --help``.

    Examples
    --------
    >>> import dataclasses
    >>> from skweightimp._report.report import ReportSettings
    >>> settings = ReportSettings(data="houses.csv", target="price", epochs=50, method="olden")
    >>> settings.task, settings.cv, settings.test_size, settings.hidden_layer_sizes
    ('auto', 3, 0.2, None)
    >>> dataclasses.replace(settings, cv=5).cv
    5
    """

    data: str = None
    target: str = None
    task: str = "auto"
    epochs: int = None
    hidden_layer_sizes: tuple = None
    cv: int = DEFAULT_CV
    method: str = "weight_std"
    random_state: int = 0
    test_size: float = 0.2
    impute: bool = False
    n_repeats: int = 5
    command: str = ""
    sep: str = None


@dataclass
class ReportResults:
    """Everything the report shows, as plain data.

    Returned by :func:`run_report` (and :func:`write_report`) and turned into the page by
    :func:`build_document`. The options, what the report shows and how to read it are
    described in the report guide, :doc:`/report` (``docs/report.rst``), and by
    ``skweightimp report --help``.

    Examples
    --------
    The built-in example (the seed notebook's data and network), trained briefly:

    >>> from skweightimp._report.report import ReportSettings, run_report
    >>> results = run_report(ReportSettings(epochs=3, cv=2, n_repeats=1))
    >>> results.task, results.target, results.n_train, results.n_test
    ('regression', 'ys', 900, 100)
    >>> results.history_shape  # epochs x input columns x first-layer units
    (3, 4, 4)
    >>> sorted(results.importance.index), list(results.importance.columns[:3])
    (['cs', 'ms', 'noise', 'xs'], ['importance', 'rank', 'weight_std'])
    >>> float(results.importance["importance"].sum())
    1.0
    >>> len(results.stability.test_scores), results.comparison.raw.columns.tolist()
    (2, ['weight_std', 'viann', 'displacement', 'garson', 'olden', 'permutation'])
    >>> sorted(results.figures)
    ['barrage', 'box', 'comparison', 'density', 'grouped_std', 'stability', 'trajectory']
    >>> results.figures["box"][:4], results.animation[:6]  # PNG and GIF bytes
    (b'\x89PNG', b'GIF89a')
    """

    settings: ReportSettings
    source: str
    task: str
    task_reason: str
    target: str
    n_rows: int
    n_train: int
    n_test: int
    numeric: list
    categorical: list
    model_params: dict
    score_name: str
    test_score: float
    baseline_score: float
    extra_scores: dict
    fit_seconds: float
    history_shape: tuple
    importance: pd.DataFrame
    comparison: object
    stability: object
    figures: dict
    animation: bytes
    animation_frames: int
    animation_step: int
    notes: list = field(default_factory=list)
    versions: dict = field(default_factory=dict)
    total_seconds: float = 0.0
    plot_units: int = 0
    n_units: int = 0
    group_sizes: dict = field(default_factory=dict)
    target_scaling: tuple = None


def importance_methods():
    """The importance methods the estimators accept, the default first.

    Examples
    --------
    >>> from skweightimp._report.report import importance_methods
    >>> methods = importance_methods()
    >>> methods[0], sorted(methods)
    ('weight_std', ['displacement', 'garson', 'olden', 'viann', 'weight_std'])
    """
    from ..importance import IMPORTANCE_METHODS

    return tuple(IMPORTANCE_METHODS)


def library_versions():
    """Versions of Python and of the libraries a result depends on.

    Returns
    -------
    dict of str to str
        Library name to version; ``"not installed"`` for a missing library. The
        ``keras`` entry names the backend, the ``python`` entry the platform.

    Examples
    --------
    >>> from skweightimp import __version__
    >>> from skweightimp._report.report import library_versions
    >>> versions = library_versions()
    >>> list(versions)
    ['skweightimp', 'scikit-learn', 'keras', 'tensorflow', 'scikeras', 'numpy', 'pandas',
     'matplotlib', 'python']
    >>> versions["skweightimp"] == __version__, "(backend: " in versions["keras"]
    (True, True)
    """

    def version(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    from .. import __version__
    from .._backend import BACKEND

    return {
        "skweightimp": __version__,
        "scikit-learn": version("scikit-learn"),
        "keras": f"{version('keras')} (backend: {BACKEND})",
        "tensorflow": version("tensorflow"),
        "scikeras": version("scikeras"),
        "numpy": version("numpy"),
        "pandas": version("pandas"),
        "matplotlib": version("matplotlib"),
        "python": f"{platform.python_version()} ({platform.system()} {platform.machine()})",
    }


# ---------------------------------------------------------------------- data


@dataclass
class _Data:
    source: str
    task: str
    task_reason: str
    target: str
    X_train: object
    X_test: object
    y_train: object
    y_test: object
    n_rows: int
    numeric: list
    categorical: list
    preprocessor: object = None
    notes: list = field(default_factory=list)
    seed: bool = False
    target_scaling: tuple = None


# Seeds NumPy accepts.
_MAX_SEED = 2**32 - 1


def _check_settings(settings):
    if not 0 <= settings.random_state <= _MAX_SEED:
        raise UsageError(
            f"--random-state must be between 0 and {_MAX_SEED}; got {settings.random_state}"
        )
    if settings.epochs is not None and settings.epochs < 1:
        raise UsageError(f"--epochs must be at least 1; got {settings.epochs}")
    if settings.cv < 2:
        raise UsageError(f"--cv must be at least 2 (folds to compare); got {settings.cv}")
    if settings.n_repeats < 1:
        raise UsageError(f"--n-repeats must be at least 1; got {settings.n_repeats}")
    if not 0 < settings.test_size < 1:
        raise UsageError(f"--test-size must be between 0 and 1; got {settings.test_size}")
    if settings.hidden_layer_sizes is not None and not all(
        size >= 1 for size in settings.hidden_layer_sizes
    ):
        raise UsageError(
            "--hidden-layer-sizes must be positive integers; got "
            f"{' '.join(map(str, settings.hidden_layer_sizes))}"
        )
    if (
        settings.method == "garson"
        and settings.hidden_layer_sizes is not None
        and len(settings.hidden_layer_sizes) != 1
    ):
        # Garson's algorithm splits each hidden unit's output weight among the inputs: it is
        # defined for exactly one hidden layer. Found here, not after minutes of training.
        raise UsageError(
            "--method garson needs exactly one hidden layer; got --hidden-layer-sizes "
            f"{' '.join(map(str, settings.hidden_layer_sizes))} "
            f"({len(settings.hidden_layer_sizes)} layers); use one size, or --method olden, "
            "which works with any number"
        )
    if settings.sep is not None and len(settings.sep) != 1:
        raise UsageError(f"--sep must be one character, e.g. ';'; got {settings.sep!r}")
    if settings.data is None:
        if settings.sep is not None:
            raise UsageError("--sep needs a data file: skweightimp report DATA.csv --sep ';'")
        if settings.target is not None:
            raise UsageError("--target needs a data file: skweightimp report DATA.csv --target ...")
        if settings.task == "classification":
            raise UsageError(
                "the built-in example is a regression; --task classification needs a data file"
            )
    elif settings.target is None:
        raise UsageError("a data file needs --target COLUMN, the column to predict")


def _load_data(settings):
    if settings.data is None:
        from ..datasets import SEED_TEST_ROWS, make_seed_regression

        X, y = make_seed_regression(1000, random_state=settings.random_state)
        return _Data(
            source="built-in example: the seed notebook's synthetic data (ys = ms * xs + cs)",
            task="regression",
            task_reason="the seed notebook's example",
            target="ys",
            X_train=X.iloc[SEED_TEST_ROWS:],
            X_test=X.iloc[:SEED_TEST_ROWS],
            y_train=y.iloc[SEED_TEST_ROWS:],
            y_test=y.iloc[:SEED_TEST_ROWS],
            n_rows=len(X),
            numeric=list(X.columns),
            categorical=[],
            notes=[
                "The inputs are unscaled, as in the seed notebook: `xs` reaches 2500 while "
                "`ms` is the constant 2, so the constant columns `ms`, `cs` and the "
                "unrelated `noise` get importance too. How far a weight moves depends on "
                "the size of its input; on your own data the report standardises numeric "
                "columns first."
            ],
            seed=True,
        )
    from .tabular import (
        make_preprocessor,
        prepare_tabular,
        read_csv,
        split_train_test,
        standardize_target,
    )

    frame = read_csv(settings.data, sep=settings.sep)
    data = prepare_tabular(frame, settings.target, task=settings.task, impute=settings.impute)
    notes = list(data.notes)
    if data.n_filled:
        notes.append(
            "Missing values filled (--impute): "
            + ", ".join(f"{c} ({n})" for c, n in data.n_filled.items())
            + "; median for numeric columns, most frequent value for text columns."
        )
    X_train, X_test, y_train, y_test = split_train_test(
        data, test_size=settings.test_size, random_state=settings.random_state, cv=settings.cv
    )
    scaling = None
    if data.task == "regression":
        y_train, y_test, scaling = standardize_target(y_train, y_test)
    return _Data(
        source=os.path.abspath(settings.data),
        task=data.task,
        task_reason=data.task_reason,
        target=data.target,
        X_train=X_train,
        X_test=X_test,
        y_train=y_train,
        y_test=y_test,
        n_rows=len(data.X),
        numeric=[str(c) for c in data.numeric],
        categorical=[str(c) for c in data.categorical],
        preprocessor=make_preprocessor(data, impute=settings.impute),
        notes=notes,
        target_scaling=scaling,
    )


# ---------------------------------------------------------------------- model


def _model_params(settings, data):
    from ..datasets import SEED_MODEL_PARAMS

    params = dict(SEED_MODEL_PARAMS) if data.seed else {}
    if settings.epochs is not None:
        params["epochs"] = settings.epochs
    if settings.hidden_layer_sizes is not None:
        params["hidden_layer_sizes"] = tuple(settings.hidden_layer_sizes)
    return params


def _build_model(settings, data, callbacks):
    from sklearn.base import clone
    from sklearn.pipeline import make_pipeline

    from ..estimators import WeightTrajectoryClassifier, WeightTrajectoryRegressor

    cls = WeightTrajectoryClassifier if data.task == "classification" else WeightTrajectoryRegressor
    estimator = cls(
        **_model_params(settings, data),
        random_state=settings.random_state,
        callbacks=list(callbacks) or None,
    )
    if "importance_method" in estimator.get_params():
        estimator.set_params(importance_method=settings.method)
    elif settings.method != "weight_std":  # pragma: no cover - guarded by importance_methods
        raise UsageError(f"--method {settings.method!r} is not available in this version")
    if data.preprocessor is None:
        return estimator
    return make_pipeline(clone(data.preprocessor), estimator)


def _final(model):
    return model[-1] if hasattr(model, "steps") else model


def _resolved_params(model):
    """The network's settings as trained, for the configuration table."""
    est = _final(model)
    keys = (
        "hidden_layer_sizes",
        "activation",
        "learning_rate",
        "optimizer",
        "batch_size",
        "epochs",
        "random_state",
        "importance_method",
    )
    params = est.get_params()
    out = {key: params[key] for key in keys if key in params}
    loss = getattr(est, "loss", None) or est._default_loss()
    out["loss"] = loss
    return out


def _grouped_importance(model):
    """The importance report with one-hot columns summed back into their source column,
    and the number of network columns behind each feature."""
    from ..groups import grouped_report, resolve_feature_groups

    est = _final(model)
    report = est.importance_report_
    if not hasattr(model, "steps") or len(model.steps) == 1:
        return report, dict.fromkeys(map(str, report.index), 1)
    names = [str(n) for n in model[:-1].get_feature_names_out()]
    report = report.copy()
    report.index = pd.Index(names, name=report.index.name)
    group_names, members = resolve_feature_groups(names, "auto", preprocessor=model[:-1])
    sizes = {name: len(columns) for name, columns in zip(group_names, members, strict=True)}
    if len(group_names) == len(names):
        report.index = pd.Index(group_names, name=report.index.name)
        return report, sizes
    return grouped_report(report, members, group_names), sizes


# ---------------------------------------------------------------------- figures


def _png(figure):
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI)
    plt.close(figure)
    return buffer.getvalue()


def _gif(animation, figure):
    import tempfile

    import matplotlib.pyplot as plt
    from matplotlib.animation import PillowWriter

    with tempfile.TemporaryDirectory(prefix="skweightimp-") as directory:
        path = os.path.join(directory, "animation.gif")
        animation.save(path, writer=PillowWriter(fps=8), dpi=_GIF_DPI)
        with open(path, "rb") as handle:
            data = handle.read()
    plt.close(figure)
    return data


def _draw_figures(model, comparison, stability, n_units):
    from ..inspection_plots import ImportanceComparisonDisplay, ImportanceStabilityDisplay
    from ..plotting import WeightTrajectoryDisplay

    units = list(range(min(n_units, MAX_PLOT_UNITS)))
    figures = {}
    display = WeightTrajectoryDisplay.from_estimator(model, kind="grouped_std", normalize=True)
    figures["grouped_std"] = _png(display.figure_)
    display = WeightTrajectoryDisplay.from_estimator(model, kind="box", units=units)
    figures["box"] = _png(display.figure_)
    display = WeightTrajectoryDisplay.from_estimator(model, kind="trajectory", units=units)
    figures["trajectory"] = _png(display.figure_)
    display = WeightTrajectoryDisplay.from_estimator(model, kind="density", units=units)
    figures["density"] = _png(display.figure_)
    display = WeightTrajectoryDisplay.from_estimator(model, kind="barrage", metric="len")
    figures["barrage"] = _png(display.figure_)
    display = ImportanceComparisonDisplay.from_comparison(comparison, kind="bar")
    figures["comparison"] = _png(display.figure_)
    display = ImportanceStabilityDisplay.from_cv_results(stability, kind="box")
    figures["stability"] = _png(display.figure_)
    return figures


def _animation(model, n_units):
    from ..plotting import WeightTrajectoryDisplay

    display = WeightTrajectoryDisplay.from_estimator(model, kind="grouped_std")
    import matplotlib.pyplot as plt

    plt.close(display.figure_)
    n_snapshots = display.weight_history.shape[0]
    step = max(1, math.ceil(n_snapshots / (MAX_FRAMES - 1)))
    units = list(range(min(n_units, MAX_PLOT_UNITS)))
    animation = display.animate(step=step, units=units)
    frames = len(range(0, n_snapshots, step)) + (0 if (n_snapshots - 1) % step == 0 else 1)
    return _gif(animation, display.figure_), frames, step


# ---------------------------------------------------------------------- the run


def _note_warnings(caught):
    """Our own warnings (e.g. constant weights) become notes; library chatter does not."""
    notes = []
    for warning in caught:
        if "skweightimp" not in type(warning.message).__module__ and (
            os.sep + "skweightimp" + os.sep not in str(warning.filename)
        ):
            continue
        text = str(warning.message).strip().splitlines()[0]
        if text not in notes:
            notes.append(text)
    return notes


def run_report(settings, *, log=None, progress=None, interrupt=None):
    """Train the model, inspect it and draw the report's pictures.

    Every check of the settings and the data runs before training, so a mistake fails
    in seconds; the analysis itself trains ``1 + cv`` networks and takes minutes at the
    default settings. The options, what the report shows and how to read it are described
    in the report guide, :doc:`/report` (``docs/report.rst``), and by
    ``skweightimp report --help``.

    Parameters
    ----------
    settings : ReportSettings
        The options.
    log : callable, default=None
        Called with a line of text at each stage (the command prints it); None is silent.
    progress : callable, default=None
        ``progress(total_epochs)`` returns a :class:`~skweightimp._report.progress.ProgressBar`
        (or None) advanced over the epochs of every fit.
    interrupt : DeferredInterrupt, default=None
        Checked after every training batch and between stages, so that Ctrl-C stops
        the run promptly (see :mod:`skweightimp._report.interrupt`).

    Returns
    -------
    ReportResults

    Raises
    ------
    ReportError
        For bad settings (:class:`~skweightimp._report.errors.UsageError`) or bad data.

    Examples
    --------
    A small CSV file with a text column, analysed with a tiny network and few epochs:

    >>> import os, tempfile
    >>> import numpy as np
    >>> import pandas as pd
    >>> from skweightimp._report.report import ReportSettings, run_report
    >>> rng = np.random.RandomState(0)
    >>> houses = pd.DataFrame({
    ...     "area": rng.uniform(50, 150, 60).round(),
    ...     "rooms": rng.randint(1, 6, 60),
    ...     "city": rng.choice(["north", "south"], 60),
    ... })
    >>> houses["price"] = 3 * houses["area"] + rng.normal(0, 5, 60)
    >>> settings = ReportSettings(
    ...     target="price", epochs=3, hidden_layer_sizes=(4,), cv=2, n_repeats=1
    ... )
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     settings.data = os.path.join(folder, "houses.csv")
    ...     houses.to_csv(settings.data, index=False)
    ...     results = run_report(settings, log=print)
    Training on 48 rows (3 epochs), then 2 cross-validation folds...
    Comparing with permutation importance on the test set...
    Drawing the plots and the animation...
    >>> results.task, results.score_name, results.n_train, results.n_test
    ('regression', 'R²', 48, 12)
    >>> results.numeric, results.categorical
    (['area', 'rooms'], ['city'])

    The network saw four columns (``city`` one-hot encoded); the importance table has
    one row per feature of the file, sharing 1 between them:

    >>> results.history_shape
    (3, 4, 4)
    >>> sorted(results.importance.index), float(results.importance["importance"].sum())
    (['area', 'city', 'rooms'], 1.0)

    Bad settings fail before anything is trained:

    >>> run_report(ReportSettings(cv=1))
    Traceback (most recent call last):
    ...
    skweightimp._report.errors.UsageError: --cv must be at least 2 (folds to compare); got 1
    """
    log = log or (lambda line: None)
    check = interrupt.check if interrupt is not None else (lambda: None)
    start = time.perf_counter()
    _check_settings(settings)
    data = _load_data(settings)
    check()
    methods = importance_methods()  # imports Keras: seconds
    check()
    if settings.method not in methods:
        raise UsageError(
            f"--method {settings.method!r} is not available; choose from {', '.join(methods)}"
        )

    from sklearn.base import clone
    from sklearn.model_selection import KFold, StratifiedKFold

    from ..inspection import compare_importances, cross_validate_importances
    from .interrupt import interrupt_callback
    from .progress import epoch_callback

    params = _model_params(settings, data)
    epochs = params.get("epochs") or _default_epochs(data)
    labels = ["model", *(f"fold {k}/{settings.cv}" for k in range(1, settings.cv + 1))]
    splitter_class = StratifiedKFold if data.task == "classification" else KFold
    splitter = splitter_class(
        n_splits=settings.cv, shuffle=True, random_state=settings.random_state
    )
    bar = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        log(
            f"Training on {len(data.X_train)} rows ({epochs} epochs), then {settings.cv} "
            "cross-validation folds..."
        )
        try:
            callbacks = []
            if progress is not None:
                bar = progress(epochs * (1 + settings.cv))
                callbacks.append(epoch_callback(bar, labels))
            if interrupt is not None:
                callbacks.append(interrupt_callback(interrupt))
            model = _build_model(settings, data, callbacks)
            fit_start = time.perf_counter()
            model.fit(data.X_train, data.y_train)
            fit_seconds = time.perf_counter() - fit_start
            stability = cross_validate_importances(
                clone(model),
                data.X_train,
                data.y_train,
                cv=splitter,
                feature_groups="auto",
                random_state=settings.random_state,
            )
        finally:
            if bar is not None:
                bar.close()
        check()
        log("Comparing with permutation importance on the test set...")
        est = _final(model)
        test_score = float(model.score(data.X_test, data.y_test))
        # What predicting without the features scores: the mean (R² 0) or the most
        # common class.
        baseline = (
            0.0
            if data.task == "regression"
            else float(pd.Series(data.y_test).value_counts(normalize=True).max())
        )
        extra_scores = {}
        if data.seed:
            from ..metrics import ratio_accuracy_score

            extra_scores["the notebook's accuracy (%)"] = ratio_accuracy_score(
                data.y_test, model.predict(data.X_test)
            )
        comparison = compare_importances(
            model,
            data.X_test,
            data.y_test,
            feature_groups="auto",
            n_repeats=settings.n_repeats,
            random_state=settings.random_state,
        )
        importance, group_sizes = _grouped_importance(model)
        importance = importance.sort_values(["rank", "importance"], ascending=[True, False])
        check()
        log("Drawing the plots and the animation...")
        n_units = est.weight_history_.shape[2]
        figures = _draw_figures(model, comparison, stability, n_units)
        animation, frames, step = _animation(model, n_units)
    notes = list(data.notes) + _note_warnings(caught)

    return ReportResults(
        settings=settings,
        source=data.source,
        task=data.task,
        task_reason=data.task_reason,
        target=data.target,
        n_rows=data.n_rows,
        n_train=len(data.X_train),
        n_test=len(data.X_test),
        numeric=data.numeric,
        categorical=data.categorical,
        model_params=_resolved_params(model),
        score_name="R²" if data.task == "regression" else "accuracy",
        test_score=test_score,
        baseline_score=baseline,
        extra_scores=extra_scores,
        fit_seconds=fit_seconds,
        history_shape=tuple(est.weight_history_.shape),
        importance=importance,
        comparison=comparison,
        stability=stability,
        figures=figures,
        animation=animation,
        animation_frames=frames,
        animation_step=step,
        notes=notes,
        versions=library_versions(),
        total_seconds=time.perf_counter() - start,
        plot_units=min(n_units, MAX_PLOT_UNITS),
        n_units=n_units,
        group_sizes=group_sizes,
        target_scaling=data.target_scaling,
    )


def _default_epochs(data):
    from ..estimators import WeightTrajectoryRegressor

    return WeightTrajectoryRegressor().epochs


# ---------------------------------------------------------------------- the document


_COLUMN_HELP = {
    "importance": "the main importance, a share: all features add up to 1",
    "rank": "1 = most important",
    "weight_std": "grouped weight standard deviation: how much the feature's weights moved",
    "len": "barrage: grid points where a weight's fitted density is at least the threshold",
    "max": "barrage: highest such density value",
    "sum": "barrage: sum of those density values",
    "mean": "barrage: their mean",
    "stdev": "barrage: their standard deviation",
    "n_degenerate_units": "units whose density never reaches the threshold (count 0)",
    "final_mean_weight": "mean weight after the last epoch",
    "final_abs_weight": "sum of the absolute weights after the last epoch",
    "net_change": "sum of |last weight - first weight|",
    "viann": "VIANN: each weight's variance over the epochs times its final size, summed",
    "displacement": "sum of |final weight - initial weight| (before the first epoch)",
    "garson": "Garson: share of the output each input receives through the hidden units "
    "(one hidden layer only)",
    "olden": "Olden: summed products of the trained weights from input to output",
}

# A test score that closes less than this share of the gap between the baseline (the
# mean for R², the most common class for accuracy) and a perfect score is weak: R² below
# 0.5, or accuracy less than halfway from the majority class's share to 1.
WEAK_SKILL = 0.5


def skill(score, baseline):
    """The share of the gap from ``baseline`` to a perfect 1 that ``score`` closes.

    1 is perfect, 0 no better than the baseline, negative worse. For R² (baseline 0) it
    is R² itself; for accuracy with a majority class of share ``b`` it is
    ``(accuracy - b) / (1 - b)``. The report warns below :data:`WEAK_SKILL`.

    Examples
    --------
    >>> from skweightimp._report.report import skill
    >>> skill(0.18, 0.0), skill(0.7, 0.6)  # R² 0.18; accuracy 0.7 over a 0.6 majority
    (0.18, 0.25)
    """
    if baseline >= 1:
        return 0.0
    return round((score - baseline) / (1 - baseline), 12)


def _frame_table(frame, *, index_name, highlight=None, bars=(), caption=""):
    rows = []
    for label, row in frame.iterrows():
        rows.append((str(label), [_plain(v) for v in row.tolist()]))
    return Table(
        columns=[str(c) for c in frame.columns],
        rows=rows,
        index_name=index_name,
        highlight=highlight,
        bars=list(bars),
        caption=caption,
    )


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


def _key_values(pairs, caption=""):
    return Table(
        columns=["value"],
        rows=[
            (str(k), [_plain(v) if not isinstance(v, (tuple, list)) else _join(v)])
            for k, v in pairs
        ],
        index_name="",
        caption=caption,
        key_value=True,
    )


def _permutation_top(comparison):
    if "permutation" not in comparison.raw:
        return []
    scores = comparison.raw["permutation"]
    top = str(scores.idxmax()) if scores.max() > 0 else "none (no shuffle hurt)"
    return [("most important (permutation)", top)]


def _scaling_row(scaling):
    if scaling is None:
        return []
    mean, std = scaling
    return [
        (
            "target scaling",
            f"standardised for training: (y - {mean:.4g}) / {std:.4g}, from the training "
            "rows; R² is the same on either scale",
        )
    ]


def _score(value):
    # Fixed decimals: 0.99998 must not read as a perfect 1, and a score that rounds to 1
    # shows as 1.00000, not as an exact 1.
    return f"{value:.5f}"


def _join(values):
    return ", ".join(str(v) for v in values) if values else "none"


def _method_label(method):
    return (
        "grouped weight standard deviation (`weight_std`)"
        if method == "weight_std"
        else f"`{method}`"
    )


def _comparison_table(comparison, main):
    table = comparison.table
    importance = table["importance"]
    ranks = table["rank"]
    frame = pd.DataFrame(index=importance.index)
    for method in importance.columns:
        frame[method] = importance[method]
    for method in ranks.columns:
        frame[f"rank ({method})"] = ranks[method]
    if "permutation_std" in comparison:
        frame["permutation std"] = comparison.permutation_std.reindex(frame.index)
    if main in importance.columns:
        frame = frame.sort_values(main, ascending=False, kind="stable")
    return _frame_table(
        frame,
        index_name="feature",
        highlight=main if main in frame.columns else None,
        bars=list(importance.columns),
        caption="Each method's importances scaled to add up to 1 in absolute value (so "
        "methods with different units compare); `permutation std` is on the same scale.",
    )


def _correlation_text(comparison, main):
    corr = comparison.rank_correlation
    parts = []
    for other in corr.columns:
        if other == main or main not in corr.index:
            continue
        value = corr.loc[main, other]
        text = "undefined" if not np.isfinite(value) else f"{value:.2f}"
        parts.append(f"`{main}` vs `{other}`: {text}")
    if not parts:
        return ""
    return (
        "Spearman rank correlation over the features (1: same order, 0: unrelated, "
        "-1: reversed): " + "; ".join(parts) + "."
    )


def _disagreement_notes(results, main):
    """Features the main method ranks high although shuffling them costs nothing."""
    comparison = results.comparison
    if "permutation" not in comparison.raw or main not in comparison.table["rank"]:
        return []
    ranks = comparison.table["rank"][main]
    # The value the comparison table shows (each method scaled to add up to 1), so the
    # warning and the table quote one number.
    permutation = comparison.table["importance"]["permutation"]
    if np.ptp(comparison.raw[main].to_numpy()) == 0:
        return []  # every feature tied (e.g. no weight moved): nothing is ranked high
    top = max(1, len(ranks) // 3)
    notes = []
    for feature in ranks.sort_values(kind="stable").index:
        if ranks[feature] > top or permutation[feature] > 0:
            continue
        note = (
            f"`{feature}` is ranked {int(ranks[feature])} by `{main}`, yet shuffling it on the "
            f"test set does not lower the score (permutation importance "
            f"{permutation[feature]:.4g}, scaled as in the comparison table): its weights "
            "moved, but the model does not rely on it."
        )
        size = results.group_sizes.get(str(feature), 1)
        if size > 1:
            note += (
                f" It is a text column: its importance adds up the weights of its {size} "
                "one-hot columns, which favours columns with many categories."
            )
        notes.append(note)
    return notes


def _stability_words(value):
    if not np.isfinite(value):
        return "undefined (a fold gave every feature the same importance)"
    if value >= 0.8:
        return f"{value:.2f}: the folds agree on the order of the features"
    if value >= 0.5:
        return (
            f"{value:.2f}: the folds mostly agree; trust the top of the ranking more than "
            "its details"
        )
    return f"{value:.2f}: the folds disagree; do not read much into the ranking"


def _warnings(results):
    """The notes shown in the warning box at the top: what a reader should see first."""
    settings = results.settings
    main = settings.method
    stability = float(results.stability.stability)
    notes = list(results.notes)
    if results.test_score <= results.baseline_score:
        baseline = (
            "always predicting the mean (R² 0)"
            if results.task == "regression"
            else f"always predicting the most common class (accuracy {results.baseline_score:.3g})"
        )
        notes.append(
            f"The model scores no better than {baseline}: test {results.score_name} "
            f"{results.test_score:.3g}. It has not learned much, and importances of such a "
            "model say little. Try more --epochs or another --hidden-layer-sizes."
        )
    elif skill(results.test_score, results.baseline_score) < WEAK_SKILL:
        gap = (
            "R² below 0.5: the model explains less than half of the target's variance"
            if results.task == "regression"
            else "accuracy less than halfway from always predicting the most common class "
            f"({results.baseline_score:.3g}) to a perfect 1"
        )
        notes.append(
            f"Weak model: test {results.score_name} {results.test_score:.3g} ({gap}). "
            "Importances describe what this model learned, not the data itself; improve "
            "the score (more --epochs, another --hidden-layer-sizes, more rows) before "
            "reading much into them."
        )
    notes.extend(_disagreement_notes(results, main))
    if np.isfinite(stability) and stability < 0.5:
        notes.append(
            f"The importance ranking changes from fold to fold (stability {stability:.2f}); "
            "see the stability section before relying on it."
        )
    return notes


def _summary(results):
    """The headline cards."""
    settings = results.settings
    main = settings.method
    importance = results.importance
    top = str(importance.index[0]) if len(importance) else "–"
    stability = float(results.stability.stability)
    summary = [
        ("task", f"{results.task} of {results.target}"),
        (f"test {results.score_name}", _score(results.test_score)),
        (f"most important ({main})", top),
        *_permutation_top(results.comparison),
        (
            f"stability over {settings.cv} folds",
            f"{stability:.2f}" if np.isfinite(stability) else "undefined",
        ),
        ("rows (train / test)", f"{results.n_train} / {results.n_test}"),
    ]
    return summary


def _data_section(results):
    settings = results.settings
    data_items = [
        _key_values(
            [
                ("data", results.source),
                ("target", results.target),
                ("task", f"{results.task} ({results.task_reason})"),
                ("rows used", results.n_rows),
                ("train / test rows", f"{results.n_train} / {results.n_test}"),
                (
                    "numeric features (standardised)" if settings.data is not None else "features",
                    results.numeric,
                ),
                ("text features (one-hot encoded)", results.categorical),
                *_scaling_row(results.target_scaling),
                (f"test {results.score_name}", _score(results.test_score)),
                *((name, f"{value:.5g}") for name, value in results.extra_scores.items()),
                ("training time of the model", f"{results.fit_seconds:.1f} s"),
                (
                    "recorded weight history",
                    " x ".join(map(str, results.history_shape)) + " (epochs x columns x units)",
                ),
            ]
        )
    ]
    score_help = (
        "R² is 1 for perfect predictions and 0 for always predicting the mean"
        if results.task == "regression"
        else "accuracy is the share of test rows whose class is predicted right"
    )
    if results.extra_scores:
        score_help += (
            ". The notebook's accuracy (%) is the seed notebook's own score, kept to compare "
            "with it: each prediction is rounded, then min(y, prediction) / max(y, "
            "prediction) is averaged over the test rows, in percent (100 = every rounded "
            "prediction exact)"
        )
    if settings.data is None:
        split_text = "The seed notebook's split: its first 100 rows are the test set."
    else:
        split_text = (
            f"A random {settings.test_size:.0%} of the rows is held out as the test set"
            + (
                ", with the classes in the same proportions"
                if results.task == "classification"
                else ""
            )
            + "; the model never trains on it."
        )
    return Section(
        "data-and-model",
        "Data and model",
        f"{split_text} The score is measured on the test set: {score_help}. "
        "Importances describe this model, so a poor score means they describe a poor "
        "explanation of the data.",
        data_items,
    )


def _importance_section(results):
    main = results.settings.method
    importance = results.importance
    glossary = [(c, _COLUMN_HELP[c]) for c in importance.columns if c in _COLUMN_HELP]
    grouped_text = (
        " A text column is one row here: the numbers of its one-hot columns are added up "
        "(`final_mean_weight` is their mean), so a column with many categories collects "
        "more weight movement than a numeric column; check it against permutation "
        "importance below."
        if results.categorical
        else ""
    )
    return Section(
        "importance",
        "Feature importance",
        f"The main importance is the {_method_label(main)} of each feature, as a share "
        "that adds up to 1 over the features; the bar shows it. Rows are sorted by rank."
        f"{grouped_text} The weight plots below show where these numbers come from.",
        [
            _frame_table(
                importance, index_name="feature", highlight="importance", bars=["importance"]
            ),
            Table(
                columns=["meaning"],
                rows=[(column, [text]) for column, text in glossary],
                index_name="column",
                caption="What the columns mean",
                key_value=True,
            ),
        ],
    )


def _unit_note(results):
    if results.plot_units < results.n_units:
        return (
            f" Only the first {results.plot_units} of the {results.n_units} first-layer units "
            "are drawn."
        )
    return ""


def _weights_section(results):
    unit_note = _unit_note(results)
    column_note = (
        " The plots show the network's own input columns, so a text column appears once per "
        "category (`column_value`)."
        if results.categorical
        else ""
    )
    figures = results.figures
    return Section(
        "weights",
        "How the first-layer weights moved",
        "Every input column is connected to each unit of the network's first layer by a "
        "weight; the weights were recorded after every epoch. A feature whose weights "
        "moved more while the network learned is read as more important." + column_note + unit_note,
        [
            Image(
                figures["grouped_std"],
                "image/png",
                "Bar chart of the normalised grouped weight standard deviation per feature",
                "Grouped standard deviation: for each feature, the standard deviation over "
                "epochs of each of its weights, summed over the units and divided by the "
                "total. Taller bar = weights that moved more = more important.",
            ),
            Image(
                figures["box"],
                "image/png",
                "Box plot of every weight over the epochs",
                "Box plot of each weight over the epochs (`feature unit`). A tall box is a "
                "weight that travelled far; a flat line is one that hardly moved.",
            ),
            Image(
                figures["trajectory"],
                "image/png",
                "Line plot of every weight against the epoch, one panel per unit",
                "Trajectories: each weight against the epoch, one panel per unit. Lines "
                "that keep changing are features the network kept adjusting; lines that "
                "settle early stopped mattering to the loss.",
            ),
            Image(
                figures["density"],
                "image/png",
                "Fitted normal densities of each weight, one panel per unit",
                "Densities: a normal curve fitted to each weight's values over the "
                "epochs. A narrow, tall curve is a weight that stayed put; a wide, flat one "
                "moved. The dashed line is the barrage threshold.",
            ),
            Image(
                figures["barrage"],
                "image/png",
                "Horizontal bars of the barrage len metric per feature",
                "Barrage `len` (the seed notebook's measure): how many grid points of the "
                "fitted densities lie above the threshold, summed over units. It counts "
                "narrow, settled weights, so it is read the other way round: a shorter "
                "bar is a weight that moved more.",
            ),
        ],
    )


def _animation_section(results):
    unit_note = _unit_note(results)
    return Section(
        "animation",
        "Training, animated",
        "Each bar is one weight (`feature unit`); the frames follow the training, "
        f"one every {results.animation_step} epoch(s) ({results.animation_frames} frames, "
        "looping). Bars that swing are the weights that move most." + unit_note,
        [
            Image(
                results.animation,
                "image/gif",
                "Animated bar chart of the first-layer weights during training",
            )
        ],
    )


def _comparison_section(results):
    settings = results.settings
    main = settings.method
    figures = results.figures
    comparison = results.comparison
    comparison_items = [_comparison_table(comparison, main)]
    text = _correlation_text(comparison, main)
    if text:
        comparison_items.append(text)
    comparison_items.append(
        Image(
            figures["comparison"],
            "image/png",
            "Grouped bar chart of each importance method per feature",
            "Each method's importances side by side, every method scaled to add up to 1 in "
            "absolute value.",
        )
    )
    return Section(
        "comparison",
        "Comparison with permutation importance",
        "Permutation importance shuffles one feature at a time in the test set and "
        f"measures how much the test {results.score_name} drops ({settings.n_repeats} "
        "shuffles each; a text column is shuffled as a whole). It asks what the trained "
        "model relies on, while the weight trajectories tell what the network adjusted "
        "while learning. When both put the same features on top, the ranking is "
        "credible; a negative permutation value means shuffling did not hurt (noise).",
        comparison_items,
    )


def _stability_section(results):
    settings = results.settings
    figures = results.figures
    stability = float(results.stability.stability)
    cv = results.stability
    folds = pd.DataFrame(
        {f"test {results.score_name}": cv.test_scores, "fit time (s)": cv.fit_times},
        index=pd.Index([f"fold {k}" for k in range(1, len(cv.test_scores) + 1)]),
    )
    return Section(
        "stability",
        f"Stability across {settings.cv} folds",
        f"The training rows were split into {settings.cv} folds; a fresh network was "
        "trained on all but one fold each time, with its own random start. If the "
        "importances are a property of the data and not of one lucky training, every "
        "fold ranks the features alike: short boxes, `rank_best` close to "
        "`rank_worst`. The stability number is the mean Spearman correlation between "
        "the folds' rankings (1 = identical rankings, 0 = unrelated).",
        [
            f"Stability: {_stability_words(stability)}.",
            _frame_table(
                cv.summary,
                index_name="feature",
                highlight="importance_mean",
                bars=["importance_mean"],
                caption="Importance over the folds: mean, standard deviation, and the "
                "mean, best and worst rank.",
            ),
            Image(
                figures["stability"],
                "image/png",
                "Box plot of each feature's importance over the folds",
                "Each feature's importance in every fold (points) and their spread (box).",
            ),
            _frame_table(
                folds,
                index_name="fold",
                caption=f"Test {results.score_name} of each fold's network on its held-out fold.",
            ),
        ],
    )


def _configuration_section(results):
    settings = results.settings
    main = settings.method
    config = [
        ("command", settings.command or "–"),
        ("data", results.source),
        ("target", results.target),
        ("task", settings.task),
        ("importance method", main),
        ("cross-validation folds", settings.cv),
        ("random state", settings.random_state),
    ]
    if settings.data is not None:
        config += [("test size", settings.test_size), ("impute missing values", settings.impute)]
    config += [("permutation repeats", settings.n_repeats)]
    config += [(f"network: {k}", v) for k, v in results.model_params.items()]
    config += [("total run time", f"{results.total_seconds:.1f} s")]
    return Section(
        "configuration",
        "Configuration and versions",
        "Everything needed to rerun this report: the command, the settings it resolved "
        "to, and the versions of the libraries that computed it. The same command with "
        "the same versions gives the same numbers on the same machine.",
        [
            _key_values(config, caption="Run configuration"),
            _key_values(results.versions.items(), caption="Library versions"),
        ],
    )


def build_document(results):
    """Describe ``results`` as a :class:`~skweightimp._report.report_html.Document`.

    Pure text work: no training, no drawing; its input comes from :func:`run_report`.
    What each section of the page shows is explained in the report guide,
    :doc:`/report` (``docs/report.rst``).

    Parameters
    ----------
    results : ReportResults
        What :func:`run_report` returned.

    Returns
    -------
    Document
        The page, for :func:`~skweightimp._report.report_html.render_html`.

    Examples
    --------
    >>> from skweightimp._report.report import ReportSettings, build_document, run_report
    >>> from skweightimp._report.report_html import render_html
    >>> results = run_report(ReportSettings(epochs=3, cv=2, n_repeats=1))
    >>> document = build_document(results)
    >>> document.title
    'skweightimp report: built-in example'
    >>> [section.id for section in document.sections]
    ['data-and-model', 'importance', 'weights', 'animation', 'comparison', 'stability',
     'configuration']
    >>> dict(document.summary)["rows (train / test)"]
    '900 / 100'
    >>> page = render_html(document)
    >>> page.startswith("<!DOCTYPE html>"), '<section id="stability">' in page
    (True, True)
    """
    settings = results.settings
    source_name = "built-in example" if settings.data is None else os.path.basename(results.source)
    sections = [
        _data_section(results),
        _importance_section(results),
        _weights_section(results),
        _animation_section(results),
        _comparison_section(results),
        _stability_section(results),
        _configuration_section(results),
    ]
    from .. import __version__

    return Document(
        title=f"skweightimp report: {source_name}",
        subtitle=(
            f"Feature importance read from a neural network's own training — {results.task} "
            f"of `{results.target}`, {results.n_rows} rows, "
            f"{time.strftime('%Y-%m-%d %H:%M')}."
        ),
        summary=_summary(results),
        notes=_warnings(results),
        sections=sections,
        footer=f"Made by skweightimp {__version__} (`skweightimp report`). Self-contained "
        "page: no script, nothing loaded from the network.",
    )


def write_report(settings, out, *, log=None, progress=None, interrupt=None):
    """Run the analysis and write the HTML report to ``out`` atomically.

    The output path is checked before anything is trained. Parameters are those of
    :func:`run_report`. Returns the :class:`ReportResults`.

    Examples
    --------
    >>> import os, tempfile
    >>> from skweightimp._report.report import ReportSettings, write_report
    >>> settings = ReportSettings(epochs=3, cv=2, n_repeats=1)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = os.path.join(folder, "report.html")
    ...     results = write_report(settings, out)
    ...     with open(out, encoding="utf-8") as page:
    ...         html = page.read()
    >>> results.n_test, "<title>skweightimp report: built-in example</title>" in html
    (100, True)

    A folder that does not exist fails at once, before training:

    >>> write_report(settings, os.path.join("no", "such", "folder", "report.html"))
    Traceback (most recent call last):
    ...
    skweightimp._report.errors.ReportError: ...
    """
    from .output import check_output_path, same_file, write_atomic
    from .report_html import render_html

    _check_settings(settings)
    if settings.data is not None and same_file(out, settings.data):
        raise UsageError(
            f"--out {os.fspath(out)!r} is the data file {os.fspath(settings.data)!r}: the report "
            "would replace it; choose another --out"
        )
    check_output_path(out)
    results = run_report(settings, log=log, progress=progress, interrupt=interrupt)
    page = render_html(build_document(results))
    if interrupt is not None:
        interrupt.check()
    write_atomic(out, page)
    return results
