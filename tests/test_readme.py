"""README.md as a newcomer reads it: its code runs as written and its commands are CI's.

The Python blocks are executed verbatim, nothing substituted: keep them small enough to run
here (the README's examples are the first thing a user copies).
"""

import os
import re
import shlex

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ROOT, "README.md")
CI = os.path.join(ROOT, ".ci", "run")


def fenced_blocks(language):
    """``(first_line_number, code)`` of every fenced block of ``language`` in README.md."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    blocks = []
    for match in re.finditer(rf"^```{language}\n(.*?)^```$", text, flags=re.M | re.S):
        first_line = text.count("\n", 0, match.start(1)) + 1
        blocks.append((first_line, match.group(1)))
    return blocks


def test_readme_has_the_blocks_these_tests_read():
    # A renamed fence (```py, ```sh) would silently leave the blocks untested.
    assert len(fenced_blocks("python")) >= 2
    assert len(fenced_blocks("bash")) >= 2


@pytest.mark.slow  # four fits of 100 epochs: tens of seconds
def test_readme_python_blocks_run_in_order_as_written(tmp_path, monkeypatch):
    # One namespace, in README order: a later block may use what an earlier one defined,
    # exactly as in a reader's session. The code is padded so that a traceback names the
    # README's own line numbers.
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    for first_line, code in fenced_blocks("python"):
        padded = "\n" * (first_line - 1) + code
        exec(compile(padded, README, "exec"), namespace)


def ci_commands():
    """The shell lines of .ci/run, with ``"$PYTHON"`` read as ``python``."""
    with open(CI, encoding="utf-8") as f:
        return [line.strip().replace('"$PYTHON"', "python") for line in f]


def test_readme_test_command_is_the_one_ci_runs():
    (command,) = [code.strip() for _, code in fenced_blocks("bash") if "pytest" in code]
    assert command in ci_commands(), command


def test_readme_report_commands_are_accepted_by_the_cli():
    # CI does not run the full main job (minutes of training); it does check that the
    # README's report command lines are valid options of this CLI.
    from skweightimp._report.cli import _report_parser

    commands = [
        part.strip()
        for _, code in fenced_blocks("bash")
        for part in code.split("&&")
        if "skweightimp report" in part
    ]
    assert len(commands) == 2, commands
    for command in commands:
        argv = shlex.split(command)
        args = _report_parser().parse_args(argv[argv.index("report") + 1 :])
        assert args.out is not None, command


def test_readme_docs_commands_are_the_ones_ci_runs():
    # CI's copies may only add flags that quieten the output or report every warning.
    quieter = {"--quiet", "-q", "--keep-going"}

    def normalised(command):
        return " ".join(word for word in command.split() if word not in quieter)

    ci = {normalised(part) for line in ci_commands() for part in line.split(" && ")}
    (block,) = [code for _, code in fenced_blocks("bash") if "sphinx" in code]
    for command in block.strip().split(" && "):
        assert normalised(command) in ci, command
