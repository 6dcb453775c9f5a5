"""Grade one submission: run it sealed off, check each exercise, print a table, a score.

    python -m coursework.grade path/to/03_many_units.ipynb [--timeout 60]
        [--total-timeout 600] [--chapter NN] [--isolation auto|bwrap|none]

The stages, each in its own module: the file is read (submission.py), its code
cells run in a fresh kernel inside a sandbox (sandbox.py, kernel.py), the variables
the chapter's checks read are taken out of the kernel (answers.py) and checked in
this process, which never runs the student's code (judge.py), and the table is
written (report.py). The exercises are the registered checks of the chapter the file
name starts with ("03." for 03_…ipynb; --chapter overrides; else the one chapter its
cells' `exercise` metadata names). One point each; Y counts all of the chapter's
exercises.

Whatever the submission does it gets a score and a reason per exercise, and nothing
it prints is read. Exit status 0 when a score was given (even 0), 2 for misuse (no
such file, unknown chapter), 3 when the grading machinery failed (no score), 130
when interrupted.
"""

import argparse
import hashlib
import json
import logging
import os
import signal
import sys
import tempfile
from pathlib import Path

from . import GradingFailed, Misuse, Options, exercise_of, skip_iri_grammars
from .report import (Result, describe, exercise_reason, format_result,
                     write_atomically)
from .sandbox import (become_subreaper, changed, choose_isolation, end_strays,
                      fingerprint, limits_for)
from .submission import chapter_for, display_name, read_submission


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: stop now, clean up, no score."""


def _load_checks_file(path):
    """Import a check module by file path once per process (its @exercise
    decorators register the checks)."""
    import importlib.util

    name = "_coursework_checks_" + hashlib.sha1(str(path).encode()).hexdigest()[:10]
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


def registered_ids(checks=(), chapter=None):
    """The exercise ids the installed lstm_utils (and the extra check files)
    registers: all of them, or `chapter`'s. Their checks are imported now, before
    any submission runs."""
    try:
        from lstm_utils.checks import exercise_ids

        for path in checks:
            _load_checks_file(path)
        return exercise_ids(chapter)
    except Exception as exc:
        raise GradingFailed(f"cannot load the exercise checks: "
                            f"{type(exc).__name__}: {exc}") from None


def exercises_of(chapter, checks=()):
    """Chapter `chapter`'s exercise ids; Misuse if it has none."""
    if not chapter.isdigit():
        raise Misuse(f"there is no chapter {display_name(chapter)}")
    ids = registered_ids(checks, chapter)
    if not ids:
        known = sorted({e.split(".")[0] for e in registered_ids(checks)}, key=int)
        raise Misuse(f"there is no chapter {chapter} with exercises (the course's "
                     f"are {', '.join(known)})")
    return ids


def grade(path, options, isolation):
    """Grade one submission: a Result (raises Misuse, GradingFailed)."""
    from .judge import judge
    from .kernel import run_submission
    from .sandbox import Sandbox

    name = display_name(os.path.basename(path))
    if not os.path.lexists(path):
        raise Misuse(f"no such file: {display_name(path)}")
    submission, invalid = read_submission(path)
    chapter = chapter_for(os.path.basename(path), options.chapter, submission)
    if chapter is None:
        raise Misuse(f"cannot tell which chapter {name} belongs to: name the file "
                     "NN_….ipynb or pass --chapter NN (make grade CHAPTER=NN)")
    ids = exercises_of(chapter, options.checks)
    result = Result(name=name, chapter=chapter, ids=ids,
                    isolated=isolation.kind == "bwrap")
    if invalid:
        result.rows = [(eid, 0, f"not graded: {invalid}") for eid in ids]
        result.notes.append(f"not graded: {invalid}")
        return result
    from lstm_utils.checks import answer_names

    names = list(dict.fromkeys(n for eid in ids for n in answer_names(eid)))
    with tempfile.TemporaryDirectory(prefix="g", dir=options.tmp_root,
                                     ignore_cleanup_errors=True) as folder:
        try:
            box = Sandbox(folder, isolation, limits_for(isolation, options))
            box.extra_readable(options.checks)
            run, notes = run_submission(submission, names, box, options)
            files = {n: os.path.join(run.folder, s["file"])
                     for n, s in run.saved.items() if "file" in s}
            verdicts, unreadable = judge(ids, files, box, options,
                                         not_run=not run.finished)
        finally:
            end_strays()
    saved = {n: s["error"] for n, s in run.saved.items() if "error" in s}
    saved.update(unreadable)
    result.notes.extend(notes)
    result.rows = [(eid, *exercise_reason(eid, submission, run, verdicts[eid], saved,
                                          options))
                   for eid in ids]
    # Failed cells other than solution cells (those are in the table; a cell that
    # ended or hung the kernel already has its note).
    problems = [(pos, out) for pos, out in sorted(run.outcomes.items())
                if out.status not in ("ok", "not run", "died", "hung")
                and not _is_solution(submission.cells[pos - 1])]
    for pos, out in problems[:8]:
        cell = submission.cells[pos - 1]
        role = ""
        if cell["cell_type"] == "code" and "check" in _tags(cell):
            role = f" (check of {exercise_of(cell)})"
        result.notes.append(describe(out, f"cell {pos}{role}", options))
    if len(problems) > 8:
        result.notes.append(f"… and {len(problems) - 8} more cells failed")
    return result


def _tags(cell):
    tags = cell["metadata"].get("tags", [])
    return tags if isinstance(tags, list) else []


def _is_solution(cell):
    return cell["cell_type"] == "code" and "solution" in _tags(cell)


def as_record(result):
    """What grade_all collects from this grading, as JSON-able data."""
    return {
        "file": result.name,
        "chapter": result.chapter,
        "points": {eid: points for eid, points, _ in result.rows},
        "score": result.score,
        "out_of": len(result.ids),
        "notes": list(result.notes),
        "isolated": result.isolated,
    }


def _interrupt(signum, frame):
    raise Interrupted()


def parser():
    p = argparse.ArgumentParser(prog="python -m coursework.grade",
                                description=__doc__.split("\n")[0])
    p.add_argument("notebook", help="the submitted notebook (.ipynb)")
    p.add_argument("--timeout", type=int, default=60,
                   help="seconds per cell, and per exercise's check (default 60)")
    p.add_argument("--total-timeout", type=int, default=600,
                   help="seconds for all the notebook's cells (default 600)")
    p.add_argument("--startup-timeout", type=int, default=60,
                   help="seconds for the kernel to start (default 60)")
    p.add_argument("--grace", type=int, default=10, help=argparse.SUPPRESS)
    p.add_argument("--chapter", help="chapter number NN, when the file name does not "
                   "start with it")
    p.add_argument("--isolation", choices=("auto", "bwrap", "none"), default="auto",
                   help="auto: bubblewrap if it runs here, else none, said loudly "
                   "(default); bwrap: require it")
    p.add_argument("--memory", type=int, default=8192, metavar="MB",
                   help="address space of each process of the submission (8192)")
    p.add_argument("--checks", action="append", default=[], metavar="FILE",
                   help="an extra check module to import (tests); may be repeated")
    p.add_argument("--json", metavar="FILE", help=argparse.SUPPRESS)  # grade_all
    p.add_argument("--feedback", metavar="FILE", help=argparse.SUPPRESS)  # grade_all
    p.add_argument("--tmp-root", help=argparse.SUPPRESS)  # grade_all
    p.add_argument("--trusted-isolation", help=argparse.SUPPRESS)  # grade_all probed
    p.add_argument("--unguarded", action="append", default=[],
                   help=argparse.SUPPRESS)  # grade_all: its folder and gradebook
    return p


def options_from(args):
    if args.timeout < 1 or args.total_timeout < 1:
        raise Misuse("--timeout and --total-timeout must be at least 1 second")
    if args.memory < 256:
        raise Misuse("--memory must be at least 256 (MB)")
    for extra in args.checks:
        if not Path(extra).is_file():
            raise Misuse(f"no such check module: {display_name(extra)}")
    chapter = args.chapter
    if chapter is not None and not chapter.isdigit():
        raise Misuse(f"--chapter takes a chapter number such as 03, got "
                     f"{display_name(chapter)}")
    return Options(timeout=args.timeout, total_timeout=args.total_timeout,
                   startup_timeout=args.startup_timeout, grace=args.grace,
                   chapter=chapter, isolation=args.isolation, memory_mb=args.memory,
                   checks=tuple(Path(c).resolve() for c in args.checks),
                   tmp_root=args.tmp_root)


def quiet():
    """The grader's own output is its table: no library logs, TensorFlow quiet."""
    skip_iri_grammars()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    logging.getLogger("traitlets").setLevel(logging.CRITICAL)


def main(argv=None):
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    args = parser().parse_args(argv)
    quiet()
    become_subreaper()
    record = None
    try:
        options = options_from(args)
        if args.trusted_isolation:
            from .sandbox import Isolation

            kind, _, why = args.trusted_isolation.partition(":")
            isolation = Isolation(kind, why)
        else:
            try:
                isolation = choose_isolation(options.isolation)
            except RuntimeError as err:
                raise GradingFailed(str(err)) from None
            if isolation.warning:
                print(f"make grade: {isolation.warning}", file=sys.stderr)
        before = fingerprint(options.checks, skip=args.unguarded)
        result = grade(args.notebook, options, isolation)
        moved = changed(before, fingerprint(options.checks, skip=args.unguarded))
        if moved:
            raise GradingFailed(
                f"the repository changed while {result.name} was graded ({moved}): "
                "restore it (git status; git checkout -- .) before grading more")
        text = format_result(result, options)
        record = as_record(result)
    except Misuse as err:
        print(f"make grade: {err}", file=sys.stderr)
        _write_record(args, {"error": "misuse", "message": str(err)})
        return 2
    except GradingFailed as err:
        print(f"make grade: grading failed, no score given: {err}", file=sys.stderr)
        _write_record(args, {"error": "failed", "message": str(err)})
        return 3
    except Interrupted:
        print("make grade: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a fault of the grader's own: one line, no score
        from .report import clean

        why = clean(f"{type(err).__name__}: {err}", 300)
        print(f"make grade: grading failed, no score given: the grader itself "
              f"failed ({why})", file=sys.stderr)
        _write_record(args, {"error": "failed", "message": why})
        return 3
    finally:
        end_strays()
    if args.feedback:
        try:
            write_atomically(args.feedback, text + "\n")
        except OSError as err:
            record["notes"].append(f"its feedback table could not be written beside "
                                   f"it ({err.strerror})")
    _write_record(args, record)
    print(text)
    return 0


def _write_record(args, record):
    if args.json:
        write_atomically(args.json, json.dumps(record))


if __name__ == "__main__":
    sys.exit(main())
