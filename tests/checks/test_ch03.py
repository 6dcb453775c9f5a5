"""Chapter 03's exercise checks: the reference answers pass, each diagnosed mistake gets its own hint, and garbage
gets a hint, never an exception. The reference answers here are worked out by hand or with lstm_utils."""

import math

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import assert_exercises_solved, failing


def test_chapter_03_exercises_are_in_the_notebook_and_solved():
    assert_exercises_solved("03_many_units.ipynb", ["03.1", "03.2", "03.3"])


# ---------------------------------------------------------------- 03.1: unit 3's candidate column of recurrent_kernel

def chapter_weights():
    """The chapter's weights, drawn the way the chapter draws them and stored in float32 as Keras stores them."""
    rng = np.random.default_rng(6)
    kernel = rng.uniform(-2, 2, (2, 12)).round(1)
    recurrent_kernel = rng.uniform(-2, 2, (3, 12)).round(1)
    return kernel.astype(np.float32), recurrent_kernel.astype(np.float32)


KERNEL3, RK3 = chapter_weights()
RK_C3 = lu.split_gates(RK3)["c"][:, 2]


def test_03_1_every_column_is_different_so_each_can_be_named():
    columns = {tuple(RK3[:, j]) for j in range(12)}
    assert len(columns) == 12


@pytest.mark.parametrize("answer", [RK_C3, RK_C3.astype(np.float64), list(RK_C3), RK3[:, 8]])
def test_03_1_reference_passes(answer):
    assert run_check("03.1", {"rk_c_unit3": answer}) == (True, "correct")


@pytest.mark.parametrize("answer, expected", [
    (RK3[:, 10], "you grouped the columns unit by unit"),               # 4 * (3 - 1) + 2
    (RK3[:, 9], "one column too far"),                                  # 2 * 3 + 3: unit 3 counted from 1
    (RK3[:, 11], "the right unit but the wrong gate"),                  # o3
    (RK3[:, 5], "the right unit but the wrong gate"),                   # f3
    (RK3[:, 2], "the right unit but the wrong gate"),                   # i3
    (RK3[:, 7], "the right gate block but the wrong unit"),             # c2
    (RK3[:, 6], "the right gate block but the wrong unit"),             # c1
    (RK3[:, 0], "not to c3"),
    (RK3[:, 8][::-1], "reversed"),
    (RK3[2], "that is a row of recurrent_kernel"),
    (KERNEL3[:, 8], "that is a column of kernel"),
    (RK3[:, 8:9], "take a single column"),
    (RK3[:, 8][None], "take a single column"),
    (np.zeros(3), "is not a column of the chapter's recurrent_kernel"),
    (RK3[:, 7:9], "must have shape (3,)"),
])
def test_03_1_mistakes_are_named(answer, expected):
    assert expected in failing("03.1", {"rk_c_unit3": answer})


def test_03_1_a_wrong_column_is_named_by_gate_and_unit():
    assert "belongs to o2 (gate o, unit 2)" in failing("03.1", {"rk_c_unit3": RK3[:, 10]})


@pytest.mark.parametrize("answer", [None, "c3", 8, [1, "a", 2], np.array([1j, 0, 0]), [True, False, True]])
def test_03_1_garbage_gets_a_hint(answer):
    failing("03.1", {"rk_c_unit3": answer})


# ---------------------------------------------------------------- 03.2: LSTM(16) on (20, 8), then Dense(3)

N_LSTM = 4 * 16 * 25        # 4 gates x 16 units x (8 features + 16 units + 1 bias) = 1600
N_DENSE = 16 * 3 + 3        # 51


def test_03_2_reference_passes():
    assert N_LSTM == lu.count_params(16, 8) == 1600
    assert run_check("03.2", {"n_lstm": N_LSTM, "n_dense": N_DENSE}) == (True, "correct")
    assert run_check("03.2", {"n_lstm": np.int64(N_LSTM), "n_dense": np.int32(N_DENSE)}) == (True, "correct")


@pytest.mark.parametrize("n_lstm, expected", [
    (1600 * 20, "you multiplied by the 20 timesteps"),
    (4 * 16 * 10, "not a single recurrent weight"),
    (4 * 16 * 9, "the recurrent weights are missing"),
    (4 * 16 * 24, "the biases are missing"),
    (4 * 16 * 26, "two biases per gate"),
    (16 * 25, "one gate per unit"),
    (3 * 16 * 25, "three gates"),
    (4 * 16 * (20 + 16 + 1), "you used the 20 timesteps as features"),
    (4 * 20 * (8 + 20 + 1), "you used the 20 timesteps as units"),
    (4 * 8 * (16 + 8 + 1), "units and features are swapped"),
    (4 * 16 * (160 + 16 + 1), "does not read the whole sequence at once"),
    (1651, "is the whole model"),
    (1234, "is not the LSTM's count"),
    (1600.0, "should be an int"),
])
def test_03_2_lstm_mistakes_are_named(n_lstm, expected):
    assert expected in failing("03.2", {"n_lstm": n_lstm, "n_dense": N_DENSE})


@pytest.mark.parametrize("n_dense, expected", [
    (48, "the Dense biases are missing"),
    (20 * 16 * 3 + 3, "the last h only"),
    (8 * 3 + 3, "does not read the 8 input features"),
    (64 * 3 + 3, "not the 64 gate values"),
    (3, "a Dense layer also has weights"),
    (1651, "is the whole model"),
    (50, "is not right"),
])
def test_03_2_dense_mistakes_are_named(n_dense, expected):
    assert expected in failing("03.2", {"n_lstm": N_LSTM, "n_dense": n_dense})


@pytest.mark.parametrize("answer", [None, "1600", [1600], np.array(1600), True, 1600.5, float("nan")])
def test_03_2_garbage_gets_a_hint(answer):
    failing("03.2", {"n_lstm": answer, "n_dense": N_DENSE})
    failing("03.2", {"n_lstm": N_LSTM, "n_dense": answer})


def test_03_2_both_names_are_needed():
    passed, message = run_check("03.2", {"n_lstm": N_LSTM})
    assert not passed and message.startswith("n_dense is not defined yet")


# ---------------------------------------------------------------- 03.3: my_lstm_step_vec, any units and features

def step_with_loops(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """The reference, unit by unit with plain Python loops: nothing shared with the check's own code."""
    units, features = len(h_prev), len(x_t)

    def z(gate, k):
        col = gate * units + k
        return (sum(x_t[j] * kernel[j, col] for j in range(features))
                + sum(h_prev[j] * recurrent_kernel[j, col] for j in range(units)) + bias[col])

    def sig(v):
        return 1 / (1 + math.exp(-v))

    h, c = [], []
    for k in range(units):
        c_k = sig(z(1, k)) * c_prev[k] + sig(z(0, k)) * math.tanh(z(2, k))
        c.append(c_k)
        h.append(sig(z(3, k)) * math.tanh(c_k))
    return np.array(h), np.array(c)


@pytest.mark.parametrize("step", [step_with_loops, lambda *args: lu.lstm_step(*args)[:2],
                                  lambda *args: list(step_with_loops(*args))])
def test_03_3_reference_passes(step):
    assert run_check("03.3", {"my_lstm_step_vec": step}) == (True, "correct")


def vector_step(*, torch_kernel=False, torch_recurrent=False, by_unit=False, own_only=False, order="ifco",
                bias=True, swap=False):
    """A learner's vectorised step with one switch flipped."""
    def step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias_):
        units = len(h_prev)
        rk = recurrent_kernel * np.tile(np.eye(units), (1, 4)) if own_only else recurrent_kernel
        zx = kernel @ x_t if torch_kernel else x_t @ kernel              # PyTorch habit: W_ih @ x
        zh = rk @ h_prev if torch_recurrent else h_prev @ rk
        z = zx + zh + (bias_ if bias else 0.0)
        blocks = z.reshape(units, 4).T if by_unit else z.reshape(4, units)
        g = dict(zip(order, blocks))
        c = lu.sigmoid(g["f"]) * c_prev + lu.sigmoid(g["i"]) * np.tanh(g["c"])
        h = lu.sigmoid(g["o"]) * np.tanh(c)
        return (c, h) if swap else (h, c)
    return step


@pytest.mark.parametrize("mistake, expected", [
    (dict(torch_kernel=True, torch_recurrent=True), "expects kernel and recurrent_kernel in PyTorch's transposed"),
    (dict(torch_kernel=True), "expects kernel in PyTorch's transposed layout (4*hidden, input)"),
    (dict(torch_recurrent=True), "expects recurrent_kernel in PyTorch's transposed layout (4*hidden, hidden)"),
    (dict(by_unit=True), "reads the columns unit by unit"),
    (dict(own_only=True), "each unit reads only its own previous output"),
    (dict(order="icfo"), "order i, c, f, o (candidate c̃ and forget gate f swapped)"),
    (dict(order="fico"), "order f, i, c, o"),
    (dict(bias=False), "the bias is missing"),
    (dict(swap=True), "h and c come back swapped"),
    (dict(own_only=True, bias=False), "the bias is missing: z = x_t @ kernel + h_prev @ recurrent_kernel + bias; and "
                                      "each unit reads only its own previous output"),
])
def test_03_3_mistakes_are_named(mistake, expected):
    assert expected in failing("03.3", {"my_lstm_step_vec": vector_step(**mistake)})


def test_03_3_pytorch_order_is_not_called_wrong():
    # PyTorch's gate order i, f, g, o is Keras's i, f, c, o: a step written with PyTorch's names and order passes
    def pytorch_names(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
        z_i, z_f, z_g, z_o = np.split(x_t @ kernel + h_prev @ recurrent_kernel + bias, 4)
        c = lu.sigmoid(z_f) * c_prev + lu.sigmoid(z_i) * np.tanh(z_g)
        return lu.sigmoid(z_o) * np.tanh(c), c
    assert run_check("03.3", {"my_lstm_step_vec": pytorch_names}) == (True, "correct")


def test_03_3_one_unit_only_is_a_shape_hint():
    def first_unit(*args):
        h, c = step_with_loops(*args)
        return h[:1], c[:1]
    assert "must have shape (3,) (one value per unit), got shape (1,)" in failing(
        "03.3", {"my_lstm_step_vec": first_unit})


def test_03_3_a_batch_axis_is_a_shape_hint():
    assert "got shape (1, 3)" in failing("03.3", {"my_lstm_step_vec": lambda *a: tuple(v[None] for v in
                                                                                        step_with_loops(*a))})


def test_03_3_an_error_that_is_not_the_layout_is_reported_as_the_learners():
    def wrong_everywhere(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
        return kernel @ x_t @ recurrent_kernel      # fails in any layout

    passed, message = run_check("03.3", {"my_lstm_step_vec": wrong_everywhere})
    assert not passed and message.startswith("your code raised ValueError")


def test_03_3_a_stub_is_not_answered_yet():
    def stub(*args):
        raise NotImplementedError("Exercise 03.3: write your answer here")
    assert run_check("03.3", {"my_lstm_step_vec": stub})[1].startswith("not answered yet")


@pytest.mark.parametrize("answer, expected", [
    (None, "must be a function"), (np.zeros(3), "must be a function"), ("step", "must be a function"),
    (lambda *args: None, "must return the pair (h, c)"),
    (lambda *args: (np.zeros(3),) * 3, "exactly two values"),
    (lambda *args: ("h", "c"), "must be a numpy array"),
    (lambda *args: (np.full(3, np.inf), np.zeros(3)), "must have shape"),   # case 1 has 3 units, case 2 has 2
])
def test_03_3_garbage_gets_a_hint(answer, expected):
    assert expected in failing("03.3", {"my_lstm_step_vec": answer})


def test_03_3_nan_is_named():
    def nan_step(x_t, h_prev, *args):
        return np.full(len(h_prev), np.nan), np.zeros(len(h_prev))
    assert "NaN or inf" in failing("03.3", {"my_lstm_step_vec": nan_step})
