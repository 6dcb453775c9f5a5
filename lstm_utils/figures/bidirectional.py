"""A Bidirectional LSTM unrolled over a few timesteps (chapter 12): the inputs in the middle row, the forward layer
above them reading left to right, the backward layer below reading right to left, and where each layer's output
leaves. Hand-built SVG (see ``_svg.py``); the two layers are told apart by their row, their label, the direction of
their arrows and their outline (solid, dashed), not by colour alone."""

from .._validate import flag, positive_int
from ..params import count_params
from . import _style as st
from ._base import CourseFigure
from ._svg import Svg

#: More steps than these do not fit legibly in the phone-wide diagram.
MAX_STEPS = 5

_FORWARD, _BACKWARD = (st.BLUE, None), (st.VERMILLION, "6 3")


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def bidirectional_alt(timesteps, units, features, return_sequences=False):
    """The alt text of :func:`plot_bidirectional` (inputs assumed valid)."""
    T = timesteps
    one = count_params(units, features)
    parts = [
        f"Bidirectional LSTM({units}) unrolled over {_plural(T, 'timestep')}. Middle row: the inputs x_1 to x_{T}, "
        f"each a vector of {_plural(features, 'feature')}, each read by both layers.",
        f"Top row: the forward layer, LSTM({units}) with its own {one} parameters, reads x_1 to x_{T} from left to "
        f"right, starting from zero states on the left; its output h_{T} leaves on the right, after x_{T}.",
        f"Bottom row: the backward layer, another LSTM({units}) with its own {one} parameters "
        f"(go_backwards=True), reads x_{T} to x_1 from right to left, starting from zero states on the right; its "
        f"output h_1 leaves on the left, after x_1.",
        f"{2 * one} parameters in all.",
    ]
    if return_sequences:
        parts.append(
            f"With return_sequences=True, position t holds [forward h_t | backward h_t], {2 * units} numbers: at "
            f"position {T} the backward layer has read x_{T} only, and at position 1 it has read the whole sequence.")
    else:
        parts.append(
            f"The layer's output, merge_mode='concat': [forward h_{T} | backward h_1], "
            f"{_plural(2 * units, 'number')}.")
    return " ".join(parts)


def plot_bidirectional(timesteps=4, units=3, features=2, *, return_sequences=False):
    """Draw ``Bidirectional(LSTM(units))`` on ``features`` features, unrolled over ``timesteps`` steps.

    The inputs x_1..x_T sit in the middle; the forward layer above reads them left to right, the backward layer
    below reads them right to left, each from zero states and each with its own weights. The forward output
    leaves after x_T (right), the backward output after x_1 (left); the line at the bottom says how they are
    merged: ``[forward h_T | backward h_1]``, or, with ``return_sequences=True``, ``[forward h_t | backward h_t]``
    at each position. At most 5 timesteps.

    Returns a ``CourseFigure`` (SVG). Chapter 12::

        lu.figures.plot_bidirectional(timesteps=4, units=3, features=2)
    """
    timesteps = positive_int(timesteps, "timesteps")
    units = positive_int(units, "units")
    features = positive_int(features, "features")
    return_sequences = flag(return_sequences, "return_sequences")
    if timesteps > MAX_STEPS:
        raise ValueError(f"the layer is drawn for at most {MAX_STEPS} timesteps, got timesteps = {timesteps}")
    T = timesteps
    alt = bidirectional_alt(T, units, features, return_sequences)

    W = st.DIAGRAM_WIDTH
    label_w = 74.0
    x_first = label_w + 30
    x_last = W - 30
    col = (x_last - x_first) / T
    box_w, box_h = min(48.0, col - 20), 30.0
    y_top_note, y_fwd, y_x, y_bwd = 12.0, 62.0, 122.0, 182.0
    y_out1, y_out2 = 228.0, 248.0
    height = y_out2 + 14
    svg = Svg(W, height, title=f"Bidirectional LSTM({units}) unrolled over {_plural(T, 'step')}", desc=alt,
              key="bidirectional")

    def cx(t):
        return x_first + (t + 0.5) * col

    svg.text(W / 2, y_top_note, "each layer: its own weights, h and c", size=st.SMALL, fill=st.MUTED)
    # the inputs, read by both layers
    for t in range(T):
        svg.rect(cx(t) - 18, y_x - 13, 36, 26, fill=st.PANEL, stroke=st.OUTLINE, stroke_width=1.2, rx=5)
        svg.text(cx(t), y_x, f"x_{t + 1}", size=13, weight="bold")
    svg.text(label_w, y_x - 7, "input", size=st.SMALL, anchor="end", weight="bold")
    svg.text(label_w, y_x + 8, _plural(features, "feature"), size=st.SMALL, anchor="end")

    rows = ((y_fwd, _FORWARD, "forward", "reads →", False), (y_bwd, _BACKWARD, "backward", "reads ←", True))
    for y, (colour, dash), name, reads, backwards in rows:
        svg.text(label_w, y - 15, name, size=st.SMALL, anchor="end", weight="bold")
        svg.text(label_w, y, f"LSTM({units})", size=st.SMALL, anchor="end")
        svg.text(label_w, y + 15, reads, size=st.SMALL, anchor="end")
        for t in range(T):
            # x_t up into the forward cell, down into the backward cell
            if backwards:
                svg.line([(cx(t), y_x + 13), (cx(t), y - box_h / 2)], stroke=colour, width=1.6, arrow=True, dash=dash)
            else:
                svg.line([(cx(t), y_x - 13), (cx(t), y + box_h / 2)], stroke=colour, width=1.6, arrow=True, dash=dash)
            svg.rect(cx(t) - box_w / 2, y - box_h / 2, box_w, box_h, fill=st.BACKGROUND, stroke=colour,
                     stroke_width=2, rx=6, dash=dash)
            svg.text(cx(t), y, str(units), size=st.SMALL)
        # the state through time, from zeros, in the layer's reading direction
        order = list(range(T - 1, -1, -1)) if backwards else list(range(T))
        sign = -1 if backwards else 1
        start = cx(order[0]) - sign * (box_w / 2 + 22)
        svg.text(start - sign * 4, y - 10, "0", size=st.SMALL, anchor="end" if backwards else "start")
        prev = start
        for t in order:
            edge = cx(t) - sign * box_w / 2
            svg.line([(prev, y), (edge, y)], stroke=colour, width=1.6, arrow=True, dash=dash)
            prev = cx(t) + sign * box_w / 2
        end = cx(order[-1]) + sign * (box_w / 2 + 22)
        svg.line([(prev, y), (end, y)], stroke=colour, width=2.2, arrow=True, dash=dash)
        last = order[-1] + 1
        svg.text(end, y - 12, f"h_{last}", size=st.SMALL, weight="bold", anchor="start" if backwards else "end",
                 fill=st.TEXT)

    if return_sequences:
        svg.text(W / 2, y_out1, "output at step t: [forward h_t | backward h_t]", size=st.SMALL, weight="bold")
        svg.text(W / 2, y_out2, f"{2 * units} numbers at each of the {T} positions", size=st.SMALL)
    else:
        svg.text(W / 2, y_out1, f"output: [forward h_{T} | backward h_1]", size=st.SMALL, weight="bold")
        svg.text(W / 2, y_out2, f"{units} + {units} = {2 * units} numbers (merge_mode='concat')", size=st.SMALL)
    return CourseFigure(svg=svg.render(), alt=alt, title=svg.title)
