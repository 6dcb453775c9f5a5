"""Exercise checks: `check("03.2", globals())` prints ✓ or a hint; `run_check` gives
(passed, message); `answer_names` the variables a check reads."""

from ._core import answer_names, check, exercise_ids, results, run_check
from ._registry import Hint, exercise

__all__ = [
    "Hint",
    "answer_names",
    "check",
    "exercise",
    "exercise_ids",
    "results",
    "run_check",
]
