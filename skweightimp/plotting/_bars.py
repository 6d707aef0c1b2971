"""Bar charts of how much each first-layer weight moved: per feature, per weight, barrage.

:class:`WeightBarDisplay` follows scikit-learn's Display API: :meth:`~WeightBarDisplay.
from_estimator`, :meth:`~WeightBarDisplay.from_history` and :meth:`~WeightBarDisplay.
from_report` compute the values and keep them on the display; :meth:`~WeightBarDisplay.plot`
only draws them. matplotlib is imported only when something is drawn.
"""

import numpy as np
from sklearn.utils._param_validation import StrOptions, validate_parameter_constraints

from ..importance._methods import (
    BARRAGE_COLUMNS,
    barrage_metrics,
    grouped_weight_std,
    normalize_importances,
    weight_std,
)
from ..utils._math import check_history
from ..utils._names import check_feature_names, estimator_feature_names
from ..utils._plotting import (
    REPORT_KINDS,
    check_units,
    feature_colors,
    figure_of,
    label_unit_axis,
    merge_kwargs,
    no_history_message,
    plain_text,
    points,
    pyplot,
    set_ticks,
    single_axes,
    unit_bars,
    unit_figsize,
    unit_layout,
    unwrap_estimator,
)

__all__ = ["WeightBarDisplay"]

# The ``kind`` values of WeightBarDisplay.
_BAR_KINDS = ("grouped_std", "std", "barrage")


class WeightBarDisplay:
    """Bars of how much each first-layer weight moved during training.

    From a weight history ``H`` of shape ``(n_snapshots, n_features, n_units)``:

    - ``"grouped_std"``: one bar per feature, ``g[i] = sum_j std_t H[t, i, j]`` (the raw
      importance; ``normalize=True`` draws ``feature_importances_``);
    - ``"std"``: one bar per (feature, unit) weight, ``std_t H[t, i, j]``, coloured by
      feature and labelled ``"<feature> <unit>"`` (units counted from 1);
    - ``"barrage"``: horizontal bars of one barrage metric per feature, sorted (largest
      on top), with a note next to features whose units are degenerate.

    Build it with :meth:`from_estimator`, :meth:`from_history` or :meth:`from_report`,
    which compute the values and call :meth:`plot`.

    Parameters
    ----------
    values : ndarray of shape (n_features,) or (n_features, n_drawn_units)
        The bar heights in feature order: per feature for ``"grouped_std"`` and
        ``"barrage"``, per (feature, drawn unit) for ``"std"``.
    feature_names : list of str
        One name per feature.
    kind : {"grouped_std", "std", "barrage"}, default="grouped_std"
        What ``values`` hold.
    units : ndarray of int, default=None
        ``"std"`` only: the first-layer units (0-based) of the columns of ``values``.
    normalize : bool, default=False
        ``"grouped_std"`` only: whether ``values`` are normalised importances (the y
        label says so).
    metric : {"len", "max", "sum", "mean", "stdev"}, default="len"
        ``"barrage"`` only: the barrage metric of ``values`` (the x label).
    n_degenerate_units : ndarray of int of shape (n_features,), default=None
        ``"barrage"`` only: per feature, how many units count 0 in every barrage metric.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The Axes drawn on.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.
    bars_ : matplotlib BarContainer
        The bars in drawing order (for ``"barrage"``, sorted by the metric).
    texts_ : list of matplotlib Text or None
        For ``"barrage"``: the notes "k degenerate units".

    See Also
    --------
    WeightDistributionDisplay : Box plots and fitted densities of the same weights.
    WeightEvolutionDisplay : The weights against the epoch, and their animation.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skweightimp import WeightBarDisplay
    >>> H = np.random.RandomState(0).normal(scale=0.05, size=(30, 3, 4)).cumsum(axis=0)
    >>> display = WeightBarDisplay.from_history(H, feature_names=["ms", "xs", "noise"])
    >>> display.values.shape, len(display.bars_)
    ((3,), 3)
    >>> display = WeightBarDisplay.from_history(H, kind="std", units=[0, 1])
    >>> [label.get_text() for label in display.ax_.get_xticklabels()][:3]
    ['x0 1', 'x0 2', 'x1 1']
    >>> display = display.plot(colors="tab10")  # redraw the same values
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """

    # Checked with scikit-learn's validate_parameter_constraints by each method.
    _argument_constraints = {
        "kind": [StrOptions(set(_BAR_KINDS))],
        "normalize": ["boolean"],
        "metric": [StrOptions(set(BARRAGE_COLUMNS))],
    }

    def __init__(
        self,
        values,
        feature_names,
        *,
        kind="grouped_std",
        units=None,
        normalize=False,
        metric="len",
        n_degenerate_units=None,
    ):
        validate_parameter_constraints(
            self._argument_constraints,
            {"kind": kind, "normalize": normalize, "metric": metric},
            caller_name=type(self).__name__,
        )
        self.values = np.asarray(values, dtype=float)
        self.feature_names = [str(name) for name in feature_names]
        self.kind = kind
        self.units = None if units is None else np.asarray(units, dtype=np.intp)
        self.normalize = normalize
        self.metric = metric
        self.n_degenerate_units = n_degenerate_units
        expected = (len(self.feature_names),)
        if kind == "std":
            expected += (0 if self.units is None else len(self.units),)
        if self.values.shape != expected:
            raise ValueError(
                f"values must have shape {expected} for kind={kind!r} with "
                f"{len(self.feature_names)} feature names; got {self.values.shape}."
            )

    @classmethod
    def from_history(
        cls,
        weight_history,
        *,
        feature_names=None,
        kind="grouped_std",
        units=None,
        normalize=False,
        metric="len",
        barrage_domain=(-2.0, 2.0),
        barrage_num=1000,
        barrage_threshold=1.0,
        ax=None,
        colors=None,
        bar_kwargs=None,
    ):
        """Compute the bars of a weight history and draw them.

        Parameters
        ----------
        weight_history : array-like of shape (n_snapshots, n_features, n_units)
            Recorded first-layer weights, e.g. an estimator's ``weight_history_``.
        feature_names : array-like of str, default=None
            One name per feature; ``x0, x1, ...`` when None.
        kind : {"grouped_std", "std", "barrage"}, default="grouped_std"
            The bars; see the class description.
        units : int or list of int, default=None
            ``"std"`` only: the first-layer units (0-based) to draw; None draws all.
        normalize : bool, default=False
            ``"grouped_std"`` only: draw the grouped std divided by its sum
            (``feature_importances_``).
        metric : {"len", "max", "sum", "mean", "stdev"}, default="len"
            ``"barrage"`` only: the barrage metric (a column of
            :func:`skweightimp.importance.barrage_metrics`).
        barrage_domain, barrage_num, barrage_threshold
            ``"barrage"`` only: the ``domain``, ``num`` and ``threshold`` of
            :func:`~skweightimp.importance.barrage_metrics`.
        ax : matplotlib Axes, default=None
            Where to draw; None creates a figure sized for the bars.
        colors, bar_kwargs
            See :meth:`plot`.

        Returns
        -------
        display : WeightBarDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skweightimp import WeightBarDisplay
        >>> H = np.random.RandomState(0).normal(size=(20, 2, 3)).cumsum(axis=0) * 0.01
        >>> display = WeightBarDisplay.from_history(
        ...     H, feature_names=["a", "b"], kind="barrage", metric="len")
        >>> display.ax_.get_xlabel()
        'Len'
        """
        validate_parameter_constraints(
            cls._argument_constraints,
            {"kind": kind, "normalize": normalize, "metric": metric},
            caller_name=f"{cls.__name__}.from_history",
        )
        history = check_history(weight_history)
        names = check_feature_names(feature_names, history.shape[1])
        extra = {}
        if kind == "grouped_std":
            values = grouped_weight_std(history)
        elif kind == "std":
            units = check_units(units, history.shape[2], panels=False)
            values = weight_std(history)[:, units]
        else:
            report = barrage_metrics(
                history,
                feature_names=names,
                domain=barrage_domain,
                num=barrage_num,
                threshold=barrage_threshold,
            )
            values = report[metric].to_numpy(dtype=float)
            extra["n_degenerate_units"] = report["n_degenerate_units"].to_numpy()
        return cls._finish_build(
            values, names, kind, units, normalize, metric, extra, ax, colors, bar_kwargs
        )

    @classmethod
    def from_report(
        cls,
        importance_report,
        *,
        kind="grouped_std",
        normalize=False,
        metric="len",
        ax=None,
        colors=None,
        bar_kwargs=None,
    ):
        """Draw the bars an importance report holds: ``"grouped_std"`` or ``"barrage"``.

        Parameters
        ----------
        importance_report : pandas.DataFrame
            One row per feature, indexed by feature name, as
            :func:`~skweightimp.importance.importance_report` or an estimator's
            ``importance_report_``; the ``weight_std`` column for ``"grouped_std"``, the
            metric (and ``n_degenerate_units``, when present) for ``"barrage"``.
        kind : {"grouped_std", "barrage"}, default="grouped_std"
            The bars; ``"std"`` needs the weight history.
        normalize, metric, ax, colors, bar_kwargs
            See :meth:`from_history`.

        Returns
        -------
        display : WeightBarDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skweightimp import WeightBarDisplay
        >>> from skweightimp.importance import importance_report
        >>> H = np.random.RandomState(0).normal(size=(20, 3, 2)).cumsum(axis=0) * 0.01
        >>> report = importance_report(H, feature_names=["u", "v", "w"])
        >>> display = WeightBarDisplay.from_report(report, kind="barrage")
        >>> sorted(t.get_text() for t in display.ax_.get_yticklabels())
        ['u', 'v', 'w']
        """
        validate_parameter_constraints(
            cls._argument_constraints,
            {"kind": kind, "normalize": normalize, "metric": metric},
            caller_name=f"{cls.__name__}.from_report",
        )
        if kind not in REPORT_KINDS:
            raise ValueError(no_history_message(f"kind={kind!r}", None))
        names = [str(name) for name in importance_report.index]
        extra = {}
        if kind == "grouped_std":
            values = importance_report["weight_std"].to_numpy(dtype=float)
        else:
            values = importance_report[metric].to_numpy(dtype=float)
            if "n_degenerate_units" in importance_report:
                extra["n_degenerate_units"] = importance_report["n_degenerate_units"].to_numpy()
        return cls._finish_build(
            values, names, kind, None, normalize, metric, extra, ax, colors, bar_kwargs
        )

    @classmethod
    def from_estimator(
        cls,
        estimator,
        *,
        kind="grouped_std",
        units=None,
        normalize=False,
        metric="len",
        ax=None,
        colors=None,
        bar_kwargs=None,
    ):
        """Draw the bars of a fitted estimator.

        ``"barrage"`` draws the estimator's ``importance_report_`` (its barrage settings,
        after its burn-in); so does ``"grouped_std"`` when the estimator kept no weight
        history (``store_history=False``).

        Parameters
        ----------
        estimator : WeightTrajectoryRegressor, WeightTrajectoryClassifier or Pipeline
            A fitted estimator of this package, or a fitted Pipeline whose last step is
            one (the feature names are then those coming out of the steps before it,
            when they can say).
        kind, units, normalize, metric, ax, colors, bar_kwargs
            See :meth:`from_history`.

        Returns
        -------
        display : WeightBarDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import WeightBarDisplay, WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=50, n_features=3, random_state=0)
        >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=3, random_state=0)
        >>> display = WeightBarDisplay.from_estimator(est.fit(X, y), normalize=True)
        >>> display.ax_.get_ylabel()
        'Importance'
        """
        validate_parameter_constraints(
            cls._argument_constraints,
            {"kind": kind, "normalize": normalize, "metric": metric},
            caller_name=f"{cls.__name__}.from_estimator",
        )
        est, names = unwrap_estimator(estimator)
        history = est.weight_history_
        options = {"ax": ax, "colors": colors, "bar_kwargs": bar_kwargs}
        if kind == "std" or (history is not None and kind == "grouped_std"):
            if history is None:
                raise ValueError(no_history_message("kind='std'", type(est).__name__))
            return cls.from_history(
                history,
                feature_names=estimator_feature_names(est, names, history.shape[1]),
                kind=kind,
                units=units,
                normalize=normalize,
                **options,
            )
        try:
            report = est.importance_report_
        except AttributeError:
            raise ValueError(no_history_message(f"kind={kind!r}", type(est).__name__)) from None
        report = report.set_axis(estimator_feature_names(est, names, len(report)), axis=0)
        return cls.from_report(report, kind=kind, normalize=normalize, metric=metric, **options)

    @classmethod
    def _finish_build(
        cls, values, names, kind, units, normalize, metric, extra, ax, colors, bar_kwargs
    ):
        if kind == "grouped_std" and normalize:
            values = normalize_importances(values)
        display = cls(
            values,
            names,
            kind=kind,
            units=units if kind == "std" else None,
            normalize=normalize,
            metric=metric,
            **extra,
        )
        return display.plot(ax=ax, colors=colors, bar_kwargs=bar_kwargs)

    def plot(self, ax=None, *, colors=None, bar_kwargs=None):
        """Draw the bars.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None creates a figure sized for the bars.
        colors : str or list of colours, default=None
            One colour per feature, or a matplotlib colormap name. None uses the seed
            notebook's palette for up to 4 features, ``tab10`` / ``tab20`` up to 10 / 20
            features and ``viridis`` beyond.
        bar_kwargs : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.bar` (``barh`` for ``"barrage"``),
            over the defaults; a ``color`` replaces the per-feature colours.

        Returns
        -------
        display : WeightBarDisplay
            ``self``, with ``ax_``, ``figure_``, ``bars_`` and ``texts_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from skweightimp import WeightBarDisplay
        >>> display = WeightBarDisplay([0.5, 0.2], ["a", "b"]).plot(colors=["red", "blue"])
        >>> [float(bar.get_height()) for bar in display.bars_]
        [0.5, 0.2]
        """
        validate_parameter_constraints(
            self._argument_constraints,
            {"kind": self.kind},
            caller_name=f"{type(self).__name__}.plot",
        )
        pyplot()
        colors = feature_colors(len(self.feature_names), colors)
        self.texts_ = None
        if self.kind == "grouped_std":
            ax = self._plot_grouped_std(ax, colors, bar_kwargs)
        elif self.kind == "std":
            ax = self._plot_std(ax, colors, bar_kwargs)
        else:
            ax = self._plot_barrage(ax, colors, bar_kwargs)
        self.ax_ = ax
        self.figure_ = figure_of(ax)
        return self

    def _plot_grouped_std(self, ax, colors, bar_kwargs):
        from matplotlib.patches import Rectangle

        n = len(self.values)
        ax, _ = single_axes(ax, (float(np.clip(2.0 + 0.55 * n, 6.4, 16.0)), 4.8))
        kwargs = merge_kwargs({"color": colors, "width": 0.8}, bar_kwargs, Rectangle)
        self.bars_ = ax.bar(np.arange(n), self.values, **kwargs)
        set_ticks(ax, np.arange(n), self.feature_names)
        ax.set_xlim(-0.7, n - 0.3)
        ax.set_xlabel("Input Column")
        ax.set_ylabel("Importance" if self.normalize else "Grouped Standard Deviation")
        return ax

    def _plot_std(self, ax, colors, bar_kwargs):
        positions = unit_layout(len(self.feature_names), len(self.units))
        ax, _ = single_axes(ax, unit_figsize(positions.max() + 1))
        self.bars_ = unit_bars(ax, self.values, positions, colors, bar_kwargs)
        label_unit_axis(ax, positions, self.units, self.feature_names)
        ax.set_ylabel("Standard Deviation")
        return ax

    def _plot_barrage(self, ax, colors, bar_kwargs):
        from matplotlib.patches import Rectangle

        values = self.values
        order = np.argsort(values, kind="stable")  # ascending: the largest on top
        n = len(values)
        ax, _ = single_axes(ax, (6.4, float(np.clip(1.0 + 0.28 * n, 2.6, 12.0))))
        kwargs = merge_kwargs(
            {"color": [colors[i] for i in order], "height": 0.8}, bar_kwargs, Rectangle
        )
        self.bars_ = ax.barh(np.arange(n), values[order], **kwargs)
        set_ticks(ax, np.arange(n), [self.feature_names[i] for i in order], axis="y")
        ax.set_ylim(-0.7, n - 0.3)
        # A unit whose density had too few grid values above the threshold counts 0 in
        # every metric; say so next to the bar, or a zero bar reads as "unimportant".
        self.texts_ = []
        if self.n_degenerate_units is not None:
            degenerate = np.asarray(self.n_degenerate_units)[order]
            fontsize = points("small" if n <= 20 else "x-small")
            for row, (count, value) in enumerate(zip(degenerate, values[order], strict=True)):
                if count > 0:
                    text = f" {count} degenerate unit{'s' if count != 1 else ''}"
                    self.texts_.append(
                        ax.text(value, row, text, va="center", color="0.35", fontsize=fontsize)
                    )
            if self.texts_:
                right = float(values.max()) if values.max() > 0 else 1.0
                ax.set_xlim(0.0, right * 1.3)
        plain_text(self.texts_)
        ax.set_ylabel("Input")
        ax.set_xlabel(self.metric.capitalize())
        return ax
