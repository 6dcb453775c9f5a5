"""Plotting helpers for the chapters. matplotlib is imported only when a figure is drawn;
each helper returns a `CourseFigure` (a PNG in a notebook, its alt text as its text form)."""

from ._base import CourseFigure, new_figure
from .chain import plot_unrolled_chain
from .features import plot_feature_mixing
from .wiring import plot_unit_wiring

__all__ = ["CourseFigure", "new_figure", "plot_feature_mixing", "plot_unit_wiring", "plot_unrolled_chain"]
