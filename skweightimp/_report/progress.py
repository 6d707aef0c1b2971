"""One progress bar on one terminal line, for long runs of the command line.

:class:`ProgressBar` redraws a single line with a carriage return (no dependency, no line
per step). :func:`epoch_callback` makes a Keras callback that advances it once per epoch,
so a run of several fits (the model, then every cross-validation fold) fills one bar.

The bar is drawn in place only on a terminal. When its stream is not a TTY (a CI log, a
file under ``nohup``, a notebook cell) a carriage return would pile up or vanish, so it
prints a plain line instead, at every tenth of the run and at least every 30 seconds:
a long run is never silent.
"""

import math
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
        None draws the bar when ``stream`` is a terminal and prints plain lines
        otherwise; False prints nothing; True always draws the bar (for tests).
    width : int, default=30
        Characters of the bar itself.
    min_interval : float, default=0.1
        Seconds between redraws (the last step and label changes always redraw).
    line_seconds : float, default=30
        Off a terminal, a line is printed at least this often (when a step is done), besides
        one at every tenth of the run.

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

    Off a terminal, plain lines instead, one at each tenth of the run:

    >>> out = io.StringIO()  # not a terminal
    >>> with ProgressBar(20, stream=out) as bar:
    ...     bar.advance(20)
    >>> bar.plain, out.getvalue().count("\\n"), "\\r" in out.getvalue()
    (True, 1, False)
    """

    def __init__(
        self, total, *, stream=None, enabled=None, width=30, min_interval=0.1, line_seconds=30.0
    ):
        self.total = max(int(total), 1)
        self.stream = sys.stderr if stream is None else stream
        self.plain = False
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            try:
                self.plain = not (isatty and isatty())
            except (ValueError, OSError):  # closed stream
                self.plain = True
            enabled = True
        self.enabled = bool(enabled)
        self.line_seconds = float(line_seconds)
        # Plain lines: one each time the count reaches the next tenth of the total.
        self._line_step = max(1, math.ceil(self.total / 10))
        self._next_line = self._line_step
        self._last_line_count = 0
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
        >>> from skweightimp._report.progress import ProgressBar
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
        if self.plain:
            self._plain_line(now)
            return
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

    def _plain_line(self, now, force=False):
        if self.count <= self._last_line_count:
            return  # nothing new since the last line (e.g. a label change)
        since = now - max(self._last_draw, self._start)
        due = self.count >= self._next_line or since >= self.line_seconds
        if not (due or force):
            return
        self._last_draw = now
        self._last_line_count = self.count
        self._next_line = (self.count // self._line_step + 1) * self._line_step
        try:
            self.stream.write(self._line(now) + "\n")
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False

    def close(self):
        """End the line (once); the bar stays on screen as a record of the run."""
        if self._closed:
            return
        if self.enabled and self.plain and self._start is not None:
            self._plain_line(time.monotonic(), force=True)
        elif self.enabled and self._start is not None:
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
    >>> from skweightimp._report.progress import ProgressBar, epoch_callback
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
    from .._backend import keras

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
