"""sliding_windows and stateful_batches against hand-made layouts, Keras's own windowing, and properties."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lstm_utils.series import sliding_windows, stateful_batches


def test_windows_by_hand():
    got = sliding_windows(np.array([10.0, 11, 12, 13]), 2)
    assert got.shape == (3, 2, 1)
    np.testing.assert_array_equal(got[:, :, 0], [[10, 11], [11, 12], [12, 13]])
    np.testing.assert_array_equal(sliding_windows(np.arange(7.0), 3, stride=2)[:, :, 0],
                                  [[0, 1, 2], [2, 3, 4], [4, 5, 6]])


def test_windows_are_copies():
    w = sliding_windows(np.arange(5.0), 3)
    w[0, 1, 0] = 99
    assert w[1, 0, 0] == 1.0


@pytest.mark.keras
@pytest.mark.parametrize("features, timesteps, stride", [(1, 3, 1), (2, 4, 1), (3, 5, 2)])
def test_windows_equal_keras_timeseries_dataset(features, timesteps, stride):
    import keras

    series = np.random.default_rng(features).normal(size=(20, features)).astype("float32")
    ds = keras.utils.timeseries_dataset_from_array(series, None, sequence_length=timesteps,
                                                   sequence_stride=stride, batch_size=1000, shuffle=False)
    want = np.concatenate([keras.ops.convert_to_numpy(b) for b in ds])
    np.testing.assert_array_equal(sliding_windows(series, timesteps, stride=stride), want)


def test_stateful_layout_by_hand():
    # 12 steps, 2 streams of 6 (0..5 and 6..11), chunks of 3: batch 0 = (0,1,2 | 6,7,8), batch 1 = (3,4,5 | 9,10,11)
    got = stateful_batches(np.arange(12.0), batch_size=2, timesteps=3)
    np.testing.assert_array_equal(got[:, :, 0], [[0, 1, 2], [6, 7, 8], [3, 4, 5], [9, 10, 11]])


@settings(max_examples=60, deadline=None)
@given(steps=st.integers(1, 60), batch=st.integers(1, 5), timesteps=st.integers(1, 7), features=st.integers(1, 3))
def test_row_n_of_every_batch_continues_row_n(steps, batch, timesteps, features):
    series = np.arange(steps * features, dtype=float).reshape(steps, features)
    if steps // batch // timesteps == 0:
        with pytest.raises(ValueError, match="cannot fill"):
            stateful_batches(series, batch, timesteps)
        return
    x = stateful_batches(series, batch, timesteps)
    chunks = x.shape[0] // batch
    assert x.shape == (chunks * batch, timesteps, features)
    per_stream = steps // batch
    for n in range(batch):
        stream = np.concatenate([x[k * batch + n] for k in range(chunks)])      # row n, batch after batch
        np.testing.assert_array_equal(stream, series[n * per_stream:n * per_stream + chunks * timesteps])


@pytest.mark.parametrize("call, error, message", [
    (lambda: sliding_windows(np.zeros((2, 2, 2)), 1), ValueError, r"series must be 1-D .* got shape \(2, 2, 2\)"),
    (lambda: sliding_windows(np.zeros(3), 4), ValueError, "longer than the series"),
    (lambda: sliding_windows(np.zeros(3), 0), ValueError, "timesteps must be a positive integer"),
    (lambda: sliding_windows(np.array([1.0, np.nan]), 1), ValueError, "series must hold finite numbers"),
    (lambda: stateful_batches(np.zeros(5), 2.0, 2), TypeError, "batch_size must be a positive integer"),
    (lambda: stateful_batches(None, 2, 2), TypeError, "series must be an array, got None"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
