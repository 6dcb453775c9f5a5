"""plot_backward_roads (chapter 08): one step of BPTT with its two roads; the numbers equal lstm_backward's and
finite differences; bad input refused."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_backward_roads

from figure_contract import assert_svg_figure, texts

# chapter 08's one-step example
KERNEL = np.array([[0.5, -0.4, 0.9, 0.3]])
RK = np.array([[0.2, 0.6, -0.7, 0.1]])
BIAS = np.array([0.1, 1.0, 0.0, -0.2])
X = np.array([[[0.8]]])
H0, C0 = np.array([[0.3]]), np.array([[-0.5]])
G = np.array([[1.0]])


def test_bare_and_with_values_are_legible():
    assert plot_backward_roads().values is None
    assert_svg_figure(plot_backward_roads())
    assert_svg_figure(plot_backward_roads(X[:, 0], H0, C0, KERNEL, RK, BIAS, dh=G, t=1))


def test_values_equal_lstm_backward_and_finite_differences():
    v = plot_backward_roads(X[:, 0], H0, C0, KERNEL, RK, BIAS, dh=G, t=1).values
    ref = lu.lstm_backward(X, KERNEL, RK, BIAS, G, initial_state=[H0, C0])
    np.testing.assert_allclose(
        v["dz"], ref["bias"], atol=1e-12
    )  # one step, one sample: d bias = dz
    np.testing.assert_allclose(v["dx"], ref["x"][0, 0], atol=1e-12)

    def loss(h0, c0):
        return lu.lstm_forward(
            X, KERNEL, RK, BIAS, initial_state=[h0, c0]
        ).item()  # L = h_1

    eps = 1e-6
    dh0 = (loss(H0 + eps, C0) - loss(H0 - eps, C0)) / (2 * eps)
    dc0 = (loss(H0, C0 + eps) - loss(H0, C0 - eps)) / (2 * eps)
    assert v["dh_prev"][0] == pytest.approx(dh0, abs=1e-8)  # road 1
    assert v["dc_prev"][0] == pytest.approx(dc0, abs=1e-8)  # road 2
    _, _, gates = lu.lstm_step(X[0, 0], H0[0], C0[0], KERNEL, RK, BIAS)
    assert v["dc_prev"][0] == pytest.approx(
        v["dc"][0] * gates["f"][0]
    )  # road 2 is one multiplication by f


def test_labels_carry_the_numbers_and_both_roads():
    fig = plot_backward_roads(X[:, 0], H0, C0, KERNEL, RK, BIAS, dh=G, t=1)
    v = fig.values
    labels = texts(fig.svg())
    assert (
        f"δc0 = {v['dc_prev'][0]:.4f}" in labels
        and f"δh0 = {v['dh_prev'][0]:.4f}" in labels
    )
    assert f"f1 = {v['f'][0]:.4f}" in labels and f"δc1 = {v['dc'][0]:.4f}" in labels
    assert [f"{d:.3f}" for d in v["dz"]] == [
        t for t in labels if t in {f"{d:.3f}" for d in v["dz"]}
    ]
    assert {"road 2: cell state", "road 1: through U", "× Uᵀ", "× Wᵀ"} <= set(labels)
    assert {"δzi", "δzf", "δzc\u0303", "δzo"} <= set(labels)
    assert (
        f"δc_0 = {v['dc_prev'][0]:.4f}" in fig.alt
        and "Road 2, along the top" in fig.alt
    )


def test_dc_next_defaults_to_zero_and_flat_inputs_work():
    a = plot_backward_roads(X[:, 0], H0, C0, KERNEL, RK, BIAS, dh=G).values
    b = plot_backward_roads(
        X[0, 0], H0[0], C0[0], KERNEL, RK, BIAS, dh=1.0, dc_next=0.0
    ).values
    for key in ("dh_prev", "dc_prev", "dz", "dx"):
        np.testing.assert_allclose(a[key], b[key])


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        ((X[:, 0], H0, C0, KERNEL, RK, BIAS), {}, TypeError, r"missing \['dh'\]"),
        (
            (X[:, 0], H0, C0, np.ones((1, 8)), np.ones((2, 8)), np.ones(8)),
            {"dh": G},
            ValueError,
            r"one unit.*\(2, 8\)",
        ),
        (
            (X[:, 0], H0, C0, KERNEL, RK, BIAS),
            {"dh": np.ones((2, 1))},
            ValueError,
            r"dh must be one sample's vector",
        ),
        (
            (np.ones(2), H0, C0, KERNEL, RK, BIAS),
            {"dh": G},
            ValueError,
            r"x_t must be one sample's vector of 1",
        ),
        (
            (X[:, 0], H0, C0, KERNEL, RK, BIAS),
            {"dh": np.nan},
            ValueError,
            r"dh must hold finite numbers",
        ),
        (
            (X[:, 0], H0, C0, np.ones((4, 4)), RK, BIAS),
            {"dh": G},
            ValueError,
            r"at most 3 features",
        ),
        ((), {"t": -1}, ValueError, r"t must be at least 1"),
    ],
)
def test_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_backward_roads(*args, **kwargs)
