"""The report at the size of real tables: its whole run against the training of its model.

``skweightimp report`` trains the model it reports on, then the cross-validation folds and
the rounds of the noise test, compares with permutation importance and draws the pictures.
This benchmark runs it with its defaults on a CSV of Friedman #1 with a 5-level and a
12-level categorical column (bench_mixed's ``friedman_cat`` design: 30 numeric columns, 6
of them real, 32 features) at several sizes, each in a fresh process, and records:

- rows and columns of the file, training rows;
- the run's profile: seconds in each stage (load, model, folds, noise test, test score
  and permutation importance, plots, animation, page);
- the total and its **ratio to the model's training** (issue 22's target: at most 5 at
  30,000 rows), measured in the same process, so the machine's load hits both alike;
- the peak resident memory of the process and the CPU time over the wall time (how many
  of the cores the run kept busy);
- what the noise test decided for the real and the noise features, so a change that buys
  speed is seen next to what it did to the decisions.

Rows are appended to ``docs/_static/bench_report/report.csv`` with the machine line
(versions and git commit) in ``machine.txt``; ``--summarize`` prints the table the docs
show (docs/scaling.rst).

Run::

    python bench/bench_report.py --rows 10000 30000 50000
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _machine  # noqa: F401  (puts this checkout first on sys.path)
import pandas as pd
from _records import append_rows

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "docs" / "_static" / "bench_report"
DATASET = "friedman_cat"
STAGES = (
    "load",
    "model",
    "folds",
    "noise test",
    "test score, permutation",
    "plots",
    "animation",
    "page",
)
FIELDS = [
    "rows", "significance_rows", "columns", "features", "train_rows", "seed", "total_seconds",
    "model_seconds",
    "ratio", *(f"{stage} seconds" for stage in STAGES[2:]), "peak_mb", "cpu_per_wall",
    "real_confirmed", "real_rejected", "noise_confirmed", "noise_rejected", "training",
    "backend", "finished",
]  # fmt: skip


def _one(csv_path, seed, significance_rows, out_json):
    """Run the report once in this process and write what it measured as JSON."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.path.insert(0, str(HERE))
    from bench_mixed import make_data

    from skweightimp._report.report import ReportSettings, write_report
    from skweightimp.utils._backend import BACKEND

    real = make_data(DATASET, 10, seed)[4]
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    settings = ReportSettings(data=str(csv_path), target="y")
    if significance_rows is not None:
        settings.significance_rows = significance_rows
    with tempfile.TemporaryDirectory() as folder:
        results = write_report(settings, os.path.join(folder, "report.html"))
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    stages = results.stage_seconds
    decision = results.significance.decision if results.significance is not None else None
    row = {
        "rows": results.n_rows,
        "significance_rows": settings.significance_rows or "all",
        "columns": len(results.numeric) + len(results.categorical) + 1,
        "features": len(results.numeric) + len(results.categorical),
        "train_rows": results.n_train,
        "seed": seed,
        "total_seconds": wall,
        "model_seconds": stages["model"],
        "ratio": wall / stages["model"],
        **{f"{stage} seconds": stages.get(stage, 0.0) for stage in STAGES[2:]},
        # Linux reports kilobytes.
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cpu_per_wall": cpu / wall,
        "training": "" if results.significance is None else results.significance.training,
        "backend": BACKEND,
    }
    if decision is not None:
        is_real = decision.index.isin(real)
        for part, mask in (("real", is_real), ("noise", ~is_real)):
            for d in ("confirmed", "rejected"):
                row[f"{part}_{d}"] = int((decision[mask] == d).sum())
    Path(out_json).write_text(json.dumps(row), encoding="utf-8")


def _write_csv(path, n_rows, seed):
    sys.path.insert(0, str(HERE))
    from bench_mixed import make_data

    X, y = make_data(DATASET, n_rows, seed)[:2]
    X.assign(y=y).to_csv(path, index=False)


def summarize(out_dir):
    frame = pd.read_csv(out_dir / "report.csv")
    stage_columns = [f"{stage} seconds" for stage in STAGES[2:]]
    lines = [
        "| rows (training) | noise test rows | model s | whole report s | ratio | "
        + " | ".join(c.replace(" seconds", "") for c in stage_columns)
        + " | peak MB | CPU / wall | noise test: real confirmed / rejected, noise confirmed |",
        "|---|---:|---:|---:|---:|" + "---:|" * len(stage_columns) + "---:|---:|---|",
    ]
    for _, r in frame.sort_values("rows").iterrows():
        cells = [
            f"{r['rows']:,} ({r['train_rows']:,})",
            str(r["significance_rows"]),
            f"{r['model_seconds']:.0f}",
            f"{r['total_seconds']:.0f}",
            f"{r['ratio']:.1f}",
            *(f"{r[c]:.0f}" for c in stage_columns),
            f"{r['peak_mb']:.0f}",
            f"{r['cpu_per_wall']:.2f}",
            f"{r['real_confirmed']:.0f}/6 / {r['real_rejected']:.0f}, {r['noise_confirmed']:.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10000, 30000, 50000])
    parser.add_argument("--seed", type=int, default=0, help="the data's seed")
    parser.add_argument(
        "--significance-rows",
        type=int,
        help="the report's --significance-rows (default: its own; 0 for every row)",
    )
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--summarize", action="store_true", help="only the table")
    parser.add_argument("--one", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        rows = None if args.one[2] == "default" else int(args.one[2])
        _one(args.one[0], int(args.one[1]), rows, args.one[3])
        return
    args.out_dir.mkdir(parents=True, exist_ok=True)
    if not args.summarize:
        with open(args.out_dir / "machine.txt", "a", encoding="utf-8") as out:
            out.write(f"{_machine.machine_line()}; args {_machine.arguments()}\n")
        for n_rows in args.rows:
            with tempfile.TemporaryDirectory() as folder:
                data, result = Path(folder) / "data.csv", Path(folder) / "result.json"
                _write_csv(data, n_rows, args.seed)
                rows = "default" if args.significance_rows is None else args.significance_rows
                command = [sys.executable, __file__, "--one", str(data), str(args.seed),
                           str(rows), str(result)]  # fmt: skip
                subprocess.run(command, check=True)
                row = json.loads(result.read_text(encoding="utf-8"))
            row["finished"] = datetime.datetime.now().isoformat(timespec="seconds")
            row = {k: (f"{v:.4g}" if isinstance(v, float) else v) for k, v in row.items()}
            append_rows(args.out_dir / "report.csv", FIELDS, [row])
            print(
                f"{n_rows} rows: model {row['model_seconds']:.1f} s, report "
                f"{row['total_seconds']:.1f} s, ratio {row['ratio']:.1f}, "
                f"peak {row['peak_mb']:.0f} MB",
                flush=True,
            )
    print(summarize(args.out_dir))


if __name__ == "__main__":
    main()
