"""The inside of one LSTM cell (chapter 01): the four gates, the cell-state path, where h and c leave, with the
values of one step written on the wires. Hand-built SVG (see ``_svg.py`` for why)."""

import numpy as np

from .._validate import finite, float_array, lstm_weights_shapes
from ..reference import lstm_step
from . import _style as st
from ._base import CourseFigure
from ._checks import count
from ._svg import Svg, fmt

#: With values, the cell is drawn for one unit and at most this many features (x_t printed in full).
MAX_FEATURES = 3


def _check(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, t):
    given = {
        "x_t": x_t,
        "h_prev": h_prev,
        "c_prev": c_prev,
        "kernel": kernel,
        "recurrent_kernel": recurrent_kernel,
        "bias": bias,
    }
    missing = [name for name, value in given.items() if value is None]
    if t is not None:
        t = count(t, "t", what=" (the step number shown, from 1)")
    if len(missing) == len(given):
        return None, t
    if missing:
        raise TypeError(
            f"to write one step's values on the cell, pass all of x_t, h_prev, c_prev, kernel, "
            f"recurrent_kernel and bias (or none of them for the bare diagram); missing {missing}"
        )
    kernel, recurrent_kernel, bias, units = lstm_weights_shapes(
        kernel, recurrent_kernel, bias
    )
    if units != 1:
        raise ValueError(
            f"the cell is drawn with the values of one unit: recurrent_kernel must be (1, 4), got "
            f"shape {recurrent_kernel.shape} ({units} units); for several units use "
            "plot_step_through"
        )
    features = kernel.shape[0]
    if features > MAX_FEATURES:
        raise ValueError(
            f"the cell prints x_t in full for at most {MAX_FEATURES} features, got kernel "
            f"{kernel.shape} ({features} features)"
        )
    x_t = (
        float_array(x_t, "x_t").reshape(-1)
        if np.ndim(x_t) == 0
        else float_array(x_t, "x_t")
    )
    if x_t.shape != (features,):
        raise ValueError(
            f"x_t must be one step of one sample, shape ({features},) to match kernel "
            f"{kernel.shape}, got shape {x_t.shape}"
        )
    states = []
    for value, name in ((h_prev, "h_prev"), (c_prev, "c_prev")):
        arr = float_array(value, name)
        arr = arr.reshape(1) if arr.ndim == 0 else arr
        if arr.shape != (1,):
            raise ValueError(
                f"{name} must be one number (or shape (1,)) for one unit, got shape {arr.shape}"
            )
        states.append(arr)
    for arr, name in (
        (x_t, "x_t"),
        (states[0], "h_prev"),
        (states[1], "c_prev"),
        (kernel, "kernel"),
        (recurrent_kernel, "recurrent_kernel"),
        (bias, "bias"),
    ):
        finite(arr, name)
    return (x_t, states[0], states[1], kernel, recurrent_kernel, bias), t


def lstm_cell_values(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """The numbers the cell figure writes on its wires, from :func:`lstm_utils.lstm_step` (one unit)."""
    h, c, gates = lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)
    values = {"x_t": x_t, "h_prev": float(h_prev[0]), "c_prev": float(c_prev[0])}
    values.update({g: float(v[0]) for g, v in gates.items()})
    values.update(
        {
            "f_c_prev": values["f"] * values["c_prev"],
            "i_c": values["i"] * values["c"],
            "c_t": float(c[0]),
            "tanh_c_t": float(np.tanh(c[0])),
            "h_t": float(h[0]),
        }
    )
    return values


def _x_text(x_t):
    return fmt(x_t[0]) if x_t.size == 1 else "(" + ", ".join(fmt(v) for v in x_t) + ")"


def lstm_cell_alt(values, t):
    step = "t" if t is None else str(t)
    prev = "t-1" if t is None else str(t - 1)
    alt = (
        f"Diagram of one LSTM cell at step {step}. The previous hidden state h_{prev} enters from the left and "
        f"the input x_{step} from below; together they feed four gates side by side, in Keras's order: the "
        f"input gate i (sigmoid), the forget gate f (sigmoid), the candidate c-tilde (tanh) and the output "
        f"gate o (sigmoid), each computed from x_t W + h_t-1 U + b. Along the top runs the cell-state path: "
        f"c_{prev} enters from the left, is multiplied by f, then i times c-tilde is added, and c_{step} leaves "
        f"to the right. From the cell-state path a branch goes through tanh and is multiplied by o, giving "
        f"h_{step}, which leaves to the right: it is both the output and the state passed to the next step."
    )
    if values is not None:
        v = {k: (fmt(val) if k != "x_t" else _x_text(val)) for k, val in values.items()}
        alt += (
            f" Values: x_{step} = {v['x_t']}, h_{prev} = {v['h_prev']}, c_{prev} = {v['c_prev']}; "
            f"i = {v['i']}, f = {v['f']}, c-tilde = {v['c']}, o = {v['o']}; f × c_{prev} = {v['f_c_prev']}, "
            f"i × c-tilde = {v['i_c']}, c_{step} = {v['c_t']}, tanh(c_{step}) = {v['tanh_c_t']}, "
            f"h_{step} = {v['h_t']}."
        )
    return alt


def plot_lstm_cell(
    x_t=None,
    h_prev=None,
    c_prev=None,
    kernel=None,
    recurrent_kernel=None,
    bias=None,
    *,
    t=None,
):
    """Draw the inside of one LSTM cell: the gates i, f, c̃, o, the cell-state path, where h and c leave.

    With no arguments it is the bare diagram. Given one step of a one-unit layer (``x_t`` of shape
    ``(features,)`` with at most 3 features, ``h_prev`` and ``c_prev`` one number each, Keras's ``kernel`` (W),
    ``recurrent_kernel`` (U) and ``bias`` (b)), it writes that step's values on every wire, computed with
    :func:`lstm_utils.lstm_step`; ``t`` numbers the step in the labels (x_2, h_1, ...).

    Returns a ``CourseFigure`` (SVG); ``fig.values`` holds the numbers written on it (``None`` for the bare
    diagram). Chapter 01, step 2 (x_2 = 2 from h_1, c_1)::

        cell = lu.figures.plot_lstm_cell(x[0, 1], h_hand[:1], c_hand[:1], W_x, W_h, b, t=2)
        lu.assert_close(cell.values["h_t"], h_hand[1], atol=1e-12, label="cell figure h_2 vs the table")
        cell
    """
    checked, t = _check(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, t)
    values = lstm_cell_values(*checked) if checked is not None else None
    alt = lstm_cell_alt(values, t)
    step = "t" if t is None else str(t)
    prev = "t-1" if t is None else str(t - 1)
    val = (
        (lambda key: "= " + fmt(values[key]))
        if values is not None
        else (lambda key: "")
    )

    W, H = st.DIAGRAM_WIDTH, 360
    svg = Svg(
        W,
        H,
        title=f"Inside one LSTM cell{'' if t is None else f', step {t}'}",
        desc=alt,
        key="lstm-cell",
    )
    y_c, y_mul, y_gate, y_bus = 70.0, 140.0, 196.0, 262.0
    box = (44, 100, 300, 192)  # x, y, w, h of the cell body
    xs = {"f": 98.0, "i": 152.0, "c": 206.0, "o": 262.0}
    x_mul_ic, x_tanh = 179.0, 332.0

    svg.rect(*box, fill=st.PANEL, stroke=st.OUTLINE, stroke_width=1.5, rx=10)
    svg.text(
        box[0] + 8,
        box[1] + 12,
        "one LSTM cell",
        size=st.SMALL,
        anchor="start",
        fill=st.MUTED,
        italic=True,
    )

    # the cell-state path, on top
    svg.line([(6, y_c), (xs["f"] - 10, y_c)], stroke=st.TEXT, width=2.6)
    svg.line([(xs["f"] + 10, y_c), (x_mul_ic - 10, y_c)], stroke=st.TEXT, width=2.6)
    svg.line(
        [(x_mul_ic + 10, y_c), (W - 4, y_c)], stroke=st.TEXT, width=2.6, arrow=True
    )
    svg.text(
        6,
        y_c - 26,
        f"c_{{{prev}}} {val('c_prev')}",
        size=13,
        anchor="start",
        weight="bold",
    )
    svg.text(6, y_c - 11, "cell state in", size=st.SMALL, anchor="start", fill=st.MUTED)
    svg.text(
        W - 4,
        y_c - 26,
        f"c_{{{step}}} {val('c_t')}",
        size=13,
        anchor="end",
        weight="bold",
    )
    svg.text(
        W - 4, y_c - 11, "cell state out", size=st.SMALL, anchor="end", fill=st.MUTED
    )
    if values is not None:
        svg.text(
            (xs["f"] + x_mul_ic) / 2,
            y_c - 12,
            fmt(values["f_c_prev"]),
            size=st.SMALL,
            fill=st.MUTED,
        )

    def op(x, y, sign):
        svg.circle(x, y, 10, fill=st.BACKGROUND, stroke=st.TEXT, stroke_width=1.6)
        svg.text(x, y + 0.5, sign, size=15, weight="bold")

    # the input bus [x_t | h_{t-1}] along the bottom, and what enters it
    svg.line([(6, y_bus), (xs["o"], y_bus)], stroke=st.TEXT, width=2)
    svg.text(
        6,
        y_bus - 24,
        f"h_{{{prev}}} {val('h_prev')}",
        size=13,
        anchor="start",
        weight="bold",
    )
    svg.text(
        6, y_bus - 10, "hidden state in", size=st.SMALL, anchor="start", fill=st.MUTED
    )
    x_in = 66.0
    svg.line([(x_in, H - 30), (x_in, y_bus + 3)], stroke=st.TEXT, width=2, arrow=True)
    x_label = (
        f"x_{{{step}}} = {_x_text(values['x_t'])}"
        if values is not None
        else f"x_{{{step}}}"
    )
    svg.text(x_in, H - 16, x_label, size=13, weight="bold")
    svg.text(
        x_in + 8,
        y_bus + 18,
        "[x_t | h_{t-1}] to every gate",
        size=st.SMALL,
        anchor="start",
        fill=st.MUTED,
    )

    # the four gates, in Keras's order i, f, c~, o (drawn f first on the left, under the forget multiply)
    for key in ("f", "i", "c", "o"):
        gate = st.GATE[key]
        gx = xs[key]
        svg.line(
            [(gx, y_bus), (gx, y_gate + 22)], stroke=st.TEXT, width=1.6, arrow=True
        )
        svg.hatched_rect(gx - 25, y_gate - 22, 50, 44, gate)
        svg.rect(gx - 21, y_gate - 18, 42, 36, fill=st.BACKGROUND)
        if values is not None:
            svg.text(
                gx,
                y_gate - 8,
                f"{gate.letter} {gate.activation}",
                size=13,
                weight="bold",
            )
            svg.text(gx, y_gate + 9, fmt(values[key]), size=st.SMALL)
        else:
            svg.text(
                gx, y_gate, f"{gate.letter} {gate.activation}", size=13, weight="bold"
            )

    # f multiplies the old cell state
    svg.line(
        [(xs["f"], y_gate - 22), (xs["f"], y_c + 10)],
        stroke=st.GATE["f"].colour,
        width=2,
        arrow=True,
    )
    op(xs["f"], y_c, "×")
    # i times c~, added to the cell state
    svg.line(
        [(xs["i"], y_gate - 22), (xs["i"], y_mul), (x_mul_ic - 10, y_mul)],
        stroke=st.GATE["i"].colour,
        width=2,
        arrow=True,
    )
    svg.line(
        [(xs["c"], y_gate - 22), (xs["c"], y_mul), (x_mul_ic + 10, y_mul)],
        stroke=st.GATE["c"].colour,
        width=2,
        arrow=True,
    )
    op(x_mul_ic, y_mul, "×")
    svg.line(
        [(x_mul_ic, y_mul - 10), (x_mul_ic, y_c + 10)],
        stroke=st.TEXT,
        width=2,
        arrow=True,
    )
    if values is not None:
        svg.text(
            x_mul_ic + 6,
            (y_mul + y_c) / 2 + 6,
            fmt(values["i_c"]),
            size=st.SMALL,
            anchor="start",
            fill=st.MUTED,
        )
    op(x_mul_ic, y_c, "+")

    # tanh(c_t) times o gives h_t, which leaves to the right
    y_oh = y_gate
    svg.line([(x_tanh, y_c), (x_tanh, y_mul - 14)], stroke=st.TEXT, width=2, arrow=True)
    svg.rect(
        x_tanh - 21,
        y_mul - 13,
        42,
        24,
        fill=st.BACKGROUND,
        stroke=st.TEXT,
        stroke_width=1.4,
        rx=4,
    )
    svg.text(x_tanh, y_mul - 1, "tanh", size=st.SMALL, weight="bold")
    svg.line(
        [(x_tanh, y_mul + 11), (x_tanh, y_oh - 10)], stroke=st.TEXT, width=2, arrow=True
    )
    if values is not None:
        svg.text(
            x_tanh - 5,
            (y_mul + y_oh) / 2 + 2,
            fmt(values["tanh_c_t"]),
            size=st.SMALL,
            anchor="end",
            fill=st.MUTED,
        )
    svg.line(
        [(xs["o"] + 25, y_oh), (x_tanh - 10, y_oh)],
        stroke=st.GATE["o"].colour,
        width=2,
        arrow=True,
    )
    op(x_tanh, y_oh, "×")
    svg.line(
        [(x_tanh, y_oh + 10), (x_tanh, y_bus), (W - 4, y_bus)],
        stroke=st.TEXT,
        width=2.4,
        arrow=True,
    )
    svg.text(
        W - 4,
        box[1] + box[3] + 14,
        f"h_{{{step}}} {val('h_t')}",
        size=13,
        anchor="end",
        weight="bold",
    )
    svg.text(
        W - 4,
        box[1] + box[3] + 29,
        "hidden state out = output",
        size=st.SMALL,
        anchor="end",
        fill=st.MUTED,
    )

    fig = CourseFigure(
        svg=svg.render(),
        alt=alt,
        title=f"Inside one LSTM cell{'' if t is None else f', step {t}'}",
    )
    fig.values = values
    return fig
