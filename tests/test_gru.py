"""The numpy GRU on cases worked by hand, and its gate blocks. (Against Keras:
test_rnn_keras.py and test_rnn_backends.py; properties: test_rnn_properties.py.)"""

import math

import numpy as np
import pytest

from lstm_utils import GRU_GATE_ORDER, gru_forward, gru_step, split_gru_gates


def _gru_weights(z, r, h, *, recurrent_bias=(0.0, 0.0, 0.0)):
    """One unit, one feature: each gate's (kernel, recurrent kernel, input bias)."""
    kernel = np.array([[z[0], r[0], h[0]]])
    recurrent = np.array([[z[1], r[1], h[1]]])
    bias = np.array([[z[2], r[2], h[2]], list(recurrent_bias)])
    return kernel, recurrent, bias


# On paper: sigmoid(ln 3) = 3/4, tanh(ln 2) = 3/5. One unit, x = 1, h_prev = 1/2:
#   z = sigmoid(ln 3 * 1) = 3/4
#   r = sigmoid(0) = 1/2
#   candidate = tanh((ln 2 - 1/2) * 1 + r * (2 * 1/2)) = tanh(ln 2) = 3/5
#   h = z * h_prev + (1 - z) * candidate = 3/8 + 3/20 = 21/40
PAPER = _gru_weights(
    z=(math.log(3), 0.0, 0.0), r=(0.0, 0.0, 0.0), h=(math.log(2) - 0.5, 2.0, 0.0)
)


def test_one_unit_one_step_worked_on_paper():
    h, gates = gru_step(np.array([1.0]), np.array([0.5]), *PAPER)
    np.testing.assert_allclose(h, [21 / 40], rtol=0, atol=1e-15)
    np.testing.assert_allclose(
        [gates[g][0] for g in "zrh"], [3 / 4, 1 / 2, 3 / 5], rtol=0, atol=1e-15
    )


def test_without_a_recurrent_bias_one_unit_gives_the_same_in_both_forms():
    # with one unit, (r * h) @ u = r * (h @ u): reset before or after the product agree
    kernel, recurrent, bias = PAPER
    h, _ = gru_step(
        np.array([1.0]), np.array([0.5]), kernel, recurrent, bias[0], reset_after=False
    )
    np.testing.assert_allclose(h, [21 / 40], rtol=0, atol=1e-15)


def test_two_steps_by_hand_with_math():
    kernel, recurrent, bias = PAPER
    x = [1.0, -0.4]
    h = 0.5
    for x_t in x:
        z = 1 / (1 + math.exp(-(kernel[0, 0] * x_t + recurrent[0, 0] * h + bias[0, 0])))
        r = 1 / (1 + math.exp(-(kernel[0, 1] * x_t + recurrent[0, 1] * h + bias[0, 1])))
        g = math.tanh(kernel[0, 2] * x_t + bias[0, 2] + r * (recurrent[0, 2] * h))
        h = z * h + (1 - z) * g
    got = gru_forward(
        np.array(x).reshape(1, 2, 1), *PAPER, initial_state=np.array([[0.5]])
    )
    np.testing.assert_allclose(got, [[h]], rtol=0, atol=1e-15)


def test_where_the_reset_gate_acts_matters_with_two_units():
    # r = (1, 0) (biases of +-30), z = 0 (bias -30) so h is the candidate, and the
    # recurrent weights of the candidate swap the two units:
    #   reset_after=True:  r * (h_prev @ swap) = (1, 0) * (b, a) = (b, 0)
    #   reset_after=False: (r * h_prev) @ swap = (a, 0) @ swap = (0, a)
    a, b = 0.3, -0.8
    kernel = np.zeros((1, 6))
    swap = np.array([[0.0, 1.0], [1.0, 0.0]])
    recurrent = np.concatenate([np.zeros((2, 4)), swap], axis=1)
    input_bias = np.array([-30.0, -30.0, 30.0, -30.0, 0.0, 0.0])
    h_prev = np.array([a, b])
    after, _ = gru_step(
        np.zeros(1), h_prev, kernel, recurrent, np.stack([input_bias, np.zeros(6)])
    )
    before, _ = gru_step(
        np.zeros(1), h_prev, kernel, recurrent, input_bias, reset_after=False
    )
    np.testing.assert_allclose(after, np.tanh([b, 0.0]), rtol=0, atol=1e-12)
    np.testing.assert_allclose(before, np.tanh([0.0, a]), rtol=0, atol=1e-12)


def test_the_recurrent_bias_sits_inside_the_reset_gate():
    # reset_after=True: candidate = tanh(x w + b_in + r * (h u + b_rec)); with r = 1/2
    kernel, recurrent, bias = PAPER
    bias = bias.copy()
    bias[1, 2] = 0.6  # recurrent bias of the candidate
    _, gates = gru_step(np.array([1.0]), np.array([0.5]), kernel, recurrent, bias)
    np.testing.assert_allclose(
        gates["h"], [math.tanh(math.log(2) + 0.5 * 0.6)], rtol=0, atol=1e-15
    )


def test_an_update_gate_of_one_keeps_the_state():
    rng = np.random.default_rng(1)
    kernel, recurrent = rng.normal(size=(2, 9)), rng.normal(size=(3, 9))
    bias = np.zeros((2, 9))
    bias[0, :3] = 40.0  # z = 1 whatever the input
    h0 = rng.uniform(-1, 1, size=(2, 3))
    out = gru_forward(
        rng.normal(size=(2, 5, 2)),
        kernel,
        recurrent,
        bias,
        initial_state=h0,
        return_sequences=True,
    )
    np.testing.assert_allclose(
        out, np.repeat(h0[:, None], 5, axis=1), rtol=0, atol=1e-12
    )


def test_a_step_of_one_sample_or_a_batch_agree():
    rng = np.random.default_rng(2)
    kernel, recurrent, bias = rng.normal(size=(2, 9)), rng.normal(size=(3, 9)), None
    x, h = rng.normal(size=(4, 2)), rng.normal(size=(4, 3))
    batch, _ = gru_step(x, h, kernel, recurrent, bias)
    for n in range(4):
        one, _ = gru_step(x[n], h[n], kernel, recurrent, bias)
        np.testing.assert_allclose(one, batch[n], rtol=0, atol=1e-15)


# ----- gate blocks ------------------------------------------------------------------


def test_order_is_keras_order():
    assert GRU_GATE_ORDER == ("z", "r", "h")


def test_splits_a_bias_into_blocks_of_units():
    blocks = split_gru_gates(np.arange(6))
    assert list(blocks) == ["z", "r", "h"]
    for gate, want in zip("zrh", ([0, 1], [2, 3], [4, 5])):
        np.testing.assert_array_equal(blocks[gate], want)


def test_splits_both_rows_of_a_reset_after_bias():
    blocks = split_gru_gates(np.arange(12).reshape(2, 6))
    np.testing.assert_array_equal(blocks["r"], [[2, 3], [8, 9]])


def test_blocks_put_back_together_give_the_array():
    a = np.random.default_rng(0).normal(size=(3, 5, 12))
    blocks = split_gru_gates(a)
    np.testing.assert_array_equal(
        np.concatenate([blocks[g] for g in GRU_GATE_ORDER], -1), a
    )


@pytest.mark.parametrize(
    "value, error, message",
    [
        (
            np.arange(8),
            ValueError,
            r"multiple of 3\), got shape \(8,\) \(4\*units: an LSTM",
        ),
        (np.arange(7), ValueError, r"multiple of 3\), got shape \(7,\)$"),
        (np.zeros((2, 0)), ValueError, r"got shape \(2, 0\)"),
        (np.float64(3.0), ValueError, "got a scalar"),
        (None, TypeError, "got None"),
    ],
)
def test_bad_arrays_are_refused(value, error, message):
    with pytest.raises(error, match=message):
        split_gru_gates(value)
