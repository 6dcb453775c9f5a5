import pytest
from hypothesis import given, settings, strategies as st

from lstm_utils import count_params
from conftest import random_lstm


@pytest.mark.parametrize(
    "units, features, use_bias, expected",
    [
        # worked by hand: 4 gates x units x (features + units + 1)
        (1, 1, True, 4 * 1 * 3),      # 12, chapter 1
        (1, 2, True, 4 * 1 * 4),      # 16, chapter 2
        (3, 2, True, 4 * 3 * 6),      # 72, chapter 3
        (32, 64, True, 4 * 32 * 97),  # 12,416
        (10, 5, True, 4 * 10 * 16),   # 640
        (3, 2, False, 4 * 3 * 5),     # no bias: 60
    ],
)
def test_hand_counted_cases(units, features, use_bias, expected):
    assert count_params(units, features, use_bias=use_bias) == expected


@settings(max_examples=15, deadline=None)
@given(units=st.integers(1, 9), features=st.integers(1, 9), use_bias=st.booleans(),
       t1=st.integers(1, 50), t2=st.integers(1, 50))
@pytest.mark.keras
def test_matches_keras_and_ignores_timesteps(units, features, use_bias, t1, t2):
    import keras

    counts = []
    for timesteps in (t1, t2):
        model = keras.Sequential([keras.Input((timesteps, features)), keras.layers.LSTM(units, use_bias=use_bias)])
        counts.append(model.count_params())
    assert counts[0] == counts[1] == count_params(units, features, use_bias=use_bias)


@settings(max_examples=50, deadline=None)
@given(units=st.integers(1, 200), features=st.integers(1, 200))
def test_grows_by_four_units_per_feature(units, features):
    assert count_params(units, features + 1) - count_params(units, features) == 4 * units


@pytest.mark.parametrize(
    "args, error, message",
    [
        ((0, 3), ValueError, r"units must be a positive integer \(at least 1\), got 0"),
        ((-2, 3), ValueError, r"units .* got -2"),
        ((3, 0), ValueError, r"features .* got 0"),
        ((2.5, 3), TypeError, r"units must be a positive integer, got 2.5 \(float\)"),
        ((True, 3), TypeError, r"units must be a positive integer, got True \(bool\)"),
        (("3", 3), TypeError, r"units must be a positive integer, got '3' \(str\)"),
    ],
)
def test_bad_sizes_are_refused(args, error, message):
    with pytest.raises(error, match=message):
        count_params(*args)


def test_use_bias_must_be_a_bool():
    with pytest.raises(TypeError, match="use_bias must be True or False, got 'no'"):
        count_params(3, 2, use_bias="no")


@pytest.mark.keras
def test_keras_layer_agrees_on_a_built_layer():
    layer = random_lstm(4, 7, seed=1)
    assert layer.count_params() == count_params(4, 7)
