import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_unit_wiring

from figure_contract import assert_svg_figure, elements, texts


def _rk(units, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (units, 4 * units))


def test_returns_a_legible_svg_figure():
    assert_svg_figure(plot_unit_wiring(_rk(3), gate="f"))


def _lines(fig):
    """The weighted lines from h_{t-1}[j] (x = 92) to unit k (x = 262), j-major: (width, dashed)."""
    return [
        (float(el.get("stroke-width")), el.get("stroke-dasharray") is not None)
        for tag, el, *_ in elements(fig.svg())[1]
        if tag == "path" and (el.get("d") or "").startswith("M92,")
    ]


def test_every_weight_is_printed_with_its_sign_told_by_dash():
    rk = _rk(3)
    fig = plot_unit_wiring(rk, gate="f")
    block = lu.split_gates(rk)["f"]
    labels = texts(fig.svg())
    for w in block.reshape(-1):
        assert f"{w:.2f}" in labels
    assert [dashed for _, dashed in _lines(fig)] == [w < 0 for w in block.reshape(-1)]


def test_default_gate_is_forget():
    assert "forget gate" in plot_unit_wiring(_rk(2)).alt


@pytest.mark.parametrize(
    "gate, name",
    [
        ("i", "input gate"),
        ("f", "forget gate"),
        ("c", "candidate"),
        ("o", "output gate"),
    ],
)
def test_alt_text_names_units_gate_and_connections(gate, name):
    fig = plot_unit_wiring(_rk(3), gate=gate)
    alt = fig.alt
    assert name in alt
    assert "3 units" in alt
    assert "h_t-1[1] to h_t-1[3]" in alt
    assert "9 lines" in alt and "6 of them between different units" in alt
    assert repr(fig) == f"Figure: {alt}"


def test_alt_text_changes_with_units():
    assert "5 units" in plot_unit_wiring(_rk(5), gate="o").alt
    assert "25 lines" in plot_unit_wiring(_rk(5), gate="o").alt
    one = plot_unit_wiring(_rk(1), gate="c").alt
    assert "1 unit" in one and "no other unit" in one


def test_one_line_per_pair_of_units():
    units = 4
    fig = plot_unit_wiring(_rk(units), gate="i")
    assert len(_lines(fig)) == units * units


def test_line_widths_follow_the_chosen_gate_block():
    units = 2
    rk = np.zeros((units, 4 * units))
    f_block = lu.split_gates(rk)["f"]  # a view: writes go into rk
    f_block[0, 1] = 1.0  # only h_{t-1}[1] -> unit 2 is non-zero in the forget block
    rk[:, 0:units] = 5.0  # a large input-gate block must not leak into the f drawing
    widths = [
        w for w, _ in _lines(plot_unit_wiring(rk, gate="f"))
    ]  # j-major: (1,1), (1,2), (2,1), (2,2)
    assert widths[1] == max(widths)
    assert widths[0] == widths[2] == widths[3] < widths[1]


def test_all_zero_weights_still_draw():
    fig = plot_unit_wiring(np.zeros((2, 8)), gate="i")
    assert_svg_figure(fig)


def test_float32_and_int_inputs_are_accepted():
    assert_svg_figure(plot_unit_wiring(_rk(3).astype(np.float32)))
    assert_svg_figure(plot_unit_wiring(np.ones((2, 8), dtype=int)))


@pytest.mark.parametrize("shape", [(3, 3), (3, 8), (4, 3), (12, 3), (0, 0)])
def test_wrong_shape_names_expected_and_got(shape):
    with pytest.raises(ValueError, match=r"\(units, 4\*units\).*got shape") as info:
        plot_unit_wiring(np.zeros(shape))
    assert str(shape) in str(info.value)


def test_transposed_pytorch_layout_gets_a_hint():
    with pytest.raises(ValueError, match=r"PyTorch.*recurrent_kernel\.T"):
        plot_unit_wiring(np.zeros((12, 3)))


@pytest.mark.parametrize("bad", [np.zeros(12), np.zeros((1, 3, 12))])
def test_wrong_ndim(bad):
    with pytest.raises(ValueError, match=r"2-D \(units, 4\*units\), got shape"):
        plot_unit_wiring(bad)


def test_kernel_passed_by_mistake():
    kernel = np.zeros((2, 12))  # (features, 4*units): not square in units
    with pytest.raises(
        ValueError,
        match=r"\(units, 4\*units\).*got shape \(2, 12\).*should be \(3, 12\)",
    ):
        plot_unit_wiring(kernel)


@pytest.mark.parametrize("gate", ["g", "F", "forget", "", "if"])
def test_bad_gate_value(gate):
    with pytest.raises(
        ValueError, match=r"gate must be one of 'i', 'f', 'c', 'o'.*got " + repr(gate)
    ):
        plot_unit_wiring(_rk(3), gate=gate)


@pytest.mark.parametrize("gate", [1, None, ["f"]])
def test_bad_gate_type(gate):
    with pytest.raises(TypeError, match=r"gate must be one of 'i', 'f', 'c', 'o'.*got"):
        plot_unit_wiring(_rk(3), gate=gate)


def test_non_numeric_and_non_finite():
    with pytest.raises(TypeError, match="recurrent_kernel"):
        plot_unit_wiring(None)
    with pytest.raises(TypeError, match="real numbers"):
        plot_unit_wiring(np.array([["a"] * 4]))
    bad = _rk(2)
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="finite"):
        plot_unit_wiring(bad)


def test_does_not_use_pyplot():
    import sys

    plot_unit_wiring(_rk(2))
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        assert plt.get_fignums() == []
