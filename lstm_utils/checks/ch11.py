"""Checks for the exercises of chapter 11 (GRU and SimpleRNN)."""

from ._registry import Hint, exercise  # noqa: F401

import numpy as np

from ..gru import gru_step
from ..reference import sigmoid
from ..simple_rnn import simple_rnn_forward
from ._helpers import FLOAT32_ATOL, call_quietly, close, function_answer, integer_answer, returned_array

# ---------------------------------------------------------------------------------------------------------------
# Exercise 11.1: GRU(16) with and without reset_after, and SimpleRNN(16), on (20, 8)
# ---------------------------------------------------------------------------------------------------------------

_U, _F, _T = 16, 8, 20
_N_GRU = 3 * _U * (_F + _U + 2)        # 1248
_N_GRU_OLD = 3 * _U * (_F + _U + 1)    # 1200
_N_SIMPLE = _U * (_F + _U + 1)         # 400


def _count_hint(name, n, want, blocks, biases):
    u, f, t = _U, _F, _T
    known = {
        blocks * u * (f + u + biases) * t: f"{name} is {t} times too large: the same weights serve every one of the "
                                           f"{t} timesteps",
        4 * u * (f + u + 1): f"{name} = {n} is an LSTM's count (4 blocks); "
                             + ("a SimpleRNN has one block" if blocks == 1 else "a GRU has 3 blocks: z, r, h"),
        blocks * u * (f + u): f"{name} has no biases; each block of each unit has "
                              + ("two (an input row and a recurrent row)" if biases == 2 else "one"),
        blocks * u * (f + 1 + biases): f"{name} counts one recurrent weight per unit; each unit reads all {u} "
                                       "entries of h_prev",
        blocks * u * (t + u + biases): f"{name} uses the {t} timesteps as features: (20, 8) is 20 steps of 8 features",
        blocks * f * (u + f + biases): f"{name} has units and features swapped: 16 units, 8 features",
    }
    if blocks == 3:
        other = 1 if biases == 2 else 2
        known[3 * u * (f + u + other)] = (
            f"{name} = {n} is the count with reset_after={biases == 1}: "
            + ("Keras's default reset_after=True keeps two bias rows (input and recurrent), so each gate of each "
               "unit has two biases" if biases == 2 else
               "with reset_after=False the reset gate acts before the product and one bias row is enough")
        )
        known[u * (f + u + biases)] = f"{name} counts one block; a GRU has three: z, r and h"
    else:
        known[3 * u * (f + u + 1)] = f"{name} = {n} counts three blocks (a GRU's); a SimpleRNN has one"
        known[u * (f + u + 2)] = f"{name} counts two biases per unit; a SimpleRNN has one bias row"
    if n in known:
        return known[n]
    return f"{name} = {n} is not right; count, for each block and unit, the input weights, the recurrent weights " \
           "and the biases"


@exercise("11.1", "n_gru", "n_gru_old", "n_simple")
def _(n_gru, n_gru_old, n_simple):
    answers = [integer_answer(n_gru, "n_gru"), integer_answer(n_gru_old, "n_gru_old"),
               integer_answer(n_simple, "n_simple")]
    for name, n, want, blocks, biases in (("n_gru", answers[0], _N_GRU, 3, 2),
                                          ("n_gru_old", answers[1], _N_GRU_OLD, 3, 1),
                                          ("n_simple", answers[2], _N_SIMPLE, 1, 1)):
        if n != want:
            raise Hint(_count_hint(name, n, want, blocks, biases))


# ---------------------------------------------------------------------------------------------------------------
# Exercise 11.2: one step of Keras's default GRU
# ---------------------------------------------------------------------------------------------------------------

def _gru_cases():
    rng = np.random.default_rng(1102)
    cases = []
    for features, units in ((2, 3), (4, 1), (3, 5)):
        cases.append((rng.uniform(-1, 1, features), rng.uniform(-0.9, 0.9, units),
                      rng.uniform(-1, 1, (features, 3 * units)), rng.uniform(-1, 1, (units, 3 * units)),
                      rng.uniform(-1, 1, (2, 3 * units))))
    return cases


def _mistaken_gru(x_t, h_prev, kernel, recurrent_kernel, bias, *, order="zr", before=False, outside=False,
                  no_recurrent_bias=False, swap_mix=False):
    """One GRU step with a mistake switched on (the blocks read in `order`; the reset applied before the product;
    the recurrent bias of the candidate added outside the reset; bias row 1 left out; z and 1 - z swapped)."""
    units = h_prev.shape[-1]
    xz = x_t @ kernel + bias[0]
    hz = h_prev @ recurrent_kernel + (0 if no_recurrent_bias else bias[1])
    a, b = slice(0, units), slice(units, 2 * units)
    first, second = (a, b) if order == "zr" else (b, a)
    z = sigmoid(xz[first] + hz[first])
    r = sigmoid(xz[second] + hz[second])
    hh = slice(2 * units, 3 * units)
    if before:
        candidate = np.tanh(xz[hh] + (r * h_prev) @ recurrent_kernel[:, hh])
    elif outside:
        candidate = np.tanh(xz[hh] + r * (h_prev @ recurrent_kernel[:, hh]) + (0 if no_recurrent_bias else bias[1][hh]))
    else:
        candidate = np.tanh(xz[hh] + r * hz[hh])
    if swap_mix:
        return (1 - z) * h_prev + z * candidate
    return z * h_prev + (1 - z) * candidate


_GRU_MISTAKES = [
    (dict(order="rz"), "the update and reset blocks are swapped: Keras's order is z, r, h (PyTorch's is r, z, n)"),
    (dict(swap_mix=True), "z and 1 - z are swapped: h = z * h_prev + (1 - z) * candidate; z is the share of h_prev "
                          "that is kept"),
    (dict(before=True), "the reset gate multiplies h_prev before the product, (r * h_prev) @ U_h: that is "
                        "reset_after=False. Keras's default applies it after: r * (h_prev @ U_h + bias[1] block h)"),
    (dict(outside=True), "the recurrent bias of the candidate is added outside the reset gate; with reset_after=True "
                         "it belongs inside: r * (h_prev @ U_h + b^h_h)"),
    (dict(no_recurrent_bias=True), "bias row 1 (the recurrent bias) is missing: add bias[0] to the input part and "
                                   "bias[1] to the recurrent part"),
    (dict(order="rz", swap_mix=True), "the z and r blocks are swapped (Keras's order is z, r, h), and so are z and "
                                      "1 - z (h = z * h_prev + (1 - z) * candidate)"),
]


@exercise("11.2", "my_gru_step")
def _(my_gru_step):
    function_answer(my_gru_step, "my_gru_step", "x_t, h_prev, kernel, recurrent_kernel, bias")
    cases = _gru_cases()
    got = []
    for x_t, h_prev, kernel, recurrent, bias in cases:
        units = h_prev.shape[0]
        where = f"for {units} unit{'s' if units > 1 else ''} and {x_t.shape[0]} features"
        value = call_quietly(my_gru_step, x_t, h_prev, kernel, recurrent, bias)
        if isinstance(value, tuple) and len(value) == 2:
            raise Hint(f"my_gru_step returned two values; return only the new h (lu.gru_step also returns the "
                       "gates)")
        h = returned_array(value, f"my_gru_step's h {where}")
        if h.shape != (units,):
            raise Hint(f"my_gru_step's h {where} must have shape ({units},), got shape {h.shape}")
        got.append(h)
    want = [gru_step(*case)[0] for case in cases]
    if all(close(g, w, FLOAT32_ATOL) for g, w in zip(got, want)):
        return
    for settings, hint in _GRU_MISTAKES:
        if all(close(g, _mistaken_gru(*case, **settings), FLOAT32_ATOL) for g, case in zip(got, cases)):
            raise Hint(hint)
    k = next(j for j, (g, w) in enumerate(zip(got, want)) if not close(g, w, FLOAT32_ATOL))
    raise Hint(f"on test input {k + 1} of {len(cases)}, h is off by up to {np.max(np.abs(got[k] - want[k])):.3g}; "
               "compare your step with lu.gru_step on the same arrays to find the first value that differs")


# ---------------------------------------------------------------------------------------------------------------
# Exercise 11.3: a SimpleRNN over a sequence
# ---------------------------------------------------------------------------------------------------------------

def _simple_cases():
    rng = np.random.default_rng(1103)
    cases = []
    for batch, steps, features, units in ((2, 4, 2, 3), (3, 5, 1, 2)):
        cases.append((rng.normal(size=(batch, steps, features)), rng.uniform(-1, 1, (features, units)),
                      rng.uniform(-1, 1, (units, units)), rng.uniform(-1, 1, units)))
    return cases


def _simple_mistakes(x, kernel, recurrent, bias):
    """{hint: outputs} of the common mistakes, computed here."""
    def run(step, init=None):
        h = np.zeros((x.shape[0], recurrent.shape[0])) if init is None else init
        out = []
        for t in range(x.shape[1]):
            h = step(x[:, t], h)
            out.append(h)
        return np.stack(out, axis=1)

    return {
        "the recurrent term is missing: h_t = tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)":
            np.tanh(x @ kernel + bias),
        "recurrent_kernel is used transposed: h_prev @ recurrent_kernel, with rows for h_prev's units":
            run(lambda xt, h: np.tanh(xt @ kernel + h @ recurrent.T + bias)),
        "the bias is missing: h_t = tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)":
            run(lambda xt, h: np.tanh(xt @ kernel + h @ recurrent)),
        "the tanh is missing: a SimpleRNN squashes every step with tanh":
            run(lambda xt, h: xt @ kernel + h @ recurrent + bias),
        "the steps were read from last to first: that is go_backwards=True; read x[:, 0] first":
            simple_rnn_forward(x, kernel, recurrent, bias, return_sequences=True, go_backwards=True),
        "the outputs come out in reverse order: output [:, t] belongs to step t":
            simple_rnn_forward(x, kernel, recurrent, bias, return_sequences=True)[:, ::-1],
    }


@exercise("11.3", "my_simple_rnn")
def _(my_simple_rnn):
    function_answer(my_simple_rnn, "my_simple_rnn", "x, kernel, recurrent_kernel, bias")
    for x, kernel, recurrent, bias in _simple_cases():
        batch, steps, _ = x.shape
        units = recurrent.shape[0]
        where = f"on x of shape {x.shape} with {units} units"
        got = returned_array(call_quietly(my_simple_rnn, x, kernel, recurrent, bias), f"my_simple_rnn {where}")
        want = simple_rnn_forward(x, kernel, recurrent, bias, return_sequences=True)
        if got.shape != want.shape:
            if got.shape == (batch, units):
                raise Hint(f"{where}: that has shape (batch, units), the last step only; return every step's "
                           f"output, shape {want.shape}")
            raise Hint(f"{where}: the result must have shape (batch, timesteps, units) = {want.shape}, got shape "
                       f"{got.shape}")
        if close(got, want, FLOAT32_ATOL):
            continue
        for hint, value in _simple_mistakes(x, kernel, recurrent, bias).items():
            if close(got, value, FLOAT32_ATOL):
                raise Hint(f"{where}: {hint}")
        raise Hint(f"{where}: off by up to {np.max(np.abs(got - want)):.3g}; each step is "
                   "h_t = tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias), from h_0 = 0")
