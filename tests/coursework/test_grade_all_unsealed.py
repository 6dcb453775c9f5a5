"""The batch grader's other paths: without bubblewrap (still right for honest work,
still nothing left running, and said loudly), Ctrl-C, misuse, and the Makefile's
handing of names to it.

The grading without bubblewrap and the Ctrl-C run start at the same time."""

import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from class_folder import write_class
from coursework_toy import REPO, TOY_CHECKS, toy_chapter
from test_grade_all import alive, read_rows, run_grade_all, shown, tmp_env

MARK = f"cw-test-unsealed-{os.getpid()}"
SLEEPER = f"""\
import subprocess, sys, time
sleep = "import time; time.sleep(120)"
subprocess.Popen([sys.executable, "-c", sleep, "{MARK}-ctrl-c"])
time.sleep(120)
n_params = 72"""
UNSEALED = [b"98_exit.ipynb", b"98_escaper.ipynb"]


def unsealed(root):
    folder, out = root / "unsealed" / "class", root / "unsealed.csv"
    expected = write_class(folder, out, MARK, sealed=False, only=UNSEALED)
    done, seconds = run_grade_all(folder, out, "--isolation", "none",
                                  "--timeout", "10", env=tmp_env(folder.parent))
    time.sleep(0.5)  # a daemon that survived would now overwrite the gradebook
    return {"done": done, "expected": expected, "out": out}


def interrupted(root):
    """grade-all on two notebooks that sleep, and Ctrl-C (SIGINT) once they run."""
    folder, out = root / "sleepy", root / "sleepy.csv"
    folder.mkdir()
    for k in range(2):
        nbformat.write(toy_chapter({"98.1": SLEEPER}), folder / f"98_sleepy{k}.ipynb")
    env = tmp_env(root / "ctrl-c")
    command = [sys.executable, "-m", "coursework.grade_all", str(folder), "--out",
               str(out), "--checks", str(TOY_CHECKS), "--timeout", "100"]
    proc = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, env=env)
    end = time.monotonic() + 60
    while time.monotonic() < end and not alive(f"{MARK}-ctrl-c"):
        time.sleep(0.1)  # until a notebook is in its sleeping cell
    started = bool(alive(f"{MARK}-ctrl-c"))
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    return {"code": proc.returncode, "seconds": time.monotonic() - sent,
            "err": err.decode(errors="replace"), "started": started, "out": out,
            "tmp": root / "ctrl-c" / "tmp"}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("other_paths")
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.submit(unsealed, root), pool.submit(interrupted, root)
        return {"unsealed": first.result(), "interrupted": second.result()}


def test_without_bubblewrap_it_says_so_loudly(graded):
    err = graded["unsealed"]["done"].stderr.decode(errors="replace")
    assert "!!! GRADING WITHOUT ISOLATION: asked for with --isolation none." in err
    assert err.count("GRADING WITHOUT ISOLATION") == 2  # at the start and at the end


def test_without_bubblewrap_honest_work_scores_the_same(graded):
    result = graded["unsealed"]
    assert result["done"].returncode == 0, result["done"].stderr
    rows = {row["file"]: row for row in read_rows(result["out"])}
    for name, expected in result["expected"].items():
        row = rows[shown(name)]
        got = tuple(int(row[e]) for e in ("98.1", "98.2", "98.3"))
        assert got == expected.points, (name, row)
    # what bubblewrap would have hidden, it sees: 98.1 of the isolation probe is off
    assert rows["98_escaper.ipynb"]["98.1"] == "0"


def test_without_bubblewrap_nothing_it_started_is_left(graded):
    assert alive(MARK) == []
    assert b"forged" not in graded["unsealed"]["out"].read_bytes()


def test_ctrl_c_stops_the_batch_within_seconds_and_leaves_nothing(graded):
    result = graded["interrupted"]
    assert result["started"], "the notebooks never reached their sleeping cell"
    assert result["code"] == 130, result["err"]
    assert result["seconds"] < 15
    assert "interrupted; no gradebook written" in result["err"]
    assert "Traceback" not in result["err"]
    assert not result["out"].exists()
    assert list(result["tmp"].iterdir()) == []
    assert alive(f"{MARK}-ctrl-c") == []


# ------------------------------------------------------------- misuse and the Makefile


def grade_all_cli(*args):
    return subprocess.run([sys.executable, "-m", "coursework.grade_all", *args],
                          cwd=REPO, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args, message", [
    (["no/such/folder"], "not a folder: no/such/folder"),
    (["chapters", "--chapter", "99"], "there is no chapter 99 with exercises"),
    (["chapters", "--chapter", "x"], "CHAPTER takes a number such as 03"),
    (["tools"], "no .ipynb files under tools"),
    (["chapters", "--jobs", "0"], "must be at least 1"),
])
def test_misuse_is_exit_2_and_one_line(args, message):
    done = grade_all_cli(*args)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


needs_make = pytest.mark.skipif(
    not (REPO / ".venv" / "bin" / "python").exists() or shutil.which("make") is None,
    reason="needs the repository's .venv and make")


def make(*args, cwd=REPO):
    # -o: take the venv as installed, whatever the pins' dates
    return subprocess.run(["make", "-s", "-o", ".venv/.installed-stamp", *args],
                          cwd=cwd, capture_output=True, timeout=300)


@needs_make
def test_make_passes_file_names_through_untouched(tmp_path):
    name = "03_`touch INJECTED`$(touch INJECTED) $$(touch INJECTED) \"q\" 'q'.ipynb"
    (tmp_path / name).write_text("[1, 2]")
    done = make("grade", f"NB={tmp_path / name}")
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode()
    assert out.startswith(f"Grading {name}: chapter 03")
    assert out.rstrip().endswith("score: 0/3")
    done = make("grade-all", f"DIR={tmp_path}", f"OUT={tmp_path / 'g.csv'}")
    assert done.returncode == 0, done.stderr
    assert len(read_rows(tmp_path / "g.csv")) == 1
    for where in (REPO, tmp_path, Path.cwd()):
        assert not (where / "INJECTED").exists()


@needs_make
def test_make_unknown_chapter_is_exit_2(tmp_path):
    (tmp_path / "x.ipynb").write_text("{}")
    done = make("grade-all", f"DIR={tmp_path}", "CHAPTER=99")
    assert done.returncode == 2 and b"no chapter 99" in done.stderr
    done = make("grade", f"NB={tmp_path / 'x.ipynb'}", "CHAPTER=99")
    assert done.returncode == 2 and b"no chapter 99" in done.stderr
    assert make("grade-all").returncode == 2
