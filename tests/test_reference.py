"""The reference LSTM against keras.layers.LSTM itself, against small cases worked by hand, and against
properties that any correct LSTM has."""

import functools
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from lstm_utils import lstm_forward, lstm_step, lstm_weights, sigmoid
from conftest import TOLERANCE, random_lstm

pytestmark = pytest.mark.keras

# (batch, timesteps, features, units), with 1s in every position
SHAPES = [(1, 1, 1, 1), (1, 4, 1, 1), (2, 1, 3, 2), (1, 5, 2, 3), (3, 6, 1, 4), (4, 3, 5, 1), (2, 7, 4, 6)]
OPTIONS = list(itertools.product([False, True], repeat=5))  # return_sequences, go_backwards, mask, initial_state, bias


def _mask(rng, batch, timesteps):
    mask = rng.random((batch, timesteps)) < 0.6
    mask[0, 0] = False                 # a masked first step: output must start from zeros
    if batch > 1:
        mask[-1] = False               # a sequence with every step masked
    return mask


@functools.cache
def _layer(shape, return_sequences, go_backwards, use_bias, dtype):
    """One layer per constructor choice: mask and initial_state are call arguments, so the four ways of calling it
    share it (building a layer costs as much as calling it)."""
    batch, timesteps, features, units = shape
    return random_lstm(units, features, seed=hash((shape, return_sequences, go_backwards, use_bias)) % 2**32,
                       dtype=dtype, use_bias=use_bias, return_sequences=return_sequences, return_state=True,
                       go_backwards=go_backwards)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "B{}-T{}-F{}-U{}".format(*s))
@pytest.mark.parametrize("options", OPTIONS,
                         ids=lambda o: "".join(n for n, on in zip(("seq", "back", "mask", "init", "bias"), o) if on) or "plain")
def test_matches_keras(shape, options, dtype):
    batch, timesteps, features, units = shape
    return_sequences, go_backwards, use_mask, use_init, use_bias = options
    rng = np.random.default_rng(hash((shape, options)) % 2**32)
    layer = _layer(shape, return_sequences, go_backwards, use_bias, dtype)
    x = rng.normal(size=(batch, timesteps, features)).astype(dtype)
    kwargs = {}
    if use_mask:
        kwargs["mask"] = _mask(rng, batch, timesteps)
    if use_init:
        kwargs["initial_state"] = [rng.normal(size=(batch, units)).astype(dtype) for _ in range(2)]
    expected = [np.asarray(a) for a in layer(x, **kwargs)]
    got = lstm_forward(x, *lstm_weights(layer, go_backwards=go_backwards), return_sequences=return_sequences,
                       return_state=True, go_backwards=go_backwards, **kwargs)
    assert [g.shape for g in got] == [e.shape for e in expected]
    for name, g, e in zip(("output", "h", "c"), got, expected):
        np.testing.assert_allclose(g, e, rtol=0, atol=TOLERANCE[dtype], err_msg=name)


@pytest.mark.parametrize("return_sequences", [False, True])
def test_without_return_state_gives_the_output_alone(return_sequences):
    layer = random_lstm(3, 2, seed=3, return_sequences=return_sequences)
    x = np.random.default_rng(3).normal(size=(2, 5, 2)).astype("float32")
    got = lstm_forward(x, *lstm_weights(layer), return_sequences=return_sequences)
    assert isinstance(got, np.ndarray)
    np.testing.assert_allclose(got, np.asarray(layer(x)), rtol=0, atol=1e-6)


def test_float64_layer_agrees_to_rounding():
    layer = random_lstm(8, 5, seed=11, dtype="float64", return_sequences=True)
    x = np.random.default_rng(11).normal(size=(4, 30, 5))
    diff = np.abs(lstm_forward(x, *lstm_weights(layer), return_sequences=True) - np.asarray(layer(x))).max()
    assert diff <= 1e-12


# ----- small cases worked by hand ---------------------------------------------------------------------------

def _logistic(v):
    return 1.0 / (1.0 + math.exp(-v))


def test_one_unit_one_feature_step_by_hand():
    # kernel, recurrent kernel and bias for gates i, f, c, o, one number each
    w = [0.5, -0.3, 0.8, 0.1]
    u = [0.2, 0.4, -0.6, 0.7]
    b = [0.1, 1.0, 0.0, -0.2]
    x, h_prev, c_prev = 1.5, 0.25, -0.5
    z = [w[k] * x + u[k] * h_prev + b[k] for k in range(4)]
    i, f, g, o = _logistic(z[0]), _logistic(z[1]), math.tanh(z[2]), _logistic(z[3])
    c = f * c_prev + i * g
    h = o * math.tanh(c)
    h_got, c_got, gates = lstm_step(np.array([x]), np.array([h_prev]), np.array([c_prev]),
                                    np.array([w]), np.array([u]), np.array(b))
    np.testing.assert_allclose([h_got[0], c_got[0]], [h, c], rtol=0, atol=1e-15)
    np.testing.assert_allclose([gates[k][0] for k in "ifco"], [i, f, g, o], rtol=0, atol=1e-15)


def test_zero_weights_halve_the_cell_state():
    # all pre-activations 0: i = f = o = 1/2, candidate tanh(0) = 0, so c = c_prev/2 and h = tanh(c)/2
    units, features = 3, 2
    c_prev = np.array([[0.8, -1.2, 2.0]])
    h, c, gates = lstm_step(np.ones((1, features)), np.ones((1, units)), c_prev,
                            np.zeros((features, 4 * units)), np.zeros((units, 4 * units)), None)
    np.testing.assert_array_equal(c, c_prev / 2)
    np.testing.assert_allclose(h, np.tanh(c_prev / 2) / 2, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(gates["i"], np.full((1, units), 0.5))


def test_sigmoid_is_stable_at_the_extremes():
    z = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    s = sigmoid(z)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    np.testing.assert_allclose(s[1:4], [1 / (1 + math.exp(30)), 0.5, 1 / (1 + math.exp(-30))], rtol=1e-12)
    assert sigmoid(np.float32(3.0)).dtype == np.float32


# ----- properties ---------------------------------------------------------------------------------------------

sizes = st.tuples(st.integers(1, 4), st.integers(1, 8), st.integers(1, 4), st.integers(1, 5))


def _random_problem(seed, batch, timesteps, features, units):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(batch, timesteps, features)), rng.normal(size=(features, 4 * units)),
            rng.normal(size=(units, 4 * units)), rng.normal(size=4 * units))


@settings(max_examples=40, deadline=None)
@given(size=sizes, seed=st.integers(0, 2**32 - 1))
def test_the_sequence_is_causal_and_each_prefix_is_its_own_run(size, seed):
    x, k, r, b = _random_problem(seed, *size)
    seq = lstm_forward(x, k, r, b, return_sequences=True)
    for t in range(x.shape[1]):
        np.testing.assert_allclose(seq[:, t], lstm_forward(x[:, :t + 1], k, r, b), rtol=0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(size=sizes, seed=st.integers(0, 2**32 - 1))
def test_samples_in_a_batch_do_not_mix(size, seed):
    x, k, r, b = _random_problem(seed, *size)
    out = lstm_forward(x, k, r, b)
    for n in range(x.shape[0]):
        np.testing.assert_allclose(out[n:n + 1], lstm_forward(x[n:n + 1], k, r, b), rtol=0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(size=sizes, seed=st.integers(0, 2**32 - 1))
def test_go_backwards_is_the_reversed_input(size, seed):
    x, k, r, b = _random_problem(seed, *size)
    np.testing.assert_allclose(lstm_forward(x, k, r, b, go_backwards=True, return_sequences=True),
                               lstm_forward(x[:, ::-1], k, r, b, return_sequences=True), rtol=0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(size=sizes, seed=st.integers(0, 2**32 - 1), data=st.data())
def test_post_padding_under_a_mask_is_invisible(size, seed, data):
    x, k, r, b = _random_problem(seed, *size)
    keep = data.draw(st.integers(1, x.shape[1]))
    mask = np.zeros(x.shape[:2], bool)
    mask[:, :keep] = True
    padded = x.copy()
    padded[:, keep:] = 99.0
    got = lstm_forward(padded, k, r, b, mask=mask, return_state=True)
    want = lstm_forward(x[:, :keep], k, r, b, return_state=True)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(size=sizes, seed=st.integers(0, 2**32 - 1))
def test_a_mask_of_all_true_changes_nothing_and_h_stays_inside_minus_one_one(size, seed):
    x, k, r, b = _random_problem(seed, *size)
    seq = lstm_forward(x, k, r, b, return_sequences=True)
    np.testing.assert_array_equal(seq, lstm_forward(x, k, r, b, return_sequences=True,
                                                    mask=np.ones(x.shape[:2], bool)))
    assert np.all(np.abs(seq) < 1)


def test_float32_in_float32_out_and_float64_in_float64_out():
    x, k, r, b = _random_problem(0, 2, 3, 2, 3)
    assert lstm_forward(x, k, r, b).dtype == np.float64
    f32 = [a.astype(np.float32) for a in (x, k, r, b)]
    assert lstm_forward(*f32).dtype == np.float32
