"""Command line: ``skweightimp`` / ``python -m skweightimp``.

With no arguments it reruns the seed notebook's complete example with the library: the
notebook's synthetic data, its network (4 linear units, Adam 0.01, MSE, 500 epochs), its
100-row test set and its accuracy measure, then prints the importance report.

``skweightimp report [DATA.csv --target COLUMN] [options]`` writes a self-contained HTML
report instead (see :mod:`skweightimp._report.report`). This module only parses the arguments and
turns errors into exit statuses: 0 success, 1 bad data or output path or a failed run,
2 bad command-line options, 130 interrupted (Ctrl-C).
"""

import argparse
import os
import shutil
import sys
import time

__all__ = ["main", "report_main", "run_seed_example"]

_PROG = "skweightimp"


def _parser():
    parser = argparse.ArgumentParser(
        prog="skweightimp",
        description=(
            "Rerun the seed notebook's example: train a small Keras network on the "
            "notebook's synthetic data (ys = ms * xs + cs, plus a noise column), record "
            "its first-layer weights after every epoch and print the feature importances "
            "read from them."
        ),
        epilog=(
            "For an HTML report (plots, animation, comparison with permutation importance, "
            "stability across folds) on the built-in example or your own CSV file, run "
            "'skweightimp report --help'."
        ),
    )
    parser.add_argument(
        "--epochs", type=int, default=500, help="training epochs (default: 500, the notebook's)"
    )
    parser.add_argument(
        "--n-samples", type=int, default=1000, help="rows of synthetic data (default: 1000)"
    )
    parser.add_argument(
        "--random-state", type=int, default=0, help="seed of the data and the network (default: 0)"
    )
    parser.add_argument(
        "--scale",
        action="store_true",
        help="standardise the features first (the notebook does not; see the docs)",
    )
    parser.add_argument("--verbose", action="store_true", help="show Keras' progress bar per epoch")
    return parser


def _positive(parser, name, value, minimum=1):
    if value < minimum:
        parser.error(f"{name} must be at least {minimum}; got {value}")


def run_seed_example(
    *, epochs=500, n_samples=1000, random_state=0, scale=False, verbose=False, out=None
):
    """Train the seed notebook's model with the library and print what it finds.

    Parameters
    ----------
    epochs : int, default=500
        Training epochs.
    n_samples : int, default=1000
        Rows of synthetic data; the first 100 are the test set.
    random_state : int, default=0
        Seed of the data and of the network.
    scale : bool, default=False
        Put a ``StandardScaler`` before the network.
    verbose : bool, default=False
        Show Keras' progress bar.
    out : file-like, default=None
        Where to print; standard output when None.

    Returns
    -------
    dict
        ``estimator`` (the fitted regressor), ``accuracy`` (the notebook's percentage),
        ``r2`` and ``report`` (the importance report).

    Examples
    --------
    A few epochs on standardised features, the printout kept out of the way:

    >>> import io
    >>> from skweightimp._report.cli import run_seed_example
    >>> printed = io.StringIO()
    >>> result = run_seed_example(epochs=3, scale=True, out=printed)
    >>> result["estimator"].weight_history_.shape  # epochs x features x units
    (3, 4, 4)
    >>> list(result["report"].index)
    ['ms', 'xs', 'cs', 'noise']

    Standardised, the constant columns ``ms`` and ``cs`` are all zeros, so their weights
    never move and get no importance:

    >>> result["report"].loc[["ms", "cs"], "importance"].tolist()
    [0.0, 0.0]
    >>> print(printed.getvalue())
    Training 4 linear units (Adam 0.01, MSE, batch 32) for 3 epochs on 900 rows (standardised)...
    ...
    Most important feature: ...
    """
    from sklearn.metrics import r2_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from ..datasets import SEED_MODEL_PARAMS, SEED_TEST_ROWS, make_seed_regression
    from ..estimators._estimators import WeightTrajectoryRegressor
    from ..metrics import ratio_accuracy_score

    out = sys.stdout if out is None else out
    X, y = make_seed_regression(n_samples, random_state=random_state)
    X_test, y_test = X.iloc[:SEED_TEST_ROWS], y.iloc[:SEED_TEST_ROWS]
    X_train, y_train = X.iloc[SEED_TEST_ROWS:], y.iloc[SEED_TEST_ROWS:]

    regressor = WeightTrajectoryRegressor(
        **{**SEED_MODEL_PARAMS, "epochs": epochs},
        random_state=random_state,
        verbose=1 if verbose else 0,
    )
    # pandas output keeps the column names, so the report still says ms, xs, cs, noise.
    scaler = StandardScaler().set_output(transform="pandas")
    model = make_pipeline(scaler, regressor) if scale else regressor
    print(
        f"Training {SEED_MODEL_PARAMS['hidden_layer_sizes'][0]} "
        f"{SEED_MODEL_PARAMS['activation']} units (Adam {SEED_MODEL_PARAMS['learning_rate']}, "
        f"MSE, batch {SEED_MODEL_PARAMS['batch_size']}) for {epochs} epochs on "
        f"{len(X_train)} rows{' (standardised)' if scale else ' (unscaled, as the notebook)'}...",
        file=out,
        flush=True,
    )
    start = time.perf_counter()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    predictions = model.predict(X_test)
    accuracy = ratio_accuracy_score(y_test, predictions)
    r2 = r2_score(y_test, predictions)
    report = regressor.importance_report_

    _print_findings(out, regressor, report, seconds, accuracy, r2, scale)
    return {"estimator": regressor, "accuracy": accuracy, "r2": r2, "report": report}


def _print_findings(out, regressor, report, seconds, accuracy, r2, scale):
    """What the seed example found: its training, its scores and the importance report."""
    print(
        f"Trained in {seconds:.1f} s; recorded weight history of shape "
        f"{regressor.weight_history_.shape}.",
        file=out,
    )
    print(
        f"The model is correct to {round(accuracy, 5)}% (the notebook's measure); "
        f"test R^2 = {r2:.5f}.",
        file=out,
    )
    print(
        "\nImportance report, most important first (importance = normalised grouped weight std):",
        file=out,
    )
    print(_fit_to_terminal(report.sort_values("rank", kind="stable")), file=out)
    top = report.index[report["rank"] == 1][0]
    print(f"\nMost important feature: {top}.", file=out)
    if not scale:
        print(
            "Note: ms and cs are constants and noise is unrelated to ys, yet their weights "
            "moved too because the inputs are unscaled; rerun with --scale to compare "
            "features on a common scale.",
            file=out,
        )


def _fit_to_terminal(frame):
    """``frame`` as text no wider than the terminal: columns that do not fit wrap below."""
    width = shutil.get_terminal_size().columns
    return frame.to_string(float_format=lambda v: f"{v:.4g}", line_width=max(width, 40))


def main(argv=None):
    """Entry point of the ``skweightimp`` command; returns the exit status.

    Without arguments it reruns the seed notebook's example (:func:`run_seed_example`);
    ``skweightimp report ...`` is handed to :func:`report_main`. The options are listed
    by ``skweightimp --help`` (or ``python -m skweightimp --help``); the HTML report is
    described in the report guide, :doc:`/report` (``docs/report.rst``).

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the command's name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        The exit status: 0 on success (bad options exit through argparse with 2).

    Examples
    --------
    ``skweightimp --epochs 3 --scale``, run from Python:

    >>> from skweightimp._report.cli import main
    >>> main(["--epochs", "3", "--scale"])
    Training 4 linear units (Adam 0.01, MSE, batch 32) for 3 epochs on 900 rows (standardised)...
    Trained in ... s; recorded weight history of shape (3, 4, 4).
    The model is correct to ...% (the notebook's measure); test R^2 = ...
    <BLANKLINE>
    Importance report, most important first (importance = normalised grouped weight std):
             importance  rank ...
    feature ...
    xs ...
    <BLANKLINE>
    Most important feature: xs.
    0
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "report":
        return report_main(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    _positive(parser, "--epochs", args.epochs)
    from ..datasets import SEED_TEST_ROWS

    # The first SEED_TEST_ROWS rows are held out; keep at least as many to train on.
    _positive(parser, "--n-samples", args.n_samples, minimum=2 * SEED_TEST_ROWS + 2)
    _positive(parser, "--random-state", args.random_state, minimum=0)
    try:
        run_seed_example(
            epochs=args.epochs,
            n_samples=args.n_samples,
            random_state=args.random_state,
            scale=args.scale,
            verbose=args.verbose,
        )
    except BrokenPipeError:
        # The reader went away (``skweightimp | head``): not an error worth a traceback.
        # Point stdout at devnull so the interpreter's final flush cannot raise again.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0


# ---------------------------------------------------------------------- report


class _OneLineParser(argparse.ArgumentParser):
    """argparse, with its errors on one line in the command's error format."""

    def error(self, message):
        self.exit(2, f"{_PROG}: error: {message} (see '{self.prog} --help')\n")


def _sizes(text):
    """``16,8`` or ``16``: the sizes of one or more hidden layers."""
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid sizes {text!r}: whole numbers, e.g. 16 8 or 16,8"
        ) from None


_REPORT_DESCRIPTION = (
    "Train a network, record its first-layer weights after every epoch and write a "
    "self-contained HTML report of the feature importances read from them: tables, "
    "plots, an animation, a comparison with permutation importance on a held-out "
    "test set and the stability across cross-validation folds. Without DATA.csv it "
    "runs the seed notebook's complete example on its built-in data and settings."
)
_REPORT_EPILOG = (
    "Task rule (--task auto): a target of text, true/false values, or at most 10 "
    "distinct whole numbers is a classification target; anything else is a "
    "regression target. Numeric columns are standardised, text columns one-hot "
    "encoded (and reported as one feature each). Exit status: 0 success, 1 bad "
    "data, output path or failed run, 2 bad options, 130 interrupted."
)


def _report_parser():
    """The parser of ``skweightimp report``, its options in the order ``--help`` lists them."""
    parser = _OneLineParser(
        prog=f"{_PROG} report", description=_REPORT_DESCRIPTION, epilog=_REPORT_EPILOG
    )
    _add_data_options(parser)
    _add_network_options(parser)
    _add_importance_options(parser)
    _add_noise_test_options(parser)
    _add_tuning_options(parser)
    _add_file_options(parser)
    _add_console_options(parser)
    return parser


def _add_data_options(parser):
    """The data: the CSV file, the column to predict and the task."""
    parser.add_argument(
        "data",
        nargs="?",
        metavar="DATA.csv",
        help="a CSV file with a header row; omit it for the seed notebook's example",
    )
    parser.add_argument("--target", metavar="COLUMN", help="the column to predict (with DATA)")
    parser.add_argument(
        "--task",
        choices=("auto", "regression", "classification"),
        default="auto",
        help="what to predict; auto infers it from the target (default: auto)",
    )


def _add_network_options(parser):
    """The network: its epochs and hidden layers."""
    parser.add_argument(
        "--epochs",
        type=int,
        metavar="N",
        help="training epochs (default: 500 for the example, as the notebook; 200 for a CSV)",
    )
    parser.add_argument(
        "--hidden-layer-sizes",
        type=_sizes,
        nargs="+",
        metavar="N",
        help="units of each hidden layer, e.g. 16 8 or 16,8 (default: 4 for the example, "
        "100 for a CSV)",
    )


def _add_importance_options(parser):
    """The stability section's folds and the importance method the report headlines."""
    # The names only: importing skweightimp.importance does not start Keras.
    from ..importance._methods import IMPORTANCE_METHODS
    from .recommendation import RECOMMENDED_METHOD
    from .report import DEFAULT_CV

    parser.add_argument(
        "--cv",
        type=int,
        default=DEFAULT_CV,
        metavar="K",
        help=f"cross-validation folds for the stability section (default: {DEFAULT_CV})",
    )
    parser.add_argument(
        "--method",
        default=RECOMMENDED_METHOD,
        metavar="NAME",
        help=f"the importance the report headlines and tests against noise: one of "
        f"{', '.join(IMPORTANCE_METHODS)} (default: {RECOMMENDED_METHOD}, the method the "
        "benchmarks recommend; the estimators' own default is weight_std)",
    )


def _add_noise_test_options(parser):
    """The noise test: its rounds and the rows each trains on."""
    from .report import SIGNIFICANCE_ALPHA, SIGNIFICANCE_ROWS

    parser.add_argument(
        "--significance",
        type=int,
        metavar="N",
        help="rounds of the noise test: each trains the network once more on the features "
        "plus shuffled copies of them, and a feature is confirmed when its mean score, in "
        "units of its own copy's, is higher than chance allows among the copies' scores "
        f"(Benjamini-Hochberg, alpha {SIGNIFICANCE_ALPHA}); 0 turns the test off (default: "
        "the fewest rounds that can confirm a feature, about 1 / alpha: 20)",
    )
    parser.add_argument(
        "--significance-rows",
        type=int,
        default=SIGNIFICANCE_ROWS,
        metavar="N",
        help="rows each round of the noise test trains on, a sample of its own drawn from "
        "the training rows, so that the test's cost stops growing with the file (how its "
        "decisions held on the benchmark: docs/scaling.rst; default: "
        f"{SIGNIFICANCE_ROWS:,}; 0 for every row)",
    )


def _add_tuning_options(parser):
    """The L1 penalty, the permutation's shuffles, the seed, the test set's share and the
    filling of missing values."""
    from .recommendation import RECOMMENDED_L1

    parser.add_argument(
        "--l1",
        type=float,
        default=RECOMMENDED_L1,
        metavar="VALUE",
        help="L1 penalty on the first layer's weights (the estimators' first_layer_l1; "
        f"default: {RECOMMENDED_L1}, part of the recommended configuration; 0 for none)",
    )
    parser.add_argument(
        "--n-repeats",
        type=int,
        default=5,
        metavar="R",
        help="shuffles per feature for permutation importance (default: 5)",
    )
    parser.add_argument(
        "--random-state", type=int, default=0, metavar="S", help="seed of everything (default: 0)"
    )
    parser.add_argument(
        "--test-size",
        type=float,
        default=0.2,
        metavar="F",
        help="fraction of a CSV's rows held out as the test set (default: 0.2)",
    )
    parser.add_argument(
        "--impute",
        action="store_true",
        help="fill missing feature values (median for numbers, most frequent for text) "
        "instead of stopping with an error",
    )


def _add_file_options(parser):
    """How to read DATA.csv and where to write the report."""
    parser.add_argument(
        "--sep",
        metavar="CHAR",
        help="the delimiter of DATA.csv (default: a comma, or the one detected when the "
        "header holds ';', a tab or '|' and no comma)",
    )
    parser.add_argument(
        "--out",
        default="report.html",
        metavar="PATH",
        help="where to write the report (default: report.html in the current directory); "
        "the data file is refused, and a symbolic link is written through (the file it "
        "points to is replaced, the link kept)",
    )


def _add_console_options(parser):
    """What the command prints."""
    parser.add_argument(
        "--quiet", action="store_true", help="print nothing but errors (no progress bar)"
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")


def _flag(name, value):
    """How ``skweightimp report`` sets a setting a library error names: ``--impute``."""
    flag = "--" + name.replace("_", "-")
    if value is None or value is True:
        return flag
    return f"{flag} {value}"


def _error(message):
    if hasattr(message, "describe"):
        message = message.describe(_flag)
    text = " ".join(str(message).split())
    print(f"{_PROG}: error: {text}", file=sys.stderr, flush=True)


def report_main(argv=None):
    """Entry point of ``skweightimp report``; returns the exit status.

    The options are listed by ``skweightimp report --help``; the options, the report's
    sections and how to read them are described in the report guide, :doc:`/report`
    (``docs/report.rst``).

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after ``skweightimp report``; ``sys.argv[2:]`` when None.

    Returns
    -------
    int
        The exit status: 0 success, 1 bad data or output path or a failed run, 2 bad
        options, 130 interrupted. Errors are printed to standard error as one line.

    Examples
    --------
    The built-in example, trained briefly (``--epochs 3 --cv 2 --n-repeats 1``) and
    without the noise test (``--significance 0``), its report written to a temporary
    folder:

    >>> import os, tempfile
    >>> from skweightimp._report.cli import report_main
    >>> tiny = ["--epochs", "3", "--cv", "2", "--n-repeats", "1", "--significance", "0"]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = os.path.join(folder, "report.html")
    ...     status = report_main([*tiny, "--out", out])
    ...     with open(out, encoding="utf-8") as page:
    ...         html = page.read()
    Training on 900 rows (3 epochs), then 2 cross-validation folds...
    Comparing with permutation importance on the test set...
    Drawing the plots and the animation...
    Report written to ...report.html (... MB, ... s). Open it in a web browser.
    >>> status, "<title>skweightimp report: built-in example</title>" in html
    (0, True)

    A mistake is one line on standard error and an exit status, found before training:

    >>> import contextlib, sys
    >>> with contextlib.redirect_stderr(sys.stdout):
    ...     report_main(["houses.csv"])
    skweightimp: error: a data file needs --target COLUMN, the column to predict
    2
    """
    argv = sys.argv[2:] if argv is None else list(argv)
    args = _report_parser().parse_args(argv)

    from .errors import ReportError, UsageError

    settings = _report_settings(args, argv)
    try:
        return _write_report(settings, args)
    except UsageError as error:
        if args.debug:
            raise
        _error(error)
        return 2
    except ReportError as error:
        if args.debug:
            raise
        _error(error)
        return 1
    except KeyboardInterrupt:
        if args.debug:
            import traceback

            traceback.print_exc()
        _error("interrupted; no report was written")
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except Exception as error:  # anything unexpected: one line, the traceback on request
        if args.debug:
            raise
        first = str(error).strip().splitlines()[0] if str(error).strip() else ""
        _error(f"{type(error).__name__}: {first} (rerun with --debug for the traceback)")
        return 1


def _report_settings(args, argv):
    """The :class:`~skweightimp._report.report.ReportSettings` the parsed options ask for."""
    import shlex

    from .report import ReportSettings

    return ReportSettings(
        data=args.data,
        target=args.target,
        task=args.task,
        epochs=args.epochs,
        hidden_layer_sizes=(
            tuple(size for sizes in args.hidden_layer_sizes for size in sizes)
            if args.hidden_layer_sizes
            else None
        ),
        cv=args.cv,
        method=args.method,
        random_state=args.random_state,
        n_repeats=args.n_repeats,
        test_size=args.test_size,
        impute=args.impute,
        command=shlex.join([_PROG, "report", *argv]),
        sep=args.sep,
        significance=args.significance,
        significance_rows=args.significance_rows,
        l1=args.l1,
    )


def _write_report(settings, args):
    """Run the analysis and write the report, printing its progress unless ``--quiet``;
    returns the exit status of success."""

    def log(line):
        if not args.quiet:
            print(line, flush=True)

    def progress(total):
        from .progress import ProgressBar

        return ProgressBar.on_stderr(total, enabled=False if args.quiet else None)

    # The report is drawn off screen; never open a window.
    import matplotlib

    matplotlib.use("Agg")
    from .interrupt import DeferredInterrupt
    from .report import write_report

    start = time.perf_counter()
    interrupt = DeferredInterrupt()
    with interrupt.installed():
        write_report(settings, args.out, log=log, progress=progress, interrupt=interrupt)
    size = os.path.getsize(args.out)
    log(
        f"Report written to {os.path.abspath(args.out)} ({size / 1e6:.1f} MB, "
        f"{time.perf_counter() - start:.0f} s). Open it in a web browser."
    )
    return 0
