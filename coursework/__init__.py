"""Instructor tooling for the course's exercises: the student edition and the grader.

    python -m coursework.student            # every chapter, solutions replaced by stubs -> _build/student/
    python -m coursework.grade NB.ipynb     # run a submission in a fresh kernel, print a table and `score: X/Y`

Both rely on the exercise cell format the chapters use (see README, "For instructors"): a solution cell tagged
`solution` and a check cell tagged `check`, each with the exercise id ("03.2") in the cell metadata `exercise`,
the solution between `### BEGIN SOLUTION` and `### END SOLUTION`, wrapped in two markdown cells that hold only the
sphinx-exercise fences `{solution-start}` / `{solution-end}`.
"""

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHAPTERS_DIR = REPO / "chapters"
CHAPTER_GLOB = "[0-9][0-9]_*.ipynb"

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"


def cell_tags(cell):
    tags = cell.get("metadata", {}).get("tags", [])
    return tags if isinstance(tags, list) else []


def exercise_of(cell):
    """The exercise id in the cell's metadata, or None."""
    value = cell.get("metadata", {}).get("exercise")
    return value if isinstance(value, str) and value else None


def is_solution(cell):
    return cell.get("cell_type") == "code" and "solution" in cell_tags(cell)


def is_check(cell):
    return cell.get("cell_type") == "code" and "check" in cell_tags(cell)


def chapter_of(filename):
    """The chapter number "NN" a notebook's file name starts with ("03_many_units.ipynb" -> "03"), or None."""
    match = re.match(r"(\d{2})(?!\d)", Path(filename).name)
    return match.group(1) if match else None


def skip_iri_grammars():
    """Save a command about a second at start: jsonschema, which nbformat imports, compiles some 40 grammars of
    rfc3987_syntax for the "iri" string format, one that nbformat's notebook validation never checks.

    Call it before nbformat is first imported. It only makes `import rfc3987_syntax` fail, which jsonschema allows
    for (it then leaves that one format out). The grader, the student edition, the book build (tools/book.py) and the
    test step (tools/pytest_startup.py) call it; importing the package does not."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)
