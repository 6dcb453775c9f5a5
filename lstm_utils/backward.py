"""Backpropagation through time for the reference LSTM, gate by gate.

For a loss L = sum(output * grad_output), walking the steps from last to first, with tanh_c = tanh(c_t)::

    dh   = grad_output[t] + dh_next                   # from the loss, and from step t+1 through recurrent_kernel
    dc   = dc_next + dh * o * (1 - tanh_c**2)         # through h = o * tanh(c)
    dz_o = dh * tanh_c   * o * (1 - o)                # sigmoid'(z) = s (1 - s)
    dz_i = dc * g        * i * (1 - i)
    dz_c = dc * i        * (1 - g**2)                 # tanh'(z) = 1 - tanh(z)**2
    dz_f = dc * c_prev   * f * (1 - f)
    dz   = [dz_i, dz_f, dz_c, dz_o]                   # (batch, 4*units), Keras's block order
    d kernel += x_t.T @ dz,  d recurrent_kernel += h_prev.T @ dz,  d bias += sum over batch of dz
    dx_t = dz @ kernel.T,    dh_next = dz @ recurrent_kernel.T,     dc_next = dc * f

With a mask, a masked step passes dh and dc straight back to the step before it (its states were carried,
not computed), and its dz is zero.
"""

import numpy as np

from ._validate import finite, flag, float_array
from .gates import GATE_ORDER
from .reference import _check_mask, _check_sequence, _step, check_mask_rule


def _gate_grads(dh, dc, c_prev, c_t, gates):
    """dz (batch, 4*units) and the part of dc that reaches c_prev, for one step's dh and dc."""
    i, f, g, o = (gates[k] for k in GATE_ORDER)
    tanh_c = np.tanh(c_t)
    dc = dc + dh * o * (1 - tanh_c**2)
    dz = np.concatenate(
        [
            dc * g * i * (1 - i),
            dc * c_prev * f * (1 - f),
            dc * i * (1 - g**2),
            dh * tanh_c * o * (1 - o),
        ],
        axis=-1,
    )
    return dz, dc * f


def lstm_backward(
    x,
    kernel,
    recurrent_kernel,
    bias,
    grad_output,
    *,
    initial_state=None,
    return_sequences=False,
    go_backwards=False,
    mask=None,
    mask_rule="previous_output",
):
    """Gradients of ``sum(output * grad_output)``, where
    ``output = lstm_forward(x, ..., same options)``.

    ``grad_output`` has the shape of the output: ``(batch, units)``, or
    ``(batch, timesteps, units)`` with ``return_sequences=True`` (in the order the
    output has, reversed with ``go_backwards=True``). ``mask`` and ``mask_rule`` mean
    what they mean for ``lstm_forward``: the rules give the same weight gradients and
    differ only in whether the outputs before the first kept step lead back to ``h0``.

    Returns ``{"x", "kernel", "recurrent_kernel", "bias", "initial_state"}``, each
    shaped like its input: ``"bias"`` is ``None`` when ``bias`` is ``None``, and
    ``"initial_state"`` is ``[dh0, dc0]`` when an ``initial_state`` was passed, else
    ``None``.
    """
    x, kernel, recurrent_kernel, bias, h, c, units = _check_sequence(
        x, kernel, recurrent_kernel, bias, initial_state
    )
    return_sequences = flag(return_sequences, "return_sequences")
    go_backwards = flag(go_backwards, "go_backwards")
    rule = check_mask_rule(mask_rule)
    batch, timesteps, _ = x.shape
    mask = _check_mask(mask, batch, timesteps)
    if mask is not None:
        finite(x, "x", where=mask[..., None])
        x = np.where(mask[..., None], x, 0)
    else:
        finite(x, "x")
    grad_output = finite(float_array(grad_output, "grad_output"), "grad_output")
    want = (batch, timesteps, units) if return_sequences else (batch, units)
    if grad_output.shape != want:
        raise ValueError(
            f"grad_output must have the output's shape {want} "
            f"(return_sequences={return_sequences}), got shape {grad_output.shape}"
        )

    order = (
        list(range(timesteps - 1, -1, -1)) if go_backwards else list(range(timesteps))
    )
    keep = np.ones((batch, timesteps, 1), bool) if mask is None else mask[..., None]
    tape = []  # what each step's backward pass needs, in processing order
    for t in order:
        h_new, c_new, gates = _step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        tape.append((h, c, c_new, gates))
        h = np.where(keep[:, t], h_new, h)
        c = np.where(keep[:, t], c_new, c)

    dtype = h.dtype
    grads = {
        "x": np.zeros_like(x, dtype=dtype),
        "kernel": np.zeros_like(kernel, dtype=dtype),
        "recurrent_kernel": np.zeros_like(recurrent_kernel, dtype=dtype),
        "bias": None if bias is None else np.zeros_like(bias, dtype=dtype),
    }
    dh_next = np.zeros_like(
        h
    )  # dL/dh and dL/dc of the states after the step being undone
    dc_next = np.zeros_like(c)
    dy_next = np.zeros_like(
        h
    )  # "previous_output": dL/d(output) passed back through masked steps
    for k in range(
        timesteps - 1, -1, -1
    ):  # k: position in processing order, also the output's index
        t = order[k]
        m = keep[:, t]
        h_prev, c_prev, c_t, gates = tape[k]
        if return_sequences:
            g_out = grad_output[:, k]
        else:
            g_out = grad_output if k == timesteps - 1 else np.zeros_like(h)
        dh_new = np.where(m, dh_next, 0.0)
        if rule == "previous_output":
            g_out = g_out + dy_next
            dh_new = dh_new + np.where(m, g_out, 0.0)
            dy_next = np.where(m, 0.0, g_out)
        elif rule == "carried_state":
            dh_new = dh_new + np.where(m, g_out, 0.0)
            dh_next = dh_next + np.where(m, 0.0, g_out)
        else:  # "zeros": a masked step outputs a constant
            dh_new = dh_new + np.where(m, g_out, 0.0)
        dc_new = np.where(m, dc_next, 0.0)
        dz, dc_prev = _gate_grads(dh_new, dc_new, c_prev, c_t, gates)
        grads["kernel"] += x[:, t].T @ dz
        grads["recurrent_kernel"] += h_prev.T @ dz
        if bias is not None:
            grads["bias"] += dz.sum(axis=0)
        grads["x"][:, t] = dz @ kernel.T
        dh_next = np.where(m, 0.0, dh_next) + dz @ recurrent_kernel.T
        dc_next = np.where(m, 0.0, dc_next) + dc_prev
    grads["initial_state"] = None if initial_state is None else [dh_next, dc_next]
    return grads
