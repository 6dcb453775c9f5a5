"""The two roads of the backward pass (chapter 08): one step of backpropagation through time, right to left.
The gradient reaches step t-1 through the cell state, where it is only multiplied by the forget gate
(δc_{t-1} = δc_t ⊙ f_t), and through the gates and U (δh_{t-1} = δz_t Uᵀ). Hand-built SVG (see ``_svg.py``)."""

import numpy as np

from .._validate import finite, float_array, lstm_weights_shapes
from ..reference import lstm_step
from . import _style as st
from ._base import CourseFigure
from ._checks import count
from ._svg import Svg, fmt

MAX_FEATURES = 3


def _one(value, name, size):
    """A vector of ``size`` for one sample: accepts (size,), (1, size) or, when size is 1, a scalar."""
    arr = float_array(value, name)
    if arr.ndim == 0 and size == 1:
        arr = arr.reshape(1)
    if arr.ndim == 2 and arr.shape[0] == 1:
        arr = arr[0]
    if arr.shape != (size,):
        raise ValueError(
            f"{name} must be one sample's vector of {size}, shape ({size},) or (1, {size}), got shape "
            f"{arr.shape}"
        )
    return finite(arr, name)


def backward_step_values(
    x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, dh, dc_next
):
    """One step of BPTT for one unit, the numbers the figure writes: forward with lstm_step, then back."""
    h, c, gates = lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias)
    i, f, g, o = (gates[k] for k in ("i", "f", "c", "o"))
    tanh_c = np.tanh(c)
    dc = dh * o * (1 - tanh_c**2) + dc_next
    dz = np.concatenate(
        [
            dc * g * i * (1 - i),
            dc * c_prev * f * (1 - f),
            dc * i * (1 - g**2),
            dh * tanh_c * o * (1 - o),
        ]
    )
    return {
        "dh": dh,
        "dc_next": dc_next,
        "dc": dc,
        "f": f,
        "o": o,
        "tanh_c": tanh_c,
        "dz": dz,
        "dh_prev": dz @ recurrent_kernel.T,
        "dc_prev": dc * f,
        "dx": dz @ kernel.T,
    }


def _check(args, t):
    names = (
        "x_t",
        "h_prev",
        "c_prev",
        "kernel",
        "recurrent_kernel",
        "bias",
        "dh",
        "dc_next",
    )
    given = dict(zip(names, args))
    if t is not None:
        t = count(t, "t", what=" (the step number shown, from 1)")
    if all(v is None for v in given.values()):
        return None, t
    if given["dc_next"] is None:
        given["dc_next"] = 0.0
    missing = [n for n, v in given.items() if v is None]
    if missing:
        raise TypeError(
            f"to write one step's gradients on the figure, pass x_t, h_prev, c_prev, kernel, "
            f"recurrent_kernel, bias and dh (dc_next defaults to 0), or none of them for the bare "
            f"diagram; missing {missing}"
        )
    kernel, recurrent_kernel, bias, units = lstm_weights_shapes(
        given["kernel"], given["recurrent_kernel"], given["bias"]
    )
    if units != 1:
        raise ValueError(
            f"the two roads are drawn with the values of one unit: recurrent_kernel must be (1, 4), "
            f"got shape {recurrent_kernel.shape}"
        )
    features = kernel.shape[0]
    if features > MAX_FEATURES:
        raise ValueError(
            f"x_t is printed for at most {MAX_FEATURES} features, got kernel {kernel.shape}"
        )
    for arr, name in (
        (kernel, "kernel"),
        (recurrent_kernel, "recurrent_kernel"),
        (bias, "bias"),
    ):
        finite(arr, name)
    x_t = _one(given["x_t"], "x_t", features)
    rest = [_one(given[n], n, 1) for n in ("h_prev", "c_prev", "dh", "dc_next")]
    return (x_t, rest[0], rest[1], kernel, recurrent_kernel, bias, rest[2], rest[3]), t


def backward_roads_alt(values, t):
    s = "t" if t is None else str(t)
    p = "t-1" if t is None else str(t - 1)
    n = "t+1" if t is None else str(t + 1)
    alt = (
        f"Diagram of one step of backpropagation through time, drawn right to left, at step {s}. From the right "
        f"arrive δh_{s}, the gradient of the loss with respect to h_{s} (from the loss and from step {n}), and "
        f"δc from step {n}. The cell-state gradient δc_{s} collects δh_{s} ⊙ o ⊙ (1 - tanh²(c_{s})) plus the "
        f"gradient from step {n}. Road 2, along the top: δc_{p} = δc_{s} ⊙ f_{s}, one multiplication by the "
        f"forget gate, with no weight matrix and no squashing derivative. Road 1, below: through the four gate "
        f"derivatives into δz_{s} (4 blocks i, f, c-tilde, o), then δh_{p} = δz_{s} Uᵀ. Also δx_{s} = δz_{s} Wᵀ "
        f"leaves downwards, and x_{s}ᵀ δz_{s}, h_{p}ᵀ δz_{s} and δz_{s} are this step's shares of the gradients "
        f"of W, U and b, which add up over the steps."
    )
    if values is not None:
        v = {
            k: fmt(np.asarray(val).reshape(-1)[0], 4)
            for k, val in values.items()
            if k not in ("dz", "dx")
        }
        dz = ", ".join(fmt(a, 4) for a in values["dz"])
        dx = ", ".join(fmt(a, 4) for a in values["dx"])
        alt += (
            f" Values for one unit: δh_{s} = {v['dh']}, δc from step {n} = {v['dc_next']}, o = {v['o']}, "
            f"tanh(c_{s}) = {v['tanh_c']}, δc_{s} = {v['dc']}, f_{s} = {v['f']}; road 2 gives δc_{p} = "
            f"{v['dc_prev']}; δz_{s} = ({dz}); road 1 gives δh_{p} = {v['dh_prev']}; δx_{s} = ({dx})."
        )
    return alt


def plot_backward_roads(
    x_t=None,
    h_prev=None,
    c_prev=None,
    kernel=None,
    recurrent_kernel=None,
    bias=None,
    dh=None,
    dc_next=None,
    *,
    t=None,
):
    """Draw one step of the backward pass and its two roads back to step t-1.

    With no arguments, the bare diagram. Given the arguments of the chapter's ``step_backward`` for one unit
    (``x_t``, ``h_prev``, ``c_prev`` of one sample, as ``(n,)`` or ``(1, n)``; Keras's ``kernel`` W,
    ``recurrent_kernel`` U, ``bias`` b; ``dh`` = δh_t and ``dc_next`` = δc arriving from step t+1, default 0),
    it writes the step's numbers on the figure: δc_t, f_t, road 2's δc_{t-1} = δc_t ⊙ f_t, δz_t, road 1's
    δh_{t-1} = δz_t Uᵀ and δx_t = δz_t Wᵀ.

    Returns a ``CourseFigure`` (SVG); ``fig.values`` holds the numbers (``None`` for the bare diagram). Chapter 08::

        roads = lu.figures.plot_backward_roads(x1[:, 0], h0, c0, kernel1, recurrent1, bias1, dh=G1, t=1)
        lu.assert_close(roads.values["dh_prev"], one["h_prev"][0], atol=1e-12, label="figure, road 1")
        lu.assert_close(roads.values["dc_prev"], one["c_prev"][0], atol=1e-12, label="figure, road 2")
        roads
    """
    checked, t = _check(
        (x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, dh, dc_next), t
    )
    values = backward_step_values(*checked) if checked is not None else None
    alt = backward_roads_alt(values, t)
    s = "t" if t is None else str(t)
    p = "t-1" if t is None else str(t - 1)
    n = "t+1" if t is None else str(t + 1)

    def v(key):
        return (
            ""
            if values is None
            else " = " + fmt(np.asarray(values[key]).reshape(-1)[0], 4)
        )

    W, H = st.DIAGRAM_WIDTH, 336
    svg = Svg(
        W,
        H,
        title=f"The two roads of the backward pass{'' if t is None else f', step {t}'}",
        desc=alt,
        key="backward-roads",
    )
    svg.text(
        W / 2, 12, "backward: right to left", size=st.SMALL, fill=st.MUTED, italic=True
    )
    y2, y1, yx = 70.0, 196.0, 300.0
    road2, road1 = st.VERMILLION, st.BLUE

    # inputs from the right
    svg.text(
        W - 4, y2 - 26, f"δc from step {n}", size=st.SMALL, anchor="end", fill=st.MUTED
    )
    if values is not None:
        svg.text(
            W - 4, y2 - 11, fmt(values["dc_next"][0], 4), size=st.SMALL, anchor="end"
        )
    svg.line([(W - 4, y2), (312, y2)], stroke=st.TEXT, width=2, arrow=True)
    svg.rect(
        196,
        y2 - 16,
        116,
        32,
        fill=st.BACKGROUND,
        stroke=st.TEXT,
        stroke_width=1.6,
        rx=6,
    )
    svg.text(254, y2, f"δc_{s}{v('dc')}", size=st.SMALL, weight="bold")
    # δh_t at the bottom right, feeding δc_t (through o ⊙ (1 - tanh²c)) and the gates
    svg.rect(
        W - 88,
        y1 - 42,
        84,
        32,
        fill=st.BACKGROUND,
        stroke=st.TEXT,
        stroke_width=1.6,
        rx=6,
    )
    svg.text(
        W - 46,
        y1 - 26,
        f"δh_{s}{v('dh')}" if values is not None else f"δh_{s}",
        size=st.SMALL,
        weight="bold",
    )
    svg.text(W - 46, y1 - 1, f"loss + step {n}", size=st.SMALL, fill=st.MUTED)
    svg.line(
        [(W - 46, y1 - 42), (W - 46, y2 + 36), (272, y2 + 36), (272, y2 + 17)],
        stroke=st.TEXT,
        width=1.6,
        arrow=True,
    )
    svg.text(W - 50, y2 + 50, "⊙ o ⊙ (1 − tanh² c)", size=st.SMALL, anchor="end")

    # road 2: one multiplication by f
    svg.line([(196, y2), (150, y2)], stroke=road2, width=3.2, arrow=True)
    svg.circle(138, y2, 12, fill=st.BACKGROUND, stroke=road2, stroke_width=2)
    svg.text(138, y2, "⊙", size=16, weight="bold")
    svg.text(138, y2 + 24, f"f_{s}{v('f')}", size=st.SMALL)
    svg.line([(126, y2), (4, y2)], stroke=road2, width=3.2, arrow=True)
    svg.text(
        4, y2 - 26, "road 2: cell state", size=st.SMALL, anchor="start", weight="bold"
    )
    svg.text(
        4,
        y2 - 11,
        f"δc_{p}{v('dc_prev')}",
        size=st.SMALL,
        anchor="start",
        weight="bold",
    )

    # road 1: gate derivatives -> δz -> Uᵀ
    gx, gw = 84.0, 188.0
    svg.line([(236, y2 + 17), (236, y1 - 35)], stroke=st.TEXT, width=1.6, arrow=True)
    svg.line(
        [(W - 88, y1 - 26), (gx + gw + 2, y1 - 26)],
        stroke=st.TEXT,
        width=1.6,
        arrow=True,
    )
    svg.text(
        gx + gw / 2,
        y1 - 46,
        f"δz_{s}: the gate derivatives",
        size=st.SMALL,
        fill=st.MUTED,
    )
    cell_w = gw / 4
    for k, gate in enumerate(st.GATES):
        x0 = gx + k * cell_w
        svg.hatched_rect(x0, y1 - 34, cell_w, 40, gate)
        svg.rect(x0 + 3, y1 - 31, cell_w - 6, 34, fill=st.BACKGROUND)
        svg.text(x0 + cell_w / 2, y1 - 22, f"δz_{{{gate.letter}}}", size=st.SMALL)
        if values is not None:
            svg.text(x0 + cell_w / 2, y1 - 6, fmt(values["dz"][k], 3), size=st.SMALL)
    svg.line([(gx, y1 - 14), (62, y1 - 14)], stroke=road1, width=3.2, arrow=True)
    svg.rect(
        14, y1 - 30, 46, 32, fill=st.BACKGROUND, stroke=road1, stroke_width=2, rx=6
    )
    svg.text(37, y1 - 14, "× Uᵀ", size=13, weight="bold")
    svg.line(
        [(14, y1 - 14), (4, y1 - 14)], stroke=road1, width=3.2, arrow=True, dash="6 3"
    )
    svg.text(
        4, y1 + 18, "road 1: through U", size=st.SMALL, anchor="start", weight="bold"
    )
    svg.text(
        4,
        y1 + 34,
        f"δh_{p}{v('dh_prev')}",
        size=st.SMALL,
        anchor="start",
        weight="bold",
    )

    # δx_t = δz Wᵀ, down; the weight gradients
    svg.line(
        [(gx + gw / 2, y1 + 28), (gx + gw / 2, yx - 34)],
        stroke=st.TEXT,
        width=1.6,
        arrow=True,
    )
    svg.rect(
        gx + gw / 2 - 23,
        yx - 33,
        46,
        26,
        fill=st.BACKGROUND,
        stroke=st.TEXT,
        stroke_width=1.4,
        rx=6,
    )
    svg.text(gx + gw / 2, yx - 20, "× Wᵀ", size=13, weight="bold")
    dx = (
        ("(" + ", ".join(fmt(a, 4) for a in values["dx"]) + ")")
        if values is not None
        else ""
    )
    svg.text(
        gx + gw / 2,
        yx + 4,
        f"δx_{s} {'= ' + dx if dx else ''}",
        size=st.SMALL,
        weight="bold",
    )
    svg.text(
        W / 2,
        H - 12,
        "W, U, b gradients: this step's share, added over the steps",
        size=st.SMALL,
        fill=st.MUTED,
    )
    fig = CourseFigure(svg=svg.render(), alt=alt, title=svg.title)
    fig.values = values
    return fig
