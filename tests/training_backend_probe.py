"""Run under one Keras backend (``KERAS_BACKEND=jax python tests/training_backend_probe.py out.npz``) by
tests/test_training.py: Keras's own training steps, saved for numpy to redo.

Two kinds of case, each in float32 and float64:

* ``apply``: an optimizer alone. Three weight arrays and five steps of given gradients go through
  ``optimizer.apply(grads, variables)``; every weight after every step is saved. This isolates the update
  formula (no autodiff, no loss).
* ``fit``: ``LSTM(3)`` then ``Dense(1)`` on (4, 2), compiled with ``loss="mse"``, three ``train_on_batch``
  steps on three batches; the weights before and after each step and the loss each step reports are saved.
  In float64 once with ``loss="mse"`` (which computes in float32, Keras's floatx) and once with
  ``keras.losses.MeanSquaredError(dtype="float64")``.

The script only measures; the test asserts. Importing it (for the case lists) does not import Keras. Every array goes into one .npz, named ``<case>/<what>``.
"""

import os
import sys
import warnings
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
warnings.simplefilter("ignore")

import numpy as np  # noqa: E402

keras = None        # imported by main(): tests/test_training.py reads the cases below without loading Keras

STEPS = 5
SHAPES = {"a": (3, 4), "b": (4,), "c": (2, 2)}
OPTIMIZERS = {
    "sgd": ("SGD", {"learning_rate": 0.1}),
    "sgd_momentum": ("SGD", {"learning_rate": 0.05, "momentum": 0.9}),
    "sgd_nesterov": ("SGD", {"learning_rate": 0.05, "momentum": 0.8, "nesterov": True}),
    "adam": ("Adam", {"learning_rate": 0.01}),
    "adam_tuned": ("Adam", {"learning_rate": 0.3, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3}),
    "adam_amsgrad": ("Adam", {"learning_rate": 0.02, "amsgrad": True}),
}
FIT = {"sgd": ("SGD", {"learning_rate": 0.1}), "adam": ("Adam", {"learning_rate": 0.01})}
BATCH, TIMESTEPS, FEATURES, UNITS = 5, 4, 2, 3
FIT_STEPS = 3


def numpy(value):
    return np.array(keras.ops.convert_to_numpy(value))


def apply_case(name, dtype, out):
    cls, kwargs = OPTIMIZERS[name]
    rng = np.random.default_rng(zlib.crc32(f"{name}-{dtype}".encode()))
    start = {k: rng.normal(size=s).astype(dtype) for k, s in SHAPES.items()}
    variables = [keras.Variable(start[k], dtype=dtype, name=k) for k in SHAPES]
    optimizer = getattr(keras.optimizers, cls)(**kwargs)
    key = f"apply-{name}-{dtype}"
    for k in SHAPES:
        out[f"{key}/start/{k}"] = start[k]
    out[f"{key}/variable_dtype"] = np.array(str(variables[0].dtype))
    for step in range(STEPS):
        # gradients of every size: the large ones to move the weights, the small ones near epsilon
        grads = {k: (rng.normal(size=s) * 10.0 ** rng.uniform(-3, 0.5, size=s)).astype(dtype) for k, s in SHAPES.items()}
        optimizer.apply([keras.ops.convert_to_tensor(grads[k], dtype=dtype) for k in SHAPES], variables)
        for k, v in zip(SHAPES, variables):
            out[f"{key}/grad{step}/{k}"] = grads[k]
            out[f"{key}/after{step}/{k}"] = numpy(v)
    out[f"{key}/iterations"] = numpy(optimizer.iterations)


def fit_case(name, dtype, out, loss_dtype=None):
    cls, kwargs = FIT[name]
    keras.utils.set_random_seed(7)
    model = keras.Sequential(
        [keras.Input((TIMESTEPS, FEATURES), dtype=dtype),
         keras.layers.LSTM(UNITS, dtype=dtype, name="lstm"),
         keras.layers.Dense(1, dtype=dtype, name="dense")])
    rng = np.random.default_rng({"sgd": 1, "adam": 2}[name])
    model.set_weights([(rng.normal(size=w.shape) * 0.6).astype(dtype) for w in model.get_weights()])
    # "mse" computes in keras.config.floatx(), float32, whatever the model's dtype
    loss = "mse" if loss_dtype is None else keras.losses.MeanSquaredError(dtype=loss_dtype)
    model.compile(optimizer=getattr(keras.optimizers, cls)(**kwargs), loss=loss)
    key = f"fit-{name}-{dtype}" + ("" if loss_dtype is None else f"-loss_{loss_dtype}")
    names = ("kernel", "recurrent_kernel", "bias", "dense_kernel", "dense_bias")
    for k, w in zip(names, model.get_weights()):
        out[f"{key}/start/{k}"] = w
    for step in range(FIT_STEPS):
        x = rng.normal(size=(BATCH, TIMESTEPS, FEATURES)).astype(dtype)
        y = rng.normal(size=(BATCH, 1)).astype(dtype)
        loss = model.train_on_batch(x, y)
        out[f"{key}/x{step}"], out[f"{key}/y{step}"] = x, y
        out[f"{key}/loss{step}"] = np.array(loss, dtype=np.float64)
        for k, w in zip(names, model.get_weights()):
            out[f"{key}/after{step}/{k}"] = w
    out[f"{key}/variable_dtype"] = np.array(str(model.get_weights()[0].dtype))


def main(path):
    global keras
    import keras

    out = {"backend": np.array(keras.backend.backend())}
    for dtype in ("float32", "float64"):
        for name in OPTIMIZERS:
            apply_case(name, dtype, out)
        for name in FIT:
            fit_case(name, dtype, out)
    for name in FIT:
        fit_case(name, "float64", out, loss_dtype="float64")
    np.savez(path, **out)


if __name__ == "__main__":
    main(sys.argv[1])
