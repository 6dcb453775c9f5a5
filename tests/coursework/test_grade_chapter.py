"""End to end on a real chapter (TensorFlow and all): the instructor's notebook scores Y/Y, its untouched student
edition 0/Y, Y being the number of the chapter's registered exercises. About 5 s per run; the two run at the same
time."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from coursework.student import student_notebook
from lstm_utils.checks import exercise_ids

REPO = Path(__file__).resolve().parents[2]
CHAPTER = REPO / "chapters" / "03_many_units.ipynb"
IDS = [eid for eid in exercise_ids() if eid.startswith("03.")]


def grade(path):
    done = subprocess.run([sys.executable, "-m", "coursework.grade", str(path)], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and "Traceback" not in done.stdout
    return done.stdout.rstrip().splitlines()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The instructor's notebook and its untouched student edition, graded at the same time."""
    edition = tmp_path_factory.mktemp("chapter") / CHAPTER.name
    nbformat.write(student_notebook(nbformat.read(CHAPTER, as_version=4)), edition)
    with ThreadPoolExecutor(2) as pool:
        instructor, student = pool.map(grade, [CHAPTER, edition])
    return {"instructor": instructor, "student": student}


def test_the_chapter_has_exercises():
    assert len(IDS) >= 2
    solutions = [c for c in nbformat.read(CHAPTER, as_version=4).cells if "solution" in c.metadata.get("tags", [])]
    assert sorted(c.metadata["exercise"] for c in solutions) == IDS


def test_instructor_notebook_scores_full_marks(graded):
    lines = graded["instructor"]
    assert lines[-1] == f"score: {len(IDS)}/{len(IDS)}"
    assert [line.split()[:2] for line in lines if line.startswith("03.")] == [[eid, "1/1"] for eid in IDS]


def test_untouched_student_edition_scores_zero(graded):
    lines = graded["student"]
    assert lines[-1] == f"score: 0/{len(IDS)}"
    reasons = [line.split(None, 2)[2] for line in lines if line.startswith("03.")]
    assert len(reasons) == len(IDS) and all(r.startswith("not answered: ") for r in reasons)
