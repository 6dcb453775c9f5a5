"""Chapter 04's exercise checks: the reference answers pass, each diagnosed mistake gets its own hint, and
garbage gets a hint, never an exception."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import failing as failing_hint


def failing(exercise_id, namespace):
    return failing_hint(exercise_id, namespace, one_line=False)   # these tests never held the hint to one line


# ---------------------------------------------------------------- 04.1: LSTM(5) on x of shape (16, 7, 4)

SHAPES = {
    (False, False): (16, 5),
    (False, True): [(16, 5), (16, 5), (16, 5)],
    (True, False): (16, 7, 5),
    (True, True): [(16, 7, 5), (16, 5), (16, 5)],
}


def shapes_with(key, value):
    return {**SHAPES, key: value}


def test_04_1_reference_passes():
    assert run_check("04.1", {"predicted_shapes": SHAPES}) == (True, "correct")


def test_04_1_lists_and_numpy_ints_are_fine():
    answer = shapes_with((True, True), ([np.int64(16), 7, 5], (16, 5), (16, 5)))
    assert run_check("04.1", {"predicted_shapes": answer}) == (True, "correct")


@pytest.mark.parametrize("key, value, expected", [
    ((True, False), (7, 5), "batch axis is missing"),
    ((True, True), [(7, 5), (5,), (5,)], "batch axis is missing"),
    ((True, False), (None, 7, 5), "None is how model.summary() shows the batch axis"),
    ((False, False), (16, 4), "counts the units (5), not the input features (4)"),
    ((False, False), (16, 7, 5), "without return_sequences the output is the last step only"),
    ((True, False), (16, 5), "returns the output at every step"),
    ((True, True), [(16, 7, 5), (16, 7, 5), (16, 7, 5)], "it never has a time axis"),
    ((True, False), (16, 5, 7), "axes are in the wrong order"),
    ((True, True), [(16, 5), (16, 5), (16, 7, 5)], "the order is [output, h, c], output first"),
    ((False, True), (16, 5), "returns a list of three arrays [output, h, c]"),
    ((True, False), [(16, 7, 5), (16, 5), (16, 5)], "without return_state=True the layer returns one array"),
    ((False, True), [(16, 5), (16, 5)], "got 2 shapes"),
    ((False, False), (32, 5), "expected (16, 5), got (32, 5)"),
])
def test_04_1_mistakes_are_named(key, value, expected):
    message = failing("04.1", {"predicted_shapes": shapes_with(key, value)})
    assert expected in message
    assert f"return_sequences={key[0]}, return_state={key[1]}" in message


@pytest.mark.parametrize("answer", [None, "shapes", [1, 2], {(False, False): (16, 5)},
                                    shapes_with((True, True), "x"), shapes_with((False, False), (16.0, 5)),
                                    shapes_with((False, False), (True, 5)), shapes_with((True, True), [])])
def test_04_1_garbage_gets_a_hint(answer):
    failing("04.1", {"predicted_shapes": answer})


# ---------------------------------------------------------------- 04.2: resume a run from the returned states

def resume_reference(x_first, x_rest, kernel, recurrent_kernel, bias):
    # independent of the check: run each step by hand with lstm_step, the state running on from x_first into x_rest
    x = np.concatenate([x_first, x_rest], axis=1)
    h = np.zeros((x.shape[0], recurrent_kernel.shape[0]))
    c = np.zeros_like(h)
    outputs = []
    for t in range(x.shape[1]):
        h, c, _ = lu.lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        outputs.append(h)
    return np.stack(outputs, axis=1)[:, x_first.shape[1]:]


def resume_with(state_rule, rest_sequences=True):
    def resume_run(x_first, x_rest, kernel, recurrent_kernel, bias):
        _, h, c = lu.lstm_forward(x_first, kernel, recurrent_kernel, bias, return_state=True)
        return lu.lstm_forward(x_rest, kernel, recurrent_kernel, bias, initial_state=state_rule(h, c),
                               return_sequences=rest_sequences)
    return resume_run


def test_04_2_reference_passes():
    assert run_check("04.2", {"resume_run": resume_reference}) == (True, "correct")
    assert run_check("04.2", {"resume_run": resume_with(lambda h, c: [h, c])}) == (True, "correct")


@pytest.mark.parametrize("rule, expected", [
    (lambda h, c: [c, h], "the states are swapped"),
    (lambda h, c: None, "run from zero states"),
    (lambda h, c: [h, h], "the hidden state was passed twice"),
    (lambda h, c: [c, c], "the cell state was passed twice"),
    (lambda h, c: [h, 0.5 * c], "differ from running x_first and x_rest as one sequence"),
])
def test_04_2_wrong_states_are_named(rule, expected):
    assert expected in failing("04.2", {"resume_run": resume_with(rule)})


def test_04_2_shapes_are_named():
    assert "the last step only" in failing("04.2", {"resume_run": resume_with(lambda h, c: [h, c], False)})

    def whole_run(x_first, x_rest, kernel, recurrent_kernel, bias):
        return lu.lstm_forward(np.concatenate([x_first, x_rest], axis=1), kernel, recurrent_kernel, bias,
                               return_sequences=True)
    assert "the whole run" in failing("04.2", {"resume_run": whole_run})

    def echo_input(x_first, x_rest, *weights):
        return x_rest
    assert "shape (batch, timesteps of x_rest, units) = (2, 2, 4), got shape (2, 2, 3)" in failing(
        "04.2", {"resume_run": echo_input})


def test_04_2_float32_is_called_rounding():
    def in_float32(*args):
        return resume_reference(*(a.astype(np.float32) for a in args))
    assert "close but not equal" in failing("04.2", {"resume_run": in_float32})


@pytest.mark.parametrize("answer", [None, "resume", 3, np.zeros(3), lambda *a: None, lambda *a: "out",
                                    lambda *a: [np.zeros(2), np.zeros(3)], lambda *a: np.full((2, 2, 4), np.nan)])
def test_04_2_garbage_gets_a_hint(answer):
    failing("04.2", {"resume_run": answer})


# ---------------------------------------------------------------- 04.3: the cell state at every step

def loop(x, kernel, recurrent_kernel, bias, h, c, keep="c"):
    kept = []
    for t in range(x.shape[1]):
        h_new, c_new, gates = lu.lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        kept.append({"h": h_new, "c": c_new, "candidate": gates["c"], "c_prev": c}[keep])
        h, c = h_new, c_new
    return np.stack(kept, axis=1)


def cell_states_reference(x, kernel, recurrent_kernel, bias, h0, c0):
    # written out by hand, gate by gate, without lstm_step
    units = recurrent_kernel.shape[0]
    h, c, cs = h0, c0, []
    for t in range(x.shape[1]):
        z = x[:, t] @ kernel + h @ recurrent_kernel + bias
        i, f, g, o = (z[:, k * units:(k + 1) * units] for k in range(4))
        c = lu.sigmoid(f) * c + lu.sigmoid(i) * np.tanh(g)
        h = lu.sigmoid(o) * np.tanh(c)
        cs.append(c)
    return np.stack(cs, axis=1)


def test_04_3_reference_passes():
    assert run_check("04.3", {"cell_states": cell_states_reference}) == (True, "correct")
    assert run_check("04.3", {"cell_states": lambda x, k, r, b, h0, c0: loop(x, k, r, b, h0, c0)}) == (True, "correct")


@pytest.mark.parametrize("wrong, expected", [
    (lambda x, k, r, b, h0, c0: loop(x, k, r, b, h0, c0, "h"), "these are the hidden states h_t"),
    (lambda x, k, r, b, h0, c0: loop(x, k, r, b, h0, c0, "candidate"), "gates['c'] is c̃_t = tanh(z_c)"),
    (lambda x, k, r, b, h0, c0: loop(x, k, r, b, 0 * h0, 0 * c0), "started from zero states"),
    (lambda x, k, r, b, h0, c0: loop(x, k, r, b, c0, h0), "h0 and c0 are swapped"),
    (lambda x, k, r, b, h0, c0: loop(x, k, r, b, h0, c0, "c_prev"), "off by one step"),
    (lambda x, k, r, b, h0, c0: loop(x, k, r, None, h0, c0), "differ from Keras's rule"),
    (lambda x, k, r, b, h0, c0: loop(x, k, r, b, h0, c0).swapaxes(0, 1), "stack the steps along axis 1"),
    (lambda x, k, r, b, h0, c0: loop(x, k, r, b, h0, c0)[:, -1], "one cell state per sample"),
    (lambda x, k, r, b, h0, c0: np.concatenate([c0[:, None], loop(x, k, r, b, h0, c0)], axis=1), "leave out c0"),
    (lambda x, k, r, b, h0, c0: loop(*(a.astype(np.float32) for a in (x, k, r, b, h0, c0))), "close but not equal"),
])
def test_04_3_mistakes_are_named(wrong, expected):
    assert expected in failing("04.3", {"cell_states": wrong})


@pytest.mark.parametrize("answer", [None, "c", np.zeros((3, 5, 2)), lambda *a: None, lambda *a: {"c": 1},
                                    lambda *a: np.zeros((5, 2)), lambda *a: np.array(["a", "b"]),
                                    lambda *a: np.zeros((3, 5, 2), dtype=complex)])
def test_04_3_garbage_gets_a_hint(answer):
    failing("04.3", {"cell_states": answer})


def test_04_3_the_learners_own_error_is_reported_not_raised():
    passed, message = run_check("04.3", {"cell_states": lambda x, k, r, b, h0, c0: lu.lstm_step(x, h0, c0, k, r, b)})
    assert not passed and message.startswith("your code raised ValueError")
