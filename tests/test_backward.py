"""lstm_backward against tf.GradientTape through keras.layers.LSTM, and against finite differences."""

import numpy as np
import pytest

from lstm_utils import lstm_backward, lstm_forward, lstm_weights
from conftest import random_lstm

pytestmark = pytest.mark.keras

SHAPES = [(1, 1, 1, 1), (1, 4, 1, 1), (2, 3, 2, 3), (3, 6, 1, 4), (2, 5, 4, 2), (4, 2, 3, 5)]
GRAD_TOL = {"float32": 2e-5, "float64": 1e-11}


def keras_gradients(layer, x, grad_output, initial_state):
    import tensorflow as tf

    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        kwargs = {} if initial_state is None else {"initial_state": [tf.constant(s) for s in initial_state]}
        loss = tf.reduce_sum(layer(x, **kwargs) * grad_output)
    cell = layer.cell
    targets = [x, cell.kernel.value, cell.recurrent_kernel.value] + ([cell.bias.value] if cell.use_bias else [])
    got = tape.gradient(loss, targets)
    names = ["x", "kernel", "recurrent_kernel", "bias"]
    return {n: g.numpy() for n, g in zip(names, got)}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("return_sequences", [False, True], ids=["last", "seq"])
@pytest.mark.parametrize("use_init", [False, True], ids=["zero-state", "init"])
@pytest.mark.parametrize("use_bias", [True, False], ids=["bias", "nobias"])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "B{}-T{}-F{}-U{}".format(*s))
def test_matches_gradient_tape(shape, return_sequences, use_init, use_bias, dtype):
    batch, timesteps, features, units = shape
    seed = hash((shape, return_sequences, use_init, use_bias)) % 2**32
    rng = np.random.default_rng(seed)
    layer = random_lstm(units, features, seed=seed, dtype=dtype, use_bias=use_bias, return_sequences=return_sequences)
    x = rng.normal(size=(batch, timesteps, features)).astype(dtype)
    out_shape = (batch, timesteps, units) if return_sequences else (batch, units)
    grad_output = rng.normal(size=out_shape).astype(dtype)
    init = [rng.normal(size=(batch, units)).astype(dtype) for _ in range(2)] if use_init else None
    want = keras_gradients(layer, x, grad_output, init)
    got = lstm_backward(x, *lstm_weights(layer), grad_output, initial_state=init, return_sequences=return_sequences)
    assert set(got) == {"x", "kernel", "recurrent_kernel", "bias", "initial_state"}
    for name in ("x", "kernel", "recurrent_kernel") + (("bias",) if use_bias else ()):
        assert got[name].shape == want[name].shape, name
        np.testing.assert_allclose(got[name], want[name], rtol=0, atol=GRAD_TOL[dtype], err_msg=name)
    if not use_bias:
        assert got["bias"] is None


@pytest.mark.parametrize("return_sequences", [False, True])
def test_matches_central_differences(return_sequences):
    # Hand-made check independent of TensorFlow: nudge every number by ±eps and watch the loss move.
    rng = np.random.default_rng(7)
    b, t, f, u = 2, 4, 3, 2
    params = {"x": rng.normal(size=(b, t, f)), "kernel": rng.normal(size=(f, 4 * u)),
              "recurrent_kernel": rng.normal(size=(u, 4 * u)), "bias": rng.normal(size=4 * u)}
    g_out = rng.normal(size=(b, t, u) if return_sequences else (b, u))

    def loss(p):
        out = lstm_forward(p["x"], p["kernel"], p["recurrent_kernel"], p["bias"], return_sequences=return_sequences)
        return float(np.sum(out * g_out))

    grads = lstm_backward(params["x"], params["kernel"], params["recurrent_kernel"], params["bias"], g_out,
                          return_sequences=return_sequences)
    eps = 1e-6
    for name, value in params.items():
        numeric = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in params.items()}
            minus = {k: v.copy() for k, v in params.items()}
            plus[name][idx] += eps
            minus[name][idx] -= eps
            numeric[idx] = (loss(plus) - loss(minus)) / (2 * eps)
        np.testing.assert_allclose(grads[name], numeric, rtol=0, atol=1e-7, err_msg=name)


def test_only_the_last_step_feeds_back_without_return_sequences():
    # With return_sequences=False the loss sees h_T only: a zero grad_output gives zero gradients everywhere.
    rng = np.random.default_rng(1)
    x, k, r, bias = rng.normal(size=(2, 3, 2)), rng.normal(size=(2, 8)), rng.normal(size=(2, 8)), rng.normal(size=8)
    grads = lstm_backward(x, k, r, bias, np.zeros((2, 2)))
    assert all(not np.any(g) for g in grads.values())


@pytest.mark.parametrize(
    "grad_output, return_sequences, error, message",
    [
        (np.zeros((2, 3, 2)), False, ValueError, r"grad_output must have the output's shape \(2, 2\) \(return_sequences=False\), got shape \(2, 3, 2\)"),
        (np.zeros((2, 2)), True, ValueError, r"grad_output must have the output's shape \(2, 3, 2\) \(return_sequences=True\), got shape \(2, 2\)"),
        (None, False, TypeError, "grad_output must be an array, got None"),
        (np.zeros((2, 2)), "yes", TypeError, "return_sequences must be True or False, got 'yes'"),
    ],
)
def test_bad_grad_output_is_refused(grad_output, return_sequences, error, message):
    rng = np.random.default_rng(2)
    x, k, r = rng.normal(size=(2, 3, 2)), rng.normal(size=(2, 8)), rng.normal(size=(2, 8))
    with pytest.raises(error, match=message):
        lstm_backward(x, k, r, None, grad_output, return_sequences=return_sequences)


def _central_differences(loss, params, eps=1e-6):
    numeric = {}
    for name, value in params.items():
        numeric[name] = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            plus = {k: v.copy() for k, v in params.items()}
            minus = {k: v.copy() for k, v in params.items()}
            plus[name][idx] += eps
            minus[name][idx] -= eps
            numeric[name][idx] = (loss(plus) - loss(minus)) / (2 * eps)
    return numeric


@pytest.mark.parametrize("mask_rule", ["previous_output", "carried_state", "zeros"])
@pytest.mark.parametrize("go_backwards", [False, True], ids=["forwards", "backwards"])
@pytest.mark.parametrize("return_sequences", [False, True], ids=["last", "seq"])
def test_masked_gradients_match_central_differences(mask_rule, go_backwards, return_sequences):
    # A mask that is off before the first kept step, between kept steps and at the end, in both samples,
    # with a non-zero initial state: the three rules give three different losses here.
    rng = np.random.default_rng(11)
    b, t, f, u = 2, 5, 2, 3
    params = {"x": rng.normal(size=(b, t, f)), "kernel": rng.normal(size=(f, 4 * u)),
              "recurrent_kernel": rng.normal(size=(u, 4 * u)), "bias": rng.normal(size=4 * u),
              "h0": rng.normal(size=(b, u)), "c0": rng.normal(size=(b, u))}
    mask = np.array([[False, False, True, True, False], [True, False, True, False, True]])
    g_out = rng.normal(size=(b, t, u) if return_sequences else (b, u))
    options = {"mask": mask, "mask_rule": mask_rule, "go_backwards": go_backwards,
               "return_sequences": return_sequences}

    def loss(p):
        out = lstm_forward(p["x"], p["kernel"], p["recurrent_kernel"], p["bias"],
                           initial_state=[p["h0"], p["c0"]], **options)
        return float(np.sum(out * g_out))

    grads = lstm_backward(params["x"], params["kernel"], params["recurrent_kernel"], params["bias"], g_out,
                          initial_state=[params["h0"], params["c0"]], **options)
    numeric = _central_differences(loss, params)
    got = dict(grads, h0=grads["initial_state"][0], c0=grads["initial_state"][1])
    for name in params:
        np.testing.assert_allclose(got[name], numeric[name], rtol=0, atol=1e-7, err_msg=name)
    # a masked step's input is never used, so its gradient is exactly zero
    assert not np.any(grads["x"][~mask])


def test_the_rules_differ_only_in_what_reaches_h0():
    rng = np.random.default_rng(12)
    x, k, r, bias = rng.normal(size=(1, 4, 2)), rng.normal(size=(2, 8)), rng.normal(size=(2, 8)), rng.normal(size=8)
    init = [rng.normal(size=(1, 2)), rng.normal(size=(1, 2))]
    mask = np.array([[False, True, False, True]])
    g_out = rng.normal(size=(1, 4, 2))
    prev = lstm_backward(x, k, r, bias, g_out, initial_state=init, mask=mask, return_sequences=True)
    carried = lstm_backward(x, k, r, bias, g_out, initial_state=init, mask=mask, return_sequences=True,
                            mask_rule="jax")
    for name in ("x", "kernel", "recurrent_kernel", "bias"):
        np.testing.assert_allclose(prev[name], carried[name], rtol=0, atol=1e-12)
    # under "carried_state" the output at masked step 1 is h0 itself, so its gradient lands on h0 directly
    np.testing.assert_allclose(carried["initial_state"][0] - prev["initial_state"][0], g_out[:, 0], rtol=0, atol=1e-12)


@pytest.mark.parametrize("mask_use", [False, True], ids=["nomask", "mask"])
def test_keras_gradients_helper_equals_the_tape_written_here(mask_use):
    # lu.keras_gradients is the judge the chapters use on every backend; on TensorFlow it must equal this
    # file's own GradientTape code (with a mask and an initial state too).
    import tensorflow as tf

    from lstm_utils import keras_gradients

    rng = np.random.default_rng(13)
    layer = random_lstm(3, 2, seed=13, return_sequences=True)
    x = rng.normal(size=(2, 4, 2)).astype("float32")
    init = [rng.normal(size=(2, 3)).astype("float32") for _ in range(2)]
    mask = np.array([[False, True, True, False], [True, True, False, True]]) if mask_use else None
    g_out = rng.normal(size=(2, 4, 3)).astype("float32")
    xt, it = tf.constant(x), [tf.constant(s) for s in init]
    with tf.GradientTape() as tape:
        tape.watch([xt, *it])
        loss = tf.reduce_sum(layer(xt, initial_state=it, mask=mask) * g_out)
    cell = layer.cell
    want = tape.gradient(loss, [xt, cell.kernel.value, cell.recurrent_kernel.value, cell.bias.value, *it])
    got = keras_gradients(layer, x, g_out, initial_state=init, mask=mask)
    flat = [got["x"], got["kernel"], got["recurrent_kernel"], got["bias"], *got["initial_state"]]
    for g, w in zip(flat, want):
        np.testing.assert_allclose(g, w.numpy(), rtol=0, atol=1e-6)
    by_hand = lstm_backward(x, *lstm_weights(layer), g_out, initial_state=init, mask=mask, return_sequences=True)
    for name in ("x", "kernel", "recurrent_kernel", "bias"):
        np.testing.assert_allclose(by_hand[name], got[name], rtol=0, atol=GRAD_TOL["float32"], err_msg=name)
    for g, w in zip(by_hand["initial_state"], got["initial_state"]):
        np.testing.assert_allclose(g, w, rtol=0, atol=GRAD_TOL["float32"])
