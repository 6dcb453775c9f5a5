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


# ----- GRU and SimpleRNN (cell=), and Bidirectional ---------------------------------

@pytest.mark.parametrize(
    "units, features, use_bias, cell, reset_after, expected",
    [
        # worked by hand: gates x units x (features + units + biases per gate)
        (3, 2, True, "gru", True, 3 * 3 * (2 + 3 + 2)),      # 63: input, recurrent bias
        (3, 2, True, "gru", False, 3 * 3 * (2 + 3 + 1)),     # 54
        (3, 2, False, "gru", True, 3 * 3 * (2 + 3)),         # 45: no bias, either form
        (3, 2, False, "gru", False, 3 * 3 * (2 + 3)),
        (3, 2, True, "simple_rnn", True, 1 * 3 * (2 + 3 + 1)),  # 18: no gates
        (3, 2, False, "simple_rnn", True, 3 * (2 + 3)),      # 15
        (3, 2, True, "lstm", True, 4 * 3 * (2 + 3 + 1)),     # 72, as before
    ],
)
def test_hand_counted_gru_and_simple_rnn(units, features, use_bias, cell, reset_after,
                                         expected):
    assert count_params(units, features, use_bias, cell=cell,
                        reset_after=reset_after) == expected


def test_bidirectional_is_two_layers():
    # Bidirectional(LSTM(3)) on 2 features: a forward and a backward LSTM(3), 72 each
    assert 2 * count_params(3, 2) == 144


@pytest.mark.keras
def test_gru_simple_rnn_and_bidirectional_match_keras():
    import keras

    def keras_count(layer, features=2, timesteps=5):
        model = keras.Sequential([keras.Input((timesteps, features)), layer])
        return model.count_params()

    assert keras_count(keras.layers.GRU(3)) == count_params(3, 2, cell="gru") == 63
    assert keras_count(keras.layers.GRU(3, reset_after=False)) == 54
    assert count_params(3, 2, cell="gru", reset_after=False) == 54
    assert keras_count(keras.layers.SimpleRNN(3)) == 18
    assert count_params(3, 2, cell="simple_rnn") == 18
    assert keras_count(keras.layers.Bidirectional(keras.layers.LSTM(3))) == 144
    assert keras_count(keras.layers.Bidirectional(keras.layers.GRU(4)), features=3) == (
        2 * count_params(4, 3, cell="gru"))


@settings(max_examples=12, deadline=None)
@given(units=st.integers(1, 9), features=st.integers(1, 9), use_bias=st.booleans(),
       reset_after=st.booleans(), timesteps=st.integers(1, 40))
@pytest.mark.keras
def test_gru_and_simple_rnn_match_keras_and_ignore_timesteps(units, features, use_bias,
                                                             reset_after, timesteps):
    import keras

    for cell, layer in (
        ("gru", keras.layers.GRU(units, use_bias=use_bias, reset_after=reset_after)),
        ("simple_rnn", keras.layers.SimpleRNN(units, use_bias=use_bias)),
    ):
        model = keras.Sequential([keras.Input((timesteps, features)), layer])
        options = {"reset_after": reset_after} if cell == "gru" else {}
        want = count_params(units, features, use_bias, cell=cell, **options)
        assert model.count_params() == want


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"cell": "GRU"}, ValueError,
         r"cell must be one of 'lstm', 'gru', 'simple_rnn', got 'GRU'"),
        ({"cell": None}, ValueError, "cell must be one of .* got None"),
        ({"cell": "gru", "reset_after": 1}, TypeError,
         "reset_after must be True or False, got 1"),
        ({"cell": "lstm", "reset_after": False}, ValueError,
         r"reset_after=False is a GRU option; cell='lstm' has no reset gate"),
        ({"cell": "simple_rnn", "reset_after": False}, ValueError, "no reset gate"),
    ],
)
def test_bad_cells_are_refused(kwargs, error, message):
    with pytest.raises(error, match=message):
        count_params(3, 2, **kwargs)
