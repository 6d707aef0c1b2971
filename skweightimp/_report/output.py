"""Write the report file atomically, after checking up front that it can be written.

:func:`check_output_path` runs before any training, so a typo in ``--out`` costs seconds,
not the whole run. :func:`write_atomic` writes to a temporary file in the target's
directory and renames it over the target (:func:`os.replace`), so a reader never sees a
half-written report and an existing report is replaced only by a complete new one.

A path that is a symbolic link is written through: the file it points to receives the
report and the link stays (as the shell's ``>`` does). :func:`same_file` tells whether
two spellings of a path name one file (``../d/./data.csv``, a symbolic or hard link).
"""

import contextlib
import os
import tempfile

from .errors import ReportError

__all__ = ["check_output_path", "same_file", "write_atomic"]


def _temp_prefix(path):
    return f".{os.path.basename(path)}."


def same_file(first, second):
    """Whether two paths name the same file, however spelled or linked.

    Parameters
    ----------
    first, second : str or path-like
        The paths; either may not exist (then they are the same only if they resolve to
        the same place, e.g. a dangling link to where the other will be).

    Returns
    -------
    bool

    Examples
    --------
    >>> import os, tempfile
    >>> from skweightimp._report.output import same_file
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     data = os.path.join(folder, "data.csv")
    ...     open(data, "w").close()
    ...     os.symlink(data, os.path.join(folder, "link.csv"))
    ...     spelled = os.path.join(folder, "..", os.path.basename(folder), ".", "data.csv")
    ...     (same_file(data, spelled), same_file(data, os.path.join(folder, "link.csv")),
    ...      same_file(data, os.path.join(folder, "report.html")))
    (True, True, False)
    """
    first, second = os.fspath(first), os.fspath(second)
    try:
        if os.path.samefile(first, second):
            return True
    except OSError:  # one of them does not exist (yet)
        pass
    return os.path.realpath(first) == os.path.realpath(second)


def check_output_path(path):
    """Fail now, with a clear message, if ``path`` cannot receive the report.

    Creates and removes a temporary file in the target's directory: the only reliable test
    (permission bits say nothing for root, a read-only file system or a full disk).

    Parameters
    ----------
    path : str or path-like
        Where the report will be written.

    Returns
    -------
    str
        The absolute path, through any symbolic link (the file that will be written).

    Raises
    ------
    ReportError
        If the path is a directory, its directory does not exist or cannot be written to.

    Examples
    --------
    >>> import os, tempfile
    >>> from skweightimp._report.output import check_output_path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = check_output_path(os.path.join(folder, "report.html"))
    ...     left_behind = os.listdir(folder)  # the probe file is removed again
    >>> os.path.basename(path), os.path.isabs(path), left_behind
    ('report.html', True, [])

    Once the folder is gone, the path is refused before any work is done:

    >>> check_output_path(path)
    Traceback (most recent call last):
        ...
    skweightimp._report.errors.ReportError: cannot write the report to '...': directory ... exist
    """
    path = os.path.realpath(os.fspath(path))
    directory = os.path.dirname(path)
    if os.path.isdir(path):
        raise ReportError(f"cannot write the report to {path!r}: it is a directory")
    if not os.path.exists(directory):
        raise ReportError(
            f"cannot write the report to {path!r}: directory {directory!r} does not exist"
        )
    if not os.path.isdir(directory):
        raise ReportError(f"cannot write the report to {path!r}: {directory!r} is not a directory")
    try:
        fd, probe = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=directory)
    except OSError as error:
        raise ReportError(
            f"cannot write the report to {path!r}: {error.strerror or error}"
        ) from None
    os.close(fd)
    os.unlink(probe)
    return path


def write_atomic(path, text, *, encoding="utf-8"):
    """Write ``text`` to ``path`` through a temporary file and :func:`os.replace`.

    On any failure (including ``KeyboardInterrupt``) the temporary file is removed and an
    existing file at ``path`` is left as it was. A symbolic link is written through: the
    file it points to is replaced and the link kept.

    Parameters
    ----------
    path : str or path-like
        The destination.
    text : str
        The content.
    encoding : str, default="utf-8"
        Text encoding.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from skweightimp._report.output import write_atomic
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = pathlib.Path(folder) / "report.html"
    ...     write_atomic(target, "<p>hello</p>")
    ...     print(target.read_text(), sorted(p.name for p in target.parent.iterdir()))
    <p>hello</p> ['report.html']
    """
    path = os.path.realpath(os.fspath(path))
    directory = os.path.dirname(path)
    fd, temp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding=encoding) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file readable by its owner only; a report is a document.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
