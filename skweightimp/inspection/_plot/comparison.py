"""Plots of the inspection results: importance stability across folds, methods side by side.

:class:`ImportanceStabilityDisplay` draws what :func:`~skweightimp.inspection.
cross_validate_importances` returns, :class:`ImportanceComparisonDisplay` what
:func:`~skweightimp.inspection.compare_importances` returns. Like the weight displays they
follow scikit-learn's Display API: building a display (``from_*`` or the constructor)
computes every statistic it shows once and keeps it on the display (the row order, the fold
means, the box statistics, the methods' importances and ranks); ``plot()`` only draws them,
so the same display can be drawn again on other axes. matplotlib is imported only when a
display is built or drawn.
"""

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import StrOptions, validate_parameter_constraints

from ...utils._plotting import (
    feature_colors,
    merge_kwargs,
    plain_text,
    pyplot,
    set_ticks,
)

__all__ = ["ImportanceComparisonDisplay", "ImportanceStabilityDisplay"]

# The ``kind`` values of ImportanceStabilityDisplay and of ImportanceComparisonDisplay.
_STABILITY_KINDS = ("box", "strip")
_COMPARISON_KINDS = ("bar", "rank")


def _new_axes(ax, figsize):
    plt = pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _rows_height(n_rows, per_row=0.32, minimum=3.0):
    return max(minimum, 1.2 + per_row * n_rows)


def _check_order(order, n_features):
    """``order`` as an array holding each feature index once (bottom row first)."""
    checked = np.asarray(order)
    if (
        checked.ndim != 1
        or not np.issubdtype(checked.dtype, np.integer)
        or np.sort(checked).tolist() != list(range(n_features))
    ):
        raise ValueError(
            f"order must hold each feature index 0..{n_features - 1} exactly once (the "
            f"bottom row first); got {order!r}."
        )
    return checked.astype(np.intp)


class ImportanceStabilityDisplay:
    """Per-fold importances of every feature, as boxes or points.

    A feature whose importance is stable draws a narrow box; features are sorted by their
    mean importance, the most important on top. Build it with :meth:`from_cv_results`
    (from :func:`~skweightimp.inspection.cross_validate_importances`) or
    :meth:`from_estimator` (which runs it). The constructor computes what :meth:`plot`
    draws (fold means, row order, box statistics) unless given.

    Parameters
    ----------
    importances : array-like of shape (n_splits, n_features)
        One row of importances per fold.
    feature_names : array-like of str of shape (n_features,)
        The feature names.
    stability : float, default=None
        The one-number summary shown in the title (mean pairwise Spearman over folds).
    order : array-like of int of shape (n_features,), default=None
        Feature indices from the bottom row to the top row; None sorts by the mean
        importance over folds, the most important on top.
    box_stats : list of dict, default=None
        One dict per feature, in feature order, as :func:`matplotlib.cbook.boxplot_stats`
        returns and :meth:`matplotlib.axes.Axes.bxp` draws; None computes them from
        ``importances`` (whiskers at 1.5 IQR).

    Attributes
    ----------
    importances : ndarray of shape (n_splits, n_features)
        The fold importances, in feature order.
    feature_names : list of str
        The feature names.
    mean_importances : ndarray of shape (n_features,)
        The mean importance of each feature over the folds (``kind="strip"`` marks it).
    order : ndarray of int of shape (n_features,)
        Feature indices from the bottom row to the top row.
    box_stats : list of dict
        The box statistics of each feature, in feature order.
    ax_ : matplotlib Axes
        The axes drawn on.
    figure_ : matplotlib Figure
        The figure of ``ax_``.
    boxes_ : dict or None
        What :meth:`matplotlib.axes.Axes.bxp` returned (``kind="box"``).
    points_ : matplotlib PathCollection
        The fold values, one point per (fold, feature).
    mean_points_ : matplotlib PathCollection or None
        The fold means (``kind="strip"``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skweightimp import ImportanceStabilityDisplay
    >>> folds = np.array([[0.6, 0.3, 0.1], [0.5, 0.35, 0.15], [0.55, 0.3, 0.15]])
    >>> display = ImportanceStabilityDisplay(folds, ["a", "b", "c"], stability=1.0).plot()
    >>> [t.get_text() for t in display.ax_.get_yticklabels()]
    ['c', 'b', 'a']
    >>> display.order.tolist(), display.mean_importances.round(2).tolist()
    ([2, 1, 0], [0.55, 0.32, 0.13])
    """

    # Checked with scikit-learn's validate_parameter_constraints by each method.
    _argument_constraints = {"kind": [StrOptions(set(_STABILITY_KINDS))]}

    def __init__(self, importances, feature_names, *, stability=None, order=None, box_stats=None):
        self.importances = np.asarray(importances, dtype=float)
        self.feature_names = [str(name) for name in feature_names]
        self.stability = stability
        if self.importances.ndim != 2 or self.importances.shape[1] != len(self.feature_names):
            raise ValueError(
                "importances must have shape (n_splits, n_features) with one column per "
                f"feature name; got {self.importances.shape} for "
                f"{len(self.feature_names)} names."
            )
        n_features = self.importances.shape[1]
        self.mean_importances = self.importances.mean(axis=0)
        if order is None:
            order = np.argsort(self.mean_importances, kind="stable")
        self.order = _check_order(order, n_features)
        if box_stats is None:
            from matplotlib import cbook

            box_stats = cbook.boxplot_stats(self.importances)
        if len(box_stats) != n_features:
            raise ValueError(
                f"box_stats must hold one dict per feature ({n_features}); got {len(box_stats)}."
            )
        self.box_stats = list(box_stats)

    @classmethod
    def from_cv_results(cls, result, *, kind="box", ax=None, **kwargs):
        """Draw the result of :func:`~skweightimp.inspection.cross_validate_importances`.

        Parameters
        ----------
        result : Bunch
            What ``cross_validate_importances`` returned.
        kind : {"box", "strip"}, default="box"
            Boxes with the fold values on top, or the fold values and their mean only.
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.
        **kwargs
            Passed to :meth:`plot`.

        Returns
        -------
        display : ImportanceStabilityDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import ImportanceStabilityDisplay, WeightTrajectoryRegressor
        >>> from skweightimp.inspection import cross_validate_importances
        >>> X, y = make_regression(n_samples=40, n_features=3, random_state=0)
        >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=2)
        >>> result = cross_validate_importances(est, X, y, cv=2, random_state=0)

        One result, drawn both ways without refitting:

        >>> box = ImportanceStabilityDisplay.from_cv_results(result)
        >>> strip = ImportanceStabilityDisplay.from_cv_results(result, kind="strip")
        >>> box.boxes_ is not None, strip.boxes_ is None
        (True, True)
        >>> len(strip.points_.get_offsets())  # 2 folds x 3 features
        6
        >>> plt.close("all")
        """
        validate_parameter_constraints(
            cls._argument_constraints,
            {"kind": kind},
            caller_name=f"{cls.__name__}.from_cv_results",
        )
        try:
            importances, names = result["importances"], result["feature_names"]
        except (KeyError, TypeError):
            raise ValueError(
                "result must be the Bunch returned by cross_validate_importances (with "
                "'importances' and 'feature_names')."
            ) from None
        display = cls(importances, names, stability=result.get("stability"))
        return display.plot(ax=ax, kind=kind, **kwargs)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, kind="box", ax=None, cv=5, **kwargs):
        """Run :func:`~skweightimp.inspection.cross_validate_importances` and draw it.

        Parameters
        ----------
        estimator : estimator or Pipeline
            As for ``cross_validate_importances`` (cloned, never fitted in place).
        X, y : array-like
            The data.
        kind : {"box", "strip"}, default="box"
            See :meth:`from_cv_results`.
        ax : matplotlib Axes, default=None
            Where to draw.
        cv : int or cross-validation generator, default=5
            The folds.
        **kwargs
            ``random_state``, ``n_jobs``, ``scoring``, ``groups``, ``feature_groups`` and
            ``params`` go to ``cross_validate_importances``; the rest to :meth:`plot`.

        Returns
        -------
        display : ImportanceStabilityDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import pandas as pd
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import ImportanceStabilityDisplay, WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=40, n_features=3, random_state=0)
        >>> X = pd.DataFrame(X, columns=["a", "b", "c"])
        >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=2)
        >>> display = ImportanceStabilityDisplay.from_estimator(est, X, y, cv=2, random_state=0)
        >>> display.importances.shape, sorted(display.feature_names)
        ((2, 3), ['a', 'b', 'c'])
        >>> display.ax_.get_title().startswith("Importance over 2 folds")
        True
        >>> plt.close("all")
        """
        validate_parameter_constraints(
            cls._argument_constraints, {"kind": kind}, caller_name=f"{cls.__name__}.from_estimator"
        )
        from .._cross_validation import cross_validate_importances

        cv_keys = ("random_state", "n_jobs", "scoring", "groups", "feature_groups", "params")
        cv_kwargs = {key: kwargs.pop(key) for key in cv_keys if key in kwargs}
        result = cross_validate_importances(estimator, X, y, cv=cv, **cv_kwargs)
        return cls.from_cv_results(result, kind=kind, ax=ax, **kwargs)

    def plot(self, ax=None, *, kind="box", colors=None, box_kwargs=None, point_kwargs=None):
        """Draw the per-fold importances, in the stored ``order``.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; a new figure sized to the number of features when None.
        kind : {"box", "strip"}, default="box"
            Boxes (``box_stats``) with the fold values on top, or the fold values and
            their mean (``mean_importances``) only.
        colors : str or list of colours, default=None
            One colour per feature (in the original order), or a colormap name; the seed
            palette for up to four features.
        box_kwargs, point_kwargs : dict, default=None
            Style merged over the defaults of the boxes and of the points.

        Returns
        -------
        self : ImportanceStabilityDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from skweightimp import ImportanceStabilityDisplay
        >>> display = ImportanceStabilityDisplay([[0.6, 0.4], [0.5, 0.5]], ["a", "b"], order=[0, 1])
        >>> display = display.plot(kind="strip")
        >>> [t.get_text() for t in display.ax_.get_yticklabels()]  # as stored, bottom first
        ['a', 'b']
        >>> display.mean_points_.get_offsets()[:, 0].tolist()
        [0.55, 0.45]
        >>> plt.close("all")
        """
        from matplotlib.collections import PathCollection
        from matplotlib.patches import PathPatch

        validate_parameter_constraints(
            self._argument_constraints, {"kind": kind}, caller_name=f"{type(self).__name__}.plot"
        )
        n_splits, n_features = self.importances.shape
        ax = _new_axes(ax, (7.0, _rows_height(n_features)))
        row_colors = feature_colors(n_features, colors)
        order = self.order
        values = self.importances[:, order]
        positions = np.arange(1, n_features + 1)

        self.boxes_, self.mean_points_ = None, None
        if kind == "box":
            style = merge_kwargs({"facecolor": "none", "edgecolor": "0.3"}, box_kwargs, PathPatch)
            self.boxes_ = ax.bxp(
                [self.box_stats[i] for i in order],
                positions=positions,
                orientation="horizontal",
                widths=0.6,
                showfliers=False,
                patch_artist=True,
                boxprops=style,
                medianprops={"color": "0.2"},
            )
        # Deterministic jitter, so fold points at the same value stay visible.
        jitter = np.random.RandomState(0).uniform(-0.18, 0.18, size=(n_splits, n_features))
        ys = positions[np.newaxis, :] + jitter
        style = merge_kwargs(
            {"s": 28, "edgecolors": "0.2", "linewidths": 0.5, "zorder": 3},
            point_kwargs,
            PathCollection,
        )
        if "color" not in style and "c" not in style and "facecolor" not in style:
            # Row-major like the values: every feature of fold 0, then of fold 1, ...
            style["c"] = [row_colors[i] for _ in range(n_splits) for i in order]
        self.points_ = ax.scatter(values.ravel(), ys.ravel(), **style)
        if kind == "strip":
            self.mean_points_ = ax.scatter(
                self.mean_importances[order],
                positions,
                marker="|",
                s=300,
                color="0.1",
                zorder=4,
                label="mean over folds",
            )
        set_ticks(ax, positions, [self.feature_names[i] for i in order], axis="y")
        ax.set_ylim(0.4, n_features + 0.6)
        ax.set_xlabel("Importance in each fold")
        title = f"Importance over {n_splits} folds"
        if self.stability is not None and np.isfinite(self.stability):
            title += f" (rank agreement: Spearman {self.stability:.2f})"
        ax.set_title(title)
        ax.grid(axis="x", alpha=0.3)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self


class ImportanceComparisonDisplay:
    """Several importance methods side by side, per feature.

    Build it with :meth:`from_comparison` (from
    :func:`~skweightimp.inspection.compare_importances`) or :meth:`from_estimator`. The
    constructor picks the methods and computes the row order :meth:`plot` draws, unless
    given.

    Parameters
    ----------
    table : pandas.DataFrame
        The ``table`` of ``compare_importances``: columns ``("importance", method)`` and
        ``("rank", method)``, one row per feature.
    timings : pandas.Series, default=None
        Seconds per method, shown in the legend.
    methods : str or list of str, default=None
        Which methods to draw, in order; all of the table's when None.
    order : array-like of int of shape (n_features,), default=None
        Feature positions (rows of ``table``) from the bottom row to the top row; None
        sorts by the mean absolute importance over ``methods``, the most important on top.

    Attributes
    ----------
    methods : list of str
        The methods drawn, in order.
    importances : pandas.DataFrame of shape (n_features, n_methods)
        The normalised importance of each feature (rows, in table order) per method.
    ranks : pandas.DataFrame of shape (n_features, n_methods) or None
        Each method's rank of each feature (1 = most important), in table order; None
        when the table has no ``"rank"`` columns.
    order : ndarray of int of shape (n_features,)
        Feature positions from the bottom row to the top row.
    ax_ : matplotlib Axes
        The axes drawn on.
    figure_ : matplotlib Figure
        The figure of ``ax_``.
    bars_ : dict of str to BarContainer
        The bars of each method (``kind="bar"``).
    legend_ : matplotlib Legend or None
        The methods and their timings (``kind="bar"``).
    image_ : matplotlib AxesImage or None
        The rank grid (``kind="rank"``).
    texts_ : list of matplotlib Text
        The rank written in each cell of the grid (``kind="rank"``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from skweightimp import ImportanceComparisonDisplay
    >>> scores = pd.DataFrame({"weight_std": [0.7, 0.3], "permutation": [0.9, 0.1]},
    ...                       index=["a", "b"])
    >>> table = pd.concat({"importance": scores, "rank": scores.rank(ascending=False)}, axis=1)
    >>> display = ImportanceComparisonDisplay(table).plot()
    >>> sorted(display.bars_)
    ['permutation', 'weight_std']
    >>> display.order.tolist()  # "b" at the bottom, "a" on top
    [1, 0]
    """

    # Checked with scikit-learn's validate_parameter_constraints by each method.
    _argument_constraints = {"kind": [StrOptions(set(_COMPARISON_KINDS))]}

    def __init__(self, table, *, timings=None, methods=None, order=None):
        self.table = table
        self.timings = timings
        if not isinstance(
            table, pd.DataFrame
        ) or "importance" not in table.columns.get_level_values(0):
            raise ValueError(
                "table must be the 'table' of compare_importances, with ('importance', "
                "method) columns."
            )
        scores = table["importance"]
        if methods is None:
            methods = list(scores.columns)
        else:
            methods = [methods] if isinstance(methods, str) else list(methods)
            unknown = [m for m in methods if m not in scores.columns]
            if unknown or not methods:
                raise ValueError(
                    f"methods {unknown or methods} are not in the table; it has "
                    f"{list(scores.columns)}."
                )
        self.methods = methods
        self.importances = scores[methods]
        has_ranks = "rank" in table.columns.get_level_values(0)
        self.ranks = table["rank"][methods] if has_ranks else None
        if order is None:
            order = np.argsort(self.importances.abs().mean(axis=1).to_numpy(), kind="stable")
        self.order = _check_order(order, len(table))

    @classmethod
    def from_comparison(cls, result, *, kind="bar", methods=None, ax=None, **kwargs):
        """Draw the result of :func:`~skweightimp.inspection.compare_importances`.

        Parameters
        ----------
        result : Bunch
            What ``compare_importances`` returned.
        kind : {"bar", "rank"}, default="bar"
            Grouped bars of the normalised importances, or a grid of each method's ranks.
        methods : str or list of str, default=None
            Which methods to draw, in order; all of the result's when None.
        ax : matplotlib Axes, default=None
            Where to draw.
        **kwargs
            Passed to :meth:`plot`.

        Returns
        -------
        display : ImportanceComparisonDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import ImportanceComparisonDisplay, WeightTrajectoryRegressor
        >>> from skweightimp.inspection import compare_importances
        >>> X, y = make_regression(n_samples=60, n_features=3, random_state=0)
        >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=2, random_state=0)
        >>> est = est.fit(X[:40], y[:40])
        >>> result = compare_importances(
        ...     est, X[40:], y[40:], methods=["weight_std", "permutation"], n_repeats=2,
        ...     random_state=0)

        One result, drawn both ways:

        >>> bars = ImportanceComparisonDisplay.from_comparison(result)
        >>> sorted(bars.bars_), len(bars.bars_["permutation"])
        (['permutation', 'weight_std'], 3)
        >>> ranks = ImportanceComparisonDisplay.from_comparison(result, kind="rank")
        >>> ranks.image_.get_array().shape  # features x methods
        (3, 2)
        >>> plt.close("all")
        """
        validate_parameter_constraints(
            cls._argument_constraints,
            {"kind": kind},
            caller_name=f"{cls.__name__}.from_comparison",
        )
        try:
            table = result["table"]
        except (KeyError, TypeError):
            raise ValueError(
                "result must be the Bunch returned by compare_importances (with 'table')."
            ) from None
        display = cls(table, timings=result.get("timings"), methods=methods)
        return display.plot(ax=ax, kind=kind, **kwargs)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, kind="bar", ax=None, **kwargs):
        """Run :func:`~skweightimp.inspection.compare_importances` and draw it.

        Parameters
        ----------
        estimator : fitted estimator or Pipeline
            As for ``compare_importances``.
        X, y : array-like
            Held-out data.
        kind : {"bar", "rank"}, default="bar"
            See :meth:`from_comparison`.
        ax : matplotlib Axes, default=None
            Where to draw.
        **kwargs
            ``methods``, ``n_repeats``, ``scoring``, ``random_state``, ``n_jobs``,
            ``feature_groups``, ``sample_weight`` and ``max_samples`` go to
            ``compare_importances`` (which computes only ``methods``, all of them drawn);
            the rest to :meth:`plot`.

        Returns
        -------
        display : ImportanceComparisonDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import ImportanceComparisonDisplay, WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=60, n_features=3, random_state=0)
        >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=2, random_state=0)
        >>> est = est.fit(X[:40], y[:40])
        >>> display = ImportanceComparisonDisplay.from_estimator(
        ...     est, X[40:], y[40:], methods=["weight_std", "viann", "permutation"],
        ...     n_repeats=2, random_state=0, kind="rank")
        >>> list(display.table["rank"].columns)
        ['weight_std', 'viann', 'permutation']
        >>> [tick.get_text() for tick in display.ax_.get_xticklabels()]
        ['weight_std', 'viann', 'permutation']
        >>> plt.close("all")
        """
        validate_parameter_constraints(
            cls._argument_constraints, {"kind": kind}, caller_name=f"{cls.__name__}.from_estimator"
        )
        from .._cross_validation import compare_importances

        keys = (
            "methods",
            "n_repeats",
            "scoring",
            "random_state",
            "n_jobs",
            "feature_groups",
            "sample_weight",
            "max_samples",
        )
        compare_kwargs = {key: kwargs.pop(key) for key in keys if key in kwargs}
        result = compare_importances(estimator, X, y, **compare_kwargs)
        return cls.from_comparison(result, kind=kind, ax=ax, **kwargs)

    def plot(self, ax=None, *, kind="bar", colors=None, bar_kwargs=None):
        """Draw the stored methods side by side, in the stored ``order``.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; a new figure sized to the number of features when None.
        kind : {"bar", "rank"}, default="bar"
            ``"bar"``: per feature, one horizontal bar per method (``importances``: the
            scores divided by each method's total absolute score, so they share a scale).
            ``"rank"``: a grid of features x methods holding each method's rank
            (``ranks``, 1 = most important).
        colors : str or list of colours, default=None
            One colour per method, or a colormap name.
        bar_kwargs : dict, default=None
            Style merged over the bars' defaults.

        Returns
        -------
        self : ImportanceComparisonDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import pandas as pd
        >>> from skweightimp import ImportanceComparisonDisplay
        >>> scores = pd.DataFrame({"m1": [0.7, 0.3], "m2": [0.6, 0.4]}, index=["a", "b"])
        >>> table = pd.concat({"importance": scores, "rank": scores.rank(ascending=False)},
        ...                   axis=1)
        >>> display = ImportanceComparisonDisplay(table, order=[0, 1]).plot(kind="rank")
        >>> [t.get_text() for t in display.ax_.get_yticklabels()]  # as stored, bottom first
        ['a', 'b']
        >>> display.image_.get_array().tolist()
        [[1.0, 1.0], [2.0, 2.0]]
        >>> plt.close("all")
        """
        validate_parameter_constraints(
            self._argument_constraints, {"kind": kind}, caller_name=f"{type(self).__name__}.plot"
        )
        if kind == "rank" and self.ranks is None:
            raise ValueError("kind='rank' needs the ('rank', method) columns of the table.")
        scores = self.importances.iloc[self.order]
        n_methods = scores.shape[1]
        method_colors = feature_colors(n_methods, colors if colors is not None else "tab10")
        self.bars_, self.legend_, self.image_, self.texts_ = {}, None, None, []
        if kind == "bar":
            ax = self._plot_bars(ax, scores, method_colors, bar_kwargs)
        else:
            ax = self._plot_rank_grid(ax, scores)
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    def _plot_bars(self, ax, scores, method_colors, bar_kwargs):
        """Per feature (row of ``scores``), one horizontal bar per method; the Axes."""
        from matplotlib.patches import Rectangle

        n_features, n_methods = scores.shape
        ax = _new_axes(ax, (7.0, _rows_height(n_features, per_row=0.18 * n_methods + 0.12)))
        height = 0.8 / n_methods
        positions = np.arange(n_features)
        for k, method in enumerate(self.methods):
            style = merge_kwargs(
                {"color": method_colors[k], "height": height}, bar_kwargs, Rectangle
            )
            offset = (k - (n_methods - 1) / 2) * height
            # Bars listed top to bottom in legend order.
            self.bars_[method] = ax.barh(
                positions - offset,
                scores[method].to_numpy(),
                label=self._legend_label(method),
                **style,
            )
        set_ticks(ax, positions, list(scores.index), axis="y")
        ax.set_ylim(-0.6, n_features - 0.4)
        ax.axvline(0.0, color="0.3", linewidth=0.8)
        ax.set_xlabel("Importance / total |importance| of the method")
        self.legend_ = plain_text(
            ax.legend(loc="lower right", fontsize="small", title="method (time)")
        )
        ax.grid(axis="x", alpha=0.3)
        ax.set_title("Importance methods side by side")
        return ax

    def _legend_label(self, method):
        """The method's legend entry, with its time when known."""
        if self.timings is not None and method in self.timings:
            return f"{method} ({self.timings[method]:.2g} s)"
        return method

    def _plot_rank_grid(self, ax, scores):
        """A features x methods grid coloured by rank, each cell's rank written in it; the Axes."""
        ranks = self.ranks.iloc[self.order].to_numpy(dtype=float)
        n_features, n_methods = scores.shape
        ax = _new_axes(ax, (max(4.5, 1.6 + 1.1 * n_methods), _rows_height(n_features, per_row=0.3)))
        self.image_ = ax.imshow(
            ranks, cmap="viridis_r", aspect="auto", origin="lower", vmin=1, vmax=n_features
        )
        self._write_ranks(ax, ranks)
        ax.set_xticks(
            np.arange(n_methods),
            self.methods,
            rotation=30,
            ha="right",
            rotation_mode="anchor",
            parse_math=False,
        )
        set_ticks(ax, np.arange(n_features), list(scores.index), axis="y")
        ax.set_title("Rank per method (1 = most important)", fontsize="medium")
        return ax

    def _write_ranks(self, ax, ranks):
        """Each rank as text in its cell, kept in ``texts_``."""
        n_features = len(ranks)
        for (i, j), rank in np.ndenumerate(ranks):
            # viridis_r is dark at the high (unimportant) ranks: white text there.
            dark_cell = rank > (n_features + 1) / 2
            self.texts_.append(
                ax.text(
                    j,
                    i,
                    f"{rank:.0f}",
                    ha="center",
                    va="center",
                    color="white" if dark_cell else "black",
                    fontsize="small",
                )
            )
