"""The check machinery: one line out, ✓ or a hint, never a traceback, whatever the learner's namespace holds."""

import pytest

from lstm_utils.checks import _core
from lstm_utils.checks._core import Hint, check, exercise, results, run_check


@pytest.fixture
def toy(monkeypatch):
    registry = {}
    monkeypatch.setattr(_core, "_REGISTRY", registry)
    monkeypatch.setattr(_core, "_RESULTS", {})
    monkeypatch.setattr(_core, "_load_all", lambda: None)

    @exercise("99.1", "answer")
    def _(answer):
        if answer != 42:
            raise Hint(f"expected the answer to everything, got {answer!r}")

    @exercise("99.2", "f")
    def _(f):
        f()

    return registry


def test_pass_prints_one_tick_line(toy, capsys):
    check("99.1", {"answer": 42})
    assert capsys.readouterr().out == "✓ Exercise 99.1: correct\n"
    assert results() == {"99.1": True}


def test_hint_names_what_is_off(toy, capsys):
    assert run_check("99.1", {"answer": 41}) == (False, "expected the answer to everything, got 41")
    check("99.1", {"answer": 41})
    assert capsys.readouterr().out == "✗ Exercise 99.1: expected the answer to everything, got 41\n"
    assert results() == {"99.1": False}


def test_missing_answer_is_explained(toy):
    passed, message = run_check("99.1", {})
    assert not passed and message.startswith("answer is not defined yet")


def test_unanswered_stub_is_explained(toy):
    def stub():
        raise NotImplementedError("Exercise 99.2")

    assert run_check("99.2", {"f": stub}) == (
        False, "not answered yet: replace the `raise NotImplementedError` line with your answer")


def test_learners_own_error_is_one_line(toy):
    def broken():
        return 1 / 0

    passed, message = run_check("99.2", {"f": broken})
    assert not passed
    assert message.startswith("your code raised ZeroDivisionError: division by zero (in broken, line ")
    assert "\n" not in message


def test_unknown_exercise(toy):
    assert run_check("98.7", {}) == (False, "there is no exercise '98.7'; known: 99.1, 99.2")


def test_an_id_cannot_be_registered_twice(toy):
    with pytest.raises(ValueError, match="two checks"):
        exercise("99.1", "x")(lambda x: None)
