"""One masked sequence over time (chapter 06): the masked steps shaded, one line per unit, so the reader sees the
output hold still wherever the mask is False. A chart, so matplotlib (imported inside the function: `import
lstm_utils` needs numpy alone); masked steps are a grey *hatched* band with hollow markers, and each unit has its own
colour, marker and dash pattern, so nothing is told by colour alone."""

import numpy as np

from .._validate import finite, float_array
from . import _style as st
from ._base import CourseFigure, chart_style, new_figure, stable

#: More units than this make the lines and the legend illegible.
MAX_UNITS = 8
#: More steps than this do not fit legibly in a figure of at most 9 inches.
MAX_STEPS = 40

_MASKED_GREY = "#DDDDDD"


def _fmt(value):
    text = f"{value:.3f}"
    return "0.000" if text == "-0.000" else text


def _check_mask(mask):
    if mask is None:
        raise TypeError("mask must be a 1-D array of booleans (T,), got None")
    try:
        m = np.asarray(mask)
    except Exception as exc:  # ragged lists and the like
        raise TypeError(
            f"mask must be a 1-D array of booleans (T,), got {type(mask).__name__}: {exc}"
        ) from None
    if m.dtype != bool:
        if not (
            np.issubdtype(m.dtype, np.number)
            and not np.issubdtype(m.dtype, np.complexfloating)
            and np.isin(m, (0, 1)).all()
        ):
            raise TypeError(
                f"mask must hold booleans (or 0/1): True = step kept, False = step masked; "
                f"got dtype {m.dtype}"
            )
        m = m.astype(bool)
    if m.ndim != 1:
        hint = "; for one sequence of a batch pass mask[i]" if m.ndim == 2 else ""
        raise ValueError(
            f"mask must be 1-D (T,), one sequence, got shape {m.shape}{hint}"
        )
    if m.size == 0:
        raise ValueError("mask must have at least one step, got shape (0,)")
    if m.size > MAX_STEPS:
        raise ValueError(
            f"the trace is drawn for at most {MAX_STEPS} steps, got T = {m.size}; pass a slice"
        )
    return m


def _check_per_step(value, name, steps):
    arr = float_array(value, name)
    if arr.ndim != 2:
        hint = ""
        if arr.ndim == 1:
            hint = f"; for a single unit pass {name}[:, None]"
        elif arr.ndim == 3:
            hint = f"; for one sequence of a batch pass {name}[i]"
        raise ValueError(
            f"{name} must be 2-D (T, units) = ({steps}, units), got shape {arr.shape}{hint}"
        )
    if arr.shape[0] != steps:
        raise ValueError(
            f"{name} must have one row per step of the mask: expected ({steps}, units), got shape {arr.shape}"
        )
    if arr.shape[1] == 0:
        raise ValueError(
            f"{name} must have at least one unit: expected ({steps}, units), got shape {arr.shape}"
        )
    if arr.shape[1] > MAX_UNITS:
        raise ValueError(
            f"the trace draws at most {MAX_UNITS} units legibly, got {arr.shape[1]}: pass a slice"
        )
    return finite(arr, name).astype(np.float64)


def _runs(mask):
    """Maximal runs of masked steps as 0-based (first, last) index pairs."""
    runs, start = [], None
    for t, keep in enumerate(mask):
        if not keep and start is None:
            start = t
        if keep and start is not None:
            runs.append((start, t - 1))
            start = None
    if start is not None:
        runs.append((start, len(mask) - 1))
    return runs


def _steps_text(first, last):
    """1-based step numbers, as the course writes them (x_1, h_1, ...)."""
    if first == last:
        return f"step {first + 1}"
    if last == first + 1:
        return f"steps {first + 1} and {last + 1}"
    return f"steps {first + 1} to {last + 1}"


def _vector(values):
    return "(" + ", ".join(_fmt(v) for v in values) + ")"


def _held(values, first, last):
    """True if every row from first to last equals row first (to 1e-12)."""
    return bool(np.all(np.abs(values[first : last + 1] - values[first]) <= 1e-12))


def _describe_runs(mask, outputs, states):
    every = "every unit's " if outputs.shape[1] > 1 else "the "
    sentences = []
    for first, last in _runs(mask):
        where = _steps_text(first, last)
        if first == 0:
            if np.all(np.abs(outputs[: last + 1]) <= 1e-12):
                text = f"At masked {where}, before any kept step, {every}output is 0"
            elif _held(outputs, 0, last):
                text = f"At masked {where}, before any kept step, the output stays at {_vector(outputs[0])}"
            else:
                change = (
                    float(np.max(np.abs(np.diff(outputs[: last + 1], axis=0))))
                    if last > 0
                    else 0.0
                )
                text = (
                    f"At masked {where}, before any kept step, the output is not held at 0: "
                    f"it starts at {_vector(outputs[0])} and moves by up to {_fmt(change)} from step to step"
                )
            if states is not None:
                text += (
                    "; the cell state stays at its initial value"
                    if _held(states, 0, last)
                    else "; the cell state changes"
                )
        else:
            if _held(outputs, first - 1, last):
                text = (
                    f"At masked {where} {every}output stays at its value from step {first}, "
                    f"{_vector(outputs[first - 1])}, a flat line"
                )
            else:
                change = float(
                    np.max(np.abs(outputs[first : last + 1] - outputs[first - 1]))
                )
                text = (
                    f"At masked {where} the output does not stay at its value from step {first}: "
                    f"it moves by up to {_fmt(change)}"
                )
            if states is not None:
                text += (
                    f"; the cell state also stays at its value from step {first}"
                    if _held(states, first - 1, last)
                    else "; the cell state changes"
                )
        sentences.append(text + ".")
    return sentences


def masked_trace_alt(mask, outputs, states=None):
    """The alt text of :func:`plot_masked_trace`, generated from the mask and the values."""
    steps, units = outputs.shape
    kept = int(mask.sum())
    masked = steps - kept
    who = (
        f"each of the {units} units (one line per unit)"
        if units > 1
        else "the layer's single unit (one line)"
    )
    alt = (
        f"Line chart of one sequence over T = {steps} timesteps: the output h_t of {who} against the "
        f"timestep t = 1 to {steps}."
    )
    if states is not None:
        alt += " A second panel below shows the cell state c_t on the same time axis."
    if masked == 0:
        alt += " No step is masked."
    else:
        listed = ", ".join(_steps_text(a, b) for a, b in _runs(mask))
        if kept == 0:
            alt += f" All {steps} steps are masked and shaded grey."
        elif masked == 1:
            alt += f" 1 of the {steps} steps is masked and shaded grey ({listed}); the other {kept} are kept."
        else:
            alt += f" {masked} of the {steps} steps are masked and shaded grey ({listed}); the other {kept} are kept."
        alt += " " + " ".join(_describe_runs(mask, outputs, states))
    alt += f" Output at the last step: {_vector(outputs[-1])}."
    return alt


def plot_masked_trace(mask, outputs, states=None):
    """Draw one sequence over time: masked steps shaded, the output of every unit as a line.

    ``mask`` is ``(T,)`` booleans (True = step kept, False = step masked), e.g. one row of
    ``masking_layer.compute_mask(x)``; ``outputs`` is ``(T, units)``, the layer's output at every step
    (``return_sequences=True``) for that one sequence. ``states``, if given, is the cell state ``c_t`` at every
    step, ``(T, units)``, drawn in a second panel below.

    Kept steps are drawn as filled dots, masked steps as hollow dots on a grey band. Under Keras's masking rule
    the lines run flat across every masked step (and sit at 0 before the first kept step). The alt text is
    generated from the data and says whether that is what the numbers show.

    Returns a ``CourseFigure``.
    """
    mask = _check_mask(mask)
    steps = mask.size
    outputs = _check_per_step(outputs, "outputs", steps)
    if states is not None:
        states = _check_per_step(states, "states", steps)
        if states.shape != outputs.shape:
            raise ValueError(
                f"states must have the shape of outputs, expected {outputs.shape}, got shape {states.shape}"
            )
    units = outputs.shape[1]
    alt = masked_trace_alt(mask, outputs, states)
    outputs = stable(outputs)
    states = None if states is None else stable(states)

    with chart_style():
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        rows = 1 if states is None else 2
        fig = new_figure(st.CHART_WIDTH_IN, 3.6 if rows == 1 else 5.6)
        axes = fig.subplots(rows, 1, sharex=True, squeeze=False)[:, 0]
        t = np.arange(1, steps + 1)
        panels = [(axes[0], outputs, "output h_t")]
        if states is not None:
            panels.append((axes[1], states, "cell state c_t"))

        for ax, values, label in panels:
            for first, last in _runs(mask):
                ax.axvspan(
                    first + 0.5,
                    last + 1.5,
                    facecolor=_MASKED_GREY,
                    edgecolor="#9A9A9A",
                    hatch="//",
                    zorder=0,
                    linewidth=0,
                )
            ax.axhline(0.0, color=st.OUTLINE, linewidth=0.6, zorder=1)
            for k in range(units):
                style = st.unit_style(k)
                ax.plot(
                    t,
                    values[:, k],
                    color=style.colour,
                    linestyle=style.dash,
                    linewidth=1.6,
                    zorder=2,
                )
                ax.plot(
                    t[mask],
                    values[mask, k],
                    style.marker,
                    color=style.colour,
                    markersize=6,
                    linestyle="none",
                    zorder=3,
                )
                ax.plot(
                    t[~mask],
                    values[~mask, k],
                    style.marker,
                    markerfacecolor="white",
                    markeredgecolor=style.colour,
                    markersize=6,
                    linestyle="none",
                    zorder=3,
                )
            ax.set_ylabel(label)
            ax.set_xlim(0.5, steps + 0.5)
            ax.grid(axis="y", color="#E6E6E6", linewidth=0.6)
            ax.set_axisbelow(True)

        ticks = (
            t
            if steps <= 12
            else np.unique(np.linspace(1, steps, 6).round().astype(int))
        )
        axes[-1].set_xticks(ticks)
        axes[-1].set_xlabel("timestep t")
        handles = [
            Line2D(
                [],
                [],
                color=st.unit_style(k).colour,
                marker=st.unit_style(k).marker,
                linestyle=st.unit_style(k).dash,
                markersize=6,
                linewidth=1.6,
                label=f"unit {k + 1}",
            )
            for k in range(units)
        ]
        handles.append(
            Patch(
                facecolor=_MASKED_GREY,
                edgecolor="#9A9A9A",
                hatch="//",
                label="masked step",
            )
        )
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markerfacecolor="white",
                markeredgecolor=st.OUTLINE,
                markersize=6,
                label="value at a masked step",
            )
        )
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=2,
            frameon=False,
            handlelength=2.4,
        )
        axes[0].set_title("Grey hatched steps are masked", loc="left")
    return CourseFigure(
        fig, alt=alt, title=f"One masked sequence over {steps} timesteps"
    )
