"""Bad input to gru_forward, simple_rnn_forward and their steps gets a ValueError or
TypeError saying what was expected and what arrived; other cells' weights are named."""

import numpy as np
import pytest

from lstm_utils import gru_forward, gru_step, simple_rnn_forward, simple_rnn_step

B, T, F, U = 4, 3, 2, 3
rng = np.random.default_rng(0)
X = rng.normal(size=(B, T, F))
GRU = {
    "kernel": rng.normal(size=(F, 3 * U)),
    "recurrent_kernel": rng.normal(size=(U, 3 * U)),
    "bias": rng.normal(size=(2, 3 * U)),
}
RNN = {
    "kernel": rng.normal(size=(F, U)),
    "recurrent_kernel": rng.normal(size=(U, U)),
    "bias": rng.normal(size=U),
}
LSTM_R = rng.normal(size=(U, 4 * U))


def call(function, weights, **changes):
    args = {"x": X, **weights, **changes}
    return function(
        args.pop("x"),
        args.pop("kernel"),
        args.pop("recurrent_kernel"),
        args.pop("bias"),
        **args,
    )


SHARED = [
    (
        {"x": X[0]},
        ValueError,
        r"x must be 3-D \(batch, timesteps, features\), got shape "
        r"\(3, 2\); .* x\[None\]",
    ),
    (
        {"x": X[:, :0]},
        ValueError,
        r"at least one sample and one timestep, got shape \(4, 0, 2\)",
    ),
    (
        {"x": X[..., :1]},
        ValueError,
        r"x has 1 features \(shape \(4, 3, 1\)\) but kernel",
    ),
    (
        {"x": np.array([[["a"]]])},
        TypeError,
        "x must be an array of real numbers, got dtype <U1",
    ),
    ({"x": None}, TypeError, "x must be an array, got None"),
    (
        {"initial_state": np.zeros((B, U + 1))},
        ValueError,
        r"initial_state \(h0\) must have shape \(4, 3\), got shape \(4, 4\)",
    ),
    (
        {"initial_state": [np.zeros((B, U)), np.zeros((B, U))]},
        ValueError,
        r"this cell has one state; \[h0, c0\] is an LSTM's",
    ),
    (
        {"mask": np.ones((B, T + 1), bool)},
        ValueError,
        r"mask must have shape \(batch, timesteps\) = \(4, 3\), got shape \(4, 4\)",
    ),
    (
        {"mask": np.full((B, T), 0.5)},
        TypeError,
        "mask must hold booleans .* got dtype float64",
    ),
    (
        {"return_sequences": "yes"},
        TypeError,
        "return_sequences must be True or False, got 'yes'",
    ),
    ({"return_state": 1}, TypeError, "return_state must be True or False, got 1"),
    ({"go_backwards": None}, TypeError, "go_backwards must be True or False, got None"),
    (
        {"mask": np.ones((B, T), bool), "mask_rule": "previous"},
        ValueError,
        "mask_rule must be one of",
    ),
]

GRU_ONLY = [
    (
        {"kernel": GRU["kernel"].T},
        ValueError,
        r"kernel must be \(features, 3\*units\) = \(features, 9\) .* got shape \(9, "
        r"2\), which "
        r"is PyTorch's transposed layout \(3\*hidden, input\): pass kernel.T",
    ),
    (
        {"recurrent_kernel": GRU["recurrent_kernel"].T},
        ValueError,
        r"\(units, 3\*units\), got shape \(9, 3\), which is PyTorch's "
        r".*lstm_utils.from_torch",
    ),
    (
        {"recurrent_kernel": LSTM_R},
        ValueError,
        r"got shape \(3, 12\): that is an LSTM's layout \(4 gate blocks\), which "
        r"lstm_forward",
    ),
    (
        {"recurrent_kernel": RNN["recurrent_kernel"]},
        ValueError,
        r"got shape \(3, 3\): that is a SimpleRNN's layout \(1 gate block\), which "
        r"simple_rnn_forward computes",
    ),
    (
        {"kernel": GRU["kernel"][0]},
        ValueError,
        r"kernel must be 2-D \(features, 3\*units\)",
    ),
    (
        {"bias": GRU["bias"][0]},
        ValueError,
        r"bias has shape \(9,\), the layout of a GRU made with reset_after=False; .*"
        r"Pass reset_after=False",
    ),
    (
        {"bias": GRU["bias"], "reset_after": False},
        ValueError,
        r"bias has shape \(2, 9\), the layout of a GRU made with reset_after=True",
    ),
    (
        {"bias": GRU["bias"].reshape(-1)},
        ValueError,
        r"bias must have shape \(2, 9\) .* got shape \(18,\); PyTorch keeps b_ih and "
        r"b_hh",
    ),
    (
        {"bias": GRU["bias"][:, :6]},
        ValueError,
        r"bias must have shape \(2, 9\) for a GRU with "
        r"3 units and reset_after=True, got shape \(2, 6\)$",
    ),
    ({"reset_after": "yes"}, TypeError, "reset_after must be True or False, got 'yes'"),
]

RNN_ONLY = [
    (
        {"kernel": RNN["kernel"].T},
        ValueError,
        r"kernel must be \(features, units\) = \(features, 3\) .* got shape \(3, 2\), "
        r"which is "
        r"PyTorch's transposed layout \(hidden, input\)",
    ),
    (
        {"recurrent_kernel": GRU["recurrent_kernel"]},
        ValueError,
        r"recurrent_kernel must be \(units, units\), got shape \(3, 9\): that is a "
        r"GRU's layout "
        r"\(3 gate blocks\), which gru_forward computes",
    ),
    (
        {"bias": np.stack([RNN["bias"]] * 2)},
        ValueError,
        r"bias must have shape \(units,\) = \(3,\), got shape \(2, 3\) \(PyTorch keeps "
        r"two biases",
    ),
]


def _ids(cases):
    return [str(i) for i in range(len(cases))]


@pytest.mark.parametrize(
    "changes, error, message", SHARED + GRU_ONLY, ids=_ids(SHARED + GRU_ONLY)
)
def test_gru_forward_refuses(changes, error, message):
    with pytest.raises(error, match=message):
        call(gru_forward, GRU, **changes)


@pytest.mark.parametrize(
    "changes, error, message", SHARED + RNN_ONLY, ids=_ids(SHARED + RNN_ONLY)
)
def test_simple_rnn_forward_refuses(changes, error, message):
    with pytest.raises(error, match=message):
        call(simple_rnn_forward, RNN, **changes)


def test_bias_must_be_passed_even_when_none():
    with pytest.raises(TypeError, match="bias"):
        gru_forward(
            X, GRU["kernel"], GRU["recurrent_kernel"]
        )  # no bias argument at all


def test_initial_state_as_a_list_of_one_array_is_accepted_as_keras_does():
    h0 = rng.normal(size=(B, U))
    np.testing.assert_array_equal(
        call(gru_forward, GRU, initial_state=[h0]),
        call(gru_forward, GRU, initial_state=h0),
    )


@pytest.mark.parametrize("step, weights", [(gru_step, GRU), (simple_rnn_step, RNN)])
@pytest.mark.parametrize(
    "x_t, h_prev, message",
    [
        (
            X[0],
            np.zeros(U),
            r"x_t must be 1-D \(features,\) or 2-D \(batch, features\), got shape "
            r"\(3, 2\)|h_prev",
        ),
        (X[:, 0], np.zeros(U), r"h_prev must have shape \(4, 3\), got shape \(3,\)"),
        (X, np.zeros((B, U)), r"x_t must be 1-D .* got shape \(4, 3, 2\)"),
        (np.zeros(F + 1), np.zeros(U), r"x_t must have 2 features to match kernel"),
    ],
)
def test_steps_refuse_and_never_broadcast(step, weights, x_t, h_prev, message):
    with pytest.raises(ValueError, match=message):
        step(x_t, h_prev, *weights.values())
