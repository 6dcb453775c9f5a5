"""Argument checks the figure helpers share (each refuses bad input with a ValueError or TypeError that names what
was expected and what arrived)."""

import numbers

from .._validate import finite, float_array


def count(value, name, *, low=1, high=None, what=""):
    """``value`` as an int between ``low`` and ``high``; bools, floats and strings are refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an integer{what}, got {value!r} ({type(value).__name__})"
        )
    value = int(value)
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValueError(f"{name} must be {bounds}{what}, got {value}")
    return value


def flag(value, name):
    if not isinstance(value, bool):
        raise TypeError(
            f"{name} must be True or False, got {value!r} ({type(value).__name__})"
        )
    return value


def vector(value, name, length=None, *, what="numbers"):
    """A finite 1-D float array, of ``length`` if given; (1, n) batches of one are refused with a hint."""
    arr = float_array(value, name)
    if arr.ndim != 1:
        hint = (
            f"; for one sample of a batch pass {name}[0]"
            if arr.ndim == 2 and arr.shape[0] == 1
            else ""
        )
        want = f"({length},)" if length is not None else "1-D"
        raise ValueError(f"{name} must be {want}, {what}, got shape {arr.shape}{hint}")
    if length is not None and arr.shape[0] != length:
        raise ValueError(f"{name} must have {length} {what}, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must hold at least one number, got shape {arr.shape}")
    return finite(arr, name)


def text(value, name):
    if not isinstance(value, str):
        raise TypeError(
            f"{name} must be a string, got {value!r} ({type(value).__name__})"
        )
    return value
