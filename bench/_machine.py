"""Helpers shared by the benchmarks: the machine line and paired timing.

Importing this module puts the checkout that holds it first on ``sys.path``, so a
benchmark run as ``python bench/<name>.py`` measures this checkout's package rather than
whichever copy is installed. Import it before ``skweightimp``.
"""

import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CHECKOUT))


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _git(checkout, *args):
    return subprocess.run(
        ["git", *args], cwd=checkout, capture_output=True, text=True, check=True
    ).stdout.strip()


def git_commit(checkout=CHECKOUT):
    """The checkout's commit, with ``+dirty`` when its code differs from it (never a path).

    Only the package and the benchmarks count: a run that appends to the records under
    docs/_static must not mark the next run of the same code dirty.
    """
    try:
        commit = _git(checkout, "rev-parse", "--short=12", "HEAD")
        dirty = _git(
            checkout, "status", "--porcelain", "--untracked-files=no", "--", "skweightimp", "bench"
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"
    return commit + ("+dirty" if dirty else "")


def machine_line():
    """One line: date, CPU, cores usable here, the versions that matter and the commit."""
    import numpy
    import scikeras
    import sklearn

    import skweightimp
    from skweightimp.utils._backend import BACKEND, keras

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    backend = BACKEND
    if BACKEND == "tensorflow":
        import tensorflow

        backend = f"tensorflow {tensorflow.__version__}"
    return (
        f"machine: {datetime.date.today().isoformat()}, {_cpu_model()}, {usable} usable "
        f"cores (of {os.cpu_count()}), {platform.system()} {platform.machine()}; Python "
        f"{platform.python_version()}, NumPy {numpy.__version__}, scikit-learn "
        f"{sklearn.__version__}, scikeras {scikeras.__version__}, Keras {keras.__version__} "
        f"on {backend}, skweightimp {skweightimp.__version__} at commit "
        f"{git_commit(Path(skweightimp.__file__).resolve().parents[1])}"
    )


def verdict(value, target, smaller_is_better=True):
    met = value <= target if smaller_is_better else value >= target
    return "met" if met else "MISSED"


def paired(baseline, variants, rounds):
    """Time every variant right next to a run of ``baseline``, ``rounds`` times.

    The order of the variants, and of the two runs in each pair, alternates between
    rounds. A ratio taken within a pair sees the same load on a shared machine, which
    drifts over minutes. Returns ``({name: [seconds]}, {name: [variant / baseline]})``,
    the baseline's times under the key ``"baseline"``.
    """
    times = {"baseline": [], **{name: [] for name in variants}}
    ratios = {name: [] for name in variants}
    names = list(variants)
    for round_ in range(rounds):
        for index, name in enumerate(names if round_ % 2 == 0 else names[::-1]):
            pair = [("baseline", baseline), (name, variants[name])]
            if (round_ + index) % 2:
                pair.reverse()
            measured = {}
            for key, runner in pair:
                start = time.perf_counter()
                runner(round_)
                measured[key] = time.perf_counter() - start
            times["baseline"].append(measured["baseline"])
            times[name].append(measured[name])
            ratios[name].append(measured[name] / measured["baseline"])
    return times, ratios


def arguments(argv=None):
    """The command's arguments for a record, with every path replaced by ``<path>``."""
    argv = sys.argv[1:] if argv is None else argv
    return " ".join("<path>" if ("/" in arg or os.sep in arg) else arg for arg in argv)
