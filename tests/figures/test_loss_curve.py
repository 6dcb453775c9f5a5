"""plot_loss_curve (chapter 14): a legible SVG chart whose alt text carries the values; the same bytes when drawn
again; bad input is refused."""

import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_loss_curve
from lstm_utils.figures.loss_curve import running_mean

from figure_contract import assert_svg_figure, texts

STEPS = 120
# a loss that halves every 30 steps, with batch noise: 0.4 at step 1
LOSSES = 0.4 * 0.5 ** (np.arange(STEPS) / 30) * (1 + 0.2 * np.sin(np.arange(STEPS)))


def test_returns_a_legible_svg_figure():
    svg = assert_svg_figure(plot_loss_curve(LOSSES, 0.25, baseline_label="the mean", window=10))
    shown = texts(svg)
    assert "training step" in shown and "loss (mse)" in shown
    assert "mean of the last 10 steps" in shown and "the mean (0.25)" in shown


def test_exported_from_figures_package():
    assert lu.figures.plot_loss_curve is plot_loss_curve


def test_running_mean_by_hand():
    got = running_mean(np.array([1.0, 2.0, 3.0, 4.0, 10.0]), 2)
    np.testing.assert_allclose(got, [1.5, 2.5, 3.5, 7.0])
    np.testing.assert_allclose(running_mean(LOSSES, STEPS), [LOSSES.mean()])


def test_alt_text_generated_from_values():
    alt = plot_loss_curve(LOSSES, 0.25, baseline_label="the mean", window=10).alt
    assert f"each of {STEPS} steps" in alt and "logarithmic y axis" in alt
    assert "0.4 at step 1," in alt
    assert f"{LOSSES[-1]:.3g} at step {STEPS}" in alt
    low = int(np.argmin(LOSSES))
    assert f"smallest {LOSSES[low]:.3g} at step {low + 1}" in alt
    assert f"from {LOSSES[:10].mean():.3g} (steps 1 to 10) to {LOSSES[-10:].mean():.3g}" in alt
    # the first window whose mean is below 0.25, found the long way
    first = next(s for s in range(10, STEPS + 1) if LOSSES[s - 10:s].mean() < 0.25)
    assert f"a dashed line marks the mean at 0.25, and the mean first falls below it at step {first}" in alt
    assert f"ending {0.25 / LOSSES[-10:].mean():.3g} times lower" in alt


def test_without_window_or_baseline_and_linear():
    fig = plot_loss_curve([0.5, 0.0, 0.2], log=False)
    assert "linear y axis" in fig.alt and "smallest 0 at step 2" in fig.alt and "dashed" not in fig.alt
    assert fig.figure.axes[0].get_yscale() == "linear" and len(fig.figure.axes[0].lines) == 1
    assert_svg_figure(fig)
    never = plot_loss_curve([0.5, 0.4], 0.1, baseline_label="zero skill").alt
    assert "the loss never falls below it" in never


def test_lines_drawn_from_the_values():
    ax = plot_loss_curve(LOSSES, 0.25, baseline_label="b", window=10).figure.axes[0]
    assert ax.get_yscale() == "log"
    assert np.array_equal(ax.lines[0].get_xdata(), np.arange(1, STEPS + 1))
    np.testing.assert_allclose(ax.lines[0].get_ydata(), LOSSES, rtol=5e-3)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), running_mean(LOSSES, 10), rtol=5e-3)
    assert ax.lines[1].get_xdata()[0] == 10
    assert ax.lines[0].get_linewidth() < ax.lines[1].get_linewidth()
    assert ax.lines[1].get_linestyle() != ax.lines[2].get_linestyle()


def digest(fig):
    return hashlib.sha256(fig.svg().encode()).hexdigest()


def test_the_same_bytes_again_and_in_a_fresh_process():
    first = digest(plot_loss_curve(LOSSES, 0.25, baseline_label="b", window=10))
    assert digest(plot_loss_curve(LOSSES, 0.25, baseline_label="b", window=10)) == first
    code = ("import hashlib, numpy as np; from lstm_utils.figures import plot_loss_curve; "
            "s = 120; l = 0.4 * 0.5 ** (np.arange(s) / 30) * (1 + 0.2 * np.sin(np.arange(s))); "
            "print(hashlib.sha256(plot_loss_curve(l, 0.25, baseline_label='b', window=10).svg().encode()).hexdigest())")
    env = dict(os.environ, PYTHONHASHSEED="4321", MPLBACKEND="agg")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == first


@pytest.mark.parametrize("kwargs, error, match", [
    ({"losses": [1.0]}, ValueError, r"at least two steps to draw a curve, got shape \(1,\)"),
    ({"losses": np.ones((3, 2))}, ValueError, r"must be 1-D, one loss per training step.*got shape \(3, 2\)"),
    ({"losses": [1.0, -0.5]}, ValueError, r"never negative\), got -0.5 at step 2"),
    ({"losses": [1.0, 0.0]}, ValueError, r"positive on a log axis \(log=True\), got 0 at step 2.*log=False"),
    ({"losses": [1.0, np.inf]}, ValueError, "finite"),
    ({"losses": ["a", "b"]}, TypeError, "losses must be an array of real numbers"),
    ({"losses": [1.0, 0.5], "log": "yes"}, TypeError, "log must be True or False, got 'yes'"),
    ({"losses": [1.0, 0.5], "baseline": 0.2}, TypeError, "a baseline needs baseline_label"),
    ({"losses": [1.0, 0.5], "baseline_label": "x"}, ValueError, "baseline_label was given without a baseline"),
    ({"losses": [1.0, 0.5], "baseline": "0.2", "baseline_label": "x"}, TypeError, "baseline must be a finite number"),
    ({"losses": [1.0, 0.5], "baseline": -1.0, "baseline_label": "x"}, ValueError, "baseline must be positive"),
    ({"losses": [1.0, 0.5], "window": 3}, ValueError, r"window must be between 2 and the number of steps \(2\), got 3"),
    ({"losses": [1.0, 0.5], "window": 2.0}, TypeError, "window must be a whole number of steps"),
])
def test_bad_input_is_refused(kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_loss_curve(**kwargs)
