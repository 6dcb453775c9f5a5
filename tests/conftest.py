"""Shared test set-up: quiet TensorFlow before anything imports it, and the Keras helpers the tests share."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np
import pytest

TOLERANCE = {"float32": 1e-6, "float64": 1e-12}


def random_lstm(units, features, *, seed, dtype="float32", use_bias=True, scale=0.7, **options):
    """A built keras.layers.LSTM whose weights (bias included) are random, so no gate is trivial."""
    import keras

    layer = keras.layers.LSTM(units, dtype=dtype, use_bias=use_bias, **options)
    layer.build((None, None, features))
    rng = np.random.default_rng(seed)
    layer.set_weights([(rng.normal(size=w.shape) * scale).astype(dtype) for w in layer.get_weights()])
    return layer


@pytest.fixture
def rng():
    return np.random.default_rng(20261121)
