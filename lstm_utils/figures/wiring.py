"""How the units of one LSTM layer are wired to each other through ``recurrent_kernel``."""

import numpy as np

from .._validate import finite, float_array
from ..gates import GATE_ORDER
from ._base import CourseFigure, new_figure

_GATE_NAMES = {"i": "input gate", "f": "forget gate", "c": "candidate", "o": "output gate"}


def _check_gate(gate):
    if not isinstance(gate, str):
        raise TypeError(f"gate must be one of 'i', 'f', 'c', 'o' (a string), got {gate!r} ({type(gate).__name__})")
    if gate not in GATE_ORDER:
        raise ValueError(f"gate must be one of 'i', 'f', 'c', 'o' (Keras's gate order), got {gate!r}")
    return gate


def _check_recurrent_kernel(recurrent_kernel):
    rk = float_array(recurrent_kernel, "recurrent_kernel")
    if rk.ndim != 2:
        raise ValueError(f"recurrent_kernel must be 2-D (units, 4*units), got shape {rk.shape}")
    rows, cols = rk.shape
    if rows < 1 or cols != 4 * rows:
        hint = ""
        if cols >= 1 and rows == 4 * cols:
            hint = ", which is PyTorch's transposed layout (4*hidden, hidden): pass recurrent_kernel.T"
        elif rows >= 1 and cols >= 4 and cols % 4 == 0:
            u = cols // 4
            hint = (f"; {cols} columns mean {u} units, so recurrent_kernel should be ({u}, {cols}) "
                    f"(was the kernel, (features, 4*units), passed instead?)")
        example = f", e.g. ({rows}, {4 * rows}) for {rows} units" if rows >= 1 and not hint else ""
        raise ValueError(
            f"recurrent_kernel must be (units, 4*units) as in Keras{example}, got shape {rk.shape}{hint}")
    return finite(rk, "recurrent_kernel"), rows


def unit_wiring_alt(units, gate):
    """The alt text of :func:`plot_unit_wiring` for ``units`` units and one ``gate``."""
    name = _GATE_NAMES[gate]
    legend = ("The width and colour of each line show its weight in recurrent_kernel "
              "(blue positive, red negative, thicker means larger in absolute value)")
    if units == 1:
        return (f"Wiring of the {name} in an LSTM layer with 1 unit: the previous output h_t-1[1] on the left "
                f"joined by one line to the {name} of unit 1 on the right. {legend}; with a single unit there "
                f"is no other unit to listen to.")
    return (
        f"Wiring of the {name} in an LSTM layer with {units} units: the {units} previous outputs "
        f"h_t-1[1] to h_t-1[{units}] on the left, the {name} of units 1 to {units} on the right, "
        f"and a line from every previous output to every unit, {units * units} lines in all, "
        f"{units * (units - 1)} of them between different units. {legend}: every unit's {name} reads "
        f"the previous output of every unit, not only its own.")


def plot_unit_wiring(recurrent_kernel, gate="f"):
    """Draw which previous outputs feed one gate of every unit, weighted by ``recurrent_kernel``.

    Left: the previous outputs ``h_{t-1}[1..u]``. Right: the chosen ``gate`` ("i", "f", "c" or "o") of
    units 1..u. Every ``h_{t-1}[j]`` is joined to every unit ``k`` by a line whose width and colour show
    ``recurrent_kernel[j, g*u + k]`` (``g`` the gate's position in i, f, c, o): the full bipartite wiring.

    ``recurrent_kernel`` must be Keras's ``(units, 4*units)``. Returns a :class:`CourseFigure`.
    """
    gate = _check_gate(gate)
    rk, units = _check_recurrent_kernel(recurrent_kernel)
    block = GATE_ORDER.index(gate)
    weights = rk[:, block * units:(block + 1) * units].astype(np.float64)   # [j, k]: from h_{t-1}[j] to unit k
    name = _GATE_NAMES[gate]

    import matplotlib
    from matplotlib import cm, colors

    scale = float(np.max(np.abs(weights)))
    norm = colors.Normalize(vmin=-scale if scale > 0 else -1.0, vmax=scale if scale > 0 else 1.0)
    cmap = matplotlib.colormaps["RdBu"]

    height = min(4.0, max(2.6, 1.2 + 0.45 * units))
    fig = new_figure(6.4, height)
    ax = fig.add_subplot()
    ys = np.linspace(1.0, 0.0, units) if units > 1 else np.array([0.5])
    x_left, x_right = 0.0, 1.0
    widest = 6.0 if units <= 4 else 3.5
    for j in range(units):
        for k in range(units):
            w = weights[j, k]
            # A thin grey line under every connection, so even a weight near zero is visibly there.
            ax.plot([x_left, x_right], [ys[j], ys[k]], color="0.6", linewidth=0.6, zorder=1)
            width = 0.6 + (widest - 0.6) * (abs(w) / scale if scale > 0 else 0.0)
            ax.plot([x_left, x_right], [ys[j], ys[k]], color=cmap(norm(w)), linewidth=width,
                    solid_capstyle="round", zorder=2)
    node = dict(s=260, color="white", edgecolors="black", linewidths=1.2, zorder=3)
    ax.scatter(np.full(units, x_left), ys, **node)
    ax.scatter(np.full(units, x_right), ys, **node)
    fontsize = 10 if units <= 8 else 8
    for j in range(units):
        ax.text(x_left - 0.06, ys[j], f"$h_{{t-1}}[{j + 1}]$", ha="right", va="center", fontsize=fontsize)
        ax.text(x_right + 0.06, ys[j], f"unit {j + 1}: {gate}", ha="left", va="center", fontsize=fontsize)
    pad = 0.5 / max(units - 1, 1)
    ax.set_xlim(-0.45, 1.45)
    ax.set_ylim(-pad, 1.0 + pad)
    ax.axis("off")
    ax.set_title(f"Every unit's {name} reads every previous output ({units}×{units} weights)", fontsize=11)
    mappable = cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(mappable, ax=ax, shrink=0.8, label="weight in recurrent_kernel")
    return CourseFigure(fig, alt=unit_wiring_alt(units, gate))
