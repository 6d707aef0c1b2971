"""The report's page described as data: one function per section of the page.

:func:`build_document` turns the :class:`~skweightimp._report.report.ReportResults` of
:func:`~skweightimp._report.report.run_report` into a
:class:`~skweightimp._report.report_html.Document` (headline cards, the warning box, the
sections), which :func:`~skweightimp._report.report_html.render_html` draws as HTML.
Pure text work: no training, no drawing.

Each section function holds the prose a reader sees in that section (how to read it, the
glossary, the warnings and verdicts) beside the few decisions that choose it.
"""

import os
import time

import numpy as np
import pandas as pd

from .recommendation import RECOMMENDATION, RECOMMENDED_METHOD
from .report_html import Document, Image, Section, Table

__all__ = ["WEAK_SKILL", "build_document", "headline", "skill"]


_COLUMN_HELP = {
    "importance": "the main importance, a share: all features add up to 1",
    "rank": "1 = the highest score of the main method (a rank, not a verdict: see decision)",
    "p-value": "noise test: p-value that the feature scores above shuffled copies of the "
    "features, adjusted for testing every feature (Benjamini-Hochberg); small (at most "
    "alpha) = above noise",
    "decision": "noise test: confirmed (the main method scores it above noise), rejected "
    "(below nearly every shuffled copy; a note says if permutation importance disagrees) "
    "or tentative (the rounds could not tell)",
    "beat noise": "noise test: rounds in which the feature scored above its own shuffled copy",
    "weight_std": "grouped weight standard deviation: how much the feature's weights moved",
    "len": "barrage: grid points where a weight's fitted density is at least the threshold",
    "max": "barrage: highest such density value",
    "sum": "barrage: sum of those density values",
    "mean": "barrage: their mean",
    "stdev": "barrage: their standard deviation",
    "n_degenerate_units": "units whose density never reaches the threshold (count 0)",
    "final_mean_weight": "mean weight after the last epoch",
    "final_abs_weight": "sum of the absolute weights after the last epoch",
    "net_change": "sum of |last weight - first weight|",
    "viann": "VIANN: each weight's variance over the epochs times its final size, summed",
    "displacement": "sum of |final weight - initial weight| (before the first epoch)",
    "garson": "Garson: share of the output each input receives through the hidden units "
    "(one hidden layer only)",
    "olden": "Olden: summed products of the trained weights from input to output",
    "gradient": "gradient: how far the prediction moves for a one-standard-deviation change "
    "of the feature (mean absolute input gradient of the trained network times the spread)",
}

# Columns of the importance report that describe the weights rather than score the
# features by a method.
_WEIGHT_STATISTICS = (
    "len",
    "max",
    "sum",
    "mean",
    "stdev",
    "n_degenerate_units",
    "final_mean_weight",
    "final_abs_weight",
    "net_change",
)

# A test score that closes less than this share of the gap between the baseline (the
# mean for R², the most common class for accuracy) and a perfect score is weak: R² below
# 0.5, or accuracy less than halfway from the majority class's share to 1.
WEAK_SKILL = 0.5


def skill(score, baseline):
    """The share of the gap from ``baseline`` to a perfect 1 that ``score`` closes.

    1 is perfect, 0 no better than the baseline, negative worse. For R² (baseline 0) it
    is R² itself; for accuracy with a majority class of share ``b`` it is
    ``(accuracy - b) / (1 - b)``. The report warns below :data:`WEAK_SKILL`.

    Examples
    --------
    >>> from skweightimp._report.document import skill
    >>> skill(0.18, 0.0), skill(0.7, 0.6)  # R² 0.18; accuracy 0.7 over a 0.6 majority
    (0.18, 0.25)
    """
    if baseline >= 1:
        return 0.0
    return round((score - baseline) / (1 - baseline), 12)


def _frame_table(frame, *, index_name, highlight=None, bars=(), caption=""):
    rows = []
    for label, row in frame.iterrows():
        rows.append((str(label), [_plain(v) for v in row.tolist()]))
    return Table(
        columns=[str(c) for c in frame.columns],
        rows=rows,
        index_name=index_name,
        highlight=highlight,
        bars=list(bars),
        caption=caption,
    )


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


def _key_values(pairs, caption=""):
    return Table(
        columns=["value"],
        rows=[
            (str(k), [_plain(v) if not isinstance(v, (tuple, list)) else _join(v)])
            for k, v in pairs
        ],
        index_name="",
        caption=caption,
        key_value=True,
    )


def _permutation_top(comparison):
    if "permutation" not in comparison.raw:
        return []
    scores = comparison.raw["permutation"]
    top = str(scores.idxmax()) if scores.max() > 0 else "none (no shuffle hurt)"
    # Not "most important": the noise test does not cover permutation importance.
    return [("ranked first by permutation", top)]


def _noise_table(results):
    """The noise test's columns for the importance table's rows, or None when it was off."""
    test = results.significance
    if test is None:
        return None
    return pd.DataFrame(
        {
            "p-value": test.pvalues[test.method],
            "decision": test.decision,
            "beat noise": [f"{hits}/{test.n_rounds}" for hits in test.hits[test.method]],
        },
        index=test.pvalues.index,
    ).reindex([str(label) for label in results.importance.index])


def _confirmed(results):
    """The features confirmed above noise, in the importance table's order (None: no test)."""
    table = _noise_table(results)
    if table is None:
        return None
    return [str(f) for f in table.index[table["decision"] == "confirmed"]]


def _alpha(results):
    return f"alpha {results.significance.alpha:g}"


def headline(results):
    """The summary card about the top-ranked feature, as ``(label, value)``.

    A feature is called "most important" only when the noise test confirmed it above
    noise; otherwise the card says it is ranked first and why that is not a verdict.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> import pandas as pd
    >>> from sklearn.utils import Bunch
    >>> from skweightimp._report.document import headline
    >>> def crafted(decisions):
    ...     index = pd.Index(["a", "b"], name="feature")
    ...     test = Bunch(method="olden", alpha=0.05, n_rounds=7,
    ...                  pvalues=pd.DataFrame({"olden": [0.01, 1.0]}, index=index),
    ...                  hits=pd.DataFrame({"olden": [7, 2]}, index=index),
    ...                  decision=pd.Series(decisions, index=index))
    ...     return SimpleNamespace(settings=SimpleNamespace(method="olden"), significance=test,
    ...                            importance=pd.DataFrame({"importance": [0.7, 0.3]},
    ...                                                    index=index))
    >>> headline(crafted(["confirmed", "tentative"]))
    ('most important (olden)', 'a (confirmed above noise)')
    >>> headline(crafted(["tentative", "tentative"]))
    ('ranked first (olden)', 'a; no feature is confirmed above noise at alpha 0.05')
    """
    main = results.settings.method
    importance = results.importance
    label = f"ranked first ({main})"
    if not len(importance):
        return label, "–"
    top = str(importance.index[0])
    confirmed = _confirmed(results)
    if confirmed is None:
        return label, f"{top} (not tested against noise: --significance 0)"
    if top in confirmed:
        return f"most important ({main})", f"{top} (confirmed above noise)"
    if not confirmed:
        return label, f"{top}; no feature is confirmed above noise at {_alpha(results)}"
    return label, f"{top}, not confirmed above noise at {_alpha(results)}"


def _permutation_agreement(results):
    """Spearman between the main method's ranking and permutation importance's, or None."""
    corr = results.comparison.rank_correlation
    main = results.settings.method
    if main not in corr.index or "permutation" not in corr.columns:
        return None
    return float(corr.loc[main, "permutation"])


def _fold_permutation_agreement(results):
    """Mean Spearman, over the stability folds, between the main method and permutation
    importance on each fold's test rows; None when the folds did not compute it."""
    value = getattr(results.stability, "permutation_agreement", None)
    return None if value is None else float(value)


def _scaling_row(scaling):
    if scaling is None:
        return []
    mean, std = scaling
    return [
        (
            "target scaling",
            f"standardised for training: (y - {mean:.4g}) / {std:.4g}, from the training "
            "rows; R² is the same on either scale",
        )
    ]


def _score(value):
    # Fixed decimals: 0.99998 must not read as a perfect 1, and a score that rounds to 1
    # shows as 1.00000, not as an exact 1.
    return f"{value:.5f}"


def _join(values):
    return ", ".join(str(v) for v in values) if values else "none"


def _method_label(method):
    labels = {
        "weight_std": "grouped weight standard deviation (`weight_std`)",
        "olden": "Olden connection weight (`olden`)",
        "gradient": "input-gradient sensitivity (`gradient`)",
    }
    return labels.get(method, f"`{method}`")


def _comparison_tables(comparison, main):
    """Each method's importances, then each method's ranks, in the same row order.

    Two tables: with every method's importance and rank in one, it was too wide to read.
    """
    table = comparison.table
    importance = table["importance"].copy()
    if "permutation_std" in comparison:
        importance["permutation std"] = comparison.permutation_std.reindex(importance.index)
    if main in importance.columns:
        importance = importance.sort_values(main, ascending=False, kind="stable")
    ranks = table["rank"].reindex(importance.index)
    highlight = main if main in importance.columns else None
    return [
        _frame_table(
            importance,
            index_name="feature",
            highlight=highlight,
            bars=list(table["importance"].columns),
            caption="Each method's importances scaled to add up to 1 in absolute value (so "
            "methods with different units compare); `permutation std` is on the same scale.",
        ),
        _frame_table(
            ranks,
            index_name="feature",
            highlight=highlight,
            caption="Each method's rank of the same features (1 = its highest score).",
        ),
    ]


def _correlation_text(comparison, main):
    corr = comparison.rank_correlation
    parts = []
    for other in corr.columns:
        if other == main or main not in corr.index:
            continue
        value = corr.loc[main, other]
        text = "undefined" if not np.isfinite(value) else f"{value:.2f}"
        parts.append(f"`{main}` vs `{other}`: {text}")
    if not parts:
        return ""
    return (
        "Spearman rank correlation over the features (1: same order, 0: unrelated, "
        "-1: reversed): " + "; ".join(parts) + "."
    )


def _disagreement_notes(results, main):
    """Features the main method ranks high although shuffling them costs nothing."""
    comparison = results.comparison
    if "permutation" not in comparison.raw or main not in comparison.table["rank"]:
        return []
    ranks = comparison.table["rank"][main]
    # The value the comparison table shows (each method scaled to add up to 1), so the
    # warning and the table quote one number.
    permutation = comparison.table["importance"]["permutation"]
    if np.ptp(comparison.raw[main].to_numpy()) == 0:
        return []  # every feature tied (e.g. no weight moved): nothing is ranked high
    top = max(1, len(ranks) // 3)
    notes = []
    for feature in ranks.sort_values(kind="stable").index:
        if ranks[feature] > top or permutation[feature] > 0:
            continue
        note = (
            f"`{feature}` is ranked {int(ranks[feature])} by `{main}`, yet shuffling it on the "
            f"test set does not lower the score (permutation importance "
            f"{permutation[feature]:.4g}, scaled as in the comparison table): its weights "
            "moved, but the model does not rely on it."
        )
        size = results.group_sizes.get(str(feature), 1)
        if size > 1:
            note += (
                f" It is a text column: its importance adds up the weights of its {size} "
                "one-hot columns, which favours columns with many categories."
            )
        notes.append(note)
    return notes


def _stability_words(value):
    # Agreement between folds says the ranking is repeatable, never that it is right: a
    # stable artifact (a many-level text column) agrees with itself too.
    if not np.isfinite(value):
        return "undefined (a fold gave every feature the same importance)"
    if value >= 0.8:
        return (
            f"{value:.2f}: the folds rank the features alike. That makes the ranking "
            "repeatable, not right; the checks below say whether it matches what the model "
            "relies on and which features beat noise"
        )
    if value >= 0.5:
        return (
            f"{value:.2f}: the folds partly agree; the order below the top features "
            "changes with the training"
        )
    return f"{value:.2f}: the folds disagree; the ranking changes with the training"


def _agreement_words(value):
    if value is None:
        return "not available (no permutation importance for this method)"
    if not np.isfinite(value):
        return "undefined (one of the rankings gave every feature the same score)"
    if value >= 0.8:
        reading = "the ranking matches what the trained model relies on"
    elif value >= 0.5:
        reading = "the ranking roughly matches what the trained model relies on"
    else:
        reading = "the ranking does not match what the trained model relies on"
    return f"{value:.2f}: {reading}"


def _confirmed_words(results):
    confirmed = _confirmed(results)
    if confirmed is None:
        return "not tested (--significance 0)"
    total = len(results.importance)
    share = f"{len(confirmed)} of {total} features"
    if not confirmed:
        return f"{share}: no feature is confirmed above noise at {_alpha(results)}"
    return f"{share} ({_join(confirmed)}) at {_alpha(results)}"


def _trust_checks(results):
    """The three checks of a ranking side by side, and what they say together."""
    main = results.settings.method
    stability = float(results.stability.stability)
    agreement = _permutation_agreement(results)
    confirmed = _confirmed(results)
    table = Table(
        columns=["result", "what it asks"],
        rows=[
            (
                "fold-to-fold agreement",
                [
                    f"{stability:.2f}" if np.isfinite(stability) else "undefined",
                    "do fresh networks on other rows rank the features alike? (repeatable)",
                ],
            ),
            (
                "agreement with permutation importance",
                [
                    _agreement_words(agreement),
                    # Table cells are plain text: no `code` marks.
                    f"does {main} rank the features as shuffling them on the test set "
                    "does? (Spearman, comparison section)",
                ],
            ),
            (
                "agreement with permutation importance, fold by fold",
                [
                    _agreement_words(_fold_permutation_agreement(results)),
                    f"on each fold's held-out rows, does {main} rank the features as "
                    "shuffling them does? (mean Spearman over the folds)",
                ],
            ),
            (
                "confirmed above noise",
                [
                    _confirmed_words(results),
                    "which features beat shuffled copies of the features? (noise test)",
                ],
            ),
        ],
        index_name="check",
        key_value=True,  # sentences, wrapped within the page width
        caption="Checks of the ranking. Fold agreement alone cannot certify it: "
        "an artifact of how the weights are read repeats from fold to fold as well.",
    )
    disagree = agreement is not None and np.isfinite(agreement) and agreement < 0.5
    disagreement = (
        f"`{main}` and permutation importance disagree (Spearman {agreement:.2f}), so even "
        "a repeatable ranking may describe how the weights moved rather than what the "
        "model uses"
        if disagree
        else ""
    )
    if confirmed is not None and not confirmed:
        verdict = (
            f"Do not trust the ranking as it is: no feature is confirmed above noise at "
            f"{_alpha(results)}, so the order may be noise however well the folds agree"
            + (f"; {disagreement}" if disagree else "")
            + "."
        )
    elif disagree:
        verdict = (
            f"Trust no more than the confirmed features ({_join(confirmed)}) as above noise: "
            if confirmed
            else "Do not trust the ranking as it is: "
        ) + f"{disagreement}."
    elif confirmed is None:
        verdict = (
            "Without the noise test (--significance 0) nothing says which features are "
            "above noise; rerun with it before relying on the ranking."
        )
    else:
        verdict = (
            "Trust the confirmed features as above noise; the order among them is as "
            "repeatable as the fold agreement says, and no more certain than the agreement "
            "with permutation importance."
        )
    return [table, verdict]


def _warnings(results):
    """The notes shown in the warning box at the top: what a reader should see first."""
    settings = results.settings
    main = settings.method
    stability = float(results.stability.stability)
    notes = list(results.notes)
    if results.test_score <= results.baseline_score:
        baseline = (
            "always predicting the mean (R² 0)"
            if results.task == "regression"
            else f"always predicting the most common class (accuracy {results.baseline_score:.3g})"
        )
        notes.append(
            f"The model scores no better than {baseline}: test {results.score_name} "
            f"{results.test_score:.3g}. It has not learned much, and importances of such a "
            "model say little. Try more --epochs or another --hidden-layer-sizes."
        )
    elif skill(results.test_score, results.baseline_score) < WEAK_SKILL:
        gap = (
            "R² below 0.5: the model explains less than half of the target's variance"
            if results.task == "regression"
            else "accuracy less than halfway from always predicting the most common class "
            f"({results.baseline_score:.3g}) to a perfect 1"
        )
        notes.append(
            f"Weak model: test {results.score_name} {results.test_score:.3g} ({gap}). "
            "Importances describe what this model learned, not the data itself; improve "
            "the score (more --epochs, another --hidden-layer-sizes, more rows) before "
            "reading much into them."
        )
    label, value = headline(results)
    if results.significance is not None and not label.startswith("most important"):
        confirmed = _confirmed(results)
        top = str(results.importance.index[0])
        notes.append(
            (
                f"No feature is confirmed above noise at {_alpha(results)}"
                if not confirmed
                else f"The top-ranked feature `{top}` is not confirmed above noise at "
                f"{_alpha(results)} (confirmed: {_join(confirmed)})"
            )
            + f" after {results.significance.n_rounds} rounds of the noise test: "
            "the ranking alone does not show that "
            + ("any feature" if not confirmed else f"`{top}`")
            + " matters more than a shuffled copy would."
            + _power_note(results)
        )
    notes.extend(_rejection_notes(results))
    notes.extend(_disagreement_notes(results, main))
    if np.isfinite(stability) and stability < 0.5:
        notes.append(
            f"The importance ranking changes from fold to fold (stability {stability:.2f}); "
            "see the stability section before relying on it."
        )
    return notes


def _power_note(results):
    """Why a test with too few rounds cannot confirm anything, in the command's terms."""
    from ..inspection._significance import rounds_needed, smallest_pvalue

    test = results.significance
    n_features = len(test.decision)
    statistic = test.get("test") or "pooled"
    corrected = n_features * smallest_pvalue("shadow", test.n_rounds, n_features, statistic)
    if corrected <= test.alpha:
        return ""
    needed = rounds_needed("shadow", n_features, test.alpha, statistic)
    return (
        f" With {test.n_rounds} round(s) no feature can be confirmed among {n_features} "
        f"(the smallest p-value after the correction for testing every feature is "
        f"{min(1.0, corrected):.3g}); use --significance {needed} or more."
    )


def _summary(results):
    """The headline cards."""
    settings = results.settings
    stability = float(results.stability.stability)
    confirmed = _confirmed(results)
    summary = [
        ("task", f"{results.task} of {results.target}"),
        (f"test {results.score_name}", _score(results.test_score)),
        headline(results),
        (
            "confirmed above noise",
            "not tested"
            if confirmed is None
            else f"{len(confirmed)} of {len(results.importance)} features",
        ),
        *_permutation_top(results.comparison),
        (
            f"stability over {settings.cv} folds",
            f"{stability:.2f}" if np.isfinite(stability) else "undefined",
        ),
        ("rows (train / test)", f"{results.n_train} / {results.n_test}"),
    ]
    return summary


def _data_section(results):
    settings = results.settings
    data_items = [
        _key_values(
            [
                ("data", results.source),
                ("target", results.target),
                ("task", f"{results.task} ({results.task_reason})"),
                ("rows used", results.n_rows),
                ("train / test rows", f"{results.n_train} / {results.n_test}"),
                (
                    "numeric features (standardised)" if settings.data is not None else "features",
                    results.numeric,
                ),
                ("text features (one-hot encoded)", results.categorical),
                *_scaling_row(results.target_scaling),
                (f"test {results.score_name}", _score(results.test_score)),
                *((name, f"{value:.5g}") for name, value in results.extra_scores.items()),
                ("training time of the model", f"{results.fit_seconds:.1f} s"),
                (
                    "recorded weight history",
                    " x ".join(map(str, results.history_shape)) + " (epochs x columns x units)",
                ),
            ]
        )
    ]
    score_help = (
        "R² is 1 for perfect predictions and 0 for always predicting the mean"
        if results.task == "regression"
        else "accuracy is the share of test rows whose class is predicted right"
    )
    if results.extra_scores:
        score_help += (
            ". The notebook's accuracy (%) is the seed notebook's own score, kept to compare "
            "with it: each prediction is rounded, then min(y, prediction) / max(y, "
            "prediction) is averaged over the test rows, in percent (100 = every rounded "
            "prediction exact)"
        )
    if settings.data is None:
        split_text = "The seed notebook's split: its first 100 rows are the test set."
    else:
        split_text = (
            f"A random {settings.test_size:.0%} of the rows is held out as the test set"
            + (
                ", with the classes in the same proportions"
                if results.task == "classification"
                else ""
            )
            + "; the model never trains on it."
        )
    return Section(
        "data-and-model",
        "Data and model",
        f"{split_text} The score is measured on the test set: {score_help}. "
        "Importances describe this model, so a poor score means they describe a poor "
        "explanation of the data.",
        data_items,
    )


def _recommendation_text(main):
    if main == RECOMMENDED_METHOD:
        return f" This report headlines `{main}`, the method the real-data benchmark supports. "
    return (
        f" This report headlines `{main}` (--method); the real-data benchmark supports "
        f"`{RECOMMENDED_METHOD}`. "
    )


def _noise_text(results):
    test = results.significance
    if test is None:
        return (
            " The noise test was off (--significance 0): nothing here says which features "
            "score above noise."
        )
    n_samples = test.get("n_samples")
    rows = (
        f", each time on a sample of {n_samples:,} of the {results.n_train:,} training rows "
        "(--significance-rows)"
        if n_samples is not None and n_samples < results.n_train
        else ""
    )
    return (
        f" The noise test retrained the network {test.n_rounds} times{rows} on the features "
        "plus a shuffled copy of each (same values, no link with the target); `beat noise` "
        "counts the rounds in which a feature scored above its own copy. `p-value` "
        "compares the feature's mean score over the rounds with the score of every copy "
        "in every round, each measured in units of its own feature's copy (so a text "
        "column is measured against text columns' noise), and is adjusted for testing "
        "every feature (Benjamini-Hochberg: at most "
        f"{test.alpha:g} of the confirmed features are expected to be noise). `confirmed`: "
        f"p-value at most {test.alpha:g}, the main method scores the feature above "
        "noise; `rejected`: it scores the feature below nearly every copy, which says "
        "more about the method than the feature when the network's own permutation "
        "importance disagrees (a note then says so); `tentative`: the rounds could not "
        "tell (more --significance rounds may). A high rank without `confirmed` is not "
        "evidence that a feature matters."
    )


def _run_time(results):
    """The run's seconds, and where they went (the stages over a tenth of a second)."""
    stages = ", ".join(
        f"{name} {seconds:.1f} s"
        for name, seconds in results.stage_seconds.items()
        if seconds >= 0.1
    )
    return f"{results.total_seconds:.1f} s" + (f" ({stages})" if stages else "")


def _correction(test):
    return {"bh": "Benjamini-Hochberg", "holm": "Holm"}[test.get("correction") or "bh"]


def _rejection_notes(results):
    """Rejected features that the network's permutation importance says it uses."""
    test = results.significance
    disagreement = None if test is None else test.get("disagreement")
    if disagreement is None:
        return []
    return [
        f"`{feature}` is rejected by the noise test: {note}. Rejected means that the main "
        "method scores it below noise, not that the network ignores it."
        for feature, note in disagreement.items()
    ]


def _importance_section(results):
    main = results.settings.method
    importance = results.importance
    noise = _noise_table(results)
    if noise is not None:
        position = list(importance.columns).index("rank") + 1
        importance = pd.concat(
            [
                importance.iloc[:, :position],
                noise.set_axis(importance.index),
                importance.iloc[:, position:],
            ],
            axis=1,
        )
    # The seed notebook's weight statistics get a table of their own: beside the methods
    # and the noise test they made one table too wide to read.
    statistics = [c for c in importance.columns if c in _WEIGHT_STATISTICS]
    scores = importance.drop(columns=statistics)
    glossary = [(c, _COLUMN_HELP[c]) for c in importance.columns if c in _COLUMN_HELP]
    grouped_text = (
        " A text column is one row here: the numbers of its one-hot columns are averaged, "
        "so a column with many categories does not score higher for having more columns "
        "(added up, they would); a category whose effect sits in one level is diluted, so "
        "check it against permutation importance below."
        if results.categorical
        else ""
    )
    return Section(
        "importance",
        "Feature importance",
        f"The main importance is the {_method_label(main)} of each feature, as a share "
        "that adds up to 1 over the features; the bar shows it. Rows are sorted by rank."
        + _recommendation_text(main)
        + RECOMMENDATION
        + f"{grouped_text} The weight plots below show where these numbers come from.",
        [
            _noise_text(results).strip(),
            _frame_table(scores, index_name="feature", highlight="importance", bars=["importance"]),
            *(
                [
                    _frame_table(
                        importance[statistics],
                        index_name="feature",
                        caption="The seed notebook's weight statistics of the same features: "
                        "the barrage metrics of each weight's fitted normal density, and the "
                        "final weights.",
                    )
                ]
                if statistics
                else []
            ),
            Table(
                columns=["meaning"],
                rows=[(column, [text]) for column, text in glossary],
                index_name="column",
                caption="What the columns mean",
                key_value=True,
            ),
        ],
    )


def _unit_note(results):
    if results.plot_units < results.n_units:
        return (
            f" Only the first {results.plot_units} of the {results.n_units} first-layer units "
            "are drawn."
        )
    return ""


def _weights_section(results):
    unit_note = _unit_note(results)
    column_note = (
        " The plots show the network's own input columns, so a text column appears once per "
        "category (`column_value`)."
        if results.categorical
        else ""
    )
    figures = results.figures
    return Section(
        "weights",
        "How the first-layer weights moved",
        "Every input column is connected to each unit of the network's first layer by a "
        "weight; the weights were recorded after every epoch. A feature whose weights "
        "moved more while the network learned is read as more important." + column_note + unit_note,
        [
            Image(
                figures["grouped_std"],
                "image/png",
                "Bar chart of the normalised grouped weight standard deviation per feature",
                "Grouped standard deviation: for each feature, the standard deviation over "
                "epochs of each of its weights, summed over the units and divided by the "
                "total. Taller bar = weights that moved more = more important.",
            ),
            Image(
                figures["box"],
                "image/png",
                "Box plot of every weight over the epochs",
                "Box plot of each weight over the epochs (`feature unit`). A tall box is a "
                "weight that travelled far; a flat line is one that hardly moved.",
            ),
            Image(
                figures["trajectory"],
                "image/png",
                "Line plot of every weight against the epoch, one panel per unit",
                "Trajectories: each weight against the epoch, one panel per unit. Lines "
                "that keep changing are features the network kept adjusting; lines that "
                "settle early stopped mattering to the loss.",
            ),
            Image(
                figures["density"],
                "image/png",
                "Fitted normal densities of each weight, one panel per unit",
                "Densities: a normal curve fitted to each weight's values over the "
                "epochs. A narrow, tall curve is a weight that stayed put; a wide, flat one "
                "moved. The dashed line is the barrage threshold.",
            ),
            Image(
                figures["barrage"],
                "image/png",
                "Horizontal bars of the barrage len metric per feature",
                "Barrage `len` (the seed notebook's measure): how many grid points of the "
                "fitted densities lie above the threshold, summed over units. It counts "
                "narrow, settled weights, so it is read the other way round: a shorter "
                "bar is a weight that moved more.",
            ),
        ],
    )


def _animation_section(results):
    unit_note = _unit_note(results)
    return Section(
        "animation",
        "Training, animated",
        "Each bar is one weight (`feature unit`); the frames follow the training, "
        f"one every {results.animation_step} epoch(s) ({results.animation_frames} frames, "
        "looping). Bars that swing are the weights that move most." + unit_note,
        [
            Image(
                results.animation,
                "image/gif",
                "Animated bar chart of the first-layer weights during training",
            )
        ],
    )


def _ranking_section(results):
    settled, top_k = results.ranking_settled, results.ranking_top_k
    followed = results.ranking_method or results.settings.method
    method = _method_label(followed)
    stand_in = (
        f"The {_method_label(results.settings.method)} reads the trained network once, "
        f"after training, so it has no path; the lines follow the {method} instead. "
        if followed != results.settings.method
        else ""
    )
    if settled is None:
        verdict = (
            f"The top-{top_k} ranking by {method} was still changing at the last epoch: "
            "training longer may change it."
        )
    else:
        verdict = (
            f"The top-{top_k} ranking by {method} did not change after epoch {settled} "
            f"of {results.history_shape[0]}."
        )
    return Section(
        "ranking",
        "Ranking over training",
        "Each line is a feature's rank (1 = first) by the importance the weights recorded "
        "up to that epoch give; where the lines stop crossing, training had settled the "
        "ranking (dashed line). A settled ranking is a repeatable one, not a proof that it "
        "is right: read it with the noise test and the comparison below. " + stand_in + verdict,
        [
            Image(
                results.figures["ranking"],
                "image/png",
                "Rank of each feature against the epoch, with the settled epoch marked",
            )
        ],
    )


def _comparison_section(results):
    settings = results.settings
    main = settings.method
    figures = results.figures
    comparison = results.comparison
    comparison_items = _comparison_tables(comparison, main)
    text = _correlation_text(comparison, main)
    if text:
        comparison_items.append(text)
    comparison_items.append(
        Image(
            figures["comparison"],
            "image/png",
            "Grouped bar chart of each importance method per feature",
            "Each method's importances side by side, every method scaled to add up to 1 in "
            "absolute value.",
        )
    )
    return Section(
        "comparison",
        "Comparison with permutation importance",
        "Permutation importance shuffles one feature at a time in the test set and "
        f"measures how much the test {results.score_name} drops ({settings.n_repeats} "
        "shuffles each; a text column is shuffled as a whole). It asks what the trained "
        "model relies on, while the weight trajectories tell what the network adjusted "
        "while learning. When both put the same features on top the two views agree; "
        "whether a feature beats noise is the noise test's question (the importance "
        "section). A negative permutation value means shuffling did not hurt (noise).",
        comparison_items,
    )


# Pairs listed in the interactions table: the confirmed ones and the strongest others.
_TOP_PAIRS = 10


def _interaction_rows(table):
    """The confirmed pairs first, then the strongest others, up to ``_TOP_PAIRS``."""
    if "decision" in table:
        confirmed = table[table["decision"] == "confirmed"]
        others = table[table["decision"] != "confirmed"]
        table = pd.concat([confirmed, others.iloc[: max(0, _TOP_PAIRS - len(confirmed))]])
    else:
        table = table.iloc[:_TOP_PAIRS]
    frame = table.reset_index()
    pairs = zip(frame.pop("feature_a"), frame.pop("feature_b"), strict=True)
    frame.index = [f"{a} × {b}" for a, b in pairs]
    columns = [c for c in ("strength", "noise_units", "pvalue", "decision") if c in frame]
    return frame[columns].rename(columns={"noise_units": "noise units", "pvalue": "p-value"})


def _interactions_section(results):
    table = results.interactions
    tested = "decision" in table
    if tested:
        confirmed = int((table["decision"] == "confirmed").sum())
        verdict = (
            f"The noise test's {results.significance_rounds} rounds confirmed {confirmed} of "
            f"{len(table)} pairs ({_alpha(results)}, Benjamini-Hochberg over the pairs). A "
            "pair is confirmed when the network joins the two features more strongly than it "
            "joins either with the other's shadow (a shuffled copy); noise units are that "
            "ratio. A pair that involves a noise column is confirmed about as rarely as the "
            "level allows."
        )
        if results.significance_rounds < 20:
            verdict += (
                f" With {results.significance_rounds} rounds a pair alone cannot be "
                "confirmed: run with --significance 20 or more to test the pairs."
            )
    else:
        verdict = (
            "Not tested against noise (--significance 0): the strengths rank the pairs of "
            "this network, and say nothing on their own about noise."
        )
    items = [
        verdict,
        _frame_table(_interaction_rows(table), index_name="pair", bars=["strength"]),
    ]
    if "interactions" in results.figures:
        items.append(
            Image(
                results.figures["interactions"],
                "image/png",
                "Bar chart of the strongest pairs of features",
                "The strongest pairs, green when confirmed, orange tentative, grey rejected.",
            )
        )
    return Section(
        "interactions",
        "Interactions",
        "Which features the network combines: the NID strength of each pair (Tsang, Cheng "
        "and Liu, 2018), read from the trained weights of every layer. A first-layer unit "
        "joins two features as strongly as the weaker of their two connections to it, "
        "weighted by how much the unit moves the output; the strengths of all the units "
        "add up. Confirmed pairs come first. They are read from the network trained for "
        f"the importances (first_layer_l1={results.settings.l1:g}): with a strong first-layer "
        "penalty, two features that each matter a lot share units and show some strength "
        "without interacting. Before reading a confirmed pair of two strong features as an "
        "interaction, look at their two-way partial dependence plot, or read the pairs from "
        "a network trained for them (kernel_l1=1e-4; the documentation's Interactions page "
        "has the benchmark).",
        items,
    )


def _stability_section(results):
    settings = results.settings
    figures = results.figures
    stability = float(results.stability.stability)
    cv = results.stability
    folds = pd.DataFrame(
        {f"test {results.score_name}": cv.test_scores, "fit time (s)": cv.fit_times},
        index=pd.Index([f"fold {k}" for k in range(1, len(cv.test_scores) + 1)]),
    )
    return Section(
        "stability",
        f"Stability across {settings.cv} folds",
        f"The training rows were split into {settings.cv} folds; a fresh network was "
        "trained on all but one fold each time, with its own random start. If the "
        "importances are a property of the data and not of one lucky training, every "
        "fold ranks the features alike: short boxes, `rank_best` close to "
        "`rank_worst`. The stability number is the mean Spearman correlation between "
        "the folds' rankings (1 = identical rankings, 0 = unrelated). Folds that agree "
        "show the ranking is repeatable, not that it is right, so the agreement with "
        "permutation importance and the noise test stand beside it.",
        [
            f"Stability: {_stability_words(stability)}.",
            *_trust_checks(results),
            _frame_table(
                cv.summary,
                index_name="feature",
                highlight="importance_mean",
                bars=["importance_mean"],
                caption="Importance over the folds: mean, standard deviation, and the "
                "mean, best and worst rank.",
            ),
            Image(
                figures["stability"],
                "image/png",
                "Box plot of each feature's importance over the folds",
                "Each feature's importance in every fold (points) and their spread (box).",
            ),
            _frame_table(
                folds,
                index_name="fold",
                caption=f"Test {results.score_name} of each fold's network on its held-out fold.",
            ),
        ],
    )


def _configuration_section(results):
    settings = results.settings
    main = settings.method
    config = [
        ("command", settings.command or "–"),
        ("data", results.source),
        ("target", results.target),
        ("task", settings.task),
        ("importance method", main),
        (
            "cross-validation folds",
            f"{settings.cv} ({results.stability.training})",
        ),
        ("random state", settings.random_state),
    ]
    if settings.data is not None:
        config += [("test size", settings.test_size), ("impute missing values", settings.impute)]
    config += [("permutation repeats", settings.n_repeats)]
    config += [
        (
            "noise test rounds",
            f"{results.significance_rounds} (alpha {results.significance.alpha:g}, "
            f"{_correction(results.significance)}; {results.significance.training}; "
            f"{results.significance_seconds:.1f} s)"
            if results.significance is not None
            else "0 (off)",
        )
    ]
    config += [(f"network: {k}", v) for k, v in results.model_params.items()]
    config += [("total run time", _run_time(results))]
    return Section(
        "configuration",
        "Configuration and versions",
        "Everything needed to rerun this report: the command, the settings it resolved "
        "to, and the versions of the libraries that computed it. The same command with "
        "the same versions gives the same numbers on the same machine.",
        [
            _key_values(config, caption="Run configuration"),
            _key_values(results.versions.items(), caption="Library versions"),
        ],
    )


def build_document(results):
    """Describe ``results`` as a :class:`~skweightimp._report.report_html.Document`.

    Pure text work: no training, no drawing; its input comes from :func:`run_report`.
    What each section of the page shows is explained in the report guide,
    :doc:`/report` (``docs/report.rst``).

    Parameters
    ----------
    results : ReportResults
        What :func:`run_report` returned.

    Returns
    -------
    Document
        The page, for :func:`~skweightimp._report.report_html.render_html`.

    Examples
    --------
    >>> from skweightimp._report.document import build_document
    >>> from skweightimp._report.report import ReportSettings, run_report
    >>> from skweightimp._report.report_html import render_html
    >>> results = run_report(ReportSettings(epochs=3, cv=2, n_repeats=1, significance=0))
    >>> document = build_document(results)
    >>> document.title
    'skweightimp report: built-in example'
    >>> [section.id for section in document.sections]
    ['data-and-model', 'importance', 'weights', 'animation', 'ranking', 'comparison',
     'interactions', 'stability', 'configuration']
    >>> summary = dict(document.summary)
    >>> summary["rows (train / test)"], summary["confirmed above noise"]
    ('900 / 100', 'not tested')
    >>> summary["ranked first (gradient)"]  # not "most important": nothing was tested
    'xs (not tested against noise: --significance 0)'
    >>> page = render_html(document)
    >>> page.startswith("<!DOCTYPE html>"), '<section id="stability">' in page
    (True, True)
    """
    settings = results.settings
    source_name = "built-in example" if settings.data is None else os.path.basename(results.source)
    sections = [
        _data_section(results),
        _importance_section(results),
        _weights_section(results),
        _animation_section(results),
        _ranking_section(results),
        _comparison_section(results),
        *([_interactions_section(results)] if results.interactions is not None else []),
        _stability_section(results),
        _configuration_section(results),
    ]
    from .. import __version__

    return Document(
        title=f"skweightimp report: {source_name}",
        subtitle=(
            f"Feature importance read from a neural network's own training — {results.task} "
            f"of `{results.target}`, {results.n_rows} rows, "
            f"{time.strftime('%Y-%m-%d %H:%M')}."
        ),
        summary=_summary(results),
        notes=_warnings(results),
        sections=sections,
        footer=f"Made by skweightimp {__version__} (`skweightimp report`). Self-contained "
        "page: no script, nothing loaded from the network.",
    )
