"""Chapter 07's exercise checks: the right answer passes, each usual mistake gets its own hint, garbage gets a hint."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import hint


# ------------------------------------------------------------------ 07.1  batch_shape=(8, 50, 3), LSTM(16, stateful)

RIGHT_SHAPE, RIGHT_COUNT = (8, 16), 16 * 4 * (3 + 16) + 4 * 16     # kernel + recurrent_kernel, then bias


def test_07_1_right():
    assert RIGHT_COUNT == 1280
    assert run_check("07.1", {"state_shape": RIGHT_SHAPE, "n_params": RIGHT_COUNT}) == (True, "correct")
    assert run_check("07.1", {"state_shape": [8, 16], "n_params": np.int64(1280)})[0]


@pytest.mark.parametrize("shape, words", [
    ((16, 8), "(units, batch)"), ((50, 16), "timesteps"), ((8, 50, 16), "not kept for every timestep"),
    ((16,), "one row of state per position"), ((8, 3), "features"), ((2, 8, 16), "both variables"),
    ((8, 64), "4*units"), ((4, 4), "(batch, units)"),
])
def test_07_1_shape_mistakes(shape, words):
    assert words in hint("07.1", state_shape=shape, n_params=RIGHT_COUNT)


@pytest.mark.parametrize("count, words", [
    (1280 + 2 * 8 * 16, "not weights"), (1280 * 50, "every timestep"), (1280 * 8, "batch size"),
    (1216, "bias is missing"), (320, "four gate blocks"), (4 * 16 * (8 + 16 + 1), "8 is the batch size"),
    (4 * 16 * (50 + 16 + 1), "50 is the number of timesteps"), (4 * 16 * 4, "recurrent_kernel is missing"),
    (1000, "4*units*(features + units + 1)"),
])
def test_07_1_count_mistakes(count, words):
    assert words in hint("07.1", state_shape=RIGHT_SHAPE, n_params=count)


@pytest.mark.parametrize("shape, count", [
    (None, 1280), ("(8, 16)", 1280), ((8.0, 16.0), 1280), (np.zeros((8, 16)), 1280),
    ((8, 16), None), ((8, 16), "1280"), ((8, 16), 1280.0), ((8, 16), True),
])
def test_07_1_garbage(shape, count):
    hint("07.1", state_shape=shape, n_params=count)


# ------------------------------------------------------------------ 07.2  stateful_call

def right_call(x_batch, h, c, kernel, recurrent_kernel, bias):
    # independent of the check: step by step with lu.lstm_step
    for t in range(x_batch.shape[1]):
        h, c, _ = lu.lstm_step(x_batch[:, t], h, c, kernel, recurrent_kernel, bias)
    return h, h, c


def test_07_2_right():
    assert run_check("07.2", {"stateful_call": right_call}) == (True, "correct")


def test_07_2_right_with_lstm_forward_and_float32():
    def call(x_batch, h, c, kernel, recurrent_kernel, bias):
        args = [a.astype(np.float32) for a in (x_batch, kernel, recurrent_kernel, bias, h, c)]
        return lu.lstm_forward(*args[:4], initial_state=args[4:], return_state=True)   # a list is fine too
    assert run_check("07.2", {"stateful_call": call})[0]


def from_state(which):
    def call(x_batch, h, c, kernel, recurrent_kernel, bias):
        zeros = np.zeros_like(h)
        state = {"zeros": [zeros, zeros], "swapped": [c, h], "h only": [h, zeros], "c only": [zeros, c]}[which]
        return tuple(lu.lstm_forward(x_batch, kernel, recurrent_kernel, bias, initial_state=state, return_state=True))
    return call


@pytest.mark.parametrize("which, words", [
    ("zeros", "from zeros"), ("swapped", "h and c are swapped"), ("h only", "only h was carried"),
    ("c only", "only c was carried"),
])
def test_07_2_wrong_start(which, words):
    assert words in hint("07.2", stateful_call=from_state(which))


def test_07_2_read_backwards():
    def call(x_batch, h, c, kernel, recurrent_kernel, bias):
        return right_call(x_batch[:, ::-1], h, c, kernel, recurrent_kernel, bias)
    assert "read backwards" in hint("07.2", stateful_call=call)


def test_07_2_state_order_and_staleness():
    def c_first(*args):
        out, h, c = right_call(*args)
        return out, c, h

    def stale(x_batch, h, c, *weights):
        out, _, _ = right_call(x_batch, h, c, *weights)
        return out, h, c

    def c_is_h(*args):
        out, h, _ = right_call(*args)
        return out, h, h

    def h_off(*args):
        out, h, c = right_call(*args)
        return out, h + 0.01, c

    assert "(c, h)" in hint("07.2", stateful_call=c_first)
    assert "the state you were given" in hint("07.2", stateful_call=stale)
    assert "it equals the output h" in hint("07.2", stateful_call=c_is_h)
    assert "h_new is off" in hint("07.2", stateful_call=h_off)


def test_07_2_shapes_and_returns():
    def every_step(x_batch, h, c, kernel, recurrent_kernel, bias):
        return tuple(lu.lstm_forward(x_batch, kernel, recurrent_kernel, bias, initial_state=[h, c],
                                     return_sequences=True, return_state=True))

    def nested(*args):
        out, h, c = right_call(*args)
        return out, [h, c]

    def output_only(*args):
        return right_call(*args)[0]

    assert "return_sequences=False" in hint("07.2", stateful_call=every_step)
    assert "got 2 (the output and the new state" in hint("07.2", stateful_call=nested)
    assert "got ndarray" in hint("07.2", stateful_call=output_only)


def test_07_2_chain_catches_a_call_that_keeps_its_own_memory():
    calls = []

    def forgetful_after_one(x_batch, h, c, *weights):      # right on the first call, then always from zeros
        calls.append(1)
        if len(calls) > 1:
            h, c = np.zeros_like(h), np.zeros_like(c)
        return right_call(x_batch, h, c, *weights)
    assert "three calls in a row" in hint("07.2", stateful_call=forgetful_after_one)


@pytest.mark.parametrize("answer", [None, 3, "lu.lstm_forward", lambda *a: None, lambda *a: "abc",
                                    lambda *a: (1, 2, 3), lambda *a: (np.zeros((3, 4)),) * 3,
                                    lambda *a: ([[1, 2], [3]], 0, 0)])
def test_07_2_garbage(answer):
    hint("07.2", stateful_call=answer)


def test_07_2_learners_error_and_stub():
    def stub(*args):
        raise NotImplementedError
    assert run_check("07.2", {"stateful_call": stub})[1].startswith("not answered yet")
    passed, message = run_check("07.2", {"stateful_call": lambda x: x})
    assert not passed and message.startswith("your code raised TypeError")


# ------------------------------------------------------------------ 07.3  which row continues which

def test_07_3_right():
    # previous rows P, Q, R; x_next rows R, P, Q: P is in row 1, Q in row 2, R in row 0
    assert run_check("07.3", {"order": [1, 2, 0]}) == (True, "correct")
    assert run_check("07.3", {"order": np.array([1, 2, 0])})[0]
    assert run_check("07.3", {"order": (1, 2, 0)})[0]


def test_07_3_mistakes():
    assert "x_next unchanged" in hint("07.3", order=[0, 1, 2])
    assert "inverse rearrangement" in hint("07.3", order=[2, 0, 1])
    message = hint("07.3", order=[1, 0, 2])
    assert "row 1 would continue Q's state with R's chunk" in message
    assert "each row of x_next once" in hint("07.3", order=[1, 1, 0])
    assert "each row of x_next once" in hint("07.3", order=[1, 2])


@pytest.mark.parametrize("answer", [None, "1, 2, 0", [1.0, 2.0, 0.0], [True, False, True], 120, {1, 2, 0},
                                    np.zeros((3, 3), int), [-1, 0, 1]])
def test_07_3_garbage(answer):
    hint("07.3", order=answer)


# ------------------------------------------------------------------ the answers are what Keras does

@pytest.mark.keras
def test_07_1_and_07_2_answers_are_what_keras_does():
    import keras

    model = keras.Sequential([keras.Input(batch_shape=(8, 50, 3)), keras.layers.LSTM(16, stateful=True)])
    layer = model.layers[0]
    shapes = {tuple(v.shape) for v in layer.states}
    assert run_check("07.1", {"state_shape": shapes.pop(), "n_params": model.count_params()}) == (True, "correct")

    # a float64 stateful Keras layer called on three chunks gives what right_call gives, chained by hand
    rng = np.random.default_rng(3)
    layer = keras.layers.LSTM(4, stateful=True, dtype="float64")
    keras.Sequential([keras.Input(batch_shape=(3, 4, 2), dtype="float64"), layer])
    weights = [rng.normal(size=w.shape) * 0.7 for w in layer.get_weights()]
    layer.set_weights(weights)
    x = rng.normal(size=(3, 12, 2))
    h = c = np.zeros((3, 4))
    for k in range(3):
        out, h, c = right_call(x[:, 4 * k:4 * k + 4], h, c, *weights)
        np.testing.assert_allclose(out, np.asarray(layer(x[:, 4 * k:4 * k + 4])), rtol=0, atol=1e-12)
        np.testing.assert_allclose(c, layer.states[1].numpy(), rtol=0, atol=1e-12)
