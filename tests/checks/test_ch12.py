"""Chapter 12's exercise checks: the right answer passes, each usual mistake gets its own hint, garbage gets a hint.
The right answers are derived here independently (counting, shapes read off the rules, a loop of lstm_step), never
copied from the checks."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import assert_exercises_solved, hint


def test_chapter_holds_its_exercises_solved():
    assert_exercises_solved("12_bidirectional.ipynb", ["12.1", "12.2", "12.3"])


# ------------------------------------------------------------------ 12.1  parameters

def one_lstm(units, features):
    # per gate and unit: a weight per feature, a weight per unit of h, a bias
    return sum(features + units + 1 for _gate in range(4) for _unit in range(units))


RIGHT_BI, RIGHT_DENSE = 2 * one_lstm(16, 8), (16 + 16) + 1


def test_12_1_right():
    assert RIGHT_BI == 2 * lu.count_params(16, 8) == 3200
    assert run_check("12.1", {"n_bidirectional": RIGHT_BI, "n_dense": RIGHT_DENSE}) == (True, "correct")
    assert run_check("12.1", {"n_bidirectional": np.int64(RIGHT_BI), "n_dense": RIGHT_DENSE})[0]


@pytest.mark.parametrize("n_bi, n_dense, words", [
    (one_lstm(16, 8), RIGHT_DENSE, "Bidirectional holds two"),
    (one_lstm(32, 8), RIGHT_DENSE, "one LSTM(32)"),
    (2 * one_lstm(16, 8) * 20, RIGHT_DENSE, "20 timesteps"),
    (2 * 4 * 16 * (8 + 32 + 1), RIGHT_DENSE, "each reading its own 16 units"),
    (2 * 4 * 16 * (8 + 16), RIGHT_DENSE, "biases are missing"),
    (2 * 4 * 16 * (8 + 16 + 2), RIGHT_DENSE, "PyTorch"),
    (RIGHT_BI + RIGHT_DENSE, RIGHT_DENSE, "whole model"),
    (1234, RIGHT_DENSE, "n_bidirectional = 1234 is not right"),
    (RIGHT_BI, 17, "16 + 16 = 32"),
    (RIGHT_BI, 32, "bias is missing"),
    (RIGHT_BI, 20 * 32 + 1, "not all 20 steps"),
    (RIGHT_BI, 99, "how many numbers"),
])
def test_12_1_mistakes_are_named(n_bi, n_dense, words):
    assert words in hint("12.1", n_bidirectional=n_bi, n_dense=n_dense)


@pytest.mark.parametrize("value", [None, "3200", 3200.0, True, [3200], np.array([3200])])
def test_12_1_garbage_gets_a_hint(value):
    hint("12.1", n_bidirectional=value, n_dense=RIGHT_DENSE)
    hint("12.1", n_bidirectional=RIGHT_BI, n_dense=value)


# ------------------------------------------------------------------ 12.2  shapes

B, T, U = 8, 10, 5
STATES = [(B, U)] * 4
CONCAT = [(B, T, U + U)] + STATES
NONE = [(B, T, U), (B, T, U)] + STATES


def test_12_2_right():
    assert run_check("12.2", {"concat_shapes": CONCAT, "none_shapes": NONE}) == (True, "correct")
    as_lists = [list(s) for s in CONCAT]
    assert run_check("12.2", {"concat_shapes": tuple(as_lists), "none_shapes": NONE})[0]


def test_12_2_right_shapes_are_what_the_package_returns():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(B, T, 4))
    w = [(rng.normal(size=(4, 4 * U)), rng.normal(size=(U, 4 * U)), rng.normal(size=4 * U)) for _ in range(2)]
    for mode, want in (("concat", CONCAT), (None, NONE)):
        got = lu.bidirectional_forward(x, *w, merge_mode=mode, return_sequences=True, return_state=True)
        assert [a.shape for a in got] == want


@pytest.mark.parametrize("concat, none, words", [
    ([(B, T, 2 * U), (B, U), (B, U)], NONE, "four states"),
    ([(B, T, U), (B, T, U)] + STATES, NONE, "the two sequences are one array"),
    ([(B, T, U)] + STATES, NONE, "5 + 5 numbers wide"),
    ([(B, T, 2 * U)] + [(B, 2 * U)] * 4, NONE, "only the merged output is concatenated"),
    ([(B, T, 2 * U)] + [(B, T, U)] * 4, NONE, "without a time axis"),
    ([(B, 2 * U)] + STATES, NONE, "has a time axis"),
    ([(T, B, 2 * U)] + STATES, NONE, "batch axis first"),
    (CONCAT, [(B, T, U)] + STATES, "come back as two arrays"),
    (CONCAT, [(B, T, 2 * U), (B, T, 2 * U)] + STATES, "nothing is concatenated"),
    (CONCAT, [(B, T, U), (B, T, U), (B, U), (B, U)], "four states"),
])
def test_12_2_mistakes_are_named(concat, none, words):
    assert words in hint("12.2", concat_shapes=concat, none_shapes=none)


@pytest.mark.parametrize("value", [None, "(8, 10, 10)", (8, 10, 10), [(8.0, 10, 10)], [None], {"a": 1}])
def test_12_2_garbage_gets_a_hint(value):
    hint("12.2", concat_shapes=value, none_shapes=NONE)


# ------------------------------------------------------------------ 12.3  the sequence by hand

def reference(x, fw, bw):
    # independent of the package's Bidirectional: one lstm_step loop per direction, writing each output at its step
    batch, steps, _ = x.shape
    halves = []
    for weights, order in ((fw, range(steps)), (bw, range(steps - 1, -1, -1))):
        units = weights[1].shape[0]
        h, c = np.zeros((batch, units)), np.zeros((batch, units))
        out = np.zeros((batch, steps, units))
        for t in order:
            h, c, _ = lu.lstm_step(x[:, t], h, c, *weights)
            out[:, t] = h
        halves.append(out)
    return np.concatenate(halves, axis=-1)


def with_lstm_forward(x, fw, bw):
    f = lu.lstm_forward(x, *fw, return_sequences=True)
    b = lu.lstm_forward(x[:, ::-1], *bw, return_sequences=True)[:, ::-1]
    return np.concatenate([f, b], -1)


def test_12_3_right():
    assert run_check("12.3", {"bi_sequence": reference}) == (True, "correct")
    assert run_check("12.3", {"bi_sequence": with_lstm_forward}) == (True, "correct")


def _f(x, w):
    return lu.lstm_forward(x, *w, return_sequences=True)


def _b(x, w):
    return lu.lstm_forward(x, *w, return_sequences=True, go_backwards=True)


@pytest.mark.parametrize("answer, words", [
    (lambda x, fw, bw: np.concatenate([_f(x, fw), _b(x, bw)], -1), "flip it back into time order"),
    (lambda x, fw, bw: np.concatenate([_f(x, fw), _f(x, bw)], -1), "go_backwards=True"),
    (lambda x, fw, bw: np.concatenate([_b(x, bw)[:, ::-1], _f(x, fw)], -1), "the halves are swapped"),
    (lambda x, fw, bw: np.concatenate([_f(x, fw)[:, ::-1], _b(x, bw)], -1), "flip only the backward half"),
    (lambda x, fw, bw: np.concatenate([_f(x, bw), _b(x, fw)[:, ::-1]], -1), "the weights are swapped"),
    (lambda x, fw, bw: _f(x, fw) + _b(x, bw)[:, ::-1], "side by side"),
    (lambda x, fw, bw: np.concatenate([_f(x, fw)[:, -1], _b(x, bw)[:, -1]], -1), "the last output only"),
    (lambda x, fw, bw: np.concatenate([_f(x, fw), 0 * _f(x, fw)], -1), "the forward half is right"),
    (lambda x, fw, bw: np.concatenate([_f(x, fw), _b(x, bw)], -1)[:, :, ::-1], "differs from Bidirectional's"),
])
def test_12_3_mistakes_are_named(answer, words):
    assert words in hint("12.3", bi_sequence=answer)


@pytest.mark.parametrize("answer", [None, "f", lambda x, fw, bw: None, lambda x, fw, bw: "seq",
                                    lambda x, fw, bw: np.full((2, 4, 6), np.nan), lambda x, fw, bw: [[1], [2, 3]]])
def test_12_3_garbage_gets_a_hint(answer):
    message = run_check("12.3", {"bi_sequence": answer})
    assert not message[0] and not message[1].startswith("your code raised")
