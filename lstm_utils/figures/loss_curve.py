"""Figure for chapter 14: the training loss at every step, so the reader sees it fall. A chart, so matplotlib
(imported inside the function: `import lstm_utils` needs numpy alone). The loss of each step is a thin line; a
running mean over ``window`` steps, drawn thicker, shows the trend through the noise of the batches; a dashed
horizontal line marks a ``baseline`` (what a model that has learned nothing scores). Lines are told apart by
width, dash and a label, not by colour alone."""

import numbers

import numpy as np

from .._validate import finite, float_array
from . import _style as st
from ._base import CourseFigure, chart_style, new_figure


def _check(losses, baseline, baseline_label, log, window):
    if not isinstance(log, bool):
        raise TypeError(f"log must be True or False, got {log!r} ({type(log).__name__})")
    arr = float_array(losses, "losses")
    if arr.ndim != 1:
        raise ValueError(f"losses must be 1-D, one loss per training step, shape (steps,), got shape {arr.shape}")
    if arr.size < 2:
        raise ValueError(f"losses must hold at least two steps to draw a curve, got shape {arr.shape}")
    finite(arr, "losses")
    if np.any(arr < 0):
        step = int(np.argmax(arr < 0)) + 1
        raise ValueError(f"losses must be >= 0 (a mean squared error is never negative), got {arr[step - 1]:.3g} "
                         f"at step {step}")
    if log and np.any(arr <= 0):
        step = int(np.argmax(arr <= 0)) + 1
        raise ValueError(f"losses must be positive on a log axis (log=True), got {arr[step - 1]:.3g} at step {step}; "
                         "pass log=False for a linear axis")
    if baseline is not None:
        if isinstance(baseline, bool) or not isinstance(baseline, numbers.Real) or not np.isfinite(baseline):
            raise TypeError(f"baseline must be a finite number or None, got {baseline!r}")
        if baseline < 0 or (log and baseline <= 0):
            raise ValueError(f"baseline must be {'positive' if log else '>= 0'}, got {baseline!r}")
        if not isinstance(baseline_label, str) or not baseline_label:
            raise TypeError(f"a baseline needs baseline_label, a non-empty string saying what it is, "
                            f"got {baseline_label!r}")
    elif baseline_label is not None:
        raise ValueError("baseline_label was given without a baseline")
    if window is not None:
        if isinstance(window, bool) or not isinstance(window, numbers.Integral):
            raise TypeError(f"window must be a whole number of steps or None, got {window!r}")
        if not 2 <= window <= arr.size:
            raise ValueError(f"window must be between 2 and the number of steps ({arr.size}), got {window}")
    return arr.astype(np.float64)


def running_mean(losses, window):
    """The mean of the last ``window`` losses at each step from ``window`` on: shape ``(steps - window + 1,)``."""
    cumulative = np.concatenate([[0.0], np.cumsum(losses)])
    return (cumulative[window:] - cumulative[:-window]) / window


def _alt_text(losses, baseline, baseline_label, log, window):
    steps = losses.size
    axis = "a logarithmic" if log else "a linear"
    low = int(np.argmin(losses))
    text = (f"Line chart of the training loss at each of {steps} steps, step on the x axis and the loss on {axis} "
            f"y axis: {losses[0]:.3g} at step 1, {losses[-1]:.3g} at step {steps}, smallest {losses[low]:.3g} at "
            f"step {low + 1}")
    if window is not None:
        mean = running_mean(losses, window)
        text += (f"; the mean over {window} steps, drawn thicker, goes from {mean[0]:.3g} (steps 1 to {window}) to "
                 f"{mean[-1]:.3g} (the last {window} steps)")
    if baseline is not None:
        text += f"; a dashed line marks {baseline_label} at {baseline:.3g}"
        curve = running_mean(losses, window) if window is not None else losses
        below = np.flatnonzero(curve < baseline)
        if below.size:
            first = int(below[0]) + (window if window is not None else 1)
            what = "the mean" if window is not None else "the loss"
            text += f", and {what} first falls below it at step {first}"
            if curve[-1] > 0:
                text += f", ending {baseline / curve[-1]:.3g} times lower"
        else:
            text += ", and the loss never falls below it"
    return text + "."


def plot_loss_curve(losses, baseline=None, *, baseline_label=None, log=True, window=None):
    """Draw the loss of each training step against the step number, 1 to ``len(losses)``.

    ``losses`` has shape ``(steps,)``. ``baseline`` (with ``baseline_label``, e.g. "always predicting the mean")
    draws a dashed horizontal line. ``window`` adds the running mean over that many steps, which the noise of
    the batches hides less. With ``log=True`` (default) the y axis is logarithmic, so a loss that keeps halving
    keeps falling by the same height, and every loss must be positive. Returns a ``CourseFigure`` whose alt text
    gives the first, last and smallest losses and where the curve crosses the baseline.
    """
    arr = _check(losses, baseline, baseline_label, log, window)
    alt = _alt_text(arr, baseline, baseline_label, log, window)
    steps = arr.size
    t = np.arange(1, steps + 1)

    def drawn(values):
        # 3 significant digits (log axis) or 3 decimals: the same SVG on every CPU
        if log:
            return np.array([float(f"{v:.3g}") for v in values])
        return np.round(values, 3) + 0.0

    with chart_style():
        fig = new_figure(st.CHART_WIDTH_IN, 4.0)
        ax = fig.add_subplot()
        step_style, mean_style = st.unit_style(0), st.unit_style(3)
        ax.plot(t, drawn(arr), color=st.tint(step_style.colour, 0.55) if window else step_style.colour,
                linewidth=0.9, label="loss of each step")
        if window is not None:
            ax.plot(t[window - 1:], drawn(running_mean(arr, window)), color=mean_style.colour,
                    linestyle=mean_style.dash, linewidth=2.4, label=f"mean of the last {window} steps")
        if baseline is not None:
            ax.axhline(drawn([baseline])[0], color=st.TEXT, linestyle=(0, (6, 3)), linewidth=1.4,
                       label=f"{baseline_label} ({baseline:.3g})")
        if log:
            from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

            ax.set_yscale("log")
            ax.yaxis.set_major_locator(LogLocator(base=10, numticks=7))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("training step")
        ax.set_ylabel("loss (mse)")
        ax.set_xlim(0, steps + 1)
        ax.grid(True, which="major", alpha=0.3)
        ax.set_title("Training loss, step by step", loc="left")
        fig.legend(loc="outside lower center", ncols=1, frameon=False, handlelength=2.6)
    return CourseFigure(fig, alt=alt, title="Training loss at each step")
