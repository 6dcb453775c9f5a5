"""Instant checks for the exercises: one call in a notebook prints a success line or a hint, never a traceback.

An exercise's check is a function registered under the exercise id (e.g. "03.2"). It receives the learner's
answers, looked up by name in the notebook's namespace, and raises `Hint` with a message that names what is off
(wrong shape, gates in another order, bias forgotten, kernel transposed, ...). Everything else it returns is a pass.
"""

import traceback

_REGISTRY = {}
_RESULTS = {}


class Hint(Exception):
    """Raised by a check to tell the learner what is off; its message is shown as the hint."""


def exercise(exercise_id, *names):
    """Register a check for `exercise_id` that reads the notebook variables `names`."""
    def decorate(func):
        if exercise_id in _REGISTRY:
            raise ValueError(f"exercise {exercise_id!r} has two checks")
        _REGISTRY[exercise_id] = (names, func)
        return func
    return decorate


def _load_all():
    from . import _catalog  # noqa: F401  (imports every chapter's checks, which register themselves)


def exercise_ids():
    """Every registered exercise id, in order."""
    _load_all()
    return sorted(_REGISTRY)


def run_check(exercise_id, namespace):
    """(passed, message) for one exercise, with the learner's names looked up in `namespace`. Never raises."""
    _load_all()
    if exercise_id not in _REGISTRY:
        return False, f"there is no exercise {exercise_id!r}; known: {', '.join(sorted(_REGISTRY))}"
    names, func = _REGISTRY[exercise_id]
    missing = [n for n in names if n not in namespace]
    if missing:
        return False, (f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not defined yet: "
                       "write your answer in the cell above and run it first")
    try:
        func(*(namespace[n] for n in names))
    except Hint as hint:
        return False, str(hint)
    except NotImplementedError:
        return False, "not answered yet: replace the `raise NotImplementedError` line with your answer"
    except Exception as exc:  # the learner's function failed inside the check: say where, briefly
        last = traceback.extract_tb(exc.__traceback__)[-1]
        return False, f"your code raised {type(exc).__name__}: {exc} (in {last.name}, line {last.lineno})"
    return True, "correct"


def check(exercise_id, namespace):
    """Check one exercise and print a single line: ✓ with a success message, or ✗ with a hint.

    Call it as ``lu.check("03.2", globals())`` right after your answer cell.
    """
    passed, message = run_check(exercise_id, namespace)
    _RESULTS[exercise_id] = passed
    print(f"{'✓' if passed else '✗'} Exercise {exercise_id}: {message}")
    return None


def results():
    """{exercise_id: passed} for every check run in this kernel so far."""
    return dict(_RESULTS)
