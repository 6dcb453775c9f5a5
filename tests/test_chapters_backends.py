"""Every chapter, top to bottom in a fresh kernel, on the JAX and PyTorch backends: every cell runs and every
assert in it holds. (On TensorFlow, nbval re-runs each chapter and compares every stored output as well.)

Each run gets its own xdist group, so the runs spread over the workers."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from conftest import NO_TORCH, TORCH

CHAPTERS_DIR = Path(__file__).resolve().parent.parent / "chapters"
CHAPTERS = sorted(CHAPTERS_DIR.glob("[0-9][0-9]_*.ipynb"))
CELL_TIMEOUT = 300


def cases():
    for backend in ("jax", "torch"):
        for path in CHAPTERS:
            marks = [pytest.mark.xdist_group(f"chapter-{backend}-{path.stem}")]
            if backend == "torch" and not TORCH:
                marks.append(pytest.mark.skip(reason=NO_TORCH))
            yield pytest.param(backend, path, id=f"{backend}-{path.stem}", marks=marks)


@pytest.mark.parametrize("backend, path", list(cases()))
def test_chapter_runs_on_backend(backend, path):
    nb = nbformat.read(path, as_version=4)
    # one more cell at the end: proof that the chapter really ran on the backend asked for
    nb.cells.append(nbformat.v4.new_code_cell("import keras\nprint(keras.backend.backend())"))
    env = dict(os.environ, KERAS_BACKEND=backend)
    env.pop("JAX_ENABLE_X64", None)                      # JAX's defaults, as a learner has them
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(CHAPTERS_DIR)}})
    try:
        client.execute(env=env)
    except CellExecutionError as exc:
        pytest.fail(f"{path.name} on {backend}: {str(exc)[-2500:]}", pytrace=False)
    assert nb.cells[-1].outputs[0]["text"].strip() == backend
