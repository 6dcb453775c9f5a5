"""Broken submissions still get a score line and a readable reason per exercise, never a traceback.

The defects are independent, one per exercise, so each submission below carries up to three of them; the module
grades its submissions once, at the same time, and each test reads the exercise its defect is in (every row and the
score are asserted, so a defect that cost more than its own exercise would show). test_grade_limits.py has the time
limits and the cells that end or hang the kernel."""

import pytest

from coursework_toy import find, grade_all, rows, toy_chapter


def syntax_error_deleted_solution_check_moved_up():
    nb = toy_chapter({"98.1": "n_params = lu.count_params(3, 2"})      # 98.1: a syntax error
    del nb.cells[find(nb, "98.2", "solution")]                          # 98.2: its solution cell deleted
    # 98.3: its check cell moved above its solution. The checks that count run after the whole notebook, so the
    # order of a solution and its check cell is free.
    solution = nb.cells.pop(find(nb, "98.3", "solution"))
    nb.cells.insert(find(nb, "98.3", "check") + 1, solution)
    return nb


def wrong_answer_solution_moved_up():
    nb = toy_chapter({"98.1": "n_params = 4 * 3 * (2 + 3 + 1) * 20"})  # 98.1: a wrong answer
    # 98.2: the solution moved above the cell that defines `kernel`, which it uses
    solution = nb.cells.pop(find(nb, "98.2", "solution"))
    uses = next(i for i, c in enumerate(nb.cells) if c.source.startswith("kernel = "))
    nb.cells.insert(uses, solution)
    return nb                                                           # 98.3: untouched


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    results = grade_all(tmp_path_factory.mktemp("broken"), {
        "syntax_deleted_moved": (syntax_error_deleted_solution_check_moved_up(), (), "98_toy.ipynb"),
        "wrong_moved": (wrong_answer_solution_moved_up(), (), "98_toy.ipynb"),
    })
    outs = {}
    for key, result in results.items():
        assert result.code == 0, result.err
        assert result.err == "" and "Traceback" not in result.out      # nothing on stderr, not even a warning
        assert result.out.rstrip().splitlines()[-1].startswith("score: ")
        outs[key] = result.out
    return outs


def test_the_submissions_score_one_exercise_each(graded):
    assert graded["syntax_deleted_moved"].rstrip().endswith("score: 1/3")
    assert graded["wrong_moved"].rstrip().endswith("score: 1/3")
    assert set(rows(graded["syntax_deleted_moved"])) == set(rows(graded["wrong_moved"])) == {"98.1", "98.2", "98.3"}


def test_syntax_error_costs_only_its_exercise(graded):
    assert rows(graded["syntax_deleted_moved"])["98.1"] == (
        0, "answer not defined (n_params): the solution cell has a syntax error: incomplete input (line 4)")
    assert rows(graded["syntax_deleted_moved"])["98.3"] == (1, "correct")


def test_wrong_answer_gets_the_checks_hint(graded):
    assert rows(graded["wrong_moved"])["98.1"] == (0, "expected 4·3·(2+3+1) = 72 parameters, got 1440")
    assert rows(graded["wrong_moved"])["98.3"] == (1, "correct")


def test_deleted_solution_cell(graded):
    assert rows(graded["syntax_deleted_moved"])["98.2"] == (
        0, "answer not defined (kernel_f): the solution cell is missing (deleted, or its `exercise` metadata removed)")


def test_check_cell_moved_above_its_solution_does_not_matter(graded):
    assert rows(graded["syntax_deleted_moved"])["98.3"] == (1, "correct")


def test_solution_moved_above_what_it_uses_is_named_as_out_of_order(graded):
    assert rows(graded["wrong_moved"])["98.2"] == (
        0, "answer not defined (kernel_f): the solution cell raised NameError: name 'kernel' is not defined, though "
           "kernel is defined further down: cells out of order?")
