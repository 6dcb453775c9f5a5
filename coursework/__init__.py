"""Instructor tooling for the course's exercises: the student edition and the grader.

    python -m coursework.student            # every chapter, solutions replaced by stubs -> _build/student/
    python -m coursework.grade NB.ipynb     # run a submission in a fresh kernel, print a table and `score: X/Y`
    python -m coursework.grade_all DIR      # every notebook under DIR -> a CSV gradebook

Both rely on the exercise cell format the chapters use (see README, "For instructors"): a solution cell tagged
`solution` and a check cell tagged `check`, each with the exercise id ("03.2") in the cell metadata `exercise`,
the solution between `### BEGIN SOLUTION` and `### END SOLUTION`, wrapped in two markdown cells that hold only the
sphinx-exercise fences `{solution-start}` / `{solution-end}`.

The grader, stage by stage (one module each):
  submission.py   reading a submission: any file, any name; a notebook or why not
  sandbox.py      the sealed place it runs in (bubblewrap), and the limits on it
  kernel.py       running its cells in a fresh kernel there: time limits, re-runs
  answers.py      taking the answers out of the kernel; the plain data they travel as
  judge.py        checking them in the grader, which never runs the student's code
  report.py       reasons, the feedback table and the CSV gradebook, escaped
  grade.py        one submission (make grade); grade_all.py: a class (make grade-all)
"""

import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHAPTERS_DIR = REPO / "chapters"
CHAPTER_GLOB = "[0-9][0-9]_*.ipynb"

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"


def _metadata(cell):
    metadata = cell.get("metadata") if isinstance(cell, dict) else None
    return metadata if isinstance(metadata, dict) else {}


def cell_tags(cell):
    tags = _metadata(cell).get("tags", [])
    return tags if isinstance(tags, list) else []


def exercise_of(cell):
    """The exercise id in the cell's metadata, or None."""
    value = _metadata(cell).get("exercise")
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


# ---------------------------------------------------------------------------------
# What the grader's stages pass to each other


class Misuse(Exception):
    """The grader was called wrongly (exit 2)."""


class GradingFailed(Exception):
    """The grading machinery failed, not the submission (exit 3): no score is given."""


@dataclass
class Options:
    timeout: int = 60  # seconds per cell, and per exercise's check
    total_timeout: int = 600  # seconds for all the notebook's cells
    startup_timeout: int = 60  # seconds for a kernel to start
    grace: int = 10  # seconds an interrupted cell gets before its kernel is killed
    chapter: str | None = None
    checks: tuple = ()  # extra check modules (paths): grader and kernel import them
    isolation: str = "auto"  # "auto", "bwrap" (required) or "none"
    memory_mb: int = 8192  # address space of each process the submission runs in
    max_processes: int = 512  # processes and threads it may run at once
    max_file_mb: int = 512  # the largest file it may write
    tmp_root: str | None = None  # where the grading's throwaway folders go


@dataclass
class Outcome:
    """What happened to one cell: ok, error, timeout, deadline, hung, died, not run."""

    status: str
    ename: str = ""
    evalue: str = ""
