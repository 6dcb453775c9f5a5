"""The check machinery: one line out, ✓ or a hint, whatever the learner's namespace
holds; a clear error for arguments that are not an exercise id and a namespace; each
chapter's checks found by their module, and no import cycle."""

import ast
import sys
from pathlib import Path

import pytest

import lstm_utils
from lstm_utils.checks import _registry
from lstm_utils.checks._core import _id_key, check, results, run_check
from lstm_utils.checks._registry import Hint, exercise

CHECKS = Path(lstm_utils.__file__).parent / "checks"


@pytest.fixture
def toy(monkeypatch):
    registry = {}
    monkeypatch.setattr(_registry, "_REGISTRY", registry)
    monkeypatch.setattr("lstm_utils.checks._core._RESULTS", {})

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
    wrong = "expected the answer to everything, got 41"
    assert run_check("99.1", {"answer": 41}) == (False, wrong)
    check("99.1", {"answer": 41})
    assert capsys.readouterr().out == f"✗ Exercise 99.1: {wrong}\n"
    assert results() == {"99.1": False}


def test_missing_answer_is_explained(toy):
    passed, message = run_check("99.1", {})
    assert not passed and message.startswith("answer is not defined yet")


def test_unanswered_stub_is_explained(toy):
    def stub():
        raise NotImplementedError("Exercise 99.2")

    assert run_check("99.2", {"f": stub}) == (
        False,
        "not answered yet: replace the `raise NotImplementedError` line "
        "with your answer",
    )


def test_learners_own_error_is_one_line(toy):
    def broken():
        raise ValueError("two\nlines")

    passed, message = run_check("99.2", {"f": broken})
    assert not passed
    assert message.startswith("your code raised ValueError: two lines (in broken, ")


def test_an_error_from_another_process_names_the_learners_line(toy):
    # A grader that ran the learner's function in another process re-raises its
    # error here, with where it happened.
    def remote():
        err = ZeroDivisionError("division by zero")
        err.learner_location = ("my_step", 7)
        raise err

    assert run_check("99.2", {"f": remote}) == (
        False,
        "your code raised ZeroDivisionError: division by zero (in my_step, line 7)",
    )


BAD_ARGUMENTS = [
    (("98.7", {}), ValueError, "there is no exercise '98.7': chapter 98 has no "),
    (("99.7", {}), ValueError, "chapter 99's exercises are 99.1, 99.2"),
    ((None, {}), TypeError, 'id as a string such as "03.2", got NoneType None'),
    ((3.2, {}), TypeError, "got float 3.2"),
    (("3.2", {}), ValueError, 'of the form "03.2" (chapter, dot, number), got '),
    (("99.1", None), TypeError, '(\"99.1\", globals()); got NoneType'),
    (("99.1", [("answer", 42)]), TypeError, "globals()); got list"),
]


@pytest.mark.parametrize("args, error, message", BAD_ARGUMENTS)
def test_bad_arguments_get_a_clear_error(toy, capsys, args, error, message):
    with pytest.raises(error) as raised:
        check(*args)
    assert message in str(raised.value)
    with pytest.raises(error):
        run_check(*args)
    assert capsys.readouterr().out == ""


def test_an_id_cannot_be_registered_twice_or_malformed(toy):
    with pytest.raises(ValueError, match="two checks"):
        exercise("99.1", "x")(lambda x: None)
    with pytest.raises(ValueError, match="form"):
        exercise("nine.1", "x")
    with pytest.raises(ValueError, match="given by their names"):
        exercise("99.3", "not a name")


def test_ids_sort_as_numbers():
    ids = ["10.1", "03.10", "09.4", "03.2"]
    assert sorted(ids, key=_id_key) == ["03.2", "03.10", "09.4", "10.1"]


def test_one_chapters_ids_import_that_chapter_alone():
    import subprocess
    import sys

    code = ("import sys\nfrom lstm_utils.checks import exercise_ids\n"
            "print(exercise_ids('03'), sorted(m for m in sys.modules "
            "if m.startswith('lstm_utils.checks.ch')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['03.1', '03.2', '03.3'] ['lstm_utils.checks.ch03']"
    with pytest.raises(ValueError, match='a chapter is given as "03"'):
        lstm_utils.checks.exercise_ids("3")


def test_a_new_chapter_is_found_by_its_module_alone(tmp_path, monkeypatch):
    # Another author adds chNN.py beside the others, and updates no list. (Here in a
    # folder added to the package's path: the repository is not written to.)
    (tmp_path / "ch97.py").write_text(
        "from ._registry import Hint, exercise\n\n"
        "@exercise('97.1', 'x')\n"
        "def _(x):\n"
        "    if x != 1:\n"
        "        raise Hint('x should be 1')\n"
    )
    monkeypatch.setattr(_registry, "_REGISTRY", dict(_registry._REGISTRY))
    path = [*lstm_utils.checks.__path__, str(tmp_path)]
    monkeypatch.setattr(lstm_utils.checks, "__path__", path)
    monkeypatch.delitem(sys.modules, "lstm_utils.checks.ch97", raising=False)
    # imported on demand, from the id alone
    assert run_check("97.1", {"x": 0}) == (False, "x should be 1")
    # and found when every exercise is listed
    sys.modules.pop("lstm_utils.checks.ch97")
    _registry._REGISTRY.pop("97.1")
    assert "97.1" in lstm_utils.checks.exercise_ids()
    sys.modules.pop("lstm_utils.checks.ch97")


def _imports(path):
    """The modules of lstm_utils.checks that `path` imports at its top level."""
    found = set()
    for node in ast.parse(path.read_text()).body:
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 1:
            found |= {node.module} if node.module else {a.name for a in node.names}
        elif (node.module or "").startswith("lstm_utils.checks."):
            found.add(node.module.rsplit(".", 1)[1])
    return found


def test_the_checks_package_imports_form_a_tree():
    modules = {p.stem for p in CHECKS.glob("*.py")}
    graph = {p.stem: _imports(p) & modules for p in CHECKS.glob("*.py")}
    # the leaf the checks register through
    assert graph["_registry"] == set()
    # the chapters are imported by their id, at run time
    assert not any(name.startswith("ch") for name in graph["_core"])
    for name in graph:  # no module reaches itself
        seen, todo = set(), list(graph[name])
        while todo:
            nxt = todo.pop()
            assert nxt != name, f"import cycle through {name}"
            if nxt not in seen:
                seen.add(nxt)
                todo.extend(graph.get(nxt, ()))
