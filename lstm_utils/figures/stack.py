"""A stack of LSTM layers, unrolled over a few timesteps (chapter 05): inputs at the bottom, one row of cells
per layer, state arrows through time inside a layer and output arrows up into the next layer at the same step.
matplotlib is imported only inside the function, so `import lstm_utils` needs numpy alone."""

import numbers

from .._validate import positive_int
from ..params import count_params
from ._base import CourseFigure, new_figure

#: More layers or steps than these do not fit legibly in a figure of at most 9 × 4.3 inches.
MAX_LAYERS = 3
MAX_STEPS = 5

_LAYER_COLOURS = ("#1f5fa8", "#b4451f", "#2c7a3f")
_X_COLOUR = "#3b3b3b"


def _check_inputs(layer_sizes, features, timesteps, return_sequences):
    if isinstance(layer_sizes, (str, bytes)) or isinstance(layer_sizes, numbers.Number) \
            or not hasattr(layer_sizes, "__len__") or not hasattr(layer_sizes, "__getitem__"):
        raise TypeError(
            "layer_sizes must be a list with one unit count per layer, e.g. [4, 6] for LSTM(4) then LSTM(6); "
            f"got {layer_sizes!r} ({type(layer_sizes).__name__})")
    if len(layer_sizes) == 0:
        raise ValueError("layer_sizes must name at least one layer, e.g. [4, 6]; got an empty list")
    if len(layer_sizes) > MAX_LAYERS:
        raise ValueError(
            f"the stack is drawn for at most {MAX_LAYERS} layers, got {len(layer_sizes)} layers {list(layer_sizes)}")
    sizes = [positive_int(units, f"layer_sizes[{k}]") for k, units in enumerate(layer_sizes)]
    features = positive_int(features, "features")
    timesteps = positive_int(timesteps, "timesteps")
    if timesteps > MAX_STEPS:
        raise ValueError(f"the stack is drawn for at most {MAX_STEPS} timesteps, got timesteps = {timesteps}")
    if not isinstance(return_sequences, bool):
        raise TypeError(f"return_sequences must be True or False, got {return_sequences!r}")
    return sizes, features, timesteps


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def stack_wiring_alt(layer_sizes, features, timesteps=3, return_sequences=False):
    """The alt text of :func:`plot_stack_wiring` (inputs assumed valid)."""
    n_layers = len(layer_sizes)
    steps = "1 timestep" if timesteps == 1 else f"{timesteps} timesteps"
    parts = [
        f"Unrolled stack of {_plural(n_layers, 'LSTM layer')}, drawn over {steps} from left to right. "
        + ("Bottom row: the input x_1, " if timesteps == 1 else f"Bottom row: the inputs x_1 to x_{timesteps}, each ")
        + f"a vector of {_plural(features, 'feature')}."]
    reads = features
    for k, units in enumerate(layer_sizes, start=1):
        source = ("x_t from below" if k == 1
                  else f"layer {k - 1}'s output h_t from below, {_plural(reads, 'number')} that are its features")
        parts.append(
            f"Layer {k}, LSTM({units}), {count_params(units, reads)} parameters: one cell per timestep, all with "
            f"the same weights; the cell at step t reads {source} and the state h, c ({_plural(units, 'number')} "
            f"each) from the cell to its left, starting from zeros, and passes its own h, c to the right.")
        reads = units
    top = layer_sizes[-1]
    if n_layers > 1:
        parts.append("Every layer below the top returns its whole sequence, so each step's h_t goes up to the next "
                     "layer at the same step.")
    if return_sequences:
        parts.append(f"The top layer returns its whole sequence too: {_plural(timesteps, 'output')} of "
                     f"{_plural(top, 'number')} each.")
    else:
        parts.append(f"Only the top layer's last step is the model's output: one vector of {_plural(top, 'number')}.")
    return " ".join(parts)


def plot_stack_wiring(layer_sizes, features, timesteps=3, *, return_sequences=False):
    """Draw a stack of LSTM layers unrolled over ``timesteps`` steps.

    ``layer_sizes`` lists the units of each layer from the bottom up, e.g. ``[4, 6]`` for ``LSTM(4,
    return_sequences=True)`` followed by ``LSTM(6)``; ``features`` is the number of features of each input step
    x_t. The inputs x_1..x_T sit at the bottom, then one row of cells per layer. Horizontal arrows carry the
    state (h, c) of a layer from one step to the next; vertical arrows carry layer k's h_t up to layer k+1 as its
    input at the same step. ``return_sequences`` says whether the *top* layer returns every step (``True``) or
    only the last one (``False``, the Keras default). At most 3 layers and 5 timesteps.

    Returns a ``CourseFigure`` whose alt text is generated from the sizes.
    """
    sizes, features, timesteps = _check_inputs(layer_sizes, features, timesteps, return_sequences)
    n_layers = len(sizes)

    from matplotlib.patches import FancyBboxPatch

    spacing = 2.1
    half_w, half_h = 0.5, 0.27          # half width / height of a cell box
    row = 1.25                          # vertical distance between rows
    y_x = 0.0                           # row of the inputs
    rows = [y_x + row * (k + 1) for k in range(n_layers)]
    y_out = y_x + row * (n_layers + 1) - 0.35
    left_edge = -1.45                   # where the initial (zero) states enter
    label_x = left_edge - 0.2           # layer labels sit left of that, right-aligned
    right_edge = spacing * (timesteps - 1) + half_w + 0.75

    width = min(9.0, 2.6 + 1.5 * timesteps)
    height = min(4.3, 1.5 + 0.9 * (n_layers + 1))
    fig = new_figure(width, height)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(label_x - 1.25, right_edge + 0.15)
    ax.set_ylim(y_x - (1.0 if timesteps <= 2 else 0.75), y_out + 0.3)

    arrow = dict(arrowstyle="-|>", lw=1.3, shrinkA=0, shrinkB=0, mutation_scale=11)
    small = 7.5

    # bottom row: the input steps
    for t in range(timesteps):
        ax.text(spacing * t, y_x, f"$x_{{{t + 1}}}$", ha="center", va="center", fontsize=10, color=_X_COLOUR,
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "#f2f2f2", "edgecolor": "#777777"})
    ax.text(label_x, y_x, f"input\n{_plural(features, 'feature')}", ha="right", va="center", fontsize=8,
            color=_X_COLOUR)

    reads = features
    for k, (units, y) in enumerate(zip(sizes, rows)):
        colour = _LAYER_COLOURS[k]
        below_colour = _X_COLOUR if k == 0 else _LAYER_COLOURS[k - 1]
        below_top = y_x + 0.22 if k == 0 else rows[k - 1] + half_h
        ax.text(label_x, y, f"layer {k + 1}\nLSTM({units})\nreads {reads}", ha="right", va="center",
                fontsize=8, color=colour, weight="bold", linespacing=1.15)
        for t in range(timesteps):
            cx = spacing * t
            ax.add_patch(FancyBboxPatch(
                (cx - half_w, y - half_h), 2 * half_w, 2 * half_h, boxstyle="round,pad=0.02,rounding_size=0.1",
                facecolor="#f7f7f2", edgecolor=colour, lw=1.4))
            ax.text(cx, y, _plural(units, "unit"), ha="center", va="center", fontsize=7.5, color=colour)
            # up: x_t into layer 1, or layer k's h_t into layer k + 1 at the same step
            ax.annotate("", xy=(cx, y - half_h), xytext=(cx, below_top), arrowprops=dict(arrow, color=below_colour))
            what = f"{reads}" if k == 0 else f"$h^{{({k})}}_{{{t + 1}}}$: {reads}"
            ax.text(cx + 0.07, (below_top + y - half_h) / 2, what, ha="left", va="center", fontsize=small,
                    color=below_colour)
        # through time: the state (h, c) from the left edge (zeros) into step 1, between steps, out of the last
        for s in range(timesteps + 1):
            start = left_edge if s == 0 else spacing * (s - 1) + half_w
            end = spacing * s - half_w if s < timesteps else right_edge
            ax.annotate("", xy=(end, y), xytext=(start, y), arrowprops=dict(arrow, color=colour))
            label = "h, c = 0" if s == 0 else f"h, c: {units}"
            ax.text((start + end) / 2, y + 0.06, label, ha="center", va="bottom", fontsize=small, color=colour)
        reads = units

    # the top layer's output: every step, or only the last
    top, colour, y_top = sizes[-1], _LAYER_COLOURS[n_layers - 1], rows[-1]
    out_steps = range(timesteps) if return_sequences else [timesteps - 1]
    for t in out_steps:
        cx = spacing * t
        ax.annotate("", xy=(cx, y_out - 0.12), xytext=(cx, y_top + half_h), arrowprops=dict(arrow, color=colour))
        ax.text(cx, y_out, f"$h^{{({n_layers})}}_{{{t + 1}}}$: {top}", ha="center", va="bottom", fontsize=8,
                color=colour)
    which = "every step" if return_sequences else "last step only"
    ax.text(label_x, y_out, f"output\n({which})", ha="right", va="center", fontsize=8, color=colour)

    # Two short lines when the figure is narrow, so the legend never sets the figure's width.
    gap = "\n" if timesteps <= 2 else "  \u00b7  "
    legend = (f"\u2192 state h, c to the next step within a layer{gap}\u2191 h$_t$ up to the next layer at the "
              f"same step  \u00b7  numbers: vector sizes")
    ax.text((label_x - 1.25 + right_edge) / 2, ax.get_ylim()[0] + 0.03, legend, ha="center", va="bottom", fontsize=7.5,
            style="italic", color="#555555")
    return CourseFigure(fig, alt=stack_wiring_alt(sizes, features, timesteps, return_sequences))
