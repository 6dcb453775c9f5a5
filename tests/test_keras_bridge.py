"""lstm_weights: the cell's three arrays from a Keras layer, and clear errors for anything else."""

import numpy as np
import pytest

from lstm_utils import lstm_weights
from conftest import random_lstm

pytestmark = pytest.mark.keras


def test_returns_the_cell_variables_as_numpy_copies():
    layer = random_lstm(3, 2, seed=5)
    kernel, recurrent, bias = lstm_weights(layer)
    assert (kernel.shape, recurrent.shape, bias.shape) == ((2, 12), (3, 12), (12,))
    for got, var in zip((kernel, recurrent, bias), (layer.cell.kernel, layer.cell.recurrent_kernel, layer.cell.bias)):
        assert isinstance(got, np.ndarray)
        np.testing.assert_array_equal(got, var.numpy())
    kernel[:] = 0                                 # a copy: changing it leaves the layer alone
    assert np.abs(layer.cell.kernel.numpy()).sum() > 0


def test_same_order_as_get_weights():
    layer = random_lstm(2, 4, seed=6)
    for got, want in zip(lstm_weights(layer), layer.get_weights()):
        np.testing.assert_array_equal(got, want)


def test_bias_is_none_without_bias():
    kernel, recurrent, bias = lstm_weights(random_lstm(2, 3, seed=7, use_bias=False))
    assert bias is None and kernel.shape == (3, 8) and recurrent.shape == (2, 8)


def test_a_cell_works_too():
    import keras

    cell = keras.layers.LSTMCell(4)
    cell.build((None, 3))
    assert [a.shape for a in lstm_weights(cell)] == [(3, 16), (4, 16), (16,)]


def test_float64_layer_gives_float64():
    assert {a.dtype for a in lstm_weights(random_lstm(2, 2, seed=8, dtype="float64"))} == {np.dtype("float64")}


def test_an_unbuilt_layer_is_explained():
    import keras

    with pytest.raises(ValueError, match="has no weights yet.*keras.Input"):
        lstm_weights(keras.layers.LSTM(3, name="fresh"))


@pytest.mark.parametrize("thing", ["Dense", "GRU", "lstm", None])
def test_other_things_are_refused(thing):
    import keras

    if thing in ("Dense", "GRU"):
        thing = getattr(keras.layers, thing)(2)
    with pytest.raises(TypeError, match="expects a keras.layers.LSTM \\(or LSTMCell\\), got"):
        lstm_weights(thing)


@pytest.mark.parametrize("option, value, message", [
    ("activation", "relu", r"activation='relu', but lstm_forward computes only Keras's default 'tanh'"),
    ("recurrent_activation", "hard_sigmoid", r"recurrent_activation='hard_sigmoid'.*'sigmoid'"),
])
def test_options_lstm_forward_does_not_compute_are_refused(option, value, message):
    with pytest.raises(ValueError, match=message):
        lstm_weights(random_lstm(2, 3, seed=9, **{option: value}))


def test_go_backwards_must_be_acknowledged():
    layer = random_lstm(2, 3, seed=10, go_backwards=True)
    with pytest.raises(ValueError, match=r"reads its steps backwards.*lu.lstm_weights\(layer, go_backwards=True\)"):
        lstm_weights(layer)
    kernel, _, _ = lstm_weights(layer, go_backwards=True)
    assert kernel.shape == (3, 8)
    with pytest.raises(ValueError, match="reads its steps forwards"):
        lstm_weights(random_lstm(2, 3, seed=10), go_backwards=True)


def test_a_bidirectional_layer_is_explained():
    import keras

    layer = keras.layers.Bidirectional(keras.layers.LSTM(2))
    layer.build((None, 4, 3))
    with pytest.raises(TypeError, match="forward_layer and layer.backward_layer"):
        lstm_weights(layer)
