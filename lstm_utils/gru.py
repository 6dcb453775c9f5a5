"""The reference GRU in numpy: Keras's gate blocks, one step, and a whole sequence.

What ``keras.layers.GRUCell`` computes at each step (its defaults: tanh, sigmoid,
``reset_after=True``)::

    xz = x_t @ kernel + bias[0]               # (batch, 3*units), blocks z, r, h
    hz = h_prev @ recurrent_kernel + bias[1]  # the recurrent part, with its own bias
    z = sigmoid(xz_z + hz_z)                  # update gate: how much of h_prev stays
    r = sigmoid(xz_r + hz_r)                  # reset gate: what the candidate sees
    g = tanh(xz_h + r * hz_h)                 # candidate (Keras's block "h")
    h = z * h_prev + (1 - z) * g

With ``reset_after=False`` (the original GRU) the bias is one row ``(3*units,)`` and
the reset gate acts *before* the product:
``g = tanh(xz_h + (r * h_prev) @ recurrent_kernel_h)``.

PyTorch's ``torch.nn.GRU`` is the ``reset_after=True`` form with its blocks in the
order r, z, n (n is the candidate): ``lstm_utils.from_torch`` reorders them.
"""

import numpy as np

from . import _recurrence
from . import _rnn_checks as checks
from ._validate import float_array, state_array
from .reference import sigmoid

#: Order of the gate blocks along the last axis of a Keras GRU's ``kernel``,
#: ``recurrent_kernel`` and ``bias``: update gate, reset gate, candidate.
GRU_GATE_ORDER = ("z", "r", "h")


def split_gru_gates(array):
    """Split the last axis of a Keras GRU weight (or pre-activation) into its 3 gates.

    Returns ``{"z": ..., "r": ..., "h": ...}``; block ``k`` is
    ``array[..., k*units:(k+1)*units]``. Works for ``kernel`` (features, 3u),
    ``recurrent_kernel`` (u, 3u), both bias layouts, ``(2, 3u)`` (each block is then
    ``(2, u)``: input row, recurrent row) and ``(3u,)``, and pre-activations
    ``(batch, 3u)``.
    """
    if array is None:
        raise TypeError(
            "split_gru_gates expects an array whose last axis has length 3*units, "
            "got None"
        )
    arr = np.asarray(array)
    if arr.ndim == 0:
        raise ValueError(
            "split_gru_gates expects an array with a last axis of length 3*units, "
            f"got a scalar {arr!r}"
        )
    width = arr.shape[-1]
    if width == 0 or width % 3:
        hint = (
            " (4*units: an LSTM's weight, for split_gates)"
            if width % 4 == 0 and width
            else ""
        )
        raise ValueError(
            "split_gru_gates expects the last axis to have length 3*units "
            f"(a multiple of 3), got shape {arr.shape}{hint}"
        )
    units = width // 3
    return {
        name: arr[..., k * units : (k + 1) * units]
        for k, name in enumerate(GRU_GATE_ORDER)
    }


def _bias(bias, units, reset_after):
    """``(input_bias, recurrent_bias)`` checked against reset_after."""
    checks.flag(reset_after, "reset_after")
    if bias is None:
        return None, None
    bias = float_array(bias, "bias")
    want = (2, 3 * units) if reset_after else (3 * units,)
    if bias.shape == want:
        return (bias[0], bias[1]) if reset_after else (bias, None)
    if reset_after and bias.shape == (3 * units,):
        raise ValueError(
            f"bias has shape ({3 * units},), the layout of a GRU made with "
            "reset_after=False; with reset_after=True (Keras's default) the bias is "
            f"two rows (2, {3 * units}): input bias and recurrent bias. Pass "
            "reset_after=False if the layer was made so"
        )
    if not reset_after and bias.shape == (2, 3 * units):
        raise ValueError(
            f"bias has shape (2, {3 * units}), the layout of a GRU made with "
            "reset_after=True (two rows: input bias and recurrent bias); with "
            f"reset_after=False it is one row ({3 * units},). Pass reset_after=True if "
            "the layer was made so"
        )
    hint = ""
    if bias.shape == (6 * units,):
        hint = (
            "; PyTorch keeps b_ih and b_hh side by side: Keras's layout is "
            f"bias.reshape(2, {3 * units}) after reordering the gates "
            "(lstm_utils.from_torch does both)"
        )
    raise ValueError(
        f"bias must have shape {want} for a GRU with {units} units and "
        f"reset_after={reset_after}, got shape {bias.shape}{hint}"
    )


def _step(
    x_t, h_prev, kernel, recurrent_kernel, input_bias, recurrent_bias, reset_after
):
    """One step on checked arrays: h and the gate activations {"z", "r", "h"}."""
    units = recurrent_kernel.shape[0]
    xz = x_t @ kernel
    if input_bias is not None:
        xz = xz + input_bias
    x_z, x_r, x_h = xz[..., :units], xz[..., units : 2 * units], xz[..., 2 * units :]
    if reset_after:
        hz = h_prev @ recurrent_kernel
        if recurrent_bias is not None:
            hz = hz + recurrent_bias
    else:
        hz = h_prev @ recurrent_kernel[:, : 2 * units]
    z = sigmoid(x_z + hz[..., :units])
    r = sigmoid(x_r + hz[..., units : 2 * units])
    if reset_after:
        g = np.tanh(x_h + r * hz[..., 2 * units :])
    else:
        g = np.tanh(x_h + (r * h_prev) @ recurrent_kernel[:, 2 * units :])
    h = z * h_prev + (1 - z) * g
    return h, {"z": z, "r": r, "h": g}


def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, *, reset_after=True):
    """One GRU time step, exactly as ``keras.layers.GRUCell`` computes it.

    ``x_t`` is ``(features,)`` or ``(batch, features)``; ``h_prev`` is ``(units,)`` or
    ``(batch, units)`` to match. ``bias`` is ``(2, 3*units)`` with ``reset_after=True``,
    ``(3*units,)`` with ``reset_after=False``, ``None`` for ``use_bias=False``.

    Returns ``(h, gates)`` where ``gates`` holds the activations ``{"z", "r", "h"}``;
    ``gates["h"]`` is the *candidate* tanh(...), not the new state ``h``.
    """
    kernel, recurrent_kernel, units = checks.weights(kernel, recurrent_kernel, "gru")
    input_bias, recurrent_bias = _bias(bias, units, reset_after)
    x_t = float_array(x_t, "x_t")
    if x_t.ndim not in (1, 2):
        raise ValueError(
            "x_t must be 1-D (features,) or 2-D (batch, features), "
            f"got shape {x_t.shape}"
        )
    if x_t.shape[-1] != kernel.shape[0]:
        raise ValueError(
            f"x_t must have {kernel.shape[0]} features to match kernel {kernel.shape} "
            f"(features, 3*units), got shape {x_t.shape}"
        )
    h_prev = state_array(h_prev, "h_prev", x_t.shape[:-1] + (units,))
    return _step(
        x_t, h_prev, kernel, recurrent_kernel, input_bias, recurrent_bias, reset_after
    )


def gru_forward(
    x,
    kernel,
    recurrent_kernel,
    bias,
    *,
    reset_after=True,
    initial_state=None,
    return_sequences=False,
    return_state=False,
    go_backwards=False,
    mask=None,
    mask_rule="previous_output",
):
    """The whole sequence, as ``keras.layers.GRU(units, ...)(x, initial_state, mask)``.

    ``x`` is ``(batch, timesteps, features)``; ``kernel`` ``(features, 3*units)``,
    ``recurrent_kernel`` ``(units, 3*units)``, blocks z, r, h. ``bias`` must be passed:
    ``(2, 3*units)`` with ``reset_after=True`` (Keras's default: an input row and a
    recurrent row), ``(3*units,)`` with ``reset_after=False``, ``None`` for a layer
    made with ``use_bias=False``. ``initial_state`` is ``h0``, a ``(batch, units)``
    array.

    Returns the last output ``(batch, units)``, or every step's output
    ``(batch, timesteps, units)`` with ``return_sequences=True``; with
    ``return_state=True`` the list ``[output, h]``.

    * ``go_backwards=True`` reads the steps from last to first, and the returned
      sequence is in that (reversed) order.
    * ``mask`` is ``(batch, timesteps)``: at a masked step ``h`` carries over
      unchanged, and the output follows ``mask_rule`` ("previous_output", the
      default, as on TensorFlow and torch; "carried_state", as on JAX; "zeros"; or
      "keras", the rule of the backend in use), the same rules as
      :func:`lstm_utils.lstm_forward`'s, described once in ``lstm_utils.mask_rules``.
    """
    kernel, recurrent_kernel, units = checks.weights(kernel, recurrent_kernel, "gru")
    input_bias, recurrent_bias = _bias(bias, units, reset_after)
    x = checks.sequence(x, kernel)
    dtype = np.result_type(
        x, kernel, recurrent_kernel, *([] if bias is None else [input_bias])
    )
    h0 = checks.initial_h(initial_state, x.shape[0], units, dtype)

    def step(x_t, h_prev):
        return _step(
            x_t,
            h_prev,
            kernel,
            recurrent_kernel,
            input_bias,
            recurrent_bias,
            reset_after,
        )[0]

    return _recurrence.run(
        step,
        x,
        h0,
        mask=mask,
        return_sequences=return_sequences,
        return_state=return_state,
        go_backwards=go_backwards,
        mask_rule=mask_rule,
    )
