"""plot_gradient_norms (chapter 08): a legible SVG chart and value-bearing alt text; bad input is refused."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_gradient_norms

from figure_contract import assert_svg_figure, texts

T = 40
NORMS = {
    "forget bias 1": 0.3 * 0.8 ** np.arange(T)[::-1],
    "forget bias -3": 0.3 * 0.05 ** np.arange(T)[::-1],
}


def test_returns_a_legible_svg_figure():
    svg = assert_svg_figure(plot_gradient_norms(NORMS))
    ticks = [t for t in texts(svg) if t.startswith("1e")]
    assert ticks and all(
        t.replace("1e", "").lstrip("−-").isdigit() for t in ticks
    )  # "1e-20", no tiny exponents


def test_exported_from_figures_package():
    assert lu.figures.plot_gradient_norms is plot_gradient_norms


def test_alt_text_generated_from_values():
    alt = plot_gradient_norms(NORMS).alt
    assert "t = 1 to 40" in alt
    assert "logarithmic y axis" in alt
    assert "2 lines" in alt
    assert f"forget bias 1: {0.3 * 0.8**39:.1e} at t = 1, 3.0e-01 at t = 40" in alt
    assert f"first-to-last ratio {0.8**39:.1e}" in alt
    assert f"forget bias -3: {0.3 * 0.05**39:.1e} at t = 1" in alt


def test_linear_axis_and_one_line():
    fig = plot_gradient_norms({"only": [1.0, 0.0, 2.0]}, log=False)
    assert (
        "linear y axis" in fig.alt
        and "one line" in fig.alt
        and "smallest 0.0e+00" in fig.alt
    )
    assert fig.figure.axes[0].get_yscale() == "linear"
    assert_svg_figure(fig)


def test_one_line_per_label_on_a_log_axis():
    ax = plot_gradient_norms(NORMS).figure.axes[0]
    assert ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.lines] == list(NORMS)
    assert np.array_equal(ax.lines[0].get_xdata(), np.arange(1, T + 1))
    np.testing.assert_allclose(
        ax.lines[1].get_ydata(), NORMS["forget bias -3"], rtol=5e-3
    )  # 3 digits drawn
    assert ax.lines[0].get_marker() != ax.lines[1].get_marker()
    assert ax.lines[0].get_linestyle() != ax.lines[1].get_linestyle()


@pytest.mark.parametrize(
    "norms, log, error, match",
    [
        ({}, True, ValueError, "at least one label, got an empty dict"),
        (
            [1.0, 2.0],
            True,
            TypeError,
            r"must be a dict \{label: per-step norms of shape \(T,\)\}, got list",
        ),
        (
            {"a": [1.0, 2.0], "b": [1.0, 2.0, 3.0]},
            True,
            ValueError,
            r"same number of timesteps T, got lengths \{'a': 2, 'b': 3\}",
        ),
        (
            {"a": [1.0, 0.0, 2.0]},
            True,
            ValueError,
            r"positive on a log axis \(log=True\), got 0 at t = 2.*log=False",
        ),
        ({"a": [1.0, -1.0]}, False, ValueError, r"never negative, got -1 at t = 2"),
        ({"a": [1.0, -1.0]}, True, ValueError, r"never negative, got -1 at t = 2"),
        (
            {"a": np.ones((3, 2))},
            True,
            ValueError,
            r"must be 1-D, one norm per timestep, shape \(T,\), got shape \(3, 2\)",
        ),
        ({"a": []}, True, ValueError, r"at least one timestep, got shape \(0,\)"),
        ({"a": [1.0, np.nan]}, True, ValueError, "finite"),
        (
            {"a": ["x", "y"]},
            True,
            TypeError,
            r"norms_by_label\['a'\] must be an array of real numbers",
        ),
        ({3: [1.0]}, True, TypeError, "every label must be a non-empty string, got 3"),
        ({"a": [1.0]}, "yes", TypeError, "log must be True or False, got 'yes'"),
        (
            {f"l{k}": [1.0] for k in range(7)},
            True,
            ValueError,
            "at most 6 lines legibly, got 7 labels",
        ),
    ],
)
def test_bad_input_is_refused(norms, log, error, match):
    with pytest.raises(error, match=match):
        plot_gradient_norms(norms, log=log)
