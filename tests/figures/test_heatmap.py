"""plot_weight_heatmap (chapters 02, 03): every cell prints its weight, in Keras's gate blocks; legible and
colour-blind safe; bad input refused."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_weight_heatmap

from figure_contract import assert_svg_figure, elements, texts

RNG = np.random.default_rng(6)
KERNEL = RNG.uniform(-2, 2, (2, 12)).round(1).astype("float32")  # chapter 03's weights
RK = RNG.uniform(-2, 2, (3, 12)).round(1).astype("float32")
BIAS = RNG.uniform(-2, 2, (12,)).round(1).astype("float32")


def _cells(svg):
    """Every value cell as (fill, printed label), in drawing order: block by block, row by row, unit by unit."""
    els = [(tag, el) for tag, el, *_ in elements(svg)[1] if tag in ("rect", "text")]
    return [
        (el.get("fill"), "".join(els[k + 1][1].itertext()))
        for k, (tag, el) in enumerate(els)
        if tag == "rect" and el.get("stroke-width") == "0.7"
    ]


@pytest.mark.parametrize(
    "args", [(KERNEL,), (KERNEL, RK), (KERNEL, RK, BIAS), (KERNEL[:, ::3], RK[:1, ::3])]
)
def test_legible(args):
    assert_svg_figure(plot_weight_heatmap(*args))


def test_every_weight_is_printed_in_its_block_and_unit():
    fig = plot_weight_heatmap(KERNEL, RK, BIAS)
    blocks = lu.split_gates(
        np.vstack([KERNEL, RK, BIAS[None]])
    )  # (6 rows, 3 units) per gate
    expected = np.concatenate([blocks[g].reshape(-1) for g in lu.GATE_ORDER])
    printed = [float(label) for _, label in _cells(fig.svg())]
    assert len(printed) == 6 * 12  # one cell per weight
    np.testing.assert_allclose(
        printed, expected, atol=1e-6
    )  # typed as 1.2, printed as 1.2
    labels = texts(fig.svg())
    assert {"i block", "f block", "c\u0303 block", "o block"} <= set(labels)
    assert {"W x[1]", "W x[2]", "U h[1]", "U h[3]", "b"} <= set(labels)


def test_colour_follows_the_sign_and_size_and_never_alone():
    k = np.array([[1.0, -1.0, 0.5, 0.0]])
    fills = [fill for fill, _ in _cells(plot_weight_heatmap(k).svg())]
    assert fills[3] == "#FFFFFF"  # 0 is white
    assert (
        fills[0] != fills[1] and fills[0] != fills[2] != "#FFFFFF"
    )  # sign and size change the colour
    labels = texts(plot_weight_heatmap(k).svg())
    assert {"1", "-1", "0.5", "0"} <= set(labels)  # ... and the value is printed


def test_alt_text_lists_the_blocks():
    alt = plot_weight_heatmap(KERNEL, RK, BIAS).alt
    assert "W (kernel, 2 × 12) and U (recurrent_kernel, 3 × 12) and b (bias, 12)" in alt
    assert (
        "block f (columns 4 to 6): W row 1: -0.5, 1.9, 0.5; W row 2: 1.1, -1.8, -1.2"
        in alt
    )
    np.testing.assert_allclose(
        lu.split_gates(KERNEL)["f"], [[-0.5, 1.9, 0.5], [1.1, -1.8, -1.2]], atol=1e-6
    )


def test_wraps_blocks_when_four_do_not_fit():
    wide = plot_weight_heatmap(KERNEL[:, ::3])  # 1 unit: four blocks side by side
    narrow = plot_weight_heatmap(
        np.ones((2, 32)) * 0.123
    )  # 8 units: one block per line

    def ys(fig):
        return {
            el.get("y")
            for tag, el, *_ in elements(fig.svg())[1]
            if tag == "rect" and el.get("opacity")
        }

    assert len(ys(wide)) == 1 and len(ys(narrow)) == 4
    assert_svg_figure(narrow)


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        (
            (np.ones(12),),
            {},
            ValueError,
            r"kernel must be 2-D \(features, 4\*units\).*\(12,\)",
        ),
        ((np.ones((2, 10)),), {}, ValueError, r"4\*units columns, got shape \(2, 10\)"),
        (
            (KERNEL, RK[:2]),
            {},
            ValueError,
            r"recurrent_kernel must be \(units, 4\*units\)",
        ),
        (
            (KERNEL, None, np.ones(8)),
            {},
            ValueError,
            r"bias must have shape \(4\*units,\) = \(12,\).*\(8,\)",
        ),
        (
            (np.ones((20, 12)),),
            {},
            ValueError,
            r"at most 14 rows and 8 units, got 20 rows",
        ),
        ((np.ones((2, 40)),), {}, ValueError, r"got 2 rows and 10 units"),
        (
            (np.full((2, 12), np.inf),),
            {},
            ValueError,
            r"kernel must hold finite numbers",
        ),
        ((None,), {}, TypeError, r"kernel must be an array, got None"),
        ((KERNEL,), {"digits": 1.5}, TypeError, r"digits must be an integer"),
        ((KERNEL,), {"digits": 9}, ValueError, r"digits must be between 0 and 4"),
    ],
)
def test_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_weight_heatmap(*args, **kwargs)
