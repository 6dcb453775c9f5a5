"""plot_lstm_cell (chapter 01): the inside of one cell, with one step's values on the wires; the values are
lstm_step's, by hand too; bad input is refused."""

import math

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_lstm_cell

from figure_contract import assert_svg_figure, texts

# chapter 01: LSTM(1) on one feature, round weights, step 2 (x_2 = 2) from h_1, c_1
W = np.array([[0.5, 0.4, 0.3, 0.6]])
U = np.array([[0.2, 0.1, 0.4, 0.3]])
B = np.array([0.0, 1.0, 0.0, 0.0])
H1, C1 = 0.11580, 0.18126


def sig(z):
    return 1 / (1 + math.exp(-z))


def test_bare_diagram_and_with_values_are_legible():
    assert plot_lstm_cell().values is None
    assert_svg_figure(plot_lstm_cell())
    assert_svg_figure(plot_lstm_cell([2.0], [H1], [C1], W, U, B, t=2))


def test_values_equal_the_step_by_hand():
    fig = plot_lstm_cell(2.0, H1, C1, W, U, B, t=2)
    i, f = sig(0.5 * 2 + 0.2 * H1), sig(0.4 * 2 + 0.1 * H1 + 1.0)
    g, o = math.tanh(0.3 * 2 + 0.4 * H1), sig(0.6 * 2 + 0.3 * H1)
    c = f * C1 + i * g
    v = fig.values
    assert (
        v["i"] == pytest.approx(i)
        and v["f"] == pytest.approx(f)
        and v["c"] == pytest.approx(g)
    )
    assert v["o"] == pytest.approx(o) and v["c_t"] == pytest.approx(c)
    assert v["h_t"] == pytest.approx(o * math.tanh(c)) and v[
        "f_c_prev"
    ] == pytest.approx(f * C1)
    labels = texts(fig.svg())
    for key in ("i", "f", "c", "o", "f_c_prev", "i_c", "tanh_c_t"):
        assert f"{v[key]:.3f}" in labels, key
    assert (
        f"c2 = {v['c_t']:.3f}" in labels and f"h2 = {v['h_t']:.3f}" in labels
    )  # c_2, h_2 with subscripts
    assert "c1 = 0.181" in labels and "h1 = 0.116" in labels and "x2 = 2" in labels
    assert f"h_2 = {v['h_t']:.3f}" in fig.alt and "forget gate f" in fig.alt


def test_gates_are_told_by_letter_and_activation():
    labels = texts(plot_lstm_cell().svg())
    assert {"f σ", "i σ", "c\u0303 tanh", "o σ", "tanh", "×", "+"} <= set(labels)


def test_batch_of_one_and_flat_inputs_agree_and_float32_is_fine():
    a = plot_lstm_cell(np.array([2.0]), np.array([H1]), np.array([C1]), W, U, B)
    b = plot_lstm_cell(
        2.0, H1, C1, W.astype("float32"), U.astype("float32"), B.astype("float32")
    )
    assert a.values["h_t"] == pytest.approx(b.values["h_t"], abs=1e-6)


def test_two_features():
    k = np.array([[0.27, -0.46, -0.92, -0.97], [0.63, 0.83, 0.21, 0.46]])
    fig = plot_lstm_cell(
        [0.5, -1.0],
        [0.0],
        [0.0],
        k,
        [[0.09, 0.87, 0.63, -0.99]],
        [0.71, -0.93, 0.46, -0.65],
    )
    h, c, _ = lu.lstm_step(
        np.array([0.5, -1.0]),
        np.zeros(1),
        np.zeros(1),
        k,
        np.array([[0.09, 0.87, 0.63, -0.99]]),
        np.array([0.71, -0.93, 0.46, -0.65]),
    )
    assert fig.values["h_t"] == pytest.approx(h[0])
    assert "xt = (0.500, -1)" in texts(fig.svg())  # whole numbers print as typed


@pytest.mark.parametrize(
    "args, error, match",
    [
        ((2.0, H1, C1, W, U), TypeError, r"pass all of .* missing \['bias'\]"),
        ((2.0, None, C1, W, U, B), TypeError, r"missing \['h_prev'\]"),
        (
            (2.0, H1, C1, np.ones((1, 12)), np.ones((3, 12)), np.ones(12)),
            ValueError,
            r"one unit.*\(3, 12\)",
        ),
        (
            (np.ones(4), H1, C1, np.ones((4, 4)), U, B),
            ValueError,
            r"at most 3 features.*\(4, 4\)",
        ),
        (
            ([1.0, 2.0], H1, C1, W, U, B),
            ValueError,
            r"x_t must be one step .* \(1,\).*got shape \(2,\)",
        ),
        (
            (2.0, [H1, H1], C1, W, U, B),
            ValueError,
            r"h_prev must be one number.*\(2,\)",
        ),
        ((2.0, H1, np.nan, W, U, B), ValueError, r"c_prev must hold finite numbers"),
        (
            (2.0, H1, C1, W.T, U, B),
            ValueError,
            r"kernel must be \(features, 4\*units\).*PyTorch",
        ),
        (("a", H1, C1, W, U, B), TypeError, r"x_t must be an array of real numbers"),
    ],
)
def test_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        plot_lstm_cell(*args)


@pytest.mark.parametrize(
    "t, error", [(0, ValueError), (1.5, TypeError), (True, TypeError)]
)
def test_bad_step_number(t, error):
    with pytest.raises(error, match="t must be"):
        plot_lstm_cell(t=t)
