"""A CSV file made ready for the network: read, checked, task inferred, preprocessing built.

Everything here is pandas and scikit-learn; nothing imports Keras, so a bad file is
reported in about a second. Every problem a user can fix raises
:class:`~skweightimp._report.errors.ReportError` with one sentence that names it.

The task rule (:func:`infer_task`): the target is a **classification** target when it
holds text, booleans or a pandas category, or when all its values are whole numbers and
there are at most ``MAX_CLASSIFICATION_VALUES`` distinct ones; otherwise it is a
**regression** target.
"""

import csv
import os
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import ReportError

__all__ = [
    "MAX_CLASSIFICATION_VALUES",
    "TabularData",
    "infer_task",
    "make_preprocessor",
    "prepare_tabular",
    "read_csv",
    "split_train_test",
    "standardize_target",
]

#: A numeric target of whole numbers with at most this many distinct values is read as
#: class labels.
MAX_CLASSIFICATION_VALUES = 10

# A text column with more distinct values than this (and than half the rows) is probably
# an identifier; the report says so.
_MANY_CATEGORIES = 50


def _names(columns, limit=8):
    """``'a', 'b' and 3 more`` for messages."""
    columns = [str(c) for c in columns]
    shown = ", ".join(repr(c) for c in columns[:limit])
    if len(columns) > limit:
        shown += f" and {len(columns) - limit} more"
    return shown


# Delimiters tried when a file read with commas has a single column.
_OTHER_DELIMITERS = ";\t|"


def _sniff_delimiter(path):
    """The delimiter of a file that commas split into one column, or None."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            sample = handle.read(64 * 1024)
    except (OSError, UnicodeDecodeError):
        return None
    header = sample.splitlines()[0] if sample else ""
    if not any(d in header for d in _OTHER_DELIMITERS):
        return None
    try:
        return csv.Sniffer().sniff(sample, delimiters=_OTHER_DELIMITERS).delimiter
    except csv.Error:
        # Too few lines for the sniffer to be sure: the header's most frequent one.
        return max(_OTHER_DELIMITERS, key=header.count)


def read_csv(path, *, sep=None):
    """Read a CSV file into a DataFrame; every failure becomes a :class:`.ReportError`.

    Parameters
    ----------
    path : str or path-like
        The file.
    sep : str, default=None
        The delimiter. None reads commas, and when that gives a single column whose header
        holds ``;``, a tab or ``|``, detects the delimiter instead (as in a spreadsheet's
        semicolon-separated export).

    Returns
    -------
    pandas.DataFrame
        At least one row and one column.

    Examples
    --------
    >>> import os, tempfile
    >>> from skweightimp._report.tabular import read_csv
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "data.csv")
    ...     with open(path, "w") as handle:
    ...         _ = handle.write("age,color,price\\n31,red,1.5\\n45,blue,2.0\\n")
    ...     frame = read_csv(path)
    >>> frame.shape, list(frame.columns)
    ((2, 3), ['age', 'color', 'price'])

    A semicolon-separated file is recognised:

    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "data.csv")
    ...     with open(path, "w") as handle:
    ...         _ = handle.write("age;price\\n31;1,5\\n45;2,0\\n")
    ...     list(read_csv(path).columns)
    ['age', 'price']

    A problem with the file is one :class:`~skweightimp._report.errors.ReportError`:

    >>> read_csv(path)  # the folder is gone now
    Traceback (most recent call last):
        ...
    skweightimp._report.errors.ReportError: cannot read '...data.csv': no such file
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise ReportError(f"cannot read {path!r}: no such file")
    if os.path.isdir(path):
        raise ReportError(f"cannot read {path!r}: it is a directory, not a CSV file")
    try:
        frame = pd.read_csv(path, sep="," if sep is None else sep)
        if sep is None and frame.shape[1] == 1:
            detected = _sniff_delimiter(path)
            if detected is not None:
                frame = pd.read_csv(path, sep=detected)
    except pd.errors.EmptyDataError:
        raise ReportError(f"{path!r} is empty: expected a CSV file with a header row") from None
    except UnicodeDecodeError:
        raise ReportError(
            f"cannot read {path!r}: it is not UTF-8 text (is it a CSV file?)"
        ) from None
    except pd.errors.ParserError as error:
        detail = str(error).strip().splitlines()[-1]
        raise ReportError(
            f"cannot read {path!r} as CSV: {detail}",
            hint="if its delimiter is not a comma, give it with {}",
            option=("sep", None),
        ) from None
    except OSError as error:
        raise ReportError(f"cannot read {path!r}: {error.strerror or error}") from None
    if frame.shape[1] == 0 or len(frame) == 0:
        raise ReportError(f"{path!r} has a header but no data rows")
    return frame


def _shown(value):
    """``repr`` of a cell as a user wrote it (``1``, not ``np.int64(1)``)."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _rows(n):
    """``1 row``, ``3 rows``."""
    return f"{n} row{'s' * (n != 1)}"


# The network computes in float32: a value beyond its range becomes infinite there (and
# standardising a column with such a value overflows already in float64).
_FLOAT32_MAX = float(np.finfo(np.float32).max)


def _check_finite(columns, kind):
    """Refuse infinite or too large values, naming the columns and counting the rows.

    ``columns`` maps a column name to its float values (missing values are NaN and are
    not counted here); ``kind`` is "target column" or "feature column(s)".
    """
    infinite = {c: int(np.isinf(v).sum()) for c, v in columns.items()}
    huge = {c: int((np.abs(v[np.isfinite(v)]) > _FLOAT32_MAX).sum()) for c, v in columns.items()}
    for counts, what, hint in (
        (infinite, "infinite values (inf or -inf)", "remove those rows or give them a number"),
        (
            huge,
            f"values too large for the network (beyond ±{_FLOAT32_MAX:.1e}, float32's range)",
            "rescale the column or remove those rows",
        ),
    ):
        listed = ", ".join(f"{c!r} ({_rows(n)})" for c, n in counts.items() if n)
        if listed:
            raise ReportError(f"{what} in {kind} {listed}; {hint}")


def _is_number(series):
    """A numeric column that is not true/false values."""
    dtype = series.dtype
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _is_text(series):
    dtype = series.dtype
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
    )


def infer_task(y):
    """Decide between classification and regression from the target alone.

    Parameters
    ----------
    y : pandas.Series
        The target, without missing values.

    Returns
    -------
    task : {"classification", "regression"}
    reason : str
        Why, in words, for the report.

    Examples
    --------
    >>> import pandas as pd
    >>> from skweightimp._report.tabular import infer_task
    >>> infer_task(pd.Series(["a", "b", "a"]))[0]
    'classification'
    >>> infer_task(pd.Series([0, 1, 2, 1]))
    ('classification', 'the target holds 3 distinct whole numbers (at most 10)')
    >>> infer_task(pd.Series([0.5, 1.25, 2.0]))[0]
    'regression'
    """
    if pd.api.types.is_bool_dtype(y.dtype):
        return "classification", "the target holds true/false values"
    if _is_text(y):
        return "classification", "the target holds text labels"
    values = y.to_numpy(dtype=float)
    n_unique = int(pd.unique(values).size)
    whole = bool(np.all(np.isfinite(values)) and np.all(np.mod(values, 1) == 0))
    if whole and n_unique <= MAX_CLASSIFICATION_VALUES:
        return (
            "classification",
            f"the target holds {n_unique} distinct whole numbers "
            f"(at most {MAX_CLASSIFICATION_VALUES})",
        )
    if whole:
        reason = f"the target holds {n_unique} distinct whole numbers (more than "
        reason += f"{MAX_CLASSIFICATION_VALUES})"
    else:
        reason = "the target holds numbers with fractions"
    return "regression", reason


@dataclass
class TabularData:
    """A checked data set: features, target and what was decided about them.

    Made by :func:`prepare_tabular`. ``X`` holds the feature columns (numbers as floats,
    text as ``str`` objects), ``y`` the target; ``numeric`` and ``categorical`` list the
    feature columns of each kind; ``n_rows_read`` counts the rows read, ``n_dropped``
    those left out for a missing target; ``notes`` are sentences for the report;
    ``n_filled`` counts the missing values of each feature column left to the imputer.

    Examples
    --------
    >>> import pandas as pd
    >>> from skweightimp._report.tabular import prepare_tabular
    >>> frame = pd.DataFrame({"age": [31, 45, 27, 52], "color": ["red", "blue", "red", "blue"],
    ...                       "price": [1.5, 2.0, None, 2.75]})
    >>> data = prepare_tabular(frame, "price")
    >>> type(data).__name__, data.task, data.numeric, data.categorical
    ('TabularData', 'regression', ['age'], ['color'])
    >>> data.X.shape, data.n_rows_read, data.n_dropped, data.notes
    ((3, 2), 4, 1, ["1 row without a value in target column 'price' was left out."])
    """

    X: pd.DataFrame
    y: pd.Series
    target: str
    task: str
    task_reason: str
    numeric: list
    categorical: list
    n_rows_read: int
    n_dropped: int = 0
    notes: list = field(default_factory=list)
    n_filled: dict = field(default_factory=dict)


def prepare_tabular(frame, target, *, task="auto", impute=False):
    """Check a DataFrame and split it into features and target.

    Rows whose target is missing are dropped (and counted). Numeric (and boolean)
    columns are features to standardise, text and category columns features to one-hot
    encode.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data as read.
    target : str
        The target column.
    task : {"auto", "regression", "classification"}, default="auto"
        "auto" applies :func:`infer_task`.
    impute : bool, default=False
        Allow missing feature values (they are filled by :func:`make_preprocessor`);
        without it they are an error naming the columns.

    Returns
    -------
    TabularData

    Raises
    ------
    ReportError
        Unknown target column, no feature column, a target with one value or none, a
        text target for regression, a feature column with no value at all, missing
        feature values without ``impute``, infinite values in the target or a feature
        (each message names the columns and counts the rows).

    Examples
    --------
    >>> import pandas as pd
    >>> from skweightimp._report.tabular import prepare_tabular
    >>> frame = pd.DataFrame({"age": [31, 45, 27, 52], "color": ["red", "blue", "red", "blue"],
    ...                       "bought": ["yes", "no", "yes", "no"]})
    >>> data = prepare_tabular(frame, "bought")
    >>> data.task, data.task_reason
    ('classification', 'inferred: the target holds text labels')
    >>> data.numeric, data.categorical, data.X.dtypes.tolist()
    (['age'], ['color'], [dtype('float64'), dtype('O')])
    >>> prepare_tabular(frame, "price")
    Traceback (most recent call last):
        ...
    skweightimp._report.errors.ReportError: target column 'price' is not in the data; its ...
    """
    features = _features_besides(frame, target)
    n_rows_read = len(frame)
    frame, n_dropped = _drop_rows_without_target(frame, target)
    notes = [_dropped_rows_note(n_dropped, target)] if n_dropped else []
    y = frame[target]
    _check_target(y, target)
    task, reason = _decide_task(y, task)
    y = _target_for_task(y, target, task)
    X = frame[features].copy()
    _refuse_empty_features(X, features)
    numeric, categorical = _convert_feature_types(X, features)
    _check_finite({c: X[c].to_numpy() for c in numeric}, "feature column(s)")
    n_filled = _count_missing_features(X, features, impute=impute)
    notes += _identifier_notes(X, categorical)
    return TabularData(
        X=X,
        y=y,
        target=str(target),
        task=task,
        task_reason=reason,
        numeric=numeric,
        categorical=categorical,
        n_rows_read=n_rows_read,
        n_dropped=n_dropped,
        notes=notes,
        n_filled=n_filled,
    )


def _features_besides(frame, target):
    """The feature columns: every column but ``target``, which must be one."""
    if target not in frame.columns:
        raise ReportError(
            f"target column {target!r} is not in the data; its columns are {_names(frame.columns)}"
        )
    features = [c for c in frame.columns if c != target]
    if not features:
        raise ReportError(f"the data has no column besides the target {target!r}")
    return features


def _drop_rows_without_target(frame, target):
    """The rows with a target value, and how many were dropped."""
    missing_target = frame[target].isna()
    if missing_target.all():
        raise ReportError(f"target column {target!r} has no values (all are missing)")
    return frame.loc[~missing_target], int(missing_target.sum())


def _dropped_rows_note(n_dropped, target):
    return (
        f"{_rows(n_dropped)} without a value in target column {target!r} "
        f"{'was' if n_dropped == 1 else 'were'} left out."
    )


def _check_target(y, target):
    """Refuse a target the network cannot learn: infinite, too few rows or one value."""
    if _is_number(y):
        _check_finite({target: y.to_numpy(dtype=float)}, "target column")
    if len(y) < 2:
        raise ReportError(
            f"the data has {len(y)} row with a value of target {target!r}: too few rows to "
            "train and test a model on"
        )
    if y.nunique() < 2:
        raise ReportError(
            f"target column {target!r} has a single value ({_shown(y.iloc[0])}): there is "
            "nothing to learn"
        )


def _decide_task(y, task):
    """The task and, for the report, how it was decided."""
    if task == "auto":
        task, reason = infer_task(y)
        return task, f"inferred: {reason}"
    if task in ("regression", "classification"):
        return task, "chosen, not inferred"
    raise ReportError(f"task must be auto, regression or classification; got {task!r}")


def _target_for_task(y, target, task):
    """Floats for regression (which refuses labels), ``str`` objects for text classes."""
    if task == "regression":
        if _is_text(y) or pd.api.types.is_bool_dtype(y.dtype):
            raise ReportError(
                f"regression needs a numeric target, but {target!r} holds "
                f"{'true/false values' if pd.api.types.is_bool_dtype(y.dtype) else 'text'} "
                f"(e.g. {_shown(y.iloc[0])})",
                hint="use {}",
                option=("task", "classification"),
            )
        return y.astype(float)
    if _is_text(y):
        return y.astype(str).astype(object)
    return y


def _refuse_empty_features(X, features):
    # A column with no value at all leaves the imputer nothing to fill it from.
    empty = [c for c in features if X[c].isna().all()]
    if empty:
        raise ReportError(
            f"column(s) {_names(empty)} have no values at all (every row is missing); "
            "remove them from the file"
        )


def _convert_feature_types(X, features):
    """Numbers and booleans to floats, the rest to text, in place; the two lists of columns."""
    numeric, categorical = [], []
    for column in features:
        series = X[column]
        if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
            X[column] = series.astype(float)
            numeric.append(column)
        else:
            # Plain objects (str, with NaN for missing) suit every encoder and imputer.
            X[column] = pd.Series(
                [np.nan if pd.isna(v) else str(v) for v in series], index=series.index, dtype=object
            )
            categorical.append(column)
    return numeric, categorical


def _count_missing_features(X, features, *, impute):
    """The missing values of each feature column that has some; an error unless ``impute``."""
    with_nan = {c: int(X[c].isna().sum()) for c in features if X[c].isna().any()}
    if with_nan and not impute:
        listed = ", ".join(f"{c!r} ({_rows(n)})" for c, n in with_nan.items())
        raise ReportError(
            f"missing values in feature column(s) {listed}",
            hint="pass {} to fill them (median for numbers, most frequent value for text) "
            "or clean the file",
            option=("impute", True),
        )
    return with_nan


def _identifier_notes(X, categorical):
    """A note for each text column with nearly one value per row (likely an identifier)."""
    notes = []
    for column in categorical:
        n_values = X[column].nunique()
        if n_values > _MANY_CATEGORIES and n_values > len(X) / 2:
            notes.append(
                f"Column {column!r} has {n_values} distinct text values, nearly one per row; "
                "one-hot encoding makes a column of each. If it is an identifier, drop it."
            )
    return notes


def make_preprocessor(data, *, impute=False):
    """The ``ColumnTransformer`` that standardises numbers and one-hot encodes text.

    Categories are taken from the whole data set (they are not a property of the target),
    so every split and fold sees the same columns. Output is a DataFrame whose column
    names are the input names (``age``) and ``column_category`` for one-hot columns.

    Parameters
    ----------
    data : TabularData
        From :func:`prepare_tabular`.
    impute : bool, default=False
        Put a ``SimpleImputer`` (median for numbers, most frequent for text) first.

    Returns
    -------
    sklearn.compose.ColumnTransformer
        Not fitted.

    Examples
    --------
    >>> import pandas as pd
    >>> from skweightimp._report.tabular import make_preprocessor, prepare_tabular
    >>> frame = pd.DataFrame({"age": [31, 45, 27, 52], "color": ["red", "blue", "red", "blue"],
    ...                       "price": [1.5, 2.0, 1.25, 2.75]})
    >>> data = prepare_tabular(frame, "price")
    >>> encoded = make_preprocessor(data).fit_transform(data.X)
    >>> encoded.shape, list(encoded.columns)
    ((4, 3), ['age', 'color_blue', 'color_red'])
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    transformers, categories = [], []
    if data.numeric:
        steps = [SimpleImputer(strategy="median")] if impute else []
        transformers.append(("num", make_pipeline(*steps, StandardScaler()), data.numeric))
    if data.categorical:
        categories = [sorted(data.X[c].dropna().unique()) for c in data.categorical]
        steps = [SimpleImputer(strategy="most_frequent")] if impute else []
        encoder = OneHotEncoder(categories=categories, handle_unknown="ignore", sparse_output=False)
        transformers.append(("cat", make_pipeline(*steps, encoder), data.categorical))

    # Short names (``age``, ``color_red``, as OneHotEncoder names them) unless two
    # outputs would share one; then ColumnTransformer's prefixed names (``num__age``).
    outputs = list(map(str, data.numeric))
    if data.categorical:
        outputs += [
            f"{c}_{v}" for c, cats in zip(data.categorical, categories, strict=True) for v in cats
        ]
    return ColumnTransformer(
        transformers, verbose_feature_names_out=len(set(outputs)) != len(outputs)
    ).set_output(transform="pandas")


def split_train_test(data, *, test_size=0.2, random_state=0, cv=5):
    """Hold out a test set (stratified for classification) and check the folds can run.

    Parameters
    ----------
    data : TabularData
    test_size : float, default=0.2
        Fraction of rows held out.
    random_state : int, default=0
        Seed of the split.
    cv : int, default=5
        Folds that will be run on the training part; checked here so that a data set
        too small for them fails before training.

    Returns
    -------
    X_train, X_test, y_train, y_test

    Raises
    ------
    ReportError
        A class with a single row, a test set of fewer than 2 rows, or too few training
        rows (of each class) for ``cv`` folds.

    Examples
    --------
    >>> import pandas as pd
    >>> from skweightimp._report.tabular import prepare_tabular, split_train_test
    >>> frame = pd.DataFrame({"x": range(20), "y": [0, 1] * 10})
    >>> data = prepare_tabular(frame, "y")
    >>> X_train, X_test, y_train, y_test = split_train_test(data, test_size=0.25, cv=3)
    >>> X_train.shape, X_test.shape
    ((15, 1), (5, 1))
    >>> split_train_test(data, cv=10)
    Traceback (most recent call last):
        ...
    skweightimp._report.errors.ReportError: 10 cross-validation folds need at least 10 training ...
    """
    from sklearn.model_selection import train_test_split

    n_rows = len(data.X)
    stratify = None
    if data.task == "classification":
        counts = data.y.value_counts()
        rare = counts[counts < 2]
        if len(rare):
            raise ReportError(
                f"class(es) {_names(rare.index)} of target {data.target!r} have a single "
                "row; every class needs at least two (one to train on, one to test on)"
            )
        stratify = data.y
    try:
        X_train, X_test, y_train, y_test = train_test_split(
            data.X, data.y, test_size=test_size, random_state=random_state, stratify=stratify
        )
    except ValueError as error:
        raise ReportError(
            f"cannot hold out a test set from {n_rows} rows: {error}",
            hint="change {} or add rows",
            option=("test_size", None),
        ) from None
    if len(X_test) < 2:
        raise ReportError(
            f"the test set would have {len(X_test)} row(s) of {n_rows}; need at least 2",
            hint="raise {} or add rows",
            option=("test_size", None),
        )
    if data.task == "classification":
        counts = y_train.value_counts()
        if counts.min() < cv:
            raise ReportError(
                f"{cv} cross-validation folds need at least {cv} training rows of every "
                f"class, but class {counts.idxmin()!r} has {counts.min()}",
                hint="lower {} or add rows",
                option=("cv", None),
            )
    elif len(X_train) < 2 * cv:
        raise ReportError(
            f"{cv} cross-validation folds need at least {2 * cv} training rows; there are "
            f"{len(X_train)}",
            hint="lower {} or add rows",
            option=("cv", None),
        )
    return X_train, X_test, y_train, y_test


def standardize_target(y_train, y_test):
    """Scale a regression target to mean 0 and standard deviation 1 (training rows' values).

    A network starting from small weights learns a target in the hundreds slowly; on a
    standardised target the same epochs go to the features. R² (and so permutation
    importance scored with it) is unchanged by this affine rescaling of the target.

    Returns
    -------
    y_train, y_test : pandas.Series
        Rescaled (unchanged when the training target is constant).
    scaling : tuple of (float, float) or None
        The mean and standard deviation used.

    Examples
    --------
    >>> import pandas as pd
    >>> from skweightimp._report.tabular import standardize_target
    >>> y_train, y_test, scaling = standardize_target(
    ...     pd.Series([100.0, 200.0, 300.0]), pd.Series([250.0])
    ... )
    >>> scaling
    (200.0, 81.6496580927726)
    >>> y_train.round(3).tolist(), y_test.round(3).tolist()
    ([-1.225, 0.0, 1.225], [0.612])
    >>> standardize_target(pd.Series([5.0, 5.0]), pd.Series([5.0]))[2] is None
    True
    """
    mean, std = float(y_train.mean()), float(y_train.std(ddof=0))
    if not np.isfinite(std) or std == 0:
        return y_train, y_test, None
    return (y_train - mean) / std, (y_test - mean) / std, (mean, std)
