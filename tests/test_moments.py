import numpy as np
import pytest

from skweightimp.importance import WeightMoments, barrage_metrics, importance_report, weight_std


def _random_walk(seed=0, shape=(40, 3, 5)):
    rng = np.random.RandomState(seed)
    return rng.normal(scale=0.05, size=shape).cumsum(axis=0) + rng.normal(size=shape[1:])


def _streamed(history):
    moments = WeightMoments(history.shape[1:])
    for snapshot in history:
        moments.update(snapshot)
    return moments


def test_streaming_update_matches_two_pass_summary():
    H = _random_walk()
    streamed, stored = _streamed(H), WeightMoments.from_history(H)
    assert streamed.count == stored.count == len(H)
    for name in ("mean", "m2", "first", "last", "min", "max"):
        np.testing.assert_allclose(getattr(streamed, name), getattr(stored, name), atol=1e-12)
    np.testing.assert_allclose(streamed.std(ddof=0), H.std(axis=0), atol=1e-12)


def test_report_from_summary_equals_report_from_history():
    H = _random_walk(1)
    names = ["a", "b", "c"]
    from_history = importance_report(H, feature_names=names, domain=(-3, 3))
    from_summary = importance_report(_streamed(H), feature_names=names, domain=(-3, 3))
    # Same columns, same dtypes, numbers equal to float tolerance.
    assert list(from_summary.columns) == list(from_history.columns)
    np.testing.assert_allclose(from_summary.to_numpy(float), from_history.to_numpy(float))


def test_one_snapshot_has_no_spread():
    moments = WeightMoments((2, 3)).update(np.ones((2, 3)))
    np.testing.assert_array_equal(moments.std(), np.zeros((2, 3)))
    np.testing.assert_array_equal(weight_std(moments), np.zeros((2, 3)))


def test_constant_weight_never_gets_negative_variance():
    moments = WeightMoments((1, 1))
    for _ in range(1000):
        moments.update(np.array([[0.1]]))
    assert moments.std()[0, 0] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("shape", [(3,), (2, 3, 4)])
def test_shape_must_be_two_dimensional(shape):
    with pytest.raises(ValueError, match="n_features, n_units"):
        WeightMoments(shape)


def test_snapshot_of_wrong_shape_is_refused():
    with pytest.raises(ValueError, match=r"expected \(2, 3\)"):
        WeightMoments((2, 3)).update(np.zeros((3, 2)))


def test_empty_summary_is_refused_by_the_formulas():
    with pytest.raises(ValueError, match="no snapshot"):
        barrage_metrics(WeightMoments((2, 3)))


def test_diverged_summary_is_refused():
    moments = WeightMoments((1, 2)).update(np.array([[np.nan, 0.0]]))
    with pytest.raises(ValueError, match="diverged"):
        weight_std(moments)


@pytest.mark.parametrize("bad", [np.zeros((0, 2, 3)), np.zeros((2, 3))])
def test_from_history_refuses_bad_shapes(bad):
    with pytest.raises(ValueError, match="non-empty"):
        WeightMoments.from_history(bad)


def test_merging_consecutive_runs_equals_summary_of_the_whole():
    H = _random_walk(2, shape=(53, 3, 4))
    whole = WeightMoments.from_history(H)
    merged = WeightMoments(H.shape[1:])
    for start, stop in [(0, 1), (1, 20), (20, 21), (21, 53)]:
        merged.merge(WeightMoments.from_history(H[start:stop]))
    assert merged.count == whole.count
    for name in ("mean", "m2", "first", "last", "min", "max"):
        np.testing.assert_allclose(getattr(merged, name), getattr(whole, name), rtol=1e-10)


def test_merge_does_not_alias_the_merged_summary():
    other = WeightMoments.from_history(_random_walk(3, shape=(5, 2, 2)))
    merged = WeightMoments((2, 2)).merge(other)
    merged.merge(WeightMoments.from_history(_random_walk(4, shape=(5, 2, 2))))
    assert other.count == 5
    np.testing.assert_array_equal(other.max, _random_walk(3, shape=(5, 2, 2)).max(axis=0))


def test_merge_refuses_other_shapes():
    with pytest.raises(ValueError, match="cannot merge shape"):
        WeightMoments((2, 2)).merge(WeightMoments((2, 3)))


def test_summary_is_computed_in_small_blocks_of_float32_history(monkeypatch):
    from skweightimp.importance import _moments as moments_module

    H = _random_walk(5, shape=(30, 7, 3)).astype(np.float32)
    whole = WeightMoments.from_history(H)
    monkeypatch.setattr(moments_module, "_CHUNK_VALUES", 100)  # 1 feature per block
    blocked = WeightMoments.from_history(H)
    for name in ("mean", "m2", "min", "max"):
        np.testing.assert_allclose(getattr(blocked, name), getattr(whole, name), rtol=1e-12)
    np.testing.assert_allclose(blocked.std(), H.astype(np.float64).std(axis=0, ddof=1))
