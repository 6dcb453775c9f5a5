"""What the tests of the chapters' exercise checks share: asking a check for the hint a wrong answer gets, and the
test that a chapter holds its exercises, solved.

Imported as `from checks_helpers import ...` (tests/checks is on sys.path, as tests/ is for `conftest`); the name
says where it lives so that it cannot clash with another folder's helpers.
"""

import json
from pathlib import Path

from lstm_utils.checks import exercise_ids, run_check

CHAPTERS = Path(__file__).resolve().parents[2] / "chapters"


def failing(exercise_id, namespace, *, one_line=True):
    """The hint for a wrong answer: the check must not pass, and must not report an error of its own making."""
    passed, message = run_check(exercise_id, namespace)
    assert not passed, "a wrong answer passed"
    assert not message.startswith("your code raised"), message
    if one_line:
        assert "\n" not in message
    return message


def hint(exercise_id, **answers):
    """`failing` with the answers as keywords, and the answers named if the check lets them pass."""
    passed, message = run_check(exercise_id, answers)
    assert not passed, f"{exercise_id} passed with {answers!r}"
    assert "\n" not in message and not message.startswith("your code raised"), message
    return message


def assert_exercises_solved(notebook, ids):
    """chapters/`notebook` has a check cell for each of `ids` (all of its chapter's exercises, in order), each
    calling lu.check and showing a ✓."""
    chapter = ids[0].split(".")[0]
    cells = json.loads((CHAPTERS / notebook).read_text())["cells"]
    checks = [c for c in cells if "check" in c["metadata"].get("tags", [])]
    found = [c["metadata"]["exercise"] for c in checks]
    assert found == [i for i in exercise_ids() if i.startswith(f"{chapter}.")] == ids
    for c in checks:
        ex = c["metadata"]["exercise"]
        assert "".join(c["source"]) == f'lu.check("{ex}", globals())'
        assert "".join("".join(o.get("text", "")) for o in c["outputs"]) == f"✓ Exercise {ex}: correct\n"
