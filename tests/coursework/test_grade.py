"""The grader on the synthetic chapter 98: full marks, the untouched student edition, the command line's contract.

The module's submissions are graded once, all at the same time (python -m coursework.grade each, as `make grade`
runs it; a kernel-starting one takes a second or two), and each test reads its own result."""

import subprocess
import sys

import nbformat
import pytest

from coursework import Options, Outcome
from coursework.report import describe
from coursework.student import student_notebook

from coursework_toy import REPO, grade_all, rows, toy_chapter


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    text = nbformat.writes(toy_chapter())
    # The file lives in a temporary folder under a name without a chapter number: the exercises come from the
    # cells' `exercise` metadata, and the kernel's working directory is still the repository's chapters/.
    elsewhere = toy_chapter({"98.1": 'import os\nn_params = 72 if os.path.basename(os.getcwd()) == "chapters" else -1'})
    return grade_all(tmp_path_factory.mktemp("grade"), {
        "full": (toy_chapter(), (), "98_toy.ipynb"),
        "student": (student_notebook(toy_chapter()), (), "98_toy.ipynb"),
        "elsewhere": (elsewhere, (), "my homework.ipynb"),
        "half": (text[: len(text) // 2], (), "98_toy.ipynb"),
        "not_a_notebook": ('{"cells": 3}', (), "98_toy.ipynb"),
    })


def score_line(result):
    assert result.code == 0, result.err
    assert result.err == "" and "Traceback" not in result.out      # nothing on stderr, not even a warning
    return result.out.rstrip().splitlines()[-1]


def test_instructor_notebook_scores_full_marks(graded):
    out = graded["full"].out
    assert score_line(graded["full"]) == "score: 3/3"
    assert rows(out) == {eid: (1, "correct") for eid in ("98.1", "98.2", "98.3")}
    assert "notes:" not in out


def test_untouched_student_edition_scores_zero(graded):
    assert score_line(graded["student"]) == "score: 0/3"
    assert rows(graded["student"].out) == {
        "98.1": (0, "not answered: the solution cell still raises NotImplementedError"),
        "98.2": (0, "not answered: the solution cell still raises NotImplementedError"),
        "98.3": (0, "not answered: your function still raises NotImplementedError"),
    }


def test_runs_in_chapters_wherever_the_file_is_and_reads_the_chapter_from_metadata(graded):
    assert score_line(graded["elsewhere"]) == "score: 3/3"
    assert graded["elsewhere"].out.startswith("Grading my homework.ipynb: chapter 98, 3 exercises")


def test_not_json_still_gets_a_score_line(graded):
    out = graded["half"].out
    assert score_line(graded["half"]) == "score: 0/3"
    assert set(rows(out)) == {"98.1", "98.2", "98.3"}
    for points, reason in rows(out).values():
        assert points == 0 and reason.startswith("not graded: the file is not valid JSON (")


def test_json_that_is_not_a_notebook(graded):
    assert score_line(graded["not_a_notebook"]) == "score: 0/3"
    assert all(reason.startswith("not graded: the file is JSON but not a Jupyter notebook")
               for _, reason in rows(graded["not_a_notebook"].out).values())


@pytest.mark.parametrize("args, message", [
    ([], "the following arguments are required: notebook"),
    (["no/such/03_x.ipynb"], "no such file: no/such/03_x.ipynb"),
    (["README.md"], "cannot tell which chapter README.md belongs to"),
    (["chapters/03_many_units.ipynb", "--timeout", "0"], "must be at least 1 second"),
    (["chapters/03_many_units.ipynb", "--checks", "nope.py"], "no such check module: nope.py"),
])
def test_misuse_is_a_clear_message_and_exit_2(args, message):
    done = subprocess.run([sys.executable, "-m", "coursework.grade", *args], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr and "score:" not in done.stdout


def test_reasons_read_well():
    options = Options(timeout=60, total_timeout=600)
    cases = [
        (Outcome("error", "SyntaxError", "invalid syntax (2841390.py, line 3)"),
         "the solution cell has a syntax error: invalid syntax (line 3)"),
        (Outcome("timeout", "KeyboardInterrupt"), "the solution cell timed out after 60 s"),
        (Outcome("deadline", "KeyboardInterrupt"),
         "the solution cell was stopped: the notebook reached its total time limit of 600 s"),
        (Outcome("died"),
         "the solution cell ended the kernel process; it was skipped and the notebook run again without it"),
        (Outcome("error", "ValueError", "shapes (3,) and (4,) not aligned\nmore"),
         "the solution cell raised ValueError: shapes (3,) and (4,) not aligned"),
    ]
    for outcome, reason in cases:
        assert describe(outcome, "the solution cell", options) == reason


def test_kernels_talk_over_socket_files_in_their_own_folder(tmp_path):
    # Over TCP, jupyter_client picks ports that the kernel opens a moment later; with several gradings starting
    # kernels at once another process took one first, and a grading blocked until the 240 s limit of this suite.
    # Socket files in the grading's own folder cannot be taken. The path must be absolute: the kernel runs in
    # chapters/, the grader wherever it was started.
    import json

    from jupyter_client import AsyncKernelManager

    from coursework.kernel import _kernel_config

    km = AsyncKernelManager(config=_kernel_config(str(tmp_path)))
    km.write_connection_file()
    info = json.loads((tmp_path / "kernel-1.json").read_text())
    assert info["transport"] == "ipc"
    assert info["ip"] == str(tmp_path / "k1")
    km.cleanup_connection_file()
