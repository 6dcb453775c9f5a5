"""Plotting helpers for the chapters. matplotlib is imported only when a figure is drawn;
each helper returns a `CourseFigure` (a PNG in a notebook, its alt text as its text form)."""

from ._base import CourseFigure, new_figure
from .chain import plot_unrolled_chain
from .features import plot_feature_mixing
from .gates_time import plot_gate_activations
from .gradients import plot_gradient_norms
from .mask_trace import plot_masked_trace
from .stack import plot_stack_wiring
from .wiring import plot_unit_wiring

__all__ = [
    "CourseFigure", "new_figure", "plot_feature_mixing", "plot_gate_activations", "plot_gradient_norms",
    "plot_masked_trace", "plot_stack_wiring", "plot_unit_wiring", "plot_unrolled_chain",
]
