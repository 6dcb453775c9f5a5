"""rnn_weights: a GRU's or SimpleRNN's three arrays, and a refusal, by name, of every
layer whose answer the numpy functions would not give."""

import numpy as np
import pytest

from lstm_utils import rnn_weights
from rnn_helpers import random_rnn

pytestmark = pytest.mark.keras


@pytest.mark.parametrize(
    "kind, reset_after, shapes",
    [
        ("gru", True, [(2, 9), (3, 9), (2, 9)]),
        ("gru", False, [(2, 9), (3, 9), (9,)]),
        ("simple_rnn", True, [(2, 3), (3, 3), (3,)]),
    ],
)
def test_the_cell_variables_as_numpy_copies_in_get_weights_order(
    kind, reset_after, shapes
):
    options = {"reset_after": reset_after} if kind == "gru" else {}
    layer = random_rnn(kind, 3, 2, seed=5, **options)
    got = rnn_weights(layer, reset_after=reset_after)
    assert [a.shape for a in got] == shapes
    for a, want in zip(got, layer.get_weights()):
        assert isinstance(a, np.ndarray)
        np.testing.assert_array_equal(a, want)
    got[0][:] = 0  # a copy: changing it leaves the layer alone
    assert np.abs(layer.get_weights()[0]).sum() > 0


@pytest.mark.parametrize("kind", ["gru", "simple_rnn"])
def test_bias_is_none_without_bias_and_float64_stays_float64(kind):
    kernel, recurrent, bias = rnn_weights(
        random_rnn(kind, 2, 3, seed=7, use_bias=False, dtype="float64")
    )
    assert bias is None and kernel.dtype == recurrent.dtype == np.float64


def test_cells_and_rnn_around_a_cell_work_too():
    import keras

    cell = keras.layers.GRUCell(4)
    cell.build((None, 3))
    assert [a.shape for a in rnn_weights(cell)] == [(3, 12), (4, 12), (2, 12)]
    layer = keras.layers.RNN(keras.layers.SimpleRNNCell(2))
    layer.build((None, None, 5))
    assert [a.shape for a in rnn_weights(layer)] == [(5, 2), (2, 2), (2,)]


def test_a_bidirectional_layers_two_directions_are_read_one_at_a_time():
    import keras

    bi = keras.layers.Bidirectional(keras.layers.GRU(3))
    bi.build((None, 4, 2))
    with pytest.raises(
        TypeError, match="pass layer.forward_layer and layer.backward_layer"
    ):
        rnn_weights(bi)
    assert rnn_weights(bi.backward_layer)[0].shape == (2, 9)


def test_dropout_is_refused_only_for_training():
    layer = random_rnn("gru", 3, 2, seed=1, dropout=0.2, recurrent_dropout=0.1)
    assert rnn_weights(layer)[0].shape == (2, 9)  # predict: dropout does nothing
    with pytest.raises(
        ValueError,
        match=r"dropout=0.2 and recurrent_dropout=0.1: in "
        r"training .* read with training=False",
    ):
        rnn_weights(layer, training=True)
    assert rnn_weights(random_rnn("gru", 3, 2, seed=1), training=True)[0].shape == (
        2,
        9,
    )


@pytest.mark.parametrize(
    "kind, options, message",
    [
        (
            "gru",
            {"activation": "relu"},
            r"has activation='relu'; the numpy GRU computes activation='tanh'",
        ),
        (
            "gru",
            {"recurrent_activation": "hard_sigmoid"},
            r"has recurrent_activation='hard_sigmoid'; .* computes "
            r"recurrent_activation='sigmoid'",
        ),
        (
            "simple_rnn",
            {"activation": None},
            r"has activation='linear'; the numpy SimpleRNN computes activation='tanh'",
        ),
        (
            "gru",
            {"reset_after": False},
            r"was made with reset_after=False, and reset_after=True was asked for: "
            r"pass "
            r"reset_after=False here and to gru_forward",
        ),
        (
            "gru",
            {"dtype": "mixed_float16"},
            r"dtype policy 'mixed_float16': it computes in float16 with float32 "
            r"weights",
        ),
    ],
)
def test_what_the_numpy_functions_would_not_reproduce_is_refused(
    kind, options, message
):
    import keras

    layer = getattr(keras.layers, {"gru": "GRU", "simple_rnn": "SimpleRNN"}[kind])(
        3, name="mine", **options
    )
    layer.build((None, None, 2))
    with pytest.raises(
        ValueError, match=rf"the (layer|GRU) 'mine' .*{message}|{message}"
    ):
        rnn_weights(layer)


def test_reset_after_mismatch_without_bias_is_caught_though_the_shapes_agree():
    # without a bias the two forms have the same shapes: only the layer can tell
    layer = random_rnn("gru", 3, 2, seed=2, reset_after=False, use_bias=False)
    with pytest.raises(ValueError, match="reset_after=False"):
        rnn_weights(layer)
    assert rnn_weights(layer, reset_after=False)[2] is None
    with pytest.raises(ValueError, match="a SimpleRNN has no reset gate"):
        rnn_weights(random_rnn("simple_rnn", 3, 2, seed=2), reset_after=False)


def test_an_unbuilt_layer_is_explained():
    import keras

    with pytest.raises(ValueError, match="'fresh' has no weights yet.*keras.Input"):
        rnn_weights(keras.layers.GRU(3, name="fresh"))


@pytest.mark.parametrize(
    "thing, message",
    [
        ("LSTM", "for an LSTM use lstm_utils.lstm_weights"),
        ("LSTMCell", "for an LSTM use lstm_utils.lstm_weights"),
        ("RNN-LSTMCell", "for an LSTM use lstm_utils.lstm_weights"),
        ("Dense", r"expects a keras.layers.GRU or SimpleRNN .* got Dense$"),
        ("gru", r"got str$"),
        (None, r"got NoneType$"),
    ],
)
def test_other_things_are_refused(thing, message):
    import keras

    if thing == "RNN-LSTMCell":
        thing = keras.layers.RNN(keras.layers.LSTMCell(2))
    elif thing in ("LSTM", "LSTMCell", "Dense"):
        thing = getattr(keras.layers, thing)(2)
    with pytest.raises(TypeError, match=message):
        rnn_weights(thing)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"reset_after": 1}, "reset_after must be"),
        ({"training": "no"}, "training must be"),
    ],
)
def test_flags_must_be_bools(kwargs, message):
    with pytest.raises(TypeError, match=message):
        rnn_weights(random_rnn("gru", 2, 2, seed=0), **kwargs)
