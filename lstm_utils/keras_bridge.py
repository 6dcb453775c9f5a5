"""The one place the package touches Keras: reading the weights off a layer.
Keras is imported inside the function, so `import lstm_utils` needs numpy alone."""

import numpy as np


def lstm_weights(layer):
    """``(kernel, recurrent_kernel, bias)`` of a Keras ``LSTM`` layer (or ``LSTMCell``) as numpy arrays.

    Keras 3 keeps them on ``layer.cell``: ``kernel`` (features, 4*units), ``recurrent_kernel``
    (units, 4*units), ``bias`` (4*units,) with the gate blocks in the order i, f, c, o.
    ``bias`` is ``None`` when the layer was made with ``use_bias=False``.
    """
    import keras

    if isinstance(layer, keras.layers.LSTM):
        cell = layer.cell
    elif isinstance(layer, keras.layers.LSTMCell):
        cell = layer
    else:
        raise TypeError(f"lstm_weights expects a keras.layers.LSTM (or LSTMCell), got {type(layer).__name__}")
    if not cell.built:
        raise ValueError(
            f"the layer {layer.name!r} has no weights yet: they are made when it first sees an input shape; "
            "put it in a model after keras.Input((timesteps, features)) or call it on an array first")
    # Copies, so the arrays stay as they are if the layer trains on. (Variable.numpy() rather than
    # np.array(variable) or keras.ops.convert_to_numpy, which warn under NumPy 2 from inside TensorFlow.)
    kernel = np.array(cell.kernel.numpy(), copy=True)
    recurrent_kernel = np.array(cell.recurrent_kernel.numpy(), copy=True)
    bias = np.array(cell.bias.numpy(), copy=True) if cell.use_bias else None
    return kernel, recurrent_kernel, bias
