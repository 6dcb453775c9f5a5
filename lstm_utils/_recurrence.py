"""The loop over the timesteps that Keras's ``RNN`` layer runs around a one-state cell
(GRU, SimpleRNN): reading order, masked steps, and what it returns."""

import numpy as np

from . import _rnn_checks as checks
from .mask_rules import check_mask_rule


def run(step, x, h0, *, mask, return_sequences, return_state, go_backwards, mask_rule):
    """Apply ``step(x_t, h_prev) -> h`` along the time axis of ``x``, as Keras does.

    ``x`` and ``h0`` are already checked. ``mask`` is checked here; ``mask_rule`` (see
    ``lstm_utils.mask_rules``) says what a masked step outputs.
    """
    for value, name in (
        (return_sequences, "return_sequences"),
        (return_state, "return_state"),
        (go_backwards, "go_backwards"),
    ):
        checks.flag(value, name)
    rule = check_mask_rule(mask_rule)
    batch, timesteps, _ = x.shape
    mask = checks.mask_array(mask, batch, timesteps)
    order = range(timesteps - 1, -1, -1) if go_backwards else range(timesteps)
    h = h0
    output = h0 if rule == "carried_state" else np.zeros_like(h0)
    outputs = []
    for t in order:
        h_new = step(x[:, t], h)
        if mask is None:
            output = h = h_new
        else:
            keep = mask[:, t, None]
            # what a masked step outputs (see mask_rules): "previous_output" repeats the
            # previous output, "carried_state" the carried h, "zeros" is zeros
            masked = {"previous_output": output, "carried_state": h, "zeros": 0}[rule]
            output = np.where(keep, h_new, masked)
            h = np.where(keep, h_new, h)
        outputs.append(output)
    result = np.stack(outputs, axis=1) if return_sequences else output
    return [result, h] if return_state else result
