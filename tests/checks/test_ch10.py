"""Chapter 10's exercise checks: the reference answers pass, each diagnosed mistake gets its own hint, and garbage
gets a hint, never an exception. The reference answers come from lstm_utils (from_torch, to_torch) and, where torch
is installed, from torch.nn itself: never from the check's own code."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import assert_exercises_solved, failing
from conftest import NO_TORCH, TORCH


def test_chapter_10_exercises_are_in_the_notebook_and_solved():
    assert_exercises_solved("10_pytorch_and_keras.ipynb", ["10.1", "10.2", "10.3"])


# ---------------------------------------------------------------- 10.1: a torch GRU's state_dict in Keras's layout

def torch_gru_ex():
    """The chapter's data cell."""
    rng = np.random.default_rng(101)
    return {
        "weight_ih_l0": rng.uniform(-1, 1, (6, 3)).round(2),
        "weight_hh_l0": rng.uniform(-1, 1, (6, 2)).round(2),
        "bias_ih_l0": rng.uniform(-1, 1, 6).round(2),
        "bias_hh_l0": rng.uniform(-1, 1, 6).round(2),
    }


STATE = torch_gru_ex()
KERNEL, RECURRENT, BIAS = lu.from_torch(STATE)


def answer(kernel=KERNEL, recurrent=RECURRENT, bias=BIAS):
    return {"gru_kernel_ex": kernel, "gru_recurrent_ex": recurrent, "gru_bias_ex": bias}


def test_10_1_reference_passes():
    assert (KERNEL.shape, RECURRENT.shape, BIAS.shape) == ((3, 6), (2, 6), (2, 6))
    assert run_check("10.1", answer()) == (True, "correct")
    assert run_check("10.1", answer(KERNEL.tolist(), RECURRENT.astype(np.float32), BIAS)) == (True, "correct")


@pytest.mark.skipif(not TORCH, reason=NO_TORCH)
def test_10_1_the_reference_computes_what_torch_computes():
    import torch

    module = torch.nn.GRU(3, 2, batch_first=True).double()
    module.load_state_dict({k: torch.from_numpy(v) for k, v in STATE.items()})
    x = np.random.default_rng(0).normal(size=(2, 5, 3))
    with torch.no_grad():
        want = module(torch.from_numpy(x))[0].numpy()
    got = lu.gru_forward(x, KERNEL, RECURRENT, BIAS, return_sequences=True)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def swap_rz(a, axis=0):
    r, z, n = np.split(a, 3, axis=axis)
    return np.concatenate([z, r, n], axis=axis)


B_IH, B_HH = STATE["bias_ih_l0"], STATE["bias_hh_l0"]


@pytest.mark.parametrize("answers, expected", [
    (answer(kernel=STATE["weight_ih_l0"]), "has PyTorch's shape (6, 3)"),
    (answer(kernel=STATE["weight_ih_l0"].T), "transposed but not reordered"),
    (answer(kernel=STATE["weight_ih_l0"].reshape(3, 6)), "was reshaped"),
    (answer(kernel=swap_rz(STATE["weight_ih_l0"]).reshape(3, 6)), "was reshaped"),
    (answer(recurrent=STATE["weight_hh_l0"].T), "gru_recurrent_ex is weight_hh_l0 transposed but not reordered"),
    (answer(recurrent=STATE["weight_hh_l0"]), "has PyTorch's shape (6, 2)"),
    (answer(bias=swap_rz(B_IH + B_HH)), "reset_after=False"),
    (answer(bias=B_IH + B_HH), "reset_after=False"),
    (answer(bias=np.concatenate([B_IH, B_HH])), "the two biases side by side"),
    (answer(bias=BIAS[::-1]), "the two rows are swapped"),
    (answer(bias=np.stack([B_IH, B_HH])), "not reordered"),
    (answer(bias=np.stack([B_HH, B_IH])), "swapped and not reordered"),
    (answer(bias=np.zeros((2, 6))), "is not PyTorch's biases in Keras's layout"),
    (answer(kernel=np.zeros((3, 6))), "is not weight_ih_l0 in Keras's layout"),
])
def test_10_1_mistakes_are_named(answers, expected):
    assert expected in failing("10.1", answers)


@pytest.mark.parametrize("value", [None, "kernel", {"a": 1}, [1, "a"], np.full((3, 6), np.nan), len])
def test_10_1_garbage_gets_a_hint(value):
    failing("10.1", answer(kernel=value))
    failing("10.1", answer(bias=value))


def test_10_1_all_names_are_needed():
    passed, message = run_check("10.1", {"gru_kernel_ex": KERNEL, "gru_recurrent_ex": RECURRENT})
    assert not passed and message.startswith("gru_bias_ex is not defined yet")


# ---------------------------------------------------------------- 10.2: a Keras LSTM as a torch state_dict

def right(kernel, recurrent_kernel, bias):
    return lu.to_torch(kernel, recurrent_kernel, bias)


def split_bias(kernel, recurrent_kernel, bias):
    state = {"weight_ih_l0": kernel.T, "weight_hh_l0": recurrent_kernel.T}
    return state | {"bias_ih_l0": 0.25 * bias, "bias_hh_l0": 0.75 * bias}


@pytest.mark.parametrize("func", [right, split_bias])
def test_10_2_reference_passes(func):
    assert run_check("10.2", {"lstm_to_torch": func}) == (True, "correct")


@pytest.mark.skipif(not TORCH, reason=NO_TORCH)
def test_10_2_an_answer_that_passes_loads_into_torch_and_computes_what_keras_computes():
    import torch

    rng = np.random.default_rng(7)
    kernel, recurrent, bias = rng.uniform(-1, 1, (2, 12)), rng.uniform(-1, 1, (3, 12)), rng.uniform(-1, 1, 12)
    module = torch.nn.LSTM(2, 3, batch_first=True).double()
    module.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v))
                            for k, v in split_bias(kernel, recurrent, bias).items()})
    x = rng.normal(size=(2, 4, 2))
    with torch.no_grad():
        got = module(torch.from_numpy(x))[0].numpy()
    want = lu.lstm_forward(x, kernel, recurrent, bias, return_sequences=True)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def mistake(**how):
    def lstm_to_torch(kernel, recurrent_kernel, bias):
        state = dict(lu.to_torch(kernel, recurrent_kernel, bias))
        if how.get("no_transpose"):
            state["weight_ih_l0"], state["weight_hh_l0"] = kernel, recurrent_kernel
        if how.get("reshape"):
            state["weight_ih_l0"] = kernel.reshape(kernel.shape[::-1])
        if how.get("bias_twice"):
            state["bias_hh_l0"] = bias
        if how.get("gru_order"):
            def swap(a):
                blocks = np.split(a, 4)
                return np.concatenate([blocks[1], blocks[0], *blocks[2:]])
            state = {k: swap(v) for k, v in state.items()}
        if how.get("drop"):
            del state["bias_hh_l0"]
        if how.get("wrong_bias"):
            state["bias_hh_l0"] = bias + 1
        return state
    return lstm_to_torch


@pytest.mark.parametrize("how, expected", [
    (dict(no_transpose=True), "has Keras's shape"),
    (dict(reshape=True), "was reshaped"),
    (dict(bias_twice=True), "PyTorch adds it twice"),
    (dict(gru_order=True), "first two gate blocks swapped, as for a GRU"),
    (dict(drop=True), "missing ['bias_hh_l0']"),
    (dict(wrong_bias=True), "their sum must be Keras's bias"),
])
def test_10_2_mistakes_are_named(how, expected):
    assert expected in failing("10.2", {"lstm_to_torch": mistake(**how)})


@pytest.mark.parametrize("func, expected", [
    (None, "must be a function"),
    (lambda k, r, b: None, "must return a dict"),
    (lambda k, r, b: [k.T, r.T, b, b], "must return a dict"),
    (lambda k, r, b: {"kernel": k}, "exactly the keys"),
    (lambda k, r, b: dict(lu.to_torch(k, r, b), weight_ih_l0="w"), "must be a numpy array"),
])
def test_10_2_garbage_gets_a_hint(func, expected):
    assert expected in failing("10.2", {"lstm_to_torch": func})


def test_10_2_a_stub_is_not_answered_yet():
    def stub(*args):
        raise NotImplementedError("Exercise 10.2: write your answer here")
    assert run_check("10.2", {"lstm_to_torch": stub})[1].startswith("not answered yet")


# ---------------------------------------------------------------- 10.3: the last real output of a padded batch

def last_by_loop(outputs, lengths):
    return np.stack([outputs[b, n - 1] for b, n in enumerate(lengths)])


@pytest.mark.parametrize("func", [last_by_loop, lambda o, n: [list(r) for r in last_by_loop(o, n)]])
def test_10_3_reference_passes(func):
    assert run_check("10.3", {"last_real_output": func}) == (True, "correct")


def test_10_3_the_answer_is_what_lstm_forward_gives_alone_and_what_keras_masked_returns():
    # the last real output of a post-padded batch is each sequence's own last output, run alone (chapter 6), which is
    # also lu.lstm_forward's masked last output
    rng = np.random.default_rng(3)
    kernel, recurrent, bias = rng.uniform(-1, 1, (2, 12)), rng.uniform(-1, 1, (3, 12)), rng.uniform(-1, 1, 12)
    lengths = np.array([4, 2, 3])
    x = rng.normal(size=(3, 4, 2)) * (np.arange(4) < lengths[:, None])[..., None]
    outputs = lu.lstm_forward(x, kernel, recurrent, bias, return_sequences=True)
    masked_last = lu.lstm_forward(x, kernel, recurrent, bias, mask=np.arange(4) < lengths[:, None])
    alone = np.stack([lu.lstm_forward(x[b:b + 1, :n], kernel, recurrent, bias)[0] for b, n in enumerate(lengths)])
    np.testing.assert_allclose(last_by_loop(outputs, lengths), masked_last, atol=1e-12)
    np.testing.assert_allclose(alone, masked_last, atol=1e-12)


@pytest.mark.parametrize("func, expected", [
    (lambda o, n: o[:, -1], "that is the output at the last step, padding"),
    (lambda o, n: o[:, 0], "that is the first step's output"),
    (lambda o, n: o[np.arange(len(n)), np.minimum(n, o.shape[1] - 1)], "one step too far"),
    (lambda o, n: o[0, n[0] - 1], "one sample's"),
    (lambda o, n: o[:, :2].mean(axis=1), "expected row b to be outputs[b, lengths[b] - 1]"),
    (lambda o, n: o, "must have shape (batch, units)"),
])
def test_10_3_mistakes_are_named(func, expected):
    assert expected in failing("10.3", {"last_real_output": func})


@pytest.mark.parametrize("func", [None, 3, lambda o, n: None, lambda o, n: "h", lambda o, n: np.full((3, 2), np.inf)])
def test_10_3_garbage_gets_a_hint(func):
    failing("10.3", {"last_real_output": func})


def test_10_3_an_index_error_is_reported_as_the_learners():
    passed, message = run_check("10.3", {"last_real_output": lambda o, n: o[np.arange(len(n)), n]})
    assert not passed and message.startswith("your code raised IndexError")
