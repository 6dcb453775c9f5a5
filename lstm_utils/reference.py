"""The reference LSTM in numpy: one step, and a whole sequence with Keras's options.

What Keras computes at each step (``keras.layers.LSTMCell`` with its defaults, tanh and sigmoid)::

    z = x_t @ kernel + h_prev @ recurrent_kernel + bias     # (batch, 4*units), blocks i, f, c, o
    i = sigmoid(z_i)        f = sigmoid(z_f)                # input and forget gates
    g = tanh(z_c)           o = sigmoid(z_o)                # candidate cell value and output gate
    c = f * c_prev + i * g
    h = o * tanh(c)
"""

import numpy as np

from ._validate import finite, flag, float_array, lstm_weights_shapes, state_array
from .gates import split_gates
from .mask_rules import MASK_RULE_OF_BACKEND, MASK_RULES, check_mask_rule  # noqa: F401
from .tensors import to_numpy


def sigmoid(z):
    """The logistic function 1 / (1 + exp(-z)), computed without overflow for large |z|."""
    z = np.asarray(z)
    return np.exp(-np.logaddexp(np.zeros((), dtype=z.dtype), -z))


def _step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One step on arrays that are already checked.

    Returns h, c and the four gate activations."""
    z = x_t @ kernel + h_prev @ recurrent_kernel
    if bias is not None:
        z = z + bias
    zs = split_gates(z)
    gates = {
        "i": sigmoid(zs["i"]),
        "f": sigmoid(zs["f"]),
        "c": np.tanh(zs["c"]),
        "o": sigmoid(zs["o"]),
    }
    c = gates["f"] * c_prev + gates["i"] * gates["c"]
    h = gates["o"] * np.tanh(c)
    return h, c, gates


def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """One LSTM time step, exactly as ``keras.layers.LSTMCell`` computes it.

    ``x_t`` is one step of input: ``(features,)`` for one sample or ``(batch, features)``; ``h_prev`` and
    ``c_prev`` are ``(units,)`` or ``(batch, units)`` to match. ``bias`` may be ``None`` (``use_bias=False``).

    Returns ``(h, c, gates)`` where ``gates`` holds the four activations ``{"i", "f", "c", "o"}``;
    ``gates["c"]`` is the *candidate* value tanh(z_c), not the new cell state ``c``.
    """
    kernel, recurrent_kernel, bias, units = lstm_weights_shapes(
        kernel, recurrent_kernel, bias
    )
    features = kernel.shape[0]
    x_t = float_array(x_t, "x_t")
    if x_t.ndim not in (1, 2):
        raise ValueError(
            f"x_t must be 1-D (features,) or 2-D (batch, features), got shape {x_t.shape}"
        )
    if x_t.shape[-1] != features:
        raise ValueError(
            f"x_t must have {features} features to match kernel {kernel.shape} (features, 4*units), "
            f"got shape {x_t.shape}"
        )
    finite(x_t, "x_t")
    lead = x_t.shape[:-1]
    h_prev = state_array(h_prev, "h_prev", lead + (units,))
    c_prev = state_array(c_prev, "c_prev", lead + (units,))
    return _step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)


def _check_sequence(x, kernel, recurrent_kernel, bias, initial_state):
    """Checks shared by the forward and backward passes: returns the arrays, (h0, c0), and units."""
    kernel, recurrent_kernel, bias, units = lstm_weights_shapes(
        kernel, recurrent_kernel, bias
    )
    x = float_array(x, "x")
    if x.ndim != 3:
        hint = ""
        if x.ndim == 2:
            hint = (
                "; for one sequence of shape (timesteps, features) pass x[None], "
                "for a batch of one-feature sequences pass x[..., None]"
            )
        raise ValueError(
            f"x must be 3-D (batch, timesteps, features), got shape {x.shape}{hint}"
        )
    batch, timesteps, features = x.shape
    if batch == 0 or timesteps == 0:
        raise ValueError(
            f"x must have at least one sample and one timestep, got shape {x.shape}"
        )
    if features != kernel.shape[0]:
        raise ValueError(
            f"x has {features} features (shape {x.shape}) but kernel {kernel.shape} expects "
            f"{kernel.shape[0]} (kernel is (features, 4*units))"
        )
    dtype = np.result_type(
        x, kernel, recurrent_kernel, *([] if bias is None else [bias])
    )
    if initial_state is None:
        h0 = np.zeros((batch, units), dtype)
        c0 = np.zeros((batch, units), dtype)
    else:
        if not isinstance(initial_state, (list, tuple)):
            raise TypeError(
                f"initial_state must be a list [h0, c0] of two (batch, units) arrays, got {type(initial_state).__name__}"
            )
        if len(initial_state) != 2:
            raise ValueError(
                f"initial_state must be [h0, c0] (two arrays), got {len(initial_state)} arrays"
            )
        h0 = state_array(initial_state[0], "initial_state[0] (h0)", (batch, units))
        c0 = state_array(initial_state[1], "initial_state[1] (c0)", (batch, units))
    return x, kernel, recurrent_kernel, bias, h0, c0, units


def _check_mask(mask, batch, timesteps):
    if mask is None:
        return None
    try:
        m = to_numpy(mask)
    except TypeError as exc:
        raise TypeError(f"mask: {exc}") from None
    if m.shape != (batch, timesteps):
        raise ValueError(
            f"mask must have shape (batch, timesteps) = {(batch, timesteps)}, got shape {m.shape}"
        )
    if m.dtype != bool:
        if (
            not (
                np.issubdtype(m.dtype, np.integer)
                or np.issubdtype(m.dtype, np.floating)
            )
            or not np.isin(m, (0, 1)).all()
        ):
            raise TypeError(
                f"mask must hold booleans (or 0/1), got dtype {m.dtype} with other values"
            )
        m = m.astype(bool)
    return m


def lstm_forward(
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
    """The whole sequence, as ``keras.layers.LSTM(units, ...)(x, initial_state=..., mask=...)`` computes it.

    ``x`` is ``(batch, timesteps, features)``; ``kernel``, ``recurrent_kernel`` and ``bias`` are Keras's
    three weights. ``bias`` must be passed: ``None`` means a layer made with ``use_bias=False``. Returns the
    last output ``(batch, units)``, or every step's output ``(batch, timesteps, units)`` with
    ``return_sequences=True``; with ``return_state=True`` the list ``[output, h, c]`` (final hidden and
    cell state). Any backend's tensors are accepted; the results are numpy arrays.

    Keras's rules, reproduced here:

    * ``go_backwards=True`` reads the steps from last to first, and the returned sequence is in that
      (reversed) order.
    * ``mask`` is ``(batch, timesteps)``, ``True`` for a step that is used. At a masked step the states
      ``h`` and ``c`` carry over unchanged on every backend. What the layer *outputs* there depends on the
      backend, which ``mask_rule`` chooses:

      - ``"previous_output"`` (``"tensorflow"``, ``"torch"``): the previous step's output again, and zeros
        before the first kept step, even with an ``initial_state``;
      - ``"carried_state"`` (``"jax"``): the carried ``h``, which is ``h0`` before the first kept step.
        The two rules differ only there, and only when ``h0`` is not zero;
      - ``"zeros"``: zeros at every masked step, as ``Bidirectional`` layers (``zero_output_for_mask=True``)
        and TensorFlow's cuDNN kernel on a GPU return them.

    Numbers: every weight and state must be finite; ``x`` may hold NaN or inf only at masked steps,
    whose values are never used (as in Keras).

    Three mistakes no shape check can catch: ``kernel`` and ``recurrent_kernel`` swapped when
    ``features == units`` (both are ``(units, 4*units)``); a kernel in PyTorch's transposed layout when
    ``features == 4*units``; and a time-major ``x`` of shape ``(timesteps, batch, features)``. Gate blocks in
    another framework's order (PyTorch's GRU, say) have the right shapes too: see ``GATE_ORDER``.
    """
    x, kernel, recurrent_kernel, bias, h, c, units = _check_sequence(
        x, kernel, recurrent_kernel, bias, initial_state
    )
    batch, timesteps, _ = x.shape
    return_sequences = flag(return_sequences, "return_sequences")
    return_state = flag(return_state, "return_state")
    go_backwards = flag(go_backwards, "go_backwards")
    rule = check_mask_rule(mask_rule)
    mask = _check_mask(mask, batch, timesteps)
    if mask is not None:
        finite(x, "x", where=mask[..., None])
        x = np.where(
            mask[..., None], x, 0
        )  # masked steps' values are never used: keep NaN out of the sums
    else:
        finite(x, "x")
    order = range(timesteps - 1, -1, -1) if go_backwards else range(timesteps)
    output = np.zeros_like(h)
    outputs = []
    for t in order:
        h_new, c_new, _ = _step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        if mask is None:
            output, h, c = h_new, h_new, c_new
        else:
            keep = mask[:, t, None]
            h = np.where(keep, h_new, h)
            c = np.where(keep, c_new, c)
            if rule == "previous_output":
                output = np.where(keep, h_new, output)
            elif rule == "carried_state":
                output = h
            else:
                output = np.where(keep, h_new, 0.0).astype(h.dtype)
        outputs.append(output)
    result = np.stack(outputs, axis=1) if return_sequences else output
    return [result, h, c] if return_state else result
