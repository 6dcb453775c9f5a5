"""Checks for the synthetic chapter 98 the coursework tests build (imported by the grader with --checks).

Chapter 98 does not exist: these ids never collide with the course's own exercises.
"""

import numpy as np

from lstm_utils.checks import Hint, exercise
from lstm_utils.gates import split_gates
from lstm_utils.reference import sigmoid


@exercise("98.1", "n_params")
def _(n_params):
    if not isinstance(n_params, int):
        raise Hint(f"n_params should be an int, got {type(n_params).__name__}")
    if n_params != 72:
        raise Hint(f"expected 4·3·(2+3+1) = 72 parameters, got {n_params}")


@exercise("98.2", "kernel", "kernel_f")
def _(kernel, kernel_f):
    if not isinstance(kernel_f, np.ndarray) or kernel_f.shape != (2, 3):
        raise Hint(f"kernel_f should be an array of shape (2, 3), got {getattr(kernel_f, 'shape', type(kernel_f).__name__)}")
    if not np.array_equal(kernel_f, split_gates(kernel)["f"]):
        raise Hint("kernel_f is not the forget-gate block of kernel")


@exercise("98.3", "my_sigmoid")
def _(my_sigmoid):
    x = np.linspace(-5.0, 5.0, 11)
    got = np.asarray(my_sigmoid(x), dtype=float)
    if got.shape != x.shape or not np.allclose(got, sigmoid(x), rtol=0, atol=1e-12):
        raise Hint("my_sigmoid(x) is not 1 / (1 + exp(-x))")
