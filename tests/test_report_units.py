"""The report's pieces without training: CSV checks, HTML rendering, progress bar, output.

Nothing here imports Keras, so these run in about a second.
"""

import base64
import io
import os
import re

import numpy as np
import pandas as pd
import pytest

from skweightimp._report.errors import ReportError
from skweightimp._report.output import check_output_path, write_atomic
from skweightimp._report.progress import ProgressBar
from skweightimp._report.report_html import (
    Document,
    Image,
    Section,
    Table,
    format_value,
    render_html,
)
from skweightimp._report.tabular import (
    infer_task,
    make_preprocessor,
    prepare_tabular,
    read_csv,
    split_train_test,
)

# ---------------------------------------------------------------------- tabular


@pytest.mark.parametrize(
    "values, task",
    [
        (["a", "b", "a"], "classification"),
        ([True, False, True], "classification"),
        ([0, 1, 2, 1, 0], "classification"),
        ([0.0, 1.0, 1.0], "classification"),  # whole numbers read as floats (e.g. with NaN)
        (list(range(11)), "regression"),  # more than 10 distinct whole numbers
        ([0.5, 1.5, 2.0], "regression"),
    ],
)
def test_task_rule(values, task):
    assert infer_task(pd.Series(values))[0] == task


def frame(**columns):
    n = max((len(v) for v in columns.values()), default=20)
    base = {"y": np.arange(n, dtype=float) * 1.5, "x": np.linspace(0, 1, n)}
    return pd.DataFrame({**base, **columns})


def test_numeric_and_text_columns_are_told_apart():
    data = prepare_tabular(frame(color=["red", "blue"] * 10), "y")
    assert data.task == "regression"
    assert data.numeric == ["x"] and data.categorical == ["color"]
    out = make_preprocessor(data).fit_transform(data.X)
    assert list(out.columns) == ["x", "color_blue", "color_red"]
    assert abs(out["x"].mean()) < 1e-12  # standardised


def test_clashing_output_names_fall_back_to_prefixed_names():
    # A numeric column called "c_a" and the one-hot column of c == "a" would share a name.
    data = prepare_tabular(frame(c=["a", "b"] * 10, c_a=np.ones(20)), "y")
    out = make_preprocessor(data).fit_transform(data.X)
    assert len(set(out.columns)) == len(out.columns)


def test_rows_without_target_are_dropped_and_noted():
    df = frame()
    df.loc[[2, 5], "y"] = np.nan
    data = prepare_tabular(df, "y")
    assert len(data.X) == len(df) - 2 and data.n_dropped == 2
    assert "2 rows without a value in target column 'y' were left out." in data.notes


@pytest.mark.parametrize(
    "change, target, kwargs, message",
    [
        (lambda d: d, "nope", {}, "target column 'nope' is not in the data; its columns are"),
        (lambda d: d.assign(y=3.0), "y", {}, "has a single value"),
        (lambda d: d.assign(y=np.nan), "y", {}, "has no values"),
        (lambda d: d.assign(e=np.nan), "y", {}, "column(s) 'e' have no values at all"),
        (lambda d: d.assign(x=[np.nan] + [1.0] * 19), "y", {}, "'x' (1 row); pass impute=True"),
        (
            lambda d: d.assign(x=[np.inf] + [1.0] * 19),
            "y",
            {},
            "infinite values (inf or -inf) in feature column(s) 'x' (1 row)",
        ),
        (
            lambda d: d.assign(y=[np.inf, -np.inf, np.nan] + [1.0, 2.0] * 8 + [3.0]),
            "y",
            {},
            "infinite values (inf or -inf) in target column 'y' (2 rows)",
        ),
        (
            # Classification of numbers: infinity is no class label either.
            lambda d: d.assign(y=[np.inf] + [0, 1] * 9 + [1]),
            "y",
            {"task": "classification"},
            "infinite values (inf or -inf) in target column 'y' (1 row)",
        ),
        (
            lambda d: d.assign(y=[-1e39] + [1.0, 2.0] * 9 + [3.0]),
            "y",
            {},
            "values too large for the network (beyond ±3.4e+38, float32's range) in target "
            "column 'y' (1 row); rescale the column",
        ),
        (
            lambda d: d.assign(x=[1e300, 1e200] + [1.0] * 18),
            "y",
            {},
            "too large for the network (beyond ±3.4e+38, float32's range) in feature "
            "column(s) 'x' (2 rows)",
        ),
        (
            lambda d: d.assign(y=["a", "b"] * 10),
            "y",
            {"task": "regression"},
            "regression needs a numeric target",
        ),
        (lambda d: d[["y"]], "y", {}, "no column besides the target"),
    ],
)
def test_bad_data_gets_one_sentence(change, target, kwargs, message):
    with pytest.raises(ReportError) as excinfo:
        prepare_tabular(change(frame()), target, **kwargs)
    assert message in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_impute_fills_numbers_and_text():
    df = frame(color=["red", "blue"] * 10)
    df.loc[0, "x"] = np.nan
    df.loc[1, "color"] = np.nan
    data = prepare_tabular(df, "y", impute=True)
    out = make_preprocessor(data, impute=True).fit_transform(data.X)
    assert not out.isna().any().any()
    assert list(out.columns) == ["x", "color_blue", "color_red"]


def test_split_is_stratified_and_checks_the_folds():
    df = frame()
    df["y"] = ["a"] * 12 + ["b"] * 8
    data = prepare_tabular(df, "y")
    assert data.task == "classification"
    _, X_test, _, y_test = split_train_test(data, test_size=0.25, cv=2)
    assert sorted(y_test) == ["a"] * 3 + ["b"] * 2
    with pytest.raises(ReportError, match="10 cross-validation folds need at least 10 training"):
        split_train_test(data, test_size=0.25, cv=10)
    df["y"] = ["a"] * 19 + ["b"]
    with pytest.raises(ReportError, match="class\\(es\\) 'b' .* have a single row"):
        split_train_test(prepare_tabular(df, "y"), cv=2)


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        ("", "is empty"),
        ("a,b\n", "has a header but no data rows"),
        (b"\xff\xfe\x00\x81binary", "not UTF-8 text"),
    ],
)
def test_unreadable_files(tmp_path, content, message):
    path = tmp_path / "data.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(ReportError, match=message):
        read_csv(path)


# ---------------------------------------------------------------------- html


def make_document():
    png = _tiny_png()
    return Document(
        "Report <b>",
        subtitle="of `y`",
        summary=[("score", 0.98765), ("top", "x<1>")],
        notes=["Careful: `x` & y."],
        sections=[
            Section(
                "imp",
                "Importance",
                "Read `importance` first.\n\nSecond paragraph.",
                [
                    Table(
                        ["importance", "rank"],
                        [("<script>alert(1)</script>", [0.75, 1]), ("b", [-0.25, 2])],
                        index_name="feature",
                        highlight="importance",
                        bars=["importance"],
                    ),
                    "A paragraph with `code`.",
                    Image(png, "image/png", "a picture", "caption"),
                ],
            ),
            Section("imp", "Again", items=[Table(["value"], [("k", [3])], key_value=True)]),
        ],
        footer="footer",
    )


def _tiny_png():
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (4, 3), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_html_is_self_contained_and_escaped():
    page = render_html(make_document())
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "&lt;script&gt;" in page
    assert "<title>Report &lt;b&gt;</title>" in page
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    sources = re.findall(r'<img src="data:image/png;base64,([^"]+)"', page)
    assert len(sources) == 1 and base64.b64decode(sources[0]) == _tiny_png()
    # Sections with the same id get distinct anchors, linked from the contents.
    assert 'id="imp"' in page and 'id="imp-x"' in page
    assert 'href="#imp"' in page and 'href="#imp-x"' in page
    assert page.count('<p class="how">') == 2  # two paragraphs of explanation
    assert "<code>importance</code>" in page


def test_html_table_bars_and_alignment():
    page = render_html(make_document())
    assert 'style="width:100.0%"' in page  # the largest |value| fills the cell
    assert 'class="bar neg" style="width:33.3%"' in page  # negative values are marked
    assert '<th scope="col" class="main">importance</th>' in page
    assert '<table class="kv">' in page


@pytest.mark.parametrize(
    "value, text",
    [(1, "1"), (2.0, "2"), (0.000123456, "0.0001235"), (np.float32(0.5), "0.5"), (None, "–")],
)
def test_format_value(value, text):
    assert format_value(value) == text


# ---------------------------------------------------------------------- progress


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_is_one_line_redrawn_in_place():
    out = FakeTerminal()
    bar = ProgressBar(6, stream=out, min_interval=0)
    for label in ("model", "fold 1/2"):
        bar.set_label(label)
        for _ in range(3):
            bar.advance()
    bar.close()
    bar.close()  # idempotent
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text.count("\r") >= 6
    assert "6/6 epochs 100%" in text.rsplit("\r", 1)[-1]
    assert "fold 1/2" in text


def test_progress_bar_is_silent_when_disabled():
    # Off a terminal the bar prints plain lines (test_progress_prints_plain_lines_off_a_terminal);
    # --quiet disables it, on a terminal or not.
    out = io.StringIO()
    with ProgressBar(3, stream=out, enabled=False) as bar:
        bar.advance(3)
    assert out.getvalue() == ""
    out = FakeTerminal()
    with ProgressBar(3, stream=out, enabled=False) as bar:
        bar.advance()
    assert out.getvalue() == ""


# ---------------------------------------------------------------------- output


def test_write_atomic_replaces_only_on_success(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("old")
    write_atomic(target, "new")
    assert target.read_text() == "new"

    with pytest.raises(TypeError):
        write_atomic(target, 12345)  # the write fails half-way
    assert target.read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == ["report.html"]  # no temporary file left


def test_check_output_path(tmp_path):
    assert check_output_path(tmp_path / "r.html") == str(tmp_path / "r.html")
    assert os.listdir(tmp_path) == []  # the probe file is gone
    with pytest.raises(ReportError, match="is a directory"):
        check_output_path(tmp_path)
    with pytest.raises(ReportError, match="does not exist"):
        check_output_path(tmp_path / "missing" / "r.html")
    (tmp_path / "file").write_text("")
    with pytest.raises(ReportError, match="is not a directory"):
        check_output_path(tmp_path / "file" / "r.html")


# ---------------------------------------------------------------------- report text


def test_target_is_standardised_on_the_training_rows():
    from skweightimp._report.tabular import standardize_target

    y_train, y_test = pd.Series([100.0, 200.0, 300.0]), pd.Series([200.0, 400.0])
    train, test, (mean, std) = standardize_target(y_train, y_test)
    assert mean == 200 and abs(train.mean()) < 1e-12 and abs(train.std(ddof=0) - 1) < 1e-12
    assert test.tolist() == [0.0, (400 - 200) / std]
    assert standardize_target(pd.Series([1.0, 1.0]), y_test)[2] is None


def test_report_flags_features_the_weights_favour_but_the_model_ignores():
    from types import SimpleNamespace

    from skweightimp._report.document import _disagreement_notes

    features = pd.Index(["colour", "a", "b", "c", "d", "e"], name="feature")
    raw = pd.DataFrame(
        {"weight_std": [6.0, 5, 4, 3, 2, 1], "permutation": [-0.01, 0.3, 0.2, 0.1, 0, 0]},
        index=features,
    )
    table = pd.concat({"importance": raw, "rank": raw.rank(ascending=False)}, axis=1)
    results = SimpleNamespace(
        comparison={"raw": raw, "table": table}, group_sizes={"colour": 4, "a": 1}
    )
    results.comparison = SimpleNamespace(**results.comparison)
    notes = _disagreement_notes(results, "weight_std")
    assert len(notes) == 1  # d and e have permutation 0 too, but rank low anyway
    assert notes[0].startswith("`colour` is ranked 1 by `weight_std`")
    assert "its 4 one-hot columns" in notes[0]
    # All tied (no weight moved): nothing is ranked high, so nothing to flag.
    raw["weight_std"] = 1.0
    results.comparison.table = pd.concat(
        {"importance": raw, "rank": raw.rank(ascending=False, method="min")}, axis=1
    )
    assert _disagreement_notes(results, "weight_std") == []


def test_write_atomic_writes_through_a_symlink(tmp_path):
    # --help promises it: the file the link points to gets the report, the link stays.
    target = tmp_path / "real.html"
    target.write_text("old")
    link = tmp_path / "link.html"
    os.symlink(target, link)
    assert check_output_path(link) == str(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_same_file_sees_through_spellings_and_links(tmp_path):
    from skweightimp._report.output import same_file

    data = tmp_path / "data.csv"
    data.write_text("a\n1\n")
    os.symlink(data, tmp_path / "soft.csv")
    os.link(data, tmp_path / "hard.csv")
    assert same_file(data, tmp_path / "." / ".." / tmp_path.name / "data.csv")
    assert same_file(data, tmp_path / "soft.csv") and same_file(data, tmp_path / "hard.csv")
    assert not same_file(data, tmp_path / "report.html")


def test_semicolon_and_tab_files_are_read_by_their_delimiter(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a;b;y\n1;2;3\n4;5;6\n")
    assert list(read_csv(path).columns) == ["a", "b", "y"]
    path.write_text("a\tb\ty\n1\t2\t3\n")
    assert list(read_csv(path).columns) == ["a", "b", "y"]
    # An explicit delimiter wins (a one-column file with ';' in its text stays one column).
    path.write_text("note\nx;y\n")
    assert list(read_csv(path, sep=",").columns) == ["note"]


def test_one_row_is_too_few_rows_not_a_single_value():
    with pytest.raises(ReportError, match="1 row with a value of target 'y': too few rows"):
        prepare_tabular(frame().iloc[:1], "y")


@pytest.mark.parametrize(
    "call, flag",
    [
        (lambda: prepare_tabular(frame(x=[np.nan] + [1.0] * 19), "y"), "--impute"),
        (
            lambda: prepare_tabular(frame(y=["a", "b"] * 10), "y", task="regression"),
            "--task classification",
        ),
        (lambda: split_train_test(prepare_tabular(frame(), "y"), cv=10), "--cv"),
        (
            lambda: split_train_test(prepare_tabular(frame(), "y"), test_size=0.05, cv=2),
            "--test-size",
        ),
    ],
)
def test_library_errors_name_parameters_and_the_cli_adds_its_flag(call, flag):
    from skweightimp._report.cli import _flag

    with pytest.raises(ReportError) as excinfo:
        call()
    assert "--" not in str(excinfo.value)  # the library knows no command-line flags
    assert flag in excinfo.value.describe(_flag)


def test_progress_prints_plain_lines_off_a_terminal():
    out = io.StringIO()  # not a terminal: a CI log, nohup, a notebook
    bar = ProgressBar(30, stream=out)
    bar.set_label("model")
    for _ in range(30):
        bar.advance()
    bar.close()
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert len(lines) == 10 and lines[-1].startswith("model") and "30/30 epochs 100%" in lines[-1]


def test_disagreement_note_quotes_the_number_the_comparison_table_shows():
    from types import SimpleNamespace

    from skweightimp._report.document import _disagreement_notes

    features = pd.Index(["a", "b", "c"], name="feature")
    raw = pd.DataFrame({"weight_std": [3.0, 2, 1], "permutation": [-9.21e-13, 0.5, 0.3]},
                       index=features)  # fmt: skip
    scaled = raw / raw.abs().sum()  # what the table shows: each method adds up to 1
    table = pd.concat({"importance": scaled, "rank": raw.rank(ascending=False)}, axis=1)
    results = SimpleNamespace(comparison=SimpleNamespace(raw=raw, table=table), group_sizes={})
    (note,) = _disagreement_notes(results, "weight_std")
    assert f"{scaled.loc['a', 'permutation']:.4g}" in note and "9.21e-13" not in note
    assert "scaled as in the comparison table" in note


# ---------------------------------------------------------------------- trust wording


def crafted_results(
    decisions,
    *,
    stability=0.98,
    permutation=(0.1, 0.2, 0.7),
    rounds=7,
    settled=2,
    fold_agreement=None,
):
    """A ReportResults as run_report would return it, without training anything.

    ``decisions`` are the noise test's, in the importance table's order (``a`` ranked
    first); None means the test was off (``--significance 0``).
    """
    from sklearn.utils import Bunch

    from skweightimp._report.report import ReportResults, ReportSettings

    features = pd.Index(["a", "b", "c"], name="feature")
    importance = pd.DataFrame(
        {"importance": [0.6, 0.3, 0.1], "rank": [1, 2, 3], "weight_std": [3.0, 2, 1]},
        index=features,
    )
    raw = pd.DataFrame({"olden": [3.0, 2, 1], "permutation": list(permutation)}, index=features)
    ranks = raw.rank(ascending=False)
    comparison = Bunch(
        raw=raw,
        table=pd.concat({"importance": raw / raw.abs().sum(), "rank": ranks}, axis=1),
        rank_correlation=ranks.corr(method="spearman"),
    )
    cv = Bunch(
        stability=stability,
        test_scores=np.array([0.8, 0.7]),
        fit_times=np.array([1.0, 1.1]),
        summary=pd.DataFrame({"importance_mean": [0.5, 0.3, 0.2]}, index=features),
        permutation_agreement=fold_agreement,
        training="replicas of one Keras model",
    )
    significance = None
    if decisions is not None:
        pvalues = [0.0234 if d == "confirmed" else 1.0 for d in decisions]
        significance = Bunch(
            method="olden",
            alpha=0.05,
            n_rounds=rounds,
            pvalues=pd.DataFrame({"olden": pvalues}, index=features),
            hits=pd.DataFrame(
                {"olden": [rounds if d == "confirmed" else 3 for d in decisions]}, index=features
            ),  # fmt: skip
            decision=pd.Series(decisions, index=features, name="decision"),
            training="replicas of one Keras model",
        )
    png = _tiny_png()
    return ReportResults(
        settings=ReportSettings(method="olden", cv=2, significance=rounds),
        source="built-in example",
        task="regression",
        task_reason="crafted",
        target="y",
        n_rows=100,
        n_train=80,
        n_test=20,
        numeric=["a", "b", "c"],
        categorical=[],
        model_params={"importance_method": "olden", "first_layer_l1": 0.0},
        score_name="R²",
        test_score=0.9,
        baseline_score=0.0,
        extra_scores={},
        stage_seconds={"model": 1.0},
        history_shape=(3, 3, 4),
        importance=importance,
        comparison=comparison,
        stability=cv,
        figures=dict.fromkeys(
            [
                "grouped_std",
                "box",
                "trajectory",
                "density",
                "barrage",
                "comparison",
                "stability",
                "ranking",
            ],
            png,
        ),
        animation=png,
        animation_frames=3,
        animation_step=1,
        ranking_settled=settled,
        ranking_top_k=3,
        significance=significance,
        significance_rounds=0 if decisions is None else rounds,
    )


def page_of(results):
    from skweightimp._report.document import build_document

    document = build_document(results)
    return document, render_html(document)


def test_an_unconfirmed_top_feature_is_never_called_most_important():
    document, page = page_of(crafted_results(["tentative", "tentative", "rejected"]))
    summary = dict(document.summary)
    assert summary["ranked first (olden)"] == (
        "a; no feature is confirmed above noise at alpha 0.05"
    )
    assert summary["confirmed above noise"] == "0 of 3 features"
    assert "most important" not in page.lower()
    assert any(note.startswith("No feature is confirmed above noise") for note in document.notes)


def test_a_confirmed_feature_below_an_unconfirmed_top_does_not_make_the_headline():
    document, page = page_of(crafted_results(["tentative", "confirmed", "rejected"]))
    summary = dict(document.summary)
    assert summary["ranked first (olden)"] == "a, not confirmed above noise at alpha 0.05"
    assert "most important" not in page.lower()
    assert any("`a` is not confirmed above noise" in note and "(confirmed: b)" in note
               for note in document.notes)  # fmt: skip


def test_trust_verdict_limits_itself_to_the_confirmed_features_when_permutation_disagrees():
    _, page = page_of(crafted_results(["confirmed", "tentative", "rejected"]))
    stability = page[page.index('<section id="stability">') :]
    stability = stability[: stability.index("</section>")]
    assert "Trust no more than the confirmed features (a) as above noise" in stability
    assert "permutation importance disagree (Spearman -1.00)" in stability


def test_a_confirmed_top_feature_is_the_headline():
    document, _ = page_of(crafted_results(["confirmed", "tentative", "rejected"]))
    assert dict(document.summary)["most important (olden)"] == "a (confirmed above noise)"
    assert not any("not confirmed" in note or "No feature" in note for note in document.notes)


def test_without_the_noise_test_nothing_is_called_most_important():
    document, page = page_of(crafted_results(None))
    summary = dict(document.summary)
    assert summary["ranked first (olden)"] == "a (not tested against noise: --significance 0)"
    assert summary["confirmed above noise"] == "not tested"
    assert "most important" not in page.lower()
    importance = page[page.index('<section id="importance">') :]
    importance = importance[: importance.index("</section>")]
    assert ">decision</th>" not in importance and "noise test was off" in importance


def test_importance_table_shows_a_pvalue_and_a_decision_per_feature():
    _, page = page_of(crafted_results(["confirmed", "tentative", "rejected"]))
    importance = page[page.index('<section id="importance">') :]
    importance = importance[: importance.index("</section>")]
    header = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', importance)
    assert header[:6] == ["feature", "importance", "rank", "p-value", "decision", "beat noise"]
    rows = re.findall(r'<th scope="row">([abc])</th>(.*?)</tr>', importance)
    cells = {label: re.findall(r"<td[^>]*>(?:<span[^>]*></span><span[^>]*>)?([^<]*)", row)
             for label, row in rows}  # fmt: skip
    assert cells["a"][2:5] == ["0.0234", "confirmed", "7/7"]
    assert cells["c"][3:5] == ["rejected", "3/7"]


def test_too_few_rounds_say_how_many_would_do():
    document, _ = page_of(crafted_results(["tentative"] * 3, rounds=2))
    (note,) = [note for note in document.notes if "No feature is confirmed" in note]
    # 3 features at alpha 0.05 need 3 / (1 + 3 n) <= 0.05: n = 20.
    assert "With 2 round(s) no feature can be confirmed among 3" in note
    assert "use --significance 20 or more" in note


def test_fold_agreement_alone_is_not_offered_as_a_reason_to_trust():
    # The folds agree (0.98), yet permutation ranks the features the other way round and
    # nothing beats noise: the stability section must not read as a green light.
    _, page = page_of(
        crafted_results(["tentative"] * 3, stability=0.98, permutation=(0.1, 0.2, 0.7))
    )
    stability = page[page.index('<section id="stability">') :]
    stability = stability[: stability.index("</section>")]
    assert "repeatable, not right" in stability
    assert "the folds agree on the order" not in stability
    checks = dict(re.findall(r'<th scope="row">([^<]*)</th><td[^>]*>([^<]*)</td>', stability))
    assert checks["fold-to-fold agreement"] == "0.98"
    assert checks["agreement with permutation importance"].startswith("-1.00: the ranking does "
                                                                     "not match")  # fmt: skip
    assert checks["confirmed above noise"].startswith("0 of 3 features")
    assert "Do not trust the ranking as it is" in stability


def test_trust_checks_that_pass_say_what_is_confirmed():
    results = crafted_results(["confirmed", "confirmed", "tentative"], permutation=(0.7, 0.2, 0.1))
    _, page = page_of(results)
    stability = page[page.index('<section id="stability">') :]
    stability = stability[: stability.index("</section>")]
    checks = dict(re.findall(r'<th scope="row">([^<]*)</th><td[^>]*>([^<]*)</td>', stability))
    assert checks["agreement with permutation importance"] == (
        "1.00: the ranking matches what the trained model relies on"
    )
    assert checks["confirmed above noise"] == "2 of 3 features (a, b) at alpha 0.05"
    assert "Trust the confirmed features as above noise" in stability
    assert "Do not trust" not in stability


@pytest.mark.parametrize(
    "settled, expected",
    [(2, "did not change after epoch 2 of 3"), (None, "still changing at the last epoch")],
)
def test_ranking_section_says_whether_the_ranking_settled(settled, expected):
    document, page = page_of(
        crafted_results(["confirmed", "tentative", "rejected"], settled=settled)
    )
    section = {s.id: s for s in document.sections}["ranking"]
    assert expected in section.explanation
    assert "not a proof that it is right" in section.explanation
    assert '<section id="ranking">' in page


def test_stability_checks_show_the_fold_by_fold_agreement_with_permutation():
    _, page = page_of(crafted_results(["confirmed", "tentative", "rejected"], fold_agreement=0.31))
    assert "agreement with permutation importance, fold by fold" in page
    assert "0.31: the ranking does not match what the trained model relies on" in page


@pytest.mark.parametrize("n_samples, said", [(40, True), (80, False), (None, False)])
def test_the_page_says_when_the_noise_rounds_trained_on_a_sample(n_samples, said):
    results = crafted_results(["confirmed", "tentative", "rejected"])
    if n_samples is not None:
        results.significance["n_samples"] = n_samples
    _, page = page_of(results)
    sentence = "each time on a sample of 40 of the 80 training rows (--significance-rows)"
    assert (sentence in page) is said


def test_the_run_time_says_where_the_time_went():
    from skweightimp._report.document import build_document

    results = crafted_results(["confirmed", "tentative", "rejected"])
    results.total_seconds = 12.34
    results.stage_seconds = {"load": 0.01, "model": 4.0, "folds": 3.25, "noise test": 5.0}
    page = render_html(build_document(results))
    assert "12.3 s (model 4.0 s, folds 3.2 s, noise test 5.0 s)" in page
