"""plot_step_shapes (chapters 02, 03): the shapes of one step for any (features, units): the right number of
rows, columns, gate blocks and units, alt text with the shapes, legible for small and large layers."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_step_shapes

from figure_contract import assert_svg_figure, elements, texts


@pytest.mark.parametrize(
    "features, units", [(1, 1), (2, 1), (2, 3), (1, 4), (5, 8), (64, 32), (3, 100)]
)
def test_legible_for_any_shape(features, units):
    assert_svg_figure(plot_step_shapes(features, units))


def _gate_outlines(svg):
    """The outlined gate blocks of [[W]; [U]]: one rect per gate, stroked in the gate's colour."""
    colours = {g.colour for g in lu.figures._style.GATES}
    return [
        el
        for tag, el, *_ in elements(svg)[1]
        if tag == "rect" and el.get("stroke") in colours and el.get("fill") == "none"
    ]


@pytest.mark.parametrize("features, units", [(2, 1), (2, 3), (1, 4)])
def test_grid_has_one_cell_per_row_and_column(features, units):
    svg = plot_step_shapes(features, units).svg()
    labels = texts(svg)
    # the unit numbers above each gate block: 1..units, four times
    assert [t for t in labels if t.isdigit() and len(t) <= 2][: 4 * units] == [
        str(u + 1) for u in range(units)
    ] * 4
    matrix = sorted(_gate_outlines(svg), key=lambda el: -float(el.get("height")))[
        :4
    ]  # [[W]; [U]]'s blocks
    widths = {round(float(el.get("width")), 2) for el in matrix}
    heights = {round(float(el.get("height")), 2) for el in matrix}
    assert len(widths) == 1 and len(heights) == 1
    width = widths.pop()
    xs = sorted(float(el.get("x")) for el in matrix)
    assert xs == pytest.approx(
        [xs[0] + k * width for k in range(4)]
    )  # four adjacent blocks
    cell = width / units
    assert heights.pop() == pytest.approx((features + units) * min(24.0, cell))


def test_labels_and_alt_give_the_shapes():
    fig = plot_step_shapes(2, 3)
    labels = texts(fig.svg())
    assert "One step of LSTM(3) on 2 features" in labels
    assert {"2 × 12", "3 × 12", "1 × 5", "12", "72 parameters = 5 × 12 + 12"} <= set(
        labels
    )
    assert {"i: 3", "f: 3", "c\u0303: 3", "o: 3"} <= set(
        labels
    )  # blocks by letter, in Keras's order
    assert [t for t in labels if t.endswith("= σ") or t.endswith("= tanh")] == [
        "i = σ",
        "f = σ",
        "c\u0303 = tanh",
        "o = σ",
    ]
    alt = fig.alt
    assert "[[W]; [U]], 5 rows × 12 columns" in alt and "W (kernel, 2 × 12)" in alt
    assert "U (recurrent_kernel, 3 × 12)" in alt and "b (bias, 12 numbers)" in alt
    assert "4 gate blocks in Keras's order i, f, c-tilde, o, each 3 columns wide" in alt
    assert f"= {lu.count_params(3, 2)} = 4 · 3 · (2 + 3 + 1)" in alt


def test_large_layers_are_blocks_with_their_sizes():
    fig = plot_step_shapes(64, 32)
    labels = texts(fig.svg())
    assert (
        labels.count("64 × 32") == 4 and labels.count("32 × 32") == 4
    )  # W and U blocks of each gate
    assert "64 × 128" in labels and "32 × 128" in labels
    assert f"{lu.count_params(32, 64)} parameters = 96 × 128 + 128" in labels


def test_gate_blocks_are_hatched_not_only_coloured():
    svg = plot_step_shapes(2, 3).svg()
    patterns = {
        el.get("id").split("-h-")[1].split("-")[0]
        for tag, el, *_ in elements(svg)[1]
        if tag == "pattern"
    }
    assert patterns == {"diagonal", "horizontal", "dots", "vertical"}


@pytest.mark.parametrize(
    "features, units, error, match",
    [
        (
            0,
            3,
            ValueError,
            r"features must be at least 1 \(the number of features of x_t\), got 0",
        ),
        (2, 0, ValueError, r"units must be at least 1.*got 0"),
        (2.0, 3, TypeError, r"features must be an integer.*2.0 \(float\)"),
        (2, "3", TypeError, r"units must be an integer.*'3' \(str\)"),
        (True, 3, TypeError, r"features must be an integer.*True \(bool\)"),
        (np.int64(2), np.int32(3), None, None),
    ],
)
def test_bad_sizes(features, units, error, match):
    if error is None:
        assert plot_step_shapes(features, units).alt == plot_step_shapes(2, 3).alt
        return
    with pytest.raises(error, match=match):
        plot_step_shapes(features, units)
