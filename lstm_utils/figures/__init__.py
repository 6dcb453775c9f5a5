"""The course's figures, one helper per figure. Each returns a :class:`CourseFigure`: an SVG (the step-through:
self-contained HTML) whose text form is its alt text. matplotlib is imported only when a chart is drawn, so
``import lstm_utils`` needs numpy alone. ``_style.py`` says how they stay legible on a phone, colour-blind safe and
in one notation (W, U, b; gates i, f, c̃, o; a GRU's z, r, h̃)."""

from ._base import CourseFigure, new_figure
from .backward import plot_backward_roads
from .bidirectional import plot_bidirectional
from .cell import plot_lstm_cell
from .chain import plot_unrolled_chain
from .features import plot_feature_mixing
from .gates_time import plot_gate_activations
from .gradients import plot_gradient_norms
from .gru_cell import plot_gru_cell
from .heatmap import plot_weight_heatmap
from .loss_curve import plot_loss_curve
from .mask_trace import plot_masked_trace
from .shapes import plot_step_shapes
from .stack import plot_stack_wiring
from .stateful import plot_stateful_batches
from .states_time import plot_states_over_time
from .stepper import plot_step_through
from .width_depth import plot_wide_vs_stacked
from .wiring import plot_unit_wiring

__all__ = [
    "CourseFigure",
    "new_figure",
    "plot_backward_roads",
    "plot_bidirectional",
    "plot_feature_mixing",
    "plot_gate_activations",
    "plot_gradient_norms",
    "plot_gru_cell",
    "plot_loss_curve",
    "plot_lstm_cell",
    "plot_masked_trace",
    "plot_stack_wiring",
    "plot_stateful_batches",
    "plot_states_over_time",
    "plot_step_shapes",
    "plot_step_through",
    "plot_unit_wiring",
    "plot_unrolled_chain",
    "plot_weight_heatmap",
    "plot_wide_vs_stacked",
]
