"""Where exercise checks are registered: `exercise` files a check under its id, and
`Hint` is what a check raises to tell the learner what is off.

A leaf module: the chapters' checks (chNN.py), their shared helpers (_helpers.py) and
the machinery that runs them (_core.py) import it, and it imports none of them, so
the package's import graph stays a tree.
"""

import re

_REGISTRY = {}
# "03.2": the chapter's number (two digits or more), a dot, the exercise's number
EXERCISE_ID = re.compile(r"(\d{2,})\.\d+")


class Hint(Exception):
    """Raised by a check to tell the learner what is off; its message is the hint."""


def exercise(exercise_id, *names):
    """Register a check for `exercise_id` ("03.2") that reads the notebook
    variables `names`."""
    if not isinstance(exercise_id, str) or not EXERCISE_ID.fullmatch(exercise_id):
        raise ValueError(
            'an exercise id has the form "03.2" (chapter, dot, number), '
            f"got {exercise_id!r}"
        )
    if not all(isinstance(n, str) and n.isidentifier() for n in names):
        raise ValueError(
            f"exercise {exercise_id}: a check reads variables, given by their "
            f"names; got {names!r}"
        )

    def decorate(func):
        if exercise_id in _REGISTRY:
            raise ValueError(f"exercise {exercise_id!r} has two checks")
        _REGISTRY[exercise_id] = (names, func)
        return func

    return decorate
