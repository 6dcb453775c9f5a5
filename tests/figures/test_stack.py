"""plot_stack_wiring: a legible SVG with size-bearing labels and alt text, and refuses bad input."""

import sys

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_stack_wiring

from figure_contract import assert_svg_figure, elements, texts


def test_returns_a_legible_svg_figure():
    for sizes, steps in (([1], 1), ([4, 6], 3), ([2, 3, 4], 5)):
        assert_svg_figure(plot_stack_wiring(sizes, 3, timesteps=steps))


def test_labels_carry_the_sizes():
    labels = texts(plot_stack_wiring([4, 6], features=5, timesteps=3).svg())
    assert {
        "LSTM(4)",
        "LSTM(6)",
        "reads 5",
        "reads 4",
        "5 features",
        "4 units",
        "6 units",
    } <= set(labels)
    assert (
        labels.count("5") == 3 and labels.count("4") == 3
    )  # x_t (5 numbers) and h^(1)_t (4) at each step
    assert (
        "h3: 6" in labels and "h1: 6" not in labels
    )  # only the last step leaves the top layer


def test_alt_text_names_sizes_layers_and_counts():
    alt = plot_stack_wiring([4, 6], features=5, timesteps=3).alt
    assert "2 LSTM layers" in alt and "3 timesteps" in alt
    assert "x_1 to x_3, each a vector of 5 features" in alt
    assert (
        f"Layer 1, LSTM(4), {lu.count_params(4, 5)} parameters" in alt
        and "160 parameters" in alt
    )
    assert (
        f"Layer 2, LSTM(6), {lu.count_params(6, 4)} parameters" in alt
        and "264 parameters" in alt
    )
    assert "layer 1's output h_t from below, 4 numbers that are its features" in alt
    assert "h, c (6 numbers each)" in alt
    assert "last step is the model's output: one vector of 6 numbers" in alt


def test_alt_text_follows_return_sequences():
    alt = plot_stack_wiring([4, 6], 5, timesteps=4, return_sequences=True).alt
    assert "whole sequence too: 4 outputs of 6 numbers each" in alt
    assert "last step" not in alt


def test_alt_text_singular_forms():
    alt = plot_stack_wiring([1], features=1, timesteps=1).alt
    assert "1 LSTM layer," in alt and "1 timestep " in alt
    assert "the input x_1, a vector of 1 feature." in alt
    assert "1 number each" in alt and "1 numbers" not in alt
    assert "below the top" not in alt  # no layer below the top in a single-layer stack


def test_one_cell_box_per_layer_and_step():
    fig = plot_stack_wiring([2, 3, 4], features=3, timesteps=5)
    cells = [
        el
        for tag, el, *_ in elements(fig.svg())[1]
        if tag == "rect" and el.get("rx") == "6"
    ]
    assert len(cells) == 3 * 5  # one box per layer and step
    assert {el.get("stroke-dasharray") for el in cells} == {
        None,
        "6 3",
        "2 3",
    }  # layers differ by outline too
    assert "3 LSTM layers" in fig.alt and "Layer 3, LSTM(4)" in fig.alt


def test_numpy_integers_and_tuples_are_accepted():
    a = plot_stack_wiring(np.array([4, 6]), np.int64(5), timesteps=np.int32(3)).alt
    b = plot_stack_wiring((4, 6), 5, 3).alt
    assert a == b == plot_stack_wiring([4, 6], 5).alt


@pytest.mark.parametrize("layer_sizes", [4, 4.0, "46", None, {4, 6}])
def test_layer_sizes_must_be_a_list(layer_sizes):
    with pytest.raises(
        TypeError,
        match=r"layer_sizes must be a list with one unit count per layer.*got",
    ):
        plot_stack_wiring(layer_sizes, 5)


@pytest.mark.parametrize(
    ("layer_sizes", "error", "match"),
    [
        ([], ValueError, r"at least one layer.*got an empty list"),
        (
            [4, 0],
            ValueError,
            r"layer_sizes\[1\] must be a positive integer \(at least 1\), got 0",
        ),
        ([-2], ValueError, r"layer_sizes\[0\] must be a positive integer.*got -2"),
        (
            [4, 6.0],
            TypeError,
            r"layer_sizes\[1\] must be a positive integer, got 6.0 \(float\)",
        ),
        (
            [True, 6],
            TypeError,
            r"layer_sizes\[0\] must be a positive integer, got True",
        ),
        ([4, 6, 8, 2], ValueError, r"at most 3 layers, got 4 layers \[4, 6, 8, 2\]"),
    ],
)
def test_bad_layer_sizes(layer_sizes, error, match):
    with pytest.raises(error, match=match):
        plot_stack_wiring(layer_sizes, 5)


@pytest.mark.parametrize(
    ("features", "timesteps", "error", "match"),
    [
        (
            0,
            3,
            ValueError,
            r"features must be a positive integer \(at least 1\), got 0",
        ),
        (5.0, 3, TypeError, r"features must be a positive integer, got 5.0"),
        ((7, 5), 3, TypeError, r"features must be a positive integer, got \(7, 5\)"),
        (
            5,
            0,
            ValueError,
            r"timesteps must be a positive integer \(at least 1\), got 0",
        ),
        (5, "3", TypeError, r"timesteps must be a positive integer, got '3'"),
        (5, 6, ValueError, r"at most 5 timesteps, got timesteps = 6"),
    ],
)
def test_bad_features_and_timesteps(features, timesteps, error, match):
    with pytest.raises(error, match=match):
        plot_stack_wiring([4, 6], features, timesteps)


@pytest.mark.parametrize("flag", [1, "yes", None])
def test_bad_return_sequences(flag):
    with pytest.raises(TypeError, match=r"return_sequences must be True or False, got"):
        plot_stack_wiring([4, 6], 5, return_sequences=flag)


def test_does_not_use_pyplot():
    plot_stack_wiring([4, 6], 5)
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        assert plt.get_fignums() == []


@pytest.mark.parametrize("sizes", [{1: 4, 2: 6}, {4, 6}])
def test_a_dict_or_set_is_not_a_list_of_layers(sizes):
    # a dict iterates over its keys: {1: 4, 2: 6} would silently draw LSTM(1) and LSTM(2)
    from lstm_utils.figures import plot_stack_wiring, plot_wide_vs_stacked

    with pytest.raises(TypeError, match="must be a list with one unit count per layer"):
        plot_stack_wiring(sizes, features=5)
    with pytest.raises(TypeError, match="must be a list with one unit count per layer"):
        plot_wide_vs_stacked(sizes, wide_units=8, features=5)
