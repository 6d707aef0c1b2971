"""``skweightimp report`` used as a person would: the real command, in a subprocess.

Each run imports this working tree's package (``cwd`` and ``PYTHONPATH`` are the
repository root), not whatever version is installed elsewhere.
"""

import base64
import io
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
import pandas as pd
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])),
}
# Tiny training: the tests check the plumbing and the page, not the importances. The noise
# test is off unless a test is about it: each round is one more fit.
TINY = (
    "--epochs", "3", "--cv", "2", "--hidden-layer-sizes", "4", "--n-repeats", "2",
    "--significance", "0",
)  # fmt: skip
ERROR = "skweightimp: error: "
PROGRESS_LINE = re.compile(r"^\S.* \[[#-]+\] \d+/\d+ epochs +\d+%  \S+")


def report(*args, timeout=300, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "skweightimp", "report", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=ENV,
        **kwargs,
    )


def test_subprocesses_import_this_working_tree():
    code = "import skweightimp, sys; sys.stdout.write(skweightimp.__file__)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=ENV
    )
    assert out.stdout.startswith(os.path.join(ROOT, "skweightimp")), out.stdout


# ---------------------------------------------------------------------- data


def wine_csv(path):
    """load_wine (3 classes, integer labels) plus a text column that follows the class."""
    from sklearn.datasets import load_wine

    X, y = load_wine(return_X_y=True, as_frame=True)
    frame = X.iloc[:, :5].copy()
    rng = np.random.RandomState(0)
    region = np.array(["north", "south", "east"])[y.to_numpy()]
    flip = rng.rand(len(y)) < 0.2
    region[flip] = rng.choice(["north", "south", "east"], size=flip.sum())
    frame["region"] = region
    frame["cultivar"] = y
    frame.to_csv(path, index=False)
    return path


def diabetes_csv(path):
    """load_diabetes (regression) plus a text column and one missing value."""
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True, as_frame=True, scaled=False)
    frame = X[["age", "sex", "bmi", "bp", "s5"]].copy()
    frame["clinic"] = np.array(["a", "b", "c", "d"])[np.arange(len(frame)) % 4]
    frame.loc[7, "bmi"] = np.nan
    frame["progression"] = y
    frame.to_csv(path, index=False)
    return path


def html_text(fragment):
    """The fragment's text with the inline code marks the page draws put back as backticks."""
    return re.sub(r"</?code>", "`", fragment)


def section(page, anchor):
    start = page.index(f'<section id="{anchor}">')
    return page[start : page.index("</section>", start)]


def table_rows(fragment):
    return re.findall(r'<th scope="row">([^<]*)</th>', fragment)


def images(page):
    from PIL import Image

    found = re.findall(r'<img src="data:(image/[a-z]+);base64,([^"]+)"', page)
    return [(mime, Image.open(io.BytesIO(base64.b64decode(data)))) for mime, data in found]


def assert_offline(page):
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", page, re.I)
    assert "<script" not in page and "<link" not in page and "url(" not in page


# ---------------------------------------------------------------------- end to end


def test_report_on_a_csv_end_to_end(tmp_path):
    data = wine_csv(tmp_path / "wine.csv")
    out = tmp_path / "report.html"
    args = (*TINY[:-2], "--significance", "2", "--l1", "0.01")
    result = report(str(data), "--target", "cultivar", *args, "--out", str(out))
    assert result.returncode == 0, result.stderr
    # Off a terminal, plain progress lines and nothing else: no noise, no warnings.
    assert all(PROGRESS_LINE.match(line) for line in result.stderr.splitlines()), result.stderr
    assert f"Report written to {out}" in result.stdout
    page = out.read_text(encoding="utf-8")
    assert_offline(page)

    # Task inferred from the 3 integer labels; the split is stratified.
    assert "classification (inferred: the target holds 3 distinct whole numbers" in page
    assert "test accuracy" in page
    # The one-hot columns of "region" are one feature in every table.
    importance = section(page, "importance")
    assert sorted(table_rows(importance.split('<p class="caption">')[0])) == sorted(
        ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "region"]
    )
    # The recommended method leads; the noise test adds a p-value and a decision per
    # feature. Two rounds cannot confirm any of 6 features, and the page says so.
    header = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', importance)
    assert header[:6] == ["feature", "importance", "rank", "p-value", "decision", "beat noise"]
    decisions = re.findall(r"<td[^>]*>(confirmed|tentative|rejected)</td>", importance)
    assert decisions == ["tentative"] * 6
    assert len(re.findall(r"<td[^>]*>[0-2]/2</td>", importance)) == 6
    assert "input-gradient sensitivity (`gradient`)" in html_text(importance)
    summary = page[: page.index('<section id="data-and-model">')]
    assert "most important" not in page.lower()
    assert "no feature is confirmed above noise at alpha 0.05" in summary
    assert "use --significance 20 or more" in summary
    comparison = section(page, "comparison")
    assert "region" in table_rows(comparison) and "region_north" not in comparison
    assert "permutation" in comparison
    stability = section(page, "stability")
    assert "region" in table_rows(stability)
    for check in ("fold-to-fold agreement", "agreement with permutation importance"):
        assert check in table_rows(stability)
    assert "0 of 6 features: no feature is confirmed above noise" in stability
    assert re.search(r"Stability: (-?\d\.\d\d|undefined)", stability)
    assert table_rows(stability)[-2:] == ["fold 1", "fold 2"]

    # Configuration and versions.
    config = section(page, "configuration")
    assert "skweightimp report " in config and "--cv 2" in config
    assert re.search(r"network: first_layer_l1</th>\s*<td[^>]*>0.01<", config), config
    assert re.search(r"network: importance_method</th>\s*<td[^>]*>gradient<", config)
    assert re.search(r"noise test rounds</th>\s*<td[^>]*>2 \(alpha 0.05", config)
    # The report's progress and Ctrl-C callbacks only count epochs: the rounds still
    # train as replicas of one model.
    assert "Benjamini-Hochberg; replicas of one Keras model; " in config
    assert re.search(r"cross-validation folds</th>\s*<td[^>]*>2 \(replicas of one Keras", config)
    for name in ("skweightimp", "scikit-learn", "keras", "tensorflow", "numpy", "pandas"):
        assert f'<th scope="row">{name}</th>' in config
    assert "backend: " in config and '<th scope="row">python</th>' in config

    # Every picture decodes; the animation moves.
    pictures = images(page)
    # 5 weight plots, the GIF, ranking, comparison, interactions, stability
    assert len(pictures) == 10
    for _mime, picture in pictures:
        picture.load()
        assert picture.width > 100 and picture.height > 100
    gifs = [picture for mime, picture in pictures if mime == "image/gif"]
    assert len(gifs) == 1 and gifs[0].n_frames == 3  # one per epoch


def test_existing_report_is_replaced_only_by_a_complete_one(tmp_path):
    data = wine_csv(tmp_path / "wine.csv")
    out = tmp_path / "report.html"
    out.write_text("previous report")
    result = report(str(data), "--target", "no_such_column", "--out", str(out))
    assert result.returncode == 1
    assert out.read_text() == "previous report"
    assert sorted(os.listdir(tmp_path)) == ["report.html", "wine.csv"]


# ---------------------------------------------------------------------- bad input


def bad_input_cases():
    """(name, files to write, arguments, exit status, message)."""
    frame = pd.DataFrame(
        {"x": np.linspace(0, 1, 30), "t": ["a", "b", "c"] * 10, "y": np.arange(30) * 0.5}
    )
    return [
        ("missing file", {}, ["{tmp}/missing.csv", "--target", "y"], 1, "no such file"),
        ("directory", {}, ["{tmp}", "--target", "y"], 1, "it is a directory, not a CSV file"),
        ("empty file", {"d.csv": ""}, ["{tmp}/d.csv", "--target", "y"], 1, "is empty"),
        (
            "not text",
            {"d.csv": b"\xff\xd8\xff\xe0\x00"},
            ["{tmp}/d.csv", "--target", "y"],
            1,
            "UTF-8",
        ),
        (
            "unknown target",
            {"d.csv": frame},
            ["{tmp}/d.csv", "--target", "z"],
            1,
            "target column 'z' is not in the data; its columns are 'x', 't', 'y'",
        ),
        (
            "single-valued target",
            {"d.csv": frame.assign(y=1)},
            ["{tmp}/d.csv", "--target", "y"],
            1,
            "target column 'y' has a single value (1)",
        ),
        (
            "all-NaN column",
            {"d.csv": frame.assign(e=np.nan)},
            ["{tmp}/d.csv", "--target", "y"],
            1,
            "column(s) 'e' have no values at all",
        ),
        (
            "NaN in features",
            {"d.csv": frame.assign(x=[np.nan, *frame.x[1:]])},
            ["{tmp}/d.csv", "--target", "y"],
            1,
            "missing values in feature column(s) 'x' (1 row); pass --impute",
        ),
        (
            "infinite target",
            {"d.csv": frame.assign(y=[np.inf, *frame.y[1:]])},
            ["{tmp}/d.csv", "--target", "y"],
            1,
            "infinite values (inf or -inf) in target column 'y' (1 row); remove those rows",
        ),
        (
            "inf, -inf and a missing value in the target",
            {"d.csv": frame.assign(y=[np.inf, -np.inf, np.nan, *frame.y[3:]])},
            ["{tmp}/d.csv", "--target", "y"],
            1,
            "infinite values (inf or -inf) in target column 'y' (2 rows)",
        ),
        (
            "target too large for float32",
            {"d.csv": frame.assign(y=[1e308, *frame.y[1:]])},
            ["{tmp}/d.csv", "--target", "y"],
            1,
            "values too large for the network (beyond ±3.4e+38, float32's range) in target "
            "column 'y' (1 row)",
        ),
        (
            "infinite feature",
            {"d.csv": frame.assign(x=[np.inf, -np.inf, *frame.x[2:]])},
            ["{tmp}/d.csv", "--target", "y"],
            1,
            "infinite values (inf or -inf) in feature column(s) 'x' (2 rows)",
        ),
        (
            "text target for regression",
            {"d.csv": frame},
            ["{tmp}/d.csv", "--target", "t", "--task", "regression"],
            1,
            "regression needs a numeric target, but 't' holds text",
        ),
        (
            "missing output directory",
            {"d.csv": frame},
            ["{tmp}/d.csv", "--target", "y", "--out", "{tmp}/no/such/r.html"],
            1,
            "directory",
        ),
        (
            "output is a directory",
            {"d.csv": frame},
            ["{tmp}/d.csv", "--target", "y", "--out", "{tmp}"],
            1,
            "it is a directory",
        ),
        (
            "output inside a file",
            {"d.csv": frame},
            ["{tmp}/d.csv", "--target", "y", "--out", "{tmp}/d.csv/r.html"],
            1,
            "is not a directory",
        ),
        ("no target", {"d.csv": frame}, ["{tmp}/d.csv"], 2, "a data file needs --target COLUMN"),
        ("bad cv", {}, ["--cv", "1"], 2, "--cv must be at least 2"),
        ("bad repeats", {}, ["--n-repeats", "0"], 2, "--n-repeats must be at least 1"),
        ("bad test size", {}, ["--test-size", "1.5"], 2, "--test-size must be between 0 and 1"),
        ("bad epochs", {}, ["--epochs", "x"], 2, "argument --epochs: invalid int value: 'x'"),
        (
            "negative random state",
            {},
            ["--random-state", "-5"],
            2,
            "--random-state must be between 0 and 4294967295; got -5",
        ),
        (
            "one-row file",
            {"d.csv": frame.iloc[:1]},
            ["{tmp}/d.csv", "--target", "y"],
            1,
            "the data has 1 row with a value of target 'y': too few rows",
        ),
        (
            "semicolon-delimited file is read by its delimiter",
            {"d.csv": "a;b;c;y\n1;2;3;4\n5;6;7;8\n"},
            ["{tmp}/d.csv", "--target", "z"],
            1,
            "its columns are 'a', 'b', 'c', 'y'",
        ),
        (
            "garson with two hidden layers, before training",
            {},
            ["--method", "garson", "--hidden-layer-sizes", "8,8"],
            2,
            "--method garson needs exactly one hidden layer; got --hidden-layer-sizes 8 8",
        ),
        (
            "bad sep",
            {"d.csv": frame},
            ["{tmp}/d.csv", "--target", "y", "--sep", ";;"],
            2,
            "--sep must be one character",
        ),
        ("unknown method", {}, ["--method", "magic"], 2, "--method 'magic' is not available"),
        (
            "negative significance",
            {},
            ["--significance", "-1"],
            2,
            "--significance must be at least 0 (0 turns the noise test off); got -1",
        ),
        (
            "negative significance rows",
            {},
            ["--significance-rows", "-5"],
            2,
            "--significance-rows must be at least 0 (0: every training row); got -5",
        ),
        ("negative l1", {}, ["--l1", "-0.1"], 2, "--l1 must be a number of at least 0; got -0.1"),
        ("nan l1", {}, ["--l1", "nan"], 2, "--l1 must be a number of at least 0; got nan"),
        ("l1 not a number", {}, ["--l1", "much"], 2, "argument --l1: invalid float value"),
        ("significance not whole", {}, ["--significance", "2.5"], 2, "invalid int value"),
    ]


@pytest.mark.parametrize("case", bad_input_cases(), ids=lambda case: case[0])
def test_bad_input_exits_with_one_clear_line(tmp_path, case):
    name, files, args, status, message = case
    for filename, content in files.items():
        if isinstance(content, pd.DataFrame):
            content.to_csv(tmp_path / filename, index=False)
        elif isinstance(content, bytes):
            (tmp_path / filename).write_bytes(content)
        else:
            (tmp_path / filename).write_text(content)
    args = [a.format(tmp=tmp_path) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "report.html")]
    before = set(os.listdir(tmp_path))
    result = report(*args)
    assert result.returncode == status, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(ERROR) and message in lines[0], lines[0]
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr
    assert "Training on" not in result.stdout  # refused before training
    assert set(os.listdir(tmp_path)) == before  # no report, no temporary file


@pytest.mark.parametrize("spelling", ["same path", "other spelling", "symlink", "hard link"])
def test_out_that_is_the_input_file_is_refused(tmp_path, spelling):
    data = tmp_path / "d" / "same.csv"
    data.parent.mkdir()
    pd.DataFrame({"x": np.arange(30.0), "y": np.arange(30.0) ** 2}).to_csv(data, index=False)
    original = data.read_bytes()
    (tmp_path / "other").mkdir()
    out = {
        "same path": str(data),
        "other spelling": os.path.join(tmp_path, "other", "..", "d", ".", "same.csv"),
        "symlink": str(tmp_path / "link.csv"),
        "hard link": str(tmp_path / "hard.csv"),
    }[spelling]
    if spelling == "symlink":
        os.symlink(data, out)
    elif spelling == "hard link":
        os.link(data, out)
    result = report(str(data), "--target", "y", *TINY, "--out", out)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{ERROR}--out "), result.stderr
    assert "is the data file" in lines[0]
    assert "Training on" not in result.stdout
    assert data.read_bytes() == original


def test_help_says_what_happens_to_a_symlink_out():
    result = report("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "a symbolic link is written through" in text and "the data file is refused" in text


def test_mathtext_column_name_does_not_crash_the_report(tmp_path):
    rng = np.random.RandomState(0)
    name = "growth $^$ rate"
    frame = pd.DataFrame({name: rng.normal(size=60), "b": rng.normal(size=60)})
    frame["y"] = 2 * frame[name] + rng.normal(0, 0.1, 60)
    frame.to_csv(tmp_path / "math.csv", index=False)
    out = tmp_path / "report.html"
    result = report(str(tmp_path / "math.csv"), "--target", "y", *TINY, "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "growth $^$ rate" in table_rows(section(page, "importance"))


def test_progress_lines_when_stderr_is_not_a_terminal(tmp_path):
    """As in a CI log or under nohup: stderr is a pipe, and a line comes every tenth."""
    out = tmp_path / "seed.html"
    result = report(
        "--epochs", "10", "--cv", "2", "--n-repeats", "1", "--hidden-layer-sizes", "4",
        "--significance", "2", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr
    lines = result.stderr.splitlines()
    # 10 epochs x (model + 2 folds + 2 noise-test rounds) = 50 network-epochs, the folds
    # and the rounds each trained as replicas, a group per core (so the labels depend on
    # the machine): a line at every 5th or so.
    assert 9 <= len(lines) <= 11, result.stderr
    assert all(PROGRESS_LINE.match(line) for line in lines), result.stderr
    assert "50/50 epochs 100%" in lines[-1] and lines[0].startswith("model ")
    assert any(line.startswith("fold ") for line in lines)
    assert lines[-1].startswith("noise ")
    assert "then 2 cross-validation folds and 2 rounds of the noise test..." in result.stdout
    quiet = report("--epochs", "2", "--cv", "2", "--n-repeats", "1", "--quiet",
                   "--out", str(out))  # fmt: skip
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""


def test_debug_shows_the_traceback(tmp_path):
    result = report(str(tmp_path / "missing.csv"), "--target", "y", "--debug")
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "ReportError" in result.stderr


def test_ctrl_c_during_training_exits_130_without_a_report(tmp_path):
    data = wine_csv(tmp_path / "wine.csv")
    out = tmp_path / "report.html"
    out.write_text("previous report")
    process = subprocess.Popen(
        [sys.executable, "-m", "skweightimp", "report", str(data), "--target", "cultivar"]
        + ["--epochs", "5000", "--cv", "2", "--hidden-layer-sizes", "4", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=ENV,
    )
    try:
        # Wait (bounded) for the line printed as training starts, then a few epochs more.
        deadline = time.monotonic() + 180
        seen = ""
        while "Training on" not in seen:
            assert time.monotonic() < deadline, f"training never started: {seen!r}"
            assert process.poll() is None, process.stderr.read()
            ready, _, _ = select.select([process.stdout], [], [], 1.0)
            if ready:
                seen += process.stdout.readline()
        time.sleep(2)  # inside the 5000 epochs, not before them
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, stderr
    # Off a terminal the bar closes with a plain line of where training stopped (when an
    # epoch finished within those 2 seconds, which the faster fit makes usual); then the
    # one error line.
    lines = [line for line in stderr.splitlines() if not PROGRESS_LINE.match(line)]
    assert lines == [f"{ERROR}interrupted; no report was written"], stderr
    assert out.read_text() == "previous report"
    assert sorted(os.listdir(tmp_path)) == ["report.html", "wine.csv"]


# ---------------------------------------------------------------------- terminal


def test_seed_report_shows_one_progress_bar_on_a_terminal(tmp_path):
    """The built-in example, with stderr on a pseudo-terminal as in an interactive shell."""
    out = tmp_path / "seed.html"
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "skweightimp", "report", *TINY, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=ROOT,
        env=ENV,
    )
    os.close(slave)
    chunks = []

    def drain():
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    stdout, _ = process.communicate(timeout=300)
    reader.join(timeout=10)
    os.close(master)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert process.returncode == 0, terminal

    # One bar over 3 epochs x (model + 2 folds), redrawn in place (at least once per
    # epoch of the model and of the folds' replica models, a group per core), ended by
    # one newline.
    assert terminal.count("\n") == 1, terminal
    assert terminal.count("\r") >= 6
    assert "9/9 epochs 100%" in terminal
    assert "fold 2/2" in terminal
    page = out.read_text(encoding="utf-8")
    assert "built-in example" in page and "the notebook&#x27;s accuracy (%)" in page
    assert b"Training on 900 rows (3 epochs)" in stdout


# ---------------------------------------------------------------------- browser


# The browser comes from the ``chromium`` fixture (tests/conftest.py): a skip where none
# is installed, a failure where SKWEIGHTIMP_REQUIRE_BROWSER=1 (set by .ci/run).


@pytest.mark.parametrize("required", [False, True], ids=["by default", "required"])
def test_no_browser_skips_with_the_install_hint_unless_one_is_required(
    request, monkeypatch, required
):
    from . import conftest

    monkeypatch.setattr(conftest, "find_chromium", lambda: None)
    if required:
        monkeypatch.setenv("SKWEIGHTIMP_REQUIRE_BROWSER", "1")
    else:
        monkeypatch.delenv("SKWEIGHTIMP_REQUIRE_BROWSER", raising=False)
    # A failure in CI, where the browser is required; a skip everywhere else.
    outcome = pytest.fail.Exception if required else pytest.skip.Exception
    with pytest.raises(outcome) as excinfo:
        request.getfixturevalue("chromium")
    reason = str(excinfo.value)
    assert "apt-get install chromium" in reason and "SKWEIGHTIMP_CHROMIUM=" in reason, reason
    assert ("SKWEIGHTIMP_REQUIRE_BROWSER=1 requires one" in reason) is required, reason


def test_skweightimp_chromium_names_the_browser(tmp_path, monkeypatch):
    from .conftest import find_chromium

    monkeypatch.setenv("SKWEIGHTIMP_CHROMIUM", sys.executable)  # any executable will do
    assert find_chromium() == shutil.which(sys.executable)
    monkeypatch.setenv("SKWEIGHTIMP_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(pytest.fail.Exception, match="is not an executable file"):
        find_chromium()


def headless(browser, url, *extra, timeout=180):
    with tempfile.TemporaryDirectory(prefix="skweightimp-chromium-") as profile:
        return subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--enable-logging=stderr",
                "--v=0",
                *extra,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def test_report_renders_in_a_browser(tmp_path, chromium):
    browser = chromium
    data = diabetes_csv(tmp_path / "diabetes.csv")
    out = tmp_path / "report.html"
    result = report(str(data), "--target", "progression", "--impute", *TINY, "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "regression (inferred" in page and "Missing values filled (--impute): bmi (1)" in page

    url = out.as_uri()
    dom = headless(browser, url, "--dump-dom")
    assert dom.returncode == 0, dom.stderr
    assert dom.stdout.count("<h2>") == 9 and "Feature importance" in dom.stdout
    screenshot = tmp_path / "report.png"
    shot = headless(browser, url, f"--screenshot={screenshot}", "--window-size=1280,2000")
    assert shot.returncode == 0, shot.stderr
    for log in (dom.stderr, shot.stderr):
        assert "Uncaught" not in log and "CONSOLE(" not in log, log
        assert "Failed to load resource" not in log, log

    from PIL import Image

    picture = Image.open(screenshot).convert("RGB")
    assert picture.size == (1280, 2000)
    colours = picture.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, tables, cards: not blank
    white = sum(count for count, colour in colours if colour == (255, 255, 255))
    assert white < 0.97 * picture.width * picture.height


# ---------------------------------------------------------------------- options


def test_method_help_lists_the_method_names_and_the_trust_options():
    from skweightimp.importance._methods import IMPORTANCE_METHODS

    result = report("--help")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())  # argparse wraps the help to the terminal
    assert f"one of {', '.join(IMPORTANCE_METHODS)} (default: gradient" in text
    assert "--significance N" in text and "0 turns the test off" in text
    assert "--l1 VALUE" in text and "first_layer_l1" in text and "default: 0.01" in text
