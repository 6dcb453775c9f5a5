"""A ``keras.layers.Bidirectional(LSTM(...))`` layer in numpy: two LSTMs, one reading the sequence forwards and
one backwards, their outputs merged.

What Keras 3 computes (``keras/src/layers/rnn/bidirectional.py``)::

    y     = LSTM(..., go_backwards=False)(x)    # the forward layer, its own weights
    y_rev = LSTM(..., go_backwards=True)(x)     # the backward layer, its own weights
    if return_sequences: y_rev = y_rev[:, ::-1] # back into time order
    output = concat([y, y_rev], -1) | y + y_rev | y * y_rev | (y + y_rev) / 2 | [y, y_rev]
    return_state: [output, h_fwd, c_fwd, h_bwd, c_bwd]

numpy alone; the arithmetic of each direction is `lstm_forward`'s.
"""

import numpy as np

from ._validate import flag
from .reference import lstm_forward

#: Keras's merge modes; ``None`` returns the two directions' outputs as a list.
MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def _weights(value, name):
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        got = f"{type(value).__name__} of length {len(value)}" if isinstance(value, (list, tuple)) else \
            type(value).__name__
        raise TypeError(
            f"{name} must be the three weights (kernel, recurrent_kernel, bias) of one LSTM, as "
            f"lu.lstm_weights returns them (bias None for use_bias=False), got a {got}")
    return tuple(value)


def _merge(y, y_rev, merge_mode):
    if merge_mode == "concat":
        return np.concatenate([y, y_rev], axis=-1)
    if merge_mode == "sum":
        return y + y_rev
    if merge_mode == "mul":
        return y * y_rev
    if merge_mode == "ave":
        return (y + y_rev) / 2
    return [y, y_rev]


def bidirectional_forward(x, forward_weights, backward_weights, *, merge_mode="concat", initial_state=None,
                          return_sequences=False, return_state=False, mask=None, mask_rule="previous_output"):
    """The whole sequence, as ``keras.layers.Bidirectional(LSTM(units, ...), merge_mode=...)`` computes it.

    ``x`` is ``(batch, timesteps, features)``. ``forward_weights`` and ``backward_weights`` are the
    ``(kernel, recurrent_kernel, bias)`` of the two layers, as ``lu.lstm_weights(layer.forward_layer)`` and
    ``lu.lstm_weights(layer.backward_layer, go_backwards=True)`` read them. Results are numpy arrays:

    * the output: the forward output and the backward output, merged by ``merge_mode``: ``"concat"``
      (``2*units`` wide, forward half first), ``"sum"``, ``"mul"``, ``"ave"`` (``units`` wide), or ``None``
      (the list ``[forward, backward]``). Without ``return_sequences`` each direction gives its last output:
      the forward one after step T, the backward one after step 1. With ``return_sequences=True`` the
      backward sequence is flipped back into time order before the merge, so position t holds both
      directions' outputs at step t.
    * with ``return_state=True``: ``[output, h_fwd, c_fwd, h_bwd, c_bwd]`` (``merge_mode=None``:
      ``[y, y_rev, h_fwd, c_fwd, h_bwd, c_bwd]``), as Keras returns them.

    ``initial_state`` is the list of four ``(batch, units)`` arrays Keras takes: ``[h_fwd, c_fwd, h_bwd,
    c_bwd]``, the first half for the forward layer, the second for the backward one.

    ``mask`` is ``(batch, timesteps)``, ``True`` for a kept step. With ``return_sequences=True``
    ``Bidirectional`` sets ``zero_output_for_mask=True`` on both layers, so a masked step's output is zeros on
    every backend (``mask_rule`` is not used). Without ``return_sequences`` each direction follows
    ``mask_rule`` (see ``lstm_forward``: ``"previous_output"``, ``"carried_state"``, a backend's name, or
    ``"keras"``); the two rules differ only for a sequence whose steps are all masked and that starts from a
    non-zero ``initial_state``.

    The two layers may differ in ``units`` (Keras's ``backward_layer=...``) only with ``"concat"`` or ``None``.
    """
    if merge_mode not in MERGE_MODES:
        raise ValueError(f"merge_mode must be one of {MERGE_MODES}, got {merge_mode!r}")
    forward_weights = _weights(forward_weights, "forward_weights")
    backward_weights = _weights(backward_weights, "backward_weights")
    return_sequences = flag(return_sequences, "return_sequences")
    return_state = flag(return_state, "return_state")
    if initial_state is None:
        forward_state = backward_state = None
    else:
        if not isinstance(initial_state, (list, tuple)):
            raise TypeError(
                "initial_state must be a list of four (batch, units) arrays [h_fwd, c_fwd, h_bwd, c_bwd], got "
                f"{type(initial_state).__name__}")
        if len(initial_state) != 4:
            raise ValueError(
                "initial_state must hold four arrays, [h_fwd, c_fwd, h_bwd, c_bwd] (the first half for the "
                f"forward layer, the second for the backward one), got {len(initial_state)}")
        forward_state, backward_state = list(initial_state[:2]), list(initial_state[2:])
    rule = "zeros" if return_sequences else mask_rule
    options = dict(return_sequences=return_sequences, return_state=True, mask=mask, mask_rule=rule)
    try:
        y, h_fwd, c_fwd = lstm_forward(x, *forward_weights, initial_state=forward_state, **options)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"forward layer: {exc}") from None
    try:
        y_rev, h_bwd, c_bwd = lstm_forward(x, *backward_weights, initial_state=backward_state,
                                           go_backwards=True, **options)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"backward layer: {exc}") from None
    if merge_mode in ("sum", "mul", "ave") and y.shape != y_rev.shape:
        raise ValueError(
            f"merge_mode={merge_mode!r} needs two layers of the same width, got {y.shape[-1]} units forward and "
            f"{y_rev.shape[-1]} backward; use 'concat' or None")
    if return_sequences:
        y_rev = np.ascontiguousarray(y_rev[:, ::-1])      # back into time order
    output = _merge(y, y_rev, merge_mode)
    if not return_state:
        return output
    head = output if merge_mode is None else [output]
    return head + [h_fwd, c_fwd, h_bwd, c_bwd]
