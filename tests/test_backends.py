"""lstm_utils on each Keras backend: the mask rule each backend follows, its own autodiff against lstm_backward,
and every entry point fed that backend's tensors. One subprocess per backend runs tests/backend_sweep.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NO_TORCH
from lstm_utils import backends

SWEEP = Path(__file__).with_name("backend_sweep.py")
F32 = 1e-6          # forward passes in float32
F32_GRAD = 2e-5     # gradients in float32 (sums over steps and the batch)


def run_sweep(backend):
    if not backends.installed(backend):
        pytest.skip(NO_TORCH if backend == "torch" else f"NOT CHECKED: {backend} is not installed")
    env = dict(os.environ, KERAS_BACKEND=backend)
    env.pop("JAX_ENABLE_X64", None)
    proc = subprocess.run([sys.executable, str(SWEEP)], env=env, capture_output=True, text=True, timeout=600,
                          cwd=SWEEP.parent)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("backend", [pytest.param(b, marks=pytest.mark.xdist_group(f"sweep-{b}"))
                                     for b in backends.BACKENDS])
def test_lstm_utils_on_each_backend(backend):
    result = run_sweep(backend)
    assert result["backend"] == backend
    got = result["entry_points"]
    assert got["lstm_forward"] <= F32 and got["lstm_step"] <= F32
    assert got["split_gates"] and got["assert_close"] and got["to_numpy_variable"]
    assert got["lstm_backward"] == ["bias", "initial_state", "kernel", "recurrent_kernel", "x"]
    # float64_tolerance's claim holds, and is tight: where it allows float32's 1e-6, Keras really is not float64
    for case, claim in result["float64"].items():
        assert claim["measured"] <= claim["tolerance"], case
        if claim["tolerance"] > 1e-12:
            assert claim["measured"] > 1e-12, case
    if backend == "tensorflow":
        return
    # the forward pass, with this backend's mask rule, over every option (masks with a masked first step, a
    # sequence with no kept step, initial states, go_backwards, no bias)
    forward = result["forward_float32"]
    assert forward["cases"] >= 50 and forward["own_rule"] <= F32
    # the other rule really differs from this backend where a masked step precedes the first kept one
    assert forward["other_rule_where_they_differ"] > 1e-2
    gradients = result["gradients_float32"]
    assert gradients["cases"] >= 8 and gradients["max_diff"] <= F32_GRAD


def test_compare_refuses_unknown_names():
    with pytest.raises(ValueError, match="unknown probe"):
        backends.compare(["no_such_probe"])
    with pytest.raises(ValueError, match="unknown backend"):
        backends.compare(["float64"], backends=["theano"])


def test_a_table_reads_as_text_and_markdown():
    results = {b: {"float64": {"label": label, "values": {}}} for b, label in
               (("tensorflow", "float64"), ("jax", "float32"), ("torch", "not installed"))}
    table = backends.Table(["float64"], results)
    assert table["jax"]["float64"] == "float32"
    text = str(table).splitlines()
    assert text[0].split() == ["claim", "tensorflow", "jax", "torch"]
    assert text[2].startswith(backends.CLAIMS["float64"]) and text[2].split()[-2:] == ["not", "installed"]
    assert table._repr_markdown_().splitlines()[0] == "| claim | `tensorflow` | `jax` | `torch` |"
