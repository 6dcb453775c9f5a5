"""Keras's GRU and SimpleRNN on one backend, run in a fresh interpreter.

tests/test_rnn_backends.py runs ``KERAS_BACKEND=jax python tests/rnn_backend_probe.py
OUT.npz`` (and the same for torch): a process can hold one Keras backend only. This
script builds every layer in CASES with random weights, calls it, and saves what Keras
returned with the weights ``lstm_utils.rnn_weights`` read and the mask rule
``keras_mask_rule`` gave; the test then recomputes everything with the numpy functions.
Importing this module (to read CASES) does not import Keras.
"""

import json
import os
import sys
import warnings

import numpy as np

# Five samples, one per row of the mask in inputs(); timesteps, features and units vary
# from case to case, with 1s among them.
BATCH = 5
SIZES = [(6, 3, 4), (4, 1, 1), (5, 2, 3), (3, 4, 1), (6, 1, 2)]


def shape(index):
    """(batch, timesteps, features, units) of case ``index``."""
    return (BATCH, *SIZES[index % len(SIZES)])


def _case(
    name,
    kind="gru",
    *,
    dtype="float32",
    reset_after=True,
    use_bias=True,
    go_backwards=False,
    return_sequences=True,
    unroll=False,
    bidirectional=False,
    masked=True,
):
    return dict(
        name=name,
        kind=kind,
        dtype=dtype,
        reset_after=reset_after,
        use_bias=use_bias,
        go_backwards=go_backwards,
        return_sequences=return_sequences,
        unroll=unroll,
        bidirectional=bidirectional,
        masked=masked,
    )


def _cases():
    out = []
    # every weight layout, with a mask and an initial state (the rows of inputs() tell
    # the rules apart) and without either (JAX and torch then take their own fused GRU)
    for kind, reset_after, use_bias in [
        ("gru", True, True),
        ("gru", False, True),
        ("gru", True, False),
        ("gru", False, False),
        ("simple_rnn", True, True),
        ("simple_rnn", True, False),
    ]:
        tag = f"{kind}-ra{int(reset_after)}-b{int(use_bias)}"
        for masked in (True, False):
            out.append(
                _case(
                    f"{tag}-m{int(masked)}",
                    kind,
                    reset_after=reset_after,
                    use_bias=use_bias,
                    masked=masked,
                )
            )
        if use_bias:
            out.append(
                _case(f"{tag}-back", kind, reset_after=reset_after, go_backwards=True)
            )
            out.append(
                _case(f"{tag}-f64", kind, dtype="float64", reset_after=reset_after)
            )
    out.append(_case("gru-f64-fused", dtype="float64", masked=False))
    out.append(_case("gru-last", return_sequences=False))
    out.append(
        _case(
            "simple_rnn-last", "simple_rnn", return_sequences=False, go_backwards=True
        )
    )
    out.append(_case("gru-unroll", unroll=True))
    out.append(_case("gru-bidirectional", bidirectional=True))
    return out


#: What the probe runs; the test reads it to know what to recompute.
CASES = _cases()


def inputs(index, dtype):
    """x, mask and h0 of case ``index``. The mask's rows: all kept; the first two steps
    masked; every step masked; the last two masked (post-padding); a random pattern."""
    rng = np.random.default_rng(1000 + index)
    batch, timesteps, features, units = shape(index)
    x = rng.normal(size=(batch, timesteps, features)).astype(dtype)
    mask = np.ones((batch, timesteps), bool)
    mask[1, :2] = False
    mask[2, :] = False
    mask[3, -2:] = False
    mask[4] = rng.random(timesteps) < 0.5
    h0 = rng.normal(size=(batch, units)).astype(dtype)
    return x, mask, h0


def _layer(keras, case, index):
    _, timesteps, features, units = shape(index)
    options = dict(
        return_sequences=case["return_sequences"],
        return_state=True,
        go_backwards=case["go_backwards"],
        unroll=case["unroll"],
        use_bias=case["use_bias"],
        dtype=case["dtype"],
    )

    def make(**changes):
        kwargs = {**options, **changes}
        if case["kind"] == "gru":
            return keras.layers.GRU(units, reset_after=case["reset_after"], **kwargs)
        return keras.layers.SimpleRNN(units, **kwargs)

    layer = make()
    if case["bidirectional"]:
        # the backward layer given, not cloned: Keras's clone goes through its
        # serialization, which imports TensorFlow (seconds) whatever the backend
        layer = keras.layers.Bidirectional(
            layer, backward_layer=make(go_backwards=True), merge_mode=None
        )
    layer.build((None, timesteps, features))
    rng = np.random.default_rng(index)
    layer.set_weights(
        [
            (rng.normal(size=w.shape) * 0.7).astype(case["dtype"])
            for w in layer.get_weights()
        ]
    )
    return layer


def main(out_path):
    import keras

    from lstm_utils import keras_mask_rule, rnn_weights
    from lstm_utils.mask_rules import keras_backend, resolve_mask_rule

    saved = {}
    meta = {
        "backend": keras.config.backend(),
        "keras_backend": keras_backend(),
        "keras_rule": resolve_mask_rule("keras"),
        "cases": {},
        "layer_rules": {},
    }
    for index, case in enumerate(CASES):
        layer = _layer(keras, case, index)
        x, mask, h0 = inputs(index, case["dtype"])
        kwargs = {"mask": mask, "initial_state": h0} if case["masked"] else {}
        if case["bidirectional"]:
            kwargs.pop("initial_state", None)
            parts = {"forward": layer.forward_layer, "backward": layer.backward_layer}
        else:
            parts = {"layer": layer}
        result = [keras.ops.convert_to_numpy(a) for a in layer(x, **kwargs)]
        # [output, h]; a Bidirectional with merge_mode=None: [forward, backward, h, h]
        for part, array in zip(parts, result):
            saved[f"{index}/{part}/output"] = array
        if not case["bidirectional"]:
            saved[f"{index}/layer/h"] = result[1]
        meta["cases"][index] = {}
        for part, sub in parts.items():
            weights = rnn_weights(sub, reset_after=case["reset_after"])
            for name, w in zip(("kernel", "recurrent_kernel", "bias"), weights):
                if w is not None:
                    saved[f"{index}/{part}/{name}"] = w
            meta["cases"][index][part] = keras_mask_rule(sub)
        meta["layer_rules"][index] = keras_mask_rule(
            layer
        )  # a Bidirectional: its layers'
    saved["meta"] = np.array(json.dumps(meta))
    np.savez(out_path, **saved)


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    # JAX keeps float64 off unless told: Keras's float64 layers run in float32 there
    # (the test knows); its warning, once per array, would bury any real message.
    warnings.filterwarnings("ignore", message="Explicitly requested dtype float64")
    # Seconds of start-up this probe does not need, each imported by Keras only if
    # installed: TensorFlow, which serializing a layer (Bidirectional copies its layer
    # so) imports only to test isinstance(tf.TensorShape); JAX, for orbax checkpoints,
    # on the torch backend; matplotlib, for plots. A module set to None cannot be
    # imported: Keras goes without.
    backend = os.environ.get("KERAS_BACKEND")
    for name in ("tensorflow", "jax", "matplotlib"):
        if name != backend:
            sys.modules[name] = None
    main(sys.argv[1])
