"""Small experiments that show how Keras behaves on the backend it runs on.

Each probe builds a tiny LSTM with fixed weights, runs it, compares what Keras returns with what
`lstm_forward` computes under each candidate rule, and reports the rule it found as a short label (plus the
measured numbers). They run inside a process whose ``KERAS_BACKEND`` is already set; `backends.compare`
starts one such process per backend:

    KERAS_BACKEND=jax python -m lstm_utils.probes mask_before_first_kept float64

prints one JSON object, ``{probe: {"label": ..., "values": {...}}}``.
"""

import json
import sys

import numpy as np

from .reference import lstm_forward

#: The weights and inputs every probe uses: LSTM(3) on 2 features, round numbers from a seeded generator.
_RNG = np.random.default_rng(2026)
KERNEL = np.round(_RNG.uniform(-1, 1, (2, 12)), 2)
RECURRENT_KERNEL = np.round(_RNG.uniform(-1, 1, (3, 12)), 2)
BIAS = np.round(_RNG.uniform(-1, 1, 12), 2)
X = np.round(_RNG.uniform(-1, 1, (2, 4, 2)), 2)            # two batches of one sequence, 4 steps each
H0 = np.array([[0.5, -0.5, 0.25]])
C0 = np.array([[1.0, -1.0, 0.5]])
MASK = np.array([[False, True, False, True]])        # masked before and after the first kept step
CLOSE = 1e-5                                               # float32 rounding is far below this


def _weights(dtype="float32"):
    return [w.astype(dtype) for w in (KERNEL, RECURRENT_KERNEL, BIAS)]


def _max_diff(a, b):
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))


def _layer(keras, **options):
    layer = keras.layers.LSTM(3, **options)
    layer.build((None, 4, 2))
    layer.set_weights(_weights(options.get("dtype", "float32")))
    return layer


def mask_before_first_kept(keras):
    """What a masked LSTM outputs at a masked step before any step was kept, with a non-zero h0."""
    out = {}
    for unroll in (False, True):
        layer = _layer(keras, return_sequences=True, unroll=unroll)
        got = keras.ops.convert_to_numpy(
            layer(X[:1].astype("float32"), mask=MASK, initial_state=[H0.astype("float32"), C0.astype("float32")]))
        rules = {rule: _max_diff(got, lstm_forward(X[:1], *_weights("float64"), initial_state=[H0, C0], mask=MASK,
                                                   return_sequences=True, mask_rule=rule))
                 for rule in ("previous_output", "carried_state", "zeros")}
        found = [rule for rule, d in rules.items() if d < CLOSE]
        first = got[0, 0]
        what = "zeros" if np.all(first == 0) else "h0" if _max_diff(first, H0[0]) < CLOSE else "other"
        out["unroll" if unroll else "loop"] = {"first_output": [round(float(v), 6) for v in first],
                                              "shows": what, "rule": found[0] if found else "none", **rules}
    loop = out["loop"]
    return {"label": f"{loop['shows']} ({loop['rule']})", "values": out}


def _stateful_model(keras, use_cudnn):
    model = keras.Sequential([keras.Input((4, 2), batch_size=1),
                              keras.layers.LSTM(3, stateful=True, use_cudnn=use_cudnn, name="lstm")])
    model.get_layer("lstm").set_weights(_weights())
    return model


def _references():
    """Batch B's output: continued from batch A's final state, or from zeros; and the state after A then B."""
    continued = lstm_forward(X.reshape(1, 8, 2), *_weights("float64"), return_state=True)
    fresh = lstm_forward(X[1:], *_weights("float64"))
    return continued, fresh


def _carried(got_b, continued, fresh):
    d_cont, d_fresh = _max_diff(got_b, continued[0]), _max_diff(got_b, fresh)
    label = "carried" if d_cont < CLOSE else "from zeros" if d_fresh < CLOSE else "other"
    return label, {"vs_continued": d_cont, "vs_from_zeros": d_fresh}


def stateful_predict(keras):
    """Does ``predict`` on a stateful LSTM start batch B from the state batch A left?"""
    model = _stateful_model(keras, "auto")
    model.predict(X[:1].astype("float32"), verbose=0)
    got = model.predict(X[1:].astype("float32"), verbose=0)
    label, values = _carried(got, *_references())
    return {"label": label, "values": values}


def stateful_call(keras):
    """Does calling a stateful model directly, ``model(x)``, carry the state from batch A to batch B?"""
    model = _stateful_model(keras, "auto")
    model(X[:1].astype("float32"))
    got = keras.ops.convert_to_numpy(model(X[1:].astype("float32")))
    label, values = _carried(got, *_references())
    return {"label": label, "values": values}


def _fit(keras, use_cudnn):
    model = _stateful_model(keras, use_cudnn)
    # learning rate 0: the weights stay as they are, so the states can be compared with the hand pass
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    try:
        model.fit(X.astype("float32"), np.zeros((2, 3), "float32"), batch_size=1, epochs=1, shuffle=False, verbose=0)
    except Exception as exc:                                       # torch's in-place error, for one
        message = str(exc).splitlines()[0] if str(exc) else ""
        return {"label": f"error ({type(exc).__name__})", "values": {"error": f"{type(exc).__name__}: {message}"}}
    h = keras.ops.convert_to_numpy(model.get_layer("lstm").states[0].value)
    continued, _ = _references()
    last_alone = lstm_forward(X[1:], *_weights("float64"))
    values = {"h_vs_continued": _max_diff(h, continued[1]), "h_vs_batch_B_alone": _max_diff(h, last_alone),
              "h_abs_max": float(np.abs(h).max())}
    label = ("carried" if values["h_vs_continued"] < CLOSE else
             "reset per batch" if values["h_vs_batch_B_alone"] < CLOSE else
             "never updated" if values["h_abs_max"] == 0 else "other")
    return {"label": label, "values": values}


def stateful_fit(keras):
    """After ``fit`` over batches A then B (shuffle=False), does the layer hold the state A then B leave?"""
    return _fit(keras, "auto")


def stateful_fit_no_cudnn(keras):
    """The same, with ``use_cudnn=False`` (which also turns off the torch backend's fused LSTM)."""
    return _fit(keras, False)


def float64(keras):
    """Does a float64 LSTM compute in float64? Its output against the float64 numpy reference."""
    layer = _layer(keras, dtype="float64", return_sequences=True)
    got = keras.ops.convert_to_numpy(layer(X))
    diff = _max_diff(got, lstm_forward(X, *_weights("float64"), return_sequences=True))
    label = "float64" if diff < 1e-12 and got.dtype == np.float64 else "float32"
    return {"label": label, "values": {"output_dtype": str(got.dtype), "max_diff_vs_float64_numpy": diff,
                                       "variable_dtype": str(layer.cell.kernel.dtype)}}


def float64_masked(keras):
    """The same float64 LSTM called with a mask (which sends every backend through its step-by-step loop)."""
    layer = _layer(keras, dtype="float64", return_sequences=True)
    mask = np.array([[True, True, True, False], [True, True, True, True]])
    got = keras.ops.convert_to_numpy(layer(X, mask=mask))
    diff = _max_diff(got, lstm_forward(X, *_weights("float64"), return_sequences=True, mask=mask))
    label = "float64" if diff < 1e-12 and got.dtype == np.float64 else "float32"
    return {"label": label, "values": {"output_dtype": str(got.dtype), "max_diff_vs_float64_numpy": diff}}


def float64_cell(keras):
    """A float64 ``LSTMCell`` called step by step (as chapter 04 does), against the float64 numpy step."""
    cell = keras.layers.LSTMCell(3, dtype="float64")
    cell.build((None, 2))
    cell.set_weights(_weights("float64"))
    h0 = np.zeros((2, 3))
    h, _ = cell(X[:, 0], [h0, h0])
    got = keras.ops.convert_to_numpy(h)
    from .reference import lstm_step

    diff = _max_diff(got, lstm_step(X[:, 0], h0, h0, *_weights("float64"))[0])
    label = "float64" if diff < 1e-12 and got.dtype == np.float64 else "float32"
    return {"label": label, "values": {"output_dtype": str(got.dtype), "max_diff_vs_float64_numpy": diff}}


PROBES = {f.__name__: f for f in (mask_before_first_kept, stateful_predict, stateful_call, stateful_fit,
                                  stateful_fit_no_cudnn, float64, float64_masked, float64_cell)}


def run(names):
    """Run the named probes under this process's Keras backend: ``{name: {"label", "values"}}``."""
    import keras

    unknown = [n for n in names if n not in PROBES]
    if unknown:
        raise ValueError(f"unknown probe(s) {unknown}; known: {', '.join(PROBES)}")
    results = {"_keras": keras.__version__, "_backend": keras.backend.backend()}
    for name in names:
        results[name] = PROBES[name](keras)
    return results


if __name__ == "__main__":
    import os
    import warnings

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    warnings.simplefilter("ignore")
    print(json.dumps(run(sys.argv[1:])))
