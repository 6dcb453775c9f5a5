"""Chapter 13's exercise checks: the right answer passes, each usual mistake gets its own hint, garbage gets a hint.
The right answers are derived here independently (counting, windows cut with Python slices, lstm_step loops),
never copied from the checks."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.checks import run_check

from checks_helpers import assert_exercises_solved, hint


def test_chapter_holds_its_exercises_solved():
    assert_exercises_solved("13_sequences_in_and_out.ipynb", ["13.1", "13.2", "13.3"])


# ------------------------------------------------------------------ 13.1  Dense on every step

# Dense(2) reading 4 numbers: one weight per (input, output) pair, one bias per output
RIGHT_N = len([(i, o) for i in range(4) for o in range(2)]) + 2
RIGHT_SHAPE = (16, 7, 2)


def test_13_1_right():
    assert run_check("13.1", {"n_dense": RIGHT_N, "output_shape": RIGHT_SHAPE}) == (True, "correct")
    assert run_check("13.1", {"n_dense": RIGHT_N, "output_shape": [16, 7, 2]})[0]


@pytest.mark.parametrize("n, shape, words", [
    (7 * RIGHT_N, RIGHT_SHAPE, "one set of weights"),
    (7 * 4 * 2 + 2, RIGHT_SHAPE, "does not flatten"),
    (3 * 2 + 2, RIGHT_SHAPE, "the LSTM's 4 numbers per step"),
    (4 * 2, RIGHT_SHAPE, "without the 2 biases"),
    (4 * 4 * (3 + 4 + 1) + RIGHT_N, RIGHT_SHAPE, "whole model"),
    (99, RIGHT_SHAPE, "how many numbers does it read"),
    (RIGHT_N, (16, 2), "keeps the time axis"),
    (RIGHT_N, (16, 7, 4), "that is the LSTM's output"),
    (RIGHT_N, (7, 16, 2), "batch axis first"),
    (RIGHT_N, (16, 14), "does not flatten"),
    (RIGHT_N, (1, 2, 3), "is not right"),
])
def test_13_1_mistakes_are_named(n, shape, words):
    assert words in hint("13.1", n_dense=n, output_shape=shape)


@pytest.mark.parametrize("n, shape", [(None, RIGHT_SHAPE), ("10", RIGHT_SHAPE), (10.0, RIGHT_SHAPE),
                                      (RIGHT_N, None), (RIGHT_N, "(16, 7, 2)"), (RIGHT_N, (16.0, 7, 2)),
                                      (RIGHT_N, (None, 7, 2))])
def test_13_1_garbage_gets_a_hint(n, shape):
    hint("13.1", n_dense=n, output_shape=shape)


# ------------------------------------------------------------------ 13.2  windows

def windows_reference(series, timesteps):
    X = np.array([series[k:k + timesteps] for k in range(len(series) - timesteps)])
    y = np.array([series[k + timesteps] for k in range(len(series) - timesteps)])
    return X, y


def test_13_2_right():
    assert run_check("13.2", {"next_step_windows": windows_reference}) == (True, "correct")


def test_13_2_right_is_keras():
    # the reference against timeseries_dataset_from_array's rule as the chapter shows it: window k of
    # series[:-1] paired with series[T:][k]; here written out for one series without Keras
    series = np.arange(20.0).reshape(10, 2)
    X, y = windows_reference(series, 3)
    assert X.shape == (7, 3, 2) and y.shape == (7, 2)
    np.testing.assert_array_equal(X, lu.sliding_windows(series[:-1], 3))
    np.testing.assert_array_equal(y, series[3:])


@pytest.mark.parametrize("answer, words", [
    (lambda s, t: (lu.sliding_windows(s, t), s[t:]), "has no next step"),
    (lambda s, t: (lu.sliding_windows(s[:-1], t)[..., 0], s[t:]), "no feature axis"),
    (lambda s, t: (lu.sliding_windows(s[:-1], t).transpose(0, 2, 1), s[t:]), "swapped"),
    (lambda s, t: (lu.sliding_windows(s[:-1], t), s[t - 1:-1]), "the window's own last step"),
    (lambda s, t: (lu.sliding_windows(s[:-1], t), s[t:][::-1]), "the step right after window k"),
    (lambda s, t: (lu.sliding_windows(s[:-1], t)[:, ::-1], s[t:]), "in order"),
    (lambda s, t: (lu.sliding_windows(s[:-1], t), s[t:, 0]), "y must have shape"),
])
def test_13_2_mistakes_are_named(answer, words):
    assert words in hint("13.2", next_step_windows=answer)


@pytest.mark.parametrize("answer", [None, 3, lambda s, t: None, lambda s, t: s, lambda s, t: ("X", "y"),
                                    lambda s, t: (np.full((8, 4, 3), np.nan), s[4:])])
def test_13_2_garbage_gets_a_hint(answer):
    passed, message = run_check("13.2", {"next_step_windows": answer})
    assert not passed and not message.startswith("your code raised")


# ------------------------------------------------------------------ 13.3  encoder-decoder

def ed_reference(x, enc, dec, w, b, out_steps):
    # step by step with lstm_step: the encoder over x, then the decoder reading the same summary out_steps times
    batch = x.shape[0]
    units = enc[1].shape[0]
    h, c = np.zeros((batch, units)), np.zeros((batch, units))
    for t in range(x.shape[1]):
        h, c, _ = lu.lstm_step(x[:, t], h, c, *enc)
    summary = h
    h, c = np.zeros((batch, dec[1].shape[0])), np.zeros((batch, dec[1].shape[0]))
    out = []
    for _ in range(out_steps):
        h, c, _ = lu.lstm_step(summary, h, c, *dec)
        out.append(h @ w + b)
    return np.stack(out, axis=1)


def test_13_3_right():
    assert run_check("13.3", {"encode_decode": ed_reference}) == (True, "correct")


def _summary(x, enc):
    return lu.lstm_forward(x, *enc)


@pytest.mark.parametrize("answer, words", [
    (lambda x, e, d, w, b, n: lu.lstm_forward(np.repeat(_summary(x, e)[:, None], n, 1), *d, return_sequences=True),
     "put the Dense layer on every step"),
    (lambda x, e, d, w, b, n: lu.lstm_forward(np.repeat(_summary(x, e)[:, None], n, 1), *d) @ w + b,
     "return_sequences=True"),
    (lambda x, e, d, w, b, n: lu.lstm_forward(np.repeat(_summary(x, e)[:, None], x.shape[1], 1), *d,
                                              return_sequences=True) @ w + b, "not the input's"),
    (lambda x, e, d, w, b, n: lu.lstm_forward(np.tile(_summary(x, e), (n, 1)).reshape(x.shape[0], n, -1), *d,
                                              return_sequences=True) @ w + b, "mixed up between samples"),
    (lambda x, e, d, w, b, n: lu.lstm_forward(np.repeat(_summary(x, e)[:, None], n, 1), *d, return_sequences=True,
                                              initial_state=lu.lstm_forward(x, *e, return_state=True)[1:]) @ w + b,
     "starts from zero states"),
    # a go_backwards decoder would pass: its n inputs are all the same summary
    (lambda x, e, d, w, b, n: lu.lstm_forward(np.repeat(_summary(x, e)[:, None], n, 1), *d, return_sequences=True)
     @ w, "differs from the model's"),
])
def test_13_3_mistakes_are_named(answer, words):
    assert words in hint("13.3", encode_decode=answer)


@pytest.mark.parametrize("answer", [None, "f", lambda *a: None, lambda *a: "out", lambda *a: np.zeros((2, 3)),
                                    lambda x, e, d, w, b, n: np.full((x.shape[0], n, w.shape[1]), np.inf)])
def test_13_3_garbage_gets_a_hint(answer):
    passed, message = run_check("13.3", {"encode_decode": answer})
    assert not passed and not message.startswith("your code raised")
