"""gru_forward and simple_rnn_forward against keras.layers.GRU and SimpleRNN themselves,
on the test session's backend (TensorFlow unless KERAS_BACKEND says otherwise). JAX and
torch are checked in their own interpreters: tests/test_rnn_backends.py.

float32 agrees to 1e-6 and float64 to 1e-12 on TensorFlow. On JAX and torch Keras
computes float64 layers partly in float32 (JAX keeps float64 off unless JAX_ENABLE_X64
is set; on torch Keras 3.15's ops.matmul returns float32 for two float64 tensors), so
there float64 is held to 1e-6 like float32.
"""

import zlib

import numpy as np
import pytest

from lstm_utils import keras_mask_rule, rnn_weights
from rnn_helpers import forward, random_rnn

pytestmark = pytest.mark.keras

# (batch, timesteps, features, units), with 1s in every position
SHAPES = [(1, 1, 1, 1), (1, 5, 1, 3), (3, 4, 5, 1), (2, 7, 4, 6)]
# every weight layout (kind, reset_after, use_bias), read forwards and (with a bias)
# backwards too
LAYOUTS = [
    ("gru", True, True),
    ("gru", False, True),
    ("gru", True, False),
    ("gru", False, False),
    ("simple_rnn", True, True),
    ("simple_rnn", True, False),
]
READINGS = [
    (layout, go_backwards)
    for layout in LAYOUTS
    for go_backwards in (False, True)
    if layout[2] or not go_backwards
]


def _seed(*case):
    """The same seed for the same case in every process: hash() of a string is salted per
    process (PYTHONHASHSEED), so a seed made with it drew new numbers on every run."""
    return zlib.crc32(repr(case).encode())


def _tolerance(dtype):
    import keras

    if dtype == "float64" and keras.config.backend() == "tensorflow":
        return 1e-12
    return 1e-6


def _mask(rng, batch, timesteps):
    mask = rng.random((batch, timesteps)) < 0.6
    mask[0, 0] = False  # a masked first step: the mask rules part here
    if batch > 1:
        mask[-1] = False  # a sequence with every step masked
    return mask


def _layer(shape, layout, go_backwards, dtype):
    """One layer per constructor choice (mask and initial_state are call arguments)."""
    batch, timesteps, features, units = shape
    kind, reset_after, use_bias = layout
    options = {"reset_after": reset_after} if kind == "gru" else {}
    return random_rnn(
        kind,
        units,
        features,
        dtype=dtype,
        use_bias=use_bias,
        return_sequences=True,
        return_state=True,
        go_backwards=go_backwards,
        seed=_seed(shape, layout, go_backwards),
        **options,
    )


def _layout_id(layout):
    kind, reset_after, use_bias = layout
    before = "" if reset_after else "-reset_before"
    return f"{kind}{before}{'' if use_bias else '-nobias'}"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "B{}-T{}-F{}-U{}".format(*s))
@pytest.mark.parametrize(
    "layout, go_backwards",
    READINGS,
    ids=lambda v: (
        _layout_id(v) if isinstance(v, tuple) else ("back" if v else "forward")
    ),
)
def test_matches_keras(shape, layout, go_backwards, dtype):
    batch, timesteps, features, units = shape
    kind, reset_after, _ = layout
    layer = _layer(shape, layout, go_backwards, dtype)
    weights = rnn_weights(layer, reset_after=reset_after)
    rng = np.random.default_rng(_seed(shape, layout, go_backwards, dtype))
    # Two calls, without and with a mask (a Keras call costs 20 ms, the rest nothing).
    # With more than one sample, sample 0 starts from zeros (as with no initial_state)
    # and the others from random states; one sample: no initial state without the mask.
    for use_mask in (False, True):
        x = rng.normal(size=(batch, timesteps, features)).astype(dtype)
        kwargs = {}
        if use_mask:
            kwargs["mask"] = _mask(rng, batch, timesteps)
        if use_mask or batch > 1:
            h0 = rng.normal(size=(batch, units)).astype(dtype)
            h0[0] = 0.0 if batch > 1 else h0[0]
            kwargs["initial_state"] = h0
        use_init = "initial_state" in kwargs
        import keras

        expected = [keras.ops.convert_to_numpy(a) for a in layer(x, **kwargs)]
        label = f"mask={use_mask} initial_state={use_init}"
        for return_sequences in (True, False):
            # mask_rule="keras": the rule of this session's backend
            got = forward(
                kind,
                x,
                weights,
                mask_rule="keras",
                reset_after=reset_after,
                return_state=True,
                return_sequences=return_sequences,
                go_backwards=go_backwards,
                **kwargs,
            )
            want = [
                expected[0] if return_sequences else expected[0][:, -1],
                expected[1],
            ]
            assert [g.shape for g in got] == [w.shape for w in want]
            assert [g.dtype for g in got] == [np.dtype(dtype)] * 2
            for name, g, w in zip(("output", "h"), got, want):
                np.testing.assert_allclose(
                    g, w, rtol=0, atol=_tolerance(dtype), err_msg=f"{name}, {label}"
                )


@pytest.mark.parametrize("kind", ["gru", "simple_rnn"])
def test_return_sequences_false_and_no_state_give_the_last_output_alone(kind):
    layer = random_rnn(kind, 3, 2, seed=3)
    x = np.random.default_rng(3).normal(size=(2, 5, 2)).astype("float32")
    mask = np.array([[1, 1, 1, 0, 0], [0, 1, 0, 1, 1]], bool)
    import keras

    for kwargs in ({}, {"mask": mask}):
        got = forward(kind, x, rnn_weights(layer), **kwargs)
        assert isinstance(got, np.ndarray)
        np.testing.assert_allclose(
            got, keras.ops.convert_to_numpy(layer(x, **kwargs)), rtol=0, atol=1e-6
        )


@pytest.mark.parametrize("kind", ["gru", "simple_rnn"])
def test_float64_layer_agrees_to_rounding_over_a_long_sequence(kind):
    import keras

    layer = random_rnn(kind, 8, 5, seed=11, dtype="float64", return_sequences=True)
    x = np.random.default_rng(11).normal(size=(4, 30, 5))
    diff = np.abs(
        forward(kind, x, rnn_weights(layer), return_sequences=True)
        - keras.ops.convert_to_numpy(layer(x))
    ).max()
    assert diff <= _tolerance("float64")


@pytest.mark.parametrize("kind", ["gru", "simple_rnn"])
def test_the_session_backend_follows_its_mask_rule_and_not_the_other(kind):
    """Where the rules part (a masked first step after an initial_state), Keras matches
    the rule keras_mask_rule gives, and not the other one: the sweep above would notice
    a wrong rule."""
    import keras

    layer = random_rnn(kind, 3, 2, seed=4, return_sequences=True)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 4, 2)).astype("float32")
    h0 = rng.normal(size=(2, 3)).astype("float32")
    mask = np.array([[0, 0, 1, 1], [0, 1, 0, 1]], bool)
    keras_out = keras.ops.convert_to_numpy(layer(x, mask=mask, initial_state=h0))
    rule = keras_mask_rule(layer)
    assert (
        rule
        == {"tensorflow": "previous_output", "torch": "previous_output", "jax": "carried_state"}[
            keras.config.backend()
        ]
    )
    for candidate in ("previous_output", "carried_state"):
        got = forward(
            kind,
            x,
            rnn_weights(layer),
            return_sequences=True,
            mask=mask,
            initial_state=h0,
            mask_rule=candidate,
        )
        assert np.allclose(got, keras_out, rtol=0, atol=1e-6) == (candidate == rule), (
            candidate
        )
