"""Find this package's estimator in what a user hands over: the estimator itself, or a
Pipeline whose last step is one. Shared by the displays and the inspection functions.
"""

import sys

_OURS = "a WeightTrajectoryRegressor or WeightTrajectoryClassifier"


def is_ours(obj):
    """Whether ``obj`` is one of this package's estimators.

    Without skweightimp.estimators._base imported nobody can have built one of its estimators;
    checking this way keeps a wrong argument from loading TensorFlow.
    """
    module = sys.modules.get("skweightimp.estimators._base")
    base = getattr(module, "WeightTrajectoryBase", None)
    return base is not None and isinstance(obj, base)


def split_pipeline(estimator, *, caller):
    """Return ``(preprocessor or None, final estimator)``; a TypeError names what is wrong."""
    from sklearn.pipeline import Pipeline

    if isinstance(estimator, Pipeline):
        final = estimator.steps[-1][1] if estimator.steps else None
        if not is_ours(final):
            raise TypeError(
                f"{caller} needs the last step of the Pipeline to be {_OURS}; it is "
                f"{type(final).__name__}."
            )
        return (estimator[:-1] if len(estimator.steps) > 1 else None), final
    if not is_ours(estimator):
        hint = ""
        if hasattr(estimator, "best_estimator_"):
            hint = " For a fitted search, pass its best_estimator_."
        raise TypeError(
            f"{caller}: estimator must be {_OURS} (or a Pipeline ending in one); got "
            f"{type(estimator).__name__}.{hint}"
        )
    return None, estimator
