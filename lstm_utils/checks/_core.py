"""Instant checks for the exercises: one call in a notebook prints ✓ or a hint.

An exercise's check is a function registered under the exercise id (e.g. "03.2") by
the `exercise` decorator in the chapter's own module, `chNN.py`. It receives the
learner's answers, looked up by name in the notebook's namespace, and raises `Hint`
with a message that names what is off (wrong shape, gates in another order, bias
forgotten, kernel transposed, ...). Everything else it returns is a pass.

A chapter's checks are imported when one of its ids is first asked for ("03.2"
imports `lstm_utils.checks.ch03`), and `exercise_ids()` imports every `chNN` module
it finds in this package: a new chapter needs only its own `chNN.py`, no list to
update. This module imports the chapters by name at run time and they import only
`_registry`, so the import graph stays a tree.
"""

import importlib
import pkgutil
import re
import traceback
from collections.abc import Mapping

from . import _registry

_RESULTS = {}
_CHAPTER_MODULE = re.compile(r"ch(\d{2,})")


def _id_key(exercise_id):
    return tuple(int(part) for part in exercise_id.split("."))


def _import_chapter(chapter):
    """Import `chNN` for chapter "NN", whose checks register themselves; False if
    the package has no such module."""
    name = f"{__package__}.ch{chapter}"
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name != name:  # the module exists but imports something missing
            raise
        return False
    return True


def _chapters():
    """The chapters that have a `chNN.py` in this package (found, not listed)."""
    path = importlib.import_module(__package__).__path__
    found = (m.name for m in pkgutil.iter_modules(path))
    return sorted(name[2:] for name in found if _CHAPTER_MODULE.fullmatch(name))


def exercise_ids(chapter=None):
    """Every registered exercise id, in order ("03.2" before "03.10"); or, given a
    chapter ("03"), that chapter's alone (importing only its checks)."""
    if chapter is not None:
        valid = isinstance(chapter, str) and _CHAPTER_MODULE.fullmatch("ch" + chapter)
        if not valid:
            raise ValueError(f'a chapter is given as "03", got {chapter!r}')
        _import_chapter(chapter)
        found = (e for e in _registry._REGISTRY if e.split(".")[0] == chapter)
        return sorted(found, key=_id_key)
    for chapter in _chapters():
        _import_chapter(chapter)
    return sorted(_registry._REGISTRY, key=_id_key)


def _validate(exercise_id, namespace, caller):
    """A TypeError or ValueError that says what to pass, unless the arguments are an
    exercise's id and a mapping of the notebook's variables."""
    if not isinstance(exercise_id, str):
        raise TypeError(
            f'{caller} needs the exercise id as a string such as "03.2", '
            f"got {type(exercise_id).__name__} {exercise_id!r}"
        )
    match = _registry.EXERCISE_ID.fullmatch(exercise_id)
    if not match:
        raise ValueError(
            f'{caller} needs an exercise id of the form "03.2" (chapter, dot, '
            f"number), got {exercise_id!r}"
        )
    if not isinstance(namespace, Mapping):
        raise TypeError(
            f"{caller} needs the notebook's variables as its second argument: "
            f'{caller}("{exercise_id}", globals()); got {type(namespace).__name__}'
        )
    chapter = match.group(1)
    _import_chapter(chapter)
    if exercise_id not in _registry._REGISTRY:
        same = [e for e in _registry._REGISTRY if e.split(".")[0] == chapter]
        known = (
            f"chapter {chapter}'s exercises are {', '.join(sorted(same, key=_id_key))}"
            if same
            else f"chapter {chapter} has no exercises"
        )
        raise ValueError(f"there is no exercise {exercise_id!r}: {known}")


def answer_names(exercise_id):
    """The notebook variables the check of `exercise_id` reads: what a grader takes
    out of the learner's notebook to check."""
    _validate(exercise_id, {}, "answer_names")
    return _registry._REGISTRY[exercise_id][0]


def _where(exc):
    """(function name, line) where the learner's code failed. A grader that ran the
    learner's function in another process passes the place along as the exception's
    `learner_location`, since the traceback here ends in the grader."""
    location = getattr(exc, "learner_location", None)
    if isinstance(location, tuple) and len(location) == 2:
        return location
    last = traceback.extract_tb(exc.__traceback__)[-1]
    return last.name, last.lineno


def run_check(exercise_id, namespace):
    """(passed, message) for one exercise, the learner's answers looked up by name in
    `namespace` (the notebook's `globals()`).

    A wrong or missing answer, or the learner's code failing inside the check, gives
    (False, hint). Only wrong arguments raise: an id that is not "NN.k" or not an
    exercise (ValueError), a namespace that is not a mapping (TypeError)."""
    _validate(exercise_id, namespace, "run_check")
    names, func = _registry._REGISTRY[exercise_id]
    missing = [n for n in names if n not in namespace]
    if missing:
        verb = "is" if len(missing) == 1 else "are"
        return False, (
            f"{', '.join(missing)} {verb} not defined yet: "
            "write your answer in the cell above and run it first"
        )
    try:
        func(*(namespace[n] for n in names))
    except _registry.Hint as hint:
        return False, str(hint)
    except NotImplementedError:
        return False, (
            "not answered yet: replace the `raise NotImplementedError` line "
            "with your answer"
        )
    except Exception as exc:  # the learner's code failed in the check: where, briefly
        name, line = _where(exc)
        text = " ".join(str(exc).split())
        kind = type(exc).__name__
        return False, f"your code raised {kind}: {text} (in {name}, line {line})"
    return True, "correct"


def check(exercise_id, namespace):
    """Check one exercise and print a single line: ✓ and "correct", or ✗ and a hint.

    Call it as ``lu.check("03.2", globals())`` right after your answer cell.
    """
    _validate(exercise_id, namespace, "lu.check")
    passed, message = run_check(exercise_id, namespace)
    _RESULTS[exercise_id] = passed
    print(f"{'✓' if passed else '✗'} Exercise {exercise_id}: {message}")
    return None


def results():
    """{exercise_id: passed} for every check run in this kernel so far."""
    return dict(_RESULTS)
