"""The weights as a labelled heat map (chapters 02 and 03): one row per input (a feature of x_t for W, a unit of
h_{t-1} for U, then b), one column per (gate, unit), in Keras's gate blocks i, f, c̃, o. Every cell prints its
value, so the colour (blue negative, vermillion positive, white 0) is never the only code. Hand-built SVG (see
``_svg.py``); the blocks wrap two or one per line when four side by side would be too small to read."""

import numpy as np

from .._validate import finite, float_array, lstm_weights_shapes
from . import _style as st
from ._base import CourseFigure
from ._checks import count
from ._svg import Svg, fmt

#: Rows (features + units + 1) and units per block that still print every value legibly on a phone.
MAX_ROWS = 14
MAX_UNITS = 8


def _label(v, digits):
    """The value as the reader typed it (1.2, not 1.200), else rounded to ``digits`` decimals."""
    r = round(float(v), digits)
    if abs(float(v) - r) <= 5e-7 * max(1.0, abs(r)):
        text = f"{r:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{r:.0f}"
        return "0" if text in ("-0", "") else text
    return fmt(v, digits)


def _colour(v, scale):
    """White at 0, up to 60 % Okabe–Ito vermillion (positive) or blue (negative): dark text stays above 6:1."""
    if scale == 0 or v == 0:
        return st.BACKGROUND
    return st.tint(st.VERMILLION if v > 0 else st.BLUE, 0.6 * min(1.0, abs(v) / scale))


def weight_heatmap_alt(kernel, recurrent_kernel, bias, digits):
    features, units = kernel.shape[0], kernel.shape[1] // 4
    parts = [f"W (kernel, {features} × {4 * units})"]
    if recurrent_kernel is not None:
        parts.append(f"U (recurrent_kernel, {units} × {4 * units})")
    if bias is not None:
        parts.append(f"b (bias, {4 * units})")
    blocks = []
    for k, gate in enumerate(st.GATES):
        cols = slice(k * units, (k + 1) * units)
        rows = [
            f"W row {j + 1}: " + ", ".join(_label(v, digits) for v in kernel[j, cols])
            for j in range(features)
        ]
        if recurrent_kernel is not None:
            rows += [
                f"U row {j + 1}: "
                + ", ".join(_label(v, digits) for v in recurrent_kernel[j, cols])
                for j in range(units)
            ]
        if bias is not None:
            rows.append("b: " + ", ".join(_label(v, digits) for v in bias[cols]))
        blocks.append(
            f"block {gate.key if gate.key != 'c' else 'c-tilde'} (columns {k * units + 1} to "
            f"{(k + 1) * units}): " + "; ".join(rows)
        )
    return (
        f"Heat map of the weights {' and '.join(parts)}, one row per input and one column per gate and unit, "
        f"{4 * units} columns in 4 gate blocks i, f, c-tilde, o of {units} "
        f"column{'s' if units != 1 else ''} each, one per unit. Every cell prints its value; blue cells are "
        f"negative, vermillion positive, darker means larger in absolute value. "
        + ". ".join(blocks)
        + "."
    )


def plot_weight_heatmap(kernel, recurrent_kernel=None, bias=None, *, digits=2):
    """Draw ``kernel`` (W), and if given ``recurrent_kernel`` (U) below it and ``bias`` (b) under both, as a heat map.

    Rows are what is read (W: one per feature of x_t; U: one per unit of h_{t-1}); columns are who reads it, in
    4 gate blocks i, f, c̃, o of ``units`` columns, column ``u`` of a block belonging to unit ``u``. Every cell
    prints its value (to ``digits`` decimals; a weight typed as 1.2 prints as 1.2). Up to 14 rows and 8 units.

    Returns a ``CourseFigure`` (SVG). Chapter 03::

        lu.figures.plot_weight_heatmap(kernel, recurrent_kernel, bias)
    """
    digits = count(
        digits, "digits", low=0, high=4, what=" (decimals printed in each cell)"
    )
    kernel = float_array(kernel, "kernel")
    if kernel.ndim != 2 or kernel.shape[1] == 0 or kernel.shape[1] % 4:
        raise ValueError(
            f"kernel must be 2-D (features, 4*units) with 4*units columns, got shape {kernel.shape}"
        )
    units = kernel.shape[1] // 4
    if recurrent_kernel is not None:
        kernel, recurrent_kernel, bias, units = lstm_weights_shapes(
            kernel, recurrent_kernel, bias
        )
    elif bias is not None:
        bias = float_array(bias, "bias")
        if bias.shape != (4 * units,):
            raise ValueError(
                f"bias must have shape (4*units,) = ({4 * units},) to match kernel {kernel.shape}, "
                f"got shape {bias.shape}"
            )
    features = kernel.shape[0]
    for arr, name in (
        (kernel, "kernel"),
        (recurrent_kernel, "recurrent_kernel"),
        (bias, "bias"),
    ):
        if arr is not None:
            finite(arr, name)
    n_rows = (
        features
        + (units if recurrent_kernel is not None else 0)
        + (1 if bias is not None else 0)
    )
    if n_rows > MAX_ROWS or units > MAX_UNITS:
        raise ValueError(
            f"the heat map prints every weight legibly for at most {MAX_ROWS} rows and {MAX_UNITS} units, got "
            f"{n_rows} rows and {units} units: pass a slice, e.g. kernel[:, :4*k] is not a slice of units "
            f"(use lu.split_gates), or draw the shapes alone with plot_step_shapes"
        )

    rows = [("W", j, kernel[j]) for j in range(features)]
    if recurrent_kernel is not None:
        rows += [("U", j, recurrent_kernel[j]) for j in range(units)]
    if bias is not None:
        rows.append(("b", 0, bias))
    values = np.concatenate([r[2] for r in rows])
    scale = float(np.max(np.abs(values)))
    labels = [[_label(v, digits) for v in r[2]] for r in rows]
    longest = max(len(t) for row in labels for t in row)

    W = st.DIAGRAM_WIDTH
    label_w = 62
    cell_w = max(30.0 if units > 1 else 44.0, 7.4 * longest + 8)
    row_h = 22.0
    per_line = next(
        k for k in (4, 2, 1) if label_w + k * units * cell_w + (k - 1) * 10 <= W - 8
    )
    if label_w + units * cell_w > W - 8:
        raise ValueError(
            f"{units} units of {longest}-character values do not fit legibly; pass digits=1 or fewer "
            "units"
        )
    block_w = units * cell_w
    block_h = 20 + 16 + n_rows * row_h + (6 if recurrent_kernel is not None else 0)
    lines = 4 // per_line
    title_h = 30
    height = title_h + lines * (block_h + 14) + 22
    alt = weight_heatmap_alt(kernel, recurrent_kernel, bias, digits)
    name = " and ".join(
        n
        for n, a in (("W", kernel), ("U", recurrent_kernel), ("b", bias))
        if a is not None
    )
    svg = Svg(W, height, title=f"Heat map of {name}", desc=alt, key="weight-heatmap")
    shapes = (
        [f"W {features}×{4 * units}"]
        + ([f"U {units}×{4 * units}"] if recurrent_kernel is not None else [])
        + ([f"b {4 * units}"] if bias is not None else [])
    )
    svg.text(
        W / 2,
        15,
        ("[[W]; [U]]" if recurrent_kernel is not None else "W")
        + ": "
        + ", ".join(shapes),
        size=14,
        weight="bold",
    )

    for k, gate in enumerate(st.GATES):
        line, pos = divmod(k, per_line)
        x0 = label_w + pos * (block_w + 10)
        y0 = title_h + line * (block_h + 14)
        svg.hatched_rect(x0, y0, block_w, 20, gate)
        tag = f"{gate.letter} block" if block_w >= 76 else gate.letter
        pad = 68 if block_w >= 76 else 22
        svg.rect(x0 + block_w / 2 - pad / 2, y0 + 3, pad, 14, fill=st.BACKGROUND)
        svg.text(x0 + block_w / 2, y0 + 10, tag, size=st.SMALL, weight="bold")
        for u in range(units):
            svg.text(
                x0 + (u + 0.5) * cell_w,
                y0 + 28,
                f"unit {u + 1}" if cell_w >= 44 else str(u + 1),
                size=st.SMALL,
                fill=st.MUTED,
            )
        y = y0 + 36
        for r, (kind, j, row) in enumerate(rows):
            if kind == "U" and j == 0 or kind == "b" and recurrent_kernel is not None:
                y += 3
            if pos == 0:
                text = {"W": f"W x[{j + 1}]", "U": f"U h[{j + 1}]", "b": "b"}[kind]
                svg.text(x0 - 6, y + row_h / 2, text, size=st.SMALL, anchor="end")
            for u in range(units):
                v = row[k * units + u]
                svg.rect(
                    x0 + u * cell_w,
                    y,
                    cell_w,
                    row_h,
                    fill=_colour(float(v), scale),
                    stroke=st.OUTLINE,
                    stroke_width=0.7,
                    dash="3 2" if kind == "U" else None,
                )
                svg.text(
                    x0 + (u + 0.5) * cell_w,
                    y + row_h / 2,
                    labels[r][k * units + u],
                    size=st.SMALL,
                )
            y += row_h
        svg.rect(
            x0, y0 + 36, block_w, y - y0 - 36, stroke=gate.colour, stroke_width=1.6
        )
    svg.text(
        W / 2,
        height - 11,
        "blue: negative · white: 0 · vermillion: positive",
        size=st.SMALL,
        fill=st.MUTED,
    )
    return CourseFigure(svg=svg.render(), alt=alt, title=f"Heat map of {name}")
