"""The checks of an estimator's parameters: before anything is built, once the network
is built, and before a warm start continues a record. Each raises a ValueError (or
scikit-learn's InvalidParameterError) that names the parameter and what would work.
"""

import inspect
from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import InvalidParameterError

from ..callbacks._recording import dense_kernels
from ..importance._groups import resolve_feature_groups
from ..importance._methods import garson
from ..utils._backend import keras
from ..utils._math import check_barrage_params
from ..utils._validation import Integer, satisfies

__all__ = [
    "POSITIVE_INT",
    "check_built_network",
    "check_method_layout",
    "check_params",
    "check_same_recording",
    "hidden_sizes",
    "recording_settings",
]

POSITIVE_INT = Integer(1, None, closed="left")


def hidden_sizes(hidden_layer_sizes):
    """``hidden_layer_sizes`` as a tuple of positive ints (an int is one layer).

    Examples
    --------
    >>> from skweightimp.estimators._params import hidden_sizes
    >>> hidden_sizes(8), hidden_sizes([4, 2]), hidden_sizes(())
    ((8,), (4, 2), ())
    """
    sizes = hidden_layer_sizes
    if isinstance(sizes, (Integral, np.integer)):
        sizes = (sizes,)
    sizes = tuple(sizes)
    if not all(satisfies(size, [POSITIVE_INT]) for size in sizes):
        raise ValueError(
            f"hidden_layer_sizes must be a tuple of positive integers; got {hidden_layer_sizes!r}."
        )
    return sizes


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


def check_params(estimator, routed_param_names):
    """Validate ``estimator``'s parameters before anything is built or trained."""
    estimator._validate_params()
    _check_unknown_params(estimator, routed_param_names)
    hidden_sizes(estimator.hidden_layer_sizes)
    # Fail at fit, not later when importance_report_ is first read.
    check_barrage_params(
        estimator.barrage_domain, estimator.barrage_num, estimator.barrage_threshold
    )
    _check_model_options(estimator)
    check_method_layout(estimator.importance_method, estimator.model, estimator.hidden_layer_sizes)
    _check_burn_in(estimator)


def _check_model_options(estimator):
    routed = sorted(k for k in estimator.get_params() if k.startswith("model__"))
    if estimator.model is None and routed:
        raise ValueError(
            f"{routed} are routed to a user model, but model=None uses the built-in "
            "network; set hidden_layer_sizes/activation instead, or pass model=."
        )
    if estimator.model is not None and estimator.first_layer_l1:
        raise ValueError(
            "first_layer_l1 applies to the built-in network (model=None) only; give "
            "the first Dense layer of your model a kernel_regularizer instead."
        )
    if estimator.model is not None and estimator.kernel_l1:
        raise ValueError(
            "kernel_l1 applies to the built-in network (model=None) only; give the Dense "
            "layers of your model a kernel_regularizer instead."
        )


def _check_burn_in(estimator):
    burn_in = estimator.burn_in
    if burn_in and not estimator.store_history:
        raise ValueError(
            f"burn_in={burn_in!r} needs the stored weight history, but "
            "store_history=False keeps only a running summary, which cannot leave out "
            "the early snapshots. Set store_history=True, or burn_in=0."
        )
    if burn_in and estimator.stop_when_ranking_stable is not None:
        raise ValueError(
            f"stop_when_ranking_stable={estimator.stop_when_ranking_stable!r} ranks the "
            "features from a running summary of every epoch, which cannot leave out "
            f"burn_in={burn_in!r} of them. Set burn_in=0, or "
            "stop_when_ranking_stable=None."
        )


def _parameters_taken_by(model):
    """The keyword names a ``model=`` function takes; None when it takes any."""
    if model is None or isinstance(model, keras.Model) or not callable(model):
        return set()
    try:
        signature = inspect.signature(model)
    except (TypeError, ValueError):  # a builtin or C callable: cannot tell
        return None
    kinds = {parameter.kind for parameter in signature.parameters.values()}
    return None if inspect.Parameter.VAR_KEYWORD in kinds else set(signature.parameters)


def _check_unknown_params(estimator, routed_param_names):
    """Name an unrouted extra parameter that nothing will take, before scikeras passes
    it to a model function that does not accept it."""
    extra = sorted(key for key in routed_param_names if "__" not in key)
    accepted = _parameters_taken_by(estimator.model) if extra else None
    unknown = [key for key in extra if accepted is not None and key not in accepted]
    if not unknown:
        return
    model = estimator.model
    if model is None:
        where = "model=None builds the built-in network, which takes no extra parameter"
    elif isinstance(model, keras.Model):
        where = "a keras.Model instance takes no extra parameter"
    else:
        name = getattr(model, "__name__", type(model).__name__)
        where = f"the model function {name!r} does not take it"
    raise InvalidParameterError(
        f"Unknown parameter {', '.join(map(repr, unknown))} for {type(estimator).__name__}: "
        f"it is not one of its parameters (see get_params()), and {where}. Routed "
        "parameters need a prefix: optimizer__*, loss__*, fit__*, predict__*, "
        "callbacks__*, or model__* for a model= function."
    )


def check_built_network(estimator):
    """Refuse, before training, what the built network cannot give: the importance
    method, ``record_all_kernels`` on a model that is no Dense stack, and feature groups
    that name no column."""
    method = estimator.importance_method
    if method in ("garson", "olden"):
        try:
            kernels = dense_kernels(estimator.model_, n_features=estimator.n_features_in_)
            if method == "garson":
                garson(kernels)  # checks the number of hidden layers
        except ValueError as error:
            raise ValueError(
                f"importance_method={method!r} cannot be read from this model: {error}"
            ) from None
    if estimator.record_all_kernels:
        try:
            dense_kernels(estimator.model_, n_features=estimator.n_features_in_)
        except ValueError as error:
            raise ValueError(f"record_all_kernels=True cannot record this model: {error}") from None
    if estimator.feature_groups:
        resolve_feature_groups(estimator.feature_names_, estimator.feature_groups)


def recording_settings(estimator):
    """``(store_history, record_every, record_all_kernels)``: how a record is kept."""
    return (
        bool(estimator.store_history),
        estimator.record_every,
        bool(estimator.record_all_kernels),
    )


def check_same_recording(fitted, current):
    """A warm start appends to the current record: it must be kept the same way.

    ``fitted`` and ``current`` are :func:`recording_settings` of the network's record
    (None before any) and of the parameters now.
    """
    if fitted is None or fitted == current:
        return
    raise ValueError(
        f"warm start / partial_fit continues the record of the current network, made "
        f"with store_history={fitted[0]!r}, record_every={fitted[1]!r}, "
        f"record_all_kernels={fitted[2]!r}; got store_history={current[0]!r}, "
        f"record_every={current[1]!r}, record_all_kernels={current[2]!r}. Set them back, "
        "or train a new network (warm_start=False, or fit instead of partial_fit)."
    )
