"""The benchmarks' CSV records: rows appended as runs finish, finished runs skipped.

Keys are compared as the CSV holds them (strings, as each benchmark's formatter wrote
them), so a resumed run skips exactly what an earlier run recorded.
"""

import csv

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
