"""lstm_utils.training: Dense, MSE, SGD and Adam in numpy, against hand-derived cases, finite differences,
the Adam paper, and Keras's own steps on the TensorFlow, JAX and PyTorch backends.

A process holds one Keras backend, so tests/training_backend_probe.py runs once per backend in a fresh
interpreter (all at once) and saves what Keras did; numpy redoes every step here. These tests import no Keras
themselves, so they are not marked `keras`. A backend that is not installed is skipped, loudly.

Tolerances, measured with Keras 3.15: float32 1e-6 everywhere (3e-8 typical for the weights, one float32
rounding for the loss). float64 1e-12 where Keras keeps float64 throughout: the optimizers alone on TensorFlow
(with ``backend="tensorflow"``: its ``ops.cast`` rounds Adam's betas and SGD's momentum to float32) and on
PyTorch; a whole ``train_on_batch`` on TensorFlow when the loss is made float64 too (``"mse"`` computes in
float32, Keras's floatx). On PyTorch, Keras's Dense multiplies float64 in float32 (``ops.matmul``), and JAX
keeps float64 off: 1e-6 there.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import lstm_utils as lu
from lstm_utils import training as tr
from training_backend_probe import FIT, FIT_STEPS, OPTIMIZERS, SHAPES, STEPS

PROBE = Path(__file__).with_name("training_backend_probe.py")
BACKENDS = ("tensorflow", "jax", "torch")
DENSE_NAMES = ("kernel", "recurrent_kernel", "bias", "dense_kernel", "dense_bias")


# ------------------------------------------------------------------------------------------ Dense and MSE by hand

def test_dense_forward_by_hand():
    x = np.array([[1.0, 2.0], [0.0, -1.0]])
    kernel = np.array([[0.5, -1.0, 2.0], [0.25, 0.0, 1.0]])
    bias = np.array([0.1, 0.2, 0.3])
    want = np.array([[1.0 + 0.1, -1.0 + 0.2, 4.0 + 0.3], [-0.25 + 0.1, 0.2, -1.0 + 0.3]])
    np.testing.assert_allclose(lu.dense_forward(x, kernel, bias), want, rtol=0, atol=1e-15)
    np.testing.assert_allclose(lu.dense_forward(x, kernel, None), want - bias, rtol=0, atol=1e-15)
    seq = np.stack([x, 2 * x], axis=1)                         # (2, 2 steps, 2): step by step
    np.testing.assert_allclose(lu.dense_forward(seq, kernel, bias)[:, 1], lu.dense_forward(2 * x, kernel, bias))


def numerical_gradient(f, arr, eps=1e-6):
    grad = np.zeros_like(arr)
    for idx in np.ndindex(arr.shape):
        up, down = arr.copy(), arr.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (f(up) - f(down)) / (2 * eps)
    return grad


@pytest.mark.parametrize("lead", [(4,), (3, 5)], ids=["2-D", "3-D (a Dense on a sequence)"])
def test_dense_backward_against_finite_differences(lead, rng):
    x = rng.normal(size=lead + (3,))
    kernel, bias = rng.normal(size=(3, 2)), rng.normal(size=2)
    G = rng.normal(size=lead + (2,))
    got = lu.dense_backward(x, kernel, G)
    loss = {
        "x": lambda v: np.sum(lu.dense_forward(v, kernel, bias) * G),
        "kernel": lambda v: np.sum(lu.dense_forward(x, v, bias) * G),
        "bias": lambda v: np.sum(lu.dense_forward(x, kernel, v) * G),
    }
    for name, value in (("x", x), ("kernel", kernel), ("bias", bias)):
        np.testing.assert_allclose(got[name], numerical_gradient(loss[name], value), rtol=0, atol=1e-8)
        assert got[name].shape == value.shape


def test_mse_by_hand():
    y_true = np.array([[1.0], [2.0], [0.0]])
    y_pred = np.array([[1.5], [1.0], [0.0]])
    assert lu.mse(y_true, y_pred) == pytest.approx((0.25 + 1.0 + 0.0) / 3, abs=1e-15)
    np.testing.assert_allclose(lu.mse_grad(y_true, y_pred), [[2 * 0.5 / 3], [2 * -1.0 / 3], [0.0]], atol=1e-15)
    # mean over the last axis, then over the samples: the mean over every entry
    two = np.array([[1.0, 3.0], [0.0, 0.0]])
    assert lu.mse(np.zeros((2, 2)), two) == pytest.approx((1 + 9) / 4)


def test_mse_grad_against_finite_differences(rng):
    y_true, y_pred = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    numeric = numerical_gradient(lambda v: float(lu.mse(y_true, v)), y_pred)
    np.testing.assert_allclose(lu.mse_grad(y_true, y_pred), numeric, rtol=0, atol=1e-9)


def test_mse_refuses_the_broadcasting_trap():
    # (batch,) against (batch, 1): numpy would compare every pair, a (batch, batch) table, and say nothing
    with pytest.raises(ValueError, match=r"same shape, got \(3,\) and \(3, 1\).*\(3, 3\) table.*reshape"):
        lu.mse(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"same shape"):
        lu.mse_grad(np.zeros((3, 1)), np.zeros((2, 1)))


# ------------------------------------------------------------------------------------------ SGD and Adam by hand

def test_sgd_is_w_minus_learning_rate_times_g():
    w = {"a": np.array([1.0, -2.0]), "b": np.array([[0.5]])}
    g = {"a": np.array([0.5, 0.25]), "b": np.array([[-4.0]])}
    new, state = lu.sgd_update(w, g, learning_rate=0.5, learning_rate_dtype=None)
    np.testing.assert_array_equal(new["a"], [0.75, -2.125])
    np.testing.assert_array_equal(new["b"], [[2.5]])
    assert state == {"iterations": 1, "momentums": {}}
    np.testing.assert_array_equal(w["a"], [1.0, -2.0])           # nothing changed in place


def test_the_learning_rate_is_a_float32_number():
    # Keras keeps learning_rate in a float32 variable: a float64 model steps with float64(float32(0.1))
    w, g = [np.array([1.0])], [np.array([1.0])]
    keras_like, _ = lu.sgd_update(w, g, learning_rate=0.1)
    exact, _ = lu.sgd_update(w, g, learning_rate=0.1, learning_rate_dtype=None)
    assert keras_like[0][0] == 1.0 - float(np.float32(0.1)) and exact[0][0] == 1.0 - 0.1
    assert keras_like[0][0] != exact[0][0]


def test_sgd_momentum_and_nesterov_two_steps_by_hand():
    lr, mu = 0.5, 0.75
    w0, g1, g2 = np.array([1.0]), np.array([2.0]), np.array([-1.0])
    v1 = -lr * g1                               # the velocity starts at zero
    v2 = mu * v1 - lr * g2
    w, s = lu.sgd_update({"w": w0}, {"w": g1}, learning_rate=lr, momentum=mu, learning_rate_dtype=None)
    w, s = lu.sgd_update(w, {"w": g2}, s, learning_rate=lr, momentum=mu, learning_rate_dtype=None)
    np.testing.assert_allclose(w["w"], w0 + v1 + v2, atol=1e-15)
    assert s["iterations"] == 2
    np.testing.assert_allclose(s["momentums"]["w"], v2, atol=1e-15)
    n, s = lu.sgd_update({"w": w0}, {"w": g1}, learning_rate=lr, momentum=mu, nesterov=True, learning_rate_dtype=None)
    np.testing.assert_allclose(n["w"], w0 + mu * v1 - lr * g1, atol=1e-15)


def test_adam_first_step_moves_each_weight_by_about_the_learning_rate():
    # t = 1: m = (1 - b1) g, v = (1 - b2) g^2, alpha = lr sqrt(1 - b2) / (1 - b1), so the step is
    # lr * g / (|g| + eps / sqrt(1 - b2)): about lr * sign(g), whatever the size of g
    g = np.array([1e3, 1.0, -1e-3, 1e-5])
    lr, b2, eps = 0.01, 0.999, 1e-7
    new, state = lu.adam_update([np.zeros(4)], [g], learning_rate=lr, learning_rate_dtype=None)
    want = -lr * g / (np.abs(g) + eps / np.sqrt(1 - b2))
    np.testing.assert_allclose(new[0], want, rtol=1e-12, atol=0)
    np.testing.assert_allclose(np.abs(new[0][:3]), lr, rtol=4e-3)       # |g| >= 1e-3 >> 3.2e-6
    assert state["iterations"] == 1


def paper_adam(w, grads, lr, b1, b2, eps):
    """Algorithm 1 of Kingma & Ba: bias-corrected m_hat and v_hat, epsilon added to sqrt(v_hat)."""
    m = v = np.zeros_like(w)
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w


def test_adam_is_the_paper_with_epsilon_moved(rng):
    w0 = rng.normal(size=5)
    grads = [rng.normal(size=5) * 10.0 ** rng.uniform(-6, 0, size=5) for _ in range(6)]
    w, state = [w0], None
    for g in grads:
        w, state = lu.adam_update(w, [g], state, learning_rate=0.01, epsilon=0.0, learning_rate_dtype=None)
    np.testing.assert_allclose(w[0], paper_adam(w0, grads, 0.01, 0.9, 0.999, 0.0), rtol=1e-12, atol=1e-15)
    # Keras's epsilon sits outside the bias correction: the same epsilon in the paper's place gives other steps
    w, state = [w0], None
    for g in grads:
        w, state = lu.adam_update(w, [g], state, learning_rate=0.01, epsilon=1e-5, learning_rate_dtype=None)
    paper = paper_adam(w0, grads, 0.01, 0.9, 0.999, 1e-5)
    assert np.abs(w[0] - paper).max() > 1e-4
    # ... and epsilon_hat = epsilon * sqrt(1 - b2**t) in the paper's place gives Keras's step at step t
    t = len(grads)
    keras_last, _ = lu.adam_update([np.zeros(5)], [grads[-1]], None, learning_rate=0.01, epsilon=1e-5,
                                   learning_rate_dtype=None)
    np.testing.assert_allclose(keras_last[0], paper_adam(np.zeros(5), grads[-1:], 0.01, 0.9, 0.999,
                                                         1e-5 / np.sqrt(1 - 0.999)), rtol=1e-12)
    assert t == 6


def test_amsgrad_keeps_the_largest_v(rng):
    w, state = [np.zeros(3)], None
    for scale in (1.0, 0.01, 0.01):
        w, state = lu.adam_update(w, [np.full(3, scale)], state, amsgrad=True)
    assert np.all(state["v_hat"][0] > state["v"][0])
    np.testing.assert_allclose(state["v_hat"][0], 0.001 * 1.0)     # v after step 1, never smaller since


def test_float32_weights_stay_float32():
    w = {"k": np.ones((2, 2), np.float32)}
    for update in (lu.sgd_update, lu.adam_update):
        new, _ = update(w, {"k": np.ones((2, 2))})
        assert new["k"].dtype == np.float32


def test_lists_and_dicts_in_any_order():
    w = {"a": np.ones(2), "b": np.zeros(1)}
    g = {"b": np.ones(1), "a": np.ones(2)}
    new, state = lu.adam_update(w, g)
    assert list(new) == ["a", "b"] and set(state["m"]) == {"a", "b"}
    as_list, _ = lu.adam_update([w["a"], w["b"]], [g["a"], g["b"]])
    np.testing.assert_array_equal(as_list[0], new["a"])


@pytest.mark.parametrize("call, error, match", [
    (lambda: lu.sgd_update({"a": np.ones(2)}, {"a": np.ones(3)}), ValueError,
     r"grads\['a'\] must have the weight's shape \(2,\), got shape \(3,\)"),
    (lambda: lu.sgd_update({"a": np.ones(2)}, {"b": np.ones(2)}), ValueError, r"names of weights \['a'\], got \['b'\]"),
    (lambda: lu.sgd_update({"a": np.ones(2)}, [np.ones(2)]), TypeError, "grads must be a dict"),
    (lambda: lu.sgd_update([np.ones(2)], [np.ones(2)] * 2), ValueError, "2 grads"),
    (lambda: lu.sgd_update(np.ones(2), np.ones(2)), TypeError, "weights must be a dict"),
    (lambda: lu.sgd_update({}, {}), ValueError, "at least one array"),
    (lambda: lu.sgd_update([np.ones(1)], [np.array([np.nan])]), ValueError, "finite"),
    (lambda: lu.sgd_update([np.ones(1)], [np.ones(1)], learning_rate=0.0), ValueError, "learning_rate must be"),
    (lambda: lu.sgd_update([np.ones(1)], [np.ones(1)], learning_rate="0.1"), TypeError, "learning_rate must be a number"),
    (lambda: lu.sgd_update([np.ones(1)], [np.ones(1)], momentum=1.5), ValueError, "between 0 and 1"),
    (lambda: lu.sgd_update([np.ones(1)], [np.ones(1)], nesterov=1), TypeError, "nesterov must be True or False"),
    (lambda: lu.adam_update([np.ones(1)], [np.ones(1)], beta_1=1.0), ValueError, r"beta_1 must be in \[0, 1\)"),
    (lambda: lu.adam_update([np.ones(1)], [np.ones(1)], epsilon=-1e-7), ValueError, "epsilon must be at least 0"),
    (lambda: lu.adam_update([np.ones(1)], [np.ones(1)], backend="numpy"), ValueError, "backend must be None or one of"),
    (lambda: lu.adam_update([np.ones(1)], [np.ones(1)], {"iterations": -1}), ValueError, "whole number >= 0"),
    (lambda: lu.adam_update([np.ones(1)], [np.ones(1)], [1]), TypeError, "state must be None"),
    (lambda: lu.adam_update([np.ones(1)], [np.ones(1)], lu.adam_update({"a": np.ones(1)}, {"a": np.ones(1)})[1]),
     ValueError, r"state\['m'\] does not belong to these weights"),
    (lambda: lu.dense_forward(np.ones((2, 3)), np.ones((2, 3)), None), ValueError, r"PyTorch's Linear.*weight\.T"),
    (lambda: lu.dense_forward(np.ones((2, 3)), np.ones((3, 2)), np.ones(3)), ValueError, r"bias must have shape \(2,\)"),
    (lambda: lu.dense_backward(np.ones((2, 3)), np.ones((3, 2)), np.ones((2, 3))), ValueError,
     r"grad_output must have the output's shape \(2, 2\)"),
])
def test_bad_input_is_refused(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ------------------------------------------------------------------------------------------ against Keras

#: Each probe compiles six small models and runs 36 optimizer steps: about a minute of CPU, much longer on a
#: loaded machine (TensorFlow traces every model's train step).
PROBE_TIMEOUT = 900
INSTALL = {"tensorflow": "it is in requirements.txt", "jax": "it is in requirements.txt", "torch": "make torch"}


def _missing(backend):
    try:
        return importlib.util.find_spec(backend) is None
    except (ImportError, ValueError):
        return True


@pytest.fixture(scope="module")
def probes(tmp_path_factory):
    """Every installed backend's probe, started at once, then waited for."""
    folder = tmp_path_factory.mktemp("training_backends")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
    env.pop("JAX_ENABLE_X64", None)
    running = {}
    for backend in BACKENDS:
        if not _missing(backend):
            out = folder / f"{backend}.npz"
            running[backend] = (out, subprocess.Popen(
                [sys.executable, str(PROBE), str(out)], env={**env, "KERAS_BACKEND": backend},
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    results = {}
    for backend, (out, process) in running.items():
        try:
            log, _ = process.communicate(timeout=PROBE_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            log = f"the probe did not finish within {PROBE_TIMEOUT} s"
        if process.returncode != 0:
            results[backend] = f"the {backend} probe failed (exit {process.returncode}):\n{log[-3000:]}"
            continue
        with np.load(out) as data:
            results[backend] = {k: data[k] for k in data.files}
    return results


def _result(probes, backend):
    if _missing(backend):
        pytest.skip(f"NOT CHECKED: {backend} is not installed, so Keras's {backend} backend was not checked "
                    f"({INSTALL[backend]})")
    result = probes[backend]
    if isinstance(result, str):
        pytest.fail(result)
    assert str(result["backend"]) == backend
    return result


def _replay(d, key, kind, cls, kwargs, backend):
    """numpy's weights after every step of the case, and the losses it computes (fit only)."""
    dtype = str(d[f"{key}/variable_dtype"])                     # JAX keeps a float64 variable in float32
    names = list(SHAPES) if kind == "apply" else list(DENSE_NAMES)
    update = lu.sgd_update if cls == "SGD" else lu.adam_update
    w = {k: d[f"{key}/start/{k}"].astype(dtype) for k in names}
    state, after, losses = None, [], []
    for step in range(STEPS if kind == "apply" else FIT_STEPS):
        if kind == "apply":
            g = {k: d[f"{key}/grad{step}/{k}"] for k in names}
        else:
            x, y = d[f"{key}/x{step}"].astype(dtype), d[f"{key}/y{step}"].astype(dtype)
            h = lu.lstm_forward(x, w["kernel"], w["recurrent_kernel"], w["bias"])
            y_pred = lu.dense_forward(h, w["dense_kernel"], w["dense_bias"])
            losses.append(float(lu.mse(y, y_pred)))
            dense = lu.dense_backward(h, w["dense_kernel"], lu.mse_grad(y, y_pred))
            lstm = lu.lstm_backward(x, w["kernel"], w["recurrent_kernel"], w["bias"], dense["x"])
            g = {"kernel": lstm["kernel"], "recurrent_kernel": lstm["recurrent_kernel"], "bias": lstm["bias"],
                 "dense_kernel": dense["kernel"], "dense_bias": dense["bias"]}
        w, state = update(w, g, state, backend=backend, **kwargs)
        after.append(w)
    return names, after, losses


def _float64_tolerance(backend, kind, loss_dtype):
    if backend == "jax":
        return 1e-6                                 # JAX keeps float64 off: the variables are float32
    if kind == "apply":
        return 1e-12
    if backend == "tensorflow" and loss_dtype == "float64":
        return 1e-12
    return 1e-6                                     # a float32 loss ("mse"), or torch's float32 Dense matmul


APPLY = [(b, name, dtype) for b in BACKENDS for name in OPTIMIZERS for dtype in ("float32", "float64")]


@pytest.mark.parametrize("backend, name, dtype", APPLY, ids=["-".join(c) for c in APPLY])
def test_optimizer_apply_matches_keras(probes, backend, name, dtype):
    d = _result(probes, backend)
    key = f"apply-{name}-{dtype}"
    cls, kwargs = OPTIMIZERS[name]
    names, after, _ = _replay(d, key, "apply", cls, kwargs, backend)
    atol = 1e-6 if dtype == "float32" else _float64_tolerance(backend, "apply", None)
    for step, w in enumerate(after):
        for k in names:
            np.testing.assert_allclose(w[k], d[f"{key}/after{step}/{k}"], rtol=0, atol=atol,
                                       err_msg=f"{key}, step {step + 1}, {k}")
    assert int(d[f"{key}/iterations"]) == STEPS


FITS = [(b, name, dtype, loss) for b in BACKENDS for name in FIT
        for dtype, loss in (("float32", None), ("float64", None), ("float64", "float64"))]


@pytest.mark.parametrize("backend, name, dtype, loss_dtype", FITS, ids=["-".join(map(str, c)) for c in FITS])
def test_train_on_batch_matches_keras(probes, backend, name, dtype, loss_dtype):
    d = _result(probes, backend)
    key = f"fit-{name}-{dtype}" + ("" if loss_dtype is None else f"-loss_{loss_dtype}")
    cls, kwargs = FIT[name]
    names, after, losses = _replay(d, key, "fit", cls, kwargs, backend)
    atol = 1e-6 if dtype == "float32" else _float64_tolerance(backend, "fit", loss_dtype)
    for step, w in enumerate(after):
        for k in names:
            np.testing.assert_allclose(w[k], d[f"{key}/after{step}/{k}"], rtol=0, atol=atol,
                                       err_msg=f"{key}, step {step + 1}, {k}")
        # the loss train_on_batch reports is tracked by a float32 metric, whatever the model's dtype
        assert abs(losses[step] - float(d[f"{key}/loss{step}"])) <= 1e-6 * max(1.0, losses[step])
    moved = max(np.abs(after[-1][k] - d[f"{key}/start/{k}"]).max() for k in names)
    assert moved > 1e-3                              # the steps did move the weights


def test_float64_needs_a_float64_loss_and_tensorflows_rounding(probes):
    """On TensorFlow, float64 agrees to 1e-12 only when every Keras detail is reproduced."""
    d = _result(probes, "tensorflow")
    cls, kwargs = FIT["sgd"]
    _, after, _ = _replay(d, "fit-sgd-float64", "fit", cls, kwargs, "tensorflow")
    gap = max(np.abs(after[0][k] - d[f"fit-sgd-float64/after0/{k}"]).max() for k in DENSE_NAMES)
    assert 1e-12 < gap < 1e-6                        # "mse" computed the gradient in float32
    cls, kwargs = OPTIMIZERS["adam"]
    key = "apply-adam-float64"
    for backend, close in (("tensorflow", True), (None, False)):
        names, after, _ = _replay(d, key, "apply", cls, kwargs, backend)
        gap = max(np.abs(after[-1][k] - d[f"{key}/after{STEPS - 1}/{k}"]).max() for k in names)
        assert bool(gap < 1e-12) is close, (backend, gap)
