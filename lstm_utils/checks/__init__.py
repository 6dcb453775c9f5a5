"""Exercise checks: `check("03.2", globals())` prints ✓ or a hint; `run_check` gives (passed, message)."""

from ._core import Hint, check, exercise, exercise_ids, results, run_check

__all__ = ["Hint", "check", "exercise", "exercise_ids", "results", "run_check"]
