"""Chapter 01's exercise checks: the reference answers pass, each diagnosed mistake gets its own hint, and garbage
gets a hint, never an exception. The reference answers here are worked out by hand, not taken from the checks."""

import math

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import assert_exercises_solved, failing


# ---------------------------------------------------------------- the chapter holds the exercises, all solved

def test_chapter_01_exercises_are_in_the_notebook_and_solved():
    assert_exercises_solved("01_one_unit_one_feature.ipynb", ["01.1", "01.2", "01.3"])


# ---------------------------------------------------------------- 01.1: LSTM(1) on (50, 1)

@pytest.mark.parametrize("answer", [12, np.int64(12)])
def test_01_1_reference_passes(answer):
    assert run_check("01.1", {"n_params_50": answer}) == (True, "correct")


@pytest.mark.parametrize("answer, expected", [
    (600, "multiplied by the 50 timesteps"),
    (208, "you used 50 as the number of features"),
    (10400, "you used 50 as the number of units"),
    (8, "the biases are missing"),
    (16, "two biases per gate"),
    (9, "three gates"),
    (3, "one gate's share"),
    (4, "one number per gate is too few"),
    (50, "number of timesteps"),
    (13, "count, for each of the 4 gates"),
    (12.0, "should be an int"),
    (np.float64(600.0), "should be an int"),
])
def test_01_1_mistakes_are_named(answer, expected):
    assert expected in failing("01.1", {"n_params_50": answer})


@pytest.mark.parametrize("answer", [None, "12", [12], np.array(12), True, 12.5, float("nan"), float("inf"), 1 + 2j])
def test_01_1_garbage_gets_a_hint(answer):
    failing("01.1", {"n_params_50": answer})


def test_01_1_unanswered():
    passed, message = run_check("01.1", {})
    assert not passed and message.startswith("n_params_50 is not defined yet")


# ---------------------------------------------------------------- 01.2: z for x_t = -1, h_prev = 0.5, c_prev = 0.3

# By hand, kernel (0.5, 0.4, 0.3, 0.6), recurrent_kernel (0.2, 0.1, 0.4, 0.3), bias (0, 1, 0, 0):
#   z = -1 * W + 0.5 * U + b = (-0.5 + 0.1, -0.4 + 0.05 + 1, -0.3 + 0.2, -0.6 + 0.15)
Z = np.array([-0.4, 0.65, -0.1, -0.45])


def sig(v):
    return 1 / (1 + np.exp(-np.asarray(v, dtype=float)))


@pytest.mark.parametrize("answer", [Z, Z.astype(np.float32), list(Z), tuple(Z)])
def test_01_2_reference_passes(answer):
    assert run_check("01.2", {"z_step": answer}) == (True, "correct")


@pytest.mark.parametrize("answer, expected", [
    ([-0.4, -0.35, -0.1, -0.45], "the bias is missing"),
    ([-0.5, 0.6, -0.3, -0.6], "the recurrent term U · h_prev is missing"),
    ([-0.44, 0.63, -0.18, -0.51], "by c_prev = 0.3"),
    ([0.05, 1.1, -0.25, 0.0], "the weights are swapped"),
    ([sig(-0.4), sig(0.65), np.tanh(-0.1), sig(-0.45)], "after sigmoid and tanh"),
    (sig(Z), "those are sigmoid(z)"),
    ([0.65, -0.4, -0.1, -0.45], "the order f, i, c, o"),
    ([-0.4, 0.65, -0.45, -0.1], "the order i, f, o, c"),
    ([1.0, 2.0, 3.0, 4.0], "is not z for x_t = -1.0"),
])
def test_01_2_mistakes_are_named(answer, expected):
    assert expected in failing("01.2", {"z_step": np.array(answer)})


def test_01_2_two_mistakes_are_both_named():
    message = failing("01.2", {"z_step": np.array([-0.35, -0.4, -0.1, -0.45])})   # no bias, and f before i
    assert "the bias is missing" in message and "the order f, i, c, o" in message


@pytest.mark.parametrize("answer, expected", [
    (Z[None], "take its only row"),
    (Z[:, None], "take its only row"),
    (dict(zip("ifco", Z)), "is a dict"),
    (Z[:3], "must have shape (4,)"),
])
def test_01_2_shapes_and_types_are_named(answer, expected):
    assert expected in failing("01.2", {"z_step": answer})


@pytest.mark.parametrize("answer", [None, "z", 0.5, [[1, 2], [3]], np.zeros((2, 2)), np.array([1 + 1j, 0, 0, 0]),
                                    [True, False, True, False], np.array(["a"] * 4), lambda: Z])
def test_01_2_garbage_gets_a_hint(answer):
    failing("01.2", {"z_step": answer})


# ---------------------------------------------------------------- 01.3: my_lstm_step, one unit and one feature

def step_by_hand(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """The reference, in plain Python floats: nothing shared with the check's own code."""
    x, h0, c0 = float(x_t[0]), float(h_prev[0]), float(c_prev[0])
    z = [float(kernel[0, k]) * x + float(recurrent_kernel[0, k]) * h0 + float(bias[k]) for k in range(4)]
    s = [1 / (1 + math.exp(-v)) for v in z]
    c = s[1] * c0 + s[0] * math.tanh(z[2])
    return np.array([s[3] * math.tanh(c)]), np.array([c])


def test_01_3_reference_passes():
    assert run_check("01.3", {"my_lstm_step": step_by_hand}) == (True, "correct")


@pytest.mark.parametrize("step", [
    lambda *args: tuple(float(v[0]) for v in step_by_hand(*args)),        # plain floats for one unit are fine
    lambda *args: lu.lstm_step(*args)[:2],
    lambda *args: np.array(step_by_hand(*args)),                          # an array (2, 1) unpacks as (h, c)
    lambda *args: tuple(v.astype(np.float32) for v in step_by_hand(*args)),
])
def test_01_3_other_correct_forms_pass(step):
    assert run_check("01.3", {"my_lstm_step": step}) == (True, "correct")


def wrong_step(bias=True, recurrent="h", blocks=(0, 1, 2, 3), cand=math.tanh, gate=None, cell="fc+ig",
               out="tanh(c)", swap=False):
    """A learner's one-unit step with one switch flipped; blocks[k] is where gate k (i, f, c, o) is read from."""
    def step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias_):
        x, h0, c0 = float(x_t[0]), float(h_prev[0]), float(c_prev[0])
        r = {"h": h0, "c": c0, "none": 0.0}[recurrent]
        z = [float(kernel[0, k]) * x + float(recurrent_kernel[0, k]) * r + (float(bias_[k]) if bias else 0.0)
             for k in range(4)]
        zi, zf, zc, zo = (z[b] for b in blocks)
        s = {k: (math.tanh if gate == k else (lambda v: 1 / (1 + math.exp(-v))))
             for k in ("i", "f", "o")}
        i, f, g, o = s["i"](zi), s["f"](zf), cand(zc), s["o"](zo)
        c = {"fc+ig": f * c0 + i * g, "fc+g": f * c0 + g, "c+ig": c0 + i * g}[cell]
        h = o * {"tanh(c)": math.tanh(c), "c": c, "sigmoid(c)": 1 / (1 + math.exp(-c)), "tanh(c0)": math.tanh(c0)}[out]
        result = (np.array([h]), np.array([c]))
        return result[::-1] if swap else result
    return step


@pytest.mark.parametrize("mistake, expected", [
    (dict(bias=False), "the bias is missing"),
    (dict(recurrent="none"), "the recurrent term is missing"),
    (dict(recurrent="c"), "the recurrent term uses c_prev"),
    (dict(blocks=(1, 0, 2, 3)), "order f, i, c, o (forget gate f and input gate i swapped)"),
    (dict(blocks=(0, 1, 3, 2)), "order i, f, o, c"),
    (dict(blocks=(3, 2, 1, 0)), "order o, c, f, i"),
    (dict(cand=lambda v: 1 / (1 + math.exp(-v))), "the candidate c̃ uses sigmoid"),
    (dict(cand=lambda v: v), "the candidate is not squashed"),
    (dict(gate="i"), "the input gate i uses tanh"),
    (dict(gate="f"), "the forget gate f uses tanh"),
    (dict(gate="o"), "the output gate o uses tanh"),
    (dict(cell="fc+g"), "the input gate is missing from the cell update"),
    (dict(cell="c+ig"), "the forget gate is missing from the cell update"),
    (dict(out="c"), "h = o * c is missing the tanh"),
    (dict(out="sigmoid(c)"), "h uses sigmoid(c)"),
    (dict(out="tanh(c0)"), "h uses the old cell state c_prev"),
    (dict(swap=True), "h and c come back swapped"),
])
def test_01_3_mistakes_are_named(mistake, expected):
    assert expected in failing("01.3", {"my_lstm_step": wrong_step(**mistake)})


def test_01_3_two_mistakes_are_both_named():
    message = failing("01.3", {"my_lstm_step": wrong_step(bias=False, out="c")})
    assert "the bias is missing" in message and "h = o * c is missing the tanh" in message


def test_01_3_an_unrecognised_error_says_where():
    def off_in_h(*args):
        h, c = step_by_hand(*args)
        return h * 1.1, c
    assert "c is right, so look at h = o * tanh(c)" in failing("01.3", {"my_lstm_step": off_in_h})


@pytest.mark.parametrize("result, expected", [
    (None, "must return the pair (h, c)"),
    ("hc", "must return the pair (h, c)"),
    ((np.zeros(1),), "exactly two values"),
    ((np.zeros(1), np.zeros(1), {}), "yours should return only h and c"),
    ((np.zeros(2), np.zeros(1)), "must have shape (1,)"),
    ((np.zeros(1), "c"), "the c returned by my_lstm_step must be a numpy array"),
    ((np.full(1, np.nan), np.zeros(1)), "NaN or inf"),
])
def test_01_3_bad_returns_are_named(result, expected):
    assert expected in failing("01.3", {"my_lstm_step": lambda *args: result})


def test_01_3_numpy_warnings_stay_inside_the_check():
    def overflowing(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
        big = np.exp(np.full(1, 1e4))          # overflow: a RuntimeWarning, an error under this test suite
        return big * 0, big * 0                # nan
    assert "NaN or inf" in failing("01.3", {"my_lstm_step": overflowing})


def test_01_3_the_learners_own_error_and_a_stub():
    def broken(*args):
        return 1 / 0

    def stub(*args):
        raise NotImplementedError("Exercise 01.3: write your answer here")

    passed, message = run_check("01.3", {"my_lstm_step": broken})
    assert not passed and message.startswith("your code raised ZeroDivisionError")
    assert run_check("01.3", {"my_lstm_step": stub})[1].startswith("not answered yet")


@pytest.mark.parametrize("answer", [None, 3, "my_lstm_step", np.zeros(4)])
def test_01_3_garbage_gets_a_hint(answer):
    assert "must be a function" in failing("01.3", {"my_lstm_step": answer})


def test_01_3_the_check_does_not_touch_its_inputs():
    def mutating(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
        kernel *= 0                            # a learner's in-place edit must not leak into the next test input
        return step_by_hand(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)
    failing("01.3", {"my_lstm_step": mutating})
    assert run_check("01.3", {"my_lstm_step": step_by_hand}) == (True, "correct")
