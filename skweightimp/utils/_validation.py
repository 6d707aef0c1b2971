"""Parameter constraints shared by the estimators, the displays and the public functions.

The package validates parameters with scikit-learn's constraint system
(:mod:`sklearn.utils._param_validation`): ``validate_params`` on functions, an estimator's
``_parameter_constraints``, and ``validate_parameter_constraints`` in the methods of the
displays and in the Keras callbacks. This module holds the constraints used in several
places.

scikit-learn's ``Interval(Integral, ...)`` and ``Interval(Real, ...)`` accept ``True`` and
``False`` (``bool`` is an ``int`` subclass), so ``epochs=True`` would train one epoch.
:class:`Integer` and :class:`RealNumber` are those intervals without booleans; every
integer parameter of the package is declared with :class:`Integer`.
"""

from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions, make_constraint

__all__ = [
    "BARRAGE_NUM",
    "BARRAGE_THRESHOLD",
    "BURN_IN",
    "DDOF",
    "FEATURE_GROUPS",
    "GROUP_SCORE",
    "RANDOM_STATE",
    "RECORD_EVERY",
    "DENSITY_DOMAIN",
    "Integer",
    "RealNumber",
    "satisfies",
]


class Integer(Interval):
    """``Interval(Integral, left, right, closed=closed)`` that refuses booleans.

    Examples
    --------
    >>> from skweightimp.utils._validation import Integer
    >>> positive = Integer(1, None, closed="left")
    >>> positive.is_satisfied_by(3), positive.is_satisfied_by(True), str(positive)
    (True, False, 'an int in the range [1, inf)')
    """

    def __init__(self, left, right, *, closed):
        super().__init__(Integral, left, right, closed=closed)

    def is_satisfied_by(self, val):
        return not isinstance(val, (bool, np.bool_)) and super().is_satisfied_by(val)


class RealNumber(Interval):
    """``Interval(Real, left, right, closed=closed)`` that refuses booleans.

    Examples
    --------
    >>> from skweightimp.utils._validation import RealNumber
    >>> positive = RealNumber(0, None, closed="neither")
    >>> positive.is_satisfied_by(2.5), positive.is_satisfied_by(True), str(positive)
    (True, False, 'a float in the range (0.0, inf)')
    """

    def __init__(self, left, right, *, closed):
        super().__init__(Real, left, right, closed=closed)

    def is_satisfied_by(self, val):
        return not isinstance(val, (bool, np.bool_)) and super().is_satisfied_by(val)


#: ``random_state``: scikit-learn's "random_state" constraint, without booleans.
RANDOM_STATE = [Integer(0, 2**32 - 1, closed="both"), np.random.RandomState, None]

#: ``record_every``: ``"epoch"`` or a positive number of training batches.
RECORD_EVERY = [StrOptions({"epoch"}), Integer(1, None, closed="left")]

#: ``burn_in``: the fraction of the earliest snapshots left out.
BURN_IN = [Interval(Real, 0, 1, closed="left")]

#: ``ddof`` of a standard deviation.
DDOF = [Integer(0, None, closed="left")]

#: Grid points (``num``, ``barrage_num``) and density ``threshold`` of the barrage metrics;
#: the ``domain`` pair is checked by ``_math.check_barrage_params`` (low < high).
BARRAGE_NUM = [Integer(2, None, closed="left")]
BARRAGE_THRESHOLD = [Interval(Real, 0, None, closed="neither")]

#: ``domain`` of the density plots: None (the barrage domain), ``"auto"`` or a pair
#: ``(low, high)``, whose order ``_math.check_barrage_params`` checks.
DENSITY_DOMAIN = [None, StrOptions({"auto"}), "array-like"]

#: ``feature_groups`` of the grouping and inspection functions.
FEATURE_GROUPS = [None, StrOptions({"auto"}), Mapping]

#: ``group_score``: how a feature group's score is made from its columns' scores
#: (:func:`skweightimp.importance.aggregate_importances` says why "mean" is the default).
GROUP_SCORE = [StrOptions({"mean", "sum", "rss"})]

# The importance methods read from weights alone, so from any snapshot of them: the ones an
# importance path and the ranking stop during training can follow (every method of
# skweightimp.importance.IMPORTANCE_METHODS but "gradient").
WEIGHT_METHODS = ("weight_std", "viann", "displacement", "garson", "olden")


def satisfies(value, constraints):
    """Whether ``value`` meets one of ``constraints`` (scikit-learn constraint specs).

    Examples
    --------
    >>> from skweightimp.utils._validation import RECORD_EVERY, satisfies
    >>> satisfies("epoch", RECORD_EVERY), satisfies(5, RECORD_EVERY), satisfies(True, RECORD_EVERY)
    (True, True, False)
    """
    return any(make_constraint(constraint).is_satisfied_by(value) for constraint in constraints)
