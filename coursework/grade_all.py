"""Grade a whole class: every notebook under a folder, a few at a time, into a CSV.

    python -m coursework.grade_all DIR [--jobs 2] [--out grades.csv] [--chapter NN]
        [--timeout 60] [--total-timeout 600] [--isolation auto|bwrap|none]

Every file under DIR whose name ends in .ipynb (hidden folders such as
.ipynb_checkpoints skipped, links to folders not followed) is graded by its own
`python -m coursework.grade`, JOBS at a time, with a progress bar on stderr. Each gets
its feedback table written beside it (03_ana.ipynb -> 03_ana.feedback.txt) and a row
in the CSV: the file, one column per exercise id (its points), score, out_of, notes.
A file that cannot be graded (not a notebook, no chapter, a link) still gets its row,
with the reason in notes.

Exit status 0 when every file got its row, 2 for misuse (DIR not a folder, no
notebooks in it, an unknown chapter), 3 when the grading machinery failed for some
file (its row says so; the CSV is written all the same) or the repository changed
during grading, 130 when interrupted (Ctrl-C stops within seconds; no CSV is written
and no temporary folder is left).
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from . import REPO, GradingFailed, Misuse
from .grade import exercises_of, quiet
from .report import clean, gradebook, write_atomically
from .sandbox import (become_subreaper, changed, choose_isolation, end_strays,
                      fingerprint)
from .submission import display_name


class Interrupted(BaseException):
    pass


def _interrupt(signum, frame):
    raise Interrupted()


def find_notebooks(root):
    """Every entry under `root` whose name ends in .ipynb, except real folders (they
    are searched) and anything in a hidden folder; sorted by their bytes."""
    found = []

    def walk(folder):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            is_dir = entry.is_dir(follow_symlinks=False)
            if entry.name.lower().endswith(".ipynb") and not is_dir:
                found.append(entry.path)
            elif is_dir and not entry.name.startswith("."):
                walk(entry.path)

    walk(root)
    return sorted(found, key=os.fsencode)


def feedback_path(path):
    """Where a submission's feedback table goes: beside it, .ipynb -> .feedback.txt."""
    stem = path[:-len(".ipynb")] if path.lower().endswith(".ipynb") else path
    return stem + ".feedback.txt"


def wall_limit(args):
    """Seconds one grading may take at most, whatever it does: its time limits and
    every re-run, with room to spare. Past it, the grader is ended (it was stopped,
    or it hung)."""
    per_cell = args.timeout + 10
    return args.total_timeout + 4 * 60 + 24 * per_cell + 60


class Worker:
    """One `python -m coursework.grade` on one file."""

    def __init__(self, path, index, args, isolation, tmp_root):
        self.path = path
        self.name = display_name(os.path.relpath(path, args.dir))
        self.record_path = os.path.join(tmp_root, f"r{index}.json")
        command = [sys.executable, "-m", "coursework.grade", path,
                   "--timeout", str(args.timeout),
                   "--total-timeout", str(args.total_timeout),
                   "--memory", str(args.memory),
                   "--json", self.record_path, "--feedback", feedback_path(path),
                   "--tmp-root", tmp_root,
                   "--trusted-isolation", f"{isolation.kind}:{isolation.why}",
                   "--unguarded", os.path.abspath(args.dir),
                   "--unguarded", os.path.abspath(args.out)]
        if args.chapter:
            command += ["--chapter", args.chapter]
        for extra in args.checks:
            command += ["--checks", extra]
        if args.grace is not None:
            command += ["--grace", str(args.grace)]
        self.started = time.monotonic()
        self.deadline = self.started + wall_limit(args)
        self.err_path = os.path.join(tmp_root, f"e{index}.txt")
        with open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(command, cwd=REPO, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=err,
                                         start_new_session=True)
        self.timed_out = False

    def poll(self):
        if self.proc.poll() is None and time.monotonic() > self.deadline:
            self.timed_out = True
            self.kill()
        return self.proc.poll()

    def kill(self, sig=signal.SIGKILL):
        try:
            os.killpg(self.proc.pid, sig)
        except OSError:
            pass

    def row(self, limit):
        """The CSV row from the grading's record, or one that says what went wrong."""
        code = self.proc.wait()
        try:
            with open(self.err_path, "rb") as fh:
                err = fh.read(64 * 1024).decode("utf-8", "replace")
        except OSError:
            err = ""
        try:
            with open(self.record_path, "rb") as fh:
                record = json.loads(fh.read(4 * 2**20))
        except (OSError, ValueError, RecursionError):
            record = None
        row = {"file": self.name, "points": {}, "score": None, "out_of": None,
               "notes": [], "failed": True}
        if isinstance(record, dict) and code == 0 and "points" in record:
            points = record.get("points")
            row.update(points={str(k): int(v) for k, v in points.items()},
                       score=int(record["score"]), out_of=int(record["out_of"]),
                       notes=[str(n) for n in record.get("notes", [])], failed=False)
            return row
        if isinstance(record, dict) and record.get("error") == "misuse":
            row["notes"] = [f"not graded: {record.get('message', '')}"]
            row["failed"] = False
            try:
                write_atomically(feedback_path(self.path),
                                 f"Grading {self.name}: not graded\n\n"
                                 f"{clean(record.get('message', ''), 500)}\n")
            except OSError as err:
                row["notes"].append(f"its feedback table could not be written beside "
                                    f"it ({err.strerror})")
        elif self.timed_out:
            row["notes"] = [f"not graded: the grading took longer than {limit} s "
                            "(stopped, or hung) and was ended"]
        elif code < 0:
            row["notes"] = [f"not graded: the grading process was killed "
                            f"({signal.Signals(-code).name})"]
        else:
            last = [line for line in err.splitlines() if line.strip()][-1:]
            why = clean(last[0], 300) if last else f"exit status {code}"
            row["notes"] = [f"not graded: {why}"]
        return row


def parser():
    p = argparse.ArgumentParser(prog="python -m coursework.grade_all",
                                description=__doc__.split("\n")[0])
    p.add_argument("dir", help="the folder of submissions (searched recursively)")
    p.add_argument("--jobs", type=int, default=2, help="gradings at a time (2)")
    p.add_argument("--out", default="grades.csv", help="the CSV (grades.csv)")
    p.add_argument("--chapter", help="grade every file as chapter NN")
    p.add_argument("--timeout", type=int, default=60,
                   help="seconds per cell, and per exercise's check (60)")
    p.add_argument("--total-timeout", type=int, default=600,
                   help="seconds for all of a notebook's cells (600)")
    p.add_argument("--isolation", choices=("auto", "bwrap", "none"), default="auto")
    p.add_argument("--memory", type=int, default=8192, metavar="MB")
    p.add_argument("--checks", action="append", default=[], help=argparse.SUPPRESS)
    p.add_argument("--grace", type=int, default=None, help=argparse.SUPPRESS)
    return p


def check_args(args):
    if not os.path.isdir(args.dir):
        raise Misuse(f"not a folder: {display_name(args.dir)} (DIR=folder of "
                     "submissions)")
    if args.jobs < 1 or args.timeout < 1 or args.total_timeout < 1:
        raise Misuse("JOBS, TIMEOUT and TOTAL_TIMEOUT must be at least 1")
    if os.path.isdir(args.out):
        raise Misuse(f"OUT is a folder: {display_name(args.out)}")
    for extra in args.checks:
        if not os.path.isfile(extra):
            raise Misuse(f"no such check module: {display_name(extra)}")
    args.checks = [os.path.abspath(c) for c in args.checks]
    if args.chapter is not None:
        if not args.chapter.isdigit():
            raise Misuse(f"CHAPTER takes a number such as 03, got "
                         f"{display_name(args.chapter)}")
        args.chapter = args.chapter.zfill(2)
        exercises_of(args.chapter, args.checks)


class Progress:
    """A bar on a terminal (tqdm); a line per file otherwise."""

    def __init__(self, total):
        self.total, self.done = total, 0
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="notebook", file=sys.stderr,
                            dynamic_ncols=True)

    def update(self, row):
        self.done += 1
        score = ("not graded" if row["score"] is None
                 else f"{row['score']}/{row['out_of']}")
        line = f"[{self.done}/{self.total}] {row['file']}: {score}"
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
            self.bar.update(1)
        else:
            print(line, file=sys.stderr, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def run_batch(files, args, isolation, tmp_root):
    """Grade `files`, args.jobs at a time; their rows, in the order of `files`."""
    rows, pending, running = {}, list(enumerate(files)), []
    progress = Progress(len(files))
    guard = [os.path.abspath(args.dir), os.path.abspath(args.out)]
    before = fingerprint(args.checks, skip=guard)
    try:
        while pending or running:
            while pending and len(running) < args.jobs:
                index, path = pending.pop(0)
                running.append((index, Worker(path, index, args, isolation, tmp_root)))
            time.sleep(0.05)
            for item in list(running):
                index, worker = item
                if worker.poll() is None:
                    continue
                running.remove(item)
                rows[index] = worker.row(wall_limit(args))
                progress.update(rows[index])
                # What a grading abandoned when it was killed comes to us: end it.
                end_strays(keep={w.proc.pid for _, w in running})
        moved = changed(before, fingerprint(args.checks, skip=guard))
    finally:
        progress.close()
        for _, worker in running:
            worker.kill(signal.SIGTERM)
        stop = time.monotonic() + 5
        for _, worker in running:
            try:
                worker.proc.wait(max(0.1, stop - time.monotonic()))
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.proc.wait()
        end_strays()
    return [rows[i] for i in range(len(files))], moved


def main(argv=None):
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    args = parser().parse_args(argv)
    quiet()
    become_subreaper()
    tmp_root = None
    try:
        check_args(args)
        files = find_notebooks(args.dir)
        if not files:
            raise Misuse(f"no .ipynb files under {display_name(args.dir)}")
        try:
            isolation = choose_isolation(args.isolation)
        except RuntimeError as err:
            raise GradingFailed(str(err)) from None
        if isolation.warning:
            print(f"make grade-all: {isolation.warning}", file=sys.stderr)
        print(f"make grade-all: {len(files)} notebooks under "
              f"{display_name(args.dir)}, {args.jobs} at a time", file=sys.stderr)
        tmp_root = tempfile.mkdtemp(prefix="grade-all-")
        start = time.monotonic()
        rows, moved = run_batch(files, args, isolation, tmp_root)
        write_atomically(args.out, gradebook(rows))
    except Misuse as err:
        print(f"make grade-all: {err}", file=sys.stderr)
        return 2
    except GradingFailed as err:
        print(f"make grade-all: grading failed: {err}", file=sys.stderr)
        return 3
    except Interrupted:
        print("make grade-all: interrupted; no gradebook written", file=sys.stderr)
        return 130
    finally:
        end_strays()
        if tmp_root:
            shutil.rmtree(tmp_root, ignore_errors=True)
    failed = sum(row["failed"] for row in rows)
    scored = sum(row["score"] is not None for row in rows)
    print(f"make grade-all: {len(rows)} rows in {display_name(args.out)} "
          f"({scored} scored, {len(rows) - scored} not graded) in "
          f"{time.monotonic() - start:.0f} s", file=sys.stderr)
    if isolation.warning:
        print(f"make grade-all: {isolation.warning}", file=sys.stderr)
    if moved:
        print(f"make grade-all: THE REPOSITORY CHANGED during grading ({moved}): "
              "the grades cannot be trusted; restore it (git status) and grade "
              "again", file=sys.stderr)
        return 3
    if failed:
        print(f"make grade-all: the grading machinery failed for {failed} file(s); "
              "see their notes", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
