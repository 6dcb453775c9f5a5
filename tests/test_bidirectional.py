"""bidirectional_forward: against Keras's Bidirectional(LSTM) on TensorFlow, JAX and torch, by its definition
(two lstm_forward calls, one reversed), by hand-derived properties, and its errors.

A process holds one Keras backend, so tests/bidirectional_probe.py runs once per backend in a fresh interpreter
(all at once) and saves what Keras returned for every case; here the numpy function recomputes each case. These
tests import no Keras themselves, so they are not marked `keras`. A backend that is not installed is skipped,
loudly.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import lstm_utils as lu
from bidirectional_probe import CASES, UNITS, inputs

PROBE = Path(__file__).with_name("bidirectional_probe.py")
BACKENDS = ("tensorflow", "jax", "torch")


def _missing(backend):
    try:
        return importlib.util.find_spec(backend) is None
    except (ImportError, ValueError):
        return True


@pytest.fixture(scope="module")
def probes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bidirectional")
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
            log, _ = process.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            process.kill()
            log = "the probe did not finish within 300 s"
        if process.returncode != 0:
            results[backend] = f"the {backend} probe failed (exit {process.returncode}):\n{log[-3000:]}"
            continue
        with np.load(out) as data:
            arrays = {k: data[k] for k in data.files}
        results[backend] = {"meta": json.loads(str(arrays.pop("meta"))), "arrays": arrays}
    return results


def _result(probes, backend):
    if _missing(backend):
        pytest.skip(f"NO {backend.upper()}: {backend} is not installed, so Bidirectional on Keras's {backend} "
                    "backend was not checked")
    result = probes[backend]
    if isinstance(result, str):
        pytest.fail(result)
    return result


def _tolerance(backend, case):
    # float64 is kept by TensorFlow, and by torch's fused LSTM (no mask); JAX computes float32 by default, and a
    # masked call on torch runs Keras's own step, whose matmul returns float32 (lu.backends.float64_tolerance)
    if case["dtype"] == "float64" and (backend == "tensorflow" or (backend == "torch" and not case["masked"])):
        return 1e-12
    return 1e-6


def _weights(arrays, index, part):
    return tuple(arrays.get(f"{index}/{part}/{name}") for name in ("kernel", "recurrent_kernel", "bias"))


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_probe_ran_on_its_backend(probes, backend):
    assert _result(probes, backend)["meta"]["backend"] == backend


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
@pytest.mark.parametrize("backend", BACKENDS)
def test_matches_keras_on_the_backend(probes, backend, case):
    arrays = _result(probes, backend)["arrays"]
    index = CASES.index(case)
    keras_result = [arrays[f"{index}/result/{k}"] for k in range(int(arrays[f"{index}/count"]))]
    x, mask, states = inputs(case["dtype"])
    kwargs = dict(merge_mode=case["merge_mode"], return_sequences=case["return_sequences"],
                  return_state=case["return_state"], mask_rule=backend)
    if case["masked"]:
        kwargs["mask"] = mask
    if case["initial_state"]:
        kwargs["initial_state"] = states
    ours = lu.bidirectional_forward(x, _weights(arrays, index, "forward"), _weights(arrays, index, "backward"),
                                    **kwargs)
    ours = list(ours) if isinstance(ours, list) else [ours]
    assert len(ours) == len(keras_result)
    for k, (a, b) in enumerate(zip(ours, keras_result)):
        assert a.shape == b.shape, k
        np.testing.assert_allclose(a, b, rtol=0, atol=_tolerance(backend, case), err_msg=f"result {k}")
    if case["masked"] and case["return_sequences"]:
        # zeros at every masked step, in both halves, on every backend
        assert np.all(keras_result[0][~mask] == 0.0)


# ------------------------------------------------------------------ by definition and by hand, numpy only

def _random(rng, units=3, features=2, bias=True):
    return (rng.uniform(-1, 1, (features, 4 * units)), rng.uniform(-1, 1, (units, 4 * units)),
            rng.uniform(-1, 1, 4 * units) if bias else None)


def test_is_two_lstms_one_reading_backwards(rng):
    x = rng.uniform(-1, 1, (3, 6, 2))
    fw, bw = _random(rng), _random(rng)
    seq = lu.bidirectional_forward(x, fw, bw, return_sequences=True)
    assert seq.shape == (3, 6, 6)
    np.testing.assert_array_equal(seq[..., :3], lu.lstm_forward(x, *fw, return_sequences=True))
    # the backward layer read on the reversed sequence: the same as a forward layer on x[:, ::-1]
    np.testing.assert_allclose(seq[..., 3:], lu.lstm_forward(x[:, ::-1], *bw, return_sequences=True)[:, ::-1],
                               rtol=0, atol=1e-15)
    last = lu.bidirectional_forward(x, fw, bw)
    # the backward summary sits at the FIRST step of the sequence, the forward one at the last
    np.testing.assert_array_equal(last, np.concatenate([seq[:, -1, :3], seq[:, 0, 3:]], axis=-1))


def test_merge_modes_by_hand(rng):
    x = rng.uniform(-1, 1, (2, 4, 2))
    fw, bw = _random(rng), _random(rng)
    y, y_rev = lu.bidirectional_forward(x, fw, bw, merge_mode=None, return_sequences=True)
    assert y.shape == y_rev.shape == (2, 4, 3)
    for mode, want in (("concat", np.concatenate([y, y_rev], -1)), ("sum", y + y_rev), ("mul", y * y_rev),
                       ("ave", (y + y_rev) / 2)):
        np.testing.assert_array_equal(lu.bidirectional_forward(x, fw, bw, merge_mode=mode, return_sequences=True),
                                      want)
    assert lu.MERGE_MODES == ("concat", "sum", "mul", "ave", None)


def test_states_are_each_directions_last(rng):
    x = rng.uniform(-1, 1, (2, 4, 2))
    fw, bw = _random(rng), _random(rng)
    out, h_f, c_f, h_b, c_b = lu.bidirectional_forward(x, fw, bw, return_state=True)
    np.testing.assert_array_equal(out, np.concatenate([h_f, h_b], -1))
    _, h, c = lu.lstm_forward(x, *fw, return_state=True)
    np.testing.assert_array_equal(h_f, h)
    np.testing.assert_array_equal(c_f, c)
    result = lu.bidirectional_forward(x, fw, bw, merge_mode=None, return_state=True)
    assert len(result) == 6


def test_initial_state_first_half_forward(rng):
    x = rng.uniform(-1, 1, (2, 4, 2))
    fw, bw = _random(rng), _random(rng)
    s = [rng.uniform(-1, 1, (2, 3)) for _ in range(4)]
    y, y_rev = lu.bidirectional_forward(x, fw, bw, merge_mode=None, initial_state=s)
    np.testing.assert_array_equal(y, lu.lstm_forward(x, *fw, initial_state=s[:2]))
    np.testing.assert_array_equal(y_rev, lu.lstm_forward(x, *bw, initial_state=s[2:], go_backwards=True))


def test_masked_batch_equals_each_sequence_alone(rng):
    # post-padded with a mask: each row gives what it gives alone, unpadded (return_sequences=False)
    fw, bw = _random(rng), _random(rng, bias=False)
    lengths = [4, 2, 3]
    x = np.zeros((3, 4, 2))
    for k, n in enumerate(lengths):
        x[k, :n] = rng.uniform(-1, 1, (n, 2))
    mask = np.arange(4) < np.array(lengths)[:, None]
    batch = lu.bidirectional_forward(x, fw, bw, mask=mask)
    seq = lu.bidirectional_forward(x, fw, bw, mask=mask, return_sequences=True)
    for k, n in enumerate(lengths):
        alone = lu.bidirectional_forward(x[k:k + 1, :n], fw, bw)
        np.testing.assert_allclose(batch[k:k + 1], alone, rtol=0, atol=1e-15)
        np.testing.assert_allclose(seq[k:k + 1, :n], lu.bidirectional_forward(x[k:k + 1, :n], fw, bw,
                                                                              return_sequences=True),
                                   rtol=0, atol=1e-15)
        assert np.all(seq[k, n:] == 0.0)


def test_float32_stays_float32(rng):
    x = rng.uniform(-1, 1, (1, 3, 2)).astype("float32")
    fw = tuple(w.astype("float32") for w in _random(rng))
    bw = tuple(w.astype("float32") for w in _random(rng))
    assert lu.bidirectional_forward(x, fw, bw).dtype == np.float32


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(merge_mode="avg"), ValueError, "merge_mode must be one of"),
    (dict(merge_mode="concatenate"), ValueError, "got 'concatenate'"),
    (dict(initial_state=[np.zeros((2, 3))] * 2), ValueError, "four arrays"),
    (dict(initial_state=np.zeros((4, 2, 3))), TypeError, "list of four"),
    (dict(return_sequences="yes"), TypeError, "return_sequences"),
    (dict(mask=np.ones((2, 5), bool)), ValueError, "forward layer: mask must have shape"),
])
def test_bad_options_are_refused(rng, kwargs, error, words):
    x = rng.uniform(-1, 1, (2, 4, 2))
    with pytest.raises(error, match=words):
        lu.bidirectional_forward(x, _random(rng), _random(rng), **kwargs)


def test_bad_weights_are_refused(rng):
    x = rng.uniform(-1, 1, (2, 4, 2))
    fw = _random(rng)
    with pytest.raises(TypeError, match="three weights"):
        lu.bidirectional_forward(x, fw[:2], fw)
    with pytest.raises(TypeError, match="three weights"):
        lu.bidirectional_forward(x, fw, fw[0])
    with pytest.raises(ValueError, match="backward layer: x has 2 features"):
        lu.bidirectional_forward(x, fw, _random(rng, features=3))
    wide = _random(rng, units=4)
    assert lu.bidirectional_forward(x, fw, wide).shape == (2, 7)
    with pytest.raises(ValueError, match="same width, got 3 units forward and 4 backward"):
        lu.bidirectional_forward(x, fw, wide, merge_mode="sum")


def test_units_of_the_probe():
    assert UNITS == 3 and len(CASES) == len({c["name"] for c in CASES})
