"""How many numbers an LSTM layer learns."""

from ._validate import positive_int


def count_params(units, features, use_bias=True):
    """Number of trainable parameters of ``keras.layers.LSTM(units)`` on inputs with ``features`` features.

    Each of the four gates (i, f, c, o) has, for every unit, one weight per input feature (the ``kernel``),
    one weight per unit of the previous output (the ``recurrent_kernel``) and one bias:

        4 * units * (features + units + 1)

    The number of timesteps does not appear: the same weights are used at every step.
    """
    units = positive_int(units, "units")
    features = positive_int(features, "features")
    if not isinstance(use_bias, bool):
        raise TypeError(f"use_bias must be True or False, got {use_bias!r}")
    return 4 * units * (features + units + (1 if use_bias else 0))
