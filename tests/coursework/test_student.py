"""The student edition: solutions become stubs, their outputs go, the solution fences go, nothing else changes."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coursework import BEGIN_SOLUTION, END_SOLUTION, is_check, is_solution
from coursework.student import MARKER_FILE, EditionError, student_notebook, write_edition

from coursework_toy import find, toy_chapter as toy

REPO = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((REPO / "chapters").glob("[0-9][0-9]_*.ipynb"))


def fences(nb):
    return [c for c in nb.cells if c.cell_type == "markdown" and "{solution-" in c.source]


def test_markers_replaced_by_a_stub_naming_the_exercise():
    edition = student_notebook(toy())
    sources = {c.metadata["exercise"]: c.source for c in edition.cells if is_solution(c)}
    assert sources["98.1"] == ('# Exercise 98.1: define n_params, an int\n'
                               'raise NotImplementedError("Exercise 98.1: write your answer here")')
    # inside a function body the stub takes the BEGIN line's indentation; the def line outside the markers stays
    assert sources["98.3"] == ('# Exercise 98.3: define my_sigmoid(x)\ndef my_sigmoid(x):\n'
                               '    raise NotImplementedError("Exercise 98.3: write your answer here")')
    for source in sources.values():
        assert BEGIN_SOLUTION not in source and END_SOLUTION not in source
        compile(source, "<stub>", "exec")


def test_solution_and_check_outputs_cleared():
    nb = toy()
    assert all(c.outputs and c.execution_count for c in nb.cells if is_check(c))
    edition = student_notebook(nb)
    for cell in edition.cells:
        if is_solution(cell) or is_check(cell):
            assert cell.outputs == [] and cell.execution_count is None


def test_fence_cells_removed_and_nothing_else():
    nb = toy()
    edition = student_notebook(nb)
    assert len(fences(nb)) == 6 and fences(edition) == []
    kept = [c for c in nb.cells if c not in fences(nb)]
    assert len(edition.cells) == len(kept)
    for before, after in zip(kept, edition.cells):
        if not (is_solution(before) or is_check(before)):
            assert after == before            # teaching cells, their outputs, the exercise statements: unchanged
        else:
            assert after.metadata == before.metadata and after.id == before.id
    assert edition.metadata == nb.metadata
    assert nb.cells[2].outputs[0].text == "12\n"   # the input notebook is not modified


def test_idempotent(tmp_path):
    edition = student_notebook(toy())
    assert student_notebook(edition) == edition
    src = tmp_path / "chapters"
    src.mkdir()
    nbformat.write(toy(), src / "98_toy.ipynb")
    first = write_edition(src, tmp_path / "out")[0].read_bytes()
    second = write_edition(src, tmp_path / "out")[0].read_bytes()
    assert first == second
    assert nbformat.validate(nbformat.reads(first.decode(), as_version=4)) is None


def test_folder_wiped_and_rewritten(tmp_path):
    src = tmp_path / "chapters"
    src.mkdir()
    nbformat.write(toy(), src / "98_toy.ipynb")
    out = tmp_path / "student"
    write_edition(src, out)
    (out / "stale.ipynb").write_text("{}")
    write_edition(src, out)
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER_FILE, "README.md", "98_toy.ipynb"])


def test_never_wipes_a_folder_it_did_not_write(tmp_path):
    src = tmp_path / "chapters"
    src.mkdir()
    nbformat.write(toy(), src / "98_toy.ipynb")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "answers.ipynb").write_text("{}")
    with pytest.raises(EditionError, match="refusing to wipe"):
        write_edition(src, mine)
    assert (mine / "answers.ipynb").exists()


@pytest.mark.parametrize("damage, message", [
    (lambda nb, i: nb.cells[i].metadata.update(tags=[]), "not tagged `solution`"),
    (lambda nb, i: setattr(nb.cells[i], "source", "n_params = 72"), "without ### BEGIN SOLUTION"),
    (lambda nb, i: setattr(nb.cells[i], "source", nb.cells[i].source.replace(END_SOLUTION, "")), "without ### END"),
    (lambda nb, i: nb.cells[i].metadata.pop("exercise"), '"exercise" id'),
    (lambda nb, i: nb.cells.pop(i + 1), "between the solution fences"),
    (lambda nb, i: nb.cells.insert(i + 1, nbformat.v4.new_code_cell("print(n_params)")), "not tagged `solution`"),
])
def test_refuses_to_write_an_edition_that_could_leak_a_solution(tmp_path, damage, message):
    nb = toy()
    damage(nb, find(nb, "98.1", "solution"))
    with pytest.raises(EditionError, match=message):
        student_notebook(nb)
    src = tmp_path / "chapters"
    src.mkdir()
    nbformat.write(nb, src / "98_toy.ipynb")
    with pytest.raises(EditionError, match=f"98_toy.ipynb: cell \\d+: .*{message}"):
        write_edition(src, tmp_path / "out")
    assert not (tmp_path / "out").exists()       # nothing half-written


def test_command_line_refusal_is_one_line_and_exit_1(tmp_path):
    nb = toy()
    nb.cells[find(nb, "98.2", "solution")].metadata["tags"] = []
    src = tmp_path / "chapters"
    src.mkdir()
    nbformat.write(nb, src / "98_toy.ipynb")
    done = subprocess.run([sys.executable, "-m", "coursework.student", "--src", str(src), "--out", str(tmp_path / "out")],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == ("make student: 98_toy.ipynb: cell 13: ### BEGIN/END SOLUTION in a code cell not tagged "
                           "`solution`\n")


def test_command_line(tmp_path):
    src = tmp_path / "chapters"
    src.mkdir()
    nbformat.write(toy(), src / "98_toy.ipynb")
    done = subprocess.run([sys.executable, "-m", "coursework.student", "--src", str(src), "--out", str(tmp_path / "out")],
                          cwd=REPO, capture_output=True, text=True, check=True)
    assert "1 chapters, 3 exercises stubbed" in done.stdout
    assert (tmp_path / "out" / "98_toy.ipynb").exists() and (tmp_path / "out" / "README.md").exists()


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_every_chapter_has_a_student_edition(path):
    nb = nbformat.read(path, as_version=4)
    edition = student_notebook(nb)
    solutions = [c for c in nb.cells if is_solution(c)]
    stubs = [c for c in edition.cells if is_solution(c)]
    assert len(stubs) == len(solutions)
    assert len(fences(edition)) == 0 and len(edition.cells) == len(nb.cells) - len(fences(nb))
    for cell in stubs:
        assert f'raise NotImplementedError("Exercise {cell.metadata["exercise"]}: write your answer here")' in cell.source
        assert not cell.outputs
    text = nbformat.writes(edition)
    assert BEGIN_SOLUTION not in text and END_SOLUTION not in text
    teaching = [c for c in nb.cells if not (is_solution(c) or is_check(c) or c in fences(nb))]
    assert [c for c in edition.cells if not (is_solution(c) or is_check(c))] == teaching
