"""Plots of a recorded first-layer weight history: the seed notebook's figures as a Display.

:class:`WeightTrajectoryDisplay` follows scikit-learn's Display API (like
:class:`sklearn.metrics.PredictionErrorDisplay`): build it with
:meth:`~WeightTrajectoryDisplay.from_estimator` or
:meth:`~WeightTrajectoryDisplay.from_history`, draw with
:meth:`~WeightTrajectoryDisplay.plot`. It reads a fitted estimator or a weight history and
never trains; every statistic it draws comes from :mod:`skweightimp.importance`.
matplotlib is imported only when something is drawn.
"""

import math
import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd

from ._pipeline import preprocessed_feature_names, split_pipeline
from .importance import (
    BARRAGE_COLUMNS,
    _check_barrage_params,
    _check_history,
    _feature_names,
    barrage_metrics,
    grouped_weight_std,
    normalize_importances,
    weight_std,
)

__all__ = ["KINDS", "SEED_PALETTE", "WeightTrajectoryDisplay"]

#: The seed notebook's colours, one per feature in column order (``ms``, ``xs``, ``cs``,
#: ``noise``): "darker", "important", "light" and "noise".
SEED_PALETTE = ("#5DA2D5", "#F3D250", "#90CCF4", "#F78888")

#: The plots :meth:`WeightTrajectoryDisplay.plot` draws.
KINDS = ("grouped_std", "std", "box", "trajectory", "density", "barrage")

# Kinds that draw one panel per first-layer unit (ax_ is then an array of Axes).
_PANEL_KINDS = ("trajectory", "density")
# Kinds that can be drawn from importance_report_ alone, without the weight history.
_REPORT_KINDS = ("grouped_std", "barrage")
# At most this many per-unit panels are drawn unless ``units`` asks for more.
_MAX_PANELS = 16
# Up to this many (feature, unit) bars or boxes get a tick label each ("xs 1", ...);
# beyond it, one tick per feature.
_MAX_UNIT_TICKS = 48
_DEFAULT_KIND = "grouped_std"
# Line plots colour at most this many features; the rest are drawn grey.
_MAX_LINE_FEATURES = 10
_OTHER_COLOR = "0.8"
# tab10 with black for its grey, which would read as one of the grey "other" features.
_HIGHLIGHT_PALETTE = (
    "tab:blue",
    "tab:orange",
    "tab:green",
    "tab:red",
    "tab:purple",
    "tab:brown",
    "tab:pink",
    "black",
    "tab:olive",
    "tab:cyan",
)

_UNIT_AXIS_LABEL = "Input Column and Node Number"


# ---------------------------------------------------------------------- helpers


def _check_kind(kind):
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(map(repr, KINDS))}; got {kind!r}.")
    return kind


def _check_metric(metric):
    if not isinstance(metric, str) or metric not in BARRAGE_COLUMNS:
        raise ValueError(
            f"metric must be one of the barrage metrics {', '.join(map(repr, BARRAGE_COLUMNS))}; "
            f"got {metric!r}."
        )
    return metric


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - matplotlib is a dependency
        raise ImportError(
            "WeightTrajectoryDisplay needs matplotlib: pip install matplotlib"
        ) from error
    return plt


def _feature_colors(n_features, colors):
    """One colour per feature: the seed palette, then a colormap for more features."""
    from matplotlib import colormaps
    from matplotlib import colors as mcolors

    if colors is None:
        if n_features <= len(SEED_PALETTE):
            return list(SEED_PALETTE[:n_features])
        colors = "tab10" if n_features <= 10 else "tab20" if n_features <= 20 else "viridis"
    if isinstance(colors, str):
        try:
            cmap = colormaps[colors]
        except KeyError:
            raise ValueError(
                f"colors={colors!r} is not a matplotlib colormap name; pass a colormap name "
                "(e.g. 'tab20', 'viridis') or a list of one colour per feature."
            ) from None
        listed = isinstance(cmap, mcolors.ListedColormap) and cmap.N < 256
        if listed and cmap.N >= n_features:
            # A qualitative map (tab10, tab20, Set2, ...): its first colours, all distinct.
            return [cmap(i) for i in range(n_features)]
        # A continuous map: spread the features over it, leaving out the palest end.
        return [cmap(x) for x in np.linspace(0.0, 0.92, n_features)]
    colors = list(colors)
    bad = [c for c in colors if not mcolors.is_color_like(c)]
    if bad:
        raise ValueError(f"colors contains values that are not matplotlib colours: {bad!r}.")
    if len(colors) < n_features:
        raise ValueError(
            f"colors has {len(colors)} colour(s) but there are {n_features} features; pass "
            "one colour per feature or a colormap name."
        )
    return colors[:n_features]


def _merge_kwargs(defaults, user, artist_class):
    """Style keyword arguments: the user's over the defaults, aliases (lw, c, fc) resolved."""
    from matplotlib import cbook

    defaults = cbook.normalize_kwargs(dict(defaults), artist_class)
    user = cbook.normalize_kwargs(dict(user or {}), artist_class)
    if "color" in user or "facecolor" in user:
        # The user's colour replaces the one-colour-per-feature default.
        defaults.pop("color", None)
        defaults.pop("facecolor", None)
    return {**defaults, **user}


def _check_units(units, n_units, panels):
    """Indices of the first-layer units to draw."""
    if units is None:
        if panels and n_units > _MAX_PANELS:
            warnings.warn(
                f"The recorded layer has {n_units} units; drawing one panel for each of the "
                f"first {_MAX_PANELS} only. Pass units=[...] to choose which ones.",
                UserWarning,
                stacklevel=4,
            )
            return np.arange(_MAX_PANELS)
        return np.arange(n_units)
    if isinstance(units, (Integral, np.integer)) and not isinstance(units, bool):
        units = [units]
    try:
        values = np.asarray(units)
    except (TypeError, ValueError):  # pragma: no cover - defensive
        values = np.asarray([], dtype=object)
    ok = (
        values.ndim == 1
        and values.size > 0
        and values.dtype.kind in "iu"
        and (values >= 0).all()
        and (values < n_units).all()
        and np.unique(values).size == values.size
    )
    if not ok:
        raise ValueError(
            f"units must be a non-empty list of distinct unit indices between 0 and "
            f"{n_units - 1}; got {units!r}."
        )
    return values.astype(np.intp)


def _points(size):
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=size).get_size_in_points()


def _axes_size_inches(ax):
    position = ax.get_position()
    width, height = ax.figure.get_size_inches()
    return position.width * width, position.height * height


def _set_ticks(ax, positions, labels, axis="x"):
    """Tick labels that do not overlap: rotated when crowded, thinned when even that fails."""
    positions = np.asarray(positions, dtype=float)
    labels = [str(label) for label in labels]
    n = len(labels)
    width, height = _axes_size_inches(ax)
    fontsize = _points("medium" if n <= 20 else "small")
    char = fontsize / 72 * 0.56  # average character width in inches (DejaVu Sans)
    line = fontsize / 72 * 1.3
    if axis == "y":
        every = max(1, math.ceil(n * line / max(height, 1e-3)))
        ax.set_yticks(positions[::every], labels[::every], fontsize=fontsize)
        return
    longest = max(len(label) for label in labels) * char
    spacing = float(np.diff(np.sort(positions)).min()) if n > 1 else 1.0
    span = float(positions.max() - positions.min()) + 1.6  # the x limits' margins
    slot = width * spacing / span
    if longest + 0.3 * char <= slot:
        ax.set_xticks(positions, labels, fontsize=fontsize)
    elif slot >= 1.5 * line:
        ax.set_xticks(
            positions,
            labels,
            fontsize=fontsize,
            rotation=45,
            ha="right",
            rotation_mode="anchor",
        )
    else:
        every = max(1, math.ceil(line / max(slot, 1e-3)))
        ax.set_xticks(positions[::every], labels[::every], fontsize=fontsize, rotation=90)


def _legend(fig, axes, handles, labels, own_figure):
    """A legend of one entry per feature that does not cover the data."""
    n = len(labels)
    fontsize = _points("medium" if n <= 10 else "small")
    if own_figure:
        rows = max(1, int(fig.get_figheight() * 72 / (fontsize * 1.45)) - 1)
        ncols = max(1, math.ceil(n / rows))
        if len(axes) > 1:
            return fig.legend(
                handles, labels, loc="outside right upper", ncols=ncols, fontsize=fontsize
            )
        return axes[0].legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            borderaxespad=0.0,
            ncols=ncols,
            fontsize=fontsize,
        )
    # The user's axes: keep the legend inside them when it is small, else outside.
    if n <= 10:
        return axes[0].legend(handles, labels, loc="best", fontsize=fontsize)
    return axes[0].legend(
        handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=fontsize
    )


# ---------------------------------------------------------------------- display


class WeightTrajectoryDisplay:
    """Plots of how a network's first-layer weights moved during training.

    The seed notebook's figures, from a weight history ``H`` of shape
    ``(n_snapshots, n_features, n_units)`` (``H[t, i, j]`` is the weight from input
    feature ``i`` to first-layer unit ``j`` after epoch ``t``):

    - ``"grouped_std"``: one bar per feature, the standard deviation over epochs of each
      of its weights summed over units (the raw importance; ``normalize=True`` draws
      ``feature_importances_``);
    - ``"std"``: one bar per (feature, unit) weight, its standard deviation over epochs;
    - ``"box"``: a box plot of each (feature, unit) weight over the epochs;
    - ``"trajectory"``: every weight against the epoch, one panel per unit;
    - ``"density"``: the normal density fitted to each weight, one panel per unit;
    - ``"barrage"``: one of the barrage metrics per feature, sorted.

    Create it with :meth:`from_estimator` or :meth:`from_history`; they call
    :meth:`plot`. :meth:`animate` makes the notebook's animated bar chart.

    Parameters
    ----------
    weight_history : array-like of shape (n_snapshots, n_features, n_units) or None
        Recorded first-layer weights. None when only ``importance_report`` is known (then
        only the ``"grouped_std"`` and ``"barrage"`` kinds can be drawn).
    feature_names : array-like of str, default=None
        One name per feature; the index of ``importance_report`` when given, else
        ``x0, x1, ...``.
    importance_report : pandas.DataFrame, default=None
        The estimator's ``importance_report_`` (one row per feature), the source of the
        ``"barrage"`` metrics. When None they are computed from ``weight_history`` with
        :func:`skweightimp.importance.barrage_metrics` the first time they are needed.
    barrage_domain : tuple of float, default=(-2.0, 2.0)
        Weight interval of the barrage densities: the x range of the ``"density"`` plot
        and the grid of a computed report.
    barrage_num : int, default=1000
        Grid points of the barrage densities of a computed report.
    barrage_threshold : float, default=1.0
        Density a grid value needs to count in the barrage metrics, drawn as a dashed line
        in the ``"density"`` plot.

    Attributes
    ----------
    ax_ : matplotlib Axes or ndarray of Axes
        The Axes drawn on; for the per-unit kinds (``"trajectory"`` with
        ``per_unit=True``, ``"density"``) a 1-d array with one Axes per drawn unit.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.
    kind_ : str
        The kind last drawn.
    bars_ : matplotlib BarContainer or None
        The bars of ``"grouped_std"``, ``"std"``, ``"barrage"`` and of :meth:`animate`, in
        drawing order (for ``"barrage"``, sorted by the metric).
    boxes_ : dict or None
        For ``"box"``: what :meth:`matplotlib.axes.Axes.boxplot` returns (``"boxes"``,
        ``"medians"``, ``"whiskers"``, ``"caps"``, ``"fliers"``), one box per
        (feature, unit), feature-major.
    lines_ : ndarray of matplotlib Line2D of shape (n_features, n_drawn_units) or None
        For ``"trajectory"`` and ``"density"``: ``lines_[i, k]`` is feature ``i`` at the
        ``k``-th drawn unit.
    threshold_lines_ : list of matplotlib Line2D or None
        For ``"density"``: the barrage threshold line of each panel.
    legend_ : matplotlib Legend or None
        The legend of the kinds that have one (``"trajectory"``, ``"density"``).
    texts_ : list of matplotlib Text or None
        For ``"barrage"``: the notes "k degenerate units" next to the features with
        units that count 0 in every barrage metric (see
        :func:`skweightimp.importance.barrage_metrics`).

    See Also
    --------
    skweightimp.importance.importance_report : The numbers behind the plots.
    WeightTrajectoryRegressor : Records the weight history it reads.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skweightimp import WeightTrajectoryDisplay
    >>> rng = np.random.RandomState(0)
    >>> H = rng.normal(scale=0.05, size=(30, 3, 4)).cumsum(axis=0)  # 30 epochs, 4 units
    >>> display = WeightTrajectoryDisplay.from_history(
    ...     H, feature_names=["ms", "xs", "noise"], kind="std")
    >>> len(display.bars_)
    12
    >>> [label.get_text() for label in display.ax_.get_xticklabels()][:5]
    ['ms 1', 'ms 2', 'ms 3', 'ms 4', 'xs 1']
    >>> display = display.plot(kind="density")
    >>> display.ax_.shape, display.lines_.shape
    ((4,), (3, 4))
    """

    def __init__(
        self,
        weight_history,
        *,
        feature_names=None,
        importance_report=None,
        barrage_domain=(-2.0, 2.0),
        barrage_num=1000,
        barrage_threshold=1.0,
    ):
        _check_barrage_params(barrage_domain, barrage_num, barrage_threshold)
        if weight_history is None:
            if importance_report is None:
                raise ValueError(
                    "WeightTrajectoryDisplay needs a weight_history or an importance_report."
                )
            n_features = len(importance_report)
            if feature_names is None:
                feature_names = list(importance_report.index)
        else:
            weight_history = _check_history(weight_history)
            n_features = weight_history.shape[1]
        self.weight_history = weight_history
        self.feature_names = _feature_names(feature_names, n_features)
        if importance_report is not None and len(importance_report) != n_features:
            raise ValueError(
                f"importance_report has {len(importance_report)} rows but there are "
                f"{n_features} features."
            )
        self.importance_report = importance_report
        self.barrage_domain = tuple(float(v) for v in barrage_domain)
        self.barrage_num = int(barrage_num)
        self.barrage_threshold = float(barrage_threshold)

    # ------------------------------------------------------------------ constructors

    @classmethod
    def from_estimator(cls, estimator, *, kind=_DEFAULT_KIND, ax=None, **kwargs):
        """Plot the weight history of a fitted estimator.

        Parameters
        ----------
        estimator : WeightTrajectoryRegressor, WeightTrajectoryClassifier or Pipeline
            A fitted estimator of this package, or a fitted
            :class:`~sklearn.pipeline.Pipeline` whose last step is one. For a Pipeline
            the feature names are those coming out of the steps before the last
            (``pipeline[:-1].get_feature_names_out()``) when they can say, else the
            estimator's ``feature_names_in_``, else ``x0, x1, ...``.
        kind : {"grouped_std", "std", "box", "trajectory", "density", "barrage"}, \
                default="grouped_std"
            The plot to draw; see :meth:`plot`.
        ax : matplotlib Axes or array of Axes, default=None
            Where to draw; see :meth:`plot`.
        **kwargs : dict
            Further :meth:`plot` options (``units``, ``colors``, ``showfliers``,
            ``absolute``, ``per_unit``, ``normalize``, ``metric``, ``bar_kwargs``, ...).

        Returns
        -------
        display : WeightTrajectoryDisplay
            The display, with the drawn artists as attributes.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If the estimator is not fitted.
        TypeError
            If the estimator (or the Pipeline's last step) is not an estimator of this
            package.
        ValueError
            If the estimator kept no weight history (``weight_history_`` is None) and the
            kind needs it.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn.datasets import make_regression
        >>> from sklearn.pipeline import make_pipeline
        >>> from sklearn.preprocessing import StandardScaler
        >>> from skweightimp import WeightTrajectoryDisplay, WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=100, n_features=3, random_state=0)
        >>> pipe = make_pipeline(
        ...     StandardScaler(),
        ...     WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=5, random_state=0),
        ... ).fit(X, y)
        >>> display = WeightTrajectoryDisplay.from_estimator(pipe, kind="grouped_std")
        >>> [label.get_text() for label in display.ax_.get_xticklabels()]
        ['x0', 'x1', 'x2']
        """
        _check_kind(kind)
        est, names = _unwrap_estimator(estimator)
        history = est.weight_history_
        report = None
        if history is None and kind not in _REPORT_KINDS:
            raise ValueError(_no_history_message(f"kind={kind!r}", type(est).__name__))
        if history is None or kind == "barrage":
            # Without a history the report is all there is; with one, the barrage metrics
            # are the estimator's (cached, with its barrage settings). Other kinds do not
            # need the report, so it is not computed for them.
            try:
                report = est.importance_report_
            except AttributeError:
                raise ValueError(
                    _no_history_message(f"kind={kind!r}", type(est).__name__)
                ) from None
        n_features = history.shape[1] if history is not None else len(report)
        if names is None or len(names) != n_features:
            names = _estimator_feature_names(est, n_features)
        if report is not None:
            report = report.copy()
            report.index = pd.Index(names, name=report.index.name)
        display = cls(
            history,
            feature_names=names,
            importance_report=report,
            barrage_domain=tuple(est.barrage_domain),
            barrage_num=est.barrage_num,
            barrage_threshold=est.barrage_threshold,
        )
        return display.plot(ax=ax, kind=kind, **kwargs)

    @classmethod
    def from_history(
        cls, weight_history, *, feature_names=None, kind=_DEFAULT_KIND, ax=None, **kwargs
    ):
        """Plot a weight history given as an array.

        Parameters
        ----------
        weight_history : array-like of shape (n_snapshots, n_features, n_units)
            Recorded first-layer weights, e.g. an estimator's ``weight_history_``.
        feature_names : array-like of str, default=None
            One name per feature; ``x0, x1, ...`` when None.
        kind : {"grouped_std", "std", "box", "trajectory", "density", "barrage"}, \
                default="grouped_std"
            The plot to draw; see :meth:`plot`.
        ax : matplotlib Axes or array of Axes, default=None
            Where to draw; see :meth:`plot`.
        **kwargs : dict
            Further :meth:`plot` options.

        Returns
        -------
        display : WeightTrajectoryDisplay
            The display, with the drawn artists as attributes.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skweightimp import WeightTrajectoryDisplay
        >>> H = np.random.RandomState(0).normal(size=(20, 2, 3)).cumsum(axis=0) * 0.01
        >>> display = WeightTrajectoryDisplay.from_history(
        ...     H, feature_names=["a", "b"], kind="barrage", metric="len")
        >>> display.ax_.get_xlabel()
        'Len'
        """
        _check_kind(kind)
        display = cls(weight_history, feature_names=feature_names)
        return display.plot(ax=ax, kind=kind, **kwargs)

    # ------------------------------------------------------------------ data

    def _require_history(self, what):
        if self.weight_history is None:
            raise ValueError(_no_history_message(what, None))
        return self.weight_history

    def _report(self):
        """``importance_report`` when given, else the barrage metrics of the history."""
        if self.importance_report is not None:
            return self.importance_report
        if getattr(self, "_barrage", None) is None:
            self._barrage = barrage_metrics(
                self.weight_history,
                feature_names=self.feature_names,
                domain=self.barrage_domain,
                num=self.barrage_num,
                threshold=self.barrage_threshold,
            )
        return self._barrage

    # ------------------------------------------------------------------ plot

    def plot(
        self,
        ax=None,
        *,
        kind=None,
        units=None,
        colors=None,
        highlight=None,
        normalize=False,
        showfliers=False,
        absolute=False,
        per_unit=True,
        metric="len",
        domain=None,
        show_threshold=True,
        bar_kwargs=None,
        box_kwargs=None,
        line_kwargs=None,
    ):
        """Draw one of the plots.

        Parameters
        ----------
        ax : matplotlib Axes or array-like of Axes, default=None
            Where to draw. None creates a figure sized for the number of features and
            units. The per-unit kinds (``"trajectory"`` with ``per_unit=True`` and
            ``"density"``) take one Axes per drawn unit, or a single Axes whose area is
            divided into a grid of panels.
        kind : {"grouped_std", "std", "box", "trajectory", "density", "barrage"}, \
                default=None
            The plot (None: the kind drawn last, at first ``"grouped_std"``):

            - ``"grouped_std"``: one bar per feature, the grouped weight standard
              deviation ``g[i] = sum_j std_t H[t, i, j]``;
            - ``"std"``: one bar per (feature, unit), ``std_t H[t, i, j]``, coloured by
              feature and labelled ``"<feature> <unit>"`` (units counted from 1);
            - ``"box"``: a box per (feature, unit) of its weights over the epochs;
            - ``"trajectory"``: each weight against the epoch;
            - ``"density"``: the normal density fitted to each weight's trajectory, on
              ``domain``, one panel per unit, with the barrage threshold;
            - ``"barrage"``: horizontal bars of one barrage ``metric`` per feature,
              sorted (largest on top).
        units : int or list of int, default=None
            First-layer units (0-based) to draw, for the kinds that show units. None
            draws all, except that the per-unit kinds draw at most the first 16 panels
            (with a warning).
        colors : str or list of colours, default=None
            One colour per feature, or a matplotlib colormap name. None uses the seed
            notebook's palette (``SEED_PALETTE``) for up to 4 features, ``tab10`` /
            ``tab20`` up to 10 / 20 features and ``viridis`` beyond.
        highlight : None, "all", int or list of str, default=None
            ``"trajectory"`` and ``"density"`` only: which features get a colour and a
            legend entry; the others are drawn thin and grey as one "other features"
            entry, so that a plot of many features stays readable. None colours every
            feature when there are at most 10, else the 10 whose weights moved most
            (largest grouped standard deviation); an int colours that many of the
            most moved; a list names them. Unless ``colors`` is given, a highlighted
            subset is coloured with ``tab10`` (black for its grey) in order of
            movement, and the y range of ``"density"`` fits the highlighted densities
            (taller grey ones are cut).
        normalize : bool, default=False
            ``"grouped_std"`` only: draw ``feature_importances_`` (the grouped std
            divided by its sum) instead of the raw grouped std.
        showfliers : bool, default=False
            ``"box"`` only: draw the outlying weights beyond the whiskers.
        absolute : bool, default=False
            ``"trajectory"`` only: draw absolute weights (the seed notebook's scatter
            plots do).
        per_unit : bool, default=True
            ``"trajectory"`` only: one panel per unit (the seed's layout), else every
            weight in one Axes.
        metric : {"len", "max", "sum", "mean", "stdev"}, default="len"
            ``"barrage"`` only: the barrage metric to draw
            (``skweightimp.importance.BARRAGE_COLUMNS``).
        domain : tuple of float or "auto", default=None
            ``"density"`` only: the weight interval drawn. None uses
            ``barrage_domain`` (the seed's ``(-2, 2)``), the interval the barrage
            metrics look at; ``"auto"`` covers every drawn density (its mean plus or
            minus 3 standard deviations), which shows weights that ended far outside it.
        show_threshold : bool, default=True
            ``"density"`` only: draw the barrage threshold, the density a grid value
            needs to count in the barrage metrics.
        bar_kwargs : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.bar` (``barh`` for ``"barrage"``),
            over the defaults.
        box_kwargs : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.boxplot`, over the defaults; a
            ``boxprops`` colour replaces the per-feature colours.
        line_kwargs : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.plot`, over the defaults.

        Returns
        -------
        display : WeightTrajectoryDisplay
            ``self``, with ``ax_``, ``figure_``, ``kind_`` and the artists of the kind
            (``bars_``, ``boxes_``, ``lines_``, ``threshold_lines_``, ``legend_``,
            ``texts_``) set;
            the artist attributes of other kinds are None.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skweightimp import WeightTrajectoryDisplay
        >>> H = np.random.RandomState(0).normal(size=(20, 2, 3)).cumsum(axis=0) * 0.01
        >>> display = WeightTrajectoryDisplay(H, feature_names=["a", "b"])
        >>> display = display.plot(kind="box", showfliers=True)
        >>> len(display.boxes_["boxes"])
        6
        >>> display = display.plot(kind="trajectory", per_unit=False, absolute=True)
        >>> display.lines_.shape, display.ax_.get_ylabel()
        ((2, 3), 'Absolute Weight')
        """
        kind = _check_kind(getattr(self, "kind_", _DEFAULT_KIND) if kind is None else kind)
        if kind == "barrage":
            _check_metric(metric)
        if kind not in _REPORT_KINDS:
            self._require_history(f"kind={kind!r}")
        flags = {
            "normalize": normalize,
            "showfliers": showfliers,
            "absolute": absolute,
            "per_unit": per_unit,
            "show_threshold": show_threshold,
        }
        for name, value in flags.items():
            if not isinstance(value, (bool, np.bool_)):
                raise ValueError(f"{name} must be True or False; got {value!r}.")
        _pyplot()
        self.bars_ = self.boxes_ = self.lines_ = self.threshold_lines_ = self.legend_ = None
        self.texts_ = None
        if kind in _PANEL_KINDS:
            # The line kinds choose their colours with ``highlight``.
            line_colors, colors = colors, None
        else:
            colors = _feature_colors(len(self.feature_names), colors)

        if kind == "grouped_std":
            self._plot_grouped_std(ax, colors, normalize, bar_kwargs)
        elif kind == "barrage":
            self._plot_barrage(ax, colors, metric, bar_kwargs)
        elif kind == "std":
            self._plot_std(ax, colors, units, bar_kwargs)
        elif kind == "box":
            self._plot_box(ax, colors, units, showfliers, box_kwargs)
        elif kind == "trajectory":
            self._plot_trajectory(
                ax, line_colors, highlight, units, absolute, per_unit, line_kwargs
            )
        else:
            self._plot_density(
                ax, line_colors, highlight, units, domain, show_threshold, line_kwargs
            )
        self.kind_ = kind
        return self

    # ------------------------------------------------------------------ axes

    def _single_axes(self, ax, figsize):
        """The Axes to draw a one-panel plot on, and whether we made its figure."""
        from matplotlib.axes import Axes

        if ax is None:
            plt = _pyplot()
            fig, ax = plt.subplots(figsize=figsize, layout="constrained")
            return ax, True
        if isinstance(ax, np.ndarray) and ax.size == 1:
            ax = ax.item()
        if not isinstance(ax, Axes):
            raise ValueError(
                f"ax must be a matplotlib Axes for this plot; got {type(ax).__name__}."
            )
        return ax, False

    def _panel_axes(self, ax, n_panels):
        """One Axes per panel: new ones, the user's, or a grid inside the user's one."""
        from matplotlib.axes import Axes

        ncols = 1 if n_panels == 1 else 2 if n_panels <= 4 else 3 if n_panels <= 9 else 4
        nrows = math.ceil(n_panels / ncols)
        if ax is None:
            plt = _pyplot()
            figsize = (min(16.0, 1.0 + 5.2 * ncols), min(14.0, 0.6 + 3.0 * nrows))
            fig, grid = plt.subplots(
                nrows, ncols, figsize=figsize, layout="constrained", squeeze=False
            )
            axes = grid.ravel()
            for extra in axes[n_panels:]:
                fig.delaxes(extra)
            return axes[:n_panels], True
        if isinstance(ax, Axes):
            if n_panels == 1:
                return np.array([ax], dtype=object), False
            spec = ax.get_subplotspec()
            if spec is None:
                raise ValueError(
                    f"This plot needs {n_panels} Axes (one per unit); pass an array of "
                    f"{n_panels} Axes, an Axes made by plt.subplots (its area is then "
                    "divided), or ax=None."
                )
            ax.set_axis_off()
            sub = spec.subgridspec(nrows, ncols)
            fig = ax.figure
            axes = np.array([fig.add_subplot(sub[k]) for k in range(n_panels)], dtype=object)
            return axes, False
        axes = np.asarray(ax, dtype=object).ravel()
        if axes.size < n_panels or not all(isinstance(a, Axes) for a in axes):
            raise ValueError(
                f"This plot needs {n_panels} matplotlib Axes (one per unit); got "
                f"{axes.size} object(s) in ax."
            )
        for extra in axes[n_panels:]:
            extra.set_visible(False)
        return axes[:n_panels], False

    def _finish(self, ax):
        self.ax_ = ax
        first = ax.flat[0] if isinstance(ax, np.ndarray) else ax
        self.figure_ = first.figure

    # ------------------------------------------------------------------ kinds

    def _unit_layout(self, units):
        """x positions of the (feature, unit) bars or boxes, grouped by feature."""
        n_features = len(self.feature_names)
        n_drawn = len(units)
        gap = 1 if n_drawn > 1 else 0
        positions = (
            np.arange(n_features)[:, np.newaxis] * (n_drawn + gap) + np.arange(n_drawn)
        ).astype(float)
        return positions

    def _unit_figsize(self, n_slots):
        return (float(np.clip(2.0 + 0.32 * n_slots, 6.4, 16.0)), 5.0)

    def _label_unit_axis(self, ax, positions, units):
        n_features, n_drawn = positions.shape
        if positions.size <= _MAX_UNIT_TICKS:
            labels = [f"{name} {u + 1}" for name in self.feature_names for u in units]
            _set_ticks(ax, positions.ravel(), labels)
            ax.set_xlabel(_UNIT_AXIS_LABEL)
        else:
            _set_ticks(ax, positions.mean(axis=1), self.feature_names)
            if n_drawn == 1:
                nodes = f"node {units[0] + 1}"
            elif np.array_equal(units, np.arange(units[0], units[0] + n_drawn)):
                nodes = f"nodes {units[0] + 1}-{units[-1] + 1} left to right"
            else:
                nodes = "the chosen nodes left to right"
            ax.set_xlabel(f"Input Column ({nodes})")
        ax.set_xlim(positions.min() - 0.8, positions.max() + 0.8)

    def _unit_bars(self, ax, values, positions, colors, bar_kwargs):
        from matplotlib.patches import Rectangle

        n_drawn = positions.shape[1]
        bar_colors = [colors[i] for i in range(positions.shape[0]) for _ in range(n_drawn)]
        kwargs = _merge_kwargs({"color": bar_colors, "width": 0.8}, bar_kwargs, Rectangle)
        return ax.bar(positions.ravel(), values.ravel(), **kwargs)

    def _plot_grouped_std(self, ax, colors, normalize, bar_kwargs):
        from matplotlib.patches import Rectangle

        if self.weight_history is not None:
            values = grouped_weight_std(self.weight_history)
        else:
            values = self._report()["weight_std"].to_numpy(dtype=float)
        if normalize:
            values = normalize_importances(values)
        n = len(values)
        ax, _ = self._single_axes(ax, (float(np.clip(2.0 + 0.55 * n, 6.4, 16.0)), 4.8))
        kwargs = _merge_kwargs({"color": colors, "width": 0.8}, bar_kwargs, Rectangle)
        self.bars_ = ax.bar(np.arange(n), values, **kwargs)
        _set_ticks(ax, np.arange(n), self.feature_names)
        ax.set_xlim(-0.7, n - 0.3)
        ax.set_xlabel("Input Column")
        ax.set_ylabel("Importance" if normalize else "Grouped Standard Deviation")
        self._finish(ax)

    def _plot_barrage(self, ax, colors, metric, bar_kwargs):
        from matplotlib.patches import Rectangle

        values = self._report()[metric].to_numpy(dtype=float)
        order = np.argsort(values, kind="stable")  # ascending: the largest on top
        n = len(values)
        ax, _ = self._single_axes(ax, (6.4, float(np.clip(1.0 + 0.28 * n, 2.6, 12.0))))
        kwargs = _merge_kwargs(
            {"color": [colors[i] for i in order], "height": 0.8}, bar_kwargs, Rectangle
        )
        self.bars_ = ax.barh(np.arange(n), values[order], **kwargs)
        _set_ticks(ax, np.arange(n), [self.feature_names[i] for i in order], axis="y")
        ax.set_ylim(-0.7, n - 0.3)
        # A unit whose density had too few grid values above the threshold counts 0 in
        # every metric; say so next to the bar, or a zero bar reads as "unimportant".
        report = self._report()
        self.texts_ = []
        if "n_degenerate_units" in report:
            degenerate = report["n_degenerate_units"].to_numpy()[order]
            fontsize = _points("small" if n <= 20 else "x-small")
            for row, (count, value) in enumerate(zip(degenerate, values[order], strict=True)):
                if count > 0:
                    text = f" {count} degenerate unit{'s' if count != 1 else ''}"
                    self.texts_.append(
                        ax.text(value, row, text, va="center", color="0.35", fontsize=fontsize)
                    )
            if self.texts_:
                right = float(values.max()) if values.max() > 0 else 1.0
                ax.set_xlim(0.0, right * 1.3)
        ax.set_ylabel("Input")
        ax.set_xlabel(metric.capitalize())
        self._finish(ax)

    def _plot_std(self, ax, colors, units, bar_kwargs):
        history = self.weight_history
        units = _check_units(units, history.shape[2], panels=False)
        values = weight_std(history)[:, units]
        positions = self._unit_layout(units)
        ax, _ = self._single_axes(ax, self._unit_figsize(positions.max() + 1))
        self.bars_ = self._unit_bars(ax, values, positions, colors, bar_kwargs)
        self._label_unit_axis(ax, positions, units)
        ax.set_ylabel("Standard Deviation")
        self._finish(ax)

    def _plot_box(self, ax, colors, units, showfliers, box_kwargs):
        history = self.weight_history
        units = _check_units(units, history.shape[2], panels=False)
        positions = self._unit_layout(units)
        ax, _ = self._single_axes(ax, self._unit_figsize(positions.max() + 1))
        data = [history[:, i, j] for i in range(history.shape[1]) for j in units]
        defaults = {
            "widths": 0.7,
            "patch_artist": True,
            "showfliers": showfliers,
            "medianprops": {"color": "black", "linewidth": 1.2},
            "whiskerprops": {"color": "0.35"},
            "capprops": {"color": "0.35"},
            "flierprops": {"marker": "o", "markersize": 3, "alpha": 0.6},
        }
        user = dict(box_kwargs or {})
        kwargs = {**defaults, **user}
        for key, value in defaults.items():
            if isinstance(value, dict) and isinstance(user.get(key), dict):
                kwargs[key] = {**value, **user[key]}
        user_box_color = any(
            key in (user.get("boxprops") or {}) for key in ("color", "facecolor", "fc", "c")
        )
        self.boxes_ = ax.boxplot(data, positions=positions.ravel(), manage_ticks=False, **kwargs)
        n_drawn = len(units)
        for k, box in enumerate(self.boxes_["boxes"]):
            color = colors[k // n_drawn]
            if not user_box_color:
                if hasattr(box, "set_facecolor"):
                    box.set_facecolor(color)
                    box.set_edgecolor("0.25")
                else:
                    box.set_color(color)
            flier_props = user.get("flierprops") or {}
            if "markerfacecolor" not in flier_props and k < len(self.boxes_["fliers"]):
                flier = self.boxes_["fliers"][k]
                flier.set_markerfacecolor(color)
                flier.set_markeredgecolor("none")
        self._label_unit_axis(ax, positions, units)
        ax.set_ylabel("Weight Values")
        self._finish(ax)

    def _line_plan(self, colors, highlight):
        """Colour of each feature's lines, which features stand out, and the legend order.

        Up to 10 features (or ``highlight="all"``) each get their colour. With more, the
        ``highlight`` features (by default the 10 whose weights moved most) get distinct
        colours and the rest are drawn thin and grey, as one "other features" entry.
        """
        n = len(self.feature_names)
        scores = grouped_weight_std(self.weight_history)
        if highlight is None:
            highlight = "all" if n <= _MAX_LINE_FEATURES else _MAX_LINE_FEATURES
        if isinstance(highlight, str) and highlight == "all":
            chosen = np.arange(n)
        elif isinstance(highlight, (Integral, np.integer)) and not isinstance(highlight, bool):
            if not 1 <= highlight <= n:
                raise ValueError(
                    f"highlight must be between 1 and the number of features ({n}); "
                    f"got {highlight!r}."
                )
            chosen = np.argsort(-scores, kind="stable")[: int(highlight)]
        else:
            try:
                wanted = [str(name) for name in highlight]
            except TypeError:
                wanted = None
            unknown = None if wanted is None else [w for w in wanted if w not in self.feature_names]
            if wanted is None or not wanted or unknown:
                raise ValueError(
                    "highlight must be None, 'all', a number of features or a list of "
                    f"feature names; got {highlight!r}"
                    + (f" (unknown names {unknown})." if unknown else ".")
                )
            chosen = np.array(sorted({self.feature_names.index(w) for w in wanted}))
        if len(chosen) == n:
            return _feature_colors(n, colors), np.ones(n, dtype=bool), list(range(n))
        # The highlighted features, most moved first.
        order = sorted(chosen, key=lambda i: -scores[i])
        if colors is None:
            palette = _feature_colors(len(order), _HIGHLIGHT_PALETTE if len(order) <= 10 else None)
            feature_colors = [_OTHER_COLOR] * n
            for rank, i in enumerate(order):
                feature_colors[i] = palette[rank]
        else:
            feature_colors = _feature_colors(n, colors)
        highlighted = np.zeros(n, dtype=bool)
        highlighted[chosen] = True
        return feature_colors, highlighted, [int(i) for i in order]

    def _line_legend(self, axes, own, feature_colors, highlighted, order, line_kwargs, extra=()):
        from matplotlib.lines import Line2D

        handles, labels = [], []
        for i in order:
            kwargs = _merge_kwargs(
                {"color": feature_colors[i], "linewidth": 1.5}, line_kwargs, Line2D
            )
            kwargs.pop("linestyle", None)
            handles.append(Line2D([], [], **kwargs))
            labels.append(self.feature_names[i])
        n_other = int((~highlighted).sum())
        if n_other:
            handles.append(Line2D([], [], color=_OTHER_COLOR, linewidth=1.0))
            labels.append(f"{n_other} other features")
        for handle, label in extra:
            handles.append(handle)
            labels.append(label)
        return _legend(axes[0].figure, axes, handles, labels, own)

    @staticmethod
    def _line_kwargs(color, highlighted, line_kwargs, linewidth):
        from matplotlib.lines import Line2D

        if highlighted:
            defaults = {"color": color, "linewidth": linewidth, "zorder": 2.5}
        else:
            defaults = {"color": color, "linewidth": 0.8, "zorder": 2.0}
        return _merge_kwargs(defaults, line_kwargs, Line2D)

    def _plot_trajectory(self, ax, colors, highlight, units, absolute, per_unit, line_kwargs):
        history = self.weight_history
        units = _check_units(units, history.shape[2], panels=per_unit)
        feature_colors, highlighted, order = self._line_plan(colors, highlight)
        values = np.abs(history) if absolute else history
        epochs = np.arange(1, history.shape[0] + 1)
        n_features = history.shape[1]
        if per_unit:
            axes, own = self._panel_axes(ax, len(units))
        else:
            single, own = self._single_axes(ax, (10.0, 5.0))
            axes = np.array([single] * len(units), dtype=object)
        lines = np.empty((n_features, len(units)), dtype=object)
        for k, (panel, unit) in enumerate(zip(axes, units, strict=True)):
            for i in range(n_features):
                kwargs = self._line_kwargs(feature_colors[i], highlighted[i], line_kwargs, 1.5)
                (lines[i, k],) = panel.plot(epochs, values[:, i, unit], **kwargs)
            if per_unit:
                panel.set_title(f"Node {unit + 1}", fontsize="medium")
        ylabel = "Absolute Weight" if absolute else "Weight"
        drawn = axes if per_unit else axes[:1]
        for panel in drawn:
            panel.set_xlabel("Epoch")
            panel.set_ylabel(ylabel)
            panel.set_xlim(epochs[0], max(epochs[-1], epochs[0] + 1))
        self.lines_ = lines
        self.legend_ = self._line_legend(
            drawn, own, feature_colors, highlighted, order, line_kwargs
        )
        self._finish(axes if per_unit else axes[0])

    def _density_domain(self, domain, mu, sigma):
        if domain is None:
            return self.barrage_domain
        if isinstance(domain, str):
            if domain != "auto":
                raise ValueError(
                    f"domain must be None, 'auto' or a pair (low, high); got {domain!r}."
                )
            low = float((mu - 3.0 * sigma).min())
            high = float((mu + 3.0 * sigma).max())
            pad = 0.05 * (high - low) or max(0.1 * abs(low), 0.1)
            return low - pad, high + pad
        try:
            low, high, _, _ = _check_barrage_params(domain, 2, 1.0)
        except ValueError:
            raise ValueError(
                f"domain must be None, 'auto' or a pair (low, high) with low < high; got "
                f"{domain!r}."
            ) from None
        return low, high

    def _plot_density(self, ax, colors, highlight, units, domain, show_threshold, line_kwargs):
        from matplotlib.lines import Line2D

        history = self.weight_history
        units = _check_units(units, history.shape[2], panels=True)
        feature_colors, highlighted, order = self._line_plan(colors, highlight)
        mu = history.mean(axis=0)
        sigma = weight_std(history)
        low, high = self._density_domain(domain, mu[:, units], sigma[:, units])
        grid = np.linspace(low, high, 1000)
        axes, own = self._panel_axes(ax, len(units))
        n_features = history.shape[1]
        lines = np.empty((n_features, len(units)), dtype=object)
        thresholds = []
        for k, (panel, unit) in enumerate(zip(axes, units, strict=True)):
            for i in range(n_features):
                kwargs = self._line_kwargs(feature_colors[i], highlighted[i], line_kwargs, 1.5)
                m, s = mu[i, unit], sigma[i, unit]
                if s > 0:
                    z = (grid - m) / s
                    density = np.exp(-0.5 * z * z) / (np.sqrt(2.0 * np.pi) * s)
                    (lines[i, k],) = panel.plot(grid, density, **kwargs)
                else:
                    # A weight that never moved: its "density" is a spike at its value.
                    kwargs.setdefault("linestyle", ":")
                    lines[i, k] = panel.axvline(m, **kwargs)
            if show_threshold:
                thresholds.append(
                    panel.axhline(
                        self.barrage_threshold, color="0.45", linestyle="--", linewidth=0.9
                    )
                )
            panel.set_xlim(low, high)
            if not highlighted.all():
                # The grey densities of the features that barely moved are tall spikes;
                # fit the y range to the highlighted ones (and the threshold) instead.
                peaks = [
                    lines[i, k].get_ydata().max()
                    for i in np.flatnonzero(highlighted)
                    if sigma[i, unit] > 0
                ]
                top = max([*peaks, self.barrage_threshold if show_threshold else 0.0])
                if top > 0:
                    panel.set_ylim(-0.03 * top, 1.15 * top)
            panel.set_title(f"Node {unit + 1}", fontsize="medium")
            panel.set_xlabel("Weight")
            panel.set_ylabel("Probability Density")
        self.lines_ = lines
        self.threshold_lines_ = thresholds if show_threshold else None
        extra = []
        if thresholds:
            proxy = Line2D([], [], color="0.45", linestyle="--", linewidth=0.9)
            extra.append((proxy, "barrage threshold"))
        self.legend_ = self._line_legend(
            axes, own, feature_colors, highlighted, order, line_kwargs, extra
        )
        self._finish(axes)

    # ------------------------------------------------------------------ animation

    def animate(self, *, step=1, interval=50, ax=None, units=None, colors=None, bar_kwargs=None):
        """Animate the (feature, unit) weights as bars, one frame per ``step`` epochs.

        The seed notebook's animated bar chart: bar ``"xs 2"`` is the weight from feature
        ``xs`` to unit 2, and the bars move as the network trains. The y range is fixed
        to the range of all recorded weights.

        Parameters
        ----------
        step : int, default=1
            Draw every ``step``-th snapshot; the last one is always drawn. Raise it for
            long trainings (a 500-epoch history with ``step=10`` gives 51 frames).
        interval : int, default=50
            Delay between frames in milliseconds (the seed's 50).
        ax : matplotlib Axes, default=None
            Where to draw; None creates a figure.
        units : int or list of int, default=None
            First-layer units to draw; None draws all.
        colors : str or list of colours, default=None
            One colour per feature or a colormap name, as in :meth:`plot`.
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
        >>> from skweightimp import WeightTrajectoryDisplay
        >>> H = np.random.RandomState(0).normal(size=(10, 2, 3)).cumsum(axis=0) * 0.01
        >>> display = WeightTrajectoryDisplay(H, feature_names=["a", "b"])
        >>> anim = display.animate(step=4)
        >>> html = anim.to_jshtml()  # frames after epochs 1, 5, 9 and 10
        >>> "<script" in html
        True
        """
        history = self._require_history("animate")
        if not isinstance(step, (Integral, np.integer)) or isinstance(step, bool) or step < 1:
            raise ValueError(f"step must be a positive integer; got {step!r}.")
        if not isinstance(interval, Real) or isinstance(interval, bool) or interval <= 0:
            raise ValueError(
                f"interval must be a positive number of milliseconds; got {interval!r}."
            )
        _pyplot()
        from matplotlib.animation import FuncAnimation

        n_snapshots = history.shape[0]
        frames = list(range(0, n_snapshots, int(step)))
        if frames[-1] != n_snapshots - 1:
            frames.append(n_snapshots - 1)
        units = _check_units(units, history.shape[2], panels=False)
        colors = _feature_colors(len(self.feature_names), colors)
        values = history[:, :, units]
        positions = self._unit_layout(units)
        self.bars_ = self.boxes_ = self.lines_ = self.threshold_lines_ = self.legend_ = None
        self.texts_ = None
        ax, own = self._single_axes(ax, self._unit_figsize(positions.max() + 1))
        bars = self._unit_bars(ax, values[frames[0]], positions, colors, bar_kwargs)
        self._label_unit_axis(ax, positions, units)
        ax.set_ylabel("Weight")
        low, high = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
        margin = 0.05 * (high - low) or 0.1
        ax.set_ylim(low - margin, high + margin)
        ax.axhline(0.0, color="0.3", linewidth=0.8)
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

        animation = FuncAnimation(
            ax.figure, update, frames=frames, interval=interval, cache_frame_data=False
        )
        self.bars_ = bars
        self._finish(ax)
        return animation


# ---------------------------------------------------------------------- estimators


def _no_history_message(what, estimator_name):
    owner = f"{estimator_name}.weight_history_" if estimator_name else "weight_history"
    return (
        f"{what} needs the full weight history, but {owner} is None (the estimator was "
        "fitted with store_history=False, or never trained). Fit with store_history=True "
        f"to draw it; only the kinds {list(_REPORT_KINDS)} can be drawn from "
        "importance_report_ alone."
    )


def _unwrap_estimator(estimator):
    """The fitted estimator of this package inside ``estimator``, and Pipeline feature names."""
    from sklearn.utils.validation import check_is_fitted

    preprocessor, final = split_pipeline(estimator, caller="from_estimator")
    check_is_fitted(final)
    return final, preprocessed_feature_names(preprocessor)


def _estimator_feature_names(estimator, n_features):
    names = getattr(estimator, "feature_names_in_", None)
    if names is not None and len(names) == n_features:
        return [str(n) for n in names]
    return [f"x{i}" for i in range(n_features)]
