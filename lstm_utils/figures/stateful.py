"""A long series cut into stateful batches (chapter 07): each row of the batch is one long sequence, cut into
chunks; one call of the layer reads one chunk of every row, and row n's final (h, c) is where row n of the next
call starts. Hand-built SVG (see ``_svg.py`` for why)."""

import numpy as np

from .._validate import finite, float_array
from . import _style as st
from ._base import CourseFigure
from ._checks import count
from ._svg import Svg, fmt

MAX_ROWS = 4
MAX_STEPS = 12  # steps_per_batch * n_batches
MAX_BATCHES = 3
MAX_PRINTED_UNITS = 4


def _check_carried(carried, n_batches, n_rows, units):
    if carried is None:
        return None
    if not isinstance(carried, (list, tuple)):
        raise TypeError(
            f"carried must be a list of (h, c) pairs, one per hand-over between calls, got "
            f"{type(carried).__name__}"
        )
    if len(carried) == 2 and all(np.ndim(a) == 2 for a in carried):
        raise TypeError(
            "carried must be a list of (h, c) pairs, one per hand-over; for one hand-over pass "
            "[(h, c)], not (h, c)"
        )
    if len(carried) != n_batches - 1:
        raise ValueError(
            f"carried must hold one (h, c) pair per hand-over: {n_batches - 1} for {n_batches} "
            f"batches, got {len(carried)}"
        )
    out = []
    for k, pair in enumerate(carried):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError(
                f"carried[{k}] must be a pair (h, c), got {type(pair).__name__}"
            )
        arrays = []
        for arr, name in zip(pair, ("h", "c")):
            label = f"carried[{k}] {name}"
            arr = finite(float_array(arr, label), label)
            want = (n_rows, units) if units is not None else None
            if (
                arr.ndim != 2
                or (want is not None and arr.shape != want)
                or arr.shape[0] != n_rows
            ):
                raise ValueError(
                    f"{label} must be (batch, units) = ({n_rows}, {units if units else 'units'}), "
                    f"as in layer.states, got shape {arr.shape}"
                )
            arrays.append(arr)
        if arrays[0].shape != arrays[1].shape:
            raise ValueError(
                f"carried[{k}]: h and c must have the same shape, got {arrays[0].shape} and "
                f"{arrays[1].shape}"
            )
        out.append(arrays)
    if out and out[0][0].shape[1] > MAX_PRINTED_UNITS:
        raise ValueError(
            f"carried states are printed for at most {MAX_PRINTED_UNITS} units, got "
            f"{out[0][0].shape[1]}"
        )
    return out


def _vec(v):
    return "(" + ", ".join(fmt(a) for a in v) + ")"


def stateful_batches_alt(n_rows, per_batch, n_batches, units, carried):
    total = per_batch * n_batches
    letters = "ABC"[:n_batches]
    calls = "; ".join(
        f"batch {letters[b]} (call {b + 1}) holds steps {b * per_batch + 1} to {(b + 1) * per_batch} "
        f"of every sequence"
        for b in range(n_batches)
    )
    size = f" ({units} numbers each)" if units else ""
    alt = (
        f"Diagram of a stateful LSTM reading {n_rows} long sequence{'s' if n_rows > 1 else ''} of {total} steps, "
        f"one per row of the batch, cut into {n_batches} batches of {per_batch} steps: {calls}. The first call "
        f"starts from zeros (as after reset_state()). At the end of each call the layer keeps row n's final h "
        f"and c{size} in layer.states, and the next call starts row n from them, so row n of every batch must "
        f"hold the next chunk of the same sequence; the batch size is fixed at {n_rows}."
    )
    if carried:
        for b, (h, c) in enumerate(carried):
            rows = "; ".join(
                f"row {n}: h = {_vec(h[n])}, c = {_vec(c[n])}" for n in range(n_rows)
            )
            alt += (
                f" Carried from batch {letters[b]} to batch {letters[b + 1]}: {rows}."
            )
    return alt


def plot_stateful_batches(
    batch_size, steps_per_batch, n_batches=2, *, units=None, carried=None
):
    """Draw ``batch_size`` long sequences cut into ``n_batches`` consecutive batches for a stateful LSTM.

    Each row is one sequence of ``steps_per_batch * n_batches`` steps; batch k holds the k-th chunk of every
    row. Arrows show row n's final (h, c) carried in ``layer.states`` to row n of the next call; the first call
    starts from zeros. ``units``, if given, sizes the carried state; ``carried``, a list with one ``(h, c)`` pair
    of ``(batch_size, units)`` arrays per hand-over (``layer.states`` read after each call), prints the values.

    Returns a ``CourseFigure`` (SVG). Chapter 07::

        lu.figures.plot_stateful_batches(BATCH, T, 2, units=UNITS, carried=[(h_a, c_a)])
    """
    n_rows = count(
        batch_size,
        "batch_size",
        high=MAX_ROWS,
        what=" (rows of the batch, one sequence each)",
    )
    per_batch = count(
        steps_per_batch,
        "steps_per_batch",
        high=MAX_STEPS,
        what=" (timesteps in one call)",
    )
    n_batches = count(
        n_batches, "n_batches", low=2, high=MAX_BATCHES, what=" (consecutive calls)"
    )
    if per_batch * n_batches > MAX_STEPS:
        raise ValueError(
            f"steps_per_batch * n_batches must be at most {MAX_STEPS} steps to stay legible, got "
            f"{per_batch} * {n_batches} = {per_batch * n_batches}"
        )
    if units is not None:
        units = count(units, "units", what=" (the size of h and c)")
    carried = _check_carried(carried, n_batches, n_rows, units)
    if carried and units is None:
        units = carried[0][0].shape[1]
    alt = stateful_batches_alt(n_rows, per_batch, n_batches, units, carried)
    letters = "ABC"[:n_batches]

    W = st.DIAGRAM_WIDTH
    label_w = 52.0
    gap = 34.0
    total = per_batch * n_batches
    cell = min(34.0, (W - label_w - 8 - gap * (n_batches - 1)) / total)
    row_h = 30.0
    y0 = 58.0
    lines_per_handover = 2 * n_rows + 1 if carried else 0
    height = (
        y0
        + n_rows * row_h
        + 48
        + (len(carried) * lines_per_handover * 16 if carried else 0)
        + 22
    )

    svg = Svg(
        W,
        height,
        title=f"{n_rows} sequences in {n_batches} stateful batches of {per_batch} steps",
        desc=alt,
        key="stateful-batches",
    )
    svg.text(
        W / 2,
        12,
        f"{n_rows} sequence{'s' if n_rows > 1 else ''} × {total} steps, cut into {n_batches} "
        f"calls",
        size=13,
        weight="bold",
    )

    def bx(b):
        return label_w + b * (per_batch * cell + gap)

    for b in range(n_batches):
        x0 = bx(b)
        svg.rect(
            x0 - 4,
            y0 - 24,
            per_batch * cell + 8,
            n_rows * row_h + 30,
            fill=st.PANEL,
            stroke=st.OUTLINE,
            stroke_width=1.2,
            rx=6,
            dash=None if b % 2 == 0 else "5 3",
        )
        svg.text(
            x0 + per_batch * cell / 2,
            y0 - 12,
            f"batch {letters[b]}: call {b + 1}",
            size=st.SMALL,
            weight="bold",
        )
        for n in range(n_rows):
            y = y0 + n * row_h
            for j in range(per_batch):
                step = b * per_batch + j + 1
                svg.rect(
                    x0 + j * cell,
                    y + 3,
                    cell,
                    row_h - 6,
                    fill=st.BACKGROUND,
                    stroke=st.OUTLINE,
                    stroke_width=0.8,
                )
                svg.text(x0 + (j + 0.5) * cell, y + row_h / 2, str(step), size=st.SMALL)
    for n in range(n_rows):
        y = y0 + n * row_h + row_h / 2
        svg.text(label_w - 8, y, f"row {n}", size=st.SMALL, anchor="end", weight="bold")
        for b in range(n_batches - 1):
            x_from = bx(b) + per_batch * cell + 4
            svg.line(
                [(x_from, y), (bx(b + 1) - 5, y)],
                stroke=st.VERMILLION,
                width=2.2,
                arrow=True,
            )
    svg.text(
        W / 2,
        y0 + n_rows * row_h + 20,
        "→ row n's final h, c start row n of the next call",
        size=st.SMALL,
        fill=st.MUTED,
    )
    svg.text(
        W / 2,
        y0 + n_rows * row_h + 36,
        "(kept in layer.states); call 1 starts from zeros",
        size=st.SMALL,
        fill=st.MUTED,
    )
    if carried:
        y = y0 + n_rows * row_h + 58
        for b, (h, c) in enumerate(carried):
            svg.text(
                8,
                y,
                f"carried from {letters[b]} to {letters[b + 1]}:",
                size=st.SMALL,
                anchor="start",
                weight="bold",
            )
            y += 16
            for n in range(n_rows):
                svg.text(8, y, f"row {n}:", size=st.SMALL, anchor="start")
                svg.text(56, y, f"h = {_vec(h[n])}", size=st.SMALL, anchor="start")
                svg.text(56, y + 16, f"c = {_vec(c[n])}", size=st.SMALL, anchor="start")
                y += 32
    return CourseFigure(svg=svg.render(), alt=alt, title=svg.title)
