"""Every chapter, top to bottom in a fresh kernel, on the JAX and PyTorch backends: every cell runs and every
assert in it holds. (On TensorFlow, nbval re-runs each chapter and compares every stored output as well.)

Each run gets its own xdist group, so the runs spread over the workers."""

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from conftest import NO_TORCH, TORCH, missing_requirement

CHAPTERS_DIR = Path(__file__).resolve().parent.parent / "chapters"
CHAPTERS = sorted(CHAPTERS_DIR.glob("[0-9][0-9]_*.ipynb"))
CELL_TIMEOUT = 300


def cases():
    for backend in ("jax", "torch"):
        for path in CHAPTERS:
            marks = [pytest.mark.xdist_group(f"chapter-{backend}-{path.stem}")]
            if backend == "torch" and not TORCH:
                marks.append(pytest.mark.skip(reason=NO_TORCH))
            elif missing_requirement(path):         # a chapter that needs torch itself, on JAX too
                marks.append(pytest.mark.skip(reason=missing_requirement(path)))
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


def test_a_chapter_that_needs_torch_is_skipped_loudly_without_it(monkeypatch):
    # chapter 10 compares Keras with torch.nn itself: without torch it cannot run on any backend, and the skip
    # reason carries the words the terminal summary counts ("NOT CHECKED: torch")
    import conftest

    chapter_10 = CHAPTERS_DIR / "10_pytorch_and_keras.ipynb"
    assert conftest.chapter_requires(str(chapter_10)) == ("torch",)
    monkeypatch.setattr(conftest, "TORCH", False)
    assert conftest.missing_requirement(chapter_10) == conftest.NEEDS_TORCH
    assert "NOT CHECKED: torch" in conftest.NEEDS_TORCH
    assert conftest.missing_requirement(CHAPTERS_DIR / "03_many_units.ipynb") is None
    monkeypatch.setattr(conftest, "TORCH", True)
    assert conftest.missing_requirement(chapter_10) is None
