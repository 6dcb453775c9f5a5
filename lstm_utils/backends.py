"""Keras 3 on its three backends, side by side.

A notebook's Keras runs on one backend, chosen once per process by ``KERAS_BACKEND``. To show how the
same code behaves on TensorFlow, JAX and PyTorch, `compare` runs the probes of `lstm_utils.probes` in a
fresh Python process per backend (at the same time) and gathers what each found into one table:

    table = lu.backends.compare(["mask_before_first_kept"])
    print(table)
    table["jax"]["mask_before_first_kept"]      # the label JAX's probe reported

A backend that is not installed shows as "not installed". Set ``LSTM_UTILS_PROBE_CACHE`` to a folder to
reuse results within one test run (each result is stored under the backend's and Keras's version).
"""

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from pathlib import Path

BACKENDS = ("tensorflow", "jax", "torch")
_MODULE = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}

#: How each probe is named in a table.
CLAIMS = {
    "mask_before_first_kept": "masked step before the first kept one: output",
    "stateful_predict": "stateful predict(): batch B starts from",
    "stateful_call": "stateful model(x): batch B starts from",
    "stateful_fit": "stateful fit(): state after batches A, B",
    "stateful_fit_no_cudnn": "... the same with use_cudnn=False",
    "float64": "dtype='float64' layer computes in",
    "float64_masked": "... the same layer called with a mask",
    "float64_cell": "... a float64 LSTMCell called step by step",
}

#: The tolerance that holds for a float64 layer, by backend, on a CPU: where Keras computes in float64, the
#: hand computation agrees to 1e-12; where it computes (partly) in float32, to float32's 1e-6.
#: TensorFlow keeps float64. JAX computes in float32 unless 64-bit mode is on (``jax_enable_x64``).
#: PyTorch keeps float64 in its fused LSTM, but a masked call goes through Keras's step-by-step loop (and an
#: ``LSTMCell`` called directly runs that same step), whose
#: ``keras.ops.matmul`` casts to ``keras.backend.result_type(float64, float64)``, which is float32
#: (keras/src/backend/common/dtypes.py, ``_lattice_result_type``: 64-bit types map to 32-bit, "to be aligned
#: with JAX's default behavior"). The `float64` and `float64_masked` probes measure all of this.
FLOAT64_ATOL, FLOAT32_ATOL = 1e-12, 1e-6


def float64_tolerance(masked=False, *, cell=False):
    """The ``atol`` that a float64 Keras LSTM meets against the float64 numpy reference on this backend.

    1e-12 where Keras computes in float64 (TensorFlow; PyTorch's fused loop, i.e. an ``LSTM`` layer called
    without a mask; JAX with 64-bit mode on), else float32's 1e-6 (see `FLOAT64_ATOL` and the `float64`
    probes for why). ``masked=True`` for a layer called with a mask, ``cell=True`` for an ``LSTMCell`` called
    step by step: on PyTorch both run Keras's own step, in float32."""
    import keras

    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        return FLOAT64_ATOL if jax.config.read("jax_enable_x64") else FLOAT32_ATOL
    if backend == "torch" and (masked or cell):
        return FLOAT32_ATOL
    return FLOAT64_ATOL


def installed(backend):
    """Whether the backend's library can be imported in this environment."""
    return find_spec(_MODULE[backend]) is not None


def _versions(backend):
    out = []
    for package in ("keras", _MODULE[backend]):
        try:
            out.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            out.append(f"{package}==?")
    return out


def _cache_file(backend, probe):
    folder = os.environ.get("LSTM_UTILS_PROBE_CACHE")
    if not folder:
        return None
    key = hashlib.sha256(json.dumps([backend, probe, _versions(backend), sys.executable]).encode()).hexdigest()[:16]
    return Path(folder) / f"{backend}-{probe}-{key}.json"


def _env(backend):
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0")
    env.pop("JAX_ENABLE_X64", None)                 # JAX's defaults, as a learner has them
    return env


def _run_backend(backend, probes, timeout):
    """{probe: result} for one backend, from the cache where possible, else from one fresh process."""
    if not installed(backend):
        return {p: {"label": "not installed", "values": {}} for p in probes}
    results, todo = {}, []
    for probe in probes:
        cached = _cache_file(backend, probe)
        if cached is not None and cached.exists():
            results[probe] = json.loads(cached.read_text())
        else:
            todo.append(probe)
    if todo:
        proc = subprocess.run([sys.executable, "-m", "lstm_utils.probes", *todo], env=_env(backend),
                              capture_output=True, text=True, timeout=timeout)
        lines = proc.stdout.strip().splitlines()
        if proc.returncode != 0 or not lines:
            tail = textwrap.shorten(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "", 160)
            raise RuntimeError(f"the {backend} probe process failed (exit {proc.returncode}): {tail}")
        fresh = json.loads(lines[-1])
        for probe in todo:
            results[probe] = fresh[probe]
            cached = _cache_file(backend, probe)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(json.dumps(fresh[probe]))
                tmp.replace(cached)
    return results


class Table:
    """What each backend's probes found: ``table[backend][probe]`` is the label, ``table.values`` the numbers."""

    def __init__(self, probes, results):
        self.probes = list(probes)
        self.backends = list(results)
        self.values = {b: {p: results[b][p]["values"] for p in self.probes} for b in self.backends}
        self._labels = {b: {p: results[b][p]["label"] for p in self.probes} for b in self.backends}
        #: the backends whose probes ran (the others show "not installed")
        self.installed = [b for b in self.backends if any(v != "not installed" for v in self._labels[b].values())]

    def __getitem__(self, backend):
        return dict(self._labels[backend])

    def rows(self):
        return [[CLAIMS.get(p, p)] + [self._labels[b][p] for b in self.backends] for p in self.probes]

    def __str__(self):
        header = ["claim"] + self.backends
        rows = self.rows()
        widths = [max(len(str(r[k])) for r in [header] + rows) for k in range(len(header))]
        lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in [header] + rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def _repr_markdown_(self):
        header = ["claim"] + [f"`{b}`" for b in self.backends]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in self.rows()]
        return "\n".join(lines)

    def __repr__(self):
        return str(self)


def compare(probes, backends=BACKENDS, *, timeout=900):
    """Run the named probes (see `lstm_utils.probes.PROBES`) on each backend; returns a `Table`.

    Each backend runs in a process of its own, stopped after `timeout` seconds (generous: on a
    busy two-core machine a probe that trains Keras models took over 300 s)."""
    if isinstance(probes, str):
        probes = [probes]
    unknown = [p for p in probes if p not in CLAIMS]
    if unknown:
        raise ValueError(f"unknown probe(s) {unknown}; known: {', '.join(CLAIMS)}")
    unknown = [b for b in backends if b not in BACKENDS]
    if unknown:
        raise ValueError(f"unknown backend(s) {unknown}; known: {', '.join(BACKENDS)}")
    with ThreadPoolExecutor(max_workers=len(backends)) as pool:
        futures = {b: pool.submit(_run_backend, b, list(probes), timeout) for b in backends}
        results = {b: f.result() for b, f in futures.items()}
    return Table(probes, results)
