"""One entry point for every plot of a weight history: :class:`WeightTrajectoryDisplay`.

A thin dispatcher over the three display families, kept so that one call draws any
kind (``WeightTrajectoryDisplay.from_estimator(est, kind="density")``):

- :class:`~skweightimp.plotting.WeightBarDisplay`: ``grouped_std``, ``std``,
  ``barrage``;
- :class:`~skweightimp.plotting.WeightDistributionDisplay`: ``box``,
  ``density``;
- :class:`~skweightimp.plotting.WeightEvolutionDisplay`: ``trajectory`` and
  :meth:`~WeightTrajectoryDisplay.animate`.

Those compute their statistics when built and only draw in ``plot``; this class holds
the weight history (or the importance report), hands each ``plot(kind=...)`` to the
family, and exposes the family display's artists as its own. matplotlib is imported
only when something is drawn.
"""

import pandas as pd
from sklearn.utils._param_validation import StrOptions, validate_parameter_constraints

from ..utils import _plotting as _plot_utils
from ..utils._math import check_barrage_params, check_history
from ..utils._names import check_feature_names, estimator_feature_names
from ..utils._plotting import (
    REPORT_KINDS,
    check_units,
    no_history_message,
    unwrap_estimator,
)
from ._bars import WeightBarDisplay
from ._distributions import WeightDistributionDisplay
from ._evolution import WeightEvolutionDisplay

__all__ = ["SEED_PALETTE", "WeightTrajectoryDisplay"]

#: The seed notebook's colours, one per feature in column order (``ms``, ``xs``, ``cs``,
#: ``noise``): "darker", "important", "light" and "noise".
SEED_PALETTE = _plot_utils.SEED_PALETTE

# The plots WeightTrajectoryDisplay.plot draws (its ``kind`` values), each with the display
# family that draws it.
_FAMILIES = {
    "grouped_std": WeightBarDisplay,
    "std": WeightBarDisplay,
    "box": WeightDistributionDisplay,
    "trajectory": WeightEvolutionDisplay,
    "density": WeightDistributionDisplay,
    "barrage": WeightBarDisplay,
}
_KINDS = tuple(_FAMILIES)

_DEFAULT_KIND = "grouped_std"
# The artists a drawn kind sets; the others are None.
_ARTISTS = ("bars_", "boxes_", "lines_", "threshold_lines_", "legend_", "texts_")


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
    :meth:`plot`. :meth:`animate` makes the notebook's animated bar chart. Each kind is
    drawn by the display of its family (:class:`WeightBarDisplay`,
    :class:`WeightDistributionDisplay`, :class:`WeightEvolutionDisplay`), kept as
    ``display_``; use those directly to keep the computed statistics.

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

    display_ : WeightBarDisplay, WeightDistributionDisplay or WeightEvolutionDisplay
        The family display that drew the last kind, holding its statistics.

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

    # Checked with scikit-learn's validate_parameter_constraints by each method; the
    # family displays check the options only they use (``metric``, ``domain``, ``step``).
    _argument_constraints = {
        "kind": [StrOptions(set(_KINDS))],
        "normalize": ["boolean"],
        "showfliers": ["boolean"],
        "absolute": ["boolean"],
        "per_unit": ["boolean"],
        "show_threshold": ["boolean"],
    }

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
        check_barrage_params(barrage_domain, barrage_num, barrage_threshold)
        if weight_history is None:
            if importance_report is None:
                raise ValueError(
                    "WeightTrajectoryDisplay needs a weight_history or an importance_report."
                )
            n_features = len(importance_report)
            if feature_names is None:
                feature_names = list(importance_report.index)
        else:
            weight_history = check_history(weight_history)
            n_features = weight_history.shape[1]
        self.weight_history = weight_history
        self.feature_names = check_feature_names(feature_names, n_features)
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
        validate_parameter_constraints(
            cls._argument_constraints,
            {"kind": kind, **kwargs},
            caller_name=f"{cls.__name__}.from_estimator",
        )
        est, names = unwrap_estimator(estimator)
        history = est.weight_history_
        report = None
        if history is None and kind not in REPORT_KINDS:
            raise ValueError(no_history_message(f"kind={kind!r}", type(est).__name__))
        if history is None or kind == "barrage":
            # Without a history the report is all there is; with one, the barrage metrics
            # are the estimator's (cached, with its barrage settings). Other kinds do not
            # need the report, so it is not computed for them.
            try:
                report = est.importance_report_
            except AttributeError:
                raise ValueError(no_history_message(f"kind={kind!r}", type(est).__name__)) from None
        n_features = history.shape[1] if history is not None else len(report)
        names = estimator_feature_names(est, names, n_features)
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
        validate_parameter_constraints(
            cls._argument_constraints,
            {"kind": kind, **kwargs},
            caller_name=f"{cls.__name__}.from_history",
        )
        display = cls(weight_history, feature_names=feature_names)
        return display.plot(ax=ax, kind=kind, **kwargs)

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
            ``"barrage"`` only: the barrage metric to draw (a column of
            :func:`skweightimp.importance.barrage_metrics`).
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
            Passed to :meth:`matplotlib.axes.Axes.bxp`, over the defaults; a
            ``boxprops`` colour replaces the per-feature colours. A ``whis`` entry sets
            the whisker reach of the box statistics instead.
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
        kind = getattr(self, "kind_", _DEFAULT_KIND) if kind is None else kind
        validate_parameter_constraints(
            self._argument_constraints,
            {
                "kind": kind,
                "normalize": normalize,
                "showfliers": showfliers,
                "absolute": absolute,
                "per_unit": per_unit,
                "show_threshold": show_threshold,
            },
            caller_name=f"{type(self).__name__}.plot",
        )
        if self.weight_history is None and kind not in REPORT_KINDS:
            raise ValueError(no_history_message(f"kind={kind!r}", None))
        # Each family's helper takes the options that family reads, in plot's order.
        family = _FAMILIES[kind]
        if family is WeightBarDisplay:
            display = self._plot_bars(kind, ax, units, colors, normalize, metric, bar_kwargs)
        elif family is WeightDistributionDisplay:
            display = self._plot_distributions(
                kind,
                ax=ax,
                units=units,
                colors=colors,
                highlight=highlight,
                showfliers=showfliers,
                domain=domain,
                show_threshold=show_threshold,
                box_kwargs=box_kwargs,
                line_kwargs=line_kwargs,
            )
        else:
            display = self._plot_evolution(
                ax, units, colors, highlight, absolute, per_unit, line_kwargs
            )
        self._adopt(display)
        self.kind_ = kind
        return self

    def _plot_bars(self, kind, ax, units, colors, normalize, metric, bar_kwargs):
        """A :class:`WeightBarDisplay` of ``kind``, drawn."""
        options = {
            "normalize": normalize,
            "metric": metric,
            "ax": ax,
            "colors": colors,
            "bar_kwargs": bar_kwargs,
        }
        history, names = self.weight_history, self.feature_names
        # Without a history the report is all there is; a given report's barrage metrics
        # are the estimator's, read rather than recomputed.
        if history is None or (kind == "barrage" and self.importance_report is not None):
            report = self.importance_report.set_axis(names, axis=0)
            return WeightBarDisplay.from_report(report, kind=kind, **options)
        return WeightBarDisplay.from_history(
            history,
            feature_names=names,
            kind=kind,
            units=units,
            barrage_domain=self.barrage_domain,
            barrage_num=self.barrage_num,
            barrage_threshold=self.barrage_threshold,
            **options,
        )

    def _plot_distributions(
        self,
        kind,
        *,
        ax,
        units,
        colors,
        highlight,
        showfliers,
        domain,
        show_threshold,
        box_kwargs,
        line_kwargs,
    ):
        """A :class:`WeightDistributionDisplay` of ``kind``, drawn."""
        # whis is a parameter of the box statistics, computed before drawing.
        box_kwargs = dict(box_kwargs or {})
        whis = box_kwargs.pop("whis", 1.5)
        return WeightDistributionDisplay.from_history(
            self.weight_history,
            feature_names=self.feature_names,
            kind=kind,
            units=units,
            whis=whis,
            domain=self.barrage_domain if domain is None else domain,
            threshold=self.barrage_threshold,
            ax=ax,
            colors=colors,
            highlight=highlight,
            showfliers=showfliers,
            show_threshold=show_threshold,
            box_kwargs=box_kwargs,
            line_kwargs=line_kwargs,
        )

    def _plot_evolution(self, ax, units, colors, highlight, absolute, per_unit, line_kwargs):
        """A :class:`WeightEvolutionDisplay` of the trajectories, drawn."""
        return WeightEvolutionDisplay.from_history(
            self.weight_history,
            feature_names=self.feature_names,
            units=units,
            absolute=absolute,
            ax=ax,
            colors=colors,
            highlight=highlight,
            per_unit=per_unit,
            line_kwargs=line_kwargs,
        )

    def _adopt(self, display):
        """Show ``display``'s artists as this display's own."""
        self.display_ = display
        for name in _ARTISTS:
            setattr(self, name, getattr(display, name, None))
        self.ax_ = display.ax_
        self.figure_ = display.figure_

    def animate(self, *, step=1, interval=50, ax=None, units=None, colors=None, bar_kwargs=None):
        """Animate the (feature, unit) weights as bars, one frame per ``step`` epochs.

        The seed notebook's animated bar chart: bar ``"xs 2"`` is the weight from feature
        ``xs`` to unit 2, and the bars move as the network trains. The y range is fixed
        to the range of all recorded weights.

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
        if self.weight_history is None:
            raise ValueError(no_history_message("animate", None))
        history = self.weight_history
        units = check_units(units, history.shape[2], panels=False)
        display = WeightEvolutionDisplay(history[:, :, units], self.feature_names, units)
        animation = display.animate(
            step=step, interval=interval, ax=ax, colors=colors, bar_kwargs=bar_kwargs
        )
        self._adopt(display)
        return animation
