"""Checks for the exercises of chapter 06."""

from ._core import Hint, exercise  # noqa: F401
