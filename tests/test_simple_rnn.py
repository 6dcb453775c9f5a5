"""The numpy SimpleRNN on cases worked by hand. (Against Keras: test_rnn_keras.py and
test_rnn_backends.py; properties: test_rnn_properties.py.)"""

import math

import numpy as np

from lstm_utils import simple_rnn_forward, simple_rnn_step


def test_two_steps_worked_on_paper():
    # tanh(ln 2) = 3/5. One unit, x = (1, 0), kernel ln 2, recurrent 5 ln 2 / 3:
    #   h1 = tanh(ln 2 * 1 + 0)           = 3/5
    #   h2 = tanh(0 + (5 ln 2 / 3) * 3/5) = tanh(ln 2) = 3/5
    kernel, recurrent = np.array([[math.log(2)]]), np.array([[5 * math.log(2) / 3]])
    seq = simple_rnn_forward(
        np.array([[[1.0], [0.0]]]), kernel, recurrent, None, return_sequences=True
    )
    np.testing.assert_allclose(seq, [[[3 / 5], [3 / 5]]], rtol=0, atol=1e-15)


def test_one_step_of_two_units_by_hand():
    # h = tanh(x @ kernel + bias + h_prev @ recurrent): every unit sees every unit
    x, h_prev = np.array([0.5, -1.0]), np.array([0.2, 0.4])
    kernel = np.array([[1.0, -2.0], [0.5, 0.25]])
    recurrent = np.array([[0.3, 0.0], [-1.0, 2.0]])
    bias = np.array([0.1, -0.1])
    want = [
        math.tanh(0.5 * 1.0 - 1.0 * 0.5 + 0.1 + 0.2 * 0.3 + 0.4 * -1.0),
        math.tanh(0.5 * -2.0 - 1.0 * 0.25 - 0.1 + 0.2 * 0.0 + 0.4 * 2.0),
    ]
    np.testing.assert_allclose(
        simple_rnn_step(x, h_prev, kernel, recurrent, bias), want, rtol=0, atol=1e-15
    )


def test_zero_weights_give_tanh_of_the_bias_at_every_step():
    bias = np.array([0.5, -2.0, 0.0])
    seq = simple_rnn_forward(
        np.ones((2, 4, 3)),
        np.zeros((3, 3)),
        np.zeros((3, 3)),
        bias,
        return_sequences=True,
    )
    np.testing.assert_array_equal(seq, np.broadcast_to(np.tanh(bias), (2, 4, 3)))
