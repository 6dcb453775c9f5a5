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
"""

import numpy as np

from ._validate import float_array
from .gates import GATE_ORDER
from .reference import _check_sequence, _step


def lstm_backward(x, kernel, recurrent_kernel, bias, grad_output, *, initial_state=None, return_sequences=False):
    """Gradients of ``sum(output * grad_output)`` where ``output = lstm_forward(x, ..., return_sequences=...)``.

    ``grad_output`` has the shape of the output: ``(batch, units)``, or ``(batch, timesteps, units)`` with
    ``return_sequences=True``. Returns ``{"x", "kernel", "recurrent_kernel", "bias"}``, each shaped like its
    input (``"bias"`` is ``None`` when ``bias`` is ``None``).
    """
    x, kernel, recurrent_kernel, bias, h, c, units = _check_sequence(x, kernel, recurrent_kernel, bias, initial_state)
    if not isinstance(return_sequences, bool):
        raise TypeError(f"return_sequences must be True or False, got {return_sequences!r}")
    batch, timesteps, _ = x.shape
    grad_output = float_array(grad_output, "grad_output")
    want = (batch, timesteps, units) if return_sequences else (batch, units)
    if grad_output.shape != want:
        raise ValueError(
            f"grad_output must have the output's shape {want} (return_sequences={return_sequences}), "
            f"got shape {grad_output.shape}")

    tape = []                                   # what each step's backward pass needs
    for t in range(timesteps):
        h_new, c_new, gates = _step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        tape.append((h, c, c_new, gates))
        h, c = h_new, c_new

    grads = {"x": np.zeros_like(x, dtype=h.dtype), "kernel": np.zeros_like(kernel, dtype=h.dtype),
             "recurrent_kernel": np.zeros_like(recurrent_kernel, dtype=h.dtype),
             "bias": None if bias is None else np.zeros_like(bias, dtype=h.dtype)}
    dh_next = np.zeros_like(h)
    dc_next = np.zeros_like(c)
    for t in range(timesteps - 1, -1, -1):
        h_prev, c_prev, c_t, gates = tape[t]
        i, f, g, o = (gates[k] for k in GATE_ORDER)
        dh = dh_next + (grad_output[:, t] if return_sequences else (grad_output if t == timesteps - 1 else 0))
        tanh_c = np.tanh(c_t)
        dc = dc_next + dh * o * (1 - tanh_c ** 2)
        dz = np.concatenate([dc * g * i * (1 - i),
                             dc * c_prev * f * (1 - f),
                             dc * i * (1 - g ** 2),
                             dh * tanh_c * o * (1 - o)], axis=-1)
        grads["kernel"] += x[:, t].T @ dz
        grads["recurrent_kernel"] += h_prev.T @ dz
        if bias is not None:
            grads["bias"] += dz.sum(axis=0)
        grads["x"][:, t] = dz @ kernel.T
        dh_next = dz @ recurrent_kernel.T
        dc_next = dc * f
    return grads
