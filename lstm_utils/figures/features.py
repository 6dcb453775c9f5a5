"""Figure for chapter 02: every input feature feeds every gate, and each gate adds its features up in one
dot product. Hand-built SVG (see ``_svg.py`` for why): features on the left, the gates i, f, c̃, o on the right,
one line per kernel weight; a line's width is |weight|, its sign is told by colour *and* dash (solid positive,
dashed negative) and, up to 4 features, by the printed weight."""

import numbers

import numpy as np

from .._validate import finite, float_array
from ..gates import GATE_ORDER
from . import _style as st
from ._base import CourseFigure
from ._svg import Svg

#: The most features the diagram draws legibly (4 lines per feature).
MAX_FEATURES = 10
#: Up to this many features every line carries its weight as a label; beyond it the labels would overlap.
MAX_LABELLED_FEATURES = 4

_POSITIVE, _NEGATIVE = st.VERMILLION, st.BLUE


def _check_inputs(x_t, kernel, feature_names, unit):
    x_t = float_array(x_t, "x_t")
    if x_t.ndim != 1:
        raise ValueError(
            f"x_t must be 1-D (features,), one timestep of one sample, got shape {x_t.shape}"
        )
    features = x_t.shape[0]
    if features == 0:
        raise ValueError("x_t must hold at least one feature, got shape (0,)")
    if features > MAX_FEATURES:
        raise ValueError(
            f"the diagram draws at most {MAX_FEATURES} features legibly, got {features}: pass a slice"
        )
    kernel = float_array(kernel, "kernel")
    if kernel.ndim != 2:
        raise ValueError(
            f"kernel must be 2-D (features, 4*units) = ({features}, 4*units), got shape {kernel.shape}"
        )
    if kernel.shape[0] != features:
        hint = ""
        if kernel.shape[1] == features and kernel.shape[0] % 4 == 0:
            hint = ", which is PyTorch's transposed layout (4*hidden, input): pass kernel.T"
        raise ValueError(
            f"kernel must have one row per feature of x_t: expected ({features}, 4*units), "
            f"got shape {kernel.shape}{hint}"
        )
    if kernel.shape[1] == 0 or kernel.shape[1] % 4:
        raise ValueError(
            f"kernel must have 4*units columns (one block per gate i, f, c, o), got shape {kernel.shape}"
        )
    units = kernel.shape[1] // 4
    if isinstance(unit, bool) or not isinstance(unit, numbers.Integral):
        raise TypeError(
            f"unit must be an integer index of a unit, got {unit!r} ({type(unit).__name__})"
        )
    if not 0 <= unit < units:
        plural = "s" if units != 1 else ""
        raise ValueError(
            f"unit must be between 0 and {units - 1} (the kernel has {units} unit{plural}), got {unit}"
        )
    finite(x_t, "x_t")
    finite(kernel, "kernel")
    if feature_names is None:
        names = [f"x{j + 1}" for j in range(features)]
        labels = [f"x_{{{j + 1}}}" for j in range(features)]
    else:
        if isinstance(feature_names, str) or not hasattr(feature_names, "__len__"):
            raise TypeError(
                f"feature_names must be a list of {features} strings, got {type(feature_names).__name__}"
            )
        if len(feature_names) != features:
            raise ValueError(
                f"feature_names must name each of the {features} features, got {len(feature_names)} names"
            )
        if not all(isinstance(n, str) for n in feature_names):
            raise TypeError(
                f"feature_names must be strings, got {[type(n).__name__ for n in feature_names]}"
            )
        names = list(feature_names)
        labels = [n.replace("_", "\u2009").replace("^", "\u2009") for n in names]
    # The columns that belong to `unit`: column k*units + unit of each gate block k.
    columns = [k * units + unit for k in range(4)]
    return x_t, kernel[:, columns], names, labels, units


def _fmt(value, digits=2):
    text = f"{value:.{digits}f}"
    return "0." + "0" * digits if text == "-0." + "0" * digits else text


def plot_feature_mixing(x_t, kernel, feature_names=None, unit=0):
    """Draw how one timestep ``x_t`` reaches the four gates of one unit.

    ``x_t`` is ``(features,)``; ``kernel`` is Keras's ``(features, 4*units)`` (for one unit, ``(features, 4)``);
    ``unit`` picks which unit's columns to draw (counted from 0). Features sit on the left, the gates i, f, c̃, o
    on the right; every feature is joined to every gate by a line whose width is |weight|, solid and vermillion
    when positive, dashed and blue when negative, labelled with the weight (up to 4 features; the alt text
    always lists every weight). Each gate box shows its input part of the pre-activation, x_t · w_gate (the
    recurrent term and the bias are added on top and are not drawn).

    Returns a ``CourseFigure`` (SVG) whose alt text is generated from the shapes and values. Chapter 02::

        lu.figures.plot_feature_mixing(x[0, 0], kernel)
    """
    x_t, w, names, labels, units = _check_inputs(x_t, kernel, feature_names, unit)
    features = x_t.shape[0]
    sums = x_t @ w  # (4,): one dot product over all features per gate
    which = f"unit {unit + 1} of {units}" if units > 1 else "one unit"

    feats = ", ".join(f"{n} = {_fmt(v)}" for n, v in zip(names, x_t))
    per_gate = "; ".join(
        f"{'c̃' if name == 'c' else name} gets weights ({', '.join(_fmt(v) for v in w[:, g])}), "
        f"x_t·w = {_fmt(sums[g], 3)}"
        for g, name in enumerate(GATE_ORDER)
    )
    alt = (
        f"Diagram for {which}: the {features} feature{'s' if features > 1 else ''} of x_t on the left "
        f"({feats}) and the 4 gates i, f, c̃, o on the right, joined by {4 * features} lines, one per kernel "
        f"weight, so every feature reaches every gate; line width shows the size of the weight, solid "
        f"vermillion lines are positive, dashed blue lines negative. Each gate adds up all features in one "
        f"dot product: {per_gate}."
    )

    W = st.DIAGRAM_WIDTH
    top = 44.0
    per_feature = (
        92 if features <= MAX_LABELLED_FEATURES else 40
    )  # labelled lines need room to part
    height = max(300.0, top + 34 + per_feature * features)
    svg = Svg(
        W,
        height,
        title=f"Every feature feeds every gate ({which})",
        desc=alt,
        key="feature-mixing",
    )
    svg.text(
        W / 2, 14, f"Every feature feeds every gate ({which})", size=14, weight="bold"
    )
    svg.text(
        W / 2,
        31,
        "width = |weight|; solid: positive, dashed: negative",
        size=st.SMALL,
        fill=st.MUTED,
    )

    x_left, x_right = 92.0, 262.0
    span = height - top - 34
    feat_y = [top + span * (j + 0.5) / features for j in range(features)]
    gate_y = [top + span * (g + 0.5) / 4 for g in range(4)]
    biggest = float(np.max(np.abs(w))) or 1.0
    for g in range(4):
        for j in range(features):
            weight = float(w[j, g])
            positive = weight >= 0
            svg.line(
                [(x_left, feat_y[j]), (x_right, gate_y[g])],
                stroke=_POSITIVE if positive else _NEGATIVE,
                width=1.0 + 4.5 * abs(weight) / biggest,
                dash=None if positive else "6 3",
            )
    if features <= MAX_LABELLED_FEATURES:
        for g in range(4):
            for j in range(features):
                frac = 0.8  # near the gates, where the lines into one gate have parted
                lx = x_left + frac * (x_right - x_left)
                ly = feat_y[j] + frac * (gate_y[g] - feat_y[j])
                text = _fmt(float(w[j, g]))
                svg.rect(
                    lx - 4 * len(text) - 3,
                    ly - 8,
                    8 * len(text) + 6,
                    16,
                    fill=st.BACKGROUND,
                    rx=3,
                )
                svg.text(lx, ly, text, size=st.SMALL)
    for j in range(features):
        svg.rect(
            4,
            feat_y[j] - 14,
            x_left - 6,
            28,
            fill=st.PANEL,
            stroke=st.OUTLINE,
            stroke_width=1.2,
            rx=5,
        )
        svg.text(
            x_left - 6,
            feat_y[j],
            f"{labels[j]} = {_fmt(x_t[j])}",
            size=13,
            anchor="end",
        )
    for g, key in enumerate(GATE_ORDER):
        gate = st.GATE[key]
        svg.hatched_rect(x_right, gate_y[g] - 22, W - 4 - x_right, 44, gate)
        svg.rect(x_right + 4, gate_y[g] - 18, W - 12 - x_right, 36, fill=st.BACKGROUND)
        svg.text(
            x_right + 10,
            gate_y[g] - 8,
            f"{gate.letter}  {gate.name.replace(' gate', '')}",
            size=13,
            anchor="start",
            weight="bold",
        )
        svg.text(
            x_right + 10,
            gate_y[g] + 9,
            f"x_t·w = {_fmt(sums[g], 3)}",
            size=st.SMALL,
            anchor="start",
        )
    svg.text(
        W / 2,
        height - 12,
        "h_{t-1} U and b are added to x_t·w afterwards",
        size=st.SMALL,
        fill=st.MUTED,
    )
    return CourseFigure(
        svg=svg.render(), alt=alt, title=f"Every feature feeds every gate ({which})"
    )
