"""How many numbers a recurrent layer learns: LSTM, GRU, SimpleRNN."""

from ._validate import positive_int

#: The cells count_params knows, and how many gate blocks each one has.
CELL_BLOCKS = {"lstm": 4, "gru": 3, "simple_rnn": 1}


def count_params(units, features, use_bias=True, *, cell="lstm", reset_after=True):
    """Trainable parameters of a Keras recurrent layer on ``features`` input features.

    ``cell`` is ``"lstm"`` (the default), ``"gru"`` or ``"simple_rnn"``. Each gate block
    has, for every unit, one weight per input feature (the ``kernel``), one weight per
    unit of the previous output (the ``recurrent_kernel``) and a bias:

        LSTM       4 * units * (features + units + 1)    gates i, f, c, o
        GRU        3 * units * (features + units + 2)    gates z, r, h; reset_after=True
                   3 * units * (features + units + 1)    reset_after=False
        SimpleRNN      units * (features + units + 1)    no gates

    A GRU with ``reset_after=True`` (Keras's default, PyTorch's form) has two biases per
    gate, one for the input and one for the recurrent part; ``reset_after`` matters only
    for a GRU. The number of timesteps does not appear: the same weights are used at
    every step. ``Bidirectional`` holds two such layers, so twice the count.
    """
    units = positive_int(units, "units")
    features = positive_int(features, "features")
    if not isinstance(use_bias, bool):
        raise TypeError(f"use_bias must be True or False, got {use_bias!r}")
    if not isinstance(cell, str) or cell not in CELL_BLOCKS:
        raise ValueError(
            f"cell must be one of {', '.join(map(repr, CELL_BLOCKS))}, got {cell!r}"
        )
    if not isinstance(reset_after, bool):
        raise TypeError(f"reset_after must be True or False, got {reset_after!r}")
    if cell != "gru" and not reset_after:
        raise ValueError(
            f"reset_after=False is a GRU option; cell={cell!r} has no reset gate"
        )
    biases = 0
    if use_bias:
        biases = 2 if cell == "gru" and reset_after else 1
    return CELL_BLOCKS[cell] * units * (features + units + biases)
