"""Command line: ``skweightimp`` / ``python -m skweightimp``.

With no arguments it reruns the seed notebook's complete example with the library: the
notebook's synthetic data, its network (4 linear units, Adam 0.01, MSE, 500 epochs), its
100-row test set and its accuracy measure, then prints the importance report.
"""

import argparse
import sys
import time

__all__ = ["main"]


def _parser():
    parser = argparse.ArgumentParser(
        prog="skweightimp",
        description=(
            "Rerun the seed notebook's example: train a small Keras network on the "
            "notebook's synthetic data (ys = ms * xs + cs, plus a noise column), record "
            "its first-layer weights after every epoch and print the feature importances "
            "read from them."
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
    """
    from sklearn.metrics import r2_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from .datasets import SEED_MODEL_PARAMS, SEED_TEST_ROWS, make_seed_regression
    from .estimators import WeightTrajectoryRegressor
    from .metrics import ratio_accuracy_score

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
    print("\nImportance report (importance = normalised grouped weight std):", file=out)
    with _pandas_display():
        print(report.to_string(float_format=lambda v: f"{v:.4g}"), file=out)
    top = report.index[report["rank"] == 1][0]
    print(f"\nMost important feature: {top}.", file=out)
    if not scale:
        print(
            "Note: ms and cs are constants and noise is unrelated to ys, yet their weights "
            "moved too because the inputs are unscaled; rerun with --scale to compare "
            "features on a common scale.",
            file=out,
        )
    return {"estimator": regressor, "accuracy": accuracy, "r2": r2, "report": report}


def _pandas_display():
    import pandas as pd

    return pd.option_context("display.width", 200, "display.max_columns", 50)


def main(argv=None):
    """Entry point of the ``skweightimp`` command; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    _positive(parser, "--epochs", args.epochs)
    from .datasets import SEED_TEST_ROWS

    # The first SEED_TEST_ROWS rows are held out; keep at least as many to train on.
    _positive(parser, "--n-samples", args.n_samples, minimum=2 * SEED_TEST_ROWS + 2)
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
