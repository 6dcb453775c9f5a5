"""Input checks shared by the package: every bad input gets a ValueError or TypeError that says
what was expected and what arrived. Nothing here broadcasts silently."""

import numbers

import numpy as np

from .tensors import to_numpy


def positive_int(value, name):
    """`value` as an int >= 1; bools and non-integers are refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {value!r} ({type(value).__name__})")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer (at least 1), got {value}")
    return int(value)


def flag(value, name):
    """`value` as a Python bool: True, False and numpy's bools are accepted, anything else is refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} ({type(value).__name__})")
    return bool(value)


def float_array(value, name):
    """`value` as a numpy array of a real floating dtype (ints and bools are converted to float64).

    Any backend's tensor is accepted (see `tensors.to_numpy`)."""
    if value is None:
        raise TypeError(f"{name} must be an array, got None")
    try:
        arr = to_numpy(value)
    except TypeError as exc:
        raise TypeError(f"{name}: {exc}") from None
    except Exception as exc:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}: {exc}") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} must be real, got complex dtype {arr.dtype}")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    return arr


def lstm_weights_shapes(kernel, recurrent_kernel, bias):
    """Check the three weight arrays against Keras's layout and return (kernel, recurrent_kernel, bias, units).

    Keras: kernel (features, 4*units), recurrent_kernel (units, 4*units), bias (4*units,), gate blocks i, f, c, o.
    """
    kernel = float_array(kernel, "kernel")
    recurrent_kernel = float_array(recurrent_kernel, "recurrent_kernel")
    if kernel.ndim != 2:
        raise ValueError(f"kernel must be 2-D (features, 4*units), got shape {kernel.shape}")
    if recurrent_kernel.ndim != 2:
        raise ValueError(f"recurrent_kernel must be 2-D (units, 4*units), got shape {recurrent_kernel.shape}")
    rows, cols = recurrent_kernel.shape
    if cols == 4 * rows and rows >= 1:
        units = rows
    elif rows == 4 * cols and cols >= 1:
        raise ValueError(
            f"recurrent_kernel must be (units, 4*units) as in Keras, got shape {recurrent_kernel.shape}, which is "
            f"PyTorch's transposed layout (4*hidden, hidden): pass recurrent_kernel.T")
    else:
        raise ValueError(f"recurrent_kernel must be (units, 4*units), got shape {recurrent_kernel.shape}")
    if kernel.shape[1] != 4 * units:
        if kernel.shape[0] == 4 * units:
            raise ValueError(
                f"kernel must be (features, 4*units) = (features, {4 * units}) as in Keras, got shape {kernel.shape}, "
                f"which is PyTorch's transposed layout (4*hidden, input): pass kernel.T")
        raise ValueError(
            f"kernel must be (features, 4*units) = (features, {4 * units}) to match recurrent_kernel "
            f"{recurrent_kernel.shape}, got shape {kernel.shape}")
    if bias is not None:
        bias = float_array(bias, "bias")
        if bias.shape != (4 * units,):
            hint = ""
            if bias.shape == (2, 4 * units) or bias.shape == (8 * units,):
                hint = " (PyTorch keeps two biases, b_ih and b_hh: pass their sum)"
            raise ValueError(f"bias must have shape (4*units,) = ({4 * units},), got shape {bias.shape}{hint}")
        finite(bias, "bias")
    finite(kernel, "kernel")
    finite(recurrent_kernel, "recurrent_kernel")
    return kernel, recurrent_kernel, bias, units


def state_array(value, name, shape):
    arr = float_array(value, name)
    if arr.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got shape {arr.shape}")
    return finite(arr, name)


def finite(arr, name, where=None):
    """`arr` unchanged if every entry is a finite number; NaN or inf is refused by name.

    ``where`` (a boolean array broadcasting against ``arr``) limits the check to the entries it marks."""
    bad = ~np.isfinite(arr)
    if where is not None:
        bad = bad & where
    if np.any(bad):
        first = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"{name} must hold finite numbers, got {arr[first]} at index {first}"
            + (" (a kept step: only masked steps may hold NaN or inf)" if where is not None else ""))
    return arr
