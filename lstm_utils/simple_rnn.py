"""The reference SimpleRNN in numpy: one step, and a whole sequence.

What ``keras.layers.SimpleRNNCell`` computes at each step (default activation tanh)::

    h = tanh(x_t @ kernel + bias + h_prev @ recurrent_kernel)

``kernel`` is ``(features, units)``, ``recurrent_kernel`` ``(units, units)``, ``bias``
``(units,)``: no gates, so no blocks. PyTorch's ``torch.nn.RNN`` (tanh) is the same
cell with two biases, whose sum is Keras's one.
"""

import numpy as np

from . import _recurrence
from . import _rnn_checks as checks
from ._validate import float_array, state_array


def _bias(bias, units):
    if bias is None:
        return None
    bias = float_array(bias, "bias")
    if bias.shape != (units,):
        hint = ""
        if bias.shape in ((2, units), (2 * units,)):
            hint = " (PyTorch keeps two biases, b_ih and b_hh: pass their sum)"
        raise ValueError(
            f"bias must have shape (units,) = ({units},), got shape {bias.shape}{hint}"
        )
    return bias


def _step(x_t, h_prev, kernel, recurrent_kernel, bias):
    z = x_t @ kernel
    if bias is not None:
        z = z + bias
    return np.tanh(z + h_prev @ recurrent_kernel)


def simple_rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    """One SimpleRNN time step, exactly as ``keras.layers.SimpleRNNCell`` computes it.

    ``x_t`` is ``(features,)`` or ``(batch, features)``; ``h_prev`` ``(units,)`` or
    ``(batch, units)`` to match; ``bias`` ``(units,)`` or ``None``. Returns the new
    ``h``, which is also the step's output.
    """
    kernel, recurrent_kernel, units = checks.weights(
        kernel, recurrent_kernel, "simple_rnn"
    )
    bias = _bias(bias, units)
    x_t = float_array(x_t, "x_t")
    if x_t.ndim not in (1, 2):
        raise ValueError(
            "x_t must be 1-D (features,) or 2-D (batch, features), "
            f"got shape {x_t.shape}"
        )
    if x_t.shape[-1] != kernel.shape[0]:
        raise ValueError(
            f"x_t must have {kernel.shape[0]} features to match kernel {kernel.shape} "
            f"(features, units), got shape {x_t.shape}"
        )
    h_prev = state_array(h_prev, "h_prev", x_t.shape[:-1] + (units,))
    return _step(x_t, h_prev, kernel, recurrent_kernel, bias)


def simple_rnn_forward(
    x,
    kernel,
    recurrent_kernel,
    bias,
    *,
    initial_state=None,
    return_sequences=False,
    return_state=False,
    go_backwards=False,
    mask=None,
    mask_rule="previous_output",
):
    """The whole sequence, as ``keras.layers.SimpleRNN(units)(x, initial_state, mask)``.

    ``x`` is ``(batch, timesteps, features)``; ``kernel`` ``(features, units)``,
    ``recurrent_kernel`` ``(units, units)``; ``bias`` ``(units,)`` must be passed,
    ``None`` for a layer made with ``use_bias=False``. ``initial_state`` is ``h0``,
    ``(batch, units)``.

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
    kernel, recurrent_kernel, units = checks.weights(
        kernel, recurrent_kernel, "simple_rnn"
    )
    bias = _bias(bias, units)
    x = checks.sequence(x, kernel)
    dtype = np.result_type(
        x, kernel, recurrent_kernel, *([] if bias is None else [bias])
    )
    h0 = checks.initial_h(initial_state, x.shape[0], units, dtype)

    def step(x_t, h_prev):
        return _step(x_t, h_prev, kernel, recurrent_kernel, bias)

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
