"""Checks for the exercises of chapter 07."""

from ._registry import Hint, exercise  # noqa: F401

import numpy as np

from ..reference import lstm_forward
from ._helpers import function_answer, is_int, random_weights, shaped_array, show

# ---------------------------------------------------------------------------------------------------------------
# 07.1  the shape of the carried state, and the parameter count


_BATCH1, _STEPS1, _FEATURES1, _UNITS1 = 8, 50, 3, 16


@exercise("07.1", "state_shape", "n_params")
def _(state_shape, n_params):
    b, t, f, u = _BATCH1, _STEPS1, _FEATURES1, _UNITS1
    if not isinstance(state_shape, (tuple, list)) or not all(is_int(n) for n in state_shape):
        raise Hint(f"state_shape should be a tuple of ints such as (2, 3), got {show(state_shape)}")
    shape = tuple(int(n) for n in state_shape)
    if shape != (b, u):
        known = {
            (u, b): "you have (units, batch); each state variable is (batch, units), one row per sample",
            (t, u): "50 is the number of timesteps; the state holds the last step only, one row per sample",
            (b, t, u): "the state is not kept for every timestep, only the last step's h and c: one row per sample",
            (u,): "there is one row of state per position in the batch, so the batch size is part of the shape",
            (b, f): "3 is the number of features; h and c have one entry per unit",
            (2, b, u): "that is both variables together; give the shape of each one (h and c have the same shape)",
            (b, 4 * u): "4*units is the width of the kernel; h and c have one entry per unit",
        }
        raise Hint(f"state_shape {shape} is not right: " + known.get(shape, "each of layer.states is (batch, units)"))

    if not is_int(n_params):
        raise Hint(f"n_params should be an int, got {show(n_params)}")
    right = 4 * u * (f + u + 1)
    if n_params == right:
        return
    known = {
        right + 2 * b * u: "you counted the two state variables; they are not weights: stateful=True adds none",
        right * t: "the same weights are used at every timestep: the count does not depend on the 50 steps",
        right * b: "the batch size does not change the number of weights",
        4 * u * (f + u): "the bias is missing: each gate has one bias per unit",
        u * (f + u + 1): "an LSTM has four gate blocks (i, f, c, o), each with its own weights",
        4 * u * (b + u + 1): "8 is the batch size; the kernel has one row per feature (3)",
        4 * u * (t + u + 1): "50 is the number of timesteps; the kernel has one row per feature (3)",
        4 * u * (f + 1): "recurrent_kernel is missing: (units, 4*units) weights from the previous h",
    }
    raise Hint(f"n_params = {n_params} is not right: " + known.get(n_params, "use 4*units*(features + units + 1)"))


# ---------------------------------------------------------------------------------------------------------------
# 07.2  one call of a stateful layer, by hand


def _weights(rng, features, units):
    return random_weights(rng, features, units, scale=0.7, bias_scale=0.5)


def _call(func, x, h, c, weights):
    """Call the learner's stateful_call and return (output, h_new, c_new) as arrays, or a Hint."""
    got = func(x.copy(), h.copy(), c.copy(), *(w.copy() for w in weights))
    if isinstance(got, np.ndarray) or not isinstance(got, (tuple, list)):
        raise Hint(f"stateful_call should return three things, (output, h_new, c_new), got {type(got).__name__}")
    if len(got) != 3:
        extra = " (the output and the new state [h, c] are three arrays, not nested)" if len(got) == 2 else ""
        raise Hint(f"stateful_call should return three things, (output, h_new, c_new), got {len(got)}{extra}")
    batch, units = h.shape
    out = got[0]
    if isinstance(out, np.ndarray) and out.shape == (batch, x.shape[1], units):
        raise Hint(f"the output has shape {out.shape}, every step: a stateful LSTM(units) returns only the last step's "
                   f"output, shape {(batch, units)} (return_sequences=False)")
    return tuple(shaped_array(a, n, (batch, units)) for a, n in zip(got, ("the output", "h_new", "c_new")))


@exercise("07.2", "stateful_call")
def _(stateful_call):
    function_answer(stateful_call, "stateful_call")
    rng = np.random.default_rng(7)
    batch, steps, features, units = 3, 4, 2, 4
    weights = _weights(rng, features, units)
    x = rng.normal(size=(batch, 3 * steps, features))
    chunks = [x[:, k * steps:(k + 1) * steps] for k in range(3)]
    close = lambda a, b: np.allclose(a, b, rtol=0, atol=1e-6)  # noqa: E731

    # One call: chunk B after chunk A, from the state A left.
    _, h_a, c_a = lstm_forward(chunks[0], *weights, return_state=True)
    out, h_new, c_new = _call(stateful_call, chunks[1], h_a, c_a, weights)
    want, want_h, want_c = lstm_forward(chunks[1], *weights, initial_state=[h_a, c_a], return_state=True)
    zeros = np.zeros_like(h_a)
    if not close(out, want):
        suspects = [
            ([zeros, zeros], "the output is what this batch gives when it starts from zeros: start from the "
                             "carried state, initial_state=[h, c]"),
            ([c_a, h_a], "h and c are swapped: Keras's order is initial_state=[h, c], hidden state first"),
            ([h_a, zeros], "only h was carried; the cell state c continues too: initial_state=[h, c]"),
            ([zeros, c_a], "only c was carried; the hidden state h continues too: initial_state=[h, c]"),
        ]
        for state, hint in suspects:
            if close(out, lstm_forward(chunks[1], *weights, initial_state=state)):
                raise Hint(hint)
        if close(out, lstm_forward(chunks[1], *weights, initial_state=[h_a, c_a], go_backwards=True)):
            raise Hint("the steps were read backwards: a stateful layer reads each chunk forwards, like any LSTM")
        raise Hint(f"the output differs from continuing the run from (h, c) by up to {np.abs(out - want).max():.2g}; "
                   "it should be lu.lstm_forward(x_batch, ..., initial_state=[h, c])")
    if close(h_new, want_c) and close(c_new, want_h):
        raise Hint("the new state comes back as (c, h): return (output, h_new, c_new), hidden state first")
    if close(h_new, h_a) and close(c_new, c_a):
        raise Hint("h_new and c_new are the state you were given: return the state after this batch "
                   "(return_state=True gives it)")
    if not close(h_new, want_h):
        raise Hint(f"h_new is off by up to {np.abs(h_new - want_h).max():.2g}: it is the hidden state after the last "
                   "step of this batch (equal to the output)")
    if not close(c_new, want_c):
        hint = " (it equals the output h)" if close(c_new, want_h) else ""
        raise Hint(f"c_new is off by up to {np.abs(c_new - want_c).max():.2g}{hint}: it is the cell state after the "
                   "last step of this batch")

    # A whole stateful run: three calls from zeros must equal one run over all 12 steps.
    h = c = np.zeros((batch, units))
    for k, chunk in enumerate(chunks):
        out, h, c = _call(stateful_call, chunk, h, c, weights)
        want = lstm_forward(x[:, :(k + 1) * steps], *weights)
        if not close(out, want):
            raise Hint(f"three calls in a row (each from the state the previous one returned) should equal one run "
                       f"over all steps, but call {k + 1} is off by up to {np.abs(out - want).max():.2g}")


# ---------------------------------------------------------------------------------------------------------------
# 07.3  which row continues which


_PREVIOUS = ("P", "Q", "R")          # rows 0, 1, 2 of the batch already fed
_ARRIVED = ("R", "P", "Q")           # rows 0, 1, 2 of x_next, as the chunks arrived


@exercise("07.3", "order")
def _(order):
    if isinstance(order, np.ndarray):
        order = order.tolist()
    if not isinstance(order, (list, tuple)) or not all(is_int(n) for n in order):
        raise Hint(f"order should be a list of 3 ints (row numbers of x_next), got {show(order)}")
    order = [int(n) for n in order]
    if sorted(order) != [0, 1, 2]:
        raise Hint(f"order should use each row of x_next once: a rearrangement of [0, 1, 2], got {order}")
    got = [_ARRIVED[n] for n in order]
    right = [_ARRIVED.index(s) for s in _PREVIOUS]
    if order == right:
        return
    if order == [0, 1, 2]:
        raise Hint("x_next[[0, 1, 2]] is x_next unchanged: its row 0 holds R, but row 0 of the saved state is where "
                   "P stopped, and the layer would continue P with R's chunk")
    inverse = [right.index(n) for n in range(3)]
    if order == inverse:
        raise Hint(f"that is the inverse rearrangement: x_next[{order}] puts {', '.join(got)} in rows 0, 1, 2. "
                   "Row n of x_next[order] is x_next[order[n]], so order[n] must be the row of x_next that holds "
                   "the sequence in row n of the previous batch")
    wrong = [n for n in range(3) if got[n] != _PREVIOUS[n]]
    raise Hint(f"x_next[{order}] puts {', '.join(got)} in rows 0, 1, 2, so row {wrong[0]} would continue "
               f"{_PREVIOUS[wrong[0]]}'s state with {got[wrong[0]]}'s chunk; the rows must read P, Q, R again")
