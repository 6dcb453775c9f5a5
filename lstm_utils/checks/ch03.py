"""Checks for the exercises of chapter 03."""

from ._registry import Hint, exercise  # noqa: F401

import numpy as np

from ..gates import GATE_ORDER
from ..reference import lstm_step
from ._helpers import FLOAT32_ATOL, call_quietly, check_step, close, describe, float_answer, integer_answer

# ---------------------------------------------------------------------------------------------------------------
# Exercise 03.1: the recurrent weights of unit 3's candidate gate, picked out of recurrent_kernel
# ---------------------------------------------------------------------------------------------------------------

_UNITS = 3
# The chapter's recurrent_kernel (3, 12): np.random.default_rng(6), after kernel (2, 12), uniform(-2, 2), one decimal.
_RECURRENT = np.array([
    [1.0, 0.2, -1.6, 1.5, -1.4, -0.2, 0.3, -0.7, -0.3, 1.5, -0.2, 0.2],
    [1.9, -0.9, 1.6, -0.6, -0.8, 1.5, -1.7, 1.5, 1.3, 1.6, -1.8, -1.0],
    [1.1, -0.3, -2.0, 0.8, 1.2, 1.9, -1.4, -1.0, 1.4, -1.6, -0.9, -0.2],
])
_GATE, _UNIT = "c", 3                                        # unit numbered from 1, as in the chapter
_COLUMN = GATE_ORDER.index(_GATE) * _UNITS + (_UNIT - 1)     # 2 * 3 + 2 = 8
_COLUMN_NAMES = [f"{g}{k}" for g in GATE_ORDER for k in range(1, _UNITS + 1)]


def _column_hint(col):
    name = _COLUMN_NAMES[col]
    gate, unit = name[0], int(name[1:])
    head = f"that is column {col} of recurrent_kernel, which belongs to {name} (gate {gate}, unit {unit})"
    if col == 4 * (_UNIT - 1) + GATE_ORDER.index(_GATE):
        return (f"{head}: you grouped the columns unit by unit (i1 f1 c1 o1 | i2 ...); Keras groups them by gate, "
                f"four blocks of {_UNITS} columns [i1 i2 i3 | f1 f2 f3 | c1 c2 c3 | o1 o2 o3]")
    if col == _COLUMN + 1:
        return (f"{head}: one column too far; positions inside a gate block count from 0, so unit 3 is "
                "position 2")
    if unit == _UNIT:
        return (f"{head}: the right unit but the wrong gate; the blocks are in the order i, f, c, o, so the "
                "candidate c̃ is block 2, counting from 0")
    if gate == _GATE:
        return f"{head}: the right gate block but the wrong unit; unit 3 is position 2 inside the block"
    return f"{head}, not to c3 (the candidate of unit 3)"


@exercise("03.1", "rk_c_unit3")
def _(rk_c_unit3):
    col = float_answer(rk_c_unit3, "rk_c_unit3")
    if col.shape != (_UNITS,):
        if col.shape == (4 * _UNITS,):
            raise Hint(f"rk_c_unit3 has shape {col.shape}: that is a row of recurrent_kernel (what one entry of "
                       f"h_prev feeds to all 12 columns); take a column, which has one weight per unit of h_prev")
        if col.shape == (2,):
            raise Hint("rk_c_unit3 has shape (2,): that is a column of kernel (one weight per feature); take the "
                       "column of recurrent_kernel, one weight per unit of h_prev")
        if col.shape in ((_UNITS, 1), (1, _UNITS)):
            raise Hint(f"rk_c_unit3 must have shape ({_UNITS},), got {col.shape}: take a single column, "
                       "recurrent_kernel[:, j], or use .ravel()")
        raise Hint(f"rk_c_unit3 must have shape ({_UNITS},), one weight per unit of h_prev; got shape {col.shape}")
    if close(col, _RECURRENT[:, _COLUMN], FLOAT32_ATOL):
        return
    for j in range(4 * _UNITS):
        if close(col, _RECURRENT[:, j], FLOAT32_ATOL):
            raise Hint(_column_hint(j))
    if close(col, _RECURRENT[:, _COLUMN][::-1], FLOAT32_ATOL):
        raise Hint("the entries are right but reversed; keep them in the order of h_prev's units 1, 2, 3")
    raise Hint(f"rk_c_unit3 = {np.array2string(col, precision=2)} is not a column of the chapter's recurrent_kernel; "
               "pick one column out of recurrent_kernel as it is")


# ---------------------------------------------------------------------------------------------------------------
# Exercise 03.2: the parameters of LSTM(16) on (20, 8) followed by Dense(3)
# ---------------------------------------------------------------------------------------------------------------

_U, _F, _T, _OUT = 16, 8, 20, 3
_N_LSTM = 4 * _U * (_F + _U + 1)       # 1600
_N_DENSE = _U * _OUT + _OUT            # 51


def _lstm_count_hint(n):
    u, f, t = _U, _F, _T
    if n == _N_LSTM + _N_DENSE:
        return f"n_lstm = {n} is the whole model; n_lstm is the LSTM layer alone"
    known = {
        _N_LSTM * t: f"n_lstm is {t} times too large: you multiplied by the {t} timesteps, but one cell with one "
                     "set of weights is applied at every step",
        4 * u * (f + 1 + 1): "each gate of each unit has one weight per unit of h_prev (all 16 units), not a single "
                             "recurrent weight: the units are wired to each other",
        4 * u * (f + 1): ("the recurrent weights are missing: each gate of each unit also reads all 16 entries "
                          "of h_prev"),
        4 * u * (f + u): "the biases are missing: each gate of each unit has one bias",
        4 * u * (f + u + 2): "that counts two biases per gate (PyTorch keeps b_ih and b_hh); Keras keeps one",
        u * (f + u + 1): "that counts one gate per unit; an LSTM unit has four: i, f, c̃ and o",
        3 * u * (f + u + 1): "that counts three gates (a GRU has three); an LSTM unit has four",
        4 * u * (t + u + 1): f"you used the {t} timesteps as features: (20, 8) is 20 timesteps of 8 features",
        4 * t * (f + t + 1): f"you used the {t} timesteps as units: LSTM(16) has 16 units",
        4 * f * (u + f + 1): "units and features are swapped: LSTM(16) has 16 units, and each x_t has 8 features",
        4 * u * (f * t + u + 1): "the LSTM does not read the whole sequence at once: each step's x_t has 8 features",
    }
    if n in known:
        return known[n]
    return (f"n_lstm = {n} is not the LSTM's count; for each of the 4 gates of each of the 16 units, count the weights "
            "on x_t, the weights on h_prev and the bias")


def _dense_count_hint(n):
    u, f, t, out = _U, _F, _T, _OUT
    known = {
        u * out: "the Dense biases are missing: Dense(3) has one bias per output",
        t * u * out + out: ("Dense reads the LSTM's output, which is the last h only (16 numbers), not all 20 steps: "
                            "return_sequences is False"),
        f * out + out: "Dense does not read the 8 input features; it reads the LSTM's output, 16 numbers",
        4 * u * out + out: "Dense reads h, 16 numbers, not the 64 gate values",
        out: "a Dense layer also has weights: one per (input, output) pair, plus one bias per output",
        _N_LSTM + _N_DENSE: f"n_dense = {n} is the whole model; n_dense is the Dense layer alone",
    }
    if n in known:
        return known[n]
    return f"n_dense = {n} is not right: Dense(3) has one weight per (input, output) pair and one bias per output"


@exercise("03.2", "n_lstm", "n_dense")
def _(n_lstm, n_dense):
    a = integer_answer(n_lstm, "n_lstm")
    b = integer_answer(n_dense, "n_dense")
    if a != _N_LSTM:
        raise Hint(_lstm_count_hint(a))
    if b != _N_DENSE:
        raise Hint(_dense_count_hint(b))


# ---------------------------------------------------------------------------------------------------------------
# Exercise 03.3: a vectorised step for any number of units and features
# ---------------------------------------------------------------------------------------------------------------

def _step_cases_many_units():
    rng = np.random.default_rng(303)
    cases = []
    for features, units in ((2, 3), (5, 2), (3, 4), (1, 3)):
        cases.append((rng.uniform(-2, 2, features), rng.uniform(-0.9, 0.9, units), rng.uniform(-2, 2, units),
                      rng.uniform(-1, 1, (features, 4 * units)), rng.uniform(-1, 1, (units, 4 * units)),
                      rng.uniform(-1, 1, 4 * units)))
    return cases


STEP_CASES_MANY_UNITS = _step_cases_many_units()


def _pytorch_layout_hint(func, case):
    """If the learner's step works, and is right, on weights in PyTorch's transposed layout: say so."""
    x_t, h_prev, c_prev, kernel, recurrent_kernel, bias = case
    want = lstm_step(*case)[:2]
    both = ("kernel and recurrent_kernel", "(4*hidden, input) and (4*hidden, hidden)")
    tries = [(kernel.T, recurrent_kernel.T, both), (kernel.T, recurrent_kernel, ("kernel", "(4*hidden, input)")),
             (kernel, recurrent_kernel.T, ("recurrent_kernel", "(4*hidden, hidden)"))]
    for k, r, (which, layout) in tries:
        try:
            got = call_quietly(func, x_t, h_prev, c_prev, k, r, bias)
            h, c = (np.asarray(v, dtype=np.float64) for v in got)
        except Exception:
            continue
        if close(h, want[0], FLOAT32_ATOL) and close(c, want[1], FLOAT32_ATOL):
            return (f"your step expects {which} in PyTorch's transposed layout {layout}; Keras stores kernel as "
                    "(features, 4*units) and recurrent_kernel as (units, 4*units), so "
                    "z = x_t @ kernel + h_prev @ recurrent_kernel + bias")
    return None


@exercise("03.3", "my_lstm_step_vec")
def _(my_lstm_step_vec):
    if not callable(my_lstm_step_vec):
        raise Hint(f"my_lstm_step_vec must be a function, got {describe(my_lstm_step_vec)}")
    for case in STEP_CASES_MANY_UNITS:
        try:
            call_quietly(my_lstm_step_vec, *case)
        except NotImplementedError:
            raise
        except Exception:
            hint = _pytorch_layout_hint(my_lstm_step_vec, case)
            if hint:
                raise Hint(hint) from None
            raise
    check_step(my_lstm_step_vec, "my_lstm_step_vec", STEP_CASES_MANY_UNITS, lambda case: case[1].shape,
               many_units=True)
