"""plot_bidirectional: a legible SVG whose labels and alt text carry the sizes, the reading directions and where
each layer's output leaves; bad input is refused."""

import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_bidirectional

from figure_contract import assert_svg_figure, texts


def test_returns_a_legible_svg_figure():
    for steps, units, features in ((1, 1, 1), (4, 3, 2), (5, 16, 8)):
        for return_sequences in (False, True):
            assert_svg_figure(plot_bidirectional(steps, units, features, return_sequences=return_sequences))


def test_labels_carry_the_sizes_and_the_ends():
    labels = texts(plot_bidirectional(4, 3, 2).svg())
    assert {"forward", "backward", "LSTM(3)", "reads →", "reads ←", "2 features", "x1", "x4"} <= set(labels)
    # the forward output leaves after x_4, the backward one after x_1
    assert "h4" in labels and "h1" in labels
    assert "output: [forward h4 | backward h1]" in labels
    assert "3 + 3 = 6 numbers (merge_mode='concat')" in labels


def test_alt_text_names_both_layers_and_the_output():
    alt = plot_bidirectional(4, 3, 2).alt
    n = lu.count_params(3, 2)
    assert n == 72 and f"its own {n} parameters" in alt and "144 parameters in all" in alt
    assert "reads x_1 to x_4 from left to right" in alt and "reads x_4 to x_1 from right to left" in alt
    assert "[forward h_4 | backward h_1], 6 numbers" in alt
    seq = plot_bidirectional(4, 3, 2, return_sequences=True).alt
    assert "position t holds [forward h_t | backward h_t]" in seq and "at position 4 the backward layer has read x_4 only" in seq


@pytest.mark.parametrize("args, kwargs, error, words", [
    ((0,), {}, ValueError, "timesteps"),
    ((6,), {}, ValueError, "at most 5 timesteps"),
    ((4, 0), {}, ValueError, "units"),
    ((4, 3, 2.5), {}, TypeError, "features"),
    ((4, 3, 2), {"return_sequences": "yes"}, TypeError, "return_sequences"),
])
def test_bad_input_is_refused(args, kwargs, error, words):
    with pytest.raises(error, match=words):
        plot_bidirectional(*args, **kwargs)
