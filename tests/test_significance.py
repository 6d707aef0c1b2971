import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.compose import make_column_transformer
from sklearn.datasets import make_regression
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skweightimp import WeightTrajectoryClassifier, WeightTrajectoryRegressor
from skweightimp.importance import recommended_method
from skweightimp.importance._methods import IMPORTANCE_METHODS
from skweightimp.inspection import importance_significance
from skweightimp.inspection._pvalues import bh as _bh
from skweightimp.inspection._pvalues import holm as _holm
from skweightimp.inspection._pvalues import shadow_pvalues as _shadow_pvalues
from skweightimp.inspection._significance import (
    _check_rejections,
    _shadow_columns,
    _warn_if_powerless,
    auto_method,
    rounds_needed,
)

from .conftest import FAST, on_a_dask_cluster

# Enough training for a tiny network to find the signal of 150 standardised rows, with
# Olden's method (the one the real-data benchmark supports).
LEARN = {
    "hidden_layer_sizes": (4,),
    "epochs": 5,
    "batch_size": 16,
    "learning_rate": 0.05,
    "importance_method": "olden",
}
INFORMATIVE = ["i0", "i1"]
NOISE = ["n0", "n1", "n2"]


@pytest.fixture(scope="module")
def planted():
    """Two informative and three pure-noise columns, standardised."""
    X, y = make_regression(
        n_samples=150, n_features=5, n_informative=2, shuffle=False, noise=1.0, random_state=0
    )
    X = pd.DataFrame(StandardScaler().fit_transform(X), columns=INFORMATIVE + NOISE)
    return X, (y - y.mean()) / y.std()


# The pooled test's smallest p-value is 1 / (1 + n_rounds * n_features): about 1 / alpha
# rounds can confirm a feature whatever the number of features.
ROUNDS = 20


@pytest.fixture(scope="module")
def shadow_result(planted):
    X, y = planted
    return importance_significance(
        WeightTrajectoryRegressor(**LEARN), X, y, n_rounds=ROUNDS, random_state=0
    )


def test_shadow_confirms_planted_signal_and_not_noise(shadow_result):
    result = shadow_result
    assert list(result.decision.index) == INFORMATIVE + NOISE
    assert (result.decision[INFORMATIVE] == "confirmed").all()
    assert not (result.decision[NOISE] == "confirmed").any()
    assert (result.hits.loc[INFORMATIVE, result.method] == ROUNDS).all()
    # method="auto": the recommended method decides
    assert result.method == recommended_method() == "gradient"
    assert result.null == "shadow" and result.n_rounds == ROUNDS
    assert result.test == "pooled" and result.correction == "bh" and "estimator" not in result
    # Nothing was rejected, so nothing was checked against permutation importance.
    assert result.permutation_check is None and result.disagreement.empty
    assert (result.summary["disagreement"] == "").all()
    # every method the network supports (a one-hidden-layer network: all of them), in
    # the package's order
    assert list(result.scores.columns) == list(IMPORTANCE_METHODS)
    shape = (5, len(IMPORTANCE_METHODS))
    assert result.pvalues.shape == result.scores.shape == result.hits.shape == shape


def pooled_by_hand(real, shadow):
    """The pooled test's p-values, spelled out with loops (the library vectorises)."""
    n_rounds, n_features = real.shape
    draws = []
    for j in range(n_features):
        for r in range(n_rounds):
            unit = np.delete(shadow[:, j], r).mean()  # the other rounds' mean
            draws.append(shadow[r, j] / unit)
    draws = np.array(draws)
    statistic = real.mean(axis=0) / shadow.mean(axis=0)
    above = np.array([(1 + (draws >= t).sum()) / (1 + draws.size) for t in statistic])
    below = np.array([(1 + (draws <= t).sum()) / (1 + draws.size) for t in statistic])
    return above, below


def test_shadow_statistics_follow_from_the_rounds(shadow_result):
    result = shadow_result
    for method in result.scores.columns:
        real = result.round_scores[method]
        shadow = result.null_scores[method]
        assert real.shape == shadow.shape == (ROUNDS, 5)
        np.testing.assert_allclose(result.scores[method], real.mean())
        hits = (real.to_numpy() > shadow.to_numpy()).sum(axis=0)  # above its own shadow
        np.testing.assert_array_equal(result.hits[method], hits)
        above, below = pooled_by_hand(real.to_numpy(), shadow.to_numpy())
        np.testing.assert_allclose(result.pvalues_uncorrected[method], above)
        np.testing.assert_allclose(result.pvalues[method], _bh(above))
        np.testing.assert_allclose(result.rejection_pvalues[method], _bh(below))
    summary = result.summary
    assert summary["score"].is_monotonic_decreasing
    assert summary.loc["i0", "decision"] == "confirmed"
    np.testing.assert_allclose(
        summary.loc[result.decision.index, "pvalue"], result.pvalues[result.method]
    )


def test_the_old_statistic_is_still_selectable(planted, shadow_result):
    """test="max", correction="holm": Boruta's hits against the best shadow, binomial
    p-values and Holm, as before; from the same rounds as the default's."""
    X, y = planted
    old = importance_significance(
        WeightTrajectoryRegressor(**LEARN),
        X,
        y,
        test="max",
        correction="holm",
        n_rounds=ROUNDS,
        random_state=0,
    )
    assert old.test == "max" and old.correction == "holm"
    for method in old.scores.columns:
        real = old.round_scores[method].to_numpy()
        shadow = old.null_scores[method].to_numpy()
        np.testing.assert_allclose(real, shadow_result.round_scores[method])
        hits = (real > shadow.max(axis=1, keepdims=True)).sum(axis=0)
        np.testing.assert_array_equal(old.hits[method], hits)
        raw = [stats.binomtest(int(h), ROUNDS, 0.5, alternative="greater").pvalue for h in hits]
        np.testing.assert_allclose(old.pvalues_uncorrected[method], raw)
        np.testing.assert_allclose(old.pvalues[method], _holm(raw))
        low = [stats.binomtest(int(h), ROUNDS, 0.5, alternative="less").pvalue for h in hits]
        np.testing.assert_allclose(old.rejection_pvalues[method], _holm(low))
    assert (old.decision[INFORMATIVE] == "confirmed").all()


def test_permutation_null_pvalues_and_decisions(planted):
    X, y = planted
    # 1 / (1 + 7) * 5 features <= alpha: seven rounds can confirm at alpha=0.75 (at
    # alpha=0.05 the permutation null needs 99 rounds for five features).
    result = importance_significance(
        WeightTrajectoryRegressor(**LEARN),
        X,
        y,
        null="permutation",
        n_rounds=7,
        alpha=0.75,
        random_state=0,
    )
    observed = result.estimator
    for method in result.scores.columns:
        np.testing.assert_allclose(result.scores[method], observed.importance_scores(method))
        null = result.null_scores[method].to_numpy()
        assert null.shape == (7, 5)
        scores = result.scores[method].to_numpy()
        expected = (1 + (null >= scores).sum(axis=0)) / 8
        np.testing.assert_allclose(result.pvalues_uncorrected[method], expected)
        np.testing.assert_allclose(result.pvalues[method], _bh(expected))
        np.testing.assert_array_equal(result.hits[method], (null < scores).sum(axis=0))
        below = (1 + (null <= scores).sum(axis=0)) / 8
        np.testing.assert_allclose(result.rejection_pvalues[method], _bh(below))
    # The informative columns beat every fit on a permuted target.
    np.testing.assert_allclose(result.pvalues_uncorrected.loc[INFORMATIVE, "olden"], 1 / 8)
    assert (result.decision[INFORMATIVE] == "confirmed").all()
    assert not (result.decision[NOISE] == "confirmed").any()
    assert "round_scores" not in result


# ------------------------------------------------------------ the pooled statistic


def test_pooled_pvalues_on_synthetic_scores():
    rng = np.random.RandomState(0)
    shadow = rng.gamma(2.0, size=(20, 4))
    own = rng.gamma(2.0, size=(20, 4))
    own[:, 0] = 10 * shadow[:, 0]  # far above its own noise in every round
    confirm, reject, hits = _shadow_pvalues(own, shadow, "pooled")
    above, below = pooled_by_hand(own, shadow)
    np.testing.assert_allclose(confirm, above)
    np.testing.assert_allclose(reject, below)
    np.testing.assert_array_equal(hits, (own > shadow).sum(axis=0))
    assert confirm[0] == 1 / (1 + 20 * 4)  # above every one of the 80 null draws
    # Each feature in its own noise unit: rescaling a feature, its rounds and its shadow
    # alike (a wider column, a one-hot group) changes no p-value.
    scale = np.array([1.0, 50.0, 0.01, 3.0])
    rescaled = _shadow_pvalues(own * scale, shadow * scale, "pooled")
    np.testing.assert_allclose(rescaled[0], confirm)
    np.testing.assert_allclose(rescaled[1], reject)


def test_pooled_pvalues_without_a_noise_unit():
    own = np.ones((5, 2))
    shadow = np.ones((5, 2))
    shadow[:, 1] = 0.0  # a feature whose shadow always scores 0 (a constant column)
    confirm, reject, _ = _shadow_pvalues(own, shadow, "pooled")
    assert confirm[1] == reject[1] == 1.0
    assert confirm[0] == pytest.approx(6 / 6)  # its five draws are all 1: none below
    # One round gives no unit for its draws: nothing can be confirmed
    confirm, reject, _ = _shadow_pvalues(own[:1], shadow[:1], "pooled")
    np.testing.assert_array_equal(confirm, [1.0, 1.0])


def test_rejection_needs_a_mean_below_the_pooled_noise():
    rng = np.random.RandomState(1)
    shadow = rng.gamma(2.0, size=(20, 10))
    own = rng.gamma(2.0, size=(20, 10))
    own[:, 0] = 0.9 * shadow[:, 0]  # below its own shadow in every round
    own[:, 1] = 0.001 * shadow[:, 1]  # and far below every noise draw
    pooled = _decide_by_hand(own, shadow, "pooled")
    # Losing every round to its own shadow is no evidence of being below noise: a
    # mean of 0.9 noise units sits among the draws.
    assert pooled[0] == "tentative" and pooled[1] == "rejected"
    assert (_shadow_pvalues(own, shadow, "pooled")[2][:2] == 0).all()
    # Boruta's statistic rejects both (and, with ten features, most of the noise).
    assert (_decide_by_hand(own, shadow, "max")[:2] == "rejected").all()


def _decide_by_hand(own, shadow, test):
    from skweightimp.inspection._pvalues import decide as _decide

    confirm, reject, _ = _shadow_pvalues(own, shadow, test)
    return _decide(_bh(confirm), _bh(reject), 0.05)


def _null_rounds(rng, n_rounds, n_features):
    """Scores of features that carry nothing: the data, so each feature's arrangement
    and its chance association with y, are the same in every round, while every shadow
    is a new arrangement. Features differ in scale (a factor of up to 50) and in
    spread (one-hot groups' scores vary less than numeric columns')."""
    scale = np.exp(rng.uniform(-2, 2, size=n_features))
    shape = rng.choice([1.0, 4.0], size=n_features)

    def draw(size):
        return rng.gamma(shape, 1 / shape, size=size)

    arrangement = draw((1, n_features))  # one per feature, kept for every round
    own = scale * arrangement * rng.lognormal(0, 0.3, size=(n_rounds, n_features))
    shadow = scale * draw((n_rounds, n_features)) * rng.lognormal(0, 0.3, (n_rounds, n_features))
    return own, shadow


def test_pure_noise_confirms_at_most_alpha_of_the_features():
    """A property of the statistic on simulated null rounds (it could fail): over 200
    data sets of 20 features, at most alpha of the features confirmed, whereas testing
    each round as an independent draw confirms the features whose chance association
    recurs in every round."""
    rng = np.random.RandomState(0)
    confirmed = paired = 0
    for _ in range(200):
        own, shadow = _null_rounds(rng, 20, 20)
        confirmed += (_decide_by_hand(own, shadow, "pooled") == "confirmed").sum()
        differences = own - shadow
        wilcoxon = stats.wilcoxon(differences, alternative="greater", axis=0).pvalue
        paired += (_bh(wilcoxon) <= 0.05).sum()
    assert confirmed / (200 * 20) <= 0.05
    assert paired / (200 * 20) > 0.05  # the statistic not chosen, for contrast


def test_a_strong_planted_feature_among_noise_is_confirmed():
    rng = np.random.RandomState(2)
    own, shadow = _null_rounds(rng, 20, 20)
    own[:, 3] = 10 * shadow[:, 3].mean() * rng.lognormal(0, 0.3, size=20)
    decision = _decide_by_hand(own, shadow, "pooled")
    assert decision[3] == "confirmed"
    assert (np.delete(decision, 3) != "confirmed").all()


@pytest.mark.filterwarnings("ignore:With null:UserWarning")
def test_a_network_on_pure_noise_confirms_at_most_alpha_of_the_features():
    """The same property on real rounds: a target independent of ten columns (fixed
    seed; it could fail), for every method the network supports."""
    rng = np.random.RandomState(4)
    X = pd.DataFrame(rng.normal(size=(300, 10)), columns=[f"n{i}" for i in range(10)])
    y = rng.normal(size=300)
    result = importance_significance(
        WeightTrajectoryRegressor(**LEARN), X, y, n_rounds=ROUNDS, random_state=0
    )
    share = (result.pvalues <= result.alpha).mean()
    assert (share <= 0.05).all(), share


# ------------------------------------------------------------ rejected, and the network


def test_check_of_rejections_notes_a_feature_the_network_uses(planted):
    X, y = planted
    model = WeightTrajectoryRegressor(**{**LEARN, "random_state": 0}).fit(X.to_numpy(), y)
    members = [np.array([j]) for j in range(5)]
    index = pd.Index(INFORMATIVE + NOISE, name="feature")
    rejected = np.array([True, False, False, False, False])
    check, notes = _check_rejections(model, X.to_numpy(), y, members, index, rejected, "olden", 0)
    assert list(check.columns) == ["importance", "std", "rank", "uses"]
    assert set(check["rank"][INFORMATIVE]) == {1, 2} and check["uses"][INFORMATIVE].all()
    assert notes["i0"].startswith("olden scores it below noise, but the network's permutation")
    assert f"of 5 (score drop {check.loc['i0', 'importance']:.3g}" in notes["i0"]
    assert notes["i0"].endswith("the two disagree")
    assert (notes.drop("i0") == "").all()  # only rejected features get a note


def test_a_rejected_feature_the_network_uses_is_said_to_disagree(planted, monkeypatch):
    # Were olden to score i0 below noise (as it does a U-shaped effect), the network's
    # own permutation importance, which ranks it first or second, must be named beside
    # the decision.
    from skweightimp.inspection import _significance

    real = _significance.shadow_pvalues

    def olden_misreads_i0(own, shadow, test):
        confirm, reject, hits = real(own, shadow, test)
        confirm[0], reject[0] = 1.0, 1e-9
        return confirm, reject, hits

    monkeypatch.setattr(_significance, "shadow_pvalues", olden_misreads_i0)
    X, y = planted
    result = importance_significance(
        WeightTrajectoryRegressor(**LEARN), X, y, n_rounds=ROUNDS, random_state=0
    )
    assert result.decision["i0"] == "rejected"  # what olden says, kept
    assert list(result.disagreement.index) == ["i0"]
    assert "ranks it" in result.summary.loc["i0", "disagreement"]
    assert result.permutation_check.loc["i0", "uses"]
    assert result.permutation_check["rank"]["i0"] <= 2


@pytest.mark.parametrize(
    ("null", "test", "n_rounds", "needed"),
    [
        ("shadow", "pooled", 19, 20),  # 5 / (1 + 19 * 5) > 0.05 >= 5 / (1 + 20 * 5)
        ("shadow", "max", 6, 7),  # 5 * 0.5 ** 6 > 0.05 >= 5 * 0.5 ** 7
        ("permutation", "pooled", 20, 99),  # test does not apply
    ],
)
def test_too_few_rounds_to_confirm_anything_warns(null, test, n_rounds, needed):
    assert rounds_needed(null, 5, 0.05, test) == needed
    with pytest.warns(UserWarning, match=rf"no feature can be confirmed.*n_rounds >= {needed}"):
        _warn_if_powerless(null, n_rounds, 5, 0.05, test)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _warn_if_powerless(null, needed, 5, 0.05, test)


@pytest.fixture(scope="module")
def mixed_data():
    """A numeric column and a three-level category drive the target; one noise column."""
    rng = np.random.RandomState(3)
    n = 150
    X = pd.DataFrame(
        {
            "num": rng.normal(size=n),
            "color": rng.choice(["red", "green", "blue"], size=n),
            "other": rng.normal(size=n),
        }
    )
    y = X["num"] + X["color"].map({"red": 1.5, "green": 0.0, "blue": -1.5})
    return X, (y - y.mean()) / y.std()


def test_pipeline_one_hot_feature_gets_a_shadow_group(mixed_data):
    X, y = mixed_data
    # drop="first": the full set of one-hot columns sums to 1 in every row, so its shadow
    # group is a second intercept whose weights the data do not pin down; their Olden
    # score then grows large and the best shadow beats real features.
    prep = make_column_transformer(
        (StandardScaler(), ["num", "other"]),
        (OneHotEncoder(drop="first"), ["color"]),
        sparse_threshold=1.0,  # a sparse matrix reaches the test
    )
    pipe = make_pipeline(prep, WeightTrajectoryRegressor(**LEARN))
    result = importance_significance(
        pipe, X, y, feature_groups="auto", n_rounds=ROUNDS, random_state=0
    )
    assert list(result.decision.index) == ["num", "other", "color"]
    assert result.columns["color"] == [
        "onehotencoder__color_green",
        "onehotencoder__color_red",
    ]
    assert list(result.null_scores["olden"].columns) == ["num", "other", "color"]
    assert result.decision["num"] == result.decision["color"] == "confirmed"
    assert result.decision["other"] != "confirmed"
    assert not hasattr(pipe[-1], "model_")  # the Pipeline handed in is left unfitted


@pytest.mark.filterwarnings("ignore:With null:UserWarning")
def test_shadow_groups_are_scored_like_their_real_groups(mixed_data):
    # Same seed, same fits: only the aggregation differs. A real group and its shadow
    # group must both be the mean (or both the sum) of their columns' scores, or the
    # comparison with the best shadow would carry the level bias.
    X, y = mixed_data
    prep = make_column_transformer(
        (StandardScaler(), ["num", "other"]), (OneHotEncoder(sparse_output=False), ["color"])
    )
    pipe = make_pipeline(prep, WeightTrajectoryRegressor(**FAST))
    runs = {
        how: importance_significance(
            pipe, X, y, feature_groups="auto", group_score=how, n_rounds=1, random_state=0
        )
        for how in ("mean", "sum")
    }
    for method in runs["mean"].scores.columns:
        for table in ("round_scores", "null_scores"):
            mean = runs["mean"][table][method]
            summed = runs["sum"][table][method]
            assert summed["color"].iloc[0] == pytest.approx(3 * mean["color"].iloc[0])
            np.testing.assert_allclose(summed[["num", "other"]], mean[["num", "other"]])


def test_shadow_of_a_group_moves_its_rows_together():
    rng = np.random.RandomState(0)
    one_hot = np.eye(3)[rng.randint(3, size=40)]
    X = np.hstack([rng.normal(size=(40, 1)), one_hot])
    members = [np.array([0]), np.array([1, 2, 3])]
    shadow = _shadow_columns(X, members, np.random.RandomState(1))
    np.testing.assert_array_equal(shadow[:, 1:].sum(axis=1), 1.0)  # one category per row
    for column in range(4):  # each shadow column holds the original values, reordered
        np.testing.assert_array_equal(np.sort(shadow[:, column]), np.sort(X[:, column]))
    assert not np.array_equal(shadow[:, 0], X[:, 0])
    assert not np.array_equal(shadow[:, 1:], X[:, 1:])


def test_classifier(classification_data):
    X, y = classification_data  # a and b drive three classes; c and d are noise
    clf = WeightTrajectoryClassifier(**LEARN)
    result = importance_significance(clf, X, y, n_rounds=ROUNDS, random_state=0)
    assert (result.decision[["a", "b"]] == "confirmed").all()
    assert not (result.decision[["c", "d"]] == "confirmed").any()


@pytest.mark.filterwarnings("ignore:With null:UserWarning")
def test_reproducible_with_a_seed_and_different_without(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST)
    with pytest.warns(UserWarning, match="n_rounds >= 20"):  # 4 features, 2 rounds
        first = importance_significance(est, X, y, n_rounds=2, random_state=7)
    second = importance_significance(est, X, y, n_rounds=2, random_state=7)
    other = importance_significance(est, X, y, n_rounds=2, random_state=8)
    for method in first.scores.columns:
        pd.testing.assert_frame_equal(first.null_scores[method], second.null_scores[method])
        pd.testing.assert_frame_equal(first.round_scores[method], second.round_scores[method])
        assert not np.allclose(first.null_scores[method], other.null_scores[method])
    pd.testing.assert_frame_equal(first.pvalues, second.pvalues)
    # The method of the decision does not change the fits, only what is decided on.
    viann = importance_significance(est, X, y, n_rounds=2, random_state=7, method="viann")
    assert viann.method == "viann"
    pd.testing.assert_frame_equal(viann.scores, first.scores)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:With null:UserWarning")
@pytest.mark.parametrize("null", ["shadow", "permutation"])
def test_replicas_and_separate_fits_reach_the_same_conclusions(planted, null):
    """The same shadows, permutations and starting networks; only the order the rows are
    visited in differs, so the evidence agrees without being equal digit for digit."""
    X, y = planted
    est = WeightTrajectoryRegressor(**LEARN)
    # Boruta's statistic: eight rounds can confirm, and its hits read "beat every shadow".
    kwargs = {"null": null, "test": "max", "n_rounds": 8, "random_state": 0}
    replicas = importance_significance(est, X, y, **kwargs)
    separate = importance_significance(est, X, y, replicas=False, **kwargs)
    assert replicas.replicas and replicas.training == "replicas of one Keras model"
    assert not separate.replicas and separate.training == "separate fits (replicas=False)"
    assert not np.allclose(replicas.null_scores["olden"], separate.null_scores["olden"])
    for result in (replicas, separate):
        # The informative columns beat every round's noise, the noise columns do not.
        assert (result.hits.loc[INFORMATIVE, "olden"] == 8).all()
        assert (result.hits.loc[NOISE, "olden"] < 8).all()
    if null == "shadow":
        pd.testing.assert_series_equal(
            replicas.decision == "confirmed", separate.decision == "confirmed"
        )
    else:  # the observed fit is a separate fit either way
        pd.testing.assert_frame_equal(replicas.scores, separate.scores)


@pytest.mark.filterwarnings("ignore:With null:UserWarning")
def test_a_network_replicas_cannot_reproduce_gets_separate_fits_and_says_why(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST, validation_split=0.25)
    result = importance_significance(est, X, y, n_rounds=2, random_state=0)
    assert not result.replicas
    assert result.training == (
        "separate fits: validation_split=0.25 holds rows out of each fit, which replicas "
        "cannot reproduce"
    )
    with pytest.raises(ValueError, match="replicas=True, but .* validation_split=0.25"):
        importance_significance(est, X, y, n_rounds=2, replicas=True)


def test_holm_adjustment():
    np.testing.assert_allclose(_holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])
    np.testing.assert_allclose(_holm([0.5, 0.9]), [1.0, 1.0])


def test_benjamini_hochberg_adjustment():
    # sorted 0.005, 0.01, 0.03, 0.04 times 4/1, 4/2, 4/3, 4/4, then the running minimum
    # from the largest down
    np.testing.assert_allclose(_bh([0.01, 0.04, 0.03, 0.005]), [0.02, 0.04, 0.04, 0.02])
    np.testing.assert_allclose(_bh([0.5, 0.9]), [0.9, 0.9])
    np.testing.assert_allclose(_bh([0.02, 0.02, 0.02]), [0.02, 0.02, 0.02])
    assert (_bh([0.001, 0.2, 0.7]) <= _holm([0.001, 0.2, 0.7])).all()  # never less power


# ------------------------------------------------------------ which method decides


@pytest.mark.filterwarnings("ignore:With null:UserWarning")
def test_the_default_method_is_the_recommended_one_not_the_estimators(planted):
    X, y = planted
    est = WeightTrajectoryRegressor(**{**LEARN, "importance_method": "weight_std"})
    auto = importance_significance(est, X, y, n_rounds=2, random_state=0)
    assert recommended_method() != "weight_std"  # else this test shows nothing
    assert auto.method == recommended_method()
    pd.testing.assert_series_equal(
        auto.summary["score"].sort_index(),
        auto.scores[recommended_method()].sort_index(),
        check_names=False,
    )
    # method=None still means the estimator's importance_method, from the same fits
    own = importance_significance(est, X, y, method=None, n_rounds=2, random_state=0)
    assert own.method == "weight_std"
    pd.testing.assert_frame_equal(own.scores, auto.scores)
    pd.testing.assert_series_equal(
        own.summary["score"].sort_index(),
        own.scores["weight_std"].sort_index(),
        check_names=False,
    )


def test_auto_falls_back_when_the_model_cannot_give_the_recommended_method(monkeypatch):
    est = WeightTrajectoryRegressor(importance_method="displacement")
    everything = set(IMPORTANCE_METHODS)
    assert auto_method(est, everything) == recommended_method()
    # Were Garson's method recommended: on two hidden layers, Olden's (any depth)
    monkeypatch.setattr("skweightimp.importance._methods._RECOMMENDED_METHOD", "garson")
    assert auto_method(est, everything) == "garson"
    assert auto_method(est, everything - {"garson"}) == "olden"
    # A network of one's own that is no plain Dense stack supports neither: the
    # estimator's own method, else weight_std.
    trajectory = {"weight_std", "viann", "displacement"}
    assert auto_method(est, trajectory) == "displacement"
    assert auto_method(est.set_params(importance_method="garson"), trajectory) == "weight_std"


@pytest.mark.filterwarnings("ignore:With null:UserWarning")
def test_auto_with_garson_recommended_on_two_hidden_layers_uses_olden(regression_data, monkeypatch):
    # Were the recommendation Garson's (one hidden layer only), a deeper network would
    # fall back instead of failing, as an explicit method="garson" does.
    monkeypatch.setattr("skweightimp.importance._methods._RECOMMENDED_METHOD", "garson")
    X, y = regression_data
    deep = WeightTrajectoryRegressor(**{**FAST, "hidden_layer_sizes": (4, 3)})
    assert importance_significance(deep, X, y, n_rounds=2, random_state=0).method == "olden"
    shallow = WeightTrajectoryRegressor(**FAST)
    assert importance_significance(shallow, X, y, n_rounds=2, random_state=0).method == "garson"


# ------------------------------------------------------------ bad input (no fit needed)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"null": "magic"}, "'null' parameter"),
        ({"test": "paired"}, "'test' parameter"),
        ({"correction": "fdr"}, "'correction' parameter"),
        ({"n_rounds": 0}, "'n_rounds' parameter"),
        ({"alpha": 1.5}, "'alpha' parameter"),
        ({"alpha": 0}, "'alpha' parameter"),
        ({"method": "magic"}, "'method' parameter.*'auto'"),
        ({"feature_groups": "magic"}, "'feature_groups' parameter"),
        ({"feature_groups": {"g": ["a", "zz"]}}, r"\['zz'\]"),
    ],
)
def test_bad_parameters_are_refused_before_any_fit(regression_data, params, match):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST)
    with pytest.raises(ValueError, match=match):
        importance_significance(est, X, y, **params)
    assert not hasattr(est, "model_")


def test_bad_estimators_and_data(regression_data):
    X, y = regression_data
    with pytest.raises(TypeError, match="estimator must be a WeightTrajectoryRegressor"):
        importance_significance(Ridge(), X, y)
    with pytest.raises(TypeError, match="last step of the Pipeline.*Ridge"):
        importance_significance(make_pipeline(StandardScaler(), Ridge()), X, y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        importance_significance(WeightTrajectoryRegressor(**FAST), X, y[:50])
    with pytest.raises(ValueError, match="garson.*exactly one hidden layer.*olden"):
        importance_significance(
            WeightTrajectoryRegressor(**{**FAST, "hidden_layer_sizes": (4, 3)}),
            X,
            y,
            method="garson",
        )
    with pytest.raises(ValueError, match="Input X contains NaN"):
        importance_significance(WeightTrajectoryRegressor(**FAST), X.where(X > -2), y)


# ------------------------------------------------------------ parallel runs


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:With null:UserWarning")
def test_two_jobs_give_the_same_result_as_one(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST)
    # Separate fits: n_jobs shares them out (replicas train as one model, in one job).
    kwargs = {"n_rounds": 2, "random_state": 0, "replicas": False}
    one = importance_significance(est, X, y, n_jobs=1, **kwargs)
    two = importance_significance(est, X, y, n_jobs=2, **kwargs)
    for method in one.scores.columns:
        np.testing.assert_allclose(two.null_scores[method], one.null_scores[method], rtol=1e-6)
        np.testing.assert_allclose(two.round_scores[method], one.round_scores[method], rtol=1e-6)
    pd.testing.assert_series_equal(two.decision, one.decision)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:With null:UserWarning")
def test_significance_on_a_dask_cluster_matches_one_job(regression_data):
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST)
    kwargs = {"null": "permutation", "n_rounds": 2, "random_state": 0, "replicas": False}
    local = importance_significance(est, X, y, n_jobs=1, **kwargs)
    with on_a_dask_cluster():
        remote = importance_significance(est, X, y, n_jobs=2, **kwargs)
    pd.testing.assert_frame_equal(remote.scores, local.scores, rtol=1e-6)
    for method in local.scores.columns:
        np.testing.assert_allclose(remote.null_scores[method], local.null_scores[method], rtol=1e-6)
    np.testing.assert_allclose(
        remote.estimator.importance_scores("olden"), local.scores["olden"], rtol=1e-6
    )


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:With null:UserWarning")
def test_replica_groups_on_a_dask_cluster_decide_as_in_process(regression_data):
    # The rounds' replica groups are joblib tasks: the workers of a dask.distributed
    # cluster (separate processes, the tasks pickled) train the same groups as the
    # threads of this process, and the test decides the same.
    X, y = regression_data
    est = WeightTrajectoryRegressor(**FAST)
    kwargs = {"n_rounds": 6, "random_state": 0, "replicas": True, "max_samples": 60}
    local = importance_significance(est, X, y, n_jobs=2, **kwargs)
    with on_a_dask_cluster():
        remote = importance_significance(est, X, y, n_jobs=2, **kwargs)
    assert local.training == remote.training == "replicas of one Keras model"
    pd.testing.assert_frame_equal(remote.scores, local.scores, rtol=1e-5)
    pd.testing.assert_frame_equal(remote.pvalues, local.pvalues)
    pd.testing.assert_series_equal(remote.decision, local.decision)


@pytest.mark.backend_smoke
def test_replica_groups_train_as_one_group_would():
    # n_jobs=2 splits the rounds into two models of replicas trained at once in threads;
    # each replica trains as it would in one model of all of them (float rounding).
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 3))
    y = 3 * X[:, 0] + 0.1 * rng.normal(size=200)
    est = WeightTrajectoryRegressor(**LEARN)
    one = importance_significance(est, X, y, n_rounds=4, random_state=0, replicas=True)
    two = importance_significance(est, X, y, n_rounds=4, random_state=0, replicas=True, n_jobs=2)
    for method in one.scores.columns:
        np.testing.assert_allclose(two.round_scores[method], one.round_scores[method], rtol=1e-4)
        np.testing.assert_allclose(two.null_scores[method], one.null_scores[method], rtol=1e-4)


def test_max_samples_trains_each_round_on_a_sample_of_its_own():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 3))
    y = 3 * X[:, 0] + 0.1 * rng.normal(size=300)
    est = WeightTrajectoryRegressor(**LEARN)
    full = importance_significance(est, X, y, n_rounds=20, random_state=0)
    sampled = importance_significance(est, X, y, n_rounds=20, random_state=0, max_samples=150)
    share = importance_significance(est, X, y, n_rounds=20, random_state=0, max_samples=0.5)
    assert (full.n_samples, sampled.n_samples, share.n_samples) == (300, 150, 150)
    # 150 rows, as an int or a share: the same samples, the same rounds.
    pd.testing.assert_frame_equal(share.null_scores["gradient"], sampled.null_scores["gradient"])
    # Other rows than the full test's, so other scores; the signal is confirmed still.
    assert not np.allclose(sampled.null_scores["gradient"], full.null_scores["gradient"])
    assert sampled.decision["x0"] == full.decision["x0"] == "confirmed"
    # More rows than there are: all of them.
    everything = importance_significance(est, X, y, n_rounds=20, random_state=0, max_samples=10**6)
    pd.testing.assert_frame_equal(everything.pvalues, full.pvalues)


def test_max_samples_is_for_the_shadow_null():
    X, y = np.random.RandomState(0).normal(size=(50, 2)), np.arange(50.0)
    est = WeightTrajectoryRegressor(**FAST)
    with pytest.raises(ValueError, match="max_samples=None"):
        importance_significance(est, X, y, null="permutation", n_rounds=2, max_samples=10)
    for bad in (0, -1, 1.5, "all"):
        with pytest.raises(ValueError, match="'max_samples' parameter"):
            importance_significance(est, X, y, n_rounds=2, max_samples=bad)


def test_constant_columns_are_no_hypotheses():
    # A constant column's shadow never scores, so the pooled test has no noise unit for
    # it. Counted in the correction anyway, two constant columns of four made the signal
    # column unconfirmable with 20 rounds (the seed notebook's data, in the report).
    rng = np.random.RandomState(0)
    X = np.column_stack(
        [np.full(300, 2.0), rng.normal(size=300), np.ones(300), rng.normal(size=300)]
    )
    y = 3 * X[:, 1] + 0.1 * rng.normal(size=300)
    result = importance_significance(
        WeightTrajectoryRegressor(**LEARN), X, y, n_rounds=20, random_state=0
    )
    assert result.decision["x1"] == "confirmed"
    assert (result.pvalues.loc[["x0", "x2"], result.method] == 1.0).all()
    assert (result.decision[["x0", "x2"]] == "tentative").all()


def test_a_classifiers_row_samples_keep_every_class():
    # Replicas of a classifier share one output layer, one unit per class: a round whose
    # sample missed a rare class could not train with the others.
    from skweightimp import WeightTrajectoryClassifier

    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 3))
    y = np.where(X[:, 0] > 0, "up", "down").astype(object)
    y[[5, 77]] = "rare"  # 2 of 300 rows: a 30-row sample would miss it most of the time
    est = WeightTrajectoryClassifier(**FAST)
    result = importance_significance(est, X, y, n_rounds=6, random_state=0, max_samples=30)
    assert result.n_samples == 30 and result.training == "replicas of one Keras model"
    from skweightimp.inspection._significance import _RowSample, _sample_rows

    for seed in range(20):
        _, y_sample = _sample_rows(X, y, _RowSample(30, True), np.random.RandomState(seed))
        assert len(y_sample) == 30 and set(y_sample) == {"up", "down", "rare"}
