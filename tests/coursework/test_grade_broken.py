"""Broken submissions still get a score line and a readable reason per exercise, never a traceback.

Each test grades the synthetic chapter 98 in a kernel (a few seconds); test_grade_limits.py has the time limits."""

from coursework_toy import find, grade, rows, toy_chapter


def graded(tmp_path, nb, *options):
    code, out, err = grade(tmp_path, nb, *options)
    assert code == 0, err
    assert err == "" and "Traceback" not in out      # nothing on stderr, not even a warning
    assert out.rstrip().splitlines()[-1].startswith("score: ")
    return out


def test_syntax_error_costs_only_its_exercise(tmp_path):
    out = graded(tmp_path, toy_chapter({"98.1": "n_params = lu.count_params(3, 2"}))
    assert rows(out)["98.1"] == (0, "answer not defined (n_params): the solution cell has a syntax error: "
                                    "incomplete input (line 4)")
    assert rows(out)["98.2"] == rows(out)["98.3"] == (1, "correct")
    assert out.rstrip().endswith("score: 2/3")


def test_wrong_answer_gets_the_checks_hint(tmp_path):
    out = graded(tmp_path, toy_chapter({"98.1": "n_params = 4 * 3 * (2 + 3 + 1) * 20"}))
    assert rows(out)["98.1"] == (0, "expected 4·3·(2+3+1) = 72 parameters, got 1440")
    assert out.rstrip().endswith("score: 2/3")


def test_cell_that_ends_the_kernel_is_skipped_and_the_rest_graded(tmp_path):
    out = graded(tmp_path, toy_chapter({"98.1": "import os\nos._exit(1)"}))
    assert rows(out)["98.1"] == (0, "answer not defined (n_params): the solution cell ended the kernel process; "
                                    "it was skipped and the notebook run again without it")
    assert "cell 8 ended the kernel; the notebook was run again without it" in out
    assert out.rstrip().endswith("score: 2/3")


def test_deleted_solution_cell(tmp_path):
    nb = toy_chapter()
    del nb.cells[find(nb, "98.2", "solution")]
    out = graded(tmp_path, nb)
    assert rows(out)["98.2"] == (0, "answer not defined (kernel_f): the solution cell is missing (deleted, or its "
                                    "`exercise` metadata removed)")
    assert out.rstrip().endswith("score: 2/3")


def test_check_cell_moved_above_its_solution_does_not_matter(tmp_path):
    # the checks that count run after the whole notebook, so the order of a solution and its check cell is free
    nb = toy_chapter()
    solution = nb.cells.pop(find(nb, "98.2", "solution"))
    nb.cells.insert(find(nb, "98.2", "check") + 1, solution)
    out = graded(tmp_path, nb)
    assert out.rstrip().endswith("score: 3/3")


def test_solution_moved_above_what_it_uses_is_named_as_out_of_order(tmp_path):
    nb = toy_chapter()
    solution = nb.cells.pop(find(nb, "98.2", "solution"))
    uses = next(i for i, c in enumerate(nb.cells) if c.source.startswith("kernel = "))
    nb.cells.insert(uses, solution)                            # now above the cell that defines `kernel`
    out = graded(tmp_path, nb)
    assert rows(out)["98.2"] == (0, "answer not defined (kernel_f): the solution cell raised NameError: name "
                                    "'kernel' is not defined, though kernel is defined further down: "
                                    "cells out of order?")
    assert out.rstrip().endswith("score: 2/3")
