"""The one exception the command line turns into a one-line error message."""

__all__ = ["ReportError", "UsageError"]


class ReportError(ValueError):
    """A problem with the user's input or output path, told in one sentence.

    The ``skweightimp report`` command prints its message as
    ``skweightimp: error: <message>`` and exits with status 1, without a traceback.

    Examples
    --------
    >>> from skweightimp.errors import ReportError
    >>> from skweightimp.tabular import read_csv
    >>> try:
    ...     read_csv("no-such-file.csv")
    ... except ReportError as error:
    ...     print(f"skweightimp: error: {error}")
    skweightimp: error: cannot read 'no-such-file.csv': no such file

    It is a ``ValueError``, so code that catches those catches it too:

    >>> issubclass(ReportError, ValueError)
    True
    """


class UsageError(ReportError):
    """A command-line option that cannot work (exit status 2, like argparse's errors).

    Examples
    --------
    Settings that cannot work are refused before any data is read or network trained:

    >>> from skweightimp.errors import ReportError, UsageError
    >>> from skweightimp.report import ReportSettings, run_report
    >>> try:
    ...     run_report(ReportSettings(target="price"))
    ... except UsageError as error:
    ...     print(error)
    --target needs a data file: skweightimp report DATA.csv --target ...
    >>> issubclass(UsageError, ReportError)
    True
    """
