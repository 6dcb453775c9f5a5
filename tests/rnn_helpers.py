"""What the GRU and SimpleRNN tests share: random Keras layers, random numpy weights."""

import numpy as np

#: Keras's cells and their numpy counterparts, by the names count_params uses.
KERAS_LAYER = {"gru": "GRU", "simple_rnn": "SimpleRNN"}
BLOCKS = {"gru": 3, "simple_rnn": 1}


def random_rnn(kind, units, features, *, seed, dtype="float32", scale=0.7, **options):
    """A built keras.layers.GRU or SimpleRNN with random weights (bias included)."""
    import keras

    # the weights are replaced below: skip Keras's initialisers (orthogonal is slow)
    for name in ("kernel_initializer", "recurrent_initializer", "bias_initializer"):
        options.setdefault(name, "zeros")
    layer = getattr(keras.layers, KERAS_LAYER[kind])(units, dtype=dtype, **options)
    layer.build((None, None, features))
    rng = np.random.default_rng(seed)
    layer.set_weights(
        [(rng.normal(size=w.shape) * scale).astype(dtype) for w in layer.get_weights()]
    )
    return layer


def random_weights(rng, kind, features, units, *, reset_after=True, use_bias=True):
    """Random (kernel, recurrent_kernel, bias) in Keras's layout for ``kind``."""
    k = BLOCKS[kind]
    kernel = rng.normal(size=(features, k * units))
    recurrent = rng.normal(size=(units, k * units))
    bias = None
    if use_bias:
        bias = rng.normal(
            size=(2, k * units) if kind == "gru" and reset_after else k * units
        )
    return kernel, recurrent, bias


def forward(kind, x, weights, **options):
    """gru_forward or simple_rnn_forward, by kind (a SimpleRNN ignores reset_after)."""
    from lstm_utils import gru_forward, simple_rnn_forward

    if kind == "gru":
        return gru_forward(x, *weights, **options)
    options.pop("reset_after", None)
    return simple_rnn_forward(x, *weights, **options)
