"""The student edition: every chapter with its solutions replaced by stubs that raise NotImplementedError.

    python -m coursework.student [--src chapters] [--out _build/student]

For each chapter notebook:
- in every solution cell (tag `solution`), the lines from `### BEGIN SOLUTION` to `### END SOLUTION` become one
  `raise NotImplementedError("Exercise NN.k: write your answer here")`, indented like the BEGIN line; the lines
  outside the markers (the comment naming the variable to define) stay;
- solution and check cells (tag `check`) lose their outputs and execution counts;
- the markdown cells that hold only the `{solution-start}` / `{solution-end}` fences are dropped (JupyterLab would
  show them as raw text), together with any markdown between them (it belongs to the hidden solution).
Everything else, including the chapter's teaching outputs, is copied unchanged. The transformation is idempotent.

It refuses (exit 1, nothing half-written is kept) rather than write an edition that would leak a solution: markers
in a cell not tagged `solution`, a solution cell without markers, unbalanced markers or fences, a code cell between
the fences that is not the solution.
"""

import argparse
import copy
import os
import re
import shutil
import sys
from pathlib import Path

from . import (BEGIN_SOLUTION, CHAPTER_GLOB, CHAPTERS_DIR, END_SOLUTION, REPO, exercise_of, is_check, is_solution,
               skip_iri_grammars)

if __name__ == "__main__":   # `python -m coursework.student`: before nbformat's first import
    skip_iri_grammars()

import nbformat  # noqa: E402

MARKER_FILE = ".student-edition"   # marks a folder this module wrote, so only such a folder is ever wiped
STUB = 'raise NotImplementedError("Exercise {id}: write your answer here")'

_FENCE_START = re.compile(r"(`{3,}|:{3,})\{solution-start\}[^\n]*(\n:[^\n]*)*\n\1")
_FENCE_END = re.compile(r"(`{3,}|:{3,})\{solution-end\}[^\n]*\n\1")


class EditionError(Exception):
    """The chapter does not follow the exercise format closely enough to strip its solutions safely."""


def _fence(cell):
    """"start" / "end" for a markdown cell holding only a solution fence, else None."""
    if cell.get("cell_type") != "markdown":
        return None
    text = cell.get("source", "").strip()
    if _FENCE_START.fullmatch(text):
        return "start"
    if _FENCE_END.fullmatch(text):
        return "end"
    if "{solution-start}" in text or "{solution-end}" in text:
        raise EditionError("a markdown cell holds a solution fence and other text; keep each fence in a cell of its own")
    return None


def stub_solution(source, exercise_id):
    """`source` with each BEGIN..END SOLUTION region replaced by the NotImplementedError stub."""
    lines, out, inside, replaced = source.split("\n"), [], False, False
    for line in lines:
        if BEGIN_SOLUTION in line:
            if inside:
                raise EditionError("### BEGIN SOLUTION inside another BEGIN SOLUTION")
            inside = replaced = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + STUB.format(id=exercise_id))
        elif END_SOLUTION in line:
            if not inside:
                raise EditionError("### END SOLUTION without ### BEGIN SOLUTION")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise EditionError("### BEGIN SOLUTION without ### END SOLUTION")
    if not replaced and "raise NotImplementedError(" not in source:   # an already stubbed cell stays as it is
        raise EditionError("solution cell without ### BEGIN SOLUTION / ### END SOLUTION markers")
    return "\n".join(out)


def _clear(cell):
    cell["outputs"] = []
    cell["execution_count"] = None


def student_notebook(nb):
    """A new notebook: `nb` with its solutions stubbed, their outputs cleared, the solution fences dropped."""
    nb = copy.deepcopy(nb)
    cells, inside_fences = [], False
    for position, cell in enumerate(nb.cells, start=1):
        try:
            fence = _fence(cell)
            if fence == "start":
                if inside_fences:
                    raise EditionError("{solution-start} inside another solution")
                inside_fences = True
                continue
            if fence == "end":
                if not inside_fences:
                    raise EditionError("{solution-end} without {solution-start}")
                inside_fences = False
                continue
            if is_solution(cell):
                exercise_id = exercise_of(cell)
                if exercise_id is None:
                    raise EditionError('solution cell without an "exercise" id in its metadata')
                cell["source"] = stub_solution(cell["source"], exercise_id)
                _clear(cell)
            elif cell.get("cell_type") == "code" and (BEGIN_SOLUTION in cell["source"] or END_SOLUTION in cell["source"]):
                raise EditionError("### BEGIN/END SOLUTION in a code cell not tagged `solution`")
            elif inside_fences:
                if cell.get("cell_type") == "code":
                    raise EditionError("a code cell between the solution fences is not tagged `solution`")
                continue   # markdown inside the fences is part of the hidden solution
            elif is_check(cell):
                _clear(cell)
        except EditionError as err:
            raise EditionError(f"cell {position}: {err}") from None
        cells.append(cell)
    if inside_fences:
        raise EditionError("{solution-start} without {solution-end}")
    nb.cells = cells
    return nb


STUDENT_README = """\
# Inside the Keras LSTM: student edition

Generated by `make student` from the course's chapters; do not edit the files in this folder in place (the next
`make student` or `make clean` wipes it): copy the folder somewhere of your own first, e.g.

    cp -r _build/student ~/lstm-exercises
    .venv/bin/jupyter lab ~/lstm-exercises

The notebooks need the course's `lstm_utils` package, which the repository's `.venv` has installed (any folder works
with that environment's Jupyter). Each chapter is the full chapter; its exercises are at the end. Under each
exercise, replace the `raise NotImplementedError(...)` line with your answer and run the check cell below it: it
prints a line with a tick, or a hint naming what is off. Run the notebook top to bottom (Kernel > Restart Kernel and
Run All Cells) before you hand it in: it is graded that way, in a fresh kernel.
"""


def write_edition(src=CHAPTERS_DIR, out=REPO / "_build" / "student"):
    """Write the student edition of every chapter in `src` to `out` (wiped first). Returns the written paths."""
    src, out = Path(src), Path(out)
    chapters = sorted(src.glob(CHAPTER_GLOB))
    if not chapters:
        raise EditionError(f"no chapter notebooks ({CHAPTER_GLOB}) in {src}")
    editions = {}
    for path in chapters:   # transform everything before touching the output folder
        try:
            editions[path.name] = student_notebook(nbformat.read(path, as_version=4))
        except EditionError as err:
            raise EditionError(f"{path.name}: {err}") from None
    if out.exists():
        if any(out.iterdir()) and not (out / MARKER_FILE).exists():
            raise EditionError(f"refusing to wipe {out}: it is not empty and was not written by coursework.student")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER_FILE).write_text("written by `python -m coursework.student`; wiped and rewritten on every run\n")
    (out / "README.md").write_text(STUDENT_README)
    written = []
    for name, nb in editions.items():
        nbformat.write(nb, out / name)
        written.append(out / name)
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m coursework.student", description=__doc__.split("\n")[0])
    parser.add_argument("--src", default=str(CHAPTERS_DIR), help="folder of chapter notebooks (default: chapters/)")
    parser.add_argument("--out", default=str(REPO / "_build" / "student"),
                        help="output folder, wiped first (default: _build/student/)")
    args = parser.parse_args(argv)
    try:
        written = write_edition(args.src, args.out)
    except EditionError as err:
        print(f"make student: {err}", file=sys.stderr)
        return 1
    stubs = sum(is_solution(c) for p in written for c in nbformat.read(p, as_version=4).cells)
    out = os.path.relpath(args.out)
    print(f"Student edition: {len(written)} chapters, {stubs} exercises stubbed -> {out}/")
    print(f"Work on a copy, not in {out}/ (rewritten by every make student): "
          f"cp -r {out} ~/lstm-exercises && .venv/bin/jupyter lab ~/lstm-exercises")
    return 0


if __name__ == "__main__":
    sys.exit(main())
