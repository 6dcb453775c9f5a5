"""Figure for chapter 04: the four gate activations of one sample, step by step.

``lstm_step`` returns the gates of one step; collected over the T steps of one sample they become a dict of
``(T, units)`` arrays, which this helper draws as four panels (i, f, c̃, o) in a 2 × 2 grid, one line per unit.
A chart, so matplotlib (imported inside the function: `import lstm_utils` needs numpy alone); each unit's line
has its own Okabe–Ito colour, marker and dash pattern (``_style.UNIT_STYLES``), so no unit is told by colour
alone, and the chart is phone-wide with 11.5 pt text."""

from collections.abc import Mapping

import numpy as np

from .._validate import finite, float_array
from ..gates import GATE_ORDER
from . import _style as st
from ._base import CourseFigure, chart_style, new_figure, stable

#: One style (colour, marker, dash) per line: more units (or features) than this would repeat styles.
MAX_LINES = 10

_TITLES = {
    "i": "i: input gate",
    "f": "f: forget gate",
    "c": "c\u0303: candidate",
    "o": "o: output gate",
}
_ALT_NAMES = {
    "i": "input gate i",
    "f": "forget gate f",
    "c": "candidate c-tilde",
    "o": "output gate o",
}
#: The range each activation lives in: sigmoid for i, f, o; tanh for the candidate.
_RANGES = {"i": (0.0, 1.0), "f": (0.0, 1.0), "c": (-1.0, 1.0), "o": (0.0, 1.0)}
#: Float rounding may put a saturated activation a hair outside its range; anything beyond this is refused.
_SLACK = 1e-6


def _fmt(value):
    """Two decimals, and never '-0.00'."""
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _check_gates(gates):
    if not isinstance(gates, Mapping):
        raise TypeError(
            "gates must be a dict {'i', 'f', 'c', 'o'} of (timesteps, units) arrays, "
            f"got {type(gates).__name__}"
        )
    keys = set(gates.keys())
    expected = set(GATE_ORDER)
    if keys != expected:
        missing = sorted(expected - keys, key=str)
        extra = sorted(keys - expected, key=str)
        detail = "; ".join(
            part
            for part in (
                f"missing {missing}" if missing else "",
                f"unexpected {extra}" if extra else "",
            )
            if part
        )
        raise ValueError(
            f"gates must have exactly the keys ['c', 'f', 'i', 'o'], got {sorted(map(str, keys))} "
            f"({detail})"
        )
    arrays = {}
    for name in GATE_ORDER:
        label = f"gates[{name!r}]"
        arr = float_array(gates[name], label)
        if arr.ndim == 1:
            arr = arr[:, None]  # (T,) is one unit
        elif arr.ndim == 3:
            raise ValueError(
                f"{label} must be (timesteps, units) for one sample, got shape {arr.shape}: "
                f"pick one sample first, e.g. {label}[0] for a (batch, timesteps, units) array"
            )
        elif arr.ndim != 2:
            raise ValueError(
                f"{label} must be (timesteps, units), got shape {arr.shape}"
            )
        arrays[name] = arr
    shapes = {name: arr.shape for name, arr in arrays.items()}
    if len(set(shapes.values())) != 1:
        listed = ", ".join(f"{name} {shape}" for name, shape in shapes.items())
        raise ValueError(
            f"the four gates must have the same shape (timesteps, units), got {listed}"
        )
    steps, units = arrays["i"].shape
    if steps == 0 or units == 0:
        raise ValueError(
            f"gates must hold at least one timestep and one unit, got shape {(steps, units)}"
        )
    if units > MAX_LINES:
        raise ValueError(
            f"the figure draws at most {MAX_LINES} units (one colour each), got {units}: pass a slice "
            f"such as {{k: v[:, :{MAX_LINES}] for k, v in gates.items()}}"
        )
    for name, arr in arrays.items():
        finite(arr, f"gates[{name!r}]")
        low, high = _RANGES[name]
        if arr.min() < low - _SLACK or arr.max() > high + _SLACK:
            what = "tanh(z_c)" if name == "c" else f"sigmoid(z_{name})"
            raise ValueError(
                f"gates[{name!r}] must be an activation {what} between {low:g} and {high:g}, got values from "
                f"{_fmt(arr.min())} to {_fmt(arr.max())}: pass the activations, not the pre-activations z"
            )
    return arrays, steps, units


def _check_x(x, steps):
    if x is None:
        return None
    arr = float_array(x, "x")
    if arr.ndim == 1:
        arr = arr[:, None]  # (T,) is one feature
    elif arr.ndim == 3:
        raise ValueError(
            f"x must be (timesteps, features) for the same one sample as the gates, got shape {arr.shape}: "
            "pick that sample first, e.g. x[0]"
        )
    elif arr.ndim != 2:
        raise ValueError(
            f"x must be (timesteps,) or (timesteps, features), got shape {arr.shape}"
        )
    if arr.shape[0] != steps:
        raise ValueError(
            f"x must have one row per timestep of the gates (T = {steps}), got shape {arr.shape}"
        )
    if arr.shape[1] == 0 or arr.shape[1] > MAX_LINES:
        raise ValueError(
            f"x must have between 1 and {MAX_LINES} features, got shape {arr.shape}"
        )
    return finite(arr, "x")


def _alt_text(gates, steps, units, x):
    ranges = "; ".join(
        f"{_ALT_NAMES[n]} from {_fmt(gates[n].min())} to {_fmt(gates[n].max())}"
        for n in GATE_ORDER
    )
    alt = (
        f"Gate activations of one sample in an LSTM layer with {_plural(units, 'unit')}, over T = {steps} "
        f"timesteps: four panels for the input gate i, the forget gate f, the candidate c-tilde and the output "
        f"gate o, each with one line per unit against the timestep 1 to {steps}. The gates i, f and o are "
        f"sigmoids between 0 and 1; the candidate is a tanh between -1 and 1. Over all units and steps: {ranges}."
    )
    if x is not None:
        alt += (
            f" Above the gates, the input x_t of the same sample, {_plural(x.shape[1], 'feature')} per step, "
            f"from {_fmt(x.min())} to {_fmt(x.max())}."
        )
    return alt


def plot_gate_activations(gates, x=None):
    """Draw the four gate activations of one sample against the timestep.

    ``gates`` is a dict ``{"i", "f", "c", "o"}`` of arrays of shape ``(timesteps, units)`` (a ``(timesteps,)``
    array is read as one unit): the activations that ``lstm_step`` returns, collected over the steps of one
    sample. ``gates["c"]`` is the candidate tanh(z_c), between -1 and 1; the other three are sigmoids between 0
    and 1. ``x``, if given, is that sample's input, ``(timesteps, features)`` or ``(timesteps,)``, drawn above.
    Returns a ``CourseFigure`` whose alt text states T, the number of units and the range of each gate.
    """
    gates, steps, units = _check_gates(gates)
    x = _check_x(x, steps)
    alt = _alt_text(gates, steps, units, x)
    gates = {name: stable(values) for name, values in gates.items()}

    with chart_style():
        fig = new_figure(st.CHART_WIDTH_IN, 6.9 if x is not None else 5.2)
        grid = fig.add_gridspec(
            3 if x is not None else 2,
            2,
            height_ratios=[0.8, 1, 1] if x is not None else None,
        )
        offset = 1 if x is not None else 0
        gate_axes = [fig.add_subplot(grid[offset + k // 2, k % 2]) for k in range(4)]
        t = np.arange(1, steps + 1)
        ticks = (
            t if steps <= 8 else np.unique(np.linspace(1, steps, 5).round().astype(int))
        )

        def draw(ax, values, k, label):
            style = st.unit_style(k)
            ax.plot(
                t,
                values,
                color=style.colour,
                marker=style.marker,
                linestyle=style.dash,
                markersize=5,
                linewidth=1.6,
                label=label,
                markerfacecolor="white" if k % 2 else style.colour,
                markevery=max(1, steps // 10),
            )

        for ax, name in zip(gate_axes, GATE_ORDER):
            low, high = _RANGES[name]
            for u in range(units):
                draw(ax, gates[name][:, u], u, f"unit {u + 1}")
            ax.set_ylim(low - 0.06 * (high - low), high + 0.06 * (high - low))
            ax.set_yticks([low, (low + high) / 2, high])
            ax.axhline(0.0, color=st.OUTLINE, linewidth=0.6, zorder=0)
            ax.set_title(_TITLES[name], loc="left")
            ax.set_xticks(ticks)
            ax.set_xlim(0.6, steps + 0.4)
            ax.grid(alpha=0.3)
        for ax in gate_axes[2:]:
            ax.set_xlabel("timestep t")
        handles, labels = gate_axes[0].get_legend_handles_labels()
        fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncols=min(units, 4),
            frameon=False,
            handlelength=2.6,
        )
        if x is not None:
            ax_x = fig.add_subplot(grid[0, :])
            features = x.shape[1]
            xs = stable(x)
            for j in range(features):
                style = st.unit_style(len(st.UNIT_STYLES) - 1 - j)
                ax_x.plot(
                    t,
                    xs[:, j],
                    color=st.TEXT if features == 1 else style.colour,
                    marker=style.marker,
                    linestyle=style.dash,
                    markersize=5,
                    linewidth=1.6,
                    label=f"feature {j + 1}",
                    markevery=max(1, steps // 10),
                )
            ax_x.axhline(0.0, color=st.OUTLINE, linewidth=0.6, zorder=0)
            ax_x.set_title("input x_t", loc="left")
            ax_x.set_xticks(ticks)
            ax_x.set_xlim(0.6, steps + 0.4)
            ax_x.grid(alpha=0.3)
            ax_x.legend(
                loc="lower right",
                bbox_to_anchor=(1.0, 1.0),
                frameon=False,
                ncols=min(features, 2),
                borderaxespad=0.1,
                handlelength=2.2,
                columnspacing=1.0,
            )
    return CourseFigure(fig, alt=alt, title=f"Gate activations over {steps} timesteps")
