"""plot_gru_cell (chapter 11): the inside of one GRU cell, with one step's values on the wires; the values are
gru_step's, and worked out by hand here with math alone for both reset_after forms; bad input is refused."""

import math

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_gru_cell

from figure_contract import assert_svg_figure, texts

# one unit, two features; blocks z, r, h
W = np.array([[0.4, -0.6, 0.8], [0.2, 0.5, -0.3]])
U = np.array([[0.7, -0.4, 0.9]])
B2 = np.array([[0.1, -0.2, 0.3], [0.05, 0.1, -0.1]])   # reset_after=True: input row, recurrent row
B1 = np.array([0.1, -0.2, 0.3])                        # reset_after=False
X, H1 = np.array([0.5, -1.0]), 0.3


def sig(v):
    return 1 / (1 + math.exp(-v))


def by_hand(reset_after):
    """One GRU step for one unit with plain floats: Keras's equations as the chapter writes them."""
    x0, x1 = X
    pre = [x0 * W[0, k] + x1 * W[1, k] for k in range(3)]
    if reset_after:
        pre = [p + B2[0, k] for k, p in enumerate(pre)]
        rec = [H1 * U[0, k] + B2[1, k] for k in range(3)]
        z, r = sig(pre[0] + rec[0]), sig(pre[1] + rec[1])
        through = r * rec[2]
    else:
        pre = [p + B1[k] for k, p in enumerate(pre)]
        z, r = sig(pre[0] + H1 * U[0, 0]), sig(pre[1] + H1 * U[0, 1])
        through = (r * H1) * U[0, 2]
    g = math.tanh(pre[2] + through)
    return {"z": z, "r": r, "h": g, "reset_part": through, "h_t": z * H1 + (1 - z) * g}


def test_bare_diagram_and_with_values_keep_the_contract():
    assert plot_gru_cell().values is None
    assert_svg_figure(plot_gru_cell())
    assert_svg_figure(plot_gru_cell(reset_after=False))
    assert_svg_figure(plot_gru_cell(X, [H1], W, U, B2, t=2))
    assert_svg_figure(plot_gru_cell(X, [H1], W, U, B1, t=2, reset_after=False))


@pytest.mark.parametrize("reset_after, bias", [(True, B2), (False, B1)])
def test_values_equal_the_step_by_hand_and_gru_step(reset_after, bias):
    fig = plot_gru_cell(X, H1, W, U, bias, t=2, reset_after=reset_after)
    want = by_hand(reset_after)
    for key, value in want.items():
        assert fig.values[key] == pytest.approx(value, abs=1e-12), key
    h, gates = lu.gru_step(X, np.array([H1]), W, U, bias, reset_after=reset_after)
    assert fig.values["h_t"] == pytest.approx(h[0], abs=1e-15)
    v = fig.values
    assert v["one_minus_z"] == pytest.approx(1 - want["z"])
    assert v["z_h_prev"] + v["one_minus_z_h"] == pytest.approx(want["h_t"])
    labels = texts(fig.svg())
    for key in ("z", "r", "h", "reset_part", "one_minus_z", "z_h_prev", "one_minus_z_h"):
        assert f"{v[key]:.3f}" in labels, key
    assert f"h2 = {v['h_t']:.3f}" in labels and "h1 = 0.300" in labels and "x2 = (0.500, -1)" in labels
    assert f"h_2 = {v['h_t']:.3f}" in fig.alt and "update gate z" in fig.alt


def test_blocks_are_told_by_letter_and_activation_and_the_reset_form_is_named():
    labels = set(texts(plot_gru_cell().svg()))
    assert {"z σ", "r σ", "h\u0303 tanh", "1−z", "×", "+", "r⊙(hU+b)"} <= labels
    assert "(r⊙h)U" in texts(plot_gru_cell(reset_after=False).svg())
    assert "reset_after=False" in plot_gru_cell(reset_after=False).alt
    assert "no cell state" in plot_gru_cell().alt


def test_the_two_forms_draw_different_numbers():
    a = plot_gru_cell(X, H1, W, U, B2).values
    b = plot_gru_cell(X, H1, W, U, B1, reset_after=False).values
    assert abs(a["h_t"] - b["h_t"]) > 1e-3


@pytest.mark.keras
def test_values_equal_a_keras_gru_step():
    import keras

    layer = keras.layers.GRU(1, return_sequences=True, dtype="float64")
    layer.build((None, 2, 2))
    layer.set_weights([W, U, B2])
    x = np.stack([np.array([0.3, 0.2]), X])[None]
    out = keras.ops.convert_to_numpy(layer(x))
    fig = plot_gru_cell(X, out[0, 0], W, U, B2, t=2)
    tolerance = lu.backends.float64_tolerance()
    assert abs(fig.values["h_t"] - out[0, 1, 0]) <= tolerance


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        ((X, H1, W, U), {}, TypeError, r"bias is missing"),
        ((X, None, W, U, B2), {}, TypeError, r"missing \['h_prev'\]"),
        ((X, H1, np.ones((2, 6)), np.ones((2, 6)), np.ones((2, 6))), {}, ValueError, r"one unit.*\(2, 6\)"),
        ((np.ones(4), H1, np.ones((4, 3)), U, B2), {}, ValueError, r"at most 3 features.*\(4, 3\)"),
        (([1.0, 2.0, 3.0], H1, W, U, B2), {}, ValueError, r"x_t must be one step .*\(2,\).*got shape \(3,\)"),
        ((X, [H1, H1], W, U, B2), {}, ValueError, r"h_prev must be one number.*\(2,\)"),
        ((X, np.nan, W, U, B2), {}, ValueError, r"h_prev must hold finite numbers"),
        ((X, H1, W, U, B1), {}, ValueError, r"reset_after=False"),
        ((X, H1, W, U, B2), {"reset_after": False}, ValueError, r"reset_after=True"),
        ((X, H1, W, np.ones((1, 4)), B2), {}, ValueError, r"recurrent_kernel"),
        (("a", H1, W, U, B2), {}, TypeError, r"x_t must be an array of real numbers"),
        ((), {"reset_after": "yes"}, TypeError, r"reset_after must be True or False"),
    ],
)
def test_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_gru_cell(*args, **kwargs)


@pytest.mark.parametrize("t, error", [(0, ValueError), (1.5, TypeError), (True, TypeError)])
def test_bad_step_number(t, error):
    with pytest.raises(error, match="t must be"):
        plot_gru_cell(t=t)
