"""Chapter 14's exercise checks: the right answer passes, each usual mistake gets its own hint, garbage gets a hint."""

import math

import numpy as np
import pytest

from lstm_utils.checks import run_check

from checks_helpers import assert_exercises_solved, hint


def test_the_chapter_holds_its_exercises_solved():
    assert_exercises_solved("14_training_by_hand.ipynb", ["14.1", "14.2", "14.3"])


# ------------------------------------------------------------------ 14.1  dL/dy_hat for "mse"

Y_TRUE = [1.0, 0.5, 2.0, 1.5]          # as the exercise's cell sets them
Y_PRED = [1.2, 0.0, 2.0, 1.0]


def right_grad_y():
    # the derivative of (1/4) * sum (p - t)**2 with respect to each p, written out one entry at a time
    return np.array([[2 * (p - t) / 4] for p, t in zip(Y_PRED, Y_TRUE)])


def test_14_1_numbers_match_the_check_module():
    from lstm_utils.checks import ch14
    assert np.array_equal(ch14.Y_TRUE.ravel(), Y_TRUE) and np.array_equal(ch14.Y_PRED.ravel(), Y_PRED)


def test_14_1_right():
    assert run_check("14.1", {"grad_y": right_grad_y()}) == (True, "correct")
    assert run_check("14.1", {"grad_y": right_grad_y().tolist()})[0]


def test_14_1_against_a_finite_difference():
    def loss(p):
        return sum((a - t) ** 2 for a, t in zip(p, Y_TRUE)) / 4

    eps = 1e-6
    numeric = [(loss([v + eps * (k == n) for k, v in enumerate(Y_PRED)])
                - loss([v - eps * (k == n) for k, v in enumerate(Y_PRED)])) / (2 * eps) for n in range(4)]
    np.testing.assert_allclose(right_grad_y().ravel(), numeric, atol=1e-8)


@pytest.mark.parametrize("factor, words", [
    (-1, "every sign is flipped"), (0.5, "the factor 2 from the square is missing"),
    (4, "the 1/N of the mean is missing"), (2, "both the 2 from the square"), (0.25, "divided by N twice"),
])
def test_14_1_mistakes(factor, words):
    assert words in hint("14.1", grad_y=right_grad_y() * factor)


def test_14_1_other_mistakes():
    err = np.array(Y_PRED)[:, None] - np.array(Y_TRUE)[:, None]
    assert "the same number for every sample" in hint("14.1", grad_y=np.full((4, 1), 2 * err.mean()))
    assert "not 2 (y - t)**2" in hint("14.1", grad_y=2 * err ** 2 / 4)
    assert "share of the loss" in hint("14.1", grad_y=err ** 2 / 4)
    assert "shape (4,)" in hint("14.1", grad_y=right_grad_y().ravel())
    assert "one number" in hint("14.1", grad_y=0.1)
    assert "differentiate with respect" in hint("14.1", grad_y=right_grad_y() + 0.05)


@pytest.mark.parametrize("answer", [None, "0.1", np.zeros((1, 4)), [[1, 2], [3]], np.full((4, 1), np.nan),
                                    np.array([[1j]] * 4), {"a": 1}])
def test_14_1_garbage(answer):
    hint("14.1", grad_y=answer)


# ------------------------------------------------------------------ 14.2  Adam's first step

G = [2.0, -0.5, 1e-6]


def right_delta():
    # t = 1, m = 0.1 g, v = 0.001 g^2, alpha = 0.001 * sqrt(0.001) / 0.1: the step is lr * g / (|g| + eps / sqrt(0.001))
    return np.array([-0.001 * g / (abs(g) + 1e-7 / math.sqrt(0.001)) for g in G])


def test_14_2_right():
    assert run_check("14.2", {"delta": right_delta()}) == (True, "correct")
    assert abs(right_delta()[0] + 0.001) < 1e-6 and abs(right_delta()[2] + 0.001 * 1e-6 / 4.16e-6) < 1e-6


def test_14_2_the_numbers_are_what_lstm_utils_does():
    import lstm_utils as lu
    new, _ = lu.adam_update([np.zeros(3)], [np.array(G)], learning_rate_dtype=None)
    np.testing.assert_allclose(new[0], right_delta(), rtol=1e-12)


def paper_delta():
    # Kingma & Ba, Algorithm 1 (and torch.optim.Adam): epsilon added to the bias-corrected sqrt(v_hat)
    return np.array([-0.001 * g / (abs(g) + 1e-7) for g in G])


@pytest.mark.parametrize("value, words", [
    (-right_delta(), "every sign is flipped"),
    (paper_delta(), "the Adam paper's (and PyTorch's) formula"),
    (np.array([-0.001 * 0.1 * g / (math.sqrt(0.001) * abs(g) + 1e-7) for g in G]), "the bias correction is missing"),
    (-0.001 * np.array(G), "that is SGD's step"),
    (-0.001 * np.sign(G), "close, but not exact"),
    (right_delta() + 0.0005, "take m and v one step"),
])
def test_14_2_mistakes(value, words):
    assert words in hint("14.2", delta=value)


@pytest.mark.parametrize("answer", [None, -0.001, np.zeros(2), "x", [np.inf, 0, 0]])
def test_14_2_garbage(answer):
    hint("14.2", delta=answer)


# ------------------------------------------------------------------ 14.3  my_dense_backward

def right(h, kernel, grad_y):
    # loops, written independently of the check: y[n, o] = sum_i h[n, i] kernel[i, o] + b[o]
    batch, inputs = h.shape
    outputs = kernel.shape[1]
    d_h = np.zeros_like(h)
    d_kernel = np.zeros_like(kernel)
    d_bias = np.zeros(outputs)
    for n in range(batch):
        for o in range(outputs):
            d_bias[o] += grad_y[n, o]
            for i in range(inputs):
                d_h[n, i] += grad_y[n, o] * kernel[i, o]
                d_kernel[i, o] += h[n, i] * grad_y[n, o]
    return d_h, d_kernel, d_bias


def test_14_3_right():
    assert run_check("14.3", {"my_dense_backward": right}) == (True, "correct")


@pytest.mark.parametrize("func, words", [
    (lambda h, k, g: (h.T @ g, g @ k.T, g.sum(0)), "swapped"),
    (lambda h, k, g: (g @ k.T, g.T @ h, g.sum(0)), "kernel's transpose"),
    (lambda h, k, g: (g @ k.T, h.T @ g, g), "one row per sample"),
    (lambda h, k, g: (g @ k.T, h.T @ g, g.mean(0)), "the mean over the samples"),
    (lambda h, k, g: (g @ k.T, h.T @ g, g.sum(0, keepdims=True)), "the bias has shape"),
    (lambda h, k, g: (g @ k.T * 2, h.T @ g, g.sum(0)), "d_h is not right"),
    (lambda h, k, g: (g @ k.T, h.T @ g / len(h), g.sum(0)), "d_kernel is not right"),
    (lambda h, k, g: {"x": g @ k.T}, "not a dict"),
    (lambda h, k, g: (g @ k.T, h.T @ g), "three arrays"),
])
def test_14_3_mistakes(func, words):
    assert words in hint("14.3", my_dense_backward=func)


def test_14_3_garbage():
    hint("14.3", my_dense_backward=None)
    hint("14.3", my_dense_backward=lambda h, k, g: None)
    passed, message = run_check("14.3", {"my_dense_backward": lambda h, k, g: 1 / 0})
    assert not passed and "ZeroDivisionError" in message
