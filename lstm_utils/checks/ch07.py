"""Checks for the exercises of chapter 07."""

from ._core import Hint, exercise  # noqa: F401
