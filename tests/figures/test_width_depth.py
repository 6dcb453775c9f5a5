"""plot_wide_vs_stacked (chapter 05): every matrix drawn to scale, the counts printed equal count_params and the
chapter's split (kernel 176/160, recurrent 208/256, bias 40/32); bad input refused."""

import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_wide_vs_stacked

from figure_contract import assert_svg_figure, elements, texts


def test_legible():
    for args in (([4, 6], 8, 5), ([1], 1, 1), ([2, 3, 4], 16, 3), ([16], 2, 16)):
        assert_svg_figure(plot_wide_vs_stacked(*args))


def test_counts_equal_count_params_and_the_chapters_split():
    labels = texts(plot_wide_vs_stacked([4, 6], 8, 5).svg())
    stack = lu.count_params(4, 5) + lu.count_params(6, 4)
    assert f"Stack: LSTM(4) → LSTM(6): {stack} parameters" in labels and stack == 424
    assert f"Wide: LSTM(8): {lu.count_params(8, 5)} parameters" in labels
    assert {
        "W 5 × 16 = 80",
        "U 4 × 16 = 64",
        "b 16",
        "W 4 × 24 = 96",
        "U 6 × 24 = 144",
        "b 24",
        "W 5 × 32 = 160",
        "U 8 × 32 = 256",
        "b 32",
    } <= set(labels)
    rows = labels[labels.index("by part") :]
    assert rows[:15] == [
        "by part",
        "stack",
        "wide",
        "W (kernel)",
        "176",
        "160",
        "U (recurrent_kernel)",
        "208",
        "256",
        "b (bias)",
        "40",
        "32",
        "total",
        "424",
        "448",
    ]


def test_matrices_are_to_scale():
    # the outline of each gate block: U of the wide layer (8 x 32) is 8/4 = 2 times as tall as U of layer 1 (4 x 16)
    svg = plot_wide_vs_stacked([4, 6], 8, 5).svg()
    dashed = [
        el
        for tag, el, *_ in elements(svg)[1]
        if tag == "rect" and el.get("stroke-dasharray") == "3 2"
    ]
    heights = [
        float(el.get("height")) for el in dashed[::4]
    ]  # one per U matrix: layer 1, layer 2, wide
    widths = [4 * float(el.get("width")) for el in dashed[::4]]
    assert heights[2] / heights[0] == pytest.approx(8 / 4) and heights[1] / heights[
        0
    ] == pytest.approx(6 / 4)
    assert widths[2] / widths[0] == pytest.approx(32 / 16)


def test_alt_text():
    alt = plot_wide_vs_stacked([4, 6], 8, 5).alt
    assert "The stack LSTM(4) then LSTM(6) has 424 parameters" in alt
    assert (
        "kernel 176 against 160, recurrent_kernel 208 against 256, bias 40 against 32"
        in alt
    )
    assert "The wide LSTM(8) has 448 parameters" in alt


@pytest.mark.parametrize(
    "args, error, match",
    [
        ((4, 8, 5), TypeError, r"stacked_units must be a list .* got 4 \(int\)"),
        (([], 8, 5), ValueError, r"between 1 and 3 layers, got 0"),
        (
            ([4, 0], 8, 5),
            ValueError,
            r"stacked_units\[1\] must be a positive integer \(at least 1\), got 0",
        ),
        (
            ([4, 6.0], 8, 5),
            TypeError,
            r"stacked_units\[1\] must be a positive integer, got 6.0",
        ),
        (([4, 6], 8.0, 5), TypeError, r"wide_units must be a positive integer"),
        (([4, 6], 17, 5), ValueError, r"wide_units: at most 16 units"),
        (([4, 40], 8, 5), ValueError, r"at most 16 units per layer"),
        (
            ([4, 6], 8, 0),
            ValueError,
            r"features must be a positive integer \(at least 1\), got 0",
        ),
        (([4, 6], 8, 17), ValueError, r"features: at most 16 features"),
    ],
)
def test_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        plot_wide_vs_stacked(*args)
