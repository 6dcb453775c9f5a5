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


def pytest_terminal_summary(terminalreporter):
    """A browser test that could not run is not a pass: say so where nobody can miss it."""
    skipped = terminalreporter.stats.get("skipped", [])
    if any("NO BROWSER" in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_sep("!", "BROWSER TESTS DID NOT RUN: no Chromium found (apt-get install chromium)",
                                   red=True, bold=True)


@pytest.fixture
def rng():
    return np.random.default_rng(20261121)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def assert_course_figure(fig, max_bytes=200_000):
    """What every figure helper promises: a CourseFigure that renders to a small PNG and reads as its alt text."""
    from lstm_utils.figures import CourseFigure

    assert isinstance(fig, CourseFigure)
    png = fig._repr_png_()
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) < max_bytes
    assert repr(fig) == f"Figure: {fig.alt}"
    return png
