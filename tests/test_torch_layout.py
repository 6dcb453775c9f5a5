"""from_torch and to_torch on plain state dicts of numpy arrays: the layout, the gate
order and the refusals, with no torch needed. (Against real torch.nn:
test_torch_bridge.py.)"""

import subprocess
import sys

import numpy as np
import pytest

from lstm_utils import from_torch, split_gates, split_gru_gates, to_torch
from lstm_utils.torch_bridge import KERAS_GATE_OF_TORCH, TORCH_GATE_ORDER

H, IN = 3, 2
rng = np.random.default_rng(0)


def state(k, hidden=H, inputs=IN, bias=True):
    s = {
        "weight_ih_l0": rng.normal(size=(k * hidden, inputs)),
        "weight_hh_l0": rng.normal(size=(k * hidden, hidden)),
    }
    if bias:
        s.update(
            bias_ih_l0=rng.normal(size=k * hidden),
            bias_hh_l0=rng.normal(size=k * hidden),
        )
    return s


def test_import_needs_neither_torch_nor_jax():
    code = (
        "import sys, lstm_utils; lstm_utils.from_torch; "
        "print([m for m in ('torch', 'jax', 'keras') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("cell, k", [("lstm", 4), ("simple_rnn", 1)])
def test_lstm_and_rnn_transpose_and_add_the_two_biases(cell, k):
    s = state(k)
    kernel, recurrent, bias = from_torch(s)
    np.testing.assert_array_equal(kernel, s["weight_ih_l0"].T)
    np.testing.assert_array_equal(recurrent, s["weight_hh_l0"].T)
    np.testing.assert_array_equal(bias, s["bias_ih_l0"] + s["bias_hh_l0"])


def test_each_torch_gate_lands_in_its_keras_block():
    # fill PyTorch's block p (rows p*H:(p+1)*H) with the number p + 1, then find it in
    # Keras
    for cell, k, split in (("lstm", 4, split_gates), ("gru", 3, split_gru_gates)):
        s = {
            "weight_ih_l0": np.repeat(np.arange(1.0, k + 1), H)[:, None]
            * np.ones((1, IN)),
            "weight_hh_l0": np.repeat(np.arange(1.0, k + 1), H)[:, None]
            * np.ones((1, H)),
        }
        s["bias_ih_l0"] = s["bias_hh_l0"] = np.repeat(np.arange(1.0, k + 1), H)
        kernel, recurrent, bias = from_torch(s)
        for p, torch_gate in enumerate(TORCH_GATE_ORDER[cell]):
            keras_gate = KERAS_GATE_OF_TORCH[cell][torch_gate]
            for array in (kernel, recurrent, bias):
                np.testing.assert_array_equal(
                    split(array)[keras_gate],
                    p + 1 if cell == "gru" or array is not bias else 2 * (p + 1),
                )
    assert TORCH_GATE_ORDER["gru"] == ("r", "z", "n")
    assert [KERAS_GATE_OF_TORCH["gru"][g] for g in ("z", "r", "n")] == ["z", "r", "h"]


def test_gru_keeps_both_biases_as_keras_two_rows():
    s = state(3)
    bias = from_torch(s)[2]
    assert bias.shape == (2, 3 * H)
    reorder = np.r_[H : 2 * H, 0:H, 2 * H : 3 * H]  # r, z, n -> z, r, h
    np.testing.assert_array_equal(
        bias, [s["bias_ih_l0"][reorder], s["bias_hh_l0"][reorder]]
    )


@pytest.mark.parametrize("k", [4, 3, 1])
@pytest.mark.parametrize("bias", [True, False])
def test_to_torch_then_from_torch_gives_the_keras_weights_back(k, bias):
    kernel, recurrent = rng.normal(size=(IN, k * H)), rng.normal(size=(H, k * H))
    b = None
    if bias:
        b = rng.normal(size=(2, 3 * H)) if k == 3 else rng.normal(size=k * H)
    sd = to_torch(kernel, recurrent, b)
    assert list(sd) == ["weight_ih_l0", "weight_hh_l0"] + (
        ["bias_ih_l0", "bias_hh_l0"] if bias else []
    )
    assert (
        sd["weight_ih_l0"].shape == (k * H, IN)
        and sd["weight_ih_l0"].flags.c_contiguous
    )
    back = from_torch(sd)
    np.testing.assert_array_equal(back[0], kernel)
    np.testing.assert_array_equal(back[1], recurrent)
    if bias:
        np.testing.assert_array_equal(back[2], b)
        if k != 3:
            np.testing.assert_array_equal(sd["bias_hh_l0"], 0.0)
    else:
        assert back[2] is None


def test_from_torch_then_to_torch_keeps_the_gru_state_dict():
    s = state(3)
    for key, value in to_torch(*from_torch(s)).items():
        np.testing.assert_array_equal(value, s[key])


def test_float32_stays_float32():
    s = {k: v.astype(np.float32) for k, v in state(3).items()}
    assert {a.dtype for a in from_torch(s)} == {np.dtype(np.float32)}


@pytest.mark.parametrize(
    "sd, error, message",
    [
        (
            {**state(4), "weight_ih_l1": np.zeros((12, 3))},
            ValueError,
            r"unexpected keys \['weight_ih_l1'\]: keys of a second layer \(num_layers "
            r"> 1\)",
        ),
        (
            {**state(3), "weight_ih_l0_reverse": np.zeros((9, 2))},
            ValueError,
            "come from bidirectional=True",
        ),
        (
            {**state(4), "weight_hr_l0": np.zeros((2, 3))},
            ValueError,
            "LSTM with proj_size",
        ),
        (
            {f"lstm.{k}": v for k, v in state(4).items()},
            ValueError,
            r"a whole model's state_dict; pass the recurrent module itself \(e.g. "
            r"model.lstm\)",
        ),
        (
            {"weight_ih_l0": np.zeros((12, 2))},
            ValueError,
            "the key 'weight_hh_l0' is missing",
        ),
        (
            {**state(4, bias=False), "bias_ih_l0": np.zeros(12)},
            ValueError,
            "has both bias_ih_l0 and bias_hh_l0",
        ),
        (
            {**state(4), "weight_hh_l0": np.zeros((10, 3))},
            ValueError,
            r"weight_hh_l0 must be \(k\*hidden, hidden\) with k = 4 \(LSTM\), 3 "
            r"\(GRU\) or 1 \(RNN\)",
        ),
        (
            {**state(4), "weight_ih_l0": np.zeros((9, 2))},
            ValueError,
            r"weight_ih_l0 must be \(12, input\) to match weight_hh_l0 \(12, 3\) of a "
            r"torch.nn.LSTM",
        ),
        (
            {**state(3), "bias_hh_l0": np.zeros(12)},
            ValueError,
            r"bias_hh_l0 must have shape \(9,\) for a torch.nn.GRU with hidden_size=3",
        ),
        (
            {**state(3), "weight_ih_l0": np.array([["a", "b"]] * 9)},
            TypeError,
            r"state_dict\['weight_ih_l0'\] must be an array of real numbers",
        ),
    ],
)
def test_from_torch_refuses_what_it_cannot_read(sd, error, message):
    with pytest.raises(error, match=message):
        from_torch(sd)


@pytest.mark.parametrize("thing", [[1, 2], None, "lstm", np.zeros((3, 3))])
def test_from_torch_names_what_it_supports(thing):
    with pytest.raises(
        TypeError,
        match=r"expects a one-layer, one-direction torch.nn.LSTM, "
        r"torch.nn.GRU or torch.nn.RNN \(tanh\), or its "
        r"state_dict\(\), got",
    ):
        from_torch(thing)


@pytest.mark.parametrize(
    "args, message",
    [
        (
            (np.zeros((2, 9)), np.zeros((3, 9)), np.zeros(9)),
            r"bias has shape \(9,\): a GRU made with reset_after=False, which PyTorch "
            r"has no form",
        ),
        (
            (np.zeros((2, 9)), np.zeros((3, 9)), np.zeros((2, 12))),
            r"bias must have shape \(2, 9\) for a GRU with 3 units",
        ),
        (
            (np.zeros((2, 12)), np.zeros((3, 12)), np.zeros((2, 12))),
            r"bias must have shape \(12,\) for an LSTM with 3 units, got shape \(2, "
            r"12\)",
        ),
        (
            (np.zeros((2, 9)), np.zeros((9, 3)), None),
            r"recurrent_kernel must be \(units, k\*units\) .* got shape \(9, 3\): that "
            r"is "
            r"PyTorch's weight_hh_l0 layout",
        ),
        (
            (np.zeros((9, 2)), np.zeros((3, 9)), None),
            r"kernel must be \(features, 3\*units\) .* PyTorch's transposed layout",
        ),
    ],
)
def test_to_torch_refuses(args, message):
    with pytest.raises(ValueError, match=message):
        to_torch(*args)
