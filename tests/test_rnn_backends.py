"""gru_forward and simple_rnn_forward against Keras on the JAX and the torch backend.

A process holds one Keras backend, so tests/rnn_backend_probe.py runs once per backend
in a fresh interpreter (both at once), calls every layer of its CASES and saves what
Keras returned; here the numpy functions recompute each case. What a masked step outputs
is where the backends differ (lstm_utils.mask_rules): JAX's scan loop repeats the
carried state ("carried_state"), torch the previous output ("previous_output"), JAX's unrolled loop too,
and a layer inside Bidirectional outputs zeros ("zeros"). Each case checks that
Keras matches the rule expected and no other one.

These tests import no Keras themselves (the probes do, in their own processes), so they
are not marked `keras` and can run on any worker. A backend that is not installed is
skipped, loudly: its rule was then not checked.

float32 agrees to 1e-6. float64 is held to 1e-12 only where Keras computes it in
float64: on torch, the fused GRU (reset_after=True, no mask); elsewhere Keras computes
float64 layers partly in float32 (JAX keeps float64 off unless JAX_ENABLE_X64 is set; on
torch Keras 3.15's ops.matmul returns float32 for two float64 tensors), so 1e-6.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lstm_utils import gru_forward, simple_rnn_forward
from lstm_utils.mask_rules import BACKEND_MASK_RULES, MASK_RULES
from rnn_backend_probe import CASES, inputs

PROBE = Path(__file__).with_name("rnn_backend_probe.py")
BACKENDS = ("jax", "torch")
INSTALL = {
    "jax": "pip install 'jax[cpu]==0.10.2'",
    "torch": "pip install torch==2.13.0",
}


def _missing(backend):
    try:
        return importlib.util.find_spec(backend) is None
    except (ImportError, ValueError):  # a module set to None in sys.modules
        return True


@pytest.fixture(scope="module")
def probes(tmp_path_factory):
    """Start the probe of every installed backend at once; then wait for each."""
    folder = tmp_path_factory.mktemp("rnn_backends")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
    running = {}
    for backend in BACKENDS:
        if not _missing(backend):
            out = folder / f"{backend}.npz"
            running[backend] = (
                out,
                subprocess.Popen(
                    [sys.executable, str(PROBE), str(out)],
                    env={**env, "KERAS_BACKEND": backend},
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                ),
            )
    results = {}
    for backend, (out, process) in running.items():
        try:
            log, _ = process.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            process.kill()
            log = "the probe did not finish within 300 s"
        if process.returncode != 0:
            results[backend] = (
                f"the {backend} probe failed (exit "
                f"{process.returncode}):\n{log[-3000:]}"
            )
            continue
        with np.load(out) as data:
            arrays = {k: data[k] for k in data.files}
        results[backend] = {
            "meta": json.loads(str(arrays.pop("meta"))),
            "arrays": arrays,
        }
    return results


def _result(probes, backend):
    if _missing(backend):
        pytest.skip(
            f"NO {backend.upper()}: {backend} is not installed, so Keras's {backend} "
            f"backend was not checked ({INSTALL[backend]})"
        )
    result = probes[backend]
    if isinstance(result, str):
        pytest.fail(result)
    return result


def _expected_rule(backend, case):
    if case["bidirectional"]:
        return "zeros"
    if case["unroll"]:
        return "previous_output"
    return BACKEND_MASK_RULES[backend]


def _tolerance(backend, case):
    fused_gru = case["kind"] == "gru" and case["reset_after"] and not case["masked"]
    if case["dtype"] == "float64" and backend == "torch" and fused_gru:
        return 1e-12
    return 1e-6


def _numpy(case, arrays, index, part, mask_rule):
    """The case recomputed: the part's output (and final h), under mask_rule."""
    weights = [
        arrays.get(f"{index}/{part}/{name}")
        for name in ("kernel", "recurrent_kernel", "bias")
    ]
    x, mask, h0 = inputs(index, case["dtype"])
    kwargs = dict(
        return_sequences=case["return_sequences"],
        return_state=True,
        go_backwards=case["go_backwards"] or part == "backward",
    )
    if case["masked"]:
        kwargs.update(mask=mask, mask_rule=mask_rule)
        if not case["bidirectional"]:
            kwargs["initial_state"] = h0
    if case["kind"] == "gru":
        output, h = gru_forward(x, *weights, reset_after=case["reset_after"], **kwargs)
    else:
        output, h = simple_rnn_forward(x, *weights, **kwargs)
    if part == "backward" and case["return_sequences"]:
        output = output[
            :, ::-1
        ]  # Bidirectional puts the backward sequence in time order
    return output, h


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_probe_saw_its_backend_and_its_keras_rule(probes, backend):
    meta = _result(probes, backend)["meta"]
    assert meta["backend"] == meta["keras_backend"] == backend
    assert meta["keras_rule"] == BACKEND_MASK_RULES[backend]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
@pytest.mark.parametrize("backend", BACKENDS)
def test_matches_keras_on_the_backend(probes, backend, case):
    result = _result(probes, backend)
    index = CASES.index(case)
    arrays, rules = result["arrays"], result["meta"]["cases"][str(index)]
    expected_rule = _expected_rule(backend, case)
    assert result["meta"]["layer_rules"][str(index)] == expected_rule
    for part, rule in rules.items():
        assert rule == expected_rule, f"keras_mask_rule({part}) on {backend}"
        keras_output = arrays[f"{index}/{part}/output"]
        # a backend's name is a mask_rule too; a layer with a rule of its own passes it
        given = backend if rule == BACKEND_MASK_RULES[backend] else rule
        output, h = _numpy(case, arrays, index, part, given)
        atol = _tolerance(backend, case)
        np.testing.assert_allclose(
            output, keras_output, rtol=0, atol=atol, err_msg=part
        )
        if part == "layer":
            np.testing.assert_allclose(h, arrays[f"{index}/layer/h"], rtol=0, atol=atol)
        if case["masked"]:
            # the mask's rows tell the rules apart: Keras matches the expected one alone
            for other in (r for r in MASK_RULES if r != rule):
                wrong, _ = _numpy(case, arrays, index, part, other)
                assert np.abs(wrong - keras_output).max() > 1e-3, (
                    f"{backend} {case['name']} {part}: mask_rule={other!r} matches "
                    "too, so "
                    "these inputs do not tell the rules apart"
                )
