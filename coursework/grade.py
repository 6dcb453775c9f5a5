"""Grade a submitted chapter notebook: run it in a fresh kernel, check every exercise, print a table and a score.

    python -m coursework.grade path/to/03_many_units.ipynb [--timeout 60] [--total-timeout 600]

The submission runs with nbclient in a fresh `python3` kernel, with the repository's chapters/ folder as working
directory wherever the file lives: its code cells in their stored order, each limited to --timeout seconds (then the
kernel is interrupted and the next cell runs), all of them together to --total-timeout seconds, errors allowed. Then,
in the same kernel, one grading cell per exercise calls `lstm_utils.checks.run_check(id, globals())` and prints the
result as JSON; the grader reads it back. The exercises are the registered checks whose id starts with the chapter
number the file name starts with ("03." for 03_…ipynb; --chapter overrides), or else the ids in the notebook's
`exercise` cell metadata.

The table has one row per exercise (points and a reason) and the last line is `score: X/Y`, Y being the number of
exercises of the chapter. Whatever the submission does — a syntax error, an endless loop, a deleted or moved cell,
`os._exit` in a cell, a file that is not JSON — it gets a score and a reason per exercise; a cell that ends the
kernel, or ignores the interrupt, is skipped and the notebook is run again without it. Exit status 0 when a score
was given (even 0), 2 for misuse (no such file, unknown chapter), 3 when the grading machinery itself failed.
"""

import argparse
import asyncio
import hashlib
import json
import logging
import math
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic

from . import CHAPTERS_DIR, chapter_of, exercise_of, is_check, is_solution, skip_iri_grammars

MAX_RUNS = 4        # the first run plus up to three re-runs without a cell that ended or hung the kernel
MARKER = "@@coursework-result@@ "
SYNTAX_ERRORS = {"SyntaxError", "IndentationError", "TabError"}

_LOG = logging.getLogger("coursework.grade")
_LOG.addHandler(logging.NullHandler())
_LOG.propagate = False


class Misuse(Exception):
    """The grader was called wrongly (exit 2)."""


class GradingFailed(Exception):
    """The grading machinery failed, not the submission (exit 3): no score is given."""


@dataclass
class Options:
    timeout: int = 60
    total_timeout: int = 600
    startup_timeout: int = 60
    grace: int = 10             # seconds an interrupted cell gets to stop before its kernel is killed
    chapter: str | None = None
    checks: tuple = ()          # extra check modules (file paths), imported in the grader and in the kernel


@dataclass
class Outcome:
    """What happened to one code cell: ok, error, timeout, deadline, hung, died or not run."""
    status: str
    ename: str = ""
    evalue: str = ""


@dataclass
class Result:
    chapter: str | None
    ids: list
    rows: list = field(default_factory=list)      # (exercise id, points, reason)
    notes: list = field(default_factory=list)

    @property
    def score(self):
        return sum(points for _, points, _ in self.rows)


# --------------------------------------------------------------------------------------------- the exercise ids

def _load_checks_file(path):
    """Import a check module by file path once per process (its @exercise decorators register the checks)."""
    import importlib.util

    name = "_coursework_checks_" + hashlib.sha1(str(path).encode()).hexdigest()[:10]
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


_KERNEL_SETUP = """\
import hashlib as _cw_hashlib, importlib.util as _cw_util, sys as _cw_sys
for _cw_path in {paths!r}:
    _cw_name = "_coursework_checks_" + _cw_hashlib.sha1(_cw_path.encode()).hexdigest()[:10]
    if _cw_name not in _cw_sys.modules:
        _cw_spec = _cw_util.spec_from_file_location(_cw_name, _cw_path)
        _cw_sys.modules[_cw_name] = _cw_util.module_from_spec(_cw_spec)
        _cw_spec.loader.exec_module(_cw_sys.modules[_cw_name])
"""

_GRADING_CELL = """\
import json as _cw_json, sys as _cw_sys
from lstm_utils.checks import run_check as _cw_run_check
try:
    _cw_passed, _cw_message = _cw_run_check({id!r}, globals())
except Exception as _cw_exc:
    _cw_passed, _cw_message = False, f"the check could not run: {{type(_cw_exc).__name__}}: {{_cw_exc}}"
_cw_sys.stdout.write({marker!r} + _cw_json.dumps({{
    "id": {id!r}, "passed": bool(_cw_passed), "message": str(_cw_message),
    "defined": [_cw_n for _cw_n in {probe!r} if _cw_n in globals()]}}) + "\\n")
"""


def _id_key(exercise_id):
    return tuple(int(p) if p.isdigit() else p for p in exercise_id.split("."))


def registered_ids(checks=()):
    """Every exercise id the installed lstm_utils (plus the extra check files) registers."""
    try:
        from lstm_utils.checks import exercise_ids
        for path in checks:
            _load_checks_file(path)
        return exercise_ids()
    except Exception as exc:
        raise GradingFailed(f"cannot load the exercise checks: {type(exc).__name__}: {exc}") from None


# ----------------------------------------------------------------------------------------------- the notebook

def read_notebook(path):
    """(notebook, None) or (None, why it is not a notebook)."""
    import nbformat

    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, "the file is not a notebook (not UTF-8 text)"
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        return None, f"the file is not valid JSON ({err.msg} at line {err.lineno}, column {err.colno})"
    try:
        nb = nbformat.reads(text, as_version=4)
        cells = list(nb.cells)
    except Exception as err:
        first = str(err).strip().splitlines()[0][:120] if str(err).strip() else type(err).__name__
        return None, f"the file is JSON but not a Jupyter notebook ({first})"
    if not all(isinstance(c, dict) and isinstance(c.get("source", ""), str) for c in cells):
        return None, "the file is JSON but not a Jupyter notebook (a cell has no text source)"
    return nb, None


# ---------------------------------------------------------------------------------------------- running it

@dataclass
class Run:
    outcomes: dict                 # position in the submission -> Outcome
    checks: dict                   # exercise id -> dict from the grading cell, or Outcome when it failed
    restart: tuple | None = None   # ("cell", position, Outcome) or ("check", id, Outcome): run again without it
    started: bool = False
    finished: bool = False


def _error_of(cell):
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out.get("ename", ""), out.get("evalue", "")
    return None


KERNEL_POLL = 0.1   # seconds between looks at the kernel process while a cell runs (nbclient looks every second)


async def _execute(client, cell, index, limit, grace):
    """Outcome of running one cell with nbclient, interrupted after `limit` s, its kernel killed `grace` s later."""
    from jupyter_core.utils import ensure_async
    from nbclient.exceptions import DeadKernelError

    client.timeout = max(1, math.ceil(limit))
    start = monotonic()
    try:
        await asyncio.wait_for(client.async_execute_cell(cell, index), client.timeout + grace)
    except (DeadKernelError, asyncio.TimeoutError):
        alive = await ensure_async(client.km.is_alive())
        return Outcome("hung" if alive else "died")
    except Exception as exc:   # anything else from the kernel connection: treat the kernel as lost
        return Outcome("died", type(exc).__name__, str(exc))
    error = _error_of(cell)
    if error is None:
        return Outcome("ok")
    ename, evalue = error
    if ename == "KeyboardInterrupt" and monotonic() - start >= client.timeout - 0.5:
        return Outcome("timeout", ename, evalue)
    return Outcome("error", ename, evalue)


def _client_class():
    """nbclient's NotebookClient, looking at the kernel process every KERNEL_POLL s instead of every second while a
    cell runs, so that a cell that ends the kernel is noticed at once; the rest is nbclient's own handling."""
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    class Client(NotebookClient):
        async def _async_poll_kernel_alive(self):   # nbclient 0.11: the same loop, with a 1 s sleep
            while True:
                await asyncio.sleep(KERNEL_POLL)
                if self.kc is None:   # the kernel was shut down meanwhile
                    return
                try:
                    await self._async_check_alive()
                except DeadKernelError:
                    assert self.task_poll_for_reply is not None
                    self.task_poll_for_reply.cancel()
                    return

    return Client


def _kernel_config(folder):
    """The kernel talks to the grader over Unix sockets in `folder`, not over TCP ports. jupyter_client picks free TCP
    ports by opening and closing them, and the kernel opens them again a moment later; when several gradings start
    kernels at once, another process can take a port in between, the kernel exits at start, and the grader's first
    message to it can block for good. Socket files have no such race. (TCP on systems without Unix sockets.)"""
    from traitlets.config import Config

    if os.name != "posix":
        return Config()
    connection_file = os.path.join(folder, "kernel.json")
    return Config({"KernelManager": {"transport": "ipc", "connection_file": connection_file,
                                     "ip": os.path.join(folder, "kernel-ipc")}})


async def _run(folder, code, solutions, options, quarantine, skip_checks, ids, deadline):
    """One fresh kernel, its sockets in `folder`: the submission's code cells in order (minus `quarantine`), then a
    grading cell per id."""
    import nbformat

    client_class = _client_class()
    setup = [nbformat.v4.new_code_cell(_KERNEL_SETUP.format(paths=[str(p) for p in options.checks]))] \
        if options.checks else []
    cells = setup + [nbformat.v4.new_code_cell(src) for _, src in code]
    nb = nbformat.v4.new_notebook(cells=cells)
    client = client_class(
        nb, kernel_name="python3", timeout=options.timeout, interrupt_on_timeout=True, allow_errors=True,
        startup_timeout=options.startup_timeout, record_timing=False, shutdown_kernel="immediate",
        resources={"metadata": {"path": str(CHAPTERS_DIR)}}, log=_LOG, config=_kernel_config(folder))
    run = Run(outcomes={}, checks={})
    try:
        async with client.async_setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            run.started = True
            index = 0
            for cell in setup:
                if (await _execute(client, cell, index, options.timeout, options.grace)).status in ("hung", "died"):
                    raise GradingFailed("importing the --checks modules stopped the kernel")
                index += 1
            for position, _ in code:
                cell = nb.cells[index]
                index += 1
                if position in quarantine:
                    run.outcomes[position] = quarantine[position]
                    continue
                remaining = deadline - monotonic()
                if remaining <= 0:
                    run.outcomes[position] = Outcome("not run")
                    continue
                outcome = await _execute(client, cell, index - 1, min(options.timeout, remaining), options.grace)
                if outcome.status == "timeout" and remaining < options.timeout:
                    outcome.status = "deadline"
                run.outcomes[position] = outcome
                if outcome.status in ("hung", "died"):
                    run.restart = ("cell", position, outcome)
                    return run
            # A name a solution cell's NameError mentions that exists by now: the cells are out of order.
            probes = {}
            for position, outcome in run.outcomes.items():
                match = re.search(r"name '(\w+)' is not defined", outcome.evalue)
                if position in solutions and outcome.ename == "NameError" and match:
                    probes.setdefault(solutions[position], []).append(match.group(1))
            for eid in ids:
                if eid in skip_checks:
                    continue
                cell = nbformat.v4.new_code_cell(_GRADING_CELL.format(id=eid, marker=MARKER, probe=probes.get(eid, [])))
                nb.cells.append(cell)
                outcome = await _execute(client, cell, index, options.timeout, options.grace)
                index += 1
                lines = [line for out in cell.outputs if out.get("output_type") == "stream" and out.get("name") == "stdout"
                         for line in out.get("text", "").splitlines() if line.startswith(MARKER)]
                if outcome.status == "ok" and lines:
                    try:
                        run.checks[eid] = json.loads(lines[-1][len(MARKER):])
                        continue
                    except json.JSONDecodeError:
                        pass
                if outcome.status == "ok":   # ran, but printed no result line: something replaced what it uses
                    outcome = Outcome("error", "", "the grading cell printed no result")
                run.checks[eid] = outcome
                if outcome.status in ("hung", "died"):
                    run.restart = ("check", eid, outcome)
                    return run
            run.finished = True
    except GradingFailed:
        raise
    except Exception as exc:
        if not run.started:
            first = (str(exc).strip().splitlines() or [""])[0][:200]
            raise GradingFailed(f"the python3 kernel did not start: {type(exc).__name__}: {first}") from None
        if run.restart is None and not run.finished:   # lost the kernel between cells
            run.restart = ("kernel", None, Outcome("died", type(exc).__name__, str(exc)))
    return run


def run_submission(nb, ids, options):
    """Run the submission (again, without a cell that ended or hung the kernel) and check every exercise.

    Returns the last Run (outcome per code-cell position, check result per exercise) and notes on restarts."""
    code = [(pos, cell["source"]) for pos, cell in enumerate(nb.cells, start=1)
            if cell.get("cell_type") == "code" and cell.get("source", "").strip()]
    solutions = {pos: exercise_of(cell) for pos, cell in enumerate(nb.cells, start=1) if is_solution(cell)}
    quarantine, skip_checks, notes = {}, {}, []
    deadline = monotonic() + options.total_timeout
    for attempt in range(1, MAX_RUNS + 1):
        with tempfile.TemporaryDirectory(prefix="grade-") as folder:
            run = asyncio.run(_run(folder, code, solutions, options, quarantine, skip_checks, ids, deadline))
        if run.restart is None:
            break
        kind, what, outcome = run.restart
        if kind == "cell":
            quarantine[what] = outcome
            verb = "ended the kernel" if outcome.status == "died" else f"ignored the interrupt after {options.timeout} s"
            notes.append(f"cell {what} {verb}; the notebook was run again without it")
        elif kind == "check":
            skip_checks[what] = outcome
            notes.append(f"checking {what} {'ended' if outcome.status == 'died' else 'hung'} the kernel; "
                         "the notebook was run again to check the other exercises")
        else:
            notes.append(f"the kernel stopped unexpectedly ({outcome.ename}); the notebook was run again")
        if attempt == MAX_RUNS:
            notes.append(f"gave up after {MAX_RUNS} runs")
        elif monotonic() >= deadline:
            notes.append(f"no time left to run it again (total limit {options.total_timeout} s)")
            break
    if run.restart is not None:   # the last run stopped early: what did not run, did not run
        for pos, _ in code:
            run.outcomes.setdefault(pos, Outcome("not run"))
    run.checks.update(skip_checks)
    return run, notes


# -------------------------------------------------------------------------------------------------- reasons

def _first_line(text, limit=140):
    line = (str(text).strip().splitlines() or [""])[0]
    return line if len(line) <= limit else line[: limit - 1] + "…"


def describe(outcome, what, options):
    """A readable account of a failed cell; `what` is e.g. "the solution cell" or "cell 7"."""
    status, ename, evalue = outcome.status, outcome.ename, _first_line(outcome.evalue)
    if status == "timeout":
        return f"{what} timed out after {options.timeout} s"
    if status == "deadline":
        return f"{what} was stopped: the notebook reached its total time limit of {options.total_timeout} s"
    if status == "not run":
        return f"{what} did not run (the total time limit of {options.total_timeout} s was reached, or the kernel stopped)"
    if status == "hung":
        return (f"{what} ran past {options.timeout} s and ignored the interrupt; "
                "it was skipped and the notebook run again without it")
    if status == "died":
        return f"{what} ended the kernel process; it was skipped and the notebook run again without it"
    if ename in SYNTAX_ERRORS:
        line = re.search(r"line (\d+)", evalue)
        message = re.sub(r"\s*\([^()]*line \d+\)", "", evalue)
        return f"{what} has a syntax error: {message}" + (f" (line {line.group(1)})" if line else "")
    if ename == "NotImplementedError":
        return f"{what} still raises NotImplementedError"
    return f"{what} raised {ename}: {evalue}" if evalue else f"{what} raised {ename}"


def exercise_reason(eid, nb, run, options):
    """(points, reason) for one exercise."""
    check = run.checks.get(eid)
    positions = [pos for pos, cell in enumerate(nb.cells, start=1) if is_solution(cell) and exercise_of(cell) == eid]
    if isinstance(check, dict) and check.get("passed"):
        return 1, "correct"
    problems = [run.outcomes[p] for p in positions if p in run.outcomes and run.outcomes[p].status != "ok"]
    if isinstance(check, Outcome):   # the grading cell itself failed
        if check.status == "timeout":
            return 0, f"the check timed out after {options.timeout} s: your code did not return"
        if check.status in ("hung", "died"):
            return 0, ("the check " + ("ended the kernel" if check.status == "died" else "hung the kernel")
                       + " while running your code")
        if check.status == "not run" or check.status == "deadline":
            return 0, "not graded: the notebook did not finish (see notes)"
        return 0, f"the check could not run: {_first_line(check.evalue or check.ename)}"
    if check is None:
        return 0, "not graded: the kernel stopped before the checks could run (see notes)"

    message = check.get("message", "")
    undefined = re.match(r"(.+?) (?:is|are) not defined yet", message)
    if not positions:
        solution = "the solution cell is missing (deleted, or its `exercise` metadata removed)"
    elif problems:
        solution = describe(problems[0], "the solution cell", options)
        later = check.get("defined", [])
        if problems[0].ename == "NameError" and later:
            solution += f", though {', '.join(later)} is defined further down: cells out of order?"
    else:
        solution = None

    if problems and problems[0].ename == "NotImplementedError" and undefined:
        return 0, "not answered: the solution cell still raises NotImplementedError"
    if message.startswith("not answered yet"):
        return 0, "not answered: your function still raises NotImplementedError"
    if undefined:
        names = undefined.group(1)
        if solution:
            return 0, f"answer not defined ({names}): {solution}"
        return 0, f"answer not defined ({names}): the solution cell ran but did not define it"
    return 0, f"{solution}; check: {message}" if solution else message


def grade(path, options=None):
    """Grade one submission; returns a Result (raises Misuse or GradingFailed)."""
    options = options or Options()
    path = Path(path).expanduser()
    if not path.is_file():
        raise Misuse(f"no such file: {path}")
    if options.timeout < 1 or options.total_timeout < 1:
        raise Misuse("--timeout and --total-timeout must be at least 1 second")
    registry = registered_ids(tuple(Path(c).resolve() for c in options.checks))
    nb, invalid = read_notebook(path)
    chapter = options.chapter or chapter_of(path.name)
    if chapter and chapter.isdigit():
        chapter = chapter.zfill(2)   # --chapter 3 means 03
    in_metadata = sorted({exercise_of(c) for c in nb.cells if exercise_of(c)}, key=_id_key) if nb else []
    if chapter is None:
        prefixes = {eid.split(".")[0] for eid in in_metadata}
        chapter = prefixes.pop() if len(prefixes) == 1 else None
    if chapter is None:
        raise Misuse(f"cannot tell which chapter {path.name} belongs to: name the file NN_….ipynb "
                     "or pass --chapter NN (make grade CHAPTER=NN)")
    ids = sorted((eid for eid in registry if eid.split(".")[0] == chapter), key=_id_key) or in_metadata
    result = Result(chapter=chapter, ids=ids)
    if invalid:
        result.rows = [(eid, 0, f"not graded: {invalid}") for eid in ids]
        if not ids:
            result.notes.append(invalid)
        return result
    if not ids:
        result.notes.append(f"chapter {chapter} has no exercises")
        return result
    options.checks = tuple(Path(c).resolve() for c in options.checks)
    run, notes = run_submission(nb, ids, options)
    result.notes.extend(notes)
    result.rows = [(eid, *exercise_reason(eid, nb, run, options)) for eid in ids]
    # Failed cells that are not solution cells (those are in the table; a cell that ended or hung the kernel
    # already has its note).
    problems = [(pos, out) for pos, out in sorted(run.outcomes.items())
                if out.status not in ("ok", "not run", "died", "hung") and not is_solution(nb.cells[pos - 1])]
    for pos, out in problems[:8]:
        role = f" (check of {exercise_of(nb.cells[pos - 1])})" if is_check(nb.cells[pos - 1]) else ""
        result.notes.append(describe(out, f"cell {pos}{role}", options))
    if len(problems) > 8:
        result.notes.append(f"… and {len(problems) - 8} more cells failed")
    return result


def format_result(path, result, options):
    lines = [f"Grading {Path(path).name}: chapter {result.chapter}, {len(result.ids)} exercises "
             f"(each cell {options.timeout} s, all cells {options.total_timeout} s)", ""]
    if result.rows:
        width = max(len("exercise"), *(len(eid) for eid, _, _ in result.rows))
        lines.append(f"{'exercise':<{width}}  points  reason")
        lines += [f"{eid:<{width}}  {points}/1     {reason}" for eid, points, reason in result.rows]
    if result.notes:
        lines += ["", "notes:"] + [f"  {note}" for note in result.notes]
    lines.append(f"score: {result.score}/{len(result.ids)}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m coursework.grade", description=__doc__.split("\n")[0])
    parser.add_argument("notebook", help="the submitted notebook (.ipynb)")
    parser.add_argument("--timeout", type=int, default=60, help="seconds per cell (default 60)")
    parser.add_argument("--total-timeout", type=int, default=600, help="seconds for all the notebook's cells (default 600)")
    parser.add_argument("--startup-timeout", type=int, default=60, help="seconds for the kernel to start (default 60)")
    parser.add_argument("--grace", type=int, default=10, help=argparse.SUPPRESS)   # tests: kill sooner
    parser.add_argument("--chapter", help="chapter number NN, when the file name does not start with it")
    parser.add_argument("--checks", action="append", default=[], metavar="FILE",
                        help="an extra check module to import (tests); may be repeated")
    args = parser.parse_args(argv)
    skip_iri_grammars()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    logging.getLogger("traitlets").setLevel(logging.CRITICAL)
    options = Options(timeout=args.timeout, total_timeout=args.total_timeout, startup_timeout=args.startup_timeout,
                      grace=args.grace,
                      chapter=args.chapter, checks=tuple(args.checks))
    for extra in options.checks:
        if not Path(extra).is_file():
            print(f"make grade: no such check module: {extra}", file=sys.stderr)
            return 2
    try:
        result = grade(args.notebook, options)
    except Misuse as err:
        print(f"make grade: {err}", file=sys.stderr)
        return 2
    except GradingFailed as err:
        print(f"make grade: grading failed, no score given: {err}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("make grade: interrupted", file=sys.stderr)
        return 130
    print(format_result(args.notebook, result, options))
    return 0


if __name__ == "__main__":
    sys.exit(main())
