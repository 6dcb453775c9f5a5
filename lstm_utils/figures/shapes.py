"""The shapes of one step (chapters 02 and 03): ``[x_t | h_{t-1}] @ [[W]; [U]] + b`` gives ``z``, cut into four
gate blocks of ``units`` columns. Drawn for any ``(features, units)``: every row and column as a cell when they fit
on a phone, otherwise each part as one labelled block. Hand-built SVG (see ``_svg.py`` for why)."""

from ..params import count_params
from . import _style as st
from ._base import CourseFigure
from ._checks import count
from ._svg import Svg

#: Up to these sizes every row and column is drawn as its own cell; beyond, each part is one labelled block.
GRID_MAX_COLUMNS = 16  # 4 * units
GRID_MAX_ROWS = 10  # features + units


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def step_shapes_alt(features, units):
    """The alt text of :func:`plot_step_shapes`."""
    rows, cols = features + units, 4 * units
    return (
        f"The shapes of one LSTM step with {_plural(features, 'feature')} and {_plural(units, 'unit')}. "
        f"The input x_t ({_plural(features, 'number')}) and the previous output h_t-1 "
        f"({_plural(units, 'number')}) are joined into one row [x_t | h_t-1] of {rows}. It multiplies the "
        f"stacked weights [[W]; [U]], {rows} rows × {cols} columns: W (kernel, {features} × {cols}) on top, one "
        f"row per feature, and U (recurrent_kernel, {units} × {cols}) below, one row per unit of h_t-1. Adding b "
        f"(bias, {cols} numbers) gives z, {cols} numbers. The columns of W, U, b and z come in 4 gate blocks in "
        f"Keras's order i, f, c-tilde, o, each {_plural(units, 'column')} wide, one column per unit: "
        f"i = σ(z_i), f = σ(z_f), c-tilde = tanh(z_c), o = σ(z_o), each {_plural(units, 'number')}. "
        f"Parameters: {rows} × {cols} + {cols} = {count_params(units, features)} = 4 · {units} · ({features} + "
        f"{units} + 1); the number of timesteps appears nowhere."
    )


def plot_step_shapes(features, units):
    """Draw the shapes of one LSTM step for ``features`` input features and ``units`` units.

    From the top: the row ``[x_t | h_{t-1}]`` (``features + units`` numbers), the stacked weights ``[[W]; [U]]``
    (``(features + units) × 4·units``, W = kernel on top, U = recurrent_kernel below), ``+ b`` (``4·units``),
    ``= z``, and z cut into the gate blocks i, f, c̃, o of ``units`` columns each, one column per unit. Gate
    blocks are told apart by letter, hatching and colour. Up to 4 units and 10 rows every cell is drawn;
    larger layers (``LSTM(32)`` on 64 features) are drawn as labelled blocks.

    Returns a ``CourseFigure`` (SVG). Chapter 02 and 03::

        lu.figures.plot_step_shapes(features=2, units=1)     # chapter 02
        lu.figures.plot_step_shapes(features=2, units=3)     # chapter 03
    """
    features = count(features, "features", what=" (the number of features of x_t)")
    units = count(units, "units", what=" (the number of units of the layer)")
    rows, cols = features + units, 4 * units
    grid = cols <= GRID_MAX_COLUMNS and rows <= GRID_MAX_ROWS
    alt = step_shapes_alt(features, units)

    W = st.DIAGRAM_WIDTH
    left = 80  # row labels and brackets
    avail = W - left - 12
    cell = min(40.0, avail / cols) if grid else None
    gap = 6.0
    block_w = units * cell if grid else (avail - 3 * gap) / 4
    step = block_w + (0 if grid else gap)
    mat_w = cols * cell if grid else avail
    row_h = min(24.0, cell) if grid else None
    numbered = grid and cell >= 14

    def block_x(k):
        return left + k * step

    if grid:
        w_h, u_h = features * row_h, units * row_h
    else:
        w_h = max(30.0, min(110.0, 28.0 * features**0.5))
        u_h = max(30.0, min(110.0, 28.0 * units**0.5))

    y_title = 18.0
    y_vec = y_title + 34  # the input row
    vec_h = 24.0
    y_head = y_vec + vec_h + 30  # gate header strip
    head_h = 20.0
    y_mat = y_head + head_h + (18 if numbered else 2)
    y_u = y_mat + w_h
    y_b = y_u + u_h + 20
    y_z = y_b + 40
    y_split = y_z + 62
    y_note = y_split + 62
    height = y_note + 20
    svg = Svg(
        W,
        height,
        title=f"Shapes of one LSTM step, {features} features, {units} units",
        desc=alt,
        key="step-shapes",
    )

    svg.text(
        W / 2,
        y_title,
        f"One step of LSTM({units}) on {_plural(features, 'feature')}",
        size=15,
        weight="bold",
    )

    # --------------------------------------------------------------- [x_t | h_{t-1}]
    vec_cell = min(40.0, avail / rows) if rows <= 14 else None
    svg.text(left - 14, y_vec + vec_h / 2, "[x_t | h_{t-1}]", size=13, anchor="end")
    if vec_cell:
        x_w, h_w = features * vec_cell, units * vec_cell
        svg.rect(left, y_vec, x_w, vec_h, fill=st.PANEL)
        lines = "".join(
            f"M{left + j * vec_cell:.2f},{y_vec}v{vec_h}" for j in range(1, rows)
        )
        svg.path(lines, stroke=st.OUTLINE, width=1)
    else:
        x_w = max(40.0, avail * features / rows)
        h_w = avail - x_w
        svg.rect(left, y_vec, x_w, vec_h, fill=st.PANEL)
    svg.rect(left, y_vec, x_w, vec_h, stroke=st.OUTLINE, stroke_width=1.4)
    svg.rect(
        left + x_w, y_vec, h_w, vec_h, stroke=st.OUTLINE, stroke_width=1.4, dash="4 2"
    )
    svg.text(
        left + x_w / 2,
        y_vec - 10,
        f"x_t: {features}",
        size=st.SMALL,
        anchor="middle" if x_w >= 40 else "start",
    )
    svg.text(
        left + x_w + h_w / 2,
        y_vec - 10,
        f"h_{{t-1}}: {units}",
        size=st.SMALL,
        anchor="middle" if h_w >= 50 else "start",
    )
    if left + x_w + h_w + 40 <= W:
        svg.text(
            left + x_w + h_w + 5,
            y_vec + vec_h / 2,
            f"1 × {rows}",
            size=st.SMALL,
            anchor="start",
            fill=st.MUTED,
        )
    svg.text(left - 14, y_head - 2, "×", size=16, anchor="end")

    # --------------------------------------------------------------- gate header strip and unit numbers
    for k, gate in enumerate(st.GATES):
        x0 = block_x(k)
        svg.hatched_rect(x0, y_head, block_w, head_h, gate)
        label = gate.letter if block_w < 48 else f"{gate.letter}: {units}"
        pad = 24 if len(label) < 3 else min(block_w - 6, 44)
        svg.rect(
            x0 + (block_w - pad) / 2, y_head + 3, pad, head_h - 6, fill=st.BACKGROUND
        )
        svg.text(x0 + block_w / 2, y_head + head_h / 2, label, size=13, weight="bold")
        if numbered:
            for u in range(units):
                svg.text(
                    x0 + (u + 0.5) * cell,
                    y_head + head_h + 9,
                    str(u + 1),
                    size=st.SMALL,
                    fill=st.MUTED,
                )

    # --------------------------------------------------------------- [[W]; [U]]
    for k, gate in enumerate(st.GATES):
        x0 = block_x(k)
        svg.rect(x0, y_mat, block_w, w_h, fill=gate.tint)
        if not grid:
            svg.rect(
                x0, y_mat, block_w, w_h + u_h, stroke=gate.colour, stroke_width=1.5
            )
            svg.text(
                x0 + block_w / 2,
                y_mat + w_h / 2,
                f"{features} × {units}",
                size=st.SMALL,
            )
            svg.text(
                x0 + block_w / 2, y_u + u_h / 2, f"{units} × {units}", size=st.SMALL
            )
    if grid:
        cols_d = "".join(
            f"M{left + c * cell:.2f},{y_mat}v{w_h + u_h}"
            for c in range(1, cols)
            if c % units
        )
        w_rows = "".join(
            f"M{left},{y_mat + j * row_h:.2f}h{mat_w:.2f}" for j in range(1, features)
        )
        u_rows = "".join(
            f"M{left},{y_u + j * row_h:.2f}h{mat_w:.2f}" for j in range(1, units)
        )
        svg.path(cols_d + w_rows, stroke=st.OUTLINE, width=0.8)
        if u_rows:
            svg.raw(
                f'<path d="{u_rows}" stroke="{st.OUTLINE}" stroke-width="0.8" stroke-dasharray="3 2"/>'
            )
        for k, gate in enumerate(st.GATES):
            svg.rect(
                block_x(k),
                y_mat,
                block_w,
                w_h + u_h,
                stroke=gate.colour,
                stroke_width=1.5,
            )
    # brackets and labels: W rows, U rows
    for y0, h, name, n in ((y_mat, w_h, "W", features), (y_u, u_h, "U", units)):
        svg.line(
            [
                (left - 6, y0 + 1),
                (left - 10, y0 + 1),
                (left - 10, y0 + h - 1),
                (left - 6, y0 + h - 1),
            ],
            stroke=st.TEXT,
            width=1.3,
        )
        if h >= 34:
            svg.text(
                left - 15, y0 + h / 2 - 8, name, size=15, weight="bold", anchor="end"
            )
            svg.text(
                left - 15,
                y0 + h / 2 + 9,
                f"{n} × {cols}",
                size=st.SMALL,
                anchor="end",
                fill=st.MUTED,
            )
        else:
            svg.text(left - 15, y0 + h / 2, f"{name} {n}×{cols}", size=13, anchor="end")
    svg.line([(left, y_u), (left + mat_w, y_u)], stroke=st.TEXT, width=2)

    # --------------------------------------------------------------- + b, = z
    for yy, name, filled in ((y_b, "b", False), (y_z, "z", True)):
        svg.text(
            left - 15,
            yy + 4,
            ("+ " if name == "b" else "= ") + name,
            size=15,
            weight="bold",
            anchor="end",
        )
        svg.text(
            left - 15, yy + 20, str(cols), size=st.SMALL, anchor="end", fill=st.MUTED
        )
        for k, gate in enumerate(st.GATES):
            x0 = block_x(k)
            if filled:
                svg.hatched_rect(x0, yy, block_w, 22, gate, stroke=False)
            else:
                svg.rect(x0, yy, block_w, 22, fill=gate.tint)
        if grid:
            svg.path(
                "".join(
                    f"M{left + c * cell:.2f},{yy}v22"
                    for c in range(1, cols)
                    if c % units
                ),
                stroke=st.OUTLINE,
                width=0.8,
            )
        for k, gate in enumerate(st.GATES):
            svg.rect(block_x(k), yy, block_w, 22, stroke=gate.colour, stroke_width=1.6)
    for k, gate in enumerate(st.GATES):
        sub = "c\u0303" if gate.key == "c" else gate.key
        svg.rect(block_x(k) + block_w / 2 - 13, y_z + 2, 26, 18, fill=st.BACKGROUND)
        svg.text(block_x(k) + block_w / 2, y_z + 10, f"z_{{{sub}}}", size=13)

    # --------------------------------------------------------------- split into gates, one box per gate
    gw = (avail - 3 * gap) / 4
    for k, gate in enumerate(st.GATES):
        x0 = left + k * (gw + gap)
        svg.line(
            [(block_x(k) + block_w / 2, y_z + 24), (x0 + gw / 2, y_split - 2)],
            stroke=gate.colour,
            width=1.6,
            arrow=True,
        )
        svg.hatched_rect(x0, y_split, gw, 34, gate)
        svg.rect(x0 + 4, y_split + 4, gw - 8, 26, fill=st.BACKGROUND)
        svg.text(
            x0 + gw / 2,
            y_split + 17,
            f"{gate.letter} = {gate.activation}",
            size=13,
            weight="bold",
        )
        svg.text(
            x0 + gw / 2,
            y_split + 47,
            _plural(units, "unit"),
            size=st.SMALL,
            fill=st.MUTED,
        )
    svg.text(
        W / 2,
        y_note,
        f"{count_params(units, features)} parameters = {rows} × {cols} + {cols}",
        size=13,
        fill=st.TEXT,
    )
    return CourseFigure(
        svg=svg.render(),
        alt=alt,
        title=f"Shapes of one LSTM step ({features} features, {units} units)",
    )
