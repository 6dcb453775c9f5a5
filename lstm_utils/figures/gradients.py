"""Figure for chapter 08: how large the gradient is at each timestep, one line per setting, usually on a log axis.
A chart, so matplotlib (imported inside the function: `import lstm_utils` needs numpy alone); every line has its
own colour, marker and dash pattern and is labelled at its left end, so no line is told by colour alone."""

from collections.abc import Mapping

import numpy as np

from .._validate import finite, float_array
from . import _style as st
from ._base import CourseFigure, chart_style, new_figure

#: More lines than this are no longer told apart by colour, marker and dash.
MAX_LINES = 6


def _check_inputs(norms_by_label, log):
    if not isinstance(log, bool):
        raise TypeError(
            f"log must be True or False, got {log!r} ({type(log).__name__})"
        )
    if not isinstance(norms_by_label, Mapping):
        raise TypeError(
            f"norms_by_label must be a dict {{label: per-step norms of shape (T,)}}, got {type(norms_by_label).__name__}"
        )
    if len(norms_by_label) == 0:
        raise ValueError(
            "norms_by_label must hold at least one label, got an empty dict"
        )
    if len(norms_by_label) > MAX_LINES:
        raise ValueError(
            f"the figure draws at most {MAX_LINES} lines legibly, got {len(norms_by_label)} labels"
        )
    checked = {}
    for label, values in norms_by_label.items():
        if not isinstance(label, str) or not label:
            raise TypeError(
                f"every label must be a non-empty string, got {label!r} ({type(label).__name__})"
            )
        name = f"norms_by_label[{label!r}]"
        arr = float_array(values, name)
        if arr.ndim != 1:
            raise ValueError(
                f"{name} must be 1-D, one norm per timestep, shape (T,), got shape {arr.shape}"
            )
        if arr.size == 0:
            raise ValueError(
                f"{name} must have at least one timestep, got shape {arr.shape}"
            )
        finite(arr, name)
        if np.any(arr < 0):
            step = int(np.argmax(arr < 0)) + 1
            raise ValueError(
                f"{name} must hold norms, which are never negative, got {arr[step - 1]:.3g} at t = {step}"
            )
        if log and np.any(arr <= 0):
            step = int(np.argmax(arr <= 0)) + 1
            raise ValueError(
                f"{name} must be positive on a log axis (log=True), got {arr[step - 1]:.3g} at t = {step}; "
                f"pass log=False for a linear axis"
            )
        checked[label] = arr.astype(np.float64)
    lengths = {label: arr.size for label, arr in checked.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(
            f"every line must have the same number of timesteps T, got lengths {lengths}"
        )
    return checked


def _alt_text(norms, log):
    steps = next(iter(norms.values())).size
    axis = "a logarithmic" if log else "a linear"
    parts = []
    for label, arr in norms.items():
        text = f"{label}: {arr[0]:.1e} at t = 1, {arr[-1]:.1e} at t = {steps}, smallest {arr.min():.1e}"
        if arr[-1] > 0:
            text += f", first-to-last ratio {arr[0] / arr[-1]:.1e}"
        parts.append(text)
    lines = "one line" if len(norms) == 1 else f"{len(norms)} lines"
    return (
        f"Line chart of the size of the gradient at each timestep, t = 1 to {steps} on the x axis and the norm "
        f"of dL/dx_t on {axis} y axis, {lines}: " + "; ".join(parts) + "."
    )


def plot_gradient_norms(norms_by_label, log=True):
    """Draw per-timestep gradient norms, one line per label, against t = 1..T.

    ``norms_by_label`` is a dict ``{label: norms}``, each ``norms`` of shape ``(T,)`` with the same T, for example
    ``np.linalg.norm(grads["x"][0], axis=-1)``: the size of dL/dx_t at every step. With ``log=True`` (default)
    the y axis is logarithmic, so a gradient that shrinks by a constant factor per step is a straight line and
    every norm must be positive. Returns a ``CourseFigure`` whose alt text lists each line's first and last
    values.
    """
    norms = _check_inputs(norms_by_label, log)
    alt = _alt_text(norms, log)
    steps = next(iter(norms.values())).size
    t = np.arange(1, steps + 1)
    # drawn from values rounded to 3 significant digits (log axis) or 3 decimals: the same SVG on every CPU
    drawn = {
        label: (
            np.array([float(f"{v:.3g}") for v in arr])
            if log
            else np.round(arr, 3) + 0.0
        )
        for label, arr in norms.items()
    }

    with chart_style():
        fig = new_figure(st.CHART_WIDTH_IN, 4.4)
        ax = fig.add_subplot()
        every = max(1, steps // 10)
        for k, (label, arr) in enumerate(drawn.items()):
            style = st.unit_style(k)
            ax.plot(
                t,
                arr,
                color=style.colour,
                marker=style.marker,
                linestyle=style.dash,
                markersize=5,
                markevery=every,
                linewidth=1.6,
                label=label,
                markerfacecolor="white" if k % 2 else style.colour,
            )
        if log:
            from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

            ax.set_yscale("log")
            # "1e-20", not mathtext's 10 with a superscript, whose small exponent would be unreadable on a phone
            ax.yaxis.set_major_locator(LogLocator(base=10, numticks=7))
            ax.yaxis.set_major_formatter(
                FuncFormatter(lambda v, _: f"1e{round(np.log10(v)):d}")
            )
            ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("timestep t")
        ax.set_ylabel("‖∂L/∂x_t‖")
        ax.set_xlim(0.5, steps + 0.5)
        ax.grid(True, which="major", alpha=0.3)
        ax.set_title("Gradient reaching each timestep", loc="left")
        fig.legend(
            loc="outside lower center",
            ncols=1 if len(drawn) > 2 else len(drawn),
            frameon=False,
            handlelength=2.6,
        )
    return CourseFigure(fig, alt=alt, title="Gradient norm at each timestep")
