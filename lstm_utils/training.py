"""Training by hand: what one Keras training step adds around `lstm_forward` and `lstm_backward`.

A model ``LSTM(units)`` then ``Dense(out)``, compiled with ``loss="mse"``, takes one step of ``fit`` or
``train_on_batch`` like this (every formula below is Keras 3's own; the comments say where it lives)::

    h     = lstm_forward(x, ...)                        # (batch, units)
    y     = h @ kernel + bias                           # Dense, linear activation:     dense_forward
    loss  = mean((y - y_true)**2)                       # "mse", over every entry:      mse
    dL/dy = 2 * (y - y_true) / y.size                   #                               mse_grad
    dL/dh, dL/dkernel, dL/dbias                         # back through Dense:           dense_backward
    LSTM's gradients = lstm_backward(x, ..., dL/dh)     # chapter 08
    every weight moves once:                            # sgd_update or adam_update

SGD (keras/src/optimizers/sgd.py)::

    w = w - learning_rate * g                                            momentum = 0 (the default)
    v = momentum * v - learning_rate * g;  w = w + v                     momentum > 0
    v = momentum * v - learning_rate * g;  w = w + momentum * v - learning_rate * g      nesterov=True

Adam (keras/src/optimizers/adam.py), at step t = iterations + 1, m and v starting at zero::

    alpha = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t)
    m = m + (g - m) * (1 - beta_1)
    v = v + (g**2 - v) * (1 - beta_2)
    w = w - m * alpha / (sqrt(v) + epsilon)            # amsgrad: v_hat = max(v_hat, v) in place of v

Keras folds both bias corrections into ``alpha``, so its ``epsilon`` (1e-7 by default) is added to
``sqrt(v)``, not to the bias-corrected ``sqrt(v / (1 - beta_2**t))`` of the Adam paper's Algorithm 1 and of
PyTorch's ``torch.optim.Adam`` (whose default epsilon is 1e-8): "epsilon hat" in the paper's words.

The updates compute in the weights' dtype, as Keras does. One Keras detail matters in float64: the optimizer
keeps ``learning_rate`` in a variable of dtype ``keras.config.floatx()``, float32 by default, so a float64
model steps with ``float64(float32(learning_rate))``, 0.10000000149011612 for 0.1. ``learning_rate_dtype``
does the same here (pass ``None`` to use the number as given). And on TensorFlow, ``keras.ops.cast`` turns a
Python number into a float32 tensor before casting it, so in float64 SGD's momentum and Adam's beta powers use
float32-rounded numbers; ``backend="tensorflow"`` reproduces that (see `CAST_THROUGH`).

Weights and gradients are passed as a dict ``{name: array}`` (or a list of arrays); the update returns new
arrays in the same container and the optimizer's ``state`` (iterations, and its slots), to pass to the next
call. Nothing is changed in place.
"""

import numbers
from collections.abc import Mapping

import numpy as np

from ._validate import finite, float_array

#: What Keras's optimizers store ``learning_rate`` in: ``keras.config.floatx()``, float32 unless changed.
KERAS_LEARNING_RATE_DTYPE = "float32"

#: What a Python number passes through when Keras casts it with ``keras.ops.cast``, by backend. TensorFlow
#: makes a float32 tensor of it first, so ``ops.cast(0.9, "float64")`` is 0.8999999761581421 there; JAX and
#: PyTorch cast the number itself (JAX without 64-bit mode has no float64 at all). It matters only for float64
#: weights: SGD's momentum and Adam's beta_1 and beta_2 in ``beta**t`` go through ``ops.cast``; the other numbers
#: enter the formulas as they are.
CAST_THROUGH = {"tensorflow": "float32", "jax": None, "torch": None}


# ---------------------------------------------------------------------------------------------------- Dense and MSE


def _dense_arrays(x, kernel, bias):
    x = finite(float_array(x, "x"), "x")
    kernel = finite(float_array(kernel, "kernel"), "kernel")
    if kernel.ndim != 2:
        raise ValueError(
            f"kernel must be 2-D (inputs, outputs) as in Keras's Dense, got shape {kernel.shape}"
        )
    if x.ndim < 1 or x.shape[-1] != kernel.shape[0]:
        hint = (
            " (PyTorch's Linear stores (outputs, inputs): pass weight.T)"
            if x.shape[-1:] == kernel.shape[1:]
            else ""
        )
        raise ValueError(
            f"x's last axis must have kernel's {kernel.shape[0]} inputs (kernel {kernel.shape} is (inputs, outputs)), "
            f"got x of shape {x.shape}{hint}"
        )
    if bias is not None:
        bias = finite(float_array(bias, "bias"), "bias")
        if bias.shape != (kernel.shape[1],):
            raise ValueError(
                f"bias must have shape ({kernel.shape[1]},), one per output, got shape {bias.shape}"
            )
    return x, kernel, bias


def dense_forward(x, kernel, bias):
    """``keras.layers.Dense(out)`` with its default linear activation: ``x @ kernel + bias``.

    ``x`` is ``(..., inputs)``: ``(batch, inputs)``, or ``(batch, timesteps, inputs)`` for a Dense on a
    sequence (it acts on the last axis, step by step). ``kernel`` is ``(inputs, outputs)``, ``bias``
    ``(outputs,)`` or ``None`` (``use_bias=False``).
    """
    x, kernel, bias = _dense_arrays(x, kernel, bias)
    y = x @ kernel
    return y if bias is None else y + bias


def dense_backward(x, kernel, grad_output):
    """Gradients of ``sum(dense_forward(x, kernel, bias) * grad_output)``.

    ``grad_output`` has the output's shape ``(..., outputs)``. Returns
    ``{"x", "kernel", "bias"}``::

        dx = grad_output @ kernel.T                          # shaped like x
        dkernel = x^T grad_output, summed over samples (and steps)   # like kernel
        dbias = grad_output summed over every axis but the last      # (outputs,)

    The bias gradient does not depend on the bias, so the bias is not an argument; a
    layer without one ignores ``"bias"``.
    """
    x, kernel, _ = _dense_arrays(x, kernel, None)
    grad_output = finite(float_array(grad_output, "grad_output"), "grad_output")
    want = x.shape[:-1] + (kernel.shape[1],)
    if grad_output.shape != want:
        raise ValueError(
            f"grad_output must have the output's shape {want}, "
            f"got shape {grad_output.shape}"
        )
    lead = tuple(range(x.ndim - 1))
    return {
        "x": grad_output @ kernel.T,
        "kernel": np.tensordot(x, grad_output, axes=(lead, lead)),
        "bias": grad_output.sum(axis=lead),
    }


def _pair(y_true, y_pred):
    y_pred = finite(float_array(y_pred, "y_pred"), "y_pred")
    y_true = finite(float_array(y_true, "y_true"), "y_true")
    if y_true.shape != y_pred.shape:
        hint = ""
        if y_pred.shape == y_true.shape + (1,) or y_true.shape == y_pred.shape + (1,):
            hint = (
                f"; numpy would broadcast them to a {tuple(np.broadcast_shapes(y_true.shape, y_pred.shape))} "
                "table of every pair and give a wrong loss without a word (Keras adds the missing axis of "
                "length 1 itself): reshape one, e.g. y_true.reshape(y_pred.shape)"
            )
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {y_true.shape} and {y_pred.shape}{hint}"
        )
    if y_pred.size == 0:
        raise ValueError(
            f"y_pred must hold at least one number, got shape {y_pred.shape}"
        )
    return y_true.astype(np.result_type(y_true, y_pred)), y_pred


def mse(y_true, y_pred):
    """``keras.losses.MeanSquaredError()(y_true, y_pred)``, the loss ``"mse"``: the mean of ``(y_pred - y_true)**2``.

    Keras averages over the last axis, then over the samples (``reduction="sum_over_batch_size"``), which for
    arrays of one shape is the mean over every entry. The argument order is Keras's: ``y_true`` first.
    Returns a float of the inputs' dtype (a numpy scalar).
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return np.mean(np.square(y_pred - y_true), axis=-1).mean()


def mse_grad(y_true, y_pred):
    """``dL/dy_pred`` for ``L = mse(y_true, y_pred)``, shaped like ``y_pred``:
    ``2 * (y_pred - y_true) / y_pred.size``.

    The ``1 / size`` is the mean's: a batch twice as large gives each sample half the
    say.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return 2 * (y_pred - y_true) / y_pred.size


# ---------------------------------------------------------------------------------------------------- optimizers


def _positive(value, name, *, allow_zero=False, below_one=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a number, got {value!r} ({type(value).__name__})"
        )
    value = float(value)
    low_ok = value >= 0 if allow_zero else value > 0
    if not (np.isfinite(value) and low_ok and (not below_one or value < 1)):
        bounds = (
            ("in [0, 1)" if below_one else "at least 0")
            if allow_zero
            else ("in (0, 1)" if below_one else "a finite number above 0")
        )
        raise ValueError(f"{name} must be {bounds}, got {value!r}")
    return value


def _flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be True or False, got {value!r} ({type(value).__name__})"
        )
    return bool(value)


def _weights_and_grads(weights, grads):
    """[(key, weight, grad)] from two dicts with the same names, or two lists of the same length."""
    if isinstance(weights, Mapping):
        if not isinstance(grads, Mapping):
            raise TypeError(
                "weights is a dict, so grads must be a dict with the same names, "
                f"got {type(grads).__name__}"
            )
        if list(weights) != list(grads) and set(weights) == set(grads):
            grads = {k: grads[k] for k in weights}
        if list(weights) != list(grads):
            raise ValueError(
                f"grads must have the names of weights {list(weights)}, got {list(grads)}"
            )
        keys = list(weights)
        pairs = [(k, weights[k], grads[k]) for k in keys]
    elif isinstance(weights, (list, tuple)):
        if not isinstance(grads, (list, tuple)):
            raise TypeError(
                "weights is a list, so grads must be a list of the same length, "
                f"got {type(grads).__name__}"
            )
        if len(weights) != len(grads):
            raise ValueError(
                f"grads must have one array per weight: {len(weights)} weights, got {len(grads)} grads"
            )
        pairs = list(zip(range(len(weights)), weights, grads))
    else:
        raise TypeError(
            f"weights must be a dict {{name: array}} or a list of arrays, got {type(weights).__name__}"
        )
    if not pairs:
        raise ValueError("weights must hold at least one array, got none")
    checked = []
    for key, w, g in pairs:
        w = finite(float_array(w, f"weights[{key!r}]"), f"weights[{key!r}]")
        g = finite(float_array(g, f"grads[{key!r}]"), f"grads[{key!r}]")
        if g.shape != w.shape:
            raise ValueError(
                f"grads[{key!r}] must have the weight's shape {w.shape}, got shape {g.shape}"
            )
        checked.append(
            (key, w, g.astype(w.dtype))
        )  # Keras casts each gradient to its variable's dtype
    return checked


def _pack(weights, values):
    return dict(values) if isinstance(weights, Mapping) else [v for _, v in values]


def _learning_rate(learning_rate, learning_rate_dtype, dtype):
    lr = _positive(learning_rate, "learning_rate")
    if learning_rate_dtype is not None:
        lr = np.asarray(lr, dtype=learning_rate_dtype)
    return np.asarray(lr).astype(dtype)


def _cast(value, dtype, backend):
    """``keras.ops.cast(value, dtype)`` of a Python number on ``backend`` (see `CAST_THROUGH`)."""
    through = CAST_THROUGH[backend] if backend is not None else None
    if through is not None:
        value = np.asarray(value, dtype=through)
    return np.asarray(value).astype(dtype)[()]


def _backend(backend):
    if backend is not None and backend not in CAST_THROUGH:
        raise ValueError(
            f"backend must be None or one of {', '.join(map(repr, CAST_THROUGH))}, got {backend!r}"
        )
    return backend


def _slots(state, name, checked, kind):
    """The optimizer's per-weight slot ``name`` from ``state``, zeros when the state is new."""
    if state is None:
        return {key: np.zeros_like(w) for key, w, _ in checked}
    slots = state.get(name)
    if not isinstance(slots, Mapping) or set(slots) != {key for key, _, _ in checked}:
        raise ValueError(
            f"state[{name!r}] does not belong to these weights: pass the state {kind} returned for them "
            "(or None for the first step)"
        )
    out = {}
    for key, w, _ in checked:
        s = float_array(slots[key], f"state[{name!r}][{key!r}]")
        if s.shape != w.shape:
            raise ValueError(
                f"state[{name!r}][{key!r}] must have the weight's shape {w.shape}, got {s.shape}"
            )
        out[key] = s.astype(w.dtype)
    return out


def _iterations(state, kind):
    if state is None:
        return 0
    if not isinstance(state, Mapping) or "iterations" not in state:
        raise TypeError(
            f"state must be None (the first step) or the dict {kind} returned, got {type(state).__name__}"
        )
    n = state["iterations"]
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"state['iterations'] must be a whole number >= 0, got {n!r}")
    return int(n)


def sgd_update(
    weights,
    grads,
    state=None,
    *,
    learning_rate=0.01,
    momentum=0.0,
    nesterov=False,
    learning_rate_dtype=KERAS_LEARNING_RATE_DTYPE,
    backend=None,
):
    """One step of ``keras.optimizers.SGD(learning_rate, momentum, nesterov)``; returns ``(new_weights, state)``.

    ``weights`` and ``grads`` are dicts with the same names (or lists of the same length) of arrays of the
    same shapes. ``state`` is ``None`` for the first step, then what the previous call returned:
    ``{"iterations": n, "momentums": {...}}`` (the velocities, kept only with ``momentum > 0``).
    ``backend="tensorflow"`` rounds the momentum as TensorFlow's cast does (float64 weights only; see
    `CAST_THROUGH`).
    """
    kind = "sgd_update"
    checked = _weights_and_grads(weights, grads)
    momentum = _positive(momentum, "momentum", allow_zero=True)
    if momentum > 1:
        raise ValueError(
            f"momentum must be between 0 and 1, as Keras requires, got {momentum!r}"
        )
    nesterov = _flag(nesterov, "nesterov")
    backend = _backend(backend)
    iterations = _iterations(state, kind)
    new, velocities = [], {}
    slots = (
        _slots(state if momentum else None, "momentums", checked, kind)
        if momentum
        else {}
    )
    for key, w, g in checked:
        lr = _learning_rate(learning_rate, learning_rate_dtype, w.dtype)
        if momentum:
            mom = _cast(momentum, w.dtype, backend)
            v = slots[key] * mom - g * lr
            velocities[key] = v
            w = w + (v * mom - g * lr) if nesterov else w + v
        else:
            w = w - g * lr
        new.append((key, w))
    return _pack(weights, new), {"iterations": iterations + 1, "momentums": velocities}


def adam_update(
    weights,
    grads,
    state=None,
    *,
    learning_rate=0.001,
    beta_1=0.9,
    beta_2=0.999,
    epsilon=1e-7,
    amsgrad=False,
    learning_rate_dtype=KERAS_LEARNING_RATE_DTYPE,
    backend=None,
):
    """One step of ``keras.optimizers.Adam(...)`` with Keras's defaults; returns
    ``(new_weights, state)``.

    ``weights`` and ``grads`` as for `sgd_update`. ``state`` is ``None`` for the first
    step (``m = v = 0``, t = 1), then what the previous call returned:
    ``{"iterations": n, "m": {...}, "v": {...}}`` (and ``"v_hat"`` with
    ``amsgrad=True``). The formula, epsilon's place included, is in the module's
    docstring. ``backend="tensorflow"`` rounds beta_1 and beta_2 in the powers as
    TensorFlow's cast does (float64 weights only; see `CAST_THROUGH`).
    """
    kind = "adam_update"
    checked = _weights_and_grads(weights, grads)
    beta_1 = _positive(beta_1, "beta_1", allow_zero=True, below_one=True)
    beta_2 = _positive(beta_2, "beta_2", allow_zero=True, below_one=True)
    epsilon = _positive(epsilon, "epsilon", allow_zero=True)
    amsgrad = _flag(amsgrad, "amsgrad")
    backend = _backend(backend)
    iterations = _iterations(state, kind)
    m_all, v_all = _slots(state, "m", checked, kind), _slots(state, "v", checked, kind)
    v_hat_all = _slots(state, "v_hat", checked, kind) if amsgrad else {}
    new = []
    for key, w, g in checked:
        dtype = w.dtype.type
        lr = _learning_rate(learning_rate, learning_rate_dtype, w.dtype)
        t = dtype(iterations + 1)
        beta_1_power = np.power(_cast(beta_1, w.dtype, backend), t)
        beta_2_power = np.power(_cast(beta_2, w.dtype, backend), t)
        alpha = lr * np.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m = m_all[key] + (g - m_all[key]) * dtype(1 - beta_1)
        v = v_all[key] + (np.square(g) - v_all[key]) * dtype(1 - beta_2)
        m_all[key], v_all[key] = m, v
        if amsgrad:
            v = v_hat_all[key] = np.maximum(v_hat_all[key], v)
        new.append((key, w - (m * alpha) / (np.sqrt(v) + dtype(epsilon))))
    state = {"iterations": iterations + 1, "m": m_all, "v": v_all}
    if amsgrad:
        state["v_hat"] = v_hat_all
    return _pack(weights, new), state
