"""Checks for the exercises of chapter 02."""

from ._registry import Hint, exercise  # noqa: F401

import numbers

import numpy as np

from ..gates import GATE_ORDER
from ..reference import sigmoid
from ._helpers import FLOAT32_ATOL, close, describe, float_answer, is_int, name_mistakes, order_mistakes, scalar_answer

# ---------------------------------------------------------------------------------------------------------------
# Exercise 02.1: the three weight shapes of LSTM(2) on inputs of shape (30, 7)
# ---------------------------------------------------------------------------------------------------------------

_UNITS, _FEATURES, _STEPS = 2, 7, 30


def _shape_answer(value, name):
    """A tuple of ints; lists are accepted, arrays, ints and strings get a Hint."""
    if isinstance(value, bool) or isinstance(value, numbers.Integral):
        raise Hint(f"{name} must be a shape, a tuple of ints such as (3,) or (3, 4); got the int {value}"
                   + (f" (a 1-D shape is written ({value},))" if name == "bias_shape" else ""))
    if not isinstance(value, (tuple, list)):
        raise Hint(f"{name} must be a shape, a tuple of ints such as (3, 4); got {describe(value)}")
    if not all(is_int(n) for n in value):
        raise Hint(f"{name} must be a tuple of ints, got {describe(value)}")
    return tuple(int(n) for n in value)


def _matrix_shape_hint(name, shape, known, layout):
    """The hint for a wrong shape of kernel or recurrent_kernel: `known` names the usual mistakes, `layout` says
    what the rows and columns are."""
    t = _STEPS
    if t in shape:
        return (f"{name} {shape} contains the {t} timesteps, but the same weights serve every step: "
                "no weight shape depends on the sequence length")
    if shape in known:
        return known[shape]
    if len(shape) != 2:
        return f"{name} must have 2 entries, (rows, columns), got {shape}"
    return f"{name} {shape} is not right: {layout}"


def _kernel_shape_hint(shape):
    u, f = _UNITS, _FEATURES
    known = {
        (4 * u, f): (f"kernel_shape {shape} is transposed: that is PyTorch's weight_ih layout (4*hidden, input); "
                     "a Keras kernel is (features, 4*units), one row per input feature"),
        (f, u): (f"kernel_shape {shape} has one column per unit, but each unit has four gates: "
                 "one column per (gate, unit) pair"),
        (f, 4): f"kernel_shape {shape} has the four columns of a single unit; LSTM({u}) has {u} units",
        (u, 4 * u): (f"{shape} is the shape of recurrent_kernel; the kernel multiplies x_t, so its rows are the "
                     f"{f} input features"),
        (f, 4 * f): f"kernel_shape {shape} uses the {f} features as units; LSTM({u}) has {u} units",
    }
    return _matrix_shape_hint("kernel_shape", shape, known,
                              "one row per input feature, one column per (gate, unit) pair")


def _recurrent_shape_hint(shape):
    u, f = _UNITS, _FEATURES
    known = {
        (4 * u, u): (f"recurrent_kernel_shape {shape} is transposed: that is PyTorch's weight_hh layout "
                     "(4*hidden, hidden); in Keras it is (units, 4*units)"),
        (f, 4 * u): (f"recurrent_kernel_shape {shape} has one row per feature, but recurrent_kernel multiplies "
                     f"h_prev, which has one entry per unit"),
        (u, u): (f"recurrent_kernel_shape {shape} has one column per unit, but each unit has four gates: "
                 "one column per (gate, unit) pair"),
        (1, 4): f"recurrent_kernel_shape {shape} is for one unit; LSTM({u}) has {u} units",
    }
    return _matrix_shape_hint("recurrent_kernel_shape", shape, known,
                              "one row per entry of h_prev, one column per (gate, unit) pair")


def _bias_shape_hint(shape):
    u = _UNITS
    known = {
        (u,): f"bias_shape {shape} has one bias per unit, but each of the four gates of each unit has its own bias",
        (4,): f"bias_shape {shape} is for one unit; LSTM({u}) has {u} units",
        (8 * u,): (f"bias_shape {shape} counts two biases per gate (PyTorch keeps b_ih and b_hh); Keras keeps one "
                   "bias per (gate, unit) pair"),
        (1, 4 * u): f"bias_shape {shape} has an extra axis; the Keras bias is 1-D",
        (4 * u, 1): f"bias_shape {shape} has an extra axis; the Keras bias is 1-D",
    }
    if shape in known:
        return known[shape]
    if len(shape) != 1:
        return f"bias_shape must have 1 entry (the bias is 1-D), got {shape}"
    return f"bias_shape {shape} is not right: one bias per (gate, unit) pair"


@exercise("02.1", "kernel_shape", "recurrent_kernel_shape", "bias_shape")
def _(kernel_shape, recurrent_kernel_shape, bias_shape):
    answers = [("kernel_shape", kernel_shape, (_FEATURES, 4 * _UNITS), _kernel_shape_hint),
               ("recurrent_kernel_shape", recurrent_kernel_shape, (_UNITS, 4 * _UNITS), _recurrent_shape_hint),
               ("bias_shape", bias_shape, (4 * _UNITS,), _bias_shape_hint)]
    for name, value, right, hint in answers:
        shape = _shape_answer(value, name)
        if shape != right:
            raise Hint(hint(shape))


# ---------------------------------------------------------------------------------------------------------------
# Exercise 02.2: the forget gate's pre-activation at the second step, one dot product over both features
# ---------------------------------------------------------------------------------------------------------------

# The chapter's weights (seeded and rounded to two decimals): kernel (2, 4), recurrent_kernel (1, 4), bias (4,).
_KERNEL = np.array([[0.27, -0.46, -0.92, -0.97],
                    [0.63, 0.83, 0.21, 0.46]])
_RECURRENT = np.array([0.09, 0.87, 0.63, -0.99])
_BIAS = np.array([0.71, -0.93, 0.46, -0.65])
_X = np.array([[0.5, -1.0], [1.0, 0.2], [-0.3, 0.8], [0.9, -0.6]])   # the chapter's x[0]: 4 steps, 2 features
_H_PREV = 0.5


def _z_f(gate="f", features="both", recurrent=True, use_bias=True, squash=False, step=1):
    x_t = _X[step]
    k = GATE_ORDER.index(gate)
    keep = {"both": [1.0, 1.0], "first": [1.0, 0.0], "second": [0.0, 1.0]}[features]
    z = float(np.dot(x_t * keep, _KERNEL[:, k]))
    z += (_RECURRENT[k] * _H_PREV if recurrent else 0.0) + (_BIAS[k] if use_bias else 0.0)
    if squash:
        z = float(np.tanh(z) if gate == "c" else sigmoid(z))
    return z


_Z_F_MISTAKES = {
    "gate": [("f", None)] + [(g, f"that is the pre-activation of gate {g} (block {GATE_ORDER.index(g)} of the "
                                 f"kernel's columns); the forget gate f is block 1") for g in ("i", "c", "o")],
    "features": [("both", None),
                 ("first", "only feature 1 is in your sum; the dot product runs over both features of x_t"),
                 ("second", "only feature 2 is in your sum; the dot product runs over both features of x_t")],
    "recurrent": [(True, None), (False, "the recurrent term u_f * h_prev is missing")],
    "use_bias": [(True, None), (False, "the bias b_f is missing")],
    "squash": [(False, None), (True, "that is the gate value after the sigmoid; z_f is the pre-activation, "
                                     "before squashing")],
    "step": [(1, None), (0, "that uses the first step's x_t = (0.5, -1.0); the second step is x[0, 1] = (1.0, 0.2)"),
             (2, "that uses the third step's x_t; the second step is x[0, 1] = (1.0, 0.2)")],
}


@exercise("02.2", "z_f")
def _(z_f):
    value = scalar_answer(z_f, "z_f")
    if close(value, _z_f(), FLOAT32_ATOL):
        return
    name_mistakes(value, _Z_F_MISTAKES, _z_f)
    raise Hint(f"z_f = {value:.4f} is not the forget gate's pre-activation at the second step; it is "
               "x_t · (the forget column of kernel) + u_f * h_prev + b_f")


# ---------------------------------------------------------------------------------------------------------------
# Exercise 02.3: how a nudge to feature 1 at the first step moves the pre-activations, at step 1 and at step 2
# ---------------------------------------------------------------------------------------------------------------

_NUDGE = 0.3


def _first_step(x_t):
    """h_1 and c_1 from the zero state, with the chapter's weights (float64)."""
    z = x_t @ _KERNEL + _BIAS
    i, f, g, o = sigmoid(z[0]), sigmoid(z[1]), np.tanh(z[2]), sigmoid(z[3])
    c = i * g                      # c_0 = 0
    return o * np.tanh(c), c


def _act(z):
    return np.array([sigmoid(z[0]), sigmoid(z[1]), np.tanh(z[2]), sigmoid(z[3])])


_H1, _C1 = _first_step(_X[0])
_H1_UP, _C1_UP = _first_step(_X[0] + np.array([_NUDGE, 0.0]))


def _delta_z1(feature="first", scale=True, use_bias=False, absolute=False, squash=False, order=GATE_ORDER):
    rows = {"first": _KERNEL[0], "second": _KERNEL[1], "both": _KERNEL[0] + _KERNEL[1]}[feature]
    change = rows * (_NUDGE if scale else 1.0)
    z_before = _X[0] @ _KERNEL + _BIAS           # h_0 = 0: no recurrent term at the first step
    value = z_before + change if absolute else change
    if squash:
        value = _act(z_before + change) if absolute else _act(z_before + change) - _act(z_before)
    if use_bias:
        value = value + _BIAS
    return value[[GATE_ORDER.index(g) for g in order]]


def _delta_z2(through="h", input_nudged=False, sign=1.0, absolute=False, squash=False, use_bias=False,
              order=GATE_ORDER):
    d_state = {"h": _H1_UP - _H1, "c": _C1_UP - _C1, "none": 0.0}[through]
    change = d_state * _RECURRENT + (_NUDGE * _KERNEL[0] if input_nudged else 0.0)
    z_before = _X[1] @ _KERNEL + _H1 * _RECURRENT + _BIAS
    value = z_before + change if absolute else change
    if squash:
        value = _act(z_before + change) if absolute else _act(z_before + change) - _act(z_before)
    value = sign * value + (_BIAS if use_bias else 0.0)
    return value[[GATE_ORDER.index(g) for g in order]]


_BIAS_CANCELS = "the bias is the same before and after the nudge, so it cancels from the change"
_DELTA_Z1_MISTAKES = {
    "feature": [("first", None),
                ("second", "that is feature 2's row of the kernel; the nudge is to feature 1, whose weights are "
                           "row 0, kernel[0]"),
                ("both", "that nudges both features; only feature 1 changes")],
    "scale": [(True, None), (False, f"those are feature 1's weights themselves; multiply them by the nudge "
                                    f"Δx_1 = {_NUDGE}")],
    "use_bias": [(False, None), (True, _BIAS_CANCELS)],
    "absolute": [(False, None), (True, "that is z after the nudge; the change is z after minus z before")],
    "squash": [(False, None), (True, "that is the change of the gate values after sigmoid and tanh; the exercise "
                                     "asks for the change of the pre-activations")],
    "order": order_mistakes(),
}
_DELTA_Z2_MISTAKES = {
    "through": [("h", None),
                ("c", "you multiplied recurrent_kernel by the change of c_1; at step 2, z reads the previous "
                      "output h_1, not c_1"),
                ("none", "the input of step 2 did not change, but h_1 did, and h_1 enters every z of step 2 through "
                         "recurrent_kernel")],
    "input_nudged": [(False, None), (True, "the input of step 2, x[0, 1], is not nudged: only the recurrent term "
                                           "h_1 * recurrent_kernel changes")],
    "sign": [(1.0, None), (-1.0, "the sign is flipped: the change is z after the nudge minus z before")],
    "absolute": [(False, None), (True, "that is z at step 2 after the nudge; the change is z after minus z before")],
    "squash": [(False, None), (True, "that is the change of the gate values after sigmoid and tanh; the exercise "
                                     "asks for the change of the pre-activations")],
    "use_bias": [(False, None), (True, _BIAS_CANCELS)],
    "order": order_mistakes(),
}


def _delta_answer(value, name):
    if isinstance(value, dict):
        raise Hint(f"{name} is a dict; make it an array in the order i, f, c, o")
    dz = float_answer(value, name)
    if dz.shape != (4,):
        extra = ": take its only row, [0], or use .ravel()" if dz.shape in ((1, 4), (4, 1)) else ""
        if dz.shape == (2, 4):
            extra = ": that has a row per feature; the change of z is one number per gate"
        raise Hint(f"{name} must have shape (4,), one change per gate i, f, c, o; got shape {dz.shape}{extra}")
    return dz


@exercise("02.3", "delta_z1", "delta_z2")
def _(delta_z1, delta_z2):
    dz1 = _delta_answer(delta_z1, "delta_z1")
    if not close(dz1, _delta_z1(), FLOAT32_ATOL):
        if close(dz1, _delta_z2(), FLOAT32_ATOL):
            raise Hint("delta_z1: delta_z1 holds the change at step 2; delta_z1 is the change at step 1")
        name_mistakes(dz1, _DELTA_Z1_MISTAKES, _delta_z1, prefix="delta_z1: ")
        raise Hint(f"delta_z1 = {np.array2string(dz1, precision=4)} is not the change of z_i, z_f, z_c, z_o at step 1 "
                   f"when feature 1 grows by {_NUDGE}; each z is a dot product with x_t, so only feature 1's term "
                   "w_1 * x_1 changes")
    dz2 = _delta_answer(delta_z2, "delta_z2")
    if close(dz2, _delta_z2(), FLOAT32_ATOL):
        return
    if close(dz2, dz1, FLOAT32_ATOL):
        raise Hint("delta_z2 equals delta_z1, the change at step 1; the input of step 2 is not nudged, so at step 2 "
                   "the change arrives only through h_1, which enters z through recurrent_kernel")
    name_mistakes(dz2, _DELTA_Z2_MISTAKES, _delta_z2, prefix="delta_z2: ")
    raise Hint(f"delta_z2 = {np.array2string(dz2, precision=4)} is not the change of z at step 2; x[0, 1] is the same "
               "in both runs, so the change is (h_1 after the nudge - h_1 before) times recurrent_kernel")
