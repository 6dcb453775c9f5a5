"""Checks for the exercises of chapter 06."""

from ._registry import Hint, exercise  # noqa: F401

import numpy as np

from ..reference import lstm_forward, lstm_step
from ._helpers import function_answer, random_weights, returned_array, same

# --------------------------------------------------------------------------------------------------------------
# 06.1  the mask that Masking(mask_value) computes


def _mask_cases():
    zero = np.array([
        [[0.5, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, -2.0, 0.0], [0.0, 0.0, 0.0]],
        [[0.3, 0.3, 0.3], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]],
    ])
    minus_one = np.array([
        [[0.0, 0.0, 0.0], [0.2, -1.0, 0.4], [-1.0, -1.0, -1.0], [-1.0, -1.0, -1.0]],
        [[-1.0, -1.0, -1.0], [-1.0, -1.0, -1.0], [0.0, 0.7, -1.0], [0.0, 0.0, 0.1]],
    ])
    return [(zero, 0.0), (minus_one, -1.0)]


@exercise("06.1", "padding_mask")
def _(padding_mask):
    function_answer(padding_mask, "padding_mask", "x, mask_value")
    for x, mask_value in _mask_cases():
        batch, steps, features = x.shape
        got = returned_array(padding_mask(x.copy(), mask_value), f"padding_mask(x, {mask_value})", allow_bool=True)
        want = np.any(x != mask_value, axis=-1)
        where = f"on x of shape {x.shape} with mask_value={mask_value}"
        if got.shape != want.shape:
            if got.shape == x.shape:
                raise Hint(f"{where}: the result has shape {got.shape}, one value per feature; reduce over the "
                           f"feature axis (the last) to one boolean per sequence and step, shape {want.shape}")
            if got.shape == (steps, batch):
                raise Hint(f"{where}: the axes are (timesteps, batch) = {got.shape}; a mask is (batch, timesteps) "
                           f"= {want.shape}")
            raise Hint(f"{where}: the mask must have shape (batch, timesteps) = {want.shape}, got shape {got.shape}")
        if got.dtype != bool:
            raise Hint(f"{where}: a mask holds booleans (True = keep the step), got dtype {got.dtype}")
        if np.array_equal(got, want):
            continue
        if np.array_equal(got, ~want):
            raise Hint(f"{where}: the mask is inverted. In Keras True means keep this step and False means skip it, "
                       "so padding is False")
        if np.array_equal(got, np.all(x != mask_value, axis=-1)):
            raise Hint(f"{where}: a step was masked because one of its features equals mask_value; Masking keeps a "
                       "step when any feature differs from mask_value, and masks it only when every feature equals it")
        if mask_value != 0.0 and np.array_equal(got, np.any(x != 0.0, axis=-1)):
            raise Hint(f"{where}: the padding here is {mask_value}, not 0: compare with mask_value")
        raise Hint(f"{where}: expected {want.tolist()}, got {got.tolist()}; a step is kept (True) when at least one "
                   "of its features differs from mask_value")


# --------------------------------------------------------------------------------------------------------------
# 06.2  output, h and c after a masked step: the numbers given in the exercise

_H_START = np.array([0.5, -0.5, 0.25])
_C_START = np.array([1.0, -1.0, 0.5])
_H_KEPT = np.array([0.07, -0.57, 0.30])
_C_KEPT = np.array([0.21, -1.18, 0.62])


def _describe(value):
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of length {len(value)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return repr(value)[:60]


def _triple(value, name):
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        raise Hint(f"{name} must be a tuple of three arrays (output, h, c), got {_describe(value)}")
    arrays = []
    for part, v in zip(("output", "h", "c"), value):
        arr = returned_array(v, f"{name}'s {part}", allow_bool=True)
        if arr.dtype == bool:
            raise Hint(f"{name}'s {part} must hold numbers, got booleans")
        if arr.shape != (3,):
            raise Hint(f"{name}'s {part} must have shape (3,), one number per unit, got shape {arr.shape}")
        arrays.append(arr.astype(np.float64))
    return arrays


@exercise("06.2", "after_step_1", "after_step_3")
def _(after_step_1, after_step_3):
    output, h, c = _triple(after_step_1, "after_step_1")
    zero = np.zeros(3)
    if same(h, _C_START) and same(c, _H_START):
        raise Hint("after_step_1: h and c are swapped; the tuple is (output, h, c)")
    if same(h, zero) or same(c, zero):
        raise Hint("after_step_1: a masked step does not reset the state: h and c carry over unchanged, and before "
                   "step 1 they are the initial state")
    if not same(h, _H_START) or not same(c, _C_START):
        raise Hint("after_step_1: step 1 is masked, so h and c stay what they were before it, the initial state "
                   "(h_start, c_start)")
    if same(output, _H_START):
        raise Hint("after_step_1: no step has been kept yet, so the output is zeros, even though h holds the initial "
                   "state: the output is not h_start")
    if not same(output, zero):
        raise Hint("after_step_1: before the first kept step the output is zeros")

    output, h, c = _triple(after_step_3, "after_step_3")
    if same(h, _C_KEPT) and same(c, _H_KEPT):
        raise Hint("after_step_3: h and c are swapped; the tuple is (output, h, c)")
    if same(h, zero) or same(c, zero):
        raise Hint("after_step_3: a masked step does not reset the state: h and c carry over unchanged from step 2")
    if same(h, _H_START) or same(c, _C_START):
        raise Hint("after_step_3: the state carried over is the latest one, after the kept step 2 (h_kept, c_kept), "
                   "not the initial state")
    if not same(h, _H_KEPT) or not same(c, _C_KEPT):
        raise Hint("after_step_3: step 3 is masked, so h and c stay what they were after step 2: h_kept, c_kept")
    if same(output, zero):
        raise Hint("after_step_3: a step has been kept already (step 2), so the masked step repeats the previous "
                   "output; zeros appear only before the first kept step")
    if not same(output, _H_KEPT):
        raise Hint("after_step_3: a masked step repeats the previous step's output, which is step 2's output h_kept")


# --------------------------------------------------------------------------------------------------------------
# 06.3  the masked forward loop


def _loop_case():
    rng = np.random.default_rng(603)
    units, features = 3, 2
    kernel, recurrent_kernel, bias = random_weights(rng, features, units, scale=0.7, bias_scale=0.3)
    mask = np.array([
        [True, True, True, False, False],    # post-padded
        [False, False, True, True, True],    # pre-padded
        [True, False, True, False, True],    # gaps
        [True, True, True, True, True],      # nothing masked
    ])
    x = rng.normal(size=(4, 5, features))
    h0 = rng.uniform(-0.6, 0.6, size=(4, units))
    c0 = rng.uniform(-1.2, 1.2, size=(4, units))
    return x, mask, kernel, recurrent_kernel, bias, h0, c0


def _variant(x, mask, kernel, recurrent_kernel, bias, h0, c0, *, masked_state="carry", masked_output="repeat",
             first_output="zeros", row_mask=False):
    """The masked loop with one rule changed: the wrong rules the hints name."""
    h, c = h0, c0
    output = np.zeros_like(h0) if first_output == "zeros" else h0
    outputs = []
    for t in range(x.shape[1]):
        h_new, c_new, _ = lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        keep = (np.broadcast_to(mask[0, t], mask[:, t].shape) if row_mask else mask[:, t])[:, None]
        if masked_state == "reset":
            h, c = np.where(keep, h_new, 0.0), np.where(keep, c_new, 0.0)
        else:
            h, c = np.where(keep, h_new, h), np.where(keep, c_new, c)
        output = np.where(keep, h_new, output if masked_output == "repeat" else 0.0)
        outputs.append(output)
    return np.stack(outputs, axis=1), h, c


@exercise("06.3", "masked_forward")
def _(masked_forward):
    function_answer(masked_forward, "masked_forward", "x, mask, kernel, recurrent_kernel, bias, h0, c0")
    case = _loop_case()
    x, mask, kernel, recurrent_kernel, bias, h0, c0 = case
    batch, steps, _ = x.shape
    units = h0.shape[1]
    result = masked_forward(*(a.copy() for a in case))
    if not isinstance(result, (tuple, list)) or len(result) != 3:
        raise Hint(f"masked_forward must return a tuple (outputs, h, c), got {type(result).__name__}"
                   + (f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""))
    outputs, h, c = (returned_array(v, f"masked_forward's {name}", allow_bool=True)
                     for v, name in zip(result, ("outputs", "h", "c")))
    want_out, want_h, want_c = lstm_forward(x, kernel, recurrent_kernel, bias, initial_state=[h0, c0],
                                            return_sequences=True, return_state=True, mask=mask)
    if outputs.shape != want_out.shape:
        if outputs.shape == (steps, batch, units):
            raise Hint(f"outputs has the axes (timesteps, batch, units) = {outputs.shape}: stack the steps along "
                       f"axis 1 to get (batch, timesteps, units) = {want_out.shape}")
        raise Hint(f"outputs must be the output at every step, shape (batch, timesteps, units) = {want_out.shape}, "
                   f"got shape {outputs.shape}")
    for name, got in (("h", h), ("c", c)):
        if got.shape != (batch, units):
            raise Hint(f"{name} must be the final {name}, shape (batch, units) = {(batch, units)}, "
                       f"got shape {got.shape}")
    if same(outputs, want_out) and same(h, want_h) and same(c, want_c):
        return
    if same(outputs, want_out, atol=1e-4) and same(h, want_h, atol=1e-4) and same(c, want_c, atol=1e-4):
        raise Hint("close but not equal: compute in the dtype of the inputs (float64 here) instead of casting to "
                   "float32")

    variants = [
        (dict(mask=np.ones_like(mask)), "the mask was ignored: every step was used, padding included"),
        (dict(mask=~mask), "the mask was read the wrong way round: True means keep the step, False means skip it"),
        (dict(row_mask=True), "every sample followed the first sample's mask: each sample has its own row of the "
                              "mask, so use mask[:, t] for the whole batch (np.where(mask[:, t, None], new, old))"),
        (dict(h0=np.zeros_like(h0), c0=np.zeros_like(c0)), "the loop started from zero states: start from h0 and c0"),
        (dict(masked_state="reset", masked_output="zero"), "a masked step reset h, c and the output to zero: it "
                                                           "carries the states over unchanged and repeats the "
                                                           "previous output"),
        (dict(masked_state="reset"), "a masked step reset h and c to zero: it carries them over unchanged"),
        (dict(masked_output="zero"), "a masked step output zeros: after a kept step it repeats the previous output; "
                                     "zeros only before the first kept step"),
        (dict(first_output="h0"), "before the first kept step the output showed h0: Keras outputs zeros there, even "
                                  "with an initial state, while h and c hold h0 and c0"),
    ]
    base = {"x": x, "mask": mask, "kernel": kernel, "recurrent_kernel": recurrent_kernel, "bias": bias,
            "h0": h0, "c0": c0}
    for options, hint in variants:
        if same(outputs, _variant(**{**base, **options})[0]):
            raise Hint(hint)
    if not same(outputs, want_out):
        rows = [k for k in range(batch) if not same(outputs[k], want_out[k])]
        raise Hint(f"the outputs differ from Keras's masked rule for sample(s) {rows} (masks "
                   f"{[mask[k].astype(int).tolist() for k in rows]}): at a kept step take the new values, at a masked "
                   "step keep h, c and the previous output, with the output zero before the first kept step")
    if same(h, want_c) and same(c, want_h):
        raise Hint("the outputs are right, but the final h and c are swapped: return (outputs, h, c)")
    if not same(h, want_h):
        raise Hint("the outputs are right, but the final h is not: return the hidden state after the last step, "
                   "carried over masked steps")
    raise Hint("the outputs and h are right, but the final c is not: return the cell state after the last step, "
               "carried over masked steps")
