"""Checks for the exercises of chapter 08."""

from ._core import Hint, exercise  # noqa: F401
