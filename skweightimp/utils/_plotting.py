"""Helpers shared by the displays: style, tick labels, legends, axes, colours.

A private module with public names (as scikit-learn's ``utils/_plotting.py``): the
displays of :mod:`skweightimp.plotting`, :mod:`skweightimp.importance` and
:mod:`skweightimp.inspection` import them. matplotlib is imported inside the functions,
only when something is drawn. The displays validate their parameters themselves, with
scikit-learn's constraints (see :mod:`skweightimp.utils._validation`).

Every text the package draws from a user's name (tick labels, legend entries, titles)
goes through :func:`set_ticks`, :func:`legend` or :func:`plain_text`, which switch off
mathtext: a column named ``growth $^$ rate`` is a label, not markup.
"""

import math
import warnings
from numbers import Integral

import numpy as np

from ._names import preprocessed_feature_names
from ._pipeline import split_pipeline

__all__ = [
    "HIGHLIGHT_PALETTE",
    "MAX_LINE_FEATURES",
    "MAX_PANELS",
    "MAX_UNIT_TICKS",
    "OTHER_COLOR",
    "REPORT_KINDS",
    "SEED_PALETTE",
    "UNIT_AXIS_LABEL",
    "axes_size_inches",
    "check_units",
    "feature_colors",
    "figure_of",
    "label_unit_axis",
    "legend",
    "line_legend",
    "line_plan",
    "line_style",
    "merge_kwargs",
    "no_history_message",
    "panel_axes",
    "plain_text",
    "points",
    "pyplot",
    "set_ticks",
    "single_axes",
    "unit_bars",
    "unit_figsize",
    "unit_layout",
    "unwrap_estimator",
]

#: The seed notebook's colours, one per feature in column order (``ms``, ``xs``, ``cs``,
#: ``noise``): "darker", "important", "light" and "noise".
SEED_PALETTE = ("#5DA2D5", "#F3D250", "#90CCF4", "#F78888")

# At most this many per-unit panels are drawn unless ``units`` asks for more.
MAX_PANELS = 16
# Up to this many (feature, unit) bars or boxes get a tick label each ("xs 1", ...);
# beyond it, one tick per feature.
MAX_UNIT_TICKS = 48
# Line plots colour at most this many features; the rest are drawn grey.
MAX_LINE_FEATURES = 10
OTHER_COLOR = "0.8"
# tab10 with black for its grey, which would read as one of the grey "other" features.
HIGHLIGHT_PALETTE = (
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
UNIT_AXIS_LABEL = "Input Column and Node Number"
# Kinds that can be drawn from an importance report alone, without the weight history.
REPORT_KINDS = ("grouped_std", "barrage")


def plain_text(artist):
    """Switch mathtext off for the texts of ``artist`` (a Legend, a Text or a list of them).

    Feature names are labels, not markup: with mathtext on, a name holding two ``$``
    signs is parsed as a formula and may fail to draw (``ValueError: ^``).
    """
    if artist is None:
        return None
    texts = artist.get_texts() if hasattr(artist, "get_texts") else artist
    if hasattr(texts, "set_parse_math"):
        texts = [texts]
    for text in texts:
        text.set_parse_math(False)
    if hasattr(artist, "get_title"):
        artist.get_title().set_parse_math(False)
    return artist


def pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - matplotlib is a dependency
        raise ImportError("Drawing needs matplotlib: pip install matplotlib") from error
    return plt


def feature_colors(n_features, colors):
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


def merge_kwargs(defaults, user, artist_class):
    """Style keyword arguments: the user's over the defaults, aliases (lw, c, fc) resolved."""
    from matplotlib import cbook

    defaults = cbook.normalize_kwargs(dict(defaults), artist_class)
    user = cbook.normalize_kwargs(dict(user or {}), artist_class)
    if "color" in user or "facecolor" in user:
        # The user's colour replaces the one-colour-per-feature default.
        defaults.pop("color", None)
        defaults.pop("facecolor", None)
    return {**defaults, **user}


def check_units(units, n_units, panels):
    """Indices of the first-layer units to draw."""
    if units is None:
        if panels and n_units > MAX_PANELS:
            warnings.warn(
                f"The recorded layer has {n_units} units; drawing one panel for each of the "
                f"first {MAX_PANELS} only. Pass units=[...] to choose which ones.",
                UserWarning,
                stacklevel=4,
            )
            return np.arange(MAX_PANELS)
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


def points(size):
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=size).get_size_in_points()


def axes_size_inches(ax):
    position = ax.get_position()
    width, height = ax.figure.get_size_inches()
    return position.width * width, position.height * height


def set_ticks(ax, positions, labels, axis="x"):
    """Tick labels that do not overlap: rotated when crowded, thinned when even that fails."""
    positions = np.asarray(positions, dtype=float)
    labels = [str(label) for label in labels]
    n = len(labels)
    width, height = axes_size_inches(ax)
    fontsize = points("medium" if n <= 20 else "small")
    char = fontsize / 72 * 0.56  # average character width in inches (DejaVu Sans)
    line = fontsize / 72 * 1.3
    if axis == "y":
        every = max(1, math.ceil(n * line / max(height, 1e-3)))
        ax.set_yticks(positions[::every], labels[::every], fontsize=fontsize, parse_math=False)
        return
    longest = max(len(label) for label in labels) * char
    spacing = float(np.diff(np.sort(positions)).min()) if n > 1 else 1.0
    span = float(positions.max() - positions.min()) + 1.6  # the x limits' margins
    slot = width * spacing / span
    if longest + 0.3 * char <= slot:
        ax.set_xticks(positions, labels, fontsize=fontsize, parse_math=False)
    elif slot >= 1.5 * line:
        ax.set_xticks(
            positions,
            labels,
            fontsize=fontsize,
            rotation=45,
            ha="right",
            rotation_mode="anchor",
            parse_math=False,
        )
    else:
        every = max(1, math.ceil(line / max(slot, 1e-3)))
        ax.set_xticks(
            positions[::every], labels[::every], fontsize=fontsize, rotation=90, parse_math=False
        )


def legend(fig, axes, handles, labels, own_figure):
    """A legend of one entry per feature that does not cover the data."""
    return plain_text(_place_legend(fig, axes, handles, labels, own_figure))


def _place_legend(fig, axes, handles, labels, own_figure):
    n = len(labels)
    fontsize = points("medium" if n <= 10 else "small")
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


def figure_of(ax):
    """The figure of an Axes or of the first Axes of an array."""
    first = ax.flat[0] if isinstance(ax, np.ndarray) else ax
    return first.figure


# ---------------------------------------------------------------------- axes


def single_axes(ax, figsize):
    """The Axes to draw a one-panel plot on, and whether we made its figure."""
    from matplotlib.axes import Axes

    if ax is None:
        plt = pyplot()
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
        return ax, True
    if isinstance(ax, np.ndarray) and ax.size == 1:
        ax = ax.item()
    if not isinstance(ax, Axes):
        raise ValueError(f"ax must be a matplotlib Axes for this plot; got {type(ax).__name__}.")
    return ax, False


def panel_axes(ax, n_panels):
    """One Axes per panel: new ones, the user's, or a grid inside the user's one."""
    from matplotlib.axes import Axes

    ncols = 1 if n_panels == 1 else 2 if n_panels <= 4 else 3 if n_panels <= 9 else 4
    nrows = math.ceil(n_panels / ncols)
    if ax is None:
        plt = pyplot()
        figsize = (min(16.0, 1.0 + 5.2 * ncols), min(14.0, 0.6 + 3.0 * nrows))
        fig, grid = plt.subplots(nrows, ncols, figsize=figsize, layout="constrained", squeeze=False)
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


# ---------------------------------------------------------------------- (feature, unit) axes


def unit_layout(n_features, n_drawn):
    """x positions of the (feature, unit) bars or boxes, grouped by feature."""
    gap = 1 if n_drawn > 1 else 0
    return (np.arange(n_features)[:, np.newaxis] * (n_drawn + gap) + np.arange(n_drawn)).astype(
        float
    )


def unit_figsize(n_slots):
    """Figure size of a plot with ``n_slots`` (feature, unit) positions."""
    return (float(np.clip(2.0 + 0.32 * n_slots, 6.4, 16.0)), 5.0)


def label_unit_axis(ax, positions, units, feature_names):
    """Tick labels ``"<feature> <unit>"`` (units from 1), or one per feature when crowded."""
    n_drawn = positions.shape[1]
    if positions.size <= MAX_UNIT_TICKS:
        labels = [f"{name} {u + 1}" for name in feature_names for u in units]
        set_ticks(ax, positions.ravel(), labels)
        ax.set_xlabel(UNIT_AXIS_LABEL)
    else:
        set_ticks(ax, positions.mean(axis=1), feature_names)
        if n_drawn == 1:
            nodes = f"node {units[0] + 1}"
        elif np.array_equal(units, np.arange(units[0], units[0] + n_drawn)):
            nodes = f"nodes {units[0] + 1}-{units[-1] + 1} left to right"
        else:
            nodes = "the chosen nodes left to right"
        ax.set_xlabel(f"Input Column ({nodes})")
    ax.set_xlim(positions.min() - 0.8, positions.max() + 0.8)


def unit_bars(ax, values, positions, colors, bar_kwargs):
    """One bar per (feature, unit), coloured by feature."""
    from matplotlib.patches import Rectangle

    n_drawn = positions.shape[1]
    bar_colors = [colors[i] for i in range(positions.shape[0]) for _ in range(n_drawn)]
    kwargs = merge_kwargs({"color": bar_colors, "width": 0.8}, bar_kwargs, Rectangle)
    return ax.bar(positions.ravel(), values.ravel(), **kwargs)


# ---------------------------------------------------------------------- line plots


def line_plan(feature_names, movement, colors, highlight):
    """Colour of each feature's lines, which features stand out, and the legend order.

    Up to 10 features (or ``highlight="all"``) each get their colour. With more, the
    ``highlight`` features (by default the 10 whose weights moved most, by ``movement``)
    get distinct colours and the rest are drawn thin and grey, as one "other features"
    entry.
    """
    n = len(feature_names)
    if highlight is None:
        highlight = "all" if n <= MAX_LINE_FEATURES else MAX_LINE_FEATURES
    if isinstance(highlight, str) and highlight == "all":
        chosen = np.arange(n)
    elif isinstance(highlight, (Integral, np.integer)) and not isinstance(highlight, bool):
        if not 1 <= highlight <= n:
            raise ValueError(
                f"highlight must be between 1 and the number of features ({n}); got {highlight!r}."
            )
        chosen = np.argsort(-movement, kind="stable")[: int(highlight)]
    else:
        try:
            wanted = [str(name) for name in highlight]
        except TypeError:
            wanted = None
        unknown = None if wanted is None else [w for w in wanted if w not in feature_names]
        if wanted is None or not wanted or unknown:
            raise ValueError(
                "highlight must be None, 'all', a number of features or a list of "
                f"feature names; got {highlight!r}"
                + (f" (unknown names {unknown})." if unknown else ".")
            )
        chosen = np.array(sorted({feature_names.index(w) for w in wanted}))
    if len(chosen) == n:
        return feature_colors(n, colors), np.ones(n, dtype=bool), list(range(n))
    # The highlighted features, most moved first.
    order = sorted(chosen, key=lambda i: -movement[i])
    if colors is None:
        palette = feature_colors(len(order), HIGHLIGHT_PALETTE if len(order) <= 10 else None)
        line_colors = [OTHER_COLOR] * n
        for rank, i in enumerate(order):
            line_colors[i] = palette[rank]
    else:
        line_colors = feature_colors(n, colors)
    highlighted = np.zeros(n, dtype=bool)
    highlighted[chosen] = True
    return line_colors, highlighted, [int(i) for i in order]


def line_style(color, highlighted, line_kwargs, linewidth):
    """Keyword arguments of one line: thin and behind when not highlighted."""
    from matplotlib.lines import Line2D

    if highlighted:
        defaults = {"color": color, "linewidth": linewidth, "zorder": 2.5}
    else:
        defaults = {"color": color, "linewidth": 0.8, "zorder": 2.0}
    return merge_kwargs(defaults, line_kwargs, Line2D)


def line_legend(axes, own, feature_names, line_colors, highlighted, order, line_kwargs, extra=()):
    """The legend of a line plot: the highlighted features, "k other features", extras."""
    from matplotlib.lines import Line2D

    handles, labels = [], []
    for i in order:
        kwargs = merge_kwargs({"color": line_colors[i], "linewidth": 1.5}, line_kwargs, Line2D)
        kwargs.pop("linestyle", None)
        handles.append(Line2D([], [], **kwargs))
        labels.append(feature_names[i])
    n_other = int((~highlighted).sum())
    if n_other:
        handles.append(Line2D([], [], color=OTHER_COLOR, linewidth=1.0))
        labels.append(f"{n_other} other features")
    for handle, label in extra:
        handles.append(handle)
        labels.append(label)
    return legend(axes[0].figure, axes, handles, labels, own)


# ---------------------------------------------------------------------- estimators


def no_history_message(what, estimator_name):
    """Why ``what`` cannot be drawn without the weight history, and how to get it."""
    owner = f"{estimator_name}.weight_history_" if estimator_name else "weight_history"
    return (
        f"{what} needs the full weight history, but {owner} is None (the estimator was "
        "fitted with store_history=False, or never trained). Fit with store_history=True "
        f"to draw it; only the kinds {list(REPORT_KINDS)} can be drawn from "
        "importance_report_ alone."
    )


def unwrap_estimator(estimator):
    """The fitted estimator of this package inside ``estimator``, and Pipeline feature names."""
    from sklearn.utils.validation import check_is_fitted

    preprocessor, final = split_pipeline(estimator, caller="from_estimator")
    check_is_fitted(final)
    return final, preprocessed_feature_names(preprocessor)
