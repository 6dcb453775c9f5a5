"""The unrolled chain: one LSTM cell drawn once per timestep, left to right (chapter 01)."""

from .._validate import finite, float_array
from ._base import CourseFigure, new_figure

#: More steps than this do not fit legibly in a figure of at most 9 inches.
MAX_STEPS = 6

_GATE_LABELS = (("i", "i"), ("f", "f"), ("c", "c\u0303"), ("o", "o"))


def _fmt(value):
    """Whole numbers as they are ('3'), others with three decimals, and never '-0.000'."""
    if float(value).is_integer() and abs(value) < 1e6:
        return f"{int(value)}"
    text = f"{value:.3f}"
    return "0.000" if text == "-0.000" else text


def _one_per_step(value, name, what):
    """`value` as a 1-D float array: accepts (T,) or (T, 1); anything wider is refused."""
    arr = float_array(value, name)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    elif arr.ndim == 2:
        raise ValueError(
            f"{name} must hold one {what} per step, shape (T,) or (T, 1); got shape {arr.shape} "
            f"({arr.shape[1]} {what}s per step): this figure draws the one-{what} case only")
    elif arr.ndim != 1:
        raise ValueError(f"{name} must have shape (T,) or (T, 1), got shape {arr.shape}")
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
            f"x: {len(x)}, h: {len(h)}, c: {len(c)}")
    if steps > MAX_STEPS:
        raise ValueError(f"the chain is drawn for at most {MAX_STEPS} steps, got T = {steps}; pass a slice")
    if gates is not None:
        if not hasattr(gates, "keys"):
            raise TypeError(
                f"gates must be a dict {{'i', 'f', 'c', 'o'}} of per-step values, got {type(gates).__name__}")
        expected = {name for name, _ in _GATE_LABELS}
        if set(gates.keys()) != expected:
            raise ValueError(f"gates must have exactly the keys ['c', 'f', 'i', 'o'], got {sorted(gates.keys())}")
        gates = {name: _one_per_step(gates[name], f"gates[{name!r}]", "unit") for name, _ in _GATE_LABELS}
        for name, values in gates.items():
            if len(values) != steps:
                raise ValueError(
                    f"gates[{name!r}] must have one value per step (T = {steps}), got length {len(values)}")
    return x, h, c, gates


def _alt_text(x, h, c, gates):
    steps = len(x)
    def listed(values):
        return ", ".join(_fmt(v) for v in values)
    alt = (f"Unrolled LSTM chain: one cell with the same weights drawn once per timestep, T = {steps} steps "
           f"from left to right. Starting from h_0 = 0 and c_0 = 0, step t takes x_t from below and "
           f"h_(t-1), c_(t-1) from the left and passes h_t, c_t to the right. "
           f"Inputs x = {listed(x)}; hidden states h = {listed(h)}; cell states c = {listed(c)}.")
    if gates is not None:
        alt += (f" Gates per step: input i = {listed(gates['i'])}; forget f = {listed(gates['f'])}; "
                f"candidate c-tilde = {listed(gates['c'])}; output o = {listed(gates['o'])}.")
    return alt


def plot_unrolled_chain(x, h, c, gates=None):
    """Draw one LSTM cell unrolled over T steps, with the values that flow along the chain.

    ``x`` is the input of one sequence with one feature, shape ``(T,)`` or ``(T, 1)``; ``h`` and ``c`` are the
    hidden and cell state after each step for one unit, shape ``(T,)`` (or ``(T, 1)``). ``gates``, if given,
    is a dict ``{"i", "f", "c", "o"}`` of per-step activations (``"c"`` is the candidate c-tilde), printed
    inside each box. The chain starts from h_0 = c_0 = 0. Returns a ``CourseFigure``.
    """
    x, h, c, gates = _check_inputs(x, h, c, gates)
    steps = len(x)

    width = min(9.0, max(4.6, 1.6 + 1.85 * steps))
    fig = new_figure(width, 3.6)
    ax = fig.add_subplot()
    ax.set_axis_off()
    spacing = 2.0
    half = 0.52                      # half width of a cell box
    box_bottom, box_top = 1.0, 2.4
    y_c, y_h = 2.1, 1.3              # heights of the c and h lines
    left_edge = -1.35
    right_edge = spacing * (steps - 1) + 1.35
    ax.set_xlim(left_edge - 0.1, right_edge + 0.1)
    ax.set_ylim(-0.05, 3.55)

    arrow = dict(arrowstyle="-|>", lw=1.3, shrinkA=0, shrinkB=0, mutation_scale=11)
    c_colour, h_colour, x_colour = "#b4451f", "#1f5fa8", "#3b3b3b"
    small = 7.5

    from matplotlib.patches import FancyBboxPatch

    for t in range(steps):
        cx = spacing * t
        ax.add_patch(FancyBboxPatch(
            (cx - half, box_bottom), 2 * half, box_top - box_bottom, boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor="#f2f2ee", edgecolor="#555555", lw=1.2))
        ax.text(cx, box_top - 0.17, "LSTM cell", ha="center", va="center", fontsize=7.5, weight="bold")
        if gates is not None:
            rows = [f"{label} {_fmt(gates[name][t])}" for name, label in _GATE_LABELS]
            ax.text(cx, (box_bottom + box_top) / 2 - 0.12, "\n".join(rows), ha="center", va="center",
                    fontsize=6.5, family="monospace", linespacing=1.25)
        # x_t from below
        ax.annotate("", xy=(cx, box_bottom), xytext=(cx, 0.45), arrowprops=dict(arrow, color=x_colour))
        ax.text(cx, 0.3, f"x$_{t + 1}$ = {_fmt(x[t])}", ha="center", va="center", fontsize=8, color=x_colour)
        # h_t out of the top (the layer's output at this step)
        ax.annotate("", xy=(cx, 2.95), xytext=(cx, box_top), arrowprops=dict(arrow, color=h_colour))
        ax.text(cx, 3.15, f"h$_{t + 1}$ = {_fmt(h[t])}", ha="center", va="center", fontsize=8, color=h_colour)

    # states along the chain: from the left edge (zeros) into cell 1, between cells, and out of the last cell
    for k in range(steps + 1):
        start = left_edge if k == 0 else spacing * (k - 1) + half
        end = spacing * k - half if k < steps else right_edge
        c_val = "0" if k == 0 else _fmt(c[k - 1])
        h_val = "0" if k == 0 else _fmt(h[k - 1])
        mid = (start + end) / 2
        for y, colour, name, val in ((y_c, c_colour, "c", c_val), (y_h, h_colour, "h", h_val)):
            ax.annotate("", xy=(end, y), xytext=(start, y), arrowprops=dict(arrow, color=colour))
            ax.text(mid, y + 0.06, f"{name}$_{k}$\n{val}", ha="center", va="bottom", fontsize=small, color=colour,
                    linespacing=1.1)

    lead = "the same cell, with the same weights, at every step" if steps > 1 else "one cell, one step"
    legend = f"{lead}  \u00b7  c: cell state  \u00b7  h: hidden state (the output)"
    ax.text((left_edge + right_edge) / 2, -0.02, legend, ha="center", va="bottom", fontsize=7.5, style="italic",
            color="#555555")
    return CourseFigure(fig, alt=_alt_text(x, h, c, gates))
