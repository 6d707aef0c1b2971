"""The first-layer weights epoch by epoch: lines against the epoch, and their animation.

:class:`WeightEvolutionDisplay` follows scikit-learn's Display API:
:meth:`~WeightEvolutionDisplay.from_estimator` and
:meth:`~WeightEvolutionDisplay.from_history` select the weights and compute how much
each feature moved, and keep them on the display; :meth:`~WeightEvolutionDisplay.plot`
and :meth:`~WeightEvolutionDisplay.animate` only draw. matplotlib is imported only when
something is drawn.
"""

import numpy as np
from sklearn.utils._param_validation import validate_parameter_constraints

from ..importance._methods import grouped_weight_std
from ..utils._math import check_history
from ..utils._names import check_feature_names, estimator_feature_names
from ..utils._plotting import (
    check_units,
    feature_colors,
    figure_of,
    label_unit_axis,
    line_legend,
    line_plan,
    line_style,
    no_history_message,
    panel_axes,
    pyplot,
    single_axes,
    unit_bars,
    unit_figsize,
    unit_layout,
    unwrap_estimator,
)
from ..utils._validation import Integer, RealNumber

__all__ = ["WeightEvolutionDisplay"]


class WeightEvolutionDisplay:
    """Every first-layer weight against the epoch, as lines or as an animated bar chart.

    From a weight history ``H`` of shape ``(n_snapshots, n_features, n_units)``,
    :meth:`plot` draws ``H[:, i, j]`` against the epoch (one panel per unit, or all in
    one Axes), and :meth:`animate` makes the seed notebook's animated bar chart, one
    frame per epoch.

    Build it with :meth:`from_estimator` or :meth:`from_history`, which select the
    weights and call :meth:`plot`.

    Parameters
    ----------
    weights : ndarray of shape (n_snapshots, n_features, n_units_drawn)
        The weights to draw, after every epoch (their absolute values when
        ``absolute``).
    feature_names : list of str
        One name per feature.
    units : ndarray of int
        The first-layer units (0-based) of the last axis of ``weights``.
    movement : ndarray of shape (n_features,), default=None
        The grouped weight standard deviation of each feature, which picks the features
        ``highlight`` colours (the most moved). None counts every feature alike.
    absolute : bool, default=False
        Whether ``weights`` are absolute values (the y label says so).

    Attributes
    ----------
    ax_ : matplotlib Axes or ndarray of Axes
        The Axes drawn on; with ``per_unit=True`` a 1-d array with one Axes per unit.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.
    lines_ : ndarray of matplotlib Line2D of shape (n_features, n_units_drawn) or None
        After :meth:`plot`: ``lines_[i, k]`` is feature ``i`` at the ``k``-th unit.
    legend_ : matplotlib Legend or None
        After :meth:`plot`: the legend.
    bars_ : matplotlib BarContainer or None
        After :meth:`animate`: the (feature, unit) bars, feature-major.

    See Also
    --------
    WeightDistributionDisplay : How the same weights were spread over the epochs.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skweightimp import WeightEvolutionDisplay
    >>> H = np.random.RandomState(0).normal(scale=0.05, size=(30, 3, 4)).cumsum(axis=0)
    >>> display = WeightEvolutionDisplay.from_history(H, feature_names=["ms", "xs", "noise"])
    >>> display.ax_.shape, display.lines_.shape
    ((4,), (3, 4))
    >>> display = display.plot(per_unit=False)
    >>> display.ax_.get_xlabel()
    'Epoch'
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """

    # Checked with scikit-learn's validate_parameter_constraints by each method.
    _argument_constraints = {
        "absolute": ["boolean"],
        "per_unit": ["boolean"],
        "step": [Integer(1, None, closed="left")],
        "interval": [RealNumber(0, None, closed="neither")],
        "dpi": [RealNumber(0, None, closed="neither")],
    }

    def __init__(self, weights, feature_names, units, *, movement=None, absolute=False):
        validate_parameter_constraints(
            self._argument_constraints, {"absolute": absolute}, caller_name=type(self).__name__
        )
        self.weights = np.asarray(weights, dtype=float)
        self.feature_names = [str(name) for name in feature_names]
        self.units = np.asarray(units, dtype=np.intp)
        self.movement = movement
        self.absolute = absolute
        expected = (len(self.feature_names), len(self.units))
        if self.weights.ndim != 3 or self.weights.shape[1:] != expected:
            raise ValueError(
                f"weights must have shape (n_snapshots, {expected[0]}, {expected[1]}) for "
                f"{expected[0]} feature names and {expected[1]} units; got "
                f"{self.weights.shape}."
            )

    @classmethod
    def from_history(
        cls,
        weight_history,
        *,
        feature_names=None,
        units=None,
        absolute=False,
        ax=None,
        colors=None,
        highlight=None,
        per_unit=True,
        line_kwargs=None,
    ):
        """Select the weights of a history and draw them against the epoch.

        Parameters
        ----------
        weight_history : array-like of shape (n_snapshots, n_features, n_units)
            Recorded first-layer weights, e.g. an estimator's ``weight_history_``.
        feature_names : array-like of str, default=None
            One name per feature; ``x0, x1, ...`` when None.
        units : int or list of int, default=None
            First-layer units (0-based) to keep. None keeps all, except that with
            ``per_unit=True`` at most the first 16 (one panel each, with a warning).
        absolute : bool, default=False
            Keep absolute weights (the seed notebook's scatter plots do).
        ax, colors, highlight, per_unit, line_kwargs
            See :meth:`plot`.

        Returns
        -------
        display : WeightEvolutionDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skweightimp import WeightEvolutionDisplay
        >>> H = np.random.RandomState(0).normal(size=(20, 2, 3)).cumsum(axis=0) * 0.01
        >>> display = WeightEvolutionDisplay.from_history(H, absolute=True, per_unit=False)
        >>> display.ax_.get_ylabel()
        'Absolute Weight'
        """
        validate_parameter_constraints(
            cls._argument_constraints,
            {"absolute": absolute, "per_unit": per_unit},
            caller_name=f"{cls.__name__}.from_history",
        )
        history = check_history(weight_history)
        names = check_feature_names(feature_names, history.shape[1])
        units = check_units(units, history.shape[2], panels=per_unit)
        weights = history[:, :, units]
        display = cls(
            np.abs(weights) if absolute else weights,
            names,
            units,
            movement=grouped_weight_std(history),
            absolute=absolute,
        )
        return display.plot(
            ax=ax, colors=colors, highlight=highlight, per_unit=per_unit, line_kwargs=line_kwargs
        )

    @classmethod
    def from_estimator(cls, estimator, **kwargs):
        """Select the weights of a fitted estimator and draw them against the epoch.

        Parameters
        ----------
        estimator : WeightTrajectoryRegressor, WeightTrajectoryClassifier or Pipeline
            A fitted estimator of this package that kept its weight history
            (``store_history=True``), or a fitted Pipeline whose last step is one.
        **kwargs : dict
            :meth:`from_history` options (``units``, ``absolute``, ``per_unit``, ...).

        Returns
        -------
        display : WeightEvolutionDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import WeightEvolutionDisplay, WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=50, n_features=3, random_state=0)
        >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(2,), epochs=4, random_state=0)
        >>> display = WeightEvolutionDisplay.from_estimator(est.fit(X, y))
        >>> display.lines_.shape
        (3, 2)
        """
        validate_parameter_constraints(
            cls._argument_constraints, kwargs, caller_name=f"{cls.__name__}.from_estimator"
        )
        est, names = unwrap_estimator(estimator)
        history = est.weight_history_
        if history is None:
            raise ValueError(no_history_message("kind='trajectory'", type(est).__name__))
        names = estimator_feature_names(est, names, history.shape[1])
        return cls.from_history(history, feature_names=names, **kwargs)

    def plot(self, ax=None, *, colors=None, highlight=None, per_unit=True, line_kwargs=None):
        """Draw every weight against the epoch.

        Parameters
        ----------
        ax : matplotlib Axes or array-like of Axes, default=None
            Where to draw. None creates a figure. With ``per_unit=True``: one Axes per
            unit, or a single Axes whose area is divided into a grid of panels.
        colors : str or list of colours, default=None
            One colour per feature, or a matplotlib colormap name.
        highlight : None, "all", int or list of str, default=None
            Which features get a colour and a legend entry; the others are drawn thin
            and grey as one "other features" entry. None colours every feature when
            there are at most 10, else the 10 whose weights moved most; an int colours
            that many of the most moved; a list names them.
        per_unit : bool, default=True
            One panel per unit (the seed's layout), else every weight in one Axes.
        line_kwargs : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.plot`, over the defaults.

        Returns
        -------
        display : WeightEvolutionDisplay
            ``self``, with ``ax_``, ``figure_``, ``lines_`` and ``legend_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skweightimp import WeightEvolutionDisplay
        >>> H = np.random.RandomState(0).normal(size=(5, 2, 1)).cumsum(axis=0)
        >>> display = WeightEvolutionDisplay(H, ["a", "b"], units=[0]).plot()
        >>> display.lines_[1, 0].get_xdata().tolist()
        [1, 2, 3, 4, 5]
        """
        validate_parameter_constraints(
            self._argument_constraints,
            {"per_unit": per_unit},
            caller_name=f"{type(self).__name__}.plot",
        )
        pyplot()
        self.bars_ = None
        n_features = len(self.feature_names)
        movement = np.zeros(n_features) if self.movement is None else self.movement
        line_colors, highlighted, order = line_plan(self.feature_names, movement, colors, highlight)
        values = self.weights
        epochs = np.arange(1, values.shape[0] + 1)
        n_drawn = len(self.units)
        if per_unit:
            axes, own = panel_axes(ax, n_drawn)
        else:
            single, own = single_axes(ax, (10.0, 5.0))
            axes = np.array([single] * n_drawn, dtype=object)
        lines = np.empty((n_features, n_drawn), dtype=object)
        for k, (panel, unit) in enumerate(zip(axes, self.units, strict=True)):
            for i in range(n_features):
                kwargs = line_style(line_colors[i], highlighted[i], line_kwargs, 1.5)
                (lines[i, k],) = panel.plot(epochs, values[:, i, k], **kwargs)
            if per_unit:
                panel.set_title(f"Node {unit + 1}", fontsize="medium")
        ylabel = "Absolute Weight" if self.absolute else "Weight"
        drawn = axes if per_unit else axes[:1]
        for panel in drawn:
            panel.set_xlabel("Epoch")
            panel.set_ylabel(ylabel)
            panel.set_xlim(epochs[0], max(epochs[-1], epochs[0] + 1))
        self.lines_ = lines
        self.legend_ = line_legend(
            drawn, own, self.feature_names, line_colors, highlighted, order, line_kwargs
        )
        self.ax_ = axes if per_unit else axes[0]
        self.figure_ = figure_of(self.ax_)
        return self

    def animate(self, *, step=1, interval=50, ax=None, colors=None, bar_kwargs=None):
        """Animate the (feature, unit) weights as bars, one frame per ``step`` epochs.

        The seed notebook's animated bar chart: bar ``"xs 2"`` is the weight from feature
        ``xs`` to unit 2, and the bars move as the network trains. The y range is fixed
        to the range of all the weights.

        Parameters
        ----------
        step : int, default=1
            Draw every ``step``-th snapshot (``step >= 1``); the last one is always drawn.
            Raise it for long trainings (a 500-epoch history with ``step=10`` gives 51
            frames).
        interval : float, default=50
            Delay between frames in milliseconds, ``> 0`` (the seed's 50).
        ax : matplotlib Axes, default=None
            Where to draw; None creates a figure.
        colors : str or list of colours, default=None
            One colour per feature or a colormap name.
        bar_kwargs : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.bar`, over the defaults.

        Returns
        -------
        matplotlib.animation.FuncAnimation
            Save it with ``anim.save("weights.gif", writer="pillow")``, show it in a
            notebook with ``IPython.display.HTML(anim.to_jshtml())``. ``ax_``,
            ``figure_`` and ``bars_`` are set to what it draws.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skweightimp import WeightEvolutionDisplay
        >>> H = np.random.RandomState(0).normal(size=(10, 2, 3)).cumsum(axis=0) * 0.01
        >>> display = WeightEvolutionDisplay(H, ["a", "b"], units=[0, 1, 2])
        >>> anim = display.animate(step=4)
        >>> html = anim.to_jshtml()  # frames after epochs 1, 5, 9 and 10
        >>> "<script" in html, len(display.bars_)
        (True, 6)
        """
        validate_parameter_constraints(
            self._argument_constraints,
            {"step": step, "interval": interval},
            caller_name=f"{type(self).__name__}.animate",
        )
        pyplot()
        from matplotlib.animation import FuncAnimation

        frames, update, _ = self._bar_frames(step, interval, ax, colors, bar_kwargs)
        return FuncAnimation(
            self.figure_, update, frames=frames, interval=interval, cache_frame_data=False
        )

    def to_gif(self, *, step=1, interval=50, dpi=72, colors=None, bar_kwargs=None):
        """The animation of :meth:`animate` as the bytes of a looping GIF.

        The same frames as ``animate(...).save(path, writer="pillow")``, in a fraction of
        the time: the axes, ticks and labels are drawn once and only the bars and the
        title are drawn again for each frame (a full redraw per frame costs about half a
        second for a few hundred bars).

        Parameters
        ----------
        step, interval, colors, bar_kwargs
            As for :meth:`animate`.
        dpi : float, default=72
            Resolution of the frames, ``> 0``.

        Returns
        -------
        bytes
            The GIF file. ``ax_``, ``figure_`` and ``bars_`` are set to what it draws (a
            new figure; close it with ``matplotlib.pyplot.close(display.figure_)``).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skweightimp import WeightEvolutionDisplay
        >>> H = np.random.RandomState(0).normal(size=(10, 2, 3)).cumsum(axis=0) * 0.01
        >>> gif = WeightEvolutionDisplay(H, ["a", "b"], units=[0, 1, 2]).to_gif(step=4)
        >>> gif[:6]  # frames after epochs 1, 5, 9 and 10
        b'GIF89a'
        """
        import io

        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        validate_parameter_constraints(
            self._argument_constraints,
            {"step": step, "interval": interval, "dpi": dpi},
            caller_name=f"{type(self).__name__}.to_gif",
        )
        pyplot()
        frames, update, artists = self._bar_frames(step, interval, None, colors, bar_kwargs)
        fig = self.figure_
        original_canvas, original_dpi = fig.canvas, fig.dpi
        canvas = FigureCanvasAgg(fig)
        fig.set_dpi(dpi)
        try:
            for artist in artists:
                artist.set_animated(True)
            canvas.draw()
            background = canvas.copy_from_bbox(fig.bbox)
            images = []
            for t in frames:
                update(t)
                canvas.restore_region(background)
                for artist in artists:
                    fig.draw_artist(artist)
                size = canvas.get_width_height()
                images.append(Image.frombuffer("RGBA", size, bytes(canvas.buffer_rgba())))
            buffer = io.BytesIO()
            images[0].save(
                buffer,
                format="GIF",
                save_all=True,
                append_images=images[1:],
                duration=int(interval),
                loop=0,
            )
        finally:
            for artist in artists:
                artist.set_animated(False)
            fig.set_dpi(original_dpi)
            fig.set_canvas(original_canvas)
        return buffer.getvalue()

    def _bar_frames(self, step, interval, ax, colors, bar_kwargs):
        """Draw the first frame's bars; return the frames, the update and its artists."""
        values = self.weights
        n_snapshots = values.shape[0]
        frames = list(range(0, n_snapshots, int(step)))
        if frames[-1] != n_snapshots - 1:
            frames.append(n_snapshots - 1)
        colors = feature_colors(len(self.feature_names), colors)
        positions = unit_layout(len(self.feature_names), len(self.units))
        self.lines_ = self.legend_ = None
        ax, own = single_axes(ax, unit_figsize(positions.max() + 1))
        bars = unit_bars(ax, values[frames[0]], positions, colors, bar_kwargs)
        label_unit_axis(ax, positions, self.units, self.feature_names)
        ax.set_ylabel("Absolute Weight" if self.absolute else "Weight")
        low, high = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
        margin = 0.05 * (high - low) or 0.1
        ax.set_ylim(low - margin, high + margin)
        zero = ax.axhline(0.0, color="0.3", linewidth=0.8)
        title = ax.set_title(f"Epoch {frames[0] + 1} of {n_snapshots}")
        if own:
            # Lay the figure out once: redoing it for every frame doubles the time to
            # render and could shift the axes between frames.
            fig = ax.figure
            fig.get_layout_engine().execute(fig)
            fig.set_layout_engine("none")

        def update(t):
            for bar, height in zip(bars, values[t].ravel(), strict=True):
                bar.set_height(height)
            title.set_text(f"Epoch {t + 1} of {n_snapshots}")
            return (*bars, title)

        self.bars_ = bars
        self.ax_ = ax
        self.figure_ = ax.figure
        # The zero line is drawn over the bars, so it moves with them in to_gif.
        return frames, update, (*bars, zero, title)
