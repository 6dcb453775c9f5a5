"""How every chapter shows that the hand computation equals Keras: assert, then print the residue."""

import numpy as np

from .tensors import to_numpy


def _real_array(value, side, label):
    try:
        arr = to_numpy(value)
    except TypeError as exc:
        raise TypeError(f"{label}: the {side} value: {exc}") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{label}: the {side} value must be numbers, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{label}: the {side} value is complex ({arr.dtype}); compare real arrays "
                        "(the real and imaginary parts separately, if you mean to)")
    return arr


def assert_close(hand, keras_value, atol, label="hand vs Keras"):
    """Assert that two arrays agree to ``atol`` (absolute, elementwise) and print the largest difference.

    Either side may be any backend's tensor (TensorFlow, JAX, PyTorch, a ``keras.Variable``) or anything
    numpy reads. Shapes must match exactly (no broadcasting). A NaN or an infinity on either side fails: it
    is never a proven number, not even when both sides hold it at the same place. Returns the max absolute
    difference.
    """
    if isinstance(atol, bool) or not isinstance(atol, (int, float, np.integer, np.floating)):
        raise TypeError(f"atol must be a number, got {atol!r}")
    if not (np.isfinite(atol) and atol >= 0):
        raise ValueError(f"atol must be a finite number >= 0, got {atol!r}")
    hand = _real_array(hand, "hand", label)
    keras_value = _real_array(keras_value, "Keras", label)
    if hand.shape != keras_value.shape:
        raise ValueError(f"{label}: shapes differ, hand {hand.shape} vs Keras {keras_value.shape}")
    for side, arr in (("hand", hand), ("Keras", keras_value)):
        bad = ~np.isfinite(arr.astype(np.float64))
        if bad.any():
            first = tuple(int(i) for i in np.argwhere(bad)[0])
            raise AssertionError(f"{label}: the {side} value holds {int(bad.sum())} NaN or infinite "
                                 f"number(s), the first {arr[first]} at index {first}")
    diff = float(np.max(np.abs(hand.astype(np.float64) - keras_value.astype(np.float64)))) if hand.size else 0.0
    np.testing.assert_allclose(hand, keras_value, rtol=0, atol=atol, err_msg=label)
    print(f"{label}: max |Δ| = {diff:.1e}  (tolerance {atol:g})")
    return diff
