"""A stack of LSTM layers, unrolled over a few timesteps (chapter 05): inputs at the bottom, one row of cells
per layer, state arrows through time inside a layer and output arrows up into the next layer at the same step.
Hand-built SVG (see ``_svg.py`` for why); layers are told apart by their row, their label and their outline
(solid, dashed, dotted), not by colour alone."""

import numbers
from collections.abc import Mapping, Set

from .._validate import positive_int
from ..params import count_params
from . import _style as st
from ._base import CourseFigure
from ._svg import Svg

#: More layers or steps than these do not fit legibly in a figure of at most 9 × 4.3 inches.
MAX_LAYERS = 3
MAX_STEPS = 5

_LAYER_COLOURS = (st.BLUE, st.VERMILLION, st.GREEN)
_LAYER_DASH = (None, "6 3", "2 3")


def _check_inputs(layer_sizes, features, timesteps, return_sequences):
    if (
        isinstance(layer_sizes, (str, bytes, Mapping, Set))
        or isinstance(layer_sizes, numbers.Number)
        or not hasattr(layer_sizes, "__len__")
        or not hasattr(layer_sizes, "__getitem__")
    ):
        raise TypeError(
            "layer_sizes must be a list with one unit count per layer, e.g. [4, 6] for LSTM(4) then LSTM(6); "
            f"got {layer_sizes!r} ({type(layer_sizes).__name__})"
        )
    if len(layer_sizes) == 0:
        raise ValueError(
            "layer_sizes must name at least one layer, e.g. [4, 6]; got an empty list"
        )
    if len(layer_sizes) > MAX_LAYERS:
        raise ValueError(
            f"the stack is drawn for at most {MAX_LAYERS} layers, got {len(layer_sizes)} layers {list(layer_sizes)}"
        )
    sizes = [
        positive_int(units, f"layer_sizes[{k}]") for k, units in enumerate(layer_sizes)
    ]
    features = positive_int(features, "features")
    timesteps = positive_int(timesteps, "timesteps")
    if timesteps > MAX_STEPS:
        raise ValueError(
            f"the stack is drawn for at most {MAX_STEPS} timesteps, got timesteps = {timesteps}"
        )
    if not isinstance(return_sequences, bool):
        raise TypeError(
            f"return_sequences must be True or False, got {return_sequences!r}"
        )
    return sizes, features, timesteps


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def stack_wiring_alt(layer_sizes, features, timesteps=3, return_sequences=False):
    """The alt text of :func:`plot_stack_wiring` (inputs assumed valid)."""
    n_layers = len(layer_sizes)
    steps = "1 timestep" if timesteps == 1 else f"{timesteps} timesteps"
    parts = [
        f"Unrolled stack of {_plural(n_layers, 'LSTM layer')}, drawn over {steps} from left to right. "
        + (
            "Bottom row: the input x_1, "
            if timesteps == 1
            else f"Bottom row: the inputs x_1 to x_{timesteps}, each "
        )
        + f"a vector of {_plural(features, 'feature')}."
    ]
    reads = features
    for k, units in enumerate(layer_sizes, start=1):
        source = (
            "x_t from below"
            if k == 1
            else f"layer {k - 1}'s output h_t from below, {_plural(reads, 'number')} that are its features"
        )
        parts.append(
            f"Layer {k}, LSTM({units}), {count_params(units, reads)} parameters: one cell per timestep, all with "
            f"the same weights; the cell at step t reads {source} and the state h, c ({_plural(units, 'number')} "
            f"each) from the cell to its left, starting from zeros, and passes its own h, c to the right."
        )
        reads = units
    top = layer_sizes[-1]
    if n_layers > 1:
        parts.append(
            "Every layer below the top returns its whole sequence, so each step's h_t goes up to the next "
            "layer at the same step."
        )
    if return_sequences:
        parts.append(
            f"The top layer returns its whole sequence too: {_plural(timesteps, 'output')} of "
            f"{_plural(top, 'number')} each."
        )
    else:
        parts.append(
            f"Only the top layer's last step is the model's output: one vector of {_plural(top, 'number')}."
        )
    return " ".join(parts)


def plot_stack_wiring(layer_sizes, features, timesteps=3, *, return_sequences=False):
    """Draw a stack of LSTM layers unrolled over ``timesteps`` steps.

    ``layer_sizes`` lists the units of each layer from the bottom up, e.g. ``[4, 6]`` for ``LSTM(4,
    return_sequences=True)`` followed by ``LSTM(6)``; ``features`` is the number of features of each input step
    x_t. The inputs x_1..x_T sit at the bottom, then one row of cells per layer. Horizontal arrows carry the
    state (h, c) of a layer from one step to the next; vertical arrows carry layer k's h_t up to layer k+1 as its
    input at the same step. ``return_sequences`` says whether the *top* layer returns every step (``True``) or
    only the last one (``False``, the Keras default). At most 3 layers and 5 timesteps.

    Returns a ``CourseFigure`` whose alt text is generated from the sizes.
    """
    sizes, features, timesteps = _check_inputs(
        layer_sizes, features, timesteps, return_sequences
    )
    n_layers = len(sizes)
    alt = stack_wiring_alt(sizes, features, timesteps, return_sequences)

    W = st.DIAGRAM_WIDTH
    label_w = 84.0  # layer labels, right-aligned
    x_first = (
        label_w + 26
    )  # the first column's left edge: room for the zero state's arrow
    col = (W - 6 - x_first) / timesteps
    box_w, box_h = min(64.0, col - 24), 34.0
    row = 84.0
    y_out = 40.0
    y_layers = [
        y_out + 46 + row * (n_layers - 1 - k) for k in range(n_layers)
    ]  # layer 1 at the bottom
    y_x = y_layers[0] + row - 10
    height = y_x + 22
    svg = Svg(
        W,
        height,
        title=f"Stack of {n_layers} LSTM layer{'s' if n_layers > 1 else ''} unrolled over "
        f"{timesteps} step{'s' if timesteps > 1 else ''}",
        desc=alt,
        key="stack-wiring",
    )

    def cx(t):
        return x_first + (t + 0.5) * col

    for t in range(timesteps):
        svg.rect(
            cx(t) - 18,
            y_x - 13,
            36,
            26,
            fill=st.PANEL,
            stroke=st.OUTLINE,
            stroke_width=1.2,
            rx=5,
        )
        svg.text(cx(t), y_x, f"x_{t + 1}", size=13, weight="bold")
    svg.text(label_w, y_x - 7, "input", size=st.SMALL, anchor="end", weight="bold")
    svg.text(
        label_w, y_x + 8, _plural(features, "feature"), size=st.SMALL, anchor="end"
    )

    reads = features
    below = y_x - 13
    for k, (units, y) in enumerate(zip(sizes, y_layers)):
        colour, dash = _LAYER_COLOURS[k], _LAYER_DASH[k]
        svg.text(
            label_w,
            y - 15,
            f"layer {k + 1}",
            size=st.SMALL,
            anchor="end",
            weight="bold",
        )
        svg.text(label_w, y, f"LSTM({units})", size=st.SMALL, anchor="end")
        svg.text(label_w, y + 15, f"reads {reads}", size=st.SMALL, anchor="end")
        for t in range(timesteps):
            x0 = cx(t) - box_w / 2
            # up: x_t into layer 1, or layer k's h_t into layer k + 1 at the same step
            svg.line(
                [(cx(t), below), (cx(t), y + box_h / 2)],
                stroke=_LAYER_COLOURS[k - 1] if k else st.TEXT,
                width=1.6,
                arrow=True,
                dash=_LAYER_DASH[k - 1] if k else None,
            )
            svg.text(
                cx(t) + 5,
                (below + y + box_h / 2) / 2,
                str(reads),
                size=st.SMALL,
                anchor="start",
            )
            svg.rect(
                x0,
                y - box_h / 2,
                box_w,
                box_h,
                fill=st.BACKGROUND,
                stroke=colour,
                stroke_width=2,
                rx=6,
                dash=dash,
            )
            svg.text(
                cx(t),
                y,
                _plural(units, "unit") if box_w >= 52 else str(units),
                size=st.SMALL,
            )
            # through time: the state (h, c) from zeros at the left, between steps, out of the last step
            start = x_first - 22 if t == 0 else cx(t - 1) + box_w / 2
            svg.line(
                [(start, y), (x0, y)], stroke=colour, width=1.6, arrow=True, dash=dash
            )
        svg.line(
            [(cx(timesteps - 1) + box_w / 2, y), (W - 3, y)],
            stroke=colour,
            width=1.6,
            arrow=True,
            dash=dash,
        )
        svg.text(x_first - 22, y - 10, "0", size=st.SMALL, anchor="start")
        below = y - box_h / 2
        reads = units

    top, colour = sizes[-1], _LAYER_COLOURS[n_layers - 1]
    out_steps = range(timesteps) if return_sequences else [timesteps - 1]
    for t in out_steps:
        svg.line(
            [(cx(t), below), (cx(t), y_out + 8)],
            stroke=colour,
            width=1.6,
            arrow=True,
            dash=_LAYER_DASH[n_layers - 1],
        )
        svg.text(cx(t), y_out - 4, f"h_{t + 1}: {top}", size=st.SMALL, weight="bold")
    svg.text(label_w, y_out - 10, "output", size=st.SMALL, anchor="end", weight="bold")
    svg.text(
        label_w,
        y_out + 5,
        "every step" if return_sequences else "last step",
        size=st.SMALL,
        anchor="end",
    )
    svg.text(
        W / 2,
        12,
        "→ h, c to the next step · ↑ h_t up at the same step",
        size=st.SMALL,
        fill=st.MUTED,
    )
    return CourseFigure(svg=svg.render(), alt=alt, title=svg.title)
