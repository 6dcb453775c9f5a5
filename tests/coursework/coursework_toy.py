"""Test helpers: a synthetic chapter 98 in the chapters' exercise format, and grading it as `make grade` does.

(Not a conftest.py: a second conftest module would shadow tests/conftest.py for the `from conftest import ...`
lines of the other tests.)

Chapter 98's checks live in toy_checks.py; the grader imports them in its kernel with `--checks` (the kernel imports
the installed lstm_utils, so a check monkeypatched into this process would not reach it). The notebook imports only
numpy and lstm_utils, so a kernel runs it in about a second.
"""

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
TOY_CHECKS = Path(__file__).resolve().parent / "toy_checks.py"

SOLUTIONS = {
    "98.1": ("n_params, an int", "n_params = lu.count_params(3, 2)"),
    "98.2": ("kernel_f, the forget-gate block of kernel", 'kernel_f = lu.split_gates(kernel)["f"]'),
    "98.3": ("my_sigmoid(x)", None),   # a function: the markers sit inside its body
}
SIGMOID = "return 1 / (1 + np.exp(-x))"


def solution_source(eid, answer=None):
    what, default = SOLUTIONS[eid]
    if eid == "98.3":
        body = "\n".join("    " + line for line in (answer or SIGMOID).split("\n"))
        return (f"# Exercise {eid}: define {what}\ndef my_sigmoid(x):\n"
                f"    ### BEGIN SOLUTION\n{body}\n    ### END SOLUTION")
    return f"# Exercise {eid}: define {what}\n### BEGIN SOLUTION\n{answer or default}\n### END SOLUTION"


def toy_chapter(answers=None):
    """The instructor's chapter 98, stored with outputs as `make notebooks` stores a chapter.

    `answers` replaces the text between the markers of some exercises (for 98.3: the function body)."""
    answers = answers or {}
    v4 = nbformat.v4
    count = iter(range(1, 100))

    def code(source, text=None, **metadata):
        outputs = [v4.new_output("stream", name="stdout", text=text)] if text else []
        return v4.new_code_cell(source, execution_count=next(count), outputs=outputs, metadata=metadata)

    cells = [
        v4.new_markdown_cell("# 98 · A toy chapter\n\nHow many parameters? Here is the work."),
        code("import numpy as np\n\nimport lstm_utils as lu\n\nrng = np.random.default_rng(0)"),
        code("print(lu.count_params(1, 1))", "12\n"),
        code("kernel = rng.normal(size=(2, 12))\nprint(kernel.shape)", "(2, 12)\n"),
        v4.new_markdown_cell("## Exercises\n\nWrite your answer in the cell under each exercise, then run the check "
                             "cell below it; it prints ✓ or a hint."),
    ]
    for k, eid in enumerate(SOLUTIONS, start=1):
        cells += [
            v4.new_markdown_cell(f"```{{exercise}} Toy {k}\n:label: ex-98-{k}\n\nDefine {SOLUTIONS[eid][0]}.\n```"),
            v4.new_markdown_cell(f"```{{solution-start}} ex-98-{k}\n:class: dropdown\n```"),
            code(solution_source(eid, answers.get(eid)), tags=["solution"], exercise=eid),
            v4.new_markdown_cell("```{solution-end}\n```"),
            code(f'lu.check("{eid}", globals())', f"✓ Exercise {eid}: correct\n", tags=["check"], exercise=eid),
        ]
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def find(nb, eid, tag):
    """Position (0-based) of exercise `eid`'s cell tagged `tag` ("solution" or "check")."""
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("exercise") == eid and tag in c.metadata.get("tags", []))


def grade(folder, nb, *options, name="98_toy.ipynb"):
    """Write `nb` (a notebook, or text) to `folder`/`name` and grade it with `python -m coursework.grade`, chapter
    98's checks added. Returns (exit code, stdout, stderr)."""
    path = Path(folder) / name
    if isinstance(nb, str):
        path.write_text(nb)
    else:
        nbformat.write(nb, path)
    args = [sys.executable, "-m", "coursework.grade", str(path), "--checks", str(TOY_CHECKS), *options]
    done = subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=240)
    return done.returncode, done.stdout, done.stderr


@dataclass
class Graded:
    code: int          # the grader's exit status
    out: str
    err: str
    seconds: float     # wall time of this one grading


def grade_all(folder, submissions):
    """Grade several submissions at once, each by its own `python -m coursework.grade` (as `grade` does) in its own
    subfolder of `folder`: a module grades its submissions once, together, and its tests assert on the results.

    `submissions` maps a key to (notebook or text, grader options, file name); returns {key: Graded}."""
    def one(item):
        key, (nb, options, name) = item
        sub = Path(folder) / key
        sub.mkdir()
        start = time.monotonic()
        code, out, err = grade(sub, nb, *options, name=name)
        return key, Graded(code, out, err, time.monotonic() - start)

    with ThreadPoolExecutor(len(submissions)) as pool:
        return dict(pool.map(one, submissions.items()))


def rows(stdout):
    """{exercise: (points, reason)} from the grader's table."""
    table = {}
    for line in stdout.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[0].count(".") == 1 and parts[1] in ("0/1", "1/1"):
            table[parts[0]] = (int(parts[1][0]), parts[2])
    return table
