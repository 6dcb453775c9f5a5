"""Checks for the exercises of chapter 03."""

from ._core import Hint, exercise  # noqa: F401
