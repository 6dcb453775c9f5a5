"""The weights of a Keras GRU or SimpleRNN, for gru_forward and simple_rnn_forward.

Keras is imported inside the function, so ``import lstm_utils`` needs numpy alone. The
reader refuses, by name, a layer whose computation the numpy functions would not
reproduce.
"""

import warnings

import numpy as np

#: What each numpy function computes, by Keras's own names for the cell's options.
_DEFAULTS = {
    "GRU": {"activation": "tanh", "recurrent_activation": "sigmoid"},
    "SimpleRNN": {"activation": "tanh"},
}


def _to_numpy(keras, variable):
    """A numpy copy of a Keras variable, on any backend. (NumPy 2 warns that the
    backends' ``__array__`` takes no ``copy`` keyword: about them, not the values.)"""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=r"__array__ implementation doesn't accept",
            category=DeprecationWarning,
        )
        return np.array(keras.ops.convert_to_numpy(variable), copy=True)


def _cell_of(keras, layer):
    """``(cell, kind)``, kind "GRU" or "SimpleRNN"; anything else is refused by name."""
    layers = keras.layers
    if isinstance(layer, (layers.LSTM, layers.LSTMCell)):
        raise TypeError(
            "rnn_weights reads GRU and SimpleRNN layers; for an LSTM use "
            "lstm_utils.lstm_weights"
        )
    if isinstance(layer, layers.Bidirectional):
        raise TypeError(
            "rnn_weights reads one direction: pass layer.forward_layer and "
            "layer.backward_layer of this Bidirectional one at a time (the backward "
            "one has go_backwards=True)"
        )
    cell = layer.cell if isinstance(layer, layers.RNN) else layer
    if isinstance(cell, layers.GRUCell):
        return cell, "GRU"
    if isinstance(cell, layers.SimpleRNNCell):
        return cell, "SimpleRNN"
    if isinstance(cell, layers.LSTMCell):
        raise TypeError(
            "rnn_weights reads GRU and SimpleRNN layers; for an LSTM use "
            "lstm_utils.lstm_weights"
        )
    raise TypeError(
        "rnn_weights expects a keras.layers.GRU or SimpleRNN (or their cells, or "
        f"keras.layers.RNN around one), got {type(layer).__name__}"
        + (f" with cell {type(cell).__name__}" if cell is not layer else "")
    )


def _refuse_what_numpy_does_not_compute(
    keras, layer, cell, kind, reset_after, training
):
    name = getattr(layer, "name", "?")
    for option, default in _DEFAULTS[kind].items():
        # by identity, and not keras.activations.serialize, which imports TensorFlow
        given = getattr(cell, option)
        if given is not keras.activations.get(default):
            given = getattr(given, "__name__", type(given).__name__)
            raise ValueError(
                f"the layer {name!r} has {option}={given!r}; the numpy {kind} "
                f"computes {option}={default!r} (Keras's default), so its answer "
                "would differ"
            )
    if kind == "GRU" and cell.reset_after != reset_after:
        raise ValueError(
            f"the GRU {name!r} was made with reset_after={cell.reset_after}, and "
            f"reset_after={reset_after} was asked for: pass "
            f"reset_after={cell.reset_after} here and to gru_forward (the two forms "
            "compute the candidate differently)"
        )
    if kind == "SimpleRNN" and not reset_after:
        raise ValueError(
            "reset_after=False is a GRU option; a SimpleRNN has no reset gate"
        )
    if training and (cell.dropout or cell.recurrent_dropout):
        raise ValueError(
            f"the layer {name!r} has dropout={cell.dropout} and recurrent_dropout="
            f"{cell.recurrent_dropout}: in training (fit, or calling it with "
            "training=True) Keras drops random inputs, which the numpy functions do "
            "not reproduce. Outside training (predict, or a plain call) dropout does "
            "nothing: read with training=False"
        )
    policy = cell.dtype_policy
    if policy.compute_dtype != policy.variable_dtype:
        raise ValueError(
            f"the layer {name!r} has the dtype policy {policy.name!r}: it computes "
            f"in {policy.compute_dtype} with {policy.variable_dtype} weights, and the "
            "numpy functions compute in the weights' dtype"
        )


def rnn_weights(layer, *, reset_after=True, training=False):
    """``(kernel, recurrent_kernel, bias)`` of a Keras ``GRU`` or ``SimpleRNN`` layer.

    Pass them to ``gru_forward`` or ``simple_rnn_forward``. Accepts the layer, its cell
    (``GRUCell``, ``SimpleRNNCell``), or ``keras.layers.RNN`` around one. Shapes, with
    gate blocks z, r, h for a GRU:

    * GRU: ``kernel`` (features, 3*units), ``recurrent_kernel`` (units, 3*units),
      ``bias`` (2, 3*units) with ``reset_after=True`` (Keras's default), (3*units,)
      without;
    * SimpleRNN: ``kernel`` (features, units), ``recurrent_kernel`` (units, units),
      ``bias`` (units,).

    ``bias`` is ``None`` for a layer made with ``use_bias=False``. All are numpy copies.

    Refused by name, because the numpy functions would not give the layer's answer: a
    non-default ``activation`` or ``recurrent_activation``; a GRU whose ``reset_after``
    is not the one asked for (say ``reset_after=False`` here, and to ``gru_forward``,
    for such a layer); with ``training=True`` (comparing with ``fit`` or
    ``layer(x, training=True)``), a layer with dropout; a mixed-precision dtype policy.
    What a masked step outputs depends on the backend and on the layer: pass
    ``mask_rule=keras_mask_rule(layer)``.
    """
    import keras

    for value, label in ((reset_after, "reset_after"), (training, "training")):
        if not isinstance(value, bool):
            raise TypeError(f"{label} must be True or False, got {value!r}")
    cell, kind = _cell_of(keras, layer)
    if not cell.built:
        raise ValueError(
            f"the layer {layer.name!r} has no weights yet: they are made when it first "
            "sees an input shape; put it in a model after "
            "keras.Input((timesteps, features)) or call it on an array first"
        )
    _refuse_what_numpy_does_not_compute(keras, layer, cell, kind, reset_after, training)
    kernel = _to_numpy(keras, cell.kernel)
    recurrent_kernel = _to_numpy(keras, cell.recurrent_kernel)
    bias = _to_numpy(keras, cell.bias) if cell.use_bias else None
    return kernel, recurrent_kernel, bias
