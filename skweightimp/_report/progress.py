"""One progress bar on one terminal line, for long runs of the command line.

:class:`ProgressBar` is a :mod:`tqdm` bar in the command's format: one line redrawn in
place with a carriage return. :func:`epoch_callback` makes a Keras callback that advances
it once per epoch, so a run of several fits (the model, then every cross-validation fold)
fills one bar.

The bar is drawn in place only on a terminal. When its stream is not a TTY (a CI log, a
file under ``nohup``, a notebook cell) a carriage return would pile up or vanish, so it
prints a plain line instead, at every tenth of the run and at least every 30 seconds:
a long run is never silent.
"""

import math
import os
import sys
import threading
import time

from tqdm import tqdm

__all__ = ["ProgressBar", "epoch_callback"]

# label, bar, epochs done, share, time spent and left: "fold 2/3   [###---] 12/30 epochs  40%".
_FORMAT = (
    "{desc:<10} [{bar:%d}] {n_fmt}/{total_fmt} epochs {percentage:3.0f}%%  "
    "{elapsed}, ~{remaining} left"
)


class _Discard:
    def write(self, text):
        pass

    def flush(self):
        pass


class _Tqdm(tqdm):
    # No monitor thread: the bar is advanced once per epoch from the training thread.
    monitor_interval = 0


class ProgressBar:
    """A text progress bar redrawn in place with ``\\r`` (drawn by tqdm).

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
        self.count = 0
        self.label = ""
        self._closed = False
        # Plain lines: one each time the count reaches the next tenth of the total.
        self._line_step = max(1, math.ceil(self.total / 10))
        self._next_line = self._line_step
        self._last_line_count = 0
        self._last_line_time = None
        self._start = None
        self._bar = _Tqdm(
            total=self.total,
            # Off a terminal tqdm only keeps the count and formats the line; the plain lines
            # are written here, each ended by a newline instead of redrawn.
            file=_Discard() if self.plain else self.stream,
            bar_format=_FORMAT % int(width),
            ascii="-#",
            mininterval=float(min_interval),
            miniters=1,
            disable=not self.enabled,
            dynamic_ncols=False,
            leave=True,
        )

    @classmethod
    def on_stderr(cls, total, *, enabled=None, **kwargs):
        """A bar on a private copy of file descriptor 2.

        Drawing through a duplicate of the descriptor keeps the bar on the terminal even
        while TensorFlow's start-up chatter is filtered by redirecting descriptor 2 (see
        ``skweightimp.utils._quiet``); that filter forwards whole lines only, and a bar has
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
        self._call(self._bar.set_description_str, self.label, refresh=not self.plain)

    def advance(self, steps=1):
        """Count ``steps`` more steps done."""
        steps = min(int(steps), self.total - self.count)
        self.count += steps
        if self._start is None:
            self._start = time.monotonic()
        self._call(self._bar.update, steps)
        if self.plain:
            self._plain_line()
        elif self.count == self.total:
            self._call(self._bar.refresh)  # the last step is always shown

    def _call(self, method, *args, **kwargs):
        if not self.enabled or self._closed:
            return
        try:
            method(*args, **kwargs)
        except (OSError, ValueError):
            # The terminal went away; keep running without a bar.
            self.enabled = False
            self._bar.disable = True

    def _plain_line(self, force=False):
        if not self.enabled or self._closed or self.count <= self._last_line_count:
            return  # nothing new since the last line
        now = time.monotonic()
        since = now - (self._last_line_time or self._start or now)
        if not (force or self.count >= self._next_line or since >= self.line_seconds):
            return
        self._last_line_time = now
        self._last_line_count = self.count
        self._next_line = (self.count // self._line_step + 1) * self._line_step
        line = self._bar.format_meter(**self._bar.format_dict)
        try:
            self.stream.write(line + "\n")
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False

    def close(self):
        """End the line (once); the bar stays on screen as a record of the run."""
        if self._closed:
            return
        if self.plain:
            self._plain_line(force=True)
        if self.enabled and (self.plain or self._start is not None or self.label):
            self._call(self._bar.close)
        else:
            # Nothing was drawn: leave no empty line behind.
            self._bar.leave = False
            self._call(self._bar.close)
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
    """A Keras callback that advances ``bar`` by one step per epoch of each network.

    Parameters
    ----------
    bar : ProgressBar
        The bar to advance.
    labels : sequence of str, default=()
        The label of each successive network: the first fit shows ``labels[0]``, the
        second ``labels[1]``, and so on. A fit that trains several networks as replicas
        of one model (its ``n_replicas`` attribute, see :mod:`skweightimp.estimators._replicas`)
        counts as that many networks: it shows the first and last of their labels and
        advances the bar by that many steps per epoch.

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
    from ..utils._backend import keras

    class _EpochProgress(keras.callbacks.Callback):
        # Counts epochs only: networks trained as replicas may train with it.
        replica_safe = True

        def __init__(self):
            super().__init__()
            self.networks = 0  # networks whose training has begun
            # Groups of replicas train at once in threads, all with this one callback:
            # each thread keeps the model it trains and its width.
            self._local = threading.local()
            self._lock = threading.Lock()

        def __deepcopy__(self, memo):
            return self

        def set_model(self, model):
            super().set_model(model)
            self._local.model = model  # set_model runs in the thread that fits

        def on_train_begin(self, logs=None):
            width = int(getattr(self._local.model, "n_replicas", 1))
            self._local.width = width
            with self._lock:
                first, last = self.networks, self.networks + width - 1
                if last < len(labels):
                    label = labels[first]
                    if width > 1:
                        label = f"{labels[first]} to {labels[last]}, as one model"
                    bar.set_label(label)
                self.networks += width

        def on_epoch_end(self, epoch, logs=None):
            with self._lock:
                bar.advance(self._local.width)

    return _EpochProgress()
