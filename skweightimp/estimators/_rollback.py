"""A fit that either completes or leaves the estimator as it was: the estimator's
attributes, its network's weights and its optimizer's state are restored when the block
fails or is interrupted.
"""

import contextlib

from ..utils._backend import to_numpy

__all__ = ["rollback_on_failure"]


def _network_state(model):
    """The weights and optimizer variables of ``model`` (None when there is none)."""
    if model is None:
        return None, None
    optimizer = getattr(model, "optimizer", None)
    optimizer_state = None
    if optimizer is not None:
        optimizer_state = [to_numpy(v).copy() for v in optimizer.variables]
    return model.get_weights(), optimizer_state


def _restore_network(model, weights, optimizer_state):
    if weights is None:
        return
    model.set_weights(weights)
    # A failed first fit may have built the optimizer's variables after the snapshot.
    if optimizer_state is not None and len(optimizer_state) == len(model.optimizer.variables):
        for variable, value in zip(model.optimizer.variables, optimizer_state, strict=True):
            variable.assign(value)


@contextlib.contextmanager
def rollback_on_failure(estimator):
    """Undo every change to ``estimator`` if the block fails (or is interrupted)."""
    state = dict(estimator.__dict__)
    model = state.get("model_")
    weights, optimizer_state = _network_state(model)
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(state)
        _restore_network(model, weights, optimizer_state)
        raise
