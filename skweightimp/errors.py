"""The one exception the command line turns into a one-line error message."""

__all__ = ["ReportError", "UsageError"]


class ReportError(ValueError):
    """A problem with the user's input or output path, told in one sentence.

    The ``skweightimp report`` command prints its message as
    ``skweightimp: error: <message>`` and exits with status 1, without a traceback.
    """


class UsageError(ReportError):
    """A command-line option that cannot work (exit status 2, like argparse's errors)."""
