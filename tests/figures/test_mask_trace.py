"""plot_masked_trace (chapter 06): returns a legible SVG chart and alt text generated from the data,
and refuses bad input with errors that name what was expected and what arrived."""

import sys

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_masked_trace

from figure_contract import assert_svg_figure, texts

# Outputs of a 3-unit LSTM on a sequence with 3 real steps and 2 post-padded steps, under Keras's masking rule.
MASK = np.array([True, True, True, False, False])
OUTPUTS = np.array(
    [
        [-0.393, -0.023, 0.206],
        [-0.131, -0.083, 0.462],
        [-0.173, -0.178, 0.359],
        [-0.173, -0.178, 0.359],
        [-0.173, -0.178, 0.359],
    ]
)
STATES = np.array(
    [
        [-0.564, -0.034, 0.353],
        [-0.382, -0.229, 0.838],
        [-0.384, -0.341, 1.048],
        [-0.384, -0.341, 1.048],
        [-0.384, -0.341, 1.048],
    ]
)


def _masked_run(mask, units=2, seed=0, initial_state=None):
    """Per-step outputs and cell states of the reference LSTM for one sequence under ``mask``."""
    rng = np.random.default_rng(seed)
    steps = len(mask)
    x = rng.normal(size=(1, steps, 2))
    kernel = rng.normal(size=(2, 4 * units))
    rk = rng.normal(size=(units, 4 * units))
    bias = rng.normal(size=4 * units)
    out = lu.lstm_forward(
        x,
        kernel,
        rk,
        bias,
        return_sequences=True,
        mask=np.asarray(mask)[None],
        initial_state=initial_state,
    )[0]
    # cell states step by step: the final c of every prefix
    c = np.array(
        [
            lu.lstm_forward(
                x[:, :t],
                kernel,
                rk,
                bias,
                return_state=True,
                mask=np.asarray(mask)[None, :t],
                initial_state=initial_state,
            )[2][0]
            for t in range(1, steps + 1)
        ]
    )
    return out, c


def test_returns_a_legible_svg_figure():
    svg = assert_svg_figure(plot_masked_trace(MASK, OUTPUTS))
    assert {"masked step", "value at a masked step", "unit 1", "unit 3"} <= set(
        texts(svg)
    )


def test_with_states_draws_two_panels():
    fig = plot_masked_trace(MASK, OUTPUTS, states=STATES)
    assert_svg_figure(fig)
    assert len(fig.figure.axes) == 2
    bands = [p for p in fig.figure.axes[0].patches if p.get_hatch()]
    assert len(bands) == 1  # the masked steps: hatched, not only grey
    assert len(plot_masked_trace(MASK, OUTPUTS).figure.axes) == 1


def test_exported_from_figures_package():
    assert lu.figures.plot_masked_trace is plot_masked_trace


def test_alt_text_generated_from_mask_and_values():
    alt = plot_masked_trace(MASK, OUTPUTS).alt
    assert "T = 5 timesteps" in alt
    assert "each of the 3 units" in alt
    assert (
        "2 of the 5 steps are masked and shaded grey (steps 4 and 5); the other 3 are kept"
        in alt
    )
    assert "stays at its value from step 3, (-0.173, -0.178, 0.359), a flat line" in alt
    assert "Output at the last step: (-0.173, -0.178, 0.359)." in alt
    assert "cell state" not in alt


def test_alt_text_mentions_states_when_given():
    alt = plot_masked_trace(MASK, OUTPUTS, states=STATES).alt
    assert "second panel below shows the cell state c_t on the same time axis" in alt
    assert "the cell state also stays at its value from step 3" in alt


def test_alt_text_for_leading_masked_steps_says_zero():
    mask = [False, False, True, True]
    out, c = _masked_run(
        mask, initial_state=[np.full((1, 2), 0.5), np.full((1, 2), -1.0)]
    )
    assert np.all(out[:2] == 0.0)
    alt = plot_masked_trace(mask, out, states=c).alt
    assert (
        "At masked steps 1 and 2, before any kept step, every unit's output is 0" in alt
    )
    assert "the cell state stays at its initial value" in alt


def test_alt_text_describes_runs_in_the_middle_and_single_steps():
    mask = [True, False, True, False, False, False, True]
    out, _ = _masked_run(mask, units=1)
    alt = plot_masked_trace(mask, out).alt
    assert (
        "4 of the 7 steps are masked and shaded grey (step 2, steps 4 to 6); the other 3 are kept"
        in alt
    )
    assert "At masked step 2 the output stays at its value from step 1" in alt
    assert "At masked steps 4 to 6 the output stays at its value from step 3" in alt
    assert "the output h_t of the layer's single unit (one line)" in alt


def test_alt_text_is_truthful_when_the_output_is_not_held():
    # Outputs of an LSTM that ignored the mask: the alt text must not claim a flat line.
    moving = OUTPUTS.copy()
    moving[3:] += [[0.05, 0.0, 0.0], [0.1, 0.0, 0.0]]
    alt = plot_masked_trace(MASK, moving).alt
    assert "does not stay at its value from step 3: it moves by up to 0.100" in alt
    assert "flat line" not in alt


def test_no_masked_step_and_integer_mask():
    alt = plot_masked_trace([1, 1, 1], OUTPUTS[:3]).alt
    assert "No step is masked." in alt
    alt = plot_masked_trace(np.array([1, 1, 1, 0, 0]), OUTPUTS).alt
    assert "(steps 4 and 5)" in alt


def test_one_masked_step_and_all_masked():
    mask = [True, True, False]
    out, _ = _masked_run(mask)
    alt = plot_masked_trace(mask, out).alt
    assert (
        "1 of the 3 steps is masked and shaded grey (step 3); the other 2 are kept"
        in alt
    )
    alt = plot_masked_trace([False] * 3, np.zeros((3, 2))).alt
    assert "All 3 steps are masked and shaded grey." in alt
    assert (
        "At masked steps 1 to 3, before any kept step, every unit's output is 0" in alt
    )


def test_single_unit_float32():
    out = OUTPUTS[:, :1].astype("float32")
    fig = plot_masked_trace(MASK, out)
    assert_svg_figure(fig)
    assert "(-0.173)" in fig.alt


@pytest.mark.parametrize(
    "mask, outputs, match",
    [
        (
            np.ones((1, 5), bool),
            OUTPUTS,
            r"mask must be 1-D \(T,\), one sequence, got shape \(1, 5\).*mask\[i\]",
        ),
        (
            np.ones((), bool),
            OUTPUTS,
            r"mask must be 1-D \(T,\), one sequence, got shape \(\)",
        ),
        (np.ones(0, bool), OUTPUTS, r"at least one step"),
        (np.ones(41, bool), np.zeros((41, 3)), r"at most 40 steps, got T = 41"),
        (
            MASK,
            OUTPUTS[:, 0],
            r"outputs must be 2-D \(T, units\) = \(5, units\), got shape \(5,\).*outputs\[:, None\]",
        ),
        (
            MASK,
            OUTPUTS[None],
            r"outputs must be 2-D \(T, units\) = \(5, units\), got shape \(1, 5, 3\).*outputs\[i\]",
        ),
        (
            MASK,
            OUTPUTS[:4],
            r"one row per step of the mask: expected \(5, units\), got shape \(4, 3\)",
        ),
        (MASK, OUTPUTS.T, r"expected \(5, units\), got shape \(3, 5\)"),
        (
            MASK,
            np.zeros((5, 0)),
            r"at least one unit: expected \(5, units\), got shape \(5, 0\)",
        ),
        (MASK, np.zeros((5, 9)), r"at most 8 units.*got 9"),
        (MASK, np.full((5, 3), np.nan), r"outputs must hold finite numbers"),
    ],
)
def test_bad_shapes_raise_value_error(mask, outputs, match):
    with pytest.raises(ValueError, match=match):
        plot_masked_trace(mask, outputs)


@pytest.mark.parametrize(
    "states, match",
    [
        (
            STATES[:, :2],
            r"states must have the shape of outputs, expected \(5, 3\), got shape \(5, 2\)",
        ),
        (
            STATES[:3],
            r"states must have one row per step of the mask: expected \(5, units\), got shape \(3, 3\)",
        ),
        (
            STATES[:, 0],
            r"states must be 2-D \(T, units\) = \(5, units\), got shape \(5,\)",
        ),
        (np.full((5, 3), np.inf), r"states must hold finite numbers"),
    ],
)
def test_bad_states_raise_value_error(states, match):
    with pytest.raises(ValueError, match=match):
        plot_masked_trace(MASK, OUTPUTS, states=states)


@pytest.mark.parametrize(
    "mask, outputs, match",
    [
        (None, OUTPUTS, r"mask must be a 1-D array of booleans \(T,\), got None"),
        (
            np.array([0.5, 1, 1, 0, 0]),
            OUTPUTS,
            r"mask must hold booleans \(or 0/1\).*got dtype float64",
        ),
        (
            np.array(list("yynnn")),
            OUTPUTS,
            r"mask must hold booleans \(or 0/1\).*got dtype <U1",
        ),
        (MASK, None, r"outputs must be an array, got None"),
        (MASK, [["a"] * 3] * 5, r"outputs must be an array of real numbers"),
        (MASK, OUTPUTS.astype(complex), r"outputs must be real"),
    ],
)
def test_non_numeric_inputs_raise_type_error(mask, outputs, match):
    with pytest.raises(TypeError, match=match):
        plot_masked_trace(mask, outputs)


def test_does_not_use_pyplot():
    plot_masked_trace(MASK, OUTPUTS, states=STATES)
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        assert plt.get_fignums() == []
