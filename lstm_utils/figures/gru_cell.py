"""The inside of one GRU cell (chapter 11), drawn like the LSTM cell of chapter 01: the update gate z, the reset
gate r, the candidate h̃, and the one state h that carries over, with the values of one step written on the wires.
Hand-built SVG (see ``_svg.py`` for why)."""

import numpy as np

from .. import _rnn_checks as rnn_checks
from .._validate import finite, float_array
from ..gru import _bias as gru_bias_rows
from ..gru import gru_step
from . import _style as st
from ._base import CourseFigure
from ._checks import count, flag
from ._svg import Svg, fmt

#: With values, the cell is drawn for one unit and at most this many features (x_t printed in full).
MAX_FEATURES = 3

#: The GRU's three blocks in Keras's order z, r, h, each with its letter, colour, tint and hatching. The update
#: gate keeps the old state, as the LSTM's forget gate does, and borrows its look; the candidate is green in both.
GRU_GATES = {
    "z": st.Gate("z", "z", "update gate", st.VERMILLION, st.tint(st.VERMILLION, 0.18), "horizontal", "σ"),
    "r": st.Gate("r", "r", "reset gate", st.BLUE, st.tint(st.BLUE, 0.18), "diagonal", "σ"),
    "h": st.Gate("h", "h\u0303", "candidate", st.GREEN, st.tint(st.GREEN, 0.18), "dots", "tanh"),
}


def _check(x_t, h_prev, kernel, recurrent_kernel, bias, t, reset_after):
    reset_after = flag(reset_after, "reset_after")
    given = {"x_t": x_t, "h_prev": h_prev, "kernel": kernel, "recurrent_kernel": recurrent_kernel}
    missing = [name for name, value in given.items() if value is None]
    if t is not None:
        t = count(t, "t", what=" (the step number shown, from 1)")
    if len(missing) == len(given) and bias is None:
        return None, t, reset_after
    if missing:
        raise TypeError(
            "to write one step's values on the cell, pass all of x_t, h_prev, kernel, recurrent_kernel and "
            f"bias (or none of them for the bare diagram); missing {missing}"
        )
    kernel, recurrent_kernel, units = rnn_checks.weights(kernel, recurrent_kernel, "gru")
    if units != 1:
        raise ValueError(
            "the cell is drawn with the values of one unit: recurrent_kernel must be (1, 3), got shape "
            f"{recurrent_kernel.shape} ({units} units)"
        )
    if bias is None:
        raise TypeError(
            "bias is missing: pass the layer's bias ((2, 3) with reset_after=True, (3,) without) so the "
            "figure computes what the layer computes"
        )
    gru_bias_rows(bias, units, reset_after)  # the layout must match reset_after (a clear ValueError if not)
    features = kernel.shape[0]
    if features > MAX_FEATURES:
        raise ValueError(
            f"the cell prints x_t in full for at most {MAX_FEATURES} features, got kernel {kernel.shape} "
            f"({features} features)"
        )
    x_t = float_array(x_t, "x_t")
    x_t = x_t.reshape(-1) if x_t.ndim == 0 else x_t
    if x_t.shape != (features,):
        raise ValueError(
            f"x_t must be one step of one sample, shape ({features},) to match kernel {kernel.shape}, "
            f"got shape {x_t.shape}"
        )
    h_prev = float_array(h_prev, "h_prev")
    h_prev = h_prev.reshape(1) if h_prev.ndim == 0 else h_prev
    if h_prev.shape != (1,):
        raise ValueError(f"h_prev must be one number (or shape (1,)) for one unit, got shape {h_prev.shape}")
    bias = float_array(bias, "bias")
    for arr, name in ((x_t, "x_t"), (h_prev, "h_prev"), (kernel, "kernel"),
                      (recurrent_kernel, "recurrent_kernel"), (bias, "bias")):
        finite(arr, name)
    return (x_t, h_prev, kernel, recurrent_kernel, bias), t, reset_after


def gru_cell_values(x_t, h_prev, kernel, recurrent_kernel, bias, *, reset_after=True):
    """The numbers the GRU figure writes on its wires, from :func:`lstm_utils.gru_step` (one unit).

    ``"reset_part"`` is what the reset gate lets through to the candidate: ``r * (h_prev U_h + b_h)`` with
    ``reset_after=True``, ``(r * h_prev) U_h`` without."""
    h, gates = gru_step(x_t, h_prev, kernel, recurrent_kernel, bias, reset_after=reset_after)
    z, r, g = (float(gates[k][0]) for k in ("z", "r", "h"))
    hp = float(h_prev[0])
    u_h = float(recurrent_kernel[0, 2])
    if reset_after:
        recurrent_bias = 0.0 if bias is None else float(np.asarray(bias)[1, 2])
        reset_part = r * (hp * u_h + recurrent_bias)
    else:
        reset_part = (r * hp) * u_h
    return {
        "x_t": x_t,
        "h_prev": hp,
        "z": z,
        "r": r,
        "h": g,
        "reset_part": reset_part,
        "one_minus_z": 1.0 - z,
        "z_h_prev": z * hp,
        "one_minus_z_h": (1.0 - z) * g,
        "h_t": float(h[0]),
    }


def _x_text(x_t):
    return fmt(x_t[0]) if x_t.size == 1 else "(" + ", ".join(fmt(v) for v in x_t) + ")"


def gru_cell_alt(values, t, reset_after=True):
    step = "t" if t is None else str(t)
    prev = "t-1" if t is None else str(t - 1)
    reset = (
        "the reset gate r multiplies the recurrent part h_t-1 U_h + b_h after the product (reset_after=True)"
        if reset_after
        else "the reset gate r multiplies h_t-1 before the product with U_h (reset_after=False)"
    )
    alt = (
        f"Diagram of one GRU cell at step {step}. The previous hidden state h_{prev} enters from the top left and "
        f"runs along the top of the cell; it also joins the input x_{step}, which enters from below, on the line "
        f"that feeds three blocks side by side, in Keras's order: the update gate z (sigmoid), the reset gate r "
        f"(sigmoid) and the candidate h-tilde (tanh). The reset gate feeds the candidate: {reset}. Along the top, "
        f"h_{prev} is multiplied by z, and (1 - z) times h-tilde is added, giving h_{step}, which leaves to the "
        f"right: it is both the output and the only state passed to the next step (a GRU has no cell state c)."
    )
    if values is not None:
        v = {k: (fmt(val) if k != "x_t" else _x_text(val)) for k, val in values.items()}
        alt += (
            f" Values: x_{step} = {v['x_t']}, h_{prev} = {v['h_prev']}; z = {v['z']}, r = {v['r']}, what r lets "
            f"through = {v['reset_part']}, h-tilde = {v['h']}; z × h_{prev} = {v['z_h_prev']}, 1 - z = "
            f"{v['one_minus_z']}, (1 - z) × h-tilde = {v['one_minus_z_h']}, h_{step} = {v['h_t']}."
        )
    return alt


def plot_gru_cell(x_t=None, h_prev=None, kernel=None, recurrent_kernel=None, bias=None, *, t=None,
                  reset_after=True):
    """Draw the inside of one GRU cell: the update gate z, the reset gate r, the candidate h̃ and the state path.

    With no arguments it is the bare diagram. Given one step of a one-unit ``GRU`` (``x_t`` of shape
    ``(features,)`` with at most 3 features, ``h_prev`` one number, Keras's ``kernel`` (W), ``recurrent_kernel``
    (U) and ``bias``, ``(2, 3)`` with ``reset_after=True`` and ``(3,)`` without), it writes that step's values on
    every wire, computed with :func:`lstm_utils.gru_step`; ``t`` numbers the step in the labels.

    Returns a ``CourseFigure`` (SVG); ``fig.values`` holds the numbers written on it (``None`` for the bare
    diagram), so a chapter can assert them against Keras::

        fig = lu.figures.plot_gru_cell(x[0, 1], h1, kernel, recurrent_kernel, bias, t=2)
        lu.assert_close(fig.values["h_t"], keras_h[0, 1, 0], atol=1e-6, label="figure h_2 vs Keras")
        fig
    """
    checked, t, reset_after = _check(x_t, h_prev, kernel, recurrent_kernel, bias, t, reset_after)
    values = gru_cell_values(*checked, reset_after=reset_after) if checked is not None else None
    alt = gru_cell_alt(values, t, reset_after)
    step = "t" if t is None else str(t)
    prev = "t-1" if t is None else str(t - 1)
    title = f"Inside one GRU cell{'' if t is None else f', step {t}'}"

    def val(key):
        return "" if values is None else "= " + fmt(values[key])

    W, H = st.DIAGRAM_WIDTH, 380
    svg = Svg(W, H, title=title, desc=alt, key="gru-cell")
    y_h, y_mul, y_gate, y_bus = 80.0, 150.0, 218.0, 286.0
    box = (40, 110, 300, 204)  # x, y, w, h of the cell body
    xs = {"z": 96.0, "r": 164.0, "h": 294.0}
    x_one_minus = 200.0

    svg.rect(*box, fill=st.PANEL, stroke=st.OUTLINE, stroke_width=1.5, rx=10)
    svg.text(box[0] + 8, box[1] + 12, "one GRU cell", size=st.SMALL, anchor="start", fill=st.MUTED,
             italic=True)

    def op(x, y, sign):
        svg.circle(x, y, 10, fill=st.BACKGROUND, stroke=st.TEXT, stroke_width=1.6)
        svg.text(x, y + 0.5, sign, size=15, weight="bold")

    # the state path along the top: h_{t-1} in, times z, plus (1 - z) h~, h_t out
    x_left = 22.0
    svg.line([(x_left, y_h), (xs["z"] - 10, y_h)], stroke=st.TEXT, width=2.6)
    svg.line([(xs["z"] + 10, y_h), (xs["h"] - 10, y_h)], stroke=st.TEXT, width=2.6)
    svg.line([(xs["h"] + 10, y_h), (W - 4, y_h)], stroke=st.TEXT, width=2.6, arrow=True)
    svg.text(6, y_h - 40, f"h_{{{prev}}} {val('h_prev')}", size=13, anchor="start", weight="bold")
    svg.text(6, y_h - 25, "hidden state in", size=st.SMALL, anchor="start", fill=st.MUTED)
    svg.text(W - 4, y_h - 40, f"h_{{{step}}} {val('h_t')}", size=13, anchor="end", weight="bold")
    svg.text(W - 4, y_h - 25, "out = output = state", size=st.SMALL, anchor="end", fill=st.MUTED)
    if values is not None:
        svg.text((xs["z"] + xs["h"]) / 2, y_h - 12, fmt(values["z_h_prev"]), size=st.SMALL, fill=st.MUTED)

    # h_{t-1} also goes down the left side to the input bus
    svg.line([(x_left, y_h), (x_left, y_bus)], stroke=st.TEXT, width=2)
    svg.line([(x_left, y_bus), (xs["h"], y_bus)], stroke=st.TEXT, width=2)
    x_in = 62.0
    svg.line([(x_in, H - 30), (x_in, y_bus + 3)], stroke=st.TEXT, width=2, arrow=True)
    x_label = f"x_{{{step}}} = {_x_text(values['x_t'])}" if values is not None else f"x_{{{step}}}"
    svg.text(6, H - 16, x_label, size=13, anchor="start", weight="bold")  # long x_t values fit
    svg.text(x_in + 8, y_bus + 18, "[x_t | h_{t-1}] to every block", size=st.SMALL, anchor="start",
             fill=st.MUTED)

    # the three blocks, in Keras's order z, r, h~
    for key in ("z", "r", "h"):
        gate = GRU_GATES[key]
        gx = xs[key]
        svg.line([(gx, y_bus), (gx, y_gate + 22)], stroke=st.TEXT, width=1.6, arrow=True)
        svg.hatched_rect(gx - 28, y_gate - 22, 56, 44, gate)
        svg.rect(gx - 24, y_gate - 18, 48, 36, fill=st.BACKGROUND)
        if values is not None:
            svg.text(gx, y_gate - 8, f"{gate.letter} {gate.activation}", size=13, weight="bold")
            svg.text(gx, y_gate + 9, fmt(values[key]), size=st.SMALL)
        else:
            svg.text(gx, y_gate, f"{gate.letter} {gate.activation}", size=13, weight="bold")

    # r feeds the candidate: what it lets through of the recurrent part
    svg.line([(xs["r"] + 28, y_gate), (xs["h"] - 28, y_gate)], stroke=GRU_GATES["r"].colour, width=2, arrow=True)
    svg.text((xs["r"] + xs["h"]) / 2, y_gate + 13, "r⊙(hU+b)" if reset_after else "(r⊙h)U", size=st.SMALL,
             fill=st.MUTED)
    if values is not None:
        svg.text((xs["r"] + xs["h"]) / 2, y_gate - 11, fmt(values["reset_part"]), size=st.SMALL, fill=st.MUTED)

    # z multiplies the old state ...
    svg.line([(xs["z"], y_gate - 22), (xs["z"], y_h + 10)], stroke=GRU_GATES["z"].colour, width=2, arrow=True)
    op(xs["z"], y_h, "×")
    # ... and 1 - z the candidate
    svg.line([(xs["z"], y_mul), (x_one_minus - 18, y_mul)], stroke=GRU_GATES["z"].colour, width=2)
    svg.rect(x_one_minus - 18, y_mul - 12, 36, 24, fill=st.BACKGROUND, stroke=st.TEXT, stroke_width=1.4, rx=4)
    svg.text(x_one_minus, y_mul, "1−z", size=st.SMALL, weight="bold")
    svg.line([(x_one_minus + 18, y_mul), (xs["h"] - 10, y_mul)], stroke=GRU_GATES["z"].colour, width=2,
             arrow=True)
    if values is not None:
        svg.text((x_one_minus + 18 + xs["h"] - 10) / 2, y_mul - 12, fmt(values["one_minus_z"]), size=st.SMALL,
                 fill=st.MUTED)
    svg.line([(xs["h"], y_gate - 22), (xs["h"], y_mul + 10)], stroke=GRU_GATES["h"].colour, width=2,
             arrow=True)
    op(xs["h"], y_mul, "×")
    svg.line([(xs["h"], y_mul - 10), (xs["h"], y_h + 10)], stroke=st.TEXT, width=2, arrow=True)
    if values is not None:
        svg.text(xs["h"] + 6, (y_mul + y_h) / 2, fmt(values["one_minus_z_h"]), size=st.SMALL, anchor="start",
                 fill=st.MUTED)
    op(xs["h"], y_h, "+")

    fig = CourseFigure(svg=svg.render(), alt=alt, title=title)
    fig.values = values
    return fig
