"""plot_stateful_batches (chapter 07): rows are sequences, batches are consecutive chunks, row n hands its state
to row n; the printed states are the ones passed; bad input refused."""

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils.figures import plot_stateful_batches

from figure_contract import assert_svg_figure, elements, texts


def states_after_a(seed=6):
    rng = np.random.default_rng(seed)
    kernel, rk, bias = (
        rng.uniform(-2, 2, (2, 12)),
        rng.uniform(-2, 2, (3, 12)),
        rng.uniform(-2, 2, 12),
    )
    x = rng.normal(size=(2, 8, 2))
    _, h, c = lu.lstm_forward(x[:, :4], kernel, rk, bias, return_state=True)
    return h, c


H_A, C_A = states_after_a()


def test_legible():
    assert_svg_figure(plot_stateful_batches(2, 4, 2, units=3, carried=[(H_A, C_A)]))
    assert_svg_figure(plot_stateful_batches(4, 4, 3))
    assert_svg_figure(plot_stateful_batches(1, 1, 2))


def test_every_step_once_in_its_batch_and_row():
    labels = texts(plot_stateful_batches(2, 4, 2).svg())
    steps = [int(t) for t in labels if t.isdigit()]
    assert steps == [
        1,
        2,
        3,
        4,
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        5,
        6,
        7,
        8,
    ]  # batch A rows 0, 1; batch B rows 0, 1
    assert {"batch A: call 1", "batch B: call 2", "row 0", "row 1"} <= set(labels)


def test_one_hand_over_arrow_per_row_and_boundary():
    svg = plot_stateful_batches(3, 2, 3).svg()
    arrows = [
        el
        for tag, el, *_ in elements(svg)[1]
        if tag == "path" and el.get("marker-end") and el.get("stroke-width") == "2.2"
    ]
    assert len(arrows) == 3 * 2


def test_printed_states_are_the_ones_passed():
    fig = plot_stateful_batches(2, 4, 2, units=3, carried=[(H_A, C_A)])
    labels = texts(fig.svg())
    for n in range(2):
        assert "h = (" + ", ".join(f"{v:.3f}" for v in H_A[n]) + ")" in labels
        assert "c = (" + ", ".join(f"{v:.3f}" for v in C_A[n]) + ")" in labels
    assert "row 0: h = (" + ", ".join(f"{v:.3f}" for v in H_A[0]) in fig.alt
    assert "the batch size is fixed at 2" in fig.alt and "(3 numbers each)" in fig.alt


@pytest.mark.parametrize(
    "args, kwargs, error, match",
    [
        ((0, 4), {}, ValueError, r"batch_size must be between 1 and 4"),
        ((2, 4, 1), {}, ValueError, r"n_batches must be between 2 and 3"),
        ((2, 5, 3), {}, ValueError, r"at most 12 steps.*5 \* 3 = 15"),
        ((2.0, 4), {}, TypeError, r"batch_size must be an integer"),
        ((2, 4), {"units": 0}, ValueError, r"units must be at least 1"),
        (
            (2, 4),
            {"carried": (H_A, C_A)},
            TypeError,
            r"for one hand-over pass \[\(h, c\)\], not \(h, c\)",
        ),
        (
            (2, 4),
            {"carried": [H_A]},
            TypeError,
            r"carried\[0\] must be a pair \(h, c\)",
        ),
        (
            (2, 4),
            {"carried": [(H_A, C_A), (H_A, C_A)]},
            ValueError,
            r"one \(h, c\) pair per hand-over: 1 for 2",
        ),
        (
            (2, 4),
            {"carried": [(H_A[:1], C_A)]},
            ValueError,
            r"carried\[0\] h must be \(batch, units\) = \(2, units\)",
        ),
        (
            (2, 4),
            {"units": 4, "carried": [(H_A, C_A)]},
            ValueError,
            r"= \(2, 4\).*got shape \(2, 3\)",
        ),
        (
            (2, 4),
            {"carried": [(H_A, np.full((2, 3), np.nan))]},
            ValueError,
            r"carried\[0\] c must hold finite",
        ),
        (
            (2, 4),
            {"carried": H_A},
            TypeError,
            r"carried must be a list of \(h, c\) pairs",
        ),
    ],
)
def test_bad_input(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot_stateful_batches(*args, **kwargs)
