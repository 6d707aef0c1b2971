"""The importance path: each feature's importance or rank against the epoch.

:class:`ImportancePathDisplay` follows scikit-learn's Display API:
:meth:`~ImportancePathDisplay.from_estimator` and :meth:`~ImportancePathDisplay.from_path`
compute the path, its ranks and the epoch where the top-k ranking settled
(:mod:`skweightimp.importance`) and keep them; :meth:`~ImportancePathDisplay.plot`
only draws. matplotlib is imported only when something is drawn.
"""

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import StrOptions, validate_parameter_constraints

from ...utils._names import estimator_feature_names
from ...utils._plotting import (
    figure_of,
    line_legend,
    line_plan,
    line_style,
    plain_text,
    pyplot,
    single_axes,
    unwrap_estimator,
)
from ...utils._validation import Integer
from .._path import ranking_path, ranking_settled_at

__all__ = ["ImportancePathDisplay"]

# What ImportancePathDisplay draws against the epoch (its ``kind`` values): each feature's
# rank (1 at the top) or its normalised importance.
_PATH_KINDS = ("rank", "importance")

_SETTLED_COLOR = "0.35"


class ImportancePathDisplay:
    """Each feature's importance or rank against the epoch, with the settled epoch marked.

    Row ``t`` of an importance path is the importance that the first ``t`` snapshots
    give (:func:`~skweightimp.importance.importance_path`). Read the rank plot from
    the right: where the lines stop crossing, training had already decided the ranking,
    and the dashed line marks the epoch from which the top ``top_k`` places never changed
    again. Lines still crossing at the right edge mean the ranking had not settled; the
    dashed line is then at the last epoch and the legend says "still changing".

    Build it with :meth:`from_estimator` or :meth:`from_path`, which compute everything
    and call :meth:`plot`.

    Parameters
    ----------
    importances : pandas.DataFrame of shape (n_snapshots, n_features)
        The importance path: one row per snapshot (indexed by epoch or snapshot number),
        one column per feature.
    ranks : pandas.DataFrame of shape (n_snapshots, n_features)
        The rank of each feature in each row (1 for the most important).
    settled : int
        Index label of the row from which the top ``top_k`` ranking never changes.
    top_k : int or None
        Number of leading places ``settled`` compares; None for the whole ranking.
    method : str, default=None
        Name of the importance method, for the title.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The Axes drawn on.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.
    lines_ : list of matplotlib Line2D
        One line per feature, in column order.
    settled_line_ : matplotlib Line2D
        The vertical line at the settled epoch.
    legend_ : matplotlib Legend
        The legend.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from skweightimp import ImportancePathDisplay
    >>> from skweightimp.importance import importance_path
    >>> H = np.random.RandomState(0).normal(scale=[[0.3], [0.1], [0.02]], size=(30, 3, 4))
    >>> path = importance_path(H.cumsum(axis=0), feature_names=["a", "b", "c"])
    >>> display = ImportancePathDisplay.from_path(path, top_k=2)
    >>> display.settled, display.ranks.iloc[-1].tolist(), len(display.lines_)
    (2, [1, 2, 3], 3)
    >>> display = display.plot(kind="importance")
    >>> display.ax_.get_ylabel()
    'Importance'
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """

    # Checked with scikit-learn's validate_parameter_constraints by each method.
    _argument_constraints = {
        "path": [pd.DataFrame],
        "top_k": [Integer(1, None, closed="left"), None],
        "kind": [StrOptions(set(_PATH_KINDS))],
    }

    def __init__(self, importances, ranks, settled, top_k, *, method=None):
        self.importances = importances
        self.ranks = ranks
        self.settled = settled
        self.top_k = top_k
        self.method = method

    @classmethod
    def from_path(
        cls,
        path,
        *,
        top_k=None,
        method=None,
        kind="rank",
        ax=None,
        colors=None,
        highlight=None,
        line_kwargs=None,
    ):
        """Rank an importance path, find where it settled, and draw it.

        Parameters
        ----------
        path : pandas.DataFrame of shape (n_snapshots, n_features)
            Importances per snapshot, e.g. from
            :func:`~skweightimp.importance.importance_path`.
        top_k : int, default=None
            Places compared to find the settled epoch (at least 1); None for the whole
            ranking.
        method : str, default=None
            Name of the importance method, for the title.
        kind, ax, colors, highlight, line_kwargs
            See :meth:`plot`.

        Returns
        -------
        display : ImportancePathDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import pandas as pd
        >>> from skweightimp import ImportancePathDisplay
        >>> path = pd.DataFrame({"a": [0.5, 0.6, 0.7], "b": [0.5, 0.4, 0.3]})
        >>> ImportancePathDisplay.from_path(path).settled  # the tie ends at row 1
        1
        """
        validate_parameter_constraints(
            cls._argument_constraints,
            {"path": path, "top_k": top_k, "kind": kind},
            caller_name=f"{cls.__name__}.from_path",
        )
        ranks = ranking_path(path)
        settled = ranking_settled_at(ranks, top_k=top_k, ranks=True)
        display = cls(path, ranks, settled, top_k, method=method)
        return display.plot(
            kind=kind, ax=ax, colors=colors, highlight=highlight, line_kwargs=line_kwargs
        )

    @classmethod
    def from_estimator(cls, estimator, *, method=None, top_k=None, **kwargs):
        """Compute the importance path of a fitted estimator and draw it.

        Parameters
        ----------
        estimator : WeightTrajectoryRegressor, WeightTrajectoryClassifier or Pipeline
            A fitted estimator of this package that kept its weight history
            (``store_history=True``), or a fitted Pipeline whose last step is one.
        method : str, default=None
            The importance method; None for the estimator's ``importance_method``.
            ``"garson"`` and ``"olden"`` need ``record_all_kernels=True`` at fit.
        top_k : int, default=None
            Places compared to find the settled epoch (at least 1); None for the
            estimator's ``ranking_top_k``.
        **kwargs : dict
            ``kind``, ``ax``, ``colors``, ``highlight``, ``line_kwargs``: see :meth:`plot`.

        Returns
        -------
        display : ImportancePathDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn.datasets import make_regression
        >>> from skweightimp import ImportancePathDisplay, WeightTrajectoryRegressor
        >>> X, y = make_regression(n_samples=50, n_features=3, random_state=0)
        >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=6, random_state=0)
        >>> display = ImportancePathDisplay.from_estimator(est.fit(X, y), kind="rank")
        >>> display.importances.shape, display.ax_.get_xlabel()
        ((6, 3), 'Epoch')
        """
        validate_parameter_constraints(
            cls._argument_constraints,
            {"top_k": top_k, **kwargs},
            caller_name=f"{cls.__name__}.from_estimator",
        )
        est, names = unwrap_estimator(estimator)
        method = est.importance_method if method is None else method
        path = est.importance_path(method)
        path.columns = pd.Index(
            estimator_feature_names(est, names, path.shape[1]), name=path.columns.name
        )
        if top_k is None:
            top_k = est.ranking_top_k
        return cls.from_path(path, top_k=top_k, method=method, **kwargs)

    def plot(self, ax=None, *, kind="rank", colors=None, highlight=None, line_kwargs=None):
        """Draw each feature's rank or importance against the epoch.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None creates a figure.
        kind : {"rank", "importance"}, default="rank"
            ``"rank"``: rank 1 at the top, a step per change; ``"importance"``: the
            normalised importance.
        colors : str or list of colours, default=None
            One colour per feature, or a matplotlib colormap name.
        highlight : None, "all", int or list of str, default=None
            Which features get a colour and a legend entry (the others are thin and
            grey): None colours every feature when there are at most 10, else the 10
            most important at the end; an int colours that many of the most important;
            a list names them.
        line_kwargs : dict, default=None
            Passed to :meth:`matplotlib.axes.Axes.plot`, over the defaults.

        Returns
        -------
        display : ImportancePathDisplay
            ``self``, with ``ax_``, ``figure_``, ``lines_``, ``settled_line_`` and
            ``legend_`` set.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import pandas as pd
        >>> from skweightimp import ImportancePathDisplay
        >>> path = pd.DataFrame({"a": [0.5, 0.3, 0.6, 0.7], "b": [0.5, 0.7, 0.4, 0.3]})
        >>> ranks = pd.DataFrame({"a": [1, 2, 1, 1], "b": [1, 1, 2, 2]})
        >>> display = ImportancePathDisplay(path, ranks, settled=2, top_k=None).plot()
        >>> display.lines_[1].get_ydata().tolist(), display.settled_line_.get_xdata()
        ([1, 1, 2, 2], [2, 2])
        """
        validate_parameter_constraints(
            self._argument_constraints, {"kind": kind}, caller_name=f"{type(self).__name__}.plot"
        )
        pyplot()
        from matplotlib.lines import Line2D

        values = self.ranks if kind == "rank" else self.importances
        names = [str(name) for name in values.columns]
        n_features = len(names)
        final = self.importances.to_numpy(dtype=float)[-1]
        line_colors, highlighted, order = line_plan(names, final, colors, highlight)
        x = np.asarray(values.index)
        ax, own = single_axes(ax, (9.0, 5.0))
        lines = []
        for i in range(n_features):
            kwargs = line_style(line_colors[i], highlighted[i], line_kwargs, 1.8)
            if kind == "rank":
                kwargs.setdefault("drawstyle", "steps-post")
            (line,) = ax.plot(x, values.iloc[:, i].to_numpy(), **kwargs)
            lines.append(line)
        settled_line = ax.axvline(
            self.settled, color=_SETTLED_COLOR, linestyle="--", linewidth=1.2, zorder=3
        )
        places = "ranking" if self.top_k is None else f"top-{self.top_k} ranking"
        unit = _x_label(values.index).lower()
        if len(x) > 1 and self.settled == x[-1]:
            # A change at the very last row: the ranking never settled.
            settled_label = f"{places} still changing at the last {unit} ({self.settled})"
        else:
            settled_label = f"{places} settled ({unit} {self.settled})"
        if kind == "rank":
            ax.set_ylim(n_features + 0.5, 0.5)
            ax.set_yticks(range(1, n_features + 1))
            ax.set_ylabel("Rank")
        else:
            ax.set_ylim(bottom=0.0)
            ax.set_ylabel("Importance")
        ax.set_xlabel(_x_label(values.index))
        ax.set_xlim(x[0], max(x[-1], x[0] + 1))
        if self.method is not None:
            plain_text(ax.set_title(f"Importance over training ({self.method})"))
        handle = Line2D([], [], color=_SETTLED_COLOR, linestyle="--", linewidth=1.2)
        self.legend_ = line_legend(
            [ax],
            own,
            names,
            line_colors,
            highlighted,
            order,
            line_kwargs,
            extra=[(handle, settled_label)],
        )
        self.lines_ = lines
        self.settled_line_ = settled_line
        self.ax_ = ax
        self.figure_ = figure_of(ax)
        return self


def _x_label(index):
    """The x-axis label of a path: its index name, capitalised ("Epoch", "Snapshot")."""
    name = index.name if isinstance(index.name, str) and index.name else "snapshot"
    return name[:1].upper() + name[1:]
