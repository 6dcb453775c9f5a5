"""Shared test set-up: quiet TensorFlow before anything imports it, and the Keras helpers the tests share."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import atexit
import functools
import json
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

from lstm_utils import backends


def _end_worker_now():
    """An xdist worker has reported everything by the time Python exits; skip the interpreter's teardown, which takes
    the worker that loaded TensorFlow almost a second while the whole run waits for it. Registered before Keras is
    imported, so TensorFlow's own exit handlers still run first. Only ever in a worker: the exit status `make` reads is
    the controller's, which exits normally."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if os.environ.get("PYTEST_XDIST_WORKER"):
    atexit.register(_end_worker_now)

# The backend tables in the chapters run small probes on every backend (lstm_utils.backends); within one test run
# each probe runs once per backend and Keras version, and the chapters (on every backend) reuse the result. Set by
# the controller before the workers start, so they and the notebook kernels they start inherit it.
if not os.environ.get("PYTEST_XDIST_WORKER") and "LSTM_UTILS_PROBE_CACHE" not in os.environ:
    _probe_cache = tempfile.mkdtemp(prefix="lstm-utils-probes-")
    os.environ["LSTM_UTILS_PROBE_CACHE"] = _probe_cache
    atexit.register(shutil.rmtree, _probe_cache, True)

TORCH = backends.installed("torch")
NO_TORCH = "NOT CHECKED: torch is not installed (the optional extra; .ci/run installs it)"
NEEDS_TORCH = ("NOT CHECKED: torch is not installed, and this chapter needs it on every backend (its metadata says "
               "\"lstm_course\": {\"requires\": [\"torch\"]}; the optional extra, .ci/run installs it)")


@functools.lru_cache(maxsize=None)
def chapter_requires(path):
    """What a chapter notebook says it needs beyond the course's requirements: its metadata
    ``"lstm_course": {"requires": ["torch"]}`` (chapter 10 compares Keras with torch.nn itself)."""
    metadata = json.loads(Path(path).read_text(encoding="utf-8")).get("metadata", {})
    return tuple(metadata.get("lstm_course", {}).get("requires", []))


def missing_requirement(path):
    """The skip reason for a chapter that needs what is not installed here, else None."""
    if not TORCH and "torch" in chapter_requires(str(path)):
        return NEEDS_TORCH
    return None

TOLERANCE = {"float32": 1e-6, "float64": 1e-12}


def random_lstm(units, features, *, seed, dtype="float32", use_bias=True, scale=0.7, **options):
    """A built keras.layers.LSTM whose weights (bias included) are random, so no gate is trivial."""
    import keras

    # the weights are replaced below, so skip Keras's own initialisers (the orthogonal one is the slow part of a build)
    for name in ("kernel_initializer", "recurrent_initializer", "bias_initializer"):
        options.setdefault(name, "zeros")
    layer = keras.layers.LSTM(units, dtype=dtype, use_bias=use_bias, **options)
    layer.build((None, None, features))
    rng = np.random.default_rng(seed)
    layer.set_weights([(rng.normal(size=w.shape) * scale).astype(dtype) for w in layer.get_weights()])
    return layer


# ---------------------------------------------------------------- how `make test` shares the work between workers
# Importing Keras and making its first call costs about 5 s of CPU in every process that does it. The tests that need
# Keras are marked `keras` and run on one worker (xdist group "keras"); every other test file, and every notebook, is a
# group of its own, as under --dist loadscope. Groups start in this order (the Makefile passes --no-loadscope-reorder):
# Keras tests, then the grader's (they mostly wait on kernels and time limits), the browser's, the chapters, the rest.
FIRST = ("keras", "tests/coursework/", "tests/browser/", "chapters/")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    rank = {}
    for item in items:
        explicit = item.get_closest_marker("xdist_group")
        if explicit is not None:
            group = explicit.kwargs.get("name") or explicit.args[0]
        elif item.get_closest_marker("keras"):
            group = "keras"
        else:
            group = item.path.relative_to(config.rootpath).as_posix()
        # a chapter's backend table needs every backend; without torch its stored output cannot be reproduced
        cell = getattr(item, "cell", None)
        if not TORCH and cell is not None and "backend-table" in cell.get("metadata", {}).get("tags", []):
            item.add_marker(pytest.mark.skip(reason=NO_TORCH))
        # a chapter that needs torch (nbval's cells of it) cannot run at all without it: skipped, loudly
        if cell is not None and item.path.suffix == ".ipynb" and missing_requirement(item.path):
            item.add_marker(pytest.mark.skip(reason=missing_requirement(item.path)))
        item.add_marker(pytest.mark.xdist_group(group))
        rank[item.nodeid] = next((k for k, prefix in enumerate(FIRST) if group.startswith(prefix)), len(FIRST))
    items.sort(key=lambda item: rank[item.nodeid])   # stable: the order within a group is unchanged


def pytest_xdist_node_collection_finished(node, ids):
    """xdist passes each test's group to the controller as a suffix of its node id ("...@keras"). If an upgrade stops
    that suffix from sticking (pytest 9.2 with xdist 3.8: pytest-dev/pytest-xdist#1386), notebooks would be split cell
    by cell across workers and fail in confusing ways: stop at once and say why."""
    if node.config.getoption("dist") == "loadgroup" and ids and not any("@" in nodeid for nodeid in ids):
        pytest.exit("--dist loadgroup is not grouping (no @group in the node ids): this pytest and pytest-xdist do not "
                    "work together (pytest-dev/pytest-xdist#1386); keep the versions pinned in requirements.txt",
                    returncode=3)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test that loads Keras without the `keras` mark would make a second worker pay Keras's start-up: fail it."""
    before = "keras" in sys.modules
    result = yield
    if not before and "keras" in sys.modules and not item.get_closest_marker("keras"):
        pytest.fail("this test imported Keras: mark it @pytest.mark.keras so it runs on the worker that has Keras")
    return result


def pytest_terminal_summary(terminalreporter):
    """A browser test, or a backend, that could not run is not a pass: say so where nobody can miss it."""
    skipped = terminalreporter.stats.get("skipped", [])
    if any("NO BROWSER" in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_sep("!", "BROWSER TESTS DID NOT RUN: no Chromium found (apt-get install chromium)",
                                   red=True, bold=True)
    not_checked = [r for r in skipped if any(word in str(getattr(r, "longrepr", ""))
                                             for word in ("NOT CHECKED: torch", "NO TORCH"))]
    if not_checked:
        terminalreporter.write_sep(
            "!", f"PYTORCH NOT CHECKED: torch is not installed, so {len(not_checked)} tests were skipped: the "
                 "chapters on KERAS_BACKEND=torch, lstm_utils on torch, the chapters' backend tables, and every cell "
                 "of the chapters that need torch on any backend (chapter 10). Install the extra with `make torch` "
                 "(.ci/run does)", red=True, bold=True)
    if any("NO BUBBLEWRAP" in str(getattr(report, "longrepr", "")) for report in skipped):
        terminalreporter.write_sep("!", "SEALED GRADING TESTS DID NOT RUN: no working bubblewrap "
                                   "(apt-get install bubblewrap)", red=True, bold=True)


@pytest.fixture
def rng():
    return np.random.default_rng(20261121)
