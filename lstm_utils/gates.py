"""Keras stores the four gates side by side along the last axis of every weight: blocks i, f, c, o."""

import numpy as np

#: Order of the gate blocks along the last axis of ``kernel``, ``recurrent_kernel`` and ``bias`` in Keras:
#: input gate, forget gate, candidate cell value (often written g or c-tilde), output gate.
GATE_ORDER = ("i", "f", "c", "o")


def split_gates(array):
    """Split the last axis of a Keras LSTM weight (or pre-activation) into its four gate blocks.

    Returns ``{"i": ..., "f": ..., "c": ..., "o": ...}``; block ``k`` is ``array[..., k*units:(k+1)*units]``.
    Works for ``kernel`` (features, 4u), ``recurrent_kernel`` (u, 4u), ``bias`` (4u,) and for
    pre-activations ``z`` (batch, 4u).
    """
    if array is None:
        raise TypeError("split_gates expects an array whose last axis has length 4*units, got None")
    arr = np.asarray(array)
    if arr.ndim == 0:
        raise ValueError(f"split_gates expects an array with a last axis of length 4*units, got a scalar {arr!r}")
    width = arr.shape[-1]
    if width == 0 or width % 4:
        raise ValueError(
            f"split_gates expects the last axis to have length 4*units (a multiple of 4), got shape {arr.shape}")
    units = width // 4
    return {name: arr[..., k * units:(k + 1) * units] for k, name in enumerate(GATE_ORDER)}
