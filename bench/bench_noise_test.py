"""The noise test's statistics side by side: false positives on pure noise, power on signal.

Every statistic of :func:`skweightimp.inspection.importance_significance`'s shadow null
reads the same two tables of a run: each feature's own score in each round
(``round_scores``) and each shadow's (``null_scores``). So the rounds are trained once per
(design, seed) and every statistic is computed from the same rounds, with the library's
own code:

- ``pooled`` (the default, ``test="pooled"``): each feature's mean score over the rounds
  against the pooled scores of every shadow in every round, every score in its feature's
  noise unit (the mean score of its own shadow), empirical p-value;
- ``max`` (``test="max"``, Boruta's and the package's statistic before it): a hit when
  the feature beats the best shadow of the round, binomial test of the hits against 1/2;
- ``paired`` (not offered by the library; shown for its false-positive rate): each
  feature against its own shadow round by round, one-sided Wilcoxon signed-rank test over
  the rounds. It treats the rounds as independent draws, which they are not: the data,
  and so a noise feature's chance association with ``y``, are the same in every round.

each with Benjamini-Hochberg (``correction="bh"``, the default) and Holm's correction
(``"holm"``, the package's before) across the features at alpha 0.05.

Designs (fixed before any statistic was computed on them):

``noise_numeric`` (k = 0)
    500 rows, x0-x19 standard normal, ``y`` standard normal and independent of them.
``noise_mixed`` (k = 0)
    1,000 rows, x0-x19 standard normal, ``cat5`` (5 levels) and ``cat12`` (12 levels),
    ``y`` independent of all of them: bench_mixed's ``all_noise``. One-hot groups are
    tested as one feature (``feature_groups="auto"``).
``friedman`` (k = 5)
    :func:`sklearn.datasets.make_friedman1`, 1,000 rows, 20 columns, ``noise=1``: real
    f0-f4, noise f5-f19.
``friedman_cat`` (k = 6)
    bench_mixed's ``friedman_cat`` (Friedman #1 with 30 columns, ``region`` with an
    effect, ``segment`` with 12 levels and none) at 10,000 rows, trained as the report
    trains it: 80 % of the rows, the target standardised, the estimators' defaults
    (100 ReLU units, 200 epochs). Slow; ``--designs friedman_cat``.

The small designs use ``StandardScaler`` (and a full ``OneHotEncoder``) before
``WeightTrajectoryRegressor(hidden_layer_sizes=(32,), epochs=30)``. 20 rounds, alpha
0.05, every built-in method the network supports.

Run from the repository root::

    nice -n 10 python bench/bench_noise_test.py --designs noise_numeric noise_mixed \\
        friedman --seeds 10                       # a few seconds per seed
    nice -n 10 python bench/bench_noise_test.py --designs friedman_cat --seeds 3  # ~4 min each
    python bench/bench_noise_test.py --summarize

Round scores go to ``docs/_static/bench_noise_test/rounds_<design>.csv.gz`` (appended per run,
finished runs skipped) and the machine to ``machine.txt``; ``--summarize`` writes
``summary.csv`` and prints the table.
"""

import argparse
import time
import warnings
from pathlib import Path

import _machine  # noqa: F401  (puts this checkout first on sys.path)
import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "docs" / "_static" / "bench_noise_test"
DESIGNS = ("noise_numeric", "noise_mixed", "friedman", "friedman_cat")
ROUNDS = 20
ALPHA = 0.05
STATISTICS = ("pooled", "max", "paired")
CORRECTIONS = ("bh", "holm")


def make_design(name, seed):
    """``(X, y, estimator, real columns)``."""
    from sklearn.compose import ColumnTransformer
    from sklearn.datasets import make_friedman1
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from skweightimp import WeightTrajectoryRegressor

    rng = np.random.RandomState(seed)
    small = {"hidden_layer_sizes": (32,), "epochs": 30, "random_state": seed}
    categorical = []
    if name == "noise_numeric":
        X = pd.DataFrame(rng.normal(size=(500, 20)), columns=[f"x{i}" for i in range(20)])
        y, real, params = rng.normal(size=500), [], small
    elif name == "noise_mixed":
        X = pd.DataFrame(rng.normal(size=(1000, 20)), columns=[f"x{i}" for i in range(20)])
        X["cat5"] = rng.choice([f"a{i}" for i in range(5)], size=1000).astype(object)
        X["cat12"] = rng.choice([f"b{i:02d}" for i in range(12)], size=1000).astype(object)
        y, real, params, categorical = rng.normal(size=1000), [], small, ["cat5", "cat12"]
    elif name == "friedman":
        Xn, y = make_friedman1(1000, n_features=20, noise=1.0, random_state=rng)
        X = pd.DataFrame(Xn, columns=[f"f{i}" for i in range(20)])
        real, params = [f"f{i}" for i in range(5)], small
    elif name == "friedman_cat":  # bench_mixed's, with the report's split and network
        Xn, y = make_friedman1(10_000, n_features=30, noise=1.0, random_state=rng)
        X = pd.DataFrame(Xn, columns=[f"f{i}" for i in range(30)])
        X["region"] = rng.choice([f"r{i}" for i in range(5)], size=10_000).astype(object)
        X["segment"] = rng.choice([f"s{i:02d}" for i in range(12)], size=10_000).astype(object)
        y = y + 2.0 * (X["region"].to_numpy() == "r0")
        X, _, y, _ = train_test_split(X, y, test_size=0.2, random_state=seed)
        y = (y - y.mean()) / y.std()
        real, params = ["f0", "f1", "f2", "f3", "f4", "region"], {"random_state": seed}
        categorical = ["region", "segment"]
    else:
        raise ValueError(name)
    numeric = [c for c in X.columns if c not in categorical]
    parts = [("num", StandardScaler(), numeric)]
    if categorical:
        encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
        parts.append(("cat", encoder, categorical))
    pre = ColumnTransformer(parts, verbose_feature_names_out=False)
    estimator = Pipeline([("pre", pre), ("net", WeightTrajectoryRegressor(**params))])
    return X, np.asarray(y), estimator, real


def collect(designs, seeds, out):
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "machine.txt", "a", encoding="utf-8") as record:
        record.write(f"{' '.join(designs)} seeds {list(seeds)}: {_machine.machine_line()}\n")
    for design in designs:
        _collect(design, seeds, out / f"rounds_{design}.csv.gz")


def _collect(design, seeds, path):
    from skweightimp.inspection import importance_significance

    done = set()
    if path.exists():
        done = set(map(tuple, pd.read_csv(path)[["design", "seed"]].drop_duplicates().values))
    for seed in seeds:
        if (design, seed) in done:
            print(f"skip {design} seed {seed} (done)", flush=True)
            continue
        X, y, estimator, real = make_design(design, seed)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="With null=")
            result = importance_significance(
                estimator,
                X,
                y,
                n_rounds=ROUNDS,
                alpha=ALPHA,
                feature_groups="auto",
                random_state=seed,
            )
        seconds = time.perf_counter() - start
        frames = []
        for method in result.round_scores:
            own = result.round_scores[method].stack().rename("score")
            shadow = result.null_scores[method].stack().rename("shadow")
            frame = pd.concat([own, shadow], axis=1).reset_index()
            frame.insert(0, "method", method)
            frames.append(frame)
        frame = pd.concat(frames, ignore_index=True)
        frame.insert(0, "seed", seed)
        frame.insert(0, "design", design)
        frame["real"] = frame["feature"].isin(real)
        frame["seconds"] = round(seconds, 1)
        # Written whole per run (a gzip member each), so an interrupted run leaves no half.
        frame.to_csv(path, mode="a", header=not path.exists(), index=False, float_format="%.6g")
        print(f"{design} seed {seed}: {seconds:.0f} s ({result.training})", flush=True)


def decisions(own, shadow, statistic, correction):
    """Decisions of one run and method, with the library's helpers."""
    from scipy import stats

    from skweightimp.inspection._significance import _ADJUST, _decide, _shadow_pvalues

    if statistic in ("pooled", "max"):
        confirm, reject, _ = _shadow_pvalues(own, shadow, statistic)
    else:
        differences = own - shadow
        confirm = stats.wilcoxon(differences, alternative="greater", axis=0).pvalue
        reject = stats.wilcoxon(differences, alternative="less", axis=0).pvalue
    adjust = _ADJUST[correction]
    return _decide(adjust(confirm), adjust(reject), ALPHA)


def _row(design, seed, method, statistic, correction, decision, real):
    row = {"design": design, "seed": seed, "method": method, "statistic": statistic,
           "correction": correction}  # fmt: skip
    for part, mask in (("real", real.to_numpy()), ("noise", ~real.to_numpy())):
        row[f"n_{part}"] = int(mask.sum())
        for what in ("confirmed", "rejected"):
            row[f"{part}_{what}"] = int((decision[mask] == what).sum())
    return row


def summarize(out):
    rounds = pd.concat([pd.read_csv(path) for path in sorted(out.glob("rounds_*.csv.gz"))])
    rows = []
    for (design, seed, method), run in rounds.groupby(["design", "seed", "method"], sort=False):
        own = run.pivot(index="round", columns="feature", values="score")
        shadow = run.pivot(index="round", columns="feature", values="shadow")[own.columns]
        real = run.drop_duplicates("feature").set_index("feature")["real"][own.columns]
        for statistic in STATISTICS:
            for correction in CORRECTIONS:
                decision = decisions(own.to_numpy(), shadow.to_numpy(), statistic, correction)
                rows.append(_row(design, seed, method, statistic, correction, decision, real))
                rows[-1]["seconds"] = run["seconds"].iloc[0]
    table = pd.DataFrame(rows)
    table.to_csv(out / "summary.csv", index=False)
    grouped = table.groupby(["design", "method", "statistic", "correction"], sort=False)
    summary = grouped.agg(
        seeds=("seed", "nunique"),
        n_real=("n_real", "first"),
        n_noise=("n_noise", "first"),
        real_confirmed=("real_confirmed", "mean"),
        real_rejected=("real_rejected", "mean"),
        noise_confirmed=("noise_confirmed", "sum"),
        noise_rejected=("noise_rejected", "sum"),
        any_noise_confirmed=("noise_confirmed", lambda s: int((s > 0).sum())),
    )
    summary["noise_share_confirmed"] = summary["noise_confirmed"] / (
        summary["n_noise"] * summary["seeds"]
    )
    with pd.option_context("display.width", 200, "display.max_rows", 200):
        print(summary.round(3))
    print(_machine.machine_line())
    return summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--designs", nargs="+", choices=DESIGNS, default=DESIGNS[:3])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--summarize", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.summarize:
        summarize(args.out)
        return
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    collect(args.designs, seeds, args.out)


if __name__ == "__main__":
    main()
