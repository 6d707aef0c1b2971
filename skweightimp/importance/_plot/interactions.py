"""Pairwise interactions drawn: a heatmap of every pair, or the strongest pairs as bars.

:class:`InteractionDisplay` follows scikit-learn's Display API:
:meth:`~InteractionDisplay.from_estimator` and :meth:`~InteractionDisplay.from_scores`
take the strengths (and, optionally, the noise test's decisions) and keep them;
:meth:`~InteractionDisplay.plot` only draws. matplotlib is imported only when something
is drawn.
"""

import numpy as np
import pandas as pd
from sklearn.utils._param_validation import StrOptions, validate_parameter_constraints

from ...utils._names import estimator_feature_names
from ...utils._plotting import plain_text, pyplot, single_axes, unwrap_estimator
from ...utils._validation import Integer
from .._interactions import interaction_pairs

__all__ = ["InteractionDisplay"]

# What InteractionDisplay draws (its ``kind`` values).
_INTERACTION_KINDS = ("heatmap", "pairs")

# Colours of the noise test's decisions on the pairs' bars (grey: no test given).
_DECISION_COLORS = {"confirmed": "tab:green", "tentative": "tab:orange", "rejected": "0.6"}
_UNTESTED_COLOR = "tab:blue"


class InteractionDisplay:
    """Which features the network joins: every pair as a heatmap, or the strongest as bars.

    The strengths are an estimator's
    :meth:`~skweightimp.WeightTrajectoryRegressor.interaction_scores` (NID from the weights by
    default). They rank pairs within one network; on their own they say nothing about
    noise: pass the decisions of
    :func:`skweightimp.inspection.interaction_significance` to colour the bars by what
    the noise test found (green confirmed, orange tentative, grey rejected).

    Build it with :meth:`from_estimator` or :meth:`from_scores`, which call :meth:`plot`.

    Parameters
    ----------
    scores : pandas.DataFrame of shape (n_features, n_features)
        Symmetric pairwise strengths, zero on the diagonal, named rows and columns.
    method : str, default=None
        Name of the interaction method, for the title.
    decision : pandas.Series, default=None
        The noise test's decision per pair, indexed by ``(feature_a, feature_b)``.

    Attributes
    ----------
    pairs : pandas.Series
        The pairs strongest first (:func:`skweightimp.importance.interaction_pairs`).
    ax_ : matplotlib Axes
        The Axes drawn on.
    figure_ : matplotlib Figure
        The figure holding ``ax_``.
    image_ : matplotlib AxesImage or None
        The heatmap (``kind="heatmap"``).
    colorbar_ : matplotlib Colorbar or None
        The heatmap's colour bar (``kind="heatmap"``).
    bars_ : matplotlib BarContainer or None
        One bar per pair drawn, strongest at the top (``kind="pairs"``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from skweightimp import InteractionDisplay
    >>> S = pd.DataFrame([[0, 3, 1], [3, 0, 2], [1, 2, 0]], index=list("abc"),
    ...                  columns=list("abc"), dtype=float)
    >>> display = InteractionDisplay.from_scores(S, kind="pairs")
    >>> [float(bar.get_width()) for bar in display.bars_], display.pairs.index[0]
    ([3.0, 2.0, 1.0], ('a', 'b'))
    >>> display.plot(kind="heatmap").image_.get_array().shape
    (3, 3)
    >>> import matplotlib.pyplot as plt
    >>> plt.close("all")
    """

    # Checked with scikit-learn's validate_parameter_constraints by each method.
    _argument_constraints = {
        "scores": [pd.DataFrame],
        "decision": [pd.Series, None],
        "kind": [StrOptions(set(_INTERACTION_KINDS))],
        "top_k": [Integer(1, None, closed="left")],
    }

    def __init__(self, scores, *, method=None, decision=None):
        self.scores = scores
        self.method = method
        self.decision = decision
        self.pairs = interaction_pairs(scores)

    @classmethod
    def from_scores(cls, scores, *, method=None, decision=None, kind="heatmap", top_k=10, ax=None):
        """Draw pairwise strengths given as a features x features DataFrame.

        Parameters
        ----------
        scores : pandas.DataFrame of shape (n_features, n_features)
            Symmetric strengths, e.g. an estimator's ``interaction_scores()``.
        method : str, default=None
            Name of the interaction method, for the title.
        decision : pandas.Series, default=None
            The ``decision`` of :func:`skweightimp.inspection.interaction_significance`.
        kind, top_k, ax
            See :meth:`plot`.

        Returns
        -------
        display : InteractionDisplay
        """
        validate_parameter_constraints(
            cls._argument_constraints,
            {"scores": scores, "decision": decision, "kind": kind, "top_k": top_k},
            caller_name=f"{cls.__name__}.from_scores",
        )
        return cls(scores, method=method, decision=decision).plot(ax=ax, kind=kind, top_k=top_k)

    @classmethod
    def from_estimator(
        cls, estimator, *, method=None, X=None, decision=None, kind="heatmap", top_k=10, ax=None
    ):
        """Read a fitted estimator's interaction scores and draw them.

        Parameters
        ----------
        estimator : WeightTrajectoryRegressor, WeightTrajectoryClassifier or Pipeline
            A fitted estimator of this package, or a fitted Pipeline whose last step is
            one (the features are then named after the preprocessing's output).
        method : {"nid", "gradient"}, default=None
            See the estimator's ``interaction_scores``; None means ``"nid"``.
        X : array-like, default=None
            The rows ``"gradient"`` reads, as the final estimator sees them.
        decision : pandas.Series, default=None
            The ``decision`` of :func:`skweightimp.inspection.interaction_significance`.
        kind, top_k, ax
            See :meth:`plot`.

        Returns
        -------
        display : InteractionDisplay

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import numpy as np
        >>> from skweightimp import InteractionDisplay, WeightTrajectoryRegressor
        >>> X = np.random.default_rng(0).normal(size=(100, 3))
        >>> est = WeightTrajectoryRegressor(hidden_layer_sizes=(4,), epochs=2, random_state=0)
        >>> display = InteractionDisplay.from_estimator(est.fit(X, X[:, 0] * X[:, 1]))
        >>> display.scores.shape, display.ax_.get_title()
        ((3, 3), 'Interactions (nid)')
        """
        validate_parameter_constraints(
            cls._argument_constraints,
            {"decision": decision, "kind": kind, "top_k": top_k},
            caller_name=f"{cls.__name__}.from_estimator",
        )
        est, names = unwrap_estimator(estimator)
        scores = est.interaction_scores(method, X=X)
        if not est.feature_groups:
            names = estimator_feature_names(est, names, scores.shape[1])
            scores.index = pd.Index(names, name=scores.index.name)
            scores.columns = pd.Index(names)
        return cls.from_scores(
            scores,
            method="nid" if method is None else method,
            decision=decision,
            kind=kind,
            top_k=top_k,
            ax=ax,
        )

    def plot(self, ax=None, *, kind="heatmap", top_k=10, cmap="viridis"):
        """Draw every pair as a heatmap, or the ``top_k`` strongest pairs as bars.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; None creates a figure.
        kind : {"heatmap", "pairs"}, default="heatmap"
            ``"heatmap"``: the features x features matrix; ``"pairs"``: horizontal bars
            of the strongest pairs, strongest at the top, coloured by ``decision`` when
            given.
        top_k : int, default=10
            Number of pairs drawn by ``"pairs"``.
        cmap : str, default="viridis"
            Colormap of the heatmap.

        Returns
        -------
        display : InteractionDisplay
            ``self``, with ``ax_``, ``figure_`` and ``image_``/``colorbar_`` or
            ``bars_`` set.
        """
        validate_parameter_constraints(
            self._argument_constraints,
            {"kind": kind, "top_k": top_k},
            caller_name=f"{type(self).__name__}.plot",
        )
        pyplot()
        self.image_ = self.colorbar_ = self.bars_ = None
        if kind == "heatmap":
            ax = self._draw_heatmap(ax, cmap)
        else:
            ax = self._draw_pairs(ax, top_k)
        if self.method is not None:
            plain_text(ax.set_title(f"Interactions ({self.method})"))
        self.ax_, self.figure_ = ax, ax.figure
        return self

    def _draw_heatmap(self, ax, cmap):
        names = [str(name) for name in self.scores.columns]
        size = min(12.0, 3.0 + 0.35 * len(names))
        ax, _ = single_axes(ax, (size + 1.5, size))
        self.image_ = ax.imshow(self.scores.to_numpy(dtype=float), cmap=cmap)
        ticks = np.arange(len(names))
        ax.set_xticks(ticks, labels=names, rotation=90)
        ax.set_yticks(ticks, labels=names)
        plain_text(ax.get_xticklabels() + ax.get_yticklabels())
        self.colorbar_ = ax.figure.colorbar(self.image_, ax=ax, label="Interaction strength")
        return ax

    def _draw_pairs(self, ax, top_k):
        pairs = self.pairs.iloc[:top_k]
        labels = [f"{a} × {b}" for a, b in pairs.index]
        ax, _ = single_axes(ax, (8.0, 1.0 + 0.4 * len(pairs)))
        colors = [self._pair_color(pair) for pair in pairs.index]
        positions = np.arange(len(pairs))[::-1]
        self.bars_ = ax.barh(positions, pairs.to_numpy(), color=colors)
        ax.set_yticks(positions, labels=labels)
        plain_text(ax.get_yticklabels())
        ax.set_xlabel("Interaction strength")
        if self.decision is not None:
            self._decision_legend(ax)
        return ax

    def _pair_color(self, pair):
        if self.decision is None:
            return _UNTESTED_COLOR
        decision = self.decision.get(pair, self.decision.get(pair[::-1]))
        return _DECISION_COLORS.get(decision, _UNTESTED_COLOR)

    def _decision_legend(self, ax):
        from matplotlib.patches import Patch

        handles = [Patch(color=color, label=name) for name, color in _DECISION_COLORS.items()]
        ax.legend(handles=handles, title="noise test", loc="lower right")
