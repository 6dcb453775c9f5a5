"""Checks for the exercises of chapter 01."""

from ._core import Hint, exercise  # noqa: F401
