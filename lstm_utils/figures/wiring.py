"""How the units of one LSTM layer are wired to each other through ``recurrent_kernel`` (U), chapter 03.
Hand-built SVG (see ``_svg.py`` for why): the previous outputs on the left, one gate of every unit on the right,
one line per weight; width is |weight|, the sign is told by colour and dash, and up to 4 units by the printed
weight."""

import numpy as np

from .._validate import finite, float_array
from ..gates import GATE_ORDER
from . import _style as st
from ._base import CourseFigure
from ._svg import Svg, fmt

#: Up to this many units every line carries its weight as a label.
MAX_LABELLED_UNITS = 4
#: More units than this make the lines a grey mass.
MAX_UNITS = 12

_GATE_NAMES = {
    "i": "input gate",
    "f": "forget gate",
    "c": "candidate",
    "o": "output gate",
}


def _check_gate(gate):
    if not isinstance(gate, str):
        raise TypeError(
            f"gate must be one of 'i', 'f', 'c', 'o' (a string), got {gate!r} ({type(gate).__name__})"
        )
    if gate not in GATE_ORDER:
        raise ValueError(
            f"gate must be one of 'i', 'f', 'c', 'o' (Keras's gate order), got {gate!r}"
        )
    return gate


def _check_recurrent_kernel(recurrent_kernel):
    rk = float_array(recurrent_kernel, "recurrent_kernel")
    if rk.ndim != 2:
        raise ValueError(
            f"recurrent_kernel must be 2-D (units, 4*units), got shape {rk.shape}"
        )
    rows, cols = rk.shape
    if rows < 1 or cols != 4 * rows:
        hint = ""
        if cols >= 1 and rows == 4 * cols:
            hint = ", which is PyTorch's transposed layout (4*hidden, hidden): pass recurrent_kernel.T"
        elif rows >= 1 and cols >= 4 and cols % 4 == 0:
            u = cols // 4
            hint = (
                f"; {cols} columns mean {u} units, so recurrent_kernel should be ({u}, {cols}) "
                f"(was the kernel, (features, 4*units), passed instead?)"
            )
        example = (
            f", e.g. ({rows}, {4 * rows}) for {rows} units"
            if rows >= 1 and not hint
            else ""
        )
        raise ValueError(
            f"recurrent_kernel must be (units, 4*units) as in Keras{example}, got shape {rk.shape}{hint}"
        )
    if rows > MAX_UNITS:
        raise ValueError(
            f"the wiring is drawn legibly for at most {MAX_UNITS} units, got recurrent_kernel "
            f"{rk.shape} ({rows} units)"
        )
    return finite(rk, "recurrent_kernel"), rows


def unit_wiring_alt(units, gate):
    """The alt text of :func:`plot_unit_wiring` for ``units`` units and one ``gate``."""
    name = _GATE_NAMES[gate]
    legend = (
        "The width of each line shows the size of its weight in recurrent_kernel U, thicker means larger in "
        "absolute value; solid vermillion lines are positive weights, dashed blue lines negative"
    )
    if units == 1:
        return (
            f"Wiring of the {name} in an LSTM layer with 1 unit: the previous output h_t-1[1] on the left "
            f"joined by one line to the {name} of unit 1 on the right. {legend}; with a single unit there "
            f"is no other unit to listen to."
        )
    return (
        f"Wiring of the {name} in an LSTM layer with {units} units: the {units} previous outputs "
        f"h_t-1[1] to h_t-1[{units}] on the left, the {name} of units 1 to {units} on the right, "
        f"and a line from every previous output to every unit, {units * units} lines in all, "
        f"{units * (units - 1)} of them between different units. {legend}: every unit's {name} reads "
        f"the previous output of every unit, not only its own."
    )


def plot_unit_wiring(recurrent_kernel, gate="f"):
    """Draw which previous outputs feed one gate of every unit, weighted by ``recurrent_kernel`` (U).

    Left: the previous outputs ``h_{t-1}[1..u]``. Right: the chosen ``gate`` ("i", "f", "c" for c̃, or "o") of
    units 1..u. Every ``h_{t-1}[j]`` is joined to every unit ``k`` by a line whose width and style show
    ``recurrent_kernel[j, g*u + k]`` (``g`` the gate's position in i, f, c̃, o): the full bipartite wiring.
    Up to 4 units each line is labelled with its weight.

    ``recurrent_kernel`` must be Keras's ``(units, 4*units)``. Returns a :class:`CourseFigure` (SVG). Chapter 03::

        lu.figures.plot_unit_wiring(recurrent_kernel, gate="f")
    """
    gate = _check_gate(gate)
    rk, units = _check_recurrent_kernel(recurrent_kernel)
    block = GATE_ORDER.index(gate)
    weights = rk[:, block * units : (block + 1) * units].astype(
        np.float64
    )  # [j, k]: from h_{t-1}[j] to unit k
    name = _GATE_NAMES[gate]
    style = st.GATE[gate]
    alt = unit_wiring_alt(units, gate)

    W = st.DIAGRAM_WIDTH
    top = 50.0
    spacing = 64.0 if units <= MAX_LABELLED_UNITS else max(26.0, 240.0 / units)
    height = top + spacing * units + 34
    title = f"{name.capitalize()}: every unit reads all of h_{{t-1}}"
    svg = Svg(
        W,
        height,
        title=title.replace("_{t-1}", "_t-1"),
        desc=alt,
        key=f"unit-wiring-{gate}",
    )
    svg.text(W / 2, 14, title, size=14, weight="bold")
    svg.text(
        W / 2,
        32,
        f"{units}×{units} weights of U; width = |weight|; solid +, dashed −",
        size=st.SMALL,
        fill=st.MUTED,
    )
    x_left, x_right = 92.0, 262.0
    ys = [top + spacing * (j + 0.5) for j in range(units)]
    scale = float(np.max(np.abs(weights)))
    for j in range(units):
        for k in range(units):
            w = weights[j, k]
            width = 1.0 + 4.5 * (abs(w) / scale if scale > 0 else 0.0)
            svg.line(
                [(x_left, ys[j]), (x_right, ys[k])],
                stroke=st.VERMILLION if w >= 0 else st.BLUE,
                width=width,
                dash=None if w >= 0 else "6 3",
            )
    if units <= MAX_LABELLED_UNITS:
        for j in range(units):
            for k in range(units):
                lx = x_left + 0.78 * (x_right - x_left)
                ly = ys[j] + 0.78 * (ys[k] - ys[j])
                text = fmt(weights[j, k], 2)
                svg.rect(
                    lx - 4 * len(text) - 3,
                    ly - 8,
                    8 * len(text) + 6,
                    16,
                    fill=st.BACKGROUND,
                    rx=3,
                )
                svg.text(lx, ly, text, size=st.SMALL)
    for j in range(units):
        svg.rect(
            4,
            ys[j] - 13,
            x_left - 6,
            26,
            fill=st.PANEL,
            stroke=st.OUTLINE,
            stroke_width=1.2,
            rx=5,
        )
        svg.text(x_left - 8, ys[j], f"h_{{t-1}}[{j + 1}]", size=13, anchor="end")
        svg.hatched_rect(x_right, ys[j] - 15, W - 4 - x_right, 30, style)
        svg.rect(x_right + 4, ys[j] - 11, W - 12 - x_right, 22, fill=st.BACKGROUND)
        svg.text(
            x_right + 10,
            ys[j],
            f"unit {j + 1}: {style.letter}",
            size=13,
            anchor="start",
            weight="bold",
        )
    svg.text(
        W / 2,
        height - 12,
        f"column {block}·{units} + k of U feeds unit k's {name} (k from 0)",
        size=st.SMALL,
        fill=st.MUTED,
    )
    return CourseFigure(svg=svg.render(), alt=alt, title=svg.title)
