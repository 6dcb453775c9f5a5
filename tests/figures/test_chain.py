"""plot_unrolled_chain: returns a CourseFigure with a PNG and value-bearing alt text, and refuses bad input."""

import numpy as np
import pytest

from lstm_utils.figures import CourseFigure, plot_unrolled_chain

from conftest import PNG_SIGNATURE, assert_course_figure

X = np.array([1.0, 2.0, 3.0, 4.0])
H = np.array([0.1158, 0.2871, 0.4302, 0.5321])
C = np.array([0.1813, 0.4797, 0.8040, 1.1236])
GATES = {"i": [0.62, 0.71, 0.80, 0.87], "f": [0.80, 0.86, 0.91, 0.94],
         "c": [0.29, 0.56, 0.75, 0.86], "o": [0.65, 0.79, 0.89, 0.95]}


def test_returns_course_figure_with_png():
    fig = plot_unrolled_chain(X, H, C)
    assert_course_figure(fig)


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
    assert fig.png().startswith(PNG_SIGNATURE)


def test_no_negative_zero_in_text():
    alt = plot_unrolled_chain([1.0, 2.0], [-0.0001, 0.2], [0.1, 0.3]).alt
    assert "-0.000" not in alt


@pytest.mark.parametrize(
    ("x", "h", "c", "match"),
    [
        (X, H[:3], C, r"same length T.*x: 4, h: 3, c: 4"),
        (X, H, C[:2], r"same length T.*c: 2"),
        (X[:3], H, C, r"same length T.*x: 3"),
        (np.ones((4, 2)), H, C, r"x must hold one feature per step.*\(4, 2\)"),
        (X, np.ones((4, 3)), C, r"h must hold one unit per step.*\(4, 3\)"),
        (X, H, np.ones((4, 2)), r"c must hold one unit per step.*\(4, 2\)"),
        (np.ones((1, 4, 1)), H, C, r"x must have shape \(T,\) or \(T, 1\), got shape \(1, 4, 1\)"),
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
    with pytest.raises(ValueError, match=r"gates\['f'\] must have one value per step \(T = 4\), got length 3"):
        plot_unrolled_chain(X, H, C, gates=dict(GATES, f=[0.1, 0.2, 0.3]))
    with pytest.raises(TypeError, match="gates must be a dict"):
        plot_unrolled_chain(X, H, C, gates=[0.1, 0.2, 0.3, 0.4])


def test_non_numeric_input_raises_type_error():
    with pytest.raises(TypeError, match="x must be an array of real numbers"):
        plot_unrolled_chain(["a", "b"], [0.1, 0.2], [0.1, 0.2])
