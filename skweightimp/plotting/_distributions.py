"""Distributions of the first-layer weights over the epochs: box plots and fitted densities.

:class:`WeightDistributionDisplay` follows scikit-learn's Display API:
:meth:`~WeightDistributionDisplay.from_estimator` and
:meth:`~WeightDistributionDisplay.from_history` compute the box statistics or the
densities and keep them on the display; :meth:`~WeightDistributionDisplay.plot` only
draws them. matplotlib is imported only when something is drawn.
"""

import numpy as np
from scipy.stats import norm
from sklearn.utils._param_validation import StrOptions, validate_parameter_constraints

from ..importance._methods import grouped_weight_std, weight_std
from ..utils._math import check_barrage_params, check_history
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
    unit_figsize,
    unit_layout,
    unwrap_estimator,
)
from ..utils._validation import DENSITY_DOMAIN

__all__ = ["WeightDistributionDisplay"]

# The ``kind`` values of WeightDistributionDisplay.
_DISTRIBUTION_KINDS = ("box", "density")

# Grid points of a drawn density.
_DENSITY_POINTS = 1000
_THRESHOLD_STYLE = {"color": "0.45", "linestyle": "--", "linewidth": 0.9}


def _density_domain(domain, mu, sigma):
    """The weight interval of the density plot: given, or around every density."""
    if isinstance(domain, str):  # "auto", the only string its constraint allows
        low = float((mu - 3.0 * sigma).min())
        high = float((mu + 3.0 * sigma).max())
        pad = 0.05 * (high - low) or max(0.1 * abs(low), 0.1)
        return low - pad, high + pad
    try:
        low, high, _, _ = check_barrage_params(domain, 2, 1.0)
    except ValueError:
        raise ValueError(
            f"domain must be None, 'auto' or a pair (low, high) with low < high; got {domain!r}."
        ) from None
    return low, high


class WeightDistributionDisplay:
    """How each first-layer weight was spread over the epochs.

    From a weight history ``H`` of shape ``(n_snapshots, n_features, n_units)``:

    - ``"box"``: a box per (feature, unit) weight of its values over the epochs,
      coloured by feature and labelled ``"<feature> <unit>"`` (units counted from 1);
    - ``"density"``: the normal density fitted to each weight's trajectory (its mean and
      standard deviation with ``ddof=1``), one panel per unit, with the barrage
      threshold.

    Build it with :meth:`from_estimator` or :meth:`from_history`, which compute the
    statistics and call :meth:`plot`.

    Parameters
    ----------
    feature_names : list of str
        One name per feature.
    units : ndarray of int
        The first-layer units (0-based) the statistics are of.
    kind : {"box", "density"}, default="box"
        What the display holds.
    box_stats : list of dict, default=None
        ``"box"``: one dict per (feature, unit), feature-major, as
        :func:`matplotlib.cbook.boxplot_stats` returns and
        :meth:`matplotlib.axes.Axes.bxp` draws.
    grid : ndarray of shape (n_points,), default=None
        ``"density"``: the weights the densities are evaluated at.
    densities : ndarray of shape (n_features, n_units_drawn, n_points), default=None
        ``"density"``: the fitted densities on ``grid``; NaN for a weight that never
        moved (drawn as a dotted vertical line at ``means``).
    means : ndarray of shape (n_features, n_units_drawn), default=None
        ``"density"``: each weight's mean over the epochs.
    movement : ndarray of shape (n_features,), default=None
        ``"density"``: the grouped weight standard deviation of each feature, which picks
        the features ``highlight`` colours (the most moved). None counts every feature
        alike.
    threshold : float, default=None
        ``"density"``: the barrage threshold drawn as a dashed line.

    Attributes
    ----------
    ax_ : matplotlib Axes or ndarray of Axes
        The Axes drawn on; for ``"density"`` a 1-d array with one Axes per unit.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.
    boxes_ : dict or None
        ``"box"``: what :meth:`matplotlib.axes.Axes.bxp` returns (``"boxes"``,
        ``"medians"``, ``"whiskers"``, ``"caps"``, ``"fliers"``).
    lines_ : ndarray of matplotlib Line2D of shape (n_features, n_units_drawn) or None
        ``"density"``: ``lines_[i, k]`` is feature ``i`` at the ``k``-th unit.
    threshold_lines_ : list of matplotlib Line2D or None
        ``"density"``: the barrage threshold line of each panel, when drawn.
    legend_ : matplotlib Legend or None
        ``"density"``: the legend.

    See Also
    --------
    WeightBarDisplay : The standard deviations behind the importance, as bars.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skweightimp import WeightDistributionDisplay
    >>> H = np.random.RandomState(0).normal(scale=0.05, size=(30, 3, 4)).cumsum(axis=0)
    >>> display = WeightDistributionDisplay.from_history(H, kind="density", units=[0, 1])
    >>> display.densities.shape, display.lines_.shape
    ((3, 2, 1000), (3, 2))
    >>> display = WeightDistributionDisplay.from_history(H, kind="box", showfliers=True)
    >>> len(display.box_stats), len(display.boxes_["boxes"])
    (12, 12)
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """

    # Checked with scikit-learn's validate_parameter_constraints by each method.
    _argument_constraints = {
        "kind": [StrOptions(set(_DISTRIBUTION_KINDS))],
        "domain": DENSITY_DOMAIN,
        "showfliers": ["boolean"],
        "show_threshold": ["boolean"],
    }

    def __init__(
        self,
        feature_names,
        units,
        *,
        kind="box",
        box_stats=None,
        grid=None,
        densities=None,
        means=None,
        movement=None,
        threshold=None,
    ):
        validate_parameter_constraints(
            self._argument_constraints, {"kind": kind}, caller_name=type(self).__name__
        )
        self.feature_names = [str(name) for name in feature_names]
        self.units = np.asarray(units, dtype=np.intp)
        self.kind = kind
        self.box_stats = box_stats
        self.grid = grid
        self.densities = densities
        self.means = means
        self.movement = movement
        self.threshold = threshold
        needed = ("box_stats",) if kind == "box" else ("grid", "densities", "means")
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"kind={kind!r} needs {', '.join(missing)}.")

    @classmethod
    def from_history(
        cls,
        weight_history,
        *,
        feature_names=None,
        kind="box",
        units=None,
        whis=1.5,
        domain=(-2.0, 2.0),
        threshold=1.0,
        ax=None,
        colors=None,
        highlight=None,
        showfliers=False,
        show_threshold=True,
        box_kwargs=None,
        line_kwargs=None,
    ):
        """Compute the box statistics or the densities of a weight history and draw them.

        Parameters
        ----------
        weight_history : array-like of shape (n_snapshots, n_features, n_units)
            Recorded first-layer weights, e.g. an estimator's ``weight_history_``.
        feature_names : array-like of str, default=None
            One name per feature; ``x0, x1, ...`` when None.
        kind : {"box", "density"}, default="box"
            The plot; see the class description.
        units : int or list of int, default=None
            First-layer units (0-based) to draw. None draws all, except that
            ``"density"`` draws at most the first 16 panels (with a warning).
        whis : float or pair of float, default=1.5
            ``"box"``: the whisker reach, as in :func:`matplotlib.cbook.boxplot_stats`.
        domain : tuple of float or "auto", default=(-2.0, 2.0)
            ``"density"``: the weight interval drawn (None: ``(-2, 2)``, the barrage
            domain of the seed notebook); ``"auto"`` covers every drawn density (its mean
            plus or minus 3 standard deviations).
        threshold : float, default=1.0
            ``"density"``: the barrage threshold, the density a grid value needs to count
            in the barrage metrics.
        ax, colors, highlight, showfliers, show_threshold, box_kwargs, line_kwargs
            See :meth:`plot`.

        Returns
        -------
        display : WeightDistributionDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skweightimp import WeightDistributionDisplay
        >>> H = np.random.RandomState(0).normal(size=(20, 2, 3)).cumsum(axis=0) * 0.01
        >>> display = WeightDistributionDisplay.from_history(
        ...     H, feature_names=["a", "b"], kind="density", domain="auto")
        >>> display.ax_.shape
        (3,)
        """
        validate_parameter_constraints(
            cls._argument_constraints,
            {
                "kind": kind,
                "domain": domain,
                "showfliers": showfliers,
                "show_threshold": show_threshold,
            },
            caller_name=f"{cls.__name__}.from_history",
        )
        history = check_history(weight_history)
        names = check_feature_names(feature_names, history.shape[1])
        units = check_units(units, history.shape[2], panels=kind == "density")
        if kind == "box":
            from matplotlib import cbook

            samples = [history[:, i, j] for i in range(history.shape[1]) for j in units]
            display = cls(names, units, box_stats=cbook.boxplot_stats(samples, whis=whis))
        else:
            # The barrage threshold's own rule (the domain and num here are placeholders).
            threshold = check_barrage_params((-1.0, 1.0), 2, threshold)[3]
            mu = history.mean(axis=0)[:, units]
            sigma = weight_std(history)[:, units]
            low, high = _density_domain((-2.0, 2.0) if domain is None else domain, mu, sigma)
            grid = np.linspace(low, high, _DENSITY_POINTS)
            moved = sigma > 0
            with np.errstate(divide="ignore", invalid="ignore"):
                densities = norm.pdf(
                    grid, mu[..., np.newaxis], np.where(moved, sigma, np.nan)[..., np.newaxis]
                )
            display = cls(
                names,
                units,
                kind="density",
                grid=grid,
                densities=densities,
                means=mu,
                movement=grouped_weight_std(history),
                threshold=threshold,
            )
        return display.plot(
            ax=ax,
            colors=colors,
            highlight=highlight,
            showfliers=showfliers,
            show_threshold=show_threshold,
            box_kwargs=box_kwargs,
            line_kwargs=line_kwargs,
        )

    @classmethod
    def from_estimator(cls, estimator, *, kind="box", domain=None, **kwargs):
        """Compute the box statistics or the densities of a fitted estimator and draw them.

        Parameters
        ----------
        estimator : WeightTrajectoryRegressor, WeightTrajectoryClassifier or Pipeline
            A fitted estimator of this package that kept its weight history
            (``store_history=True``), or a fitted Pipeline whose last step is one.
        kind : {"box", "density"}, default="box"
            The plot; see the class description.
        domain : tuple of float or "auto", default=None
            ``"density"``: the weight interval drawn; None uses the estimator's
            ``barrage_domain``, the interval its barrage metrics look at.
        **kwargs : dict
            Further :meth:`from_history` options (``units``, ``highlight``,
            ``showfliers``, ...); the threshold is the estimator's ``barrage_threshold``.

        Returns
        -------
        display : WeightDistributionDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import WeightDistributionDisplay, WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=50, n_features=3, random_state=0)
        >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(2,), epochs=4, random_state=0)
        >>> display = WeightDistributionDisplay.from_estimator(est.fit(X, y), kind="density")
        >>> [float(x) for x in display.ax_[0].get_xlim()]
        [-2.0, 2.0]
        """
        validate_parameter_constraints(
            cls._argument_constraints,
            {"kind": kind, "domain": domain, **kwargs},
            caller_name=f"{cls.__name__}.from_estimator",
        )
        est, names = unwrap_estimator(estimator)
        history = est.weight_history_
        if history is None:
            raise ValueError(no_history_message(f"kind={kind!r}", type(est).__name__))
        return cls.from_history(
            history,
            feature_names=estimator_feature_names(est, names, history.shape[1]),
            kind=kind,
            domain=tuple(est.barrage_domain) if domain is None else domain,
            threshold=est.barrage_threshold,
            **kwargs,
        )

    def plot(
        self,
        ax=None,
        *,
        colors=None,
        highlight=None,
        showfliers=False,
        show_threshold=True,
        box_kwargs=None,
        line_kwargs=None,
    ):
        """Draw the boxes or the densities.

        Parameters
        ----------
        ax : matplotlib Axes or array-like of Axes, default=None
            Where to draw. None creates a figure. ``"density"`` takes one Axes per unit,
            or a single Axes whose area is divided into a grid of panels.
        colors : str or list of colours, default=None
            One colour per feature, or a matplotlib colormap name; see
            :class:`WeightBarDisplay`.
        highlight : None, "all", int or list of str, default=None
            ``"density"``: which features get a colour and a legend entry; the others
            are drawn thin and grey as one "other features" entry. None colours every
            feature when there are at most 10, else the 10 whose weights moved most; an
            int colours that many of the most moved; a list names them. The y range then
            fits the highlighted densities.
        showfliers : bool, default=False
            ``"box"``: draw the outlying weights beyond the whiskers.
        show_threshold : bool, default=True
            ``"density"``: draw the barrage threshold.
        box_kwargs : dict, default=None
            ``"box"``: passed to :meth:`matplotlib.axes.Axes.bxp`, over the defaults; a
            ``boxprops`` colour replaces the per-feature colours.
        line_kwargs : dict, default=None
            ``"density"``: passed to :meth:`matplotlib.axes.Axes.plot`, over the defaults.

        Returns
        -------
        display : WeightDistributionDisplay
            ``self``, with ``ax_``, ``figure_`` and the artists of the kind set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skweightimp import WeightDistributionDisplay
        >>> H = np.random.RandomState(0).normal(size=(20, 2, 3)).cumsum(axis=0) * 0.01
        >>> display = WeightDistributionDisplay.from_history(H, kind="density")
        >>> display = display.plot(show_threshold=False, highlight=["x1"])
        >>> [t.get_text() for t in display.legend_.get_texts()]
        ['x1', '1 other features']
        """
        validate_parameter_constraints(
            self._argument_constraints,
            {"showfliers": showfliers, "show_threshold": show_threshold},
            caller_name=f"{type(self).__name__}.plot",
        )
        pyplot()
        self.boxes_ = self.lines_ = self.threshold_lines_ = self.legend_ = None
        if self.kind == "box":
            colors = feature_colors(len(self.feature_names), colors)
            ax = self._plot_box(ax, colors, showfliers, box_kwargs)
        else:
            ax = self._plot_density(ax, colors, highlight, show_threshold, line_kwargs)
        self.ax_ = ax
        self.figure_ = figure_of(ax)
        return self

    def _plot_box(self, ax, colors, showfliers, box_kwargs):
        positions = unit_layout(len(self.feature_names), len(self.units))
        ax, _ = single_axes(ax, unit_figsize(positions.max() + 1))
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
        self.boxes_ = ax.bxp(
            self.box_stats, positions=positions.ravel(), manage_ticks=False, **kwargs
        )
        n_drawn = len(self.units)
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
        label_unit_axis(ax, positions, self.units, self.feature_names)
        ax.set_ylabel("Weight Values")
        return ax

    def _plot_density(self, ax, colors, highlight, show_threshold, line_kwargs):
        from matplotlib.lines import Line2D

        n_features = len(self.feature_names)
        movement = np.zeros(n_features) if self.movement is None else self.movement
        line_colors, highlighted, order = line_plan(self.feature_names, movement, colors, highlight)
        show_threshold = show_threshold and self.threshold is not None
        grid = self.grid
        low, high = float(grid[0]), float(grid[-1])
        axes, own = panel_axes(ax, len(self.units))
        lines = np.empty((n_features, len(self.units)), dtype=object)
        thresholds = []
        for k, (panel, unit) in enumerate(zip(axes, self.units, strict=True)):
            for i in range(n_features):
                kwargs = line_style(line_colors[i], highlighted[i], line_kwargs, 1.5)
                density = self.densities[i, k]
                if np.isfinite(density).all():
                    (lines[i, k],) = panel.plot(grid, density, **kwargs)
                else:
                    # A weight that never moved: its "density" is a spike at its value.
                    kwargs.setdefault("linestyle", ":")
                    lines[i, k] = panel.axvline(self.means[i, k], **kwargs)
            if show_threshold:
                thresholds.append(panel.axhline(self.threshold, **_THRESHOLD_STYLE))
            panel.set_xlim(low, high)
            if not highlighted.all():
                # The grey densities of the features that barely moved are tall spikes;
                # fit the y range to the highlighted ones (and the threshold) instead.
                peaks = [
                    self.densities[i, k].max()
                    for i in np.flatnonzero(highlighted)
                    if np.isfinite(self.densities[i, k]).all()
                ]
                top = max([*peaks, self.threshold if show_threshold else 0.0])
                if top > 0:
                    panel.set_ylim(-0.03 * top, 1.15 * top)
            panel.set_title(f"Node {unit + 1}", fontsize="medium")
            panel.set_xlabel("Weight")
            panel.set_ylabel("Probability Density")
        self.lines_ = lines
        self.threshold_lines_ = thresholds if show_threshold else None
        extra = []
        if thresholds:
            extra.append((Line2D([], [], **_THRESHOLD_STYLE), "barrage threshold"))
        self.legend_ = line_legend(
            axes, own, self.feature_names, line_colors, highlighted, order, line_kwargs, extra
        )
        return axes
