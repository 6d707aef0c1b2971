"""The benchmarks' CSV records: rows appended as runs finish, finished runs skipped, and
the formatting of their values and summary tables.

Keys are compared as the CSV holds them (strings, as each benchmark's formatter wrote
them), so a resumed run skips exactly what an earlier run recorded.
"""

import csv
import datetime

import numpy as np
import pandas as pd


def read_done(path, keys):
    """The ``keys`` of every row already recorded in ``path``, as tuples of strings."""
    if not path.exists():
        return set()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {tuple(row) for row in frame[keys].itertuples(index=False)}


def append_rows(path, fields, rows):
    """Append ``rows`` (dicts) to the CSV at ``path``, with a header when it is new."""
    new = not path.exists()
    with open(path, "a", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        if new:
            writer.writeheader()
        writer.writerows(rows)


def now():
    """The time a row was finished, to the second (ISO 8601)."""
    return datetime.datetime.now().isoformat(timespec="seconds")


def fmt(value):
    """A record's value as the CSV keeps it: floats to 6 significant digits, NaN empty."""
    if isinstance(value, (float, np.floating)):
        return "" if np.isnan(value) else f"{value:.6g}"
    return value


def num(value, digits=2):
    """A number for a summary table, "—" when there is none."""
    return "—" if value is None or pd.isna(value) else f"{value:.{digits}f}"


def markdown_table(header, rows):
    """A Markdown table, the first column left-aligned and the others right-aligned."""
    lines = ["| " + " | ".join(header) + " |", "|---|" + "---:|" * (len(header) - 1)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)
