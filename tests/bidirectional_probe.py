"""Keras's Bidirectional(LSTM) on one backend, run in a fresh interpreter.

tests/test_bidirectional.py runs ``KERAS_BACKEND=jax python tests/bidirectional_probe.py OUT.npz`` (and the same
for tensorflow and torch): a process holds one Keras backend. For every case of CASES this script builds the
layer, gives it random weights, calls it on the case's inputs and saves what Keras returned, with the weights
``lstm_utils.lstm_weights`` read off its two layers; the test recomputes everything with
``lstm_utils.bidirectional_forward``. Importing this module (for CASES and inputs) does not import Keras.
"""

import json
import os
import sys
import warnings

import numpy as np

MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def _cases():
    out = []
    for merge_mode in MERGE_MODES:
        for return_sequences in (False, True):
            out.append(dict(merge_mode=merge_mode, return_sequences=return_sequences, return_state=True,
                            masked=False, initial_state=False, dtype="float32", use_bias=True))
    for return_sequences in (False, True):
        for initial_state in (False, True):
            out.append(dict(merge_mode="concat", return_sequences=return_sequences, return_state=True,
                            masked=True, initial_state=initial_state, dtype="float32", use_bias=True))
    out.append(dict(merge_mode="ave", return_sequences=True, return_state=False, masked=False,
                    initial_state=True, dtype="float32", use_bias=False))
    for masked in (False, True):
        out.append(dict(merge_mode="concat", return_sequences=True, return_state=True, masked=masked,
                        initial_state=False, dtype="float64", use_bias=True))
    for case in out:
        case["name"] = "-".join([str(case["merge_mode"]), "seq" if case["return_sequences"] else "last",
                                 "masked" if case["masked"] else "unmasked", case["dtype"]]
                                + (["h0"] if case["initial_state"] else []) + ([] if case["use_bias"] else ["nobias"]))
    return out


CASES = _cases()
BATCH, TIMESTEPS, FEATURES, UNITS = 4, 5, 2, 3


def inputs(dtype):
    """x (batch, timesteps, features), a mask whose rows are post-, pre-, mid-padded and fully masked, and four
    non-zero initial states [h_fwd, c_fwd, h_bwd, c_bwd]."""
    rng = np.random.default_rng(1212)
    x = rng.uniform(-1, 1, (BATCH, TIMESTEPS, FEATURES)).astype(dtype)
    mask = np.array([[1, 1, 1, 0, 0], [0, 0, 1, 1, 1], [1, 0, 1, 0, 1], [0, 0, 0, 0, 0]], dtype=bool)
    states = [rng.uniform(-0.8, 0.8, (BATCH, UNITS)).astype(dtype) for _ in range(4)]
    return x, mask, states


def main(out_path):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    warnings.simplefilter("ignore")
    import keras

    import lstm_utils as lu

    arrays = {}
    rng = np.random.default_rng(12)
    for index, case in enumerate(CASES):
        dtype = case["dtype"]
        layer = keras.layers.Bidirectional(
            keras.layers.LSTM(UNITS, return_sequences=case["return_sequences"], return_state=case["return_state"],
                              use_bias=case["use_bias"], dtype=dtype),
            merge_mode=case["merge_mode"], dtype=dtype)
        layer.build((None, TIMESTEPS, FEATURES))
        layer.set_weights([rng.uniform(-1, 1, w.shape).astype(dtype) for w in layer.get_weights()])
        x, mask, states = inputs(dtype)
        kwargs = {}
        if case["masked"]:
            kwargs["mask"] = mask
        if case["initial_state"]:
            kwargs["initial_state"] = states
        result = layer(x, **kwargs)
        result = list(result) if isinstance(result, (list, tuple)) else [result]
        for k, r in enumerate(result):
            arrays[f"{index}/result/{k}"] = keras.ops.convert_to_numpy(r)
        for part, sub, backwards in (("forward", layer.forward_layer, False),
                                     ("backward", layer.backward_layer, True)):
            for name, w in zip(("kernel", "recurrent_kernel", "bias"), lu.lstm_weights(sub, go_backwards=backwards)):
                if w is not None:
                    arrays[f"{index}/{part}/{name}"] = w
        arrays[f"{index}/count"] = np.array(len(result))
    meta = {"backend": keras.backend.backend(), "keras": keras.__version__}
    np.savez(out_path, meta=json.dumps(meta), **arrays)


if __name__ == "__main__":
    main(sys.argv[1])
