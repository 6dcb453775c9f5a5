"""Figure for chapter 08: how large the gradient is at each timestep, one line per setting, usually on a log axis.
matplotlib is imported only inside the function, so `import lstm_utils` needs numpy alone."""

from collections.abc import Mapping

import numpy as np

from .._validate import finite, float_array
from ._base import CourseFigure, new_figure

#: More lines than this are no longer told apart by colour and marker.
MAX_LINES = 6

_STYLES = (("#1f5fa8", "o"), ("#d62728", "s"), ("#2ca02c", "^"), ("#9467bd", "D"), ("#ff7f0e", "v"),
           ("#555555", "x"))


def _check_inputs(norms_by_label, log):
    if not isinstance(log, bool):
        raise TypeError(f"log must be True or False, got {log!r} ({type(log).__name__})")
    if not isinstance(norms_by_label, Mapping):
        raise TypeError(
            f"norms_by_label must be a dict {{label: per-step norms of shape (T,)}}, got {type(norms_by_label).__name__}")
    if len(norms_by_label) == 0:
        raise ValueError("norms_by_label must hold at least one label, got an empty dict")
    if len(norms_by_label) > MAX_LINES:
        raise ValueError(f"the figure draws at most {MAX_LINES} lines legibly, got {len(norms_by_label)} labels")
    checked = {}
    for label, values in norms_by_label.items():
        if not isinstance(label, str) or not label:
            raise TypeError(f"every label must be a non-empty string, got {label!r} ({type(label).__name__})")
        name = f"norms_by_label[{label!r}]"
        arr = float_array(values, name)
        if arr.ndim != 1:
            raise ValueError(f"{name} must be 1-D, one norm per timestep, shape (T,), got shape {arr.shape}")
        if arr.size == 0:
            raise ValueError(f"{name} must have at least one timestep, got shape {arr.shape}")
        finite(arr, name)
        if np.any(arr < 0):
            step = int(np.argmax(arr < 0)) + 1
            raise ValueError(f"{name} must hold norms, which are never negative, got {arr[step - 1]:.3g} at t = {step}")
        if log and np.any(arr <= 0):
            step = int(np.argmax(arr <= 0)) + 1
            raise ValueError(
                f"{name} must be positive on a log axis (log=True), got {arr[step - 1]:.3g} at t = {step}; "
                f"pass log=False for a linear axis")
        checked[label] = arr.astype(np.float64)
    lengths = {label: arr.size for label, arr in checked.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"every line must have the same number of timesteps T, got lengths {lengths}")
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
    return (f"Line chart of the size of the gradient at each timestep, t = 1 to {steps} on the x axis and the norm "
            f"of dL/dx_t on {axis} y axis, {lines}: " + "; ".join(parts) + ".")


def plot_gradient_norms(norms_by_label, log=True):
    """Draw per-timestep gradient norms, one line per label, against t = 1..T.

    ``norms_by_label`` is a dict ``{label: norms}``, each ``norms`` of shape ``(T,)`` with the same T, for example
    ``np.linalg.norm(grads["x"][0], axis=-1)``: the size of dL/dx_t at every step. With ``log=True`` (default)
    the y axis is logarithmic, so a gradient that shrinks by a constant factor per step is a straight line and
    every norm must be positive. Returns a ``CourseFigure`` whose alt text lists each line's first and last
    values.
    """
    norms = _check_inputs(norms_by_label, log)
    steps = next(iter(norms.values())).size
    t = np.arange(1, steps + 1)

    fig = new_figure(7.5, 3.8)
    ax = fig.add_subplot()
    for (label, arr), (colour, marker) in zip(norms.items(), _STYLES):
        ax.plot(t, arr, color=colour, marker=marker, markersize=3.5, linewidth=1.4, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("timestep t")
    ax.set_ylabel(r"$\|\partial L / \partial x_t\|$")
    ax.set_xlim(0.5, steps + 0.5)
    ax.grid(True, which="major", alpha=0.3)
    ax.set_title("How much gradient reaches each timestep", fontsize=11)
    ax.legend(fontsize=8.5, loc="best")
    return CourseFigure(fig, alt=_alt_text(norms, log))
