"""Reading the weights off a Keras LSTM layer, on any backend.
Keras is imported inside the function, so `import lstm_utils` needs numpy alone."""

import numpy as np

from ._validate import flag
from .tensors import to_numpy


def _activation_name(fn):
    return getattr(fn, "__name__", type(fn).__name__)


def lstm_weights(layer, *, go_backwards=False):
    """``(kernel, recurrent_kernel, bias)`` of a Keras ``LSTM`` layer (or ``LSTMCell``) as numpy arrays.

    Keras 3 keeps them on ``layer.cell``: ``kernel`` (features, 4*units), ``recurrent_kernel``
    (units, 4*units), ``bias`` (4*units,) with the gate blocks in the order i, f, c, o.
    ``bias`` is ``None`` when the layer was made with ``use_bias=False``.

    The three arrays are all ``lstm_forward`` needs for a layer with Keras's defaults. A layer that
    computes something else with the same weights is refused, by name, so that a comparison cannot go
    silently wrong: an ``activation`` other than tanh or a ``recurrent_activation`` other than sigmoid
    (``lstm_forward`` computes only those), and ``go_backwards=True`` unless you say, with
    ``lstm_weights(layer, go_backwards=True)``, that you will pass ``go_backwards=True`` to
    ``lstm_forward`` too. (``dropout`` and ``recurrent_dropout`` act only in training, which
    ``lstm_forward`` does not model; a ``stateful`` layer's carried state is ``layer.states``.)
    """
    import keras

    go_backwards = flag(go_backwards, "go_backwards")
    if isinstance(layer, keras.layers.LSTM):
        cell, layer_backwards = layer.cell, layer.go_backwards
    elif isinstance(layer, keras.layers.LSTMCell):
        cell, layer_backwards = layer, False
    elif isinstance(layer, keras.layers.Bidirectional):
        raise TypeError("lstm_weights expects one keras.layers.LSTM; a Bidirectional layer holds two: "
                        "pass layer.forward_layer and layer.backward_layer one at a time")
    else:
        raise TypeError(f"lstm_weights expects a keras.layers.LSTM (or LSTMCell), got {type(layer).__name__}")
    if not cell.built:
        raise ValueError(
            f"the layer {layer.name!r} has no weights yet: they are made when it first sees an input shape; "
            "put it in a model after keras.Input((timesteps, features)) or call it on an array first")
    for what, fn, want in (("activation", cell.activation, keras.activations.tanh),
                           ("recurrent_activation", cell.recurrent_activation, keras.activations.sigmoid)):
        if fn is not want:
            raise ValueError(
                f"the layer {layer.name!r} has {what}={_activation_name(fn)!r}, but lstm_forward computes "
                f"only Keras's default {_activation_name(want)!r}: its weights alone would give other numbers")
    if layer_backwards != go_backwards:
        if layer_backwards:
            raise ValueError(
                f"the layer {layer.name!r} reads its steps backwards (go_backwards=True), which its weights do "
                "not say: pass go_backwards=True to lstm_forward as well, and confirm it here with "
                "lu.lstm_weights(layer, go_backwards=True)")
        raise ValueError(f"go_backwards=True was given, but the layer {layer.name!r} reads its steps forwards")
    # Copies, so the arrays stay as they are if the layer trains on.
    kernel = np.array(to_numpy(cell.kernel), copy=True)
    recurrent_kernel = np.array(to_numpy(cell.recurrent_kernel), copy=True)
    bias = np.array(to_numpy(cell.bias), copy=True) if cell.use_bias else None
    return kernel, recurrent_kernel, bias
