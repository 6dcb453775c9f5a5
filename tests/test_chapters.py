"""Static checks on the stored chapter notebooks: what nbval cannot see because it compares a run with the
stored outputs, not the stored outputs with the course's rules."""

import json
import re
from pathlib import Path

import pytest

CHAPTERS = sorted(Path(__file__).resolve().parent.parent.glob("chapters/[0-9][0-9]_*.ipynb"))
RUN_DEPENDENT = re.compile(r"<Figure size|at 0x[0-9a-f]{6,}|ms/step|\d+/\d+ \[=*|oneDNN|absl::|Epoch \d+/")


def code_cells(path):
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def texts(cell):
    for out in cell.get("outputs", []):
        yield out, "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))


def test_there_are_chapters():
    assert len(CHAPTERS) >= 3


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_run_top_to_bottom_in_one_fresh_kernel(path):
    counts = [c["execution_count"] for c in code_cells(path)]
    assert counts == list(range(1, len(counts) + 1))


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_first_the_colab_cell_then_the_environment(path):
    # 1: on Colab only, install lstm_utils (tools/colab_cell.py writes it; the website removes it);
    # 2: quiet TensorFlow before Keras is imported (the website hides the cell behind a toggle).
    colab, env = code_cells(path)[:2]
    assert "colab-install" in tags(colab) and "remove-cell" in tags(colab) and not colab["outputs"]
    first = "".join(env["source"])
    assert 'os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"' in first and 'os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"' in first
    assert first.index("TF_ENABLE_ONEDNN_OPTS") < first.index("import keras")
    assert "hide-input" in tags(env)


def test_the_colab_cells_are_current():
    # the cell installs from the repository _config.yml names, at the tag of pyproject.toml's version
    from tools import colab_cell

    assert colab_cell.main(["--check"]) == 0


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_chapter_pins_one_keras_version(path):
    # the chapters must pass on Colab's Keras as well as on the pins: no assert on an exact version
    source = "\n".join("".join(c["source"]) for c in code_cells(path))
    assert not re.search(r"assert[^\n]*__version__\s*==", source)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_no_run_dependent_or_error_output(path):
    for cell in code_cells(path):
        for out, text in texts(cell):
            assert out["output_type"] != "error", f"stored error in cell {cell['execution_count']}"
            assert out.get("name") != "stderr", f"stderr in cell {cell['execution_count']}: {text[:80]!r}"
            assert not RUN_DEPENDENT.search(text), f"cell {cell['execution_count']}: {RUN_DEPENDENT.search(text)[0]!r}"
            if out["output_type"] == "execute_result":
                # a bare float result (e.g. assert_close's return value as a cell's last line) escapes the sanitizer
                assert not re.fullmatch(r"-?\d\.\d{8,}(e-?\d+)?", text.strip()), f"cell {cell['execution_count']}: {text}"


FIGURE_TYPES = ("image/svg+xml", "image/png", "text/html")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_figure_has_caption_and_alt_text(path):
    # A figure cell's output is an image (SVG, or PNG) or the step-through's HTML, with its alt text as its text
    # form ("Figure: <alt>"); the website shows the caption and, for an image, the alt text from the cell's mystnb
    # metadata, which must say the same as the figure itself.
    for cell in code_cells(path):
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            text = "".join(data.get("text/plain", ""))
            if not text.startswith("Figure: "):
                assert not any(k in data for k in ("image/svg+xml", "image/png")), (
                    f"cell {cell['execution_count']}: an image without its alt text as text form")
                continue
            assert any(k in data for k in FIGURE_TYPES), f"cell {cell['execution_count']}: no image or HTML"
            meta = cell["metadata"].get("mystnb", {})
            assert meta.get("figure", {}).get("caption"), f"figure in cell {cell['execution_count']} has no caption"
            if "text/html" not in data:
                alt = meta.get("image", {}).get("alt")
                assert alt, f"figure in cell {cell['execution_count']} has no alt text"
                assert alt == text[len("Figure: "):], f"cell {cell['execution_count']}: alt text differs from the figure's"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_asserts_hand_against_keras(path):
    source = "\n".join("".join(c["source"]) for c in code_cells(path))
    assert "assert_close(" in source or "assert_allclose(" in source
    assert "max |Δ|" in "\n".join(t for c in code_cells(path) for _, t in texts(c))


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_stored_the_way_make_notebooks_stores(path):
    # No per-cell timestamps and one stream per cell: otherwise every re-run is a diff (run `make notebooks`).
    for cell in code_cells(path):
        assert "execution" not in cell["metadata"], f"cell {cell['execution_count']} keeps run timestamps"
        outs = cell.get("outputs", [])
        for a, b in zip(outs, outs[1:]):
            assert not (a["output_type"] == b["output_type"] == "stream" and a["name"] == b["name"]), (
                f"cell {cell['execution_count']}: {a['name']} split into several outputs")
