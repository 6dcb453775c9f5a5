"""plot_stack_wiring: returns a CourseFigure with a PNG and size-bearing alt text, and refuses bad input."""

import sys

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import CourseFigure, plot_stack_wiring

from conftest import PNG_SIGNATURE, assert_course_figure


def test_returns_course_figure_with_png():
    fig = plot_stack_wiring([4, 6], features=5)
    assert_course_figure(fig)


def test_figure_stays_small():
    for sizes, steps in (([1], 1), ([4, 6], 3), ([2, 3, 4], 5)):
        w, h = plot_stack_wiring(sizes, 3, timesteps=steps).figure.get_size_inches()
        assert w <= 9.0 and h <= 4.3


def test_alt_text_names_sizes_layers_and_counts():
    alt = plot_stack_wiring([4, 6], features=5, timesteps=3).alt
    assert "2 LSTM layers" in alt and "3 timesteps" in alt
    assert "x_1 to x_3, each a vector of 5 features" in alt
    assert f"Layer 1, LSTM(4), {lu.count_params(4, 5)} parameters" in alt and "160 parameters" in alt
    assert f"Layer 2, LSTM(6), {lu.count_params(6, 4)} parameters" in alt and "264 parameters" in alt
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
    assert "below the top" not in alt      # no layer below the top in a single-layer stack


def test_one_cell_box_per_layer_and_step():
    fig = plot_stack_wiring([2, 3, 4], features=3, timesteps=5)
    assert len(fig.figure.axes[0].patches) == 3 * 5
    assert "3 LSTM layers" in fig.alt and "Layer 3, LSTM(4)" in fig.alt


def test_numpy_integers_and_tuples_are_accepted():
    a = plot_stack_wiring(np.array([4, 6]), np.int64(5), timesteps=np.int32(3)).alt
    b = plot_stack_wiring((4, 6), 5, 3).alt
    assert a == b == plot_stack_wiring([4, 6], 5).alt


@pytest.mark.parametrize("layer_sizes", [4, 4.0, "46", None, {4, 6}])
def test_layer_sizes_must_be_a_list(layer_sizes):
    with pytest.raises(TypeError, match=r"layer_sizes must be a list with one unit count per layer.*got"):
        plot_stack_wiring(layer_sizes, 5)


@pytest.mark.parametrize(
    ("layer_sizes", "error", "match"),
    [
        ([], ValueError, r"at least one layer.*got an empty list"),
        ([4, 0], ValueError, r"layer_sizes\[1\] must be a positive integer \(at least 1\), got 0"),
        ([-2], ValueError, r"layer_sizes\[0\] must be a positive integer.*got -2"),
        ([4, 6.0], TypeError, r"layer_sizes\[1\] must be a positive integer, got 6.0 \(float\)"),
        ([True, 6], TypeError, r"layer_sizes\[0\] must be a positive integer, got True"),
        ([4, 6, 8, 2], ValueError, r"at most 3 layers, got 4 layers \[4, 6, 8, 2\]"),
    ],
)
def test_bad_layer_sizes(layer_sizes, error, match):
    with pytest.raises(error, match=match):
        plot_stack_wiring(layer_sizes, 5)


@pytest.mark.parametrize(
    ("features", "timesteps", "error", "match"),
    [
        (0, 3, ValueError, r"features must be a positive integer \(at least 1\), got 0"),
        (5.0, 3, TypeError, r"features must be a positive integer, got 5.0"),
        ((7, 5), 3, TypeError, r"features must be a positive integer, got \(7, 5\)"),
        (5, 0, ValueError, r"timesteps must be a positive integer \(at least 1\), got 0"),
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
