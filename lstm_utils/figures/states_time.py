"""h_t and c_t over time (chapter 04): the hidden state and the cell state of one sample at every step, one line
per unit, with the lines ±1 drawn in both panels: h = o ⊙ tanh(c) never reaches them, c is not squashed and may
cross them. A chart, so matplotlib (imported inside the function: `import lstm_utils` needs numpy alone); each
unit has its own colour, marker and dash pattern (``_style.UNIT_STYLES``)."""

import numpy as np

from .._validate import finite, float_array
from . import _style as st
from ._base import CourseFigure, chart_style, new_figure, stable

#: One style per unit; more units than this would repeat styles.
MAX_UNITS = 8
MAX_STEPS = 60


def _per_step(value, name):
    arr = float_array(value, name)
    if arr.ndim == 1:
        arr = arr[:, None]
    elif arr.ndim == 3:
        raise ValueError(
            f"{name} must be (timesteps, units) for one sample, got shape {arr.shape}: pick the sample "
            f"first, e.g. {name}[0]"
        )
    elif arr.ndim != 2:
        raise ValueError(f"{name} must be (timesteps, units), got shape {arr.shape}")
    steps, units = arr.shape
    if steps == 0 or units == 0:
        raise ValueError(
            f"{name} must hold at least one timestep and one unit, got shape {arr.shape}"
        )
    if steps > MAX_STEPS or units > MAX_UNITS:
        raise ValueError(
            f"{name}: the chart draws at most {MAX_STEPS} timesteps and {MAX_UNITS} units legibly, "
            f"got shape {arr.shape}"
        )
    return finite(arr, name)


def _fmt(v):
    text = f"{v:.3f}"
    return "0.000" if text == "-0.000" else text


def states_over_time_alt(h, c):
    steps, units = h.shape
    who = f"{units} units, one line each" if units > 1 else "1 unit"
    h_max = float(np.max(np.abs(h)))
    k_c, u_c = np.unravel_index(int(np.argmax(np.abs(c))), c.shape)
    c_max = float(c[k_c, u_c])
    outside = sorted({int(u) + 1 for u in np.nonzero(np.any(np.abs(c) > 1, axis=0))[0]})
    if outside:
        cross = (
            f"The cell state leaves [-1, 1] for unit{'s' if len(outside) > 1 else ''} "
            f"{', '.join(map(str, outside))}"
        )
    else:
        cross = "The cell state stays inside [-1, 1] here"
    h_note = "stays strictly inside (-1, 1)" if h_max < 1 else "reaches the lines ±1"
    return (
        f"Two line charts of one sample over T = {steps} timesteps, {who}: the hidden state h_t on top and the "
        f"cell state c_t below, against the timestep 1 to {steps}, each panel with dashed lines at -1 and +1. "
        f"The hidden state h = o ⊙ tanh(c) {h_note}: its largest absolute value is {_fmt(h_max)}. {cross}: "
        f"its largest absolute value is {_fmt(abs(c_max))} (unit {u_c + 1} at step {k_c + 1}, c = "
        f"{_fmt(c_max)}). Last step: h_{steps} = ({', '.join(_fmt(v) for v in h[-1])}), c_{steps} = "
        f"({', '.join(_fmt(v) for v in c[-1])})."
    )


def plot_states_over_time(h, c):
    """Draw the hidden state ``h_t`` and the cell state ``c_t`` of one sample at every step, one line per unit.

    ``h`` and ``c`` are ``(timesteps, units)`` arrays for one sample (a ``(timesteps,)`` array is one unit), for
    example ``h_step[0]`` and ``c_step[0]`` from a loop over :func:`lstm_utils.lstm_step`. Both panels show the
    lines -1 and +1: h never reaches them, c may cross them.

    Returns a ``CourseFigure`` (SVG). Chapter 04::

        lu.figures.plot_states_over_time(h_step[0], c_step[0])
    """
    h = _per_step(h, "h")
    c = _per_step(c, "c")
    if h.shape != c.shape:
        raise ValueError(
            f"h and c must have the same shape (timesteps, units), got h {h.shape} and c {c.shape}"
        )
    steps, units = h.shape
    alt = states_over_time_alt(h, c)
    hs, cs = stable(h), stable(c)

    with chart_style():
        fig = new_figure(st.CHART_WIDTH_IN, 5.4)
        axes = fig.subplots(2, 1, sharex=True)
        t = np.arange(1, steps + 1)
        limit = max(1.15, float(np.max(np.abs(cs))) * 1.08)
        for ax, values, title in (
            (axes[0], hs, "h_t: hidden state = output"),
            (axes[1], cs, "c_t: cell state"),
        ):
            for bound in (-1.0, 1.0):
                ax.axhline(
                    bound,
                    color=st.OUTLINE,
                    linewidth=1.0,
                    linestyle=(0, (4, 3)),
                    zorder=1,
                )
            ax.axhline(0.0, color="#BBBBBB", linewidth=0.6, zorder=0)
            for u in range(units):
                style = st.unit_style(u)
                ax.plot(
                    t,
                    values[:, u],
                    color=style.colour,
                    marker=style.marker,
                    linestyle=style.dash,
                    markersize=5,
                    linewidth=1.6,
                    label=f"unit {u + 1}",
                    markerfacecolor="white" if u % 2 else style.colour,
                    zorder=2,
                    markevery=max(1, steps // 12),
                )
            ax.set_ylim(-limit, limit)
            ax.set_yticks([-1, 0, 1])
            ax.set_title(title, loc="left")
            ax.grid(axis="x", alpha=0.3)
        ticks = (
            t
            if steps <= 12
            else np.unique(np.linspace(1, steps, 6).round().astype(int))
        )
        axes[1].set_xticks(ticks)
        axes[1].set_xlim(0.6, steps + 0.4)
        axes[1].set_xlabel("timestep t")
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncols=min(units, 4),
            frameon=False,
            handlelength=2.6,
        )
    return CourseFigure(fig, alt=alt, title=f"h_t and c_t over {steps} timesteps")
