"""Checks for the exercises of chapter 01."""

from ._registry import Hint, exercise  # noqa: F401

import numpy as np

from ..gates import GATE_ORDER
from ..reference import sigmoid
from ._helpers import FLOAT32_ATOL, check_step, close, float_answer, integer_answer, name_mistakes, order_mistakes

# ---------------------------------------------------------------------------------------------------------------
# Exercise 01.1: the parameter count of LSTM(1) on (50, 1)
# ---------------------------------------------------------------------------------------------------------------

_T = 50


@exercise("01.1", "n_params_50")
def _(n_params_50):
    n = integer_answer(n_params_50, "n_params_50")
    if n == 12:
        return
    known = {
        12 * _T: f"that is 12 × {_T}: you multiplied by the {_T} timesteps, but one cell is applied at every step "
                 "with the same weights, so the count does not depend on the sequence length",
        4 * (_T + 1 + 1): f"you used {_T} as the number of features: shape ({_T}, 1) is {_T} timesteps of 1 feature",
        4 * _T * (1 + _T + 1): f"you used {_T} as the number of units: ({_T}, 1) is the input shape, LSTM(1) has "
                               "1 unit",
        4 * (1 + 1): "the biases are missing: each gate also has one bias",
        4 * (1 + 1 + 2): "that counts two biases per gate (PyTorch keeps b_ih and b_hh); a Keras gate has one bias",
        3 * (1 + 1 + 1): "that counts three gates (a GRU has three); an LSTM has four: i, f, c̃ and o",
        3: "that is one gate's share; an LSTM unit has four gates: i, f, c̃ and o",
        4: "one number per gate is too few: each gate has an input weight, a recurrent weight and a bias",
        _T: f"{_T} is the number of timesteps, which does not enter the parameter count",
    }
    if n in known:
        raise Hint(known[n])
    raise Hint(f"{n} is not the number of parameters of LSTM(1) on ({_T}, 1); count, for each of the 4 gates, "
               "the weights on the input, the weights on the previous output and the bias")


# ---------------------------------------------------------------------------------------------------------------
# Exercise 01.2: the four pre-activations of one step, with the chapter's round weights
# ---------------------------------------------------------------------------------------------------------------

_W_X = np.array([0.5, 0.4, 0.3, 0.6])    # the chapter's kernel (1, 4), gates i, f, c, o
_W_H = np.array([0.2, 0.1, 0.4, 0.3])    # recurrent_kernel (1, 4)
_B = np.array([0.0, 1.0, 0.0, 0.0])      # bias (4,)
_X_T, _H_PREV, _C_PREV = -1.0, 0.5, 0.3


def _z_step(use_bias=True, recurrent="h", swap=False, squash="none", order=GATE_ORDER):
    w_x, w_h = (_W_H, _W_X) if swap else (_W_X, _W_H)
    prev = {"h": _H_PREV, "c": _C_PREV, "none": 0.0}[recurrent]
    z = w_x * _X_T + w_h * prev + (_B if use_bias else 0.0)
    if squash == "gates":
        z = np.array([sigmoid(z[0]), sigmoid(z[1]), np.tanh(z[2]), sigmoid(z[3])])
    elif squash == "sigmoid":
        z = sigmoid(z)
    return z[[GATE_ORDER.index(g) for g in order]]


_Z_STEP_MISTAKES = {
    "use_bias": [(True, None), (False, "the bias is missing: each z also adds its gate's bias b")],
    "recurrent": [("h", None), ("none", "the recurrent term U · h_prev is missing"),
                  ("c", "you multiplied the recurrent weights by c_prev = 0.3; they multiply the previous output "
                        "h_prev = 0.5 (c_prev plays no part in z)")],
    "swap": [(False, None), (True, "the weights are swapped: W (kernel) multiplies x_t and U (recurrent_kernel) "
                                   "multiplies h_prev")],
    "squash": [("none", None),
               ("gates", "those are the gate values after sigmoid and tanh; z is the pre-activation, before squashing"),
               ("sigmoid", "those are sigmoid(z); z is the pre-activation, before any squashing")],
    "order": order_mistakes(),
}


@exercise("01.2", "z_step")
def _(z_step):
    if isinstance(z_step, dict):
        raise Hint("z_step is a dict; make it an array in the order i, f, c, o, "
                   "e.g. np.array([z[g] for g in lu.GATE_ORDER])")
    z = float_answer(z_step, "z_step")
    if z.shape != (4,):
        extra = ": take its only row, z[0], or use z.ravel()" if z.shape in ((1, 4), (4, 1)) else ""
        raise Hint(f"z_step must have shape (4,), one pre-activation per gate i, f, c, o; got shape {z.shape}{extra}")
    if close(z, _z_step(), FLOAT32_ATOL):
        return
    name_mistakes(z, _Z_STEP_MISTAKES, _z_step)
    raise Hint(f"z_step = {np.array2string(z, precision=4)} is not z for x_t = {_X_T}, h_prev = {_H_PREV}; "
               "each entry is W * x_t + U * h_prev + b for its gate")


# ---------------------------------------------------------------------------------------------------------------
# Exercise 01.3: my_lstm_step for one unit and one feature, run on the check's own inputs
# ---------------------------------------------------------------------------------------------------------------

def _step_cases_one_unit():
    rng = np.random.default_rng(101)
    cases = [(np.array([1.0]), np.array([0.3]), np.array([-0.7]), _W_X[None], _W_H[None], _B)]  # the chapter's weights
    for _ in range(4):
        cases.append((rng.uniform(-2, 2, 1), rng.uniform(-0.9, 0.9, 1), rng.uniform(-2, 2, 1),
                      rng.uniform(-1.5, 1.5, (1, 4)), rng.uniform(-1.5, 1.5, (1, 4)), rng.uniform(-1, 1, 4)))
    return cases


STEP_CASES_ONE_UNIT = _step_cases_one_unit()


@exercise("01.3", "my_lstm_step")
def _(my_lstm_step):
    check_step(my_lstm_step, "my_lstm_step", STEP_CASES_ONE_UNIT, (1,), many_units=False, allow_scalar=True)
