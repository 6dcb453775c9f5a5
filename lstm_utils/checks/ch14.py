"""Checks for the exercises of chapter 14."""

from ._registry import Hint, exercise  # noqa: F401

import numpy as np

from ..training import dense_backward
from ._helpers import call_quietly, function_answer, shaped_array


def _close(a, b, atol):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= atol))


def _first_known(got, known, atol):
    for value, hint in known:
        if _close(got, value, atol):
            raise Hint(hint)


# ---------------------------------------------------------------------------------------------------------------
# 14.1  dL/dy_hat for "mse" on a batch of four

#: The numbers the exercise's cell sets.
Y_TRUE = np.array([[1.0], [0.5], [2.0], [1.5]])
Y_PRED = np.array([[1.2], [0.0], [2.0], [1.0]])


@exercise("14.1", "grad_y")
def _(grad_y):
    n = Y_PRED.size
    err = Y_PRED - Y_TRUE
    if isinstance(grad_y, (int, float, np.floating)) or (isinstance(grad_y, np.ndarray) and grad_y.ndim == 0):
        raise Hint("grad_y is one number; the gradient has one entry per prediction, shape (4, 1): "
                   "dL/dy_hat_n for each sample n")
    try:
        arr = np.asarray(grad_y) if isinstance(grad_y, (list, tuple, np.ndarray)) else None
    except (TypeError, ValueError):              # ragged lists, complex numbers: shaped_array says what is off
        arr = None
    if arr is not None and arr.shape == (4,):
        raise Hint("grad_y has shape (4,): keep the shape of y_pred, (4, 1)")
    got = shaped_array(grad_y, "grad_y", (4, 1))
    right = 2 * err / n
    if _close(got, right, 1e-9):
        return
    _first_known(got, [
        (-right, "every sign is flipped: the gradient is 2 (y_pred - y_true) / N, positive where the prediction is "
                 "too large"),
        (err / n, "the factor 2 from the square is missing: d/dy (y - t)**2 = 2 (y - t)"),
        (2 * err, "the 1/N of the mean is missing: the loss is the mean over the 4 entries, so each gets 1/4 of the "
                  "derivative"),
        (err, "both the 2 from the square and the 1/N of the mean are missing"),
        (2 * err / n ** 2, "you divided by N twice; the mean divides by N = 4 once"),
        (np.full((4, 1), 2 * err.mean()), "that is the same number for every sample: each prediction's gradient "
                                          "depends on its own error, 2 (y_pred_n - y_true_n) / N"),
        (2 * err ** 2 / n, "the square's derivative is 2 (y - t), not 2 (y - t)**2"),
        (err ** 2 / n, "that is each sample's share of the loss, not its gradient: differentiate (y - t)**2"),
    ], 1e-9)
    raise Hint("grad_y is not right: L = mean((y_pred - y_true)**2) over the 4 entries; differentiate with respect "
               "to each y_pred")


# ---------------------------------------------------------------------------------------------------------------
# 14.2  Adam's first step with Keras's defaults

G = np.array([2.0, -0.5, 1e-6])
_LR, _B1, _B2, _EPS = 0.001, 0.9, 0.999, 1e-7


def _adam_first(g, *, eps_inside=False, corrected=True, lr=_LR):
    m, v = (1 - _B1) * g, (1 - _B2) * g ** 2
    if eps_inside:              # the paper's and PyTorch's place for epsilon
        return -lr * (m / (1 - _B1)) / (np.sqrt(v / (1 - _B2)) + _EPS)
    alpha = lr * np.sqrt(1 - _B2) / (1 - _B1) if corrected else lr
    return -alpha * m / (np.sqrt(v) + _EPS)


@exercise("14.2", "delta")
def _(delta):
    got = shaped_array(delta, "delta", (3,))
    right = _adam_first(G)
    if _close(got, right, 1e-12):
        return
    _first_known(got, [
        (-right, "every sign is flipped: delta is the new weight minus the old, and Adam moves against the "
                 "gradient"),
        (_adam_first(G, eps_inside=True), "that is the Adam paper's (and PyTorch's) formula, with epsilon added to "
                                          "the bias-corrected sqrt(v_hat); Keras adds it to sqrt(v), inside alpha's "
                                          "form: w -= alpha * m / (sqrt(v) + epsilon). Look at the third weight"),
        (_adam_first(G, corrected=False), "the bias correction is missing: alpha = lr * sqrt(1 - beta_2**t) / "
                                          "(1 - beta_1**t), with t = 1"),
        (-_LR * G, "that is SGD's step, -lr * g; Adam divides by the running size of the gradient"),
        (-_LR * np.sign(G), "close, but not exact: the third gradient, 1e-6, is not large next to "
                            "epsilon / sqrt(1 - beta_2) = 3.2e-6, so its step is much smaller than lr"),
        (G - _adam_first(G), "delta is the change of the weight, not the new value of something"),
    ], 1e-12)
    raise Hint("delta is not right: from m = v = 0, take m and v one step, alpha at t = 1, and "
               "delta = -alpha * m / (sqrt(v) + epsilon)")


# ---------------------------------------------------------------------------------------------------------------
# 14.3  backward through Dense

def _cases():
    rng = np.random.default_rng(1403)
    return [(rng.normal(size=(b, i)), rng.normal(size=(i, o)), rng.normal(size=(b, o)))
            for b, i, o in ((5, 3, 1), (4, 2, 3), (1, 3, 2))]


@exercise("14.3", "my_dense_backward")
def _(my_dense_backward):
    function_answer(my_dense_backward, "my_dense_backward", "h, kernel, grad_y")
    for h, kernel, grad_y in _cases():
        batch, inputs = h.shape
        outputs = kernel.shape[1]
        where = f"for h {h.shape}, kernel {kernel.shape}: "
        got = call_quietly(my_dense_backward, h.copy(), kernel.copy(), grad_y.copy())
        if isinstance(got, dict):
            raise Hint("my_dense_backward should return the tuple (d_h, d_kernel, d_bias), not a dict")
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            raise Hint("my_dense_backward should return three arrays, (d_h, d_kernel, d_bias)")
        want = dense_backward(h, kernel, grad_y)
        d_h, d_kernel, d_bias = (np.asarray(v, dtype=np.float64) if not isinstance(v, (str, dict)) else v
                                 for v in got)
        if _close(d_kernel, want["x"], 1e-9) and _close(d_h, want["kernel"], 1e-9):
            raise Hint("d_h and d_kernel are swapped: return (d_h, d_kernel, d_bias) in that order")
        if getattr(d_kernel, "shape", None) == (outputs, inputs) and outputs != inputs:
            raise Hint(where + f"d_kernel has shape {d_kernel.shape}, kernel's transpose: it must be shaped like "
                       f"kernel, (inputs, outputs) = {kernel.shape}: h.T @ grad_y")
        if getattr(d_bias, "shape", None) == (batch, outputs) and batch != 1:
            raise Hint(where + f"d_bias has shape {d_bias.shape}, one row per sample: the same bias serves every "
                       "sample, so their gradients add up, grad_y.sum(axis=0)")
        d_h = shaped_array(d_h, "d_h", h.shape)
        d_kernel = shaped_array(d_kernel, "d_kernel", kernel.shape)
        if _close(np.ravel(d_bias), want["bias"], 1e-9) and np.shape(d_bias) != (outputs,):
            raise Hint(where + f"d_bias has shape {np.shape(d_bias)}; the bias has shape ({outputs},)")
        d_bias = shaped_array(d_bias, "d_bias", (outputs,))
        if not _close(d_h, want["x"], 1e-9):
            raise Hint(where + "d_h is not right: y_hat = h @ kernel + bias, so d_h = grad_y @ kernel.T")
        if not _close(d_kernel, want["kernel"], 1e-9):
            raise Hint(where + "d_kernel is not right: d_kernel = h.T @ grad_y, every sample's share added")
        if _close(d_bias, grad_y.mean(axis=0), 1e-9) and batch > 1:
            raise Hint(where + "d_bias is the mean over the samples; it is their sum: the bias is added to every "
                       "sample and each adds its gradient")
        if not _close(d_bias, want["bias"], 1e-9):
            raise Hint(where + "d_bias is not right: d_bias = grad_y.sum(axis=0)")
