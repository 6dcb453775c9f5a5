"""Input checks for the one-state cells (GRU, SimpleRNN): what was expected, and got.

The weights of the three Keras cells differ only in how many gate blocks sit side by
side (LSTM 4, GRU 3, SimpleRNN 1), so another cell's weights are recognised and named.
"""

import numpy as np

from ._validate import float_array, state_array

#: Gate blocks per cell, each cell's Keras name, and the function that runs it.
BLOCKS = {"lstm": 4, "gru": 3, "simple_rnn": 1}
NAMES = {"lstm": "LSTM", "gru": "GRU", "simple_rnn": "SimpleRNN"}
FORWARD = {
    "lstm": "lstm_forward",
    "gru": "gru_forward",
    "simple_rnn": "simple_rnn_forward",
}


def _width(blocks, name="units"):
    return name if blocks == 1 else f"{blocks}*{name}"


def flag(value, name):
    """``value`` if it is True or False (1, 0 and strings are refused)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def weights(kernel, recurrent_kernel, cell):
    """``(kernel, recurrent_kernel, units)``, checked against the layout of ``cell``.

    Keras: kernel ``(features, k*units)``, recurrent_kernel ``(units, k*units)``, with
    k gate blocks (GRU 3, SimpleRNN 1). PyTorch's transposed layout and another cell's
    weights are named in the error.
    """
    blocks = BLOCKS[cell]
    width = _width(blocks)
    torch_hint = "or convert with lstm_utils.from_torch"
    kernel = float_array(kernel, "kernel")
    recurrent_kernel = float_array(recurrent_kernel, "recurrent_kernel")
    if kernel.ndim != 2:
        raise ValueError(
            f"kernel must be 2-D (features, {width}), got shape {kernel.shape}"
        )
    if recurrent_kernel.ndim != 2:
        raise ValueError(
            f"recurrent_kernel must be 2-D (units, {width}), "
            f"got shape {recurrent_kernel.shape}"
        )
    rows, cols = recurrent_kernel.shape
    if rows < 1 or cols != blocks * rows:
        hint = ""
        for other, k in BLOCKS.items():
            if other != cell and rows >= 1 and cols == k * rows:
                hint = (
                    f": that is {'an' if other == 'lstm' else 'a'} {NAMES[other]}'s "
                    f"layout ({k} gate "
                    f"block{'s' if k > 1 else ''}), which {FORWARD[other]} computes"
                )
        if not hint and cols >= 1 and rows == blocks * cols and blocks > 1:
            hint = (
                ", which is PyTorch's transposed layout "
                f"({_width(blocks, 'hidden')}, hidden): pass recurrent_kernel.T, "
                + torch_hint
            )
        raise ValueError(
            f"recurrent_kernel must be (units, {width}), "
            f"got shape {recurrent_kernel.shape}{hint}"
        )
    units = rows
    if kernel.shape[1] != blocks * units:
        hint = ""
        if kernel.shape[0] == blocks * units:
            hint = (
                ", which is PyTorch's transposed layout "
                f"({_width(blocks, 'hidden')}, input): pass kernel.T, " + torch_hint
            )
        raise ValueError(
            f"kernel must be (features, {width}) = (features, {blocks * units}) to "
            f"match recurrent_kernel {recurrent_kernel.shape}, "
            f"got shape {kernel.shape}{hint}"
        )
    return kernel, recurrent_kernel, units


def sequence(x, kernel):
    """``x`` as a 3-D ``(batch, timesteps, features)`` array that fits ``kernel``."""
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
    if x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(
            f"x must have at least one sample and one timestep, got shape {x.shape}"
        )
    if x.shape[2] != kernel.shape[0]:
        raise ValueError(
            f"x has {x.shape[2]} features (shape {x.shape}) but kernel {kernel.shape} "
            f"expects {kernel.shape[0]} (kernel is (features, ...))"
        )
    return x


def initial_h(initial_state, batch, units, dtype):
    """The starting state ``h0``: zeros, or ``initial_state`` as ``(batch, units)``.

    Keras also accepts a list holding the one array, ``[h0]``; so does this.
    ``[h0, c0]`` is an LSTM's and is refused.
    """
    if initial_state is None:
        return np.zeros((batch, units), dtype)
    if isinstance(initial_state, (list, tuple)):
        items = list(initial_state)
        if len(items) == 2 and all(np.ndim(a) == 2 for a in items):
            raise ValueError(
                "initial_state must be h0, one (batch, units) array: this cell has "
                "one state; [h0, c0] is an LSTM's"
            )
        if len(items) == 1 and np.ndim(items[0]) == 2:
            initial_state = items[0]
    return state_array(initial_state, "initial_state (h0)", (batch, units))


def mask_array(mask, batch, timesteps):
    """``mask`` as a ``(batch, timesteps)`` boolean array (0/1 accepted), or None."""
    if mask is None:
        return None
    m = np.asarray(mask)
    if m.shape != (batch, timesteps):
        raise ValueError(
            f"mask must have shape (batch, timesteps) = {(batch, timesteps)}, "
            f"got shape {m.shape}"
        )
    if m.dtype != bool:
        if not (np.issubdtype(m.dtype, np.number) and np.isin(m, (0, 1)).all()):
            raise TypeError(f"mask must hold booleans (or 0/1), got dtype {m.dtype}")
        m = m.astype(bool)
    return m
