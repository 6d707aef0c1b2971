"""The one exception the command line turns into a one-line error message."""

__all__ = ["ReportError", "UsageError"]


def _python_spelling(name, value):
    # How a library caller passes the setting: ``impute=True``, ``task='classification'``.
    return name if value is None else f"{name}={value!r}"


class ReportError(ValueError):
    """A problem with the user's input or output path, told in one sentence.

    The ``skweightimp report`` command prints its message as
    ``skweightimp: error: <message>`` and exits with status 1, without a traceback.

    Examples
    --------
    >>> from skweightimp._report.errors import ReportError
    >>> from skweightimp._report.tabular import read_csv
    >>> try:
    ...     read_csv("no-such-file.csv")
    ... except ReportError as error:
    ...     print(f"skweightimp: error: {error}")
    skweightimp: error: cannot read 'no-such-file.csv': no such file

    It is a ``ValueError``, so code that catches those catches it too:

    >>> issubclass(ReportError, ValueError)
    True

    A message that tells how to fix the problem names the setting through ``option``
    (the parameter's name and the value to pass, or None), so that each caller spells it
    in its own terms: a Python parameter in the message, a command-line flag in
    ``skweightimp report`` (through :meth:`describe`):

    >>> error = ReportError("missing values", hint="pass {} to fill them", option=("impute", True))
    >>> str(error)
    'missing values; pass impute=True to fill them'
    >>> error.describe(lambda name, value: "--" + name)
    'missing values; pass --impute to fill them'
    """

    def __init__(self, message, *, hint=None, option=None):
        self.message = str(message)
        self.hint = hint
        self.option = option
        super().__init__(self.describe())

    def describe(self, spell=None):
        """The message, with the setting in ``hint`` spelled by ``spell(name, value)``.

        Parameters
        ----------
        spell : callable, default=None
            ``spell(name, value)`` returns how the reader sets option ``name`` to
            ``value``; None spells a Python parameter (``impute=True``).

        Returns
        -------
        str

        Examples
        --------
        >>> from skweightimp._report.errors import ReportError
        >>> ReportError("too few rows", hint="lower {} or add rows", option=("cv", None)).describe()
        'too few rows; lower cv or add rows'
        """
        if self.hint is None or self.option is None:
            return self.message
        spell = _python_spelling if spell is None else spell
        return f"{self.message}; {self.hint.format(spell(*self.option))}"


class UsageError(ReportError):
    """A command-line option that cannot work (exit status 2, like argparse's errors).

    Examples
    --------
    Settings that cannot work are refused before any data is read or network trained:

    >>> from skweightimp._report.errors import ReportError, UsageError
    >>> from skweightimp._report.report import ReportSettings, run_report
    >>> try:
    ...     run_report(ReportSettings(target="price"))
    ... except UsageError as error:
    ...     print(error)
    --target needs a data file: skweightimp report DATA.csv --target ...
    >>> issubclass(UsageError, ReportError)
    True
    """
