"""Ctrl-C that always stops a long run, even inside TensorFlow or JAX.

Python raises ``KeyboardInterrupt`` wherever the main thread happens to be when SIGINT
arrives. Inside a garbage-collection callback (JAX registers one; TensorFlow runs Python
code from C++ too) the exception is printed as "Exception ignored in ..." and lost, and
training simply goes on. :class:`DeferredInterrupt` instead records the signal and raises
``KeyboardInterrupt`` at a safe point: after the current training batch (through
:func:`interrupt_callback`) or when :meth:`DeferredInterrupt.check` is called between
stages. A second Ctrl-C raises at once, as Python would.
"""

import contextlib
import signal
import threading

__all__ = ["DeferredInterrupt", "interrupt_callback"]


class DeferredInterrupt:
    """Record SIGINT and raise ``KeyboardInterrupt`` at the next safe point.

    Examples
    --------
    >>> from skweightimp._report.interrupt import DeferredInterrupt
    >>> interrupt = DeferredInterrupt()
    >>> with interrupt.installed():
    ...     interrupt.check()  # nothing pending: returns
    >>> interrupt.requested
    False
    """

    def __init__(self):
        self.requested = False

    def _handle(self, signum, frame):
        if self.requested:
            # The user insists: behave like Python's own handler.
            raise KeyboardInterrupt
        self.requested = True

    @contextlib.contextmanager
    def installed(self):
        """Handle SIGINT this way inside the block (main thread only; else a no-op)."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = signal.signal(signal.SIGINT, self._handle)
        try:
            yield self
        finally:
            signal.signal(signal.SIGINT, previous)

    def check(self):
        """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed since the block began."""
        if self.requested:
            raise KeyboardInterrupt


def interrupt_callback(interrupt):
    """A Keras callback that calls ``interrupt.check()`` after every epoch.

    After every epoch, not every batch: a callback with a batch hook would make the
    estimators run one batch per Keras call instead of an epoch (see
    :mod:`skweightimp.estimators._speed`), and an epoch of the report's networks takes well under a
    second. Copies of it (``sklearn.base.clone`` deep-copies callbacks) are the same
    object. It reads neither the loss nor the weights (``replica_safe``), so the noise
    test's networks can still train as replicas of one model with it.

    Examples
    --------
    >>> import copy
    >>> from skweightimp._report.interrupt import DeferredInterrupt, interrupt_callback
    >>> interrupt = DeferredInterrupt()
    >>> callback = interrupt_callback(interrupt)
    >>> copy.deepcopy(callback) is callback
    True
    >>> callback.on_epoch_end(0)  # nothing pending: training goes on
    >>> interrupt.requested = True  # as the SIGINT handler does on Ctrl-C
    >>> try:
    ...     callback.on_epoch_end(1)
    ... except KeyboardInterrupt:
    ...     print("stopped after the epoch")
    stopped after the epoch

    Pass it to an estimator with ``callbacks=[callback]`` (as ``skweightimp report``
    does) inside ``with interrupt.installed():``.
    """
    from ..utils._backend import keras

    class _InterruptCheck(keras.callbacks.Callback):
        replica_safe = True

        def __deepcopy__(self, memo):
            return self

        def on_epoch_end(self, epoch, logs=None):
            interrupt.check()

    return _InterruptCheck()
