"""The report page built from one tiny run: what it says and how it lays out."""

import dataclasses
import re

import pytest

from skweightimp._report.document import build_document
from skweightimp._report.report import ReportSettings, run_report
from skweightimp._report.report_html import render_html


@pytest.fixture(scope="module")
def results():
    # The built-in example, trained for 3 epochs: seconds, and every section filled.
    return run_report(ReportSettings(epochs=3, cv=2, n_repeats=1))


def _notes(results, **changes):
    return build_document(dataclasses.replace(results, **changes)).notes


def test_glossary_explains_every_importance_column(results):
    importance = next(s for s in build_document(results).sections if s.id == "importance")
    *_, scores, statistics, glossary = importance.items  # after the noise test paragraph
    assert glossary.caption == "What the columns mean"
    explained = [label for label, _ in glossary.rows]
    # Every column of both tables explained; the methods' table holds no weight statistic.
    assert sorted(explained) == sorted(scores.columns + statistics.columns)
    assert {"len", "net_change"} <= set(statistics.columns)
    for method in ("weight_std", "viann", "displacement", "garson", "olden", "gradient"):
        assert method in explained and method in scores.columns


@pytest.mark.parametrize(
    "changes, weak",
    [
        ({"test_score": 0.18, "baseline_score": 0.0}, True),  # R² 0.18
        ({"test_score": 0.9, "baseline_score": 0.0}, False),
        (
            {
                "task": "classification",
                "score_name": "accuracy",
                "test_score": 0.7,
                "baseline_score": 0.6,
            },
            True,
        ),  # fmt: skip
        (
            {
                "task": "classification",
                "score_name": "accuracy",
                "test_score": 0.95,
                "baseline_score": 0.6,
            },
            False,
        ),  # fmt: skip
    ],
)
def test_weak_model_gets_a_visible_warning(results, changes, weak):
    notes = _notes(results, **changes)
    assert any(note.startswith("Weak model:") for note in notes) is weak
    if weak:
        page = render_html(build_document(dataclasses.replace(results, **changes)))
        start = page.index('<div class="notes"')
        box = page[start : page.index("</div>", start)]
        assert "Weak model:" in box and "not the data itself" in box


def test_notebook_accuracy_has_a_line_of_context(results):
    data = next(s for s in build_document(results).sections if s.id == "data-and-model")
    assert "The notebook's accuracy (%) is the seed notebook's own score" in data.explanation
    assert "the notebook's accuracy (%)" in [label for label, _ in data.items[0].rows]


def test_report_tables_do_not_scroll_sideways_at_1920px(chromium, results, tmp_path):
    from .test_report_cli import headless

    browser = chromium
    page = render_html(build_document(results))
    # Measure every table's scroll width against its box, in a copy of the page (the
    # report itself holds no script).
    probe = (
        "<script>document.body.setAttribute('data-overflow', Array.from("
        "document.querySelectorAll('.table-wrap')).filter(w => w.scrollWidth > w.clientWidth)"
        ".length + '/' + document.querySelectorAll('.table-wrap').length);</script>"
    )
    path = tmp_path / "probe.html"
    path.write_text(page.replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = headless(browser, path.as_uri(), "--window-size=1920,1080", "--dump-dom")
    assert dom.returncode == 0, dom.stderr
    overflow, total = re.search(r'data-overflow="(\d+)/(\d+)"', dom.stdout).groups()
    assert int(total) >= 6 and overflow == "0", dom.stdout[-2000:]
