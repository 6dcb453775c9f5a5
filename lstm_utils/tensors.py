"""Any backend's tensor as a numpy array: the one door through which Keras, TensorFlow, JAX and PyTorch
values enter the package.

Keras 3 runs on three backends, and what a layer returns is that backend's tensor: a TensorFlow
``EagerTensor``, a JAX ``Array`` or a PyTorch ``Tensor`` (which refuses ``numpy()`` while it is attached
to a gradient graph). Its weights are ``keras.Variable`` objects wrapping such a tensor. ``to_numpy``
turns all of these into numpy arrays without importing any of those libraries: it recognises each by the
methods it has.
"""

import numpy as np


def _is_symbolic(value):
    return type(value).__name__ == "KerasTensor"


def to_numpy(value):
    """``value`` as a numpy array, whatever backend made it.

    Accepts numpy arrays and scalars, Python numbers and (nested) lists, ``keras.Variable`` (its current
    value), TensorFlow tensors and variables, JAX arrays and PyTorch tensors (detached and moved to the CPU
    first). The result may share memory with ``value``; copy it if you will change it.

    >>> to_numpy([[1.0, 2.0]]).shape
    (1, 2)
    """
    if isinstance(value, np.ndarray):
        return value
    if _is_symbolic(value):
        raise TypeError(
            "got a symbolic KerasTensor, which has a shape but no values (it comes from keras.Input): "
            "call the layer or model on an array to get numbers")
    # keras.Variable: unwrap to the backend tensor it holds (its own __array__ warns under NumPy 2)
    if hasattr(value, "value") and hasattr(value, "assign") and hasattr(value, "path"):
        value = value.value
    if hasattr(value, "detach") and hasattr(value, "cpu"):           # PyTorch
        return value.detach().cpu().numpy()
    if hasattr(value, "numpy") and callable(value.numpy):            # TensorFlow eager tensors and variables
        return value.numpy()
    return np.asarray(value)                                          # JAX arrays, numbers, lists
