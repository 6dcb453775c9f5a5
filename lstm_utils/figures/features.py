"""Figure for chapter 02: every input feature feeds every gate, and each gate adds its features up in one
dot product. matplotlib is imported only inside the function, so `import lstm_utils` needs numpy alone."""

import numbers

import numpy as np

from .._validate import finite, float_array
from ..gates import GATE_ORDER
from ._base import CourseFigure, new_figure

#: The most features the diagram draws legibly (4 lines per feature).
MAX_FEATURES = 10
#: Up to this many features every line carries its weight as a label; beyond it the labels would overlap.
MAX_LABELLED_FEATURES = 4

_GATE_LABELS = {"i": "i  (input gate)", "f": "f  (forget gate)", "c": "c̃  (candidate)", "o": "o  (output gate)"}
_GATE_MATH = {"i": r"$x_t \cdot w_i$", "f": r"$x_t \cdot w_f$", "c": r"$x_t \cdot w_{\tilde{c}}$",
              "o": r"$x_t \cdot w_o$"}
_POSITIVE, _NEGATIVE = "#1f77b4", "#d62728"


def _check_inputs(x_t, kernel, feature_names, unit):
    x_t = float_array(x_t, "x_t")
    if x_t.ndim != 1:
        raise ValueError(f"x_t must be 1-D (features,), one timestep of one sample, got shape {x_t.shape}")
    features = x_t.shape[0]
    if features == 0:
        raise ValueError("x_t must hold at least one feature, got shape (0,)")
    if features > MAX_FEATURES:
        raise ValueError(f"the diagram draws at most {MAX_FEATURES} features legibly, got {features}: pass a slice")
    kernel = float_array(kernel, "kernel")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D (features, 4*units) = ({features}, 4*units), got shape {kernel.shape}")
    if kernel.shape[0] != features:
        hint = ""
        if kernel.shape[1] == features and kernel.shape[0] % 4 == 0:
            hint = ", which is PyTorch's transposed layout (4*hidden, input): pass kernel.T"
        raise ValueError(
            f"kernel must have one row per feature of x_t: expected ({features}, 4*units), "
            f"got shape {kernel.shape}{hint}")
    if kernel.shape[1] == 0 or kernel.shape[1] % 4:
        raise ValueError(
            f"kernel must have 4*units columns (one block per gate i, f, c, o), got shape {kernel.shape}")
    units = kernel.shape[1] // 4
    if isinstance(unit, bool) or not isinstance(unit, numbers.Integral):
        raise TypeError(f"unit must be an integer index of a unit, got {unit!r} ({type(unit).__name__})")
    if not 0 <= unit < units:
        plural = "s" if units != 1 else ""
        raise ValueError(f"unit must be between 0 and {units - 1} (the kernel has {units} unit{plural}), got {unit}")
    finite(x_t, "x_t")
    finite(kernel, "kernel")
    if feature_names is None:
        names = [f"x{j + 1}" for j in range(features)]
        labels = [rf"$x_{{{j + 1}}}$" for j in range(features)]
    else:
        if isinstance(feature_names, str) or not hasattr(feature_names, "__len__"):
            raise TypeError(
                f"feature_names must be a list of {features} strings, got {type(feature_names).__name__}")
        if len(feature_names) != features:
            raise ValueError(
                f"feature_names must name each of the {features} features, got {len(feature_names)} names")
        if not all(isinstance(n, str) for n in feature_names):
            raise TypeError(f"feature_names must be strings, got {[type(n).__name__ for n in feature_names]}")
        names = list(feature_names)
        labels = [n.replace("$", r"\$") for n in names]
    # The columns that belong to `unit`: column k*units + unit of each gate block k.
    columns = [k * units + unit for k in range(4)]
    return x_t, kernel[:, columns], names, labels, units


def _fmt(value, digits=2):
    text = f"{value:.{digits}f}"
    return "0." + "0" * digits if text == "-0." + "0" * digits else text


def plot_feature_mixing(x_t, kernel, feature_names=None, unit=0):
    """Draw how one timestep ``x_t`` reaches the four gates of one unit.

    ``x_t`` is ``(features,)``; ``kernel`` is Keras's ``(features, 4*units)`` (for one unit, ``(features, 4)``);
    ``unit`` picks which unit's columns to draw. Features sit on the left, the gates i, f, c̃, o on the right;
    every feature is joined to every gate by a line whose width is |weight| and whose colour is its sign,
    labelled with the weight (up to 4 features; the alt text always lists every weight). Each gate box shows
    its input part of the pre-activation, x_t · w_gate (the recurrent term and the bias are added on top and
    are not drawn).

    Returns a ``CourseFigure`` whose alt text is generated from the shapes and values.
    """
    x_t, w, names, labels, units = _check_inputs(x_t, kernel, feature_names, unit)
    features = x_t.shape[0]
    sums = x_t @ w  # (4,): one dot product over all features per gate

    fig = new_figure(8.0, 3.8)
    ax = fig.add_subplot()
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.0)
    ax.axis("off")

    x_left, x_right = 0.17, 0.70
    feat_y = np.linspace(0.88, 0.12, features) if features > 1 else np.array([0.5])
    gate_y = np.linspace(0.86, 0.14, 4)
    biggest = float(np.max(np.abs(w))) or 1.0

    for g, name in enumerate(GATE_ORDER):
        # Weight labels sit at a different fraction of the way along for each gate, so they do not pile up.
        frac = 0.30 + 0.14 * g
        for j in range(features):
            weight = float(w[j, g])
            colour = _POSITIVE if weight >= 0 else _NEGATIVE
            ax.plot([x_left, x_right], [feat_y[j], gate_y[g]], color=colour, alpha=0.75,
                    linewidth=0.8 + 4.2 * abs(weight) / biggest, solid_capstyle="round", zorder=1)
            if features > MAX_LABELLED_FEATURES:
                continue
            lx = x_left + frac * (x_right - x_left)
            ly = feat_y[j] + frac * (gate_y[g] - feat_y[j])
            ax.text(lx, ly, _fmt(weight), fontsize=7, color=colour, ha="center", va="center", zorder=3,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})

    for j in range(features):
        ax.text(x_left - 0.01, feat_y[j], f"{labels[j]} = {_fmt(x_t[j])}", ha="right", va="center", fontsize=10,
                zorder=4, bbox={"boxstyle": "round,pad=0.3", "facecolor": "#f2f2f2", "edgecolor": "#555555"})
    for g, name in enumerate(GATE_ORDER):
        ax.text(x_right + 0.01, gate_y[g], f"{_GATE_LABELS[name]}\n{_GATE_MATH[name]} = {_fmt(sums[g], 3)}",
                ha="left", va="center", fontsize=9, zorder=4,
                bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fff8e6", "edgecolor": "#555555"})

    which = f"unit {unit} of {units}" if units > 1 else "one unit"
    ax.set_title(f"Every feature feeds every gate ({which}): each gate sums over all features\n"
                 "line width = |weight|, blue = positive, red = negative; recurrent term and bias not drawn",
                 fontsize=9)

    feats = ", ".join(f"{n} = {_fmt(v)}" for n, v in zip(names, x_t))
    per_gate = "; ".join(
        f"{'c̃' if name == 'c' else name} gets weights ({', '.join(_fmt(v) for v in w[:, g])}), "
        f"x_t·w = {_fmt(sums[g], 3)}"
        for g, name in enumerate(GATE_ORDER))
    alt = (f"Diagram for {which}: the {features} feature{'s' if features > 1 else ''} of x_t on the left "
           f"({feats}) and the 4 gates i, f, c̃, o on the right, joined by {4 * features} lines, one per kernel "
           f"weight, so every feature reaches every gate; line width shows the size of the weight, blue positive, "
           f"red negative. Each gate adds up all features in one dot product: {per_gate}.")
    return CourseFigure(fig, alt=alt)
