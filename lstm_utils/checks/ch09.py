"""Checks for the exercises of chapter 09."""

from ._core import Hint, exercise  # noqa: F401
