"""Checks for the exercises of chapter 04."""

from ._registry import Hint, exercise  # noqa: F401

import numpy as np

from ..reference import lstm_forward, lstm_step
from ._helpers import function_answer, is_int, random_weights, returned_array, same

# --------------------------------------------------------------------------------------------------------------
# helpers (numpy only; the validators are shared with chapter 06, in _helpers)


def _rounding_hint(got, want, what):
    if same(got, want, atol=1e-4):
        err = float(np.max(np.abs(got - want)))
        raise Hint(f"{what} is close but not equal (max |difference| {err:.1e}): compute in the dtype of the inputs "
                   "(float64 here) instead of casting to float32")


def _weights(rng, features, units, forget_bias=1.0):
    return random_weights(rng, features, units, scale=0.7, bias_scale=0.3, forget_bias=forget_bias)


# --------------------------------------------------------------------------------------------------------------
# 04.1  predict the shapes for every setting of the two flags

_BATCH, _STEPS, _FEATURES, _UNITS = 16, 7, 4, 5
_FLAGS = ((False, False), (False, True), (True, False), (True, True))


def _expected_shapes(return_sequences, return_state):
    output = (_BATCH, _STEPS, _UNITS) if return_sequences else (_BATCH, _UNITS)
    return [output, (_BATCH, _UNITS), (_BATCH, _UNITS)] if return_state else output


def _as_shape(value):
    """A tuple of ints (None allowed) if `value` looks like one shape, else None."""
    if not isinstance(value, (tuple, list)) or not value:
        return None
    if all(v is None or is_int(v) for v in value):
        return tuple(v if v is None else int(v) for v in value)
    return None


def _shape_hint(got, want, where, role, return_sequences):
    """Raise a Hint naming what is off between one predicted shape and the expected one."""
    if got == want:
        return
    said = f"{where}, {role}: expected {want}, got {got}"
    if None in got:
        raise Hint(f"{said}. None is how model.summary() shows the batch axis of a model; the layer here is called on "
                   f"an array, so the batch axis is {_BATCH}")
    if len(got) == len(want) - 1 and got == want[1:]:
        raise Hint(f"{said}: the batch axis is missing, every array the layer returns starts with the batch ({_BATCH})")
    if got[:-1] == want[:-1] and got[-1] == _FEATURES:
        raise Hint(f"{said}: the last axis counts the units ({_UNITS}), not the input features ({_FEATURES})")
    if role == "output" and not return_sequences and got == (_BATCH, _STEPS, _UNITS):
        raise Hint(f"{said}: without return_sequences the output is the last step only, (batch, units)")
    if role == "output" and return_sequences and got == (_BATCH, _UNITS):
        raise Hint(f"{said}: return_sequences=True returns the output at every step, (batch, timesteps, units)")
    if role in ("h", "c") and got == (_BATCH, _STEPS, _UNITS):
        raise Hint(f"{said}: return_state gives the final {role} only, (batch, units); it never has a time axis, "
                   "not even with return_sequences=True")
    if sorted(got, key=str) == sorted(want, key=str):
        raise Hint(f"{said}: the axes are in the wrong order, Keras's order is (batch, timesteps, units)")
    raise Hint(said)


@exercise("04.1", "predicted_shapes")
def _(predicted_shapes):
    if not isinstance(predicted_shapes, dict):
        raise Hint(f"predicted_shapes must be a dict {{(return_sequences, return_state): shape(s)}}, "
                   f"got {type(predicted_shapes).__name__}")
    missing = [key for key in _FLAGS if key not in predicted_shapes]
    if missing:
        raise Hint(f"predicted_shapes needs the 4 keys (False, False), (False, True), (True, False), (True, True); "
                   f"missing {', '.join(map(str, missing))}")
    for return_sequences, return_state in _FLAGS:
        where = f"return_sequences={return_sequences}, return_state={return_state}"
        value = predicted_shapes[return_sequences, return_state]
        want = _expected_shapes(return_sequences, return_state)
        one = _as_shape(value)
        many = None
        if one is None and isinstance(value, (tuple, list)) and value:
            shapes = [_as_shape(v) for v in value]
            many = None if any(s is None for s in shapes) else shapes
        if one is None and many is None:
            raise Hint(f"{where}: give a shape as a tuple of ints like (2, 3), or with return_state=True a list of "
                       f"three such tuples; got {value!r}")
        if not return_state:
            if many is not None:
                raise Hint(f"{where}: without return_state=True the layer returns one array, so give one shape, "
                           f"not {len(many)}")
            _shape_hint(one, want, where, "output", return_sequences)
            continue
        if many is None:
            raise Hint(f"{where}: with return_state=True the layer returns a list of three arrays [output, h, c], "
                       f"so give three shapes, not one")
        if len(many) != 3:
            raise Hint(f"{where}: with return_state=True the layer returns three arrays [output, h, c], "
                       f"got {len(many)} shapes")
        if many != want and sorted(many) == sorted(want):
            raise Hint(f"{where}: the order is [output, h, c], output first; expected {want}, got {many}")
        for role, got, expected in zip(("output", "h", "c"), many, want):
            _shape_hint(got, expected, where, role, return_sequences)


# --------------------------------------------------------------------------------------------------------------
# 04.2  stop after some steps and resume from the returned states


def _resume_case():
    rng = np.random.default_rng(402)
    kernel, recurrent_kernel, bias = _weights(rng, features=3, units=4)
    x = rng.normal(size=(2, 6, 3))
    return x[:, :4], x[:, 4:], kernel, recurrent_kernel, bias


@exercise("04.2", "resume_run")
def _(resume_run):
    function_answer(resume_run, "resume_run", "x_first, x_rest, kernel, recurrent_kernel, bias")
    x_first, x_rest, kernel, recurrent_kernel, bias = _resume_case()
    batch, first_steps, _ = x_first.shape
    rest_steps = x_rest.shape[1]
    units = recurrent_kernel.shape[0]
    result = resume_run(x_first.copy(), x_rest.copy(), kernel.copy(), recurrent_kernel.copy(), bias.copy())
    got = returned_array(result, "resume_run(...)")

    full = lstm_forward(np.concatenate([x_first, x_rest], axis=1), kernel, recurrent_kernel, bias,
                        return_sequences=True)
    want = full[:, first_steps:]
    if got.shape != want.shape:
        if got.shape == full.shape:
            raise Hint(f"resume_run returned shape {got.shape}, the whole run; return only the outputs of the "
                       f"{rest_steps} steps of x_rest, shape {want.shape}")
        if got.shape == (batch, units):
            raise Hint(f"resume_run returned shape {got.shape}, the last step only; return the output at every step of "
                       f"x_rest (return_sequences=True), shape {want.shape}")
        raise Hint(f"resume_run must return the outputs for x_rest, shape (batch, timesteps of x_rest, units) = "
                   f"{want.shape}, got shape {got.shape}")
    if same(got, want):
        return
    _rounding_hint(got, want, "resume_run's result")
    _, h_mid, c_mid = lstm_forward(x_first, kernel, recurrent_kernel, bias, return_state=True)

    def rest_from(state):
        return lstm_forward(x_rest, kernel, recurrent_kernel, bias, initial_state=state, return_sequences=True)

    if same(got, rest_from([c_mid, h_mid])):
        raise Hint("the states are swapped: lstm_forward returns [output, h, c], and initial_state takes [h, c] in "
                   "that order, the hidden state first")
    if same(got, rest_from(None)):
        raise Hint("x_rest was run from zero states, as a new sequence: pass the final states of x_first as "
                   "initial_state=[h, c]")
    if same(got, rest_from([h_mid, h_mid])):
        raise Hint("the hidden state was passed twice, [h, h]: the second state is the cell state c, the third "
                   "array lstm_forward returns with return_state=True")
    if same(got, rest_from([c_mid, c_mid])):
        raise Hint("the cell state was passed twice, [c, c]: initial_state takes [h, c], the hidden state first")
    raise Hint("the outputs for x_rest differ from running x_first and x_rest as one sequence: run x_first with "
               "return_state=True, then x_rest from initial_state=[h, c] with return_sequences=True")


# --------------------------------------------------------------------------------------------------------------
# 04.3  the cell state at every step, from a given initial state


def _cell_case():
    rng = np.random.default_rng(403)
    kernel, recurrent_kernel, bias = _weights(rng, features=3, units=2, forget_bias=1.5)
    x = rng.normal(size=(3, 5, 3))
    h0 = rng.uniform(-0.6, 0.6, size=(3, 2))
    c0 = rng.uniform(-1.5, 1.5, size=(3, 2))
    return x, kernel, recurrent_kernel, bias, h0, c0


def _step_loop(x, kernel, recurrent_kernel, bias, h, c, keep):
    """Every step's (h, c, candidate), by lstm_step, from (h, c)."""
    hs, cs, candidates = [], [], []
    for t in range(x.shape[1]):
        h, c, gates = lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        hs.append(h)
        cs.append(c)
        candidates.append(gates["c"])
    return {"h": np.stack(hs, axis=1), "c": np.stack(cs, axis=1), "candidate": np.stack(candidates, axis=1)}[keep]


@exercise("04.3", "cell_states")
def _(cell_states):
    function_answer(cell_states, "cell_states", "x, kernel, recurrent_kernel, bias, h0, c0")
    x, kernel, recurrent_kernel, bias, h0, c0 = _cell_case()
    batch, steps, _ = x.shape
    units = recurrent_kernel.shape[0]
    result = cell_states(x.copy(), kernel.copy(), recurrent_kernel.copy(), bias.copy(), h0.copy(), c0.copy())
    got = returned_array(result, "cell_states(...)")

    # c after t steps is the final cell state of the first t steps (lstm_forward, return_state=True)
    want = np.stack([lstm_forward(x[:, :t], kernel, recurrent_kernel, bias, initial_state=[h0, c0],
                                  return_state=True)[2] for t in range(1, steps + 1)], axis=1)
    if got.shape != want.shape:
        if got.shape == (steps, batch, units) and same(got.swapaxes(0, 1), want):
            raise Hint(f"the values are right but the axes are (timesteps, batch, units) = {got.shape}: stack the "
                       f"steps along axis 1 (np.stack(..., axis=1)) to get {want.shape}")
        if got.shape == (batch, units):
            raise Hint(f"cell_states returned shape {got.shape}, one cell state per sample; return c_t at every step, "
                       f"shape (batch, timesteps, units) = {want.shape}")
        if got.shape == (batch, steps + 1, units):
            raise Hint(f"cell_states returned {steps + 1} steps, shape {got.shape}: leave out c0 and return c_1 to "
                       f"c_{steps}, the states after each step, shape {want.shape}")
        raise Hint(f"cell_states must return shape (batch, timesteps, units) = {want.shape}, got shape {got.shape}")
    if same(got, want):
        return
    _rounding_hint(got, want, "cell_states's result")
    if same(got, _step_loop(x, kernel, recurrent_kernel, bias, h0, c0, "h")):
        raise Hint("these are the hidden states h_t: lu.lstm_step returns (h, c, gates), the cell state is the "
                   "second value")
    if same(got, _step_loop(x, kernel, recurrent_kernel, bias, h0, c0, "candidate")):
        raise Hint("these are the candidates: gates['c'] is c̃_t = tanh(z_c), the new value proposed at step t, "
                   "not the cell state; the cell state is the second value lu.lstm_step returns")
    zeros = np.zeros_like(h0)
    if same(got, _step_loop(x, kernel, recurrent_kernel, bias, zeros, zeros, "c")):
        raise Hint("the loop started from zero states: start from the given h0 and c0")
    if same(got, _step_loop(x, kernel, recurrent_kernel, bias, c0, h0, "c")):
        raise Hint("h0 and c0 are swapped: lu.lstm_step takes (x_t, h_prev, c_prev, ...), the hidden state first")
    shifted = np.concatenate([c0[:, None], want[:, :-1]], axis=1)
    if same(got, shifted):
        raise Hint("off by one step: entry t must be the cell state after step t+1 (c_1 first), not the state the "
                   "step started from (c0 first)")
    raise Hint("the cell states differ from Keras's rule c_t = f_t * c_(t-1) + i_t * c̃_t: loop over the steps with "
               "lu.lstm_step from (h0, c0), feed each step's (h, c) into the next, and keep every c")
