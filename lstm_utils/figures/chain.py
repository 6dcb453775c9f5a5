"""The unrolled chain (chapter 01): one LSTM cell drawn once per timestep, left to right, with the values of every
step in a grid under their step. Hand-built SVG (see ``_svg.py`` for why): boxes and arrows on top, so the chain
reads as one cell applied T times, and the numbers in aligned rows below, where they stay legible on a phone."""

from .._validate import finite, float_array
from . import _style as st
from ._base import CourseFigure
from ._svg import Svg, fmt

#: More steps than this do not fit legibly in a phone-wide figure.
MAX_STEPS = 6

_GATE_KEYS = ("i", "f", "c", "o")


def _fmt(value):
    """Whole numbers as they are ('3'), others with three decimals, and never '-0.000'."""
    return fmt(value, 3)


def _one_per_step(value, name, what):
    """`value` as a 1-D float array: accepts (T,) or (T, 1); anything wider is refused."""
    arr = float_array(value, name)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    elif arr.ndim == 2:
        raise ValueError(
            f"{name} must hold one {what} per step, shape (T,) or (T, 1); got shape {arr.shape} "
            f"({arr.shape[1]} {what}s per step): this figure draws the one-{what} case only"
        )
    elif arr.ndim != 1:
        raise ValueError(
            f"{name} must have shape (T,) or (T, 1), got shape {arr.shape}"
        )
    if arr.size == 0:
        raise ValueError(f"{name} must have at least one step, got shape {arr.shape}")
    return finite(arr, name)


def _check_inputs(x, h, c, gates):
    x = _one_per_step(x, "x", "feature")
    h = _one_per_step(h, "h", "unit")
    c = _one_per_step(c, "c", "unit")
    steps = len(x)
    if len(h) != steps or len(c) != steps:
        raise ValueError(
            f"x, h and c must have one value per step (the same length T), got lengths "
            f"x: {len(x)}, h: {len(h)}, c: {len(c)}"
        )
    if steps > MAX_STEPS:
        raise ValueError(
            f"the chain is drawn for at most {MAX_STEPS} steps, got T = {steps}; pass a slice"
        )
    if gates is not None:
        if not hasattr(gates, "keys"):
            raise TypeError(
                f"gates must be a dict {{'i', 'f', 'c', 'o'}} of per-step values, got {type(gates).__name__}"
            )
        if set(gates.keys()) != set(_GATE_KEYS):
            raise ValueError(
                f"gates must have exactly the keys ['c', 'f', 'i', 'o'], got {sorted(gates.keys())}"
            )
        gates = {
            name: _one_per_step(gates[name], f"gates[{name!r}]", "unit")
            for name in _GATE_KEYS
        }
        for name, values in gates.items():
            if len(values) != steps:
                raise ValueError(
                    f"gates[{name!r}] must have one value per step (T = {steps}), got length {len(values)}"
                )
    return x, h, c, gates


def _alt_text(x, h, c, gates):
    steps = len(x)

    def listed(values):
        return ", ".join(_fmt(v) for v in values)

    alt = (
        f"Unrolled LSTM chain: one cell with the same weights drawn once per timestep, T = {steps} steps "
        f"from left to right. Starting from h_0 = 0 and c_0 = 0, step t takes x_t from below and "
        f"h_(t-1), c_(t-1) from the left and passes h_t, c_t to the right; h_t is also the step's output. "
        f"Inputs x = {listed(x)}; hidden states h = {listed(h)}; cell states c = {listed(c)}."
    )
    if gates is not None:
        alt += (
            f" Gates per step: input i = {listed(gates['i'])}; forget f = {listed(gates['f'])}; "
            f"candidate c-tilde = {listed(gates['c'])}; output o = {listed(gates['o'])}."
        )
    return alt


def plot_unrolled_chain(x, h, c, gates=None):
    """Draw one LSTM cell unrolled over T steps, with the values that flow along the chain.

    ``x`` is the input of one sequence with one feature, shape ``(T,)`` or ``(T, 1)``; ``h`` and ``c`` are the
    hidden and cell state after each step for one unit, shape ``(T,)`` (or ``(T, 1)``). ``gates``, if given,
    is a dict ``{"i", "f", "c", "o"}`` of per-step activations (``"c"`` is the candidate c̃), listed under each
    step. The chain starts from h_0 = c_0 = 0. At most 6 steps.

    Returns a ``CourseFigure`` (SVG). Chapter 01::

        lu.figures.plot_unrolled_chain(x[0, :, 0], h_hand, c_hand, gates=gates_hand)
    """
    x, h, c, gates = _check_inputs(x, h, c, gates)
    steps = len(x)
    alt = _alt_text(x, h, c, gates)

    W = st.DIAGRAM_WIDTH
    label_w = 46.0
    col = (W - label_w - 6) / steps
    box_w, box_h = min(56.0, col - 22), 40.0
    y_c, y_box, y_h = 54.0, 64.0, 90.0
    y_out, y_x = 28.0, 142.0
    rows = [("x_t", x)]
    if gates is not None:
        rows += [(st.GATE[k].letter, gates[k]) for k in _GATE_KEYS]
    rows += [("c_t", c), ("h_t", h)]
    y_grid = 164.0
    row_h = 19.0
    height = y_grid + len(rows) * row_h + 30
    svg = Svg(
        W,
        height,
        title=f"Unrolled LSTM chain, {steps} steps",
        desc=alt,
        key="unrolled-chain",
    )

    def cx(t):
        return label_w + (t + 0.5) * col

    svg.text(4, y_c, "c₀ = 0", size=st.SMALL, anchor="start", fill=st.MUTED)
    svg.text(4, y_h, "h₀ = 0", size=st.SMALL, anchor="start", fill=st.MUTED)
    for t in range(steps):
        x0 = cx(t) - box_w / 2
        svg.rect(
            x0,
            y_box - 22,
            box_w,
            box_h + 10,
            fill=st.PANEL,
            stroke=st.OUTLINE,
            stroke_width=1.5,
            rx=6,
        )
        svg.text(cx(t), y_box + 3, "cell", size=st.SMALL, fill=st.MUTED, italic=True)
        # states in from the left (from the previous cell, or h_0 = c_0 = 0)
        start = label_w - 2 if t == 0 else cx(t - 1) + box_w / 2
        svg.line([(start, y_c), (x0, y_c)], stroke=st.VERMILLION, width=2, arrow=True)
        svg.line(
            [(start, y_h), (x0, y_h)], stroke=st.BLUE, width=2, arrow=True, dash="5 3"
        )
        # x_t from below, h_t up as the step's output
        svg.line(
            [(cx(t), y_x - 12), (cx(t), y_box + box_h - 11)],
            stroke=st.TEXT,
            width=1.6,
            arrow=True,
        )
        svg.text(cx(t), y_x, f"x_{t + 1}", size=13, weight="bold")
        svg.line(
            [(cx(t), y_box - 22), (cx(t), y_out + 6)],
            stroke=st.BLUE,
            width=1.6,
            arrow=True,
            dash="5 3",
        )
        svg.text(cx(t), y_out - 4, f"h_{t + 1}", size=13, weight="bold")
    last = cx(steps - 1) + box_w / 2
    svg.line([(last, y_c), (W - 4, y_c)], stroke=st.VERMILLION, width=2, arrow=True)
    svg.line(
        [(last, y_h), (W - 4, y_h)], stroke=st.BLUE, width=2, arrow=True, dash="5 3"
    )
    svg.text(4, y_box + 40, "c: solid", size=st.SMALL, anchor="start", fill=st.MUTED)
    svg.text(4, y_box + 55, "h: dashed", size=st.SMALL, anchor="start", fill=st.MUTED)

    # the values, one column per step, under their cell
    svg.line([(label_w, y_grid - 8), (W - 4, y_grid - 8)], stroke=st.OUTLINE, width=0.8)
    for r, (name, values) in enumerate(rows):
        y = y_grid + r * row_h + row_h / 2
        if r % 2 == 0:
            svg.rect(0, y - row_h / 2, W, row_h, fill=st.PANEL)
        svg.text(label_w - 6, y, name, size=st.SMALL, anchor="end", weight="bold")
        for t in range(steps):
            svg.text(cx(t), y, _fmt(values[t]), size=st.SMALL)
    lead = (
        "the same cell, with the same weights, at every step"
        if steps > 1
        else "one cell, one step"
    )
    svg.text(W / 2, height - 12, lead, size=st.SMALL, fill=st.MUTED, italic=True)
    return CourseFigure(
        svg=svg.render(), alt=alt, title=f"Unrolled LSTM chain, {steps} steps"
    )
