"""Imports every chapter's checks so that they register themselves (one module per chapter)."""

from . import ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09  # noqa: F401
