"""plot_gate_activations (chapter 04): a legible SVG chart and alt text built from T and units;
bad input is refused with a ValueError or TypeError that says what was expected and what arrived."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_gate_activations

from figure_contract import assert_svg_figure, texts


def collected_gates(steps=5, units=3, features=2, seed=4):
    """What chapter 04 collects: lstm_step's gates for sample 0, stacked over the steps -> (T, units)."""
    rng = np.random.default_rng(seed)
    kernel = rng.normal(size=(features, 4 * units))
    recurrent_kernel = rng.normal(size=(units, 4 * units))
    bias = rng.normal(size=4 * units)
    x = rng.normal(size=(2, steps, features))
    h = c = np.zeros((2, units))
    per_step = []
    for t in range(steps):
        h, c, gates = lu.lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        per_step.append(gates)
    return {g: np.stack([gates[g][0] for gates in per_step]) for g in lu.GATE_ORDER}, x[
        0
    ]


GATES, X = collected_gates()


def test_exported_from_figures_package():
    assert lu.figures.plot_gate_activations is plot_gate_activations


@pytest.mark.parametrize("x", [None, X])
def test_returns_a_legible_svg_figure(x):
    assert_svg_figure(plot_gate_activations(GATES, x=x))


def test_phone_wide_panels_in_keras_order():
    fig = plot_gate_activations(GATES, x=X)
    width, height = fig.figure.get_size_inches()
    assert (
        width == 5.0 and height <= 7.0
    )  # 360 units wide: 11.5 pt text is 11.4 px on a phone
    labels = texts(fig.svg())
    assert [t for t in labels if ": " in t] == [
        "i: input gate",
        "f: forget gate",
        "c\u0303: candidate",
        "o: output gate",
    ]
    assert {"unit 1", "unit 2", "unit 3", "feature 1", "feature 2", "input x_t"} <= set(
        labels
    )


def test_each_unit_has_its_own_colour_marker_and_dash():
    ax = plot_gate_activations(GATES).figure.axes[0]
    styles = [
        (line.get_color(), line.get_marker(), str(line.get_linestyle()))
        for line in ax.lines
        if line.get_label().startswith("unit")
    ]
    assert len(styles) == 3
    for k in range(3):  # any two units differ in marker AND dash, not only colour
        for j in range(k):
            assert styles[k][1] != styles[j][1] and styles[k][2] != styles[j][2]


def test_the_lines_are_the_gate_values():
    fig = plot_gate_activations(GATES)
    for ax, name in zip(fig.figure.axes, lu.GATE_ORDER):
        units = [line for line in ax.lines if line.get_label().startswith("unit")]
        for u, line in enumerate(units):
            np.testing.assert_allclose(
                line.get_ydata(), GATES[name][:, u], atol=5e-4
            )  # drawn to 0.001


def test_alt_text_from_steps_and_units():
    alt = plot_gate_activations(GATES).alt
    assert "3 units" in alt and "T = 5 timesteps" in alt
    assert "timestep 1 to 5" in alt
    for name in ("input gate i", "forget gate f", "candidate c-tilde", "output gate o"):
        assert name in alt
    lo, hi = GATES["f"].min(), GATES["f"].max()
    assert f"forget gate f from {lo:.2f} to {hi:.2f}" in alt
    assert "input x_t" not in alt


def test_alt_text_mentions_x_when_given():
    alt = plot_gate_activations(GATES, x=X).alt
    assert "input x_t of the same sample, 2 features per step" in alt


def test_alt_text_changes_with_shape():
    gates, x = collected_gates(steps=7, units=1, features=1, seed=2)
    alt = plot_gate_activations(gates, x=x[:, 0]).alt
    assert "1 unit," in alt and "T = 7 timesteps" in alt and "1 feature per step" in alt


def test_one_unit_as_flat_arrays_is_the_same_figure():
    gates, _ = collected_gates(steps=4, units=1, seed=1)
    flat = {g: v[:, 0] for g, v in gates.items()}
    assert plot_gate_activations(flat).alt == plot_gate_activations(gates).alt


def test_long_sequence_draws():
    gates, x = collected_gates(steps=40, units=2, seed=3)
    assert_svg_figure(plot_gate_activations(gates, x=x))


def test_not_a_dict_is_type_error():
    with pytest.raises(TypeError, match=r"gates must be a dict .* got list"):
        plot_gate_activations([GATES["i"], GATES["f"], GATES["c"], GATES["o"]])


def test_missing_and_extra_keys():
    with pytest.raises(
        ValueError, match=r"exactly the keys \['c', 'f', 'i', 'o'\].*missing \['o'\]"
    ):
        plot_gate_activations({g: GATES[g] for g in "ifc"})
    with pytest.raises(ValueError, match=r"unexpected \['h'\]"):
        plot_gate_activations(dict(GATES, h=GATES["i"]))


def test_mismatched_shapes():
    bad = dict(GATES, f=GATES["f"][:4])
    with pytest.raises(
        ValueError, match=r"same shape \(timesteps, units\), got i \(5, 3\), f \(4, 3\)"
    ):
        plot_gate_activations(bad)


def test_batch_axis_left_in_is_refused_with_a_hint():
    batched = {g: np.stack([v, v]) for g, v in GATES.items()}
    with pytest.raises(ValueError, match=r"one sample, got shape \(2, 5, 3\).*\[0\]"):
        plot_gate_activations(batched)


def test_pre_activations_are_refused():
    with pytest.raises(
        ValueError,
        match=r"gates\['i'\] must be an activation sigmoid\(z_i\) between 0 and 1",
    ):
        plot_gate_activations(dict(GATES, i=GATES["i"] * 3 - 1))
    with pytest.raises(
        ValueError,
        match=r"gates\['c'\] must be an activation tanh\(z_c\) between -1 and 1",
    ):
        plot_gate_activations(dict(GATES, c=GATES["c"] * 5))


@pytest.mark.parametrize(
    ("gates", "match"),
    [
        ({g: np.zeros((0, 3)) for g in "ifco"}, r"at least one timestep and one unit"),
        ({g: np.full((5, 11), 0.5) for g in "ifco"}, r"at most 10 units .* got 11"),
        (
            {g: np.full((2, 2, 2, 2), 0.5) for g in "ifco"},
            r"must be \(timesteps, units\), got shape \(2, 2, 2, 2\)",
        ),
        (
            dict(GATES, o=np.where(GATES["o"] > 0.5, np.nan, GATES["o"])),
            r"gates\['o'\] must hold finite numbers",
        ),
    ],
)
def test_bad_gate_arrays(gates, match):
    with pytest.raises(ValueError, match=match):
        plot_gate_activations(gates)


def test_non_numeric_gate_is_type_error():
    with pytest.raises(
        TypeError, match=r"gates\['f'\] must be an array of real numbers"
    ):
        plot_gate_activations(dict(GATES, f=[["a"] * 3] * 5))


@pytest.mark.parametrize(
    ("x", "match"),
    [
        (X[:4], r"one row per timestep of the gates \(T = 5\), got shape \(4, 2\)"),
        (
            X[None],
            r"x must be \(timesteps, features\) for the same one sample .* \(1, 5, 2\).*x\[0\]",
        ),
        (np.zeros((5, 11)), r"between 1 and 10 features, got shape \(5, 11\)"),
        (np.full((5, 2), np.inf), r"x must hold finite numbers"),
        (
            np.float64(1.0),
            r"x must be \(timesteps,\) or \(timesteps, features\), got shape \(\)",
        ),
    ],
)
def test_bad_x(x, match):
    with pytest.raises(ValueError, match=match):
        plot_gate_activations(GATES, x=x)


def test_non_numeric_x_is_type_error():
    with pytest.raises(TypeError, match="x must be an array of real numbers"):
        plot_gate_activations(GATES, x=["a"] * 5)
