import numpy as np
import pytest

from lstm_utils import GATE_ORDER, lstm_weights, split_gates
from conftest import random_lstm


def test_order_is_keras_order():
    assert GATE_ORDER == ("i", "f", "c", "o")


def test_splits_a_bias_into_blocks_of_units():
    blocks = split_gates(np.arange(8))
    assert list(blocks) == ["i", "f", "c", "o"]
    np.testing.assert_array_equal(blocks["i"], [0, 1])
    np.testing.assert_array_equal(blocks["f"], [2, 3])
    np.testing.assert_array_equal(blocks["c"], [4, 5])
    np.testing.assert_array_equal(blocks["o"], [6, 7])


def test_splits_the_last_axis_of_a_matrix():
    kernel = np.arange(2 * 12).reshape(2, 12)
    blocks = split_gates(kernel)
    assert all(b.shape == (2, 3) for b in blocks.values())
    np.testing.assert_array_equal(blocks["f"], [[3, 4, 5], [15, 16, 17]])


def test_blocks_put_back_together_give_the_array():
    a = np.random.default_rng(0).normal(size=(3, 5, 20))
    np.testing.assert_array_equal(np.concatenate([split_gates(a)[g] for g in GATE_ORDER], axis=-1), a)


@pytest.mark.keras
def test_forget_block_of_a_fresh_keras_layer_is_the_ones():
    # unit_forget_bias=True: Keras initialises the bias as [0]*u + [1]*u + [0]*u + [0]*u
    import keras

    layer = keras.layers.LSTM(5)
    layer.build((None, 3, 2))
    blocks = split_gates(lstm_weights(layer)[2])
    np.testing.assert_array_equal(blocks["f"], np.ones(5))
    for gate in "ico":
        np.testing.assert_array_equal(blocks[gate], np.zeros(5))


@pytest.mark.parametrize(
    "value, error, message",
    [
        (np.arange(6), ValueError, r"multiple of 4\), got shape \(6,\)"),
        (np.zeros((2, 0)), ValueError, r"got shape \(2, 0\)"),
        (np.float64(3.0), ValueError, "got a scalar"),
        (None, TypeError, "got None"),
    ],
)
def test_bad_arrays_are_refused(value, error, message):
    with pytest.raises(error, match=message):
        split_gates(value)


@pytest.mark.keras
def test_layer_blocks_are_units_wide():
    kernel, recurrent, bias = lstm_weights(random_lstm(3, 2, seed=0))
    assert {g: b.shape for g, b in split_gates(kernel).items()} == dict.fromkeys("ifco", (2, 3))
    assert {g: b.shape for g, b in split_gates(recurrent).items()} == dict.fromkeys("ifco", (3, 3))
