"""Tests for lstm_utils.figures.plot_feature_mixing (chapter 02)."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_feature_mixing

from figure_contract import assert_svg_figure, elements, texts

X_T = np.array([0.5, -1.0])
KERNEL = np.array([[0.31, -0.50, 0.90, 0.05], [-0.20, 0.70, -0.33, 0.61]])


def test_returns_a_legible_svg_figure():
    assert_svg_figure(plot_feature_mixing(X_T, KERNEL))


def _weight_lines(svg):
    """The lines from the features (x = 92) to the gates (x = 262): (stroke width, dashed) in drawing order."""
    return [
        (float(el.get("stroke-width")), el.get("stroke-dasharray") is not None)
        for tag, el, *_ in elements(svg)[1]
        if tag == "path" and (el.get("d") or "").startswith("M92,")
    ]


def test_one_line_per_weight_width_and_dash_from_the_weight():
    lines = _weight_lines(plot_feature_mixing(X_T, KERNEL).svg())
    assert len(lines) == 8  # 2 features x 4 gates, gate-major
    weights = KERNEL.T.reshape(-1)  # (gate, feature) order
    assert [dashed for _, dashed in lines] == [
        w < 0 for w in weights
    ]  # the sign is not told by colour alone
    widths = [w for w, _ in lines]
    assert widths[int(np.argmax(np.abs(weights)))] == max(
        widths
    )  # 0.90: the thickest line


def test_labels_print_every_weight_and_gate_sum():
    labels = texts(plot_feature_mixing(X_T, KERNEL).svg())
    for w in KERNEL.reshape(-1):
        assert f"{w:.2f}" in labels
    assert (
        "xt·w = 0.355" in labels and "xt·w = -0.950" in labels
    )  # x with a subscript t
    assert "x1 = 0.50" in labels and "x2 = -1.00" in labels


def test_exported_from_figures_package():
    assert lu.figures.plot_feature_mixing is plot_feature_mixing


def test_alt_text_generated_from_shapes_and_values():
    alt = plot_feature_mixing(X_T, KERNEL).alt
    assert "2 features" in alt
    assert "8 lines" in alt
    assert "x1 = 0.50" in alt and "x2 = -1.00" in alt
    assert "i, f, c̃, o" in alt
    # gate i: 0.5*0.31 + (-1.0)*(-0.20) = 0.355, listed with its weights
    assert "i gets weights (0.31, -0.20), x_t·w = 0.355" in alt
    assert "f gets weights (-0.50, 0.70), x_t·w = -0.950" in alt
    assert "c̃ gets weights (0.90, -0.33), x_t·w = 0.780" in alt
    assert "o gets weights (0.05, 0.61), x_t·w = -0.585" in alt
    assert repr(plot_feature_mixing(X_T, KERNEL)) == f"Figure: {alt}"


def test_alt_text_uses_feature_names():
    alt = plot_feature_mixing(
        X_T, KERNEL, feature_names=["temperature", "pressure"]
    ).alt
    assert "temperature = 0.50" in alt and "pressure = -1.00" in alt


def test_several_units_picks_the_columns_of_one_unit():
    rng = np.random.default_rng(0)
    units = 3
    kernel = rng.normal(size=(2, 4 * units))
    alt = plot_feature_mixing(X_T, kernel, unit=1).alt
    assert "unit 2 of 3" in alt  # unit=1 counted from 0 is the second unit
    cols = lu.split_gates(kernel)
    for name in ("i", "f", "c", "o"):
        w = cols[name][:, 1]
        label = "c̃" if name == "c" else name
        assert (
            f"{label} gets weights ({w[0]:.2f}, {w[1]:.2f}), x_t·w = {X_T @ w:.3f}"
            in alt
        )


def test_one_and_many_features_draw():
    rng = np.random.default_rng(1)
    assert "1 feature of x_t" in plot_feature_mixing([0.3], rng.normal(size=(1, 4))).alt
    fig = plot_feature_mixing(np.linspace(-1, 1, 10), rng.normal(size=(10, 4)))
    assert "40 lines" in fig.alt
    assert_svg_figure(fig)
    assert len(_weight_lines(fig.svg())) == 40
    assert not any(
        t.startswith("-") or t[:1].isdigit() for t in texts(fig.svg())
    )  # no weight labels beyond 4


def test_integer_inputs_are_accepted():
    fig = plot_feature_mixing([1, 2], [[1, 0, 0, 1], [0, 1, 1, 0]])
    assert "x_t·w = 1.000" in fig.alt


@pytest.mark.parametrize(
    "x_t, kernel, match",
    [
        (
            np.zeros((1, 2)),
            KERNEL,
            r"x_t must be 1-D \(features,\).*got shape \(1, 2\)",
        ),
        (np.zeros(0), np.zeros((0, 4)), r"at least one feature"),
        (np.zeros(11), np.zeros((11, 4)), r"at most 10 features.*got 11"),
        (
            X_T,
            np.zeros(8),
            r"kernel must be 2-D \(features, 4\*units\) = \(2, 4\*units\), got shape \(8,\)",
        ),
        (
            X_T,
            np.zeros((3, 4)),
            r"one row per feature.*expected \(2, 4\*units\), got shape \(3, 4\)",
        ),
        (X_T, np.zeros((4, 2)), r"got shape \(4, 2\).*PyTorch.*kernel\.T"),
        (X_T, np.zeros((2, 6)), r"4\*units columns.*got shape \(2, 6\)"),
        (X_T, np.zeros((2, 0)), r"4\*units columns.*got shape \(2, 0\)"),
        ([np.nan, 1.0], KERNEL, r"finite"),
        (X_T, np.full((2, 4), np.inf), r"finite"),
    ],
)
def test_bad_shapes_raise_value_error(x_t, kernel, match):
    with pytest.raises(ValueError, match=match):
        plot_feature_mixing(x_t, kernel)


@pytest.mark.parametrize(
    "unit, error, match",
    [
        (
            1,
            ValueError,
            r"unit must be between 0 and 0 \(the kernel has 1 unit\), got 1",
        ),
        (-1, ValueError, r"unit must be between 0 and 0.*got -1"),
        (0.0, TypeError, r"unit must be an integer.*float"),
        (True, TypeError, r"unit must be an integer.*bool"),
    ],
)
def test_bad_unit(unit, error, match):
    with pytest.raises(error, match=match):
        plot_feature_mixing(X_T, KERNEL, unit=unit)


@pytest.mark.parametrize(
    "names, error, match",
    [
        ("x1x2", TypeError, r"feature_names must be a list of 2 strings, got str"),
        (["only one"], ValueError, r"name each of the 2 features, got 1 names"),
        (["a", 2], TypeError, r"feature_names must be strings"),
        (7, TypeError, r"feature_names must be a list of 2 strings, got int"),
    ],
)
def test_bad_feature_names(names, error, match):
    with pytest.raises(error, match=match):
        plot_feature_mixing(X_T, KERNEL, feature_names=names)


@pytest.mark.parametrize(
    "x_t, kernel, match",
    [
        (None, KERNEL, r"x_t must be an array, got None"),
        (["a", "b"], KERNEL, r"x_t must be an array of real numbers"),
        (X_T, None, r"kernel must be an array, got None"),
        (X_T, KERNEL.astype(complex), r"kernel must be real"),
    ],
)
def test_non_numeric_inputs_raise_type_error(x_t, kernel, match):
    with pytest.raises(TypeError, match=match):
        plot_feature_mixing(x_t, kernel)


def test_does_not_use_pyplot():
    import sys

    plot_feature_mixing(X_T, KERNEL)
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        assert plt.get_fignums() == []
