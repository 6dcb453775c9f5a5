"""Wide against stacked (chapter 05): the weights of a stack of LSTM layers and of one wider layer, every matrix
drawn to scale (one small square per weight), so the reader sees where a parameter budget goes: W grows with the
inputs, U with the square of a layer's units. Hand-built SVG (see ``_svg.py`` for why)."""

import numbers
from collections.abc import Mapping, Set

from .._validate import positive_int
from . import _style as st
from ._base import CourseFigure
from ._svg import Svg

MAX_LAYERS = 3
MAX_UNITS = 16
MAX_FEATURES = 16


def _sizes(value, name):
    # a dict or a set has a length too, but no order of layers (a dict would give its keys)
    if isinstance(value, (str, bytes, numbers.Number, Mapping, Set)) or not hasattr(value, "__len__"):
        raise TypeError(
            f"{name} must be a list with one unit count per layer, e.g. [4, 6]; got {value!r} "
            f"({type(value).__name__})"
        )
    if not 1 <= len(value) <= MAX_LAYERS:
        raise ValueError(
            f"{name} must list between 1 and {MAX_LAYERS} layers, got {len(value)}: {list(value)}"
        )
    sizes = [positive_int(u, f"{name}[{k}]") for k, u in enumerate(value)]
    if max(sizes) > MAX_UNITS:
        raise ValueError(
            f"{name}: at most {MAX_UNITS} units per layer are drawn to scale, got {sizes}"
        )
    return sizes


def _layers(sizes, features):
    """(units, reads) for each layer of a stack, bottom first."""
    out, reads = [], features
    for units in sizes:
        out.append((units, reads))
        reads = units
    return out


def _split(layers):
    kernel = sum(4 * u * r for u, r in layers)
    recurrent = sum(4 * u * u for u, _ in layers)
    bias = sum(4 * u for u, _ in layers)
    return kernel, recurrent, bias


def wide_vs_stacked_alt(stacked, wide, features):
    s_layers, w_layers = _layers(stacked, features), _layers([wide], features)
    sk, sr, sb = _split(s_layers)
    wk, wr, wb = _split(w_layers)
    layers = "; ".join(
        f"layer {k + 1}, LSTM({u}) reading {r}: W {r} × {4 * u} = {4 * u * r}, U {u} × {4 * u} = {4 * u * u}, "
        f"b {4 * u}"
        for k, (u, r) in enumerate(s_layers)
    )
    return (
        f"Two models on {features} features, their weight matrices drawn to scale, one small square per "
        f"weight, each matrix cut into the 4 gate blocks i, f, c-tilde, o. The stack "
        f"{' then '.join(f'LSTM({u})' for u in stacked)} has {sk + sr + sb} parameters: {layers}. The wide "
        f"LSTM({wide}) has {wk + wr + wb} parameters: W {features} × {4 * wide} = {wk}, U {wide} × {4 * wide} = "
        f"{wr}, b {wb}. By part, stack against wide: kernel {sk} against {wk}, recurrent_kernel {sr} against "
        f"{wr}, bias {sb} against {wb}. The stack has {sum(stacked)} units in all yet fewer recurrent weights, "
        f"because U grows with the square of a layer's units, and only its first layer reads the raw "
        f"features; every unit of the wide layer reads all {features} features and all {wide} previous outputs."
    )


def plot_wide_vs_stacked(stacked_units, wide_units, features):
    """Draw the weights of a stack of LSTM layers against those of one wide layer, every matrix to scale.

    ``stacked_units`` lists the units of the stacked layers from the bottom (``[4, 6]``), ``wide_units`` the units
    of the single wide layer (``8``), ``features`` the input features both read. For each layer: W
    (``reads × 4·units``), U (``units × 4·units``) and b (``4·units``), one small square per weight, cut into the
    gate blocks i, f, c̃, o, with their counts; the totals by part at the bottom.

    Returns a ``CourseFigure`` (SVG). Chapter 05::

        lu.figures.plot_wide_vs_stacked([4, 6], wide_units=8, features=5)
    """
    stacked = _sizes(stacked_units, "stacked_units")
    wide = positive_int(wide_units, "wide_units")
    if wide > MAX_UNITS:
        raise ValueError(
            f"wide_units: at most {MAX_UNITS} units are drawn to scale, got {wide}"
        )
    features = positive_int(features, "features")
    if features > MAX_FEATURES:
        raise ValueError(
            f"features: at most {MAX_FEATURES} features are drawn to scale, got {features}"
        )
    alt = wide_vs_stacked_alt(stacked, wide, features)
    s_layers, w_layers = _layers(stacked, features), _layers([wide], features)

    W = st.DIAGRAM_WIDTH
    x0 = 8.0
    biggest = max(4 * u for u in stacked + [wide])
    s = min(7.0, 200.0 / biggest)  # units per weight
    label_x = x0 + biggest * s + 10

    def layer_height(u, r):
        return 34 + max(r * s, 16) + 6 + max(u * s, 16) + 6 + max(s, 5) + 8

    panels = [
        (f"Stack: {' → '.join(f'LSTM({u})' for u in stacked)}", s_layers),
        (f"Wide: LSTM({wide})", w_layers),
    ]
    height = (
        20.0
        + sum(30 + sum(layer_height(u, r) for u, r in layers) for _, layers in panels)
        + 94
    )
    svg = Svg(
        W,
        height,
        title=f"Stacked {stacked} against wide LSTM({wide}) on {features} features",
        desc=alt,
        key="wide-vs-stacked",
    )
    y = 8.0
    for title, layers in panels:
        k_, r_, b_ = _split(layers)
        svg.text(
            x0,
            y + 12,
            f"{title}: {k_ + r_ + b_} parameters",
            size=14,
            anchor="start",
            weight="bold",
        )
        y += 30
        for k, (u, r) in enumerate(layers):
            svg.text(
                x0,
                y + 10,
                f"layer {k + 1}: LSTM({u}) reads {r}"
                if len(layers) > 1
                else f"LSTM({u}) reads {r}",
                size=st.SMALL,
                anchor="start",
                fill=st.MUTED,
            )
            y += 24
            for name, rows, dash in (("W", r, None), ("U", u, "3 2"), ("b", 1, None)):
                h = max(rows * s, 5 if name == "b" else 16)
                for g, gate in enumerate(st.GATES):
                    svg.rect(x0 + g * u * s, y, u * s, h, fill=gate.tint)
                # one square per weight: the grid, then the gate blocks' outlines
                grid = "".join(
                    f"M{x0 + c * s:.2f},{y:.2f}v{h:.2f}"
                    for c in range(1, 4 * u)
                    if c % u
                ) + "".join(
                    f"M{x0:.2f},{y + j * s:.2f}h{4 * u * s:.2f}" for j in range(1, rows)
                )
                if grid and s >= 4:
                    svg.path(grid, stroke="#FFFFFF", width=0.6)
                for g, gate in enumerate(st.GATES):
                    svg.rect(
                        x0 + g * u * s,
                        y,
                        u * s,
                        h,
                        stroke=gate.colour,
                        stroke_width=1.2,
                        dash=dash,
                    )
                count = rows * 4 * u
                label = (
                    f"{name} {rows} × {4 * u} = {count}"
                    if name != "b"
                    else f"b {4 * u}"
                )
                svg.text(label_x, y + h / 2, label, size=st.SMALL, anchor="start")
                y += h + 6
            y += 4
    sk, sr, sb = _split(s_layers)
    wk, wr, wb = _split(w_layers)
    svg.line([(x0, y), (W - 8, y)], stroke=st.OUTLINE, width=0.8)
    table = [
        ("by part", "stack", "wide"),
        ("W (kernel)", sk, wk),
        ("U (recurrent_kernel)", sr, wr),
        ("b (bias)", sb, wb),
        ("total", sk + sr + sb, wk + wr + wb),
    ]
    for j, (name, a, b) in enumerate(table):
        yy = y + 14 + j * 17
        bold = "bold" if j in (0, 4) else None
        svg.text(x0, yy, name, size=st.SMALL, anchor="start", weight=bold)
        svg.text(250, yy, str(a), size=st.SMALL, anchor="end", weight=bold)
        svg.text(320, yy, str(b), size=st.SMALL, anchor="end", weight=bold)
    return CourseFigure(svg=svg.render(), alt=alt, title=svg.title)
