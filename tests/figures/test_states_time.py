"""plot_states_over_time (chapter 04): h_t and c_t of one sample, one line per unit, the ±1 lines drawn; the alt
text says what the numbers show; bad input refused."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_states_over_time

from figure_contract import assert_svg_figure, texts


def run(steps=5, units=3, seed=39, scale=0.6):
    """h_t and c_t of sample 0, from lstm_step, with the forget bias at 1 (chapter 04's recipe)."""
    rng = np.random.default_rng(seed)
    kernel = rng.normal(scale=scale, size=(2, 4 * units))
    rk = rng.normal(scale=scale, size=(units, 4 * units))
    bias = np.zeros(4 * units)
    lu.split_gates(bias)["f"][:] = 1.0
    x = rng.normal(size=(steps, 2))
    h, c, hs, cs = np.zeros(units), np.zeros(units), [], []
    for t in range(steps):
        h, c, _ = lu.lstm_step(x[t], h, c, kernel, rk, bias)
        hs.append(h)
        cs.append(c)
    return np.array(hs), np.array(cs)


H, C = run()


def test_legible_with_both_panels_and_the_bounds():
    fig = plot_states_over_time(H, C)
    svg = assert_svg_figure(fig)
    assert {
        "h_t: hidden state = output",
        "c_t: cell state",
        "unit 1",
        "unit 2",
        "unit 3",
    } <= set(texts(svg))
    for ax in fig.figure.axes:
        bounds = sorted(
            line.get_ydata()[0]
            for line in ax.lines
            if line.get_linestyle() == "--" and not line.get_label().startswith("unit")
        )
        assert bounds == [-1.0, 1.0]


def test_the_lines_are_the_values():
    fig = plot_states_over_time(H, C)
    for ax, values in zip(fig.figure.axes, (H, C)):
        units = [line for line in ax.lines if line.get_label().startswith("unit")]
        for u, line in enumerate(units):
            np.testing.assert_allclose(line.get_ydata(), values[:, u], atol=5e-4)


def test_alt_text_from_the_numbers():
    assert np.abs(C).max() > 1 > np.abs(H).max()  # the case chapter 04 shows
    alt = plot_states_over_time(H, C).alt
    u = int(np.argmax(np.abs(C).max(axis=0)))
    assert f"largest absolute value is {np.abs(H).max():.3f}" in alt
    assert "stays strictly inside (-1, 1)" in alt
    assert f"The cell state leaves [-1, 1] for unit {u + 1}" in alt
    assert "T = 5 timesteps, 3 units" in alt


def test_one_unit_flat_and_a_cell_state_inside_the_bounds():
    h, c = run(steps=4, units=1, seed=1, scale=0.1)
    assert np.abs(c).max() < 1
    alt = plot_states_over_time(h[:, 0], c[:, 0]).alt
    assert "1 unit:" in alt and "stays inside [-1, 1] here" in alt
    assert alt == plot_states_over_time(h, c).alt


@pytest.mark.parametrize(
    "h, c, error, match",
    [
        (H, C[:4], ValueError, r"same shape.*h \(5, 3\) and c \(4, 3\)"),
        (
            H[None],
            C,
            ValueError,
            r"h must be \(timesteps, units\) for one sample, got shape \(1, 5, 3\).*h\[0\]",
        ),
        (np.zeros((0, 3)), np.zeros((0, 3)), ValueError, r"at least one timestep"),
        (
            np.zeros((5, 9)),
            np.zeros((5, 9)),
            ValueError,
            r"at most 60 timesteps and 8 units.*\(5, 9\)",
        ),
        (H, np.where(C > 0, np.nan, C), ValueError, r"c must hold finite numbers"),
        (None, C, TypeError, r"h must be an array, got None"),
        (H.astype(complex), C, TypeError, r"h must be real"),
    ],
)
def test_bad_input(h, c, error, match):
    with pytest.raises(error, match=match):
        plot_states_over_time(h, c)
