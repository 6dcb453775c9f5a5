"""Checks for the exercises of chapter 02."""

from ._core import Hint, exercise  # noqa: F401
