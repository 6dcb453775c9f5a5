"""Chapter 11's exercise checks: the reference answers pass, each diagnosed mistake gets its own hint, and garbage
gets a hint, never an exception. The references are worked out by hand here (plain loops, math) or with
lstm_utils, and against Keras's own count and layers where Keras is asked."""

import math

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import assert_exercises_solved, failing


def test_chapter_11_exercises_are_in_the_notebook_and_solved():
    assert_exercises_solved("11_gru_and_simple_rnn.ipynb", ["11.1", "11.2", "11.3"])


# ---------------------------------------------------------------- 11.1: three counts on (20, 8) with 16 units

N_GRU, N_GRU_OLD, N_SIMPLE = 3 * 16 * 26, 3 * 16 * 25, 16 * 25     # 1248, 1200, 400


def counts(**answers):
    base = {"n_gru": N_GRU, "n_gru_old": N_GRU_OLD, "n_simple": N_SIMPLE}
    base.update(answers)
    return base


@pytest.mark.keras
def test_11_1_the_counts_are_keras_s():
    import keras

    made = {
        "n_gru": keras.layers.GRU(16),
        "n_gru_old": keras.layers.GRU(16, reset_after=False),
        "n_simple": keras.layers.SimpleRNN(16),
    }
    for name, layer in made.items():
        layer.build((None, 20, 8))
        assert layer.count_params() == counts()[name], name


def test_11_1_reference_passes():
    assert N_GRU == lu.count_params(16, 8, cell="gru") and N_SIMPLE == lu.count_params(16, 8, cell="simple_rnn")
    assert run_check("11.1", counts()) == (True, "correct")
    assert run_check("11.1", counts(n_gru=np.int64(N_GRU))) == (True, "correct")


@pytest.mark.parametrize("answers, expected", [
    (counts(n_gru=N_GRU_OLD), "is the count with reset_after=False"),
    (counts(n_gru_old=N_GRU), "is the count with reset_after=True"),
    (counts(n_gru=4 * 16 * 25), "an LSTM's count"),
    (counts(n_gru=N_GRU * 20), "20 times too large"),
    (counts(n_gru=16 * 26), "counts one block; a GRU has three"),
    (counts(n_gru=3 * 16 * 24), "has no biases"),
    (counts(n_gru=3 * 16 * (8 + 1 + 2)), "one recurrent weight per unit"),
    (counts(n_gru=3 * 16 * (20 + 16 + 2)), "uses the 20 timesteps as features"),
    (counts(n_gru=3 * 8 * (16 + 8 + 2)), "units and features swapped"),
    (counts(n_simple=3 * 16 * 25), "counts three blocks (a GRU's)"),
    (counts(n_simple=16 * 26), "two biases per unit"),
    (counts(n_simple=4 * 16 * 25), "an LSTM's count"),
    (counts(n_simple=16 * 24), "has no biases"),
    (counts(n_simple=777), "is not right"),
    (counts(n_gru=1248.0), "should be an int"),
])
def test_11_1_mistakes_are_named(answers, expected):
    assert expected in failing("11.1", answers)


@pytest.mark.parametrize("value", [None, "1248", [1248], True, float("nan")])
def test_11_1_garbage_gets_a_hint(value):
    failing("11.1", counts(n_gru=value))
    failing("11.1", counts(n_simple=value))


# ---------------------------------------------------------------- 11.2: one step of Keras's default GRU

def gru_step_by_loops(x_t, h_prev, kernel, recurrent_kernel, bias):
    """The reference, unit by unit with math alone: nothing shared with the check's own code."""
    units, features = len(h_prev), len(x_t)

    def part(block, k, weights, vec, row):
        col = block * units + k
        return sum(vec[j] * weights[j, col] for j in range(len(vec))) + bias[row, col]

    def sig(v):
        return 1 / (1 + math.exp(-v))

    h = []
    for k in range(units):
        z = sig(part(0, k, kernel, x_t, 0) + part(0, k, recurrent_kernel, h_prev, 1))
        r = sig(part(1, k, kernel, x_t, 0) + part(1, k, recurrent_kernel, h_prev, 1))
        g = math.tanh(part(2, k, kernel, x_t, 0) + r * part(2, k, recurrent_kernel, h_prev, 1))
        h.append(z * h_prev[k] + (1 - z) * g)
    assert features == kernel.shape[0]
    return np.array(h)


@pytest.mark.parametrize("step", [gru_step_by_loops, lambda *a: lu.gru_step(*a)[0], lambda *a: list(lu.gru_step(*a)[0])])
def test_11_2_reference_passes(step):
    assert run_check("11.2", {"my_gru_step": step}) == (True, "correct")


@pytest.mark.keras
def test_11_2_the_loops_are_keras_s_gru_cell():
    import keras

    rng = np.random.default_rng(5)
    cell = keras.layers.GRUCell(3, dtype="float64")
    cell.build((None, 2))
    weights = [rng.uniform(-1, 1, w.shape) for w in cell.get_weights()]
    cell.set_weights(weights)
    x_t, h_prev = rng.uniform(-1, 1, 2), rng.uniform(-1, 1, 3)
    h, _ = cell(x_t[None], [h_prev[None]])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(h)[0], gru_step_by_loops(x_t, h_prev, *weights),
                               atol=lu.backends.float64_tolerance(cell=True))


def mistaken(*, rz=False, swap_mix=False, before=False, outside=False, no_rec_bias=False):
    def step(x_t, h_prev, kernel, recurrent_kernel, bias):
        units = len(h_prev)
        blocks = [slice(k * units, (k + 1) * units) for k in range(3)]
        zb, rb, hb = (blocks[1], blocks[0], blocks[2]) if rz else blocks
        b1 = np.zeros_like(bias[1]) if no_rec_bias else bias[1]
        xz, hz = x_t @ kernel + bias[0], h_prev @ recurrent_kernel + b1
        z, r = lu.sigmoid(xz[zb] + hz[zb]), lu.sigmoid(xz[rb] + hz[rb])
        if before:
            g = np.tanh(xz[hb] + (r * h_prev) @ recurrent_kernel[:, hb])
        elif outside:
            g = np.tanh(xz[hb] + r * (h_prev @ recurrent_kernel[:, hb]) + b1[hb])
        else:
            g = np.tanh(xz[hb] + r * hz[hb])
        return (1 - z) * h_prev + z * g if swap_mix else z * h_prev + (1 - z) * g
    return step


@pytest.mark.parametrize("how, expected", [
    (dict(rz=True), "the update and reset blocks are swapped"),
    (dict(swap_mix=True), "z and 1 - z are swapped"),
    (dict(before=True), "that is reset_after=False"),
    (dict(outside=True), "added outside the reset gate"),
    (dict(no_rec_bias=True), "bias row 1 (the recurrent bias) is missing"),
    (dict(rz=True, swap_mix=True), "are swapped (Keras's order is z, r, h), and so are z and 1 - z"),
])
def test_11_2_mistakes_are_named(how, expected):
    assert expected in failing("11.2", {"my_gru_step": mistaken(**how)})


def test_11_2_pytorch_s_gate_formula_with_keras_s_order_passes():
    # PyTorch writes h' = (1 - z) * n + z * h: the same mix as Keras's z * h + (1 - z) * h~
    def torch_style(x_t, h_prev, kernel, recurrent_kernel, bias):
        u = len(h_prev)
        gi, gh = x_t @ kernel + bias[0], h_prev @ recurrent_kernel + bias[1]
        z, r = lu.sigmoid(gi[:u] + gh[:u]), lu.sigmoid(gi[u:2 * u] + gh[u:2 * u])
        n = np.tanh(gi[2 * u:] + r * gh[2 * u:])
        return (1 - z) * n + z * h_prev
    assert run_check("11.2", {"my_gru_step": torch_style}) == (True, "correct")


@pytest.mark.parametrize("func, expected", [
    (None, "must be a function"),
    (lambda *a: None, "is None"),
    (lambda *a: lu.gru_step(*a), "returned two values"),
    (lambda *a: lu.gru_step(*a)[0][None], "must have shape"),
    (lambda *a: "h", "must be a numpy array"),
    (lambda *a: np.zeros(len(a[1])), "off by up to"),
])
def test_11_2_garbage_gets_a_hint(func, expected):
    assert expected in failing("11.2", {"my_gru_step": func})


def test_11_2_a_stub_is_not_answered_yet():
    def stub(*args):
        raise NotImplementedError("Exercise 11.2: write your answer here")
    assert run_check("11.2", {"my_gru_step": stub})[1].startswith("not answered yet")


# ---------------------------------------------------------------- 11.3: a SimpleRNN over a sequence

def simple_by_loops(x, kernel, recurrent_kernel, bias):
    batch, steps, _ = x.shape
    units = recurrent_kernel.shape[0]
    out = np.zeros((batch, steps, units))
    for b in range(batch):
        h = [0.0] * units
        for t in range(steps):
            h = [math.tanh(sum(x[b, t, f] * kernel[f, k] for f in range(x.shape[2]))
                           + sum(h[j] * recurrent_kernel[j, k] for j in range(units)) + bias[k])
                 for k in range(units)]
            out[b, t] = h
    return out


def test_11_3_reference_passes():
    assert run_check("11.3", {"my_simple_rnn": simple_by_loops}) == (True, "correct")


@pytest.mark.keras
def test_11_3_the_loops_are_keras_s_simple_rnn():
    import keras

    rng = np.random.default_rng(4)
    layer = keras.layers.SimpleRNN(3, return_sequences=True, dtype="float64")
    layer.build((None, 5, 2))
    weights = [rng.uniform(-1, 1, w.shape) for w in layer.get_weights()]
    layer.set_weights(weights)
    x = rng.normal(size=(2, 5, 2))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(layer(x)), simple_by_loops(x, *weights),
                               atol=lu.backends.float64_tolerance(cell=True))


def simple_mistake(kind):
    def run(x, kernel, recurrent_kernel, bias):
        if kind == "no_recurrence":
            return np.tanh(x @ kernel + bias)
        if kind == "backwards":
            return lu.simple_rnn_forward(x, kernel, recurrent_kernel, bias, return_sequences=True,
                                         go_backwards=True)
        if kind == "reversed":
            return lu.simple_rnn_forward(x, kernel, recurrent_kernel, bias, return_sequences=True)[:, ::-1]
        if kind == "last":
            return lu.simple_rnn_forward(x, kernel, recurrent_kernel, bias)
        h = np.zeros((x.shape[0], recurrent_kernel.shape[0]))
        out = []
        for t in range(x.shape[1]):
            rk = recurrent_kernel.T if kind == "transposed" else recurrent_kernel
            z = x[:, t] @ kernel + h @ rk + (0 if kind == "no_bias" else bias)
            h = z if kind == "no_tanh" else np.tanh(z)
            out.append(h)
        return np.stack(out, axis=1)
    return run


@pytest.mark.parametrize("kind, expected", [
    ("no_recurrence", "the recurrent term is missing"),
    ("transposed", "recurrent_kernel is used transposed"),
    ("no_bias", "the bias is missing"),
    ("no_tanh", "the tanh is missing"),
    ("backwards", "that is go_backwards=True"),
    ("reversed", "the outputs come out in reverse order"),
    ("last", "the last step only"),
])
def test_11_3_mistakes_are_named(kind, expected):
    assert expected in failing("11.3", {"my_simple_rnn": simple_mistake(kind)})


@pytest.mark.parametrize("func", [None, 3, lambda *a: None, lambda *a: "h", lambda x, *a: np.zeros(x.shape),
                                  lambda x, k, r, b: np.full((x.shape[0], x.shape[1], r.shape[0]), np.nan)])
def test_11_3_garbage_gets_a_hint(func):
    failing("11.3", {"my_simple_rnn": func})
