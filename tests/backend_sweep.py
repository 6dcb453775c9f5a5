"""Run under one Keras backend (``KERAS_BACKEND=jax python tests/backend_sweep.py``) by tests/test_backends.py.

Compares keras.layers.LSTM with lstm_forward and the backend's own gradients with lstm_backward over a sweep
of shapes and options, hands every lstm_utils entry point that backend's tensors, and prints one JSON object
of what it measured (the test asserts; this script only measures).
"""

import itertools
import json
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
warnings.simplefilter("ignore")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import lstm_utils as lu  # noqa: E402

BACKEND = keras.backend.backend()
RULE = lu.MASK_RULE_OF_BACKEND[BACKEND]
OTHER = "carried_state" if RULE == "previous_output" else "previous_output"
SHAPES = [(1, 1, 1, 1), (2, 4, 2, 3), (3, 5, 1, 2)]       # (batch, timesteps, features, units)


def max_diff(a, b):
    a, b = lu.to_numpy(a), lu.to_numpy(b)
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))


def layer_for(units, features, seed, dtype="float32", **options):
    for name in ("kernel_initializer", "recurrent_initializer", "bias_initializer"):
        options.setdefault(name, "zeros")
    layer = keras.layers.LSTM(units, dtype=dtype, **options)
    layer.build((None, None, features))
    rng = np.random.default_rng(seed)
    layer.set_weights([(rng.normal(size=w.shape) * 0.7).astype(dtype) for w in layer.get_weights()])
    return layer


def the_mask(rng, batch, timesteps):
    mask = rng.random((batch, timesteps)) < 0.6
    mask[0, 0] = False                      # masked before the first kept step
    if batch > 1:
        mask[-1] = False                    # a sequence with no kept step at all
    return mask


def forward_sweep(dtype):
    worst = {"own_rule": 0.0, "other_rule_where_they_differ": np.inf, "cases": 0}
    cases = [(shape, seq, back, True) for shape in SHAPES for seq in (False, True) for back in (False, True)]
    cases += [(SHAPES[1], True, back, False) for back in (False, True)]          # no bias
    for shape, seq, back, use_bias in cases:
        batch, timesteps, features, units = shape
        seed = abs(hash((shape, seq, back, use_bias))) % 2**32
        rng = np.random.default_rng(seed)
        layer = layer_for(units, features, seed, dtype, return_sequences=seq, return_state=True,
                          go_backwards=back, use_bias=use_bias)
        weights = lu.lstm_weights(layer, go_backwards=back)
        for use_mask, use_init in itertools.product([False, True], repeat=2):
            x = keras.ops.convert_to_tensor(rng.normal(size=(batch, timesteps, features)).astype(dtype))
            kwargs = {}
            if use_mask:
                kwargs["mask"] = keras.ops.convert_to_tensor(the_mask(rng, batch, timesteps))
            if use_init:
                kwargs["initial_state"] = [keras.ops.convert_to_tensor(rng.normal(size=(batch, units)).astype(dtype))
                                           for _ in range(2)]
            got = layer(x, **kwargs)
            options = dict(return_sequences=seq, return_state=True, go_backwards=back, **kwargs)
            ours = lu.lstm_forward(x, *weights, mask_rule=RULE, **options)
            worst["own_rule"] = max(worst["own_rule"], *(max_diff(a, b) for a, b in zip(ours, got)))
            worst["cases"] += 1
            if use_mask and use_init and seq:
                other = lu.lstm_forward(x, *weights, mask_rule=OTHER, **options)
                gap = max_diff(other[0], got[0])
                if gap > 0:
                    worst["other_rule_where_they_differ"] = min(worst["other_rule_where_they_differ"], gap)
    return worst


def gradient_sweep(dtype):
    worst = {"max_diff": 0.0, "cases": 0}
    for shape, (seq, use_mask, use_init) in itertools.product(SHAPES[1:], [(False, False, False), (True, True, True),
                                                                            (False, True, True), (True, False, False)]):
        batch, timesteps, features, units = shape
        seed = abs(hash((shape, seq, use_mask, use_init, "grad"))) % 2**32
        rng = np.random.default_rng(seed)
        layer = layer_for(units, features, seed, dtype, return_sequences=seq)
        x = rng.normal(size=(batch, timesteps, features)).astype(dtype)
        g_out = rng.normal(size=(batch, timesteps, units) if seq else (batch, units)).astype(dtype)
        init = [rng.normal(size=(batch, units)).astype(dtype) for _ in range(2)] if use_init else None
        mask = the_mask(rng, batch, timesteps) if use_mask else None
        want = lu.keras_gradients(layer, x, g_out, initial_state=init, mask=mask)
        got = lu.lstm_backward(x, *lu.lstm_weights(layer), g_out, initial_state=init, mask=mask,
                               return_sequences=seq, mask_rule=RULE)
        pairs = [(got[n], want[n]) for n in ("x", "kernel", "recurrent_kernel", "bias")]
        if use_init:
            pairs += list(zip(got["initial_state"], want["initial_state"]))
        worst["max_diff"] = max(worst["max_diff"], *(max_diff(a, b) for a, b in pairs))
        worst["cases"] += 1
    return worst


def entry_points():
    """Every entry point that takes arrays, handed this backend's tensors (and variables)."""
    layer = layer_for(3, 2, 1, return_sequences=True)
    out = {}
    x_np = np.random.default_rng(1).normal(size=(2, 4, 2)).astype("float32")
    x = keras.ops.convert_to_tensor(x_np)
    y = layer(x)                                        # on torch: a tensor that requires grad
    cell = layer.cell
    out["lstm_forward"] = max_diff(lu.lstm_forward(x, cell.kernel, cell.recurrent_kernel, cell.bias,
                                                   return_sequences=True), y)
    h, c, gates = lu.lstm_step(x[:, 0], y[:, 0] * 0, y[:, 0] * 0, cell.kernel, cell.recurrent_kernel, cell.bias)
    out["lstm_step"] = max_diff(h, y[:, 0])
    out["split_gates"] = list(lu.split_gates(cell.kernel)) == list(lu.GATE_ORDER)
    grads = lu.lstm_backward(x, cell.kernel, cell.recurrent_kernel, cell.bias, keras.ops.ones_like(y),
                             return_sequences=True)
    out["lstm_backward"] = sorted(grads)
    out["assert_close"] = lu.assert_close(y, y, atol=0, label="a tensor against itself") == 0.0
    out["to_numpy_variable"] = lu.to_numpy(cell.kernel).shape == (2, 12)
    return out


def float64_claims():
    """float64_tolerance's claim on this backend against what a float64 layer really computes."""
    out = {}
    rng = np.random.default_rng(64)
    layer = layer_for(3, 2, 64, "float64", return_sequences=True)
    x = rng.normal(size=(2, 5, 2))
    mask = np.array([[True, True, True, False, False], [True] * 5])
    for masked in (False, True):
        kwargs = {"mask": mask} if masked else {}
        got = layer(x, **kwargs)
        want = lu.lstm_forward(x, *lu.lstm_weights(layer), return_sequences=True, **kwargs)
        out["masked" if masked else "plain"] = {"tolerance": lu.backends.float64_tolerance(masked=masked),
                                                "measured": max_diff(got, want)}
    cell = layer.cell
    h0 = np.zeros((2, 3))
    h, _ = cell(x[:, 0], [h0, h0])
    out["cell"] = {"tolerance": lu.backends.float64_tolerance(cell=True),
                   "measured": max_diff(h, lu.lstm_step(x[:, 0], h0, h0, *lu.lstm_weights(layer))[0])}
    return out


if __name__ == "__main__":
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        result = {"backend": BACKEND, "keras": keras.__version__, "rule": RULE, "entry_points": entry_points(),
                  "float64": float64_claims()}
        if BACKEND != "tensorflow":         # TensorFlow's sweeps run in the test session (test_reference, test_backward)
            result["forward_float32"] = forward_sweep("float32")
            result["gradients_float32"] = gradient_sweep("float32")
    print(json.dumps(result))
    sys.stdout.flush()
