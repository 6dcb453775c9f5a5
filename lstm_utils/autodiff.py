"""The judge for `lstm_backward`: a Keras LSTM differentiated by its own backend's autodiff.

Each Keras backend differentiates in its own way, so there is one short function per backend; they compute
the same thing, the gradients of ``sum(layer(x) * grad_output)``:

* TensorFlow records the forward pass on a ``tf.GradientTape`` and walks it back;
* JAX differentiates a pure function: ``layer.stateless_call`` takes the weights as arguments, and
  ``jax.grad`` differentiates with respect to them;
* PyTorch records the graph as it runs; ``loss.backward()`` leaves each gradient in the tensor's ``.grad``.

Keras and the backend are imported inside the functions, so `import lstm_utils` needs numpy alone.
"""

import numpy as np

from .tensors import to_numpy

NAMES = ("kernel", "recurrent_kernel", "bias")


def _weights(layer):
    cell = layer.cell
    return {
        name: getattr(cell, name) for name in NAMES if name != "bias" or cell.use_bias
    }


def _tensorflow(layer, x, grad_output, initial_state, mask):
    import tensorflow as tf

    x = tf.constant(x)
    init = None if initial_state is None else [tf.constant(s) for s in initial_state]
    weights = _weights(layer)
    with tf.GradientTape() as tape:
        tape.watch(x)
        if init is not None:
            tape.watch(init)
        out = layer(x, initial_state=init, mask=mask)
        loss = tf.reduce_sum(out * tf.constant(grad_output, dtype=out.dtype))
    targets = [x, *(w.value for w in weights.values()), *(init or [])]
    got = tape.gradient(loss, targets)
    return (
        got[0],
        dict(zip(weights, got[1 : 1 + len(weights)])),
        got[1 + len(weights) :] or None,
    )


def _jax(layer, x, grad_output, initial_state, mask):
    import jax
    import jax.numpy as jnp

    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]
    index = {id(v): k for k, v in enumerate(layer.trainable_variables)}
    weights = _weights(layer)
    init = None if initial_state is None else [jnp.asarray(s) for s in initial_state]

    def loss(trainable, x, init):
        out, _ = layer.stateless_call(
            trainable, non_trainable, x, initial_state=init, mask=mask
        )
        return jnp.sum(out * jnp.asarray(grad_output, dtype=out.dtype))

    d_trainable, dx, d_init = jax.grad(loss, argnums=(0, 1, 2))(
        trainable, jnp.asarray(x), init
    )
    return dx, {name: d_trainable[index[id(w)]] for name, w in weights.items()}, d_init


def _torch(layer, x, grad_output, initial_state, mask):
    import torch

    weights = _weights(layer)
    tensors = {name: w.value for name, w in weights.items()}
    for t in tensors.values():
        t.grad = None
    x = torch.tensor(x, requires_grad=True)
    init = (
        None
        if initial_state is None
        else [torch.tensor(s, requires_grad=True) for s in initial_state]
    )
    mask = None if mask is None else torch.tensor(mask)
    out = layer(x, initial_state=init, mask=mask)
    loss = (out * torch.tensor(grad_output, dtype=out.dtype)).sum()
    loss.backward()
    return (
        x.grad,
        {name: t.grad for name, t in tensors.items()},
        None if init is None else [s.grad for s in init],
    )


def keras_gradients(layer, x, grad_output, *, initial_state=None, mask=None):
    """Gradients of ``sum(layer(x, initial_state=..., mask=...) * grad_output)`` by the backend's autodiff.

    ``layer`` is a built ``keras.layers.LSTM`` whose output is a single tensor (``return_state=False``);
    ``grad_output`` has that output's shape. Returns ``{"x", "kernel", "recurrent_kernel", "bias",
    "initial_state"}`` as numpy arrays, the same keys as ``lstm_backward`` (``"bias"`` is ``None`` without
    a bias, ``"initial_state"`` is ``[dh0, dc0]`` or ``None``).
    """
    import keras

    if not isinstance(layer, keras.layers.LSTM):
        raise TypeError(
            f"keras_gradients expects a keras.layers.LSTM, got {type(layer).__name__}"
        )
    if layer.return_state:
        raise ValueError(
            "keras_gradients needs a layer with return_state=False (one output tensor)"
        )
    if not layer.built:
        raise ValueError(
            f"the layer {layer.name!r} is not built yet: call it on an array first"
        )
    dtype = layer.cell.kernel.dtype
    x = np.asarray(to_numpy(x), dtype=dtype)
    grad_output = np.asarray(to_numpy(grad_output))
    if initial_state is not None:
        initial_state = [np.asarray(to_numpy(s), dtype=dtype) for s in initial_state]
    if mask is not None:
        mask = np.asarray(to_numpy(mask), dtype=bool)
    backend = keras.backend.backend()
    run = {"tensorflow": _tensorflow, "jax": _jax, "torch": _torch}.get(backend)
    if run is None:
        raise ValueError(
            f"keras_gradients knows the tensorflow, jax and torch backends, not {backend!r}"
        )
    dx, dw, d_init = run(layer, x, grad_output, initial_state, mask)
    grads = {"x": to_numpy(dx)}
    for name in NAMES:
        grads[name] = to_numpy(dw[name]) if name in dw else None
    grads["initial_state"] = None if d_init is None else [to_numpy(g) for g in d_init]
    return grads
