"""One progress bar on one terminal line, for long runs of the command line.

:class:`ProgressBar` redraws a single line with a carriage return (no dependency, no line
per step). :func:`epoch_callback` makes a Keras callback that advances it once per epoch,
so a run of several fits (the model, then every cross-validation fold) fills one bar.

The bar is drawn only on a terminal: when its stream is not a TTY (a pipe, a file, a
test's captured output) every method does nothing.
"""

import os
import sys
import time

__all__ = ["ProgressBar", "epoch_callback"]


def _format_seconds(seconds):
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class ProgressBar:
    """A text progress bar redrawn in place with ``\\r``.

    Parameters
    ----------
    total : int
        Number of steps (e.g. epochs over all fits).
    stream : file-like, default=None
        Where to draw; standard error when None.
    enabled : bool or None, default=None
        None draws only when ``stream`` is a terminal; False never draws; True always
        does (for tests).
    width : int, default=30
        Characters of the bar itself.
    min_interval : float, default=0.1
        Seconds between redraws (the last step and label changes always redraw).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> bar = ProgressBar(4, stream=out, enabled=True, min_interval=0)
    >>> bar.set_label("model")
    >>> for _ in range(4):
    ...     bar.advance()
    >>> bar.close()
    >>> out.getvalue().count("\\n")
    1
    >>> "4/4" in out.getvalue().rsplit("\\r", 1)[-1]
    True
    """

    def __init__(self, total, *, stream=None, enabled=None, width=30, min_interval=0.1):
        self.total = max(int(total), 1)
        self.stream = sys.stderr if stream is None else stream
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            try:
                enabled = bool(isatty and isatty())
            except (ValueError, OSError):  # closed stream
                enabled = False
        self.enabled = bool(enabled)
        self.width = int(width)
        self.min_interval = float(min_interval)
        self.count = 0
        self.label = ""
        self._start = None
        self._last_draw = -float("inf")
        self._last_length = 0
        self._closed = False

    @classmethod
    def on_stderr(cls, total, *, enabled=None, **kwargs):
        """A bar on a private copy of file descriptor 2.

        Drawing through a duplicate of the descriptor keeps the bar on the terminal even
        while TensorFlow's start-up chatter is filtered by redirecting descriptor 2 (see
        ``skweightimp._quiet``); that filter forwards whole lines only, and a bar has
        no line end until it finishes. :meth:`close` closes the copy.

        Parameters
        ----------
        total : int
            Number of steps.
        enabled : bool or None, default=None
            None draws only when standard error is a terminal.
        **kwargs
            ``width`` and ``min_interval``, as for :class:`ProgressBar`.

        Returns
        -------
        ProgressBar
            A bar drawing on the copy of descriptor 2, or on ``sys.stderr`` itself when it
            has no descriptor (e.g. an in-memory stream).

        Examples
        --------
        >>> from skweightimp.progress import ProgressBar
        >>> with ProgressBar.on_stderr(10, enabled=False) as bar:
        ...     bar.advance(3)
        >>> bar.count, bar.total, bar.enabled
        (3, 10, False)
        """
        try:
            fd = os.dup(sys.stderr.fileno())
        except (AttributeError, OSError, ValueError):
            return cls(total, stream=sys.stderr, enabled=enabled, **kwargs)
        stream = os.fdopen(fd, "w", encoding="utf-8", errors="replace")
        bar = cls(total, stream=stream, enabled=enabled, **kwargs)
        bar._owns_stream = True
        return bar

    def set_label(self, label):
        """Name the current stage (e.g. ``"fold 2/5"``) and redraw."""
        self.label = str(label)
        self._draw(force=True)

    def advance(self, steps=1):
        """Count ``steps`` more steps done."""
        self.count = min(self.count + int(steps), self.total)
        self._draw(force=self.count == self.total)

    def _line(self, now):
        fraction = self.count / self.total
        filled = int(round(fraction * self.width))
        bar = "#" * filled + "-" * (self.width - filled)
        elapsed = now - self._start
        text = f"{self.label:<10} [{bar}] {self.count}/{self.total} epochs {fraction:4.0%}"
        text += f"  {_format_seconds(elapsed)}"
        if 0 < self.count < self.total:
            remaining = elapsed / self.count * (self.total - self.count)
            text += f", ~{_format_seconds(remaining)} left"
        return text

    def _draw(self, force=False):
        if not self.enabled or self._closed:
            return
        now = time.monotonic()
        if self._start is None:
            self._start = now
        if not force and now - self._last_draw < self.min_interval:
            return
        self._last_draw = now
        line = self._line(now)
        # Pad with spaces to wipe a longer previous line.
        padding = " " * max(0, self._last_length - len(line))
        self._last_length = len(line)
        try:
            self.stream.write("\r" + line + padding)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False  # the terminal went away; keep running without a bar

    def close(self):
        """End the line (once); the bar stays on screen as a record of the run."""
        if self._closed:
            return
        if self.enabled and self._start is not None:
            self._draw(force=True)
            try:
                self.stream.write("\n")
                self.stream.flush()
            except (OSError, ValueError):
                pass
        self._closed = True
        if getattr(self, "_owns_stream", False):
            try:
                self.stream.close()
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False


def epoch_callback(bar, labels=()):
    """A Keras callback that advances ``bar`` by one step per epoch.

    Parameters
    ----------
    bar : ProgressBar
        The bar to advance.
    labels : sequence of str, default=()
        The label of each successive training run (``fit``): the first fit shows
        ``labels[0]``, the second ``labels[1]``, and so on.

    Returns
    -------
    keras.callbacks.Callback
        The callback. Copies of it (``copy.deepcopy``, which ``sklearn.base.clone`` uses
        for callbacks in an estimator's parameters) are the same object, so the clones
        fitted on cross-validation folds all advance the one bar.

    Examples
    --------
    >>> import copy, io
    >>> import numpy as np
    >>> from skweightimp.progress import ProgressBar, epoch_callback
    >>> from skweightimp.estimators import WeightTrajectoryRegressor
    >>> out = io.StringIO()
    >>> bar = ProgressBar(2, stream=out, enabled=True, min_interval=0)
    >>> callback = epoch_callback(bar, labels=["model"])
    >>> copy.deepcopy(callback) is callback
    True
    >>> X = np.random.default_rng(0).normal(size=(20, 2))
    >>> model = WeightTrajectoryRegressor(
    ...     hidden_layer_sizes=(4,), epochs=2, callbacks=[callback], random_state=0
    ... ).fit(X, X[:, 0])
    >>> bar.close()
    >>> bar.count, bar.label
    (2, 'model')
    >>> "2/2 epochs" in out.getvalue()
    True
    """
    from ._backend import keras

    class _EpochProgress(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.fits = 0

        def __deepcopy__(self, memo):
            return self

        def on_train_begin(self, logs=None):
            if self.fits < len(labels):
                bar.set_label(labels[self.fits])
            self.fits += 1

        def on_epoch_end(self, epoch, logs=None):
            bar.advance()

    return _EpochProgress()
