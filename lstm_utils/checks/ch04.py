"""Checks for the exercises of chapter 04."""

from ._core import Hint, exercise  # noqa: F401
