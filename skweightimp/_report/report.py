"""The analysis behind ``skweightimp report``: train, inspect and draw.

:func:`run_report` takes :class:`ReportSettings` and returns :class:`ReportResults`, plain
data (DataFrames, numbers, PNG and GIF bytes); :mod:`skweightimp._report.document`
describes them as a page and :mod:`skweightimp._report.report_html` renders it. This
module owns no math: the importances come from the estimators and
:mod:`skweightimp.inspection`, the pictures from the Display classes.

Without a data file the analysis is the seed notebook's complete example: its synthetic
data (:func:`~skweightimp.datasets.make_seed_regression`), its network
(``skweightimp.datasets.SEED_MODEL_PARAMS``, 500 epochs), its first 100 rows as the
test set, its unscaled inputs.

The module holds, in this order: the settings and the results; the checks that refuse
every mistake in the settings before anything trains; the data (the built-in example,
or a CSV file read, split and encoded by :mod:`skweightimp._report.tabular`); the
model; the pictures; then :func:`run_report` and its steps, as it calls them (train
the model, its cross-validation folds and the noise test, score it on the test set,
draw, assemble the results); last :func:`write_report`, which adds the page.
"""

import contextlib
import io
import math
import os
import platform
import time
import warnings
from dataclasses import dataclass, field
from importlib import metadata
from typing import NamedTuple

import pandas as pd

from .errors import UsageError
from .recommendation import RECOMMENDED_GROUP_SCORE, RECOMMENDED_L1, RECOMMENDED_METHOD

__all__ = [
    "DEFAULT_CV",
    "MAX_FRAMES",
    "MAX_PLOT_UNITS",
    "RANKING_TOP_K",
    "SIGNIFICANCE_ALPHA",
    "SIGNIFICANCE_ROWS",
    "default_significance_rounds",
    "importance_methods",
    "library_versions",
    "ReportResults",
    "ReportSettings",
    "run_report",
    "write_report",
]

#: Cross-validation folds of the stability section unless ``--cv`` says otherwise.
DEFAULT_CV = 3

#: Error rate of the noise test's decisions: the expected share of noise among the confirmed
#: features (Benjamini-Hochberg's correction, the test's default).
SIGNIFICANCE_ALPHA = 0.05
#: Rows each round of the noise test trains on (a sample of its own) unless
#: ``--significance-rows`` says otherwise: past them the test's decisions on
#: bench_mixed's Friedman case no longer changed while its cost kept growing with the
#: rows (docs/scaling.rst).
SIGNIFICANCE_ROWS = 3_000

# The animation keeps at most this many frames (a 500-epoch run is drawn every 9th epoch).
MAX_FRAMES = 60
# Plots that draw every (feature, unit) weight show at most this many first-layer units.
MAX_PLOT_UNITS = 8

#: Places of the ranking whose settling the ranking section reports (the whole ranking
#: when there are fewer features).
RANKING_TOP_K = 5

_DPI = 90
_GIF_DPI = 72
_GIF_FPS = 8


@dataclass
class ReportSettings:
    """What ``skweightimp report`` was asked to do (the command-line options).

    ``None`` for ``epochs``, ``hidden_layer_sizes`` means the default of the data: the
    seed notebook's settings for the built-in example, the estimator's defaults for a CSV.
    ``significance=None`` means the fewest rounds of the noise test that can confirm a
    feature (:func:`default_significance_rounds`), 0 no test; ``significance_rows`` the
    rows each round trains on (a sample of its own; 0 all of them); ``l1`` is the
    estimators' ``first_layer_l1``. Pass it to :func:`write_report` (or :func:`run_report`). The
    options, what the report shows and how to read it are described in the report
    guide, :doc:`/report` (``docs/report.rst``), and by ``skweightimp report --help``.

    Examples
    --------
    >>> import dataclasses
    >>> from skweightimp._report.report import ReportSettings
    >>> settings = ReportSettings(data="houses.csv", target="price", epochs=50, method="olden")
    >>> settings.task, settings.cv, settings.test_size, settings.hidden_layer_sizes
    ('auto', 3, 0.2, None)
    >>> ReportSettings().method, ReportSettings().significance, ReportSettings().l1
    ('gradient', None, 0.01)
    >>> dataclasses.replace(settings, cv=5).cv
    5
    """

    data: str = None
    target: str = None
    task: str = "auto"
    epochs: int = None
    hidden_layer_sizes: tuple = None
    cv: int = DEFAULT_CV
    method: str = RECOMMENDED_METHOD
    random_state: int = 0
    test_size: float = 0.2
    impute: bool = False
    n_repeats: int = 5
    command: str = ""
    sep: str = None
    significance: int = None
    significance_rows: int = SIGNIFICANCE_ROWS
    l1: float = RECOMMENDED_L1


@dataclass
class ReportResults:
    """Everything the report shows, as plain data.

    Returned by :func:`run_report` (and :func:`write_report`) and turned into the page by
    :func:`~skweightimp._report.document.build_document`. The options, what the report
    shows and how to read it are described in the report guide, :doc:`/report`
    (``docs/report.rst``), and by ``skweightimp report --help``.

    Examples
    --------
    The built-in example (the seed notebook's data and network), trained briefly, with
    two rounds of the noise test (too few to confirm any of its 4 features: that takes 7):

    >>> from skweightimp._report.report import ReportSettings, run_report
    >>> results = run_report(ReportSettings(epochs=3, cv=2, n_repeats=1, significance=2))
    >>> results.task, results.target, results.n_train, results.n_test
    ('regression', 'ys', 900, 100)
    >>> results.history_shape  # epochs x input columns x first-layer units
    (3, 4, 4)
    >>> sorted(results.importance.index), list(results.importance.columns[:3])
    (['cs', 'ms', 'noise', 'xs'], ['importance', 'rank', 'weight_std'])
    >>> float(results.importance["importance"].sum())
    1.0
    >>> len(results.stability.test_scores), results.comparison.raw.columns.tolist()
    (2, ['weight_std', 'viann', 'displacement', 'garson', 'olden', 'gradient', 'permutation'])
    >>> sorted(results.figures)
    ['barrage', 'box', 'comparison', 'density', 'grouped_std', 'interactions', 'ranking',
     'stability', 'trajectory']
    >>> results.interactions.columns.tolist()  # the pairs, tested on the noise test's rounds
    ['strength', 'noise_units', 'pvalue', 'pvalue_uncorrected', 'decision']
    >>> results.figures["box"][:4], results.animation[:6]  # PNG and GIF bytes
    (b'\x89PNG', b'GIF89a')
    >>> results.settings.method, results.significance_rounds
    ('gradient', 2)
    >>> results.significance.summary.columns.tolist(), set(results.significance.decision)
    (['score', 'hits', 'pvalue', 'decision', 'disagreement'], {'tentative'})
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
    significance: object = None
    significance_rounds: int = 0
    ranking_settled: object = None
    ranking_top_k: int = 0
    ranking_method: str = None
    stage_seconds: dict = field(default_factory=dict)
    interactions: pd.DataFrame = None

    @property
    def fit_seconds(self):
        """Seconds the model it reports on took to train (its stage of the run)."""
        return self.stage_seconds.get("model", 0.0)

    @property
    def significance_seconds(self):
        """Seconds the noise test took (0 when it was off)."""
        return self.stage_seconds.get("noise test", 0.0)


def importance_methods():
    """The importance methods the estimators accept, the default first.

    Examples
    --------
    >>> from skweightimp._report.report import importance_methods
    >>> methods = importance_methods()
    >>> methods[0], sorted(methods)
    ('weight_std', ['displacement', 'garson', 'gradient', 'olden', 'viann', 'weight_std'])
    """
    from ..importance._methods import IMPORTANCE_METHODS

    return tuple(IMPORTANCE_METHODS)


def default_significance_rounds(n_features, alpha=SIGNIFICANCE_ALPHA):
    """The fewest rounds of the noise test that can confirm a feature: ``--significance``'s
    default.

    The test compares a feature's mean score with the scores of every shuffled copy in
    every round, ``n * n_features`` draws, so its smallest p-value is
    ``1 / (1 + n * n_features)``, and the correction compares it with
    ``alpha / n_features`` for a feature that stands out alone: ``n`` of about
    ``1 / alpha``, whatever the number of features. Fewer rounds cannot confirm a feature
    on its own; more give more power and cost one fit each (the rounds train together as
    replicas of one network when they can).

    Examples
    --------
    >>> from skweightimp._report.report import default_significance_rounds
    >>> default_significance_rounds(4), default_significance_rounds(6)  # 4: built-in example
    (20, 20)
    >>> default_significance_rounds(7), default_significance_rounds(100)
    (20, 20)
    """
    from ..inspection._significance import rounds_needed

    return max(1, rounds_needed("shadow", n_features, alpha))


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
    from ..utils._backend import BACKEND

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
    """Refuse every mistake in the settings, before anything is read or trained."""
    _check_numbers(settings)
    _check_layers(settings)
    _check_data_options(settings)


def _check_numbers(settings):
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
    if settings.significance is not None and settings.significance < 0:
        raise UsageError(
            f"--significance must be at least 0 (0 turns the noise test off); got "
            f"{settings.significance}"
        )
    if settings.significance_rows < 0:
        raise UsageError(
            f"--significance-rows must be at least 0 (0: every training row); got "
            f"{settings.significance_rows}"
        )
    if not 0 <= settings.l1 < math.inf:  # also refuses NaN
        raise UsageError(f"--l1 must be a number of at least 0; got {settings.l1}")
    if not 0 < settings.test_size < 1:
        raise UsageError(f"--test-size must be between 0 and 1; got {settings.test_size}")


def _check_layers(settings):
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


def _check_data_options(settings):
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
    """The data of the run: the built-in example without a data file, else the CSV file's."""
    if settings.data is None:
        return _seed_example_data(settings)
    return _csv_data(settings)


def _seed_example_data(settings):
    """The seed notebook's data: 1000 synthetic rows, the first 100 the test set."""
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


def _csv_data(settings):
    """The CSV file's rows, checked, split into training and test rows, the target of a
    regression standardised, with the preprocessing of the features."""
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

    from ..estimators._estimators import WeightTrajectoryClassifier, WeightTrajectoryRegressor

    cls = WeightTrajectoryClassifier if data.task == "classification" else WeightTrajectoryRegressor
    estimator = cls(
        **_model_params(settings, data),
        first_layer_l1=settings.l1,
        group_score=RECOMMENDED_GROUP_SCORE,
        random_state=settings.random_state,
        callbacks=list(callbacks) or None,
    )
    # The ranking section draws a path over training (see ranking_method): Garson's and
    # Olden's methods read every layer's kernels, so those are kept per epoch (a few KB).
    estimator.set_params(
        importance_method=settings.method,
        record_all_kernels=ranking_method(settings.method) in ("garson", "olden"),
    )
    if data.preprocessor is None:
        return estimator
    return make_pipeline(clone(data.preprocessor), estimator)


def ranking_method(method):
    """The method whose path over training the ranking section draws.

    The headline method itself when it has a path; the gradient reads the trained network
    once, so the section follows Olden's connection weights, the weight method that was
    closest to the reference on real data (docs/accuracy.rst), and says so.

    >>> from skweightimp._report.report import ranking_method
    >>> ranking_method("weight_std"), ranking_method("gradient")
    ('weight_std', 'olden')
    """
    return "olden" if method == "gradient" else method


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
        "first_layer_l1",
        "random_state",
        "importance_method",
    )
    params = est.get_params()
    out = {key: params[key] for key in keys if key in params}
    # The compiled model's loss: the estimator's default when it was given none.
    out["loss"] = getattr(est, "loss", None) or est.model_.loss
    return out


def _grouped_importance(model):
    """The importance report with one-hot columns summed back into their source column,
    and the number of network columns behind each feature."""
    from ..importance._groups import grouped_report, resolve_feature_groups

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
    return grouped_report(report, members, group_names, group_score=RECOMMENDED_GROUP_SCORE), sizes


def _interaction_table(model, significance):
    """The pairs of features by interaction strength: the noise test's pair test when it
    ran, else the NID strengths of the model alone; None for a model NID cannot read."""
    if significance is not None and significance.get("interactions") is not None:
        return significance.interactions
    from ..importance._groups import resolve_feature_groups
    from ..importance._interactions import aggregate_interactions, interaction_pairs

    try:
        scores = _final(model).interaction_scores()
    except ValueError:  # a model= that is no stack of Dense layers
        return None
    if hasattr(model, "steps") and len(model.steps) > 1:
        names = [str(n) for n in model[:-1].get_feature_names_out()]
        group_names, members = resolve_feature_groups(names, "auto", preprocessor=model[:-1])
        strength = aggregate_interactions(
            scores.to_numpy(), members, group_score=RECOMMENDED_GROUP_SCORE
        )
        scores = pd.DataFrame(strength, index=group_names, columns=group_names)
    return interaction_pairs(scores).rename("strength").to_frame()


def _interaction_figure(table):
    """The strongest pairs as bars (coloured by the noise test's decisions), PNG bytes."""
    from ..importance._plot.interactions import InteractionDisplay

    # The pairs were listed in the network's column order: the k-th column is the second
    # member of k pairs, which puts the names back in that order.
    seconds = pd.Series([b for _, b in table.index]).value_counts()
    names = sorted({name for pair in table.index for name in pair}, key=lambda n: seconds.get(n, 0))
    square = pd.DataFrame(0.0, index=names, columns=names)
    for (a, b), strength in table["strength"].items():
        square.loc[a, b] = square.loc[b, a] = strength
    decision = table["decision"] if "decision" in table else None
    display = InteractionDisplay.from_scores(square, method="nid", decision=decision, kind="pairs")
    return _png(display.figure_)


# ---------------------------------------------------------------------- figures


def _png(figure):
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=_DPI)
    plt.close(figure)
    return buffer.getvalue()


def _draw_figures(model, comparison, stability, n_units):
    """The report's pictures as PNG bytes by name, the trajectory and ranking displays.

    One display per picture, each built once from the estimator (or the inspection
    results) in its family; the trajectory display also makes the animation
    (:func:`_animation`), so nothing is computed or drawn twice.
    """
    from ..importance._plot.ranking import ImportancePathDisplay
    from ..inspection._plot.comparison import (
        ImportanceComparisonDisplay,
        ImportanceStabilityDisplay,
    )
    from ..plotting._bars import WeightBarDisplay
    from ..plotting._distributions import WeightDistributionDisplay
    from ..plotting._evolution import WeightEvolutionDisplay

    units = list(range(min(n_units, MAX_PLOT_UNITS)))
    figures = {}
    display = WeightBarDisplay.from_estimator(model, kind="grouped_std", normalize=True)
    figures["grouped_std"] = _png(display.figure_)
    display = WeightDistributionDisplay.from_estimator(model, kind="box", units=units)
    figures["box"] = _png(display.figure_)
    trajectories = WeightEvolutionDisplay.from_estimator(model, units=units)
    figures["trajectory"] = _png(trajectories.figure_)
    display = WeightDistributionDisplay.from_estimator(model, kind="density", units=units)
    figures["density"] = _png(display.figure_)
    display = WeightBarDisplay.from_estimator(model, kind="barrage", metric="len")
    figures["barrage"] = _png(display.figure_)
    display = ImportanceComparisonDisplay.from_comparison(comparison, kind="bar")
    figures["comparison"] = _png(display.figure_)
    display = ImportanceStabilityDisplay.from_cv_results(stability, kind="box")
    figures["stability"] = _png(display.figure_)
    method = ranking_method(_final(model).importance_method)
    ranking = ImportancePathDisplay.from_estimator(model, method=method, top_k=RANKING_TOP_K)
    figures["ranking"] = _png(ranking.figure_)
    return figures, trajectories, ranking


def _settled_epoch(ranking):
    """The epoch from which the top places never changed, or None when they changed at
    the last epoch (the ranking had not settled)."""
    index = ranking.ranks.index
    if len(index) > 1 and ranking.settled == index[-1]:
        return None
    return int(ranking.settled)


def _animation(trajectories):
    """GIF bytes of the weights' animated bars, with the number of frames and the step
    between them (at most ``MAX_FRAMES`` frames)."""
    import matplotlib.pyplot as plt

    n_snapshots = trajectories.weights.shape[0]
    step = max(1, math.ceil(n_snapshots / (MAX_FRAMES - 1)))
    gif = trajectories.to_gif(step=step, interval=1000 // _GIF_FPS, dpi=_GIF_DPI)
    plt.close(trajectories.figure_)
    frames = len(range(0, n_snapshots, step)) + (0 if (n_snapshots - 1) % step == 0 else 1)
    return gif, frames, step


# ---------------------------------------------------------------------- the run


@contextlib.contextmanager
def _stage(stages, name):
    """Add the seconds spent in the block to ``stages[name]`` (the run's profile)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        stages[name] = stages.get(name, 0.0) + time.perf_counter() - start


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
    in seconds; the analysis itself trains ``1 + cv + significance`` networks (the model,
    one per fold, one per round of the noise test; the folds together, and the rounds
    together, as replicas of one Keras model each) and takes about half a minute on the
    built-in example (2 quiet cores). The options, what the
    report shows and how to read it are described in the report guide, :doc:`/report`
    (``docs/report.rst``), and by ``skweightimp report --help``.

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
    ...     target="price", epochs=3, hidden_layer_sizes=(4,), cv=2, n_repeats=1,
    ...     significance=1,
    ... )
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     settings.data = os.path.join(folder, "houses.csv")
    ...     houses.to_csv(settings.data, index=False)
    ...     results = run_report(settings, log=print)
    Training on 48 rows (3 epochs), then 2 cross-validation folds and 1 round of the
    noise test...
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
    stages = {}
    _check_settings(settings)
    data = _load_data_noting_warnings(settings, stages)
    check()
    methods = importance_methods()
    check()
    if settings.method not in methods:
        raise UsageError(
            f"--method {settings.method!r} is not available; choose from {', '.join(methods)}"
        )
    plan = _plan_training(settings, data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        log(_training_message(len(data.X_train), plan, settings.cv))
        trained = _train(settings, data, plan, stages, progress, interrupt, check)
        check()
        log("Comparing with permutation importance on the test set...")
        tested = _score_on_test_rows(trained.model, data, settings, stages)
        grouped = _importance_table(trained.model)
        interactions = _interaction_table(trained.model, trained.significance)
        check()
        log("Drawing the plots and the animation...")
        pictures = _draw(trained.model, tested.comparison, trained.stability, interactions, stages)
    notes = list(data.notes) + _note_warnings(caught)
    return _assemble_results(
        settings,
        data,
        plan,
        trained,
        tested,
        grouped,
        interactions,
        pictures,
        notes,
        start,
        stages,
    )


def _load_data_noting_warnings(settings, stages):
    """:func:`_load_data`, with our own warnings on the way added to the data's notes."""
    with warnings.catch_warnings(record=True) as caught, _stage(stages, "load"):
        # Bad data is a ReportError naming the column; a library's warning on the way
        # (pandas, NumPy) is not printed under it.
        warnings.simplefilter("always")
        data = _load_data(settings)
    data.notes.extend(note for note in _note_warnings(caught) if note not in data.notes)
    return data


class _Plan(NamedTuple):
    """What the run trains: each network's epochs, the rounds of the noise test, the
    progress bar's label of every network, and the splitter of the folds."""

    epochs: int
    rounds: int
    labels: list
    splitter: object


def _plan_training(settings, data):
    """The :class:`_Plan` of the run."""
    from sklearn.model_selection import KFold, StratifiedKFold

    # The analysis, and Keras with it (seconds), loads here: before the progress bar
    # starts and the run records warnings.
    from ..inspection import _cross_validation  # noqa: F401

    params = _model_params(settings, data)
    epochs = params.get("epochs") or _default_epochs()
    n_features = len(data.numeric) + len(data.categorical)
    rounds = (
        default_significance_rounds(n_features)
        if settings.significance is None
        else settings.significance
    )
    labels = [
        "model",
        *(f"fold {k}/{settings.cv}" for k in range(1, settings.cv + 1)),
        *(f"noise {k}/{rounds}" for k in range(1, rounds + 1)),
    ]
    splitter_class = StratifiedKFold if data.task == "classification" else KFold
    splitter = splitter_class(
        n_splits=settings.cv, shuffle=True, random_state=settings.random_state
    )
    return _Plan(epochs, rounds, labels, splitter)


def _training_message(n_train, plan, cv):
    """What the run is about to train, for the log."""
    rounds = plan.rounds
    return (
        f"Training on {n_train} rows ({plan.epochs} epochs), then {cv} "
        "cross-validation folds"
        + (f" and {rounds} round{'s' * (rounds > 1)} of the noise test" if rounds else "")
        + "..."
    )


class _Trained(NamedTuple):
    """The model, the stability over its folds, the noise test's result (or None)."""

    model: object
    stability: object
    significance: object


def _train(settings, data, plan, stages, progress, interrupt, check):
    """Train the model, its cross-validation folds and the noise test's rounds (None when
    the test is off), advancing one progress bar over the epochs of them all."""
    from sklearn.base import clone

    bar = None
    try:
        if progress is not None:
            bar = progress(plan.epochs * len(plan.labels))  # network-epochs
        callbacks = _fit_callbacks(progress, bar, interrupt, plan.labels)
        model = _build_model(settings, data, callbacks)
        with _stage(stages, "model"):
            model.fit(data.X_train, data.y_train)
        stability = _cross_validate(model, data, settings, plan.splitter, stages)
        significance = None
        if plan.rounds:
            check()
            with _stage(stages, "noise test"):
                significance = _noise_test(clone(model), data, settings, plan.rounds)
    finally:
        if bar is not None:
            bar.close()
    return _Trained(model, stability, significance)


def _fit_callbacks(progress, bar, interrupt, labels):
    """The Keras callbacks of every fit: the progress bar's, the Ctrl-C check's."""
    from .interrupt import interrupt_callback
    from .progress import epoch_callback

    callbacks = []
    if progress is not None:
        callbacks.append(epoch_callback(bar, labels))
    if interrupt is not None:
        callbacks.append(interrupt_callback(interrupt))
    return callbacks


def _cross_validate(model, data, settings, splitter, stages):
    """The stability of the importances over the training rows' folds."""
    from sklearn.base import clone

    from ..inspection._cross_validation import cross_validate_importances

    # Only the model's ranking section reads every layer's kernels over
    # training; without them the folds can train as replicas of one model.
    fold_model = clone(model)
    _final(fold_model).set_params(record_all_kernels=False)
    with _stage(stages, "folds"):
        return cross_validate_importances(
            fold_model,
            data.X_train,
            data.y_train,
            cv=splitter,
            feature_groups="auto",
            group_score=RECOMMENDED_GROUP_SCORE,
            n_repeats=settings.n_repeats,
            random_state=settings.random_state,
            replicas="auto",
            n_jobs=-1,  # groups of folds on every core
        )


class _TestResults(NamedTuple):
    """The model's scores on the test rows and its comparison with other methods there."""

    test_score: float
    baseline: float
    extra_scores: dict
    comparison: object


def _score_on_test_rows(model, data, settings, stages):
    """The model's scores on the test rows and its comparison with permutation importance
    there."""
    from ..inspection._cross_validation import compare_importances

    with _stage(stages, "test score, permutation"):
        test_score, baseline, extra_scores = _test_scores(model, data)
        comparison = compare_importances(
            model,
            data.X_test,
            data.y_test,
            feature_groups="auto",
            group_score=RECOMMENDED_GROUP_SCORE,
            n_repeats=settings.n_repeats,
            random_state=settings.random_state,
        )
    return _TestResults(test_score, baseline, extra_scores, comparison)


def _importance_table(model):
    """The importance report by feature of the data, most important first, and the
    number of network columns behind each feature."""
    importance, group_sizes = _grouped_importance(model)
    importance = importance.sort_values(["rank", "importance"], ascending=[True, False])
    return importance, group_sizes


class _Pictures(NamedTuple):
    """The pictures as PNG bytes by name, the ranking display, the animation's GIF bytes,
    frames and step, and the number of first-layer units."""

    figures: dict
    ranking: object
    animation: bytes
    frames: int
    step: int
    n_units: int


def _draw(model, comparison, stability, interactions, stages):
    """The report's pictures and the animation of the weights."""
    n_units = _final(model).weight_history_.shape[2]
    with _stage(stages, "plots"):
        figures, trajectories, ranking = _draw_figures(model, comparison, stability, n_units)
        if interactions is not None and len(interactions):
            figures["interactions"] = _interaction_figure(interactions)
    with _stage(stages, "animation"):
        animation, frames, step = _animation(trajectories)
    return _Pictures(figures, ranking, animation, frames, step, n_units)


def _assemble_results(
    settings, data, plan, trained, tested, grouped, interactions, pictures, notes, start, stages
):
    """The :class:`ReportResults` of the run, from the results of its steps."""
    importance, group_sizes = grouped
    model, ranking = trained.model, pictures.ranking
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
        test_score=tested.test_score,
        baseline_score=tested.baseline,
        extra_scores=tested.extra_scores,
        history_shape=tuple(_final(model).weight_history_.shape),
        importance=importance,
        comparison=tested.comparison,
        stability=trained.stability,
        figures=pictures.figures,
        animation=pictures.animation,
        animation_frames=pictures.frames,
        animation_step=pictures.step,
        ranking_settled=_settled_epoch(ranking),
        ranking_top_k=ranking.top_k,
        ranking_method=ranking_method(settings.method),
        notes=notes,
        versions=library_versions(),
        total_seconds=time.perf_counter() - start,
        plot_units=min(pictures.n_units, MAX_PLOT_UNITS),
        n_units=pictures.n_units,
        group_sizes=group_sizes,
        target_scaling=data.target_scaling,
        significance=trained.significance,
        significance_rounds=plan.rounds,
        stage_seconds=stages,
        interactions=interactions,
    )


def _test_scores(model, data):
    """The model's score on the test rows, what predicting without the features scores
    there (the mean, R² 0, or the most common class), and the seed notebook's own metric
    on the built-in example."""
    test_score = float(model.score(data.X_test, data.y_test))
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
    return test_score, baseline, extra_scores


def _noise_test(model, data, settings, rounds):
    """The shadow-feature test of every feature, with the headline method's decisions."""
    from ..inspection._cross_validation import importance_significance

    with warnings.catch_warnings():
        # Too few rounds to confirm anything: the page says so in the command's terms.
        warnings.filterwarnings("ignore", message="With null=", category=UserWarning)
        return importance_significance(
            model,
            data.X_train,
            data.y_train,
            method=settings.method,
            null="shadow",
            n_rounds=rounds,
            alpha=SIGNIFICANCE_ALPHA,
            feature_groups="auto",
            group_score=RECOMMENDED_GROUP_SCORE,
            random_state=settings.random_state,
            n_jobs=-1,  # groups of rounds on every core
            max_samples=settings.significance_rows or None,
        )


def _default_epochs():
    from ..estimators._estimators import WeightTrajectoryRegressor

    return WeightTrajectoryRegressor().epochs


def write_report(settings, out, *, log=None, progress=None, interrupt=None):
    """Run the analysis and write the HTML report to ``out`` atomically.

    The output path is checked before anything is trained. Parameters are those of
    :func:`run_report`. Returns the :class:`ReportResults`.

    Examples
    --------
    >>> import os, tempfile
    >>> from skweightimp._report.report import ReportSettings, write_report
    >>> settings = ReportSettings(epochs=3, cv=2, n_repeats=1, significance=0)
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
    from .document import build_document
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
    with _stage(results.stage_seconds, "page"):
        page = render_html(build_document(results))
    if interrupt is not None:
        interrupt.check()
    write_atomic(out, page)
    return results
