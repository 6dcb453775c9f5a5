"""plot_unrolled_chain: an SVG whose labels and alt text carry the values passed, legible on a phone; bad input is
refused."""

import re

import numpy as np
import pytest

from lstm_utils.figures import plot_unrolled_chain

from figure_contract import assert_svg_figure, texts

X = np.array([1.0, 2.0, 3.0, 4.0])
H = np.array([0.1158, 0.2871, 0.4302, 0.5321])
C = np.array([0.1813, 0.4797, 0.8040, 1.1236])
GATES = {
    "i": [0.62, 0.71, 0.80, 0.87],
    "f": [0.80, 0.86, 0.91, 0.94],
    "c": [0.29, 0.56, 0.75, 0.86],
    "o": [0.65, 0.79, 0.89, 0.95],
}


def test_returns_a_legible_svg_figure():
    assert_svg_figure(plot_unrolled_chain(X, H, C))
    assert_svg_figure(plot_unrolled_chain(X, H, C, gates=GATES))


def test_the_labels_are_the_values_passed():
    labels = texts(plot_unrolled_chain(X, H, C, gates=GATES).svg())
    for name, values in [("xt", X), ("ct", C), ("ht", H)] + [
        (k if k != "c" else "c\u0303", v) for k, v in GATES.items()
    ]:
        row = labels.index(name)
        assert labels[row + 1 : row + 5] == [
            f"{v:.3f}" if v % 1 else f"{v:.0f}" for v in values
        ], name
    assert [t for t in labels if re.fullmatch(r"x\d", t)] == ["x1", "x2", "x3", "x4"]
    assert labels.count("cell") == 4  # one box per step: the same cell drawn four times


def test_alt_text_names_steps_and_values():
    alt = plot_unrolled_chain(X, H, C).alt
    assert "T = 4" in alt
    assert "x = 1, 2, 3, 4" in alt
    assert "h = 0.116, 0.287, 0.430, 0.532" in alt
    assert "c = 0.181, 0.480, 0.804, 1.124" in alt
    assert "Gates" not in alt


def test_alt_text_includes_gates_when_given():
    alt = plot_unrolled_chain(X, H, C, gates=GATES).alt
    assert "input i = 0.620, 0.710, 0.800, 0.870" in alt
    assert "forget f = 0.800, 0.860, 0.910, 0.940" in alt
    assert "candidate c-tilde = 0.290, 0.560, 0.750, 0.860" in alt
    assert "output o = 0.650, 0.790, 0.890, 0.950" in alt


def test_column_shapes_are_accepted_and_same_as_flat():
    flat = plot_unrolled_chain(X, H, C)
    column = plot_unrolled_chain(X[:, None], H[:, None], C[:, None])
    assert flat.alt == column.alt


def test_single_step_and_integers():
    fig = plot_unrolled_chain([3], [0.5], [0.25])
    assert "T = 1" in fig.alt and "x = 3" in fig.alt
    assert_svg_figure(fig)
    assert "one cell, one step" in texts(fig.svg())


def test_no_negative_zero_in_text():
    fig = plot_unrolled_chain([1.0, 2.0], [-0.0001, 0.2], [0.1, 0.3])
    assert "-0.000" not in fig.alt and "-0.000" not in texts(fig.svg())


@pytest.mark.parametrize(
    ("x", "h", "c", "match"),
    [
        (X, H[:3], C, r"same length T.*x: 4, h: 3, c: 4"),
        (X, H, C[:2], r"same length T.*c: 2"),
        (X[:3], H, C, r"same length T.*x: 3"),
        (np.ones((4, 2)), H, C, r"x must hold one feature per step.*\(4, 2\)"),
        (X, np.ones((4, 3)), C, r"h must hold one unit per step.*\(4, 3\)"),
        (X, H, np.ones((4, 2)), r"c must hold one unit per step.*\(4, 2\)"),
        (
            np.ones((1, 4, 1)),
            H,
            C,
            r"x must have shape \(T,\) or \(T, 1\), got shape \(1, 4, 1\)",
        ),
        ([], [], [], r"at least one step"),
        (X, [0.1, np.nan, 0.2, 0.3], C, r"finite"),
        (np.arange(7.0), np.zeros(7), np.zeros(7), r"at most 6 steps, got T = 7"),
    ],
)
def test_bad_shapes_raise_value_error(x, h, c, match):
    with pytest.raises(ValueError, match=match):
        plot_unrolled_chain(x, h, c)


def test_bad_gates():
    with pytest.raises(ValueError, match=r"keys \['c', 'f', 'i', 'o'\]"):
        plot_unrolled_chain(X, H, C, gates={"i": X, "f": X, "o": X})
    with pytest.raises(
        ValueError,
        match=r"gates\['f'\] must have one value per step \(T = 4\), got length 3",
    ):
        plot_unrolled_chain(X, H, C, gates=dict(GATES, f=[0.1, 0.2, 0.3]))
    with pytest.raises(TypeError, match="gates must be a dict"):
        plot_unrolled_chain(X, H, C, gates=[0.1, 0.2, 0.3, 0.4])


def test_non_numeric_input_raises_type_error():
    with pytest.raises(TypeError, match="x must be an array of real numbers"):
        plot_unrolled_chain(["a", "b"], [0.1, 0.2], [0.1, 0.2])
