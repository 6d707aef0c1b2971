import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer, make_column_transformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from skweightimp.importance import (
    aggregate_importances,
    auto_feature_groups,
    grouped_report,
    importance_report,
    resolve_feature_groups,
)


@pytest.fixture(scope="module")
def mixed_frame():
    return pd.DataFrame(
        {
            "age": [20.0, 30.0, 40.0, 50.0, 60.0, 70.0],
            "color": ["red", "blue", "red", "green", "blue", "red"],
            "size": ["s", "m", "l", "s", "m", "l"],
            "height": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )


def test_none_keeps_every_column():
    names, members = resolve_feature_groups(["a", "b"], None)
    assert names == ["a", "b"]
    assert [m.tolist() for m in members] == [[0], [1]]


def test_mapping_groups_in_order_of_first_column():
    names, members = resolve_feature_groups(
        ["c_1", "a", "c_2", "b"], {"c": ["c_1", "c_2"], "ab": ["a", "b"]}
    )
    assert names == ["c", "ab"]
    assert [m.tolist() for m in members] == [[0, 2], [1, 3]]


def test_unknown_column_is_named():
    with pytest.raises(ValueError, match=r"'g'.*\['zz'\]"):
        resolve_feature_groups(["a", "b"], {"g": ["a", "zz"]})


def test_overlapping_groups_are_refused():
    with pytest.raises(ValueError, match="'a' is in two feature groups"):
        resolve_feature_groups(["a", "b", "c"], {"g": ["a", "b"], "h": ["a", "c"]})


def test_empty_group_and_name_clash_are_refused():
    with pytest.raises(ValueError, match="has no columns"):
        resolve_feature_groups(["a", "b"], {"g": []})
    with pytest.raises(ValueError, match=r"\['b'\].*ungrouped"):
        resolve_feature_groups(["a", "b", "c"], {"b": ["a", "c"]})


@pytest.mark.parametrize("bad", ["manual", 3, ["a"]])
def test_bad_feature_groups_type(bad):
    with pytest.raises((ValueError, TypeError), match="'feature_groups' parameter .* must be"):
        resolve_feature_groups(["a"], bad)


@pytest.mark.parametrize(
    ("group_score", "expected"), [("mean", [[2, 2], [5, 5]]), ("sum", [[4, 2], [10, 5]])]
)
def test_aggregate_along_axis(group_score, expected):
    values = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    members = [np.array([0, 2]), np.array([1])]
    got = aggregate_importances(values, members, group_score=group_score)
    np.testing.assert_array_equal(got, expected)
    by_rows = aggregate_importances(values.T, members, axis=0, group_score=group_score)
    np.testing.assert_array_equal(by_rows, np.asarray(expected).T)


def test_aggregate_default_is_the_mean():
    values = np.array([0.4, 0.1, 0.2, 0.3])
    members = [np.array([0]), np.array([1, 2, 3])]
    np.testing.assert_allclose(aggregate_importances(values, members), [0.4, 0.2])


@pytest.mark.parametrize("k", [2, 3, 10, 50])
def test_group_mean_of_null_members_does_not_grow_with_the_number_of_levels(k):
    # Under the null a useless categorical's one-hot columns score alike: the same
    # score c repeated k times. A group score must stay the score of one useless column.
    c = 0.37
    values = np.r_[c, np.full(k, c)]  # a useless numeric column, a useless k-level one
    members = [np.array([0]), np.arange(1, k + 1)]
    mean = aggregate_importances(values, members)
    np.testing.assert_allclose(mean, [c, c])
    # The sum, the bias this default removes, grows linearly with k.
    np.testing.assert_allclose(
        aggregate_importances(values, members, group_score="sum"), [c, k * c]
    )


def test_group_mean_of_exchangeable_null_scores_has_the_expectation_of_one_column():
    # Random, exchangeable member scores (many replicates as rows): the group mean's
    # average is a single column's whatever k, while the sum's and the max's grow.
    rng = np.random.RandomState(0)
    single, means, sums, maxima = {}, {}, {}, {}
    for k in (2, 5, 10, 30):
        draws = rng.exponential(size=(4000, k + 1))
        members = [np.array([0]), np.arange(1, k + 1)]
        single[k], means[k] = aggregate_importances(draws, members).mean(axis=0)
        sums[k] = aggregate_importances(draws, members, group_score="sum")[:, 1].mean()
        maxima[k] = draws[:, 1:].max(axis=1).mean()
    for k in means:
        assert means[k] == pytest.approx(single[k], rel=0.05)
        assert sums[k] == pytest.approx(k, rel=0.05)
    assert maxima[30] > 2 * maxima[2]


def test_bad_group_score_is_refused():
    with pytest.raises(ValueError, match="'group_score' parameter"):
        aggregate_importances([1.0, 2.0], [np.array([0, 1])], group_score="max")
    report = pd.DataFrame({"importance": [0.5, 0.5]}, index=["a", "b"])
    with pytest.raises(ValueError, match="'group_score' parameter"):
        grouped_report(report, [np.array([0, 1])], ["g"], group_score="median")


@pytest.mark.parametrize(
    "encoder",
    [OneHotEncoder(), OneHotEncoder(drop="first"), OneHotEncoder(min_frequency=2)],
    ids=["plain", "drop_first", "infrequent"],
)
def test_auto_groups_one_hot_outputs_under_their_input(mixed_frame, encoder):
    ct = make_column_transformer(
        (StandardScaler(), ["age"]), (encoder, ["color", "size"]), remainder="passthrough"
    ).fit(mixed_frame)
    out = list(ct.get_feature_names_out())
    groups = auto_feature_groups(ct, out)
    assert list(groups) == ["age", "color", "size", "height"]
    assert groups["age"] == ["standardscaler__age"]
    assert groups["height"] == ["remainder__height"]
    assert all(c.startswith("onehotencoder__color_") for c in groups["color"])
    assert all(c.startswith("onehotencoder__size_") for c in groups["size"])
    # every output column lands in exactly one group
    assert sorted(sum(groups.values(), [])) == sorted(out)


def test_auto_groups_through_a_pipeline_with_a_scaler_after(mixed_frame):
    ct = ColumnTransformer(
        [("num", "passthrough", ["age", "height"]), ("cat", OneHotEncoder(), ["color"])],
        verbose_feature_names_out=False,
    )
    prep = make_pipeline(ct, StandardScaler()).fit(mixed_frame)
    names, members = resolve_feature_groups(prep.get_feature_names_out(), "auto", preprocessor=prep)
    assert names == ["age", "height", "color"]
    assert [len(m) for m in members] == [1, 1, 3]


def test_auto_needs_a_column_transformer():
    with pytest.raises(ValueError, match="ColumnTransformer"):
        resolve_feature_groups(["a"], "auto", preprocessor=StandardScaler().fit([[1.0]]))
    # Without any preprocessing there is nothing to group.
    assert resolve_feature_groups(["a", "b"], "auto")[0] == ["a", "b"]


def test_grouped_report_sums_and_reranks():
    rng = np.random.RandomState(0)
    H = rng.normal(scale=[[0.1], [0.05], [0.06], [0.01]], size=(30, 4, 3)).cumsum(axis=0)
    report = importance_report(H, feature_names=["a", "b1", "b2", "c"])
    names, members = resolve_feature_groups(report.index, {"b": ["b1", "b2"]})
    grouped = grouped_report(report, members, names, group_score="sum")
    assert list(grouped.index) == ["a", "b", "c"]
    assert list(grouped.columns) == list(report.columns)
    assert grouped.loc["b", "importance"] == pytest.approx(
        report.loc["b1", "importance"] + report.loc["b2", "importance"]
    )
    assert grouped["importance"].sum() == pytest.approx(1.0)
    assert grouped.loc["b", "final_mean_weight"] == pytest.approx(
        report.loc[["b1", "b2"], "final_mean_weight"].mean()
    )
    assert grouped["rank"].tolist() == list(
        grouped["importance"].rank(ascending=False, method="min").astype(int)
    )
    assert grouped["len"].dtype == report["len"].dtype


@pytest.mark.parametrize(("group_score", "b_share"), [("sum", 0.5), ("mean", 0.25 / 0.75)])
def test_grouped_report_keeps_a_missing_method_missing(group_score, b_share):
    report = pd.DataFrame(
        {"importance": [0.5, 0.3, 0.2], "rank": [1, 2, 3], "garson": [np.nan] * 3},
        index=pd.Index(["a", "b1", "b2"], name="feature"),
    )
    names, members = resolve_feature_groups(report.index, {"b": ["b1", "b2"]})
    grouped = grouped_report(report, members, names, group_score=group_score)
    assert grouped["garson"].isna().all()
    assert grouped.loc["b", "importance"] == pytest.approx(b_share)


def test_grouped_report_mean_is_the_rows_mean_renormalised():
    rng = np.random.RandomState(0)
    H = rng.normal(scale=[[0.1], [0.05], [0.06], [0.01]], size=(30, 4, 3)).cumsum(axis=0)
    report = importance_report(H, feature_names=["a", "b1", "b2", "c"])
    names, members = resolve_feature_groups(report.index, {"b": ["b1", "b2"]})
    grouped = grouped_report(report, members, names)  # the default
    assert list(grouped.columns) == list(report.columns)
    b_rows = report.loc[["b1", "b2"]]
    for column in ("weight_std", "viann", "len", "n_degenerate_units", "final_mean_weight"):
        assert grouped.loc["b", column] == pytest.approx(b_rows[column].mean())
    assert grouped.loc["a", "weight_std"] == report.loc["a", "weight_std"]
    # importance: the grouped scores of the report's method, normalised to sum to 1
    expected = grouped["weight_std"] / grouped["weight_std"].sum()
    np.testing.assert_allclose(grouped["importance"], expected)
    assert grouped["rank"].tolist() == list(
        grouped["importance"].rank(ascending=False, method="min").astype(int)
    )


@pytest.mark.parametrize(
    "extra",
    [{}, {"float32": np.ones(3, np.float32)}, {"label": ["x", "y", "z"]}],
    ids=["numpy", "pandas", "text"],
)
def test_grouped_report_keeps_the_notes(extra):
    # Without the notes a grouped report's NaN garson column would say nothing of why.
    report = pd.DataFrame(
        {"importance": [0.5, 0.3, 0.2], "garson": [np.nan] * 3, **extra},
        index=pd.Index(["a", "b1", "b2"], name="feature"),
    )
    report.attrs["notes"] = {"garson": "needs exactly one hidden layer"}
    names, members = resolve_feature_groups(report.index, {"b": ["b1", "b2"]})
    grouped = grouped_report(report, members, names)
    assert grouped.attrs["notes"] == {"garson": "needs exactly one hidden layer"}
    assert list(grouped.columns) == list(report.columns)
    if "label" in extra:  # text has no sum: no value for a group
        assert grouped["label"].isna().all()
    grouped.attrs["notes"]["garson"] = "changed"
    assert report.attrs["notes"]["garson"] == "needs exactly one hidden layer"


def _pandas_row_sums(report, members, names):
    """grouped_report's sums the plain pandas way, the reference for its NumPy sums."""
    rows = []
    for idx in members:
        part = report.iloc[idx]
        row = part.sum(numeric_only=True, min_count=1)
        row["final_mean_weight"] = part["final_mean_weight"].mean()
        rows.append(row)
    grouped = pd.DataFrame(rows, index=pd.Index(names, name=report.index.name))
    for column in report.columns:
        if pd.api.types.is_integer_dtype(report[column]):
            grouped[column] = grouped[column].astype(report[column].dtype)
    return grouped[list(report.columns)]


def test_grouped_report_gives_the_numbers_of_pandas_row_sums():
    rng = np.random.RandomState(0)
    H = rng.normal(scale=0.05, size=(20, 30, 3)).cumsum(axis=0)
    names = [f"f{i}" for i in range(30)]
    report = importance_report(H, feature_names=names, kernels=[H[-1], rng.normal(size=(3, 1))])
    report.loc[["f0", "f1", "f2"], "viann"] = np.nan  # partly missing in group "big"
    # Groups of 1, 2 and 12 members (8 or more are summed pairwise by NumPy and pandas).
    groups = {"pair": ["f3", "f17"], "big": [names[i] for i in (2, 0, 1, *range(20, 29))]}
    group_names, members = resolve_feature_groups(report.index, groups)
    expected = _pandas_row_sums(report, members, group_names)
    expected["rank"] = expected["importance"].rank(ascending=False, method="min").astype(int)
    grouped = grouped_report(report, members, group_names, group_score="sum")
    pd.testing.assert_frame_equal(grouped, expected, check_exact=True)
