"""The main job, run as a newcomer would: through the real command."""

import shutil
import subprocess
import sys

import pytest

from skweightimp._report.cli import run_seed_example


def run(*args, command=(sys.executable, "-m", "skweightimp"), env=None):
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=600, env=env)


def test_python_m_runs_the_seed_example():
    result = run("--epochs", "4")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "for 4 epochs on 900 rows (unscaled, as the notebook)" in out
    assert "weight history of shape (4, 4, 4)" in out
    assert "The model is correct to" in out
    for column in ("importance", "rank", "weight_std", "len", "max", "sum", "mean", "stdev"):
        assert column in out
    for feature in ("ms", "xs", "cs", "noise"):
        assert f"\n{feature} " in out
    assert result.stderr == ""  # no TensorFlow banner, no warnings


def test_console_script_is_installed():
    script = shutil.which("skweightimp")
    assert script is not None, "pip install should put the skweightimp command on PATH"
    result = run("--epochs", "2", "--scale", command=(script,))
    assert result.returncode == 0, result.stderr
    assert "(standardised)" in result.stdout
    assert "rerun with --scale" not in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("--epochs", "0"), "--epochs must be at least 1"),
        (("--n-samples", "10"), "--n-samples must be at least 202"),
        (("--epochs", "many"), "invalid int value"),
        (("--random-state", "-5"), "--random-state must be at least 0"),
    ],
)
def test_bad_arguments_exit_with_one_clear_line(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_run_seed_example_returns_its_results(capsys):
    result = run_seed_example(epochs=3, random_state=1, scale=True)
    assert result["estimator"].weight_history_.shape == (3, 4, 4)
    assert list(result["report"].index) == ["ms", "xs", "cs", "noise"]
    # Standardised constants are all zero: their weights never move.
    assert result["report"].loc["ms", "importance"] == 0
    assert result["report"].loc["cs", "importance"] == 0
    assert result["accuracy"] <= 100  # negative when predictions have the wrong sign
    assert "Most important feature" in capsys.readouterr().out


def test_output_piped_into_a_closed_reader_exits_quietly():
    # As in ``python -m skweightimp | head -1``: the reader closes after the first line.
    command = f"{sys.executable} -m skweightimp --epochs 2 | head -1"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=600)
    assert result.stdout.startswith("Training 4 linear units")
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr


def test_seed_table_fits_the_terminal_and_is_sorted_by_rank():
    import os

    result = run("--epochs", "4", env={**os.environ, "COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Importance report"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Most important"))
    table = lines[start + 1 : end]
    assert max(map(len, table)) <= 80, "\n".join(table)
    assert table[0].split()[:2] == ["importance", "rank"] and table[1].strip() == "feature"
    rows = [line.split() for line in table[2:6]]
    ranks = [int(row[2]) for row in rows]
    assert ranks == [1, 2, 3, 4]  # most important first
    assert lines[end] == f"Most important feature: {rows[0][0]}."
