"""Checks for the exercises of chapter 05."""

from ._core import Hint, exercise  # noqa: F401
