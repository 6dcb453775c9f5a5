"""How every chapter shows that the hand computation equals Keras: assert, then print the residue."""

import numpy as np


def assert_close(hand, keras_value, atol, label="hand vs Keras"):
    """Assert that two arrays agree to ``atol`` (absolute, elementwise) and print the largest difference.

    Shapes must match exactly (no broadcasting). Returns the max absolute difference.
    """
    hand = np.asarray(hand)
    keras_value = np.asarray(keras_value)
    if hand.shape != keras_value.shape:
        raise ValueError(f"{label}: shapes differ, hand {hand.shape} vs Keras {keras_value.shape}")
    np.testing.assert_allclose(hand, keras_value, rtol=0, atol=atol, err_msg=label)
    diff = float(np.max(np.abs(hand.astype(np.float64) - keras_value.astype(np.float64)))) if hand.size else 0.0
    print(f"{label}: max |Δ| = {diff:.1e}  (tolerance {atol:g})")
    return diff
